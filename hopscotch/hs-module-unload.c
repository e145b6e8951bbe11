/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdlib.h>

#include "hs-registry-private.h"
#include "hs-module-unload-private.h"
#include "hs-record-private.h"
#include "hs-subscription-private.h"
#include "hs-injectable-claim-private.h"
#include "hs-debug-private.h"

/* Unloading: a module is taken away once, however it goes (dlclose() runs
 * its destructor, a binding unloads its owner), and its unload functions
 * run around the emission of ::unloaded. At process exit nothing is
 * unloaded unless asked for. */

typedef struct
{
  HsModule *module;
  gboolean  done;                         /* its unload functions ran */
} UnloadJob;

/* UnloadJob, innermost last: the modules this thread is unloading. Only the
 * thread itself reads and writes them, so they take no lock. */
static GPrivate unloading_key = G_PRIVATE_INIT ((GDestroyNotify) g_array_unref);

/* Atomic, written once by hs_registry_manager_get_default(). */
static HsRegistryManager *announcer;
static guint announcer_unloaded_signal;

static gint exiting;                      /* atomic */
static gint unloaders_at_exit;            /* atomic */

static GArray *
unloading_get (void)
{
  return _hs_thread_array (&unloading_key, sizeof (UnloadJob));
}

static void
at_exit (void)
{
  /* From now on module destructors belong to the exit, not to dlclose(). */
  if (!g_atomic_int_get (&unloaders_at_exit))
    g_atomic_int_set (&exiting, TRUE);
}

void
_hs_module_unload_ensure_hooks (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      __atomic_store_n (&_hs_registry_registration_hook, _hs_module_registration_hook,
                        __ATOMIC_RELEASE);
      atexit (at_exit);
      g_once_init_leave (&installed, 1);
    }
}

void
_hs_module_unload_at_exit (void)
{
  g_atomic_int_set (&unloaders_at_exit, TRUE);
}

void
_hs_module_unload_set_announcer (HsRegistryManager *manager,
                                 guint              unloaded_signal)
{
  announcer_unloaded_signal = unloaded_signal;
  g_atomic_pointer_set (&announcer, manager);
}

void
_hs_module_unload (HsModule *module)
{
  HsRegistryManager *manager;
  GPtrArray *dropped;
  GArray *unloading;
  guint dropped_count;
  UnloadJob job = { module, FALSE };

  g_mutex_lock (&_hs_manager_lock);

  if (module->gone)
    {
      g_mutex_unlock (&_hs_manager_lock);
      return;
    }
  module->gone = TRUE;

  dropped = _hs_subscription_take_functions_locked (module);
  _hs_injectables_drop_locked (module);

  /* The table's reference is ours now. */
  _hs_module_forget_locked (module);

  g_mutex_unlock (&_hs_manager_lock);

  /* Destroy notifies of bindings' functions: user code, no lock held. */
  dropped_count = dropped->len;
  g_ptr_array_unref (dropped);

  /* A module destructor may run before anybody learnt the module's name.
   * The module is still mapped here, so asking is safe. */
  _hs_module_learn_name (module, FALSE);

  if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_MANAGER)))
    g_debug ("manager: unloading %s: %u registry functions not run are dropped",
             _hs_module_display_name (module), dropped_count);

  manager = g_atomic_pointer_get (&announcer);

  g_array_append_val (unloading_get (), job);

  if (manager != NULL)
    g_signal_emit (manager, announcer_unloaded_signal, 0, _hs_module_display_name (module));

  /* The default handler did it, unless a handler stopped the emission; the
   * unload functions still run then: they are obligations, such as freeing
   * what the module registered. */
  unloading = unloading_get ();
  if (!g_array_index (unloading, UnloadJob, unloading->len - 1).done)
    _hs_module_run_unloaders (module);
  g_array_set_size (unloading, unloading->len - 1);

  /* The table's reference, taken out by _hs_module_forget_locked(). */
  _hs_module_unref (module);
}

void
_hs_module_unload_default_handler (const char *name)
{
  GArray *unloading = g_private_get (&unloading_key);
  UnloadJob *job;

  /* Only an emission made by the manager itself has work attached. */
  if (unloading == NULL || unloading->len == 0)
    return;

  job = &g_array_index (unloading, UnloadJob, unloading->len - 1);
  if (job->done || g_strcmp0 (name, _hs_module_display_name (job->module)) != 0)
    return;

  job->done = TRUE;
  _hs_module_run_unloaders (job->module);
}

void
_hs_static_record_module_unloading (const void *anchor)
{
  HsModule *module;

  /* Process exit, not dlclose(): leave everything as it is. */
  if (g_atomic_int_get (&exiting))
    return;

  g_mutex_lock (&_hs_manager_lock);
  _hs_records_take_in_unloading_locked ();
  /* Unmapped for real: records kept from a logical unload are no more. */
  _hs_module_drop_dormant_locked (anchor);
  module = _hs_module_for_anchor_locked (anchor, FALSE);
  if (module != NULL)
    _hs_module_ref (module);
  g_mutex_unlock (&_hs_manager_lock);

  /* Other destructors of the same module find it gone. */
  if (module != NULL)
    {
      _hs_module_unload (module);
      _hs_module_unref (module);
    }
}
