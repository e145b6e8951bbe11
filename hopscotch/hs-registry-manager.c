/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE                       /* dladdr() */
#include "config.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <gmodule.h>

#include "hs-registry-private.h"
#include "hs-registry-manager-private.h"
#include "hs-i18n-private.h"

/**
 * SECTION:hs-registry-manager
 * @title: HsRegistryManager
 * @short_description: registry functions that run on demand, and modules
 *   that take back what they registered when they are unloaded
 *
 * A library or a plugin must be able to advertise what it provides without
 * running code when it is loaded. Static constructors that do real work run
 * at unspecified times (in an order nobody chose, possibly before `main()`,
 * possibly while the dynamic loader holds its lock), they cost startup time
 * even when nobody ever asks for what they set up, and they are not
 * thread-safe. So Hopscotch splits the work in two: at load time a module
 * only *records* its registry functions, and a registry *pulls* them when it
 * is created, by subscribing to its key.
 *
 * ## Registry functions
 *
 * A registry function is declared at file scope with HS_REGISTRY_FUNCTION(),
 * for a key: the name of a #GType, usually the type of the registry that the
 * function fills.
 *
 * |[<!-- language="C" -->
 * HS_REGISTRY_FUNCTION (MyImageRegistry, XyzTransformer)
 * {
 *   hs_registry_register_type (HS_REGISTRY (my_image_registry_get_default ()),
 *                              XYZ_TYPE_TRANSFORMER, MY_TYPE_IMAGE_TRANSFORMER,
 *                              G_TYPE_INVALID, NULL);
 * }
 * ]|
 *
 * Loading the module records the function in constant time: no #GType is
 * touched, no object is created, the manager itself is not created and
 * nothing runs. hs_registry_manager_subscribe() then runs every recorded
 * function of the key, in recording order (libraries in load order), each
 * once over the life of the process, and returns when all of them have run,
 * also when another thread subscribes to the same key at the same moment.
 *
 * Functions of modules loaded after the subscription run when the module is
 * loaded: hs_registry_manager_load_module() runs them before it returns. A
 * module loaded behind the manager's back (with g_module_open(), dlopen() or
 * a plugin engine) is recorded at load just the same, but its functions are
 * not run inside the dynamic loader, where running code is unsafe (the
 * loader's lock is held, so a registry function that waits for another
 * thread that loads a library, or looks up a symbol, would deadlock). They
 * run at the next call to hs_registry_manager_subscribe(),
 * hs_registry_manager_unsubscribe(), hs_registry_manager_load_module(),
 * hs_registry_manager_unload_module(),
 * hs_registry_manager_add_registry_function() or
 * hs_registry_manager_unload_owner(); loading plugins with
 * hs_registry_manager_load_module() avoids the delay.
 *
 * A registry function may subscribe to other keys: those complete before it
 * goes on. Subscribing to the key whose functions are running on this thread
 * returns at once (the outer subscription finishes the job), and so does a
 * subscription that would otherwise wait for a thread that is itself waiting
 * for this one.
 *
 * ## The singleton registry
 *
 * The usual key is a registry class that subscribes to its own type when its
 * single instance is created. Its functions need to reach that instance, so
 * the constructor must make it "the" instance *before* it subscribes:
 *
 * |[<!-- language="C" -->
 * struct _MyImageRegistry { HsRegistry parent_instance; };
 * G_DEFINE_FINAL_TYPE (MyImageRegistry, my_image_registry, HS_TYPE_REGISTRY)
 *
 * static MyImageRegistry *the_registry;
 * static GRecMutex the_registry_lock;
 *
 * static void
 * my_image_registry_constructed (GObject *object)
 * {
 *   G_OBJECT_CLASS (my_image_registry_parent_class)->constructed (object);
 *
 *   // Reachable first, so that the registry functions can fill it...
 *   the_registry = MY_IMAGE_REGISTRY (object);
 *   // ...then pull them: this runs every MyImageRegistry function.
 *   hs_registry_manager_subscribe (hs_registry_manager_get_default (),
 *                                  MY_TYPE_IMAGE_REGISTRY);
 * }
 *
 * MyImageRegistry *
 * my_image_registry_get_default (void)
 * {
 *   MyImageRegistry *registry;
 *
 *   // A recursive lock: the registry functions call this function while
 *   // the constructor runs, on the same thread. (g_once_init_enter() would
 *   // deadlock there.)
 *   g_rec_mutex_lock (&the_registry_lock);
 *   if (the_registry == NULL)
 *     g_object_new (MY_TYPE_IMAGE_REGISTRY, NULL);
 *   registry = the_registry;
 *   g_rec_mutex_unlock (&the_registry_lock);
 *
 *   return registry;
 * }
 * ]|
 *
 * Nothing of the plugins runs until somebody asks for the registry; a plugin
 * loaded later adds its implementations when it is loaded, and takes them
 * back when it is unloaded.
 *
 * ## Modules and unloading
 *
 * A registry function belongs to the module (the program, a shared library
 * or a plugin) that holds it; the module is found from an address inside it,
 * so this holds however the module was loaded. Every hs_registry_register_*
 * call made on the thread of a running registry function, by the function
 * itself or by any code it calls, belongs to the function's module, and so
 * do the functions given to hs_registry_manager_add_function_for_unload()
 * there (also when a helper in another library makes the call on the
 * function's behalf).
 *
 * When a module is unloaded, however that happens (through the manager,
 * g_module_close(), dlclose() or a plugin engine), the manager emits
 * #HsRegistryManager::unloaded, whose default handler runs the module's
 * unload functions, once, first to last, and then unregisters everything
 * the module's registry functions registered (in registries that still
 * exist). Its registry functions that have not run are forgotten, so a
 * function of an unloaded module is never called; a module loaded again is
 * recorded anew. Unloading happens inside dlclose(): unload functions must
 * not wait for other threads that load libraries.
 *
 * At process exit modules are not unloaded: unload functions only run at
 * exit after hs_registry_manager_run_unloaders_at_exit() was called. (The
 * manager tells exit from dlclose() with an atexit() handler, installed when
 * the manager is created, which must therefore happen in main() or later,
 * not in a library constructor; unload functions then run from the modules'
 * destructors, in the order the dynamic linker finalizes the modules.
 * Binding owners are not unloaded at exit.)
 *
 * ## Bindings
 *
 * Python and JavaScript cannot declare functions at load time.
 * hs_registry_manager_add_registry_function() adds one at run time, for a
 * key and an owner: a name that plays the part of the module, unloaded with
 * hs_registry_manager_unload_owner(). A binding function that raises an
 * exception is reported with g_warning(), and the other functions still
 * run.
 *
 * ## Names
 *
 * Signals and errors name a module by the canonical path of its file (as
 * realpath() gives it), and a binding owner by the name it was given.
 */

typedef struct _KeyState    KeyState;
typedef struct _ThreadState ThreadState;

struct _HsModule
{
  gatomicrefcount  ref_count;
  const void      *anchor;                /* C modules: an address inside it */
  char            *name;                  /* file path or owner; NULL until known */
  gboolean         is_owner;              /* a binding's owner */
  gboolean         gone;
  gboolean         announced;             /* ::module-loaded emitted, or not due */
  GQueue           functions;             /* HsFunction not run yet */
  GQueue           injectables;           /* HsInjectable */
  GArray          *unloaders;             /* Unloader */
  GPtrArray       *owned;                 /* Owned */
};

typedef struct
{
  HsUnloadFunc   func;
  gpointer       user_data;
  GDestroyNotify destroy;
} Unloader;

typedef struct
{
  GWeakRef registry;
  guint    id;
} Owned;

struct _KeyState
{
  const char  *name;                      /* interned */
  GType        gtype;                     /* G_TYPE_INVALID until known */
  gboolean     subscribed;
  GQueue       pending;                   /* HsFunction, in recording order */
  ThreadState *runner;                    /* the thread running its functions */
};

typedef struct
{
  KeyState       *key;
  HsModule       *module;                 /* a reference */
  const char     *tag;                    /* C functions: in the module's memory */
  void          (*c_func) (void);
  HsRegistryFunc  func;
  gpointer        user_data;
  GDestroyNotify  destroy;
  GList           key_link;
  GList           module_link;
} HsFunction;

typedef struct
{
  /* First, so that the queue's pointer to it is a pointer to the start of
   * the block (what valgrind's leak check follows). */
  GList       link;
  guint       serial;
  HsModule   *module;                     /* unowned: the module holds it */
  const char *tag;                        /* in the module's memory */
  void      (*types) (GType *types);
  GList       module_link;
} HsInjectable;

typedef struct
{
  HsModule *module;
  KeyState *key;                          /* NULL: not a registry function */
} Frame;

typedef struct
{
  HsModule *module;
  gboolean  done;
} UnloadJob;

struct _ThreadState
{
  GArray   *frames;                       /* Frame, innermost last */
  GArray   *unloading;                    /* UnloadJob, innermost last */
  KeyState *waiting_for;
};

typedef struct
{
  GModule *gmodule;
  char    *path;
  guint    count;
} LoadedFile;

struct _HsRegistryManager
{
  GObject parent_instance;
};

enum {
  SUBSCRIBED,
  UNSUBSCRIBED,
  MODULE_LOADED,
  UNLOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Records pushed by module constructors, newest first. Lock-free, so that
 * recording takes no lock inside the dynamic loader. */
static _HsStaticRecord *pending_records;

/* Guards everything below. Never held while user code runs, nor across a
 * call into the dynamic loader (dladdr() and friends): a module destructor
 * takes it with the loader's lock held. */
static GMutex state_lock;
static GCond state_cond;
static GHashTable *keys;                  /* name → KeyState */
static GHashTable *modules_by_anchor;     /* anchor → HsModule (a reference) */
static GHashTable *modules_by_owner;      /* owner → HsModule (a reference) */
static GHashTable *loaded_files;          /* canonical path → LoadedFile */
static GQueue all_injectables;            /* HsInjectable, in recording order */
static guint next_injectable_serial = 1;
static GQuark scanned_quark;

static HsRegistryManager *default_manager; /* atomic */
static gint exiting;                      /* atomic */
static gint unloaders_at_exit;            /* atomic */

static void thread_state_free (gpointer data);
static GPrivate thread_state = G_PRIVATE_INIT (thread_state_free);

G_DEFINE_FINAL_TYPE (HsRegistryManager, hs_registry_manager, G_TYPE_OBJECT)

/**
 * hs_registry_manager_error_quark:
 *
 * The quark of the %HS_REGISTRY_MANAGER_ERROR domain.
 *
 * Returns: the error domain's quark
 */
G_DEFINE_QUARK (hs-registry-manager-error-quark, hs_registry_manager_error)

/* Threads */

static void
thread_state_free (gpointer data)
{
  ThreadState *ts = data;

  g_array_unref (ts->frames);
  g_array_unref (ts->unloading);
  g_free (ts);
}

static ThreadState *
thread_state_get (void)
{
  ThreadState *ts = g_private_get (&thread_state);

  if (ts == NULL)
    {
      ts = g_new0 (ThreadState, 1);
      ts->frames = g_array_new (FALSE, FALSE, sizeof (Frame));
      ts->unloading = g_array_new (FALSE, FALSE, sizeof (UnloadJob));
      g_private_set (&thread_state, ts);
    }

  return ts;
}

static void
push_frame (HsModule *module,
            KeyState *key)
{
  Frame frame = { module, key };

  g_array_append_val (thread_state_get ()->frames, frame);
}

static void
pop_frame (void)
{
  GArray *frames = thread_state_get ()->frames;

  g_array_set_size (frames, frames->len - 1);
}

/* The innermost frame of a running registry function on this thread. */
static Frame *
current_function_frame (void)
{
  ThreadState *ts = g_private_get (&thread_state);

  for (guint i = ts != NULL ? ts->frames->len : 0; i > 0; i--)
    {
      Frame *frame = &g_array_index (ts->frames, Frame, i - 1);

      if (frame->key != NULL)
        return frame;
    }

  return NULL;
}

/* Modules */

static HsModule *
module_new (const void *anchor,
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
  module->owned = g_ptr_array_new ();

  return module;
}

static HsModule *
module_ref (HsModule *module)
{
  g_atomic_ref_count_inc (&module->ref_count);
  return module;
}

void
_hs_module_unref (HsModule *module)
{
  if (module == NULL || !g_atomic_ref_count_dec (&module->ref_count))
    return;

  /* Emptied by module_unload() (or never filled) by now. */
  g_array_unref (module->unloaders);
  g_ptr_array_unref (module->owned);
  g_free (module->name);
  g_free (module);
}

static const char *
module_display_name (HsModule *module)
{
  return module->name != NULL ? module->name : "(unknown module)";
}

/* Learns the file of @module from the dynamic linker. Must be called with
 * no lock held. */
static char *
module_file_name (HsModule *module)
{
  Dl_info info;
  char *resolved;
  char *name;

  if (module->anchor == NULL ||
      dladdr (module->anchor, &info) == 0 ||
      info.dli_fname == NULL || info.dli_fname[0] == '\0')
    return NULL;

  resolved = realpath (info.dli_fname, NULL);
  name = g_strdup (resolved != NULL ? resolved : info.dli_fname);
  free (resolved);

  return name;
}

static void
ensure_state_locked (void)
{
  if (G_LIKELY (keys != NULL))
    return;

  keys = g_hash_table_new (g_str_hash, g_str_equal);
  modules_by_anchor = g_hash_table_new_full (NULL, NULL, NULL,
                                             (GDestroyNotify) _hs_module_unref);
  modules_by_owner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) _hs_module_unref);
  loaded_files = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&all_injectables);
  scanned_quark = g_quark_from_static_string ("hs-scanned-injectables");
}

static KeyState *
key_state_get_locked (const char *name)
{
  KeyState *ks = g_hash_table_lookup (keys, name);

  if (ks == NULL)
    {
      ks = g_new0 (KeyState, 1);
      ks->name = g_intern_string (name);
      g_queue_init (&ks->pending);
      g_hash_table_insert (keys, (gpointer) ks->name, ks);
    }

  return ks;
}

static HsModule *
module_for_anchor_locked (const void *anchor)
{
  HsModule *module = g_hash_table_lookup (modules_by_anchor, anchor);

  if (module == NULL)
    {
      module = module_new (anchor, NULL);
      g_hash_table_insert (modules_by_anchor, (gpointer) anchor, module);
    }

  return module;
}

static HsFunction *
function_new (HsModule   *module,
              KeyState   *key,
              const char *tag)
{
  HsFunction *fn = g_new0 (HsFunction, 1);

  fn->module = module_ref (module);
  fn->key = key;
  fn->tag = tag;
  fn->key_link.data = fn;
  fn->module_link.data = fn;

  return fn;
}

static void
function_free (HsFunction *fn)
{
  if (fn->destroy != NULL)
    fn->destroy (fn->user_data);
  _hs_module_unref (fn->module);
  g_free (fn);
}

static void
function_enqueue_locked (HsFunction *fn)
{
  g_queue_push_tail_link (&fn->key->pending, &fn->key_link);
  g_queue_push_tail_link (&fn->module->functions, &fn->module_link);
}

/* Takes in the records pushed by module constructors since the last call.
 * Runs nothing and calls nothing outside GLib. */
static void
take_pending_records_locked (void)
{
  _HsStaticRecord *records, *ordered = NULL, *next;

  ensure_state_locked ();

  records = g_atomic_pointer_exchange (&pending_records, NULL);

  /* The stack is newest first. */
  for (; records != NULL; records = next)
    {
      next = records->next;
      records->next = ordered;
      ordered = records;
    }

  for (; ordered != NULL; ordered = next)
    {
      HsModule *module = module_for_anchor_locked (ordered->module);

      next = ordered->next;
      ordered->next = NULL;

      if (ordered->type == _HS_STATIC_RECORD_FUNCTION)
        {
          HsFunction *fn = function_new (module, key_state_get_locked (ordered->key_name),
                                         ordered->tag);

          fn->c_func = ordered->func;
          function_enqueue_locked (fn);
        }
      else
        {
          HsInjectable *injectable = g_new0 (HsInjectable, 1);

          injectable->serial = next_injectable_serial++;
          injectable->module = module;
          injectable->tag = ordered->tag;
          injectable->types = ordered->types;
          injectable->link.data = injectable;
          injectable->module_link.data = injectable;
          g_queue_push_tail_link (&all_injectables, &injectable->link);
          g_queue_push_tail_link (&module->injectables, &injectable->module_link);
        }
    }
}

/* Gives a file name to the modules that have none yet. The dynamic linker
 * is asked with no lock held; a module that went away meanwhile is left
 * alone (its anchor may belong to another module by now). */
static void
resolve_module_names (void)
{
  GPtrArray *nameless = g_ptr_array_new_with_free_func ((GDestroyNotify) _hs_module_unref);
  GHashTableIter iter;
  HsModule *module;

  g_mutex_lock (&state_lock);
  g_hash_table_iter_init (&iter, modules_by_anchor);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &module))
    if (module->name == NULL)
      g_ptr_array_add (nameless, module_ref (module));
  g_mutex_unlock (&state_lock);

  for (guint i = 0; i < nameless->len; i++)
    {
      char *name;

      module = g_ptr_array_index (nameless, i);
      name = module_file_name (module);

      g_mutex_lock (&state_lock);
      if (!module->gone && module->name == NULL)
        module->name = g_steal_pointer (&name);
      g_mutex_unlock (&state_lock);

      g_free (name);
    }

  g_ptr_array_unref (nameless);
}

void
_hs_records_take_in (void)
{
  g_mutex_lock (&state_lock);
  take_pending_records_locked ();
  g_mutex_unlock (&state_lock);

  resolve_module_names ();
}

static HsModule *
module_for_path_locked (const char *path)
{
  GHashTableIter iter;
  HsModule *module;

  g_hash_table_iter_init (&iter, modules_by_anchor);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &module))
    if (!module->gone && module->name != NULL && strcmp (module->name, path) == 0)
      return module;

  return NULL;
}

/* Ownership of registrations */

static void
module_own_registration (HsModule   *module,
                         HsRegistry *registry,
                         guint       id)
{
  Owned *owned = g_new0 (Owned, 1);
  gboolean gone;

  g_weak_ref_init (&owned->registry, registry);
  owned->id = id;

  g_mutex_lock (&state_lock);
  gone = module->gone;
  if (!gone)
    g_ptr_array_add (module->owned, owned);
  g_mutex_unlock (&state_lock);

  /* Registered by a module that is already going away: it cannot outlive
   * the module. */
  if (gone)
    {
      hs_registry_unregister (registry, id);
      g_weak_ref_clear (&owned->registry);
      g_free (owned);
    }
}

static void
registration_hook (HsRegistry *registry,
                   guint       registration_id)
{
  ThreadState *ts = g_private_get (&thread_state);

  if (ts == NULL || ts->frames->len == 0)
    return;

  module_own_registration (g_array_index (ts->frames, Frame, ts->frames->len - 1).module,
                           registry, registration_id);
}

void
_hs_module_push_owner (HsModule *module)
{
  push_frame (module, NULL);
}

void
_hs_module_pop_owner (void)
{
  pop_frame ();
}

static void
at_exit (void)
{
  /* From now on module destructors belong to the exit, not to dlclose(). */
  if (!g_atomic_int_get (&unloaders_at_exit))
    g_atomic_int_set (&exiting, TRUE);
}

void
_hs_registry_manager_ensure_hooks (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      __atomic_store_n (&_hs_registry_registration_hook, registration_hook, __ATOMIC_RELEASE);
      atexit (at_exit);
      g_once_init_leave (&installed, 1);
    }
}

/* Unloading */

/* Runs the unload functions of @module, first to last, then unregisters
 * what it registered. Each runs once: they are taken out first. */
static void
module_run_unloaders (HsModule *module)
{
  GArray *unloaders;
  GPtrArray *owned;

  g_mutex_lock (&state_lock);
  unloaders = g_steal_pointer (&module->unloaders);
  owned = g_steal_pointer (&module->owned);
  module->unloaders = g_array_new (FALSE, FALSE, sizeof (Unloader));
  module->owned = g_ptr_array_new ();
  g_mutex_unlock (&state_lock);

  for (guint i = 0; i < unloaders->len; i++)
    {
      Unloader *unloader = &g_array_index (unloaders, Unloader, i);

      unloader->func (unloader->user_data);
      if (unloader->destroy != NULL)
        unloader->destroy (unloader->user_data);
    }

  for (guint i = 0; i < owned->len; i++)
    {
      Owned *o = g_ptr_array_index (owned, i);
      HsRegistry *registry = g_weak_ref_get (&o->registry);

      if (registry != NULL)
        {
          hs_registry_unregister (registry, o->id);
          g_object_unref (registry);
        }
      g_weak_ref_clear (&o->registry);
      g_free (o);
    }

  g_array_unref (unloaders);
  g_ptr_array_unref (owned);
}

/* Takes @module away: forgets its pending functions and injectables, emits
 * ::unloaded (whose default handler runs the unload functions) and undoes
 * its registrations. Consumes the reference of the table it was in. */
static void
module_unload (HsModule *module)
{
  HsRegistryManager *manager;
  GPtrArray *dropped;
  ThreadState *ts;
  UnloadJob job = { module, FALSE };
  GList *link;

  g_mutex_lock (&state_lock);

  if (module->gone)
    {
      g_mutex_unlock (&state_lock);
      return;
    }
  module->gone = TRUE;

  dropped = g_ptr_array_new_with_free_func ((GDestroyNotify) function_free);
  while ((link = g_queue_pop_head_link (&module->functions)) != NULL)
    {
      HsFunction *fn = link->data;

      g_queue_unlink (&fn->key->pending, &fn->key_link);
      g_ptr_array_add (dropped, fn);
    }

  while ((link = g_queue_pop_head_link (&module->injectables)) != NULL)
    {
      HsInjectable *injectable = link->data;

      g_queue_unlink (&all_injectables, &injectable->link);
      g_free (injectable);
    }

  /* The table's reference is ours now. */
  if (module->is_owner)
    {
      gpointer owner = NULL;

      g_hash_table_steal_extended (modules_by_owner, module->name, &owner, NULL);
      g_free (owner);
    }
  else if (module->anchor != NULL)
    g_hash_table_steal (modules_by_anchor, module->anchor);

  g_mutex_unlock (&state_lock);

  /* Destroy notifies of bindings' functions: user code, no lock held. */
  g_ptr_array_unref (dropped);

  /* A module destructor may run before anybody learnt the module's name.
   * The module is still mapped here, so asking is safe. */
  if (module->name == NULL)
    module->name = module_file_name (module);

  manager = g_atomic_pointer_get (&default_manager);

  ts = thread_state_get ();
  g_array_append_val (ts->unloading, job);

  if (manager != NULL)
    g_signal_emit (manager, signals[UNLOADED], 0, module_display_name (module));

  /* The default handler did it, unless a handler stopped the emission; the
   * unload functions still run then: they are obligations, such as freeing
   * what the module registered. */
  ts = thread_state_get ();
  if (!g_array_index (ts->unloading, UnloadJob, ts->unloading->len - 1).done)
    module_run_unloaders (module);
  g_array_set_size (ts->unloading, ts->unloading->len - 1);

  _hs_module_unref (module);
}

void
_hs_static_record_module_unloading (const void *anchor)
{
  HsModule *module;

  /* Process exit, not dlclose(): leave everything as it is. */
  if (g_atomic_int_get (&exiting))
    return;

  g_mutex_lock (&state_lock);
  take_pending_records_locked ();
  module = g_hash_table_lookup (modules_by_anchor, anchor);
  g_mutex_unlock (&state_lock);

  /* Other destructors of the same module find it gone. */
  if (module != NULL)
    module_unload (module);
}

void
_hs_static_record_add (_HsStaticRecord *record)
{
  _HsStaticRecord *head;

  do
    {
      head = g_atomic_pointer_get (&pending_records);
      record->next = head;
    }
  while (!g_atomic_pointer_compare_and_exchange (&pending_records, head, record));
}

/* Running registry functions */

static void
run_function (HsRegistryManager *self,
              HsFunction        *fn)
{
  push_frame (fn->module, fn->key);

  if (fn->c_func != NULL)
    {
      fn->c_func ();
    }
  else
    {
      GError *error = NULL;

      /* PyGObject does not turn an exception raised by a callback into its
       * GError: it prints the exception and returns FALSE. */
      if (!fn->func (self, fn->user_data, &error) || error != NULL)
        g_warning ("A registry function of “%s” for “%s” failed: %s",
                   module_display_name (fn->module), fn->key->name,
                   error != NULL ? error->message
                                 : "it returned FALSE without an error "
                                   "(a binding function must return true)");
      g_clear_error (&error);
    }

  pop_frame ();
}

/* Whether waiting for @key, run by another thread, would wait for this
 * thread in the end. */
static gboolean
would_deadlock_locked (ThreadState *self,
                       KeyState    *key)
{
  ThreadState *t = key->runner;

  for (guint n = 0; t != NULL && n < 10000; n++)
    {
      if (t == self)
        return TRUE;
      t = t->waiting_for != NULL ? t->waiting_for->runner : NULL;
    }

  return FALSE;
}

/* Runs the pending functions of @key, one thread at a time and in order,
 * and returns when none is pending or running — or at once when this thread
 * is already running them further up its stack, or when waiting would
 * deadlock. */
static void
run_key (HsRegistryManager *self,
         KeyState          *key)
{
  ThreadState *ts = thread_state_get ();

  g_mutex_lock (&state_lock);

  for (;;)
    {
      if (key->runner == ts)
        break;

      if (key->runner == NULL)
        {
          GList *link;

          if (g_queue_is_empty (&key->pending))
            break;

          key->runner = ts;
          while ((link = g_queue_pop_head_link (&key->pending)) != NULL)
            {
              HsFunction *fn = link->data;

              g_queue_unlink (&fn->module->functions, &fn->module_link);
              g_mutex_unlock (&state_lock);

              run_function (self, fn);
              function_free (fn);

              g_mutex_lock (&state_lock);
            }
          key->runner = NULL;
          g_cond_broadcast (&state_cond);
          break;
        }

      if (would_deadlock_locked (ts, key))
        break;

      ts->waiting_for = key;
      g_cond_wait (&state_cond, &state_lock);
      ts->waiting_for = NULL;
    }

  g_mutex_unlock (&state_lock);
}

/* Takes in what was recorded since the last call, runs the functions that
 * subscribed keys are owed, and emits ::module-loaded for the modules that
 * appeared meanwhile. */
static void
catch_up (HsRegistryManager *self)
{
  GPtrArray *owed = g_ptr_array_new ();
  GPtrArray *appeared = g_ptr_array_new_with_free_func ((GDestroyNotify) _hs_module_unref);
  GHashTableIter iter;
  HsModule *module;
  KeyState *key;

  g_mutex_lock (&state_lock);
  take_pending_records_locked ();
  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &key))
    if (key->subscribed && !g_queue_is_empty (&key->pending))
      g_ptr_array_add (owed, key);
  g_mutex_unlock (&state_lock);

  resolve_module_names ();

  for (guint i = 0; i < owed->len; i++)
    run_key (self, g_ptr_array_index (owed, i));

  g_mutex_lock (&state_lock);
  g_hash_table_iter_init (&iter, modules_by_anchor);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &module))
    if (!module->announced)
      {
        module->announced = TRUE;
        g_ptr_array_add (appeared, module_ref (module));
      }
  g_hash_table_iter_init (&iter, modules_by_owner);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &module))
    if (!module->announced)
      {
        module->announced = TRUE;
        g_ptr_array_add (appeared, module_ref (module));
      }
  g_mutex_unlock (&state_lock);

  for (guint i = 0; i < appeared->len; i++)
    {
      module = g_ptr_array_index (appeared, i);
      if (!module->gone)
        g_signal_emit (self, signals[MODULE_LOADED], 0, module_display_name (module));
    }

  g_ptr_array_unref (appeared);
  g_ptr_array_unref (owed);
}

/* The object */

static void
hs_registry_manager_real_unloaded (HsRegistryManager *self,
                                   const char        *name)
{
  ThreadState *ts = g_private_get (&thread_state);
  UnloadJob *job;

  /* Only an emission made by the manager itself has work attached. */
  if (ts == NULL || ts->unloading->len == 0)
    return;

  job = &g_array_index (ts->unloading, UnloadJob, ts->unloading->len - 1);
  if (job->done || g_strcmp0 (name, module_display_name (job->module)) != 0)
    return;

  job->done = TRUE;
  module_run_unloaders (job->module);
}

static void
hs_registry_manager_class_init (HsRegistryManagerClass *klass)
{
  /**
   * HsRegistryManager::subscribed:
   * @self: the registry manager
   * @key: the key
   *
   * Emitted when @key becomes subscribed (its first subscription, or the
   * first after hs_registry_manager_unsubscribe()), once the functions of
   * @key have run. The signal is detailed by the key's type name, so
   * `subscribed::MyImageRegistry` is emitted for that key only.
   */
  signals[SUBSCRIBED] =
    g_signal_new ("subscribed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_GTYPE);

  /**
   * HsRegistryManager::unsubscribed:
   * @self: the registry manager
   * @key: the key
   *
   * Emitted when @key stops being subscribed. Detailed by the key's type
   * name, like #HsRegistryManager::subscribed.
   */
  signals[UNSUBSCRIBED] =
    g_signal_new ("unsubscribed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_GTYPE);

  /**
   * HsRegistryManager::module-loaded:
   * @self: the registry manager
   * @name: the module's file path, or the binding's owner name
   *
   * Emitted when a module appears, after its registry functions for
   * subscribed keys have run: a module loaded with
   * hs_registry_manager_load_module(), a module with registry functions or
   * injectables loaded by other means (when the manager catches up with it),
   * or the first function of a new binding owner. Modules that were there
   * before the manager was created are not announced.
   */
  signals[MODULE_LOADED] =
    g_signal_new ("module-loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * HsRegistryManager::unloaded:
   * @self: the registry manager
   * @name: the module's file path, or the binding's owner name
   *
   * Emitted when a module goes away. The default handler runs the module's
   * unload functions, first to last, then unregisters what the module's
   * registry functions registered: handlers connected with
   * g_signal_connect() run before that, handlers connected with
   * g_signal_connect_after() after it. (When a handler stops the emission,
   * the unload functions run all the same, after the emission.)
   */
  signals[UNLOADED] =
    g_signal_new_class_handler ("unloaded",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (hs_registry_manager_real_unloaded),
                                NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hs_registry_manager_init (HsRegistryManager *self)
{
}

/**
 * hs_registry_manager_get_default:
 *
 * Returns the registry manager of the process, creating it the first time.
 * Modules loaded before that are taken in silently (no
 * #HsRegistryManager::module-loaded for them).
 *
 * Returns: (transfer none): the #HsRegistryManager
 */
HsRegistryManager *
hs_registry_manager_get_default (void)
{
  static gsize created = 0;

  if (g_once_init_enter (&created))
    {
      HsRegistryManager *manager = g_object_new (HS_TYPE_REGISTRY_MANAGER, NULL);
      GHashTableIter iter;
      HsModule *module;

      _hs_registry_manager_ensure_hooks ();

      g_mutex_lock (&state_lock);
      take_pending_records_locked ();
      g_hash_table_iter_init (&iter, modules_by_anchor);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &module))
        module->announced = TRUE;
      g_mutex_unlock (&state_lock);

      g_atomic_pointer_set (&default_manager, manager);
      g_once_init_leave (&created, 1);
    }

  return default_manager;
}

/**
 * hs_registry_manager_subscribe:
 * @self: the #HsRegistryManager
 * @key: the key: usually the type of the registry that subscribes
 *
 * Runs every recorded registry function whose key names @key's type, in
 * recording order (libraries in load order), each once over the life of
 * the process, and from now on runs the functions of modules loaded later
 * when they are loaded. Returns when all of them have run, also when another
 * thread subscribes to @key at the same moment — except when this thread is
 * already running the functions of @key (a registry function subscribing
 * to its own key), or when waiting would deadlock: then it returns at once.
 *
 * Subscribing again is a no-op. Emits #HsRegistryManager::subscribed when
 * @key becomes subscribed.
 */
void
hs_registry_manager_subscribe (HsRegistryManager *self,
                               GType              key)
{
  KeyState *ks;
  gboolean became;

  g_return_if_fail (HS_IS_REGISTRY_MANAGER (self));

  if (key == G_TYPE_INVALID)
    return;

  catch_up (self);

  g_mutex_lock (&state_lock);
  ks = key_state_get_locked (g_type_name (key));
  ks->gtype = key;
  became = !ks->subscribed;
  ks->subscribed = TRUE;
  g_mutex_unlock (&state_lock);

  run_key (self, ks);

  if (became)
    g_signal_emit (self, signals[SUBSCRIBED], g_quark_from_string (ks->name), key);
}

/**
 * hs_registry_manager_unsubscribe:
 * @self: the #HsRegistryManager
 * @key: the key
 *
 * Stops running the functions of @key as modules are loaded: they wait for
 * the next hs_registry_manager_subscribe(). Undoes nothing that already ran.
 * Emits #HsRegistryManager::unsubscribed when @key was subscribed.
 */
void
hs_registry_manager_unsubscribe (HsRegistryManager *self,
                                 GType              key)
{
  KeyState *ks;
  gboolean was;

  g_return_if_fail (HS_IS_REGISTRY_MANAGER (self));

  if (key == G_TYPE_INVALID)
    return;

  catch_up (self);

  g_mutex_lock (&state_lock);
  ks = key_state_get_locked (g_type_name (key));
  ks->gtype = key;
  was = ks->subscribed;
  ks->subscribed = FALSE;
  g_mutex_unlock (&state_lock);

  if (was)
    g_signal_emit (self, signals[UNSUBSCRIBED], g_quark_from_string (ks->name), key);
}

/**
 * hs_registry_manager_is_subscribed:
 * @self: the #HsRegistryManager
 * @key: the key
 *
 * Tells whether @key is subscribed: whether the functions of modules loaded
 * from now on run at once.
 *
 * Returns: %TRUE between hs_registry_manager_subscribe() and
 *   hs_registry_manager_unsubscribe()
 */
gboolean
hs_registry_manager_is_subscribed (HsRegistryManager *self,
                                   GType              key)
{
  KeyState *ks;
  gboolean subscribed;

  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);

  if (key == G_TYPE_INVALID)
    return FALSE;

  g_mutex_lock (&state_lock);
  ensure_state_locked ();
  ks = g_hash_table_lookup (keys, g_type_name (key));
  subscribed = ks != NULL && ks->subscribed;
  g_mutex_unlock (&state_lock);

  return subscribed;
}

/**
 * hs_registry_manager_add_function_for_unload:
 * @self: the #HsRegistryManager
 * @func: (scope notified) (closure user_data) (destroy destroy): the
 *   function to run when the module is unloaded
 * @user_data: data for @func
 * @destroy: (nullable): called with @user_data after @func ran, or at once
 *   when @func is not added
 *
 * Attaches @func to the module whose registry function is running on this
 * thread (the innermost one, also when the call is made by helper code in
 * another library on the function's behalf). When that module is unloaded,
 * @func runs, once, after the functions attached before it.
 *
 * Outside a registry function there is no module to attach to: @func is
 * dropped (@destroy runs at once) and %FALSE is returned.
 *
 * Returns: %TRUE if @func was attached to a module
 */
gboolean
hs_registry_manager_add_function_for_unload (HsRegistryManager *self,
                                             HsUnloadFunc       func,
                                             gpointer           user_data,
                                             GDestroyNotify     destroy)
{
  Frame *frame;
  gboolean added = FALSE;

  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);

  frame = current_function_frame ();
  if (frame != NULL && func != NULL)
    {
      Unloader unloader = { func, user_data, destroy };

      g_mutex_lock (&state_lock);
      if (!frame->module->gone)
        {
          g_array_append_val (frame->module->unloaders, unloader);
          added = TRUE;
        }
      g_mutex_unlock (&state_lock);
    }

  if (!added && destroy != NULL)
    destroy (user_data);

  return added;
}

/**
 * hs_registry_manager_run_unloaders_at_exit:
 *
 * Makes the process exit run the unload functions of the modules that are
 * still loaded, as if each was unloaded (in the order the dynamic linker
 * finalizes them). Without this call, exiting runs none.
 *
 * This creates nothing: not even the manager.
 */
void
hs_registry_manager_run_unloaders_at_exit (void)
{
  g_atomic_int_set (&unloaders_at_exit, TRUE);
}

static char *
canonical_path (const char *path)
{
  char *resolved = realpath (path, NULL);
  char *canonical = g_strdup (resolved != NULL ? resolved : path);

  free (resolved);
  return canonical;
}

/**
 * hs_registry_manager_load_module:
 * @self: the #HsRegistryManager
 * @path: (type filename): the module's file: a path, or a name searched as
 *   g_module_open() does
 * @error: return location for a #GError
 *
 * Loads a module (a plugin) with g_module_open() and, before returning, runs
 * its registry functions for subscribed keys, then emits
 * #HsRegistryManager::module-loaded when the module was not loaded before.
 * Loading a module that is already loaded takes one more reference to it:
 * each load is undone by one hs_registry_manager_unload_module().
 *
 * Errors: %HS_REGISTRY_MANAGER_ERROR_NOT_FOUND when @path names no file,
 * %HS_REGISTRY_MANAGER_ERROR_LOAD_FAILED when it cannot be loaded.
 *
 * Returns: %TRUE when the module is loaded, %FALSE with @error set
 */
gboolean
hs_registry_manager_load_module (HsRegistryManager  *self,
                                 const char         *path,
                                 GError            **error)
{
  GModule *gmodule;
  LoadedFile *file;
  char *canonical;
  gboolean first, has_records;

  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

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

  canonical = canonical_path (g_module_name (gmodule));

  g_mutex_lock (&state_lock);
  ensure_state_locked ();
  file = g_hash_table_lookup (loaded_files, canonical);
  if (file == NULL)
    {
      file = g_new0 (LoadedFile, 1);
      file->gmodule = gmodule;
      file->path = g_strdup (canonical);
      g_hash_table_insert (loaded_files, file->path, file);
    }
  first = ++file->count == 1;
  g_mutex_unlock (&state_lock);

  catch_up (self);

  /* A module with records was announced by catch_up(). */
  g_mutex_lock (&state_lock);
  has_records = module_for_path_locked (canonical) != NULL;
  g_mutex_unlock (&state_lock);

  if (first && !has_records)
    g_signal_emit (self, signals[MODULE_LOADED], 0, canonical);

  g_free (canonical);

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

/**
 * hs_registry_manager_unload_module:
 * @self: the #HsRegistryManager
 * @path: (type filename): the module's file, as given to
 *   hs_registry_manager_load_module() (or any path to the same file)
 * @error: return location for a #GError
 *
 * Undoes one hs_registry_manager_load_module(). When that was the last one,
 * the module is closed with g_module_close(); when that unloads it, the
 * manager emits #HsRegistryManager::unloaded, runs its unload functions and
 * unregisters what it registered, before this function returns. (A module
 * that something else holds open stays loaded.)
 *
 * Errors: %HS_REGISTRY_MANAGER_ERROR_NOT_LOADED when the manager did not
 * load @path.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
hs_registry_manager_unload_module (HsRegistryManager  *self,
                                   const char         *path,
                                   GError            **error)
{
  LoadedFile *file = NULL;
  GModule *gmodule;
  char *canonical, *with_suffix;
  gboolean last, has_records;

  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  canonical = canonical_path (path);
  with_suffix = g_strconcat (path, "." G_MODULE_SUFFIX, NULL);

  g_mutex_lock (&state_lock);
  ensure_state_locked ();
  file = g_hash_table_lookup (loaded_files, canonical);
  if (file == NULL)
    {
      g_free (canonical);
      canonical = canonical_path (with_suffix);
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
      g_mutex_unlock (&state_lock);
      g_set_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_LOADED,
                   _("Module “%s” was not loaded by the registry manager"), path);
      g_free (canonical);
      return FALSE;
    }

  gmodule = file->gmodule;
  last = --file->count == 0;
  if (last)
    g_hash_table_remove (loaded_files, file->path);
  has_records = module_for_path_locked (file->path) != NULL;
  g_mutex_unlock (&state_lock);

  /* A module with records is taken away by its destructor, inside. */
  if (!g_module_close (gmodule))
    g_warning ("Closing module “%s” failed: %s", canonical, g_module_error ());

  if (last && !has_records && !still_mapped (canonical))
    g_signal_emit (self, signals[UNLOADED], 0, canonical);

  if (last)
    {
      g_free (file->path);
      g_free (file);
    }
  g_free (canonical);

  return TRUE;
}

/**
 * hs_registry_manager_add_registry_function:
 * @self: the #HsRegistryManager
 * @key: the key the function is for
 * @owner: (nullable): the name of the module the function belongs to, as
 *   given later to hs_registry_manager_unload_owner(); %NULL for the
 *   program, which is never unloaded
 * @func: (scope notified) (closure user_data) (destroy destroy): the
 *   registry function
 * @user_data: data for @func
 * @destroy: (nullable): called with @user_data once @func ran, or when its
 *   owner is unloaded before it ran
 *
 * Adds a registry function at run time, as HS_REGISTRY_FUNCTION() does at
 * load time: for language bindings, which have no load time. When @key is
 * subscribed, @func runs before this function returns; otherwise it runs
 * at the next subscription of @key. Whatever it registers, and the unload
 * functions it adds, belong to @owner.
 *
 * A function that fails (sets its error; in Python and JavaScript, raises)
 * is reported with g_warning(): the other functions still run.
 */
void
hs_registry_manager_add_registry_function (HsRegistryManager *self,
                                           GType              key,
                                           const char        *owner,
                                           HsRegistryFunc     func,
                                           gpointer           user_data,
                                           GDestroyNotify     destroy)
{
  static HsModule *program;
  HsModule *module;
  HsFunction *fn;
  KeyState *ks;

  g_return_if_fail (HS_IS_REGISTRY_MANAGER (self));

  if (key == G_TYPE_INVALID || func == NULL)
    {
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  g_mutex_lock (&state_lock);
  ensure_state_locked ();

  if (owner == NULL)
    {
      if (program == NULL)
        {
          program = module_new (NULL, NULL);
          program->name = g_strdup ("(program)");
          program->announced = TRUE;
        }
      module = program;
    }
  else
    {
      module = g_hash_table_lookup (modules_by_owner, owner);
      if (module == NULL)
        {
          module = module_new (NULL, owner);
          g_hash_table_insert (modules_by_owner, g_strdup (owner), module);
        }
    }

  ks = key_state_get_locked (g_type_name (key));
  ks->gtype = key;

  fn = function_new (module, ks, NULL);
  fn->func = func;
  fn->user_data = user_data;
  fn->destroy = destroy;
  function_enqueue_locked (fn);

  g_mutex_unlock (&state_lock);

  catch_up (self);
}

/**
 * hs_registry_manager_unload_owner:
 * @self: the #HsRegistryManager
 * @owner: an owner given to hs_registry_manager_add_registry_function()
 *
 * Unloads the module named @owner, as if a shared library was unloaded:
 * emits #HsRegistryManager::unloaded, runs its unload functions, first to
 * last, unregisters what its functions registered, and forgets (and
 * destroys) its functions that have not run. Functions added for @owner
 * afterwards make a new module.
 *
 * Returns: %TRUE if @owner had functions, %FALSE if it is unknown
 */
gboolean
hs_registry_manager_unload_owner (HsRegistryManager *self,
                                  const char        *owner)
{
  HsModule *module;

  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);

  catch_up (self);

  g_mutex_lock (&state_lock);
  module = g_hash_table_lookup (modules_by_owner, owner);
  g_mutex_unlock (&state_lock);

  if (module == NULL)
    return FALSE;

  module_unload (module);

  return TRUE;
}

/* Injectables (the scanning itself is in hs-injectable.c) */

void
_hs_injectable_claim_free (HsInjectableClaim *claim)
{
  _hs_module_unref (claim->module);
  g_free (claim->tag);
  g_free (claim);
}

static gboolean
module_has_name (HsModule   *module,
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

GPtrArray *
_hs_injectables_claim (HsRegistry *registry,
                       const char *module,
                       gboolean   *module_found)
{
  GPtrArray *claims = g_ptr_array_new_with_free_func ((GDestroyNotify) _hs_injectable_claim_free);
  char *canonical = module != NULL ? canonical_path (module) : NULL;
  GHashTable *scanned;

  *module_found = module == NULL;

  g_mutex_lock (&state_lock);
  ensure_state_locked ();

  scanned = g_object_get_qdata (G_OBJECT (registry), scanned_quark);
  if (scanned == NULL)
    {
      scanned = g_hash_table_new (NULL, NULL);
      g_object_set_qdata_full (G_OBJECT (registry), scanned_quark, scanned,
                               (GDestroyNotify) g_hash_table_unref);
    }

  if (module != NULL)
    {
      GHashTableIter iter;
      HsModule *m;

      g_hash_table_iter_init (&iter, modules_by_anchor);
      while (!*module_found && g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
        *module_found = module_has_name (m, module, canonical);
    }

  for (GList *l = all_injectables.head; l != NULL; l = l->next)
    {
      HsInjectable *injectable = l->data;
      HsInjectableClaim *claim;

      if (module != NULL && !module_has_name (injectable->module, module, canonical))
        continue;
      if (!g_hash_table_add (scanned, GUINT_TO_POINTER (injectable->serial)))
        continue;

      claim = g_new0 (HsInjectableClaim, 1);
      claim->serial = injectable->serial;
      claim->module = module_ref (injectable->module);
      claim->tag = g_strdup (injectable->tag);
      claim->types = injectable->types;
      g_ptr_array_add (claims, claim);
    }

  g_mutex_unlock (&state_lock);
  g_free (canonical);

  return claims;
}

void
_hs_injectables_unclaim (HsRegistry *registry,
                         GPtrArray  *claims)
{
  GHashTable *scanned;

  g_mutex_lock (&state_lock);
  scanned = g_object_get_qdata (G_OBJECT (registry), scanned_quark);
  for (guint i = 0; scanned != NULL && i < claims->len; i++)
    {
      HsInjectableClaim *claim = g_ptr_array_index (claims, i);

      g_hash_table_remove (scanned, GUINT_TO_POINTER (claim->serial));
    }
  g_mutex_unlock (&state_lock);
}
