/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The image-transformer story with a plugin engine: a PeasEngine loads the
 * C plugin "sepia", whose registry function registers a transformer. The
 * registry sees it right after peas_engine_load_plugin(), with no call into
 * Hopscotch: the module is observed at load.
 *
 * libpeas 1.34 keeps every C plugin resident: peas_engine_unload_plugin()
 * leaves its code mapped and runs no destructor, and loading it again runs
 * no constructor. So the application tells the manager, from the engine's
 * signals: at ::unload-plugin, hs_registry_manager_unload_owner() of the
 * plugin's file takes its registrations away; at ::load-plugin of a plugin
 * unloaded before, hs_registry_manager_load_module() records it anew.
 *
 *   peas-example PLUGIN-DIR
 */
#include <locale.h>
#include <stdlib.h>

#include <libpeas/peas.h>

#include "image-transformer.h"

/* The plugins unloaded so far, by file: those the manager loads again. */
static GHashTable *unloaded_plugins;

/* What the application shows of its services: the transformer that
 * answers a get, found without building it. */
static void
show_services (ImageTransformerRegistry *registry)
{
  g_autoptr(HsRegistration) winner = hs_registry_lookup (HS_REGISTRY (registry),
                                                         IMAGE_TYPE_TRANSFORMER, NULL);

  g_print ("Transformer: %s\n",
           winner != NULL ? g_type_name (hs_registration_get_implementation_type (winner))
                          : "(none)");
}

/* The shared module libpeas opens for a C plugin. */
static char *
plugin_file (PeasPluginInfo *info)
{
  return g_module_build_path (peas_plugin_info_get_module_dir (info),
                              peas_plugin_info_get_module_name (info));
}

static void
on_load_plugin (PeasEngine     *engine,
                PeasPluginInfo *info,
                gpointer        data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = plugin_file (info);

  g_print ("  [peas] loaded %s\n", peas_plugin_info_get_name (info));

  /* Loaded again: still mapped, it recorded nothing this time. */
  if (g_hash_table_remove (unloaded_plugins, file) &&
      !hs_registry_manager_load_module (hs_registry_manager_get_default (), file, &error))
    g_printerr ("%s\n", error->message);
}

static void
on_unload_plugin (PeasEngine     *engine,
                  PeasPluginInfo *info,
                  gpointer        data)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  char *file = plugin_file (info);

  g_print ("  [peas] unloaded %s\n", peas_plugin_info_get_name (info));

  /* The manager's own load, if it made one, then the plugin itself. */
  hs_registry_manager_unload_module (manager, file, NULL);
  if (hs_registry_manager_unload_owner (manager, file))
    g_print ("  [manager] unloaded %s's registrations\n", peas_plugin_info_get_name (info));
  g_hash_table_add (unloaded_plugins, file);
}

int
main (int    argc,
      char **argv)
{
  ImageTransformerRegistry *registry;
  g_autoptr(PeasEngine) engine = NULL;
  PeasPluginInfo *sepia;

  setlocale (LC_ALL, "");

  if (argc != 2)
    {
      g_printerr ("Usage: %s PLUGIN-DIR\n", argv[0]);
      return EXIT_FAILURE;
    }

  unloaded_plugins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_print ("Creating the registry:\n");
  registry = image_transformer_registry_get_default ();
  show_services (registry);

  engine = peas_engine_new ();
  peas_engine_add_search_path (engine, argv[1], NULL);
  g_signal_connect_after (engine, "load-plugin", G_CALLBACK (on_load_plugin), NULL);
  g_signal_connect_after (engine, "unload-plugin", G_CALLBACK (on_unload_plugin), NULL);

  sepia = peas_engine_get_plugin_info (engine, "sepia");
  if (sepia == NULL)
    {
      g_printerr ("No plugin “sepia” in %s\n", argv[1]);
      return EXIT_FAILURE;
    }

  for (int round = 1; round <= 2; round++)
    {
      g_print ("Loading the plugin with libpeas (round %d):\n", round);
      if (!peas_engine_load_plugin (engine, sepia))
        {
          g_printerr ("libpeas could not load “sepia”\n");
          return EXIT_FAILURE;
        }
      show_services (registry);

      g_print ("Unloading the plugin with libpeas:\n");
      peas_engine_unload_plugin (engine, sepia);
      show_services (registry);
    }

  g_hash_table_unref (unloaded_plugins);

  return EXIT_SUCCESS;
}
