/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-subscription-private.h"
#include "hs-module-pin-private.h"
#include "hs-debug-private.h"

/* Subscriptions: the registry functions of each key, run once each, in
 * recording order, by one thread at a time while the others wait — unless
 * waiting would close a circle of threads waiting for each other. */

typedef struct _ThreadState ThreadState;

/* Under _hs_manager_lock, all of it: created by key_get_locked(),
 * never freed. */
struct _HsKey
{
  const char  *name;                      /* interned */
  GType        gtype;                     /* G_TYPE_INVALID until known */
  gboolean     subscribed;
  GQueue       pending;                   /* HsFunction, in recording order */
  ThreadState *runner;                    /* the thread running its functions */
};

/* Linked, under _hs_manager_lock, into its key's pending queue and its
 * module's functions until it runs or its module goes; then it belongs to
 * whoever unlinked it. */
typedef struct
{
  HsKey          *key;
  HsModule       *module;                 /* a reference */
  const char     *tag;                    /* C functions: in the module's memory */
  void          (*c_func) (void);
  HsRegistryFunc  func;
  gpointer        user_data;
  GDestroyNotify  destroy;
  GList           key_link;
  GList           module_link;
} HsFunction;

/* One a thread that ran or waited for a key: its address tells the thread
 * in HsKey.runner. waiting_for is written by the thread itself, and read by
 * others, under _hs_manager_lock. */
struct _ThreadState
{
  HsKey *waiting_for;
};

/* Under _hs_manager_lock: name → HsKey */
static GHashTable *keys;

/* Signalled, with _hs_manager_lock, when a key's runner finishes. */
static GCond runner_done;

static GPrivate thread_state = G_PRIVATE_INIT (g_free);

static ThreadState *
thread_state_get (void)
{
  ThreadState *ts = g_private_get (&thread_state);

  if (ts == NULL)
    {
      ts = g_new0 (ThreadState, 1);
      g_private_set (&thread_state, ts);
    }

  return ts;
}

static HsKey *
key_get_locked (const char *name)
{
  HsKey *ks;

  if (G_UNLIKELY (keys == NULL))
    keys = g_hash_table_new (g_str_hash, g_str_equal);

  ks = g_hash_table_lookup (keys, name);
  if (ks == NULL)
    {
      ks = g_new0 (HsKey, 1);
      ks->name = g_intern_string (name);
      g_queue_init (&ks->pending);
      g_hash_table_insert (keys, (gpointer) ks->name, ks);
    }

  return ks;
}

/* Functions */

static HsFunction *
function_new (HsModule   *module,
              HsKey      *key,
              const char *tag)
{
  HsFunction *fn = g_new0 (HsFunction, 1);

  fn->module = _hs_module_ref (module);
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

void
_hs_subscription_add_c_function_locked (HsModule    *module,
                                        const char  *key_name,
                                        const char  *tag,
                                        void       (*func) (void))
{
  HsFunction *fn = function_new (module, key_get_locked (key_name), tag);

  fn->c_func = func;
  function_enqueue_locked (fn);

  /* Under the lock, as the records are taken in: only when debugging. */
  if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_MANAGER)))
    g_debug ("manager: recorded registry function “%s” for key “%s” of %s%s",
             tag, key_name, _hs_module_display_name (module),
             fn->key->subscribed ? "" : " (key not subscribed yet)");
}

void
_hs_subscription_add_function_locked (HsModule       *module,
                                      GType           key,
                                      HsRegistryFunc  func,
                                      gpointer        user_data,
                                      GDestroyNotify  destroy)
{
  HsKey *ks = key_get_locked (g_type_name (key));
  HsFunction *fn;

  ks->gtype = key;

  fn = function_new (module, ks, NULL);
  fn->func = func;
  fn->user_data = user_data;
  fn->destroy = destroy;
  function_enqueue_locked (fn);
}

GPtrArray *
_hs_subscription_take_functions_locked (HsModule *module)
{
  GPtrArray *dropped = g_ptr_array_new_with_free_func ((GDestroyNotify) function_free);
  GList *link;

  while ((link = g_queue_pop_head_link (&module->functions)) != NULL)
    {
      HsFunction *fn = link->data;

      g_queue_unlink (&fn->key->pending, &fn->key_link);
      g_ptr_array_add (dropped, fn);
    }

  return dropped;
}

/* Keys */

GPtrArray *
_hs_subscription_owed_locked (void)
{
  GPtrArray *owed = g_ptr_array_new ();
  GHashTableIter iter;
  HsKey *key;

  if (keys == NULL)
    return owed;

  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &key))
    if (key->subscribed && !g_queue_is_empty (&key->pending))
      g_ptr_array_add (owed, key);

  return owed;
}

/* The "manager" debug log of a new subscription, with the keys that
 * wait for a type that does not exist: most likely a misspelt name in
 * HS_REGISTRY_FUNCTION(). */
static G_NO_INLINE void
log_subscribed_locked (HsKey *subscribed)
{
  GHashTableIter iter;
  HsKey *key;

  g_debug ("manager: subscribed “%s”: %u registry functions to run",
           subscribed->name, g_queue_get_length (&subscribed->pending));

  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &key))
    if (!key->subscribed && !g_queue_is_empty (&key->pending) &&
        g_type_from_name (key->name) == G_TYPE_INVALID)
      for (GList *l = key->pending.head; l != NULL; l = l->next)
        {
          HsFunction *fn = l->data;

          g_debug ("manager: no type is named “%s” (yet): registry function “%s” "
                   "of %s waits for a subscription to it",
                   key->name, fn->tag != NULL ? fn->tag : "(added at run time)",
                   _hs_module_display_name (fn->module));
        }
}

HsKey *
_hs_subscription_set (GType     key,
                      gboolean  subscribed,
                      gboolean *was_subscribed)
{
  HsKey *ks;

  g_mutex_lock (&_hs_manager_lock);
  ks = key_get_locked (g_type_name (key));
  ks->gtype = key;
  *was_subscribed = ks->subscribed;
  ks->subscribed = subscribed;
  if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_MANAGER)) && subscribed && !*was_subscribed)
    log_subscribed_locked (ks);
  g_mutex_unlock (&_hs_manager_lock);

  return ks;
}

gboolean
_hs_subscription_is_set (GType key)
{
  HsKey *ks;
  gboolean subscribed;

  g_mutex_lock (&_hs_manager_lock);
  ks = keys != NULL ? g_hash_table_lookup (keys, g_type_name (key)) : NULL;
  subscribed = ks != NULL && ks->subscribed;
  g_mutex_unlock (&_hs_manager_lock);

  return subscribed;
}

/* Running registry functions */

/* A function whose module went away since it was taken off the queue is
 * not called; one whose module goes away while it runs finishes first (it
 * is pinned), and the unload completes when the pin is dropped. */
static void
run_function (HsRegistryManager *manager,
              HsFunction        *fn)
{
  gpointer pin;

  if (!_hs_module_pin (fn->module, &pin))
    return;

  if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_MANAGER)))
    g_debug ("manager: running registry function “%s” for key “%s” of %s",
             fn->tag != NULL ? fn->tag : "(added at run time)", fn->key->name,
             _hs_module_display_name (fn->module));

  _hs_module_push_frame (fn->module, TRUE);

  if (fn->c_func != NULL)
    {
      fn->c_func ();
    }
  else
    {
      GError *error = NULL;

      /* PyGObject does not turn an exception raised by a callback into its
       * GError: it prints the exception and returns FALSE. */
      if (!fn->func (manager, fn->user_data, &error) || error != NULL)
        g_warning ("A registry function of “%s” for “%s” failed: %s",
                   _hs_module_display_name (fn->module), fn->key->name,
                   error != NULL ? error->message
                                 : "it returned FALSE without an error "
                                   "(a binding function must return true)");
      g_clear_error (&error);
    }

  _hs_module_pop_frame ();
  _hs_module_unpin (pin);
}

/* Whether waiting for @key, run by another thread, would wait for this
 * thread in the end. */
static gboolean
would_deadlock_locked (ThreadState *self,
                       HsKey       *key)
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

gboolean
_hs_subscription_run (HsRegistryManager *manager,
                      HsKey             *key)
{
  ThreadState *ts = thread_state_get ();
  gboolean complete = TRUE;

  g_mutex_lock (&_hs_manager_lock);

  for (;;)
    {
      if (key->runner == ts)
        {
          complete = FALSE;
          break;
        }

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
              g_mutex_unlock (&_hs_manager_lock);

              run_function (manager, fn);
              function_free (fn);

              g_mutex_lock (&_hs_manager_lock);
            }
          key->runner = NULL;
          g_cond_broadcast (&runner_done);
          break;
        }

      if (would_deadlock_locked (ts, key))
        {
          complete = FALSE;
          break;
        }

      ts->waiting_for = key;
      g_cond_wait (&runner_done, &_hs_manager_lock);
      ts->waiting_for = NULL;
    }

  g_mutex_unlock (&_hs_manager_lock);

  return complete;
}
