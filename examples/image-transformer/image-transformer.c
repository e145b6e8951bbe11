/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image-transformer.h"

/* ImageTransformer */

G_DEFINE_ABSTRACT_TYPE (ImageTransformer, image_transformer, G_TYPE_OBJECT)

static void
image_transformer_class_init (ImageTransformerClass *klass)
{
}

static void
image_transformer_init (ImageTransformer *self)
{
}

char *
image_transformer_transform (ImageTransformer *self,
                             const char       *image)
{
  g_return_val_if_fail (IMAGE_IS_TRANSFORMER (self), NULL);

  return IMAGE_TRANSFORMER_GET_CLASS (self)->transform (self, image);
}

/* The library's own transformer, advertised like any plugin's. */

#define IMAGE_TYPE_GRAYSCALE (image_grayscale_get_type ())
G_DECLARE_FINAL_TYPE (ImageGrayscale, image_grayscale, IMAGE, GRAYSCALE, ImageTransformer)

struct _ImageGrayscale
{
  ImageTransformer parent_instance;
};

G_DEFINE_FINAL_TYPE (ImageGrayscale, image_grayscale, IMAGE_TYPE_TRANSFORMER)

static char *
image_grayscale_transform (ImageTransformer *self,
                           const char       *image)
{
  return g_strdup_printf ("gray(%s)", image);
}

static void
image_grayscale_class_init (ImageGrayscaleClass *klass)
{
  IMAGE_TRANSFORMER_CLASS (klass)->transform = image_grayscale_transform;
}

static void
image_grayscale_init (ImageGrayscale *self)
{
}

HS_REGISTRY_FUNCTION (ImageTransformerRegistry, Grayscale)
{
  g_print ("  [library] registering ImageGrayscale\n");
  hs_registry_register_type (HS_REGISTRY (image_transformer_registry_get_default ()),
                             IMAGE_TYPE_GRAYSCALE, IMAGE_TYPE_TRANSFORMER, G_TYPE_INVALID, NULL);
}

/* ImageTransformerRegistry: the singleton-registry pattern. */

struct _ImageTransformerRegistry
{
  HsRegistry parent_instance;
};

G_DEFINE_FINAL_TYPE (ImageTransformerRegistry, image_transformer_registry, HS_TYPE_REGISTRY)

static void
image_transformer_registry_class_init (ImageTransformerRegistryClass *klass)
{
}

static void
image_transformer_registry_init (ImageTransformerRegistry *self)
{
}

ImageTransformerRegistry *
image_transformer_registry_get_default (void)
{
  /* The manager creates the one instance, makes it "the" instance, then
   * runs every ImageTransformerRegistry function of the libraries and
   * plugins loaded so far (those of plugins loaded later run when they are
   * loaded). The registry functions call this too, and get the instance at
   * once; no lock of ours is held while they run, so nothing can deadlock. */
  return hs_registry_manager_ensure_registry (hs_registry_manager_get_default (),
                                              IMAGE_TYPE_TRANSFORMER_REGISTRY);
}
