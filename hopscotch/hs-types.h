/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_INSIDE) && !defined(HOPSCOTCH_COMPILATION)
# error "Only <hopscotch.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _HsRegistry     HsRegistry;
typedef struct _HsRegistration HsRegistration;

G_END_DECLS
