/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* A module: a shared object (or the program) that declared registry
 * functions or injectables, a module loaded through the manager, or the
 * owner named by a binding. What its registry functions registered, and its
 * unload functions, are kept here until it goes away. */
typedef struct _HsModule HsModule;

void      _hs_module_unref                (HsModule   *module);

/* The module that owns the registrations made on this thread until the
 * matching pop: used by hs_registry_scan() so that what it registers for a
 * module's injectables goes away with the module. */
void      _hs_module_push_owner           (HsModule   *module);
void      _hs_module_pop_owner            (void);

/* Installs the registration hook and the exit handler, once. */
void      _hs_registry_manager_ensure_hooks (void);

/* Takes in what modules recorded since the last call and learns the file
 * names of new modules. Never runs a registry function. */
void      _hs_records_take_in             (void);

/* An injectable claimed for a scan of one registry. */
typedef struct
{
  guint      serial;
  HsModule  *module;                      /* a reference */
  char      *tag;
  void     (*types) (GType *types);
} HsInjectableClaim;

void      _hs_injectable_claim_free       (HsInjectableClaim *claim);

/* Claims, for @registry, the injectables of the modules named @module (or of
 * all modules, for %NULL) that were not scanned into it before, and marks
 * them as scanned. Sets *@module_found to whether a module of that name is
 * known. Returns a #GPtrArray of #HsInjectableClaim, in recording order. */
GPtrArray *_hs_injectables_claim          (HsRegistry *registry,
                                           const char *module,
                                           gboolean   *module_found);

/* Forgets that @claims were scanned into @registry (after a failed scan). */
void      _hs_injectables_unclaim         (HsRegistry *registry,
                                           GPtrArray  *claims);

G_END_DECLS
