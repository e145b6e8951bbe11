/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A function for TestKeyA (recorded after plugin A's when loaded after it),
 * and a TestKeyNested function that subscribes to TestKeyInner (which must
 * complete before it goes on) and to its own key (which returns at once).
 */
#include <hopscotch.h>

#include "test-host.h"

HS_REGISTRY_FUNCTION (TestKeyA, B)
{
  test_host_log ("b1");
}

HS_REGISTRY_FUNCTION (TestKeyNested, Outer)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();

  test_host_log ("nested-start");
  hs_registry_manager_subscribe (manager, g_type_from_name ("TestKeyInner"));
  test_host_log ("inner-done");
  hs_registry_manager_subscribe (manager, g_type_from_name ("TestKeyNested"));
  test_host_log ("nested-end");
}

HS_REGISTRY_FUNCTION (TestKeyInner, One)
{
  test_host_log ("inner1");
}

HS_REGISTRY_FUNCTION (TestKeyInner, Two)
{
  test_host_log ("inner2");
}

HS_REGISTRY_FUNCTION (TestKeyNested, After)
{
  test_host_log ("nested-after");
}
