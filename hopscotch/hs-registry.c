/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-registry-private.h"
#include "hs-build-private.h"
#include "hs-index-private.h"
#include "hs-scope-private.h"
#include "hs-registry-parts-private.h"
#include "hs-list-private.h"
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
 * ## Lifetimes and closing
 *
 * A type or factory registered with hs_registry_register_type_full() or
 * hs_registry_register_factory_full() may be kept instead of built on each
 * get: a %HS_LIFETIME_SINGLETON is built once by the registry that holds
 * it, with that registry's context, and shared by all its descendants; a
 * %HS_LIFETIME_SCOPED one is built once per registry that a get is called
 * on (a request, a window), with that registry's context. Each is built
 * once also when several threads ask at the same time: the others wait for
 * the build and get its object or its error; a build that fails is not
 * kept. Lifetimes do not change which registration wins (only instances
 * rank as singletons), but what is kept is no candidate of a get with
 * props.
 *
 * hs_registry_close() ends a registry, as a request or a window ends: it
 * releases what the registry kept, last built first, cancels the
 * cancellable of hs_registry_get_cancellable() and emits
 * #HsRegistry::closed; later gets, registrations and injections fail with
 * %HS_REGISTRY_ERROR_CLOSED. Dropping the last reference closes it too.
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
 * Every get returns the caller's own reference, never a floating one:
 *
 * - a #GInitiallyUnowned built from a type registration is always passed
 *   through g_object_ref_sink(), whatever its floating state, as
 *   `GtkBuilder` does: an object that sank itself while it was constructed
 *   (a `GtkWindow`, which its toplevel list holds; a Python subclass, which
 *   its wrapper holds) is returned with a new reference of the caller's;
 * - a factory returns a reference of its own (transfer full), which the get
 *   hands on: a floating one is sunk, a plain one is taken as it is;
 * - a singleton is returned with a new reference each time.
 */
typedef struct
{
  HsIndex  index;                     /* with the parent */
  HsScope  scope;                     /* what it keeps, and its cancellable */
  GObject *context;
  HsListWatch *lists;                 /* the lists that watch it (hs-list) */
} HsRegistryPrivate;

enum {
  PROP_0,
  PROP_PARENT,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

guint _hs_registry_signal_closed;
gint _hs_registry_context_offset;


G_DEFINE_TYPE_WITH_PRIVATE (HsRegistry, hs_registry, G_TYPE_OBJECT)

/**
 * hs_registry_error_quark:
 *
 * The quark of the %HS_REGISTRY_ERROR domain.
 *
 * Returns: the error domain's quark
 *
 * Since: 0.1
 */
G_DEFINE_QUARK (hs-registry-error-quark, hs_registry_error)

/* The virtual functions below use unchecked casts: GObject calls them with
 * an HsRegistry, and the checks cost a tenth of creating and dropping a
 * child registry, the per-request operation. */

static void
hs_registry_dispose (GObject *object)
{
  HsRegistry *self = (HsRegistry *) object;
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  /* The last reference closes (a no-op after the first time). */
  hs_registry_close (self);
  _hs_index_clear (&priv->index);

  g_clear_object (&priv->context);
  g_clear_object (&priv->index.parent);

  ((GObjectClass *) hs_registry_parent_class)->dispose (object);
}

static void
hs_registry_finalize (GObject *object)
{
  HsRegistry *self = (HsRegistry *) object;
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  _hs_scope_finalize (&priv->scope);
  _hs_index_finalize (&priv->index);
  _hs_list_watch_free (priv->lists);

  ((GObjectClass *) hs_registry_parent_class)->finalize (object);
}

/* The parent and the context are set while a registry is made (by
 * hs_registry_new(), or by g_object_new() with the properties, in any
 * order), not afterwards. They are not construct-only properties: GObject
 * would set both on every registry made, given or not, and that is what a
 * child registry cost most (request in bench/bench-registry.c). Instead
 * the index is sealed (_hs_index_seal()) once the registry is first used,
 * and later settings are refused. */

/* A registry being made gets its parent: from now on a change in the parent
 * must invalidate this child's answers too (see _hs_epoch); and a child
 * without a context of its own takes its parent's, once. */
static void
set_parent (HsRegistryPrivate *priv,
            HsRegistry        *parent)
{
  HsRegistryPrivate *ppriv = hs_registry_get_instance_private (parent);

  priv->index.parent = g_object_ref (parent);
  _hs_index_add_child (&ppriv->index);
  if (priv->context == NULL && ppriv->context != NULL)
    priv->context = g_object_ref (ppriv->context);
}

/* A registry being made gets its own context, replacing its parent's if it
 * took that one already; %NULL keeps what it has. */
static void
set_context (HsRegistryPrivate *priv,
             GObject           *context)
{
  if (context != NULL)
    g_set_object (&priv->context, context);
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

  if ((prop_id == PROP_PARENT || prop_id == PROP_CONTEXT) &&
      (_hs_index_sealed (&priv->index) ||
       (prop_id == PROP_PARENT && priv->index.parent != NULL)))
    {
      g_warning ("HsRegistry:%s is set when the registry is made, not once it is in use",
                 pspec->name);
      return;
    }

  switch (prop_id)
    {
    case PROP_PARENT:
      if (g_value_get_object (value) != NULL)
        set_parent (priv, g_value_get_object (value));
      break;

    case PROP_CONTEXT:
      set_context (priv, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_registry_class_init (HsRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_registry_dispose;
  object_class->finalize = hs_registry_finalize;
  object_class->get_property = hs_registry_get_property;
  object_class->set_property = hs_registry_set_property;

  /* Where the rest of the library finds a registry's index and scope. */
  _hs_index_offset = G_PRIVATE_OFFSET (HsRegistry, index);
  _hs_scope_offset = G_PRIVATE_OFFSET (HsRegistry, scope);
  _hs_registry_context_offset = G_PRIVATE_OFFSET (HsRegistry, context);
  _hs_list_watch_offset = G_PRIVATE_OFFSET (HsRegistry, lists);

  /**
   * HsRegistry:parent:
   *
   * The parent registry, asked for what this registry does not hold itself,
   * or %NULL for a root registry. The registry keeps it alive.
   *
   * Set when the registry is made, as a construct-only property is (but
   * cheaper to make): once the registry is in use (registered in, asked,
   * given a child or closed), or once it has a parent, setting it is
   * refused with a warning.
   */
  properties[PROP_PARENT] =
    g_param_spec_object ("parent", NULL, NULL,
                         HS_TYPE_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * HsRegistry:context:
   *
   * The registry's context: the lookup context of every get that does not
   * give one. A child created without a context takes its parent's context
   * at creation. The registry keeps it alive.
   *
   * Set when the registry is made, as #HsRegistry:parent is; setting it to
   * %NULL keeps the parent's.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HsRegistry::closed:
   * @self: the registry
   *
   * Emitted once, by hs_registry_close() (or the last unref), after the
   * registry released what it kept and cancelled its cancellable:
   * handlers see hs_registry_is_closed() return %TRUE and
   * hs_registry_get_cancellable() cancelled.
   *
   * Since: 0.2
   */
  _hs_registry_signal_closed =
    g_signal_new ("closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (HsRegistryClass, closed),
                  NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
hs_registry_init (HsRegistry *self)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  _hs_index_init (&priv->index);
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
 *
 * Since: 0.1
 */
HsRegistry *
hs_registry_new (HsRegistry *parent,
                 GObject    *context)
{
  HsRegistry *registry;
  HsRegistryPrivate *priv;

  g_return_val_if_fail (parent == NULL || HS_IS_REGISTRY (parent), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);

  /* Without the properties: GObject would look each one up by name,
   * validate and copy its value. The fields are set directly instead,
   * before anyone else can see the registry, as the properties would. */
  registry = (HsRegistry *) g_object_new_with_properties (HS_TYPE_REGISTRY, 0, NULL, NULL);
  priv = hs_registry_get_instance_private (registry);
  set_context (priv, context);
  if (parent != NULL)
    set_parent (priv, parent);
  _hs_index_seal (&priv->index);

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
 *
 * Since: 0.1
 */
HsRegistry *
hs_registry_get_parent (HsRegistry *self)
{
  HsRegistryPrivate *priv;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);

  priv = hs_registry_get_instance_private (self);
  return priv->index.parent;
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
 *
 * Since: 0.1
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

HsRegistrationHook _hs_registry_registration_hook = NULL;

_HsStaticRecord *_hs_pending_records = NULL;
HsCatchUpHook _hs_registry_catch_up_hook = NULL;

void
_hs_registry_catch_up (void)
{
  /* Set once by the manager, maybe on another thread. Without a manager
   * no key is subscribed: nothing is owed. */
  HsCatchUpHook hook = __atomic_load_n (&_hs_registry_catch_up_hook, __ATOMIC_ACQUIRE);

  if (hook != NULL)
    hook ();
}

gboolean
_hs_registry_check_closed (HsRegistry  *self,
                           GError     **error)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  if (G_LIKELY (!_hs_index_chain_closed (&priv->index)))
    return FALSE;

  hs_registry_close (self);
  _hs_set_closed_error (error);
  return TRUE;
}

/* Takes ownership of @entry; returns its id. */
static guint
registry_add (HsRegistry  *self,
              HsEntry     *entry,
              GError     **error)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);
  HsRegistrationHook hook;
  /* Read before the entry is the index's: another thread may take it out. */
  GType kind = entry->kind, implementation = entry->implementation;
  guint id;

  _hs_registry_observe_loads ();

  if (_hs_registry_check_closed (self, error))
    {
      _hs_entry_drop (entry);
      return 0;
    }

  entry->registry = self;
  id = _hs_index_add (&priv->index, entry);

  /* Set once by the registry manager, maybe on another thread. */
  hook = __atomic_load_n (&_hs_registry_registration_hook, __ATOMIC_ACQUIRE);
  if (hook != NULL)
    hook (self, id);

  _hs_list_registry_changed (self, kind, implementation);

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
 * instance, with the props of the get and its dependencies injected
 * (hs_registry_register_type_full() with %HS_LIFETIME_TRANSIENT).
 *
 * Registering the same type again is allowed: it is a newer registration.
 *
 * Returns: the registration id (> 0), or 0 with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_REGISTRATION (or, once the registry is
 *   closed, %HS_REGISTRY_ERROR_CLOSED), the registry unchanged
 *
 * Since: 0.1
 */
guint
hs_registry_register_type (HsRegistry  *self,
                           GType        implementation,
                           GType        kind,
                           GType        context,
                           GError     **error)
{
  return hs_registry_register_type_full (self, implementation, kind, context,
                                         HS_LIFETIME_TRANSIENT, error);
}

static gboolean
check_lifetime (HsLifetime   lifetime,
                GError     **error)
{
  if (lifetime == HS_LIFETIME_TRANSIENT ||
      lifetime == HS_LIFETIME_SINGLETON ||
      lifetime == HS_LIFETIME_SCOPED)
    return TRUE;

  g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
               _("Unknown lifetime %d"), (int) lifetime);
  return FALSE;
}

/**
 * hs_registry_register_type_full:
 * @self: a #HsRegistry
 * @implementation: an instantiable, non-abstract #GObject type
 * @kind: the kind it answers for, or %G_TYPE_INVALID (or %G_TYPE_NONE) for
 *   its own type, its ancestors below #GObject and its interfaces
 * @context: the context type it is for, or %G_TYPE_INVALID (or
 *   %G_TYPE_NONE) for any context
 * @lifetime: how long what it builds is kept
 * @error: return location for a #GError
 *
 * Registers @implementation with a lifetime. %HS_LIFETIME_TRANSIENT
 * constructs a new instance on each get it wins, as
 * hs_registry_register_type() does. %HS_LIFETIME_SINGLETON constructs it
 * once, lazily: @self builds it, with its own context, the first time a
 * get from @self or a descendant picks it, and keeps it until the
 * registration is removed or @self is closed. %HS_LIFETIME_SCOPED
 * constructs it once per registry a get is called on, with that
 * registry's context, kept until that registry is closed.
 *
 * A lifetime does not change which registration wins a get: a lazy
 * singleton or a scoped registration ranks as a type, not as an instance;
 * but neither is a candidate of a get with props.
 *
 * Returns: the registration id (> 0), or 0 with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_REGISTRATION or %HS_REGISTRY_ERROR_CLOSED,
 *   the registry unchanged
 *
 * Since: 0.2
 */
guint
hs_registry_register_type_full (HsRegistry  *self,
                                GType        implementation,
                                GType        kind,
                                GType        context,
                                HsLifetime   lifetime,
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

  if (!check_lifetime (lifetime, error) ||
      !_hs_check_kind_and_context (implementation, kind, context, error))
    return 0;

  return registry_add (self,
                       _hs_entry_new (HS_REGISTRATION_TYPE, lifetime, implementation, kind, context),
                       error);
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
 *
 * Since: 0.1
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

  if (!_hs_check_kind_and_context (G_OBJECT_TYPE (instance), kind, context, error))
    return 0;

  entry = _hs_entry_new (HS_REGISTRATION_INSTANCE, HS_LIFETIME_TRANSIENT,
                         G_OBJECT_TYPE (instance), kind, context);
  entry->held.instance = g_object_ref_sink (instance);

  return registry_add (self, entry, error);
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
 * building registry, the lookup context and the props of the get
 * (hs_registry_register_factory_full() with %HS_LIFETIME_TRANSIENT).
 *
 * A factory must be given a kind. When the registration is refused,
 * @destroy is called at once, so that bindings do not leak @user_data.
 *
 * Returns: the registration id (> 0), or 0 with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_REGISTRATION (or, once the registry is
 *   closed, %HS_REGISTRY_ERROR_CLOSED), the registry unchanged
 *
 * Since: 0.1
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
  return hs_registry_register_factory_full (self, kind, context, HS_LIFETIME_TRANSIENT,
                                            factory, user_data, destroy, error);
}

/* A factory registration, synchronous (@factory) or asynchronous
 * (@async_factory and @async_finish). */
static guint
register_factory (HsRegistry            *self,
                  GType                  kind,
                  GType                  context,
                  HsLifetime             lifetime,
                  HsFactory              factory,
                  HsAsyncFactory         async_factory,
                  HsAsyncFactoryFinish   async_finish,
                  gpointer               user_data,
                  GDestroyNotify         destroy,
                  GError               **error)
{
  HsEntry *entry;

  if ((factory == NULL && async_factory == NULL) || _hs_not_given_if_none (kind) == G_TYPE_INVALID)
    {
      g_set_error_literal (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                           factory == NULL && async_factory == NULL ? _("No factory function given")
                                                                    : _("A factory must be given a kind"));
      goto refused;
    }

  if (!check_lifetime (lifetime, error) ||
      !_hs_check_kind_and_context (G_TYPE_INVALID, kind, context, error))
    goto refused;

  entry = _hs_entry_new (HS_REGISTRATION_FACTORY, lifetime, G_TYPE_INVALID, kind, context);
  entry->held.factory.func = factory;
  entry->held.factory.async_func = async_factory;
  entry->held.factory.async_finish = async_finish;
  entry->held.factory.user_data = user_data;
  entry->held.factory.destroy = destroy;

  /* A refusal there drops the entry, which calls @destroy. */
  return registry_add (self, entry, error);

refused:
  if (destroy != NULL)
    destroy (user_data);
  return 0;
}

/**
 * hs_registry_register_factory_full:
 * @self: a #HsRegistry
 * @kind: the kind the factory's objects are
 * @context: the context type it is for, or %G_TYPE_INVALID (or
 *   %G_TYPE_NONE) for any context
 * @lifetime: how long what it builds is kept
 * @factory: (scope notified) (closure user_data) (destroy destroy): the
 *   function that builds the objects
 * @user_data: data for @factory
 * @destroy: (nullable): called with @user_data when the registration is gone
 *   and no get uses it any more
 * @error: return location for a #GError
 *
 * Registers a factory with a lifetime, as hs_registry_register_type_full()
 * does a type: a %HS_LIFETIME_SINGLETON factory is called once, by @self
 * with its own context; a %HS_LIFETIME_SCOPED one once per registry a get
 * is called on, with that registry and its context.
 *
 * Returns: the registration id (> 0), or 0 with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_REGISTRATION or %HS_REGISTRY_ERROR_CLOSED,
 *   the registry unchanged
 *
 * Since: 0.2
 */
guint
hs_registry_register_factory_full (HsRegistry     *self,
                                   GType           kind,
                                   GType           context,
                                   HsLifetime      lifetime,
                                   HsFactory       factory,
                                   gpointer        user_data,
                                   GDestroyNotify  destroy,
                                   GError        **error)
{
  g_return_val_if_fail (HS_IS_REGISTRY (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return register_factory (self, kind, context, lifetime, factory, NULL, NULL,
                           user_data, destroy, error);
}

/**
 * hs_registry_register_async_factory:
 * @self: a #HsRegistry
 * @kind: the kind the factory's objects are
 * @context: the context type it is for, or %G_TYPE_INVALID (or
 *   %G_TYPE_NONE) for any context
 * @lifetime: how long what it builds is kept
 * @factory: (scope notified) (closure user_data) (destroy destroy): the
 *   function that starts building an object
 * @finish: (scope notified): the function that completes what @factory
 *   started
 * @user_data: data for @factory and @finish
 * @destroy: (nullable): called with @user_data when the registration is gone
 *   and no get uses it any more
 * @error: return location for a #GError
 *
 * Registers an asynchronous factory, as GIO's `_async`/`_finish` pairs are
 * made: each hs_registry_get_async() that it wins calls @factory with the
 * building registry, the lookup context and a cancellable, and completes
 * with what @finish returns for the #GAsyncResult that @factory's callback
 * got. @lifetime is as for hs_registry_register_factory_full(): a
 * %HS_LIFETIME_SINGLETON or %HS_LIFETIME_SCOPED factory is called once,
 * shared by the gets that ask while it runs.
 *
 * A synchronous get that it wins, or that needs what it builds as a
 * dependency, fails with %HS_REGISTRY_ERROR_NEEDS_ASYNC (it never runs a
 * main loop of its own); a kept object that it built already is returned
 * by synchronous gets too. When the registration is refused, @destroy is
 * called at once.
 *
 * Returns: the registration id (> 0), or 0 with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_REGISTRATION or %HS_REGISTRY_ERROR_CLOSED,
 *   the registry unchanged
 *
 * Since: 0.2
 */
guint
hs_registry_register_async_factory (HsRegistry           *self,
                                    GType                 kind,
                                    GType                 context,
                                    HsLifetime            lifetime,
                                    HsAsyncFactory        factory,
                                    HsAsyncFactoryFinish  finish,
                                    gpointer              user_data,
                                    GDestroyNotify        destroy,
                                    GError              **error)
{
  g_return_val_if_fail (HS_IS_REGISTRY (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (factory != NULL && finish == NULL)
    {
      g_set_error_literal (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                           _("No finish function given for the asynchronous factory"));
      if (destroy != NULL)
        destroy (user_data);
      return 0;
    }

  return register_factory (self, kind, context, lifetime, NULL, factory, finish,
                           user_data, destroy, error);
}

/**
 * hs_registry_unregister:
 * @self: a #HsRegistry
 * @registration_id: an id returned by one of the register functions of @self
 *
 * Removes one registration of @self. Objects already handed out are not
 * affected. What @self itself kept for the registration (its lazy
 * singleton, or its own scoped object) is released with it; scoped objects
 * that descendants built from it stay with them until they are closed.
 *
 * Unregistering works on a closed registry as on an open one: it is
 * cleanup (a module's unloading undoes its registrations this way), and it
 * releases what the registration holds (a factory's data, an instance).
 *
 * Returns: %TRUE if the registration was removed, %FALSE if @self holds no
 *   registration with that id
 *
 * Since: 0.1
 */
gboolean
hs_registry_unregister (HsRegistry *self,
                        guint       registration_id)
{
  HsRegistryPrivate *priv;
  HsEntry *entry;
  GObject *kept;

  g_return_val_if_fail (HS_IS_REGISTRY (self), FALSE);

  priv = hs_registry_get_instance_private (self);
  if (!_hs_index_remove (&priv->index, registration_id, &entry))
    return FALSE;

  /* After the grace period of the removal: no get can be using what was
   * kept for it any more (its answers are stale). */
  kept = _hs_scope_forget (&priv->scope, entry);
  g_clear_object (&kept);
  _hs_list_registry_changed (self, entry->kind, entry->implementation);
  _hs_entry_drop (entry);

  return TRUE;
}
