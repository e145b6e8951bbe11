/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-build-private.h"

G_BEGIN_DECLS

/* Building asynchronously (SPEC 10): what hs_registry_get_async() runs. */

/* How an asynchronous build ends: @object (transfer full) when something
 * answered and was built; @found FALSE (no object, no error) when nothing
 * answers; or @error (transfer full). Called in the thread-default main
 * context of the get, possibly before _hs_build_async() returns. */
typedef void (*HsBuildAsyncDone) (GObject  *object,
                                  gboolean  found,
                                  GError   *error,
                                  gpointer  data);

/* The asynchronous _hs_build() without props: finds the winner of @kind
 * for @context (the lookup context) in @self and its ancestors and builds
 * it, its dependencies first, the independent ones at the same time;
 * GAsyncInitable types with init_async(), asynchronous factories through
 * their finish; lazy singletons and scoped objects once, shared by the
 * gets that ask meanwhile. @cancellable stops it. */
void _hs_build_async (HsRegistry       *self,
                      GType             kind,
                      GObject          *context,
                      GCancellable     *cancellable,
                      HsBuildAsyncDone  done,
                      gpointer          data);

/* _hs_build_async() of a winner found already (hs_registry_build_async()):
 * builds @w (taken) for @kind, as _hs_build_async() builds the winner it
 * finds. */
void _hs_build_async_winner (HsRegistry       *self,
                             HsWinner         *w,
                             GType             kind,
                             GObject          *context,
                             GCancellable     *cancellable,
                             HsBuildAsyncDone  done,
                             gpointer          data);

/* A source of @context that calls @func when @cancellable is cancelled:
 * in that context, never inside the emission of another thread's
 * g_cancellable_cancel(), and destroyed with no wait. The caller holds
 * the returned reference. */
GSource *_hs_cancellable_source_attach (GCancellable           *cancellable,
                                       GCancellableSourceFunc  func,
                                       gpointer                data,
                                       GDestroyNotify          destroy,
                                       GMainContext           *context);

G_END_DECLS
