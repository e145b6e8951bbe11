/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-index-private.h"
#include "hs-precedence-private.h"
#include "hs-reader-private.h"

gint _hs_index_offset;

guint _hs_epoch;

/* Registration serials: one 64-bit counter for all registries, so that a
 * larger serial is always the more recent registration (rule 3.3), also in
 * a process that registers per request for months, and no two
 * registrations ever have the same serial. The id handed out is its low 32
 * bits: a serial whose id is 0, or is the id of a registration still in the
 * same registry, is skipped (see next_serial_locked()). */
static guint64 hs_next_serial = 1;

guint64
_hs_index_jump_serial_to_id (guint id)
{
  guint64 next = __atomic_load_n (&hs_next_serial, __ATOMIC_RELAXED);
  guint64 wanted;

  do
    {
      wanted = (next & ~(guint64) G_MAXUINT32) | id;
      if (wanted < next)
        wanted += (guint64) G_MAXUINT32 + 1;
    }
  while (!__atomic_compare_exchange_n (&hs_next_serial, &next, wanted, FALSE,
                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED));

  return wanted;
}

void
_hs_index_invalidate_answers (void)
{
  g_atomic_int_inc (&_hs_epoch);
}

/* Gives @entry the next serial whose id is free in @index: ids repeat every
 * 2^32 registrations, and one still registered must not be handed out
 * again (it would replace the registration in by_id while the kind lists
 * still hold it). At most as many serials are skipped as @index holds
 * registrations. Called with index->lock held. */
static void
next_serial_locked (HsIndex *index,
                    HsEntry *entry)
{
  do
    entry->serial = __atomic_fetch_add (&hs_next_serial, 1, __ATOMIC_RELAXED);
  while ((guint) entry->serial == 0 ||
         (index->by_id != NULL &&
          g_hash_table_contains (index->by_id, GUINT_TO_POINTER ((guint) entry->serial))));

  entry->id = (guint) entry->serial;
}

/* Registry versions come from one counter for all registries, so that a
 * registry made at the address of a dropped one never matches the dropped
 * one's cached answers. */
static guint64 hs_next_version;

/* Gives @index a new version, which makes its cached answers stale. Called
 * with index->lock held, or before anyone else can see the registry. */
static void
bump_version_locked (HsIndex *index)
{
  __atomic_store_n (&index->version,
                    __atomic_add_fetch (&hs_next_version, 1, __ATOMIC_SEQ_CST),
                    __ATOMIC_SEQ_CST);
}

/* Ends a change made under index->lock: a new version, which makes the
 * registry's cached answers stale, and a new epoch when it has (or had)
 * children, whose answers may come from it; then unlocks. */
static void
changed_unlock (HsIndex *index)
{
  gboolean invalidate_all;

  bump_version_locked (index);
  invalidate_all = index->had_children;

  g_mutex_unlock (&index->lock);

  if (invalidate_all)
    g_atomic_int_inc (&_hs_epoch);
}

void
_hs_index_init (HsIndex *index)
{
  g_mutex_init (&index->lock);
  bump_version_locked (index);
  /* by_kind and by_id are made by the first registration: most children
   * never hold any. */
}

void
_hs_index_finalize (HsIndex *index)
{
  /* Only when something was registered after dispose. */
  g_clear_pointer (&index->by_kind, g_hash_table_unref);
  g_clear_pointer (&index->by_id, g_hash_table_unref);
  g_mutex_clear (&index->lock);
}

void
_hs_index_clear (HsIndex *index)
{
  GHashTable *by_kind, *by_id;

  /* Unref the entries with no lock held: their destroy notifies are user
   * code. */
  g_mutex_lock (&index->lock);
  by_kind = g_steal_pointer (&index->by_kind);
  by_id = g_steal_pointer (&index->by_id);
  if (by_id != NULL)
    bump_version_locked (index);
  g_mutex_unlock (&index->lock);

  if (by_id != NULL)
    {
      /* As unregistering does; see "Gets without locks". */
      if (g_atomic_int_get (&index->had_children))
        g_atomic_int_inc (&_hs_epoch);
      _hs_wait_for_readers ();
    }

  g_clear_pointer (&by_kind, g_hash_table_unref);
  g_clear_pointer (&by_id, g_hash_table_unref);
}

void
_hs_index_add_child (HsIndex *index)
{
  /* Set under the lock, which changes read it under; once set it stays, so
   * most children need not take the lock. */
  if (!g_atomic_int_get (&index->had_children))
    {
      g_mutex_lock (&index->lock);
      g_atomic_int_set (&index->had_children, TRUE);
      g_mutex_unlock (&index->lock);
    }
}

guint
_hs_index_add (HsIndex *index,
               HsEntry *entry)
{
  guint id;

  g_mutex_lock (&index->lock);

  next_serial_locked (index, entry);
  id = entry->id;
  if (index->by_id == NULL)
    {
      index->by_kind = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
      index->by_id = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) _hs_entry_drop);
    }
  g_hash_table_insert (index->by_id, GUINT_TO_POINTER (id), entry);

  for (guint i = 0; i < entry->n_answers; i++)
    {
      gpointer key = GSIZE_TO_POINTER (entry->answers[i]);
      GPtrArray *list = g_hash_table_lookup (index->by_kind, key);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (index->by_kind, key, list);
        }
      entry->positions[i] = list->len;
      g_ptr_array_add (list, entry);
    }

  changed_unlock (index);

  return id;
}

/* Takes the entry at @position out of @list, the list of @kind, in
 * constant time: the last entry moves into its place. The order of a list
 * means nothing (rule 3 ranks by serial, which no two entries share), so
 * removing the registrations of one kind costs O(1) each. */
static void
remove_at_locked (GPtrArray *list,
                  guint      position,
                  GType      kind)
{
  HsEntry *moved;

  g_ptr_array_remove_index_fast (list, position);
  if (position == list->len)
    return;

  moved = g_ptr_array_index (list, position);
  for (guint i = 0; i < moved->n_answers; i++)
    if (moved->answers[i] == kind)
      {
        moved->positions[i] = position;
        return;
      }
  g_assert_not_reached ();
}

gboolean
_hs_index_remove (HsIndex  *index,
                  guint     id,
                  HsEntry **taken)
{
  HsEntry *entry = NULL;

  g_mutex_lock (&index->lock);

  if (index->by_id == NULL ||
      !g_hash_table_steal_extended (index->by_id, GUINT_TO_POINTER (id),
                                    NULL, (gpointer *) &entry))
    {
      g_mutex_unlock (&index->lock);
      return FALSE;
    }

  for (guint i = 0; i < entry->n_answers; i++)
    {
      gpointer key = GSIZE_TO_POINTER (entry->answers[i]);
      GPtrArray *list = g_hash_table_lookup (index->by_kind, key);

      remove_at_locked (list, entry->positions[i], entry->answers[i]);
      if (list->len == 0)
        g_hash_table_remove (index->by_kind, key);
    }

  changed_unlock (index);

  /* A get that found the entry in its thread's cache before the stamps
   * changed may still be taking its reference: let it finish first. */
  _hs_wait_for_readers ();
  if (taken != NULL)
    *taken = entry;
  else
    _hs_entry_drop (entry);

  return TRUE;
}

void
_hs_index_close (HsIndex  *index,
                 gboolean  wait)
{
  /* The flag before the version: a get that resolves with the new stamps
   * sees it (hs-resolve.c). */
  g_mutex_lock (&index->lock);
  g_atomic_int_set (&index->closed, TRUE);
  changed_unlock (index);

  if (wait)
    _hs_wait_for_readers ();
}

/* Whether @entry is a candidate of a lookup for a context of type
 * @ctx_type (SPEC rule 3.1), and if so its @rank. In line: the only
 * filter of candidates, shared by gets and diagnostics. */
static inline gboolean
rank_candidate (const HsEntry *entry,
                GType          ctx_type,
                gboolean       no_singletons,
                HsRank        *rank)
{
  /* Lifetimes do not change the rank: only instances are singletons
   * there. But what is kept cannot take props either. */
  rank->singleton = entry->type == HS_REGISTRATION_INSTANCE;
  if (no_singletons && (rank->singleton || entry->lifetime != HS_LIFETIME_TRANSIENT))
    return FALSE;

  rank->context = _hs_precedence_context_score (entry->context_type, ctx_type);
  if (rank->context < 0)
    return FALSE;
  rank->serial = entry->serial;

  return TRUE;
}

static GPtrArray *
kind_list_locked (HsIndex *index,
                  GType    kind)
{
  if (index->by_kind == NULL)
    return NULL;

  return g_hash_table_lookup (index->by_kind, GSIZE_TO_POINTER (kind));
}

HsEntry *
_hs_index_best_locked (HsIndex  *index,
                       GType     kind,
                       GType     ctx_type,
                       gboolean  no_singletons)
{
  GPtrArray *list = kind_list_locked (index, kind);
  HsEntry *best = NULL;
  HsRank best_rank = { -1, FALSE, 0 };

  if (list == NULL)
    return NULL;

  for (guint i = 0; i < list->len; i++)
    {
      HsEntry *entry = g_ptr_array_index (list, i);
      HsRank rank;

      if (!rank_candidate (entry, ctx_type, no_singletons, &rank))
        continue;

      if (best == NULL || _hs_precedence_beats (&rank, &best_rank))
        {
          best = entry;
          best_rank = rank;
        }
    }

  return best;
}

static gint
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const HsCandidate *ca = a, *cb = b;

  /* No two candidates share a serial: never equal. */
  return _hs_precedence_beats (&ca->rank, &cb->rank) ? -1 : 1;
}

GArray *
_hs_index_candidates_locked (HsIndex  *index,
                             GType     kind,
                             GType     ctx_type,
                             gboolean  no_singletons)
{
  GPtrArray *list = kind_list_locked (index, kind);
  GArray *candidates = g_array_new (FALSE, FALSE, sizeof (HsCandidate));

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      HsCandidate candidate = { g_ptr_array_index (list, i), { 0, } };

      if (rank_candidate (candidate.entry, ctx_type, no_singletons, &candidate.rank))
        g_array_append_val (candidates, candidate);
    }

  g_array_sort (candidates, compare_candidates);

  return candidates;
}
