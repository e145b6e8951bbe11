/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-answer-cache-private.h"

static void thread_cache_free (gpointer data);
static GPrivate thread_cache = G_PRIVATE_INIT (thread_cache_free);
#ifdef HS_THREAD_LOCAL
HS_THREAD_LOCAL HsThreadCache *_hs_thread_cache_fast;
#endif

static void
thread_cache_free (gpointer data)
{
  HsThreadCache *tc = data;

  /* Runs on the thread that ends. */
#ifdef HS_THREAD_LOCAL
  _hs_thread_cache_fast = NULL;
#endif

  _hs_reader_unregister (&tc->reader);

  for (guint i = 0; i < HS_ANSWER_CACHE_SLOTS; i++)
    _hs_entry_unref (tc->slots[i].winner);
  g_free (tc);
}

HsThreadCache *
_hs_thread_cache_new (void)
{
  HsThreadCache *tc = g_new0 (HsThreadCache, 1);

  _hs_reader_register (&tc->reader);
  g_private_set (&thread_cache, tc);
#ifdef HS_THREAD_LOCAL
  _hs_thread_cache_fast = tc;
#endif

  return tc;
}

HsThreadCache *
_hs_thread_cache_lookup (void)
{
  return g_private_get (&thread_cache);
}
