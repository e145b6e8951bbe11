/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-registration-private.h"

/**
 * SECTION:hs-registration
 * @title: HsRegistration
 * @short_description: what hs_registry_lookup() found
 *
 * An #HsRegistration describes one registration of a registry: what it
 * holds (a type, an instance or a factory), how long what it builds is
 * kept (its #HsLifetime), the kind it was registered as, its context type
 * and the registry that holds it. hs_registry_lookup()
 * returns the one a get would use, without building anything;
 * hs_registry_list() lists every one that answers, and hs_registry_build()
 * builds one. It is a snapshot: it stays valid after the registration is
 * removed.
 */

struct _HsRegistration
{
  GObject             parent_instance;

  guint               id;
  HsRegistrationType  type;
  HsLifetime          lifetime;
  GType               kind;
  GType               implementation;
  GObject            *instance;
  GType               context_type;
  HsRegistry         *registry;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_REGISTRATION_TYPE,
  PROP_KIND,
  PROP_IMPLEMENTATION_TYPE,
  PROP_INSTANCE,
  PROP_CONTEXT_TYPE,
  PROP_REGISTRY,
  PROP_LIFETIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HsRegistration, hs_registration, G_TYPE_OBJECT)

static void
hs_registration_dispose (GObject *object)
{
  HsRegistration *self = HS_REGISTRATION (object);

  g_clear_object (&self->instance);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (hs_registration_parent_class)->dispose (object);
}

static void
hs_registration_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HsRegistration *self = HS_REGISTRATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;
    case PROP_REGISTRATION_TYPE:
      g_value_set_enum (value, self->type);
      break;
    case PROP_KIND:
      g_value_set_gtype (value, self->kind);
      break;
    case PROP_IMPLEMENTATION_TYPE:
      g_value_set_gtype (value, self->implementation);
      break;
    case PROP_INSTANCE:
      g_value_set_object (value, self->instance);
      break;
    case PROP_CONTEXT_TYPE:
      g_value_set_gtype (value, self->context_type);
      break;
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;
    case PROP_LIFETIME:
      g_value_set_enum (value, self->lifetime);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_registration_class_init (HsRegistrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hs_registration_dispose;
  object_class->get_property = hs_registration_get_property;

  /**
   * HsRegistration:id:
   *
   * The registration id, as returned when it was registered.
   */
  properties[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * HsRegistration:registration-type:
   *
   * Whether the registration holds a type, an instance or a factory.
   */
  properties[PROP_REGISTRATION_TYPE] =
    g_param_spec_enum ("registration-type", NULL, NULL,
                       HS_TYPE_REGISTRATION_TYPE, HS_REGISTRATION_TYPE, flags);

  /**
   * HsRegistration:kind:
   *
   * The kind given at registration or, when it was omitted, the
   * implementation's own type.
   */
  properties[PROP_KIND] = g_param_spec_gtype ("kind", NULL, NULL, G_TYPE_NONE, flags);

  /**
   * HsRegistration:implementation-type:
   *
   * The registered type, the instance's type, or %G_TYPE_INVALID for a
   * factory.
   */
  properties[PROP_IMPLEMENTATION_TYPE] =
    g_param_spec_gtype ("implementation-type", NULL, NULL, G_TYPE_NONE, flags);

  /**
   * HsRegistration:instance:
   *
   * The singleton of an instance registration, %NULL otherwise.
   */
  properties[PROP_INSTANCE] =
    g_param_spec_object ("instance", NULL, NULL, G_TYPE_OBJECT, flags);

  /**
   * HsRegistration:context-type:
   *
   * The context type the registration is for, or %G_TYPE_INVALID for any
   * context.
   */
  properties[PROP_CONTEXT_TYPE] =
    g_param_spec_gtype ("context-type", NULL, NULL, G_TYPE_NONE, flags);

  /**
   * HsRegistration:registry:
   *
   * The registry that holds the registration.
   */
  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL, HS_TYPE_REGISTRY, flags);

  /**
   * HsRegistration:lifetime:
   *
   * How long what the registration builds is kept: always
   * %HS_LIFETIME_TRANSIENT for an instance, which is no build.
   *
   * Since: 0.2
   */
  properties[PROP_LIFETIME] =
    g_param_spec_enum ("lifetime", NULL, NULL,
                       HS_TYPE_LIFETIME, HS_LIFETIME_TRANSIENT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_registration_init (HsRegistration *self)
{
}

HsRegistration *
_hs_registration_new (guint               id,
                      HsRegistrationType  type,
                      HsLifetime          lifetime,
                      GType               kind,
                      GType               implementation,
                      GObject            *instance,
                      GType               context_type,
                      HsRegistry         *registry)
{
  HsRegistration *self = g_object_new (HS_TYPE_REGISTRATION, NULL);

  self->id = id;
  self->type = type;
  self->lifetime = lifetime;
  self->kind = kind;
  self->implementation = implementation;
  self->instance = instance != NULL ? g_object_ref (instance) : NULL;
  self->context_type = context_type;
  self->registry = g_object_ref (registry);

  return self;
}

/**
 * hs_registration_get_id:
 * @self: a #HsRegistration
 *
 * Gets the id the register function returned, which
 * hs_registry_unregister() takes.
 *
 * Returns: the registration id
 *
 * Since: 0.1
 */
guint
hs_registration_get_id (HsRegistration *self)
{
  g_return_val_if_fail (HS_IS_REGISTRATION (self), 0);
  return self->id;
}

/**
 * hs_registration_get_registration_type:
 * @self: a #HsRegistration
 *
 * Gets what the registration holds.
 *
 * Returns: whether it holds a type, an instance or a factory
 *
 * Since: 0.1
 */
HsRegistrationType
hs_registration_get_registration_type (HsRegistration *self)
{
  g_return_val_if_fail (HS_IS_REGISTRATION (self), HS_REGISTRATION_TYPE);
  return self->type;
}

/**
 * hs_registration_get_kind:
 * @self: a #HsRegistration
 *
 * Gets the kind the registration was made for.
 *
 * Returns: the kind given at registration, or the implementation's own type
 *   when it was omitted
 *
 * Since: 0.1
 */
GType
hs_registration_get_kind (HsRegistration *self)
{
  g_return_val_if_fail (HS_IS_REGISTRATION (self), G_TYPE_INVALID);
  return self->kind;
}

/**
 * hs_registration_get_implementation_type:
 * @self: a #HsRegistration
 *
 * Gets the type that a get won by this registration builds, or the type
 * of its singleton.
 *
 * Returns: the registered type, the instance's type, or %G_TYPE_INVALID for
 *   a factory
 *
 * Since: 0.1
 */
GType
hs_registration_get_implementation_type (HsRegistration *self)
{
  g_return_val_if_fail (HS_IS_REGISTRATION (self), G_TYPE_INVALID);
  return self->implementation;
}

/**
 * hs_registration_get_instance:
 * @self: a #HsRegistration
 *
 * Gets the object that a get won by an instance registration returns.
 *
 * Returns: (transfer none) (nullable): the singleton of an instance
 *   registration, or %NULL
 *
 * Since: 0.1
 */
GObject *
hs_registration_get_instance (HsRegistration *self)
{
  g_return_val_if_fail (HS_IS_REGISTRATION (self), NULL);
  return self->instance;
}

/**
 * hs_registration_get_context_type:
 * @self: a #HsRegistration
 *
 * Gets the context type the registration was made for.
 *
 * Returns: the context type, or %G_TYPE_INVALID for any context
 *
 * Since: 0.1
 */
GType
hs_registration_get_context_type (HsRegistration *self)
{
  g_return_val_if_fail (HS_IS_REGISTRATION (self), G_TYPE_INVALID);
  return self->context_type;
}

/**
 * hs_registration_get_registry:
 * @self: a #HsRegistration
 *
 * Gets the registry that holds the registration, which may be an ancestor
 * of the registry that was asked.
 *
 * Returns: (transfer none): the registry that holds the registration
 *
 * Since: 0.1
 */
HsRegistry *
hs_registration_get_registry (HsRegistration *self)
{
  g_return_val_if_fail (HS_IS_REGISTRATION (self), NULL);
  return self->registry;
}

/**
 * hs_registration_get_lifetime:
 * @self: a #HsRegistration
 *
 * Gets how long what the registration builds is kept: see #HsLifetime.
 *
 * Returns: the lifetime given at registration; %HS_LIFETIME_TRANSIENT for
 *   an instance registration and for the plain register functions
 *
 * Since: 0.2
 */
HsLifetime
hs_registration_get_lifetime (HsRegistration *self)
{
  g_return_val_if_fail (HS_IS_REGISTRATION (self), HS_LIFETIME_TRANSIENT);
  return self->lifetime;
}
