/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_GTK_INSIDE) && !defined(HOPSCOTCH_GTK_COMPILATION)
# error "Only <hopscotch-gtk.h> can be included directly."
#endif

#ifndef _HS_GTK_EXTERN
# define _HS_GTK_EXTERN __attribute__((visibility("default"))) extern
#endif

/* Every public symbol of libhopscotch-gtk carries this, so that the library
 * can be built with hidden visibility and export exactly its API. */
#define HS_GTK_AVAILABLE_IN_ALL _HS_GTK_EXTERN
