/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ranking of SPEC rule 3 on its own (hopscotch/hs-precedence.c): context
 * specificity, singletons before types, recency, and that the winner does
 * not depend on the order of the candidates.
 */
#include "hs-precedence-private.h"

/* A chain of classes, Far → Near → Own, where Own implements Marked. */
typedef GTypeInterface PrecMarkedInterface;
static GType prec_marked_get_type (void);
G_DEFINE_INTERFACE (PrecMarked, prec_marked, G_TYPE_OBJECT)
static void prec_marked_default_init (PrecMarkedInterface *iface) { }

typedef struct { GObject parent_instance; } PrecFar;
typedef struct { GObjectClass parent_class; } PrecFarClass;
static GType prec_far_get_type (void);
G_DEFINE_TYPE (PrecFar, prec_far, G_TYPE_OBJECT)
static void prec_far_class_init (PrecFarClass *klass) { }
static void prec_far_init (PrecFar *self) { }

typedef struct { PrecFar parent_instance; } PrecNear;
typedef struct { PrecFarClass parent_class; } PrecNearClass;
static GType prec_near_get_type (void);
G_DEFINE_TYPE (PrecNear, prec_near, prec_far_get_type ())
static void prec_near_class_init (PrecNearClass *klass) { }
static void prec_near_init (PrecNear *self) { }

typedef struct { PrecNear parent_instance; } PrecOwn;
typedef struct { PrecNearClass parent_class; } PrecOwnClass;
static void prec_own_marked_init (PrecMarkedInterface *iface) { }
static GType prec_own_get_type (void);
G_DEFINE_TYPE_WITH_CODE (PrecOwn, prec_own, prec_near_get_type (),
                         G_IMPLEMENT_INTERFACE (prec_marked_get_type (), prec_own_marked_init))
static void prec_own_class_init (PrecOwnClass *klass) { }
static void prec_own_init (PrecOwn *self) { }

static void
test_context_specificity (void)
{
  GType own = prec_own_get_type ();
  int s_own = _hs_precedence_context_score (own, own);
  int s_near = _hs_precedence_context_score (prec_near_get_type (), own);
  int s_far = _hs_precedence_context_score (prec_far_get_type (), own);
  int s_object = _hs_precedence_context_score (G_TYPE_OBJECT, own);
  int s_iface = _hs_precedence_context_score (prec_marked_get_type (), own);
  int s_any = _hs_precedence_context_score (G_TYPE_INVALID, own);

  /* Own type > nearer ancestor > farther > any class > interface > any. */
  g_assert_cmpint (s_own, >, s_near);
  g_assert_cmpint (s_near, >, s_far);
  g_assert_cmpint (s_far, >, s_object);
  g_assert_cmpint (s_object, >, s_iface);
  g_assert_cmpint (s_iface, >, s_any);
  g_assert_cmpint (s_any, ==, 0);
}

static void
test_context_mismatch (void)
{
  /* A registration for a subclass, or an interface not implemented, never
   * answers; nor does any context type answer a lookup without context. */
  g_assert_cmpint (_hs_precedence_context_score (prec_own_get_type (), prec_near_get_type ()), ==, -1);
  g_assert_cmpint (_hs_precedence_context_score (prec_marked_get_type (), prec_near_get_type ()), ==, -1);
  g_assert_cmpint (_hs_precedence_context_score (prec_far_get_type (), G_TYPE_INVALID), ==, -1);
  g_assert_cmpint (_hs_precedence_context_score (G_TYPE_INVALID, G_TYPE_INVALID), ==, 0);
}

static void
test_singletons_then_recency (void)
{
  HsRank old_singleton = { 5, TRUE, 1 };
  HsRank new_type = { 5, FALSE, 9 };
  HsRank newer_type = { 5, FALSE, 10 };
  HsRank specific_type = { 6, FALSE, 2 };

  /* Singletons before types at the same specificity, however old. */
  g_assert_true (_hs_precedence_beats (&old_singleton, &new_type));
  g_assert_false (_hs_precedence_beats (&new_type, &old_singleton));

  /* Among equals the most recent. */
  g_assert_true (_hs_precedence_beats (&newer_type, &new_type));
  g_assert_false (_hs_precedence_beats (&new_type, &newer_type));

  /* Specificity first: a more specific type beats a singleton. */
  g_assert_true (_hs_precedence_beats (&specific_type, &old_singleton));
  g_assert_false (_hs_precedence_beats (&old_singleton, &specific_type));

  /* Nothing beats itself. */
  g_assert_false (_hs_precedence_beats (&new_type, &new_type));
}

/* The best of @ranks taken in the order @order, as a registry scans them. */
static guint
pick (const HsRank *ranks,
      const guint  *order,
      guint         n)
{
  guint best = order[0];

  for (guint i = 1; i < n; i++)
    if (_hs_precedence_beats (&ranks[order[i]], &ranks[best]))
      best = order[i];
  return best;
}

static void
permute (const HsRank *ranks,
         guint        *order,
         guint         k,
         guint         n,
         guint         expected,
         guint        *n_orders)
{
  if (k == n)
    {
      g_assert_cmpuint (pick (ranks, order, n), ==, expected);
      (*n_orders)++;
      return;
    }

  for (guint i = k; i < n; i++)
    {
      guint t = order[k]; order[k] = order[i]; order[i] = t;
      permute (ranks, order, k + 1, n, expected, n_orders);
      t = order[k]; order[k] = order[i]; order[i] = t;
    }
}

static void
test_order_independence (void)
{
  GType own = prec_own_get_type ();
  HsRank ranks[] = {
    { _hs_precedence_context_score (G_TYPE_INVALID, own), TRUE, 7 },
    { _hs_precedence_context_score (prec_far_get_type (), own), TRUE, 3 },
    { _hs_precedence_context_score (prec_near_get_type (), own), FALSE, 4 },
    { _hs_precedence_context_score (prec_near_get_type (), own), TRUE, 2 },
    { _hs_precedence_context_score (prec_near_get_type (), own), TRUE, 5 },
    { _hs_precedence_context_score (prec_marked_get_type (), own), TRUE, 8 },
  };
  guint order[G_N_ELEMENTS (ranks)];
  guint n_orders = 0;

  for (guint i = 0; i < G_N_ELEMENTS (ranks); i++)
    order[i] = i;

  /* The nearest ancestor's most recent singleton, in every order. */
  permute (ranks, order, 0, G_N_ELEMENTS (ranks), 4, &n_orders);
  g_assert_cmpuint (n_orders, ==, 720);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/precedence/context-specificity", test_context_specificity);
  g_test_add_func ("/precedence/context-mismatch", test_context_mismatch);
  g_test_add_func ("/precedence/singletons-then-recency", test_singletons_then_recency);
  g_test_add_func ("/precedence/order-independence", test_order_independence);

  return g_test_run ();
}
