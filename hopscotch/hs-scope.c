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
 * scope's table while it is there, by the thread that builds it and by
 * each thread waiting for it. */
struct _HsBuilt
{
  gint      ref_count;
  HsEntry  *entry;                    /* a memory reference: the key */
  GThread  *thread;                   /* building it; NULL once done */
  gboolean  done;
  GObject  *object;                   /* kept; NULL for a failed build */
  GError   *error;                    /* of a failed build, for the waiters */
};

void
_hs_set_closed_error (GError **error)
{
  g_set_error_literal (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED,
                       _("The registry is closed"));
}

static HsBuilt *
built_ref (HsBuilt *b)
{
  b->ref_count++;
  return b;
}

/* Called under scopes_lock; returns the object to release, with no lock
 * held, when this was the last reference. */
static GObject *
built_unref_locked (HsBuilt *b)
{
  GObject *object;

  if (--b->ref_count > 0)
    return NULL;

  object = b->object;
  _hs_entry_unref (b->entry);
  g_clear_error (&b->error);
  g_free (b);

  return object;
}

static void
built_unref (gpointer data)
{
  /* Only as the table's destroy function, with no lock held (the table
   * was taken out of its scope first). */
  GObject *object;

  g_mutex_lock (&scopes_lock);
  object = built_unref_locked (data);
  g_mutex_unlock (&scopes_lock);

  g_clear_object (&object);
}

static HsBuilt *
lookup_locked (HsScope *scope,
               HsEntry *entry)
{
  return scope->built != NULL ? g_hash_table_lookup (scope->built, entry) : NULL;
}

GObject *
_hs_scope_peek (HsScope *scope,
                HsEntry *entry)
{
  GObject *object = NULL;
  HsBuilt *b;

  g_mutex_lock (&scopes_lock);
  b = lookup_locked (scope, entry);
  if (b != NULL && b->done && !scope->closed)
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
                   _hs_type_name (b->entry->kind != G_TYPE_INVALID ? b->entry->kind
                                                                   : b->entry->implementation));
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

  if (b != NULL)
    {
      built_ref (b);
      object = wait_locked (b, error);
      dropped = built_unref_locked (b);
      g_mutex_unlock (&scopes_lock);
      g_clear_object (&dropped);
      return object;
    }

  /* The first: build it with no lock held, the others wait. */
  b = g_new0 (HsBuilt, 1);
  b->ref_count = 2;                   /* the table's and ours */
  b->entry = _hs_entry_ref (entry);
  b->thread = g_thread_self ();
  if (scope->built == NULL)
    {
      scope->built = g_hash_table_new_full (NULL, NULL, NULL, built_unref);
      scope->order = g_ptr_array_new ();
    }
  g_hash_table_insert (scope->built, entry, b);
  g_mutex_unlock (&scopes_lock);

  object = build (data, &local_error);

  g_mutex_lock (&scopes_lock);
  b->done = TRUE;
  b->thread = NULL;
  if (object != NULL && !scope->closed)
    {
      b->object = g_object_ref (object);
      g_ptr_array_add (scope->order, b);
    }
  else
    {
      /* Not kept: the next get tries again. A scope closed meanwhile has
       * let go of its table already. */
      if (object != NULL)
        {
          dropped = g_steal_pointer (&object);
          _hs_set_closed_error (&local_error);
        }
      b->error = g_error_copy (local_error);
      if (!scope->closed && g_hash_table_steal (scope->built, entry))
        built_unref_locked (b);
    }
  g_cond_broadcast (&builds_done);
  built_unref_locked (b);
  g_mutex_unlock (&scopes_lock);

  g_clear_object (&dropped);
  if (local_error != NULL)
    g_propagate_error (error, local_error);

  return object;
}

GObject *
_hs_scope_forget (HsScope *scope,
                  HsEntry *entry)
{
  GObject *object = NULL;
  HsBuilt *b;

  g_mutex_lock (&scopes_lock);
  b = lookup_locked (scope, entry);
  if (b != NULL && b->done)
    {
      g_ptr_array_remove (scope->order, b);
      g_hash_table_steal (scope->built, entry);
      object = g_steal_pointer (&b->object);
      built_unref_locked (b);
    }
  g_mutex_unlock (&scopes_lock);

  return object;
}

gboolean
_hs_scope_close (HsScope       *scope,
                 GPtrArray    **objects,
                 GCancellable **cancellable)
{
  GHashTable *built;
  GPtrArray *order;

  g_mutex_lock (&scopes_lock);
  if (scope->closed)
    {
      g_mutex_unlock (&scopes_lock);
      return FALSE;
    }

  scope->closed = TRUE;
  built = g_steal_pointer (&scope->built);
  order = g_steal_pointer (&scope->order);
  *cancellable = scope->cancellable != NULL ? g_object_ref (scope->cancellable) : NULL;

  /* Last built first; the records give up their objects to the caller. */
  *objects = g_ptr_array_new ();
  for (guint i = order != NULL ? order->len : 0; i-- > 0;)
    {
      HsBuilt *b = order->pdata[i];

      g_ptr_array_add (*objects, g_steal_pointer (&b->object));
    }
  g_mutex_unlock (&scopes_lock);

  /* Builds still in progress keep their records: they find the scope
   * closed when they complete. */
  g_clear_pointer (&order, g_ptr_array_unref);
  g_clear_pointer (&built, g_hash_table_unref);

  return TRUE;
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
_hs_scope_finalize (HsScope *scope)
{
  g_clear_pointer (&scope->built, g_hash_table_unref);
  g_clear_pointer (&scope->order, g_ptr_array_unref);
  g_clear_object (&scope->cancellable);
}
