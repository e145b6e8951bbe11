/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-entry-private.h"

G_BEGIN_DECLS

/* What a registry built for its SINGLETON registrations (as their holder)
 * and for the SCOPED registrations of gets called on it (as their scope):
 * each built once, also when several threads ask at once, kept in the
 * order the builds completed, and released last built first when the
 * registry is closed.
 *
 * Every field of every scope, and the records of builds in progress, are
 * written and read under one lock for all scopes (hs-scope.c): it is taken
 * only by a get that has no built object in its thread's answer cache
 * (the first get of a registration in a scope, or after a change), by
 * closing and by unregistering; never while a build runs. Gets of objects
 * already built find them in their thread's answer cache
 * (hs-answer-cache-private.h) without it: a kept object is released only
 * after its registry's stamps changed and a grace period passed. */
typedef struct _HsBuilt HsBuilt;

typedef struct
{
  HsBuilt      *pending;              /* builds in progress (a list; a scope
                                       * rarely has more than one or two) */
  HsBuilt      *kept;                 /* kept objects, the last built first */
  gboolean      closed;
  GCancellable *cancellable;          /* owned; made on demand */
  GPtrArray    *peeked;               /* objects handed out by hs_registry_peek()
                                       * that this registry kept or held: a
                                       * reference each, in the order of their
                                       * first peek; added by any thread's peek
                                       * under the scopes' lock, never removed,
                                       * released when the registry is finalized
                                       * (made on demand) */
} HsScope;

/* Where a registry's HsScope is in its instance: set by the registry's
 * class_init, before any registry exists. */
extern gint _hs_scope_offset;

static inline HsScope *
_hs_registry_scope (HsRegistry *registry)
{
  return G_STRUCT_MEMBER_P (registry, _hs_scope_offset);
}

/* Builds what @entry builds; called with no lock held. */
typedef GObject *(*HsScopeBuildFunc) (gpointer   data,
                                      GError   **error);

/* The object @scope keeps for @entry (a new reference), or NULL when it
 * keeps none yet. */
GObject *_hs_scope_peek (HsScope *scope,
                         HsEntry *entry);

/* The object @scope keeps for @entry (a new reference), building it with
 * @build when it has none: once, however many threads ask at the same
 * time (the others wait for the build and get its object or its error). A
 * build that fails is not kept. A thread that asks again while its own
 * build runs calls @build again, which detects the cycle; a thread whose
 * wait would close a circle of threads waiting for each other gets
 * HS_REGISTRY_ERROR_CYCLE instead. After the scope is closed, or when it
 * is closed while the build runs, HS_REGISTRY_ERROR_CLOSED. */
GObject *_hs_scope_obtain (HsScope          *scope,
                           HsEntry          *entry,
                           HsScopeBuildFunc  build,
                           gpointer          data,
                           GError          **error);

/* An asynchronous get waiting for a build (hs-build-async.c embeds it).
 * @func is called once, with no lock held, from the thread that completes
 * the build, with the object (a new reference) or the error (transfer
 * full); unless the get left first (_hs_scope_leave()). */
typedef struct _HsScopeWaiter HsScopeWaiter;

typedef void (*HsScopeWaitFunc) (HsScopeWaiter *waiter,
                                 GObject       *object,
                                 GError        *error);

struct _HsScopeWaiter
{
  HsScopeWaitFunc  func;
  HsBuilt         *built;             /* the scope's, under its lock */
};

typedef enum
{
  HS_SCOPE_KEPT,                      /* built already: *object */
  HS_SCOPE_WAITING,                   /* @waiter waits for a build in progress */
  HS_SCOPE_BUILD,                     /* @waiter waits for a new build, which the
                                       * caller runs with *cancellable and
                                       * completes with _hs_scope_complete_async() */
  HS_SCOPE_FAILED,                    /* closed: @error */
} HsScopeObtained;

/* The asynchronous _hs_scope_obtain(): @from is the asynchronous build
 * (if any) inside which the get asks, so that a circle of builds waiting
 * for each other is HS_REGISTRY_ERROR_CYCLE instead of a wait for ever;
 * what @scope keeps for @entry, or
 * @waiter queued for its build, the one in progress (also a synchronous
 * one on another thread) or a new one (*@built, with a new reference to
 * *@cancellable, cancelled when no asynchronous get waits for it any
 * more). A synchronous get of it on the thread that started an
 * asynchronous build fails with HS_REGISTRY_ERROR_NEEDS_ASYNC; on another
 * thread it waits, as for any build. */
HsScopeObtained _hs_scope_obtain_async (HsScope        *scope,
                                        HsEntry        *entry,
                                        HsBuilt        *from,
                                        HsScopeWaiter  *waiter,
                                        GCancellable  **cancellable,
                                        HsBuilt       **built,
                                        GObject       **object,
                                        GError        **error);

/* Completes the asynchronous build @built of @scope with @object or
 * @error (both transfer full; one is NULL): keeps the object, unless
 * @scope closed meanwhile (then the build fails with
 * G_IO_ERROR_CANCELLED), and calls the waiters. */
void _hs_scope_complete_async (HsScope *scope,
                               HsBuilt *built,
                               GObject *object,
                               GError  *error);

/* Takes @waiter off the build it waits for, unless the build completed
 * (then its func is called, or was): TRUE if it left. The last waiter to
 * leave an asynchronous build cancels it. */
gboolean _hs_scope_leave (HsScopeWaiter *waiter);

/* Takes out and returns what @scope keeps for @entry (the caller releases
 * it, after a grace period), or NULL. */
GObject *_hs_scope_forget (HsScope *scope,
                           HsEntry *entry);

/* Closes @scope: returns FALSE when it was closed already; else TRUE with
 * *@kept what it kept, last built first, for _hs_scope_release() (after a
 * grace period), and *@cancellable its cancellable, if one was made (a
 * new reference, for the caller to cancel). */
gboolean _hs_scope_close (HsScope       *scope,
                          HsBuilt      **kept,
                          GCancellable **cancellable);

/* Releases the objects of what _hs_scope_close() handed out, in its order,
 * one at a time, with no lock held: finalizers may use what was built
 * before them. */
void _hs_scope_release (HsBuilt *kept);

gboolean _hs_scope_is_closed (HsScope *scope);

/* The scope's cancellable, made on first use: cancelled already when the
 * scope is closed. Transfer none: the scope keeps it. */
GCancellable *_hs_scope_get_cancellable (HsScope *scope);

/* Makes @scope hold @object (kept or held by its registry) until the
 * registry is finalized, once however many threads ask: a peeked object
 * stays valid after it is unregistered, or its scope is closed, since
 * borrowers hold no reference. */
void _hs_scope_keep_peeked (HsScope *scope,
                            GObject *object);

/* Frees what an unused scope holds, as its registry is finalized: its
 * peeked objects too, last peeked first. */
void _hs_scope_finalize (HsScope *scope);

/* HS_REGISTRY_ERROR_CLOSED. */
void _hs_set_closed_error (GError **error);

G_END_DECLS
