/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_INSIDE) && !defined(HOPSCOTCH_COMPILATION)
# error "Only <hopscotch.h> can be included directly."
#endif

#include <glib-object.h>

#include "hs-types.h"
#include "hs-registry-manager.h"
#include "hs-version-macros.h"

G_BEGIN_DECLS

/**
 * HS_INJECTABLE:
 * @TAG: an identifier that makes the declaration unique in its file
 * @IMPL_TYPE: an expression giving the implementation's #GType, such as
 *   `MY_TYPE_ANOTHER_GREETING`
 * @KIND_TYPE: an expression giving the kind it answers for, or
 *   %G_TYPE_INVALID
 * @CONTEXT_TYPE: an expression giving the context type it is for, or
 *   %G_TYPE_INVALID for any context
 *
 * Declares, at file scope, a registration to be made by hs_registry_scan():
 *
 * |[<!-- language="C" -->
 * HS_INJECTABLE (AnotherGreeting, MY_TYPE_ANOTHER_GREETING,
 *                MY_TYPE_GREETING, MY_TYPE_FRENCH_CUSTOMER);
 * ]|
 *
 * Like HS_REGISTRY_FUNCTION(), loading the module only records the
 * declaration. The three type expressions are evaluated when a registry
 * scans it, so the types are not registered with GType before someone needs
 * them.
 *
 * Since: 0.1
 */
#define HS_INJECTABLE(TAG, IMPL_TYPE, KIND_TYPE, CONTEXT_TYPE) \
  static void _hs_injectable_types_##TAG (GType *_hs_types) \
  { \
    _hs_types[0] = (IMPL_TYPE); \
    _hs_types[1] = (KIND_TYPE); \
    _hs_types[2] = (CONTEXT_TYPE); \
  } \
  static _HsStaticRecord _hs_injectable_record_##TAG = \
    { _HS_STATIC_RECORD_INJECTABLE, NULL, #TAG, NULL, \
      _hs_injectable_types_##TAG, &__dso_handle, NULL }; \
  _HS_STATIC_RECORD_HOOKS (_hs_injectable_record_##TAG) \
  G_STATIC_ASSERT (sizeof (#TAG) > 1)

HS_AVAILABLE_IN_0_1
gboolean hs_registry_scan (HsRegistry  *self,
                           const char  *module,
                           GError     **error);

G_END_DECLS
