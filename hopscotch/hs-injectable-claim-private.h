/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"
#include "hs-module-private.h"

G_BEGIN_DECLS

/* Adds the injectable that @record declares for @module, after the others.
 * Called with _hs_manager_lock held. */
void      _hs_injectable_add_locked       (HsModule              *module,
                                           const _HsStaticRecord *record);

/* Forgets the injectables of @module, which is going away. Called with
 * _hs_manager_lock held. */
void      _hs_injectables_drop_locked     (HsModule              *module);

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
