/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Compiled by check-version-macros.sh, not run: with
 * HS_VERSION_MAX_ALLOWED set to HS_VERSION_0_1, using API added in 0.2 must
 * warn; without it, it must not.
 */
#include <hopscotch.h>

int main (void);

int
main (void)
{
  return hs_inject_auto (G_TYPE_OBJECT, "no-such-property", NULL) ? 1 : 0;
}
