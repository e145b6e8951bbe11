/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "hs-build-private.h"
#include "hs-inject-private.h"
#include "hs-kind-private.h"
#include "hs-registry-private.h"
#include "hs-i18n-private.h"

/**
 * SECTION:hs-inject
 * @title: Injection
 * @short_description: how a registry builds an object with its dependencies
 *
 * When a get is won by a type registration, the registry that get was called
 * on (the *building registry*, also when the registration was found in an
 * ancestor) constructs the type with g_object_new_with_properties() — then,
 * for a type implementing #GInitable, calls g_initable_init(), whose error
 * becomes the error of the get, its domain and code unchanged.
 *
 * ## The rules
 *
 * The props of the get are set first and always win. Then the properties
 * that the class declares as its dependencies are considered: its
 * **construct-only** properties, and the properties marked with an
 * annotation (hs_inject_auto(), hs_inject_context(), hs_inject_get()). A
 * plain read-write property is never injected unless annotated: such
 * properties are usually state that the class or another library owns
 * (`GtkWindow:transient-for`, `:child`, `:default-widget`), and injecting
 * them made cycles and stray children. From Python, every property that a
 * Python class itself declares is marked *auto* when the class is
 * registered or decorated. Each property considered that the props did not
 * set gets, in this order:
 *
 * 1. with an injection annotation (hs_inject_context(), hs_inject_get(),
 *    hs_inject_skip()), what the annotation says; an annotation on a class
 *    holds for its subclasses too, and the nearest one wins;
 * 2. a property whose type is #HsRegistry gets the building registry;
 * 3. a property whose type is any other object or interface type gets
 *    `get (that type)` from the building registry, with the same lookup
 *    context, when that finds a registration; otherwise the lookup context,
 *    when it is an instance of that type; otherwise it keeps its default;
 * 4. any other property keeps its default.
 *
 * Deprecated properties are injected only when annotated.
 *
 * Objects made elsewhere (by GtkBuilder, a plugin engine, another library)
 * are injected with hs_registry_inject(): it sets their annotated and
 * *auto* properties that can still be set, as a build would.
 *
 * ## Annotations
 *
 * - *context*: the lookup context itself or, with an `attr`, the value of
 *   that property of the context. A get without a lookup context then fails
 *   with %HS_REGISTRY_ERROR_NO_CONTEXT.
 * - *get*: `get (kind)` with the same lookup context (the property's own type
 *   when no kind is given) or, with an `attr`, that property of the result.
 *   When nothing answers, the outer get fails.
 * - *skip*: the property is never injected.
 * - *auto*: the property is injected by rules 2 and 3 above although it is
 *   not construct-only (hs_inject_auto()).
 *
 * Annotate from C in `class_init`, after installing the properties:
 *
 * |[<!-- language="C" -->
 * g_object_class_install_properties (object_class, N_PROPS, properties);
 * hs_object_class_inject_context (object_class, "name", "first-name", NULL);
 * hs_object_class_inject_skip (object_class, "cache", NULL);
 * ]|
 *
 * and from Python or JavaScript once the class exists, with its #GType:
 *
 * |[<!-- language="Python" -->
 * Hs.inject_context(Greeter, "name", "first-name")
 * ]|
 *
 * ## Failures
 *
 * An error while building a dependency fails the outer get; the message says
 * which property of which type was being injected, and keeps the domain and
 * code of the error underneath. Building an object that needs itself, by any
 * chain of dependencies or factories, fails with %HS_REGISTRY_ERROR_CYCLE and
 * a message that shows the chain, such as `Dependency cycle: A → B → A`;
 * where a registration builds another type than the kind asked, that type
 * follows in parentheses, so that the repeated element shows:
 * `Dependency cycle: TSquare → TShape (TSquare)`. Dependencies nest at most
 * 256 deep on one thread: a deeper chain fails with
 * %HS_REGISTRY_ERROR_TOO_DEEP, whose message names the limit and the kind
 * being built. Nothing is kept when a get fails.
 *
 * ## Cost
 *
 * Which properties to inject, and how, is computed once per type and cached
 * (and again after a new annotation), so building a type with nothing to
 * inject costs about what g_object_new_with_properties() costs.
 */

typedef struct
{
  GType       type;
  const char *property;               /* interned canonical name */
} AnnotationKey;

typedef struct
{
  AnnotationKey key;
  HsRule          rule;
  GType         kind;
  const char   *attr;                 /* interned, nullable */
} Annotation;

static GRWLock plan_lock;             /* guards the four below */
static GHashTable *plans;             /* GType → HsPlan (owned) */
static GPtrArray *retired_plans;      /* HsPlan (owned): replaced in plans, never freed */
static GHashTable *annotations;       /* AnnotationKey → Annotation (owned) */
static guint annotation_gen;          /* also read atomically, without the lock */

/* Each thread remembers the plans it used, so that building a type takes
 * no lock and no reference: the plans of the table are never freed (one
 * replaced by a new annotation is retired instead), so a remembered plan
 * stays valid, and it is current while its gen and class match. Plans of
 * types from plugins are never remembered: their classes may be unloaded. */
#define PLAN_CACHE_SLOTS 64           /* a power of two */

typedef struct
{
  GType  type;
  HsPlan  *plan;                        /* unowned: in plans or retired_plans */
} PlanSlot;

#if defined(__GNUC__)
# define HS_THREAD_LOCAL __thread
static HS_THREAD_LOCAL PlanSlot *plan_cache_fast;
#endif

static void
plan_cache_free (gpointer slots)
{
  /* Runs on the thread that ends. */
#ifdef HS_THREAD_LOCAL
  plan_cache_fast = NULL;
#endif
  g_free (slots);
}

static GPrivate plan_cache = G_PRIVATE_INIT (plan_cache_free);

static PlanSlot *
plan_slot (GType type)
{
#ifdef HS_THREAD_LOCAL
  PlanSlot *slots = plan_cache_fast;
#else
  PlanSlot *slots = g_private_get (&plan_cache);
#endif

  if G_UNLIKELY (slots == NULL)
    {
      slots = g_new0 (PlanSlot, PLAN_CACHE_SLOTS);
      g_private_set (&plan_cache, slots);
#ifdef HS_THREAD_LOCAL
      plan_cache_fast = slots;
#endif
    }

  return &slots[((type >> 3) ^ (type >> 11)) & (PLAN_CACHE_SLOTS - 1)];
}

static guint
annotation_key_hash (gconstpointer data)
{
  const AnnotationKey *key = data;

  return (guint) (key->type * 31u) ^ g_direct_hash (key->property);
}

static gboolean
annotation_key_equal (gconstpointer a,
                      gconstpointer b)
{
  const AnnotationKey *ka = a;
  const AnnotationKey *kb = b;

  return ka->type == kb->type && ka->property == kb->property;
}

void
_hs_plan_unref (HsPlan *plan)
{
  if (!g_atomic_ref_count_dec (&plan->ref_count))
    return;

  for (guint i = 0; i < plan->n_items; i++)
    g_param_spec_unref (plan->items[i].pspec);
  for (guint i = 0; i < plan->n_writable; i++)
    g_param_spec_unref (plan->writable[i]);
  g_free (plan->writable);
  g_free (plan);
}

/* The annotation for @property on @type or its nearest annotated ancestor.
 * Called with plan_lock held. */
static const Annotation *
find_annotation_locked (GType       type,
                        const char *property)
{
  if (annotations == NULL)
    return NULL;

  for (GType t = type; t != G_TYPE_INVALID; t = g_type_parent (t))
    {
      AnnotationKey key = { t, property };
      const Annotation *annotation = g_hash_table_lookup (annotations, &key);

      if (annotation != NULL)
        return annotation;
    }

  return NULL;
}

static gboolean
type_is_dynamic (GType type)
{
  for (GType t = type; t != G_TYPE_INVALID; t = g_type_parent (t))
    if (g_type_get_plugin (t) != NULL)
      return TRUE;
  return FALSE;
}

/* Called with plan_lock held for reading. */
static HsPlan *
plan_build_locked (GType         type,
                   GObjectClass *klass)
{
  GParamSpec **pspecs;
  guint n_pspecs = 0;
  HsPlan *plan;

  pspecs = g_object_class_list_properties (klass, &n_pspecs);
  plan = g_malloc0 (sizeof (HsPlan) + n_pspecs * sizeof (HsPlanItem));
  g_atomic_ref_count_init (&plan->ref_count);
  plan->gen = annotation_gen;
  plan->klass = klass;
  plan->initable = g_type_is_a (type, G_TYPE_INITABLE);
  plan->async_initable = g_type_is_a (type, G_TYPE_ASYNC_INITABLE);
  plan->unowned = g_type_is_a (type, G_TYPE_INITIALLY_UNOWNED);
  plan->writable = g_new (GParamSpec *, n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      const Annotation *annotation;
      HsPlanItem item = { pspec, HS_RULE_SKIP, G_TYPE_INVALID, NULL };

      if ((pspec->flags & G_PARAM_WRITABLE) == 0)
        continue;

      plan->writable[plan->n_writable++] = g_param_spec_ref (pspec);

      /* Only what the class declares as a dependency is injected: its
       * construct-only properties and the annotated ones. A plain
       * read-write property is state that another library may own
       * (GtkWindow:transient-for, :child): injecting it made cycles and
       * stray children. */
      annotation = find_annotation_locked (type, g_intern_string (pspec->name));
      if (annotation != NULL && annotation->rule != HS_RULE_AUTO)
        {
          item.rule = annotation->rule;
          item.kind = annotation->kind;
          item.attr = annotation->attr;
        }
      else if (annotation == NULL &&
               ((pspec->flags & G_PARAM_DEPRECATED) != 0 ||
                (pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0))
        item.rule = HS_RULE_SKIP;
      else if (pspec->value_type == HS_TYPE_REGISTRY)
        item.rule = HS_RULE_REGISTRY;
      else if (_hs_is_object_or_interface_type (pspec->value_type))
        item.rule = HS_RULE_AUTO;

      if (item.rule == HS_RULE_SKIP)
        continue;

      g_param_spec_ref (pspec);
      plan->items[plan->n_items++] = item;
    }

  g_free (pspecs);

  return plan;
}

HsPlan *
_hs_plan_get (GType         type,
          GObjectClass *klass,
          gboolean     *owned)
{
  PlanSlot *slot = plan_slot (type);
  HsPlan *plan = NULL;
  HsPlan *fresh = NULL;
  HsPlan *stale = NULL;

  *owned = FALSE;

  if (slot->type == type &&
      slot->plan->gen == (guint) g_atomic_int_get (&annotation_gen) &&
      slot->plan->klass == klass)
    return slot->plan;

  g_rw_lock_reader_lock (&plan_lock);
  if (plans != NULL)
    {
      plan = g_hash_table_lookup (plans, GSIZE_TO_POINTER (type));
      if (plan != NULL && (plan->gen != annotation_gen || plan->klass != klass))
        plan = NULL;
    }
  if (plan == NULL)
    fresh = plan_build_locked (type, klass);
  g_rw_lock_reader_unlock (&plan_lock);

  if (fresh != NULL)
    {
      /* A class of a plugin may be unloaded and made again with other
       * properties: its plans are the caller's alone. */
      if (type_is_dynamic (type))
        {
          *owned = TRUE;
          return fresh;
        }

      g_rw_lock_writer_lock (&plan_lock);
      if (plans == NULL)
        plans = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) _hs_plan_unref);
      plan = g_hash_table_lookup (plans, GSIZE_TO_POINTER (type));
      if (plan != NULL && plan->gen == fresh->gen && plan->klass == klass)
        {
          /* Another thread was first; no one saw ours. */
          stale = fresh;
        }
      else
        {
          /* Others may still use the plan it replaces: retire it. */
          if (plan != NULL)
            {
              g_hash_table_steal (plans, GSIZE_TO_POINTER (type));
              if (retired_plans == NULL)
                retired_plans = g_ptr_array_new ();
              g_ptr_array_add (retired_plans, plan);
            }
          g_hash_table_insert (plans, GSIZE_TO_POINTER (type), fresh);
          plan = fresh;
        }
      g_rw_lock_writer_unlock (&plan_lock);

      if (stale != NULL)
        _hs_plan_unref (stale);
    }

  slot->type = type;
  slot->plan = plan;

  return plan;
}

GParamSpec *
_hs_plan_find_writable (const HsPlan *plan,
                    const char *name)
{
  for (guint i = 0; i < plan->n_writable; i++)
    if (plan->writable[i]->name == name)
      return plan->writable[i];
  for (guint i = 0; i < plan->n_writable; i++)
    if (strcmp (plan->writable[i]->name, name) == 0)
      return plan->writable[i];
  return NULL;
}


/* Injecting objects made elsewhere */

/**
 * hs_registry_inject:
 * @self: a #HsRegistry
 * @object: an object made elsewhere: by GtkBuilder, a plugin engine,
 *   another library
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @error: return location for a #GError
 *
 * Injects @object as a build by @self would: each property of it marked
 * with hs_inject_auto(), hs_inject_context() or hs_inject_get() gets its
 * value by the rules of injection, with @self as the building registry.
 * Construct-only properties are left alone (they were set when the object
 * was made), and so are plain read-write properties that are not marked.
 *
 * All values are computed before any is set: when one fails, @object is
 * left as it was. From Python, `registry.inject(obj)`.
 *
 * Errors: those of hs_registry_get() for the dependencies, with a message
 * that names the property being injected; %HS_REGISTRY_ERROR_NO_CONTEXT for
 * a *context* annotation without a lookup context;
 * %HS_REGISTRY_ERROR_CLOSED once @self (or an ancestor) is closed.
 *
 * Returns: %TRUE, or %FALSE with @error set
 *
 * Since: 0.2
 */
gboolean
hs_registry_inject (HsRegistry  *self,
                    GObject     *object,
                    GObject     *context,
                    GError     **error)
{
  g_return_val_if_fail (HS_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (G_IS_OBJECT (object), FALSE);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  _hs_registry_observe_loads ();

  if (hs_registry_is_closed (self))
    {
      _hs_set_closed_error (error);
      return FALSE;
    }

  if (context == NULL)
    context = hs_registry_get_context (self);

  return _hs_build_inject (self, object, context, error);
}

/* Annotations */

static gboolean
annotate (GObjectClass  *klass,
          const char    *property,
          HsRule           rule,
          GType          kind,
          const char    *attr,
          GError       **error)
{
  GType type = G_TYPE_FROM_CLASS (klass);
  GParamSpec *pspec;
  Annotation *annotation;

  pspec = property != NULL ? g_object_class_find_property (klass, property) : NULL;
  if (pspec == NULL)
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                   _("No property “%s” on type “%s”"),
                   property != NULL ? property : "(null)", _hs_type_name (type));
      return FALSE;
    }

  if ((pspec->flags & G_PARAM_WRITABLE) == 0)
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                   _("Property “%s” of “%s” is not writable"),
                   pspec->name, _hs_type_name (type));
      return FALSE;
    }

  if (rule == HS_RULE_GET && kind != G_TYPE_INVALID && !_hs_is_object_or_interface_type (kind))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                   _("Kind “%s” is not an object or interface type"),
                   _hs_type_name (kind));
      return FALSE;
    }

  if (rule != HS_RULE_SKIP && attr == NULL)
    {
      GType source = rule == HS_RULE_GET && kind != G_TYPE_INVALID ? kind : pspec->value_type;

      if (!_hs_is_object_or_interface_type (pspec->value_type))
        {
          g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                       _("Property “%s” of “%s” does not hold an object: name the property to inject from"),
                       pspec->name, _hs_type_name (type));
          return FALSE;
        }

      if (!g_type_is_a (source, pspec->value_type))
        {
          g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                       _("Property “%s” of “%s” cannot hold a “%s”"),
                       pspec->name, _hs_type_name (type), _hs_type_name (source));
          return FALSE;
        }
    }

  annotation = g_new0 (Annotation, 1);
  annotation->key.type = type;
  annotation->key.property = g_intern_string (pspec->name);
  annotation->rule = rule;
  annotation->kind = kind;
  annotation->attr = attr != NULL ? g_intern_string (attr) : NULL;

  g_rw_lock_writer_lock (&plan_lock);
  if (annotations == NULL)
    annotations = g_hash_table_new_full (annotation_key_hash, annotation_key_equal, NULL, g_free);
  g_hash_table_replace (annotations, &annotation->key, annotation);
  /* Every plan made before is stale now. */
  g_atomic_int_inc (&annotation_gen);
  g_rw_lock_writer_unlock (&plan_lock);

  return TRUE;
}

static gboolean
annotate_type (GType        type,
               const char  *property,
               HsRule         rule,
               GType        kind,
               const char  *attr,
               GError     **error)
{
  GObjectClass *klass;
  gboolean ok;

  if (!G_TYPE_IS_OBJECT (type) || !G_TYPE_IS_CLASSED (type))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                   _("Type “%s” is not a GObject class"), _hs_type_name (type));
      return FALSE;
    }

  klass = g_type_class_ref (type);
  ok = annotate (klass, property, rule, kind, attr, error);
  g_type_class_unref (klass);

  return ok;
}

/**
 * hs_inject_context:
 * @type: a #GObject type
 * @property: the name of one of its writable properties
 * @attr: (nullable): the name of a property of the context to inject
 *   instead of the context itself, or %NULL
 * @error: return location for a #GError
 *
 * Makes @property of @type (and of its subclasses) take the lookup context,
 * or the value of its property @attr. A get with no lookup context then fails
 * with %HS_REGISTRY_ERROR_NO_CONTEXT.
 *
 * Returns: %TRUE, or %FALSE with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_PROPERTY when @type has no such writable
 *   property or, without @attr, the property does not hold objects
 *
 * Since: 0.1
 */
gboolean
hs_inject_context (GType        type,
                   const char  *property,
                   const char  *attr,
                   GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return annotate_type (type, property, HS_RULE_CONTEXT, G_TYPE_INVALID, attr, error);
}

/**
 * hs_inject_get:
 * @type: a #GObject type
 * @property: the name of one of its writable properties
 * @kind: the kind to get, or %G_TYPE_INVALID (or %G_TYPE_NONE) for the
 *   property's own type
 * @attr: (nullable): the name of a property of the object got to inject
 *   instead of the object itself, or %NULL
 * @error: return location for a #GError
 *
 * Makes @property of @type (and of its subclasses) take `get (kind)` from the
 * building registry, with the same lookup context, or the value of its
 * property @attr. When that get fails, or finds nothing, the outer get fails.
 *
 * Returns: %TRUE, or %FALSE with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_PROPERTY
 *
 * Since: 0.1
 */
gboolean
hs_inject_get (GType        type,
               const char  *property,
               GType        kind,
               const char  *attr,
               GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return annotate_type (type, property, HS_RULE_GET, kind == G_TYPE_NONE ? G_TYPE_INVALID : kind,
                        attr, error);
}

/**
 * hs_inject_skip:
 * @type: a #GObject type
 * @property: the name of one of its writable properties
 * @error: return location for a #GError
 *
 * Makes the registry never inject @property of @type (and of its
 * subclasses); props can still set it.
 *
 * Returns: %TRUE, or %FALSE with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_PROPERTY
 *
 * Since: 0.1
 */
gboolean
hs_inject_skip (GType        type,
                const char  *property,
                GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return annotate_type (type, property, HS_RULE_SKIP, G_TYPE_INVALID, NULL, error);
}

/**
 * hs_inject_auto:
 * @type: a #GObject type
 * @property: the name of one of its writable properties that holds an
 *   object
 * @error: return location for a #GError
 *
 * Marks @property of @type (and of its subclasses) as a dependency: it is
 * injected like a construct-only property (the building registry for an
 * #HsRegistry property, else `get (its type)`, else the lookup context when
 * it is one), at build and by hs_registry_inject(), although it is a plain
 * read-write property. Use it for the services of widgets that GtkBuilder
 * makes, whose dependencies cannot be construct-only.
 *
 * Returns: %TRUE, or %FALSE with @error set to
 *   %HS_REGISTRY_ERROR_INVALID_PROPERTY when @type has no such writable
 *   property or the property does not hold objects
 *
 * Since: 0.2
 */
gboolean
hs_inject_auto (GType        type,
                const char  *property,
                GError     **error)
{
  return annotate_type (type, property, HS_RULE_AUTO, G_TYPE_INVALID, NULL, error);
}

/**
 * hs_object_class_inject_context: (skip)
 * @klass: a #GObjectClass, such as the one being initialized
 * @property: the name of one of its writable properties
 * @attr: (nullable): the name of a property of the context, or %NULL
 * @error: return location for a #GError
 *
 * hs_inject_context() for C `class_init` functions; call it after the
 * properties are installed.
 *
 * Returns: %TRUE, or %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
hs_object_class_inject_context (GObjectClass  *klass,
                                const char    *property,
                                const char    *attr,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_OBJECT_CLASS (klass), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return annotate (klass, property, HS_RULE_CONTEXT, G_TYPE_INVALID, attr, error);
}

/**
 * hs_object_class_inject_get: (skip)
 * @klass: a #GObjectClass, such as the one being initialized
 * @property: the name of one of its writable properties
 * @kind: the kind to get, or %G_TYPE_INVALID for the property's own type
 * @attr: (nullable): the name of a property of the object got, or %NULL
 * @error: return location for a #GError
 *
 * hs_inject_get() for C `class_init` functions; call it after the
 * properties are installed.
 *
 * Returns: %TRUE, or %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
hs_object_class_inject_get (GObjectClass  *klass,
                            const char    *property,
                            GType          kind,
                            const char    *attr,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_OBJECT_CLASS (klass), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return annotate (klass, property, HS_RULE_GET, kind == G_TYPE_NONE ? G_TYPE_INVALID : kind,
                   attr, error);
}

/**
 * hs_object_class_inject_skip: (skip)
 * @klass: a #GObjectClass, such as the one being initialized
 * @property: the name of one of its writable properties
 * @error: return location for a #GError
 *
 * hs_inject_skip() for C `class_init` functions; call it after the
 * properties are installed.
 *
 * Returns: %TRUE, or %FALSE with @error set
 *
 * Since: 0.1
 */
gboolean
hs_object_class_inject_skip (GObjectClass  *klass,
                             const char    *property,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_OBJECT_CLASS (klass), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return annotate (klass, property, HS_RULE_SKIP, G_TYPE_INVALID, NULL, error);
}

/**
 * hs_object_class_inject_auto: (skip)
 * @klass: a #GObjectClass, such as the one being initialized
 * @property: the name of one of its writable properties that holds an
 *   object
 * @error: return location for a #GError
 *
 * hs_inject_auto() for C `class_init` functions; call it after the
 * properties are installed.
 *
 * Returns: %TRUE, or %FALSE with @error set
 *
 * Since: 0.2
 */
gboolean
hs_object_class_inject_auto (GObjectClass  *klass,
                             const char    *property,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_OBJECT_CLASS (klass), FALSE);

  return annotate (klass, property, HS_RULE_AUTO, G_TYPE_INVALID, NULL, error);
}
