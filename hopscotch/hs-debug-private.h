/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* HOPSCOTCH_DEBUG: which diagnostics are logged (with g_debug(), under the
 * Hopscotch domain). Read once, the first time a flag is asked for. */

typedef enum
{
  HS_DEBUG_RESOLVE = 1 << 0,          /* why a get chose its winner */
  HS_DEBUG_INJECT  = 1 << 1,          /* what a build injected */
  HS_DEBUG_MANAGER = 1 << 2,          /* what the manager recorded, ran, unloaded */
  HS_DEBUG_UNREAD  = 1 << 31,         /* HOPSCOTCH_DEBUG not read yet */
} HsDebugFlags;

extern guint _hs_debug_flags;

/* Reads HOPSCOTCH_DEBUG and returns the flags it sets. */
guint _hs_debug_read (void);

/* Whether @flag is on: one relaxed load once the variable is read. */
static inline gboolean
_hs_debug_on (HsDebugFlags flag)
{
  guint flags = __atomic_load_n (&_hs_debug_flags, __ATOMIC_RELAXED);

  if (G_UNLIKELY (flags & HS_DEBUG_UNREAD))
    flags = _hs_debug_read ();

  return (flags & flag) != 0;
}

G_END_DECLS
