/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-record-private.h"
#include "hs-registry-private.h"
#include "hs-module-private.h"
#include "hs-subscription-private.h"
#include "hs-injectable-claim-private.h"

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

void
_hs_records_take_in_locked (void)
{
  _HsStaticRecord *records, *ordered = NULL, *next;

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

      if (ordered->type == _HS_STATIC_RECORD_FUNCTION)
        _hs_subscription_add_c_function_locked (module, ordered->key_name,
                                                ordered->tag, ordered->func);
      else
        _hs_injectable_add_locked (module, ordered);
    }
}

void
_hs_records_take_in (void)
{
  g_mutex_lock (&_hs_manager_lock);
  _hs_records_take_in_locked ();
  g_mutex_unlock (&_hs_manager_lock);

  _hs_modules_resolve_names ();
}
