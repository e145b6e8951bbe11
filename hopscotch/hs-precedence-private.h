/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The ranking of SPEC rule 3 among the candidates of one registry: pure,
 * with no locks and no instances, so that it can be tested alone. */

/* What ranks a candidate registration. */
typedef struct
{
  int      context;                   /* _hs_precedence_context_score() */
  gboolean singleton;
  guint64  serial;                    /* larger is more recent */
} HsRank;

/* How well a registration's context type @registered (G_TYPE_INVALID: any
 * context) matches the lookup context's type @lookup (G_TYPE_INVALID: no
 * context); -1 when it does not match at all (SPEC rule 3.1). */
int _hs_precedence_context_score (GType registered,
                                  GType lookup);

/* Whether @a wins over @b: context specificity, then singletons before
 * factories and types, then the more recent (SPEC rules 3.1 to 3.3). In
 * line: a registry scans all its candidates for a kind with it. */
static inline gboolean
_hs_precedence_beats (const HsRank *a,
                      const HsRank *b)
{
  if (a->context != b->context)
    return a->context > b->context;
  if (a->singleton != b->singleton)
    return a->singleton;
  return a->serial > b->serial;
}

/* Which of SPEC rules 3.1 to 3.3 puts one candidate before another. */
typedef enum
{
  HS_DECIDED_BY_CONTEXT,              /* context specificity */
  HS_DECIDED_BY_SINGLETON,            /* singletons before factories and types */
  HS_DECIDED_BY_RECENCY,              /* the most recent */
} HsDecidedBy;

/* The rule by which @a beats, or loses to, @b. */
static inline HsDecidedBy
_hs_precedence_decided_by (const HsRank *a,
                           const HsRank *b)
{
  if (a->context != b->context)
    return HS_DECIDED_BY_CONTEXT;
  if (a->singleton != b->singleton)
    return HS_DECIDED_BY_SINGLETON;
  return HS_DECIDED_BY_RECENCY;
}

/* The rule's name, for diagnostics (untranslated, as logs are). */
const char *_hs_precedence_rule_name (HsDecidedBy rule);

G_END_DECLS
