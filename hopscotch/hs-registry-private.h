/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"
#include "hs-kind-private.h"
#include "hs-registration-private.h"

G_BEGIN_DECLS

/* What the rest of the library may use of the registry: the words for
 * kinds (hs-kind-private.h), registrations' descriptions
 * (hs-registration-private.h), and the hook below. */

/* Called after every successful registration, with no lock held. The
 * registry manager sets it to record what a running registry function
 * registers, so that its module's unloading can undo it. */
typedef void (*HsRegistrationHook) (HsRegistry *registry,
                                    guint       registration_id);
extern HsRegistrationHook _hs_registry_registration_hook;

G_END_DECLS
