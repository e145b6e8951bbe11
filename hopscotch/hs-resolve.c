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

/* Stores an answer in this thread's cache, taking over the memory
 * reference @cached. Never inside a reader section here. */
static void
store_answer (HsRegistry *registry,
              GType       kind,
              GType       ctx_type,
              gboolean    no_singletons,
              guint64     version,
              guint       epoch,
              HsEntry    *cached,
              GObject    *object)
{
  _hs_answer_cache_store (_hs_thread_cache_get (), registry, kind, ctx_type, no_singletons,
                          version, epoch, cached, object);
}

G_NO_INLINE HsResolveResult
_hs_resolve_uncached (HsRegistry  *self,
                      GType        kind,
                      GType        ctx_type,
                      gboolean     no_singletons,
                      gboolean     keep_entry,
                      HsWinner    *w)
{
  HsResolveResult result = HS_RESOLVE_NONE;
  HsRegistry *registry;
  HsRegistry *holder = NULL;
  guint64 version, holder_version = 0;
  HsEntry *cached;
  guint epoch;

  /* Its parent and context are what it answers with from now on. */
  _hs_index_seal (_hs_registry_index (self));

  /* Read the stamps before resolving: a change that lands while we resolve
   * makes the answer we store stale, never wrong. */
  epoch = (guint) g_atomic_int_get (&_hs_epoch);
  version = __atomic_load_n (&_hs_registry_index (self)->version, __ATOMIC_SEQ_CST);

  /* Up the chain, with the same lookup context: the first registry with a
   * candidate decides (SPEC rule 3.2). One that holds nothing of the kind
   * is passed at once (_hs_index_may_hold()): in a registry with
   * children any change also changes the epoch, read above. Each is
   * checked for being closed after the stamps were read: closing sets the
   * flag before it changes them, so an answer stored with these stamps
   * was resolved while the chain was open. Nothing is cached for a closed
   * registry. */
  for (registry = self; registry != NULL; registry = _hs_registry_index (registry)->parent)
    {
      HsIndex *index = _hs_registry_index (registry);
      guint64 index_version = version;
      HsThreadCache *tc;
      HsEntry *winner;
      gboolean found;

      if (g_atomic_int_get (&index->closed))
        return HS_RESOLVE_CLOSED;

      if (!_hs_index_may_hold (index, kind))
        {
          if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_RESOLVE)))
            _hs_explain_log_resolve (registry, kind, ctx_type, no_singletons);
          continue;
        }

      if (registry != self)
        {
          /* An ancestor's own answer, still current, is the answer from
           * there up, whose chain was open when it was resolved. */
          if (_hs_resolve_cached (registry, kind, ctx_type, no_singletons, TRUE, &found, w))
            {
              result = found ? HS_RESOLVE_FOUND : HS_RESOLVE_NONE;
              goto resolved;
            }
          index_version = __atomic_load_n (&index->version, __ATOMIC_SEQ_CST);
        }

      if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_RESOLVE)))
        _hs_explain_log_resolve (registry, kind, ctx_type, no_singletons);

      /* The registry's snapshot, without its lock: in a reader section,
       * the winner stays registered until we took our references. */
      tc = _hs_thread_cache_get ();
      _hs_reader_enter (&tc->reader);
      winner = _hs_index_best (index, kind, ctx_type, no_singletons);
      if (winner != NULL)
        {
          _hs_winner_take (w, winner, _hs_entry_instance (winner), TRUE);
          result = HS_RESOLVE_FOUND;
        }
      _hs_reader_exit (&tc->reader);

      if (result == HS_RESOLVE_FOUND)
        {
          if (registry != self)
            {
              holder = registry;
              holder_version = index_version;
            }
          break;
        }
    }

  /* Nothing answers: for a kind that is no object or interface type, not
   * even that is remembered. Checked only here, not on every get (a
   * cached answer was checked when it was resolved), nor when something
   * answers (registering checked the kinds). */
  if (registry == NULL && !_hs_is_object_or_interface_type (kind))
    return HS_RESOLVE_NONE;

  /* Above the registry that answered, the chain must be open too. */
  if (registry != NULL && _hs_index_chain_closed (_hs_registry_index (registry)))
    {
      _hs_winner_clear (w);
      return HS_RESOLVE_CLOSED;
    }

  /* The holder's own answer, for the next cold get from another of its
   * descendants: what a get from the holder would find, with the object
   * only for an instance (a kept one is looked up when it is used). */
  if (holder != NULL)
    store_answer (holder, kind, ctx_type, no_singletons, holder_version, epoch,
                  _hs_entry_ref (w->entry),
                  w->type == HS_REGISTRATION_INSTANCE ? w->instance : NULL);

resolved:
  /* What is kept for a SINGLETON or SCOPED winner: asked of the scope that
   * keeps it for this registry (an ancestor's cached answer has its own
   * scope's object for a SCOPED one). After the stamps were read: an
   * object let go meanwhile makes the answer stale. */
  if (result == HS_RESOLVE_FOUND && w->lifetime != HS_LIFETIME_TRANSIENT)
    {
      g_clear_object (&w->instance);
      w->instance = kept_object (self, w);
    }

  /* Remember the answer. */
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
  store_answer (self, kind, ctx_type, no_singletons, version, epoch, cached,
                result == HS_RESOLVE_FOUND ? w->instance : NULL);

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
  if (slot != NULL && _hs_answer_slot_current (slot, version, epoch) &&
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
  if (slot != NULL && slot->object == object)
    slot->peeked = TRUE;
}
