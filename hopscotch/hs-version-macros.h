/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_INSIDE) && !defined(HOPSCOTCH_COMPILATION)
# error "Only <hopscotch.h> can be included directly."
#endif

#include <glib.h>

#include "hs-version.h"

#ifndef _HS_EXTERN
# define _HS_EXTERN __attribute__((visibility("default"))) extern
#endif

/**
 * HS_VERSION_0_1:
 *
 * A value for %HS_VERSION_MIN_REQUIRED and %HS_VERSION_MAX_ALLOWED: the
 * version 0.1 of Hopscotch.
 *
 * Since: 0.2
 */
#define HS_VERSION_0_1 (G_ENCODE_VERSION (0, 1))

/**
 * HS_VERSION_0_2:
 *
 * A value for %HS_VERSION_MIN_REQUIRED and %HS_VERSION_MAX_ALLOWED: the
 * version 0.2 of Hopscotch.
 *
 * Since: 0.2
 */
#define HS_VERSION_0_2 (G_ENCODE_VERSION (0, 2))

/**
 * HS_VERSION_CUR_STABLE:
 *
 * The stable version of Hopscotch compiled against: the current one, or,
 * for a development (odd minor) version, the next stable one.
 *
 * Since: 0.2
 */
#if (HS_MINOR_VERSION % 2)
# define HS_VERSION_CUR_STABLE (G_ENCODE_VERSION (HS_MAJOR_VERSION, HS_MINOR_VERSION + 1))
#else
# define HS_VERSION_CUR_STABLE (G_ENCODE_VERSION (HS_MAJOR_VERSION, HS_MINOR_VERSION))
#endif

/**
 * HS_VERSION_MIN_REQUIRED:
 *
 * Define it, before including `hopscotch.h`, to the oldest version of
 * Hopscotch that the program supports (%HS_VERSION_0_1, ...): API deprecated
 * in later versions then gives no deprecation warning. Defaults to
 * %HS_VERSION_CUR_STABLE.
 *
 * Since: 0.2
 */
#ifndef HS_VERSION_MIN_REQUIRED
# define HS_VERSION_MIN_REQUIRED (HS_VERSION_CUR_STABLE)
#endif

/**
 * HS_VERSION_MAX_ALLOWED:
 *
 * Define it, before including `hopscotch.h`, to the newest version of
 * Hopscotch whose API the program may use: using API added after it gives
 * a warning. Defaults to %HS_VERSION_CUR_STABLE.
 *
 * Since: 0.2
 */
#ifndef HS_VERSION_MAX_ALLOWED
# define HS_VERSION_MAX_ALLOWED (HS_VERSION_CUR_STABLE)
#endif

#if HS_VERSION_MAX_ALLOWED < HS_VERSION_MIN_REQUIRED
# error "HS_VERSION_MAX_ALLOWED must be >= HS_VERSION_MIN_REQUIRED"
#endif
#if HS_VERSION_MIN_REQUIRED < HS_VERSION_0_1
# error "HS_VERSION_MIN_REQUIRED must be >= HS_VERSION_0_1"
#endif

/* Every public symbol carries one of these, so that the library can be built
 * with hidden visibility and export exactly its API, and so that a program
 * is warned of API newer than HS_VERSION_MAX_ALLOWED or deprecated before
 * HS_VERSION_MIN_REQUIRED. */
#define HS_AVAILABLE_IN_ALL _HS_EXTERN
#define HS_DEPRECATED _HS_EXTERN G_DEPRECATED
#define HS_DEPRECATED_FOR(f) _HS_EXTERN G_DEPRECATED_FOR (f)
#define HS_UNAVAILABLE(maj, min) _HS_EXTERN G_UNAVAILABLE (maj, min)

#define HS_AVAILABLE_IN_0_1 _HS_EXTERN

#if HS_VERSION_MAX_ALLOWED < HS_VERSION_0_2
# define HS_AVAILABLE_IN_0_2 HS_UNAVAILABLE (0, 2)
#else
# define HS_AVAILABLE_IN_0_2 _HS_EXTERN
#endif

#if HS_VERSION_MIN_REQUIRED >= HS_VERSION_0_2
# define HS_DEPRECATED_IN_0_2 HS_DEPRECATED
# define HS_DEPRECATED_IN_0_2_FOR(f) HS_DEPRECATED_FOR (f)
#else
# define HS_DEPRECATED_IN_0_2 _HS_EXTERN
# define HS_DEPRECATED_IN_0_2_FOR(f) _HS_EXTERN
#endif
