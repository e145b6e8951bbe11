/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-answer-cache-private.h"

static void thread_cache_free (gpointer data);
static GPrivate thread_cache = G_PRIVATE_INIT (thread_cache_free);
#ifdef HS_THREAD_LOCAL
HS_THREAD_LOCAL HsThreadCache *_hs_thread_cache_fast;
#endif

static guint
n_slots (HsThreadCache *tc)
{
  return (tc->set_mask + 1) * HS_ANSWER_CACHE_WAYS;
}

static void
thread_cache_free (gpointer data)
{
  HsThreadCache *tc = data;

  /* Runs on the thread that ends. */
#ifdef HS_THREAD_LOCAL
  _hs_thread_cache_fast = NULL;
#endif

  _hs_reader_unregister (&tc->reader);

  for (guint i = 0; i < n_slots (tc); i++)
    _hs_entry_unref (tc->slots[i].winner);
  g_free (tc->slots);
  g_free (tc->ghosts);
  g_free (tc);
}

static void
set_size (HsThreadCache *tc,
          guint          n_sets)
{
  tc->set_mask = n_sets - 1;
  tc->set_offsets = (gsize) tc->set_mask << HS_ANSWER_SET_SHIFT;
  tc->slots = g_new0 (HsAnswerSlot, n_sets * HS_ANSWER_CACHE_WAYS);
  g_free (tc->ghosts);
  tc->ghosts = g_new0 (guint32, n_slots (tc) * HS_ANSWER_CACHE_GHOSTS_PER_SLOT);
  tc->evicted = 0;
  tc->missed = 0;
}

HsThreadCache *
_hs_thread_cache_new (void)
{
  HsThreadCache *tc = g_new0 (HsThreadCache, 1);

  set_size (tc, HS_ANSWER_CACHE_MIN_SETS);
  _hs_reader_register (&tc->reader);
  g_private_set (&thread_cache, tc);
#ifdef HS_THREAD_LOCAL
  _hs_thread_cache_fast = tc;
#endif

  return tc;
}

HsThreadCache *
_hs_thread_cache_lookup (void)
{
  return g_private_get (&thread_cache);
}

static guint64
slot_hash (const HsAnswerSlot *slot)
{
  return _hs_answer_key_hash (slot->registry, slot->kind, slot->ctx_type, slot->no_singletons);
}

/* Twice the sets; the answers move over, but for the few that find their
 * new set full. */
static void
grow (HsThreadCache *tc)
{
  HsAnswerSlot *old = tc->slots;
  guint n_old = n_slots (tc);

  set_size (tc, (tc->set_mask + 1) * 2);
  for (guint i = 0; i < n_old; i++)
    {
      HsAnswerSlot *set;
      guint way;

      if (old[i].registry == NULL)
        continue;
      set = _hs_answer_set (tc->slots, tc->set_offsets, slot_hash (&old[i]));
      for (way = 0; way < HS_ANSWER_CACHE_WAYS && set[way].registry != NULL; way++)
        ;
      if (way < HS_ANSWER_CACHE_WAYS)
        set[way] = old[i];
      else
        _hs_entry_unref (old[i].winner);
    }
  g_free (old);
}

void
_hs_answer_cache_store (HsThreadCache *tc,
                        gconstpointer  registry,
                        GType          kind,
                        GType          ctx_type,
                        gboolean       no_singletons,
                        guint64        version,
                        guint          epoch,
                        HsEntry       *winner,
                        GObject       *object)
{
  guint n_ghosts = n_slots (tc) * HS_ANSWER_CACHE_GHOSTS_PER_SLOT;
  guint64 hash = _hs_answer_key_hash (registry, kind, ctx_type, no_singletons);
  HsAnswerSlot evicted;
  HsAnswerSlot *slot;

  slot = _hs_answer_set_make_room (_hs_answer_set (tc->slots, tc->set_offsets, hash),
                                   registry, kind, ctx_type, no_singletons, &evicted);
  /* A memory reference only: no user code runs. */
  _hs_entry_unref (_hs_answer_slot_store (slot, registry, kind, ctx_type, no_singletons,
                                          version, epoch, winner, object));
  if (evicted.registry == NULL)
    return;
  _hs_entry_unref (evicted.winner);

  /* Not in its set: was it evicted before? */
  if (tc->ghosts[_hs_answer_ghost_index (hash, n_ghosts)] == _hs_answer_ghost_tag (hash))
    tc->missed++;
  hash = slot_hash (&evicted);
  tc->ghosts[_hs_answer_ghost_index (hash, n_ghosts)] = _hs_answer_ghost_tag (hash);

  if (++tc->evicted < n_slots (tc))
    return;
  if (_hs_answer_cache_should_grow (tc->evicted, tc->missed) &&
      tc->set_mask + 1 < HS_ANSWER_CACHE_MAX_SETS)
    grow (tc);
  else
    tc->evicted = tc->missed = 0;
}
