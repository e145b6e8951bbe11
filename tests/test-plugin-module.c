/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * HsPluginModule (SPEC 11) with a real plugin, tests/modules/plugin-types:
 * its dynamic type survives the plugin's unloading and reloading, objects
 * of it outlive the plugin, and a plugin none of whose classes was made is
 * unmapped for real. Then a shared module that stays mapped, as a plugin
 * engine keeps it, unloaded logically and loaded again.
 *
 * The tests run in this order, in one process: once a class of the plugin
 * was made, the plugin stays mapped for good.
 */
#include <gmodule.h>
#include <hopscotch.h>

#include "test-host.h"

/* The keys of plugin-types and plugin-a, registered by main(). */
static GType types_key, key_a;

static char *
module_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, "." G_MODULE_SUFFIX, NULL);

  return g_test_build_filename (G_TEST_BUILT, "modules", file, NULL);
}

/* Loads (@load) or unloads the plugin through the manager. */
static void
manager_load (const char *name,
              gboolean    load)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autofree char *path = module_path (name);
  g_autoptr(GError) error = NULL;

  if (load)
    g_assert_true (hs_registry_manager_load_module (manager, path, &error));
  else
    g_assert_true (hs_registry_manager_unload_module (manager, path, &error));
  g_assert_no_error (error);
}

static gboolean
mapped (const char *name)
{
  g_autofree char *path = module_path (name);

  return test_host_is_mapped (path);
}

static void
on_unloaded (HsRegistryManager *manager,
             const char        *name,
             gpointer           data)
{
  g_autofree char *base = g_path_get_basename (name);
  g_autofree char *event = g_strconcat ("unloaded:", base, NULL);

  test_host_log (event);
}

/* The host's registry, the key subscribed, ::unloaded logged. */
static HsRegistry *
setup (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  HsRegistry *registry = hs_registry_new (NULL, NULL);

  test_host_set_registry (registry);
  g_signal_connect (manager, "unloaded", G_CALLBACK (on_unloaded), NULL);
  hs_registry_manager_subscribe (manager, types_key);
  hs_registry_manager_subscribe (manager, key_a);
  g_free (test_host_take_log ());

  return registry;
}

static void
teardown (HsRegistry *registry)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  hs_registry_manager_unsubscribe (manager, types_key);
  hs_registry_manager_unsubscribe (manager, key_a);
  g_signal_handlers_disconnect_by_func (manager, on_unloaded, NULL);
  test_host_set_registry (NULL);
  g_object_unref (registry);
  g_free (test_host_take_log ());
}

static char *
word_of (GObject *thing)
{
  char *word = NULL;

  g_object_get (thing, "word", &word, NULL);
  return word;
}

/* No class of the plugin's type was made: nothing points into its code,
 * which goes for real; loaded again, elsewhere perhaps, it takes over the
 * same GType. */
static void
test_unmapped_without_classes (void)
{
  HsRegistry *registry = setup ();
  g_autoptr(HsRegistration) registration = NULL;
  GType type;

  manager_load ("plugin-types", TRUE);
  test_host_assert_log ("types");
  type = g_type_from_name ("TestPluginThing");
  g_assert_cmpuint (type, !=, G_TYPE_INVALID);
  g_assert_true (g_type_get_plugin (type) == G_TYPE_PLUGIN (hs_plugin_module_get ("plugin-types")));
  registration = hs_registry_lookup (registry, G_TYPE_OBJECT, NULL);
  g_assert_nonnull (registration);
  g_assert_cmpuint (hs_registration_get_implementation_type (registration), ==, type);
  g_clear_object (&registration);

  manager_load ("plugin-types", FALSE);
  test_host_assert_log ("unloaded:plugin-types." G_MODULE_SUFFIX);
  g_assert_false (mapped ("plugin-types"));
  g_assert_null (hs_registry_lookup (registry, G_TYPE_OBJECT, NULL));

  manager_load ("plugin-types", TRUE);
  test_host_assert_log ("types");
  g_assert_cmpuint (g_type_from_name ("TestPluginThing"), ==, type);
  registration = hs_registry_lookup (registry, G_TYPE_OBJECT, NULL);
  g_assert_nonnull (registration);
  g_clear_object (&registration);

  manager_load ("plugin-types", FALSE);
  test_host_assert_log ("unloaded:plugin-types." G_MODULE_SUFFIX);
  g_assert_false (mapped ("plugin-types"));

  teardown (registry);
}

/* An object of the plugin's type alive when the plugin is unloaded: the
 * registration goes, the object stays usable (its class, its property
 * code, its string and its finalize are the plugin's), and the plugin
 * loaded again has the same GType and its registration back. */
static void
test_instances_outlive_unload (void)
{
  HsRegistry *registry = setup ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) thing = NULL;
  g_autoptr(GObject) second = NULL;
  g_autofree char *word = NULL;
  GType type;

  manager_load ("plugin-types", TRUE);
  test_host_assert_log ("types");
  thing = hs_registry_get (registry, G_TYPE_OBJECT, NULL, &error);
  g_assert_no_error (error);
  type = G_OBJECT_TYPE (thing);
  g_assert_cmpstr (g_type_name (type), ==, "TestPluginThing");

  manager_load ("plugin-types", FALSE);
  test_host_assert_log ("unloaded:plugin-types." G_MODULE_SUFFIX);
  g_assert_null (hs_registry_lookup (registry, G_TYPE_OBJECT, NULL));
  g_assert_true (mapped ("plugin-types"));
  word = word_of (thing);
  g_assert_cmpstr (word, ==, "from plugin-types");
  g_clear_pointer (&word, g_free);

  manager_load ("plugin-types", TRUE);
  test_host_assert_log ("types");
  g_assert_cmpuint (g_type_from_name ("TestPluginThing"), ==, type);
  second = hs_registry_get (registry, G_TYPE_OBJECT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (G_OBJECT_TYPE (second) == type);
  g_clear_object (&second);
  test_host_assert_log ("thing-finalized");

  manager_load ("plugin-types", FALSE);
  test_host_assert_log ("unloaded:plugin-types." G_MODULE_SUFFIX);
  g_assert_null (hs_registry_lookup (registry, G_TYPE_OBJECT, NULL));

  /* The first one, finalized after its plugin went. */
  word = word_of (thing);
  g_assert_cmpstr (word, ==, "from plugin-types");
  g_clear_object (&thing);
  test_host_assert_log ("thing-finalized");

  teardown (registry);
}

static void
test_attach_outside (void)
{
  HsPluginModule *types = hs_plugin_module_get ("plugin-outside");

  g_assert_true (G_IS_TYPE_MODULE (types));
  g_assert_true (hs_plugin_module_get ("plugin-outside") == types);
  g_assert_cmpstr (G_TYPE_MODULE (types)->name, ==, "plugin-outside");
  g_assert_false (hs_plugin_module_attach (types));
}

#define N_GETTERS 8
#define N_NAMES 16

static GAsyncQueue *start_gets;

/* Waits for the start, then gets the module of each name. */
static gpointer
get_modules (gpointer data)
{
  HsPluginModule **got = data;

  g_async_queue_pop (start_gets);
  for (guint i = 0; i < N_NAMES; i++)
    {
      g_autofree char *name = g_strdup_printf ("plugin-race-%u", i);

      got[i] = hs_plugin_module_get (name);
    }
  return NULL;
}

/* Threads that ask for the same names at the same moment all get one
 * module per name, for good. */
static void
test_get_from_threads (void)
{
  HsPluginModule *got[N_GETTERS][N_NAMES];
  GThread *threads[N_GETTERS];

  start_gets = g_async_queue_new ();
  for (guint t = 0; t < N_GETTERS; t++)
    threads[t] = g_thread_new ("get-module", get_modules, got[t]);
  for (guint t = 0; t < N_GETTERS; t++)
    g_async_queue_push (start_gets, GUINT_TO_POINTER (1));
  for (guint t = 0; t < N_GETTERS; t++)
    g_thread_join (threads[t]);
  g_async_queue_unref (start_gets);

  for (guint i = 0; i < N_NAMES; i++)
    {
      g_autofree char *name = g_strdup_printf ("plugin-race-%u", i);

      g_assert_true (HS_IS_PLUGIN_MODULE (got[0][i]));
      g_assert_cmpstr (G_TYPE_MODULE (got[0][i])->name, ==, name);
      for (guint t = 1; t < N_GETTERS; t++)
        g_assert_true (got[t][i] == got[0][i]);
      g_assert_true (hs_plugin_module_get (name) == got[0][i]);
      if (i > 0)
        g_assert_true (got[0][i] != got[0][i - 1]);
    }
}

/* A class of the type of an unloaded plugin whose classes were never made
 * cannot be made: GLib stops, instead of running unmapped code. */
static void
test_class_while_unloaded (void)
{
  if (g_test_subprocess ())
    {
      HsRegistry *registry = setup ();

      manager_load ("plugin-types", TRUE);
      manager_load ("plugin-types", FALSE);
      g_type_class_ref (g_type_from_name ("TestPluginThing"));
      teardown (registry);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*plugin-types*is used while its plugin is not loaded*");
}

/* A shared module held open elsewhere, as a plugin engine keeps a plugin
 * resident: unload_owner() takes it away logically, load_module() brings
 * it back; unmapped for real, its records are forgotten. */
static void
test_unload_owner_shared_module (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  HsRegistry *registry = setup ();
  g_autofree char *path = module_path ("plugin-a");
  GModule *module;

  test_host_set_registry (NULL);
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  g_assert_nonnull (module);
  g_assert_true (hs_registry_manager_is_subscribed (manager, key_a));
  test_host_assert_log ("a1 a2");

  g_assert_true (hs_registry_manager_unload_owner (manager, path));
  test_host_assert_log ("unloaded:plugin-a." G_MODULE_SUFFIX " a1-unload a2-unload");
  g_assert_true (mapped ("plugin-a"));
  g_assert_false (hs_registry_manager_unload_owner (manager, path));

  manager_load ("plugin-a", TRUE);
  test_host_assert_log ("a1 a2");
  /* Held by the g_module_open() too, and not resident: it stays. */
  manager_load ("plugin-a", FALSE);
  test_host_assert_log ("");

  g_assert_true (hs_registry_manager_unload_owner (manager, "plugin-a." G_MODULE_SUFFIX));
  test_host_assert_log ("unloaded:plugin-a." G_MODULE_SUFFIX " a1-unload a2-unload");
  g_assert_true (g_module_close (module));
  g_assert_false (mapped ("plugin-a"));
  test_host_assert_log ("");

  /* Mapped anew: recorded by its constructors, once. */
  manager_load ("plugin-a", TRUE);
  test_host_assert_log ("a1 a2");
  manager_load ("plugin-a", FALSE);
  test_host_assert_log ("unloaded:plugin-a." G_MODULE_SUFFIX " a1-unload a2-unload");

  /* Unloaded logically, then unmapped by the manager: announced once. */
  manager_load ("plugin-a", TRUE);
  test_host_assert_log ("a1 a2");
  g_assert_true (hs_registry_manager_unload_owner (manager, path));
  test_host_assert_log ("unloaded:plugin-a." G_MODULE_SUFFIX " a1-unload a2-unload");
  manager_load ("plugin-a", FALSE);
  g_assert_false (mapped ("plugin-a"));
  test_host_assert_log ("");

  teardown (registry);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  types_key = g_type_register_static_simple (G_TYPE_OBJECT, "TestTypesKey", sizeof (GObjectClass),
                                             NULL, sizeof (GObject), NULL, 0);
  key_a = g_type_register_static_simple (G_TYPE_OBJECT, "TestKeyA", sizeof (GObjectClass),
                                         NULL, sizeof (GObject), NULL, 0);

  g_test_add_func ("/plugin-module/attach-outside", test_attach_outside);
  g_test_add_func ("/plugin-module/get-from-threads", test_get_from_threads);
  g_test_add_func ("/plugin-module/class-while-unloaded", test_class_while_unloaded);
  g_test_add_func ("/plugin-module/unmapped-without-classes", test_unmapped_without_classes);
  g_test_add_func ("/plugin-module/instances-outlive-unload", test_instances_outlive_unload);
  g_test_add_func ("/plugin-module/unload-owner-shared-module", test_unload_owner_shared_module);

  return g_test_run ();
}
