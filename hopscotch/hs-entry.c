/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-entry-private.h"
#include "hs-kind-private.h"

void
_hs_entry_unref (HsEntry *entry)
{
  if (entry == NULL || !g_atomic_ref_count_dec (&entry->ref_count))
    return;

  g_free (entry);
}

void
_hs_entry_release (HsEntry *entry)
{
  if (entry->type == HS_REGISTRATION_TYPE ||
      !g_atomic_int_dec_and_test (&entry->live))
    return;

  if (entry->type == HS_REGISTRATION_FACTORY)
    {
      if (entry->held.factory.destroy != NULL)
        entry->held.factory.destroy (entry->held.factory.user_data);
    }
  else
    {
      g_clear_object (&entry->held.instance);
    }
}

void
_hs_entry_drop (HsEntry *entry)
{
  _hs_entry_release (entry);
  _hs_entry_unref (entry);
}

static void
add_answer (GArray *answers,
            GType   type)
{
  for (guint i = 0; i < answers->len; i++)
    if (g_array_index (answers, GType, i) == type)
      return;
  g_array_append_val (answers, type);
}

/* The kinds a registration whose kind is omitted answers for: the
 * implementation's own type, its ancestors below GObject /
 * GInitiallyUnowned, and every interface it implements. */
static GArray *
implied_answers (GType implementation)
{
  GArray *answers = g_array_new (FALSE, FALSE, sizeof (GType));
  GType *ifaces;
  guint n_ifaces = 0;

  /* The implementation's own type always, also when it is GObject or
   * GInitiallyUnowned itself (SPEC 2). */
  add_answer (answers, implementation);
  for (GType t = g_type_parent (implementation);
       t != G_TYPE_INVALID && t != G_TYPE_OBJECT && t != G_TYPE_INITIALLY_UNOWNED;
       t = g_type_parent (t))
    add_answer (answers, t);

  ifaces = g_type_interfaces (implementation, &n_ifaces);
  for (guint i = 0; i < n_ifaces; i++)
    add_answer (answers, ifaces[i]);
  g_free (ifaces);

  return answers;
}

HsEntry *
_hs_entry_new (HsRegistrationType type,
               HsLifetime         lifetime,
               GType              implementation,
               GType              kind,
               GType              context)
{
  GArray *answers = NULL;
  gsize size = _hs_entry_size (type);
  HsEntry *entry;

  kind = _hs_not_given_if_none (kind);
  context = _hs_not_given_if_none (context);

  /* A kind given is the one answer; so is a type that has no ancestor
   * below GObject and no interface. */
  if (kind == G_TYPE_INVALID)
    {
      answers = implied_answers (implementation);
      if (answers->len == 1)
        g_clear_pointer (&answers, g_array_unref);
    }

  if (answers != NULL)
    {
      HsEntryAnswers header = { answers->len };

      /* The positions, then the kinds (_hs_entry_many_kinds()). */
      size += (gsize) ((guint8 *) _hs_entry_many_kinds (&header) - (guint8 *) &header) +
              answers->len * sizeof (GType);
    }

  entry = g_malloc0 (size);
  g_atomic_ref_count_init (&entry->ref_count);
  entry->live = 1;
  entry->type = type;
  entry->lifetime = lifetime;
  entry->build_needs_entry = type == HS_REGISTRATION_FACTORY || lifetime != HS_LIFETIME_TRANSIENT;
  entry->implementation = implementation;
  entry->kind = kind;
  entry->context_type = context;

  if (answers != NULL)
    {
      HsEntryAnswers *many = _hs_entry_many (entry);

      entry->many_answers = TRUE;
      many->n = answers->len;
      memcpy (_hs_entry_many_kinds (many), answers->data, answers->len * sizeof (GType));
      g_array_unref (answers);
    }

  return entry;
}
