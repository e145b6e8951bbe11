/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-entry-private.h"
#include "hs-kind-private.h"

void
_hs_entry_unref (HsEntry *entry)
{
  if (entry == NULL || !g_atomic_ref_count_dec (&entry->ref_count))
    return;

  g_free (entry->answers);
  g_free (entry->positions);
  g_free (entry);
}

void
_hs_entry_release (HsEntry *entry)
{
  if (entry->type == HS_REGISTRATION_TYPE ||
      !g_atomic_int_dec_and_test (&entry->live))
    return;

  if (entry->destroy != NULL)
    entry->destroy (entry->user_data);
  g_clear_object (&entry->instance);
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

HsEntry *
_hs_entry_new (HsRegistrationType type,
               HsLifetime         lifetime,
               GType              implementation,
               GType              kind,
               GType              context)
{
  HsEntry *entry = g_new0 (HsEntry, 1);
  GArray *answers = g_array_new (FALSE, FALSE, sizeof (GType));

  g_atomic_ref_count_init (&entry->ref_count);
  entry->live = 1;
  kind = _hs_not_given_if_none (kind);
  context = _hs_not_given_if_none (context);

  entry->type = type;
  entry->lifetime = lifetime;
  entry->build_needs_entry = type == HS_REGISTRATION_FACTORY || lifetime != HS_LIFETIME_TRANSIENT;
  entry->implementation = implementation;
  entry->kind = kind;
  entry->context_type = context;

  if (kind != G_TYPE_INVALID)
    {
      add_answer (answers, kind);
    }
  else
    {
      /* Kind omitted: the implementation's own type, its ancestors below
       * GObject / GInitiallyUnowned, and every interface it implements. */
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
    }

  entry->n_answers = answers->len;
  entry->answers = (GType *) (gpointer) g_array_free (answers, FALSE);
  entry->positions = g_new0 (guint, entry->n_answers);

  return entry;
}
