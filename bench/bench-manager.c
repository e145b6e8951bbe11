/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Benchmark of the registry manager (not a test): what declaring a registry
 * function costs when its module is loaded, and what subscribing costs per
 * function, over 10,000 recorded functions. Each is printed as time per
 * function, next to a baseline:
 *
 *   record (entry point)  _hs_static_record_add(), what each function's
 *                         constructor calls, in a loop; baseline: pushing
 *                         onto a GSList (one allocation)
 *   record (dlopen only)  g_module_open() of a module of 10,000 functions,
 *                         minus that of the same module without them: the
 *                         dynamic loader's relocations and the constructors
 *   record (at load)      the same through hs_registry_manager_load_module(),
 *                         which also takes the records in
 *   subscribe             subscribing to the key of the 10,000 functions,
 *                         per function; baseline: calling 10,000 function
 *                         pointers from an array
 *   unload                unloading the module after they ran, per function
 *   unload-10k            unloading a module whose registry function made
 *   unload-100k           10,000 (100,000) registrations in one registry,
 *                         per registration; baseline: unregistering the
 *                         same number of registrations from a registry
 *                         directly, in the same order (what the registry
 *                         itself costs; the rest is the manager's)
 *
 *   bench-manager [--json FILE] MODULE EMPTY-MODULE
 *
 * --json writes one JSON object per line, as bench-registry does.
 *
 * One run; the numbers are noisy on a busy machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gmodule.h>
#include <hopscotch.h>

#define N_FUNCTIONS 10000
#define N_RECORDS 200000

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static FILE *json;

/* A row, also written to the JSON file; @baseline describes the baseline,
 * @target is the most ns/op allowed (0: none). */
static void
report_row (const char *what,
            const char *unit,
            double      ns_per_op,
            const char *baseline,
            double      baseline_ns_per_op,
            double      target)
{
  double ratio = baseline_ns_per_op > 0 ? ns_per_op / baseline_ns_per_op : 0;

  if (baseline_ns_per_op > 0)
    printf ("%-24s %10.1f ns/%s   (baseline %8.1f ns, ratio %6.2f)",
            what, ns_per_op, unit, baseline_ns_per_op, ratio);
  else
    printf ("%-24s %10.1f ns/%s", what, ns_per_op, unit);
  if (target > 0)
    printf ("   target ≤ %.0f: %s", target, ns_per_op <= target ? "ok" : "MISSED");
  printf ("\n");
  fflush (stdout);

  if (json != NULL)
    {
      g_autofree char *escaped = g_strescape (baseline != NULL ? baseline : "", NULL);

      fprintf (json, "{\"name\": \"%s\", \"ns_per_op\": %.2f, \"baseline\": \"%s\", "
               "\"baseline_ns\": %.2f, \"ratio\": %.3f, \"target\": %.2f, \"met\": %s}\n",
               what, ns_per_op, escaped, baseline_ns_per_op, ratio, target,
               target <= 0 || ns_per_op <= target ? "true" : "false");
    }
}

static void
report (const char *what,
        double      ns_per_op,
        double      baseline_ns_per_op)
{
  report_row (what, "function", ns_per_op,
              baseline_ns_per_op > 0 ? "calling the functions from an array" : NULL,
              baseline_ns_per_op, 0);
}

static volatile int sink;

typedef void (*Call) (void);

static void
trivial (void)
{
  sink++;
}

static gint64
time_load (HsRegistryManager *manager,
           const char        *path)
{
  g_autoptr(GError) error = NULL;
  gint64 start = now_ns ();

  if (!hs_registry_manager_load_module (manager, path, &error))
    g_error ("%s", error->message);

  return now_ns () - start;
}

static void
unload_or_die (HsRegistryManager *manager,
               const char        *path)
{
  g_autoptr(GError) error = NULL;

  if (!hs_registry_manager_unload_module (manager, path, &error))
    g_error ("%s", error->message);
}

static gboolean
answers (HsRegistry *registry,
         GType       type)
{
  g_autoptr(HsRegistration) registration = hs_registry_lookup (registry, type, NULL);

  return registration != NULL;
}

/* Unloading a module whose registry function made @n registrations in one
 * registry, per registration, against unregistering as many from a
 * registry directly. @module is loaded and unloaded here; BenchUnloadKey is
 * subscribed. */
static void
bench_unload_registrations (HsRegistryManager *manager,
                            const char        *module,
                            const char        *name,
                            guint              n)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) direct = hs_registry_new (NULL, NULL);
  void (*set_registrations) (HsRegistry *, GType, guint);
  GType type = g_type_from_name ("BenchKey");
  guint *ids = g_new (guint, n);
  GModule *handle;
  gint64 start, t_unload, t_direct;

  /* The module's own state is set through a handle of our own, closed
   * before the timed unload; the function runs when the manager loads it. */
  handle = g_module_open (module, G_MODULE_BIND_LOCAL);
  if (handle == NULL ||
      !g_module_symbol (handle, "bench_module_set_registrations", (gpointer *) &set_registrations))
    g_error ("no bench_module_set_registrations in %s", module);
  set_registrations (registry, type, n);
  time_load (manager, module);
  set_registrations (NULL, G_TYPE_INVALID, 0);
  g_module_close (handle);
  if (!answers (registry, type))
    g_error ("the module registered nothing");

  start = now_ns ();
  unload_or_die (manager, module);
  t_unload = now_ns () - start;
  if (answers (registry, type))
    g_error ("the unload left registrations behind");

  for (guint i = 0; i < n; i++)
    ids[i] = hs_registry_register_type (direct, type, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  start = now_ns ();
  for (guint i = 0; i < n; i++)
    hs_registry_unregister (direct, ids[i]);
  t_direct = now_ns () - start;
  g_free (ids);

  report_row (name, "registration", (double) t_unload / n,
              "hs_registry_unregister() of as many, directly", (double) t_direct / n, 500);
}

int
main (int    argc,
      char **argv)
{
  HsRegistryManager *manager;
  GModule *module;
  int (*ran) (void);
  GType key;
  gint64 start, t_full, t_empty, t;
  double baseline;

  if (argc == 5 && strcmp (argv[1], "--json") == 0)
    {
      if ((json = fopen (argv[2], "w")) == NULL)
        {
          fprintf (stderr, "Cannot write %s\n", argv[2]);
          return EXIT_FAILURE;
        }
      argv += 2;
      argc -= 2;
    }
  if (argc != 3)
    {
      fprintf (stderr, "Usage: %s [--json FILE] MODULE EMPTY-MODULE\n", argv[0]);
      return EXIT_FAILURE;
    }

  manager = hs_registry_manager_get_default ();
  key = g_type_register_static_simple (G_TYPE_OBJECT, "BenchKey", sizeof (GObjectClass),
                                       NULL, sizeof (GObject), NULL, 0);

  /* Recording at load: both modules loaded once before, so that the files
   * are in the page cache, then timed. */
  time_load (manager, argv[2]);
  unload_or_die (manager, argv[2]);
  time_load (manager, argv[1]);
  unload_or_die (manager, argv[1]);

  /* The dynamic loader alone (relocations, constructors): g_module_open(),
   * which the manager does not see until its next call. */
  {
    GModule *m;

    start = now_ns ();
    m = g_module_open (argv[2], G_MODULE_BIND_LOCAL);
    t_empty = now_ns () - start;
    g_module_close (m);
    start = now_ns ();
    m = g_module_open (argv[1], G_MODULE_BIND_LOCAL);
    t_full = now_ns () - start;
    g_module_close (m);
    report ("record (dlopen only)", (double) (t_full - t_empty) / N_FUNCTIONS, 0);
  }

  t_empty = time_load (manager, argv[2]);
  t_full = time_load (manager, argv[1]);
  report ("record (at load)", (double) (t_full - t_empty) / N_FUNCTIONS, 0);

  /* Subscribing: runs the 10,000 functions. */
  module = g_module_open (argv[1], G_MODULE_BIND_LOCAL);
  if (module == NULL || !g_module_symbol (module, "bench_module_ran", (gpointer *) &ran))
    g_error ("no bench_module_ran in %s", argv[1]);

  {
    Call *calls = g_new (Call, N_FUNCTIONS);

    for (guint i = 0; i < N_FUNCTIONS; i++)
      calls[i] = trivial;
    start = now_ns ();
    for (guint i = 0; i < N_FUNCTIONS; i++)
      calls[i] ();
    baseline = (double) (now_ns () - start) / N_FUNCTIONS;
    g_free (calls);
  }

  start = now_ns ();
  hs_registry_manager_subscribe (manager, key);
  t = now_ns () - start;
  if (ran () != N_FUNCTIONS)
    g_error ("%d functions ran, not %d", ran (), N_FUNCTIONS);
  report ("subscribe", (double) t / N_FUNCTIONS, baseline);
  g_module_close (module);

  start = now_ns ();
  unload_or_die (manager, argv[1]);
  t = now_ns () - start;
  report ("unload", (double) t / N_FUNCTIONS, 0);
  unload_or_die (manager, argv[2]);

  /* Registrations owned by a module, undone by its unload. */
  hs_registry_manager_subscribe (manager,
                                 g_type_register_static_simple (G_TYPE_OBJECT, "BenchUnloadKey",
                                                                sizeof (GObjectClass), NULL,
                                                                sizeof (GObject), NULL, 0));
  bench_unload_registrations (manager, argv[2], "unload-10k", 10000);
  bench_unload_registrations (manager, argv[2], "unload-100k", 100000);

  /* The entry point alone. The records are never taken in: the process
   * ends without another call into the manager. */
  {
    _HsStaticRecord *records = g_new0 (_HsStaticRecord, N_RECORDS);
    GSList *list = NULL;

    for (guint i = 0; i < N_RECORDS; i++)
      {
        records[i].type = _HS_STATIC_RECORD_FUNCTION;
        records[i].key_name = "BenchUnusedKey";
        records[i].tag = "direct";
        records[i].func = trivial;
        records[i].module = &records[0];
      }

    start = now_ns ();
    for (guint i = 0; i < N_RECORDS; i++)
      list = g_slist_prepend (list, &records[i]);
    baseline = (double) (now_ns () - start) / N_RECORDS;
    g_slist_free (list);

    start = now_ns ();
    for (guint i = 0; i < N_RECORDS; i++)
      _hs_static_record_add (&records[i]);
    t = now_ns () - start;
    report_row ("record (entry point)", "function", (double) t / N_RECORDS,
                "pushing onto a GSList", baseline, 0);
  }

  if (json != NULL)
    fclose (json);

  return EXIT_SUCCESS;
}
