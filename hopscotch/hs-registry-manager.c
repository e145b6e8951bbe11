/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-module-private.h"
#include "hs-module-file-private.h"
#include "hs-module-owner-private.h"
#include "hs-module-resident-private.h"
#include "hs-module-unload-private.h"
#include "hs-record-private.h"
#include "hs-registry-private.h"
#include "hs-subscription-private.h"

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
 * run just after the load instead: the very next registry operation (a
 * get, hs_registry_lookup(), a registration, hs_registry_inject(),
 * hs_registry_peek()), from any thread, and every call on the manager
 * (hs_registry_manager_is_subscribed() and
 * hs_registry_manager_add_function_for_unload() included), first runs
 * them, with no lock held, so what they register is there when that
 * operation looks. (A registry operation made by a module's own
 * constructor or destructor, inside the dynamic loader, would run them
 * there: constructors should only record.)
 *
 * A registry function may subscribe to other keys: those complete before it
 * goes on. Subscribing to the key whose functions are running on this thread
 * returns at once (the outer subscription finishes the job), and so does a
 * subscription that would otherwise wait for a thread that is itself waiting
 * for this one.
 *
 * ## The singleton registry
 *
 * The usual key is a registry class with a single instance, which its
 * registry functions fill. hs_registry_manager_ensure_registry() makes that
 * instance: the first call creates it, makes it "the" instance, and only
 * then subscribes to its type, so that the functions can reach it:
 *
 * |[<!-- language="C" -->
 * struct _MyImageRegistry { HsRegistry parent_instance; };
 * G_DEFINE_FINAL_TYPE (MyImageRegistry, my_image_registry, HS_TYPE_REGISTRY)
 *
 * MyImageRegistry *
 * my_image_registry_get_default (void)
 * {
 *   // Also called by the registry functions, which get the instance at
 *   // once.
 *   return hs_registry_manager_ensure_registry (hs_registry_manager_get_default (),
 *                                               MY_TYPE_IMAGE_REGISTRY);
 * }
 * ]|
 *
 * This is free of deadlocks, also when the first creation races another
 * thread that loads a module or adds a registry function for the key: no
 * lock is held while the constructor or a registry function runs; threads
 * that ask at the same moment wait only for the constructor (which must not
 * subscribe, nor ask for its own instance); and the wait for the key's
 * functions is the manager's own, which never waits for a thread that waits
 * for it. A registry of one's own making, guarded by a lock that a registry
 * function takes too, can deadlock there: the thread that holds the lock
 * waits for the functions, and the thread that runs them waits for the
 * lock.
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
 * not wait for other threads that load libraries. A module is never
 * unmapped while its code runs: unloaded meanwhile, it goes when that code
 * returns.
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

/* Atomic: set once, by hs_registry_manager_get_default(). */
static HsRegistryManager *default_manager;

/* The registries of hs_registry_manager_ensure_registry(), one a type, kept
 * for the life of the process. */
typedef struct _Singleton Singleton;

struct _Singleton
{
  GType      type;                        /* set at creation */
  GThread   *constructor;                 /* the thread constructing it, or
                                           * NULL: under singletons_lock */
  HsRegistry *instance;                   /* NULL until constructed: under
                                           * singletons_lock */
  Singleton *next_complete;               /* set once, before it is pushed
                                           * onto complete_singletons */
};

/* Under singletons_lock, which is never held while other code runs:
 * type → Singleton, added by the first ensure_registry() of a type. */
static GMutex singletons_lock;
static GCond singleton_constructed;       /* with singletons_lock */
static GHashTable *singletons;

/* The singletons whose subscription completed, newest first: pushed with a
 * compare-and-exchange, never taken out, so a reader needs only one atomic
 * load and then reads fields that no longer change. */
static Singleton *complete_singletons;

G_DEFINE_FINAL_TYPE (HsRegistryManager, hs_registry_manager, G_TYPE_OBJECT)

/**
 * hs_registry_manager_error_quark:
 *
 * The quark of the %HS_REGISTRY_MANAGER_ERROR domain.
 *
 * Returns: the error domain's quark
 *
 * Since: 0.1
 */
G_DEFINE_QUARK (hs-registry-manager-error-quark, hs_registry_manager_error)

/* Subscribing: returns whether the functions of @key all ran (not when
 * this thread is running them further up its stack). */
static gboolean subscribe_key (HsRegistryManager *self,
                               GType              key);

/* Catching up */

/* Takes in what was recorded since the last call, runs the functions that
 * subscribed keys are owed, and emits ::module-loaded for the modules that
 * appeared meanwhile. */
static void
catch_up (HsRegistryManager *self)
{
  GPtrArray *appeared = g_ptr_array_new_with_free_func ((GDestroyNotify) _hs_module_unref);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *owed;

  g_mutex_lock (&_hs_manager_lock);
  _hs_records_take_in_locked ();
  owed = _hs_subscription_owed_locked ();
  g_mutex_unlock (&_hs_manager_lock);

  _hs_modules_resolve_names ();

  for (guint i = 0; i < owed->len; i++)
    _hs_subscription_run (self, g_ptr_array_index (owed, i));

  /* Those gone already are not announced: whether they are is read under
   * the lock, where _hs_module_unload() writes it. */
  g_mutex_lock (&_hs_manager_lock);
  _hs_modules_announce_locked (appeared);
  for (guint i = 0; i < appeared->len; i++)
    {
      HsModule *module = g_ptr_array_index (appeared, i);

      if (!module->gone)
        g_ptr_array_add (names, g_strdup (_hs_module_display_name (module)));
    }
  g_mutex_unlock (&_hs_manager_lock);

  for (guint i = 0; i < names->len; i++)
    g_signal_emit (self, signals[MODULE_LOADED], 0, g_ptr_array_index (names, i));

  g_ptr_array_unref (names);
  g_ptr_array_unref (appeared);
  g_ptr_array_unref (owed);
}

/* What a registry operation calls when modules were loaded behind the
 * manager's back (_hs_registry_observe_loads()). */
static void
catch_up_default (void)
{
  catch_up (default_manager);
}

/* Whether @key can be a key. G_TYPE_INVALID is what a failed type lookup
 * gives, taken silently as no key; G_TYPE_NONE names no type at all (it is
 * "void", Python's None), so it is refused with a warning, not a critical:
 * a binding user can pass it, and must not be able to abort the program. */
static gboolean
key_is_usable (GType       key,
               const char *function)
{
  if (key == G_TYPE_NONE)
    {
      g_warning ("%s: G_TYPE_NONE is not a key", function);
      return FALSE;
    }

  return key != G_TYPE_INVALID;
}

/* The object */

static void
hs_registry_manager_real_unloaded (HsRegistryManager *self,
                                   const char        *name)
{
  _hs_module_unload_default_handler (name);
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
 *
 * Since: 0.1
 */
HsRegistryManager *
hs_registry_manager_get_default (void)
{
  static gsize created = 0;

  if (g_once_init_enter (&created))
    {
      HsRegistryManager *manager = g_object_new (HS_TYPE_REGISTRY_MANAGER, NULL);

      _hs_module_unload_ensure_hooks ();

      g_mutex_lock (&_hs_manager_lock);
      _hs_records_take_in_locked ();
      _hs_modules_announce_locked (NULL);
      g_mutex_unlock (&_hs_manager_lock);

      _hs_module_unload_set_announcer (manager, signals[UNLOADED]);
      g_atomic_pointer_set (&default_manager, manager);
      /* From now on registries catch up too (SPEC 11). */
      __atomic_store_n (&_hs_registry_catch_up_hook, catch_up_default, __ATOMIC_RELEASE);
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
 *
 * %G_TYPE_INVALID and %G_TYPE_NONE (`None` in Python) are no keys: nothing
 * is subscribed (%G_TYPE_NONE is reported with g_warning()).
 *
 * Since: 0.1
 */
void
hs_registry_manager_subscribe (HsRegistryManager *self,
                               GType              key)
{
  g_return_if_fail (HS_IS_REGISTRY_MANAGER (self));

  if (!key_is_usable (key, G_STRFUNC))
    return;

  subscribe_key (self, key);
}

static gboolean
subscribe_key (HsRegistryManager *self,
               GType              key)
{
  HsKey *ks;
  gboolean was, complete;

  catch_up (self);

  ks = _hs_subscription_set (key, TRUE, &was);
  complete = _hs_subscription_run (self, ks);

  if (!was)
    g_signal_emit (self, signals[SUBSCRIBED], g_quark_from_string (g_type_name (key)), key);

  return complete;
}

static Singleton *
complete_singleton (GType type)
{
  for (Singleton *s = g_atomic_pointer_get (&complete_singletons); s != NULL; s = s->next_complete)
    if (s->type == type)
      return s;

  return NULL;
}

/**
 * hs_registry_manager_ensure_registry:
 * @self: the #HsRegistryManager
 * @registry_type: a subclass of #HsRegistry: the registry's type, which is
 *   also its key
 *
 * Returns the one instance of @registry_type of the process: the
 * singleton-registry pattern, done by the manager so that it cannot
 * deadlock (see the section's documentation).
 *
 * The first call creates it with g_object_new(), with no lock held, makes
 * it "the" instance, and only then subscribes to @registry_type as its key:
 * registry functions that call this function while that runs get the
 * instance at once. When this function returns, every registry function of
 * @registry_type loaded so far has run — except on a thread that is itself
 * running a function of @registry_type, which gets the instance at once
 * (as hs_registry_manager_subscribe() returns at once there). Threads that
 * call it at the same time construct one instance; they wait for the
 * construction only, never for a lock of the caller.
 *
 * Once its subscription is complete, this is one atomic load. The manager
 * keeps the instance for the life of the process. Its constructor must not
 * call this function for its own type (there is no instance yet): the
 * subscription is made here, not in the constructor.
 *
 * %G_TYPE_NONE (`None`) is refused with a g_warning(), returning %NULL.
 *
 * Returns: (transfer none) (type HsRegistry): the instance of
 *   @registry_type
 *
 * Since: 0.2
 */
gpointer
hs_registry_manager_ensure_registry (HsRegistryManager *self,
                                     GType              registry_type)
{
  Singleton *s;
  HsRegistry *instance;

  /* The fast path catches up too (one relaxed load when nothing was
   * loaded), as registry operations do. */
  _hs_registry_observe_loads ();

  s = complete_singleton (registry_type);
  if (G_LIKELY (s != NULL))
    return s->instance;

  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), NULL);
  if (!key_is_usable (registry_type, G_STRFUNC))
    return NULL;
  g_return_val_if_fail (g_type_is_a (registry_type, HS_TYPE_REGISTRY), NULL);

  g_mutex_lock (&singletons_lock);

  if (G_UNLIKELY (singletons == NULL))
    singletons = g_hash_table_new (NULL, NULL);

  s = g_hash_table_lookup (singletons, GSIZE_TO_POINTER (registry_type));
  if (s == NULL)
    {
      s = g_new0 (Singleton, 1);
      s->type = registry_type;
      g_hash_table_insert (singletons, GSIZE_TO_POINTER (registry_type), s);
    }

  if (s->constructor == g_thread_self ())
    {
      g_mutex_unlock (&singletons_lock);
      g_critical ("%s: the constructor of %s asks for its own instance",
                  G_STRFUNC, g_type_name (registry_type));
      return NULL;
    }

  /* Another thread constructs it: its constructor subscribes to nothing,
   * so this wait is short and waits for no key. */
  while (s->instance == NULL && s->constructor != NULL)
    g_cond_wait (&singleton_constructed, &singletons_lock);

  if (s->instance == NULL)
    {
      HsRegistry *constructed;

      s->constructor = g_thread_self ();
      g_mutex_unlock (&singletons_lock);

      constructed = g_object_new (registry_type, NULL);

      g_mutex_lock (&singletons_lock);
      s->instance = constructed;
      s->constructor = NULL;
      g_cond_broadcast (&singleton_constructed);
    }

  instance = s->instance;
  g_mutex_unlock (&singletons_lock);

  /* Published first, then subscribed: the functions that run now find the
   * instance above. Only a subscription that saw every function run makes
   * it complete; a caller on the runner's own thread leaves that to the
   * outer call. */
  if (subscribe_key (self, registry_type) && complete_singleton (registry_type) == NULL)
    {
      g_mutex_lock (&singletons_lock);
      if (complete_singleton (registry_type) == NULL)
        {
          s->next_complete = g_atomic_pointer_get (&complete_singletons);
          g_atomic_pointer_set (&complete_singletons, s);
        }
      g_mutex_unlock (&singletons_lock);
    }

  return instance;
}

/**
 * hs_registry_manager_unsubscribe:
 * @self: the #HsRegistryManager
 * @key: the key
 *
 * Stops running the functions of @key as modules are loaded: they wait for
 * the next hs_registry_manager_subscribe(). Undoes nothing that already ran.
 * Emits #HsRegistryManager::unsubscribed when @key was subscribed.
 * %G_TYPE_NONE is refused with a g_warning(), as by
 * hs_registry_manager_subscribe().
 *
 * Since: 0.1
 */
void
hs_registry_manager_unsubscribe (HsRegistryManager *self,
                                 GType              key)
{
  gboolean was;

  g_return_if_fail (HS_IS_REGISTRY_MANAGER (self));

  if (!key_is_usable (key, G_STRFUNC))
    return;

  catch_up (self);

  _hs_subscription_set (key, FALSE, &was);

  if (was)
    g_signal_emit (self, signals[UNSUBSCRIBED], g_quark_from_string (g_type_name (key)), key);
}

/**
 * hs_registry_manager_is_subscribed:
 * @self: the #HsRegistryManager
 * @key: the key
 *
 * Tells whether @key is subscribed: whether the functions of modules loaded
 * from now on run when the module is loaded (before
 * hs_registry_manager_load_module() returns, or, for a module loaded behind
 * the manager's back, at the next registry operation or manager call).
 * Like every manager call, it first runs the functions that subscribed keys
 * are owed by modules loaded behind the manager's back, such as one just
 * opened with g_module_open().
 *
 * Returns: %TRUE between hs_registry_manager_subscribe() and
 *   hs_registry_manager_unsubscribe(); %FALSE for %G_TYPE_INVALID and
 *   %G_TYPE_NONE, which are no keys
 *
 * Since: 0.1
 */
gboolean
hs_registry_manager_is_subscribed (HsRegistryManager *self,
                                   GType              key)
{
  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);

  /* A question: no key is never subscribed, without a warning. */
  if (key == G_TYPE_INVALID || key == G_TYPE_NONE)
    return FALSE;

  _hs_registry_observe_loads ();

  return _hs_subscription_is_set (key);
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
 *
 * Since: 0.1
 */
gboolean
hs_registry_manager_add_function_for_unload (HsRegistryManager *self,
                                             HsUnloadFunc       func,
                                             gpointer           user_data,
                                             GDestroyNotify     destroy)
{
  gboolean added;

  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);

  /* Usually called by a running registry function: only what was loaded
   * since is caught up, as by a registration there, so that the running
   * module is not announced before its functions are done. */
  _hs_registry_observe_loads ();

  added = _hs_module_add_unloader (func, user_data, destroy);

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
 * This creates nothing: not even the manager. When the manager exists, it
 * first runs what subscribed keys are owed by modules loaded behind its
 * back, as every manager call does, so that their unload functions are
 * attached.
 *
 * Since: 0.1
 */
void
hs_registry_manager_run_unloaders_at_exit (void)
{
  _hs_registry_observe_loads ();

  _hs_module_unload_at_exit ();
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
 * A module that was unloaded while its code stayed mapped (made resident by
 * #HsPluginModule, or kept by a plugin engine and unloaded with
 * hs_registry_manager_unload_owner()) is loaded again: its registry
 * functions are recorded anew and run, as for a module mapped again.
 *
 * Errors: %HS_REGISTRY_MANAGER_ERROR_NOT_FOUND when @path names no file,
 * %HS_REGISTRY_MANAGER_ERROR_LOAD_FAILED when it cannot be loaded.
 *
 * Returns: %TRUE when the module is loaded, %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
hs_registry_manager_load_module (HsRegistryManager  *self,
                                 const char         *path,
                                 GError            **error)
{
  char *canonical;
  gboolean first, has_records;

  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_hs_module_file_open (path, &canonical, &first, error))
    return FALSE;

  /* Unloaded while its code stayed mapped, it records again. */
  _hs_module_resident_revive (canonical);

  catch_up (self);

  /* A module with records was announced by catch_up(). */
  has_records = _hs_module_has_path (canonical);

  if (first && !has_records)
    g_signal_emit (self, signals[MODULE_LOADED], 0, canonical);

  g_free (canonical);

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
 * that something else holds open stays loaded.) When code of the module
 * runs at that moment (a registry function on another thread, or the
 * registry function calling this one), the module stays mapped until that
 * code returns, and the unload is completed then, on that code's thread.
 *
 * A module made resident (by #HsPluginModule, once a class of its dynamic
 * types was made) stays mapped: when this call undoes its last load, the
 * manager unloads it all the same — ::unloaded, its unload functions, its
 * registrations undone — and its code stays for the objects of its types
 * that are still alive.
 *
 * Errors: %HS_REGISTRY_MANAGER_ERROR_NOT_LOADED when the manager did not
 * load @path.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
hs_registry_manager_unload_module (HsRegistryManager  *self,
                                   const char         *path,
                                   GError            **error)
{
  char *canonical;
  gboolean unannounced;

  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  catch_up (self);

  if (!_hs_module_file_close (path, &canonical, &unannounced, error))
    return FALSE;

  if (unannounced)
    g_signal_emit (self, signals[UNLOADED], 0, canonical);

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
 *
 * A function for %G_TYPE_INVALID or %G_TYPE_NONE (`None` in Python), which
 * are no keys, or a %NULL @func, is not added: @destroy runs at once
 * (%G_TYPE_NONE is reported with g_warning()).
 *
 * Since: 0.1
 */
void
hs_registry_manager_add_registry_function (HsRegistryManager *self,
                                           GType              key,
                                           const char        *owner,
                                           HsRegistryFunc     func,
                                           gpointer           user_data,
                                           GDestroyNotify     destroy)
{
  g_return_if_fail (HS_IS_REGISTRY_MANAGER (self));

  if (!key_is_usable (key, G_STRFUNC) || func == NULL)
    {
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  _hs_module_owner_add_function (key, owner, func, user_data, destroy);

  catch_up (self);
}

/**
 * hs_registry_manager_unload_owner:
 * @self: the #HsRegistryManager
 * @owner: an owner given to hs_registry_manager_add_registry_function(),
 *   or the file of a loaded shared module (its path or its base name)
 *
 * Unloads the module named @owner, as if a shared library was unloaded:
 * emits #HsRegistryManager::unloaded, runs its unload functions, first to
 * last, unregisters what its functions registered, and forgets (and
 * destroys) its functions that have not run. Functions added for @owner
 * afterwards make a new module.
 *
 * For a shared module this is a logical unload: its code stays mapped.
 * It is for a plugin that is never unmapped, such as a C plugin of
 * libpeas, which keeps them resident: call it when the plugin engine
 * unloads the plugin. hs_registry_manager_load_module() of the file loads it
 * again (its registry functions run anew). (Since 0.2.)
 *
 * Returns: %TRUE if @owner had functions, or names a loaded shared module;
 *   %FALSE if it is unknown
 *
 * Since: 0.1
 */
gboolean
hs_registry_manager_unload_owner (HsRegistryManager *self,
                                  const char        *owner)
{
  g_return_val_if_fail (HS_IS_REGISTRY_MANAGER (self), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);

  catch_up (self);

  return _hs_module_owner_unload (owner) || _hs_module_resident_unload_named (owner);
}
