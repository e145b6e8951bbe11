/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-i18n-private.h"

#ifdef ENABLE_NLS
#include <locale.h>
#include <libintl.h>

static void
ensure_text_domain (void)
{
  static gsize bound = 0;

  if (g_once_init_enter (&bound))
    {
      /* HOPSCOTCH_LOCALEDIR lets the uninstalled build's tests use the
       * catalogues compiled in the build tree. */
      const char *dir = g_getenv ("HOPSCOTCH_LOCALEDIR");

      bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&bound, 1);
    }
}

const char *
_hs_gettext (const char *msgid)
{
  ensure_text_domain ();
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

#else /* !ENABLE_NLS: built with -Dnls=false */

const char *
_hs_gettext (const char *msgid)
{
  return msgid;
}

#endif
