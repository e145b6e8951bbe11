/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_INSIDE) && !defined(HOPSCOTCH_COMPILATION)
# error "Only <hopscotch.h> can be included directly."
#endif

#include <glib-object.h>

#include "hs-version-macros.h"

G_BEGIN_DECLS

HS_AVAILABLE_IN_0_1
gboolean hs_inject_context              (GType          type,
                                         const char    *property,
                                         const char    *attr,
                                         GError       **error);
HS_AVAILABLE_IN_0_1
gboolean hs_inject_get                  (GType          type,
                                         const char    *property,
                                         GType          kind,
                                         const char    *attr,
                                         GError       **error);
HS_AVAILABLE_IN_0_1
gboolean hs_inject_skip                 (GType          type,
                                         const char    *property,
                                         GError       **error);
HS_AVAILABLE_IN_0_2
gboolean hs_inject_auto                 (GType          type,
                                         const char    *property,
                                         GError       **error);

HS_AVAILABLE_IN_0_1
gboolean hs_object_class_inject_context (GObjectClass  *klass,
                                         const char    *property,
                                         const char    *attr,
                                         GError       **error);
HS_AVAILABLE_IN_0_1
gboolean hs_object_class_inject_get     (GObjectClass  *klass,
                                         const char    *property,
                                         GType          kind,
                                         const char    *attr,
                                         GError       **error);
HS_AVAILABLE_IN_0_1
gboolean hs_object_class_inject_skip    (GObjectClass  *klass,
                                         const char    *property,
                                         GError       **error);
HS_AVAILABLE_IN_0_2
gboolean hs_object_class_inject_auto    (GObjectClass  *klass,
                                         const char    *property,
                                         GError       **error);

G_END_DECLS
