/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-precedence-private.h"

int
_hs_precedence_context_score (GType registered,
                              GType lookup)
{
  if (registered == G_TYPE_INVALID)
    return 0;
  if (lookup == G_TYPE_INVALID || !g_type_is_a (lookup, registered))
    return -1;
  if (G_TYPE_IS_INTERFACE (registered))
    return 1;
  /* Both are on the lookup type's chain of classes: the deeper, the nearer. */
  return 2 + (int) g_type_depth (registered);
}

const char *
_hs_precedence_rule_name (HsDecidedBy rule)
{
  switch (rule)
    {
    case HS_DECIDED_BY_CONTEXT:
      return "context specificity";
    case HS_DECIDED_BY_SINGLETON:
      return "singleton before types and factories";
    case HS_DECIDED_BY_RECENCY:
    default:
      return "recency";
    }
}
