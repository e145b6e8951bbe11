/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib.h>

#ifdef G_OS_UNIX
# include <pthread.h>
#endif
#ifdef __linux__
# include <errno.h>
# include <linux/membarrier.h>
# include <sys/syscall.h>
# include <unistd.h>
#endif

#include "hs-reader-private.h"

static GMutex readers_lock;           /* guards readers */
static GPtrArray *readers;            /* the HsReader of every thread that has one */

/* This thread's reader, if it has one: the grace period need not wait for
 * its own thread, which is never inside a section while it waits. */
#ifdef HS_THREAD_LOCAL
static HS_THREAD_LOCAL HsReader *self_reader;
# define self_reader_get() (self_reader)
# define self_reader_set(r) (self_reader = (r))
#else
static GPrivate self_reader;
# define self_reader_get() ((HsReader *) g_private_get (&self_reader))
# define self_reader_set(r) g_private_set (&self_reader, (r))
#endif

/* Where the kernel has membarrier(), a reader section needs no barrier
 * instruction of its own: the rare writer makes every running thread of
 * the process execute one instead (liburcu's "memb" flavour). Decided once,
 * before the first reader exists. */
gboolean _hs_reader_use_membarrier;

#ifdef G_OS_UNIX
/* In a child of fork() only the thread that forked goes on: the other
 * threads' readers can never leave a reader section, and must not be
 * waited for. */
static void
readers_atfork_child (void)
{
  gpointer self = self_reader_get ();
  guint n = 0;

  g_mutex_init (&readers_lock);
  for (guint i = 0; readers != NULL && i < readers->len; i++)
    if (readers->pdata[i] == self)
      readers->pdata[n++] = self;
  if (readers != NULL)
    g_ptr_array_set_size (readers, n);
}
#endif

static void
readers_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
#ifdef G_OS_UNIX
      pthread_atfork (NULL, NULL, readers_atfork_child);
#endif
#if defined(__linux__) && defined(SYS_membarrier)
      {
        long commands = syscall (SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

        _hs_reader_use_membarrier =
          commands > 0 &&
          (commands & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0 &&
          syscall (SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
      }
#endif
      g_once_init_leave (&done, 1);
    }
}

void
_hs_reader_register (HsReader *reader)
{
  readers_init ();

  g_mutex_lock (&readers_lock);
  if (readers == NULL)
    readers = g_ptr_array_new ();
  g_ptr_array_add (readers, reader);
  g_mutex_unlock (&readers_lock);
  self_reader_set (reader);
}

void
_hs_reader_unregister (HsReader *reader)
{
  /* Runs on the reader's thread, also when it ends. */
  self_reader_set (NULL);

  g_mutex_lock (&readers_lock);
  g_ptr_array_remove_fast (readers, reader);
  g_mutex_unlock (&readers_lock);
}

void
_hs_wait_for_readers (void)
{
  HsReader *self = self_reader_get ();
  gboolean others = FALSE;

  g_mutex_lock (&readers_lock);

  /* Alone, there is no one to wait for (and no barrier to pay). A thread
   * that makes its reader meanwhile waits for readers_lock, and sees the
   * new stamps after it. */
  for (guint i = 0; readers != NULL && i < readers->len && !others; i++)
    others = readers->pdata[i] != self;

#if defined(__linux__) && defined(SYS_membarrier)
  /* Cannot fail once registered: readers rely on it. */
  if (others && _hs_reader_use_membarrier &&
      syscall (SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
    g_error ("membarrier() failed: %s", g_strerror (errno));
#endif

  for (guint i = 0; others && i < readers->len; i++)
    {
      HsReader *reader = readers->pdata[i];
      guint seq = __atomic_load_n (&reader->seq, __ATOMIC_SEQ_CST);

      if (seq & 1)
        while (__atomic_load_n (&reader->seq, __ATOMIC_ACQUIRE) == seq)
          g_thread_yield ();
    }
  g_mutex_unlock (&readers_lock);
}
