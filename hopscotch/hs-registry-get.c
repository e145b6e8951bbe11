/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gobject/gvaluecollector.h>

#include "hs-registry-private.h"
#include "hs-build-private.h"
#include "hs-index-private.h"
#include "hs-scope-private.h"
#include "hs-registry-parts-private.h"
#include "hs-i18n-private.h"

/* The public gets of HsRegistry (hs-registry.h): get, its props and
 * varargs forms, lookup, and peek. Each picks the lookup context and hands
 * over to hs-build (which resolves through hs-resolve). */

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
  if (!found)
    _hs_set_not_found_error (error, kind, context);
  else if (_hs_index_chain_closed (_hs_registry_index (self)))
    hs_registry_close (self);
}

static inline GObject *
lookup_context (HsRegistry *self,
                GObject    *context)
{
  return context != NULL ? context : _hs_registry_own_context (self);
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
