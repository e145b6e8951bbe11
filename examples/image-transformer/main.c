/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The image-transformer story, run: the registry pulls the registry
 * functions when it is created; a plugin loaded later adds its transformer
 * at load, and takes it back when it is unloaded. A live list of every
 * transformer (the plugins' menu) follows: it prints what comes and goes.
 *
 *   image-transformer PATH-TO-xyz-transformer.so
 */
#include <locale.h>
#include <stdlib.h>

#include "image-transformer.h"

static void
on_module_loaded (HsRegistryManager *manager,
                  const char        *name,
                  gpointer           data)
{
  g_autofree char *base = g_path_get_basename (name);

  g_print ("  [manager] module-loaded: %s\n", base);
}

static void
on_unloaded (HsRegistryManager *manager,
             const char        *name,
             gpointer           data)
{
  g_autofree char *base = g_path_get_basename (name);

  g_print ("  [manager] unloaded: %s\n", base);
}

/* The menu of transformers, as a view shows a GListModel: the names of
 * its items, kept in step with items-changed (whose removed items are
 * gone from the model already). */
static void
on_transformers_changed (GListModel *transformers,
                         guint       position,
                         guint       removed,
                         guint       added,
                         GPtrArray  *menu)
{
  for (guint i = 0; i < removed; i++)
    g_print ("  [list] removed at %u: %s\n", position,
             (const char *) g_ptr_array_index (menu, position + i));
  g_ptr_array_remove_range (menu, position, removed);

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(HsRegistration) registration = g_list_model_get_item (transformers, position + i);
      const char *name = g_type_name (hs_registration_get_implementation_type (registration));

      g_print ("  [list] added at %u: %s\n", position + i, name);
      g_ptr_array_insert (menu, position + i, g_strdup (name));
    }
}

static void
show_menu (GPtrArray *menu)
{
  g_print ("Transformers:");
  for (guint i = 0; i < menu->len; i++)
    g_print (" %s", (const char *) g_ptr_array_index (menu, i));
  g_print ("\n");
}

static void
show_best (ImageTransformerRegistry *registry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ImageTransformer) transformer = NULL;
  g_autofree char *result = NULL;

  transformer = hs_registry_get (HS_REGISTRY (registry), IMAGE_TYPE_TRANSFORMER, NULL, &error);
  if (transformer == NULL)
    {
      g_print ("No transformer: %s\n", error->message);
      return;
    }

  result = image_transformer_transform (transformer, "photo.png");
  g_print ("Best transformer: %s, photo.png → %s\n", G_OBJECT_TYPE_NAME (transformer), result);
}

int
main (int    argc,
      char **argv)
{
  HsRegistryManager *manager;
  ImageTransformerRegistry *registry;
  g_autoptr(GListModel) transformers = NULL;
  g_autoptr(GPtrArray) menu = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *plugin;

  setlocale (LC_ALL, "");

  if (argc != 2)
    {
      g_printerr ("Usage: %s PATH-TO-xyz-transformer.so\n", argv[0]);
      return EXIT_FAILURE;
    }
  plugin = argv[1];

  manager = hs_registry_manager_get_default ();
  g_signal_connect (manager, "module-loaded", G_CALLBACK (on_module_loaded), NULL);
  g_signal_connect (manager, "unloaded", G_CALLBACK (on_unloaded), NULL);

  g_print ("Started: the registry functions are recorded, none ran.\n");

  g_print ("Creating the registry:\n");
  registry = image_transformer_registry_get_default ();
  show_best (registry);

  /* Every transformer, best first, kept up to date. */
  transformers = hs_registry_list (HS_REGISTRY (registry), IMAGE_TYPE_TRANSFORMER, NULL);
  on_transformers_changed (transformers, 0, 0, g_list_model_get_n_items (transformers), menu);
  g_signal_connect (transformers, "items-changed", G_CALLBACK (on_transformers_changed), menu);
  show_menu (menu);

  for (int round = 1; round <= 2; round++)
    {
      g_print ("Loading the plugin (round %d):\n", round);
      if (!hs_registry_manager_load_module (manager, plugin, &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      show_best (registry);
      show_menu (menu);

      g_print ("Unloading the plugin:\n");
      if (!hs_registry_manager_unload_module (manager, plugin, &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      show_best (registry);
      show_menu (menu);
    }

  return EXIT_SUCCESS;
}
