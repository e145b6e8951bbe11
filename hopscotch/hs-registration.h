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
 *
 * Since: 0.1
 */
typedef enum
{
  HS_REGISTRATION_TYPE,
  HS_REGISTRATION_INSTANCE,
  HS_REGISTRATION_FACTORY,
} HsRegistrationType;

/**
 * HsLifetime:
 * @HS_LIFETIME_TRANSIENT: built on every get that picks the registration
 * @HS_LIFETIME_SINGLETON: built once, by the registry that holds the
 *   registration and with its context, the first time a get picks it;
 *   shared by that registry and all its descendants, kept until the
 *   registration is removed or that registry is closed
 * @HS_LIFETIME_SCOPED: built once per registry that a get is called on (a
 *   request, a window, a document), with that registry's context; kept by
 *   it and released when it is closed
 *
 * How long what a type or factory registration builds is kept: see
 * hs_registry_register_type_full() and the Lifetimes chapter.
 *
 * Since: 0.2
 */
typedef enum
{
  HS_LIFETIME_TRANSIENT,
  HS_LIFETIME_SINGLETON,
  HS_LIFETIME_SCOPED,
} HsLifetime;

#define HS_TYPE_REGISTRATION (hs_registration_get_type ())

/**
 * HsRegistration:
 *
 * A snapshot of one registration of a registry, as hs_registry_lookup()
 * returns it. All its fields are private; its properties are read-only.
 *
 * Since: 0.1
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
HS_AVAILABLE_IN_0_2
HsLifetime          hs_registration_get_lifetime            (HsRegistration *self);

G_END_DECLS
