/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lifetimes and closing (SPEC 9): lazy singletons, scoped objects, the
 * order of closing, the cancellable and the signal, CLOSED errors, and
 * building exactly once across threads. */
#include <hopscotch.h>

#include "hs-test-types.h"

/* A factory that counts its calls and records the registry and context it
 * was called with; it may wait, fail, or call back into the registry. */
typedef struct
{
  gint        calls;
  gint        fail_first;             /* fail this many calls */
  guint       delay_ms;
  HsRegistry *last_registry;          /* unowned: compared only */
  GObject    *last_context;           /* unowned: compared only */
  gboolean    reenter;                /* get the same kind from the builder */
  gboolean    close_builder;          /* close the builder while building */
  GError     *reenter_error;
} Recorder;

static GObject *
recording_factory (HsRegistry    *registry,
                   GObject       *context,
                   guint          n_properties,
                   const char   **names,
                   const GValue  *values,
                   gpointer       user_data,
                   GError       **error)
{
  Recorder *r = user_data;
  gint call = g_atomic_int_add (&r->calls, 1);

  r->last_registry = registry;
  r->last_context = context;
  if (r->delay_ms > 0)
    g_usleep (r->delay_ms * 1000);

  if (r->reenter)
    {
      GObject *again = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &r->reenter_error);

      g_assert_null (again);
    }
  if (r->close_builder)
    hs_registry_close (registry);

  if (call < r->fail_first)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "first build fails");
      return NULL;
    }
  return g_object_new (TEST_TYPE_GREETING, NULL);
}

/* Weak references record the order objects are released in. */
static void
record_release (gpointer  data,
                GObject  *where_the_object_was)
{
  GString *order = data;

  g_string_append_c (order, (char) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (where_the_object_was), "tag")));
}

static gpointer
get_ok (HsRegistry *registry,
        GType       kind)
{
  g_autoptr(GError) error = NULL;
  gpointer object = hs_registry_get (registry, kind, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

static void
assert_get_fails (HsRegistry *registry,
                  GType       kind,
                  GQuark      domain,
                  gint        code)
{
  g_autoptr(GError) error = NULL;
  gpointer object = hs_registry_get (registry, kind, NULL, &error);

  g_assert_error (error, domain, code);
  g_assert_null (object);
}

static void
test_transient_default (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistration) registration = NULL;
  g_autoptr(GObject) a = NULL;
  g_autoptr(GObject) b = NULL;

  g_assert_cmpuint (hs_registry_register_type (root, TEST_TYPE_GREETING, 0, 0, NULL), >, 0);
  registration = hs_registry_lookup (root, TEST_TYPE_GREETING, NULL);
  g_assert_cmpint (hs_registration_get_lifetime (registration), ==, HS_LIFETIME_TRANSIENT);

  a = get_ok (root, TEST_TYPE_GREETING);
  b = get_ok (root, TEST_TYPE_GREETING);
  g_assert_true (a != b);
}

static void
test_singleton_identity (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) other = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) grandchild = hs_registry_new (child, NULL);
  g_autoptr(HsRegistration) registration = NULL;
  g_autoptr(GObject) from_child = NULL;
  g_autoptr(GObject) from_root = NULL;
  g_autoptr(GObject) from_other = NULL;
  g_autoptr(GObject) from_grandchild = NULL;
  g_autoptr(GObject) again = NULL;
  Recorder r = { 0 };

  g_assert_cmpuint (hs_registry_register_factory_full (root, TEST_TYPE_GREETING, 0, HS_LIFETIME_SINGLETON,
                                                       recording_factory, &r, NULL, NULL), >, 0);
  registration = hs_registry_lookup (child, TEST_TYPE_GREETING, NULL);
  g_assert_cmpint (hs_registration_get_lifetime (registration), ==, HS_LIFETIME_SINGLETON);
  g_assert_cmpint (r.calls, ==, 0);   /* lazy: nothing built by registering or lookup */

  /* The first get, from a child, builds it; everyone shares it. */
  from_child = get_ok (child, TEST_TYPE_GREETING);
  from_root = get_ok (root, TEST_TYPE_GREETING);
  from_other = get_ok (other, TEST_TYPE_GREETING);
  from_grandchild = get_ok (grandchild, TEST_TYPE_GREETING);
  again = get_ok (child, TEST_TYPE_GREETING);
  g_assert_true (from_child == from_root);
  g_assert_true (from_child == from_other);
  g_assert_true (from_child == from_grandchild);
  g_assert_true (from_child == again);
  g_assert_cmpint (r.calls, ==, 1);
}

static void
test_scoped_identity (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) other = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) grandchild = hs_registry_new (child, NULL);
  g_autoptr(HsRegistration) registration = NULL;
  g_autoptr(GObject) in_root = NULL;
  g_autoptr(GObject) in_root_again = NULL;
  g_autoptr(GObject) in_child = NULL;
  g_autoptr(GObject) in_child_again = NULL;
  g_autoptr(GObject) in_other = NULL;
  g_autoptr(GObject) in_grandchild = NULL;

  g_assert_cmpuint (hs_registry_register_type_full (root, TEST_TYPE_GREETING, 0, 0,
                                                    HS_LIFETIME_SCOPED, NULL), >, 0);
  registration = hs_registry_lookup (root, TEST_TYPE_GREETING, NULL);
  g_assert_cmpint (hs_registration_get_lifetime (registration), ==, HS_LIFETIME_SCOPED);

  in_root = get_ok (root, TEST_TYPE_GREETING);
  in_root_again = get_ok (root, TEST_TYPE_GREETING);
  in_child = get_ok (child, TEST_TYPE_GREETING);
  in_child_again = get_ok (child, TEST_TYPE_GREETING);
  in_other = get_ok (other, TEST_TYPE_GREETING);
  in_grandchild = get_ok (grandchild, TEST_TYPE_GREETING);

  g_assert_true (in_root == in_root_again);
  g_assert_true (in_child == in_child_again);
  g_assert_true (in_child != in_root);
  g_assert_true (in_other != in_root && in_other != in_child);
  g_assert_true (in_grandchild != in_child && in_grandchild != in_root);
}

static void
test_builders_and_contexts (void)
{
  g_autoptr(GObject) root_ctx = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(GObject) child_ctx = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(GObject) given_ctx = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, root_ctx);
  g_autoptr(HsRegistry) child = hs_registry_new (root, child_ctx);
  g_autoptr(GObject) singleton = NULL;
  g_autoptr(GObject) scoped = NULL;
  g_autoptr(GError) error = NULL;
  Recorder single = { 0 }, scope = { 0 };

  hs_registry_register_factory_full (root, TEST_TYPE_GREETING, 0, HS_LIFETIME_SINGLETON,
                                     recording_factory, &single, NULL, &error);
  g_assert_no_error (error);
  hs_registry_register_factory_full (root, TEST_TYPE_POLITE, 0, HS_LIFETIME_SCOPED,
                                     recording_factory, &scope, NULL, &error);
  g_assert_no_error (error);

  /* A lazy singleton: its holder builds it, with the holder's context,
   * also when a child with a context of its own asks first. */
  singleton = hs_registry_get (child, TEST_TYPE_GREETING, given_ctx, &error);
  g_assert_no_error (error);
  g_assert_true (single.last_registry == root);
  g_assert_true (single.last_context == root_ctx);

  /* A scoped object: the registry asked builds it, with its own context. */
  scoped = hs_registry_get (child, TEST_TYPE_POLITE, given_ctx, &error);
  g_assert_no_error (error);
  g_assert_true (scope.last_registry == child);
  g_assert_true (scope.last_context == child_ctx);
}

static void
test_close_order (void)
{
  HsRegistry *root = hs_registry_new (NULL, NULL);
  HsRegistry *child = hs_registry_new (root, NULL);
  GString *order = g_string_new (NULL);
  const GType kinds[] = { TEST_TYPE_GREETING, TEST_TYPE_CUSTOMER, TEST_TYPE_FLOATING };
  const char tags[] = { 'a', 'b', 'c' };
  const guint built_order[] = { 1, 0, 2 };    /* b, a, c */

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    hs_registry_register_type_full (root, kinds[i], 0, 0, HS_LIFETIME_SCOPED, NULL);
  hs_registry_register_type_full (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_POLITE, 0,
                                  HS_LIFETIME_SINGLETON, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (built_order); i++)
    {
      GObject *object = get_ok (child, kinds[built_order[i]]);

      g_object_set_data (object, "tag", GINT_TO_POINTER (tags[built_order[i]]));
      g_object_weak_ref (object, record_release, order);
      g_object_unref (object);
    }
  {
    GObject *singleton = get_ok (child, TEST_TYPE_POLITE);

    g_object_set_data (singleton, "tag", GINT_TO_POINTER ('s'));
    g_object_weak_ref (singleton, record_release, order);
    g_object_unref (singleton);
  }

  /* Kept until closed; then last built first; the root's singleton stays. */
  g_assert_cmpstr (order->str, ==, "");
  hs_registry_close (child);
  g_assert_cmpstr (order->str, ==, "cab");
  g_object_unref (child);
  g_assert_cmpstr (order->str, ==, "cab");

  /* The last unref closes the root, which releases its singleton. */
  g_object_unref (root);
  g_assert_cmpstr (order->str, ==, "cabs");
  g_string_free (order, TRUE);
}

static void
on_closed (HsRegistry *registry,
           gpointer    user_data)
{
  gint *emissions = user_data;

  g_assert_true (hs_registry_is_closed (registry));
  g_assert_true (g_cancellable_is_cancelled (hs_registry_get_cancellable (registry)));
  (*emissions)++;
}

static void
test_cancellable_and_signal (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  HsRegistry *late = hs_registry_new (root, NULL);
  GCancellable *cancellable = hs_registry_get_cancellable (root);
  gint emissions = 0, late_emissions = 0;

  g_assert_true (G_IS_CANCELLABLE (cancellable));
  g_assert_true (cancellable == hs_registry_get_cancellable (root));
  g_assert_false (g_cancellable_is_cancelled (cancellable));
  g_assert_false (hs_registry_is_closed (root));

  g_signal_connect (root, "closed", G_CALLBACK (on_closed), &emissions);
  hs_registry_close (root);
  g_assert_cmpint (emissions, ==, 1);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_assert_true (hs_registry_is_closed (root));

  /* Closing twice is a no-op. */
  hs_registry_close (root);
  g_assert_cmpint (emissions, ==, 1);

  /* A cancellable first asked for after close is cancelled already; the
   * child of a closed registry is closed when it is next used. */
  g_signal_connect (late, "closed", G_CALLBACK (on_closed), &late_emissions);
  g_assert_true (hs_registry_is_closed (late));
  g_assert_cmpint (late_emissions, ==, 1);
  g_assert_true (g_cancellable_is_cancelled (hs_registry_get_cancellable (late)));

  /* The last unref of an open registry closes it, with the signal. */
  {
    HsRegistry *dropped = hs_registry_new (NULL, NULL);
    gint dropped_emissions = 0;

    g_signal_connect (dropped, "closed", G_CALLBACK (on_closed), &dropped_emissions);
    g_object_unref (dropped);
    g_assert_cmpint (dropped_emissions, ==, 1);
  }
  g_object_unref (late);
}

static void
count_destroy (gpointer data)
{
  (*(gint *) data)++;
}

static void
test_closed_errors (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  g_autoptr(GObject) instance = g_object_new (TEST_TYPE_GREETING, NULL);
  g_autoptr(GObject) made_elsewhere = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(GError) error = NULL;
  GString *order = g_string_new (NULL);
  GObject *scoped;
  gint destroyed = 0;
  guint id;

  id = hs_registry_register_type (root, TEST_TYPE_GREETING, 0, 0, NULL);
  hs_registry_register_type_full (root, TEST_TYPE_CUSTOMER, 0, 0, HS_LIFETIME_SCOPED, NULL);
  scoped = get_ok (child, TEST_TYPE_CUSTOMER);
  g_object_set_data (scoped, "tag", GINT_TO_POINTER ('k'));
  g_object_weak_ref (scoped, record_release, order);
  g_object_unref (scoped);

  hs_registry_close (root);

  assert_get_fails (root, TEST_TYPE_GREETING, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_assert_null (hs_registry_get_with (root, TEST_TYPE_GREETING, NULL, &error, "salutation", "Hi", NULL));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_null (hs_registry_lookup (root, TEST_TYPE_GREETING, NULL));

  g_assert_cmpuint (hs_registry_register_type (root, TEST_TYPE_GREETING, 0, 0, &error), ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpuint (hs_registry_register_instance (root, instance, 0, 0, &error), ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpuint (hs_registry_register_factory_full (root, TEST_TYPE_GREETING, 0, HS_LIFETIME_SCOPED,
                                                       recording_factory, &destroyed, count_destroy, &error), ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (destroyed, ==, 1);   /* a refused factory's data is let go */
  g_assert_cmpuint (hs_registry_register_factory (root, TEST_TYPE_GREETING, 0,
                                                  recording_factory, &destroyed, count_destroy, &error), ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (destroyed, ==, 2);
  g_assert_false (hs_registry_inject (root, made_elsewhere, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_clear_error (&error);

  /* Unregistering is cleanup: it still works. */
  g_assert_true (hs_registry_unregister (root, id));
  g_assert_false (hs_registry_unregister (root, id));

  /* The child was not reached by closing the root; its next use closes it
   * and releases what it kept. */
  g_assert_cmpstr (order->str, ==, "");
  assert_get_fails (child, TEST_TYPE_CUSTOMER, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_assert_true (hs_registry_is_closed (child));
  g_assert_cmpstr (order->str, ==, "k");
  g_string_free (order, TRUE);
}

static void
test_props_and_precedence (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) instance = g_object_new (TEST_TYPE_GREETING, "salutation", "instance", NULL);
  g_autoptr(GObject) got = NULL;
  g_autoptr(GObject) with_props = NULL;
  g_autoptr(GError) error = NULL;

  /* Only kept registrations: no candidate of a get with props. */
  hs_registry_register_type_full (root, TEST_TYPE_GREETING, 0, 0, HS_LIFETIME_SINGLETON, NULL);
  hs_registry_register_type_full (root, TEST_TYPE_GREETING, 0, 0, HS_LIFETIME_SCOPED, NULL);
  g_assert_null (hs_registry_get_with (root, TEST_TYPE_GREETING, NULL, &error, "salutation", "Hi", NULL));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An older transient one takes the props. */
  {
    g_autoptr(HsRegistry) fresh = hs_registry_new (NULL, NULL);

    hs_registry_register_type (fresh, TEST_TYPE_GREETING, 0, 0, NULL);
    hs_registry_register_type_full (fresh, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING, 0,
                                    HS_LIFETIME_SINGLETON, NULL);
    with_props = hs_registry_get_with (fresh, TEST_TYPE_GREETING, NULL, &error, "salutation", "Hi", NULL);
    g_assert_no_error (error);
    g_assert_true (G_OBJECT_TYPE (with_props) == TEST_TYPE_GREETING);
    g_assert_cmpstr (test_greeting_get_salutation (with_props), ==, "Hi");
    /* Without props, the newer (lazy singleton) wins as a type would. */
    assert_answers (fresh, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);
  }

  /* An instance ranks before a lazy singleton registered later: only
   * instances rank as singletons (SPEC 3.2). */
  hs_registry_register_instance (root, instance, TEST_TYPE_GREETING, 0, NULL);
  hs_registry_register_type_full (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING, 0,
                                  HS_LIFETIME_SINGLETON, NULL);
  got = get_ok (root, TEST_TYPE_GREETING);
  g_assert_true (got == instance);

  /* Context specificity still comes first. */
  {
    g_autoptr(GObject) customer = g_object_new (TEST_TYPE_CUSTOMER, NULL);
    g_autoptr(GObject) scoped = NULL;

    hs_registry_register_type_full (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                                    TEST_TYPE_CUSTOMER, HS_LIFETIME_SCOPED, NULL);
    scoped = hs_registry_get (root, TEST_TYPE_GREETING, customer, &error);
    g_assert_no_error (error);
    g_assert_true (G_OBJECT_TYPE (scoped) == TEST_TYPE_ANOTHER_GREETING);
  }
}

static void
test_unregister_releases (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  GObject *first, *second;
  guint id;

  id = hs_registry_register_type_full (root, TEST_TYPE_GREETING, 0, 0, HS_LIFETIME_SINGLETON, NULL);
  first = get_ok (child, TEST_TYPE_GREETING);
  g_object_add_weak_pointer (first, (gpointer *) &first);
  g_object_unref (first);
  g_assert_nonnull (first);           /* kept by its holder */

  g_assert_true (hs_registry_unregister (root, id));
  g_assert_null (first);              /* released with its registration */

  hs_registry_register_type_full (root, TEST_TYPE_GREETING, 0, 0, HS_LIFETIME_SINGLETON, NULL);
  second = get_ok (child, TEST_TYPE_GREETING);
  g_assert_true (G_IS_OBJECT (second));
  g_object_unref (second);
}

static void
test_failed_build_not_kept (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) object = NULL;
  g_autoptr(GObject) again = NULL;
  Recorder r = { .fail_first = 1 };

  hs_registry_register_factory_full (root, TEST_TYPE_GREETING, 0, HS_LIFETIME_SINGLETON,
                                     recording_factory, &r, NULL, NULL);
  assert_get_fails (root, TEST_TYPE_GREETING, G_IO_ERROR, G_IO_ERROR_BUSY);
  object = get_ok (root, TEST_TYPE_GREETING);
  again = get_ok (root, TEST_TYPE_GREETING);
  g_assert_true (object == again);
  g_assert_cmpint (r.calls, ==, 2);
}

static void
test_reentrant_cycle (void)
{
  const HsLifetime lifetimes[] = { HS_LIFETIME_SINGLETON, HS_LIFETIME_SCOPED };

  for (guint i = 0; i < G_N_ELEMENTS (lifetimes); i++)
    {
      g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
      g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
      g_autoptr(GObject) object = NULL;
      Recorder r = { .reenter = TRUE };

      hs_registry_register_factory_full (root, TEST_TYPE_GREETING, 0, lifetimes[i],
                                         recording_factory, &r, NULL, NULL);
      /* The factory's own get fails with a cycle, not a deadlock; its
       * outer build then goes on. */
      object = get_ok (child, TEST_TYPE_GREETING);
      g_assert_error (r.reenter_error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE);
      g_assert_nonnull (strstr (r.reenter_error->message, "TestGreeting → TestGreeting"));
      g_clear_error (&r.reenter_error);
    }
}

static void
test_closed_while_building (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  Recorder r = { .close_builder = TRUE };

  hs_registry_register_factory_full (root, TEST_TYPE_GREETING, 0, HS_LIFETIME_SCOPED,
                                     recording_factory, &r, NULL, NULL);
  /* Built, but its registry closed meanwhile: not kept, and the get says
   * why. */
  assert_get_fails (child, TEST_TYPE_GREETING, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_assert_true (hs_registry_is_closed (child));
  g_assert_false (hs_registry_is_closed (root));
}

/* Threads */

#define N_THREADS 8

typedef struct
{
  HsRegistry *registry;
  GObject    *results[N_THREADS];
  GError     *errors[N_THREADS];
  gint        started;
} Race;

typedef struct
{
  Race *race;
  guint i;
} RaceArg;

static gpointer
race_thread (gpointer data)
{
  RaceArg *arg = data;
  Race *race = arg->race;

  g_atomic_int_inc (&race->started);
  while (g_atomic_int_get (&race->started) < N_THREADS)
    g_thread_yield ();
  race->results[arg->i] = hs_registry_get (race->registry, TEST_TYPE_GREETING, NULL,
                                           &race->errors[arg->i]);
  return NULL;
}

static void
run_race (Race *race)
{
  GThread *threads[N_THREADS];
  RaceArg args[N_THREADS];

  for (guint i = 0; i < N_THREADS; i++)
    {
      args[i] = (RaceArg) { race, i };
      threads[i] = g_thread_new ("race", race_thread, &args[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
}

static void
test_exactly_once_threads (void)
{
  const HsLifetime lifetimes[] = { HS_LIFETIME_SINGLETON, HS_LIFETIME_SCOPED };

  for (guint l = 0; l < G_N_ELEMENTS (lifetimes); l++)
    {
      g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
      g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
      Recorder r = { .delay_ms = 100 };
      Race race = { .registry = child };

      hs_registry_register_factory_full (root, TEST_TYPE_GREETING, 0, lifetimes[l],
                                         recording_factory, &r, NULL, NULL);
      run_race (&race);

      g_assert_cmpint (r.calls, ==, 1);
      for (guint i = 0; i < N_THREADS; i++)
        {
          g_assert_no_error (race.errors[i]);
          g_assert_true (race.results[i] == race.results[0]);
        }
      for (guint i = 0; i < N_THREADS; i++)
        g_object_unref (race.results[i]);
    }
}

static void
test_failing_first_build_threads (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) after = NULL;
  Recorder r = { .delay_ms = 200, .fail_first = 1 };
  Race race = { .registry = root };
  GObject *built = NULL;
  guint n_failed = 0;

  hs_registry_register_factory_full (root, TEST_TYPE_GREETING, 0, HS_LIFETIME_SINGLETON,
                                     recording_factory, &r, NULL, NULL);
  run_race (&race);

  /* The first build fails, and the threads that waited for it get its
   * error; any that came after it built (once) what all others share. */
  for (guint i = 0; i < N_THREADS; i++)
    {
      if (race.results[i] == NULL)
        {
          g_assert_error (race.errors[i], G_IO_ERROR, G_IO_ERROR_BUSY);
          g_clear_error (&race.errors[i]);
          n_failed++;
          continue;
        }
      g_assert_no_error (race.errors[i]);
      if (built == NULL)
        built = race.results[i];
      g_assert_true (race.results[i] == built);
    }
  g_assert_cmpuint (n_failed, >=, 1);
  g_assert_cmpint (r.calls, ==, built != NULL ? 2 : 1);

  /* The failure was not kept: the next get builds it. */
  after = get_ok (root, TEST_TYPE_GREETING);
  g_assert_true (built == NULL || after == built);
  g_assert_cmpint (r.calls, ==, 2);
  for (guint i = 0; i < N_THREADS; i++)
    g_clear_object (&race.results[i]);
}

/* Two singletons whose factories need each other, started on two threads
 * at once: one of them must see the circle of waits and fail with a
 * cycle, instead of both waiting for ever. */
static gint cross_started[2];

static GObject *
cross_factory (HsRegistry    *registry,
               GObject       *context,
               guint          n_properties,
               const char   **names,
               const GValue  *values,
               gpointer       user_data,
               GError       **error)
{
  guint me = GPOINTER_TO_UINT (user_data);
  GType other = me == 0 ? TEST_TYPE_CUSTOMER : TEST_TYPE_GREETING;
  GObject *dependency;

  g_atomic_int_set (&cross_started[me], 1);
  while (!g_atomic_int_get (&cross_started[1 - me]))
    g_thread_yield ();

  dependency = hs_registry_get (registry, other, NULL, error);
  if (dependency == NULL)
    return NULL;
  g_object_unref (dependency);
  return g_object_new (me == 0 ? TEST_TYPE_GREETING : TEST_TYPE_CUSTOMER, NULL);
}

typedef struct
{
  HsRegistry *registry;
  GType       kind;
  GError     *error;
} CrossArg;

static gpointer
cross_thread (gpointer data)
{
  CrossArg *arg = data;
  GObject *object = hs_registry_get (arg->registry, arg->kind, NULL, &arg->error);

  g_assert_null (object);
  return NULL;
}

static void
test_cross_thread_cycle (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  CrossArg args[2] = { { root, TEST_TYPE_GREETING, NULL }, { root, TEST_TYPE_CUSTOMER, NULL } };
  GThread *threads[2];

  hs_registry_register_factory_full (root, TEST_TYPE_GREETING, 0, HS_LIFETIME_SINGLETON,
                                     cross_factory, GUINT_TO_POINTER (0), NULL, NULL);
  hs_registry_register_factory_full (root, TEST_TYPE_CUSTOMER, 0, HS_LIFETIME_SINGLETON,
                                     cross_factory, GUINT_TO_POINTER (1), NULL, NULL);
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("cross", cross_thread, &args[i]);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  /* Both fail: one with the cycle, the other with it as its
   * dependency's error. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_error (args[i].error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE);
      g_clear_error (&args[i].error);
    }
}

/* Scopes from several threads: children made, used, closed and dropped
 * while the root's registrations change. */
static gpointer
churn_thread (gpointer data)
{
  HsRegistry *root = data;

  for (guint n = 0; n < 300; n++)
    {
      HsRegistry *child = hs_registry_new (root, NULL);
      GObject *a = hs_registry_get (child, TEST_TYPE_CUSTOMER, NULL, NULL);
      GObject *b = hs_registry_get (child, TEST_TYPE_CUSTOMER, NULL, NULL);
      GObject *s = hs_registry_get (child, TEST_TYPE_GREETING, NULL, NULL);
      GObject *after;
      GError *error = NULL;

      /* Scoped: the same within the child, whatever the root does. */
      g_assert_true (a == NULL || b == NULL || a == b);
      g_clear_object (&a);
      g_clear_object (&b);
      g_clear_object (&s);

      if (n % 2 == 0)
        {
          hs_registry_close (child);
          after = hs_registry_get (child, TEST_TYPE_CUSTOMER, NULL, &error);
          g_assert_null (after);
          g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
          g_clear_error (&error);
        }
      g_object_unref (child);
    }
  return NULL;
}

static void
test_scopes_threads (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  GThread *threads[4];

  hs_registry_register_type_full (root, TEST_TYPE_CUSTOMER, 0, 0, HS_LIFETIME_SCOPED, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("churn", churn_thread, root);

  /* Meanwhile the root's lazy singleton comes and goes. */
  for (guint n = 0; n < 200; n++)
    {
      guint id = hs_registry_register_type_full (root, TEST_TYPE_GREETING, 0, 0,
                                                 HS_LIFETIME_SINGLETON, NULL);
      GObject *object = hs_registry_get (root, TEST_TYPE_GREETING, NULL, NULL);

      g_assert_nonnull (object);
      g_object_unref (object);
      g_assert_true (hs_registry_unregister (root, id));
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lifetimes/transient-default", test_transient_default);
  g_test_add_func ("/lifetimes/singleton-identity", test_singleton_identity);
  g_test_add_func ("/lifetimes/scoped-identity", test_scoped_identity);
  g_test_add_func ("/lifetimes/builders-and-contexts", test_builders_and_contexts);
  g_test_add_func ("/lifetimes/close-order", test_close_order);
  g_test_add_func ("/lifetimes/cancellable-and-signal", test_cancellable_and_signal);
  g_test_add_func ("/lifetimes/closed-errors", test_closed_errors);
  g_test_add_func ("/lifetimes/props-and-precedence", test_props_and_precedence);
  g_test_add_func ("/lifetimes/unregister-releases", test_unregister_releases);
  g_test_add_func ("/lifetimes/failed-build-not-kept", test_failed_build_not_kept);
  g_test_add_func ("/lifetimes/reentrant-cycle", test_reentrant_cycle);
  g_test_add_func ("/lifetimes/closed-while-building", test_closed_while_building);
  g_test_add_func ("/lifetimes/exactly-once-threads", test_exactly_once_threads);
  g_test_add_func ("/lifetimes/failing-first-build-threads", test_failing_first_build_threads);
  g_test_add_func ("/lifetimes/cross-thread-cycle", test_cross_thread_cycle);
  g_test_add_func ("/lifetimes/scopes-threads", test_scopes_threads);

  return g_test_run ();
}
