/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE                       /* dladdr(), dl_iterate_phdr() */
#include "config.h"

#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "hs-module-private.h"

/* Modules: which shared object a record came from (found from an address
 * inside it, so this holds however it was loaded), their names, what they
 * own (registrations and unload functions), and which module's code runs on
 * each thread. */

typedef struct
{
  HsUnloadFunc   func;
  gpointer       user_data;
  GDestroyNotify destroy;
} Unloader;

/* What a module's code registered in one registry: one weak reference per
 * (module, registry) pair, not one per registration, since GLib keeps all
 * the weak references to an object in one list, which each one added or
 * cleared walks. Made by module_own_registration(), in the module's owned
 * (in the order of first registration) and owned_in (by the registry's
 * address), all of it under _hs_manager_lock; taken out whole, under the
 * lock, by _hs_module_run_unloaders(), which then has it alone. */
typedef struct
{
  GWeakRef  registry;
  GArray   *ids;                          /* guint, in registration order */
} OwnedIn;

typedef struct
{
  HsModule *module;
  gboolean  registry_function;            /* FALSE: a scan for the module */
} Frame;

GMutex _hs_manager_lock;

/* Under _hs_manager_lock: created by the first _locked call, entries added
 * by _hs_module_for_anchor_locked() and _hs_module_for_owner_locked(),
 * taken out by _hs_module_forget_locked() when a module is unloaded. */
static GHashTable *modules_by_anchor;     /* anchor → HsModule (a reference) */
static GHashTable *modules_by_owner;      /* owner → HsModule (a reference) */

/* Under _hs_manager_lock: the records of modules unloaded while still
 * mapped, by anchor: Dormant, added by _hs_module_keep_dormant_locked(),
 * taken out when the module is loaded again or unmapped. */
typedef struct
{
  char      *path;                        /* canonical */
  GPtrArray *records;                     /* const _HsStaticRecord * */
} Dormant;

static GHashTable *dormant_by_anchor;

/* Frame, innermost last: only the thread itself reads and writes its
 * frames, so they take no lock. */
static GPrivate frames_key = G_PRIVATE_INIT ((GDestroyNotify) g_array_unref);

static void
owned_in_free (OwnedIn *owned_in)
{
  g_weak_ref_clear (&owned_in->registry);
  g_array_unref (owned_in->ids);
  g_free (owned_in);
}

static void
owned_init (HsModule *module)
{
  module->owned = g_ptr_array_new_with_free_func ((GDestroyNotify) owned_in_free);
  module->owned_in = g_hash_table_new (NULL, NULL);
}

HsModule *
_hs_module_new (const void *anchor,
                const char *owner)
{
  HsModule *module = g_new0 (HsModule, 1);

  g_atomic_ref_count_init (&module->ref_count);
  module->anchor = anchor;
  module->is_owner = owner != NULL;
  module->name = g_strdup (owner);
  g_queue_init (&module->functions);
  g_queue_init (&module->injectables);
  module->unloaders = g_array_new (FALSE, FALSE, sizeof (Unloader));
  owned_init (module);

  return module;
}

HsModule *
_hs_module_ref (HsModule *module)
{
  g_atomic_ref_count_inc (&module->ref_count);
  return module;
}

void
_hs_module_unref (HsModule *module)
{
  if (module == NULL || !g_atomic_ref_count_dec (&module->ref_count))
    return;

  /* Emptied by _hs_module_unload() (or never filled) by now. */
  g_array_unref (module->unloaders);
  g_clear_pointer (&module->records, g_ptr_array_unref);
  g_ptr_array_unref (module->owned);
  g_hash_table_unref (module->owned_in);
  g_free (module->name);
  g_free (module);
}

const char *
_hs_module_display_name (HsModule *module)
{
  const char *name = g_atomic_pointer_get (&module->name);

  return name != NULL ? name : "(unknown module)";
}

/* Names */

char *
_hs_canonical_path (const char *path)
{
  char *resolved = realpath (path, NULL);
  char *canonical = g_strdup (resolved != NULL ? resolved : path);

  free (resolved);
  return canonical;
}

typedef struct
{
  const void *anchor;
  char       *name;
  gboolean    found;
} NameSearch;

static int
name_of_object (struct dl_phdr_info *info,
                size_t               size,
                void                *data)
{
  NameSearch *search = data;
  ElfW(Addr) address = (ElfW(Addr)) search->anchor;

  for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++)
    {
      const ElfW(Phdr) *phdr = &info->dlpi_phdr[i];
      ElfW(Addr) start = info->dlpi_addr + phdr->p_vaddr;

      if (phdr->p_type == PT_LOAD && address >= start && address < start + phdr->p_memsz)
        {
          search->found = TRUE;
          search->name = g_strdup (info->dlpi_name);
          return 1;
        }
    }

  return 0;
}

/* The loader's name of the object is copied inside dl_iterate_phdr(),
 * which holds the lock under which dlclose() takes objects off its list:
 * a name that dladdr() returns may be freed by another thread's dlclose()
 * before it is read. The program has no name there: dladdr() gives its
 * path, and the program is never unloaded. */
char *
_hs_module_file_name (HsModule *module)
{
  NameSearch search = { module->anchor, NULL, FALSE };
  char *canonical;

  if (module->anchor == NULL)
    return NULL;

  dl_iterate_phdr (name_of_object, &search);
  if (search.found && search.name[0] == '\0')
    {
      Dl_info info;

      g_clear_pointer (&search.name, g_free);
      if (dladdr (module->anchor, &info) != 0 && info.dli_fname != NULL)
        search.name = g_strdup (info.dli_fname);
    }

  if (search.name == NULL || search.name[0] == '\0')
    {
      g_free (search.name);
      return NULL;
    }

  canonical = _hs_canonical_path (search.name);
  g_free (search.name);
  return canonical;
}

static void
ensure_tables_locked (void)
{
  if (G_LIKELY (modules_by_anchor != NULL))
    return;

  modules_by_anchor = g_hash_table_new_full (NULL, NULL, NULL,
                                             (GDestroyNotify) _hs_module_unref);
  modules_by_owner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) _hs_module_unref);
}

/* The dynamic linker is asked with no lock held; for @only_if_loaded, a
 * module that went away meanwhile is left alone (its anchor may belong to
 * another module by now). */
void
_hs_module_learn_name (HsModule *module,
                       gboolean  only_if_loaded)
{
  char *name;

  if (g_atomic_pointer_get (&module->name) != NULL)
    return;

  name = _hs_module_file_name (module);

  g_mutex_lock (&_hs_manager_lock);
  if (!(only_if_loaded && module->gone) && module->name == NULL)
    g_atomic_pointer_set (&module->name, g_steal_pointer (&name));
  g_mutex_unlock (&_hs_manager_lock);

  g_free (name);
}

/* Gives a file name to the modules that have none yet. */
void
_hs_modules_resolve_names (void)
{
  GPtrArray *nameless = g_ptr_array_new_with_free_func ((GDestroyNotify) _hs_module_unref);
  GHashTableIter iter;
  HsModule *module;

  g_mutex_lock (&_hs_manager_lock);
  ensure_tables_locked ();
  g_hash_table_iter_init (&iter, modules_by_anchor);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &module))
    if (module->name == NULL)
      g_ptr_array_add (nameless, _hs_module_ref (module));
  g_mutex_unlock (&_hs_manager_lock);

  for (guint i = 0; i < nameless->len; i++)
    _hs_module_learn_name (g_ptr_array_index (nameless, i), TRUE);

  g_ptr_array_unref (nameless);
}

gboolean
_hs_module_has_name (HsModule   *module,
                     const char *name,
                     const char *canonical)
{
  const char *base;

  if (module->name == NULL)
    return FALSE;

  base = strrchr (module->name, G_DIR_SEPARATOR);
  base = base != NULL ? base + 1 : module->name;

  return strcmp (module->name, name) == 0 ||
         strcmp (module->name, canonical) == 0 ||
         strcmp (base, name) == 0;
}

HsModule *
_hs_module_for_name_locked (const char *name,
                            const char *canonical)
{
  GHashTableIter iter;
  HsModule *module;

  ensure_tables_locked ();

  g_hash_table_iter_init (&iter, modules_by_anchor);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &module))
    if (_hs_module_has_name (module, name, canonical))
      return module;

  return NULL;
}

gboolean
_hs_modules_have_name_locked (const char *name,
                              const char *canonical)
{
  return _hs_module_for_name_locked (name, canonical) != NULL;
}

/* Tables */

/* The module of @anchor, or of @owner when it is not %NULL, created in its
 * table when @create and missing. */
static HsModule *
module_in_table_locked (const void *anchor,
                        const char *owner,
                        gboolean    create)
{
  GHashTable *table;
  HsModule *module;

  ensure_tables_locked ();

  table = owner != NULL ? modules_by_owner : modules_by_anchor;
  module = g_hash_table_lookup (table, owner != NULL ? (gconstpointer) owner : anchor);
  if (module == NULL && create)
    {
      module = _hs_module_new (anchor, owner);
      g_hash_table_insert (table, owner != NULL ? g_strdup (owner) : (gpointer) anchor, module);
    }

  return module;
}

HsModule *
_hs_module_for_anchor_locked (const void *anchor,
                              gboolean    create)
{
  return module_in_table_locked (anchor, NULL, create);
}

HsModule *
_hs_module_for_owner_locked (const char *owner,
                             gboolean    create)
{
  return module_in_table_locked (NULL, owner, create);
}

HsModule *
_hs_module_for_path_locked (const char *path)
{
  GHashTableIter iter;
  HsModule *module;

  ensure_tables_locked ();

  g_hash_table_iter_init (&iter, modules_by_anchor);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &module))
    if (!module->gone && module->name != NULL && strcmp (module->name, path) == 0)
      return module;

  return NULL;
}

gboolean
_hs_module_has_path (const char *path)
{
  gboolean has;

  g_mutex_lock (&_hs_manager_lock);
  has = _hs_module_for_path_locked (path) != NULL;
  g_mutex_unlock (&_hs_manager_lock);

  return has;
}

void
_hs_module_forget_locked (HsModule *module)
{
  ensure_tables_locked ();

  if (module->is_owner)
    {
      gpointer owner = NULL;

      g_hash_table_steal_extended (modules_by_owner, module->name, &owner, NULL);
      g_free (owner);
    }
  else if (module->anchor != NULL)
    g_hash_table_steal (modules_by_anchor, module->anchor);
}

static void
announce_table_locked (GHashTable *table,
                       GPtrArray  *appeared)
{
  GHashTableIter iter;
  HsModule *module;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &module))
    if (!module->announced)
      {
        module->announced = TRUE;
        if (appeared != NULL)
          g_ptr_array_add (appeared, _hs_module_ref (module));
      }
}

void
_hs_modules_announce_locked (GPtrArray *appeared)
{
  ensure_tables_locked ();

  announce_table_locked (modules_by_anchor, appeared);
  if (appeared != NULL)
    announce_table_locked (modules_by_owner, appeared);
}

/* Frames */

GArray *
_hs_thread_array (GPrivate *key,
                  guint     element_size)
{
  GArray *array = g_private_get (key);

  if (array == NULL)
    {
      array = g_array_new (FALSE, FALSE, element_size);
      g_private_set (key, array);
    }

  return array;
}

static GArray *
frames_get (void)
{
  return _hs_thread_array (&frames_key, sizeof (Frame));
}

void
_hs_module_push_frame (HsModule *module,
                       gboolean  registry_function)
{
  Frame frame = { module, registry_function };

  g_array_append_val (frames_get (), frame);
}

void
_hs_module_pop_frame (void)
{
  GArray *frames = frames_get ();

  g_array_set_size (frames, frames->len - 1);
}

/* The innermost frame of a running registry function on this thread. */
static Frame *
current_function_frame (void)
{
  GArray *frames = g_private_get (&frames_key);

  for (guint i = frames != NULL ? frames->len : 0; i > 0; i--)
    {
      Frame *frame = &g_array_index (frames, Frame, i - 1);

      if (frame->registry_function)
        return frame;
    }

  return NULL;
}

/* Ownership of registrations */

/* Called while @registry registers @id, so the caller holds a reference to
 * it: the one that g_weak_ref_get() gives here is never the last. */
static void
module_own_registration (HsModule   *module,
                         HsRegistry *registry,
                         guint       id)
{
  OwnedIn *owned_in;
  gboolean gone;

  g_mutex_lock (&_hs_manager_lock);

  gone = module->gone;
  if (!gone)
    {
      owned_in = g_hash_table_lookup (module->owned_in, registry);
      if (owned_in == NULL)
        {
          owned_in = g_new0 (OwnedIn, 1);
          g_weak_ref_init (&owned_in->registry, registry);
          owned_in->ids = g_array_new (FALSE, FALSE, sizeof (guint));
          g_ptr_array_add (module->owned, owned_in);
          g_hash_table_insert (module->owned_in, registry, owned_in);
        }
      else
        {
          GObject *known = g_weak_ref_get (&owned_in->registry);

          /* A registry finalized since, whose address the new one has: what
           * the module registered there went with it. */
          if (known == NULL)
            {
              g_weak_ref_set (&owned_in->registry, registry);
              g_array_set_size (owned_in->ids, 0);
            }
          g_clear_object (&known);
        }
      g_array_append_val (owned_in->ids, id);
    }

  g_mutex_unlock (&_hs_manager_lock);

  /* Registered by a module that is already going away: it cannot outlive
   * the module. */
  if (gone)
    hs_registry_unregister (registry, id);
}

void
_hs_module_registration_hook (HsRegistry *registry,
                              guint       registration_id)
{
  GArray *frames = g_private_get (&frames_key);

  if (frames == NULL || frames->len == 0)
    return;

  module_own_registration (g_array_index (frames, Frame, frames->len - 1).module,
                           registry, registration_id);
}

/* Unload functions */

gboolean
_hs_module_add_unloader (HsUnloadFunc   func,
                         gpointer       user_data,
                         GDestroyNotify destroy)
{
  Frame *frame = current_function_frame ();
  gboolean added = FALSE;

  if (frame != NULL && func != NULL)
    {
      Unloader unloader = { func, user_data, destroy };

      g_mutex_lock (&_hs_manager_lock);
      if (!frame->module->gone)
        {
          g_array_append_val (frame->module->unloaders, unloader);
          added = TRUE;
        }
      g_mutex_unlock (&_hs_manager_lock);
    }

  return added;
}

/* Each runs once: they are taken out first. */
void
_hs_module_run_unloaders (HsModule *module)
{
  GArray *unloaders;
  GPtrArray *owned;

  g_mutex_lock (&_hs_manager_lock);
  unloaders = g_steal_pointer (&module->unloaders);
  owned = g_steal_pointer (&module->owned);
  g_hash_table_unref (module->owned_in);
  module->unloaders = g_array_new (FALSE, FALSE, sizeof (Unloader));
  owned_init (module);
  g_mutex_unlock (&_hs_manager_lock);

  for (guint i = 0; i < unloaders->len; i++)
    {
      Unloader *unloader = &g_array_index (unloaders, Unloader, i);

      unloader->func (unloader->user_data);
      if (unloader->destroy != NULL)
        unloader->destroy (unloader->user_data);
    }

  for (guint i = 0; i < owned->len; i++)
    {
      OwnedIn *owned_in = g_ptr_array_index (owned, i);
      HsRegistry *registry = g_weak_ref_get (&owned_in->registry);

      if (registry == NULL)
        continue;
      for (guint j = 0; j < owned_in->ids->len; j++)
        hs_registry_unregister (registry, g_array_index (owned_in->ids, guint, j));
      g_object_unref (registry);
    }

  g_array_unref (unloaders);
  g_ptr_array_unref (owned);
}

HsModule *
_hs_module_current_function_ref (void)
{
  Frame *frame = current_function_frame ();
  HsModule *module = NULL;

  if (frame == NULL)
    return NULL;

  g_mutex_lock (&_hs_manager_lock);
  if (!frame->module->gone)
    module = _hs_module_ref (frame->module);
  g_mutex_unlock (&_hs_manager_lock);

  return module;
}

/* Records */

void
_hs_module_add_record_locked (HsModule              *module,
                              const _HsStaticRecord *record)
{
  if (module->records == NULL)
    module->records = g_ptr_array_new ();
  g_ptr_array_add (module->records, (gpointer) record);
}

static void
dormant_free (Dormant *dormant)
{
  g_free (dormant->path);
  g_ptr_array_unref (dormant->records);
  g_free (dormant);
}

void
_hs_module_keep_dormant_locked (HsModule *module)
{
  Dormant *dormant;

  if (module->anchor == NULL || module->records == NULL || module->name == NULL)
    return;

  if (G_UNLIKELY (dormant_by_anchor == NULL))
    dormant_by_anchor = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) dormant_free);

  dormant = g_new0 (Dormant, 1);
  dormant->path = g_strdup (module->name);
  dormant->records = g_ptr_array_ref (module->records);
  g_hash_table_replace (dormant_by_anchor, (gpointer) module->anchor, dormant);
}

/* The dormant records of @path, taken out of the table when @take. */
static GPtrArray *
dormant_for_path_locked (const char *path,
                         gboolean    take)
{
  GHashTableIter iter;
  Dormant *dormant;

  if (dormant_by_anchor == NULL)
    return NULL;

  g_hash_table_iter_init (&iter, dormant_by_anchor);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &dormant))
    if (strcmp (dormant->path, path) == 0)
      {
        GPtrArray *records = dormant->records;

        if (take)
          {
            g_ptr_array_ref (records);
            g_hash_table_iter_remove (&iter);
          }
        return records;
      }

  return NULL;
}

GPtrArray *
_hs_module_take_dormant_locked (const char *path)
{
  return dormant_for_path_locked (path, TRUE);
}

gboolean
_hs_module_has_dormant_locked (const char *path)
{
  return dormant_for_path_locked (path, FALSE) != NULL;
}

void
_hs_module_drop_dormant_locked (const void *anchor)
{
  if (dormant_by_anchor != NULL)
    g_hash_table_remove (dormant_by_anchor, anchor);
}
