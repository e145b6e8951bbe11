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
 * signals: at ::load-plugin, hs_registry_manager_load_module() of the
 * plugin's file runs its registry functions at once (and records a plugin
 * loaded again anew); at ::unload-plugin, hs_registry_manager_unload_owner()
 * takes its registrations away. The application's live list of
 * transformers follows.
 *
 *   peas-example PLUGIN-DIR
 */
#include <locale.h>
#include <stdlib.h>

#include <libpeas/peas.h>

#include "image-transformer.h"

/* What the application shows of its services: the live list of every
 * transformer, the one a get returns first. */
static void
show_services (GListModel *transformers)
{
  guint n = g_list_model_get_n_items (transformers);

  g_print ("Transformers:");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsRegistration) registration = g_list_model_get_item (transformers, i);

      g_print (" %s", g_type_name (hs_registration_get_implementation_type (registration)));
    }
  g_print ("\n");
}

/* The list follows the plugins: a menu would add and remove its rows here. */
static void
on_transformers_changed (GListModel *transformers,
                         guint       position,
                         guint       removed,
                         guint       added,
                         gpointer    data)
{
  if (removed > 0)
    g_print ("  [list] %u removed at %u\n", removed, position);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(HsRegistration) registration = g_list_model_get_item (transformers, i);

      g_print ("  [list] added at %u: %s\n", i,
               g_type_name (hs_registration_get_implementation_type (registration)));
    }
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

  /* The manager's own load of the file libpeas opened: its registry
   * functions run now, so the list is up to date when libpeas returns
   * (without it they would run at the next registry operation). Loaded
   * again, the plugin recorded nothing, being still mapped: the manager
   * records it anew. */
  if (!hs_registry_manager_load_module (hs_registry_manager_get_default (), file, &error))
    g_printerr ("%s\n", error->message);
}

static void
on_unload_plugin (PeasEngine     *engine,
                  PeasPluginInfo *info,
                  gpointer        data)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autofree char *file = plugin_file (info);

  g_print ("  [peas] unloaded %s\n", peas_plugin_info_get_name (info));

  /* The manager's own load, then the plugin itself, which libpeas keeps
   * mapped. */
  hs_registry_manager_unload_module (manager, file, NULL);
  if (hs_registry_manager_unload_owner (manager, file))
    g_print ("  [manager] unloaded %s's registrations\n", peas_plugin_info_get_name (info));
}

int
main (int    argc,
      char **argv)
{
  ImageTransformerRegistry *registry;
  g_autoptr(GListModel) transformers = NULL;
  g_autoptr(PeasEngine) engine = NULL;
  PeasPluginInfo *sepia;

  setlocale (LC_ALL, "");

  if (argc != 2)
    {
      g_printerr ("Usage: %s PLUGIN-DIR\n", argv[0]);
      return EXIT_FAILURE;
    }

  g_print ("Creating the registry:\n");
  registry = image_transformer_registry_get_default ();
  transformers = hs_registry_list (HS_REGISTRY (registry), IMAGE_TYPE_TRANSFORMER, NULL);
  g_signal_connect (transformers, "items-changed", G_CALLBACK (on_transformers_changed), NULL);
  show_services (transformers);

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
      show_services (transformers);

      g_print ("Unloading the plugin with libpeas:\n");
      peas_engine_unload_plugin (engine, sepia);
      show_services (transformers);
    }

  return EXIT_SUCCESS;
}
