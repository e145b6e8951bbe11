/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-scope-private.h"
#include "hs-kind-private.h"
#include "hs-i18n-private.h"

gint _hs_scope_offset;

/* One lock for every scope, the builds in progress and the waits: builds
 * are rare (once per registration and scope), and one lock lets a thread
 * that is about to wait see the whole circle of threads waiting for each
 * other. Never held while user code runs. */
static GMutex scopes_lock;
static GCond builds_done;             /* broadcast when any build completes */

/* Which build each waiting thread waits for (GThread → HsBuilt, unowned):
 * written by the waiting thread, under scopes_lock. */
static GHashTable *waits;

/* A build, in progress or kept; its fields under scopes_lock. Held by its
 * scope's list while it is there, by the thread that builds it and by
 * each thread waiting for it. */
struct _HsBuilt
{
  gint      ref_count;
  HsBuilt  *next;                     /* in its scope's list */
  HsEntry  *entry;                    /* a memory reference: the key */
  GThread  *thread;                   /* building it; NULL once done */
  gboolean  done;
  GObject  *object;                   /* kept; NULL for a failed build */
  GError   *error;                    /* of a failed build, for the waiters */
  GThread  *async_thread;             /* an asynchronous build: the thread that
                                       * started it; NULL for a synchronous one */
  GCancellable *cancellable;          /* an asynchronous build's: cancelled when
                                       * no asynchronous get waits for it any more */
  GSList   *waiters;                  /* HsScopeWaiter: asynchronous gets waiting */
  GPtrArray *awaits;                  /* an asynchronous build's: the builds that
                                       * gets inside it wait for (references) */
};

void
_hs_set_closed_error (GError **error)
{
  g_set_error_literal (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED,
                       _("The registry is closed"));
}

/* Called under scopes_lock; returns the object to release, with no lock
 * held, when this was the last reference. Frees no user data: entries are
 * memory references. */
static GObject *
built_unref_locked (HsBuilt *b)
{
  GObject *object;

  if (--b->ref_count > 0)
    return NULL;

  object = b->object;
  _hs_entry_unref (b->entry);
  g_clear_error (&b->error);
  g_clear_object (&b->cancellable);
  g_assert (b->awaits == NULL);
  g_free (b);

  return object;
}

static HsBuilt *
find_locked (HsBuilt *list,
             HsEntry *entry)
{
  for (; list != NULL; list = list->next)
    if (list->entry == entry)
      return list;
  return NULL;
}

static HsBuilt *
lookup_locked (HsScope *scope,
               HsEntry *entry)
{
  HsBuilt *b = find_locked (scope->kept, entry);

  return b != NULL ? b : find_locked (scope->pending, entry);
}

static void
unlink_locked (HsBuilt **list,
               HsBuilt  *b)
{
  for (; *list != NULL; list = &(*list)->next)
    if (*list == b)
      {
        *list = b->next;
        b->next = NULL;
        return;
      }
}

GObject *
_hs_scope_peek (HsScope *scope,
                HsEntry *entry)
{
  GObject *object = NULL;
  HsBuilt *b;

  g_mutex_lock (&scopes_lock);
  b = find_locked (scope->kept, entry);
  if (b != NULL)
    object = g_object_ref (b->object);
  g_mutex_unlock (&scopes_lock);

  return object;
}

/* Whether @self waiting for @b would close a circle of threads that wait
 * for each other's builds. */
static gboolean
would_deadlock_locked (HsBuilt *b,
                       GThread *self)
{
  for (GThread *t = b->thread; t != NULL;)
    {
      HsBuilt *awaited;

      if (t == self)
        return TRUE;
      awaited = waits != NULL ? g_hash_table_lookup (waits, t) : NULL;
      t = awaited != NULL ? awaited->thread : NULL;
    }

  return FALSE;
}

/* Waits for another thread's build @b, with scopes_lock held; returns its
 * object (a new reference) or NULL with its error. */
static GObject *
wait_locked (HsBuilt  *b,
             GError  **error)
{
  GThread *self = g_thread_self ();
  GObject *object;

  if (would_deadlock_locked (b, self))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE,
                   _("Dependency cycle: “%s” is being built by another thread, which waits for this one"),
                   _hs_type_name (_hs_entry_named_kind (b->entry)));
      return NULL;
    }

  if (waits == NULL)
    waits = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (waits, self, b);
  while (!b->done)
    g_cond_wait (&builds_done, &scopes_lock);
  g_hash_table_remove (waits, self);

  /* No object: the build failed, or its scope was closed (which took
   * the object) before this thread saw it done. */
  object = b->object != NULL ? g_object_ref (b->object) : NULL;
  if (object == NULL && b->error != NULL)
    g_propagate_error (error, g_error_copy (b->error));
  else if (object == NULL)
    _hs_set_closed_error (error);

  return object;
}

/* Completes the build @b of @scope (the reference of its builder goes)
 * with @object (kept, and returned to the builder: transfer none) or
 * @local_error (transfer full; moved to @error); wakes the threads and
 * calls the asynchronous gets that wait for it. When @scope closed
 * meanwhile, the object is dropped and the build fails with @closed_domain
 * and @closed_code. */
static void
complete (HsScope   *scope,
          HsBuilt   *b,
          GObject  **object,
          GError    *local_error,
          GQuark     closed_domain,
          gint       closed_code,
          GError   **error)
{
  GObject *dropped = NULL;
  GSList *waiters;

  g_mutex_lock (&scopes_lock);
  b->done = TRUE;
  b->thread = NULL;
  if (scope->closed)
    {
      /* Not kept: closing let go of the list, and of its reference. */
      if (*object != NULL)
        {
          dropped = g_steal_pointer (object);
          g_clear_error (&local_error);
        }
      if (*object == NULL && dropped != NULL)
        g_set_error_literal (&local_error, closed_domain, closed_code,
                             closed_domain == HS_REGISTRY_ERROR ? _("The registry is closed")
                                                                : _("The registry was closed while the object was built"));
      b->error = g_error_copy (local_error);
    }
  else
    {
      unlink_locked (&scope->pending, b);
      if (*object != NULL)
        {
          /* The list's reference goes with it to the kept ones. */
          b->object = g_object_ref (*object);
          b->next = scope->kept;
          scope->kept = b;
        }
      else
        {
          /* Not kept: the next get tries again. */
          b->error = g_error_copy (local_error);
          built_unref_locked (b);
        }
    }
  /* What this build waited for is no part of a cycle any more. */
  if (b->awaits != NULL)
    {
      GPtrArray *awaits = g_steal_pointer (&b->awaits);

      for (guint i = 0; i < awaits->len; i++)
        {
          GObject *other = built_unref_locked (g_ptr_array_index (awaits, i));

          /* Kept records are held by their scope: never the last. */
          g_assert (other == NULL);
        }
      g_ptr_array_unref (awaits);
    }

  /* The asynchronous gets that wait are called below: none can leave now. */
  waiters = g_slist_reverse (g_steal_pointer (&b->waiters));
  for (GSList *l = waiters; l != NULL; l = l->next)
    ((HsScopeWaiter *) l->data)->built = NULL;
  g_cond_broadcast (&builds_done);
  built_unref_locked (b);
  g_mutex_unlock (&scopes_lock);

  g_clear_object (&dropped);

  /* With no lock held: each gets a reference, or a copy of the error. */
  for (GSList *l = waiters; l != NULL; l = l->next)
    {
      HsScopeWaiter *waiter = l->data;

      waiter->func (waiter,
                    *object != NULL ? g_object_ref (*object) : NULL,
                    *object == NULL ? g_error_copy (local_error) : NULL);
    }
  g_slist_free (waiters);

  if (local_error != NULL)
    g_propagate_error (error, local_error);
}

/* A record of a build of @entry starting in @scope, in its pending list,
 * with two references: the list's and the builder's. */
static HsBuilt *
pending_add_locked (HsScope *scope,
                    HsEntry *entry)
{
  HsBuilt *b = g_new0 (HsBuilt, 1);

  b->ref_count = 2;
  b->entry = _hs_entry_ref (entry);
  b->next = scope->pending;
  scope->pending = b;

  return b;
}

GObject *
_hs_scope_obtain (HsScope          *scope,
                  HsEntry          *entry,
                  HsScopeBuildFunc  build,
                  gpointer          data,
                  GError          **error)
{
  GError *local_error = NULL;
  GObject *object, *dropped = NULL;
  HsBuilt *b;

  g_mutex_lock (&scopes_lock);

  if (scope->closed)
    {
      g_mutex_unlock (&scopes_lock);
      _hs_set_closed_error (error);
      return NULL;
    }

  b = lookup_locked (scope, entry);
  if (b != NULL && b->done)
    {
      object = g_object_ref (b->object);
      g_mutex_unlock (&scopes_lock);
      return object;
    }

  if (b != NULL && b->thread == g_thread_self ())
    {
      /* Asked again from inside its own build: the build frames of this
       * thread tell the cycle (and its chain) when @build runs again. */
      g_mutex_unlock (&scopes_lock);
      return build (data, error);
    }

  if (b != NULL && b->async_thread == g_thread_self ())
    {
      /* Waiting would block the main loop that completes it. */
      g_mutex_unlock (&scopes_lock);
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC,
                   _("“%s” is being built asynchronously: get it with hs_registry_get_async()"),
                   _hs_type_name (_hs_entry_named_kind (entry)));
      return NULL;
    }

  if (b != NULL)
    {
      b->ref_count++;
      object = wait_locked (b, error);
      dropped = built_unref_locked (b);
      g_mutex_unlock (&scopes_lock);
      g_clear_object (&dropped);
      return object;
    }

  /* The first: build it with no lock held, the others wait. */
  b = pending_add_locked (scope, entry);
  b->thread = g_thread_self ();
  g_mutex_unlock (&scopes_lock);

  object = build (data, &local_error);

  complete (scope, b, &object, local_error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED, error);

  return object;
}

/* Whether the build @from waits, through builds in progress, for @b: then
 * @from waiting for @b would close a circle of builds waiting for each
 * other. */
static gboolean
awaits_locked (HsBuilt *b,
               HsBuilt *from)
{
  GPtrArray *todo = g_ptr_array_new ();
  GHashTable *seen = g_hash_table_new (NULL, NULL);
  gboolean found = FALSE;

  g_ptr_array_add (todo, b);
  while (todo->len > 0 && !found)
    {
      HsBuilt *next = g_ptr_array_steal_index_fast (todo, todo->len - 1);

      if (next->done || !g_hash_table_add (seen, next))
        continue;
      if (next == from)
        found = TRUE;
      for (guint i = 0; next->awaits != NULL && i < next->awaits->len; i++)
        g_ptr_array_add (todo, g_ptr_array_index (next->awaits, i));
    }
  g_hash_table_unref (seen);
  g_ptr_array_unref (todo);

  return found;
}

/* Notes that the build @from waits for @b. */
static void
add_await_locked (HsBuilt *from,
                  HsBuilt *b)
{
  if (from == NULL)
    return;
  if (from->awaits == NULL)
    from->awaits = g_ptr_array_new ();
  b->ref_count++;
  g_ptr_array_add (from->awaits, b);
}

HsScopeObtained
_hs_scope_obtain_async (HsScope        *scope,
                        HsEntry        *entry,
                        HsBuilt        *from,
                        HsScopeWaiter  *waiter,
                        GCancellable  **cancellable,
                        HsBuilt       **built,
                        GObject       **object,
                        GError        **error)
{
  HsBuilt *b;

  g_mutex_lock (&scopes_lock);

  if (scope->closed)
    {
      g_mutex_unlock (&scopes_lock);
      _hs_set_closed_error (error);
      return HS_SCOPE_FAILED;
    }

  b = lookup_locked (scope, entry);
  if (b != NULL && b->done)
    {
      *object = g_object_ref (b->object);
      g_mutex_unlock (&scopes_lock);
      return HS_SCOPE_KEPT;
    }

  if (b != NULL && from != NULL && awaits_locked (b, from))
    {
      g_mutex_unlock (&scopes_lock);
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE,
                   _("Dependency cycle: “%s” is being built by another get, which waits for this one"),
                   _hs_type_name (_hs_entry_named_kind (entry)));
      return HS_SCOPE_FAILED;
    }

  if (b == NULL)
    {
      b = pending_add_locked (scope, entry);
      b->async_thread = g_thread_self ();
      b->cancellable = g_cancellable_new ();
      *built = b;
      *cancellable = g_object_ref (b->cancellable);
    }
  else
    *built = NULL;

  waiter->built = b;
  b->waiters = g_slist_prepend (b->waiters, waiter);
  add_await_locked (from, b);
  g_mutex_unlock (&scopes_lock);

  return *built != NULL ? HS_SCOPE_BUILD : HS_SCOPE_WAITING;
}

void
_hs_scope_complete_async (HsScope *scope,
                          HsBuilt *built,
                          GObject *object,
                          GError  *error)
{
  complete (scope, built, &object, error,
                 G_IO_ERROR, G_IO_ERROR_CANCELLED, NULL);
  g_clear_object (&object);
}

gboolean
_hs_scope_leave (HsScopeWaiter *waiter)
{
  GCancellable *cancel = NULL;
  gboolean left = FALSE;
  HsBuilt *b;

  g_mutex_lock (&scopes_lock);
  b = waiter->built;
  if (b != NULL && !b->done)
    {
      b->waiters = g_slist_remove (b->waiters, waiter);
      waiter->built = NULL;
      left = TRUE;
      /* Nobody wants it any more: an asynchronous build stops. */
      if (b->waiters == NULL && b->cancellable != NULL)
        cancel = g_object_ref (b->cancellable);
    }
  g_mutex_unlock (&scopes_lock);

  /* Cancelling runs handlers: with no lock held. */
  if (cancel != NULL)
    {
      g_cancellable_cancel (cancel);
      g_object_unref (cancel);
    }

  return left;
}

GObject *
_hs_scope_forget (HsScope *scope,
                  HsEntry *entry)
{
  GObject *object = NULL;
  HsBuilt *b;

  g_mutex_lock (&scopes_lock);
  b = find_locked (scope->kept, entry);
  if (b != NULL)
    {
      unlink_locked (&scope->kept, b);
      object = g_steal_pointer (&b->object);
      built_unref_locked (b);
    }
  g_mutex_unlock (&scopes_lock);

  return object;
}

gboolean
_hs_scope_close (HsScope       *scope,
                 HsBuilt      **kept,
                 GCancellable **cancellable)
{
  HsBuilt *release = NULL, **tail = &release;

  g_mutex_lock (&scopes_lock);
  if (scope->closed)
    {
      g_mutex_unlock (&scopes_lock);
      return FALSE;
    }

  scope->closed = TRUE;
  *cancellable = scope->cancellable != NULL ? g_object_ref (scope->cancellable) : NULL;

  /* Builds in progress keep their records: they find the scope closed
   * when they complete. */
  while (scope->pending != NULL)
    {
      HsBuilt *b = scope->pending;

      scope->pending = b->next;
      b->next = NULL;
      built_unref_locked (b);
    }

  /* The kept ones, last built first. A record no waiter holds any more
   * (the usual case) goes to the caller as it is; for one still held, its
   * object goes in a record of its own. */
  while (scope->kept != NULL)
    {
      HsBuilt *b = scope->kept;

      scope->kept = b->next;
      b->next = NULL;
      if (b->ref_count > 1)
        {
          HsBuilt *alone = g_new0 (HsBuilt, 1);

          alone->ref_count = 1;
          alone->entry = _hs_entry_ref (b->entry);
          alone->object = g_steal_pointer (&b->object);
          built_unref_locked (b);
          b = alone;
        }
      *tail = b;
      tail = &b->next;
    }
  g_mutex_unlock (&scopes_lock);

  *kept = release;
  return TRUE;
}

void
_hs_scope_release (HsBuilt *kept)
{
  while (kept != NULL)
    {
      HsBuilt *b = kept;
      GObject *object;

      /* No one else holds these records (see _hs_scope_close()). */
      kept = b->next;
      object = b->object;
      _hs_entry_unref (b->entry);
      g_free (b);
      g_clear_object (&object);
    }
}

gboolean
_hs_scope_is_closed (HsScope *scope)
{
  gboolean closed;

  g_mutex_lock (&scopes_lock);
  closed = scope->closed;
  g_mutex_unlock (&scopes_lock);

  return closed;
}

GCancellable *
_hs_scope_get_cancellable (HsScope *scope)
{
  GCancellable *cancellable;
  gboolean made = FALSE, closed;

  g_mutex_lock (&scopes_lock);
  if (scope->cancellable == NULL)
    {
      scope->cancellable = g_cancellable_new ();
      made = TRUE;
    }
  cancellable = scope->cancellable;
  closed = scope->closed;
  g_mutex_unlock (&scopes_lock);

  /* Cancelling runs handlers: with no lock held. A new cancellable has
   * none yet, but another thread may connect one now. */
  if (made && closed)
    g_cancellable_cancel (cancellable);

  return cancellable;
}

void
_hs_scope_keep_peeked (HsScope *scope,
                       GObject *object)
{
  /* A scope peeks few distinct objects, and each thread asks once per
   * object and change of stamps (then its answer cache knows): a linear
   * search is enough. */
  g_mutex_lock (&scopes_lock);
  if (scope->peeked == NULL)
    scope->peeked = g_ptr_array_new ();
  if (!g_ptr_array_find (scope->peeked, object, NULL))
    g_ptr_array_add (scope->peeked, g_object_ref (object));
  g_mutex_unlock (&scopes_lock);
}

void
_hs_scope_finalize (HsScope *scope)
{
  /* Closed at dispose: nothing is kept or pending any more. Nobody can
   * peek any more either: the lock is not needed. Finalizers may use what
   * was peeked before them. */
  if (scope->peeked != NULL)
    {
      for (guint i = scope->peeked->len; i > 0; i--)
        g_object_unref (g_ptr_array_index (scope->peeked, i - 1));
      g_ptr_array_unref (g_steal_pointer (&scope->peeked));
    }
  g_clear_object (&scope->cancellable);
}
