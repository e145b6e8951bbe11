/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"
#include "hs-module-private.h"

G_BEGIN_DECLS

/* Modules whose code stays mapped when they are unloaded: made resident
 * (HsPluginModule does it once a class of theirs is made), or kept by a
 * plugin engine. The manager unloads them logically, and a later load
 * through the manager records them again. All called with no lock held. */

/* Keeps @module's code mapped for the life of the process (dlopen() with
 * RTLD_NODELETE) and marks it resident. */
void      _hs_module_resident_keep          (HsModule   *module);

/* Takes @module away as if it was unmapped (::unloaded, its unload
 * functions, its registrations undone, its functions not run forgotten),
 * keeping its records for _hs_module_resident_revive(). The caller holds a
 * reference to @module. */
void      _hs_module_resident_unload        (HsModule   *module);

/* The same for the module of a shared object called @name (its path, its
 * canonical path or its file's base name): %FALSE when there is none. */
gboolean  _hs_module_resident_unload_named  (const char *name);

/* The manager closed @canonical for the last time: a resident module of
 * that file, still mapped, is unloaded logically. */
void      _hs_module_resident_closed        (const char *canonical);

/* The manager opened @canonical: a module of that file unloaded logically
 * records again (its records are pending: the caller catches up). */
void      _hs_module_resident_revive        (const char *canonical);

G_END_DECLS
