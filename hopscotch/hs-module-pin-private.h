/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"
#include "hs-module-private.h"

G_BEGIN_DECLS

/* Keeps @module's file mapped while its code runs (a registry function, an
 * HS_INJECTABLE() type expression), with a reference of the dynamic loader
 * itself, so that however the module is unloaded meanwhile (through the
 * manager, g_module_close(), a plugin engine, or by its own code), it is
 * unmapped only when the pin is dropped. Returns %FALSE, pinning nothing,
 * when the module is gone: its code must not run then. *@pin is for
 * _hs_module_unpin().
 *
 * Both are called with no lock held: they enter the dynamic loader, whose
 * lock a module destructor holds when it takes _hs_manager_lock. */
gboolean  _hs_module_pin      (HsModule *module,
                               gpointer *pin);

/* Drops a pin. When the module was unloaded while pinned, the unload
 * completes here, on this thread: the loader runs the module's destructor,
 * which takes the module away (hs-module-unload.c). Called outside the
 * module's frame, so that nothing the unload does is given to the module. */
void      _hs_module_unpin    (gpointer  pin);

G_END_DECLS
