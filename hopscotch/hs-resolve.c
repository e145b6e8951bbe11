/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-resolve-private.h"
#include "hs-kind-private.h"

void
_hs_winner_clear (HsWinner *w)
{
  g_clear_object (&w->instance);
  if (w->entry != NULL)
    _hs_entry_drop (g_steal_pointer (&w->entry));
}

G_NO_INLINE gboolean
_hs_resolve_uncached (HsRegistry  *self,
                      GType        kind,
                      GType        ctx_type,
                      gboolean     no_singletons,
                      gboolean     keep_entry,
                      HsWinner    *w)
{
  HsIndex *index = _hs_registry_index (self);
  HsEntry *winner;
  HsEntry *evicted;
  HsEntry *cached;
  gboolean found = FALSE;
  guint64 version;
  guint epoch;

  /* Checked here, not on every get: a cached answer was checked when it
   * was resolved. */
  if (!_hs_is_object_or_interface_type (kind))
    return FALSE;

  /* Read the stamps before resolving: a change that lands while we resolve
   * makes the answer we store stale, never wrong. */
  epoch = (guint) g_atomic_int_get (&_hs_epoch);
  version = __atomic_load_n (&index->version, __ATOMIC_SEQ_CST);

  g_mutex_lock (&index->lock);
  winner = _hs_index_best_locked (index, kind, ctx_type, no_singletons);
  if (winner != NULL)
    {
      _hs_winner_take (w, winner, TRUE);
      found = TRUE;
    }
  g_mutex_unlock (&index->lock);

  /* Nothing here: the parent decides, with the same lookup context. Its
   * answers are cached too, so this is cheap. */
  if (!found && index->parent != NULL)
    found = _hs_resolve (index->parent, kind, ctx_type, no_singletons, TRUE, w);

  /* Remember the answer. Only this thread touches its slots, and never
   * inside a reader section here. */
  if (!found)
    cached = NULL;
  else if (keep_entry || w->type == HS_REGISTRATION_FACTORY)
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
                                   version, epoch, cached);
  /* A memory reference only: no user code runs. */
  _hs_entry_unref (evicted);

  return found;
}
