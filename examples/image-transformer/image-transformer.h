/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The image-transformer story: a library with an ImageTransformer base
 * class and the ImageTransformerRegistry singleton, which pulls the
 * transformers that libraries and plugins advertise with
 * HS_REGISTRY_FUNCTION (ImageTransformerRegistry, ...).
 */
#pragma once

#include <hopscotch.h>

G_BEGIN_DECLS

/* ImageTransformer: turns an "image" (here, a file name) into another. */
#define IMAGE_TYPE_TRANSFORMER (image_transformer_get_type ())
G_DECLARE_DERIVABLE_TYPE (ImageTransformer, image_transformer, IMAGE, TRANSFORMER, GObject)

struct _ImageTransformerClass
{
  GObjectClass parent_class;

  char *(*transform) (ImageTransformer *self,
                      const char       *image);
};

char *image_transformer_transform (ImageTransformer *self,
                                   const char       *image);

/* The registry of transformers: one per process. */
#define IMAGE_TYPE_TRANSFORMER_REGISTRY (image_transformer_registry_get_type ())
G_DECLARE_FINAL_TYPE (ImageTransformerRegistry, image_transformer_registry,
                      IMAGE, TRANSFORMER_REGISTRY, HsRegistry)

ImageTransformerRegistry *image_transformer_registry_get_default (void);

G_END_DECLS
