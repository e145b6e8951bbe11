/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-entry-private.h"
#include "hs-precedence-private.h"

G_BEGIN_DECLS

typedef struct _HsKindTable HsKindTable;
typedef struct _HsKindSlot HsKindSlot;
typedef struct _HsKindSnap HsKindSnap;
typedef struct _HsRetired HsRetired;
typedef struct _HsIndexTables HsIndexTables;

/* A registry's own registrations, indexed by the kinds they answer for and
 * by id, with the stamps that date the answers cached from them. */
typedef struct
{
  /* What a get that misses reads of each registry up the chain, first,
   * on one cache line. */
  HsRegistry *parent;                 /* owned by the registry; asked for the rest */
  guint64     kinds;                  /* atomic: a bit for each kind by_kind holds
                                       * (_hs_index_kind_bit()); written under lock,
                                       * before the version changes; read without */
  HsKindTable *snapshot;              /* atomic: what a get reads without the lock;
                                       * replaced under lock (hs-index.c, "Reading
                                       * without the lock") */
  guint64     version;                /* atomic; a new one on every change */
  gint        closed;                 /* atomic; set once, under lock, before
                                       * the version changes */
  gint        sealed;                 /* atomic; set once the registry is in use:
                                       * its parent and context are set for good */
  gint        had_children;           /* atomic; set once, under lock */
  GMutex      lock;                   /* guards tables */
  HsIndexTables *tables;              /* the registrations by kind and by id, and
                                       * what writers keep (hs-index.c); made by
                                       * the first registration: most children
                                       * never hold any */
} HsIndex;

/* Where a registry's HsIndex is in its instance: set by the registry's
 * class_init, before any registry exists. */
extern gint _hs_index_offset;

static inline HsIndex *
_hs_registry_index (HsRegistry *registry)
{
  return G_STRUCT_MEMBER_P (registry, _hs_index_offset);
}

/* Bumped by every change in a registry that has (or had) children: it
 * invalidates all cached answers at once, so a cached answer never depends
 * on the depth of the parent chain. */
extern guint _hs_epoch;

void _hs_index_init     (HsIndex *index);
void _hs_index_finalize (HsIndex *index);

/* Drops every registration, as the registry is disposed. */
void _hs_index_clear (HsIndex *index);

/* From now on a change in @index's registry must invalidate a child's
 * answers too. Seals @index. */
void _hs_index_add_child (HsIndex *index);

/* Marks @index's registry in use: its parent and context may no longer be
 * set (hs-registry.c). Registering, resolving, adding a child and closing
 * seal it. */
static inline void
_hs_index_seal (HsIndex *index)
{
  if (!g_atomic_int_get (&index->sealed))
    g_atomic_int_set (&index->sealed, TRUE);
}

static inline gboolean
_hs_index_sealed (HsIndex *index)
{
  return g_atomic_int_get (&index->sealed);
}

/* For tests only (exported for them): moves the serial counter forward to
 * the next serial whose low 32 bits are @id, the id a registration would
 * get after 2^32 more, and returns it. Serials only grow, so precedence
 * stays right. */
_HS_EXTERN guint64 _hs_index_jump_serial_to_id (guint id);

/* For tests and benchmarks only (exported for them): makes every cached
 * answer stale, as a change in a registry with children does. */
_HS_EXTERN void _hs_index_invalidate_answers (void);

/* Adds @entry, taking its references, and returns its new id: never 0, and
 * never the id of a registration @index still holds. */
guint _hs_index_add (HsIndex *index,
                     HsEntry *entry);

/* Removes the registration @id, once no get can be using it, and releases
 * what it holds; or, with @taken, hands the entry over instead (with its
 * live and memory references, for _hs_entry_drop()). FALSE when @index
 * holds no such registration. */
gboolean _hs_index_remove (HsIndex  *index,
                           guint     id,
                           HsEntry **taken);

/* Marks @index closed and makes every answer cached from it or its
 * descendants stale; then, if @wait, waits for the gets that may be using
 * one (needed only before releasing what such an answer points to). */
void _hs_index_close (HsIndex  *index,
                      gboolean  wait);

/* The bit of @kind in HsIndex.kinds: a one-word Bloom filter, so that a
 * resolution walks past registries that hold nothing of the kind without
 * their locks (cold-depth-1024 in bench/bench-registry.c). */
static inline guint
_hs_index_kind_bit_index (GType kind)
{
  return (guint) (((guint64) kind * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) >> 58);
}

static inline guint64
_hs_index_kind_bit (GType kind)
{
  return G_GUINT64_CONSTANT (1) << _hs_index_kind_bit_index (kind);
}

/* Whether @index may hold registrations of @kind: FALSE only when it held
 * none when the stamps read before were current (a registration added
 * since changed them). Takes no lock. */
static inline gboolean
_hs_index_may_hold (HsIndex *index,
                    GType    kind)
{
  return (__atomic_load_n (&index->kinds, __ATOMIC_SEQ_CST) & _hs_index_kind_bit (kind)) != 0;
}

/* Whether @index or one of its ancestors' is closed. */
static inline gboolean
_hs_index_chain_closed (HsIndex *index)
{
  for (;;)
    {
      if (g_atomic_int_get (&index->closed))
        return TRUE;
      if (index->parent == NULL)
        return FALSE;
      index = _hs_registry_index (index->parent);
    }
}

/* The best candidate of @index alone (SPEC rule 3), or NULL, from its
 * snapshot, without the lock. Called inside a reader section, after the
 * stamps were read: the entry stays valid, and registered, until the
 * section ends (hs-index.c, "Reading without the lock"). */
HsEntry *_hs_index_best (HsIndex  *index,
                         GType     kind,
                         GType     ctx_type,
                         gboolean  no_singletons);

/* A candidate of one registry, and its rank. */
typedef struct
{
  HsEntry *entry;                     /* valid while index->lock is held */
  HsRank   rank;
} HsCandidate;

/* Every candidate of @index alone for @kind, best first: the ranking of
 * _hs_index_best(), for diagnostics. Called with index->lock held;
 * free the array with g_array_unref(). */
GArray *_hs_index_candidates_locked (HsIndex  *index,
                                     GType     kind,
                                     GType     ctx_type,
                                     gboolean  no_singletons);

G_END_DECLS
