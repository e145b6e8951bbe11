/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_INSIDE) && !defined(HOPSCOTCH_COMPILATION)
# error "Only <hopscotch.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hs-types.h"
#include "hs-registration.h"
#include "hs-version-macros.h"

G_BEGIN_DECLS

/**
 * HS_REGISTRY_ERROR:
 *
 * The error domain of #HsRegistry: errors are #HsRegistryError codes.
 *
 * Since: 0.1
 */
#define HS_REGISTRY_ERROR (hs_registry_error_quark ())

/**
 * HsRegistryError:
 * @HS_REGISTRY_ERROR_NOT_FOUND: no registration answers for the kind (and
 *   context) asked for, in the registry or its ancestors
 * @HS_REGISTRY_ERROR_INVALID_REGISTRATION: a registration was refused: the
 *   implementation is not an instantiable, non-abstract #GObject type, is not
 *   a kind of the kind given, or the context type is not an object or
 *   interface type
 * @HS_REGISTRY_ERROR_INVALID_PROPERTY: a property given, injected or annotated
 *   does not exist, is not writable, or its value cannot be converted
 * @HS_REGISTRY_ERROR_NO_CONTEXT: a property wants the lookup context but the
 *   lookup has none
 * @HS_REGISTRY_ERROR_CYCLE: building an object needs that object again; the
 *   message shows the chain
 * @HS_REGISTRY_ERROR_FACTORY_FAILED: a factory returned nothing, or an object
 *   that is not a kind of its kind
 * @HS_REGISTRY_ERROR_TOO_DEEP: dependencies nest deeper than the limit
 *   (256 objects being built at once on one thread); the message names the
 *   limit and the kind being built. Since: 0.2
 * @HS_REGISTRY_ERROR_CLOSED: the registry, or one of its ancestors, was
 *   closed with hs_registry_close(); or what a get was building for a
 *   singleton or scoped registration was finished after its registry
 *   closed. Since: 0.2
 * @HS_REGISTRY_ERROR_NOT_SINGLETON: hs_registry_peek() found that what
 *   answers is not a singleton built already: a type or a factory, or a
 *   lazy singleton or scoped registration not built yet. Since: 0.2
 * @HS_REGISTRY_ERROR_NEEDS_ASYNC: a synchronous get (or injection, or
 *   peek) met something that can only be built asynchronously: a
 *   #GAsyncInitable type that is not also a #GInitable, an asynchronous
 *   factory (hs_registry_register_async_factory()), something that depends
 *   on one of these, or a lazy singleton or scoped object that this thread
 *   is building asynchronously; get it with hs_registry_get_async(). The
 *   message names the type. Since: 0.2
 *
 * Errors of the %HS_REGISTRY_ERROR domain.
 */
typedef enum
{
  HS_REGISTRY_ERROR_NOT_FOUND,
  HS_REGISTRY_ERROR_INVALID_REGISTRATION,
  HS_REGISTRY_ERROR_INVALID_PROPERTY,
  HS_REGISTRY_ERROR_NO_CONTEXT,
  HS_REGISTRY_ERROR_CYCLE,
  HS_REGISTRY_ERROR_FACTORY_FAILED,
  HS_REGISTRY_ERROR_TOO_DEEP,
  HS_REGISTRY_ERROR_CLOSED,
  HS_REGISTRY_ERROR_NOT_SINGLETON,
  HS_REGISTRY_ERROR_NEEDS_ASYNC,
} HsRegistryError;

HS_AVAILABLE_IN_0_1
GQuark hs_registry_error_quark (void);

/**
 * HsFactory:
 * @registry: the registry building the object: the one hs_registry_get() was
 *   called on, which may be a child of the registry holding the factory
 * @context: (nullable): the lookup context
 * @n_properties: the number of props of the get
 * @names: (array length=n_properties): the names of the props
 * @values: (array length=n_properties): the values of the props
 * @user_data: (closure): the data given at registration
 * @error: return location for a #GError
 *
 * Builds an object for a factory registration. It may call back into any
 * registry, @registry included.
 *
 * Returns: (transfer full) (nullable): a new reference to an object that is a
 *   kind of the registered kind, or %NULL (and, best, @error set)
 *
 * Since: 0.1
 */
typedef GObject *(*HsFactory) (HsRegistry   *registry,
                               GObject      *context,
                               guint         n_properties,
                               const char  **names,
                               const GValue *values,
                               gpointer      user_data,
                               GError      **error);

/**
 * HsAsyncFactory:
 * @registry: the registry building the object: the one hs_registry_get_async()
 *   was called on (or, for a %HS_LIFETIME_SINGLETON registration, the
 *   registry that holds it)
 * @context: (nullable): the lookup context
 * @factory_data: (closure): the data given at registration
 * @cancellable: (nullable): cancelled when the get is cancelled, when the
 *   registry closes, or when no get waits for a shared build any more
 * @callback: (scope async) (closure user_data): to call once the object is
 *   ready (or has failed), in the thread-default main context of the call
 * @user_data: the data to pass to @callback
 *
 * Starts building an object for an asynchronous factory registration, as a
 * GIO `_async` function does: when the object is ready, it calls @callback
 * with a #GAsyncResult, which the registry hands to the registration's
 * #HsAsyncFactoryFinish. The factory may call back into any registry.
 *
 * Since: 0.2
 */
typedef void (*HsAsyncFactory) (HsRegistry          *registry,
                                GObject             *context,
                                gpointer             factory_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);

/**
 * HsAsyncFactoryFinish:
 * @registry: the registry building the object, as given to the
 *   #HsAsyncFactory
 * @result: the #GAsyncResult the #HsAsyncFactory passed to its callback
 * @factory_data: (closure): the data given at registration
 * @error: return location for a #GError
 *
 * Completes what an #HsAsyncFactory started, as a GIO `_finish` function
 * does.
 *
 * Returns: (transfer full) (nullable): a new reference to an object that is
 *   a kind of the registered kind, or %NULL (and, best, @error set)
 *
 * Since: 0.2
 */
typedef GObject *(*HsAsyncFactoryFinish) (HsRegistry    *registry,
                                          GAsyncResult  *result,
                                          gpointer       factory_data,
                                          GError       **error);

#define HS_TYPE_REGISTRY (hs_registry_get_type ())

/**
 * HsRegistry:
 *
 * A registry of implementations of kinds of things. All its fields are
 * private.
 *
 * Since: 0.1
 */

HS_AVAILABLE_IN_0_1
G_DECLARE_DERIVABLE_TYPE (HsRegistry, hs_registry, HS, REGISTRY, GObject)

/**
 * HsRegistryClass:
 * @parent_class: the parent class
 * @closed: the default handler of #HsRegistry::closed (Since: 0.2)
 *
 * The class of #HsRegistry. Subclass it to make a registry of your own, such
 * as a singleton registry that subscribes to its own key.
 */
struct _HsRegistryClass
{
  GObjectClass parent_class;

  void (*closed) (HsRegistry *self);

  /*< private >*/
  gpointer padding[11];
};

HS_AVAILABLE_IN_0_1
HsRegistry     *hs_registry_new                 (HsRegistry    *parent,
                                                 GObject       *context);
HS_AVAILABLE_IN_0_1
HsRegistry     *hs_registry_get_parent          (HsRegistry    *self);
HS_AVAILABLE_IN_0_1
GObject        *hs_registry_get_context         (HsRegistry    *self);

HS_AVAILABLE_IN_0_1
guint           hs_registry_register_type       (HsRegistry    *self,
                                                 GType          implementation,
                                                 GType          kind,
                                                 GType          context,
                                                 GError       **error);
HS_AVAILABLE_IN_0_1
guint           hs_registry_register_instance   (HsRegistry    *self,
                                                 GObject       *instance,
                                                 GType          kind,
                                                 GType          context,
                                                 GError       **error);
HS_AVAILABLE_IN_0_1
guint           hs_registry_register_factory    (HsRegistry    *self,
                                                 GType          kind,
                                                 GType          context,
                                                 HsFactory      factory,
                                                 gpointer       user_data,
                                                 GDestroyNotify destroy,
                                                 GError       **error);
HS_AVAILABLE_IN_0_2
guint           hs_registry_register_type_full    (HsRegistry    *self,
                                                   GType          implementation,
                                                   GType          kind,
                                                   GType          context,
                                                   HsLifetime     lifetime,
                                                   GError       **error);
HS_AVAILABLE_IN_0_2
guint           hs_registry_register_factory_full (HsRegistry    *self,
                                                   GType          kind,
                                                   GType          context,
                                                   HsLifetime     lifetime,
                                                   HsFactory      factory,
                                                   gpointer       user_data,
                                                   GDestroyNotify destroy,
                                                   GError       **error);
HS_AVAILABLE_IN_0_2
guint           hs_registry_register_async_factory (HsRegistry           *self,
                                                    GType                 kind,
                                                    GType                 context,
                                                    HsLifetime            lifetime,
                                                    HsAsyncFactory        factory,
                                                    HsAsyncFactoryFinish  finish,
                                                    gpointer              user_data,
                                                    GDestroyNotify        destroy,
                                                    GError              **error);
HS_AVAILABLE_IN_0_1
gboolean        hs_registry_unregister          (HsRegistry    *self,
                                                 guint          registration_id);

HS_AVAILABLE_IN_0_1
gpointer        hs_registry_get                 (HsRegistry    *self,
                                                 GType          kind,
                                                 GObject       *context,
                                                 GError       **error);
HS_AVAILABLE_IN_0_1
gpointer        hs_registry_get_with_properties (HsRegistry    *self,
                                                 GType          kind,
                                                 GObject       *context,
                                                 guint          n_properties,
                                                 const char    *names[],
                                                 const GValue   values[],
                                                 GError       **error);
HS_AVAILABLE_IN_0_1
gpointer        hs_registry_get_valist          (HsRegistry    *self,
                                                 GType          kind,
                                                 GObject       *context,
                                                 GError       **error,
                                                 const char    *first_property_name,
                                                 va_list        args);
HS_AVAILABLE_IN_0_1
gpointer        hs_registry_get_with            (HsRegistry    *self,
                                                 GType          kind,
                                                 GObject       *context,
                                                 GError       **error,
                                                 const char    *first_property_name,
                                                 ...) G_GNUC_NULL_TERMINATED;
HS_AVAILABLE_IN_0_2
void            hs_registry_get_async           (HsRegistry          *self,
                                                 GType                kind,
                                                 GObject             *context,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
HS_AVAILABLE_IN_0_2
gpointer        hs_registry_get_finish          (HsRegistry          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
HS_AVAILABLE_IN_0_2
gboolean    hs_registry_inject              (HsRegistry    *self,
                                             GObject       *object,
                                             GObject       *context,
                                             GError       **error);
HS_AVAILABLE_IN_0_1
HsRegistration *hs_registry_lookup              (HsRegistry    *self,
                                                 GType          kind,
                                                 GObject       *context);
HS_AVAILABLE_IN_0_2
gpointer        hs_registry_peek                (HsRegistry    *self,
                                                 GType          kind,
                                                 GObject       *context,
                                                 GError       **error);
HS_AVAILABLE_IN_0_2
char           *hs_registry_explain             (HsRegistry    *self,
                                                 GType          kind,
                                                 GObject       *context);

HS_AVAILABLE_IN_0_2
void            hs_registry_close               (HsRegistry    *self);
HS_AVAILABLE_IN_0_2
gboolean        hs_registry_is_closed           (HsRegistry    *self);
HS_AVAILABLE_IN_0_2
GCancellable   *hs_registry_get_cancellable     (HsRegistry    *self);

G_END_DECLS
