/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"
#include "hs-module-private.h"

G_BEGIN_DECLS

/* Installs, once, the registration hook (so that what a module's code
 * registers can be undone when it goes) and the exit handler (which tells
 * the process exit from dlclose()). */
void      _hs_module_unload_ensure_hooks     (void);

/* Makes the process exit run the unload functions of the modules still
 * loaded. */
void      _hs_module_unload_at_exit          (void);

/* The manager on which ::unloaded is emitted, with that signal's id: handed
 * down by hs_registry_manager_get_default() once it exists (the manager is
 * built on this file, not the other way round). */
void      _hs_module_unload_set_announcer    (HsRegistryManager *manager,
                                              guint              unloaded_signal);

/* Takes @module away, once, whoever asks first: forgets its functions not
 * run yet and its injectables, emits ::unloaded and runs its unload
 * functions. Called with no lock held, with a reference to @module that
 * the caller took under the lock when it found the module in its table
 * (another thread may unload it meanwhile, dropping the table's). */
void      _hs_module_unload                  (HsModule          *module);

/* The default handler of ::unloaded: runs the unload functions of the
 * module this thread is unloading, when @name is its name. */
void      _hs_module_unload_default_handler  (const char        *name);

G_END_DECLS
