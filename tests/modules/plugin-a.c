/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Two functions for TestKeyA, one for TestKeyB. The second TestKeyA function
 * registers into the host's registry (when there is one): a singleton
 * Greeting, and AnotherGreeting for French customers.
 */
#include <hopscotch.h>

#include "test-host.h"

static void
log_unload (gpointer event)
{
  test_host_log (event);
}

HS_REGISTRY_FUNCTION (TestKeyA, First)
{
  test_host_log ("a1");
  g_assert_true (hs_registry_manager_add_function_for_unload (hs_registry_manager_get_default (),
                                                              log_unload, (gpointer) "a1-unload",
                                                              NULL));
}

HS_REGISTRY_FUNCTION (TestKeyA, Second)
{
  HsRegistry *registry = test_host_get_registry ();

  test_host_log ("a2");

  /* Helper code of another library attaches on this module's behalf. */
  g_assert_true (test_host_add_unload_logger ("a2-unload"));

  if (registry != NULL)
    {
      GType greeting_type = g_type_from_name ("TestGreeting");
      GObject *greeting = g_object_new (greeting_type, "salutation", "Plugin A", NULL);

      g_assert_cmpuint (hs_registry_register_instance (registry, greeting, greeting_type,
                                                       G_TYPE_INVALID, NULL), >, 0);
      g_assert_cmpuint (hs_registry_register_type (registry,
                                                   g_type_from_name ("TestAnotherGreeting"),
                                                   greeting_type,
                                                   g_type_from_name ("TestFrenchCustomer"),
                                                   NULL), >, 0);
      g_object_unref (greeting);
    }
}

HS_REGISTRY_FUNCTION (TestKeyB, A)
{
  test_host_log ("a-b");
}
