/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gobject/gvaluecollector.h>

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
 * indexed by the kinds they answer for, and a cache of winners keyed by
 * (kind, context type). The cache stays correct when the registry or any of
 * its ancestors changes: a change in a registry that never had children
 * invalidates that registry's cache only; a change in one that has children
 * invalidates the caches of all registries at once, which is cheap and rare
 * (such registries are usually set up once, at startup).
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
 * registry's index and the caches of it and its descendants.
 *
 * Two counts: ref_count keeps the struct's memory, and is what caches hold;
 * live keeps what the registration holds (the instance, the factory's
 * data), and is held by the registry while it is registered and by each get
 * using it. Unregistering therefore releases the instance at once, even
 * while stale caches still point at the struct: a get that finds a
 * registration whose live count fell to zero treats it as a cache miss. */
struct _HsEntry
{
  gatomicrefcount     ref_count;
  gint                live;
  guint               id;
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

/* One cached answer; the key is (kind, ctx_type, no_singletons). */
typedef struct
{
  GType     kind;
  GType     ctx_type;
  gboolean  no_singletons;
  guint     epoch;
  guint     local_gen;
  HsEntry  *winner;                   /* owned; NULL: nothing answers */
} CacheEntry;

typedef struct
{
  HsRegistry *parent;
  GObject    *context;

  GMutex      lock;                   /* guards by_kind, by_id, had_children */
  GHashTable *by_kind;                /* GType → GPtrArray of HsEntry (unowned) */
  GHashTable *by_id;                  /* id → HsEntry (owned) */
  gboolean    had_children;
  guint       local_gen;              /* atomic; bumped on every change */

  GRWLock     cache_lock;
  GHashTable *cache;                  /* CacheEntry → CacheEntry (owned) */
} HsRegistryPrivate;

/* Frames of the objects being built on this thread, for cycle detection. */
typedef struct
{
  HsEntry    *entry;
  HsRegistry *builder;
  GObject    *context;
  GType       kind;
} BuildFrame;

enum {
  PROP_0,
  PROP_PARENT,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Bumped by every change in a registry that has (or had) children: it
 * invalidates all caches at once, so a cached answer never depends on the
 * depth of the parent chain. */
static guint hs_epoch;
static guint hs_next_id = 1;

static GPrivate build_stack = G_PRIVATE_INIT ((GDestroyNotify) g_array_unref);

G_DEFINE_TYPE_WITH_PRIVATE (HsRegistry, hs_registry, G_TYPE_OBJECT)

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
 * a memory reference. */
static gboolean
hs_entry_acquire (HsEntry *entry)
{
  gint live = g_atomic_int_get (&entry->live);

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
  if (!g_atomic_int_dec_and_test (&entry->live))
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

static guint
cache_entry_hash (gconstpointer data)
{
  const CacheEntry *ce = data;

  return (guint) (ce->kind * 31u) ^ (guint) (ce->ctx_type * 17u) ^ (guint) ce->no_singletons;
}

static gboolean
cache_entry_equal (gconstpointer a,
                   gconstpointer b)
{
  const CacheEntry *ca = a;
  const CacheEntry *cb = b;

  return ca->kind == cb->kind &&
         ca->ctx_type == cb->ctx_type &&
         ca->no_singletons == cb->no_singletons;
}

static void
cache_entry_free (CacheEntry *ce)
{
  hs_entry_unref (ce->winner);
  g_free (ce);
}

static void
hs_registry_dispose (GObject *object)
{
  HsRegistry *self = HS_REGISTRY (object);
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);
  GHashTable *by_kind, *by_id, *cache;

  /* Unref the entries with no lock held: their destroy notifies are user
   * code. */
  g_mutex_lock (&priv->lock);
  by_kind = g_steal_pointer (&priv->by_kind);
  by_id = g_steal_pointer (&priv->by_id);
  g_mutex_unlock (&priv->lock);

  g_rw_lock_writer_lock (&priv->cache_lock);
  cache = g_steal_pointer (&priv->cache);
  g_rw_lock_writer_unlock (&priv->cache_lock);

  g_clear_pointer (&cache, g_hash_table_unref);
  g_clear_pointer (&by_kind, g_hash_table_unref);
  g_clear_pointer (&by_id, g_hash_table_unref);

  g_clear_object (&priv->context);
  g_clear_object (&priv->parent);

  G_OBJECT_CLASS (hs_registry_parent_class)->dispose (object);
}

static void
hs_registry_finalize (GObject *object)
{
  HsRegistry *self = HS_REGISTRY (object);
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  g_mutex_clear (&priv->lock);
  g_rw_lock_clear (&priv->cache_lock);

  G_OBJECT_CLASS (hs_registry_parent_class)->finalize (object);
}

static void
hs_registry_constructed (GObject *object)
{
  HsRegistry *self = HS_REGISTRY (object);
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  G_OBJECT_CLASS (hs_registry_parent_class)->constructed (object);

  if (priv->parent != NULL)
    {
      HsRegistryPrivate *ppriv = hs_registry_get_instance_private (priv->parent);

      /* From now on a change in the parent must invalidate this child's
       * cache too; see hs_epoch. */
      g_mutex_lock (&ppriv->lock);
      ppriv->had_children = TRUE;
      g_mutex_unlock (&ppriv->lock);

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
  HsRegistry *self = HS_REGISTRY (object);

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
  HsRegistry *self = HS_REGISTRY (object);
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
  g_rw_lock_init (&priv->cache_lock);
  priv->by_kind = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  priv->by_id = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) hs_entry_retire);
  priv->cache = g_hash_table_new_full (cache_entry_hash, cache_entry_equal,
                                       NULL, (GDestroyNotify) cache_entry_free);
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
  g_return_val_if_fail (parent == NULL || HS_IS_REGISTRY (parent), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);

  return g_object_new (HS_TYPE_REGISTRY,
                       "parent", parent,
                       "context", context,
                       NULL);
}

/**
 * hs_registry_get_parent:
 * @self: a #HsRegistry
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
  gboolean invalidate_all;
  guint id;

  entry->registry = self;

  g_mutex_lock (&priv->lock);

  /* Ids come from one counter for all registries, so a larger id is always
   * the more recent registration. */
  id = entry->id = (guint) g_atomic_int_add (&hs_next_id, 1);
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

  g_atomic_int_inc (&priv->local_gen);
  invalidate_all = priv->had_children;

  g_mutex_unlock (&priv->lock);

  if (invalidate_all)
    g_atomic_int_inc (&hs_epoch);

  if (_hs_registry_registration_hook != NULL)
    _hs_registry_registration_hook (self, id);

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

  g_atomic_int_inc (&priv->local_gen);
  invalidate_all = priv->had_children;

  g_mutex_unlock (&priv->lock);

  if (invalidate_all)
    g_atomic_int_inc (&hs_epoch);

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
              (singleton == best_singleton && entry->id > best->id))
            best = entry;
        }
    }

  return best;
}

/* Returns the winning registration, with a live and a memory reference
 * (drop them with hs_entry_drop()), or NULL. */
static HsEntry *
registry_resolve (HsRegistry *self,
                  GType       kind,
                  GType       ctx_type,
                  gboolean    no_singletons)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);
  CacheEntry key = { kind, ctx_type, no_singletons, 0, 0, NULL };
  CacheEntry *ce, *stale = NULL;
  HsEntry *winner = NULL;
  gboolean hit = FALSE;
  guint epoch, local_gen;

  /* Read the stamps before resolving: a change that lands while we resolve
   * makes the entry we store stale, never wrong. */
  epoch = (guint) g_atomic_int_get (&hs_epoch);
  local_gen = (guint) g_atomic_int_get (&priv->local_gen);

  g_rw_lock_reader_lock (&priv->cache_lock);
  if (priv->cache != NULL &&
      (ce = g_hash_table_lookup (priv->cache, &key)) != NULL &&
      ce->epoch == epoch && ce->local_gen == local_gen)
    {
      hit = TRUE;
      if (ce->winner != NULL)
        {
          winner = hs_entry_ref (ce->winner);
          /* Unregistered since: only a stale cache can still name it. */
          if (!hs_entry_acquire (winner))
            {
              hs_entry_unref (winner);
              winner = NULL;
              hit = FALSE;
            }
        }
    }
  g_rw_lock_reader_unlock (&priv->cache_lock);

  if (hit)
    return winner;

  g_mutex_lock (&priv->lock);
  winner = best_candidate_locked (priv, kind, ctx_type, no_singletons);
  if (winner != NULL)
    {
      /* Registered entries are live: this cannot fail under the lock. */
      hs_entry_ref (winner);
      hs_entry_acquire (winner);
    }
  g_mutex_unlock (&priv->lock);

  /* Nothing here: the parent decides, with the same lookup context. Its own
   * cache makes this cheap. */
  if (winner == NULL && priv->parent != NULL)
    winner = registry_resolve (priv->parent, kind, ctx_type, no_singletons);

  ce = g_new (CacheEntry, 1);
  *ce = key;
  ce->epoch = epoch;
  ce->local_gen = local_gen;
  ce->winner = winner != NULL ? hs_entry_ref (winner) : NULL;

  g_rw_lock_writer_lock (&priv->cache_lock);
  if (priv->cache != NULL)
    {
      CacheEntry *old = NULL;

      if (g_hash_table_steal_extended (priv->cache, ce, (gpointer *) &old, NULL))
        stale = old;
      g_hash_table_insert (priv->cache, ce, ce);
      ce = NULL;
    }
  g_rw_lock_writer_unlock (&priv->cache_lock);

  /* Dropped with no lock held: the last reference may run a destroy notify. */
  if (stale != NULL)
    cache_entry_free (stale);
  if (ce != NULL)
    cache_entry_free (ce);

  return winner;
}

static GArray *
get_build_stack (void)
{
  GArray *stack = g_private_get (&build_stack);

  if (stack == NULL)
    {
      stack = g_array_new (FALSE, FALSE, sizeof (BuildFrame));
      g_private_set (&build_stack, stack);
    }

  return stack;
}

static void
set_cycle_error (GArray  *stack,
                 guint    first,
                 GType    kind,
                 GError **error)
{
  GString *chain = g_string_new (NULL);

  for (guint i = first; i < stack->len; i++)
    {
      g_string_append (chain, _hs_type_name (g_array_index (stack, BuildFrame, i).kind));
      g_string_append (chain, " → ");
    }
  g_string_append (chain, _hs_type_name (kind));

  g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE,
               _("Dependency cycle: %s"), chain->str);
  g_string_free (chain, TRUE);
}

static GObject *
build_entry (HsRegistry    *builder,
             HsEntry       *entry,
             GType          kind,
             GObject       *context,
             guint          n_properties,
             const char   **names,
             const GValue  *values,
             GError       **error)
{
  BuildFrame frame = { entry, builder, context, kind };
  GError *local_error = NULL;
  GArray *stack;
  GObject *object;

  if (entry->type == HS_REGISTRATION_INSTANCE)
    return g_object_ref (entry->instance);

  stack = get_build_stack ();

  /* Building the same registration with the same builder and context again,
   * inside itself, can only recurse for ever. */
  for (guint i = 0; i < stack->len; i++)
    {
      BuildFrame *f = &g_array_index (stack, BuildFrame, i);

      if (f->entry == entry && f->builder == builder && f->context == context)
        {
          set_cycle_error (stack, i, kind, error);
          return NULL;
        }
    }

  if (stack->len >= HS_MAX_BUILD_DEPTH)
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE,
                   _("Dependencies nested more than %d deep while building “%s”"),
                   HS_MAX_BUILD_DEPTH, _hs_type_name (kind));
      return NULL;
    }

  g_array_append_val (stack, frame);

  if (entry->type == HS_REGISTRATION_TYPE)
    {
      object = _hs_construct (builder, entry->implementation, context,
                              n_properties, names, values, &local_error);
    }
  else
    {
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
    }

  /* The stack may have been grown by nested builds: fetch it again. */
  stack = get_build_stack ();
  g_array_set_size (stack, stack->len - 1);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (g_object_is_floating (object))
    g_object_ref_sink (object);

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
  HsEntry *entry;
  GObject *object;

  *found = FALSE;

  if (!_hs_is_object_or_interface_type (kind))
    return NULL;

  entry = registry_resolve (self, kind,
                            context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID,
                            n_properties > 0);
  if (entry == NULL)
    return NULL;

  *found = TRUE;
  object = build_entry (self, entry, kind, context, n_properties, names, values, error);
  hs_entry_drop (entry);

  return object;
}

static GObject *
lookup_context (HsRegistry *self,
                GObject    *context)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  return context != NULL ? context : priv->context;
}

/**
 * hs_registry_get_with_properties: (rename-to hs_registry_get)
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @n_properties: the number of props
 * @names: (array length=n_properties) (nullable): the names of the props
 * @values: (array length=n_properties) (nullable): the values of the props
 * @error: return location for a #GError
 *
 * Returns the best implementation of @kind for @context, built with the
 * given props. Props are property values for a type registration (they win
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

  object = _hs_registry_build (self, kind, context, n_properties, names, values,
                               &found, error);
  if (!found)
    _hs_set_not_found_error (error, kind, context);

  return object;
}

/**
 * hs_registry_get: (skip)
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @error: return location for a #GError
 *
 * Returns the best implementation of @kind for @context; see
 * hs_registry_get_with_properties(), which bindings call as `get`.
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
  return hs_registry_get_with_properties (self, kind, context, 0, NULL, NULL, error);
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
  HsEntry *entry;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);

  if (!_hs_is_object_or_interface_type (kind))
    return NULL;

  context = lookup_context (self, context);
  entry = registry_resolve (self, kind,
                            context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID,
                            FALSE);
  if (entry == NULL)
    return NULL;

  registration = _hs_registration_new (entry->id, entry->type,
                                       entry->kind != G_TYPE_INVALID ? entry->kind
                                                                     : entry->implementation,
                                       entry->implementation, entry->instance,
                                       entry->context_type, entry->registry);
  hs_entry_drop (entry);

  return registration;
}
