/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-answer-cache-private.h"
#include "hs-index-private.h"
#include "hs-scope-private.h"

G_BEGIN_DECLS

/* Resolving a get: which registration wins, from the thread's cache of
 * answers or else from the registry's index and its ancestors'. */

/* What a get needs of the winning registration: copied inside a reader
 * section (from a cached answer, or a registry's snapshot), while it is
 * registered, so that most gets take no reference on the entry at all. */
typedef struct
{
  HsEntry            *entry;          /* see _hs_winner_take() */
  guint64             serial;         /* unique; its low 32 bits are the id */
  HsRegistrationType  type;
  HsLifetime          lifetime;
  GType               kind;           /* as given */
  GType               implementation;
  GType               context_type;
  HsRegistry         *registry;       /* kept alive by the registry asked */
  GObject            *instance;       /* a singleton's, or what the scope keeps
                                       * for a SINGLETON or SCOPED registration
                                       * when it is built: a new reference */
} HsWinner;

/* What resolving found. */
typedef enum
{
  HS_RESOLVE_NONE,                    /* nothing answers */
  HS_RESOLVE_FOUND,
  HS_RESOLVE_CLOSED,                  /* the registry or an ancestor is closed */
} HsResolveResult;

/* Fills @w from @entry, which is registered: in a reader section, from a
 * cached answer with current stamps or from its registry's snapshot
 * (_hs_index_best()); @object is the instance,
 * or what a scope keeps for it, or NULL. The entry of something still to
 * be built with more than its type (a factory's data must outlive the
 * call; what is kept is kept for the entry) is kept with a live and a
 * memory reference; otherwise the entry is kept, with a memory reference,
 * only when @keep_entry (to cache it), and w->entry is NULL. */
static inline void
_hs_winner_take (HsWinner *w,
                 HsEntry  *entry,
                 GObject  *object,
                 gboolean  keep_entry)
{
  w->serial = entry->serial;
  w->type = entry->type;
  w->lifetime = entry->lifetime;
  w->kind = entry->kind;
  w->implementation = entry->implementation;
  w->context_type = entry->context_type;
  w->registry = entry->registry;
  w->instance = object != NULL ? g_object_ref (object) : NULL;
  w->entry = NULL;

  if (keep_entry || (entry->build_needs_entry && object == NULL))
    {
      w->entry = _hs_entry_ref (entry);
      /* Registered, so live: this cannot fail. */
      if (!_hs_entry_acquire (entry))
        g_assert_not_reached ();
    }
}

/* Drops the references of @w. With no lock held: the last reference to a
 * registration that is gone runs user code. */
void _hs_winner_clear (HsWinner *w);

/* Looks the answer up in this thread's cache: FALSE when it is not there
 * or stale. On a hit, *@found tells whether something answers, and @w is
 * filled as _hs_winner_take() does. */
static inline gboolean
_hs_resolve_cached (HsRegistry  *self,
                    GType        kind,
                    GType        ctx_type,
                    gboolean     no_singletons,
                    gboolean     keep_entry,
                    gboolean    *found,
                    HsWinner    *w)
{
  HsIndex *index = _hs_registry_index (self);
  HsThreadCache *tc = _hs_thread_cache_get ();
  HsAnswerSlot *slot = _hs_answer_slot (tc, self, kind, ctx_type, no_singletons);
  gboolean hit;

  _hs_reader_enter (&tc->reader);

  hit = slot != NULL &&
        _hs_answer_slot_current (slot, __atomic_load_n (&index->version, __ATOMIC_SEQ_CST),
                                 (guint) g_atomic_int_get (&_hs_epoch));

  /* Current stamps: the winner is still registered, and the object kept
   * for it still kept, until our section ends, however other threads
   * change the registries meanwhile. */
  if (hit)
    {
      *found = slot->winner != NULL;
      if (*found)
        _hs_winner_take (w, slot->winner, slot->object, keep_entry);
    }

  _hs_reader_exit (&tc->reader);

  return hit;
}

/* _hs_resolve() when the answer is not cached. Out of line, so that the
 * cached case stays small. */
HsResolveResult _hs_resolve_uncached (HsRegistry  *self,
                                      GType        kind,
                                      GType        ctx_type,
                                      gboolean     no_singletons,
                                      gboolean     keep_entry,
                                      HsWinner    *w);

/* Finds the winner of a get of @kind for a lookup context of type
 * @ctx_type in @self and its ancestors. Returns HS_RESOLVE_FOUND and fills
 * @w (see _hs_winner_take()), which the caller clears; or
 * HS_RESOLVE_NONE; or HS_RESOLVE_CLOSED when @self or an ancestor is
 * closed (a closed registry's answers are never cached: closing changes
 * its stamps, and its descendants'). */
static inline HsResolveResult
_hs_resolve (HsRegistry  *self,
             GType        kind,
             GType        ctx_type,
             gboolean     no_singletons,
             gboolean     keep_entry,
             HsWinner    *w)
{
  gboolean found;

  if (G_LIKELY (_hs_resolve_cached (self, kind, ctx_type, no_singletons, keep_entry, &found, w)))
    return found ? HS_RESOLVE_FOUND : HS_RESOLVE_NONE;

  return _hs_resolve_uncached (self, kind, ctx_type, no_singletons, keep_entry, w);
}

/* A peek's answer from this thread's cache: the object a singleton or
 * kept winner answers with, when its keeper holds it for borrowers
 * (HsAnswerSlot.peeked), without a reference; NULL when the answer is not
 * there, stale, or not known to be held. In the reader section the stamps
 * are current, so it is the answer; held by its keeper, it outlives the
 * section. Writes no shared memory. */
static inline GObject *
_hs_resolve_peek_cached (HsRegistry *self,
                         GType       kind,
                         GType       ctx_type)
{
  HsIndex *index = _hs_registry_index (self);
  HsThreadCache *tc = _hs_thread_cache_get ();
  HsAnswerSlot *slot = _hs_answer_slot (tc, self, kind, ctx_type, FALSE);
  GObject *object = NULL;

  _hs_reader_enter (&tc->reader);
  if (slot != NULL && slot->peeked &&
      _hs_answer_slot_current (slot, __atomic_load_n (&index->version, __ATOMIC_SEQ_CST),
                               (guint) g_atomic_int_get (&_hs_epoch)))
    object = slot->object;
  _hs_reader_exit (&tc->reader);

  return object;
}

/* For a SINGLETON or SCOPED winner @w of a get of @kind from @self (with
 * w->entry kept) that the cached answer knew no object for: sets
 * w->instance to what its scope keeps for it now, if built (a new
 * reference), and remembers it in this thread's cache, as a get that finds
 * it built does. */
void _hs_resolve_find_kept (HsRegistry *self,
                            GType       kind,
                            GType       ctx_type,
                            HsWinner   *w);

/* Notes in this thread's cache that @object, which the caller holds a
 * reference to, is held for borrowers by its keeper from now on, if the
 * answer for the key is @object. */
void _hs_resolve_mark_peeked (HsRegistry *self,
                              GType       kind,
                              GType       ctx_type,
                              GObject    *object);

/* Remembers in this thread's cache that @object is what a scope keeps for
 * the winner @entry of the get of @kind from @self without props, if the
 * cached answer is still the one resolved with the stamps @version and
 * @epoch, read before @object was found kept. */
void _hs_resolve_remember (HsRegistry *self,
                           GType       kind,
                           GType       ctx_type,
                           guint64     version,
                           guint       epoch,
                           HsEntry    *entry,
                           GObject    *object);

G_END_DECLS
