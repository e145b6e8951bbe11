/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string.h>

#include "hs-entry-private.h"
#include "hs-reader-private.h"

G_BEGIN_DECLS

/* Gets without locks
 *
 * A get first asks a small cache of its own thread: answers keyed by
 * (registry, kind, lookup context type, props given), each stamped with the
 * registry's version and the epoch (hs-index-private.h) as they were before
 * the answer was resolved. An answer whose stamps are still current is the
 * answer. A hit takes no lock and writes no shared memory but the reference
 * it returns.
 *
 * A cached answer is used only inside a reader section (hs-reader-private.h:
 * the thread's sequence number is odd meanwhile), and removing a
 * registration waits for the reader sections in progress
 * (_hs_wait_for_readers()) after changing the stamps and before releasing
 * what the registration holds. So a get either sees the new stamps and
 * misses, or has taken its reference before the instance is let go: it sees
 * a registration completely or not at all, and unregistering still releases
 * the instance at once. Reader sections are a few instructions long and run
 * no user code. (It is RCU's grace period, with one counter per thread.)
 *
 * The slots hold memory references to entries (never to instances), so a
 * slot never keeps what a registration holds alive. */

/* The slots are set-associative: a key may be in any of the
 * HS_ANSWER_CACHE_WAYS slots of its set, and in one at most. A new answer
 * goes first in its set and the others move down: the last one is
 * evicted. A thread starts with HS_ANSWER_CACHE_MIN_SETS sets; its cache
 * grows (up to HS_ANSWER_CACHE_MAX_SETS) when it misses answers that it
 * evicted itself, as a thread that gets many kinds in turn does, and not
 * when it only meets new keys, as a thread that makes a child registry per
 * request does (each answer of a child that is gone is never asked again). */
#define HS_ANSWER_CACHE_WAYS 4
#define HS_ANSWER_CACHE_MIN_SETS 64   /* 256 slots: 16 KiB */
#define HS_ANSWER_CACHE_MAX_SETS 1024 /* 4,096 slots: 256 KiB */
/* Evicted answers remembered (a 32-bit tag each) per slot. */
#define HS_ANSWER_CACHE_GHOSTS_PER_SLOT 2

typedef struct
{
  gconstpointer registry;             /* compared, never dereferenced; NULL: empty */
  GType         kind;
  GType         ctx_type;
  gboolean      no_singletons;
  guint         epoch;
  guint64       version;
  HsEntry      *winner;               /* memory reference; NULL: nothing answers */
  GObject      *object;               /* unowned: the winner's instance, or what
                                       * a scope keeps for it (hs-scope-private.h);
                                       * valid while the stamps are current */
  gboolean      peeked;               /* @object is among the objects its keeper
                                       * holds for borrowers until it is finalized
                                       * (_hs_scope_keep_peeked()): a peek may
                                       * hand it out without a reference. Like
                                       * every field, written by the slot's thread
                                       * only; cleared whenever @object changes */
} HsAnswerSlot;

/* The frames of the objects being built on a thread (hs-build.c). */
typedef struct _HsBuildFrame HsBuildFrame;

/* What a thread keeps for its gets, found with one thread-local lookup:
 * its reader record, its answers, and its innermost build. Only its thread
 * reads or writes it (but the reader record). */
typedef struct
{
  HsReader      reader;
  HsBuildFrame *building;             /* innermost build on this thread */
  guint         set_mask;             /* sets - 1; sets a power of two */
  HsAnswerSlot *slots;                /* (set_mask + 1) * HS_ANSWER_CACHE_WAYS */
  gsize         set_offsets;          /* set_mask << HS_ANSWER_SET_SHIFT: the
                                       * byte offsets of the sets, as one mask */
  guint32      *ghosts;               /* tags of evicted answers, by hash */
  guint         evicted;              /* answers evicted in this window */
  guint         missed;               /* of them, asked again after eviction */
} HsThreadCache;

/* The GPrivate of hs-answer-cache.c frees the cache when its thread ends;
 * where the compiler has thread-local variables, this finds it faster. */
#ifdef HS_THREAD_LOCAL
extern HS_THREAD_LOCAL HsThreadCache *_hs_thread_cache_fast;
#endif

/* This thread's cache, made and registered as a reader on first use. */
HsThreadCache *_hs_thread_cache_new (void);
HsThreadCache *_hs_thread_cache_lookup (void);

/* Stores an answer in @tc (see _hs_answer_slot_store()), taking over the
 * memory reference @winner; drops the references of what it evicts, and
 * grows @tc when it evicts answers that are asked for again. Only @tc's
 * thread calls it, never inside a reader section: no slot pointer found
 * before stays valid. */
void _hs_answer_cache_store (HsThreadCache *tc,
                             gconstpointer  registry,
                             GType          kind,
                             GType          ctx_type,
                             gboolean       no_singletons,
                             guint64        version,
                             guint          epoch,
                             HsEntry       *winner,
                             GObject       *object);

static inline HsThreadCache *
_hs_thread_cache_get (void)
{
#ifdef HS_THREAD_LOCAL
  HsThreadCache *tc = _hs_thread_cache_fast;
#else
  HsThreadCache *tc = _hs_thread_cache_lookup ();
#endif

  return G_LIKELY (tc != NULL) ? tc : _hs_thread_cache_new ();
}

/* The key's hash: its high half picks the set, its low half is the tag
 * remembered when the answer is evicted. */
static inline guint64
_hs_answer_key_hash (gconstpointer registry,
                     GType         kind,
                     GType         ctx_type,
                     gboolean      no_singletons)
{
  guint64 h = (guint64) GPOINTER_TO_SIZE (registry);

  h = (h ^ (h >> 7)) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  h = (h ^ kind) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h = (h ^ ctx_type ^ (guint64) no_singletons) * G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);

  return h;
}

/* The set of the key whose hash is @hash, and its first slot. */
static inline guint
_hs_answer_set_index (guint   set_mask,
                      guint64 hash)
{
  return (guint) (hash >> 32) & set_mask;
}

/* A set's size is 1 << HS_ANSWER_SET_SHIFT bytes, so that the set of a
 * hash is found with a shift, a mask and an add (_hs_answer_set()). */
#define HS_ANSWER_SET_SHIFT 8
G_STATIC_ASSERT (sizeof (HsAnswerSlot) * HS_ANSWER_CACHE_WAYS == 1 << HS_ANSWER_SET_SHIFT);

/* The first slot of the set _hs_answer_set_index() picks, from the
 * thread's set_offsets: the index's bits, already where a byte offset has
 * them. */
static inline HsAnswerSlot *
_hs_answer_set (HsAnswerSlot *slots,
                gsize         set_offsets,
                guint64       hash)
{
  return (HsAnswerSlot *) (gpointer) ((guint8 *) slots +
                                      ((gsize) (hash >> (32 - HS_ANSWER_SET_SHIFT)) & set_offsets));
}

static inline gboolean
_hs_answer_slot_has_key (const HsAnswerSlot *slot,
                         gconstpointer       registry,
                         GType               kind,
                         GType               ctx_type,
                         gboolean            no_singletons)
{
  return slot->registry == registry &&
         slot->kind == kind &&
         slot->ctx_type == ctx_type &&
         slot->no_singletons == no_singletons;
}

/* The slot of @set that holds the key, whatever its stamps, or NULL. The
 * first way is where a new answer goes: tried first, straight. */
static inline HsAnswerSlot *
_hs_answer_set_find (HsAnswerSlot  *set,
                     gconstpointer  registry,
                     GType          kind,
                     GType          ctx_type,
                     gboolean       no_singletons)
{
  if (G_LIKELY (_hs_answer_slot_has_key (&set[0], registry, kind, ctx_type, no_singletons)))
    return &set[0];

  for (guint way = 1; way < HS_ANSWER_CACHE_WAYS; way++)
    if (_hs_answer_slot_has_key (&set[way], registry, kind, ctx_type, no_singletons))
      return &set[way];

  return NULL;
}

/* This thread's slot for the key, whatever its stamps, or NULL. */
static inline HsAnswerSlot *
_hs_answer_slot (HsThreadCache *tc,
                 gconstpointer  registry,
                 GType          kind,
                 GType          ctx_type,
                 gboolean       no_singletons)
{
  guint64 hash = _hs_answer_key_hash (registry, kind, ctx_type, no_singletons);

  return _hs_answer_set_find (_hs_answer_set (tc->slots, tc->set_offsets, hash),
                              registry, kind, ctx_type, no_singletons);
}

/* Whether @slot, found for its key, has these current stamps. */
static inline gboolean
_hs_answer_slot_current (const HsAnswerSlot *slot,
                         guint64             version,
                         guint               epoch)
{
  return slot->version == version && slot->epoch == epoch;
}

/* Whether @slot holds the answer for the key, with these current stamps. */
static inline gboolean
_hs_answer_slot_matches (const HsAnswerSlot *slot,
                         gconstpointer       registry,
                         GType               kind,
                         GType               ctx_type,
                         gboolean            no_singletons,
                         guint64             version,
                         guint               epoch)
{
  return _hs_answer_slot_has_key (slot, registry, kind, ctx_type, no_singletons) &&
         _hs_answer_slot_current (slot, version, epoch);
}

/* The slot of @set for a new answer for the key: its own slot if it has
 * one; else the first, after the others moved down. *@evicted is the
 * answer that no longer fits (its slot's contents, whose entry the caller
 * drops after storing), or has registry NULL. */
static inline HsAnswerSlot *
_hs_answer_set_make_room (HsAnswerSlot  *set,
                          gconstpointer  registry,
                          GType          kind,
                          GType          ctx_type,
                          gboolean       no_singletons,
                          HsAnswerSlot  *evicted)
{
  HsAnswerSlot *slot = _hs_answer_set_find (set, registry, kind, ctx_type, no_singletons);

  if (slot != NULL)
    {
      evicted->registry = NULL;
      return slot;
    }

  *evicted = set[HS_ANSWER_CACHE_WAYS - 1];
  memmove (&set[1], &set[0], (HS_ANSWER_CACHE_WAYS - 1) * sizeof (HsAnswerSlot));
  /* The winner moved: the first slot holds no reference now. */
  set[0].winner = NULL;
  return &set[0];
}

/* Where the tag of the key whose hash is @hash is remembered among
 * @n_ghosts (a power of two) once it is evicted, and the tag (never 0). */
static inline guint
_hs_answer_ghost_index (guint64 hash,
                        guint   n_ghosts)
{
  return (guint) (hash >> 16) & (n_ghosts - 1);
}

static inline guint32
_hs_answer_ghost_tag (guint64 hash)
{
  return (guint32) hash | 1;
}

/* Whether a cache whose window saw @evicted answers evicted, @missed of
 * which were asked for again afterwards, should have more sets: when one
 * in 16 evictions costs a miss. */
static inline gboolean
_hs_answer_cache_should_grow (guint evicted,
                              guint missed)
{
  return missed * 16 > evicted;
}

/* Puts an answer into @slot, taking over the memory reference @winner
 * (NULL: nothing answers) with the object it answers with, if it is built
 * already (unowned: see HsAnswerSlot), stamped as it was resolved. Returns
 * the entry it held, whose memory reference the caller drops. Only the
 * slot's thread touches it, and never inside a reader section. */
static inline HsEntry *
_hs_answer_slot_store (HsAnswerSlot  *slot,
                       gconstpointer  registry,
                       GType          kind,
                       GType          ctx_type,
                       gboolean       no_singletons,
                       guint64        version,
                       guint          epoch,
                       HsEntry       *winner,
                       GObject       *object)
{
  HsEntry *evicted = slot->winner;

  slot->registry = registry;
  slot->kind = kind;
  slot->ctx_type = ctx_type;
  slot->no_singletons = no_singletons;
  slot->epoch = epoch;
  slot->version = version;
  slot->winner = winner;
  slot->object = object;
  slot->peeked = FALSE;

  return evicted;
}

G_END_DECLS
