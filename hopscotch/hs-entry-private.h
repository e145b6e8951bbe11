/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

typedef struct _HsEntry HsEntry;

/* A registration. Immutable once added (but for the positions, which only
 * its registry's index uses), shared by reference between the registry's
 * index and the threads' caches of answers.
 *
 * Two counts: ref_count keeps the struct's memory, and is what caches hold;
 * live keeps what the registration holds (the instance, the factory's
 * data), and is held by the registry while it is registered and by each get
 * that calls its factory (a get of a singleton takes a reference to the
 * instance instead, inside a reader section; see "Gets without locks" in
 * hs-answer-cache-private.h). Unregistering therefore releases the instance
 * at once, even while stale caches still point at the struct: their stamps
 * tell them it is gone. */
struct _HsEntry
{
  gatomicrefcount     ref_count;
  gint                live;
  guint               id;             /* the low 32 bits of serial */
  guint64             serial;         /* orders registrations: larger is more recent;
                                       * never the same for two registrations */
  HsRegistrationType  type;
  HsLifetime          lifetime;       /* of a type or factory; what it builds is
                                       * kept by a scope (hs-scope-private.h) */
  gboolean            build_needs_entry; /* a factory, or kept: a get that builds
                                          * it holds the entry meanwhile */
  GType               kind;           /* as given; G_TYPE_INVALID when omitted */
  GType               context_type;   /* G_TYPE_INVALID: any context */
  GType               implementation; /* the type, or the instance's type */
  GObject            *instance;
  HsFactory           factory;
  gpointer            user_data;
  GDestroyNotify      destroy;
  HsRegistry         *registry;       /* unowned: the holder outlives every use */
  guint               n_answers;
  GType              *answers;        /* the kinds this registration answers for */
  guint              *positions;      /* where it is in the index's list of each
                                       * answer; the index's, under its lock */
  HsAsyncFactory       async_factory; /* an asynchronous factory (factory is NULL) */
  HsAsyncFactoryFinish async_finish;
};

/* A new entry with one memory and one live reference, and the kinds it
 * answers for (an instance's lifetime is HS_LIFETIME_TRANSIENT: it is no
 * build); G_TYPE_NONE means "not given" for @kind and @context. The
 * caller fills in what it holds. */
HsEntry *_hs_entry_new (HsRegistrationType type,
                        HsLifetime         lifetime,
                        GType              implementation,
                        GType              kind,
                        GType              context);

static inline HsEntry *
_hs_entry_ref (HsEntry *entry)
{
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

/* Drops a memory reference; NULL is fine. Runs no user code. */
void _hs_entry_unref (HsEntry *entry);

/* Takes a live reference, unless the registration is gone. The caller holds
 * a memory reference. A type registration holds nothing to release, so its
 * live count is not kept: two atomic operations less on each get of it. */
static inline gboolean
_hs_entry_acquire (HsEntry *entry)
{
  gint live;

  if (entry->type == HS_REGISTRATION_TYPE)
    return TRUE;

  live = g_atomic_int_get (&entry->live);

  while (live > 0)
    if (g_atomic_int_compare_and_exchange_full (&entry->live, live, live + 1, &live))
      return TRUE;

  return FALSE;
}

/* Drops a live reference; the last one releases what the registration
 * holds. Never called with a lock held: that runs user code. */
void _hs_entry_release (HsEntry *entry);

/* Drops a live and a memory reference: what a resolved winner holds, and
 * the registry's own references when it holds the entry no more. */
void _hs_entry_drop (HsEntry *entry);

G_END_DECLS
