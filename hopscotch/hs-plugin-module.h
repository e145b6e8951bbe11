/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_INSIDE) && !defined(HOPSCOTCH_COMPILATION)
# error "Only <hopscotch.h> can be included directly."
#endif

#include <glib-object.h>

#include "hs-version-macros.h"

G_BEGIN_DECLS

#define HS_TYPE_PLUGIN_MODULE (hs_plugin_module_get_type ())

/**
 * HsPluginModule:
 *
 * The #GTypeModule that holds a plugin's dynamic types, so that they
 * survive the plugin's unloading and reloading. There is one per name, for
 * the life of the process, returned by hs_plugin_module_get(). All its
 * fields are private.
 *
 * Since: 0.2
 */

HS_AVAILABLE_IN_0_2
G_DECLARE_FINAL_TYPE (HsPluginModule, hs_plugin_module, HS, PLUGIN_MODULE, GTypeModule)

HS_AVAILABLE_IN_0_2
HsPluginModule *hs_plugin_module_get    (const char     *name);

HS_AVAILABLE_IN_0_2
gboolean        hs_plugin_module_attach (HsPluginModule *self);

G_END_DECLS
