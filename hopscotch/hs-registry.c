/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gobject/gvaluecollector.h>

#ifdef G_OS_UNIX
# include <pthread.h>
#endif
#ifdef __linux__
# include <errno.h>
# include <linux/membarrier.h>
# include <sys/syscall.h>
# include <unistd.h>
#endif

#include "hs-registry-private.h"
#include "hs-i18n-private.h"

/**
 * SECTION:hs-registry
 * @title: HsRegistry
 * @short_description: implementations of kinds of things, keyed on GType
 *
 * An #HsRegistry holds implementations of "kinds of things". A kind is a
 * #GType; "is a kind of" is g_type_is_a(), classes and interfaces alike.
 * Register a type (constructed on each get), an instance (a singleton) or a
 * factory, then ask the registry with hs_registry_get() for the best
 * implementation of a kind for the situation.
 *
 * Registries form a tree: a child created with a parent answers what it holds
 * itself and asks its parent for the rest. A registry may have a context, any
 * #GObject; registrations made for a context type answer only when the lookup
 * context is an instance of that type. The usual arrangement is a root
 * registry set up at startup and a child per request, with the request's
 * subject (a customer, a document, a window) as its context. Creating a child
 * copies nothing from its parent.
 *
 * ## Which registration wins
 *
 * The lookup context is the context given to hs_registry_get(), or else the
 * registry's own. Starting at the registry asked, the candidates are the
 * registrations that answer for the kind and whose context type is "any" or a
 * type the lookup context is an instance of (a registration with a context
 * type never answers a lookup without a context; singletons are not candidates
 * when props are given). The first registry, walking up to the root, that has
 * a candidate decides. Among its candidates the best is chosen by, in order:
 *
 * 1. context specificity: the context's own type beats an ancestor class, a
 *    nearer ancestor beats a farther one, any class beats an interface, and
 *    any context type beats "any context";
 * 2. singletons before factories and types;
 * 3. the most recent registration.
 *
 * The winner is built by the registry hs_registry_get() was called on, so a
 * child's context and registrations drive injection also when the
 * registration was found in an ancestor.
 *
 * ## Threads
 *
 * Every function here may be called from any thread at the same time. A get
 * sees a registration completely or not at all, and no lock of a registry is
 * held while user code (constructors, factories, `GInitable.init()`, destroy
 * notifies) runs, so that code may call back into any registry.
 *
 * ## Speed
 *
 * A get does not scan registrations: each registry keeps its registrations
 * indexed by the kinds they answer for, and each thread keeps a small cache
 * of winners keyed by (registry, kind, context type), so that a repeated
 * get takes no lock and writes no shared memory besides the reference it
 * returns. The cache stays correct when the registry or any of its
 * ancestors changes: a change in a registry that never had children
 * invalidates that registry's answers only; a change in one that has
 * children invalidates all cached answers at once, which is cheap and rare
 * (such registries are usually set up once, at startup). A child registry
 * allocates its tables only when something is registered in it.
 *
 * ## Floating references
 *
 * Objects built by a registry are never floating: a #GInitiallyUnowned
 * built from a type registration or returned floating by a factory is sunk,
 * so every get returns a plain full reference.
 */

#define HS_MAX_BUILD_DEPTH 256

typedef struct _HsEntry HsEntry;

/* A registration. Immutable once added, shared by reference between the
 * registry's index and the threads' caches of answers.
 *
 * Two counts: ref_count keeps the struct's memory, and is what caches hold;
 * live keeps what the registration holds (the instance, the factory's
 * data), and is held by the registry while it is registered and by each get
 * that calls its factory (a get of a singleton takes a reference to the
 * instance instead, inside a reader section; see "Gets without locks").
 * Unregistering therefore releases the instance at once, even while stale
 * caches still point at the struct: their stamps tell them it is gone. */
struct _HsEntry
{
  gatomicrefcount     ref_count;
  gint                live;
  guint               id;
  guint64             serial;         /* orders registrations: larger is more recent */
  HsRegistrationType  type;
  GType               kind;           /* as given; G_TYPE_INVALID when omitted */
  GType               context_type;   /* G_TYPE_INVALID: any context */
  GType               implementation; /* the type, or the instance's type */
  GObject            *instance;
  HsFactory           factory;
  gpointer            user_data;
  GDestroyNotify      destroy;
  HsRegistry         *registry;       /* unowned: the holder outlives every use */
  guint               n_answers;
  GType              *answers;        /* the kinds this registration answers for */
};

typedef struct
{
  HsRegistry *parent;
  GObject    *context;

  GMutex      lock;                   /* guards by_kind and by_id */
  GHashTable *by_kind;                /* GType → GPtrArray of HsEntry (unowned); lazy */
  GHashTable *by_id;                  /* id → HsEntry (owned); lazy */
  gint        had_children;           /* atomic; set once, under lock */
  guint64     version;                /* atomic; a new one on every change */
} HsRegistryPrivate;

/* Frames of the objects being built on this thread, for cycle detection:
 * on the C stack of build_winner(), linked from the innermost. */
typedef struct _BuildFrame BuildFrame;
struct _BuildFrame
{
  guint       id;                     /* the registration's */
  HsRegistry *builder;
  GObject    *context;
  GType       kind;
  BuildFrame *outer;
  guint       depth;
};

enum {
  PROP_0,
  PROP_PARENT,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Bumped by every change in a registry that has (or had) children: it
 * invalidates all cached answers at once, so a cached answer never depends
 * on the depth of the parent chain. */
static guint hs_epoch;
/* Registration serials: one 64-bit counter for all registries, so that a
 * larger serial is always the more recent registration (rule 3.3), also in
 * a process that registers per request for months. The id handed out is
 * its low 32 bits, never 0. */
static guint64 hs_next_serial = 1;

/* Registry versions come from one counter for all registries, so that a
 * registry made at the address of a dropped one never matches the dropped
 * one's cached answers. */
static guint64 hs_next_version;


G_DEFINE_TYPE_WITH_PRIVATE (HsRegistry, hs_registry, G_TYPE_OBJECT)

/**
 * hs_registry_error_quark:
 *
 * The quark of the %HS_REGISTRY_ERROR domain.
 *
 * Returns: the error domain's quark
 */
G_DEFINE_QUARK (hs-registry-error-quark, hs_registry_error)

const char *
_hs_type_name (GType type)
{
  const char *name = type != G_TYPE_INVALID ? g_type_name (type) : NULL;

  return name != NULL ? name : "(invalid)";
}

static HsEntry *
hs_entry_ref (HsEntry *entry)
{
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

static void
hs_entry_unref (HsEntry *entry)
{
  if (entry == NULL || !g_atomic_ref_count_dec (&entry->ref_count))
    return;

  g_free (entry->answers);
  g_free (entry);
}

/* Takes a live reference, unless the registration is gone. The caller holds
 * a memory reference. A type registration holds nothing to release, so its
 * live count is not kept: two atomic operations less on each get of it. */
static gboolean
hs_entry_acquire (HsEntry *entry)
{
  gint live;

  if (entry->type == HS_REGISTRATION_TYPE)
    return TRUE;

  live = g_atomic_int_get (&entry->live);

  while (live > 0)
    if (g_atomic_int_compare_and_exchange_full (&entry->live, live, live + 1, &live))
      return TRUE;

  return FALSE;
}

/* Drops a live reference; the last one releases what the registration
 * holds. Never called with a lock held: that runs user code. */
static void
hs_entry_release (HsEntry *entry)
{
  if (entry->type == HS_REGISTRATION_TYPE ||
      !g_atomic_int_dec_and_test (&entry->live))
    return;

  if (entry->destroy != NULL)
    entry->destroy (entry->user_data);
  g_clear_object (&entry->instance);
}

/* Drops what registry_resolve() returned: a live and a memory reference. */
static void
hs_entry_drop (HsEntry *entry)
{
  hs_entry_release (entry);
  hs_entry_unref (entry);
}

/* The registry's own references, when it holds the entry no more. */
static void
hs_entry_retire (HsEntry *entry)
{
  hs_entry_drop (entry);
}

/* Gets without locks
 *
 * A get first asks a small cache of its own thread: answers keyed by
 * (registry, kind, lookup context type, props given), each stamped with the
 * registry's version and hs_epoch as they were before the answer was
 * resolved. An answer whose stamps are still current is the answer. A hit
 * takes no lock and writes no shared memory but the reference it returns.
 *
 * A cached answer is used only inside a reader section (reader_enter() and
 * reader_exit(): the thread's sequence number is odd meanwhile), and
 * removing a registration waits for the reader sections in progress
 * (wait_for_readers()) after changing the stamps and before releasing what
 * the registration holds. So a get either sees the new stamps and misses,
 * or has taken its reference before the instance is let go: it sees a
 * registration completely or not at all, and unregistering still releases
 * the instance at once. Reader sections are a few instructions long and run
 * no user code. (It is RCU's grace period, with one counter per thread.)
 *
 * The slots hold memory references to entries (never to instances), so a
 * slot never keeps what a registration holds alive. */

#define THREAD_CACHE_SLOTS 256        /* a power of two */

typedef struct
{
  HsRegistry *registry;               /* compared, never dereferenced */
  GType       kind;
  GType       ctx_type;
  gboolean    no_singletons;
  guint       epoch;
  guint64     version;
  HsEntry    *winner;                 /* memory reference; NULL: nothing answers */
} ThreadSlot;

typedef struct
{
  guint       seq;                    /* odd inside a reader section */
  BuildFrame *building;               /* innermost build on this thread */
  ThreadSlot  slots[THREAD_CACHE_SLOTS];
} ThreadCache;

/* The GPrivate frees the cache when its thread ends; where the compiler
 * has thread-local variables, thread_cache_fast finds it faster. */
static void thread_cache_free (gpointer data);
static GPrivate thread_cache = G_PRIVATE_INIT (thread_cache_free);
#if defined(__GNUC__)
# define HS_THREAD_LOCAL __thread
static HS_THREAD_LOCAL gpointer thread_cache_fast;   /* a ThreadCache */
#endif

static GMutex readers_lock;           /* guards readers */
static GPtrArray *readers;            /* the ThreadCache of every thread that has one */

/* Where the kernel has membarrier(), a reader section needs no barrier
 * instruction of its own: the rare writer makes every running thread of
 * the process execute one instead (liburcu's "memb" flavour). Decided once,
 * before the first thread cache exists. */
static gboolean use_membarrier;

#ifdef G_OS_UNIX
/* In a child of fork() only the thread that forked goes on: the other
 * threads' caches can never leave a reader section, and must not be waited
 * for. */
static void
readers_atfork_child (void)
{
#ifdef HS_THREAD_LOCAL
  gpointer self = thread_cache_fast;
#else
  gpointer self = g_private_get (&thread_cache);
#endif
  guint n = 0;

  g_mutex_init (&readers_lock);
  for (guint i = 0; readers != NULL && i < readers->len; i++)
    if (readers->pdata[i] == self)
      readers->pdata[n++] = self;
  if (readers != NULL)
    g_ptr_array_set_size (readers, n);
}
#endif

static void
readers_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
#ifdef G_OS_UNIX
      pthread_atfork (NULL, NULL, readers_atfork_child);
#endif
#if defined(__linux__) && defined(SYS_membarrier)
      {
        long commands = syscall (SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

        use_membarrier = commands > 0 &&
                         (commands & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0 &&
                         syscall (SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
      }
#endif
      g_once_init_leave (&done, 1);
    }
}

static void
thread_cache_free (gpointer data)
{
  ThreadCache *tc = data;

  /* Runs on the thread that ends. */
#ifdef HS_THREAD_LOCAL
  thread_cache_fast = NULL;
#endif

  g_mutex_lock (&readers_lock);
  g_ptr_array_remove_fast (readers, tc);
  g_mutex_unlock (&readers_lock);

  for (guint i = 0; i < THREAD_CACHE_SLOTS; i++)
    hs_entry_unref (tc->slots[i].winner);
  g_free (tc);
}


static ThreadCache *
thread_cache_new (void)
{
  ThreadCache *tc = g_new0 (ThreadCache, 1);

  readers_init ();

  g_mutex_lock (&readers_lock);
  if (readers == NULL)
    readers = g_ptr_array_new ();
  g_ptr_array_add (readers, tc);
  g_mutex_unlock (&readers_lock);
  g_private_set (&thread_cache, tc);
#ifdef HS_THREAD_LOCAL
  thread_cache_fast = tc;
#endif

  return tc;
}

static inline ThreadCache *
thread_cache_get (void)
{
#ifdef HS_THREAD_LOCAL
  ThreadCache *tc = thread_cache_fast;
#else
  ThreadCache *tc = g_private_get (&thread_cache);
#endif

  return G_LIKELY (tc != NULL) ? tc : thread_cache_new ();
}

static inline ThreadSlot *
thread_slot (ThreadCache *tc,
             HsRegistry  *registry,
             GType        kind,
             GType        ctx_type,
             gboolean     no_singletons)
{
  guint64 h = (guint64) GPOINTER_TO_SIZE (registry);

  h = (h ^ (h >> 7)) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  h = (h ^ kind) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h = (h ^ ctx_type ^ (guint64) no_singletons) * G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);

  return &tc->slots[(h >> 32) & (THREAD_CACHE_SLOTS - 1)];
}

static inline void
reader_enter (ThreadCache *tc)
{
  /* Writers must see that we are in before we read any stamp, which plain
   * stores do not ensure (the loads may go first): either the writer's
   * membarrier() orders them for us, or an exchange's full barrier does. */
  if (G_LIKELY (use_membarrier))
    {
      __atomic_store_n (&tc->seq, tc->seq + 1, __ATOMIC_RELAXED);
      __atomic_signal_fence (__ATOMIC_SEQ_CST);
    }
  else
    __atomic_exchange_n (&tc->seq, tc->seq + 1, __ATOMIC_SEQ_CST);
}

static inline void
reader_exit (ThreadCache *tc)
{
  __atomic_store_n (&tc->seq, tc->seq + 1, __ATOMIC_RELEASE);
}

/* Waits until every reader section that was in progress is over. Called
 * after the stamps changed, with no registry lock held; reader sections
 * take no lock, so this cannot deadlock. */
static void
wait_for_readers (void)
{
#ifdef HS_THREAD_LOCAL
  ThreadCache *self = thread_cache_fast;
#else
  ThreadCache *self = g_private_get (&thread_cache);
#endif
  gboolean others = FALSE;

  g_mutex_lock (&readers_lock);

  /* Alone, there is no one to wait for (and no barrier to pay). A thread
   * that makes its cache meanwhile waits for readers_lock, and sees the new
   * stamps after it. */
  for (guint i = 0; readers != NULL && i < readers->len && !others; i++)
    others = readers->pdata[i] != self;

#if defined(__linux__) && defined(SYS_membarrier)
  /* Cannot fail once registered: readers rely on it. */
  if (others && use_membarrier &&
      syscall (SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
    g_error ("membarrier() failed: %s", g_strerror (errno));
#endif

  for (guint i = 0; others && i < readers->len; i++)
    {
      ThreadCache *tc = readers->pdata[i];
      guint seq = __atomic_load_n (&tc->seq, __ATOMIC_SEQ_CST);

      if (seq & 1)
        while (__atomic_load_n (&tc->seq, __ATOMIC_ACQUIRE) == seq)
          g_thread_yield ();
    }
  g_mutex_unlock (&readers_lock);
}

/* Gives @priv a new version, which makes its cached answers stale. Called
 * with priv->lock held, or before anyone else can see the registry. */
static void
bump_version_locked (HsRegistryPrivate *priv)
{
  __atomic_store_n (&priv->version,
                    __atomic_add_fetch (&hs_next_version, 1, __ATOMIC_SEQ_CST),
                    __ATOMIC_SEQ_CST);
}

/* The virtual functions below use unchecked casts: GObject calls them with
 * an HsRegistry, and the checks cost a tenth of creating and dropping a
 * child registry, the per-request operation. */

static void
hs_registry_dispose (GObject *object)
{
  HsRegistry *self = (HsRegistry *) object;
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);
  GHashTable *by_kind, *by_id;

  /* Unref the entries with no lock held: their destroy notifies are user
   * code. */
  g_mutex_lock (&priv->lock);
  by_kind = g_steal_pointer (&priv->by_kind);
  by_id = g_steal_pointer (&priv->by_id);
  if (by_id != NULL)
    bump_version_locked (priv);
  g_mutex_unlock (&priv->lock);

  if (by_id != NULL)
    {
      /* As unregistering does; see "Gets without locks". */
      if (g_atomic_int_get (&priv->had_children))
        g_atomic_int_inc (&hs_epoch);
      wait_for_readers ();
    }

  g_clear_pointer (&by_kind, g_hash_table_unref);
  g_clear_pointer (&by_id, g_hash_table_unref);

  g_clear_object (&priv->context);
  g_clear_object (&priv->parent);

  ((GObjectClass *) hs_registry_parent_class)->dispose (object);
}

static void
hs_registry_finalize (GObject *object)
{
  HsRegistry *self = (HsRegistry *) object;
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  /* Only when something was registered after dispose. */
  g_clear_pointer (&priv->by_kind, g_hash_table_unref);
  g_clear_pointer (&priv->by_id, g_hash_table_unref);
  g_mutex_clear (&priv->lock);

  ((GObjectClass *) hs_registry_parent_class)->finalize (object);
}

static void
hs_registry_constructed (GObject *object)
{
  HsRegistry *self = (HsRegistry *) object;
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  ((GObjectClass *) hs_registry_parent_class)->constructed (object);

  if (priv->parent != NULL)
    {
      HsRegistryPrivate *ppriv = hs_registry_get_instance_private (priv->parent);

      /* From now on a change in the parent must invalidate this child's
       * answers too; see hs_epoch. Set under the parent's lock, which its
       * changes read it under; once set it stays, so most children need
       * not take the lock. */
      if (!g_atomic_int_get (&ppriv->had_children))
        {
          g_mutex_lock (&ppriv->lock);
          g_atomic_int_set (&ppriv->had_children, TRUE);
          g_mutex_unlock (&ppriv->lock);
        }

      /* A child without a context of its own takes its parent's, once. */
      if (priv->context == NULL && ppriv->context != NULL)
        priv->context = g_object_ref (ppriv->context);
    }
}

static void
hs_registry_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HsRegistry *self = (HsRegistry *) object;

  switch (prop_id)
    {
    case PROP_PARENT:
      g_value_set_object (value, hs_registry_get_parent (self));
      break;

    case PROP_CONTEXT:
      g_value_set_object (value, hs_registry_get_context (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_registry_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HsRegistry *self = (HsRegistry *) object;
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_PARENT:
      priv->parent = g_value_dup_object (value);
      break;

    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_registry_class_init (HsRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = hs_registry_constructed;
  object_class->dispose = hs_registry_dispose;
  object_class->finalize = hs_registry_finalize;
  object_class->get_property = hs_registry_get_property;
  object_class->set_property = hs_registry_set_property;

  /**
   * HsRegistry:parent:
   *
   * The parent registry, asked for what this registry does not hold itself,
   * or %NULL for a root registry. The registry keeps it alive.
   */
  properties[PROP_PARENT] =
    g_param_spec_object ("parent", NULL, NULL,
                         HS_TYPE_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HsRegistry:context:
   *
   * The registry's context: the lookup context of every get that does not
   * give one. A child created without a context takes its parent's context
   * at creation. The registry keeps it alive.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_registry_init (HsRegistry *self)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  g_mutex_init (&priv->lock);
  bump_version_locked (priv);
  /* by_kind and by_id are made by the first registration: most children
   * never hold any. */
}

/**
 * hs_registry_new: (constructor)
 * @parent: (nullable): the parent registry, or %NULL for a root registry
 * @context: (nullable): the registry's context, or %NULL to take the
 *   parent's
 *
 * Creates a registry. A child registry copies nothing from its parent: it is
 * cheap to create one per request and drop it afterwards.
 *
 * Returns: (transfer full): a new #HsRegistry
 */
HsRegistry *
hs_registry_new (HsRegistry *parent,
                 GObject    *context)
{
  static const char *names[] = { "parent", "context" };
  GValue values[2] = { G_VALUE_INIT, G_VALUE_INIT };
  HsRegistry *registry;

  g_return_val_if_fail (parent == NULL || HS_IS_REGISTRY (parent), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);

  /* Not g_object_new(): collecting varargs costs more than these. */
  g_value_init (&values[0], HS_TYPE_REGISTRY);
  g_value_set_object (&values[0], parent);
  g_value_init (&values[1], G_TYPE_OBJECT);
  g_value_set_object (&values[1], context);
  registry = (HsRegistry *) g_object_new_with_properties (HS_TYPE_REGISTRY, 2, names, values);
  g_value_unset (&values[0]);
  g_value_unset (&values[1]);

  return registry;
}

/**
 * hs_registry_get_parent:
 * @self: a #HsRegistry
 *
 * Gets the registry that @self asks for what it does not hold itself: the
 * #HsRegistry:parent it was created with.
 *
 * Returns: (transfer none) (nullable): the parent registry, or %NULL
 */
HsRegistry *
hs_registry_get_parent (HsRegistry *self)
{
  HsRegistryPrivate *priv;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);

  priv = hs_registry_get_instance_private (self);
  return priv->parent;
}

/**
 * hs_registry_get_context:
 * @self: a #HsRegistry
 *
 * Gets the lookup context of the gets that do not give one: the
 * #HsRegistry:context it was created with or, for a child created without
 * one, its parent's context at that time.
 *
 * Returns: (transfer none) (nullable): the registry's context, or %NULL
 */
GObject *
hs_registry_get_context (HsRegistry *self)
{
  HsRegistryPrivate *priv;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);

  priv = hs_registry_get_instance_private (self);
  return priv->context;
}

/* Registering */

/* PyGObject refuses G_TYPE_INVALID as a GType argument, so G_TYPE_NONE
 * ("void") means "not given" as well. */
static inline GType
not_given_if_none (GType type)
{
  return type == G_TYPE_NONE ? G_TYPE_INVALID : type;
}

gboolean
_hs_is_object_or_interface_type (GType type)
{
  return type != G_TYPE_INVALID &&
         (G_TYPE_IS_INTERFACE (type) ||
          (G_TYPE_IS_INSTANTIATABLE (type) && g_type_is_a (type, G_TYPE_OBJECT)));
}

void
_hs_set_not_found_error (GError  **error,
                         GType     kind,
                         GObject  *context)
{
  if (context != NULL)
    g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND,
                 _("No kind “%s” for context “%s” in registry"),
                 _hs_type_name (kind), G_OBJECT_TYPE_NAME (context));
  else
    g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND,
                 _("No kind “%s” in registry"), _hs_type_name (kind));
}

static gboolean
check_kind_and_context (GType    implementation,
                        GType    kind,
                        GType    context,
                        GError **error)
{
  kind = not_given_if_none (kind);
  context = not_given_if_none (context);

  if (kind != G_TYPE_INVALID && !_hs_is_object_or_interface_type (kind))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                   _("Kind “%s” is not an object or interface type"),
                   _hs_type_name (kind));
      return FALSE;
    }

  if (kind != G_TYPE_INVALID && implementation != G_TYPE_INVALID &&
      !g_type_is_a (implementation, kind))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                   _("“%s” is not a kind of “%s”"),
                   _hs_type_name (implementation), _hs_type_name (kind));
      return FALSE;
    }

  if (context != G_TYPE_INVALID && !_hs_is_object_or_interface_type (context))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                   _("Context type “%s” is not an object or interface type"),
                   _hs_type_name (context));
      return FALSE;
    }

  return TRUE;
}

static void
add_answer (GArray *answers,
            GType   type)
{
  for (guint i = 0; i < answers->len; i++)
    if (g_array_index (answers, GType, i) == type)
      return;
  g_array_append_val (answers, type);
}

static HsEntry *
hs_entry_new (HsRegistrationType type,
              GType              implementation,
              GType              kind,
              GType              context)
{
  HsEntry *entry = g_new0 (HsEntry, 1);
  GArray *answers = g_array_new (FALSE, FALSE, sizeof (GType));

  g_atomic_ref_count_init (&entry->ref_count);
  entry->live = 1;
  kind = not_given_if_none (kind);
  context = not_given_if_none (context);

  entry->type = type;
  entry->implementation = implementation;
  entry->kind = kind;
  entry->context_type = context;

  if (kind != G_TYPE_INVALID)
    {
      add_answer (answers, kind);
    }
  else
    {
      /* Kind omitted: the implementation's own type, its ancestors below
       * GObject / GInitiallyUnowned, and every interface it implements. */
      GType *ifaces;
      guint n_ifaces = 0;

      for (GType t = implementation;
           t != G_TYPE_INVALID && t != G_TYPE_OBJECT && t != G_TYPE_INITIALLY_UNOWNED;
           t = g_type_parent (t))
        add_answer (answers, t);

      ifaces = g_type_interfaces (implementation, &n_ifaces);
      for (guint i = 0; i < n_ifaces; i++)
        add_answer (answers, ifaces[i]);
      g_free (ifaces);
    }

  entry->n_answers = answers->len;
  entry->answers = (GType *) (gpointer) g_array_free (answers, FALSE);

  return entry;
}

HsRegistrationHook _hs_registry_registration_hook = NULL;

/* Takes ownership of @entry; returns its id. */
static guint
registry_add (HsRegistry *self,
              HsEntry    *entry)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);
  HsRegistrationHook hook;
  gboolean invalidate_all;
  guint id;

  entry->registry = self;

  g_mutex_lock (&priv->lock);

  do
    entry->serial = __atomic_fetch_add (&hs_next_serial, 1, __ATOMIC_RELAXED);
  while ((guint) entry->serial == 0);
  id = entry->id = (guint) entry->serial;
  if (priv->by_id == NULL)
    {
      priv->by_kind = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
      priv->by_id = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) hs_entry_retire);
    }
  g_hash_table_insert (priv->by_id, GUINT_TO_POINTER (id), entry);

  for (guint i = 0; i < entry->n_answers; i++)
    {
      gpointer key = GSIZE_TO_POINTER (entry->answers[i]);
      GPtrArray *list = g_hash_table_lookup (priv->by_kind, key);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (priv->by_kind, key, list);
        }
      g_ptr_array_add (list, entry);
    }

  bump_version_locked (priv);
  invalidate_all = priv->had_children;

  g_mutex_unlock (&priv->lock);

  if (invalidate_all)
    g_atomic_int_inc (&hs_epoch);

  /* Set once by the registry manager, maybe on another thread. */
  hook = __atomic_load_n (&_hs_registry_registration_hook, __ATOMIC_ACQUIRE);
  if (hook != NULL)
    hook (self, id);

  return id;
}

/**
 * hs_registry_register_type:
 * @self: a #HsRegistry
 * @implementation: an instantiable, non-abstract #GObject type
 * @kind: the kind it answers for, or %G_TYPE_INVALID (or %G_TYPE_NONE) for
 *   its own type, its ancestors below #GObject and its interfaces
 * @context: the context type it is for, or %G_TYPE_INVALID (or
 *   %G_TYPE_NONE) for any context
 * @error: return location for a #GError
 *
 * Registers @implementation: each get that it wins constructs a new
 * instance, with the props of the get and its dependencies injected.
 *
 * Registering the same type again is allowed: it is a newer registration.
 *
 * Returns: the registration id (> 0), or 0 with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_REGISTRATION, the registry unchanged
 */
guint
hs_registry_register_type (HsRegistry  *self,
                           GType        implementation,
                           GType        kind,
                           GType        context,
                           GError     **error)
{
  g_return_val_if_fail (HS_IS_REGISTRY (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (implementation == G_TYPE_INVALID ||
      G_TYPE_IS_INTERFACE (implementation) ||
      !G_TYPE_IS_INSTANTIATABLE (implementation) ||
      !g_type_is_a (implementation, G_TYPE_OBJECT))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                   _("Type “%s” is not an instantiable GObject type"),
                   _hs_type_name (implementation));
      return 0;
    }

  if (G_TYPE_IS_ABSTRACT (implementation))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                   _("Type “%s” is abstract and cannot be constructed"),
                   _hs_type_name (implementation));
      return 0;
    }

  if (!check_kind_and_context (implementation, kind, context, error))
    return 0;

  return registry_add (self, hs_entry_new (HS_REGISTRATION_TYPE, implementation, kind, context));
}

/**
 * hs_registry_register_instance:
 * @self: a #HsRegistry
 * @instance: the object to hand out: a singleton
 * @kind: the kind it answers for, or %G_TYPE_INVALID (or %G_TYPE_NONE) for
 *   its own type, its ancestors below #GObject and its interfaces
 * @context: the context type it is for, or %G_TYPE_INVALID (or
 *   %G_TYPE_NONE) for any context
 * @error: return location for a #GError
 *
 * Registers @instance as a singleton: each get that it wins returns a new
 * reference to it. The registry keeps a reference to @instance until the
 * registration is removed.
 *
 * Returns: the registration id (> 0), or 0 with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_REGISTRATION, the registry unchanged
 */
guint
hs_registry_register_instance (HsRegistry  *self,
                               GObject     *instance,
                               GType        kind,
                               GType        context,
                               GError     **error)
{
  HsEntry *entry;

  g_return_val_if_fail (HS_IS_REGISTRY (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (instance == NULL || !G_IS_OBJECT (instance))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                   _("No object given to register as an instance of “%s”"),
                   _hs_type_name (kind));
      return 0;
    }

  if (!check_kind_and_context (G_OBJECT_TYPE (instance), kind, context, error))
    return 0;

  entry = hs_entry_new (HS_REGISTRATION_INSTANCE, G_OBJECT_TYPE (instance), kind, context);
  entry->instance = g_object_ref_sink (instance);

  return registry_add (self, entry);
}

/**
 * hs_registry_register_factory:
 * @self: a #HsRegistry
 * @kind: the kind the factory's objects are
 * @context: the context type it is for, or %G_TYPE_INVALID (or
 *   %G_TYPE_NONE) for any context
 * @factory: (scope notified) (closure user_data) (destroy destroy): the
 *   function that builds the objects
 * @user_data: data for @factory
 * @destroy: (nullable): called with @user_data when the registration is gone
 *   and no get uses it any more
 * @error: return location for a #GError
 *
 * Registers a factory: each get that it wins calls @factory with the
 * building registry, the lookup context and the props of the get.
 *
 * A factory must be given a kind. When the registration is refused,
 * @destroy is called at once, so that bindings do not leak @user_data.
 *
 * Returns: the registration id (> 0), or 0 with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_REGISTRATION, the registry unchanged
 */
guint
hs_registry_register_factory (HsRegistry     *self,
                              GType           kind,
                              GType           context,
                              HsFactory       factory,
                              gpointer        user_data,
                              GDestroyNotify  destroy,
                              GError        **error)
{
  HsEntry *entry;

  g_return_val_if_fail (HS_IS_REGISTRY (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (factory == NULL || not_given_if_none (kind) == G_TYPE_INVALID)
    {
      g_set_error_literal (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                           factory == NULL ? _("No factory function given")
                                           : _("A factory must be given a kind"));
      goto refused;
    }

  if (!check_kind_and_context (G_TYPE_INVALID, kind, context, error))
    goto refused;

  entry = hs_entry_new (HS_REGISTRATION_FACTORY, G_TYPE_INVALID, kind, context);
  entry->factory = factory;
  entry->user_data = user_data;
  entry->destroy = destroy;

  return registry_add (self, entry);

refused:
  if (destroy != NULL)
    destroy (user_data);
  return 0;
}

/**
 * hs_registry_unregister:
 * @self: a #HsRegistry
 * @registration_id: an id returned by one of the register functions of @self
 *
 * Removes one registration of @self. Objects already handed out are not
 * affected.
 *
 * Returns: %TRUE if the registration was removed, %FALSE if @self holds no
 *   registration with that id
 */
gboolean
hs_registry_unregister (HsRegistry *self,
                        guint       registration_id)
{
  HsRegistryPrivate *priv;
  gboolean invalidate_all;
  HsEntry *entry = NULL;

  g_return_val_if_fail (HS_IS_REGISTRY (self), FALSE);

  priv = hs_registry_get_instance_private (self);

  g_mutex_lock (&priv->lock);

  if (priv->by_id == NULL ||
      !g_hash_table_steal_extended (priv->by_id, GUINT_TO_POINTER (registration_id),
                                    NULL, (gpointer *) &entry))
    {
      g_mutex_unlock (&priv->lock);
      return FALSE;
    }

  for (guint i = 0; i < entry->n_answers; i++)
    {
      gpointer key = GSIZE_TO_POINTER (entry->answers[i]);
      GPtrArray *list = g_hash_table_lookup (priv->by_kind, key);

      g_ptr_array_remove (list, entry);
      if (list->len == 0)
        g_hash_table_remove (priv->by_kind, key);
    }

  bump_version_locked (priv);
  invalidate_all = priv->had_children;

  g_mutex_unlock (&priv->lock);

  if (invalidate_all)
    g_atomic_int_inc (&hs_epoch);

  /* A get that found the entry in its thread's cache before the stamps
   * changed may still be taking its reference: let it finish first. */
  wait_for_readers ();
  hs_entry_retire (entry);

  return TRUE;
}

/* Resolving */

/* How well a registration's context type matches the lookup context's
 * type; -1 when it does not match at all (SPEC rule 3.1). */
static int
context_score (GType registered,
               GType lookup)
{
  if (registered == G_TYPE_INVALID)
    return 0;
  if (lookup == G_TYPE_INVALID || !g_type_is_a (lookup, registered))
    return -1;
  if (G_TYPE_IS_INTERFACE (registered))
    return 1;
  /* Both are on the lookup type's chain of classes: the deeper, the nearer. */
  return 2 + (int) g_type_depth (registered);
}

/* The best candidate of @self alone, or NULL. Called with priv->lock held. */
static HsEntry *
best_candidate_locked (HsRegistryPrivate *priv,
                       GType              kind,
                       GType              ctx_type,
                       gboolean           no_singletons)
{
  GPtrArray *list;
  HsEntry *best = NULL;
  int best_score = -1;

  if (priv->by_kind == NULL)
    return NULL;

  list = g_hash_table_lookup (priv->by_kind, GSIZE_TO_POINTER (kind));
  if (list == NULL)
    return NULL;

  for (guint i = 0; i < list->len; i++)
    {
      HsEntry *entry = g_ptr_array_index (list, i);
      gboolean singleton = entry->type == HS_REGISTRATION_INSTANCE;
      int score;

      if (no_singletons && singleton)
        continue;

      score = context_score (entry->context_type, ctx_type);
      if (score < 0)
        continue;

      if (best == NULL || score > best_score)
        {
          best = entry;
          best_score = score;
        }
      else if (score == best_score)
        {
          gboolean best_singleton = best->type == HS_REGISTRATION_INSTANCE;

          if ((singleton && !best_singleton) ||
              (singleton == best_singleton && entry->serial > best->serial))
            best = entry;
        }
    }

  return best;
}

/* What a get needs of the winning registration: copied inside a reader
 * section or under its registry's lock, while it is registered, so that
 * most gets take no reference on the entry at all. */
typedef struct
{
  HsEntry            *entry;          /* see winner_take() */
  guint               id;
  HsRegistrationType  type;
  GType               kind;           /* as given */
  GType               implementation;
  GType               context_type;
  HsRegistry         *registry;       /* kept alive by the registry asked */
  GObject            *instance;       /* a singleton's: a new reference */
} Winner;

/* Fills @w from @entry, which is registered: in a reader section with
 * current stamps, or under its registry's lock. A factory's entry is kept
 * with a live and a memory reference (its data must outlive the call);
 * otherwise the entry is kept, with a memory reference, only when
 * @keep_entry (to cache it), and w->entry is NULL. */
static inline void
winner_take (Winner   *w,
             HsEntry  *entry,
             gboolean  keep_entry)
{
  w->id = entry->id;
  w->type = entry->type;
  w->kind = entry->kind;
  w->implementation = entry->implementation;
  w->context_type = entry->context_type;
  w->registry = entry->registry;
  w->instance = entry->type == HS_REGISTRATION_INSTANCE ? g_object_ref (entry->instance) : NULL;
  w->entry = NULL;

  if (entry->type == HS_REGISTRATION_FACTORY || keep_entry)
    {
      w->entry = hs_entry_ref (entry);
      /* Registered, so live: this cannot fail. */
      if (!hs_entry_acquire (entry))
        g_assert_not_reached ();
    }
}

/* Drops the references of @w. With no lock held: the last reference to a
 * registration that is gone runs user code. */
static void
winner_clear (Winner *w)
{
  g_clear_object (&w->instance);
  if (w->entry != NULL)
    hs_entry_drop (g_steal_pointer (&w->entry));
}

/* Looks the answer up in this thread's cache: FALSE when it is not there
 * or stale. On a hit, *@found tells whether something answers, and @w is
 * filled as winner_take() does. */
static inline gboolean
resolve_cached (HsRegistry  *self,
                GType        kind,
                GType        ctx_type,
                gboolean     no_singletons,
                gboolean     keep_entry,
                gboolean    *found,
                Winner      *w)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);
  ThreadCache *tc = thread_cache_get ();
  ThreadSlot *slot = thread_slot (tc, self, kind, ctx_type, no_singletons);
  gboolean hit;

  reader_enter (tc);

  hit = slot->registry == self &&
        slot->kind == kind &&
        slot->ctx_type == ctx_type &&
        slot->no_singletons == no_singletons &&
        slot->version == __atomic_load_n (&priv->version, __ATOMIC_SEQ_CST) &&
        slot->epoch == (guint) g_atomic_int_get (&hs_epoch);

  /* Current stamps: the winner is still registered until our section
   * ends, however other threads change the registries meanwhile. */
  if (hit)
    {
      *found = slot->winner != NULL;
      if (*found)
        winner_take (w, slot->winner, keep_entry);
    }

  reader_exit (tc);

  return hit;
}

static gboolean registry_resolve (HsRegistry  *self,
                                  GType        kind,
                                  GType        ctx_type,
                                  gboolean     no_singletons,
                                  gboolean     keep_entry,
                                  Winner      *w);

/* registry_resolve() when the answer is not cached. Out of line, so that
 * the cached case stays small. */
static G_NO_INLINE gboolean
registry_resolve_uncached (HsRegistry  *self,
                           GType        kind,
                           GType        ctx_type,
                           gboolean     no_singletons,
                           gboolean     keep_entry,
                           Winner      *w)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);
  HsEntry *winner;
  HsEntry *evicted;
  ThreadSlot *slot;
  gboolean found = FALSE;
  guint64 version;
  guint epoch;

  /* Checked here, not on every get: a cached answer was checked when it
   * was resolved. */
  if (!_hs_is_object_or_interface_type (kind))
    return FALSE;

  /* Read the stamps before resolving: a change that lands while we resolve
   * makes the answer we store stale, never wrong. */
  epoch = (guint) g_atomic_int_get (&hs_epoch);
  version = __atomic_load_n (&priv->version, __ATOMIC_SEQ_CST);

  g_mutex_lock (&priv->lock);
  winner = best_candidate_locked (priv, kind, ctx_type, no_singletons);
  if (winner != NULL)
    {
      winner_take (w, winner, TRUE);
      found = TRUE;
    }
  g_mutex_unlock (&priv->lock);

  /* Nothing here: the parent decides, with the same lookup context. Its
   * answers are cached too, so this is cheap. */
  if (!found && priv->parent != NULL)
    found = registry_resolve (priv->parent, kind, ctx_type, no_singletons, TRUE, w);

  /* Remember the answer. Only this thread touches its slots, and never
   * inside a reader section here. */
  slot = thread_slot (thread_cache_get (), self, kind, ctx_type, no_singletons);
  evicted = slot->winner;
  slot->registry = self;
  slot->kind = kind;
  slot->ctx_type = ctx_type;
  slot->no_singletons = no_singletons;
  slot->epoch = epoch;
  slot->version = version;
  if (!found)
    slot->winner = NULL;
  else if (keep_entry || w->type == HS_REGISTRATION_FACTORY)
    slot->winner = hs_entry_ref (w->entry);
  else
    {
      /* The caller did not ask for the entry: its memory reference moves
       * to the slot. With no lock held: the last live reference to a
       * registration that is gone runs user code. */
      hs_entry_release (w->entry);
      slot->winner = g_steal_pointer (&w->entry);
    }
  /* A memory reference only: no user code runs. */
  hs_entry_unref (evicted);

  return found;
}

/* Finds the winner of a get of @kind for a lookup context of type
 * @ctx_type in @self and its ancestors. Returns FALSE when nothing answers;
 * else fills @w (see winner_take()), which the caller clears. */
static inline gboolean
registry_resolve (HsRegistry  *self,
                  GType        kind,
                  GType        ctx_type,
                  gboolean     no_singletons,
                  gboolean     keep_entry,
                  Winner      *w)
{
  gboolean found;

  if (G_LIKELY (resolve_cached (self, kind, ctx_type, no_singletons, keep_entry, &found, w)))
    return found;

  return registry_resolve_uncached (self, kind, ctx_type, no_singletons, keep_entry, w);
}

static void
set_cycle_error (BuildFrame *innermost,
                 BuildFrame *first,
                 GType       kind,
                 GError    **error)
{
  GPtrArray *frames = g_ptr_array_new ();
  GString *chain = g_string_new (NULL);

  /* From @first, the outermost frame of the cycle, inwards. */
  for (BuildFrame *f = innermost; f != first->outer; f = f->outer)
    g_ptr_array_add (frames, f);
  for (guint i = frames->len; i-- > 0;)
    {
      g_string_append (chain, _hs_type_name (((BuildFrame *) frames->pdata[i])->kind));
      g_string_append (chain, " → ");
    }
  g_string_append (chain, _hs_type_name (kind));

  g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE,
               _("Dependency cycle: %s"), chain->str);
  g_string_free (chain, TRUE);
  g_ptr_array_unref (frames);
}

/* Builds what @w names, for a get of @kind from @builder. */
static GObject *
build_winner (HsRegistry    *builder,
              Winner        *w,
              GType          kind,
              GObject       *context,
              guint          n_properties,
              const char   **names,
              const GValue  *values,
              GError       **error)
{
  ThreadCache *tc;
  BuildFrame frame;
  GError *local_error = NULL;
  GObject *object;

  if (w->type == HS_REGISTRATION_INSTANCE)
    return g_steal_pointer (&w->instance);

  tc = thread_cache_get ();

  /* Building the same registration with the same builder and context again,
   * inside itself, can only recurse for ever. Registrations are told apart
   * by id: ids are never reused, entries' addresses may be. */
  for (BuildFrame *f = tc->building; f != NULL; f = f->outer)
    if (f->id == w->id && f->builder == builder && f->context == context)
      {
        set_cycle_error (tc->building, f, kind, error);
        return NULL;
      }

  if (tc->building != NULL && tc->building->depth >= HS_MAX_BUILD_DEPTH)
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE,
                   _("Dependencies nested more than %d deep while building “%s”"),
                   HS_MAX_BUILD_DEPTH, _hs_type_name (kind));
      return NULL;
    }

  frame.id = w->id;
  frame.builder = builder;
  frame.context = context;
  frame.kind = kind;
  frame.outer = tc->building;
  frame.depth = tc->building != NULL ? tc->building->depth + 1 : 1;
  tc->building = &frame;

  if (w->type == HS_REGISTRATION_TYPE)
    {
      /* _hs_construct() sinks what it builds. */
      object = _hs_construct (builder, w->implementation, context,
                              n_properties, names, values, &local_error);
    }
  else
    {
      HsEntry *entry = w->entry;

      object = entry->factory (builder, context, n_properties, names, values,
                               entry->user_data, &local_error);

      if (object == NULL && local_error == NULL)
        g_set_error (&local_error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_FACTORY_FAILED,
                     _("The factory for “%s” returned nothing"),
                     _hs_type_name (entry->kind));
      else if (object != NULL && local_error != NULL)
        {
          /* A factory that both fails and returns an object: trust the error. */
          g_clear_object (&object);
        }
      else if (object != NULL && !g_type_is_a (G_OBJECT_TYPE (object), entry->kind))
        {
          g_set_error (&local_error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_FACTORY_FAILED,
                       _("The factory for “%s” returned a “%s”, which is not a kind of “%s”"),
                       _hs_type_name (entry->kind), G_OBJECT_TYPE_NAME (object),
                       _hs_type_name (entry->kind));
          g_clear_object (&object);
        }
      else if (object != NULL && g_object_is_floating (object))
        g_object_ref_sink (object);
    }

  tc->building = frame.outer;

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  return object;
}

/* The body of every get: in line, so that a get of a cached singleton is
 * a handful of calls. */
static inline GObject *
registry_build (HsRegistry    *self,
                GType          kind,
                GObject       *context,
                guint          n_properties,
                const char   **names,
                const GValue  *values,
                gboolean      *found,
                GError       **error)
{
  GObject *object;
  Winner w;

  *found = registry_resolve (self, kind,
                             context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID,
                             n_properties > 0, FALSE, &w);
  if (!*found)
    return NULL;

  /* A singleton: nothing to build, and w holds nothing else. */
  if (w.type == HS_REGISTRATION_INSTANCE)
    return w.instance;

  object = build_winner (self, &w, kind, context, n_properties, names, values, error);
  winner_clear (&w);

  return object;
}

GObject *
_hs_registry_build (HsRegistry    *self,
                    GType          kind,
                    GObject       *context,
                    guint          n_properties,
                    const char   **names,
                    const GValue  *values,
                    gboolean      *found,
                    GError       **error)
{
  return registry_build (self, kind, context, n_properties, names, values, found, error);
}

static GObject *
lookup_context (HsRegistry *self,
                GObject    *context)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  return context != NULL ? context : priv->context;
}

/**
 * hs_registry_get_with_properties:
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @n_properties: the number of props
 * @names: (array length=n_properties) (nullable): the names of the props
 * @values: (array length=n_properties) (nullable): the values of the props
 * @error: return location for a #GError
 *
 * Returns the best implementation of @kind for @context, built with the
 * given props (hs_registry_get() is the same without props). Props are property values for a type registration (they win
 * over anything injected) and are handed to a factory; singletons are not
 * candidates when props are given, since they cannot take them.
 *
 * Errors: %HS_REGISTRY_ERROR_NOT_FOUND when nothing answers,
 * %HS_REGISTRY_ERROR_INVALID_PROPERTY for a prop that does not exist, is not
 * writable or cannot take its value, %HS_REGISTRY_ERROR_CYCLE,
 * %HS_REGISTRY_ERROR_FACTORY_FAILED, or the error of a failing
 * `GInitable.init()` or factory, unchanged.
 *
 * Returns: (transfer full) (type GObject): a new reference to an object that
 *   is a kind of @kind, or %NULL with @error set
 */
gpointer
hs_registry_get_with_properties (HsRegistry    *self,
                                 GType          kind,
                                 GObject       *context,
                                 guint          n_properties,
                                 const char    *names[],
                                 const GValue   values[],
                                 GError       **error)
{
  GObject *object;
  gboolean found;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);
  g_return_val_if_fail (n_properties == 0 || (names != NULL && values != NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context = lookup_context (self, context);

  object = registry_build (self, kind, context, n_properties, names, values, &found, error);
  if (!found)
    _hs_set_not_found_error (error, kind, context);

  return object;
}

/**
 * hs_registry_get:
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @error: return location for a #GError
 *
 * Returns the best implementation of @kind for @context: see
 * hs_registry_get_with_properties() for the rules and the errors. From
 * JavaScript, `registry.get(Greeting, null)`.
 *
 * Returns: (transfer full) (type GObject): a new reference to an object that
 *   is a kind of @kind, or %NULL with @error set
 */
gpointer
hs_registry_get (HsRegistry  *self,
                 GType        kind,
                 GObject     *context,
                 GError     **error)
{
  GObject *object;
  gboolean found;

  /* hs_registry_get_with_properties() without props, spelled out: this is
   * the hot path of most applications. */
  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context = lookup_context (self, context);

  object = registry_build (self, kind, context, 0, NULL, NULL, &found, error);
  if (!found)
    _hs_set_not_found_error (error, kind, context);

  return object;
}

/**
 * hs_registry_get_valist: (skip)
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @error: return location for a #GError
 * @first_property_name: (nullable): the name of the first prop, or %NULL
 * @args: the value of the first prop, then more name/value pairs, ended by
 *   %NULL
 *
 * The va_list sibling of hs_registry_get_with(). The values are collected
 * for the properties of the type that would win (for a factory, the kind's),
 * as g_object_new() does.
 *
 * Returns: (transfer full): a new reference to an object that is a kind of
 *   @kind, or %NULL with @error set
 */
gpointer
hs_registry_get_valist (HsRegistry  *self,
                        GType        kind,
                        GObject     *context,
                        GError     **error,
                        const char  *first_property_name,
                        va_list      args)
{
  GArray *names, *values;
  GObjectClass *klass = NULL;
  HsRegistration *winner;
  GType collect_type = kind;
  gpointer object = NULL;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (first_property_name == NULL)
    return hs_registry_get (self, kind, context, error);

  /* Collecting a vararg needs its C type, which comes from the property of
   * the type that will be built. */
  winner = hs_registry_lookup (self, kind, context);
  if (winner != NULL && hs_registration_get_implementation_type (winner) != G_TYPE_INVALID)
    collect_type = hs_registration_get_implementation_type (winner);
  g_clear_object (&winner);

  if (G_TYPE_IS_OBJECT (collect_type))
    klass = g_type_class_ref (collect_type);

  names = g_array_new (FALSE, FALSE, sizeof (const char *));
  values = g_array_new (FALSE, TRUE, sizeof (GValue));
  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);

  for (const char *name = first_property_name; name != NULL; name = va_arg (args, const char *))
    {
      GParamSpec *pspec = klass != NULL ? g_object_class_find_property (klass, name) : NULL;
      GValue value = G_VALUE_INIT;
      char *collect_error = NULL;

      if (pspec == NULL)
        {
          /* Without the property its value cannot be taken off the list. */
          g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                       _("No property “%s” on type “%s”"),
                       name, _hs_type_name (collect_type));
          goto out;
        }

      G_VALUE_COLLECT_INIT (&value, pspec->value_type, args, 0, &collect_error);
      if (collect_error != NULL)
        {
          g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                       _("Cannot take the value of property “%s” of “%s”: %s"),
                       name, _hs_type_name (collect_type), collect_error);
          g_free (collect_error);
          goto out;
        }

      g_array_append_val (names, name);
      g_array_append_val (values, value);
    }

  object = hs_registry_get_with_properties (self, kind, context, names->len,
                                            (const char **) (gpointer) names->data,
                                            (const GValue *) (gpointer) values->data,
                                            error);

out:
  g_array_unref (names);
  g_array_unref (values);
  if (klass != NULL)
    g_type_class_unref (klass);

  return object;
}

/**
 * hs_registry_get_with: (skip)
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @error: return location for a #GError
 * @first_property_name: (nullable): the name of the first prop, or %NULL
 * @...: the value of the first prop, then more name/value pairs, ended by
 *   %NULL
 *
 * The C convenience for hs_registry_get_with_properties():
 *
 * |[<!-- language="C" -->
 * g_autoptr(MyGreeting) greeting =
 *   hs_registry_get_with (registry, MY_TYPE_GREETING, NULL, &error,
 *                         "salutation", "Hello Prop",
 *                         NULL);
 * ]|
 *
 * Returns: (transfer full): a new reference to an object that is a kind of
 *   @kind, or %NULL with @error set
 */
gpointer
hs_registry_get_with (HsRegistry  *self,
                      GType        kind,
                      GObject     *context,
                      GError     **error,
                      const char  *first_property_name,
                      ...)
{
  gpointer object;
  va_list args;

  va_start (args, first_property_name);
  object = hs_registry_get_valist (self, kind, context, error, first_property_name, args);
  va_end (args);

  return object;
}

/**
 * hs_registry_lookup:
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 *
 * Tells which registration a get of @kind for @context would use, without
 * building anything (as a get without props: singletons are candidates).
 *
 * Returns: (transfer full) (nullable): the winning registration, or %NULL
 *   when nothing answers
 */
HsRegistration *
hs_registry_lookup (HsRegistry *self,
                    GType       kind,
                    GObject    *context)
{
  HsRegistration *registration;
  Winner w;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);

  context = lookup_context (self, context);
  if (!registry_resolve (self, kind,
                         context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID,
                         FALSE, FALSE, &w))
    return NULL;

  registration = _hs_registration_new (w.id, w.type,
                                       w.kind != G_TYPE_INVALID ? w.kind : w.implementation,
                                       w.implementation, w.instance,
                                       w.context_type, w.registry);
  winner_clear (&w);

  return registration;
}
