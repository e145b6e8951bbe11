/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* A name for diagnostics that is never NULL, also for G_TYPE_INVALID. */
const char *_hs_type_name (GType type);

/* Whether @type can be a kind or a context type: an interface, or an
 * instantiable GObject type. */
gboolean _hs_is_object_or_interface_type (GType type);

/* HS_REGISTRY_ERROR_NOT_FOUND for @kind, naming @context's type if any. */
void _hs_set_not_found_error (GError  **error,
                              GType     kind,
                              GObject  *context);

/* Finds the winning registration of @kind for @context in @self and its
 * ancestors and builds it with @self as the building registry. @context is
 * the lookup context already chosen by the caller. When nothing answers,
 * returns %NULL with *@found set to %FALSE and no error. */
GObject *_hs_registry_build (HsRegistry    *self,
                             GType          kind,
                             GObject       *context,
                             guint          n_properties,
                             const char   **names,
                             const GValue  *values,
                             gboolean      *found,
                             GError       **error);

/* Constructs @type with @builder's injection (hs-inject.c). */
GObject *_hs_construct (HsRegistry    *builder,
                        GType          type,
                        GObject       *context,
                        guint          n_properties,
                        const char   **names,
                        const GValue  *values,
                        GError       **error);

/* Called after every successful registration, with no lock held. The
 * registry manager sets it to record what a running registry function
 * registers, so that its module's unloading can undo it. */
typedef void (*HsRegistrationHook) (HsRegistry *registry,
                                    guint       registration_id);
extern HsRegistrationHook _hs_registry_registration_hook;

HsRegistration *_hs_registration_new (guint               id,
                                      HsRegistrationType  type,
                                      GType               kind,
                                      GType               implementation,
                                      GObject            *instance,
                                      GType               context_type,
                                      HsRegistry         *registry);

G_END_DECLS
