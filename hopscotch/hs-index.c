/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-index-private.h"
#include "hs-precedence-private.h"
#include "hs-reader-private.h"

gint _hs_index_offset;

/* The registrations by id: open addressing with linear probing, one entry
 * pointer a slot (the entry has the id), at most 3/4 full; a removal moves
 * the slots after it back, so there are no tombstones. */
typedef struct
{
  HsEntry **slots;                    /* NULL: free; owned */
  guint     mask;                     /* slots - 1 */
  guint     prime;                    /* the largest prime below the slots */
  guint     n;
} HsIdTable;

/* What a registry that holds registrations keeps for them, under
 * index->lock. */
struct _HsIndexTables
{
  GHashTable *by_kind;                /* GType → HsKindList (below); unowned */
  HsIdTable   by_id;
  guint64     first_serial;           /* no registration held has an older
                                       * serial (next_serial_locked()) */
  guint       kind_bits[64];          /* how many kinds of by_kind have each bit
                                       * of index->kinds */
  HsRetired  *retired;                /* what index->snapshot replaced, to free
                                       * after a grace period */
  guint       n_retired;
};

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

/* The largest prime below 2^n, for n from 3. */
static const guint id_primes[] = {
  7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521,
  131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213,
  33554393, 67108859, 134217689, 268435399, 536870909, 1073741789, 2147483647,
};

/* The slot where @id's probe starts. The ids of a registry are often
 * consecutive, or evenly spaced: modulo a prime, times 11, they take slots
 * 11 apart, which neither collide nor make runs, and a registry that
 * unregisters in the order it registered walks the table in order. */
static inline guint
id_home (const HsIdTable *table,
         guint            id)
{
  return (guint) (((guint64) id * 11) % table->prime);
}

/* The slot of the registration @id, or NULL. */
static HsEntry **
id_table_find (HsIdTable *table,
               guint      id)
{
  if (table->slots == NULL)
    return NULL;

  for (guint i = id_home (table, id);; i = (i + 1) & table->mask)
    {
      HsEntry *entry = table->slots[i];

      if (entry == NULL)
        return NULL;
      if (_hs_entry_id (entry) == id)
        return &table->slots[i];
    }
}

static void
id_table_put (HsIdTable *table,
              HsEntry   *entry)
{
  guint i = id_home (table, _hs_entry_id (entry));

  while (table->slots[i] != NULL)
    i = (i + 1) & table->mask;
  table->slots[i] = entry;
}

static void
id_table_insert (HsIdTable *table,
                 HsEntry   *entry)
{
  if (table->slots == NULL || (table->n + 1) * 4 > (table->mask + 1) * 3)
    {
      HsEntry **old = table->slots;
      guint n_old = old != NULL ? table->mask + 1 : 0;
      guint n_slots = MAX (8, n_old * 2);

      table->slots = g_new0 (HsEntry *, n_slots);
      table->mask = n_slots - 1;
      table->prime = id_primes[g_bit_nth_msf (n_slots, -1) - 3];
      for (guint i = 0; i < n_old; i++)
        if (old[i] != NULL)
          id_table_put (table, old[i]);
      g_free (old);
    }
  id_table_put (table, entry);
  table->n++;
}

/* Empties @slot, found by id_table_find(), and moves back the slots after
 * it that their probe would no longer reach. */
static void
id_table_remove (HsIdTable  *table,
                 HsEntry   **slot)
{
  guint hole = (guint) (slot - table->slots);

  for (guint i = (hole + 1) & table->mask; table->slots[i] != NULL; i = (i + 1) & table->mask)
    {
      guint home = id_home (table, _hs_entry_id (table->slots[i]));

      /* Stays if its home is cyclically in (hole, i]. */
      if (((i - home) & table->mask) < ((i - hole) & table->mask))
        continue;
      table->slots[hole] = table->slots[i];
      hole = i;
    }
  table->slots[hole] = NULL;
  table->n--;
}

/* Drops every entry of @table (user code: with no lock held). */
static void
id_table_clear (HsIdTable *table)
{
  for (guint i = 0; table->slots != NULL && i <= table->mask; i++)
    if (table->slots[i] != NULL)
      _hs_entry_drop (table->slots[i]);
  g_clear_pointer (&table->slots, g_free);
}

/* Gives @entry the next serial whose id is free in @index: ids repeat every
 * 2^32 registrations, and one still registered must not be handed out
 * again (it would replace the registration in by_id while the kind lists
 * still hold it). That can only be when @index has held a registration
 * since 2^32 serials: only then are the ids looked up. At most as many
 * serials are skipped as @index holds registrations. Called with
 * index->lock held, index->tables made. */
static void
next_serial_locked (HsIndex *index,
                    HsEntry *entry)
{
  HsIndexTables *tables = index->tables;

  if (tables->by_id.n == 0)
    tables->first_serial = __atomic_load_n (&hs_next_serial, __ATOMIC_RELAXED);

  do
    entry->serial = __atomic_fetch_add (&hs_next_serial, 1, __ATOMIC_RELAXED);
  while ((guint) entry->serial == 0 ||
         (entry->serial - tables->first_serial > G_MAXUINT32 &&
          id_table_find (&tables->by_id, (guint) entry->serial) != NULL));
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

/* See "Reading without the lock" below. */
static void retired_free (HsRetired *retired);
static void table_free (HsKindTable *table);

/* Frees @tables, dropping the entries (user code: with no lock held),
 * once no get can read what they held. */
static void
tables_free (HsIndexTables *tables)
{
  retired_free (tables->retired);
  g_hash_table_unref (tables->by_kind);
  id_table_clear (&tables->by_id);
  g_free (tables);
}

void
_hs_index_finalize (HsIndex *index)
{
  /* Only when something was registered after dispose. */
  g_clear_pointer (&index->tables, tables_free);
  g_clear_pointer (&index->snapshot, table_free);
  g_mutex_clear (&index->lock);
}

void
_hs_index_clear (HsIndex *index)
{
  HsIndexTables *tables;
  HsKindTable *table;

  /* Unref the entries with no lock held: their destroy notifies are user
   * code. */
  g_mutex_lock (&index->lock);
  tables = g_steal_pointer (&index->tables);
  table = __atomic_exchange_n (&index->snapshot, NULL, __ATOMIC_ACQ_REL);
  __atomic_store_n (&index->kinds, 0, __ATOMIC_SEQ_CST);
  if (tables != NULL)
    bump_version_locked (index);
  g_mutex_unlock (&index->lock);

  if (tables == NULL)
    return;

  /* As unregistering does; see "Gets without locks". After the grace
   * period no get reads what they held any more. */
  if (g_atomic_int_get (&index->had_children))
    g_atomic_int_inc (&_hs_epoch);
  _hs_wait_for_readers ();

  table_free (table);
  tables_free (tables);
}

void
_hs_index_add_child (HsIndex *index)
{
  _hs_index_seal (index);
  /* Set under the lock, which changes read it under; once set it stays, so
   * most children need not take the lock. */
  if (!g_atomic_int_get (&index->had_children))
    {
      g_mutex_lock (&index->lock);
      g_atomic_int_set (&index->had_children, TRUE);
      g_mutex_unlock (&index->lock);
    }
}

/* The kind lists
 *
 * index->tables->by_kind maps each kind to an HsKindList: its registrations
 * grouped by their exact context type (a kind has a handful of those however
 * many registrations it has), and in each group split by what rules 3.2 and
 * props tell apart. Within a group every registration has the same context
 * score for any lookup, so the group's best is the last of one of its lists:
 * each list is in serial order (registrations are added in serial order
 * under the lock), with holes where registrations were removed. A get thus
 * ranks one candidate per group, never every registration of the kind
 * (cold-same-kind in bench/bench-registry.c); hs-explain.c still ranks them
 * all. Everything here is written and read under index->lock. */

/* The lists of a group. */
typedef enum
{
  HS_LIST_INSTANCE,                   /* singletons of rule 3.2; no props */
  HS_LIST_KEPT,                       /* built once per scope; no props */
  HS_LIST_TRANSIENT,                  /* built on each get */
  HS_N_LISTS
} HsListKind;

/* Entries in serial order, with NULL holes; the last one is never a hole,
 * and holes are squeezed out once they are half of the list, so removing
 * costs O(1) amortized. */
typedef struct
{
  HsEntry **items;
  guint     len;
  guint     alloc;
  guint     holes;
} HsSerialList;

typedef struct
{
  GType        context_type;          /* G_TYPE_INVALID: any context */
  HsSerialList lists[HS_N_LISTS];
} HsGroup;

typedef struct
{
  GArray *groups;                     /* of HsGroup, in no order */
} HsKindList;

static HsListKind
list_kind (const HsEntry *entry)
{
  if (entry->type == HS_REGISTRATION_INSTANCE)
    return HS_LIST_INSTANCE;
  return entry->lifetime == HS_LIFETIME_TRANSIENT ? HS_LIST_TRANSIENT : HS_LIST_KEPT;
}

static void
group_clear (gpointer data)
{
  HsGroup *group = data;

  for (guint l = 0; l < HS_N_LISTS; l++)
    g_free (group->lists[l].items);
}

static void
kind_list_free (gpointer data)
{
  HsKindList *kl = data;

  g_array_unref (kl->groups);
  g_free (kl);
}

static HsGroup *
find_group (HsKindList *kl,
            GType       context_type,
            guint      *position)
{
  for (guint g = 0; g < kl->groups->len; g++)
    {
      HsGroup *group = &g_array_index (kl->groups, HsGroup, g);

      if (group->context_type == context_type)
        {
          if (position != NULL)
            *position = g;
          return group;
        }
    }
  return NULL;
}

/* Where the position of @entry in its list of @kind is kept. */
static guint *
position_of (HsEntry *entry,
             GType    kind)
{
  guint n = _hs_entry_n_answers (entry);

  for (guint i = 0; i < n; i++)
    if (_hs_entry_answer (entry, i) == kind)
      return _hs_entry_position (entry, i);
  g_assert_not_reached ();
}

static void
list_append (HsSerialList *list,
             HsEntry      *entry,
             guint        *position)
{
  if (list->len == list->alloc)
    {
      list->alloc = MAX (4, list->alloc * 2);
      list->items = g_renew (HsEntry *, list->items, list->alloc);
    }
  *position = list->len;
  list->items[list->len++] = entry;
}

/* Squeezes the holes out of @list, the list of @kind, keeping the order. */
static void
list_compact (HsSerialList *list,
              GType         kind)
{
  guint to = 0;

  for (guint from = 0; from < list->len; from++)
    {
      HsEntry *entry = list->items[from];

      if (entry == NULL)
        continue;
      *position_of (entry, kind) = to;
      list->items[to++] = entry;
    }
  list->len = to;
  list->holes = 0;
}

static void
list_remove (HsSerialList *list,
             guint         position,
             GType         kind)
{
  list->items[position] = NULL;
  list->holes++;
  /* The last entry is the list's best: never a hole. */
  while (list->len > 0 && list->items[list->len - 1] == NULL)
    {
      list->len--;
      list->holes--;
    }
  if (list->holes * 2 > list->len)
    list_compact (list, kind);
}

static inline HsEntry *
list_last (const HsSerialList *list)
{
  return list->len > 0 ? list->items[list->len - 1] : NULL;
}

/* Reading without the lock
 *
 * A get that misses its cache reads a registry's snapshot inside a reader
 * section (hs-reader-private.h), never its lock: for each kind, the last
 * entry of each list of each group (HsKindSnap), found through an
 * open-addressing table of kinds (HsKindTable, index->snapshot). A
 * snapshot of a kind is never changed once published; a table's slot gets
 * its kind once (after its snapshot, with release) and its snapshot pointer
 * is replaced atomically. Only writers, under index->lock, build and
 * publish them (publish_kind_locked()), before the version changes; they
 * put what they replace on their retired list (under the lock too), which is
 * freed after a grace period (_hs_wait_for_readers()): by the next removal,
 * which waits anyway, or once RETIRED_MAX have piled up. An entry that a
 * snapshot names stays valid, and registered (its live count), while a
 * reader can see it: it is dropped only after the grace period that
 * follows its removal (_hs_index_remove(), _hs_index_clear()). */
#define RETIRED_MAX 64

/* The start of what a writer retires: the list it is on. */
struct _HsRetired
{
  HsRetired *next;
};

typedef struct
{
  GType    context_type;
  HsEntry *last[HS_N_LISTS];
} HsGroupSnap;

struct _HsKindSnap
{
  HsRetired   retired;
  guint       n_groups;
  HsGroupSnap groups[];
};

struct _HsKindSlot
{
  GType       kind;                   /* 0: free; set once, with release */
  HsKindSnap *snap;                   /* atomic; NULL: the kind has no registrations */
};

struct _HsKindTable
{
  HsRetired  retired;
  guint      mask;                    /* slots - 1 */
  guint      n_kinds;                 /* slots with a kind; the writers' */
  HsKindSlot slots[];
};

static inline guint
kind_hash (GType kind)
{
  return (guint) (((guint64) kind * G_GUINT64_CONSTANT (0xff51afd7ed558ccd)) >> 32);
}

/* The slot of @kind in @table, or NULL. In a reader section, or under
 * index->lock. */
static inline HsKindSlot *
table_find (HsKindTable *table,
            GType        kind)
{
  for (guint i = kind_hash (kind) & table->mask;; i = (i + 1) & table->mask)
    {
      GType k = __atomic_load_n (&table->slots[i].kind, __ATOMIC_ACQUIRE);

      if (k == kind)
        return &table->slots[i];
      if (k == 0)
        return NULL;
    }
}

static void
retire_locked (HsIndex   *index,
               HsRetired *retired)
{
  retired->next = index->tables->retired;
  index->tables->retired = retired;
  index->tables->n_retired++;
}

/* What was retired, to free after a grace period, when there are at least
 * @at_least; NULL otherwise. Called with index->lock held. */
static HsRetired *
take_retired_locked (HsIndex *index,
                     guint    at_least)
{
  if (index->tables == NULL || index->tables->n_retired < at_least)
    return NULL;
  index->tables->n_retired = 0;
  return g_steal_pointer (&index->tables->retired);
}

/* Frees what was retired, after a grace period. */
static void
retired_free (HsRetired *retired)
{
  while (retired != NULL)
    {
      HsRetired *next = retired->next;

      g_free (retired);
      retired = next;
    }
}

/* Puts @kind with @snap in @table, which has room and is not published
 * yet, or whose slot for it is free. */
static void
table_insert (HsKindTable *table,
              GType        kind,
              HsKindSnap  *snap)
{
  guint i = kind_hash (kind) & table->mask;

  while (table->slots[i].kind != 0)
    i = (i + 1) & table->mask;
  __atomic_store_n (&table->slots[i].snap, snap, __ATOMIC_RELAXED);
  __atomic_store_n (&table->slots[i].kind, kind, __ATOMIC_RELEASE);
  table->n_kinds++;
}

/* A new table with the kinds of @old that have registrations, and room
 * for as many again, published in place of @old. */
static HsKindTable *
table_rebuild_locked (HsIndex     *index,
                      HsKindTable *old)
{
  guint live = 0, n_slots = 8;
  HsKindTable *table;

  for (guint i = 0; old != NULL && i <= old->mask; i++)
    if (old->slots[i].snap != NULL)
      live++;
  while (n_slots * 3 < (live + 1) * 8)
    n_slots *= 2;

  table = g_malloc0 (sizeof (HsKindTable) + n_slots * sizeof (HsKindSlot));
  table->mask = n_slots - 1;
  for (guint i = 0; old != NULL && i <= old->mask; i++)
    if (old->slots[i].snap != NULL)
      table_insert (table, old->slots[i].kind, old->slots[i].snap);

  __atomic_store_n (&index->snapshot, table, __ATOMIC_RELEASE);
  if (old != NULL)
    retire_locked (index, &old->retired);

  return table;
}

/* Publishes what a get reads of @kind, whose lists just changed: the last
 * entry of each, or nothing once @kl is gone (NULL). Called with
 * index->lock held, before the version changes. */
static void
publish_kind_locked (HsIndex    *index,
                     GType       kind,
                     HsKindList *kl)
{
  HsKindTable *table = index->snapshot;       /* written under the lock only */
  HsKindSlot *slot = table != NULL ? table_find (table, kind) : NULL;
  HsKindSnap *snap = NULL;

  if (kl != NULL)
    {
      snap = g_malloc (sizeof (HsKindSnap) + kl->groups->len * sizeof (HsGroupSnap));
      snap->n_groups = kl->groups->len;
      for (guint g = 0; g < kl->groups->len; g++)
        {
          const HsGroup *group = &g_array_index (kl->groups, HsGroup, g);

          snap->groups[g].context_type = group->context_type;
          for (guint l = 0; l < HS_N_LISTS; l++)
            snap->groups[g].last[l] = list_last (&group->lists[l]);
        }
    }

  if (slot != NULL)
    {
      HsKindSnap *old = __atomic_exchange_n (&slot->snap, snap, __ATOMIC_ACQ_REL);

      if (old != NULL)
        retire_locked (index, &old->retired);
      return;
    }
  if (snap == NULL)
    return;
  if (table == NULL || (table->n_kinds + 1) * 4 > (table->mask + 1) * 3)
    table = table_rebuild_locked (index, table);
  table_insert (table, kind, snap);
}

/* Frees @table and every snapshot in it: nobody can read it any more. */
static void
table_free (HsKindTable *table)
{
  if (table == NULL)
    return;
  for (guint i = 0; i <= table->mask; i++)
    g_free (table->slots[i].snap);
  g_free (table);
}

/* Counts a kind that by_kind gains (@delta +1) or loses (-1) in its bit of
 * index->kinds, which is set while some kind has it. Called with
 * index->lock held, before the version changes: see _hs_index_may_hold(). */
static void
kind_bit_count_locked (HsIndex *index,
                       GType    kind,
                       int      delta)
{
  guint64 bit = _hs_index_kind_bit (kind);
  guint *count = &index->tables->kind_bits[_hs_index_kind_bit_index (kind)];

  *count += delta;
  if (*count == 0)
    __atomic_store_n (&index->kinds, index->kinds & ~bit, __ATOMIC_SEQ_CST);
  else
    __atomic_store_n (&index->kinds, index->kinds | bit, __ATOMIC_SEQ_CST);
}

static void
kind_list_add_locked (HsIndex *index,
                      HsEntry *entry,
                      guint    i)
{
  GType kind = _hs_entry_answer (entry, i);
  gpointer key = GSIZE_TO_POINTER (kind);
  HsKindList *kl = g_hash_table_lookup (index->tables->by_kind, key);
  HsGroup *group;

  if (kl == NULL)
    {
      kl = g_new0 (HsKindList, 1);
      kl->groups = g_array_new (FALSE, TRUE, sizeof (HsGroup));
      g_array_set_clear_func (kl->groups, group_clear);
      g_hash_table_insert (index->tables->by_kind, key, kl);
      kind_bit_count_locked (index, kind, +1);
    }
  group = find_group (kl, entry->context_type, NULL);
  if (group == NULL)
    {
      g_array_set_size (kl->groups, kl->groups->len + 1);
      group = &g_array_index (kl->groups, HsGroup, kl->groups->len - 1);
      group->context_type = entry->context_type;
    }
  list_append (&group->lists[list_kind (entry)], entry, _hs_entry_position (entry, i));
  publish_kind_locked (index, kind, kl);
}

static void
kind_list_remove_locked (HsIndex *index,
                         HsEntry *entry,
                         guint    i)
{
  GType kind = _hs_entry_answer (entry, i);
  gpointer key = GSIZE_TO_POINTER (kind);
  HsKindList *kl = g_hash_table_lookup (index->tables->by_kind, key);
  guint g = 0;
  HsGroup *group = find_group (kl, entry->context_type, &g);

  list_remove (&group->lists[list_kind (entry)], *_hs_entry_position (entry, i), kind);

  for (guint l = 0; l < HS_N_LISTS; l++)
    if (group->lists[l].len > 0)
      {
        publish_kind_locked (index, kind, kl);
        return;
      }
  g_array_remove_index_fast (kl->groups, g);
  if (kl->groups->len > 0)
    {
      publish_kind_locked (index, kind, kl);
      return;
    }
  g_hash_table_remove (index->tables->by_kind, key);
  kind_bit_count_locked (index, kind, -1);
  publish_kind_locked (index, kind, NULL);
}

guint
_hs_index_add (HsIndex *index,
               HsEntry *entry)
{
  HsRetired *retired;
  guint id, n_answers;

  _hs_index_seal (index);
  g_mutex_lock (&index->lock);

  if (index->tables == NULL)
    {
      index->tables = g_new0 (HsIndexTables, 1);
      index->tables->by_kind = g_hash_table_new_full (NULL, NULL, NULL, kind_list_free);
    }
  next_serial_locked (index, entry);
  id = _hs_entry_id (entry);
  id_table_insert (&index->tables->by_id, entry);

  n_answers = _hs_entry_n_answers (entry);
  for (guint i = 0; i < n_answers; i++)
    kind_list_add_locked (index, entry, i);
  retired = take_retired_locked (index, RETIRED_MAX);

  changed_unlock (index);

  if (retired != NULL)
    {
      _hs_wait_for_readers ();
      retired_free (retired);
    }

  return id;
}

gboolean
_hs_index_remove (HsIndex  *index,
                  guint     id,
                  HsEntry **taken)
{
  HsEntry **slot;
  HsEntry *entry;
  HsRetired *retired;
  guint n_answers;

  g_mutex_lock (&index->lock);

  slot = index->tables != NULL ? id_table_find (&index->tables->by_id, id) : NULL;
  if (slot == NULL)
    {
      g_mutex_unlock (&index->lock);
      return FALSE;
    }
  entry = *slot;
  id_table_remove (&index->tables->by_id, slot);

  n_answers = _hs_entry_n_answers (entry);
  for (guint i = 0; i < n_answers; i++)
    kind_list_remove_locked (index, entry, i);
  retired = take_retired_locked (index, 1);

  changed_unlock (index);

  /* A get that found the entry in its thread's cache before the stamps
   * changed, or in a snapshot, may still be taking its reference: let it
   * finish first. */
  _hs_wait_for_readers ();
  retired_free (retired);
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
  _hs_index_seal (index);
  /* The flag before the version: a get that resolves with the new stamps
   * sees it (hs-resolve.c). */
  g_mutex_lock (&index->lock);
  g_atomic_int_set (&index->closed, TRUE);
  changed_unlock (index);

  if (wait)
    _hs_wait_for_readers ();
}

/* Whether @entry is a candidate of a lookup for a context of type
 * @ctx_type (SPEC rule 3.1), and if so its @rank: for diagnostics, which
 * rank every candidate; gets rank one per group (group_best()). */
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

static HsKindList *
kind_list_locked (HsIndex *index,
                  GType    kind)
{
  if (index->tables == NULL)
    return NULL;

  return g_hash_table_lookup (index->tables->by_kind, GSIZE_TO_POINTER (kind));
}

/* The best of a group for a lookup (rules 3.2 and 3.3; its context score
 * is the same for all), from the last entry of each of its lists, and
 * whether it is a singleton; NULL if none is a candidate. */
static inline HsEntry *
group_best (HsEntry * const *last,
            gboolean         no_singletons,
            gboolean        *singleton)
{
  HsEntry *transient = last[HS_LIST_TRANSIENT];
  HsEntry *kept = last[HS_LIST_KEPT];

  *singleton = FALSE;
  if (no_singletons)
    return transient;
  if (last[HS_LIST_INSTANCE] != NULL)
    {
      *singleton = TRUE;
      return last[HS_LIST_INSTANCE];
    }
  if (kept == NULL || (transient != NULL && transient->serial > kept->serial))
    return transient;
  return kept;
}

HsEntry *
_hs_index_best (HsIndex  *index,
                GType     kind,
                GType     ctx_type,
                gboolean  no_singletons)
{
  HsKindTable *table = __atomic_load_n (&index->snapshot, __ATOMIC_ACQUIRE);
  HsKindSlot *slot = table != NULL ? table_find (table, kind) : NULL;
  HsKindSnap *snap = slot != NULL ? __atomic_load_n (&slot->snap, __ATOMIC_ACQUIRE) : NULL;
  HsEntry *best = NULL;
  HsRank best_rank = { -1, FALSE, 0 };

  if (snap == NULL)
    return NULL;

  for (guint g = 0; g < snap->n_groups; g++)
    {
      const HsGroupSnap *group = &snap->groups[g];
      HsEntry *entry;
      HsRank rank;

      rank.context = _hs_precedence_context_score (group->context_type, ctx_type);
      if (rank.context < 0 || rank.context < best_rank.context)
        continue;
      entry = group_best (group->last, no_singletons, &rank.singleton);
      if (entry == NULL)
        continue;
      rank.serial = entry->serial;

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
  HsKindList *kl = kind_list_locked (index, kind);
  GArray *candidates = g_array_new (FALSE, FALSE, sizeof (HsCandidate));

  for (guint g = 0; kl != NULL && g < kl->groups->len; g++)
    for (guint l = 0; l < HS_N_LISTS; l++)
      {
        const HsSerialList *list = &g_array_index (kl->groups, HsGroup, g).lists[l];

        for (guint i = 0; i < list->len; i++)
          {
            HsCandidate candidate = { list->items[i], { 0, } };

            if (candidate.entry != NULL &&
                rank_candidate (candidate.entry, ctx_type, no_singletons, &candidate.rank))
              g_array_append_val (candidates, candidate);
          }
      }

  g_array_sort (candidates, compare_candidates);

  return candidates;
}
