/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-resolve-private.h"

G_BEGIN_DECLS

/* Builds what @w names, for a get of @kind from @builder: calls its
 * factory or constructs its type, with cycle detection. */
GObject *_hs_build_winner (HsRegistry    *builder,
                           HsWinner      *w,
                           GType          kind,
                           GObject       *context,
                           guint          n_properties,
                           const char   **names,
                           const GValue  *values,
                           GError       **error);

/* Sets the annotated and auto properties of @object, made elsewhere, that
 * can be set after construction, as a build by @builder would: all of them,
 * or none when one fails. @context is the lookup context. */
gboolean _hs_build_inject (HsRegistry  *builder,
                           GObject     *object,
                           GObject     *context,
                           GError     **error);

/* Builds, or finds kept, what a SINGLETON or SCOPED winner @w builds for
 * a get of @kind from @self without props (see _hs_build()). */
GObject *_hs_build_kept (HsRegistry  *self,
                         HsWinner    *w,
                         GType        kind,
                         GType        ctx_type,
                         GError     **error);

/* The body of every get, also of the gets of dependencies: finds the
 * winning registration of @kind for @context in @self and its ancestors and
 * builds it with @self as the building registry, or returns what is kept
 * for it. @context is the lookup context already chosen by the caller.
 * When nothing answers, returns %NULL with *@found set to %FALSE and no
 * error. In line, so that a get of a cached singleton is a handful of
 * calls. */
static inline GObject *
_hs_build (HsRegistry    *self,
           GType          kind,
           GObject       *context,
           guint          n_properties,
           const char   **names,
           const GValue  *values,
           gboolean      *found,
           GError       **error)
{
  GType ctx_type = context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID;
  HsResolveResult result;
  GObject *object;
  HsWinner w;

  result = _hs_resolve (self, kind, ctx_type, n_properties > 0, FALSE, &w);
  *found = result != HS_RESOLVE_NONE;
  if (G_UNLIKELY (result != HS_RESOLVE_FOUND))
    {
      if (result == HS_RESOLVE_CLOSED)
        _hs_set_closed_error (error);
      return NULL;
    }

  /* A singleton, or what is kept and built already: nothing to build, and
   * w holds nothing else. */
  if (w.instance != NULL)
    return w.instance;

  if (w.lifetime != HS_LIFETIME_TRANSIENT)
    object = _hs_build_kept (self, &w, kind, ctx_type, error);
  else
    object = _hs_build_winner (self, &w, kind, context, n_properties, names, values, error);
  _hs_winner_clear (&w);

  return object;
}

G_END_DECLS
