/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Slow functions for two keys, for the thread tests: each sleeps, then
 * counts itself under "KEY.TAG".
 */
#include <hopscotch.h>

#include "test-host.h"

#define SLOW_FUNCTION(KEY, TAG) \
  HS_REGISTRY_FUNCTION (KEY, TAG) \
  { \
    g_usleep (30 * G_TIME_SPAN_MILLISECOND); \
    test_host_count (#KEY "." #TAG); \
  }

SLOW_FUNCTION (TestSlowKey, S1)
SLOW_FUNCTION (TestSlowKey, S2)
SLOW_FUNCTION (TestSlowKey, S3)
SLOW_FUNCTION (TestOtherKey, O1)
SLOW_FUNCTION (TestOtherKey, O2)
SLOW_FUNCTION (TestOtherKey, O3)
