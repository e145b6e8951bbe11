/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE                       /* RTLD_NOLOAD */
#include <dlfcn.h>

#include "test-host.h"

static GMutex lock;
static GString *log_text;
static GHashTable *counts;
static HsRegistry *registry;
static char *path;

/* With lock */
static GCond gate_changed;
static gboolean gate_armed, gate_reached;

void
test_host_log (const char *event)
{
  g_mutex_lock (&lock);
  if (log_text == NULL)
    log_text = g_string_new (NULL);
  if (log_text->len > 0)
    g_string_append_c (log_text, ' ');
  g_string_append (log_text, event);
  g_mutex_unlock (&lock);
}

char *
test_host_take_log (void)
{
  char *text;

  g_mutex_lock (&lock);
  text = log_text != NULL ? g_string_free (g_steal_pointer (&log_text), FALSE) : g_strdup ("");
  g_mutex_unlock (&lock);

  return text;
}

void
test_host_count (const char *name)
{
  g_mutex_lock (&lock);
  if (counts == NULL)
    counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (counts, g_strdup (name),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
  g_mutex_unlock (&lock);
}

guint
test_host_get_count (const char *name)
{
  guint count;

  g_mutex_lock (&lock);
  count = counts != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) : 0;
  g_mutex_unlock (&lock);

  return count;
}

void
test_host_reset_counts (void)
{
  g_mutex_lock (&lock);
  g_clear_pointer (&counts, g_hash_table_unref);
  g_mutex_unlock (&lock);
}

void
test_host_set_registry (HsRegistry *new_registry)
{
  g_mutex_lock (&lock);
  g_set_object (&registry, new_registry);
  g_mutex_unlock (&lock);
}

HsRegistry *
test_host_get_registry (void)
{
  HsRegistry *result;

  g_mutex_lock (&lock);
  result = registry;
  g_mutex_unlock (&lock);

  return result;
}

static void
log_event (gpointer data)
{
  test_host_log (data);
}

gboolean
test_host_add_unload_logger (const char *event)
{
  return hs_registry_manager_add_function_for_unload (hs_registry_manager_get_default (),
                                                      log_event, g_strdup (event), g_free);
}

GType
test_host_type (const char *name)
{
  char *event = g_strconcat ("eval:", name, NULL);

  test_host_log (event);
  g_free (event);

  return g_type_from_name (name);
}

GType
test_host_key (const char *name)
{
  GType type = g_type_from_name (name);

  if (type == G_TYPE_INVALID)
    type = g_type_register_static_simple (G_TYPE_OBJECT, g_intern_string (name),
                                          sizeof (GObjectClass), NULL,
                                          sizeof (GObject), NULL, 0);
  return type;
}

void
test_host_gate_arm (void)
{
  g_mutex_lock (&lock);
  gate_armed = TRUE;
  gate_reached = FALSE;
  g_mutex_unlock (&lock);
}

void
test_host_gate_pass (void)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&lock);
  gate_reached = TRUE;
  g_cond_broadcast (&gate_changed);
  while (gate_armed)
    if (!g_cond_wait_until (&gate_changed, &lock, end))
      break;
  g_mutex_unlock (&lock);
}

gboolean
test_host_gate_wait_reached (void)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  gboolean reached;

  g_mutex_lock (&lock);
  while (!gate_reached)
    if (!g_cond_wait_until (&gate_changed, &lock, end))
      break;
  reached = gate_reached;
  g_mutex_unlock (&lock);

  return reached;
}

void
test_host_gate_open (void)
{
  g_mutex_lock (&lock);
  gate_armed = FALSE;
  g_cond_broadcast (&gate_changed);
  g_mutex_unlock (&lock);
}

void
test_host_set_path (const char *new_path)
{
  g_mutex_lock (&lock);
  g_free (path);
  path = g_strdup (new_path);
  g_mutex_unlock (&lock);
}

const char *
test_host_get_path (void)
{
  const char *result;

  g_mutex_lock (&lock);
  result = path;
  g_mutex_unlock (&lock);

  return result;
}

gboolean
test_host_is_mapped (const char *file)
{
  /* A reference only if it is loaded, given back at once. */
  void *handle = dlopen (file, RTLD_LAZY | RTLD_NOLOAD);

  return handle != NULL && dlclose (handle) == 0;
}
