/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The slot logic of each thread's cache of answers
 * (hopscotch/hs-answer-cache-private.h): which set a key uses, when a slot
 * answers, what storing an answer evicts, and when a cache grows.
 */
#include "hs-answer-cache-private.h"

/* The index of the set of a key, in a cache of @n_sets sets. */
static guint
set_of (gconstpointer registry,
        GType         kind,
        GType         ctx_type,
        gboolean      no_singletons,
        guint         n_sets)
{
  guint64 hash = _hs_answer_key_hash (registry, kind, ctx_type, no_singletons);

  return _hs_answer_set_index (n_sets - 1, hash);
}

static void
test_set_index (void)
{
  int registry_a, registry_b;
  GHashTable *used = g_hash_table_new (NULL, NULL);
  const guint n_sets = HS_ANSWER_CACHE_MIN_SETS;
  guint index = set_of (&registry_a, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, n_sets);

  /* The same key, the same set. */
  g_assert_cmpuint (index, ==, set_of (&registry_a, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, n_sets));
  g_assert_cmpuint (index, <, n_sets);

  /* Keys that differ in one part spread over the sets. */
  for (guint i = 0; i < n_sets; i++)
    {
      GType kind = G_TYPE_OBJECT + i * 8;

      g_hash_table_add (used, GUINT_TO_POINTER (set_of (&registry_a, kind, G_TYPE_INVALID, FALSE, n_sets)));
      g_hash_table_add (used, GUINT_TO_POINTER (set_of (&registry_b, kind, G_TYPE_INVALID, FALSE, n_sets)));
      g_assert_cmpuint (set_of (&registry_b, kind, kind, TRUE, n_sets), <, n_sets);
    }
  g_assert_cmpuint (g_hash_table_size (used), >, n_sets / 2);
  g_hash_table_unref (used);

  /* A cache with twice the sets puts a key in its set or the one after
   * the old number of sets: the high half of the hash picks. */
  index = set_of (&registry_a, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, 2 * n_sets);
  g_assert_cmpuint (index % n_sets, ==, set_of (&registry_a, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, n_sets));
}

/* A set: the first HS_ANSWER_CACHE_WAYS keys fit, each found in its slot;
 * the next one goes first and evicts the oldest; a key the set holds
 * already (stale) keeps its slot and evicts nothing. */
static void
test_set_ways (void)
{
  int registry;
  HsAnswerSlot set[HS_ANSWER_CACHE_WAYS] = { { 0 } };
  HsEntry entries[HS_ANSWER_CACHE_WAYS + 1] = { { 0 } };
  HsAnswerSlot evicted = { 0 };
  HsAnswerSlot *slot;

  for (guint i = 0; i < HS_ANSWER_CACHE_WAYS; i++)
    {
      g_assert_null (_hs_answer_set_find (set, &registry, G_TYPE_OBJECT + i * 8, G_TYPE_INVALID, FALSE));
      slot = _hs_answer_set_make_room (set, &registry, G_TYPE_OBJECT + i * 8, G_TYPE_INVALID, FALSE, &evicted);
      g_assert_true (slot == &set[0]);
      g_assert_null (evicted.registry);
      g_assert_null (_hs_answer_slot_store (slot, &registry, G_TYPE_OBJECT + i * 8, G_TYPE_INVALID,
                                            FALSE, 1, 0, &entries[i], NULL));
    }
  for (guint i = 0; i < HS_ANSWER_CACHE_WAYS; i++)
    {
      slot = _hs_answer_set_find (set, &registry, G_TYPE_OBJECT + i * 8, G_TYPE_INVALID, FALSE);
      g_assert_nonnull (slot);
      g_assert_true (slot->winner == &entries[i]);
      g_assert_true (_hs_answer_slot_current (slot, 1, 0));
      g_assert_false (_hs_answer_slot_current (slot, 2, 0));
      g_assert_false (_hs_answer_slot_current (slot, 1, 1));
    }

  /* One more: the oldest goes, with its entry for the caller to drop. */
  slot = _hs_answer_set_make_room (set, &registry, G_TYPE_INITIALLY_UNOWNED, G_TYPE_INVALID, FALSE, &evicted);
  g_assert_true (slot == &set[0]);
  g_assert_true (evicted.registry == &registry);
  g_assert_true (evicted.kind == G_TYPE_OBJECT);
  g_assert_true (evicted.winner == &entries[0]);
  /* The slot made free holds no reference of its own. */
  g_assert_null (_hs_answer_slot_store (slot, &registry, G_TYPE_INITIALLY_UNOWNED, G_TYPE_INVALID,
                                        FALSE, 1, 0, &entries[HS_ANSWER_CACHE_WAYS], NULL));
  g_assert_null (_hs_answer_set_find (set, &registry, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE));
  for (guint i = 1; i < HS_ANSWER_CACHE_WAYS; i++)
    g_assert_true (_hs_answer_set_find (set, &registry, G_TYPE_OBJECT + i * 8, G_TYPE_INVALID, FALSE)->winner
                   == &entries[i]);

  /* A key already there keeps its slot, whatever its stamps. */
  slot = _hs_answer_set_find (set, &registry, G_TYPE_OBJECT + 16, G_TYPE_INVALID, FALSE);
  g_assert_true (_hs_answer_set_make_room (set, &registry, G_TYPE_OBJECT + 16, G_TYPE_INVALID, FALSE,
                                           &evicted) == slot);
  g_assert_null (evicted.registry);
  g_assert_true (_hs_answer_slot_store (slot, &registry, G_TYPE_OBJECT + 16, G_TYPE_INVALID,
                                        FALSE, 2, 0, NULL, NULL) == &entries[2]);
}

/* Growing: a tag is never that of an empty ghost, and a cache grows when
 * more than one in 16 of its evictions cost a miss. */
static void
test_grow_rule (void)
{
  int registry;

  for (guint i = 0; i < 64; i++)
    {
      guint64 hash = _hs_answer_key_hash (&registry, G_TYPE_OBJECT + i * 8, G_TYPE_INVALID, FALSE);

      g_assert_cmpuint (_hs_answer_ghost_tag (hash), !=, 0);
      g_assert_cmpuint (_hs_answer_ghost_index (hash, 512), <, 512);
    }
  /* A thread that meets only new keys (a child registry per request). */
  g_assert_false (_hs_answer_cache_should_grow (256, 0));
  g_assert_false (_hs_answer_cache_should_grow (256, 16));
  /* A thread that asks for more answers in turn than its cache holds. */
  g_assert_true (_hs_answer_cache_should_grow (256, 17));
  g_assert_true (_hs_answer_cache_should_grow (256, 256));
}

static void
test_slot_matches (void)
{
  int registry, other;
  HsAnswerSlot slot = { 0 };

  /* An empty slot answers nothing. */
  g_assert_false (_hs_answer_slot_matches (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, 1, 0));

  g_assert_null (_hs_answer_slot_store (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INITIALLY_UNOWNED,
                                        FALSE, 7, 3, NULL, NULL));
  g_assert_true (_hs_answer_slot_matches (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INITIALLY_UNOWNED, FALSE, 7, 3));

  /* Every part of the key and both stamps must be the same. */
  g_assert_false (_hs_answer_slot_matches (&slot, &other, G_TYPE_OBJECT, G_TYPE_INITIALLY_UNOWNED, FALSE, 7, 3));
  g_assert_false (_hs_answer_slot_matches (&slot, &registry, G_TYPE_INITIALLY_UNOWNED, G_TYPE_INITIALLY_UNOWNED, FALSE, 7, 3));
  g_assert_false (_hs_answer_slot_matches (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, 7, 3));
  g_assert_false (_hs_answer_slot_matches (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INITIALLY_UNOWNED, TRUE, 7, 3));
  g_assert_false (_hs_answer_slot_matches (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INITIALLY_UNOWNED, FALSE, 8, 3));
  g_assert_false (_hs_answer_slot_matches (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INITIALLY_UNOWNED, FALSE, 7, 4));
}

static void
test_slot_store_evicts (void)
{
  int registry;
  HsEntry first = { 0 }, second = { 0 };
  HsAnswerSlot slot = { 0 };

  g_assert_null (_hs_answer_slot_store (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, 1, 0, &first, (GObject *) &registry));
  g_assert_true (slot.winner == &first);
  g_assert_true (slot.object == (GObject *) &registry);

  /* A newer answer for the same key hands back the one it replaces, for
   * the caller to drop. */
  g_assert_true (_hs_answer_slot_store (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, 2, 0, &second, NULL) == &first);
  g_assert_true (slot.winner == &second);
  /* The object goes with its answer. */
  g_assert_null (slot.object);
  g_assert_false (_hs_answer_slot_matches (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, 1, 0));
  g_assert_true (_hs_answer_slot_matches (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, 2, 0));

  /* "Nothing answers" is an answer too. */
  g_assert_true (_hs_answer_slot_store (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, 3, 0, NULL, NULL) == &second);
  g_assert_null (slot.winner);
  g_assert_true (_hs_answer_slot_matches (&slot, &registry, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE, 3, 0));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/answer-cache/set-index", test_set_index);
  g_test_add_func ("/answer-cache/set-ways", test_set_ways);
  g_test_add_func ("/answer-cache/grow-rule", test_grow_rule);
  g_test_add_func ("/answer-cache/slot-matches", test_slot_matches);
  g_test_add_func ("/answer-cache/slot-store-evicts", test_slot_store_evicts);

  return g_test_run ();
}
