/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-injectable-claim-private.h"
#include "hs-module-private.h"
#include "hs-module-pin-private.h"
#include "hs-module-unload-private.h"
#include "hs-record-private.h"
#include "hs-i18n-private.h"

/**
 * SECTION:hs-injectable
 * @title: Declarative registration
 * @short_description: registrations declared at file scope with
 *   HS_INJECTABLE(), made by hs_registry_scan()
 *
 * A module declares what it provides with HS_INJECTABLE(), next to the
 * types themselves, and a registry takes the declarations in with
 * hs_registry_scan():
 *
 * |[<!-- language="C" -->
 * // in the plugin
 * HS_INJECTABLE (AnotherGreeting, MY_TYPE_ANOTHER_GREETING,
 *                MY_TYPE_GREETING, MY_TYPE_FRENCH_CUSTOMER);
 *
 * // in the application, once the plugin is loaded
 * if (!hs_registry_scan (registry, "libmy-plugin.so", &error))
 *   g_warning ("%s", error->message);
 * ]|
 *
 * As with registry functions (see #HsRegistryManager), loading a module only
 * records its declarations: the type expressions are evaluated by the scan,
 * so the types are registered with GType only when a registry needs them.
 *
 * What a scan registers for a module belongs to that module: it is
 * unregistered when the module is unloaded, and the module's declarations
 * are forgotten. A module loaded again is recorded anew, and scanning it
 * registers its declarations again.
 */

/**
 * hs_registry_scan:
 * @self: a #HsRegistry
 * @module: (nullable) (type filename): the module whose declarations to
 *   register: its file's path, or the file's base name (such as
 *   `libmy-plugin.so`); %NULL for every module of the process, the program
 *   included
 * @error: return location for a #GError
 *
 * Registers into @self the registrations declared with HS_INJECTABLE() by
 * @module, or by every loaded module, in the order they were recorded
 * (modules in load order). Each declaration is registered into a given
 * registry once: scanning the same module into the same registry again adds
 * nothing (a module unloaded and loaded again is new, though).
 *
 * The scan registers all or nothing: when one declaration is refused (say,
 * its implementation is abstract), the registrations it made are undone and
 * the error, %HS_REGISTRY_ERROR_INVALID_REGISTRATION, names the declaration.
 * When no loaded module with declarations or registry functions has the
 * name @module, the error is %HS_REGISTRY_MANAGER_ERROR_NOT_LOADED.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
hs_registry_scan (HsRegistry  *self,
                  const char  *module,
                  GError     **error)
{
  GArray *ids;
  GPtrArray *claims;
  gboolean module_found, ok;
  GError *local_error = NULL;

  g_return_val_if_fail (HS_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  _hs_module_unload_ensure_hooks ();
  _hs_records_take_in ();

  claims = _hs_injectables_claim (self, module, &module_found);
  if (!module_found)
    {
      g_set_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_LOADED,
                   _("No loaded module “%s” declares injectables or registry functions"),
                   module);
      g_ptr_array_unref (claims);
      return FALSE;
    }

  ids = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < claims->len && local_error == NULL; i++)
    {
      HsInjectableClaim *claim = g_ptr_array_index (claims, i);
      GType types[3] = { G_TYPE_INVALID, G_TYPE_INVALID, G_TYPE_INVALID };
      gpointer pin;
      guint id;

      /* A module unloaded since the claim has nothing to declare any more;
       * one unloaded while its expressions run goes when they are done. */
      if (!_hs_module_pin (claim->module, &pin))
        continue;

      /* Evaluated now, not at load: this may register the types. */
      claim->types (types);

      /* What is registered for the module goes away with it. */
      _hs_module_push_frame (claim->module, FALSE);
      id = hs_registry_register_type (self, types[0], types[1], types[2], &local_error);
      _hs_module_pop_frame ();
      _hs_module_unpin (pin);

      if (id != 0)
        g_array_append_val (ids, id);
      else
        g_prefix_error (&local_error, _("Injectable “%s”: "), claim->tag);
    }

  ok = local_error == NULL;
  if (!ok)
    {
      for (guint i = 0; i < ids->len; i++)
        hs_registry_unregister (self, g_array_index (ids, guint, i));
      _hs_injectables_unclaim (self, claims);
      g_propagate_error (error, local_error);
    }

  g_array_unref (ids);
  g_ptr_array_unref (claims);

  return ok;
}
