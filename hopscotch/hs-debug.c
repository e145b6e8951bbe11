/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-debug-private.h"

guint _hs_debug_flags = HS_DEBUG_UNREAD;

guint
_hs_debug_read (void)
{
  static const GDebugKey keys[] = {
    { "resolve", HS_DEBUG_RESOLVE },
    { "inject", HS_DEBUG_INJECT },
    { "manager", HS_DEBUG_MANAGER },
  };
  guint flags;

  /* g_parse_debug_string() also takes "all" and "help". Two threads may
   * both read the variable: they find the same flags. */
  flags = g_parse_debug_string (g_getenv ("HOPSCOTCH_DEBUG"), keys, G_N_ELEMENTS (keys));
  __atomic_store_n (&_hs_debug_flags, flags, __ATOMIC_RELAXED);

  return flags;
}
