/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-module-owner-private.h"
#include "hs-module-private.h"
#include "hs-module-unload-private.h"
#include "hs-subscription-private.h"

/* Owners: the modules that bindings declare by name, since Python and
 * JavaScript have no load time and no shared object of their own. */

/* Created, under _hs_manager_lock, by the first binding function added
 * without an owner; never unloaded, never freed. */
static HsModule *program;

void
_hs_module_owner_add_function (GType           key,
                               const char     *owner,
                               HsRegistryFunc  func,
                               gpointer        user_data,
                               GDestroyNotify  destroy)
{
  HsModule *module;

  g_mutex_lock (&_hs_manager_lock);

  if (owner == NULL)
    {
      if (program == NULL)
        {
          program = _hs_module_new (NULL, NULL);
          program->name = g_strdup ("(program)");
          program->announced = TRUE;
        }
      module = program;
    }
  else
    module = _hs_module_for_owner_locked (owner, TRUE);

  _hs_subscription_add_function_locked (module, key, func, user_data, destroy);

  g_mutex_unlock (&_hs_manager_lock);
}

gboolean
_hs_module_owner_unload (const char *owner)
{
  HsModule *module;

  g_mutex_lock (&_hs_manager_lock);
  module = _hs_module_for_owner_locked (owner, FALSE);
  if (module != NULL)
    _hs_module_ref (module);
  g_mutex_unlock (&_hs_manager_lock);

  if (module == NULL)
    return FALSE;

  /* Another thread unloading the same owner finds it gone and leaves it. */
  _hs_module_unload (module);
  _hs_module_unref (module);

  return TRUE;
}
