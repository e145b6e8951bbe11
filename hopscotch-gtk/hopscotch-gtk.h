/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <hopscotch.h>

#define HOPSCOTCH_GTK_INSIDE
# include "hs-gtk-version-macros.h"
# include "hs-gtk-widget.h"
#undef HOPSCOTCH_GTK_INSIDE
