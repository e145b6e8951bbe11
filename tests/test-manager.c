/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The registry manager (SPEC section 7) with real shared modules, built by
 * meson in tests/modules/, loaded and unloaded while the tests run: through
 * the manager and through g_module_open()/g_module_close().
 *
 * The plugins log what runs through the host library (test-host.h); each
 * test starts from a clean state (no key subscribed, no plugin loaded, an
 * empty log) and leaves one behind.
 */
#define _GNU_SOURCE                       /* RTLD_NOLOAD */
#include <dlfcn.h>

#include "hs-test-types.h"
#include "test-host.h"

/* The main program's own registry function. */
HS_REGISTRY_FUNCTION (TestKeyMain, Main)
{
  test_host_log ("main");
  g_assert_true (test_host_add_unload_logger ("main-unload"));
}

static const char *const key_names[] = {
  "TestKeyA", "TestKeyB", "TestKeyNested", "TestKeyInner", "TestSlowKey",
  "TestOtherKey", "TestExitKey", "TestKeyMain", "TestKeyBinding", "TestGateKey",
  "TestGateSelfKey",
};

/* Keys are plain GObject subclasses, registered on first use: plugins only
 * know their names. */
static GType
key (const char *name)
{
  return test_host_key (name);
}

static char *
module_path (const char *name)
{
  char *file = g_strconcat (name, "." G_MODULE_SUFFIX, NULL);
  char *path = g_test_build_filename (G_TEST_BUILT, "modules", file, NULL);

  g_free (file);
  return path;
}

static void
load (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = module_path (name);

  g_assert_true (hs_registry_manager_load_module (hs_registry_manager_get_default (), path, &error));
  g_assert_no_error (error);
}

static void
unload (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = module_path (name);

  g_assert_true (hs_registry_manager_unload_module (hs_registry_manager_get_default (), path, &error));
  g_assert_no_error (error);
}

/* Whether the dynamic loader still has the plugin mapped. */
static gboolean
is_mapped (const char *name)
{
  g_autofree char *path = module_path (name);
  void *handle = dlopen (path, RTLD_LAZY | RTLD_NOLOAD);

  if (handle != NULL)
    dlclose (handle);
  return handle != NULL;
}

#define assert_log(expected) \
  G_STMT_START { \
    g_autofree char *_log = test_host_take_log (); \
    g_assert_cmpstr (_log, ==, (expected)); \
  } G_STMT_END

static void
reset (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (key_names); i++)
    hs_registry_manager_unsubscribe (manager, key (key_names[i]));
  test_host_set_registry (NULL);
  test_host_reset_counts ();
  g_free (test_host_take_log ());
}

static void
log_with_base_name (const char *prefix,
                    const char *name)
{
  g_autofree char *base = g_path_get_basename (name);
  g_autofree char *event = g_strconcat (prefix, base, NULL);

  test_host_log (event);
}

static void
on_module_loaded (HsRegistryManager *manager,
                  const char        *name,
                  gpointer           data)
{
  log_with_base_name ("loaded:", name);
}

static void
on_unloaded_before (HsRegistryManager *manager,
                    const char        *name,
                    gpointer           data)
{
  log_with_base_name ("before:", name);
}

static void
on_unloaded_after (HsRegistryManager *manager,
                   const char        *name,
                   gpointer           data)
{
  log_with_base_name ("after:", name);
}

static void
on_subscribed (HsRegistryManager *manager,
               GType              key_type,
               gpointer           data)
{
  g_autofree char *event = g_strconcat ((const char *) data, g_type_name (key_type), NULL);

  test_host_log (event);
}

/* Loading records and runs nothing: no GType (not even the manager's) is
 * touched, in a fresh process. */
static void
test_record_only (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = module_path ("plugin-a");
      GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);

      g_assert_nonnull (module);
      g_assert_cmpuint (g_type_from_name ("HsRegistryManager"), ==, G_TYPE_INVALID);
      g_assert_cmpuint (g_type_from_name ("TestKeyA"), ==, G_TYPE_INVALID);
      assert_log ("");
      g_module_close (module);
      g_assert_cmpuint (g_type_from_name ("HsRegistryManager"), ==, G_TYPE_INVALID);
      assert_log ("");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Tf: load and unload before subscribing, then subscribe: no crash, and
 * nothing stale runs. */
static void
test_load_unload_before_subscribe (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autofree char *path = module_path ("plugin-a");
  GModule *module;

  reset ();

  load ("plugin-a");
  unload ("plugin-a");

  /* And behind the manager's back. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  g_assert_nonnull (module);
  g_assert_true (g_module_close (module));

  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  hs_registry_manager_subscribe (manager, key ("TestKeyB"));
  assert_log ("");

  reset ();
}

/* Functions run in recording order (libraries in load order), once. */
static void
test_subscribe_order (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  reset ();

  load ("plugin-a");
  load ("plugin-b");
  assert_log ("");
  g_assert_false (hs_registry_manager_is_subscribed (manager, key ("TestKeyA")));

  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  assert_log ("a1 a2 b1");
  g_assert_true (hs_registry_manager_is_subscribed (manager, key ("TestKeyA")));
  g_assert_false (hs_registry_manager_is_subscribed (manager, key ("TestKeyB")));

  /* Again: a no-op. */
  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  assert_log ("");

  unload ("plugin-b");
  unload ("plugin-a");
  assert_log ("a1-unload a2-unload");

  /* The TestKeyB function of the unloaded plugin is forgotten. */
  hs_registry_manager_subscribe (manager, key ("TestKeyB"));
  assert_log ("");

  reset ();
}

/* Tf: a module loaded after the subscription runs its functions at load,
 * before load_module() returns and before ::module-loaded. */
static void
test_load_after_subscribe (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  gulong handler;

  reset ();
  handler = g_signal_connect (manager, "module-loaded", G_CALLBACK (on_module_loaded), NULL);

  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  assert_log ("");

  load ("plugin-a");
  assert_log ("a1 a2 loaded:plugin-a.so");

  load ("plugin-b");
  assert_log ("b1 loaded:plugin-b.so");

  /* Loading again takes a reference: no new functions, no signal. */
  load ("plugin-a");
  assert_log ("");
  unload ("plugin-a");
  assert_log ("");

  unload ("plugin-b");
  unload ("plugin-a");
  assert_log ("a1-unload a2-unload");

  g_signal_handler_disconnect (manager, handler);
  reset ();
}

/* A module loaded with g_module_open() is recorded at load; its functions
 * for subscribed keys run at the next call into the manager (or the next
 * registry operation: see test_g_module_observed_at_load()), and
 * g_module_close() unloads it as the manager would. */
static void
test_g_module (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autofree char *path = module_path ("plugin-a");
  gulong handlers[2];
  GModule *module;

  reset ();
  handlers[0] = g_signal_connect (manager, "module-loaded", G_CALLBACK (on_module_loaded), NULL);
  handlers[1] = g_signal_connect (manager, "unloaded", G_CALLBACK (on_unloaded_before), NULL);

  hs_registry_manager_subscribe (manager, key ("TestKeyA"));

  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  g_assert_nonnull (module);
  assert_log ("");

  hs_registry_manager_subscribe (manager, key ("TestKeyB"));
  assert_log ("a1 a2 loaded:plugin-a.so a-b");

  g_assert_true (g_module_close (module));
  assert_log ("before:plugin-a.so a1-unload a2-unload");

  /* Unloaded: the manager does not know it any more. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (hs_registry_manager_unload_module (manager, path, &error));
    g_assert_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_LOADED);
  }

  g_signal_handler_disconnect (manager, handlers[0]);
  g_signal_handler_disconnect (manager, handlers[1]);
  reset ();
}

static gpointer
lookup_thread (gpointer data)
{
  return hs_registry_lookup (data, TEST_TYPE_GREETING, NULL);
}

/* SPEC 11: a module loaded with plain g_module_open() after its key was
 * subscribed is observed by the very next registry operation, with no call
 * into the manager: a get on this thread, a lookup on another one. */
static void
test_g_module_observed_at_load (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autofree char *path = module_path ("plugin-a");
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) greeting = NULL;
  HsRegistration *registration;
  GModule *module;

  reset ();
  g_type_ensure (TEST_TYPE_ANOTHER_GREETING);
  g_type_ensure (TEST_TYPE_FRENCH_CUSTOMER);
  test_host_set_registry (registry);
  hs_registry_manager_subscribe (manager, key ("TestKeyA"));

  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  g_assert_nonnull (module);
  assert_log ("");

  greeting = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (test_greeting_get_salutation (greeting), ==, "Plugin A");
  assert_log ("a1 a2");
  g_clear_object (&greeting);

  g_assert_true (g_module_close (module));
  assert_log ("a1-unload a2-unload");
  greeting = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_assert_null (greeting);
  g_clear_error (&error);

  /* Loaded again: another thread's next operation sees it too. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  g_assert_nonnull (module);
  registration = g_thread_join (g_thread_new ("lookup", lookup_thread, registry));
  g_assert_nonnull (registration);
  g_assert_cmpint (hs_registration_get_registration_type (registration), ==,
                   HS_REGISTRATION_INSTANCE);
  g_object_unref (registration);
  assert_log ("a1 a2");

  g_assert_true (g_module_close (module));
  assert_log ("a1-unload a2-unload");
  g_assert_null (hs_registry_lookup (registry, TEST_TYPE_GREETING, NULL));

  reset ();
}

/* SPEC 11: every manager call observes a module loaded with plain
 * g_module_open() first, also those that only ask or attach. */
typedef enum
{
  CALL_IS_SUBSCRIBED,
  CALL_ADD_FUNCTION_FOR_UNLOAD,
  CALL_UNLOAD_MODULE,
  CALL_ENSURE_REGISTRY,
  CALL_RUN_UNLOADERS_AT_EXIT,
} ManagerCall;

static void
never_called_for_unload (gpointer data)
{
  g_assert_not_reached ();
}

static GType
observing_registry_type (void)
{
  static GType type;

  if (type == G_TYPE_INVALID)
    type = g_type_register_static_simple (HS_TYPE_REGISTRY, "TestObservingRegistry",
                                          sizeof (HsRegistryClass), NULL,
                                          sizeof (HsRegistry), NULL, 0);
  return type;
}

static void
test_g_module_observed_by_manager_call (gconstpointer data)
{
  ManagerCall call = GPOINTER_TO_INT (data);
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autofree char *path = module_path ("plugin-a");
  g_autoptr(GError) error = NULL;
  GModule *module;

  /* Run at exit, unload functions would outlive the test: a process of
   * its own. */
  if (call == CALL_RUN_UNLOADERS_AT_EXIT && !g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  reset ();
  /* Complete before the module appears: its fast path must still look. */
  if (call == CALL_ENSURE_REGISTRY)
    hs_registry_manager_ensure_registry (manager, observing_registry_type ());
  hs_registry_manager_subscribe (manager, key ("TestKeyA"));

  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  g_assert_nonnull (module);
  assert_log ("");

  switch (call)
    {
    case CALL_IS_SUBSCRIBED:
      g_assert_true (hs_registry_manager_is_subscribed (manager, key ("TestKeyA")));
      break;
    case CALL_ADD_FUNCTION_FOR_UNLOAD:
      g_assert_false (hs_registry_manager_add_function_for_unload (manager,
                                                                   never_called_for_unload,
                                                                   NULL, NULL));
      break;
    case CALL_UNLOAD_MODULE:
      g_assert_false (hs_registry_manager_unload_module (manager, "/no/such/module.so", &error));
      g_assert_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_LOADED);
      break;
    case CALL_ENSURE_REGISTRY:
      g_assert_nonnull (hs_registry_manager_ensure_registry (manager, observing_registry_type ()));
      break;
    case CALL_RUN_UNLOADERS_AT_EXIT:
      hs_registry_manager_run_unloaders_at_exit ();
      break;
    default:
      g_assert_not_reached ();
    }
  assert_log ("a1 a2");

  if (call == CALL_RUN_UNLOADERS_AT_EXIT)
    return;

  g_assert_true (g_module_close (module));
  assert_log ("a1-unload a2-unload");
  reset ();
}

/* ::unloaded is RUN_LAST and its default handler runs the unload
 * functions: connect runs before them, connect_after after them. */
static void
test_unload_order (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  gulong handlers[2];

  reset ();
  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  load ("plugin-a");
  assert_log ("a1 a2");

  handlers[0] = g_signal_connect_after (manager, "unloaded", G_CALLBACK (on_unloaded_after), NULL);
  handlers[1] = g_signal_connect (manager, "unloaded", G_CALLBACK (on_unloaded_before), NULL);

  unload ("plugin-a");
  assert_log ("before:plugin-a.so a1-unload a2-unload after:plugin-a.so");

  g_signal_handler_disconnect (manager, handlers[0]);
  g_signal_handler_disconnect (manager, handlers[1]);
  reset ();
}

/* Everything a plugin's functions registered is gone after its unload;
 * what others registered stays. */
static void
test_registrations_owned (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) greeting = NULL;

  reset ();
  g_type_ensure (TEST_TYPE_ANOTHER_GREETING);
  test_host_set_registry (registry);

  /* Not made by a registry function: owned by nobody. */
  g_assert_cmpuint (hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                               G_TYPE_INVALID, &error), >, 0);
  g_assert_no_error (error);

  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  load ("plugin-a");
  assert_log ("a1 a2");

  greeting = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (test_greeting_get_salutation (greeting), ==, "Plugin A");
  g_clear_object (&greeting);
  assert_answers (registry, TEST_TYPE_GREETING, french, TEST_TYPE_ANOTHER_GREETING);

  unload ("plugin-a");
  assert_log ("a1-unload a2-unload");

  greeting = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (test_greeting_get_salutation (greeting), ==, "Hello");
  assert_answers (registry, TEST_TYPE_GREETING, french, TEST_TYPE_GREETING);

  reset ();
}

/* A registry that is gone before the plugin is unloaded is left alone. */
static void
test_registry_gone_first (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  HsRegistry *registry = hs_registry_new (NULL, NULL);

  reset ();
  test_host_set_registry (registry);
  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  load ("plugin-a");
  assert_log ("a1 a2");

  test_host_set_registry (NULL);
  g_assert_finalize_object (registry);

  unload ("plugin-a");
  assert_log ("a1-unload a2-unload");
  reset ();
}

/* Tf: a module loaded again is recorded anew. */
static void
test_reload (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  reset ();
  hs_registry_manager_subscribe (manager, key ("TestKeyA"));

  load ("plugin-a");
  assert_log ("a1 a2");
  unload ("plugin-a");
  assert_log ("a1-unload a2-unload");

  load ("plugin-a");
  assert_log ("a1 a2");
  unload ("plugin-a");
  assert_log ("a1-unload a2-unload");

  reset ();
}

static void
count_destroy (gpointer data)
{
  g_atomic_int_inc ((gint *) data);
}

static void
never_called (gpointer data)
{
  g_assert_not_reached ();
}

static void
test_unload_function_outside (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  gint destroyed = 0;

  g_assert_false (hs_registry_manager_add_function_for_unload (manager, never_called,
                                                               &destroyed, count_destroy));
  g_assert_cmpint (destroyed, ==, 1);
  g_assert_false (test_host_add_unload_logger ("nowhere"));
}

/* The program is a module too. */
static void
test_main_program (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  reset ();
  hs_registry_manager_subscribe (manager, key ("TestKeyMain"));
  assert_log ("main");
  hs_registry_manager_subscribe (manager, key ("TestKeyMain"));
  assert_log ("");
  reset ();
}

/* A registry function that subscribes: the inner key completes before it
 * goes on; its own key returns at once. */
static void
test_nested (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  reset ();
  key ("TestKeyInner");
  load ("plugin-b");

  hs_registry_manager_subscribe (manager, key ("TestKeyNested"));
  assert_log ("nested-start inner1 inner2 inner-done nested-end nested-after");
  g_assert_true (hs_registry_manager_is_subscribed (manager, key ("TestKeyInner")));

  unload ("plugin-b");
  reset ();
}

/* ::subscribed is detailed by the key's name; ::unsubscribed; unsubscribing
 * makes later modules wait for the next subscription. */
static void
test_unsubscribe (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  gulong handlers[3];

  reset ();
  handlers[0] = g_signal_connect (manager, "subscribed::TestKeyA",
                                  G_CALLBACK (on_subscribed), (gpointer) "subscribed:");
  handlers[1] = g_signal_connect (manager, "subscribed::TestKeyB",
                                  G_CALLBACK (on_subscribed), (gpointer) "wrong:");
  handlers[2] = g_signal_connect (manager, "unsubscribed",
                                  G_CALLBACK (on_subscribed), (gpointer) "unsubscribed:");

  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  assert_log ("subscribed:TestKeyA");
  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  assert_log ("");

  hs_registry_manager_unsubscribe (manager, key ("TestKeyA"));
  assert_log ("unsubscribed:TestKeyA");
  g_assert_false (hs_registry_manager_is_subscribed (manager, key ("TestKeyA")));
  hs_registry_manager_unsubscribe (manager, key ("TestKeyA"));
  assert_log ("");

  load ("plugin-a");
  assert_log ("");

  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  assert_log ("a1 a2 subscribed:TestKeyA");

  unload ("plugin-a");
  assert_log ("a1-unload a2-unload");

  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_handler_disconnect (manager, handlers[i]);
  reset ();
}

typedef struct
{
  const char *key;
  const char *tags[3];
} SubscribeJob;

static gpointer
subscribe_thread (gpointer data)
{
  const SubscribeJob *job = data;

  hs_registry_manager_subscribe (hs_registry_manager_get_default (), key (job->key));

  /* Returned: every function of the key has run, once. */
  for (guint i = 0; i < G_N_ELEMENTS (job->tags); i++)
    {
      g_autofree char *name = g_strconcat (job->key, ".", job->tags[i], NULL);

      g_assert_cmpuint (test_host_get_count (name), ==, 1);
    }

  return NULL;
}

static void
run_subscribe_threads (const SubscribeJob *a,
                       const SubscribeJob *b)
{
  GThread *threads[2];

  threads[0] = g_thread_new ("subscribe-a", subscribe_thread, (gpointer) a);
  threads[1] = g_thread_new ("subscribe-b", subscribe_thread, (gpointer) b);
  g_thread_join (threads[0]);
  g_thread_join (threads[1]);
}

static const SubscribeJob slow_job = { "TestSlowKey", { "S1", "S2", "S3" } };
static const SubscribeJob other_job = { "TestOtherKey", { "O1", "O2", "O3" } };

/* Tf: two threads subscribe two keys. */
static void
test_threads_two_keys (void)
{
  reset ();
  key (slow_job.key);
  key (other_job.key);
  load ("plugin-slow");

  run_subscribe_threads (&slow_job, &other_job);
  subscribe_thread ((gpointer) &slow_job);
  subscribe_thread ((gpointer) &other_job);

  unload ("plugin-slow");
  reset ();
}

/* Tf: two threads subscribe one key whose functions are slow: each returns
 * only when all of them ran, and each ran once. */
static void
test_threads_one_key (void)
{
  reset ();
  key (slow_job.key);
  load ("plugin-slow");

  run_subscribe_threads (&slow_job, &slow_job);
  subscribe_thread ((gpointer) &slow_job);

  unload ("plugin-slow");
  reset ();
}

/* Two threads whose functions subscribe to each other's key: the one that
 * would wait for a thread waiting for it returns at once instead. */
static GMutex rendezvous_lock;
static GCond rendezvous_cond;
static guint rendezvous_count;

static gboolean
cross_subscribe (HsRegistryManager  *manager,
                 gpointer            data,
                 GError            **error)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  /* Both functions are running before either subscribes. */
  g_mutex_lock (&rendezvous_lock);
  rendezvous_count++;
  g_cond_broadcast (&rendezvous_cond);
  while (rendezvous_count < 2)
    g_assert_true (g_cond_wait_until (&rendezvous_cond, &rendezvous_lock, deadline));
  g_mutex_unlock (&rendezvous_lock);

  hs_registry_manager_subscribe (manager, key (data));
  test_host_count (data);
  return TRUE;
}

static gpointer
subscribe_key_thread (gpointer data)
{
  hs_registry_manager_subscribe (hs_registry_manager_get_default (), key (data));
  return NULL;
}

static void
test_threads_cross_subscribe (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  GThread *threads[2];

  reset ();
  hs_registry_manager_add_registry_function (manager, key ("TestKeyCross1"), "cross",
                                             cross_subscribe, (gpointer) "TestKeyCross2", NULL);
  hs_registry_manager_add_registry_function (manager, key ("TestKeyCross2"), "cross",
                                             cross_subscribe, (gpointer) "TestKeyCross1", NULL);

  threads[0] = g_thread_new ("cross-1", subscribe_key_thread, (gpointer) "TestKeyCross1");
  threads[1] = g_thread_new ("cross-2", subscribe_key_thread, (gpointer) "TestKeyCross2");
  g_thread_join (threads[0]);
  g_thread_join (threads[1]);

  g_assert_cmpuint (test_host_get_count ("TestKeyCross1"), ==, 1);
  g_assert_cmpuint (test_host_get_count ("TestKeyCross2"), ==, 1);

  hs_registry_manager_unload_owner (manager, "cross");
  hs_registry_manager_unsubscribe (manager, key ("TestKeyCross1"));
  hs_registry_manager_unsubscribe (manager, key ("TestKeyCross2"));
  reset ();
}

/* Threads unload the same owner at once: it is unloaded once, and none
 * touches it after another freed it. */
#define N_UNLOADERS 6

typedef struct
{
  const char *owner;
  GMutex      lock;
  GCond       cond;
  guint       ready;
  gboolean    results[N_UNLOADERS];
} UnloadRace;

static gboolean
binding_own_and_log (HsRegistryManager  *manager,
                     gpointer            data,
                     GError            **error)
{
  hs_registry_register_type (test_host_get_registry (), TEST_TYPE_CUSTOMER,
                             G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  return test_host_add_unload_logger ("race-unload");
}

static gpointer
unload_owner_thread (gpointer data)
{
  UnloadRace *race = data;
  guint index;

  /* Both threads start together. */
  g_mutex_lock (&race->lock);
  index = race->ready++;
  g_cond_broadcast (&race->cond);
  while (race->ready < N_UNLOADERS)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);

  race->results[index] = hs_registry_manager_unload_owner (hs_registry_manager_get_default (),
                                                           race->owner);
  return NULL;
}

static void
test_threads_unload_owner_twice (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);

  reset ();
  test_host_set_registry (registry);
  hs_registry_manager_subscribe (manager, key ("TestKeyBinding"));

  for (guint i = 0; i < 200; i++)
    {
      UnloadRace race = { "owner-race", };
      GThread *threads[N_UNLOADERS];
      guint unloaded = 0;

      g_mutex_init (&race.lock);
      g_cond_init (&race.cond);
      hs_registry_manager_add_registry_function (manager, key ("TestKeyBinding"), race.owner,
                                                 binding_own_and_log, NULL, NULL);
      assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);

      for (guint t = 0; t < N_UNLOADERS; t++)
        threads[t] = g_thread_new ("unload", unload_owner_thread, &race);
      for (guint t = 0; t < N_UNLOADERS; t++)
        g_thread_join (threads[t]);
      for (guint t = 0; t < N_UNLOADERS; t++)
        unloaded += race.results[t];

      /* Unloaded once: its unload function ran once. */
      g_assert_cmpuint (unloaded, >=, 1);
      assert_log ("race-unload");
      assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);
      g_mutex_clear (&race.lock);
      g_cond_clear (&race.cond);
    }

  reset ();
}

static void
test_errors (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autofree char *missing = g_test_build_filename (G_TEST_BUILT, "modules", "no-such-module.so", NULL);
  g_autofree char *broken = g_test_build_filename (G_TEST_BUILT, "modules", "broken.so", NULL);
  g_autofree char *path = module_path ("plugin-b");
  GError *error = NULL;

  g_assert_false (hs_registry_manager_load_module (manager, missing, &error));
  g_assert_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (hs_registry_manager_load_module (manager, broken, &error));
  g_assert_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_LOAD_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (hs_registry_manager_unload_module (manager, path, &error));
  g_assert_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_LOADED);
  g_clear_error (&error);

  load ("plugin-b");
  unload ("plugin-b");
  g_assert_false (hs_registry_manager_unload_module (manager, path, &error));
  g_assert_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_LOADED);
  g_clear_error (&error);

  g_assert_false (hs_registry_manager_unload_owner (manager, "nobody"));
}

/* Functions added at run time, as bindings do. */
static gboolean
binding_log (HsRegistryManager  *manager,
             gpointer            data,
             GError            **error)
{
  HsRegistry *registry = test_host_get_registry ();

  test_host_log (data);
  g_assert_true (test_host_add_unload_logger ("binding-unload"));
  if (registry != NULL)
    g_assert_cmpuint (hs_registry_register_type (registry, TEST_TYPE_CUSTOMER, G_TYPE_INVALID,
                                                 G_TYPE_INVALID, NULL), >, 0);
  return TRUE;
}

static gboolean
binding_fail (HsRegistryManager  *manager,
              gpointer            data,
              GError            **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "boom");
  return FALSE;
}

static void
test_binding_functions (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  gint destroyed = 0;
  gulong handlers[2];

  reset ();
  test_host_set_registry (registry);
  handlers[0] = g_signal_connect (manager, "module-loaded", G_CALLBACK (on_module_loaded), NULL);
  handlers[1] = g_signal_connect (manager, "unloaded", G_CALLBACK (on_unloaded_before), NULL);

  hs_registry_manager_add_registry_function (manager, key ("TestKeyBinding"), "owner-x",
                                             binding_log, (gpointer) "f1", NULL);
  hs_registry_manager_add_registry_function (manager, key ("TestKeyBinding"), "owner-x",
                                             binding_fail, &destroyed, count_destroy);
  hs_registry_manager_add_registry_function (manager, key ("TestKeyBinding"), "owner-x",
                                             binding_log, (gpointer) "f3", NULL);
  assert_log ("loaded:owner-x");

  g_test_expect_message ("Hopscotch", G_LOG_LEVEL_WARNING, "*owner-x*TestKeyBinding*boom*");
  hs_registry_manager_subscribe (manager, key ("TestKeyBinding"));
  g_test_assert_expected_messages ();
  assert_log ("f1 f3");
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);

  /* Subscribed: a function added now runs at once. */
  hs_registry_manager_add_registry_function (manager, key ("TestKeyBinding"), "owner-x",
                                             binding_log, (gpointer) "f4", NULL);
  assert_log ("f4");

  g_assert_true (hs_registry_manager_unload_owner (manager, "owner-x"));
  assert_log ("before:owner-x binding-unload binding-unload binding-unload");
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);
  g_assert_false (hs_registry_manager_unload_owner (manager, "owner-x"));

  /* A function whose owner goes before it ran never runs; its data is
   * destroyed. */
  hs_registry_manager_unsubscribe (manager, key ("TestKeyBinding"));
  hs_registry_manager_add_registry_function (manager, key ("TestKeyBinding"), "owner-y",
                                             binding_fail, &destroyed, count_destroy);
  assert_log ("loaded:owner-y");
  g_assert_cmpint (destroyed, ==, 1);
  g_assert_true (hs_registry_manager_unload_owner (manager, "owner-y"));
  assert_log ("before:owner-y");
  g_assert_cmpint (destroyed, ==, 2);
  hs_registry_manager_subscribe (manager, key ("TestKeyBinding"));
  assert_log ("");

  g_signal_handler_disconnect (manager, handlers[0]);
  g_signal_handler_disconnect (manager, handlers[1]);
  reset ();
}

/* G_TYPE_NONE (Python's None) is no key: refused with a warning, never a
 * critical, and nothing runs for it. */
static void
test_none_is_no_key (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  gint destroyed = 0;

  reset ();
  g_test_expect_message ("Hopscotch", G_LOG_LEVEL_WARNING, "*subscribe*G_TYPE_NONE*");
  hs_registry_manager_subscribe (manager, G_TYPE_NONE);
  g_test_assert_expected_messages ();
  g_assert_false (hs_registry_manager_is_subscribed (manager, G_TYPE_NONE));

  g_test_expect_message ("Hopscotch", G_LOG_LEVEL_WARNING, "*add_registry_function*G_TYPE_NONE*");
  hs_registry_manager_add_registry_function (manager, G_TYPE_NONE, "owner-none",
                                             binding_fail, &destroyed, count_destroy);
  g_test_assert_expected_messages ();
  g_assert_cmpint (destroyed, ==, 1);
  g_assert_false (hs_registry_manager_unload_owner (manager, "owner-none"));

  g_test_expect_message ("Hopscotch", G_LOG_LEVEL_WARNING, "*unsubscribe*G_TYPE_NONE*");
  hs_registry_manager_unsubscribe (manager, G_TYPE_NONE);
  g_test_assert_expected_messages ();
  assert_log ("");
  reset ();
}

/* The singleton registry's first creation races a new registry function
 * for its key, whose body asks for the registry: neither waits for the
 * other for good, the function runs once, and what it registered is there
 * when ensure_registry() returns, if the function was added before. Every
 * other time the key is subscribed beforehand (as by a module loaded
 * earlier), so that the new function runs on its own thread while the
 * registry is being constructed (slowly). */
typedef struct
{
  GType    type;
  char    *owner;
  gint     added;                       /* atomic */
  gint     ran;                         /* atomic */
  gpointer from_function;               /* atomic */
  gpointer from_thread;
  gboolean visible_on_return;
  GMutex   lock;
  GCond    cond;
  guint    done;
} SingletonRace;

static void
singleton_race_done (SingletonRace *race)
{
  g_mutex_lock (&race->lock);
  race->done++;
  g_cond_signal (&race->cond);
  g_mutex_unlock (&race->lock);
}

static gboolean
singleton_race_function (HsRegistryManager  *manager,
                         gpointer            data,
                         GError            **error)
{
  SingletonRace *race = data;
  HsRegistry *registry = hs_registry_manager_ensure_registry (manager, race->type);

  g_atomic_pointer_set (&race->from_function, registry);
  g_atomic_int_inc (&race->ran);
  return hs_registry_register_type (registry, TEST_TYPE_CUSTOMER,
                                    G_TYPE_INVALID, G_TYPE_INVALID, error) != 0;
}

static gpointer
singleton_race_ensure (gpointer data)
{
  SingletonRace *race = data;
  gboolean added_before = g_atomic_int_get (&race->added);
  HsRegistry *registry;

  registry = hs_registry_manager_ensure_registry (hs_registry_manager_get_default (), race->type);
  race->from_thread = registry;
  if (added_before)
    {
      g_autoptr(HsRegistration) found = hs_registry_lookup (registry, TEST_TYPE_CUSTOMER, NULL);

      race->visible_on_return = found != NULL;
    }
  else
    race->visible_on_return = TRUE;
  singleton_race_done (race);
  return NULL;
}

static gpointer
singleton_race_add (gpointer data)
{
  SingletonRace *race = data;

  hs_registry_manager_add_registry_function (hs_registry_manager_get_default (), race->type,
                                             race->owner, singleton_race_function, race, NULL);
  g_atomic_int_set (&race->added, TRUE);
  singleton_race_done (race);
  return NULL;
}

static void
slow_registry_init (GTypeInstance *instance,
                    gpointer       klass)
{
  g_usleep (2 * G_TIME_SPAN_MILLISECOND);
}

static void
test_threads_singleton_race (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("TestSingletonRegistry%u", i);
      SingletonRace race = { 0, };
      GThread *threads[2];
      gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

      race.type = g_type_register_static_simple (HS_TYPE_REGISTRY, g_intern_string (name),
                                                 sizeof (HsRegistryClass), NULL,
                                                 sizeof (HsRegistry), slow_registry_init, 0);
      if (i % 2 == 1)
        hs_registry_manager_subscribe (manager, race.type);
      race.owner = g_strdup_printf ("singleton-race-%u", i);
      g_mutex_init (&race.lock);
      g_cond_init (&race.cond);

      threads[0] = g_thread_new ("ensure", singleton_race_ensure, &race);
      threads[1] = g_thread_new ("add", singleton_race_add, &race);

      /* A deadlock fails the test instead of hanging it. */
      g_mutex_lock (&race.lock);
      while (race.done < 2)
        if (!g_cond_wait_until (&race.cond, &race.lock, deadline))
          g_error ("Iteration %u: deadlock between ensure_registry() and a new "
                   "registry function", i);
      g_mutex_unlock (&race.lock);
      g_thread_join (threads[0]);
      g_thread_join (threads[1]);

      g_assert_cmpint (g_atomic_int_get (&race.ran), ==, 1);
      g_assert_true (race.from_thread == g_atomic_pointer_get (&race.from_function));
      g_assert_true (race.from_thread == hs_registry_manager_ensure_registry (manager, race.type));
      g_assert_true (race.visible_on_return);
      assert_answers (race.from_thread, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);

      hs_registry_manager_unload_owner (manager, race.owner);
      g_free (race.owner);
      g_mutex_clear (&race.lock);
      g_cond_clear (&race.cond);
    }
}

/* The pattern of a GRecMutex around the constructor, which deadlocks, is
 * documented no more. */
static void
test_singleton_old_pattern_gone (void)
{
  const char *const files[][3] = {
    { "docs", "registry-manager.xml", NULL },
    { "hopscotch", "hs-registry-manager.c", NULL },
    { "examples", "image-transformer", "image-transformer.c" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", files[i][0], files[i][1],
                                                     files[i][2], NULL);
      g_autofree char *text = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        {
          g_test_skip ("The sources are not there");
          return;
        }
      g_assert_null (strstr (text, "g_rec_mutex_lock"));
      g_assert_nonnull (strstr (text, "hs_registry_manager_ensure_registry"));
    }
}

/* Pinning: a module's code is never unmapped while it runs. */

/* What the test saw when it unloaded plugin-gate while a thread waited at
 * the plugin's gate. */
typedef struct
{
  char     *log;                          /* right after the unload */
  gboolean  mapped;                       /* then */
  gpointer  result;                       /* what the thread returned */
} GateRace;

/* Loads plugin-gate, runs @func on a thread until it reaches the plugin's
 * gate, unloads the plugin through the manager meanwhile, then lets the
 * thread go on to its end; the log also has ::unloaded ("before:"). In the
 * end the plugin is unmapped and what it registered in @registry is gone.
 * The log is empty at the start. */
static void
unload_at_gate (GThreadFunc  func,
                gpointer     data,
                HsRegistry  *registry,
                GateRace    *race)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  GThread *thread;
  gulong handler;

  g_type_ensure (TEST_TYPE_CUSTOMER);
  handler = g_signal_connect (manager, "unloaded", G_CALLBACK (on_unloaded_before), NULL);

  load ("plugin-gate");
  test_host_gate_arm ();
  thread = g_thread_new ("gate", func, data);
  g_assert_true (test_host_gate_wait_reached ());

  unload ("plugin-gate");
  race->log = test_host_take_log ();
  race->mapped = is_mapped ("plugin-gate");

  test_host_gate_open ();
  race->result = g_thread_join (thread);

  g_signal_handler_disconnect (manager, handler);
  g_assert_false (is_mapped ("plugin-gate"));
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);
}

/* A module unloaded while its registry function runs on another thread
 * stays mapped until the function returns: the unload completes then, and
 * its unload functions run after the function's end. */
static void
test_threads_unload_while_running (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  GateRace race = { NULL, };

  reset ();
  test_host_set_registry (registry);

  unload_at_gate (subscribe_key_thread, (gpointer) "TestGateKey", registry, &race);

  /* The manager's unload returned with the function still running. */
  g_assert_cmpstr (race.log, ==, "gate-start");
  g_assert_true (race.mapped);
  assert_log ("gate-done before:plugin-gate.so gate-unload");

  g_free (race.log);
  reset ();
}

/* A registry function that unloads its own module goes on to its end; the
 * unload completes when it returns. */
static void
test_unload_self (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autofree char *path = module_path ("plugin-gate");
  gulong handler;

  reset ();
  test_host_set_path (path);
  handler = g_signal_connect (manager, "unloaded", G_CALLBACK (on_unloaded_before), NULL);
  load ("plugin-gate");

  hs_registry_manager_subscribe (manager, key ("TestGateSelfKey"));
  assert_log ("self-start self-done before:plugin-gate.so self-unload");
  g_assert_false (is_mapped ("plugin-gate"));

  g_signal_handler_disconnect (manager, handler);
  test_host_set_path (NULL);
  reset ();
}

static gpointer
scan_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = hs_registry_scan (data, "plugin-gate." G_MODULE_SUFFIX, &error);

  g_assert_no_error (error);
  return GINT_TO_POINTER (ok);
}

/* A scan evaluating an injectable's type expression while another thread
 * unloads its module: the expression finishes, the scan registers it for
 * the module, and the unload, completed after it, takes it back. */
static void
test_threads_scan_while_unloading (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  GateRace race = { NULL, };

  reset ();

  unload_at_gate (scan_thread, registry, registry, &race);

  g_assert_true (GPOINTER_TO_INT (race.result));
  g_assert_cmpstr (race.log, ==, "");
  g_assert_true (race.mapped);
  assert_log ("eval:TestCustomer types-done before:plugin-gate.so");

  g_free (race.log);
  reset ();
}

/* Everything at once, for a bounded time: modules loaded and unloaded
 * through the manager and with g_module_close(), binding owners added and
 * unloaded from two threads, against subscriptions, scans and gets in the
 * registry the modules fill. Nothing may crash, deadlock or trip a
 * sanitizer; each thread keeps going until the time is up. */

#define STRESS_SECONDS 1.5

typedef struct
{
  gint64      end;
  HsRegistry *registry;
} Stress;

static gboolean
stress_going (const Stress *stress)
{
  return g_get_monotonic_time () < stress->end;
}

static gpointer
stress_load_thread (gpointer data)
{
  const Stress *stress = data;
  const char *const plugins[] = { "plugin-a", "plugin-gate", "plugin-injectables" };
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  for (guint i = 0; stress_going (stress); i++)
    {
      const char *plugin = plugins[i % G_N_ELEMENTS (plugins)];

      load (plugin);
      if (i % 3 == 0)
        {
          g_autofree char *path = module_path (plugin);
          GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);

          /* Loaded behind the manager's back too: unloaded by either. */
          g_assert_nonnull (module);
          hs_registry_manager_unsubscribe (manager, key ("TestKeyB"));
          hs_registry_manager_subscribe (manager, key ("TestKeyB"));
          g_module_close (module);
        }
      unload (plugin);
    }

  return NULL;
}

/* The other thread may unload the owner while this runs: the unload
 * function is refused then, which is no failure. */
static gboolean
stress_binding (HsRegistryManager  *manager,
                gpointer            data,
                GError            **error)
{
  binding_own_and_log (manager, data, error);
  return TRUE;
}

static gpointer
stress_owner_thread (gpointer data)
{
  const Stress *stress = data;
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  while (stress_going (stress))
    {
      hs_registry_manager_add_registry_function (manager, key ("TestKeyBinding"), "stress",
                                                 stress_binding, NULL, NULL);
      hs_registry_manager_unload_owner (manager, "stress");
    }

  return NULL;
}

static gpointer
stress_use_thread (gpointer data)
{
  const Stress *stress = data;

  while (stress_going (stress))
    {
      g_autoptr(HsRegistry) scanned = hs_registry_new (NULL, NULL);
      g_autoptr(GObject) customer = NULL;

      /* A module may go between the scan's start and its end: that is not
       * an error, nor is finding nothing. */
      g_assert_true (hs_registry_scan (scanned, NULL, NULL));
      customer = hs_registry_get (stress->registry, TEST_TYPE_CUSTOMER, NULL, NULL);
      g_clear_object (&customer);
      customer = hs_registry_get (scanned, TEST_TYPE_CUSTOMER, NULL, NULL);
    }

  return NULL;
}

static void
test_threads_modules_stress (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  Stress stress = { 0, registry };
  GThreadFunc funcs[] = { stress_load_thread, stress_load_thread, stress_owner_thread,
                          stress_owner_thread, stress_use_thread, stress_use_thread };
  GThread *threads[G_N_ELEMENTS (funcs)];

  reset ();
  g_type_ensure (TEST_TYPE_ANOTHER_GREETING);
  g_type_ensure (TEST_TYPE_CUSTOMER);
  test_host_set_registry (registry);
  hs_registry_manager_subscribe (manager, key ("TestKeyA"));
  hs_registry_manager_subscribe (manager, key ("TestGateKey"));
  hs_registry_manager_subscribe (manager, key ("TestKeyBinding"));

  stress.end = g_get_monotonic_time () + STRESS_SECONDS * G_TIME_SPAN_SECOND;
  for (guint i = 0; i < G_N_ELEMENTS (funcs); i++)
    threads[i] = g_thread_new ("stress", funcs[i], &stress);
  for (guint i = 0; i < G_N_ELEMENTS (funcs); i++)
    g_thread_join (threads[i]);

  /* Everything unloaded: nothing the modules or owners registered is left. */
  g_assert_false (is_mapped ("plugin-a"));
  g_assert_false (is_mapped ("plugin-gate"));
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);

  reset ();
}

/* At exit unload functions run only after run_unloaders_at_exit(), which
 * creates nothing. */
static void
test_exit (gconstpointer data)
{
  gboolean unloaders_at_exit = GPOINTER_TO_INT (data);

  if (g_test_subprocess ())
    {
      if (unloaders_at_exit)
        {
          hs_registry_manager_run_unloaders_at_exit ();
          g_assert_cmpuint (g_type_from_name ("HsRegistryManager"), ==, G_TYPE_INVALID);
        }
      key ("TestExitKey");
      load ("plugin-exit");
      hs_registry_manager_subscribe (hs_registry_manager_get_default (), key ("TestExitKey"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  if (unloaders_at_exit)
    g_test_trap_assert_stdout ("*exit-unload-ran*");
  else
    g_test_trap_assert_stdout_unmatched ("*exit-unload-ran*");
}

/* HOPSCOTCH_DEBUG=manager: what a module recorded, and its unload. */
static void
test_debug_log (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("HOPSCOTCH_DEBUG", "manager", TRUE);
      g_setenv ("G_MESSAGES_DEBUG", "Hopscotch", TRUE);
      load ("plugin-a");
      unload ("plugin-a");
      return;
    }

  /* In the C locale, GLib writes the quotes as "?": matched by "*". */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*manager: recorded registry function *First* for key *TestKeyA* "
                             "of * (key not subscribed yet)*");
  g_test_trap_assert_stdout ("*manager: unloading */plugin-a." G_MODULE_SUFFIX
                             ": 3 registry functions not run are dropped*");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manager/record-only", test_record_only);
  g_test_add_func ("/manager/debug-log", test_debug_log);
  g_test_add_func ("/manager/load-unload-before-subscribe", test_load_unload_before_subscribe);
  g_test_add_func ("/manager/subscribe-order", test_subscribe_order);
  g_test_add_func ("/manager/load-after-subscribe", test_load_after_subscribe);
  g_test_add_func ("/manager/g-module", test_g_module);
  g_test_add_func ("/manager/g-module-observed-at-load", test_g_module_observed_at_load);
  g_test_add_data_func ("/manager/g-module-observed-by/is-subscribed",
                        GINT_TO_POINTER (CALL_IS_SUBSCRIBED), test_g_module_observed_by_manager_call);
  g_test_add_data_func ("/manager/g-module-observed-by/add-function-for-unload",
                        GINT_TO_POINTER (CALL_ADD_FUNCTION_FOR_UNLOAD),
                        test_g_module_observed_by_manager_call);
  g_test_add_data_func ("/manager/g-module-observed-by/unload-module",
                        GINT_TO_POINTER (CALL_UNLOAD_MODULE), test_g_module_observed_by_manager_call);
  g_test_add_data_func ("/manager/g-module-observed-by/ensure-registry",
                        GINT_TO_POINTER (CALL_ENSURE_REGISTRY), test_g_module_observed_by_manager_call);
  g_test_add_data_func ("/manager/g-module-observed-by/run-unloaders-at-exit",
                        GINT_TO_POINTER (CALL_RUN_UNLOADERS_AT_EXIT),
                        test_g_module_observed_by_manager_call);
  g_test_add_func ("/manager/unload-order", test_unload_order);
  g_test_add_func ("/manager/registrations-owned", test_registrations_owned);
  g_test_add_func ("/manager/registry-gone-first", test_registry_gone_first);
  g_test_add_func ("/manager/reload", test_reload);
  g_test_add_func ("/manager/unload-function-outside", test_unload_function_outside);
  g_test_add_func ("/manager/main-program", test_main_program);
  g_test_add_func ("/manager/nested", test_nested);
  g_test_add_func ("/manager/unsubscribe", test_unsubscribe);
  g_test_add_func ("/manager/threads/two-keys", test_threads_two_keys);
  g_test_add_func ("/manager/threads/one-key", test_threads_one_key);
  g_test_add_func ("/manager/threads/cross-subscribe", test_threads_cross_subscribe);
  g_test_add_func ("/manager/threads/unload-owner-twice", test_threads_unload_owner_twice);
  g_test_add_func ("/manager/threads/singleton-race", test_threads_singleton_race);
  g_test_add_func ("/manager/singleton/old-pattern-gone", test_singleton_old_pattern_gone);
  g_test_add_func ("/manager/threads/unload-while-running", test_threads_unload_while_running);
  g_test_add_func ("/manager/unload-self", test_unload_self);
  g_test_add_func ("/manager/threads/scan-while-unloading", test_threads_scan_while_unloading);
  g_test_add_func ("/manager/threads/modules-stress", test_threads_modules_stress);
  g_test_add_func ("/manager/errors", test_errors);
  g_test_add_func ("/manager/none-is-no-key", test_none_is_no_key);
  g_test_add_func ("/manager/binding-functions", test_binding_functions);
  g_test_add_data_func ("/manager/exit/no-unloaders", GINT_TO_POINTER (FALSE), test_exit);
  g_test_add_data_func ("/manager/exit/unloaders", GINT_TO_POINTER (TRUE), test_exit);

  return g_test_run ();
}
