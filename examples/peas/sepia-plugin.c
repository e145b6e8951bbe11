/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A C plugin of libpeas that provides its service to Hopscotch: its
 * registry function registers ImageSepia into the ImageTransformerRegistry.
 * libpeas loads it with g_module_open(); the registry sees it at its next
 * operation. It provides no libpeas extension, but libpeas wants the entry
 * point all the same.
 */
#include <libpeas/peas.h>

#include "image-transformer.h"

#define IMAGE_TYPE_SEPIA (image_sepia_get_type ())
G_DECLARE_FINAL_TYPE (ImageSepia, image_sepia, IMAGE, SEPIA, ImageTransformer)

struct _ImageSepia
{
  ImageTransformer parent_instance;
};

/* A static type: libpeas never unmaps a C plugin. */
G_DEFINE_FINAL_TYPE (ImageSepia, image_sepia, IMAGE_TYPE_TRANSFORMER)

static char *
image_sepia_transform (ImageTransformer *self,
                       const char       *image)
{
  return g_strdup_printf ("sepia(%s)", image);
}

static void
image_sepia_class_init (ImageSepiaClass *klass)
{
  IMAGE_TRANSFORMER_CLASS (klass)->transform = image_sepia_transform;
}

static void
image_sepia_init (ImageSepia *self)
{
}

HS_REGISTRY_FUNCTION (ImageTransformerRegistry, Sepia)
{
  g_print ("  [sepia] registering ImageSepia\n");

  /* Unregistered when the plugin is unloaded. */
  hs_registry_register_type (HS_REGISTRY (image_transformer_registry_get_default ()),
                             IMAGE_TYPE_SEPIA, IMAGE_TYPE_TRANSFORMER, G_TYPE_INVALID, NULL);
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

void
peas_register_types (PeasObjectModule *module)
{
}
