/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The slot logic of each thread's cache of answers
 * (hopscotch/hs-answer-cache-private.h): which slot a key uses, when a slot
 * answers, and what storing an answer evicts.
 */
#include "hs-answer-cache-private.h"

static void
test_slot_index (void)
{
  int registry_a, registry_b;
  GHashTable *used = g_hash_table_new (NULL, NULL);
  guint index = _hs_answer_slot_index (&registry_a, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE);

  /* The same key, the same slot. */
  g_assert_cmpuint (index, ==, _hs_answer_slot_index (&registry_a, G_TYPE_OBJECT, G_TYPE_INVALID, FALSE));
  g_assert_cmpuint (index, <, HS_ANSWER_CACHE_SLOTS);

  /* Keys that differ in one part spread over the slots. */
  for (guint i = 0; i < HS_ANSWER_CACHE_SLOTS; i++)
    {
      GType kind = G_TYPE_OBJECT + i * 8;

      g_hash_table_add (used, GUINT_TO_POINTER (_hs_answer_slot_index (&registry_a, kind, G_TYPE_INVALID, FALSE)));
      g_hash_table_add (used, GUINT_TO_POINTER (_hs_answer_slot_index (&registry_b, kind, G_TYPE_INVALID, FALSE)));
      g_assert_cmpuint (_hs_answer_slot_index (&registry_b, kind, kind, TRUE), <, HS_ANSWER_CACHE_SLOTS);
    }
  g_assert_cmpuint (g_hash_table_size (used), >, HS_ANSWER_CACHE_SLOTS / 2);
  g_hash_table_unref (used);
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

  g_test_add_func ("/answer-cache/slot-index", test_slot_index);
  g_test_add_func ("/answer-cache/slot-matches", test_slot_matches);
  g_test_add_func ("/answer-cache/slot-store-evicts", test_slot_store_evicts);

  return g_test_run ();
}
