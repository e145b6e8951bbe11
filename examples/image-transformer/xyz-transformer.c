/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A plugin: it advertises XyzTransformer with a registry function, and runs
 * nothing when it is loaded. The function runs when the registry exists
 * (at once if it already does); what it registers is unregistered when the
 * plugin is unloaded.
 */
#include "image-transformer.h"

#define XYZ_TYPE_TRANSFORMER (xyz_transformer_get_type ())
G_DECLARE_FINAL_TYPE (XyzTransformer, xyz_transformer, XYZ, TRANSFORMER, ImageTransformer)

struct _XyzTransformer
{
  ImageTransformer parent_instance;
};

/* A dynamic type, in an HsPluginModule: it survives this plugin's
 * unloading and reloading. */
G_DEFINE_DYNAMIC_TYPE (XyzTransformer, xyz_transformer, IMAGE_TYPE_TRANSFORMER)

static char *
xyz_transformer_transform (ImageTransformer *self,
                           const char       *image)
{
  return g_strdup_printf ("xyz(%s)", image);
}

static void
xyz_transformer_class_init (XyzTransformerClass *klass)
{
  IMAGE_TRANSFORMER_CLASS (klass)->transform = xyz_transformer_transform;
}

static void
xyz_transformer_class_finalize (XyzTransformerClass *klass)
{
}

static void
xyz_transformer_init (XyzTransformer *self)
{
}

HS_REGISTRY_FUNCTION (ImageTransformerRegistry, XyzTransformer)
{
  ImageTransformerRegistry *registry = image_transformer_registry_get_default ();
  /* Our types live in a GTypeModule that outlives us, so that we can be
   * unloaded and loaded again: GType never forgets a type. */
  HsPluginModule *types = hs_plugin_module_get ("xyz-transformer");

  g_print ("  [xyz] registering XyzTransformer\n");

  /* The class's code is ours while we are loaded. */
  hs_plugin_module_attach (types);
  xyz_transformer_register_type (G_TYPE_MODULE (types));

  /* Unregistered by the manager when this plugin is unloaded. */
  hs_registry_register_type (HS_REGISTRY (registry), XYZ_TYPE_TRANSFORMER,
                             IMAGE_TYPE_TRANSFORMER, G_TYPE_INVALID, NULL);
}
