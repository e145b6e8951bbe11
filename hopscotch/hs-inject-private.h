/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* Injection plans: what to inject into each property of a type, computed
 * once per type from its properties and the annotations (hs-inject.c), and
 * followed by construction (hs-build.c). */

typedef enum
{
  HS_RULE_SKIP,
  HS_RULE_REGISTRY,
  HS_RULE_AUTO,
  HS_RULE_CONTEXT,
  HS_RULE_GET,
} HsRule;

typedef struct
{
  GParamSpec *pspec;                  /* owned */
  HsRule      rule;
  GType       kind;
  const char *attr;
} HsPlanItem;

/* How to build one type: what to inject, and what the props of a get may
 * name. Computed once, then shared; immutable. */
typedef struct
{
  gatomicrefcount  ref_count;
  guint            gen;               /* annotation_gen it was made under */
  GObjectClass    *klass;             /* unowned; identifies the class it was made for */
  gboolean         initable;          /* the type implements GInitable */
  gboolean         async_initable;    /* the type implements GAsyncInitable */
  gboolean         unowned;           /* the type is a GInitiallyUnowned */
  guint            n_writable;
  GParamSpec     **writable;          /* owned: every writable property */
  guint            n_items;
  HsPlanItem         items[];
} HsPlan;

/* Returns the current plan of @type; *@owned tells whether the caller got
 * a reference to drop (with _hs_plan_unref(); only for types of plugins). */
HsPlan *_hs_plan_get (GType         type,
                      GObjectClass *klass,
                      gboolean     *owned);

void _hs_plan_unref (HsPlan *plan);

/* The writable property @name of the plan's type, when @name is its
 * canonical name; NULL otherwise. */
GParamSpec *_hs_plan_find_writable (const HsPlan *plan,
                                    const char   *name);

G_END_DECLS
