/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gio/gio.h>

#include "hs-build-async-private.h"
#include "hs-kind-private.h"

/* Building asynchronously: what hs_registry_get_async() runs (SPEC 10).
 *
 * A build is a tree of nodes, one per object being built, each with its
 * frame in the chain of its parent's (HsBuildFrame, as the synchronous
 * builds of hs-build.c keep on the stack), so that cycles are found across
 * asynchronous steps with the same check and the same message; synchronous
 * code run from a node (a factory, a constructor, GInitable.init())
 * continues that chain, as the thread's innermost build.
 *
 * A type's dependencies are all started before any completes: those built
 * synchronously complete at once, the asynchronous ones are in flight
 * together; the type is constructed when the last completes, then
 * initialized with init_async() when it is a GAsyncInitable (also when it
 * is a GInitable too, as GDBusProxy is), else with init() when it is a
 * GInitable. A lazy singleton or scoped object is built once, by one
 * shared build that the gets asking for it wait for (hs-scope): the build
 * has a cancellable of its own, cancelled when every get waiting for it
 * was cancelled, or when its keeper closes.
 *
 * Every step of a get runs in the thread-default main context of the get,
 * where GIO's asynchronous functions call back; a shared build calls the
 * gets waiting for it in their own contexts. Nothing blocks. */

typedef struct _Node Node;

/* A dependency of a type being built: what its get answered. */
typedef struct
{
  Node     *node;
  GObject  *source;
  gboolean  found;
  GError   *error;
} Dep;

struct _Node
{
  gint              ref_count;
  Node             *parent;           /* a reference: its frame is in the chain */
  HsBuildFrame      frame;            /* points at builder and context, held here */
  HsBuilt          *kept;             /* the innermost shared build it is part of
                                       * (held by that build's Shared) */
  HsRegistry       *builder;
  GObject          *context;
  HsWinner          w;
  GCancellable     *cancellable;
  HsBuildAsyncDone  done;
  gpointer          done_data;

  /* Of a type */
  HsPlan           *plan;
  gboolean          owned_plan;
  GObjectClass     *owned_klass;
  Dep              *deps;
  guint             n_pending;
  GObject          *object;           /* constructed, being initialized */
};

static void build_in (HsRegistry       *builder,
                      GType             kind,
                      GObject          *context,
                      Node             *parent,
                      GCancellable     *cancellable,
                      HsBuildAsyncDone  done,
                      gpointer          data);

static Node *
node_ref (Node *node)
{
  g_atomic_int_inc (&node->ref_count);
  return node;
}

static void
node_unref (Node *node)
{
  if (!g_atomic_int_dec_and_test (&node->ref_count))
    return;

  if (node->plan != NULL && node->owned_plan)
    _hs_plan_unref (node->plan);
  if (node->owned_klass != NULL)
    g_type_class_unref (node->owned_klass);
  g_free (node->deps);
  g_clear_object (&node->object);
  _hs_winner_clear (&node->w);
  g_clear_object (&node->cancellable);
  g_clear_object (&node->context);
  g_clear_object (&node->builder);
  if (node->parent != NULL)
    node_unref (node->parent);
  g_free (node);
}

/* Takes @w. */
static Node *
node_new (HsRegistry       *builder,
          HsWinner         *w,
          GType             kind,
          GObject          *context,
          Node             *parent,
          HsBuilt          *kept,
          GCancellable     *cancellable,
          HsBuildAsyncDone  done,
          gpointer          data)
{
  Node *node = g_new0 (Node, 1);

  node->kept = kept != NULL ? kept : parent != NULL ? parent->kept : NULL;
  node->ref_count = 1;
  node->parent = parent != NULL ? node_ref (parent) : NULL;
  node->builder = g_object_ref (builder);
  node->context = context != NULL ? g_object_ref (context) : NULL;
  node->w = *w;
  node->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  node->done = done;
  node->done_data = data;
  _hs_build_frame_init (&node->frame, parent != NULL ? &parent->frame : NULL,
                        &node->w, node->builder, node->context, kind);

  return node;
}

/* Ends @node with @object or @error (transfer full), and drops the
 * reference of its build. */
static void
node_finish (Node    *node,
             GObject *object,
             GError  *error)
{
  node->done (object, TRUE, error, node->done_data);
  node_unref (node);
}

/* Makes @chain the innermost build of this thread while synchronous code
 * runs (returns what to restore). */
static HsBuildFrame *
enter_chain (HsBuildFrame *chain)
{
  HsThreadCache *tc = _hs_thread_cache_get ();
  HsBuildFrame *saved = tc->building;

  tc->building = chain;
  return saved;
}

static void
leave_chain (HsBuildFrame *saved)
{
  _hs_thread_cache_get ()->building = saved;
}

/* Factories */

static void
factory_ready (GObject      *source_object,
               GAsyncResult *result,
               gpointer      data)
{
  Node *node = data;
  HsEntry *entry = node->w.entry;
  GError *error = NULL;
  GObject *object;
  HsBuildFrame *saved;

  saved = enter_chain (&node->frame);
  object = entry->held.factory.async_finish (node->builder, result,
                                             entry->held.factory.user_data, &error);
  leave_chain (saved);

  object = _hs_build_factory_result (entry, object, &error);
  node_finish (node, object, error);
}

/* Types */

static void
init_ready (GObject      *source_object,
            GAsyncResult *result,
            gpointer      data)
{
  Node *node = data;
  GError *error = NULL;

  if (!g_async_initable_init_finish (G_ASYNC_INITABLE (source_object), result, &error))
    g_clear_object (&node->object);
  node_finish (node, g_steal_pointer (&node->object), error);
}

/* Every dependency is in: constructs the type and initializes it. */
static void
type_construct (Node *node)
{
  const HsPlan *plan = node->plan;
  GType type = node->w.implementation;
  const char *stack_names[16];
  GValue stack_values[16];            /* each one initialized before use */
  const char **names;
  GValue *values;
  GObject *object = NULL;
  GError *error = NULL;
  HsBuildFrame *saved;
  guint n = 0;

  names = plan->n_items <= G_N_ELEMENTS (stack_names) ? stack_names : g_new (const char *, plan->n_items);
  values = plan->n_items <= G_N_ELEMENTS (stack_values) ? stack_values : g_new (GValue, plan->n_items);

  g_cancellable_set_error_if_cancelled (node->cancellable, &error);

  /* In the plan's order, as a synchronous build: the first failure is the
   * error, with the same message. */
  for (guint i = 0; i < plan->n_items; i++)
    {
      const HsPlanItem *item = &plan->items[i];
      Dep *dep = &node->deps[i];
      GValue *value = &values[n];

      if (error != NULL)
        {
          g_clear_object (&dep->source);
          g_clear_error (&dep->error);
          continue;
        }

      *value = (GValue) G_VALUE_INIT;
      g_value_init (value, item->pspec->value_type);
      switch (_hs_build_inject_found (node->builder, type, item, node->context,
                                      g_steal_pointer (&dep->source), dep->found,
                                      g_steal_pointer (&dep->error), value, &error))
        {
        case HS_INJECT_SET:
          names[n++] = item->pspec->name;
          break;
        case HS_INJECT_DEFAULT:
        case HS_INJECT_FAILED:
        default:
          g_value_unset (value);
          break;
        }
    }

  if (error == NULL)
    {
      saved = enter_chain (&node->frame);
      object = _hs_build_new_object (type, plan, n, names, values);
      leave_chain (saved);
    }

  _hs_build_values_clear (n, names, stack_names, values, stack_values);

  if (object == NULL)
    {
      node_finish (node, NULL, error);
      return;
    }

  /* Asynchronously when it can, also when it could synchronously too. */
  if (plan->async_initable)
    {
      node->object = object;
      g_async_initable_init_async (G_ASYNC_INITABLE (object), G_PRIORITY_DEFAULT,
                                   node->cancellable, init_ready, node);
      return;
    }

  if (plan->initable)
    {
      saved = enter_chain (&node->frame);
      if (!g_initable_init (G_INITABLE (object), node->cancellable, &error))
        g_clear_object (&object);
      leave_chain (saved);
    }

  node_finish (node, object, error);
}

static void
dep_done (GObject  *object,
          gboolean  found,
          GError   *error,
          gpointer  data)
{
  Dep *dep = data;
  Node *node = dep->node;

  dep->source = object;
  dep->found = found;
  dep->error = error;

  if (--node->n_pending == 0)
    type_construct (node);
}

/* Starts the gets of every dependency of @node's type at once. */
static void
type_start (Node *node)
{
  GType type = node->w.implementation;
  GObjectClass *klass;

  klass = g_type_class_peek_static (type);
  if (klass == NULL)
    klass = node->owned_klass = g_type_class_ref (type);
  node->plan = _hs_plan_get (type, klass, &node->owned_plan);
  node->deps = g_new0 (Dep, node->plan->n_items);

  /* Counted before any starts: some complete at once. */
  node->n_pending = 1;
  for (guint i = 0; i < node->plan->n_items; i++)
    {
      node->deps[i].node = node;
      if (_hs_build_item_kind (&node->plan->items[i]) != G_TYPE_INVALID)
        node->n_pending++;
    }

  for (guint i = 0; i < node->plan->n_items; i++)
    {
      GType kind = _hs_build_item_kind (&node->plan->items[i]);

      if (kind != G_TYPE_INVALID)
        build_in (node->builder, kind, node->context, node, node->cancellable,
                  dep_done, &node->deps[i]);
    }

  if (--node->n_pending == 0)
    type_construct (node);
}

/* Builds @w (taken), a type or a factory, for @kind with @builder. */
static void
winner_in (HsRegistry       *builder,
           HsWinner         *w,
           GType             kind,
           GObject          *context,
           Node             *parent,
           HsBuilt          *kept,
           GCancellable     *cancellable,
           HsBuildAsyncDone  done,
           gpointer          data)
{
  HsBuildFrame *chain = parent != NULL ? &parent->frame : NULL;
  GError *error = NULL;
  Node *node;

  if (!_hs_build_check_frame (chain, w, builder, context, kind, &error))
    {
      _hs_winner_clear (w);
      done (NULL, TRUE, error, data);
      return;
    }

  /* A synchronous factory, in line: it continues the chain. */
  if (w->type == HS_REGISTRATION_FACTORY && w->entry->held.factory.func != NULL)
    {
      HsBuildFrame *saved = enter_chain (chain);
      GObject *object;

      object = _hs_build_winner (builder, w, kind, context, 0, NULL, NULL, &error);
      leave_chain (saved);
      _hs_winner_clear (w);
      done (object, TRUE, error, data);
      return;
    }

  node = node_new (builder, w, kind, context, parent, kept, cancellable, done, data);

  if (node->w.type == HS_REGISTRATION_FACTORY)
    {
      HsEntry *entry = node->w.entry;
      HsBuildFrame *saved = enter_chain (&node->frame);

      entry->held.factory.async_func (node->builder, node->context,
                                      entry->held.factory.user_data,
                                      node->cancellable, factory_ready, node);
      leave_chain (saved);
      return;
    }

  type_start (node);
}

/* Kept objects: one shared build per registration and scope */

/* A get waiting for a shared build, in its own main context. */
typedef struct
{
  HsScopeWaiter     base;
  gint              ref_count;
  gboolean          finished;         /* in the get's context only */
  GMainContext     *main_context;
  GSource          *cancel_source;
  GObject          *object;
  GError           *error;
  HsBuildAsyncDone  done;
  gpointer          done_data;
} Waiter;

static void
waiter_unref (gpointer data)
{
  Waiter *waiter = data;

  if (!g_atomic_int_dec_and_test (&waiter->ref_count))
    return;

  g_clear_object (&waiter->object);
  g_clear_error (&waiter->error);
  if (waiter->cancel_source != NULL)
    g_source_unref (waiter->cancel_source);
  g_main_context_unref (waiter->main_context);
  g_free (waiter);
}

static void
waiter_end (Waiter   *waiter,
            GObject  *object,
            GError   *error)
{
  waiter->finished = TRUE;
  if (waiter->cancel_source != NULL)
    g_source_destroy (waiter->cancel_source);
  waiter->done (object, TRUE, error, waiter->done_data);
}

static gboolean
waiter_deliver (gpointer data)
{
  Waiter *waiter = data;

  if (!waiter->finished)
    waiter_end (waiter, g_steal_pointer (&waiter->object), g_steal_pointer (&waiter->error));

  return G_SOURCE_REMOVE;
}

/* From the thread that completed the build: to the get's context. */
static void
waiter_notified (HsScopeWaiter *base,
                 GObject       *object,
                 GError        *error)
{
  Waiter *waiter = (Waiter *) base;
  GSource *source = g_idle_source_new ();

  waiter->object = object;
  waiter->error = error;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  /* The scope's reference goes to the source. */
  g_source_set_callback (source, waiter_deliver, waiter, waiter_unref);
  g_source_set_static_name (source, "[hopscotch] shared build done");
  g_source_attach (source, waiter->main_context);
  g_source_unref (source);
}

static gboolean
waiter_cancelled (GCancellable *cancellable,
                  gpointer      data)
{
  Waiter *waiter = data;
  GError *error = NULL;

  /* Otherwise the build completed: waiter_deliver() comes. */
  if (!waiter->finished && _hs_scope_leave (&waiter->base))
    {
      /* Never notified now: the scope's reference goes. */
      g_atomic_int_add (&waiter->ref_count, -1);
      g_cancellable_set_error_if_cancelled (cancellable, &error);
      waiter_end (waiter, NULL, error);
    }

  return G_SOURCE_REMOVE;
}

/* A shared build, run by the get that found none. */
typedef struct
{
  HsRegistry   *keeper;
  HsBuilt      *built;
  GCancellable *cancellable;
  GSource      *close_source;         /* the keeper's closing cancels it */
} Shared;

static gboolean
keeper_closed (GCancellable *cancellable,
               gpointer      data)
{
  Shared *shared = data;

  g_cancellable_cancel (shared->cancellable);
  return G_SOURCE_REMOVE;
}

static void
shared_done (GObject  *object,
             gboolean  found,
             GError   *error,
             gpointer  data)
{
  Shared *shared = data;

  g_source_destroy (shared->close_source);
  g_source_unref (shared->close_source);
  _hs_scope_complete_async (_hs_registry_scope (shared->keeper), shared->built, object, error);
  g_object_unref (shared->cancellable);
  g_object_unref (shared->keeper);
  g_free (shared);
}

/* Gets what the SINGLETON or SCOPED winner @w (taken) keeps for a get of
 * @kind from @self: kept, or from its build in progress, or from a new
 * one. */
static void
kept_in (HsRegistry       *self,
         HsWinner         *w,
         GType             kind,
         Node             *parent,
         GCancellable     *cancellable,
         HsBuildAsyncDone  done,
         gpointer          data)
{
  /* As _hs_build_kept(): the holder keeps a lazy singleton, the registry
   * asked a scoped object, and the keeper builds with its own context. */
  HsRegistry *keeper = w->lifetime == HS_LIFETIME_SINGLETON ? w->registry : self;
  GObject *keeper_context = hs_registry_get_context (keeper);
  GCancellable *build_cancellable = NULL;
  HsBuilt *built = NULL;
  GObject *object = NULL;
  GError *error = NULL;
  Waiter *waiter;
  Shared *shared;

  /* A get that comes back to it while it is built is a cycle: checked
   * before waiting for itself. */
  if (!_hs_build_check_frame (parent != NULL ? &parent->frame : NULL,
                              w, keeper, keeper_context, kind, &error))
    {
      _hs_winner_clear (w);
      done (NULL, TRUE, error, data);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->base.func = waiter_notified;
  waiter->ref_count = 1;              /* the scope's, until it notifies */
  waiter->main_context = g_main_context_ref_thread_default ();
  waiter->done = done;
  waiter->done_data = data;

  switch (_hs_scope_obtain_async (_hs_registry_scope (keeper), w->entry,
                                  parent != NULL ? parent->kept : NULL, &waiter->base,
                                  &build_cancellable, &built, &object, &error))
    {
    case HS_SCOPE_KEPT:
    case HS_SCOPE_FAILED:
      waiter_unref (waiter);
      _hs_winner_clear (w);
      done (object, TRUE, error, data);
      return;

    case HS_SCOPE_WAITING:
    case HS_SCOPE_BUILD:
    default:
      break;
    }

  if (cancellable != NULL)
    {
      g_atomic_int_inc (&waiter->ref_count);
      waiter->cancel_source = _hs_cancellable_source_attach (cancellable, waiter_cancelled,
                                                             waiter, waiter_unref,
                                                             waiter->main_context);
    }

  if (built == NULL)
    {
      _hs_winner_clear (w);
      return;
    }

  shared = g_new0 (Shared, 1);
  shared->keeper = g_object_ref (keeper);
  shared->built = built;
  shared->cancellable = build_cancellable;
  shared->close_source = _hs_cancellable_source_attach (hs_registry_get_cancellable (keeper),
                                                        keeper_closed, shared, NULL,
                                                        waiter->main_context);

  winner_in (keeper, w, kind, keeper_context, parent, built, build_cancellable, shared_done, shared);
}

/* Builds the winner @w (taken) of @kind, or hands over what it holds. */
static void
winner_built_in (HsRegistry       *builder,
                 HsWinner         *w,
                 GType             kind,
                 GObject          *context,
                 Node             *parent,
                 GCancellable     *cancellable,
                 HsBuildAsyncDone  done,
                 gpointer          data)
{
  /* A singleton, or what is kept and built already. */
  if (w->instance != NULL)
    {
      done (w->instance, TRUE, NULL, data);
      return;
    }

  if (w->lifetime != HS_LIFETIME_TRANSIENT)
    kept_in (builder, w, kind, parent, cancellable, done, data);
  else
    winner_in (builder, w, kind, context, parent, NULL, cancellable, done, data);
}

static void
build_in (HsRegistry       *builder,
          GType             kind,
          GObject          *context,
          Node             *parent,
          GCancellable     *cancellable,
          HsBuildAsyncDone  done,
          gpointer          data)
{
  GError *error = NULL;
  HsWinner w;

  switch (_hs_resolve (builder, kind, context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID,
                       FALSE, FALSE, &w))
    {
    case HS_RESOLVE_NONE:
      done (NULL, FALSE, NULL, data);
      return;

    case HS_RESOLVE_CLOSED:
      _hs_set_closed_error (&error);
      done (NULL, TRUE, error, data);
      return;

    case HS_RESOLVE_FOUND:
    default:
      break;
    }

  winner_built_in (builder, &w, kind, context, parent, cancellable, done, data);
}

GSource *
_hs_cancellable_source_attach (GCancellable           *cancellable,
                               GCancellableSourceFunc  func,
                               gpointer                data,
                               GDestroyNotify          destroy,
                               GMainContext           *context)
{
  GSource *source = g_cancellable_source_new (cancellable);

  g_source_set_callback (source, G_SOURCE_FUNC (func), data, destroy);
  g_source_set_static_name (source, "[hopscotch] cancelled");
  g_source_attach (source, context);

  return source;
}

void
_hs_build_async (HsRegistry       *self,
                 GType             kind,
                 GObject          *context,
                 GCancellable     *cancellable,
                 HsBuildAsyncDone  done,
                 gpointer          data)
{
  build_in (self, kind, context, NULL, cancellable, done, data);
}

void
_hs_build_async_winner (HsRegistry       *self,
                        HsWinner         *w,
                        GType             kind,
                        GObject          *context,
                        GCancellable     *cancellable,
                        HsBuildAsyncDone  done,
                        gpointer          data)
{
  winner_built_in (self, w, kind, context, NULL, cancellable, done, data);
}
