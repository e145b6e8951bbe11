/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_INSIDE) && !defined(HOPSCOTCH_COMPILATION)
# error "Only <hopscotch.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hs-version-macros.h"
#include "hs-types.h"

G_BEGIN_DECLS

HS_AVAILABLE_IN_0_2
GListModel *hs_registry_list  (HsRegistry      *self,
                               GType            kind,
                               GObject         *context);
HS_AVAILABLE_IN_0_2
gpointer    hs_registry_build (HsRegistry      *self,
                               HsRegistration  *registration,
                               GObject         *context,
                               GError         **error);
HS_AVAILABLE_IN_0_2
void        hs_registry_build_async  (HsRegistry          *self,
                                      HsRegistration      *registration,
                                      GObject             *context,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
HS_AVAILABLE_IN_0_2
gpointer    hs_registry_build_finish (HsRegistry          *self,
                                      GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
