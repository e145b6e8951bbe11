/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-kind-private.h"
#include "hs-i18n-private.h"

const char *
_hs_type_name (GType type)
{
  const char *name = type != G_TYPE_INVALID ? g_type_name (type) : NULL;

  return name != NULL ? name : "(invalid)";
}

gboolean
_hs_is_object_or_interface_type (GType type)
{
  return type != G_TYPE_INVALID &&
         (G_TYPE_IS_INTERFACE (type) ||
          (G_TYPE_IS_INSTANTIATABLE (type) && g_type_is_a (type, G_TYPE_OBJECT)));
}

gboolean
_hs_check_kind_and_context (GType    implementation,
                            GType    kind,
                            GType    context,
                            GError **error)
{
  kind = _hs_not_given_if_none (kind);
  context = _hs_not_given_if_none (context);

  if (kind != G_TYPE_INVALID && !_hs_is_object_or_interface_type (kind))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                   _("Kind “%s” is not an object or interface type"),
                   _hs_type_name (kind));
      return FALSE;
    }

  if (kind != G_TYPE_INVALID && implementation != G_TYPE_INVALID &&
      !g_type_is_a (implementation, kind))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                   _("“%s” is not a kind of “%s”"),
                   _hs_type_name (implementation), _hs_type_name (kind));
      return FALSE;
    }

  if (context != G_TYPE_INVALID && !_hs_is_object_or_interface_type (context))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                   _("Context type “%s” is not an object or interface type"),
                   _hs_type_name (context));
      return FALSE;
    }

  return TRUE;
}

void
_hs_set_not_found_error (GError  **error,
                         GType     kind,
                         GObject  *context)
{
  if (context != NULL)
    g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND,
                 _("No kind “%s” for context “%s” in registry"),
                 _hs_type_name (kind), G_OBJECT_TYPE_NAME (context));
  else
    g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND,
                 _("No kind “%s” in registry"), _hs_type_name (kind));
}
