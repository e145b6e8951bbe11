/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-record-private.h"
#include "hs-registry-private.h"
#include "hs-module-private.h"
#include "hs-subscription-private.h"
#include "hs-injectable-claim-private.h"
#include "hs-debug-private.h"

/* Records: what HS_REGISTRY_FUNCTION() and HS_INJECTABLE() write when their
 * module is loaded, in constant time and without a lock, and how the
 * manager takes them in later. */

/* Records pushed by module constructors wait in _hs_pending_records
 * (hs-registry-private.h, where registries watch it). Lock-free, so that
 * recording takes no lock inside the dynamic loader. */

void
_hs_static_record_add (_HsStaticRecord *record)
{
  _HsStaticRecord *head;

  do
    {
      head = g_atomic_pointer_get (&_hs_pending_records);
      record->next = head;
    }
  while (!g_atomic_pointer_compare_and_exchange (&_hs_pending_records, head, record));
}

/* HS_REGISTRY_FUNCTION_FOR_TYPE() records taken in by the destructor of a
 * module being unloaded, whose expressions wait for the next take-in made
 * by a call to the manager: no type code runs while a module goes. Under
 * _hs_manager_lock. */
typedef struct
{
  HsModule              *module;      /* a reference */
  const _HsStaticRecord *record;      /* in the module's memory */
} DeferredRecord;

static GQueue deferred_for_type = G_QUEUE_INIT;
static gboolean taking_in_for_unload;

/* An HS_REGISTRY_FUNCTION_FOR_TYPE() record: its key is the type its
 * expression gives now, while its module is mapped. */
static void
take_in_function_for_type_locked (HsModule              *module,
                                  const _HsStaticRecord *record)
{
  GType key = G_TYPE_INVALID;

  if (taking_in_for_unload)
    {
      DeferredRecord *deferred = g_new (DeferredRecord, 1);

      deferred->module = _hs_module_ref (module);
      deferred->record = record;
      g_queue_push_tail (&deferred_for_type, deferred);
      return;
    }

  record->types (&key);

  if (key == G_TYPE_INVALID || key == G_TYPE_NONE)
    {
      g_warning ("Registry function “%s” of %s never runs: its key “%s” gives no type",
                 record->tag, _hs_module_display_name (module), record->key_name);
      return;
    }

  _hs_subscription_add_c_function_locked (module, g_type_name (key), record->tag, record->func);
}

void
_hs_records_take_in_locked (void)
{
  _HsStaticRecord *records, *ordered = NULL, *next;

  /* Those deferred first: they were recorded before the pending ones. A
   * module that went meanwhile is unmapped: its records are not read. */
  while (!taking_in_for_unload && !g_queue_is_empty (&deferred_for_type))
    {
      DeferredRecord *deferred = g_queue_pop_head (&deferred_for_type);

      if (!deferred->module->gone)
        take_in_function_for_type_locked (deferred->module, deferred->record);
      _hs_module_unref (deferred->module);
      g_free (deferred);
    }

  records = g_atomic_pointer_exchange (&_hs_pending_records, NULL);

  /* The stack is newest first. */
  for (; records != NULL; records = next)
    {
      next = records->next;
      records->next = ordered;
      ordered = records;
    }

  for (; ordered != NULL; ordered = next)
    {
      HsModule *module = _hs_module_for_anchor_locked (ordered->module, TRUE);

      next = ordered->next;
      ordered->next = NULL;
      _hs_module_add_record_locked (module, ordered);

      if (ordered->type == _HS_STATIC_RECORD_FUNCTION)
        _hs_subscription_add_c_function_locked (module, ordered->key_name,
                                                ordered->tag, ordered->func);
      else if (ordered->type == _HS_STATIC_RECORD_FUNCTION_FOR_TYPE)
        take_in_function_for_type_locked (module, ordered);
      else
        {
          if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_MANAGER)))
            g_debug ("manager: recorded injectable “%s” of %s",
                     ordered->tag, _hs_module_display_name (module));
          _hs_injectable_add_locked (module, ordered);
        }
    }
}

void
_hs_records_take_in_unloading_locked (void)
{
  taking_in_for_unload = TRUE;
  _hs_records_take_in_locked ();
  taking_in_for_unload = FALSE;
}

void
_hs_records_take_in (void)
{
  g_mutex_lock (&_hs_manager_lock);
  _hs_records_take_in_locked ();
  g_mutex_unlock (&_hs_manager_lock);

  _hs_modules_resolve_names ();
}
