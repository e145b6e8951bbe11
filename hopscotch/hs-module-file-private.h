/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* Opens the module file @path with g_module_open() and counts the load.
 * Sets *@canonical to the file's canonical path and *@first to whether the
 * manager did not hold it loaded before. Runs nothing of the module's
 * registry functions. */
gboolean  _hs_module_file_open           (const char  *path,
                                          char       **canonical,
                                          gboolean    *first,
                                          GError     **error);

/* Undoes one _hs_module_file_open() of @path, closing the file after the
 * last one (a module with records is taken away by its destructor,
 * inside). Sets *@canonical to the file's canonical path and *@unannounced
 * to whether the file went away with no module of records to announce it:
 * the caller then emits ::unloaded for it. */
gboolean  _hs_module_file_close          (const char  *path,
                                          char       **canonical,
                                          gboolean    *unannounced,
                                          GError     **error);

G_END_DECLS
