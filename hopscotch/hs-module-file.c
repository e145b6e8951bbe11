/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE                       /* RTLD_NOLOAD */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include <gmodule.h>

#include "hs-module-file-private.h"
#include "hs-module-private.h"
#include "hs-module-resident-private.h"
#include "hs-i18n-private.h"

/* The files that hs_registry_manager_load_module() opened, each with its
 * count of loads, so that each load is undone by one unload. */

typedef struct
{
  GModule *gmodule;
  char    *path;
  guint    count;
} LoadedFile;

/* Under _hs_manager_lock: canonical path → LoadedFile. An entry is added by
 * the first load of its file and removed by the last unload. */
static GHashTable *loaded_files;

static void
ensure_loaded_files_locked (void)
{
  if (G_UNLIKELY (loaded_files == NULL))
    loaded_files = g_hash_table_new (g_str_hash, g_str_equal);
}

/* GModule names a module as it was first opened in the process, perhaps
 * without its suffix (libpeas opens plugins that way). */
static char *
gmodule_canonical_path (GModule *gmodule)
{
  const char *name = g_module_name (gmodule);
  char *with_suffix;

  if (g_file_test (name, G_FILE_TEST_EXISTS) || g_str_has_suffix (name, "." G_MODULE_SUFFIX))
    return _hs_canonical_path (name);

  with_suffix = g_strconcat (name, "." G_MODULE_SUFFIX, NULL);
  if (g_file_test (with_suffix, G_FILE_TEST_EXISTS))
    {
      char *canonical = _hs_canonical_path (with_suffix);

      g_free (with_suffix);
      return canonical;
    }
  g_free (with_suffix);

  return _hs_canonical_path (name);
}

gboolean
_hs_module_file_open (const char  *path,
                      char       **canonical,
                      gboolean    *first,
                      GError     **error)
{
  GModule *gmodule;
  LoadedFile *file;

  /* A bare name is searched by the loader; a path must exist (as is, or
   * with the platform's suffix, which g_module_open() adds). */
  if (strchr (path, G_DIR_SEPARATOR) != NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      char *with_suffix = g_strconcat (path, "." G_MODULE_SUFFIX, NULL);
      gboolean exists = g_file_test (with_suffix, G_FILE_TEST_EXISTS);

      g_free (with_suffix);
      if (!exists)
        {
          g_set_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_FOUND,
                       _("No module file “%s”"), path);
          return FALSE;
        }
    }

  gmodule = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (gmodule == NULL)
    {
      g_set_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_LOAD_FAILED,
                   _("Cannot load module “%s”: %s"), path, g_module_error ());
      return FALSE;
    }

  *canonical = gmodule_canonical_path (gmodule);

  g_mutex_lock (&_hs_manager_lock);
  ensure_loaded_files_locked ();
  file = g_hash_table_lookup (loaded_files, *canonical);
  if (file == NULL)
    {
      file = g_new0 (LoadedFile, 1);
      file->gmodule = gmodule;
      file->path = g_strdup (*canonical);
      g_hash_table_insert (loaded_files, file->path, file);
    }
  *first = ++file->count == 1;
  g_mutex_unlock (&_hs_manager_lock);

  return TRUE;
}

/* Whether the file is still loaded, held open by somebody else. */
static gboolean
still_mapped (const char *path)
{
  void *handle = dlopen (path, RTLD_LAZY | RTLD_NOLOAD);

  if (handle == NULL)
    return FALSE;

  dlclose (handle);
  return TRUE;
}

gboolean
_hs_module_file_close (const char  *path,
                       char       **canonical_out,
                       gboolean    *unannounced,
                       GError     **error)
{
  LoadedFile *file = NULL;
  GModule *gmodule;
  char *canonical, *with_suffix;
  gboolean last, has_records;

  canonical = _hs_canonical_path (path);
  with_suffix = g_strconcat (path, "." G_MODULE_SUFFIX, NULL);

  g_mutex_lock (&_hs_manager_lock);
  ensure_loaded_files_locked ();
  file = g_hash_table_lookup (loaded_files, canonical);
  if (file == NULL)
    {
      g_free (canonical);
      canonical = _hs_canonical_path (with_suffix);
      file = g_hash_table_lookup (loaded_files, canonical);
    }
  g_free (with_suffix);

  /* A bare name, searched by the loader: as GModule remembers it. */
  if (file == NULL)
    {
      GHashTableIter iter;
      LoadedFile *candidate;

      g_hash_table_iter_init (&iter, loaded_files);
      while (file == NULL && g_hash_table_iter_next (&iter, NULL, (gpointer *) &candidate))
        if (strcmp (g_module_name (candidate->gmodule), path) == 0)
          file = candidate;
      if (file != NULL)
        {
          g_free (canonical);
          canonical = g_strdup (file->path);
        }
    }

  if (file == NULL)
    {
      g_mutex_unlock (&_hs_manager_lock);
      g_set_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_LOADED,
                   _("Module “%s” was not loaded by the registry manager"), path);
      g_free (canonical);
      return FALSE;
    }

  gmodule = file->gmodule;
  last = --file->count == 0;
  if (last)
    g_hash_table_remove (loaded_files, file->path);
  /* Unloaded logically already: it was announced then. */
  has_records = _hs_module_for_path_locked (file->path) != NULL ||
                _hs_module_has_dormant_locked (file->path);
  g_mutex_unlock (&_hs_manager_lock);

  /* A module with records is taken away by its destructor, inside. */
  if (!g_module_close (gmodule))
    g_warning ("Closing module “%s” failed: %s", canonical, g_module_error ());

  /* A resident module is still mapped: the manager takes it away. */
  if (last && has_records)
    _hs_module_resident_closed (canonical);

  *unannounced = last && !has_records && !still_mapped (canonical);

  if (last)
    {
      g_free (file->path);
      g_free (file);
    }
  *canonical_out = canonical;

  return TRUE;
}
