/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_GTK_INSIDE) && !defined(HOPSCOTCH_GTK_COMPILATION)
# error "Only <hopscotch-gtk.h> can be included directly."
#endif

#include <gtk/gtk.h>
#include <hopscotch.h>

#include "hs-gtk-version-macros.h"

G_BEGIN_DECLS

HS_GTK_AVAILABLE_IN_ALL
void        hs_gtk_widget_set_registry       (GtkWidget      *widget,
                                              HsRegistry     *registry);
HS_GTK_AVAILABLE_IN_ALL
HsRegistry *hs_gtk_widget_get_registry       (GtkWidget      *widget);
HS_GTK_AVAILABLE_IN_ALL
void        hs_gtk_widget_inject_when_rooted (GtkWidget      *widget);
HS_GTK_AVAILABLE_IN_ALL
void        hs_gtk_widget_reinject           (GtkWidget      *widget);

HS_GTK_AVAILABLE_IN_ALL
void        hs_gtk_application_set_registry  (GtkApplication *application,
                                              HsRegistry     *registry);
HS_GTK_AVAILABLE_IN_ALL
HsRegistry *hs_gtk_application_get_registry  (GtkApplication *application);

G_END_DECLS
