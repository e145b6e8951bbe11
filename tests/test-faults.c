/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Faults: factories and constructors that fail (also deep inside an
 * injection), a plugin whose registry function fails midway, unloading a
 * plugin while its objects are still referenced, and user code that calls
 * back into the registry from destroy notifies and factories. Each must
 * leave the registries consistent, report an error, and leak nothing (the
 * valgrind setup runs this suite too).
 */
#include <unistd.h>
#include <glib/gstdio.h>

#include "hs-test-types.h"
#include "hopscotch/hs-index-private.h"

/* Counts its instances, and fails GInitable.init() while fault_fail_init. */
static gint fault_alive;
static gboolean fault_fail_init;

#define FAULT_TYPE_DEP (fault_dep_get_type ())
G_DECLARE_FINAL_TYPE (FaultDep, fault_dep, FAULT, DEP, GObject)
struct _FaultDep { GObject parent_instance; };
static void fault_dep_initable_init (GInitableIface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (FaultDep, fault_dep, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, fault_dep_initable_init))

static gboolean
fault_dep_init_impl (GInitable *initable, GCancellable *cancellable, GError **error)
{
  if (fault_fail_init)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "dependency refused");
      return FALSE;
    }
  return TRUE;
}

static void fault_dep_initable_init (GInitableIface *iface) { iface->init = fault_dep_init_impl; }

static void
fault_dep_finalize (GObject *object)
{
  g_atomic_int_add (&fault_alive, -1);
  G_OBJECT_CLASS (fault_dep_parent_class)->finalize (object);
}

static void fault_dep_class_init (FaultDepClass *klass) { G_OBJECT_CLASS (klass)->finalize = fault_dep_finalize; }
static void fault_dep_init (FaultDep *self) { g_atomic_int_inc (&fault_alive); }

/* Needs a Greeting and a FaultDep, injected; counted too. */
#define FAULT_TYPE_USER (fault_user_get_type ())
G_DECLARE_FINAL_TYPE (FaultUser, fault_user, FAULT, USER, GObject)
struct _FaultUser { GObject parent_instance; GObject *greeting, *dep; };
G_DEFINE_FINAL_TYPE (FaultUser, fault_user, G_TYPE_OBJECT)

static void
fault_user_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  FaultUser *self = FAULT_USER (object);

  g_set_object (id == 1 ? &self->greeting : &self->dep, g_value_get_object (value));
}

static void
fault_user_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  FaultUser *self = FAULT_USER (object);

  g_value_set_object (value, id == 1 ? self->greeting : self->dep);
}

static void
fault_user_dispose (GObject *object)
{
  g_clear_object (&FAULT_USER (object)->greeting);
  g_clear_object (&FAULT_USER (object)->dep);
  G_OBJECT_CLASS (fault_user_parent_class)->dispose (object);
}

static void
fault_user_finalize (GObject *object)
{
  g_atomic_int_add (&fault_alive, -1);
  G_OBJECT_CLASS (fault_user_parent_class)->finalize (object);
}

static void
fault_user_class_init (FaultUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = fault_user_set_property;
  object_class->get_property = fault_user_get_property;
  object_class->dispose = fault_user_dispose;
  object_class->finalize = fault_user_finalize;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("greeting", NULL, NULL, TEST_TYPE_GREETING,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, 2,
    g_param_spec_object ("dep", NULL, NULL, FAULT_TYPE_DEP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void fault_user_init (FaultUser *self) { g_atomic_int_inc (&fault_alive); }

/* A factory that fails with an error of its own while *fail is set. */
typedef struct
{
  gboolean    fail;
  gint        calls;
  gint        destroyed;
  HsRegistry *registry;                 /* for the factories that call back */
  guint       own_id;
} FaultFactory;

static GObject *
failing_factory (HsRegistry *registry, GObject *context, guint n, const char **names,
                 const GValue *values, gpointer user_data, GError **error)
{
  FaultFactory *data = user_data;

  data->calls++;
  if (data->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no greeting in time");
      return NULL;
    }
  return g_object_new (TEST_TYPE_GREETING, NULL);
}

static void
fault_factory_destroy (gpointer user_data)
{
  ((FaultFactory *) user_data)->destroyed++;
}

/* A factory failing deep inside an injection fails the outer get with its
 * own error, names what was being injected, and nothing half-built stays
 * alive. Afterwards the registry works as before. */
static void
test_factory_fails_in_dependency (void)
{
  FaultFactory data = { .fail = TRUE };
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  gint alive = g_atomic_int_get (&fault_alive);
  GObject *user;
  guint id;

  hs_registry_register_type (registry, FAULT_TYPE_USER, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (registry, FAULT_TYPE_DEP, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  id = hs_registry_register_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                     failing_factory, &data, fault_factory_destroy, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      user = hs_registry_get (registry, FAULT_TYPE_USER, NULL, &error);
      g_assert_null (user);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_assert_nonnull (strstr (error->message, "greeting"));
      g_assert_nonnull (strstr (error->message, "no greeting in time"));
      g_clear_error (&error);
    }
  g_assert_cmpint (data.calls, ==, 3);
  g_assert_cmpint (g_atomic_int_get (&fault_alive), ==, alive);

  /* The registry is unchanged: the same get works once the factory does. */
  data.fail = FALSE;
  user = hs_registry_get (registry, FAULT_TYPE_USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (FAULT_USER (user)->greeting);
  g_assert_nonnull (FAULT_USER (user)->dep);
  g_object_unref (user);

  g_assert_true (hs_registry_unregister (registry, id));
  g_assert_cmpint (data.destroyed, ==, 1);
  g_assert_cmpint (g_atomic_int_get (&fault_alive), ==, alive);
}

/* A constructor (GInitable.init) that fails inside an injection: its error,
 * unchanged, fails the outer get; the objects built on the way are gone. */
static void
test_constructor_fails_in_dependency (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  gint alive = g_atomic_int_get (&fault_alive);
  GObject *user;

  hs_registry_register_type (registry, FAULT_TYPE_USER, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (registry, FAULT_TYPE_DEP, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  fault_fail_init = TRUE;
  user = hs_registry_get (registry, FAULT_TYPE_USER, NULL, &error);
  fault_fail_init = FALSE;
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_nonnull (strstr (error->message, "dependency refused"));
  g_assert_cmpint (g_atomic_int_get (&fault_alive), ==, alive);
  g_clear_error (&error);

  user = hs_registry_get (registry, FAULT_TYPE_USER, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (user);
  g_assert_cmpint (g_atomic_int_get (&fault_alive), ==, alive);
}

/* Destroy notifies are user code: they run with no registry lock held, so
 * they may call back into the registry, also while it is being disposed. */
static void
reentering_destroy (gpointer user_data)
{
  FaultFactory *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) greeting = NULL;
  guint id;

  data->destroyed++;
  id = hs_registry_register_type (data->registry, TEST_TYPE_ANOTHER_GREETING,
                                  G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  greeting = hs_registry_get (data->registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_ANOTHER_GREETING (greeting));
  g_assert_true (hs_registry_unregister (data->registry, id));
}

static void
test_destroy_notify_reenters (void)
{
  g_autoptr(HsRegistry) other = hs_registry_new (NULL, NULL);
  FaultFactory data = { .registry = other };
  HsRegistry *registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint id;

  id = hs_registry_register_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                     failing_factory, &data, reentering_destroy, &error);
  g_assert_no_error (error);
  data.registry = registry;
  g_assert_true (hs_registry_unregister (registry, id));
  g_assert_cmpint (data.destroyed, ==, 1);

  /* The same from dispose: into another registry. */
  hs_registry_register_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                failing_factory, &data, reentering_destroy, &error);
  g_assert_no_error (error);
  data.registry = other;
  g_object_unref (registry);
  g_assert_cmpint (data.destroyed, ==, 2);
  assert_answers (other, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);
}

/* A factory that unregisters itself while it runs: its data stays valid
 * until it returns, and is destroyed right after. */
static GObject *
self_removing_factory (HsRegistry *registry, GObject *context, guint n, const char **names,
                       const GValue *values, gpointer user_data, GError **error)
{
  FaultFactory *data = user_data;

  g_assert_true (hs_registry_unregister (data->registry, data->own_id));
  g_assert_cmpint (data->destroyed, ==, 0);
  data->calls++;
  return g_object_new (TEST_TYPE_GREETING, NULL);
}

static void
test_factory_unregisters_itself (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  FaultFactory data = { .registry = registry };
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) greeting = NULL;

  data.own_id = hs_registry_register_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                              self_removing_factory, &data,
                                              fault_factory_destroy, &error);
  greeting = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (greeting);
  g_assert_cmpint (data.calls, ==, 1);
  g_assert_cmpint (data.destroyed, ==, 1);
  assert_answers (registry, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);
}

/* Plugins, through the registry manager's run-time registry functions. */

#define FAULT_TYPE_KEY (fault_key_get_type ())
G_DECLARE_FINAL_TYPE (FaultKey, fault_key, FAULT, KEY, GObject)
struct _FaultKey { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (FaultKey, fault_key, G_TYPE_OBJECT)
static void fault_key_class_init (FaultKeyClass *klass) { }
static void fault_key_init (FaultKey *self) { }

typedef struct
{
  HsRegistry *registry;
  GObject    *singleton;              /* weak pointer */
  gboolean    fail;
  gint        destroyed;
} PluginData;

/* Registers a type and a singleton, then (when told to) fails. */
static gboolean
plugin_function (HsRegistryManager *manager, gpointer user_data, GError **error)
{
  PluginData *data = user_data;
  GObject *singleton = g_object_new (TEST_TYPE_ANOTHER_GREETING, NULL);

  data->singleton = singleton;
  g_object_add_weak_pointer (singleton, (gpointer *) &data->singleton);
  hs_registry_register_type (data->registry, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, G_TYPE_INVALID, error);
  hs_registry_register_instance (data->registry, singleton, TEST_TYPE_GREETING, G_TYPE_INVALID, error);
  g_object_unref (singleton);

  if (data->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "plugin set-up failed halfway");
      return FALSE;
    }
  return TRUE;
}

static void
plugin_data_destroy (gpointer user_data)
{
  ((PluginData *) user_data)->destroyed++;
}

/* A plugin whose set-up fails after registering part of what it would:
 * the failure is reported, the other plugins still run, and unloading it
 * removes what it did register. */
static void
test_plugin_fails_midway (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  PluginData bad = { registry, NULL, TRUE }, good = { registry, NULL, FALSE };
  g_autoptr(HsRegistry) probe = NULL;

  hs_registry_manager_add_registry_function (manager, FAULT_TYPE_KEY, "fault-plugin-bad",
                                             plugin_function, &bad, plugin_data_destroy);
  g_test_expect_message ("Hopscotch", G_LOG_LEVEL_WARNING, "*fault-plugin-bad*");
  hs_registry_manager_subscribe (manager, FAULT_TYPE_KEY);
  g_test_assert_expected_messages ();

  /* What it registered before failing is there, owned by the plugin. */
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);
  assert_answers (registry, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);
  g_assert_nonnull (bad.singleton);

  /* Another plugin of the same key, loaded later, still runs. */
  hs_registry_manager_add_registry_function (manager, FAULT_TYPE_KEY, "fault-plugin-good",
                                             plugin_function, &good, plugin_data_destroy);
  g_assert_nonnull (good.singleton);

  g_assert_true (hs_registry_manager_unload_owner (manager, "fault-plugin-bad"));
  g_assert_null (bad.singleton);              /* released at once */
  g_assert_cmpint (bad.destroyed, ==, 1);
  /* The good plugin's registrations are untouched. */
  assert_answers (registry, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);

  g_assert_true (hs_registry_manager_unload_owner (manager, "fault-plugin-good"));
  g_assert_null (good.singleton);
  g_assert_cmpint (good.destroyed, ==, 1);
  probe = hs_registry_new (registry, NULL);
  assert_answers (probe, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);
  assert_answers (probe, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);

  hs_registry_manager_unsubscribe (manager, FAULT_TYPE_KEY);
}

/* Unloading a plugin while its objects are still referenced: the
 * registrations go, the objects stay valid for their holders and are
 * released when the holders let go. */
static void
test_unload_while_referenced (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) request = hs_registry_new (registry, NULL);
  PluginData data = { registry, NULL, FALSE };
  g_autoptr(GError) error = NULL;
  GObject *singleton, *customer;

  hs_registry_manager_add_registry_function (manager, FAULT_TYPE_KEY, "fault-plugin-held",
                                             plugin_function, &data, plugin_data_destroy);
  hs_registry_manager_subscribe (manager, FAULT_TYPE_KEY);

  /* Objects handed out, and a cached answer in a child. */
  singleton = hs_registry_get (request, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  customer = hs_registry_get (request, TEST_TYPE_CUSTOMER, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (singleton == data.singleton);

  g_assert_true (hs_registry_manager_unload_owner (manager, "fault-plugin-held"));
  assert_answers (request, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);
  assert_answers (request, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);

  /* Still ours: the registry let go of its reference, nothing else. */
  g_assert_nonnull (data.singleton);
  g_assert_cmpuint (singleton->ref_count, ==, 1);
  g_assert_cmpstr (test_greeting_get_salutation (singleton), ==, "Another Hello");
  g_object_unref (singleton);
  g_assert_null (data.singleton);
  g_object_unref (customer);

  hs_registry_manager_unsubscribe (manager, FAULT_TYPE_KEY);
}

/* Loading what is not a loadable module is an error, not a crash. */
static void
test_load_broken_module (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd;

  g_assert_false (hs_registry_manager_load_module (manager, "/nonexistent/plugin.so", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A file that is not a shared object at all. */
  fd = g_file_open_tmp ("hs-broken-XXXXXX.so", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, "not a shared object\n", -1, &error));
  g_assert_false (hs_registry_manager_load_module (manager, path, &error));
  g_assert_nonnull (error);
  g_unlink (path);
}

/* Holds a Greeting in a construct-only property: one is injected. */
#define FAULT_TYPE_GREETER (fault_greeter_get_type ())
G_DECLARE_FINAL_TYPE (FaultGreeter, fault_greeter, FAULT, GREETER, GObject)
struct _FaultGreeter { GObject parent_instance; GObject *greeting; };
G_DEFINE_FINAL_TYPE (FaultGreeter, fault_greeter, G_TYPE_OBJECT)

static void
fault_greeter_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  g_set_object (&FAULT_GREETER (object)->greeting, g_value_get_object (value));
}

static void
fault_greeter_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, FAULT_GREETER (object)->greeting);
}

static void
fault_greeter_dispose (GObject *object)
{
  g_clear_object (&FAULT_GREETER (object)->greeting);
  G_OBJECT_CLASS (fault_greeter_parent_class)->dispose (object);
}

static void
fault_greeter_class_init (FaultGreeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = fault_greeter_set_property;
  object_class->get_property = fault_greeter_get_property;
  object_class->dispose = fault_greeter_dispose;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("greeting", NULL, NULL, TEST_TYPE_GREETING,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void fault_greeter_init (FaultGreeter *self) { }

/* SPEC 2: an id is never handed out twice while the first registration
 * with it is registered, also once the ids wrap after 2^32. */
static void
test_ids_wrap (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (registry, NULL);
  g_autoptr(HsRegistration) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) greeter = NULL;
  guint a, b, c, g;

  a = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  g_assert_cmpuint (a, >, 0);

  /* 2^32 registrations later, the next serial has a's id. */
  _hs_index_jump_serial_to_id (a);
  b = hs_registry_register_type (registry, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  g_assert_cmpuint (b, >, 0);
  g_assert_cmpuint (b, !=, a);
  assert_answers (registry, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);

  /* Unregistering removes the right one. */
  g_assert_true (hs_registry_unregister (registry, a));
  assert_answers (registry, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);
  g_assert_false (hs_registry_unregister (registry, a));
  g_assert_true (hs_registry_unregister (registry, b));
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);

  /* Never 0. */
  _hs_index_jump_serial_to_id (0);
  c = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  g_assert_cmpuint (c, !=, 0);
  r = hs_registry_lookup (registry, TEST_TYPE_GREETING, NULL);
  g_assert_cmpuint (hs_registration_get_id (r), ==, c);

  /* Another registry may hand out an id this one holds: a dependency
   * registered in the child with the id of the parent's registration that
   * needs it is not the same registration, and no cycle. */
  g = hs_registry_register_type (registry, FAULT_TYPE_GREETER, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  _hs_index_jump_serial_to_id (g);
  g_assert_cmpuint (hs_registry_register_type (child, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                                               G_TYPE_INVALID, NULL), ==, g);
  greeter = hs_registry_get (child, FAULT_TYPE_GREETER, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (FAULT_GREETER (greeter)->greeting, TEST_TYPE_ANOTHER_GREETING));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/factory-fails-in-dependency", test_factory_fails_in_dependency);
  g_test_add_func ("/faults/constructor-fails-in-dependency", test_constructor_fails_in_dependency);
  g_test_add_func ("/faults/destroy-notify-reenters", test_destroy_notify_reenters);
  g_test_add_func ("/faults/factory-unregisters-itself", test_factory_unregisters_itself);
  g_test_add_func ("/faults/plugin-fails-midway", test_plugin_fails_midway);
  g_test_add_func ("/faults/unload-while-referenced", test_unload_while_referenced);
  g_test_add_func ("/faults/load-broken-module", test_load_broken_module);
  g_test_add_func ("/faults/ids-wrap", test_ids_wrap);

  return g_test_run ();
}
