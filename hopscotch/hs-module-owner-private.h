/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* Adds a binding's registry function for @key to the module named @owner
 * (%NULL: the program, never unloaded), creating the module the first
 * time. Runs nothing. */
void      _hs_module_owner_add_function  (GType           key,
                                          const char     *owner,
                                          HsRegistryFunc  func,
                                          gpointer        user_data,
                                          GDestroyNotify  destroy);

/* Unloads the module named @owner. Returns %FALSE if there is none. */
gboolean  _hs_module_owner_unload        (const char     *owner);

G_END_DECLS
