/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE                       /* dladdr(), RTLD_NOLOAD, RTLD_NODELETE */
#include "config.h"

#include <dlfcn.h>

#include "hs-module-resident-private.h"
#include "hs-module-unload-private.h"
#include "hs-debug-private.h"

/* Resident modules: code that must outlive its module's unloading (the
 * classes of its dynamic types point into it, and GLib never finalizes a
 * class), unloaded logically instead, and recorded again from the records
 * that stay in its memory. */

void
_hs_module_resident_keep (HsModule *module)
{
  Dl_info info;

  /* Binding owners have no code of their own. A dlopen() with
   * RTLD_NODELETE of an object already loaded makes the loader keep it: the
   * handle it gives is not needed. */
  if (module->anchor != NULL && dladdr (module->anchor, &info) != 0 && info.dli_fname != NULL)
    {
      void *handle = dlopen (info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);

      if (handle != NULL)
        dlclose (handle);
    }

  /* No lock: HsPluginModule calls this while GType makes a class, with
   * GType's class lock held, which a take-in (evaluating a type
   * expression) may wait for under the manager's lock. */
  if (!g_atomic_int_exchange (&module->resident, TRUE) &&
      G_UNLIKELY (_hs_debug_on (HS_DEBUG_MANAGER)))
    g_debug ("manager: %s is resident: its code stays mapped", _hs_module_display_name (module));
}

void
_hs_module_resident_unload (HsModule *module)
{
  /* The name the records are kept under. */
  _hs_module_learn_name (module, TRUE);

  g_mutex_lock (&_hs_manager_lock);
  if (module->gone)
    {
      g_mutex_unlock (&_hs_manager_lock);
      return;
    }
  _hs_module_keep_dormant_locked (module);
  g_mutex_unlock (&_hs_manager_lock);

  _hs_module_unload (module);
}

gboolean
_hs_module_resident_unload_named (const char *name)
{
  char *canonical = _hs_canonical_path (name);
  HsModule *module;

  g_mutex_lock (&_hs_manager_lock);
  module = _hs_module_for_name_locked (name, canonical);
  if (module != NULL)
    _hs_module_ref (module);
  g_mutex_unlock (&_hs_manager_lock);
  g_free (canonical);

  if (module == NULL)
    return FALSE;

  _hs_module_resident_unload (module);
  _hs_module_unref (module);
  return TRUE;
}

void
_hs_module_resident_closed (const char *canonical)
{
  HsModule *module;

  g_mutex_lock (&_hs_manager_lock);
  module = _hs_module_for_path_locked (canonical);
  if (module != NULL && g_atomic_int_get (&module->resident))
    _hs_module_ref (module);
  else
    module = NULL;
  g_mutex_unlock (&_hs_manager_lock);

  if (module == NULL)
    return;

  _hs_module_resident_unload (module);
  _hs_module_unref (module);
}

void
_hs_module_resident_revive (const char *canonical)
{
  GPtrArray *records;

  g_mutex_lock (&_hs_manager_lock);
  records = _hs_module_take_dormant_locked (canonical);
  g_mutex_unlock (&_hs_manager_lock);

  if (records == NULL)
    return;

  if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_MANAGER)))
    g_debug ("manager: %s, still mapped, records again", canonical);

  /* Pushed oldest first: the take-in reverses the stack. */
  for (guint i = 0; i < records->len; i++)
    _hs_static_record_add (g_ptr_array_index (records, i));

  g_ptr_array_unref (records);
}
