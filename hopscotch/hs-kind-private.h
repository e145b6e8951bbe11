/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* What may be a kind or a context type, and the words that name them in
 * errors. Used by every part of the library that speaks of kinds. */

/* A name for diagnostics that is never NULL, also for G_TYPE_INVALID. */
const char *_hs_type_name (GType type);

/* Whether @type can be a kind or a context type: an interface, or an
 * instantiable GObject type. */
gboolean _hs_is_object_or_interface_type (GType type);

/* PyGObject refuses G_TYPE_INVALID as a GType argument, so G_TYPE_NONE
 * ("void") means "not given" as well. */
static inline GType
_hs_not_given_if_none (GType type)
{
  return type == G_TYPE_NONE ? G_TYPE_INVALID : type;
}

/* Checks the kind and context type of a registration of @implementation
 * (G_TYPE_INVALID when it has none, as a factory): each must be "not
 * given" or an object or interface type, and @implementation a kind of
 * @kind. */
gboolean _hs_check_kind_and_context (GType    implementation,
                                     GType    kind,
                                     GType    context,
                                     GError **error);

/* HS_REGISTRY_ERROR_NOT_FOUND for @kind, naming @context's type if any. */
void _hs_set_not_found_error (GError  **error,
                              GType     kind,
                              GObject  *context);

G_END_DECLS
