/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Code that runs while its own module is unloaded, for the pinning tests:
 * a registry function and an injectable's type expression wait at the
 * host's gate (test_host_gate_pass()) while the test unloads the module,
 * then go on with more of this module's code; another registry function
 * unloads its own module through the manager and goes on. Each logs when it
 * starts and when it is done, and adds an unload function that logs.
 */
#include <hopscotch.h>

#include "test-host.h"

/* Called after the wait, so that the code after it is this module's. */
static void __attribute__ ((noinline))
log_done (const char *event)
{
  test_host_log (event);
}

HS_REGISTRY_FUNCTION (TestGateKey, Wait)
{
  HsRegistry *registry = test_host_get_registry ();

  test_host_log ("gate-start");
  g_assert_true (test_host_add_unload_logger ("gate-unload"));
  if (registry != NULL)
    g_assert_cmpuint (hs_registry_register_type (registry, g_type_from_name ("TestCustomer"),
                                                 G_TYPE_INVALID, G_TYPE_INVALID, NULL), >, 0);
  test_host_gate_pass ();
  log_done ("gate-done");
}

HS_REGISTRY_FUNCTION (TestGateSelfKey, UnloadSelf)
{
  GError *error = NULL;

  test_host_log ("self-start");
  g_assert_true (test_host_add_unload_logger ("self-unload"));
  g_assert_true (hs_registry_manager_unload_module (hs_registry_manager_get_default (),
                                                    test_host_get_path (), &error));
  g_assert_no_error (error);
  log_done ("self-done");
}

static GType __attribute__ ((noinline))
gated_type (const char *name)
{
  GType type;

  test_host_gate_pass ();
  type = test_host_type (name);
  log_done ("types-done");

  return type;
}

HS_INJECTABLE (GatedCustomer, gated_type ("TestCustomer"), G_TYPE_INVALID, G_TYPE_INVALID);
