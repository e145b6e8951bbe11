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

/* Every public symbol carries one of these, so that the library can be built
 * with hidden visibility and export exactly its API. */
#define HS_AVAILABLE_IN_ALL _HS_EXTERN
