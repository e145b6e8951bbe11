/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_INSIDE) && !defined(HOPSCOTCH_COMPILATION)
# error "Only <hopscotch.h> can be included directly."
#endif

#include <glib-object.h>

#include "hs-types.h"
#include "hs-version-macros.h"

G_BEGIN_DECLS

/**
 * HsRegistrationType:
 * @HS_REGISTRATION_TYPE: a type, constructed on each get
 * @HS_REGISTRATION_INSTANCE: an instance handed in: a singleton
 * @HS_REGISTRATION_FACTORY: a function that returns the object
 *
 * What a registration holds.
 */
typedef enum
{
  HS_REGISTRATION_TYPE,
  HS_REGISTRATION_INSTANCE,
  HS_REGISTRATION_FACTORY,
} HsRegistrationType;

#define HS_TYPE_REGISTRATION (hs_registration_get_type ())

/**
 * HsRegistration:
 *
 * A snapshot of one registration of a registry, as hs_registry_lookup()
 * returns it. All its fields are private; its properties are read-only.
 */

HS_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE (HsRegistration, hs_registration, HS, REGISTRATION, GObject)

HS_AVAILABLE_IN_0_1
guint               hs_registration_get_id                  (HsRegistration *self);
HS_AVAILABLE_IN_0_1
HsRegistrationType  hs_registration_get_registration_type   (HsRegistration *self);
HS_AVAILABLE_IN_0_1
GType               hs_registration_get_kind                (HsRegistration *self);
HS_AVAILABLE_IN_0_1
GType               hs_registration_get_implementation_type (HsRegistration *self);
HS_AVAILABLE_IN_0_1
GObject            *hs_registration_get_instance            (HsRegistration *self);
HS_AVAILABLE_IN_0_1
GType               hs_registration_get_context_type        (HsRegistration *self);
HS_AVAILABLE_IN_0_1
HsRegistry         *hs_registration_get_registry            (HsRegistration *self);

G_END_DECLS
