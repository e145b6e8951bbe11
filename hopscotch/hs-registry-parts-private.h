/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* What the files of HsRegistry's own API (hs-registry.c, hs-registry-get.c,
 * hs-registry-close.c, hs-registry-async.c) share: the rest of the library uses
 * hs-registry-private.h. Set by the class's class_init, before any registry
 * exists; read-only afterwards. */

/* Where a registry's own context is in its instance. */
extern gint _hs_registry_context_offset;

/* The id of the HsRegistry::closed signal. */
extern guint _hs_registry_signal_closed;

/* The registry's own context (the lookup context of a get without one). In
 * line: every get reads it. */
static inline GObject *
_hs_registry_own_context (HsRegistry *registry)
{
  return G_STRUCT_MEMBER (GObject *, registry, _hs_registry_context_offset);
}

/* Whether @self is closed, or an ancestor is (then @self is closed now:
 * "when it is next used"); sets HS_REGISTRY_ERROR_CLOSED if so. */
gboolean _hs_registry_check_closed (HsRegistry  *self,
                                    GError     **error);

G_END_DECLS
