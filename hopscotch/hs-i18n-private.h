/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Translations of the hopscotch-1 domain. The text domain is bound on the
 * first translation, not at load time (as GLib's ggettext.c does), so that
 * loading the library runs no code. */
const char *_hs_gettext (const char *msgid) G_GNUC_FORMAT (1);

#define _(String) _hs_gettext (String)
#define N_(String) (String)

G_END_DECLS
