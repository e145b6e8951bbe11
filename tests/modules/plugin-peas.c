/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A C plugin of libpeas (libplugin-peas.so, described by plugin-peas.plugin):
 * its TestPeasKey function registers a Greeting instance into the host's
 * registry and logs its unloading. It provides no libpeas extension.
 */
#include <libpeas/peas.h>
#include <hopscotch.h>

#include "test-host.h"

HS_REGISTRY_FUNCTION (TestPeasKey, Service)
{
  HsRegistry *registry = test_host_get_registry ();
  GType greeting_type = test_host_type ("TestGreeting");
  GObject *greeting = g_object_new (greeting_type, "salutation", "Hello from libpeas", NULL);

  test_host_log ("peas");
  g_assert_true (test_host_add_unload_logger ("peas-unload"));
  g_assert_cmpuint (hs_registry_register_instance (registry, greeting, greeting_type,
                                                   G_TYPE_INVALID, NULL), >, 0);
  g_object_unref (greeting);
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

void
peas_register_types (PeasObjectModule *module)
{
}
