/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Asynchronous construction (SPEC 10): hs_registry_get_async() of
 * GAsyncInitable types and asynchronous factories, dependencies in flight
 * together, shared builds of kept objects, cancellation at every step,
 * NEEDS_ASYNC from synchronous gets, cycles across asynchronous steps and
 * the errors of asynchronous dependencies. Every main loop is bounded: a
 * hang fails the test after 5 s. */
#include <hopscotch.h>

#include "hs-test-types.h"

/* TestSlow: a GAsyncInitable whose init_async() completes after its
 * class's delay (from a timeout, or at once), fails when its class says so,
 * and honours its cancellable. Each class counts its constructions, its
 * live instances and its inits. */
#define TEST_TYPE_SLOW (test_slow_get_type ())
G_DECLARE_DERIVABLE_TYPE (TestSlow, test_slow, TEST, SLOW, GObject)
struct _TestSlowClass
{
  GObjectClass parent_class;
  guint        delay_ms;
  gboolean     fail;
  gint         constructed;
  gint         alive;
  gint         async_inits;
  gint         sync_inits;
};

static void test_slow_async_initable_init (GAsyncInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE (TestSlow, test_slow, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, test_slow_async_initable_init))

static void
test_slow_constructed (GObject *object)
{
  TEST_SLOW_GET_CLASS (object)->constructed++;
  TEST_SLOW_GET_CLASS (object)->alive++;
  G_OBJECT_CLASS (test_slow_parent_class)->constructed (object);
}

static void
test_slow_finalize (GObject *object)
{
  TEST_SLOW_GET_CLASS (object)->alive--;
  G_OBJECT_CLASS (test_slow_parent_class)->finalize (object);
}

static void
test_slow_class_init (TestSlowClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = test_slow_constructed;
  G_OBJECT_CLASS (klass)->finalize = test_slow_finalize;
}

static void
test_slow_init (TestSlow *self)
{
}

typedef struct
{
  GTask   *task;
  GSource *timeout;
  GSource *cancel;
} SlowInit;

static void
slow_init_end (SlowInit *si,
               GError   *error)
{
  if (si->timeout != NULL)
    {
      g_source_destroy (si->timeout);
      g_source_unref (si->timeout);
    }
  if (si->cancel != NULL)
    {
      g_source_destroy (si->cancel);
      g_source_unref (si->cancel);
    }
  if (error != NULL)
    g_task_return_error (si->task, error);
  else
    g_task_return_boolean (si->task, TRUE);
  g_object_unref (si->task);
  g_free (si);
}

static gboolean
slow_timeout (gpointer data)
{
  SlowInit *si = data;
  TestSlowClass *klass = TEST_SLOW_GET_CLASS (g_task_get_source_object (si->task));

  slow_init_end (si, klass->fail ? g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed",
                                                G_OBJECT_CLASS_NAME (klass))
                                 : NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
slow_cancelled (GCancellable *cancellable,
                gpointer      data)
{
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  slow_init_end (data, error);
  return G_SOURCE_REMOVE;
}

static void
test_slow_init_async (GAsyncInitable      *initable,
                      int                  io_priority,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  TestSlowClass *klass = TEST_SLOW_GET_CLASS (initable);
  SlowInit *si = g_new0 (SlowInit, 1);

  klass->async_inits++;
  si->task = g_task_new (initable, cancellable, callback, user_data);
  si->timeout = g_timeout_source_new (klass->delay_ms);
  g_source_set_callback (si->timeout, slow_timeout, si, NULL);
  g_source_attach (si->timeout, g_main_context_get_thread_default ());
  if (cancellable != NULL)
    {
      si->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (si->cancel, G_SOURCE_FUNC (slow_cancelled), si, NULL);
      g_source_attach (si->cancel, g_main_context_get_thread_default ());
    }
}

static gboolean
test_slow_init_finish (GAsyncInitable  *initable,
                       GAsyncResult    *result,
                       GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_slow_async_initable_init (GAsyncInitableIface *iface)
{
  iface->init_async = test_slow_init_async;
  iface->init_finish = test_slow_init_finish;
}

/* Two kinds of slow dependencies. */
#define TEST_TYPE_SLOW_A (test_slow_a_get_type ())
G_DECLARE_FINAL_TYPE (TestSlowA, test_slow_a, TEST, SLOW_A, TestSlow)
struct _TestSlowA { TestSlow parent; };
G_DEFINE_TYPE (TestSlowA, test_slow_a, TEST_TYPE_SLOW)
static void test_slow_a_class_init (TestSlowAClass *klass) { }
static void test_slow_a_init (TestSlowA *self) { }

#define TEST_TYPE_SLOW_B (test_slow_b_get_type ())
G_DECLARE_FINAL_TYPE (TestSlowB, test_slow_b, TEST, SLOW_B, TestSlow)
struct _TestSlowB { TestSlow parent; };
G_DEFINE_TYPE (TestSlowB, test_slow_b, TEST_TYPE_SLOW)
static void test_slow_b_class_init (TestSlowBClass *klass) { }
static void test_slow_b_init (TestSlowB *self) { }

/* TestBoth: a GAsyncInitable that is a GInitable too, as GDBusProxy is. */
#define TEST_TYPE_BOTH (test_both_get_type ())
G_DECLARE_FINAL_TYPE (TestBoth, test_both, TEST, BOTH, TestSlow)
struct _TestBoth { TestSlow parent; };
static gboolean
test_both_init_sync (GInitable *initable, GCancellable *cancellable, GError **error)
{
  TEST_SLOW_GET_CLASS (initable)->sync_inits++;
  return TRUE;
}
static void
test_both_initable_init (GInitableIface *iface)
{
  iface->init = test_both_init_sync;
}
G_DEFINE_TYPE_WITH_CODE (TestBoth, test_both, TEST_TYPE_SLOW,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_both_initable_init))
static void test_both_class_init (TestBothClass *klass) { }
static void test_both_init (TestBoth *self) { }

/* TestPair: slow itself, with a slow A and a slow B injected. */
#define TEST_TYPE_PAIR (test_pair_get_type ())
G_DECLARE_FINAL_TYPE (TestPair, test_pair, TEST, PAIR, TestSlow)
struct _TestPair { TestSlow parent; GObject *a; GObject *b; };
G_DEFINE_TYPE (TestPair, test_pair, TEST_TYPE_SLOW)

static void
test_pair_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestPair *self = TEST_PAIR (object);

  if (id == 1)
    self->a = g_value_dup_object (value);
  else
    self->b = g_value_dup_object (value);
}

static void
test_pair_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestPair *self = TEST_PAIR (object);

  g_value_set_object (value, id == 1 ? self->a : self->b);
}

static void
test_pair_dispose (GObject *object)
{
  TestPair *self = TEST_PAIR (object);

  g_clear_object (&self->a);
  g_clear_object (&self->b);
  G_OBJECT_CLASS (test_pair_parent_class)->dispose (object);
}

static void
test_pair_class_init (TestPairClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = test_pair_set_property;
  object_class->get_property = test_pair_get_property;
  object_class->dispose = test_pair_dispose;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("a", NULL, NULL, TEST_TYPE_SLOW_A,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, 2,
    g_param_spec_object ("b", NULL, NULL, TEST_TYPE_SLOW_B,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void test_pair_init (TestPair *self) { }

/* A cycle through an asynchronous step: TestCycA (slow) needs a TestCycB,
 * which needs a TestCycA. */
#define TEST_TYPE_CYC_B (test_cyc_b_get_type ())
G_DECLARE_FINAL_TYPE (TestCycB, test_cyc_b, TEST, CYC_B, GObject)
#define TEST_TYPE_CYC_A (test_cyc_a_get_type ())
G_DECLARE_FINAL_TYPE (TestCycA, test_cyc_a, TEST, CYC_A, TestSlow)
struct _TestCycA { TestSlow parent; };
struct _TestCycB { GObject parent; };
G_DEFINE_TYPE (TestCycA, test_cyc_a, TEST_TYPE_SLOW)
G_DEFINE_TYPE (TestCycB, test_cyc_b, G_TYPE_OBJECT)

static void
ignore_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
}

static void
ignore_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
}

/* Gives @klass one object property, @name of @type, that it ignores. */
static void
add_ignored_property (gpointer     klass,
                      const char  *name,
                      GType        type,
                      GParamFlags  flags)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = ignore_set_property;
  object_class->get_property = ignore_get_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object (name, NULL, NULL, type, flags | G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_cyc_a_class_init (TestCycAClass *klass)
{
  add_ignored_property (klass, "b", TEST_TYPE_CYC_B, G_PARAM_CONSTRUCT_ONLY);
}
static void test_cyc_a_init (TestCycA *self) { }

static void
test_cyc_b_class_init (TestCycBClass *klass)
{
  add_ignored_property (klass, "a", TEST_TYPE_CYC_A, G_PARAM_CONSTRUCT_ONLY);
}
static void test_cyc_b_init (TestCycB *self) { }

/* TestHolder: an object made elsewhere, with a greeting to inject. */
#define TEST_TYPE_HOLDER (test_holder_get_type ())
G_DECLARE_FINAL_TYPE (TestHolder, test_holder, TEST, HOLDER, GObject)
struct _TestHolder { GObject parent; };
G_DEFINE_TYPE (TestHolder, test_holder, G_TYPE_OBJECT)

static void
test_holder_class_init (TestHolderClass *klass)
{
  add_ignored_property (klass, "greeting", TEST_TYPE_GREETING, 0);
}
static void test_holder_init (TestHolder *self) { }

/* The class of @type, with its counters and settings reset. */
static TestSlowClass *
slow_class (GType type,
            guint delay_ms)
{
  TestSlowClass *klass = g_type_class_ref (type);

  klass->delay_ms = delay_ms;
  klass->fail = FALSE;
  klass->constructed = 0;
  klass->async_inits = 0;
  klass->sync_inits = 0;
  g_type_class_unref (klass);           /* static types: never finalized */
  return klass;
}

/* Bounded main loops */

static gboolean
too_long (gpointer data)
{
  g_error ("the main loop ran for more than 5 s: a hang");
  return G_SOURCE_REMOVE;
}

/* Iterates the thread-default main context until *@flag is set; fails the
 * test after 5 s. */
static void
run_until (gboolean *flag)
{
  GSource *guard = g_timeout_source_new (5000);

  g_source_set_callback (guard, too_long, NULL, NULL);
  g_source_attach (guard, NULL);
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (guard);
  g_source_unref (guard);
}

/* A few more iterations, for what completes after the callback. */
static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* One get_async's result. */
typedef struct
{
  gboolean  done;
  GObject  *object;
  GError   *error;
  gint64    completed;
} Got;

static void
got_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  Got *got = data;

  got->object = hs_registry_get_finish (HS_REGISTRY (source), result, &got->error);
  got->done = TRUE;
  got->completed = g_get_monotonic_time ();
}

static void
got_clear (Got *got)
{
  g_clear_object (&got->object);
  g_clear_error (&got->error);
  got->done = FALSE;
}

/* get_async of @kind, run to its end. */
static void
get_sync_loop (HsRegistry   *registry,
               GType         kind,
               GCancellable *cancellable,
               Got          *got)
{
  hs_registry_get_async (registry, kind, NULL, cancellable, got_cb, got);
  g_assert_false (got->done);         /* never before get_async returns */
  run_until (&got->done);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gboolean
close_later (gpointer data)
{
  hs_registry_close (data);
  return G_SOURCE_REMOVE;
}

/* Runs until each of the @n gets is done, checks that each was
 * cancelled, and lets what completes after them settle. */
static void
expect_cancelled (Got   *got,
                  guint  n)
{
  for (guint i = 0; i < n; i++)
    {
      run_until (&got[i].done);
      g_assert_error (got[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      got_clear (&got[i]);
    }
  settle ();
}

/* Registers @type for its own kinds, with @lifetime. */
static void
register_kind (HsRegistry *registry,
               GType       type,
               HsLifetime  lifetime)
{
  g_autoptr(GError) error = NULL;

  hs_registry_register_type_full (registry, type, G_TYPE_INVALID, G_TYPE_INVALID, lifetime, &error);
  g_assert_no_error (error);
}

/* Tests */

static void
test_plain (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(TestGreeting) instance = g_object_new (TEST_TYPE_GREETING, NULL);
  Got got = { 0 };

  /* What get returns: a type, an instance; not found. */
  hs_registry_register_type (registry, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                             G_TYPE_INVALID, NULL);
  get_sync_loop (registry, TEST_TYPE_GREETING, NULL, &got);
  g_assert_no_error (got.error);
  g_assert_true (TEST_IS_ANOTHER_GREETING (got.object));
  got_clear (&got);

  hs_registry_register_instance (registry, G_OBJECT (instance), G_TYPE_INVALID,
                                 G_TYPE_INVALID, NULL);
  get_sync_loop (registry, TEST_TYPE_GREETING, NULL, &got);
  g_assert_true (got.object == (GObject *) instance);
  got_clear (&got);

  get_sync_loop (registry, TEST_TYPE_CUSTOMER, NULL, &got);
  g_assert_error (got.error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (got.error->message, "TestCustomer"));
  got_clear (&got);
}

static void
test_async_initable (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  TestSlowClass *klass = slow_class (TEST_TYPE_SLOW_A, 10);
  Got got = { 0 };

  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_TRANSIENT);
  get_sync_loop (registry, TEST_TYPE_SLOW_A, NULL, &got);
  g_assert_no_error (got.error);
  g_assert_true (TEST_IS_SLOW_A (got.object));
  g_assert_cmpint (klass->async_inits, ==, 1);
  got_clear (&got);
  g_assert_cmpint (klass->alive, ==, 0);

  /* Its init's error, unchanged. */
  klass->fail = TRUE;
  get_sync_loop (registry, TEST_TYPE_SLOW_A, NULL, &got);
  g_assert_error (got.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (got.object);
  got_clear (&got);
  settle ();
  g_assert_cmpint (klass->alive, ==, 0);
}

static void
test_both_initables (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  TestSlowClass *klass = slow_class (TEST_TYPE_BOTH, 0);
  g_autoptr(GObject) sync_object = NULL;
  g_autoptr(GError) error = NULL;
  Got got = { 0 };

  register_kind (registry, TEST_TYPE_BOTH, HS_LIFETIME_TRANSIENT);

  /* get: GInitable.init(); get_async: init_async(). */
  sync_object = hs_registry_get (registry, TEST_TYPE_BOTH, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (klass->sync_inits, ==, 1);
  g_assert_cmpint (klass->async_inits, ==, 0);

  get_sync_loop (registry, TEST_TYPE_BOTH, NULL, &got);
  g_assert_no_error (got.error);
  g_assert_cmpint (klass->sync_inits, ==, 1);
  g_assert_cmpint (klass->async_inits, ==, 1);
  got_clear (&got);
}

static void
test_concurrent_dependencies (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  TestSlowClass *a = slow_class (TEST_TYPE_SLOW_A, 300);
  TestSlowClass *b = slow_class (TEST_TYPE_SLOW_B, 300);
  TestSlowClass *pair = slow_class (TEST_TYPE_PAIR, 0);
  Got got = { 0 };
  gint64 start;
  double elapsed_ms;

  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_SLOW_B, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_PAIR, HS_LIFETIME_TRANSIENT);

  start = g_get_monotonic_time ();
  get_sync_loop (registry, TEST_TYPE_PAIR, NULL, &got);
  elapsed_ms = (got.completed - start) / 1000.0;
  g_test_message ("two 300 ms dependencies injected in %.1f ms", elapsed_ms);
  g_assert_no_error (got.error);
  g_assert_true (TEST_IS_SLOW_A (TEST_PAIR (got.object)->a));
  g_assert_true (TEST_IS_SLOW_B (TEST_PAIR (got.object)->b));
  g_assert_cmpfloat (elapsed_ms, >=, 290);
  g_assert_cmpfloat (elapsed_ms, <, 500);
  g_assert_cmpint (a->async_inits, ==, 1);
  g_assert_cmpint (b->async_inits, ==, 1);
  g_assert_cmpint (pair->async_inits, ==, 1);
  got_clear (&got);
  g_assert_cmpint (pair->alive, ==, 0);
  g_assert_cmpint (a->alive, ==, 0);
}

static void
test_dependency_error (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  TestSlowClass *a = slow_class (TEST_TYPE_SLOW_A, 10);
  TestSlowClass *pair = slow_class (TEST_TYPE_PAIR, 0);
  Got got = { 0 };

  slow_class (TEST_TYPE_SLOW_B, 10);
  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_SLOW_B, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_PAIR, HS_LIFETIME_TRANSIENT);
  a->fail = TRUE;

  get_sync_loop (registry, TEST_TYPE_PAIR, NULL, &got);
  /* As a synchronous get reports a dependency's error. */
  g_assert_error (got.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (got.error->message, ==,
                   "Cannot inject property “a” of “TestPair”: TestSlowA failed");
  g_assert_cmpint (pair->constructed, ==, 0);
  got_clear (&got);
  settle ();
  g_assert_cmpint (a->alive, ==, 0);
}

/* An asynchronous factory: completes after @delay_ms from a timeout, or
 * fails; counts its calls. */
typedef struct
{
  guint    delay_ms;
  gboolean fail;
  gint     calls;
  gint     destroyed;
} Factory;

static gboolean
factory_timeout (gpointer data)
{
  GTask *task = data;
  Factory *f = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;
  if (f->fail)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no greeting today");
  else
    g_task_return_pointer (task, g_object_new (TEST_TYPE_GREETING, "salutation", "Async hello", NULL),
                           g_object_unref);
  return G_SOURCE_REMOVE;
}

static void
greeting_factory (HsRegistry          *registry,
                  GObject             *context,
                  gpointer             factory_data,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  Factory *f = factory_data;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  f->calls++;
  g_task_set_task_data (task, f, NULL);
  g_timeout_add_full (G_PRIORITY_DEFAULT, f->delay_ms, factory_timeout, task, g_object_unref);
}

static GObject *
greeting_factory_finish (HsRegistry    *registry,
                         GAsyncResult  *result,
                         gpointer       factory_data,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_needs_async (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  Factory f = { 0, FALSE, 0, 0 };
  g_autoptr(GError) error = NULL;
  GObject *object;

  slow_class (TEST_TYPE_SLOW_A, 0);
  slow_class (TEST_TYPE_SLOW_B, 0);
  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_SLOW_B, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_PAIR, HS_LIFETIME_TRANSIENT);

  object = hs_registry_get (registry, TEST_TYPE_SLOW_A, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC);
  g_assert_nonnull (strstr (error->message, "“TestSlowA”"));
  g_clear_error (&error);

  object = hs_registry_get (registry, TEST_TYPE_PAIR, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC);
  g_clear_error (&error);

  /* Through a dependency: the sync message, the code of the dependency. */
  register_kind (registry, TEST_TYPE_CYC_A, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_CYC_B, HS_LIFETIME_TRANSIENT);
  object = hs_registry_get (registry, TEST_TYPE_CYC_B, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC);
  g_assert_true (g_str_has_prefix (error->message, "Cannot inject property “a” of “TestCycB”: "));
  g_assert_nonnull (strstr (error->message, "“TestCycA”"));
  g_clear_error (&error);

  /* Injecting into an object made elsewhere, likewise. */
  object = g_object_new (TEST_TYPE_HOLDER, NULL);
  hs_inject_auto (TEST_TYPE_HOLDER, "greeting", NULL);
  hs_registry_register_async_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                      HS_LIFETIME_TRANSIENT, greeting_factory,
                                      greeting_factory_finish, &f, NULL, NULL);
  g_assert_false (hs_registry_inject (registry, object, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC);
  g_clear_error (&error);
  g_object_unref (object);

  /* Nothing was made on the way. */
  g_assert_cmpint (TEST_SLOW_CLASS (g_type_class_peek (TEST_TYPE_SLOW_A))->alive, ==, 0);
}

static void
factory_destroyed (gpointer data)
{
  ((Factory *) data)->destroyed++;
}

static void
test_async_factory (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  Factory f = { 10, FALSE, 0, 0 };
  Got got = { 0 };
  guint id;

  id = hs_registry_register_async_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                           HS_LIFETIME_TRANSIENT, greeting_factory,
                                           greeting_factory_finish, &f, factory_destroyed,
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (id, >, 0);

  get_sync_loop (registry, TEST_TYPE_GREETING, NULL, &got);
  g_assert_no_error (got.error);
  g_assert_cmpstr (test_greeting_get_salutation (TEST_GREETING (got.object)), ==, "Async hello");
  got_clear (&got);

  /* Synchronously: never a nested main loop. */
  g_assert_null (hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC);
  g_assert_nonnull (strstr (error->message, "“TestGreeting”"));
  g_clear_error (&error);
  g_assert_cmpint (f.calls, ==, 1);

  /* Its error, unchanged. */
  f.fail = TRUE;
  get_sync_loop (registry, TEST_TYPE_GREETING, NULL, &got);
  g_assert_error (got.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  got_clear (&got);

  /* A finish function is needed. */
  g_assert_cmpuint (hs_registry_register_async_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                                        HS_LIFETIME_TRANSIENT, greeting_factory,
                                                        NULL, &f, factory_destroyed, &error), ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
  g_clear_error (&error);
  g_assert_cmpint (f.destroyed, ==, 1);

  hs_registry_unregister (registry, id);
  g_assert_cmpint (f.destroyed, ==, 2);
}

static void
test_shared_singleton (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  TestSlowClass *klass = slow_class (TEST_TYPE_SLOW_A, 50);
  g_autoptr(GObject) sync_object = NULL;
  g_autoptr(GError) error = NULL;
  Got got[3] = { { 0 } };

  register_kind (root, TEST_TYPE_SLOW_A, HS_LIFETIME_SINGLETON);

  hs_registry_get_async (root, TEST_TYPE_SLOW_A, NULL, NULL, got_cb, &got[0]);
  hs_registry_get_async (child, TEST_TYPE_SLOW_A, NULL, NULL, got_cb, &got[1]);
  hs_registry_get_async (root, TEST_TYPE_SLOW_A, NULL, NULL, got_cb, &got[2]);

  /* While it is built asynchronously on this thread, a synchronous get
   * fails rather than blocking. */
  g_assert_null (hs_registry_get (root, TEST_TYPE_SLOW_A, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC);
  g_clear_error (&error);

  run_until (&got[0].done);
  run_until (&got[1].done);
  run_until (&got[2].done);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_no_error (got[i].error);
      g_assert_true (got[i].object == got[0].object);
    }
  g_assert_cmpint (klass->constructed, ==, 1);
  g_assert_cmpint (klass->async_inits, ==, 1);

  /* Kept: later gets, synchronous ones too, get it. */
  sync_object = hs_registry_get (child, TEST_TYPE_SLOW_A, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sync_object == got[0].object);
  for (guint i = 0; i < 3; i++)
    got_clear (&got[i]);
  g_clear_object (&sync_object);

  hs_registry_close (root);
  g_assert_cmpint (klass->alive, ==, 0);
}

static void
test_shared_scoped_and_failure (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) one = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) two = hs_registry_new (root, NULL);
  TestSlowClass *klass = slow_class (TEST_TYPE_SLOW_A, 20);
  Got got[3] = { { 0 } };

  register_kind (root, TEST_TYPE_SLOW_A, HS_LIFETIME_SCOPED);

  /* A failed build is not kept: every get waiting gets its error. */
  klass->fail = TRUE;
  hs_registry_get_async (one, TEST_TYPE_SLOW_A, NULL, NULL, got_cb, &got[0]);
  hs_registry_get_async (one, TEST_TYPE_SLOW_A, NULL, NULL, got_cb, &got[1]);
  run_until (&got[0].done);
  run_until (&got[1].done);
  g_assert_error (got[0].error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_error (got[1].error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpint (klass->constructed, ==, 1);
  got_clear (&got[0]);
  got_clear (&got[1]);

  /* The next get builds again; each scope its own. */
  klass->fail = FALSE;
  hs_registry_get_async (one, TEST_TYPE_SLOW_A, NULL, NULL, got_cb, &got[0]);
  hs_registry_get_async (one, TEST_TYPE_SLOW_A, NULL, NULL, got_cb, &got[1]);
  hs_registry_get_async (two, TEST_TYPE_SLOW_A, NULL, NULL, got_cb, &got[2]);
  run_until (&got[0].done);
  run_until (&got[1].done);
  run_until (&got[2].done);
  g_assert_true (got[0].object == got[1].object);
  g_assert_true (got[0].object != got[2].object);
  g_assert_cmpint (klass->constructed, ==, 3);
  for (guint i = 0; i < 3; i++)
    got_clear (&got[i]);
  hs_registry_close (one);
  hs_registry_close (two);
  g_assert_cmpint (klass->alive, ==, 0);
}

static void
test_cancel_before_start (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TestSlowClass *klass = slow_class (TEST_TYPE_SLOW_A, 10);
  Got got = { 0 };

  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_TRANSIENT);
  g_cancellable_cancel (cancellable);
  get_sync_loop (registry, TEST_TYPE_SLOW_A, cancellable, &got);
  g_assert_error (got.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (klass->constructed, ==, 0);
  got_clear (&got);
}

static void
test_cancel_dependency_in_flight (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TestSlowClass *a = slow_class (TEST_TYPE_SLOW_A, 300);
  TestSlowClass *b = slow_class (TEST_TYPE_SLOW_B, 300);
  TestSlowClass *pair = slow_class (TEST_TYPE_PAIR, 0);
  Got got = { 0 };
  gint64 start = g_get_monotonic_time ();

  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_SLOW_B, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_PAIR, HS_LIFETIME_TRANSIENT);

  g_timeout_add (50, cancel_later, cancellable);
  get_sync_loop (registry, TEST_TYPE_PAIR, cancellable, &got);
  g_assert_error (got.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint ((got.completed - start) / 1000, <, 250);
  g_assert_cmpint (pair->constructed, ==, 0);
  got_clear (&got);
  settle ();
  g_assert_cmpint (a->alive, ==, 0);
  g_assert_cmpint (b->alive, ==, 0);
}

static void
test_cancel_outer_init (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TestSlowClass *pair = slow_class (TEST_TYPE_PAIR, 300);
  TestSlowClass *a = slow_class (TEST_TYPE_SLOW_A, 0);
  Got got = { 0 };

  slow_class (TEST_TYPE_SLOW_B, 0);
  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_SLOW_B, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_PAIR, HS_LIFETIME_SINGLETON);

  g_timeout_add (100, cancel_later, cancellable);
  get_sync_loop (registry, TEST_TYPE_PAIR, cancellable, &got);
  g_assert_error (got.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (pair->constructed, ==, 1);
  g_assert_cmpint (pair->async_inits, ==, 1);
  got_clear (&got);
  settle ();
  /* Nothing kept: the singleton, its dependencies, all gone. */
  g_assert_cmpint (pair->alive, ==, 0);
  g_assert_cmpint (a->alive, ==, 0);

  /* The next get builds it again. */
  pair->delay_ms = 0;
  get_sync_loop (registry, TEST_TYPE_PAIR, NULL, &got);
  g_assert_no_error (got.error);
  g_assert_cmpint (pair->constructed, ==, 2);
  got_clear (&got);
}

static void
test_cancel_one_of_shared (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GCancellable) first = g_cancellable_new ();
  g_autoptr(GCancellable) second = g_cancellable_new ();
  TestSlowClass *klass = slow_class (TEST_TYPE_SLOW_A, 200);
  Got got[2] = { { 0 } };

  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_SINGLETON);

  /* The one that started the build cancels: the other still gets it. */
  hs_registry_get_async (registry, TEST_TYPE_SLOW_A, NULL, first, got_cb, &got[0]);
  hs_registry_get_async (registry, TEST_TYPE_SLOW_A, NULL, second, got_cb, &got[1]);
  g_timeout_add (50, cancel_later, first);
  run_until (&got[0].done);
  g_assert_error (got[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (got[1].done);
  run_until (&got[1].done);
  g_assert_no_error (got[1].error);
  g_assert_true (TEST_IS_SLOW_A (got[1].object));
  g_assert_cmpint (klass->constructed, ==, 1);
  got_clear (&got[0]);
  got_clear (&got[1]);
  g_assert_cmpint (klass->alive, ==, 1);    /* kept */
  hs_registry_close (registry);
  g_assert_cmpint (klass->alive, ==, 0);
}

static void
test_cancel_all_of_shared (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TestSlowClass *klass = slow_class (TEST_TYPE_SLOW_A, 300);
  Got got[2] = { { 0 } };

  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_SINGLETON);

  /* Every get waiting cancels: the build stops, nothing is kept. */
  hs_registry_get_async (registry, TEST_TYPE_SLOW_A, NULL, cancellable, got_cb, &got[0]);
  hs_registry_get_async (registry, TEST_TYPE_SLOW_A, NULL, cancellable, got_cb, &got[1]);
  g_timeout_add (50, cancel_later, cancellable);
  expect_cancelled (got, 2);
  g_assert_cmpint (klass->alive, ==, 0);

  klass->delay_ms = 0;
  get_sync_loop (registry, TEST_TYPE_SLOW_A, NULL, &got[0]);
  g_assert_no_error (got[0].error);
  g_assert_cmpint (klass->constructed, ==, 2);
  got_clear (&got[0]);
}

static void
test_close_in_flight (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  HsRegistry *request = hs_registry_new (root, NULL);
  TestSlowClass *a = slow_class (TEST_TYPE_SLOW_A, 300);
  TestSlowClass *b = slow_class (TEST_TYPE_SLOW_B, 300);
  Got got[2] = { { 0 } };

  /* A transient and a scoped build of the request. */
  register_kind (root, TEST_TYPE_SLOW_A, HS_LIFETIME_TRANSIENT);
  register_kind (root, TEST_TYPE_SLOW_B, HS_LIFETIME_SCOPED);
  hs_registry_get_async (request, TEST_TYPE_SLOW_A, NULL, NULL, got_cb, &got[0]);
  hs_registry_get_async (request, TEST_TYPE_SLOW_B, NULL, NULL, got_cb, &got[1]);
  g_timeout_add (50, close_later, request);
  expect_cancelled (got, 2);
  g_assert_cmpint (a->alive, ==, 0);
  g_assert_cmpint (b->alive, ==, 0);

  /* Closed before: CLOSED, as get says. */
  get_sync_loop (request, TEST_TYPE_SLOW_A, NULL, &got[0]);
  g_assert_error (got[0].error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  got_clear (&got[0]);
  g_object_unref (request);
}

static void
test_cycle (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  TestSlowClass *klass = slow_class (TEST_TYPE_CYC_A, 10);
  Got got = { 0 };

  register_kind (registry, TEST_TYPE_CYC_A, HS_LIFETIME_TRANSIENT);
  register_kind (registry, TEST_TYPE_CYC_B, HS_LIFETIME_TRANSIENT);
  get_sync_loop (registry, TEST_TYPE_CYC_A, NULL, &got);
  g_assert_error (got.error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE);
  g_assert_nonnull (strstr (got.error->message, "Dependency cycle: TestCycA → TestCycB → TestCycA"));
  g_assert_cmpint (klass->alive, ==, 0);
  got_clear (&got);

  /* A kept one that comes back to itself while it is built. */
  register_kind (registry, TEST_TYPE_CYC_A, HS_LIFETIME_SINGLETON);
  get_sync_loop (registry, TEST_TYPE_CYC_A, NULL, &got);
  g_assert_error (got.error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE);
  g_assert_nonnull (strstr (got.error->message, "TestCycA → TestCycB → TestCycA"));
  got_clear (&got);
}

/* get_async of @kind in a new main context, this thread's default while
 * it runs, run to its end; TRUE when the callback ran in that context. */
static gboolean
get_in_own_context (HsRegistry *registry,
                    GType       kind,
                    Got        *got)
{
  GMainContext *context = g_main_context_new ();
  gboolean in_context;

  g_main_context_push_thread_default (context);
  hs_registry_get_async (registry, kind, NULL, NULL, got_cb, got);
  while (!got->done)
    g_main_context_iteration (context, TRUE);
  in_context = g_main_context_get_thread_default () == context;
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return in_context;
}

/* Another thread's main context: callbacks run where get_async was
 * called. */
static gpointer
thread_get (gpointer data)
{
  Got got = { 0 };
  gpointer ok;

  ok = GINT_TO_POINTER (get_in_own_context (data, TEST_TYPE_SLOW_A, &got) &&
                        got.error == NULL && TEST_IS_SLOW_A (got.object));
  got_clear (&got);

  return ok;
}

static void
test_thread_default_context (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  GThread *threads[2];

  slow_class (TEST_TYPE_SLOW_A, 50);
  register_kind (registry, TEST_TYPE_SLOW_A, HS_LIFETIME_SINGLETON);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("get-async", thread_get, registry);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (g_thread_join (threads[i]));
  g_assert_cmpint (TEST_SLOW_CLASS (g_type_class_peek (TEST_TYPE_SLOW_A))->constructed, ==, 1);
}

/* Two gets at the same moment, on two threads, of two lazy singletons
 * that need each other: whichever way their builds interleave, both
 * complete with a cycle, none waits for ever. */
typedef struct
{
  HsRegistry *registry;
  GType       kind;
  GMutex     *lock;
  GCond      *go;
  gint       *ready;
} CycleGet;

static gpointer
thread_cycle_get (gpointer data)
{
  CycleGet *cg = data;
  Got got = { 0 };
  gpointer cycle;

  /* Both start together. */
  g_mutex_lock (cg->lock);
  if (++*cg->ready == 2)
    g_cond_broadcast (cg->go);
  while (*cg->ready < 2)
    g_cond_wait (cg->go, cg->lock);
  g_mutex_unlock (cg->lock);

  get_in_own_context (cg->registry, cg->kind, &got);
  cycle = GINT_TO_POINTER (g_error_matches (got.error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE));
  got_clear (&got);

  return cycle;
}

/* Fails the test when *@data is not set within 5 s. */
static gpointer
watchdog (gpointer data)
{
  gint *done = data;

  for (guint i = 0; i < 500 && !g_atomic_int_get (done); i++)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  if (!g_atomic_int_get (done))
    g_error ("gets on threads ran for more than 5 s: a hang");
  return NULL;
}

static void
test_cycle_across_gets (void)
{
  gint done = 0;
  GThread *dog = g_thread_new ("watchdog", watchdog, &done);

  slow_class (TEST_TYPE_CYC_A, 10);
  for (guint round = 0; round < 500; round++)
    {
      g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
      GMutex lock;
      GCond go;
      gint ready = 0;
      CycleGet gets[2] = {
        { registry, TEST_TYPE_CYC_A, &lock, &go, &ready },
        { registry, TEST_TYPE_CYC_B, &lock, &go, &ready },
      };
      GThread *threads[2];

      g_mutex_init (&lock);
      g_cond_init (&go);
      register_kind (registry, TEST_TYPE_CYC_A, HS_LIFETIME_SINGLETON);
      register_kind (registry, TEST_TYPE_CYC_B, HS_LIFETIME_SINGLETON);
      for (guint i = 0; i < 2; i++)
        threads[i] = g_thread_new ("cycle-get", thread_cycle_get, &gets[i]);
      for (guint i = 0; i < 2; i++)
        g_assert_true (g_thread_join (threads[i]));
      g_mutex_clear (&lock);
      g_cond_clear (&go);
    }
  g_atomic_int_set (&done, 1);
  g_thread_join (dog);
}

static void
built_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Got *got = data;

  got->object = hs_registry_build_finish (HS_REGISTRY (source), result, &got->error);
  got->done = TRUE;
}

/* hs_registry_build_async(): each item of a list, also one that needs
 * asynchronous construction, which hs_registry_build() refuses. */
static void
test_build_async (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) other = hs_registry_new (NULL, NULL);
  g_autoptr(GListModel) greetings = NULL;
  g_autoptr(HsRegistration) async_item = NULL;
  g_autoptr(HsRegistration) type_item = NULL;
  g_autoptr(HsRegistration) foreign = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Factory f = { 10, FALSE, 0, 0 };
  Got got = { 0 };

  hs_registry_register_type (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                             G_TYPE_INVALID, NULL);
  hs_registry_register_async_factory (child, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                      HS_LIFETIME_TRANSIENT, greeting_factory,
                                      greeting_factory_finish, &f, NULL, &error);
  g_assert_no_error (error);

  greetings = hs_registry_list (child, TEST_TYPE_GREETING, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (greetings), ==, 2);
  async_item = g_list_model_get_item (greetings, 0);
  type_item = g_list_model_get_item (greetings, 1);

  /* The asynchronous item: refused by build, built by build_async. */
  g_assert_null (hs_registry_build (child, async_item, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC);
  g_clear_error (&error);
  g_assert_cmpint (f.calls, ==, 0);

  hs_registry_build_async (child, async_item, NULL, NULL, built_cb, &got);
  g_assert_false (got.done);
  run_until (&got.done);
  g_assert_no_error (got.error);
  g_assert_cmpstr (test_greeting_get_salutation (TEST_GREETING (got.object)), ==, "Async hello");
  g_assert_cmpint (f.calls, ==, 1);
  got_clear (&got);

  /* Any other item: what build returns. */
  hs_registry_build_async (child, type_item, NULL, NULL, built_cb, &got);
  run_until (&got.done);
  g_assert_no_error (got.error);
  g_assert_true (TEST_IS_ANOTHER_GREETING (got.object));
  got_clear (&got);

  /* Not reachable from the registry asked: NOT_FOUND, nothing built. */
  hs_registry_build_async (root, async_item, NULL, NULL, built_cb, &got);
  run_until (&got.done);
  g_assert_error (got.error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_assert_null (got.object);
  got_clear (&got);
  hs_registry_register_type (other, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  foreign = hs_registry_lookup (other, TEST_TYPE_GREETING, NULL);
  hs_registry_build_async (child, foreign, NULL, NULL, built_cb, &got);
  run_until (&got.done);
  g_assert_error (got.error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  got_clear (&got);
  g_assert_cmpint (f.calls, ==, 1);

  /* Cancelled in flight: CANCELLED, nothing kept. */
  hs_registry_build_async (child, async_item, NULL, cancellable, built_cb, &got);
  g_idle_add (cancel_later, cancellable);
  expect_cancelled (&got, 1);

  /* Unregistered: NOT_FOUND. */
  hs_registry_unregister (child, hs_registration_get_id (async_item));
  hs_registry_build_async (child, async_item, NULL, NULL, built_cb, &got);
  run_until (&got.done);
  g_assert_error (got.error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  got_clear (&got);

  /* Closed: CLOSED, as build. */
  hs_registry_close (child);
  hs_registry_build_async (child, type_item, NULL, NULL, built_cb, &got);
  run_until (&got.done);
  g_assert_error (got.error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  got_clear (&got);
  settle ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/async/plain", test_plain);
  g_test_add_func ("/async/async-initable", test_async_initable);
  g_test_add_func ("/async/both-initables", test_both_initables);
  g_test_add_func ("/async/concurrent-dependencies", test_concurrent_dependencies);
  g_test_add_func ("/async/dependency-error", test_dependency_error);
  g_test_add_func ("/async/needs-async", test_needs_async);
  g_test_add_func ("/async/async-factory", test_async_factory);
  g_test_add_func ("/async/shared-singleton", test_shared_singleton);
  g_test_add_func ("/async/shared-scoped-and-failure", test_shared_scoped_and_failure);
  g_test_add_func ("/async/cancel/before-start", test_cancel_before_start);
  g_test_add_func ("/async/cancel/dependency-in-flight", test_cancel_dependency_in_flight);
  g_test_add_func ("/async/cancel/outer-init", test_cancel_outer_init);
  g_test_add_func ("/async/cancel/one-of-shared", test_cancel_one_of_shared);
  g_test_add_func ("/async/cancel/all-of-shared", test_cancel_all_of_shared);
  g_test_add_func ("/async/cancel/close-in-flight", test_close_in_flight);
  g_test_add_func ("/async/cycle", test_cycle);
  g_test_add_func ("/async/cycle-across-gets", test_cycle_across_gets);
  g_test_add_func ("/async/thread-default-context", test_thread_default_context);
  g_test_add_func ("/async/build-async", test_build_async);

  return g_test_run ();
}
