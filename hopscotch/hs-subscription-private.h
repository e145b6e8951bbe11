/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"
#include "hs-module-private.h"

G_BEGIN_DECLS

/* A key: the name of a GType whose registry functions run when it is
 * subscribed. */
typedef struct _HsKey HsKey;

/* Adds a registry function of @module for the key named @key_name, after
 * the others of the key: a C function recorded at load time (@tag is in the
 * module's memory), or a binding's function added at run time. Called with
 * _hs_manager_lock held. */
void       _hs_subscription_add_c_function_locked (HsModule       *module,
                                                   const char     *key_name,
                                                   const char     *tag,
                                                   void          (*func) (void));
void       _hs_subscription_add_function_locked   (HsModule       *module,
                                                   GType           key,
                                                   HsRegistryFunc  func,
                                                   gpointer        user_data,
                                                   GDestroyNotify  destroy);

/* Takes the functions of @module that have not run out of their keys, so
 * that they never run. Called with _hs_manager_lock held; the returned
 * array destroys them when it is freed, which must happen with no lock held
 * (a binding's destroy notify is user code). */
GPtrArray *_hs_subscription_take_functions_locked (HsModule       *module);

/* The keys that are subscribed and have functions not run yet. Called with
 * _hs_manager_lock held. */
GPtrArray *_hs_subscription_owed_locked           (void);

/* Marks @key subscribed or not, setting *@was_subscribed to what it was. */
HsKey     *_hs_subscription_set                   (GType           key,
                                                   gboolean        subscribed,
                                                   gboolean       *was_subscribed);
gboolean   _hs_subscription_is_set                (GType           key);

/* Runs the pending functions of @key, one thread at a time and in order,
 * and returns when none is pending or running (then %TRUE) — or at once,
 * with %FALSE, when this thread is already running them further up its
 * stack, or when waiting would deadlock. Called with no lock held. */
gboolean   _hs_subscription_run                   (HsRegistryManager *manager,
                                                   HsKey             *key);

G_END_DECLS
