/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Borrowed singletons (SPEC 12): hs_registry_peek() answers as a get does,
 * only with a singleton built already, takes no reference, and what it
 * hands out stays valid while the registry that holds it lives. */
#include <hopscotch.h>

#include "hs-test-types.h"

static guint
ref_count (gpointer object)
{
  return g_atomic_int_get (&G_OBJECT (object)->ref_count);
}

static GObject *
greeting_factory (HsRegistry    *registry,
                  GObject       *context,
                  guint          n_properties,
                  const char   **names,
                  const GValue  *values,
                  gpointer       user_data,
                  GError       **error)
{
  return g_object_new (TEST_TYPE_GREETING, NULL);
}

/* The instance itself, every time, and no reference taken after the first
 * peek (which makes the holder hold one for borrowers). */
static void
test_instance_identity (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (registry, NULL);
  g_autoptr(GObject) greeting = g_object_new (TEST_TYPE_GREETING, NULL);
  g_autoptr(GError) error = NULL;
  guint count;

  g_assert_cmpuint (hs_registry_register_instance (registry, greeting, TEST_TYPE_GREETING,
                                                   G_TYPE_INVALID, &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (hs_registry_peek (registry, TEST_TYPE_GREETING, NULL, &error) == greeting);
  g_assert_no_error (error);
  count = ref_count (greeting);

  for (guint i = 0; i < 1000; i++)
    {
      g_assert_true (hs_registry_peek (registry, TEST_TYPE_GREETING, NULL, &error) == greeting);
      g_assert_true (hs_registry_peek (child, TEST_TYPE_GREETING, NULL, &error) == greeting);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (ref_count (greeting), ==, count);

  /* A get still takes one. */
  {
    g_autoptr(GObject) got = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);

    g_assert_true (got == greeting);
    g_assert_cmpuint (ref_count (greeting), ==, count + 1);
  }
}

/* Types, factories and kept registrations not built yet have nothing to
 * lend; nothing answering is NOT_FOUND, a closed registry CLOSED. */
static void
test_not_singleton (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) other = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint id;

  id = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                  G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  g_assert_null (hs_registry_peek (registry, TEST_TYPE_GREETING, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_SINGLETON);
  g_assert_nonnull (strstr (error->message, "TestGreeting"));
  g_clear_error (&error);
  g_assert_true (hs_registry_unregister (registry, id));

  hs_registry_register_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                greeting_factory, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (hs_registry_peek (registry, TEST_TYPE_GREETING, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_SINGLETON);
  g_clear_error (&error);

  g_assert_null (hs_registry_peek (other, TEST_TYPE_GREETING, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  hs_registry_register_instance (other, G_OBJECT (registry), HS_TYPE_REGISTRY,
                                 G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  hs_registry_close (other);
  g_assert_null (hs_registry_peek (other, HS_TYPE_REGISTRY, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
}

/* A lazy singleton is lent once built, by its holder to every descendant;
 * a scoped object once built in the registry asked. */
static void
test_kept (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (registry, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) singleton = NULL;
  g_autoptr(GObject) scoped = NULL;
  guint count;

  hs_registry_register_type_full (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                  G_TYPE_INVALID, HS_LIFETIME_SINGLETON, &error);
  hs_registry_register_type_full (registry, TEST_TYPE_CUSTOMER, G_TYPE_INVALID,
                                  G_TYPE_INVALID, HS_LIFETIME_SCOPED, &error);
  g_assert_no_error (error);

  g_assert_null (hs_registry_peek (child, TEST_TYPE_GREETING, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_SINGLETON);
  g_clear_error (&error);

  singleton = hs_registry_get (child, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_registry_peek (child, TEST_TYPE_GREETING, NULL, &error) == singleton);
  g_assert_true (hs_registry_peek (registry, TEST_TYPE_GREETING, NULL, &error) == singleton);
  count = ref_count (singleton);
  g_assert_true (hs_registry_peek (child, TEST_TYPE_GREETING, NULL, &error) == singleton);
  g_assert_cmpuint (ref_count (singleton), ==, count);

  /* Built in the registry asked, not its parent. */
  scoped = hs_registry_get (child, TEST_TYPE_CUSTOMER, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_registry_peek (child, TEST_TYPE_CUSTOMER, NULL, &error) == scoped);
  g_assert_null (hs_registry_peek (registry, TEST_TYPE_CUSTOMER, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_SINGLETON);
}

static void
set_flag (gpointer  data,
          GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

/* Unregistered or closed after a peek, the object stays valid until its
 * holder is finalized. */
static void
test_valid_until_finalized (void)
{
  HsRegistry *registry = hs_registry_new (NULL, NULL);
  HsRegistry *child = hs_registry_new (registry, NULL);
  g_autoptr(GError) error = NULL;
  gboolean instance_gone = FALSE, singleton_gone = FALSE, unpeeked_gone = FALSE;
  GObject *instance = g_object_new (TEST_TYPE_GREETING, "salutation", "Borrowed", NULL);
  GObject *unpeeked = g_object_new (TEST_TYPE_GREETING, NULL);
  GObject *singleton, *peeked;
  guint id;

  g_object_weak_ref (instance, set_flag, &instance_gone);
  g_object_weak_ref (unpeeked, set_flag, &unpeeked_gone);
  id = hs_registry_register_instance (registry, instance, TEST_TYPE_GREETING,
                                      G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  g_object_unref (instance);

  /* Peeked from a child: the holder is the parent. */
  peeked = hs_registry_peek (child, TEST_TYPE_GREETING, NULL, &error);
  g_assert_true (peeked == instance);
  g_assert_true (hs_registry_unregister (registry, id));
  g_assert_false (instance_gone);
  g_assert_cmpstr (test_greeting_get_salutation (peeked), ==, "Borrowed");

  /* Not peeked: released at once, as always. */
  id = hs_registry_register_instance (registry, unpeeked, TEST_TYPE_GREETING,
                                      G_TYPE_INVALID, &error);
  g_object_unref (unpeeked);
  g_assert_true (hs_registry_unregister (registry, id));
  g_assert_true (unpeeked_gone);

  /* A lazy singleton: closing does not release a peeked one. */
  hs_registry_register_type_full (registry, TEST_TYPE_CUSTOMER, G_TYPE_INVALID,
                                  G_TYPE_INVALID, HS_LIFETIME_SINGLETON, &error);
  singleton = hs_registry_get (registry, TEST_TYPE_CUSTOMER, NULL, &error);
  g_assert_no_error (error);
  g_object_weak_ref (singleton, set_flag, &singleton_gone);
  g_object_unref (singleton);
  g_assert_true (hs_registry_peek (registry, TEST_TYPE_CUSTOMER, NULL, &error) == singleton);
  hs_registry_close (registry);
  g_assert_false (singleton_gone);

  /* The child keeps its parent alive. */
  g_object_unref (registry);
  g_assert_false (instance_gone);
  g_assert_false (singleton_gone);
  g_object_unref (child);
  g_assert_true (instance_gone);
  g_assert_true (singleton_gone);
}

/* Several threads peek while another registers and unregisters: every
 * object lent is valid while the registry lives, and all are released
 * when it is finalized. */
#define N_PEEKERS 4
#define N_OBJECTS 64

typedef struct
{
  HsRegistry *registry;
  gint        stop;
  guint       peeks;
} PeekJob;

static gpointer
peek_thread (gpointer data)
{
  PeekJob *job = data;
  HsRegistry *child = hs_registry_new (job->registry, NULL);
  guint peeks = 0;

  while (!g_atomic_int_get (&job->stop))
    {
      GError *error = NULL;
      GObject *object = hs_registry_peek (peeks % 2 ? child : job->registry,
                                          TEST_TYPE_GREETING, NULL, &error);

      /* Between an unregistration and the next registration nothing
       * answers. */
      if (object == NULL)
        {
          g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
          g_clear_error (&error);
          continue;
        }
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (object, TEST_TYPE_GREETING));
      g_assert_cmpstr (test_greeting_get_salutation (object), ==, "Threads");
      peeks++;
    }
  g_object_unref (child);
  g_atomic_int_add (&job->peeks, peeks);

  return NULL;
}

static void
test_threads (void)
{
  PeekJob job = { hs_registry_new (NULL, NULL), 0, 0 };
  gboolean gone[N_OBJECTS] = { FALSE, };
  GThread *threads[N_PEEKERS];

  for (guint t = 0; t < N_PEEKERS; t++)
    threads[t] = g_thread_new ("peek", peek_thread, &job);

  for (guint i = 0; i < N_OBJECTS; i++)
    {
      GObject *object = g_object_new (TEST_TYPE_GREETING, "salutation", "Threads", NULL);
      guint id;

      g_object_weak_ref (object, set_flag, &gone[i]);
      id = hs_registry_register_instance (job.registry, object, TEST_TYPE_GREETING,
                                          G_TYPE_INVALID, NULL);
      g_object_unref (object);
      g_usleep (500);
      g_assert_true (hs_registry_unregister (job.registry, id));
    }

  g_atomic_int_set (&job.stop, 1);
  for (guint t = 0; t < N_PEEKERS; t++)
    g_thread_join (threads[t]);
  g_assert_cmpuint (job.peeks, >, 0);

  g_object_unref (job.registry);
  for (guint i = 0; i < N_OBJECTS; i++)
    g_assert_true (gone[i]);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/peek/instance-identity", test_instance_identity);
  g_test_add_func ("/peek/not-singleton", test_not_singleton);
  g_test_add_func ("/peek/kept", test_kept);
  g_test_add_func ("/peek/valid-until-finalized", test_valid_until_finalized);
  g_test_add_func ("/peek/threads", test_threads);

  return g_test_run ();
}
