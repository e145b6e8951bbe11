/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-injectable-claim-private.h"

/* The injectables recorded by the loaded modules, and which of them each
 * registry has been given by a scan (the scanning itself is in
 * hs-injectable.c). */

/* Linked, under _hs_manager_lock, into all_injectables and its module's
 * injectables from its recording until its module goes. */
typedef struct
{
  /* First, so that the queue's pointer to it is a pointer to the start of
   * the block (what valgrind's leak check follows). */
  GList       link;
  guint       serial;
  HsModule   *module;                     /* unowned: the module holds it */
  const char *tag;                        /* in the module's memory */
  void      (*types) (GType *types);
  GList       module_link;
} HsInjectable;

/* Under _hs_manager_lock: written by _hs_injectable_add_locked() and
 * _hs_injectables_drop_locked(). */
static GQueue all_injectables = G_QUEUE_INIT; /* HsInjectable, in recording order */
static guint next_injectable_serial = 1;

/* The serials scanned into a registry, kept on the registry (a GHashTable
 * of serials, under _hs_manager_lock). */
static GQuark scanned_quark;

void
_hs_injectable_add_locked (HsModule              *module,
                           const _HsStaticRecord *record)
{
  HsInjectable *injectable = g_new0 (HsInjectable, 1);

  injectable->serial = next_injectable_serial++;
  injectable->module = module;
  injectable->tag = record->tag;
  injectable->types = record->types;
  injectable->link.data = injectable;
  injectable->module_link.data = injectable;
  g_queue_push_tail_link (&all_injectables, &injectable->link);
  g_queue_push_tail_link (&module->injectables, &injectable->module_link);
}

void
_hs_injectables_drop_locked (HsModule *module)
{
  GList *link;

  while ((link = g_queue_pop_head_link (&module->injectables)) != NULL)
    {
      HsInjectable *injectable = link->data;

      g_queue_unlink (&all_injectables, &injectable->link);
      g_free (injectable);
    }
}

void
_hs_injectable_claim_free (HsInjectableClaim *claim)
{
  _hs_module_unref (claim->module);
  g_free (claim->tag);
  g_free (claim);
}

GPtrArray *
_hs_injectables_claim (HsRegistry *registry,
                       const char *module,
                       gboolean   *module_found)
{
  GPtrArray *claims = g_ptr_array_new_with_free_func ((GDestroyNotify) _hs_injectable_claim_free);
  char *canonical = module != NULL ? _hs_canonical_path (module) : NULL;
  GHashTable *scanned;

  *module_found = module == NULL;

  g_mutex_lock (&_hs_manager_lock);

  if (G_UNLIKELY (scanned_quark == 0))
    scanned_quark = g_quark_from_static_string ("hs-scanned-injectables");

  scanned = g_object_get_qdata (G_OBJECT (registry), scanned_quark);
  if (scanned == NULL)
    {
      scanned = g_hash_table_new (NULL, NULL);
      g_object_set_qdata_full (G_OBJECT (registry), scanned_quark, scanned,
                               (GDestroyNotify) g_hash_table_unref);
    }

  if (module != NULL)
    *module_found = _hs_modules_have_name_locked (module, canonical);

  for (GList *l = all_injectables.head; l != NULL; l = l->next)
    {
      HsInjectable *injectable = l->data;
      HsInjectableClaim *claim;

      if (module != NULL && !_hs_module_has_name (injectable->module, module, canonical))
        continue;
      if (!g_hash_table_add (scanned, GUINT_TO_POINTER (injectable->serial)))
        continue;

      claim = g_new0 (HsInjectableClaim, 1);
      claim->serial = injectable->serial;
      claim->module = _hs_module_ref (injectable->module);
      claim->tag = g_strdup (injectable->tag);
      claim->types = injectable->types;
      g_ptr_array_add (claims, claim);
    }

  g_mutex_unlock (&_hs_manager_lock);
  g_free (canonical);

  return claims;
}

void
_hs_injectables_unclaim (HsRegistry *registry,
                         GPtrArray  *claims)
{
  GHashTable *scanned;

  g_mutex_lock (&_hs_manager_lock);
  scanned = g_object_get_qdata (G_OBJECT (registry), scanned_quark);
  for (guint i = 0; scanned != NULL && i < claims->len; i++)
    {
      HsInjectableClaim *claim = g_ptr_array_index (claims, i);

      g_hash_table_remove (scanned, GUINT_TO_POINTER (claim->serial));
    }
  g_mutex_unlock (&_hs_manager_lock);
}
