/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-index-private.h"

G_BEGIN_DECLS

/* Diagnostics of SPEC rule 3: the ranked candidates of a registry as text,
 * for hs_registry_explain() and for the "resolve" debug log. */

/* Logs, when HOPSCOTCH_DEBUG has "resolve", how @self alone answers a
 * get of @kind for a lookup context of type @ctx_type: its candidates,
 * ranked, and the rule that decided, or that it asks its parent. Takes
 * @self's lock. */
void _hs_explain_log_resolve (HsRegistry *self,
                              GType       kind,
                              GType       ctx_type,
                              gboolean    no_singletons);

G_END_DECLS
