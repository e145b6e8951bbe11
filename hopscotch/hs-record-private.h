/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* Takes in the records pushed by module constructors since the last call:
 * their modules, registry functions and injectables. Runs nothing and calls
 * nothing outside GLib. Called with _hs_manager_lock held. */
void      _hs_records_take_in_locked      (void);

/* The same, from the destructor of a module being unloaded: the key
 * expressions of HS_REGISTRY_FUNCTION_FOR_TYPE() records are evaluated by
 * the next take-in above, if their module is still there. */
void      _hs_records_take_in_unloading_locked (void);

/* Takes in what modules recorded since the last call and learns the file
 * names of new modules. Never runs a registry function. Takes the lock. */
void      _hs_records_take_in             (void);

G_END_DECLS
