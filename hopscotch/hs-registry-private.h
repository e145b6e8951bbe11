/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"
#include "hs-kind-private.h"
#include "hs-registration-private.h"

G_BEGIN_DECLS

/* What the rest of the library may use of the registry: the words for
 * kinds (hs-kind-private.h), registrations' descriptions
 * (hs-registration-private.h), and the hooks below. */

/* Called after every successful registration, with no lock held. The
 * registry manager sets it to record what a running registry function
 * registers, so that its module's unloading can undo it. */
typedef void (*HsRegistrationHook) (HsRegistry *registry,
                                    guint       registration_id);
extern HsRegistrationHook _hs_registry_registration_hook;

/* Modules observed at load (SPEC 11): the records that module constructors
 * push (HS_REGISTRY_FUNCTION(), HS_INJECTABLE()), newest first, until the
 * manager takes them in. Pushed by _hs_static_record_add() with a
 * compare-and-exchange, inside the dynamic loader; taken whole by
 * _hs_records_take_in_locked() with an exchange (hs-record.c). Registries
 * only read it: nothing on the path of a get writes it, so its cache line
 * stays shared by every core. */
extern _HsStaticRecord *_hs_pending_records;

/* Runs what subscribed keys are owed by modules loaded since the manager
 * last looked: set once, by the manager when it is created. With no lock
 * held (it runs registry functions, which register). */
typedef void (*HsCatchUpHook) (void);
extern HsCatchUpHook _hs_registry_catch_up_hook;

/* Out of line: calls the hook, if the manager exists. */
void _hs_registry_catch_up (void);

/* The first thing a registry operation does, with no lock held: when a
 * module was loaded behind the manager's back (g_module_open(), dlopen(),
 * a plugin engine), its registry functions for subscribed keys run now,
 * so that the operation sees what they register. One relaxed load when
 * nothing was loaded: a thread that learnt of the load by any
 * synchronisation (or made it) sees the record. */
static inline void
_hs_registry_observe_loads (void)
{
  if (G_UNLIKELY (__atomic_load_n (&_hs_pending_records, __ATOMIC_RELAXED) != NULL))
    _hs_registry_catch_up ();
}

G_END_DECLS
