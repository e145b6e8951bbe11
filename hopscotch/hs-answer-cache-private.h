/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

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

#define HS_ANSWER_CACHE_SLOTS 256     /* a power of two */

typedef struct
{
  gconstpointer registry;             /* compared, never dereferenced */
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
 * its reader record, its answers, and its innermost build. */
typedef struct
{
  HsReader      reader;
  HsBuildFrame *building;             /* innermost build on this thread */
  HsAnswerSlot  slots[HS_ANSWER_CACHE_SLOTS];
} HsThreadCache;

/* The GPrivate of hs-answer-cache.c frees the cache when its thread ends;
 * where the compiler has thread-local variables, this finds it faster. */
#ifdef HS_THREAD_LOCAL
extern HS_THREAD_LOCAL HsThreadCache *_hs_thread_cache_fast;
#endif

/* This thread's cache, made and registered as a reader on first use. */
HsThreadCache *_hs_thread_cache_new (void);
HsThreadCache *_hs_thread_cache_lookup (void);

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

/* The index of the one slot that may hold an answer for the key. */
static inline guint
_hs_answer_slot_index (gconstpointer registry,
                       GType         kind,
                       GType         ctx_type,
                       gboolean      no_singletons)
{
  guint64 h = (guint64) GPOINTER_TO_SIZE (registry);

  h = (h ^ (h >> 7)) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  h = (h ^ kind) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h = (h ^ ctx_type ^ (guint64) no_singletons) * G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);

  return (guint) (h >> 32) & (HS_ANSWER_CACHE_SLOTS - 1);
}

static inline HsAnswerSlot *
_hs_answer_slot (HsThreadCache *tc,
                 gconstpointer  registry,
                 GType          kind,
                 GType          ctx_type,
                 gboolean       no_singletons)
{
  return &tc->slots[_hs_answer_slot_index (registry, kind, ctx_type, no_singletons)];
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
  return slot->registry == registry &&
         slot->kind == kind &&
         slot->ctx_type == ctx_type &&
         slot->no_singletons == no_singletons &&
         slot->version == version &&
         slot->epoch == epoch;
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
