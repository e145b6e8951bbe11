/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-resolve-private.h"
#include "hs-inject-private.h"

G_BEGIN_DECLS

/* A frame of an object being built, for cycle detection: on the C stack
 * of _hs_build_winner() for the builds of this thread (HsThreadCache's
 * building, linked from the innermost), or in the state of an
 * asynchronous get (hs-build-async.c), whose chain a synchronous build
 * run from it continues. */
struct _HsBuildFrame
{
  guint64       serial;               /* the registration's */
  HsRegistry   *builder;
  GObject      *context;
  GType         kind;                 /* asked for */
  GType         implementation;       /* what the registration builds */
  HsBuildFrame *outer;
  guint         depth;
};

/* Checks that building @w for @kind with @builder and @context inside the
 * builds of @chain (innermost first; NULL for none) closes no cycle and
 * nests not too deep: HS_REGISTRY_ERROR_CYCLE with the chain, or
 * HS_REGISTRY_ERROR_TOO_DEEP. */
gboolean _hs_build_check_frame (HsBuildFrame  *chain,
                                HsWinner      *w,
                                HsRegistry    *builder,
                                GObject       *context,
                                GType          kind,
                                GError       **error);

/* Fills @frame for building @w inside @outer. */
void _hs_build_frame_init (HsBuildFrame  *frame,
                           HsBuildFrame  *outer,
                           HsWinner      *w,
                           HsRegistry    *builder,
                           GObject       *context,
                           GType          kind);

/* Checks what the factory of @entry returned, with *@error (not NULL) as
 * it set it: returns the object, the caller's own reference, or NULL with
 * *@error set (FACTORY_FAILED for nothing, or an object that is not a kind
 * of the registered kind). */
GObject *_hs_build_factory_result (HsEntry  *entry,
                                   GObject  *object,
                                   GError  **error);

/* g_object_new_with_properties() for a type of @plan, with the caller's
 * own reference (sunk when initially unowned); no init. */
GObject *_hs_build_new_object (GType          type,
                               const HsPlan  *plan,
                               guint          n,
                               const char   **names,
                               const GValue  *values);

/* Unsets the first @n of @values, and frees @names and @values unless they
 * are the caller's arrays on the stack. */
void _hs_build_values_clear (guint          n,
                             const char   **names,
                             const char   **stack_names,
                             GValue        *values,
                             GValue        *stack_values);

typedef enum
{
  HS_INJECT_SET,
  HS_INJECT_DEFAULT,
  HS_INJECT_FAILED,
} HsInjectResult;

/* The kind whose get decides what @item injects (the automatic rule and
 * the get annotation), or G_TYPE_INVALID when no get is needed. */
GType _hs_build_item_kind (const HsPlanItem *item);

/* What a build of @type by @builder puts into @value (initialized to the
 * property's type) for @item, given the get of the item's kind: @source
 * (transfer full) when @found, or its failure @local_error (transfer
 * full). The one path of synchronous and asynchronous builds for values
 * and messages ("Cannot inject property …"). */
HsInjectResult _hs_build_inject_found (HsRegistry        *builder,
                                       GType              type,
                                       const HsPlanItem  *item,
                                       GObject           *context,
                                       GObject           *source,
                                       gboolean           found,
                                       GError            *local_error,
                                       GValue            *value,
                                       GError           **error);

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
