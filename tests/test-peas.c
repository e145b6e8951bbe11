/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libpeas 1.34 loads a C plugin (tests/modules/plugin-peas) whose registry
 * function registers a service: the registry sees it right after
 * peas_engine_load_plugin(), with no call into Hopscotch in between (SPEC
 * 11, observed at load). libpeas keeps C plugins resident, so unloading
 * one leaves its code mapped and runs no destructor: the application
 * unloads it from the manager at ::unload-plugin, with
 * hs_registry_manager_unload_owner(), and loads it again at ::load-plugin
 * with hs_registry_manager_load_module(). A live list of the plugin's
 * services follows each step.
 */
#include <libpeas/peas.h>

#include "hs-test-types.h"
#include "test-host.h"

static char *
plugin_file (PeasPluginInfo *info)
{
  return g_module_build_path (peas_plugin_info_get_module_dir (info),
                              peas_plugin_info_get_module_name (info));
}

static const char *
salutation (HsRegistry *registry)
{
  g_autoptr(GObject) greeting = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, NULL);
  static char buffer[64];

  g_strlcpy (buffer, greeting != NULL ? test_greeting_get_salutation (greeting) : "(none)",
             sizeof buffer);
  return buffer;
}

/* What the application does: at ::load-plugin of a plugin unloaded
 * before, the manager loads it again; at ::unload-plugin, the manager
 * drops its own load and unloads the plugin logically. */
static void
on_load_plugin (PeasEngine     *engine,
                PeasPluginInfo *info,
                gpointer        data)
{
  g_autofree char *file = plugin_file (info);
  g_autoptr(GError) error = NULL;

  if (g_hash_table_remove (data, file))
    {
      g_assert_true (hs_registry_manager_load_module (hs_registry_manager_get_default (), file,
                                                      &error));
      g_assert_no_error (error);
    }
}

static void
on_unload_plugin (PeasEngine     *engine,
                  PeasPluginInfo *info,
                  gpointer        data)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  char *file = plugin_file (info);

  hs_registry_manager_unload_module (manager, file, NULL);
  g_assert_true (hs_registry_manager_unload_owner (manager, file));
  g_hash_table_add (data, file);
}

static void
count_changes (GListModel *list,
               guint       position,
               guint       removed,
               guint       added,
               gpointer    data)
{
  GString *log = data;

  g_string_append_printf (log, "%u-%u+%u;", position, removed, added);
}

static void
assert_listed (GListModel *list,
               guint       n_items)
{
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, n_items);
  if (n_items > 0)
    {
      g_autoptr(HsRegistration) item = g_list_model_get_item (list, 0);

      g_assert_cmpint (hs_registration_get_registration_type (item), ==,
                       HS_REGISTRATION_INSTANCE);
    }
}

static void
test_peas_plugin (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GHashTable) unloaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *modules = g_test_build_filename (G_TEST_BUILT, "modules", NULL);
  g_autoptr(PeasEngine) engine = NULL;
  g_autoptr(HsRegistration) registration = NULL;
  g_autoptr(GListModel) greetings = NULL;
  g_autoptr(GString) changes = g_string_new ("");
  g_autofree char *file = NULL;
  GType key = g_type_register_static_simple (G_TYPE_OBJECT, "TestPeasKey",
                                             sizeof (GObjectClass), NULL,
                                             sizeof (GObject), NULL, 0);
  PeasPluginInfo *info;

  g_type_ensure (TEST_TYPE_GREETING);
  test_host_set_registry (registry);
  hs_registry_manager_subscribe (manager, key);

  /* The application's live list of greetings follows the plugin. */
  greetings = hs_registry_list (registry, TEST_TYPE_GREETING, NULL);
  g_signal_connect (greetings, "items-changed", G_CALLBACK (count_changes), changes);
  assert_listed (greetings, 0);

  engine = peas_engine_new ();
  peas_engine_add_search_path (engine, modules, NULL);
  info = peas_engine_get_plugin_info (engine, "plugin-peas");
  g_assert_nonnull (info);

  /* Observed at load: the lookup right after libpeas's load sees it. */
  g_assert_true (peas_engine_load_plugin (engine, info));
  test_host_assert_log ("");
  registration = hs_registry_lookup (registry, TEST_TYPE_GREETING, NULL);
  g_assert_nonnull (registration);
  g_assert_cmpint (hs_registration_get_registration_type (registration), ==,
                   HS_REGISTRATION_INSTANCE);
  g_clear_object (&registration);
  test_host_assert_log ("eval:TestGreeting peas");
  assert_listed (greetings, 1);
  g_assert_cmpstr (changes->str, ==, "0-0+1;");
  g_assert_cmpstr (salutation (registry), ==, "Hello from libpeas");

  g_signal_connect_after (engine, "load-plugin", G_CALLBACK (on_load_plugin), unloaded);
  g_signal_connect_after (engine, "unload-plugin", G_CALLBACK (on_unload_plugin), unloaded);

  /* libpeas keeps it mapped: the manager unloads it logically. */
  peas_engine_unload_plugin (engine, info);
  file = plugin_file (info);
  g_assert_true (test_host_is_mapped (file));
  test_host_assert_log ("peas-unload");
  g_assert_null (hs_registry_lookup (registry, TEST_TYPE_GREETING, NULL));
  assert_listed (greetings, 0);
  g_assert_cmpstr (changes->str, ==, "0-0+1;0-1+0;");
  g_assert_cmpstr (salutation (registry), ==, "(none)");

  /* Loaded again: its function runs again. */
  g_assert_true (peas_engine_load_plugin (engine, info));
  test_host_assert_log ("eval:TestGreeting peas");
  assert_listed (greetings, 1);
  g_assert_cmpstr (changes->str, ==, "0-0+1;0-1+0;0-0+1;");
  g_assert_cmpstr (salutation (registry), ==, "Hello from libpeas");

  peas_engine_unload_plugin (engine, info);
  test_host_assert_log ("peas-unload");
  g_assert_null (hs_registry_lookup (registry, TEST_TYPE_GREETING, NULL));
  assert_listed (greetings, 0);
  g_assert_cmpstr (changes->str, ==, "0-0+1;0-1+0;0-0+1;0-1+0;");

  hs_registry_manager_unsubscribe (manager, key);
  test_host_set_registry (NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/peas/c-plugin", test_peas_plugin);

  return g_test_run ();
}
