/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Runs a libFuzzer target on files, without libFuzzer: each argument is an
 * input file, or a directory whose files are inputs (the regression
 * corpus). So every build replays the corpus, with any compiler.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }

  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          if (dir == NULL)
            return 1;
          while ((name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          /* In a stable order, for reproducible runs. */
          g_ptr_array_sort (names, compare_paths);
          for (guint j = 0; j < names->len; j++)
            {
              const char *path = names->pdata[j];

              if (!run_file (path))
                return 1;
              n++;
            }
        }
      else
        {
          if (!run_file (argv[i]))
            return 1;
          n++;
        }
    }

  printf ("%u inputs replayed\n", n);
  return n > 0 ? 0 : 1;
}
