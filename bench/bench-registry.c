/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Benchmarks of HsRegistry: each scenario is timed against its baseline in
 * the same run, in interleaved trials, and judged by the median of the
 * per-trial ratios, so that a noisy, shared machine slows both sides of a
 * pair alike. Also prints the memory a registration and a child registry
 * take (mallinfo2() deltas).
 *
 *   bench-registry [--json FILE] [--trials N] [--trial-ms MS] [--quick]
 *                  [--check] [NAME...]
 *
 * With NAMEs, only those scenarios run. With --check, the exit status is 1
 * when a ratio misses its target (off by default: a benchmark on a busy
 * machine is not a test).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hopscotch.h>

/* Types of the scenarios */

/* A type with nothing to inject: two int properties. */
#define BENCH_TYPE_PLAIN (bench_plain_get_type ())
G_DECLARE_FINAL_TYPE (BenchPlain, bench_plain, BENCH, PLAIN, GObject)
struct _BenchPlain { GObject parent_instance; int x, y; };
G_DEFINE_FINAL_TYPE (BenchPlain, bench_plain, G_TYPE_OBJECT)

static void
bench_plain_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  if (id == 1)
    BENCH_PLAIN (object)->x = g_value_get_int (value);
  else
    BENCH_PLAIN (object)->y = g_value_get_int (value);
}

static void
bench_plain_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_int (value, id == 1 ? BENCH_PLAIN (object)->x : BENCH_PLAIN (object)->y);
}

static void
bench_plain_class_init (BenchPlainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = bench_plain_set_property;
  object_class->get_property = bench_plain_get_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_int ("x", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, 2,
    g_param_spec_int ("y", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void bench_plain_init (BenchPlain *self) { }

/* Three dependencies, and a type with one object property of each. */
#define BENCH_TYPE_DEP_A (bench_dep_a_get_type ())
G_DECLARE_FINAL_TYPE (BenchDepA, bench_dep_a, BENCH, DEP_A, GObject)
struct _BenchDepA { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (BenchDepA, bench_dep_a, G_TYPE_OBJECT)
static void bench_dep_a_class_init (BenchDepAClass *klass) { }
static void bench_dep_a_init (BenchDepA *self) { }

#define BENCH_TYPE_DEP_B (bench_dep_b_get_type ())
G_DECLARE_FINAL_TYPE (BenchDepB, bench_dep_b, BENCH, DEP_B, GObject)
struct _BenchDepB { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (BenchDepB, bench_dep_b, G_TYPE_OBJECT)
static void bench_dep_b_class_init (BenchDepBClass *klass) { }
static void bench_dep_b_init (BenchDepB *self) { }

#define BENCH_TYPE_DEP_C (bench_dep_c_get_type ())
G_DECLARE_FINAL_TYPE (BenchDepC, bench_dep_c, BENCH, DEP_C, GObject)
struct _BenchDepC { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (BenchDepC, bench_dep_c, G_TYPE_OBJECT)
static void bench_dep_c_class_init (BenchDepCClass *klass) { }
static void bench_dep_c_init (BenchDepC *self) { }

/* What a lazy singleton and a scoped registration build: nothing to
 * inject, so that the scenarios time keeping, not building. */
#define BENCH_TYPE_LAZY (bench_lazy_get_type ())
G_DECLARE_FINAL_TYPE (BenchLazy, bench_lazy, BENCH, LAZY, GObject)
struct _BenchLazy { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (BenchLazy, bench_lazy, G_TYPE_OBJECT)
static void bench_lazy_class_init (BenchLazyClass *klass) { }
static void bench_lazy_init (BenchLazy *self) { }

#define BENCH_TYPE_SCOPED (bench_scoped_get_type ())
G_DECLARE_FINAL_TYPE (BenchScoped, bench_scoped, BENCH, SCOPED, GObject)
struct _BenchScoped { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (BenchScoped, bench_scoped, G_TYPE_OBJECT)
static void bench_scoped_class_init (BenchScopedClass *klass) { }
static void bench_scoped_init (BenchScoped *self) { }

#define BENCH_TYPE_INJECT3 (bench_inject3_get_type ())
G_DECLARE_FINAL_TYPE (BenchInject3, bench_inject3, BENCH, INJECT3, GObject)
struct _BenchInject3 { GObject parent_instance; GObject *deps[3]; };
G_DEFINE_FINAL_TYPE (BenchInject3, bench_inject3, G_TYPE_OBJECT)

static void
bench_inject3_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  g_set_object (&BENCH_INJECT3 (object)->deps[id - 1], g_value_get_object (value));
}

static void
bench_inject3_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, BENCH_INJECT3 (object)->deps[id - 1]);
}

static void
bench_inject3_dispose (GObject *object)
{
  for (guint i = 0; i < 3; i++)
    g_clear_object (&BENCH_INJECT3 (object)->deps[i]);
  G_OBJECT_CLASS (bench_inject3_parent_class)->dispose (object);
}

static void
bench_inject3_class_init (BenchInject3Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = bench_inject3_set_property;
  object_class->get_property = bench_inject3_get_property;
  object_class->dispose = bench_inject3_dispose;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("a", NULL, NULL, BENCH_TYPE_DEP_A,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, 2,
    g_param_spec_object ("b", NULL, NULL, BENCH_TYPE_DEP_B,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, 3,
    g_param_spec_object ("c", NULL, NULL, BENCH_TYPE_DEP_C,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void bench_inject3_init (BenchInject3 *self) { }

/* The least a child registry can cost: a GObject with the two object
 * properties of SPEC 1, parent and context, made as hs_registry_new()
 * makes a registry (the fields set directly, not through the
 * properties). */
#define BENCH_TYPE_SHAPE (bench_shape_get_type ())
G_DECLARE_FINAL_TYPE (BenchShape, bench_shape, BENCH, SHAPE, GObject)
struct _BenchShape { GObject parent_instance; GObject *parent, *context; };
G_DEFINE_FINAL_TYPE (BenchShape, bench_shape, G_TYPE_OBJECT)

static void
bench_shape_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  if (id == 1)
    BENCH_SHAPE (object)->parent = g_value_dup_object (value);
  else
    BENCH_SHAPE (object)->context = g_value_dup_object (value);
}

static void
bench_shape_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, id == 1 ? BENCH_SHAPE (object)->parent : BENCH_SHAPE (object)->context);
}

static void
bench_shape_dispose (GObject *object)
{
  g_clear_object (&BENCH_SHAPE (object)->parent);
  g_clear_object (&BENCH_SHAPE (object)->context);
  G_OBJECT_CLASS (bench_shape_parent_class)->dispose (object);
}

static void
bench_shape_class_init (BenchShapeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = bench_shape_set_property;
  object_class->get_property = bench_shape_get_property;
  object_class->dispose = bench_shape_dispose;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("parent", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, 2,
    g_param_spec_object ("context", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void bench_shape_init (BenchShape *self) { }

/* Contexts: Ctx0 ← Ctx1 ← Ctx2 ← Ctx3 ← Ctx4 (4 levels below Ctx0), with
 * an interface on Ctx2, and an unrelated Other. */
#define BENCH_TYPE_TAGGED (bench_tagged_get_type ())
G_DECLARE_INTERFACE (BenchTagged, bench_tagged, BENCH, TAGGED, GObject)
struct _BenchTaggedInterface { GTypeInterface parent_iface; };
G_DEFINE_INTERFACE (BenchTagged, bench_tagged, G_TYPE_OBJECT)
static void bench_tagged_default_init (BenchTaggedInterface *iface) { }

#define DEFINE_CTX(Name, name, NAME, Parent) \
  G_DECLARE_DERIVABLE_TYPE (Name, name, BENCH, NAME, GObject) \
  struct _##Name##Class { GObjectClass parent_class; }; \
  G_DEFINE_TYPE (Name, name, Parent) \
  static void name##_class_init (Name##Class *klass) { } \
  static void name##_init (Name *self) { }

#define BENCH_TYPE_CTX0 (bench_ctx0_get_type ())
DEFINE_CTX (BenchCtx0, bench_ctx0, CTX0, G_TYPE_OBJECT)
#define BENCH_TYPE_CTX1 (bench_ctx1_get_type ())
DEFINE_CTX (BenchCtx1, bench_ctx1, CTX1, BENCH_TYPE_CTX0)
#define BENCH_TYPE_CTX2 (bench_ctx2_get_type ())
G_DECLARE_DERIVABLE_TYPE (BenchCtx2, bench_ctx2, BENCH, CTX2, GObject)
struct _BenchCtx2Class { GObjectClass parent_class; };
G_DEFINE_TYPE_WITH_CODE (BenchCtx2, bench_ctx2, BENCH_TYPE_CTX1,
                         G_IMPLEMENT_INTERFACE (BENCH_TYPE_TAGGED, NULL))
static void bench_ctx2_class_init (BenchCtx2Class *klass) { }
static void bench_ctx2_init (BenchCtx2 *self) { }
#define BENCH_TYPE_CTX3 (bench_ctx3_get_type ())
DEFINE_CTX (BenchCtx3, bench_ctx3, CTX3, BENCH_TYPE_CTX2)
#define BENCH_TYPE_CTX4 (bench_ctx4_get_type ())
DEFINE_CTX (BenchCtx4, bench_ctx4, CTX4, BENCH_TYPE_CTX3)
#define BENCH_TYPE_OTHER (bench_other_get_type ())
DEFINE_CTX (BenchOther, bench_other, OTHER, G_TYPE_OBJECT)

/* Shared state of the scenarios */

/* Not API: makes every answer cached by any thread stale, as each change in
 * a registry with children does (exported for the tests and this
 * benchmark). The cold scenarios call it before each get. */
extern void _hs_index_invalidate_answers (void);

/* Keeps results alive for the compiler; one per thread, or the threads
 * scenarios would measure the sharing of this variable. */
static __thread volatile gsize sink;

static HsRegistry *root;              /* singleton A, B, C; types Plain, Inject3;
                                       * lazy singleton Lazy; scoped Scoped */
static HsRegistry *scope;             /* a child of root that built its Scoped */
static HsRegistry *deep;              /* 16 levels below root, warm */
static HsRegistry *small;             /* DepA + 10 other registrations */
static HsRegistry *big;               /* DepA + 100,000 other registrations */
static HsRegistry *ctx_registry;      /* 8 context-specific singletons of DepA */
/* unregister-100k: registrations of one kind, and their ids, oldest first
 * from the cursor on. */
typedef struct
{
  HsRegistry *registry;
  guint      *ids;
  guint       n;
  guint       cursor;
} Population;

static Population unreg_small;        /* 1,000 registrations of Plain */
static Population unreg_big;          /* 100,000 registrations of Plain */
/* cold-same-kind: DepA registered 10 or 100,000 times (types and
 * instances, with various contexts) in a registry of its own. */
static HsRegistry *cold_small, *cold_big;
/* cold-depth-1024: the bottom of a chain of 1,024 empty children of root. */
static HsRegistry *cold_deep;
/* rotate-K: 1,000 singletons of 1,000 kinds of their own in one registry;
 * miss-threads-2: 5,000 more for each of its threads, in the same one. */
#define ROTATE_KINDS 1000
#define MISS_KINDS 5000
#define ROTATE_MAX (ROTATE_KINDS + 2 * MISS_KINDS)
static HsRegistry *rotate_registry;
static GType rotate_kinds[ROTATE_MAX];
static GObject *rotate_objects[ROTATE_MAX];
static GObject *dep_a, *dep_b, *dep_c;
static GObject *ctx4;
static GHashTable *table;             /* 100 entries keyed by GType */
static GPtrArray *fillers;            /* see setup () */
/* Live lists (SPEC 11): get-singleton-100-lists gets DepA from "listed",
 * watched by 100 lists of other kinds, against "unlisted", the same
 * registry with none; register-listed registers and unregisters a Plain
 * in "listed", watched by a list of Plain too, against "unlisted". */
static HsRegistry *listed, *unlisted;
static GPtrArray *lists;              /* GListModel (owned) */

static void
die_on_error (GError *error)
{
  if (error != NULL)
    g_error ("%s", error->message);
}

static void
get_and_drop (HsRegistry *registry,
              GType       kind,
              GObject    *context)
{
  GError *error = NULL;
  GObject *object = hs_registry_get (registry, kind, context, &error);

  if G_UNLIKELY (object == NULL)
    die_on_error (error);
  sink += GPOINTER_TO_SIZE (object);
  g_object_unref (object);
}

/* The loops: each runs @n operations. */

/* @n gets of @kind from @registry. */
static void
get_many (HsRegistry *registry,
          GType       kind,
          GObject    *context,
          guint64     n)
{
  for (guint64 i = 0; i < n; i++)
    get_and_drop (registry, kind, context);
}

static void
run_hash_lookup (guint64 n)
{
  gpointer key = GSIZE_TO_POINTER (BENCH_TYPE_DEP_A);

  for (guint64 i = 0; i < n; i++)
    sink += GPOINTER_TO_SIZE (g_hash_table_lookup (table, key));
}

static void
run_get_singleton (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    get_and_drop (root, BENCH_TYPE_DEP_A, NULL);
}

/* A peek borrows the singleton: no reference to take or drop. */
static void
run_peek (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    {
      GError *error = NULL;
      GObject *object = hs_registry_peek (root, BENCH_TYPE_DEP_A, NULL, &error);

      if G_UNLIKELY (object == NULL)
        die_on_error (error);
      sink += GPOINTER_TO_SIZE (object);
    }
}

static void
run_get_lazy_singleton (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    get_and_drop (root, BENCH_TYPE_LAZY, NULL);
}

static void
run_get_scoped (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    get_and_drop (scope, BENCH_TYPE_SCOPED, NULL);
}

static void
run_object_new_plain (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    {
      GObject *object = g_object_new (BENCH_TYPE_PLAIN, NULL);

      sink += GPOINTER_TO_SIZE (object);
      g_object_unref (object);
    }
}

static void
run_get_new (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    get_and_drop (root, BENCH_TYPE_PLAIN, NULL);
}

static void
run_object_new_inject3 (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    {
      GObject *object = g_object_new (BENCH_TYPE_INJECT3,
                                      "a", dep_a, "b", dep_b, "c", dep_c,
                                      NULL);

      sink += GPOINTER_TO_SIZE (object);
      g_object_unref (object);
    }
}

static void
run_get_inject3 (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    get_and_drop (root, BENCH_TYPE_INJECT3, NULL);
}

static const char *props_names[] = { "x", "y" };
static GValue props_values[2] = { G_VALUE_INIT, G_VALUE_INIT };

static void
run_object_new_props2 (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    {
      GObject *object = g_object_new_with_properties (BENCH_TYPE_PLAIN, 2,
                                                      props_names, props_values);

      sink += GPOINTER_TO_SIZE (object);
      g_object_unref (object);
    }
}

static void
run_get_props2 (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    {
      GError *error = NULL;
      GObject *object = hs_registry_get_with_properties (root, BENCH_TYPE_PLAIN, NULL, 2,
                                                         props_names, props_values,
                                                         &error);

      if G_UNLIKELY (object == NULL)
        die_on_error (error);
      sink += GPOINTER_TO_SIZE (object);
      g_object_unref (object);
    }
}

static void
run_request (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    {
      HsRegistry *child = hs_registry_new (root, ctx4);

      get_and_drop (child, BENCH_TYPE_PLAIN, NULL);
      g_object_unref (child);
    }
}

static void
run_request_scoped (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    {
      HsRegistry *child = hs_registry_new (root, ctx4);

      get_and_drop (child, BENCH_TYPE_SCOPED, NULL);
      hs_registry_close (child);
      g_object_unref (child);
    }
}

/* request's floor: a registry-shaped GObject made and dropped around a
 * g_object_new() of the type, with no registry work at all. */
static void
run_request_floor (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    {
      BenchShape *shape = (BenchShape *) g_object_new_with_properties (BENCH_TYPE_SHAPE, 0, NULL, NULL);
      GObject *object;

      shape->parent = g_object_ref (G_OBJECT (root));
      shape->context = g_object_ref (ctx4);
      object = g_object_new (BENCH_TYPE_PLAIN, NULL);
      sink += GPOINTER_TO_SIZE (object);
      g_object_unref (object);
      g_object_unref (shape);
    }
}

static void
run_depth16 (guint64 n)
{
  for (guint64 i = 0; i < n; i++)
    get_and_drop (deep, BENCH_TYPE_DEP_A, NULL);
}

static void run_scale_small (guint64 n) { get_many (small, BENCH_TYPE_DEP_A, NULL, n); }

static void run_scale_big (guint64 n) { get_many (big, BENCH_TYPE_DEP_A, NULL, n); }

static void run_context_match (guint64 n) { get_many (ctx_registry, BENCH_TYPE_DEP_A, ctx4, n); }

/* unregister-100k: unregister the oldest registration of the kind and
 * register a new one, so that the population stays the same. */
static void
replace_oldest (Population *p,
                guint64     n)
{
  GError *error = NULL;

  for (guint64 i = 0; i < n; i++)
    {
      if (!hs_registry_unregister (p->registry, p->ids[p->cursor]))
        g_error ("unregister failed");
      p->ids[p->cursor] = hs_registry_register_type (p->registry, BENCH_TYPE_PLAIN,
                                                     G_TYPE_INVALID, G_TYPE_INVALID, &error);
      die_on_error (error);
      p->cursor = (p->cursor + 1) % p->n;
    }
}

static void run_unregister_big (guint64 n) { replace_oldest (&unreg_big, n); }
static void run_unregister_small (guint64 n) { replace_oldest (&unreg_small, n); }

static void
population_init (Population *p,
                 guint       n)
{
  GError *error = NULL;

  p->registry = hs_registry_new (NULL, NULL);
  p->ids = g_new (guint, n);
  p->n = n;
  p->cursor = 0;
  for (guint i = 0; i < n; i++)
    {
      p->ids[i] = hs_registry_register_type (p->registry, BENCH_TYPE_PLAIN,
                                             G_TYPE_INVALID, G_TYPE_INVALID, &error);
      die_on_error (error);
    }
}

static void
population_clear (Population *p)
{
  g_clear_object (&p->registry);
  g_clear_pointer (&p->ids, g_free);
}

/* cold-same-kind and cold-depth-1024: a get right after a change (every
 * cached answer stale). cold-same-kind gets among 10 or 100,000
 * registrations of the kind asked for, with Ctx4 as the lookup context so
 * that contexts rank; cold-depth-1024 from 1,024 levels below the registry
 * that answers, against a cold get in that registry itself. */
static void
run_cold (HsRegistry *registry,
          GObject    *context,
          guint64     n)
{
  for (guint64 i = 0; i < n; i++)
    {
      _hs_index_invalidate_answers ();
      get_and_drop (registry, BENCH_TYPE_DEP_A, context);
    }
}

static void run_cold_small (guint64 n) { run_cold (cold_small, ctx4, n); }
static void run_cold_big (guint64 n) { run_cold (cold_big, ctx4, n); }
static void run_cold_depth_1024 (guint64 n) { run_cold (cold_deep, NULL, n); }
static void run_cold_depth_0 (guint64 n) { run_cold (root, NULL, n); }

/* rotate-K: gets of K singletons of K kinds in turn, each warm once the
 * thread's cache holds them all. */
static void
run_rotate (guint   k,
            guint64 n)
{
  guint j = 0;

  for (guint64 i = 0; i < n; i++)
    {
      get_and_drop (rotate_registry, rotate_kinds[j], NULL);
      if (++j == k)
        j = 0;
    }
}

static void run_rotate_100 (guint64 n) { run_rotate (100, n); }
static void run_rotate_1000 (guint64 n) { run_rotate (1000, n); }

static void
rotate_setup (void)
{
  GError *error = NULL;

  rotate_registry = hs_registry_new (NULL, NULL);
  for (guint i = 0; i < ROTATE_MAX; i++)
    {
      g_autofree char *name = g_strdup_printf ("BenchRotate%u", i);

      rotate_kinds[i] = g_type_register_static_simple (G_TYPE_OBJECT, name,
                                                       sizeof (GObjectClass), NULL,
                                                       sizeof (GObject), NULL, 0);
      rotate_objects[i] = g_object_new (rotate_kinds[i], NULL);
      /* Apart, as singletons made at different times are. */
      g_ptr_array_add (fillers, g_malloc (64));
      hs_registry_register_instance (rotate_registry, rotate_objects[i],
                                     G_TYPE_INVALID, G_TYPE_INVALID, &error);
      die_on_error (error);
    }
}

/* cold-same-kind's population: DepA as a type and as the instance dep_a, in
 * turn, with the contexts of add_other(). */
static HsRegistry *
cold_registry (guint n)
{
  GType contexts[] = {
    BENCH_TYPE_CTX0, BENCH_TYPE_CTX1, BENCH_TYPE_CTX2, BENCH_TYPE_CTX3,
    BENCH_TYPE_CTX4, BENCH_TYPE_TAGGED, BENCH_TYPE_OTHER, G_TYPE_INVALID,
  };
  HsRegistry *registry = hs_registry_new (NULL, NULL);
  GError *error = NULL;

  for (guint i = 0; i < n; i++)
    {
      GType context = contexts[(i / 2) % G_N_ELEMENTS (contexts)];

      if (i % 2)
        hs_registry_register_instance (registry, dep_a, G_TYPE_INVALID, context, &error);
      else
        hs_registry_register_type (registry, BENCH_TYPE_DEP_A, G_TYPE_INVALID, context, &error);
      die_on_error (error);
    }
  return registry;
}

/* miss-threads-2: gets that miss the thread's cache and resolve in a
 * registry that both threads share, nothing else shared: each thread gets
 * 5,000 singletons of kinds of its own in turn, more answers than a
 * thread's cache holds (hs-answer-cache-private.h), so that every get
 * misses. */
static void
run_miss (guint   thread,
          guint64 n)
{
  const GType *kinds = &rotate_kinds[ROTATE_KINDS + thread * MISS_KINDS];
  guint j = 0;

  for (guint64 i = 0; i < n; i++)
    {
      get_and_drop (rotate_registry, kinds[j], NULL);
      if (++j == MISS_KINDS)
        j = 0;
    }
}

/* threads-2: the get-singleton loop on 1 or 2 threads at once; the time of
 * a trial is the wall time until the last thread is done. Each side does
 * the same total work, so the ratio of times is the ratio of throughputs.
 *
 * Every get of a singleton returns a new reference to the same object, so
 * two threads contend for its reference count whatever the registry does:
 * threads-2-distinct (each thread its own singleton, from the same
 * registry) shows the registry's own scaling, floor-threads-2 what
 * g_object_ref() and g_object_unref() of one object allow at best, and
 * ideal-threads-2 (nothing shared) how many cores the machine gives now. */

/* Two singletons whose reference counts lie at least 128 bytes apart (no
 * false sharing: threads-2-distinct), and two whose reference counts share
 * a 64-byte cache line (threads-2-same-line): where objects land is the
 * allocator's choice, so place_pairs() picks them from a pool. Each pair is
 * registered, DepA and DepB, in a registry of its own. */
static GObject *apart[2], *same_line[2];
static HsRegistry *apart_registry, *same_line_registry;

typedef enum
{
  THREADS_SAME,                       /* every thread gets DepA */
  THREADS_DISTINCT,                   /* thread i gets DepA or DepB, apart */
  THREADS_SAME_LINE,                  /* the same, reference counts on one line */
  THREADS_REF_ONLY,                   /* g_object_ref/unref of dep_a, no registry */
  THREADS_IDEAL,                      /* no shared memory at all */
  THREADS_PEEK,                       /* every thread peeks DepA */
  THREADS_MISS,                       /* thread i: run_miss (i) */
} ThreadsMode;

typedef struct
{
  guint64      n;
  gint        *go;
  ThreadsMode  mode;
  guint        index;
} ThreadArgs;

static gpointer
thread_main (gpointer data)
{
  ThreadArgs *args = data;
  GType kinds[] = { BENCH_TYPE_DEP_A, BENCH_TYPE_DEP_B };

  while (!g_atomic_int_get (args->go))
    ;

  switch (args->mode)
    {
    case THREADS_REF_ONLY:
      for (guint64 i = 0; i < args->n; i++)
        {
          g_object_ref (dep_a);
          g_object_unref (dep_a);
        }
      break;
    case THREADS_IDEAL:
      for (guint64 i = 0; i < args->n; i++)
        {
          GObject *object = g_malloc (32);

          sink += GPOINTER_TO_SIZE (object);
          g_free (object);
        }
      break;
    case THREADS_DISTINCT:
    case THREADS_SAME_LINE:
      {
        HsRegistry *registry = args->mode == THREADS_DISTINCT ? apart_registry : same_line_registry;

        for (guint64 i = 0; i < args->n; i++)
          get_and_drop (registry, kinds[args->index % G_N_ELEMENTS (kinds)], NULL);
      }
      break;
    case THREADS_PEEK:
      run_peek (args->n);
      break;
    case THREADS_MISS:
      run_miss (args->index, args->n);
      break;
    case THREADS_SAME:
    default:
      run_get_singleton (args->n);
      break;
    }

  return NULL;
}

static void
run_threads (guint       n_threads,
             guint64     n,
             ThreadsMode mode)
{
  GThread *threads[2];
  ThreadArgs args[2];
  gint go = 0;

  for (guint t = 0; t < n_threads; t++)
    {
      args[t].n = n / n_threads;
      args[t].go = &go;
      args[t].mode = mode;
      args[t].index = t;
      threads[t] = g_thread_new ("bench", thread_main, &args[t]);
    }
  g_atomic_int_set (&go, 1);
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
}

static void run_threads_1 (guint64 n) { run_threads (1, n, THREADS_SAME); }
static void run_threads_2 (guint64 n) { run_threads (2, n, THREADS_SAME); }
static void run_threads_2_distinct (guint64 n) { run_threads (2, n, THREADS_DISTINCT); }
static void run_threads_2_same_line (guint64 n) { run_threads (2, n, THREADS_SAME_LINE); }
static void run_peek_threads_1 (guint64 n) { run_threads (1, n, THREADS_PEEK); }
static void run_peek_threads_2 (guint64 n) { run_threads (2, n, THREADS_PEEK); }
static void run_miss_threads_1 (guint64 n) { run_threads (1, n, THREADS_MISS); }
static void run_miss_threads_2 (guint64 n) { run_threads (2, n, THREADS_MISS); }

static guintptr
ref_count_line (GObject *object,
                guint    line_size)
{
  return (guintptr) &object->ref_count / line_size;
}

static HsRegistry *
pair_registry (GObject *pair[2])
{
  HsRegistry *registry = hs_registry_new (NULL, NULL);
  GError *error = NULL;

  hs_registry_register_instance (registry, pair[0], G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_instance (registry, pair[1], G_TYPE_INVALID, G_TYPE_INVALID, &error);
  die_on_error (error);
  return registry;
}

static void
place_pairs (void)
{
  GPtrArray *pool = g_ptr_array_new_with_free_func (g_object_unref);

  /* DepA and DepB in turn: same-sized objects, which the allocator puts
   * side by side, and now and then far apart. */
  for (guint i = 0; i < 512; i++)
    g_ptr_array_add (pool, g_object_new (i % 2 ? BENCH_TYPE_DEP_B : BENCH_TYPE_DEP_A, NULL));

  for (guint i = 0; i < pool->len; i += 2)
    for (guint j = 1; j < pool->len; j += 2)
      {
        GObject *a = g_ptr_array_index (pool, i);
        GObject *b = g_ptr_array_index (pool, j);

        if (apart[0] == NULL &&
            ref_count_line (a, 128) != ref_count_line (b, 128) &&
            ref_count_line (a, 128) + 1 != ref_count_line (b, 128) &&
            ref_count_line (b, 128) + 1 != ref_count_line (a, 128))
          {
            apart[0] = g_object_ref (a);
            apart[1] = g_object_ref (b);
          }
        if (same_line[0] == NULL && ref_count_line (a, 64) == ref_count_line (b, 64))
          {
            same_line[0] = g_object_ref (a);
            same_line[1] = g_object_ref (b);
          }
      }

  g_ptr_array_unref (pool);
  if (apart[0] == NULL || same_line[0] == NULL)
    {
      g_printerr ("Cannot place the objects of threads-2-distinct and threads-2-same-line\n");
      exit (1);
    }
  apart_registry = pair_registry (apart);
  same_line_registry = pair_registry (same_line);
}
static void run_ref_1 (guint64 n) { run_threads (1, n, THREADS_REF_ONLY); }
static void run_ref_2 (guint64 n) { run_threads (2, n, THREADS_REF_ONLY); }
static void run_ideal_1 (guint64 n) { run_threads (1, n, THREADS_IDEAL); }
static void run_ideal_2 (guint64 n) { run_threads (2, n, THREADS_IDEAL); }

static void run_get_singleton_listed (guint64 n) { get_many (listed, BENCH_TYPE_DEP_A, NULL, n); }

static void run_get_singleton_unlisted (guint64 n) { get_many (unlisted, BENCH_TYPE_DEP_A, NULL, n); }

static void
register_and_unregister (HsRegistry *registry,
                         guint64     n)
{
  for (guint64 i = 0; i < n; i++)
    {
      GError *error = NULL;
      guint id = hs_registry_register_type (registry, BENCH_TYPE_PLAIN, G_TYPE_INVALID,
                                            G_TYPE_INVALID, &error);

      die_on_error (error);
      hs_registry_unregister (registry, id);
    }
}

static void run_register_listed (guint64 n) { register_and_unregister (listed, n); }
static void run_register_unlisted (guint64 n) { register_and_unregister (unlisted, n); }

/* The 100 lists of other kinds, and one of Plain. */
static void
setup_lists (void)
{
  GError *error = NULL;

  listed = hs_registry_new (NULL, NULL);
  unlisted = hs_registry_new (NULL, NULL);
  hs_registry_register_instance (listed, dep_a, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_instance (unlisted, dep_a, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  die_on_error (error);

  lists = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 100; i++)
    {
      char *name = g_strdup_printf ("BenchListedKind%u", i);
      GType kind = g_type_register_static_simple (G_TYPE_OBJECT, g_intern_string (name),
                                                  sizeof (GObjectClass), NULL,
                                                  sizeof (GObject), NULL, 0);

      g_ptr_array_add (lists, hs_registry_list (listed, kind, NULL));
      g_free (name);
    }
  g_ptr_array_add (lists, hs_registry_list (listed, BENCH_TYPE_PLAIN, NULL));
}

/* Set-up */

/* The @i-th of the "other" registrations of the scale scenarios: of other
 * kinds, types and singletons, with various contexts. */
static void
add_other (HsRegistry *registry,
           guint       i)
{
  GType contexts[] = {
    BENCH_TYPE_CTX0, BENCH_TYPE_CTX1, BENCH_TYPE_CTX2, BENCH_TYPE_CTX3,
    BENCH_TYPE_CTX4, BENCH_TYPE_TAGGED, BENCH_TYPE_OTHER, G_TYPE_INVALID,
  };
  GType context = contexts[(i / 3) % G_N_ELEMENTS (contexts)];
  GError *error = NULL;

  switch (i % 3)
    {
    case 0:
      hs_registry_register_type (registry, BENCH_TYPE_PLAIN, G_TYPE_INVALID, context, &error);
      break;
    case 1:
      hs_registry_register_instance (registry, dep_b, G_TYPE_INVALID, context, &error);
      break;
    default:
      hs_registry_register_instance (registry, dep_c, G_TYPE_INVALID, context, &error);
      break;
    }
  die_on_error (error);
}

/* The bottom of a chain of @depth new children below @registry: each
 * child keeps its parent alive. */
static HsRegistry *
descendant (HsRegistry *registry,
            guint       depth)
{
  HsRegistry *parent = g_object_ref (registry);

  for (guint i = 0; i < depth; i++)
    {
      HsRegistry *child = hs_registry_new (parent, NULL);

      g_object_unref (parent);
      parent = child;
    }
  return parent;
}

static void
setup (void)
{
  GError *error = NULL;
  GType ctx_types[] = {
    BENCH_TYPE_CTX2, BENCH_TYPE_CTX4, BENCH_TYPE_TAGGED, BENCH_TYPE_OTHER,
    G_TYPE_OBJECT, BENCH_TYPE_CTX0, BENCH_TYPE_CTX3, BENCH_TYPE_CTX1,
  };

  fillers = g_ptr_array_new_with_free_func (g_free);
  /* Singletons of an application are made at different times, not next to
   * each other: keep their reference counts on different cache lines (no
   * false sharing in threads-2-distinct). */
  for (guint i = 0; i < 3; i++)
    {
      GObject **dep = i == 0 ? &dep_a : i == 1 ? &dep_b : &dep_c;
      GType types[] = { BENCH_TYPE_DEP_A, BENCH_TYPE_DEP_B, BENCH_TYPE_DEP_C };

      *dep = g_object_new (types[i], NULL);
      g_ptr_array_add (fillers, g_malloc (256));
    }
  ctx4 = g_object_new (BENCH_TYPE_CTX4, NULL);
  place_pairs ();

  table = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (table, GSIZE_TO_POINTER (BENCH_TYPE_DEP_A), dep_a);
  for (gsize i = 1; g_hash_table_size (table) < 100; i++)
    g_hash_table_insert (table, GSIZE_TO_POINTER (BENCH_TYPE_DEP_A + i * 8), dep_b);

  /* Inject3's properties are plain read-write: dependencies only once
   * marked (SPEC 4). */
  for (guint i = 0; i < 3; i++)
    hs_inject_auto (BENCH_TYPE_INJECT3, (const char *[]) { "a", "b", "c" }[i], &error);
  die_on_error (error);

  root = hs_registry_new (NULL, NULL);
  hs_registry_register_instance (root, dep_a, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_instance (root, dep_b, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_instance (root, dep_c, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (root, BENCH_TYPE_PLAIN, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (root, BENCH_TYPE_INJECT3, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type_full (root, BENCH_TYPE_LAZY, G_TYPE_INVALID, G_TYPE_INVALID,
                                  HS_LIFETIME_SINGLETON, &error);
  hs_registry_register_type_full (root, BENCH_TYPE_SCOPED, G_TYPE_INVALID, G_TYPE_INVALID,
                                  HS_LIFETIME_SCOPED, &error);
  die_on_error (error);

  /* root now has children: create them only after registering, as an
   * application sets up its root at startup. */
  deep = descendant (root, 16);

  /* Built once, before the timing: get-lazy-singleton and get-scoped time
   * the gets that follow. */
  scope = hs_registry_new (root, NULL);
  get_and_drop (root, BENCH_TYPE_LAZY, NULL);
  get_and_drop (scope, BENCH_TYPE_SCOPED, NULL);

  /* scale: the same singleton among 10, or 100,000, other registrations of
   * other kinds and contexts. */
  small = hs_registry_new (NULL, NULL);
  big = hs_registry_new (NULL, NULL);
  for (guint i = 0; i < 100000; i++)
    {
      if (i < 10)
        add_other (small, i);
      add_other (big, i);
    }
  hs_registry_register_instance (small, dep_a, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_instance (big, dep_a, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  die_on_error (error);

  cold_small = cold_registry (10);
  cold_big = cold_registry (100000);
  cold_deep = descendant (root, 1024);
  rotate_setup ();

  population_init (&unreg_small, 1000);
  population_init (&unreg_big, 100000);

  /* context-match: DepA for 8 context types, of which 7 match Ctx4; Ctx4
   * itself must win. */
  ctx_registry = hs_registry_new (NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ctx_types); i++)
    {
      GObject *instance = g_object_new (BENCH_TYPE_DEP_A, NULL);

      hs_registry_register_instance (ctx_registry, instance, G_TYPE_INVALID, ctx_types[i], &error);
      die_on_error (error);
      g_object_unref (instance);
    }

  setup_lists ();

  g_value_init (&props_values[0], G_TYPE_INT);
  g_value_set_int (&props_values[0], 1);
  g_value_init (&props_values[1], G_TYPE_INT);
  g_value_set_int (&props_values[1], 2);

  /* Sanity: the scenarios measure what they claim to. */
  {
    BenchInject3 *injected = hs_registry_get (root, BENCH_TYPE_INJECT3, NULL, &error);
    HsRegistration *winner = hs_registry_lookup (ctx_registry, BENCH_TYPE_DEP_A, ctx4);

    die_on_error (error);
    g_assert (injected->deps[0] == dep_a && injected->deps[1] == dep_b && injected->deps[2] == dep_c);
    g_assert (hs_registration_get_context_type (winner) == BENCH_TYPE_CTX4);
    g_object_unref (injected);
    g_object_unref (winner);
  }
}

static void
teardown (void)
{
  g_clear_object (&deep);
  g_clear_object (&scope);
  g_clear_object (&root);
  g_clear_object (&small);
  g_clear_object (&big);
  g_clear_object (&ctx_registry);
  g_clear_pointer (&lists, g_ptr_array_unref);
  g_clear_object (&listed);
  g_clear_object (&unlisted);
  g_clear_object (&cold_small);
  g_clear_object (&cold_big);
  g_clear_object (&cold_deep);
  g_clear_object (&rotate_registry);
  for (guint i = 0; i < ROTATE_MAX; i++)
    g_clear_object (&rotate_objects[i]);
  population_clear (&unreg_small);
  population_clear (&unreg_big);
  g_clear_object (&dep_a);
  g_clear_object (&dep_b);
  g_clear_object (&dep_c);
  g_clear_object (&apart_registry);
  g_clear_object (&same_line_registry);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&apart[i]);
      g_clear_object (&same_line[i]);
    }
  g_clear_object (&ctx4);
  g_clear_pointer (&table, g_hash_table_unref);
  g_clear_pointer (&fillers, g_ptr_array_unref);
  g_value_unset (&props_values[0]);
  g_value_unset (&props_values[1]);
}

/* Timing */

typedef void (*RunFunc) (guint64 n);

typedef struct
{
  const char *name;
  const char *what;
  RunFunc     run;
  const char *baseline;
  RunFunc     run_baseline;
  double      target;                 /* < 0: at most -target ns per operation */
  gboolean    higher_is_better;       /* ratio = baseline / scenario */
} Scenario;

static const Scenario scenarios[] = {
  { "get-singleton", "get of a singleton in the same registry",
    run_get_singleton, "g_hash_table_lookup (100 entries)", run_hash_lookup, 8.0, FALSE },
  { "get-new", "get of a type with nothing to inject",
    run_get_new, "g_object_new", run_object_new_plain, 1.15, FALSE },
  { "get-inject-3", "get of a type, 3 object properties injected from singletons",
    run_get_inject3, "g_object_new with the 3 objects", run_object_new_inject3, 1.3, FALSE },
  { "get-props-2", "get_with_properties with 2 props",
    run_get_props2, "g_object_new_with_properties (2)", run_object_new_props2, 1.15, FALSE },
  { "request", "new child with a context, one get of a type, drop the child",
    run_request, "g_object_new", run_object_new_plain, 2.2, FALSE },
  { "get-lazy-singleton", "get of a lazy singleton, built already",
    run_get_lazy_singleton, "get-singleton", run_get_singleton, 1.1, FALSE },
  { "get-scoped", "get of a scoped object in a child that built it already",
    run_get_scoped, "get-singleton", run_get_singleton, 1.2, FALSE },
  { "request-scoped", "new child with a context, one get of a scoped type, close, drop",
    run_request_scoped, "request", run_request, 1.3, FALSE },
  { "depth-16", "get of a root singleton from 16 levels down (warm)",
    run_depth16, "get-singleton", run_get_singleton, 1.1, FALSE },
  { "scale-100k", "get-singleton with 100,000 other registrations",
    run_scale_big, "get-singleton with 10", run_scale_small, 1.2, FALSE },
  { "threads-2", "get-singleton throughput, 2 threads",
    run_threads_2, "1 thread", run_threads_1, 1.6, TRUE },
  { "context-match", "get among 8 context-specific registrations, context 4 deep",
    run_context_match, "get-singleton", run_get_singleton, 1.5, FALSE },
  { "unregister-100k", "unregister (and register again) among 100,000 of one kind",
    run_unregister_big, "among 1,000", run_unregister_small, 1.5, FALSE },
  { "threads-2-distinct", "threads-2, each thread its own singleton, reference counts ≥ 128 B apart",
    run_threads_2_distinct, "1 thread", run_threads_1, 1.8, TRUE },
  { "peek", "peek of a singleton in the same registry (no reference taken)",
    run_peek, "get-singleton", run_get_singleton, 1.0, FALSE },
  { "peek-threads-2", "peek of one singleton, 2 threads: nothing shared is written",
    run_peek_threads_2, "1 thread", run_peek_threads_1, 1.8, TRUE },
  { "get-singleton-100-lists", "get-singleton in a registry watched by 100 live lists of other kinds",
    run_get_singleton_listed, "without lists", run_get_singleton_unlisted, 1.05, FALSE },
  { "cold-same-kind", "get after a change among 100,000 registrations of the kind",
    run_cold_big, "among 10", run_cold_small, 2.0, FALSE },
  { "cold-depth-1024", "get after a change from 1,024 levels below (target in ns)",
    run_cold_depth_1024, "in the registry that answers", run_cold_depth_0, -5000, FALSE },
  { "rotate-100", "gets of 100 singletons of 100 kinds in turn",
    run_rotate_100, "get-singleton", run_get_singleton, 1.1, FALSE },
  { "rotate-1000", "gets of 1,000 singletons of 1,000 kinds in turn",
    run_rotate_1000, "get-singleton", run_get_singleton, 1.5, FALSE },
  { "miss-threads-2", "gets that miss the cache, one registry, throughput with 2 threads",
    run_miss_threads_2, "1 thread", run_miss_threads_1, 1.5, TRUE },
  /* For information: no target of their own. */
  { "register-listed", "register and unregister, with a live list of that kind",
    run_register_listed, "without lists", run_register_unlisted, 0, FALSE },
  { "threads-2-same-line", "threads-2-distinct with both reference counts on one cache line",
    run_threads_2_same_line, "1 thread", run_threads_1, 0, TRUE },
  { "floor-request", "request with a bare GObject of the registry's shape",
    run_request_floor, "g_object_new", run_object_new_plain, 0, FALSE },
  { "floor-threads-2", "g_object_ref+unref of one object, 2 threads",
    run_ref_2, "1 thread", run_ref_1, 0, TRUE },
  { "ideal-threads-2", "malloc+free, nothing shared: the cores free now",
    run_ideal_2, "1 thread", run_ideal_1, 0, TRUE },
};

static guint n_trials = 15;
static double trial_seconds = 0.02;

static double
time_run (RunFunc run,
          guint64 n)
{
  gint64 start = g_get_monotonic_time ();

  run (n);
  return (double) (g_get_monotonic_time () - start) * 1e3; /* ns */
}

/* How many operations take about trial_seconds. */
static guint64
calibrate (RunFunc run)
{
  guint64 n = 16;
  double ns;

  /* At least 4096 operations: the threads scenarios start threads in each
   * run, which must not be what is measured. */
  for (;;)
    {
      ns = time_run (run, n);
      if ((ns >= 2e6 && n >= 4096) || n >= (G_GUINT64_CONSTANT (1) << 34))
        break;
      n *= 4;
    }
  return MAX (2, (guint64) (n * (trial_seconds * 1e9 / ns)));
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

typedef struct
{
  double ns_per_op;
  double baseline_ns;
  double ratio;
  gboolean met;
} Result;

static Result
measure (const Scenario *s)
{
  g_autofree double *ns = g_new (double, n_trials);
  g_autofree double *base_ns = g_new (double, n_trials);
  g_autofree double *ratios = g_new (double, n_trials);
  guint64 n, n_base;
  Result result;

  /* Warm up (caches, plans, classes), then size the trials. */
  s->run (1000);
  s->run_baseline (1000);
  n = calibrate (s->run);
  n_base = calibrate (s->run_baseline);
  if (s->higher_is_better)
    n = n_base = MAX (n, n_base);     /* the same work on both sides */

  for (guint t = 0; t < n_trials; t++)
    {
      /* Alternate which side goes first, against drift. */
      if (t % 2)
        {
          ns[t] = time_run (s->run, n) / n;
          base_ns[t] = time_run (s->run_baseline, n_base) / n_base;
        }
      else
        {
          base_ns[t] = time_run (s->run_baseline, n_base) / n_base;
          ns[t] = time_run (s->run, n) / n;
        }
      ratios[t] = s->higher_is_better ? base_ns[t] / ns[t] : ns[t] / base_ns[t];
    }

  result.ns_per_op = median (ns, n_trials);
  result.baseline_ns = median (base_ns, n_trials);
  result.ratio = median (ratios, n_trials);
  if (s->target < 0)
    result.met = result.ns_per_op <= -s->target;
  else
    result.met = s->target == 0 ||
                 (s->higher_is_better ? result.ratio >= s->target : result.ratio <= s->target);

  return result;
}

/* Memory */

static gssize
allocated_bytes (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (gssize) (info.uordblks + info.hblkhd);
}

static void
measure_memory (FILE *json)
{
  const guint n = 20000;
  GError *error = NULL;
  HsRegistry *registry = hs_registry_new (NULL, NULL);
  GPtrArray *children = g_ptr_array_new_full (n, g_object_unref);
  gssize before, after;
  double per_type, per_type_omitted, per_child, per_child_get;
  GObject *context = g_object_new (BENCH_TYPE_CTX4, NULL);

  /* Type registrations with a kind (one kind answered each). */
  before = allocated_bytes ();
  for (guint i = 0; i < n; i++)
    hs_registry_register_type (registry, BENCH_TYPE_PLAIN, BENCH_TYPE_PLAIN, G_TYPE_INVALID, &error);
  after = allocated_bytes ();
  per_type = (double) (after - before) / n;
  die_on_error (error);

  /* Kind omitted: Ctx4 answers for 5 classes and 1 interface. */
  before = allocated_bytes ();
  for (guint i = 0; i < n; i++)
    hs_registry_register_type (registry, BENCH_TYPE_CTX4, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  after = allocated_bytes ();
  per_type_omitted = (double) (after - before) / n;
  die_on_error (error);

  /* Children with a context, as a request makes them. */
  before = allocated_bytes ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (children, hs_registry_new (registry, context));
  after = allocated_bytes ();
  per_child = (double) (after - before) / n;

  /* ... and what one get adds to each (its cached answer). */
  before = allocated_bytes ();
  for (guint i = 0; i < n; i++)
    get_and_drop (children->pdata[i], BENCH_TYPE_PLAIN, NULL);
  after = allocated_bytes ();
  per_child_get = (double) (after - before) / n;

  printf ("\nMemory (mallinfo2 deltas over %u):\n", n);
  printf ("  %-44s %8.0f bytes\n", "type registration, kind given", per_type);
  printf ("  %-44s %8.0f bytes\n", "type registration, kind omitted (6 answers)", per_type_omitted);
  printf ("  %-44s %8.0f bytes\n", "child registry with a context", per_child);
  printf ("  %-44s %8.0f bytes\n", "child registry, after one get", per_child + per_child_get);

  if (json != NULL)
    {
      fprintf (json, "{\"name\": \"mem-registration\", \"bytes\": %.0f}\n", per_type);
      fprintf (json, "{\"name\": \"mem-registration-kind-omitted\", \"bytes\": %.0f}\n", per_type_omitted);
      fprintf (json, "{\"name\": \"mem-child\", \"bytes\": %.0f}\n", per_child);
      fprintf (json, "{\"name\": \"mem-child-after-get\", \"bytes\": %.0f}\n", per_child + per_child_get);
    }

  g_ptr_array_unref (children);
  g_object_unref (registry);
  g_object_unref (context);
}

static gboolean
wanted (const Scenario *s,
        char          **names)
{
  if (names == NULL || names[0] == NULL)
    return TRUE;
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], s->name))
      return TRUE;
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *json_path = NULL;
  g_auto(GStrv) names = NULL;
  gboolean quick = FALSE, check = FALSE, no_memory = FALSE;
  int trials = 0, trial_ms = 0, profile = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "Write one JSON object per line to FILE", "FILE" },
    { "trials", 0, 0, G_OPTION_ARG_INT, &trials, "Trials per scenario (default 15)", "N" },
    { "trial-ms", 0, 0, G_OPTION_ARG_INT, &trial_ms, "Length of a trial (default 20 ms)", "MS" },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "5 trials of 5 ms: a smoke run", NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check, "Exit with 1 when a target is missed", NULL },
    { "no-memory", 0, 0, G_OPTION_ARG_NONE, &no_memory, "Skip the memory measurements", NULL },
    { "profile", 0, 0, G_OPTION_ARG_INT, &profile, "Run N operations of each side, untimed, for callgrind", "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &names, NULL, "[NAME...]" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- benchmarks of HsRegistry");
  g_autoptr(GError) error = NULL;
  FILE *json = NULL;
  gboolean all_met = TRUE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }

  if (quick)
    {
      n_trials = 5;
      trial_seconds = 0.005;
    }
  if (trials > 0)
    n_trials = trials;
  if (trial_ms > 0)
    trial_seconds = trial_ms / 1000.0;

  if (json_path != NULL && (json = fopen (json_path, "w")) == NULL)
    {
      fprintf (stderr, "Cannot write %s\n", json_path);
      return 2;
    }

  setup ();

  if (profile > 0)
    {
      /* For instruction counts per operation:
       *   valgrind --tool=callgrind --toggle-collect=run_get_new \
       *     bench-registry --profile 10000 get-new */
      for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
        if (wanted (&scenarios[i], names))
          {
            scenarios[i].run (1000);
            scenarios[i].run_baseline (1000);
            scenarios[i].run ((guint64) profile);
            scenarios[i].run_baseline ((guint64) profile);
          }
      teardown ();
      return 0;
    }

  printf ("%u interleaved trials of ~%.0f ms per side; medians. "
          "ratio = median of the per-trial ratios.\n\n", n_trials, trial_seconds * 1e3);
  printf ("%-18s %10s  %-34s %10s %7s %8s\n",
          "name", "ns/op", "baseline", "base ns", "ratio", "target");

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      const Scenario *s = &scenarios[i];
      Result r;

      if (!wanted (s, names))
        continue;

      r = measure (s);
      all_met &= r.met;
      if (s->target < 0)
        printf ("%-18s %10.1f  %-34s %10.1f %7.2f ≤ %.0f ns %s\n",
                s->name, r.ns_per_op, s->baseline, r.baseline_ns, r.ratio,
                -s->target, r.met ? "ok" : "MISSED");
      else if (s->target > 0)
        printf ("%-18s %10.1f  %-34s %10.1f %7.2f %s%-6.2f %s\n",
                s->name, r.ns_per_op, s->baseline, r.baseline_ns, r.ratio,
                s->higher_is_better ? "≥ " : "≤ ", s->target, r.met ? "ok" : "MISSED");
      else
        printf ("%-18s %10.1f  %-34s %10.1f %7.2f   (information)\n",
                s->name, r.ns_per_op, s->baseline, r.baseline_ns, r.ratio);
      fflush (stdout);

      if (json != NULL)
        {
          g_autofree char *baseline = g_strescape (s->baseline, NULL);

          if (s->target < 0)
            fprintf (json, "{\"name\": \"%s\", \"ns_per_op\": %.2f, \"baseline\": \"%s\", "
                     "\"baseline_ns\": %.2f, \"ratio\": %.3f, \"target_ns\": %.0f, \"met\": %s}\n",
                     s->name, r.ns_per_op, baseline, r.baseline_ns, r.ratio, -s->target,
                     r.met ? "true" : "false");
          else
            fprintf (json, "{\"name\": \"%s\", \"ns_per_op\": %.2f, \"baseline\": \"%s\", "
                     "\"baseline_ns\": %.2f, \"ratio\": %.3f, \"target\": %.2f, \"met\": %s}\n",
                     s->name, r.ns_per_op, baseline, r.baseline_ns, r.ratio, s->target,
                     r.met ? "true" : "false");
        }
    }

  teardown ();

  if (!no_memory)
    measure_memory (json);

  if (json != NULL)
    fclose (json);

  return check && !all_met ? 1 : 0;
}
