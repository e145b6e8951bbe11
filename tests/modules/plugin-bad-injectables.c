/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A good declaration, then one that cannot be registered (an abstract
 * type): scanning this module must register nothing.
 */
#include <hopscotch.h>

HS_INJECTABLE (Good, g_type_from_name ("TestCustomer"), G_TYPE_INVALID, G_TYPE_INVALID);
HS_INJECTABLE (Bad, g_type_from_name ("TestAbstract"), G_TYPE_INVALID, G_TYPE_INVALID);
