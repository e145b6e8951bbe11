/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Declarations for hs_registry_scan(). The type expressions log when they
 * are evaluated (see test_host_type()), which must be at scan time only.
 */
#include <hopscotch.h>

#include "test-host.h"

HS_INJECTABLE (AnotherGreeting,
               test_host_type ("TestAnotherGreeting"),
               test_host_type ("TestGreeting"),
               test_host_type ("TestFrenchCustomer"));

HS_INJECTABLE (Customer, test_host_type ("TestCustomer"), G_TYPE_INVALID, G_TYPE_INVALID);
