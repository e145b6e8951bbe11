/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "hs-test-types.h"
int main (int argc, char *argv[]) { g_test_init (&argc, &argv, NULL); return g_test_run (); }
