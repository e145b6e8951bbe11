/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Threads (SPEC section 6): many threads get, register, unregister and
 * create and drop children on shared registries at once, for a bounded
 * time, and every answer is checked.
 */
#include "hs-test-types.h"
#include "hopscotch/hs-index-private.h"

#define N_THREADS 6
#define RUN_SECONDS 1.0
/* Each thread does at least this many operations, also when the machine (or
 * valgrind) is so slow that the time is up before it starts. */
#define MIN_OPERATIONS 300

/* Two types that need each other, to check cycle detection while other
 * threads build the same types. */
#define TEST_TYPE_PING (test_ping_get_type ())
G_DECLARE_FINAL_TYPE (TestPing, test_ping, TEST, PING, GObject)
#define TEST_TYPE_PONG (test_pong_get_type ())
G_DECLARE_FINAL_TYPE (TestPong, test_pong, TEST, PONG, GObject)

struct _TestPing { GObject parent_instance; GObject *other; };
struct _TestPong { GObject parent_instance; GObject *other; };
G_DEFINE_FINAL_TYPE (TestPing, test_ping, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (TestPong, test_pong, G_TYPE_OBJECT)

static void
other_set (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  GObject **slot = TEST_IS_PING (object) ? &TEST_PING (object)->other : &TEST_PONG (object)->other;

  g_set_object (slot, g_value_get_object (value));
}

static void
other_get (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, TEST_IS_PING (object) ? TEST_PING (object)->other : TEST_PONG (object)->other);
}

static void
test_ping_dispose (GObject *object)
{
  g_clear_object (&TEST_PING (object)->other);
  G_OBJECT_CLASS (test_ping_parent_class)->dispose (object);
}

static void
test_pong_dispose (GObject *object)
{
  g_clear_object (&TEST_PONG (object)->other);
  G_OBJECT_CLASS (test_pong_parent_class)->dispose (object);
}

static void
test_ping_class_init (TestPingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = other_set;
  object_class->get_property = other_get;
  object_class->dispose = test_ping_dispose;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("pong", NULL, NULL, TEST_TYPE_PONG, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void
test_pong_class_init (TestPongClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = other_set;
  object_class->get_property = other_get;
  object_class->dispose = test_pong_dispose;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("ping", NULL, NULL, TEST_TYPE_PING, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void test_ping_init (TestPing *self) { }
static void test_pong_init (TestPong *self) { }

typedef struct
{
  HsRegistry *root;
  GObject    *jill;          /* a Customer */
  GObject    *marie;         /* a FrenchCustomer */
  GObject    *pierre;        /* a Parisian (a VIP) */
  GObject    *shared;        /* the root's Customer singleton */
  gint64      deadline;
  gint        errors;
  gint        operations;
  gint        nested_answers;
} Shared;

#define CHECK(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_test_message ("thread check failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
        g_atomic_int_inc (&shared->errors); \
      } \
  } G_STMT_END

static gboolean
is_type (GObject *object, GType type)
{
  return object != NULL && G_OBJECT_TYPE (object) == type;
}

static gpointer
worker (gpointer data)
{
  Shared *shared = data;
  GRand *rand = g_rand_new ();
  /* Each thread has its own VIP singleton, registered and removed again. */
  g_autoptr(GObject) mine = g_object_new (TEST_TYPE_PARISIAN, NULL);
  guint my_id = 0;

  for (guint n = 0; n < MIN_OPERATIONS || g_get_monotonic_time () < shared->deadline; n++)
    {
      GError *error = NULL;
      GObject *object = NULL;

      switch (g_rand_int_range (rand, 0, 7))
        {
        case 0:
          /* The stable part of the root answers the same, always. */
          object = hs_registry_get (shared->root, TEST_TYPE_GREETING, shared->jill, &error);
          CHECK (error == NULL && is_type (object, TEST_TYPE_GREETING));
          g_clear_object (&object);
          object = hs_registry_get (shared->root, TEST_TYPE_GREETING, shared->marie, &error);
          CHECK (error == NULL && is_type (object, TEST_TYPE_ANOTHER_GREETING));
          g_clear_object (&object);
          object = hs_registry_get (shared->root, TEST_TYPE_CUSTOMER, NULL, &error);
          CHECK (error == NULL && object == shared->shared);
          break;

        case 1:
          /* Register or remove this thread's VIP in the shared root. */
          if (my_id == 0)
            {
              my_id = hs_registry_register_instance (shared->root, mine, TEST_TYPE_VIP,
                                                     G_TYPE_INVALID, &error);
              CHECK (error == NULL && my_id > 0);
            }
          else
            {
              CHECK (hs_registry_unregister (shared->root, my_id));
              CHECK (!hs_registry_unregister (shared->root, my_id));
              my_id = 0;
            }
          break;

        case 2:
          /* Whatever VIP answers is a Parisian some thread registered; while
           * ours is registered, something must answer. */
          object = hs_registry_get (shared->root, TEST_TYPE_VIP, NULL, &error);
          if (my_id != 0)
            CHECK (error == NULL);
          if (error == NULL)
            CHECK (is_type (object, TEST_TYPE_PARISIAN));
          else
            CHECK (g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND));
          break;

        case 3:
          {
            /* A per-request child: its own override, its parent's rest. */
            HsRegistry *child = hs_registry_new (shared->root, shared->marie);
            GObject *local = g_object_new (TEST_TYPE_GREETING, NULL);

            object = hs_registry_get (child, TEST_TYPE_GREETING, NULL, &error);
            CHECK (error == NULL && is_type (object, TEST_TYPE_ANOTHER_GREETING));
            g_clear_object (&object);

            CHECK (hs_registry_register_instance (child, local, G_TYPE_INVALID, G_TYPE_INVALID, NULL) > 0);
            object = hs_registry_get (child, TEST_TYPE_GREETING, NULL, &error);
            CHECK (error == NULL && object == local);
            g_clear_object (&object);
            object = hs_registry_get (child, TEST_TYPE_CUSTOMER, NULL, &error);
            CHECK (error == NULL && object == shared->shared);

            g_object_unref (local);
            g_object_unref (child);
          }
          break;

        case 4:
          {
            /* A grandchild of a fresh child, asked for the root's answer. */
            HsRegistry *child = hs_registry_new (shared->root, shared->pierre);
            HsRegistry *grandchild = hs_registry_new (child, NULL);

            object = hs_registry_get (grandchild, TEST_TYPE_GREETING, NULL, &error);
            CHECK (error == NULL && is_type (object, TEST_TYPE_ANOTHER_GREETING));
            g_object_unref (grandchild);
            g_object_unref (child);
          }
          break;

        case 5:
          /* Cycle detection is per thread: always a CYCLE, never a false
           * one or a crash, however many threads build these at once. */
          object = hs_registry_get (shared->root, TEST_TYPE_PING, NULL, &error);
          CHECK (object == NULL && g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE));
          break;

        case 6:
          {
            /* Props through the shared root. */
            object = hs_registry_get_with (shared->root, TEST_TYPE_GREETING, shared->jill, &error,
                                           "salutation", "Hello Prop", NULL);
            CHECK (error == NULL && is_type (object, TEST_TYPE_GREETING));
            if (object != NULL)
              CHECK (g_str_equal (test_greeting_get_salutation (object), "Hello Prop"));
          }
          break;

        default:
          g_assert_not_reached ();
        }

      g_clear_object (&object);
      g_clear_error (&error);
      g_atomic_int_inc (&shared->operations);
    }

  if (my_id != 0)
    CHECK (hs_registry_unregister (shared->root, my_id));

  g_rand_free (rand);
  return NULL;
}

static GObject *
nested_factory (HsRegistry *registry, GObject *context, guint n, const char **names,
                const GValue *values, gpointer user_data, GError **error)
{
  Shared *shared = user_data;
  GObject *greeting;

  /* No registry lock is held while a factory runs: calling back into the
   * registry, and registering in it, must work. */
  greeting = hs_registry_get (registry, TEST_TYPE_GREETING, context, error);
  if (greeting != NULL)
    g_atomic_int_inc (&shared->nested_answers);
  return greeting;
}

static void
test_stress (void)
{
  Shared shared = { 0, };
  GThread *threads[N_THREADS];
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRegistry) probe = NULL;

  shared.root = hs_registry_new (NULL, NULL);
  shared.jill = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  shared.marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, "first-name", "Marie", NULL);
  shared.pierre = g_object_new (TEST_TYPE_PARISIAN, "first-name", "Pierre", NULL);
  shared.shared = g_object_new (TEST_TYPE_CUSTOMER, NULL);

  hs_registry_register_type (shared.root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (shared.root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                             TEST_TYPE_FRENCH_CUSTOMER, &error);
  hs_registry_register_instance (shared.root, shared.shared, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (shared.root, TEST_TYPE_PING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (shared.root, TEST_TYPE_PONG, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_factory (shared.root, TEST_TYPE_POLITE, G_TYPE_INVALID, nested_factory,
                                &shared, NULL, &error);
  g_assert_no_error (error);

  shared.deadline = g_get_monotonic_time () + (gint64) (RUN_SECONDS * G_USEC_PER_SEC);

  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("hs-stress", worker, &shared);

  /* The main thread goes through the factory path meanwhile. */
  for (guint n = 0; n < MIN_OPERATIONS || g_get_monotonic_time () < shared.deadline; n++)
    {
      GObject *polite = hs_registry_get (shared.root, TEST_TYPE_POLITE, shared.marie, &error);

      g_assert_no_error (error);
      g_assert_true (TEST_IS_ANOTHER_GREETING (polite));
      g_object_unref (polite);
    }

  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  g_test_message ("%d operations in %d threads", shared.operations, N_THREADS);
  g_assert_cmpint (shared.errors, ==, 0);
  g_assert_cmpint (shared.operations, >=, N_THREADS * MIN_OPERATIONS);
  g_assert_cmpint (shared.nested_answers, >, 0);

  /* Every thread removed its VIP: nothing answers any more. */
  probe = hs_registry_new (shared.root, NULL);
  assert_answers (probe, TEST_TYPE_VIP, NULL, G_TYPE_INVALID);
  /* The root holds the shared singleton once, and nothing else does. */
  g_assert_cmpuint (shared.shared->ref_count, ==, 2);

  g_clear_object (&probe);
  g_object_unref (shared.root);
  g_assert_cmpuint (shared.shared->ref_count, ==, 1);
  g_object_unref (shared.jill);
  g_object_unref (shared.marie);
  g_object_unref (shared.pierre);
  g_object_unref (shared.shared);
}

/* A chain of children in which gets resolve up past registries that hold
 * nothing of the kind without their locks (hs-resolve.c), while other
 * threads register and unregister in the middle of the chain. */
#define CHAIN_DEPTH 8
#define CHAIN_MIDDLE 4
#define CHAIN_CHANGERS 2

typedef struct
{
  HsRegistry *chain[CHAIN_DEPTH + 1];  /* [0] is the root */
  GObject    *base;                    /* the root's Customer */
  GObject    *theirs[CHAIN_CHANGERS];  /* what each changer registers in the middle */
  gint64      deadline;
  gint        errors;
  gint        index;
} Chain;

static gboolean
chain_answer (Chain      *chain,
              guint       level,
              gboolean    base_ok,
              gboolean    theirs_ok)
{
  GError *error = NULL;
  GObject *object = hs_registry_get (chain->chain[level], TEST_TYPE_CUSTOMER, NULL, &error);
  gboolean ok = error == NULL && ((base_ok && object == chain->base) ||
                                  (theirs_ok && (object == chain->theirs[0] ||
                                                 object == chain->theirs[1])));

  g_clear_error (&error);
  g_clear_object (&object);
  return ok;
}

static gpointer
chain_worker (gpointer data)
{
  Chain *chain = data;
  guint index = (guint) g_atomic_int_add (&chain->index, 1);

  for (guint n = 0; n < MIN_OPERATIONS || g_get_monotonic_time () < chain->deadline; n++)
    if (index < CHAIN_CHANGERS)
      {
        GError *error = NULL;
        guint id = hs_registry_register_instance (chain->chain[CHAIN_MIDDLE], chain->theirs[index],
                                                  G_TYPE_INVALID, G_TYPE_INVALID, &error);

        /* Its own registration is seen at once from below, and hides the
         * root's; never from above. */
        if (id == 0 ||
            !chain_answer (chain, CHAIN_DEPTH, FALSE, TRUE) ||
            !chain_answer (chain, CHAIN_MIDDLE - 1, TRUE, FALSE) ||
            !hs_registry_unregister (chain->chain[CHAIN_MIDDLE], id))
          g_atomic_int_inc (&chain->errors);
        g_clear_error (&error);
      }
    else if (!chain_answer (chain, CHAIN_DEPTH - n % 2, TRUE, TRUE) ||
             !chain_answer (chain, 1 + n % (CHAIN_MIDDLE - 1), TRUE, FALSE))
      g_atomic_int_inc (&chain->errors);

  return NULL;
}

static void
test_chain_walk (void)
{
  Chain chain = { 0, };
  GThread *threads[CHAIN_CHANGERS + 2];
  g_autoptr(GError) error = NULL;

  chain.base = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  for (guint i = 0; i < CHAIN_CHANGERS; i++)
    chain.theirs[i] = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  chain.chain[0] = hs_registry_new (NULL, NULL);
  hs_registry_register_instance (chain.chain[0], chain.base, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= CHAIN_DEPTH; i++)
    chain.chain[i] = hs_registry_new (chain.chain[i - 1], NULL);
  /* Something of another kind along the way, so that not every registry
   * on the way is empty. */
  hs_registry_register_type (chain.chain[CHAIN_MIDDLE + 1], TEST_TYPE_GREETING, G_TYPE_INVALID,
                             G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  chain.deadline = g_get_monotonic_time () + (gint64) (RUN_SECONDS / 2 * G_USEC_PER_SEC);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hs-chain", chain_worker, &chain);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (chain.errors, ==, 0);
  /* Every changer unregistered: the root answers again, from everywhere. */
  g_assert_true (chain_answer (&chain, CHAIN_DEPTH, TRUE, FALSE));

  for (guint i = CHAIN_DEPTH + 1; i-- > 0;)
    g_object_unref (chain.chain[i]);
  g_object_unref (chain.base);
  for (guint i = 0; i < CHAIN_CHANGERS; i++)
    g_object_unref (chain.theirs[i]);
}

/* Gets that miss their cache read the registry's snapshot without its
 * lock (hs-index.c) while other threads register and unregister: of the
 * kind asked for, and of many other kinds, so that the table of kinds is
 * rebuilt and what it replaces is freed after grace periods. */
#define SNAP_WRITERS 2
#define SNAP_READERS 2
#define SNAP_KINDS 24

typedef struct
{
  HsRegistry *registry;
  GObject    *base;                    /* the stable Customer */
  GObject    *theirs[SNAP_WRITERS];    /* FrenchCustomers, registered and removed */
  GType       kinds[SNAP_KINDS];
  GObject    *objects[SNAP_KINDS];     /* one instance of each kind */
  gint64      deadline;
  gint        errors;
  gint        index;
} Snap;

static gpointer
snap_worker (gpointer data)
{
  Snap *snap = data;
  guint index = (guint) g_atomic_int_add (&snap->index, 1);

  for (guint n = 0; n < MIN_OPERATIONS || g_get_monotonic_time () < snap->deadline; n++)
    if (index < SNAP_WRITERS)
      {
        guint ids[SNAP_KINDS / SNAP_WRITERS + 1], n_ids = 0;

        ids[n_ids++] = hs_registry_register_instance (snap->registry, snap->theirs[index],
                                                      G_TYPE_INVALID, G_TYPE_INVALID, NULL);
        for (guint k = index; k < SNAP_KINDS; k += SNAP_WRITERS)
          ids[n_ids++] = hs_registry_register_instance (snap->registry, snap->objects[k],
                                                        G_TYPE_INVALID, G_TYPE_INVALID, NULL);
        for (guint i = 0; i < n_ids; i++)
          if (ids[i] == 0 || !hs_registry_unregister (snap->registry, ids[i]))
            g_atomic_int_inc (&snap->errors);
      }
    else
      {
        guint k = n % SNAP_KINDS;
        GError *error = NULL;
        GObject *object;

        /* Every answer stale: each get resolves from the snapshot. */
        _hs_index_invalidate_answers ();
        object = hs_registry_get (snap->registry, TEST_TYPE_CUSTOMER, NULL, &error);
        if (object == NULL ||
            (object != snap->base && object != snap->theirs[0] && object != snap->theirs[1]))
          g_atomic_int_inc (&snap->errors);
        g_clear_object (&object);
        g_clear_error (&error);

        object = hs_registry_get (snap->registry, snap->kinds[k], NULL, &error);
        if (object != NULL ? object != snap->objects[k]
                           : !g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND))
          g_atomic_int_inc (&snap->errors);
        g_clear_object (&object);
        g_clear_error (&error);
      }

  return NULL;
}

static void
test_snapshot_reads (void)
{
  Snap snap = { 0, };
  GThread *threads[SNAP_WRITERS + SNAP_READERS];
  g_autoptr(GError) error = NULL;

  snap.registry = hs_registry_new (NULL, NULL);
  snap.base = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  hs_registry_register_instance (snap.registry, snap.base, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < SNAP_WRITERS; i++)
    snap.theirs[i] = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  for (guint k = 0; k < SNAP_KINDS; k++)
    {
      g_autofree char *name = g_strdup_printf ("TestSnapKind%u", k);

      snap.kinds[k] = g_type_register_static_simple (G_TYPE_OBJECT, name, sizeof (GObjectClass), NULL,
                                                     sizeof (GObject), NULL, 0);
      snap.objects[k] = g_object_new (snap.kinds[k], NULL);
    }

  snap.deadline = g_get_monotonic_time () + (gint64) (RUN_SECONDS / 2 * G_USEC_PER_SEC);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hs-snapshot", snap_worker, &snap);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (snap.errors, ==, 0);
  /* Only the stable registration is left, holding its instance. */
  g_assert_cmpuint (snap.base->ref_count, ==, 2);
  for (guint k = 0; k < SNAP_KINDS; k++)
    g_assert_cmpuint (snap.objects[k]->ref_count, ==, 1);

  g_object_unref (snap.registry);
  g_object_unref (snap.base);
  for (guint i = 0; i < SNAP_WRITERS; i++)
    g_object_unref (snap.theirs[i]);
  for (guint k = 0; k < SNAP_KINDS; k++)
    g_object_unref (snap.objects[k]);
}

typedef struct
{
  HsRegistry *registry;
  gint        registered;
} ReentrantData;

static GObject *
registering_factory (HsRegistry *registry, GObject *context, guint n, const char **names,
                     const GValue *values, gpointer user_data, GError **error)
{
  ReentrantData *data = user_data;

  /* Registering into the registry that is building, from inside the build. */
  if (hs_registry_register_type (data->registry, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, G_TYPE_INVALID, error) == 0)
    return NULL;
  g_atomic_int_inc (&data->registered);
  return g_object_new (TEST_TYPE_GREETING, NULL);
}

static void
test_reentrant_registration (void)
{
  ReentrantData data = { hs_registry_new (NULL, NULL), 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) greeting = NULL;

  hs_registry_register_factory (data.registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                registering_factory, &data, NULL, &error);
  greeting = hs_registry_get (data.registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (data.registered, ==, 1);
  assert_answers (data.registry, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);
  g_object_unref (data.registry);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/threads/stress", test_stress);
  g_test_add_func ("/threads/reentrant-registration", test_reentrant_registration);
  g_test_add_func ("/threads/chain-walk", test_chain_walk);
  g_test_add_func ("/threads/snapshot-reads", test_snapshot_reads);

  return g_test_run ();
}
