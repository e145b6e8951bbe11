/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* The public description of a registration, made from what the registry
 * holds. */
HsRegistration *_hs_registration_new (guint               id,
                                      HsRegistrationType  type,
                                      HsLifetime          lifetime,
                                      GType               kind,
                                      GType               implementation,
                                      GObject            *instance,
                                      GType               context_type,
                                      HsRegistry         *registry);

G_END_DECLS
