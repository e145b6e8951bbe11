/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reader sections and grace periods: what lets a get use a cached answer
 * with no lock while another thread removes the registration it names.
 * See "Gets without locks" in hs-answer-cache-private.h. */

#if defined(__GNUC__)
# define HS_THREAD_LOCAL __thread
#endif

/* One thread's reader record. */
typedef struct
{
  guint seq;                          /* odd inside a reader section */
} HsReader;

/* Whether the writers' membarrier() stands in for the readers' barriers;
 * decided before the first reader is registered. */
extern gboolean _hs_reader_use_membarrier;

/* Makes @reader this thread's record, waited for by every grace period
 * from now on; and drops it, on the same thread, before it is freed. */
void _hs_reader_register   (HsReader *reader);
void _hs_reader_unregister (HsReader *reader);

/* Waits until every reader section that was in progress is over. Called
 * after the stamps changed, with no registry lock held; reader sections
 * take no lock, so this cannot deadlock. */
void _hs_wait_for_readers (void);

static inline void
_hs_reader_enter (HsReader *reader)
{
  /* Writers must see that we are in before we read any stamp, which plain
   * stores do not ensure (the loads may go first): either the writer's
   * membarrier() orders them for us, or an exchange's full barrier does. */
  if (G_LIKELY (_hs_reader_use_membarrier))
    {
      __atomic_store_n (&reader->seq, reader->seq + 1, __ATOMIC_RELAXED);
      __atomic_signal_fence (__ATOMIC_SEQ_CST);
    }
  else
    __atomic_exchange_n (&reader->seq, reader->seq + 1, __ATOMIC_SEQ_CST);
}

static inline void
_hs_reader_exit (HsReader *reader)
{
  __atomic_store_n (&reader->seq, reader->seq + 1, __ATOMIC_RELEASE);
}

G_END_DECLS
