/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

typedef struct _HsEntry HsEntry;

/* What a factory registration holds. */
typedef struct
{
  HsFactory            func;          /* NULL: an asynchronous factory only */
  HsAsyncFactory       async_func;
  HsAsyncFactoryFinish async_finish;
  gpointer             user_data;
  GDestroyNotify       destroy;
} HsEntryFactory;

/* A registration. Immutable once added (but for its positions, which only
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
 * tell them it is gone.
 *
 * One allocation holds it all, sized for its type (_hs_entry_size()): a
 * type registration holds nothing but its type, an instance registration
 * one pointer, a factory's five. A registration that answers for one kind
 * (any whose kind is given) keeps its position in line; one that answers
 * for more (its kind omitted) has an HsEntryAnswers after what it holds. */
struct _HsEntry
{
  gatomicrefcount     ref_count;
  gint                live;
  guint64             serial;         /* orders registrations: larger is more recent;
                                       * never the same for two registrations; its
                                       * low 32 bits are the id (_hs_entry_id()).
                                       * Set by _hs_index_add() under its lock,
                                       * before any other thread sees the entry */
  guint8              type;           /* HsRegistrationType: what @held holds */
  guint8              lifetime;       /* HsLifetime of a type or factory; what it
                                       * builds is kept by a scope (hs-scope-private.h) */
  guint8              build_needs_entry; /* a factory, or kept: a get that builds
                                          * it holds the entry meanwhile */
  guint8              many_answers;   /* answers for more than one kind: they are
                                       * in the HsEntryAnswers after @held */
  guint               position;       /* with one answer: where it is in the index's
                                       * list of that kind; the index's, under its lock */
  GType               kind;           /* as given; G_TYPE_INVALID when omitted */
  GType               context_type;   /* G_TYPE_INVALID: any context */
  GType               implementation; /* the type, or the instance's type */
  HsRegistry         *registry;       /* unowned: the holder outlives every use */
  union                               /* only the part of its type is allocated */
  {
    GObject          *instance;       /* HS_REGISTRATION_INSTANCE */
    HsEntryFactory    factory;        /* HS_REGISTRATION_FACTORY */
  } held;
};

/* The kinds of a registration that answers for more than one, and where
 * it is in the index's list of each (the index's, under its lock); the
 * kinds follow the positions, at _hs_entry_many_kinds(). */
typedef struct
{
  guint n;
  guint positions[];
} HsEntryAnswers;

/* The bytes of an entry of @type, before any HsEntryAnswers. */
static inline gsize
_hs_entry_size (HsRegistrationType type)
{
  switch (type)
    {
    case HS_REGISTRATION_INSTANCE:
      return G_STRUCT_OFFSET (HsEntry, held) + sizeof (GObject *);
    case HS_REGISTRATION_FACTORY:
      return G_STRUCT_OFFSET (HsEntry, held) + sizeof (HsEntryFactory);
    case HS_REGISTRATION_TYPE:
    default:
      return G_STRUCT_OFFSET (HsEntry, held);
    }
}

/* The registration id: never 0 for a registered entry. */
static inline guint
_hs_entry_id (const HsEntry *entry)
{
  return (guint) entry->serial;
}

/* The instance of an instance registration; NULL for the others. */
static inline GObject *
_hs_entry_instance (const HsEntry *entry)
{
  return entry->type == HS_REGISTRATION_INSTANCE ? entry->held.instance : NULL;
}

static inline HsEntryAnswers *
_hs_entry_many (const HsEntry *entry)
{
  return (HsEntryAnswers *) (gpointer) ((guint8 *) entry + _hs_entry_size (entry->type));
}

/* Where the kinds of @answers are: after the positions, aligned. */
static inline GType *
_hs_entry_many_kinds (const HsEntryAnswers *answers)
{
  gsize offset = G_STRUCT_OFFSET (HsEntryAnswers, positions) + answers->n * sizeof (guint);

  offset = (offset + sizeof (GType) - 1) & ~(sizeof (GType) - 1);
  return (GType *) (gpointer) ((guint8 *) answers + offset);
}

/* How many kinds @entry answers for: at least one. */
static inline guint
_hs_entry_n_answers (const HsEntry *entry)
{
  return entry->many_answers ? _hs_entry_many (entry)->n : 1;
}

/* The kind @entry was registered for, or its implementation when the kind
 * was omitted: what HsRegistration:kind and messages name. */
static inline GType
_hs_entry_named_kind (const HsEntry *entry)
{
  return entry->kind != G_TYPE_INVALID ? entry->kind : entry->implementation;
}

/* The @i-th kind @entry answers for. */
static inline GType
_hs_entry_answer (const HsEntry *entry,
                  guint          i)
{
  if (entry->many_answers)
    return _hs_entry_many_kinds (_hs_entry_many (entry))[i];
  return _hs_entry_named_kind (entry);
}

/* Where the index keeps @entry's position in its list of its @i-th kind. */
static inline guint *
_hs_entry_position (HsEntry *entry,
                    guint    i)
{
  return entry->many_answers ? &_hs_entry_many (entry)->positions[i] : &entry->position;
}

/* A new entry with one memory and one live reference, and the kinds it
 * answers for (an instance's lifetime is HS_LIFETIME_TRANSIENT: it is no
 * build); G_TYPE_NONE means "not given" for @kind and @context. The
 * caller fills in what it holds (@held, the part of @type). */
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
