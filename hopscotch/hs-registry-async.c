/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-registry-private.h"
#include "hs-build-async-private.h"
#include "hs-index-private.h"
#include "hs-registry-parts-private.h"
#include "hs-list-private.h"
#include "hs-i18n-private.h"

/* The asynchronous get of HsRegistry (SPEC 10): hs_registry_get_async()
 * and hs_registry_get_finish(), a GTask around hs-build-async, with a
 * cancellable of its own that the caller's and the registry's closing
 * cancel. (hs_registry_register_async_factory() is with the other
 * registrations, in hs-registry.c.) */

/* A get in progress: the GTask's data. */
typedef struct
{
  GType         kind;
  GObject      *context;              /* the lookup context */
  GCancellable *cancellable;          /* the build's */
  GSource      *caller_source;        /* the caller's cancellable cancels it */
  GSource      *close_source;         /* closing the registry cancels it */
} GetOp;

static void
source_clear (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_source_unref (*source);
  *source = NULL;
}

static void
get_op_free (gpointer data)
{
  GetOp *op = data;

  source_clear (&op->caller_source);
  source_clear (&op->close_source);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->context);
  g_free (op);
}

static gboolean
cancel_build (GCancellable *source_cancellable,
              gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
  return G_SOURCE_REMOVE;
}

/* The GTask of a get or build, or NULL when @cancellable was cancelled
 * already (the callback is then called with G_IO_ERROR_CANCELLED). */
static GTask *
task_new (HsRegistry          *self,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag,
          const char          *name)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return NULL;
    }

  return task;
}

/* The data of @task, a get or build of @kind for the lookup context
 * @context: a cancellable of the build's own, cancelled by the caller's
 * @cancellable and by closing @self, in the caller's thread-default main
 * context. */
static GetOp *
get_op_attach (HsRegistry   *self,
               GTask        *task,
               GType         kind,
               GObject      *context,
               GCancellable *cancellable)
{
  GMainContext *main_context;
  GetOp *op;

  op = g_new0 (GetOp, 1);
  op->kind = kind;
  op->context = context != NULL ? g_object_ref (context) : NULL;
  op->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, get_op_free);

  main_context = g_main_context_ref_thread_default ();
  if (cancellable != NULL)
    op->caller_source = _hs_cancellable_source_attach (cancellable, cancel_build,
                                                       g_object_ref (op->cancellable),
                                                       g_object_unref, main_context);
  op->close_source = _hs_cancellable_source_attach (hs_registry_get_cancellable (self),
                                                    cancel_build, g_object_ref (op->cancellable),
                                                    g_object_unref, main_context);
  g_main_context_unref (main_context);

  return op;
}

static void
get_done (GObject  *object,
          gboolean  found,
          GError   *error,
          gpointer  data)
{
  GTask *task = data;
  GetOp *op = g_task_get_task_data (task);
  HsRegistry *self = g_task_get_source_object (task);

  source_clear (&op->caller_source);
  source_clear (&op->close_source);

  /* Cancelled: nothing of it is kept, whatever completed meanwhile. */
  if (g_cancellable_is_cancelled (op->cancellable))
    {
      g_clear_object (&object);
      g_clear_error (&error);
      if (hs_registry_is_closed (self))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The registry was closed while the get of “%s” was in progress"),
                                 _hs_type_name (op->kind));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The get of “%s” was cancelled"),
                                 _hs_type_name (op->kind));
    }
  else if (error != NULL)
    {
      /* A child of a closed registry is closed when it is next used. */
      if (_hs_index_chain_closed (_hs_registry_index (self)))
        hs_registry_close (self);
      g_task_return_error (task, error);
    }
  else if (!found)
    {
      _hs_set_not_found_error (&error, op->kind, op->context);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, object, g_object_unref);

  g_object_unref (task);
}

/**
 * hs_registry_get_async:
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @cancellable: (nullable): a #GCancellable, or %NULL
 * @callback: (scope async) (closure user_data): called when the object is
 *   ready, in the thread-default main context of the caller
 * @user_data: the data to pass to @callback
 *
 * Gets the best implementation of @kind for @context, as hs_registry_get()
 * does, without blocking: what needs asynchronous construction is built
 * asynchronously, and anything else completes with what hs_registry_get()
 * would return. Call hs_registry_get_finish() from @callback.
 *
 * - A type that implements #GAsyncInitable is constructed with its
 *   dependencies injected, then initialized with
 *   g_async_initable_init_async() — also when it implements #GInitable
 *   too, as #GDBusProxy does (hs_registry_get() calls g_initable_init()
 *   on such a type). A #GInitable type is initialized with
 *   g_initable_init(), in line.
 * - An asynchronous factory (hs_registry_register_async_factory()) is
 *   called with a cancellable and completes through its finish function.
 * - The dependencies of a type are got first, all of them at once: those
 *   built synchronously are built in line, the asynchronous ones are in
 *   flight together, and the type is constructed when the last is in.
 *   Their errors are reported as a synchronous get reports them
 *   ("Cannot inject property …"), in the order of the type's properties;
 *   a dependency cycle is %HS_REGISTRY_ERROR_CYCLE with its chain, across
 *   asynchronous steps too.
 * - A %HS_LIFETIME_SINGLETON or %HS_LIFETIME_SCOPED object is built once:
 *   the gets that ask for it while it is built (asynchronous gets, and
 *   synchronous gets on other threads) wait for that one build and
 *   complete with the same object. A synchronous get of it on the thread
 *   that started its asynchronous build fails with
 *   %HS_REGISTRY_ERROR_NEEDS_ASYNC instead of blocking.
 *
 * Cancelling @cancellable, or closing @self, completes the get with
 * %G_IO_ERROR_CANCELLED, and nothing it built is kept. A shared build of a
 * lazy singleton or scoped object goes on while some get still waits for
 * it: cancelling one get completes that get only; the build itself is
 * cancelled when every get waiting for it was cancelled, or when the
 * registry that keeps it closes, and then nothing is kept (the next get
 * builds it again). A get started on a closed registry fails with
 * %HS_REGISTRY_ERROR_CLOSED, as hs_registry_get() does.
 *
 * From JavaScript, with the JavaScript layer imported,
 * `await registry.get_async(Kind, null, null)` or
 * `await registry.getAsync(Kind, {context, cancellable})`; from Python,
 * `await registry.get_async_awaitable(Kind)` with the override (see the
 * Asynchronous construction chapter).
 *
 * Since: 0.2
 */
void
hs_registry_get_async (HsRegistry          *self,
                       GType                kind,
                       GObject             *context,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GError *error = NULL;
  GTask *task;
  GetOp *op;

  g_return_if_fail (HS_IS_REGISTRY (self));
  g_return_if_fail (context == NULL || G_IS_OBJECT (context));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, cancellable, callback, user_data, hs_registry_get_async,
                   "[hopscotch] hs_registry_get_async");
  if (task == NULL)
    return;

  _hs_registry_observe_loads ();

  if (_hs_registry_check_closed (self, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  context = context != NULL ? context : _hs_registry_own_context (self);
  op = get_op_attach (self, task, kind, context, cancellable);

  /* The task's reference goes to get_done(). */
  _hs_build_async (self, kind, op->context, op->cancellable, get_done, task);
}

/**
 * hs_registry_get_finish:
 * @self: a #HsRegistry
 * @result: the #GAsyncResult given to the callback of hs_registry_get_async()
 * @error: return location for a #GError
 *
 * Completes hs_registry_get_async().
 *
 * Errors: those of hs_registry_get_with_properties(), %G_IO_ERROR_CANCELLED
 * when the get was cancelled or @self was closed meanwhile, and the error
 * of a failing `GAsyncInitable.init_async()` or asynchronous factory,
 * unchanged.
 *
 * Returns: (transfer full) (type GObject): a new reference to an object that
 *   is a kind of the kind asked for, or %NULL with @error set
 *
 * Since: 0.2
 */
gpointer
hs_registry_get_finish (HsRegistry    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, hs_registry_get_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hs_registry_build_async:
 * @self: a #HsRegistry
 * @registration: a registration of @self or of an ancestor, as
 *   hs_registry_list() and hs_registry_lookup() return
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @cancellable: (nullable): a #GCancellable, or %NULL
 * @callback: (scope async) (closure user_data): called when the object is
 *   ready, or the build failed, in the thread-default main context of the
 *   caller
 * @user_data: the data to pass to @callback
 *
 * Builds @registration as hs_registry_build() does, asynchronously, as
 * hs_registry_get_async() builds a winner: what needs asynchronous
 * construction (an asynchronous factory, a #GAsyncInitable type, or
 * something that depends on one) is built without blocking, its
 * independent dependencies at the same time. The item of a list whose
 * registrations need asynchronous construction is built this way (a
 * plugins' menu of D-Bus services, say); anything else completes with
 * what hs_registry_build() returns.
 *
 * Finish with hs_registry_build_finish(). Its errors are those of
 * hs_registry_build() (%HS_REGISTRY_ERROR_NOT_FOUND for a registration
 * that is not reachable from @self or no longer answers), and
 * %G_IO_ERROR_CANCELLED when @cancellable is cancelled or the registry is
 * closed meanwhile; nothing is kept then.
 *
 * Since: 0.2
 */
void
hs_registry_build_async (HsRegistry          *self,
                         HsRegistration      *registration,
                         GObject             *context,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GError *error = NULL;
  GTask *task;
  GetOp *op;
  HsWinner w;

  g_return_if_fail (HS_IS_REGISTRY (self));
  g_return_if_fail (HS_IS_REGISTRATION (registration));
  g_return_if_fail (context == NULL || G_IS_OBJECT (context));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, cancellable, callback, user_data, hs_registry_build_async,
                   "[hopscotch] hs_registry_build_async");
  if (task == NULL)
    return;

  if (!_hs_list_take_winner (self, registration, &context, &w, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  op = get_op_attach (self, task, hs_registration_get_kind (registration), context, cancellable);

  /* The task's reference goes to get_done(). */
  _hs_build_async_winner (self, &w, op->kind, op->context, op->cancellable, get_done, task);
}

/**
 * hs_registry_build_finish:
 * @self: a #HsRegistry
 * @result: the #GAsyncResult given to the callback of
 *   hs_registry_build_async()
 * @error: return location for a #GError
 *
 * Completes hs_registry_build_async().
 *
 * Returns: (transfer full) (type GObject): a new reference to what the
 *   registration builds, or %NULL with @error set
 *
 * Since: 0.2
 */
gpointer
hs_registry_build_finish (HsRegistry    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, hs_registry_build_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
