/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gobject/gvaluecollector.h>

#include "hs-registry-private.h"
#include "hs-build-private.h"
#include "hs-index-private.h"
#include "hs-scope-private.h"
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
} HsRegistryPrivate;

enum {
  PROP_0,
  PROP_PARENT,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


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

  ((GObjectClass *) hs_registry_parent_class)->finalize (object);
}

static void
hs_registry_constructed (GObject *object)
{
  HsRegistry *self = (HsRegistry *) object;
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  ((GObjectClass *) hs_registry_parent_class)->constructed (object);

  if (priv->index.parent != NULL)
    {
      HsRegistryPrivate *ppriv = hs_registry_get_instance_private (priv->index.parent);

      /* From now on a change in the parent must invalidate this child's
       * answers too; see _hs_epoch. */
      _hs_index_add_child (&ppriv->index);

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
      priv->index.parent = g_value_dup_object (value);
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

  /* Where the rest of the library finds a registry's index and scope. */
  _hs_index_offset = G_PRIVATE_OFFSET (HsRegistry, index);
  _hs_scope_offset = G_PRIVATE_OFFSET (HsRegistry, scope);

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
  signals[SIGNAL_CLOSED] =
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

/* Whether @self is closed, or an ancestor is (then @self is closed now:
 * "when it is next used"); sets HS_REGISTRY_ERROR_CLOSED if so. */
static gboolean
check_closed (HsRegistry  *self,
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
  guint id;

  _hs_registry_observe_loads ();

  if (check_closed (self, error))
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
  entry->instance = g_object_ref_sink (instance);

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
  HsEntry *entry;

  g_return_val_if_fail (HS_IS_REGISTRY (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (factory == NULL || _hs_not_given_if_none (kind) == G_TYPE_INVALID)
    {
      g_set_error_literal (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION,
                           factory == NULL ? _("No factory function given")
                                           : _("A factory must be given a kind"));
      goto refused;
    }

  if (!check_lifetime (lifetime, error) ||
      !_hs_check_kind_and_context (G_TYPE_INVALID, kind, context, error))
    goto refused;

  entry = _hs_entry_new (HS_REGISTRATION_FACTORY, lifetime, G_TYPE_INVALID, kind, context);
  entry->factory = factory;
  entry->user_data = user_data;
  entry->destroy = destroy;

  /* A refusal there drops the entry, which calls @destroy. */
  return registry_add (self, entry, error);

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
  _hs_entry_drop (entry);

  return TRUE;
}

/* Getting */

/* A get that found something but built nothing: when the registry or an
 * ancestor is closed, the registry is closed now ("a child of a closed
 * registry is closed when it is next used"). Out of line: never on the
 * path of a get that succeeds. */
static G_NO_INLINE void
get_failed (HsRegistry  *self,
            gboolean     found,
            GType        kind,
            GObject     *context,
            GError     **error)
{
  HsRegistryPrivate *priv = hs_registry_get_instance_private (self);

  if (!found)
    _hs_set_not_found_error (error, kind, context);
  else if (_hs_index_chain_closed (&priv->index))
    hs_registry_close (self);
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
 * %HS_REGISTRY_ERROR_TOO_DEEP,
 * %HS_REGISTRY_ERROR_FACTORY_FAILED, %HS_REGISTRY_ERROR_CLOSED once @self
 * or an ancestor is closed, or the error of a failing
 * `GInitable.init()` or factory, unchanged.
 *
 * Returns: (transfer full) (type GObject): a new reference to an object that
 *   is a kind of @kind, or %NULL with @error set
 *
 * Since: 0.1
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

  _hs_registry_observe_loads ();
  context = lookup_context (self, context);

  object = _hs_build (self, kind, context, n_properties, names, values, &found, error);
  if (G_UNLIKELY (object == NULL))
    get_failed (self, found, kind, context, error);

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
 *
 * Since: 0.1
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

  _hs_registry_observe_loads ();
  context = lookup_context (self, context);

  object = _hs_build (self, kind, context, 0, NULL, NULL, &found, error);
  if (G_UNLIKELY (object == NULL))
    get_failed (self, found, kind, context, error);

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
 * as g_object_new() does, for the properties of what would win the get with
 * props (singletons are no candidates then): the type of a type
 * registration or, for a factory, the kind's own properties, a class's or
 * an interface's. A name that is not one of them is
 * %HS_REGISTRY_ERROR_INVALID_PROPERTY, naming it: its value cannot be taken
 * off the list.
 *
 * Returns: (transfer full): a new reference to an object that is a kind of
 *   @kind, or %NULL with @error set
 *
 * Since: 0.1
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
  gpointer klass = NULL;              /* the class, or the interface's vtable */
  GType collect_type = kind;
  gpointer object = NULL;
  GObject *lookup;
  HsResolveResult result;
  HsWinner w;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (first_property_name == NULL)
    return hs_registry_get (self, kind, context, error);

  _hs_registry_observe_loads ();

  /* Collecting a vararg needs its C type, which comes from the property of
   * what will be built: the registration that wins with props (singletons
   * are no candidates then), its type, or for a factory the kind's own
   * property, of a class or of an interface. */
  lookup = lookup_context (self, context);
  result = _hs_resolve (self, kind, lookup != NULL ? G_OBJECT_TYPE (lookup) : G_TYPE_INVALID,
                        TRUE, FALSE, &w);
  if (result != HS_RESOLVE_FOUND)
    {
      if (result == HS_RESOLVE_CLOSED)
        _hs_set_closed_error (error);
      get_failed (self, result != HS_RESOLVE_NONE, kind, lookup, error);
      return NULL;
    }
  if (w.type == HS_REGISTRATION_TYPE)
    collect_type = w.implementation;
  _hs_winner_clear (&w);

  if (G_TYPE_IS_INTERFACE (collect_type))
    klass = g_type_default_interface_ref (collect_type);
  else if (G_TYPE_IS_OBJECT (collect_type))
    klass = g_type_class_ref (collect_type);

  names = g_array_new (FALSE, FALSE, sizeof (const char *));
  values = g_array_new (FALSE, TRUE, sizeof (GValue));
  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);

  for (const char *name = first_property_name; name != NULL; name = va_arg (args, const char *))
    {
      GParamSpec *pspec = klass == NULL ? NULL
                          : G_TYPE_IS_INTERFACE (collect_type) ? g_object_interface_find_property (klass, name)
                          : g_object_class_find_property (klass, name);
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
  if (klass != NULL && G_TYPE_IS_INTERFACE (collect_type))
    g_type_default_interface_unref (klass);
  else if (klass != NULL)
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
 *
 * Since: 0.1
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
 * building anything (as a get without props: singletons are candidates),
 * and its lifetime (#HsRegistration:lifetime).
 *
 * Returns: (transfer full) (nullable): the winning registration, or %NULL
 *   when nothing answers or @self is closed
 *
 * Since: 0.1
 */
HsRegistration *
hs_registry_lookup (HsRegistry *self,
                    GType       kind,
                    GObject    *context)
{
  HsRegistration *registration;
  HsWinner w;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);

  _hs_registry_observe_loads ();
  context = lookup_context (self, context);
  switch (_hs_resolve (self, kind,
                       context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID,
                       FALSE, FALSE, &w))
    {
    case HS_RESOLVE_FOUND:
      break;
    case HS_RESOLVE_CLOSED:
      get_failed (self, TRUE, kind, context, NULL);
      return NULL;
    case HS_RESOLVE_NONE:
    default:
      return NULL;
    }

  registration = _hs_registration_new ((guint) w.serial, w.type, w.lifetime,
                                       w.kind != G_TYPE_INVALID ? w.kind : w.implementation,
                                       w.implementation, w.instance,
                                       w.context_type, w.registry);
  _hs_winner_clear (&w);

  return registration;
}

/* Borrowing */

/* A peek that its thread's cache could not answer: resolves as a get, and
 * makes the keeper hold what answers for borrowers. Out of line: once per
 * thread, answer and change of stamps. */
static G_NO_INLINE gpointer
peek_uncached (HsRegistry  *self,
               GType        kind,
               GObject     *context,
               GError     **error)
{
  GType ctx_type = context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID;
  HsResolveResult result;
  HsRegistry *keeper;
  GObject *object;
  HsWinner w;

  result = _hs_resolve (self, kind, ctx_type, FALSE, TRUE, &w);
  if (result != HS_RESOLVE_FOUND)
    {
      if (result == HS_RESOLVE_CLOSED)
        _hs_set_closed_error (error);
      get_failed (self, result != HS_RESOLVE_NONE, kind, context, error);
      return NULL;
    }

  /* The cached answer may predate the build (a get from a descendant
   * built it meanwhile): the scope knows. */
  if (w.instance == NULL && w.lifetime != HS_LIFETIME_TRANSIENT)
    _hs_resolve_find_kept (self, kind, ctx_type, &w);

  /* Nothing built: a type, a factory, or a kept registration before its
   * first get. */
  if (w.instance == NULL)
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_SINGLETON,
                   _("What answers “%s” is not a singleton built already: it cannot be peeked"),
                   _hs_type_name (kind));
      _hs_winner_clear (&w);
      return NULL;
    }

  /* The registry that keeps it (a scoped object's scope is @self) or
   * holds it (an instance, a lazy singleton): @self or an ancestor, alive
   * as long as @self is. */
  keeper = w.type != HS_REGISTRATION_INSTANCE && w.lifetime == HS_LIFETIME_SCOPED ? self : w.registry;
  _hs_scope_keep_peeked (_hs_registry_scope (keeper), w.instance);
  _hs_resolve_mark_peeked (self, kind, ctx_type, w.instance);

  /* Our reference goes; the keeper's stays until it is finalized. */
  object = w.instance;
  _hs_winner_clear (&w);

  return object;
}

/**
 * hs_registry_peek:
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @error: return location for a #GError
 *
 * Answers as hs_registry_get() would, but only when what answers is a
 * singleton: a registered instance, or what a %HS_LIFETIME_SINGLETON or
 * %HS_LIFETIME_SCOPED registration built already; and without taking a
 * reference, so that threads peeking the same object do not contend on
 * its reference count. For hot paths on many threads; a peek answered
 * from the thread's cache writes no shared memory at all.
 *
 * The object is borrowed from the registry that holds it (the one where
 * the instance or the lazy singleton was registered, or @self for a
 * scoped object), which from the first peek on keeps a reference of its
 * own until it is finalized: the object stays valid as long as @self
 * lives (it keeps its ancestors alive), even when it is unregistered
 * meanwhile, or when the holder is closed. Closing still releases what the
 * registry kept for its registrations, last built first, but a peeked
 * object's finalizer runs only when its holder is finalized (last peeked
 * first). Take a reference with g_object_ref() to keep it longer.
 *
 * Errors: %HS_REGISTRY_ERROR_NOT_SINGLETON when what answers is a type or
 * a factory, or a lazy singleton or scoped registration not built yet
 * (hs_registry_get() builds it); %HS_REGISTRY_ERROR_NOT_FOUND when nothing
 * answers; %HS_REGISTRY_ERROR_CLOSED once @self or an ancestor is closed.
 *
 * Returns: (transfer none) (type GObject): the object, a kind of @kind,
 *   valid while @self lives; or %NULL with @error set
 *
 * Since: 0.2
 */
gpointer
hs_registry_peek (HsRegistry  *self,
                  GType        kind,
                  GObject     *context,
                  GError     **error)
{
  GObject *object;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _hs_registry_observe_loads ();
  context = lookup_context (self, context);

  object = _hs_resolve_peek_cached (self, kind,
                                    context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID);
  if (G_LIKELY (object != NULL))
    return object;

  return peek_uncached (self, kind, context, error);
}

/* Closing */

/**
 * hs_registry_close:
 * @self: a #HsRegistry
 *
 * Closes @self, as a request, a window or a document ends: releases what
 * @self kept for %HS_LIFETIME_SINGLETON registrations it holds and for
 * %HS_LIFETIME_SCOPED registrations of gets called on it, last built first
 * (in the reverse of the order in which their builds completed); cancels
 * the cancellable of hs_registry_get_cancellable(); and emits
 * #HsRegistry::closed.
 *
 * From then on gets, registrations and hs_registry_inject() on @self fail
 * with %HS_REGISTRY_ERROR_CLOSED, and hs_registry_lookup() finds nothing;
 * hs_registry_unregister() still removes registrations. A build that
 * completes after @self closed is not kept, and its get fails with
 * %HS_REGISTRY_ERROR_CLOSED.
 *
 * A child of a closed registry is closed when it is next used (a get, a
 * registration, an injection, hs_registry_is_closed()); closing does not
 * reach into children otherwise. Closing again does nothing. Dropping the
 * last reference to a registry closes it.
 *
 * Since: 0.2
 */
void
hs_registry_close (HsRegistry *self)
{
  HsRegistryPrivate *priv;
  GCancellable *cancellable;
  HsBuilt *kept;

  g_return_if_fail (HS_IS_REGISTRY (self));

  priv = hs_registry_get_instance_private (self);
  if (!_hs_scope_close (&priv->scope, &kept, &cancellable))
    return;

  /* Gets that still use a kept object through a cached answer finish
   * first: the stamps change, then a grace period passes (when there is
   * something to release). */
  _hs_index_close (&priv->index, kept != NULL);

  /* Last built first. */
  _hs_scope_release (kept);

  if (cancellable != NULL)
    {
      g_cancellable_cancel (cancellable);
      g_object_unref (cancellable);
    }

  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

/**
 * hs_registry_is_closed:
 * @self: a #HsRegistry
 *
 * Tells whether @self is closed: by hs_registry_close(), or because an
 * ancestor is (then @self is closed now).
 *
 * Returns: %TRUE if @self is closed
 *
 * Since: 0.2
 */
gboolean
hs_registry_is_closed (HsRegistry *self)
{
  HsRegistryPrivate *priv;

  g_return_val_if_fail (HS_IS_REGISTRY (self), FALSE);

  priv = hs_registry_get_instance_private (self);
  if (_hs_scope_is_closed (&priv->scope))
    return TRUE;

  return check_closed (self, NULL);
}

/**
 * hs_registry_get_cancellable:
 * @self: a #HsRegistry
 *
 * Gets the cancellable that hs_registry_close() cancels, made on first
 * use: tie work that must stop with the registry (a request's, a window's)
 * to it. One first asked for after @self closed is cancelled already.
 *
 * Returns: (transfer none): the registry's cancellable
 *
 * Since: 0.2
 */
GCancellable *
hs_registry_get_cancellable (HsRegistry *self)
{
  HsRegistryPrivate *priv;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);

  priv = hs_registry_get_instance_private (self);
  return _hs_scope_get_cancellable (&priv->scope);
}
