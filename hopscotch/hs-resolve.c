/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-resolve-private.h"
#include "hs-kind-private.h"
#include "hs-explain-private.h"
#include "hs-debug-private.h"

void
_hs_winner_clear (HsWinner *w)
{
  g_clear_object (&w->instance);
  if (w->entry != NULL)
    _hs_entry_drop (g_steal_pointer (&w->entry));
}

/* The object kept for @w's entry by the scope that keeps it for a get
 * from @self: the holder's for a SINGLETON, @self's for a SCOPED
 * registration (a new reference), or NULL. */
static GObject *
kept_object (HsRegistry *self,
             HsWinner   *w)
{
  HsRegistry *keeper = w->lifetime == HS_LIFETIME_SINGLETON ? w->registry : self;

  return _hs_scope_peek (_hs_registry_scope (keeper), w->entry);
}

G_NO_INLINE HsResolveResult
_hs_resolve_uncached (HsRegistry  *self,
                      GType        kind,
                      GType        ctx_type,
                      gboolean     no_singletons,
                      gboolean     keep_entry,
                      HsWinner    *w)
{
  HsIndex *index = _hs_registry_index (self);
  HsResolveResult result = HS_RESOLVE_NONE;
  HsEntry *winner;
  HsEntry *evicted;
  HsEntry *cached;
  guint64 version;
  guint epoch;

  /* Checked here, not on every get: a cached answer was checked when it
   * was resolved. */
  if (!_hs_is_object_or_interface_type (kind))
    return HS_RESOLVE_NONE;

  /* Read the stamps before resolving: a change that lands while we resolve
   * makes the answer we store stale, never wrong. */
  epoch = (guint) g_atomic_int_get (&_hs_epoch);
  version = __atomic_load_n (&index->version, __ATOMIC_SEQ_CST);

  /* After the stamps: closing sets the flag before it changes them, so an
   * answer stored with these stamps was resolved while the chain was open.
   * Nothing is cached for a closed registry. */
  if (_hs_index_chain_closed (index))
    return HS_RESOLVE_CLOSED;

  if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_RESOLVE)))
    _hs_explain_log_resolve (self, kind, ctx_type, no_singletons);

  g_mutex_lock (&index->lock);
  winner = _hs_index_best_locked (index, kind, ctx_type, no_singletons);
  if (winner != NULL)
    {
      _hs_winner_take (w, winner,
                       winner->type == HS_REGISTRATION_INSTANCE ? winner->instance : NULL,
                       TRUE);
      result = HS_RESOLVE_FOUND;
    }
  g_mutex_unlock (&index->lock);

  /* Nothing here: the parent decides, with the same lookup context. Its
   * answers are cached too, so this is cheap. */
  if (result == HS_RESOLVE_NONE && index->parent != NULL)
    result = _hs_resolve (index->parent, kind, ctx_type, no_singletons, TRUE, w);
  if (result == HS_RESOLVE_CLOSED)
    return result;

  /* What is kept for a SINGLETON or SCOPED winner: asked of the scope that
   * keeps it for this registry (the parent answered with its own scope's
   * object for a SCOPED one). After the stamps were read: an object let
   * go meanwhile makes the answer stale. */
  if (result == HS_RESOLVE_FOUND && w->lifetime != HS_LIFETIME_TRANSIENT)
    {
      g_clear_object (&w->instance);
      w->instance = kept_object (self, w);
    }

  /* Remember the answer. Only this thread touches its slots, and never
   * inside a reader section here. */
  if (result == HS_RESOLVE_NONE)
    cached = NULL;
  else if (keep_entry || (w->entry->build_needs_entry && w->instance == NULL))
    cached = _hs_entry_ref (w->entry);
  else
    {
      /* The caller did not ask for the entry: its memory reference moves
       * to the slot. With no lock held: the last live reference to a
       * registration that is gone runs user code. */
      _hs_entry_release (w->entry);
      cached = g_steal_pointer (&w->entry);
    }
  evicted = _hs_answer_slot_store (_hs_answer_slot (_hs_thread_cache_get (), self,
                                                    kind, ctx_type, no_singletons),
                                   self, kind, ctx_type, no_singletons,
                                   version, epoch, cached,
                                   result == HS_RESOLVE_FOUND ? w->instance : NULL);
  /* A memory reference only: no user code runs. */
  _hs_entry_unref (evicted);

  return result;
}

void
_hs_resolve_remember (HsRegistry *self,
                      GType       kind,
                      GType       ctx_type,
                      guint64     version,
                      guint       epoch,
                      HsEntry    *entry,
                      GObject    *object)
{
  HsAnswerSlot *slot = _hs_answer_slot (_hs_thread_cache_get (), self, kind, ctx_type, FALSE);

  /* Only this thread touches its slots. The stamps were read before the
   * object was found kept: it is let go only after they change. */
  if (_hs_answer_slot_matches (slot, self, kind, ctx_type, FALSE, version, epoch) &&
      slot->winner == entry)
    {
      slot->object = object;
      slot->peeked = FALSE;
    }
}

void
_hs_resolve_find_kept (HsRegistry *self,
                       GType       kind,
                       GType       ctx_type,
                       HsWinner   *w)
{
  HsIndex *index = _hs_registry_index (self);
  guint64 version;
  guint epoch;

  /* Before the object is found kept: see _hs_resolve_remember(). */
  epoch = (guint) g_atomic_int_get (&_hs_epoch);
  version = __atomic_load_n (&index->version, __ATOMIC_SEQ_CST);

  w->instance = kept_object (self, w);
  if (w->instance != NULL)
    _hs_resolve_remember (self, kind, ctx_type, version, epoch, w->entry, w->instance);
}

void
_hs_resolve_mark_peeked (HsRegistry *self,
                         GType       kind,
                         GType       ctx_type,
                         GObject    *object)
{
  HsAnswerSlot *slot = _hs_answer_slot (_hs_thread_cache_get (), self, kind, ctx_type, FALSE);

  /* Only this thread touches its slots. Whatever the stamps: a peek uses
   * the slot only while they are current, and @object stays held by its
   * keeper (alive, so no other object has its address) either way. */
  if (slot->registry == self && slot->kind == kind && slot->ctx_type == ctx_type &&
      !slot->no_singletons && slot->object == object)
    slot->peeked = TRUE;
}
