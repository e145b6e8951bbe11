/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "hs-build-private.h"
#include "hs-inject-private.h"
#include "hs-kind-private.h"
#include "hs-value-private.h"
#include "hs-i18n-private.h"
#include "hs-debug-private.h"

/* Building the winner of a get: calling its factory, or constructing its
 * type with the props of the get and the dependencies its plan names
 * (hs-inject.c documents the rules), each got from the building registry. */

/* How deep dependencies may nest on one thread (documented in the
 * Injection section and docs/injection.xml): HS_REGISTRY_ERROR_TOO_DEEP
 * beyond it. */
#define HS_MAX_BUILD_DEPTH 256

/* Puts @source, or its property @attr, into @value. */
static gboolean
set_from_source (GObject     *source,
                 const char  *attr,
                 GParamSpec  *pspec,
                 GValue      *value,
                 GError     **error)
{
  GParamSpec *source_pspec;
  GValue tmp = G_VALUE_INIT;
  gboolean ok;

  if (attr == NULL)
    {
      if (!G_TYPE_CHECK_INSTANCE_TYPE (source, pspec->value_type))
        {
          g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                       _("“%s” is not a kind of “%s”"),
                       G_OBJECT_TYPE_NAME (source), _hs_type_name (pspec->value_type));
          return FALSE;
        }
      g_value_set_object (value, source);
      return TRUE;
    }

  source_pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (source), attr);
  if (source_pspec == NULL || (source_pspec->flags & G_PARAM_READABLE) == 0)
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                   _("“%s” has no readable property “%s”"),
                   G_OBJECT_TYPE_NAME (source), attr);
      return FALSE;
    }

  g_value_init (&tmp, source_pspec->value_type);
  g_object_get_property (source, source_pspec->name, &tmp);
  ok = _hs_value_convert (&tmp, value, pspec) == HS_VALUE_OK;
  g_value_unset (&tmp);

  if (!ok)
    g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                 _("Property “%s” of “%s” cannot take the value of property “%s” of “%s”"),
                 pspec->name, _hs_type_name (pspec->owner_type),
                 source_pspec->name, G_OBJECT_TYPE_NAME (source));

  return ok;
}

/* The "inject" debug log: what property @item of @type was set to, by
 * which rule (hs-inject.c: the annotations, or the automatic rules). */
static G_NO_INLINE void
log_injected (GType             type,
              const HsPlanItem *item,
              GObject          *source)
{
  static const char *const rules[] = {
    [HS_RULE_SKIP] = "skip",
    [HS_RULE_REGISTRY] = "registry",
    [HS_RULE_AUTO] = "automatic: get, else the context",
    [HS_RULE_CONTEXT] = "context, by annotation",
    [HS_RULE_GET] = "get, by annotation",
  };

  g_debug ("build of “%s”: property “%s” ← %s %p%s%s%s (rule: %s)",
           _hs_type_name (type), item->pspec->name,
           G_OBJECT_TYPE_NAME (source), (void *) source,
           item->attr != NULL ? ", its property “" : "",
           item->attr != NULL ? item->attr : "",
           item->attr != NULL ? "”" : "",
           rules[item->rule]);
}

GType
_hs_build_item_kind (const HsPlanItem *item)
{
  switch (item->rule)
    {
    case HS_RULE_AUTO:
      return item->pspec->value_type;
    case HS_RULE_GET:
      return item->kind != G_TYPE_INVALID ? item->kind : item->pspec->value_type;
    case HS_RULE_SKIP:
    case HS_RULE_REGISTRY:
    case HS_RULE_CONTEXT:
    default:
      return G_TYPE_INVALID;
    }
}

HsInjectResult
_hs_build_inject_found (HsRegistry        *builder,
                        GType              type,
                        const HsPlanItem  *item,
                        GObject           *context,
                        GObject           *source,
                        gboolean           found,
                        GError            *local_error,
                        GValue            *value,
                        GError           **error)
{
  GParamSpec *pspec = item->pspec;

  if (local_error != NULL)
    goto failed;

  switch (item->rule)
    {
    case HS_RULE_REGISTRY:
      g_value_set_object (value, builder);
      if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_INJECT)))
        log_injected (type, item, G_OBJECT (builder));
      return HS_INJECT_SET;

    case HS_RULE_AUTO:
      if (found)
        break;
      if (context != NULL && G_TYPE_CHECK_INSTANCE_TYPE (context, pspec->value_type))
        {
          g_value_set_object (value, context);
          if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_INJECT)))
            log_injected (type, item, context);
          return HS_INJECT_SET;
        }
      return HS_INJECT_DEFAULT;

    case HS_RULE_CONTEXT:
      if (context == NULL)
        {
          g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NO_CONTEXT,
                       _("Property “%s” of “%s” wants the context, but the lookup has none"),
                       pspec->name, _hs_type_name (type));
          return HS_INJECT_FAILED;
        }
      source = g_object_ref (context);
      break;

    case HS_RULE_GET:
      if (!found)
        {
          _hs_set_not_found_error (&local_error, _hs_build_item_kind (item), context);
          goto failed;
        }
      break;

    case HS_RULE_SKIP:
    default:
      return HS_INJECT_DEFAULT;
    }

  if (!set_from_source (source, item->attr, pspec, value, &local_error))
    goto failed;

  if (G_UNLIKELY (_hs_debug_on (HS_DEBUG_INJECT)))
    log_injected (type, item, source);

  g_object_unref (source);
  return HS_INJECT_SET;

failed:
  g_clear_object (&source);
  g_propagate_prefixed_error (error, local_error,
                              _("Cannot inject property “%s” of “%s”: "),
                              pspec->name, _hs_type_name (type));
  return HS_INJECT_FAILED;
}

/* Gets what @item of @type wants, now, from @builder. */
static HsInjectResult
inject_property (HsRegistry        *builder,
                 GType              type,
                 const HsPlanItem  *item,
                 GObject           *context,
                 GValue            *value,
                 GError           **error)
{
  GType kind = _hs_build_item_kind (item);
  GError *local_error = NULL;
  GObject *source = NULL;
  gboolean found = FALSE;

  if (kind != G_TYPE_INVALID)
    source = _hs_build (builder, kind, context, 0, NULL, NULL, &found, &local_error);

  return _hs_build_inject_found (builder, type, item, context, source, found,
                                 local_error, value, error);
}

/* Injects @item, as a build of @type would: when it gets a value, appends
 * its name and value at *@n of @names and @values (initialized there) and
 * counts it. FALSE, with @error set and nothing appended, when it fails. */
static gboolean
inject_append (HsRegistry        *builder,
               GType              type,
               const HsPlanItem  *item,
               GObject           *context,
               const char       **names,
               GValue            *values,
               guint             *n,
               GError           **error)
{
  GValue *value = &values[*n];

  *value = (GValue) G_VALUE_INIT;
  g_value_init (value, item->pspec->value_type);
  switch (inject_property (builder, type, item, context, value, error))
    {
    case HS_INJECT_SET:
      names[(*n)++] = item->pspec->name;
      return TRUE;
    case HS_INJECT_DEFAULT:
      g_value_unset (value);
      return TRUE;
    case HS_INJECT_FAILED:
    default:
      g_value_unset (value);
      return FALSE;
    }
}

void
_hs_build_values_clear (guint          n,
                        const char   **names,
                        const char   **stack_names,
                        GValue        *values,
                        GValue        *stack_values)
{
  for (guint i = 0; i < n; i++)
    g_value_unset (&values[i]);
  if (names != stack_names)
    g_free (names);
  if (values != stack_values)
    g_free (values);
}

GObject *
_hs_build_new_object (GType          type,
                      const HsPlan  *plan,
                      guint          n,
                      const char   **names,
                      const GValue  *values)
{
  GObject *object = g_object_new_with_properties (type, n, names, values);

  /* The caller's own reference, whatever the floating state: an object
   * that sank itself while it was constructed (a GtkWindow, whose toplevel
   * list holds that reference; a Python subclass, whose wrapper does) gets
   * a new one, as GtkBuilder does. Before init, so that a failing init
   * drops the reference that is ours. See "Floating references". */
  if (plan->unowned && object != NULL)
    g_object_ref_sink (object);

  return object;
}

/* Constructs @type with @builder's injection. */
static GObject *
construct (HsRegistry    *builder,
           GType          type,
           GObject       *context,
           guint          n_properties,
           const char   **names,
           const GValue  *values,
           GError       **error)
{
  const char *stack_names[16];
  GParamSpec *stack_pspecs[16];
  GValue stack_values[16];            /* each one initialized before use */
  const char **all_names;
  GParamSpec **given;
  GValue *all_values;
  GObjectClass *klass, *owned_klass = NULL;
  GObject *object = NULL;
  gboolean owned_plan, as_given = TRUE;
  guint n = 0, max;
  HsPlan *plan;

  /* The class of a static type is never finalized once made (the way
   * g_object_new() itself avoids a reference). */
  klass = g_type_class_peek_static (type);
  if (klass == NULL)
    klass = owned_klass = g_type_class_ref (type);
  plan = _hs_plan_get (type, klass, &owned_plan);

  max = n_properties + plan->n_items;
  all_names = max <= G_N_ELEMENTS (stack_names) ? stack_names : g_new (const char *, max);
  all_values = max <= G_N_ELEMENTS (stack_values) ? stack_values : g_new (GValue, max);
  given = n_properties <= G_N_ELEMENTS (stack_pspecs) ? stack_pspecs : g_new (GParamSpec *, n_properties);

  if (G_UNLIKELY (plan->async_initable && !plan->initable))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC,
                   _("“%s” can only be initialized asynchronously (GAsyncInitable): get it with hs_registry_get_async()"),
                   _hs_type_name (type));
      goto out;
    }

  /* Check the props first: each names a writable property once. */
  for (guint i = 0; i < n_properties; i++)
    {
      GParamSpec *pspec = names[i] != NULL ? _hs_plan_find_writable (plan, names[i]) : NULL;

      /* Not a canonical name, or not writable: GObject knows which. */
      if (pspec == NULL && names[i] != NULL)
        pspec = g_object_class_find_property (klass, names[i]);

      if (pspec == NULL)
        {
          g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                       _("No property “%s” on type “%s”"),
                       names[i] != NULL ? names[i] : "(null)", _hs_type_name (type));
          goto out;
        }

      if ((pspec->flags & G_PARAM_WRITABLE) == 0)
        {
          g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                       _("Property “%s” of “%s” is not writable"),
                       pspec->name, _hs_type_name (type));
          goto out;
        }

      for (guint j = 0; j < i; j++)
        if (given[j] == pspec)
          {
            g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                         _("Property “%s” of “%s” is given twice"),
                         pspec->name, _hs_type_name (type));
            goto out;
          }

      given[i] = pspec;
      all_names[i] = pspec->name;
      /* A value of the property's own type, in range, needs no copy. */
      if (G_VALUE_TYPE (&values[i]) != pspec->value_type || !g_param_value_is_valid (pspec, &values[i]))
        as_given = FALSE;
    }

  /* The common case: nothing to convert and nothing to inject costs what
   * g_object_new_with_properties() costs. */
  if (as_given && plan->n_items == 0)
    {
      object = _hs_build_new_object (type, plan, n_properties, all_names, values);
      goto built;
    }

  for (guint i = 0; i < n_properties; i++)
    {
      GParamSpec *pspec = given[i];

      all_values[n] = (GValue) G_VALUE_INIT;
      g_value_init (&all_values[n++], pspec->value_type);

      switch (_hs_value_convert (&values[i], &all_values[n - 1], pspec))
        {
        case HS_VALUE_OK:
          break;

        case HS_VALUE_OUT_OF_RANGE:
          {
            g_autofree char *contents = g_strdup_value_contents (&values[i]);

            g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                         _("Property “%s” of “%s” cannot hold the value %s"),
                         pspec->name, _hs_type_name (type), contents);
            goto out;
          }

        case HS_VALUE_WRONG_TYPE:
        default:
          {
            GObject *held = G_VALUE_HOLDS_OBJECT (&values[i]) ? g_value_get_object (&values[i]) : NULL;

            g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY,
                         _("Property “%s” of “%s” cannot take a value of type “%s”"),
                         pspec->name, _hs_type_name (type),
                         held != NULL ? G_OBJECT_TYPE_NAME (held)
                                      : _hs_type_name (G_VALUE_TYPE (&values[i])));
            goto out;
          }
        }
    }

  for (guint i = 0; i < plan->n_items; i++)
    {
      const HsPlanItem *item = &plan->items[i];
      gboolean is_given = FALSE;

      for (guint j = 0; j < n_properties && !is_given; j++)
        is_given = given[j] == item->pspec;
      if (is_given)
        continue;

      if (!inject_append (builder, type, item, context, all_names, all_values, &n, error))
        goto out;
    }

  object = _hs_build_new_object (type, plan, n, all_names, all_values);

built:
  if (plan->initable && G_IS_INITABLE (object) &&
      !g_initable_init (G_INITABLE (object), NULL, error))
    g_clear_object (&object);

out:
  _hs_build_values_clear (n, all_names, stack_names, all_values, stack_values);
  if (given != stack_pspecs)
    g_free (given);

  if (owned_plan)
    _hs_plan_unref (plan);
  if (owned_klass != NULL)
    g_type_class_unref (owned_klass);

  return object;
}

/* One element of a cycle's chain: the kind asked for and, when it is
 * another type, what the registration builds for it, so that a cycle
 * closing through an interface or an ancestor class shows its repeated
 * element: `TSquare → TShape (TSquare)`. */
static void
append_element (GString *chain,
                GType    kind,
                GType    implementation)
{
  g_string_append (chain, _hs_type_name (kind));
  if (implementation != kind && implementation != G_TYPE_INVALID)
    g_string_append_printf (chain, " (%s)", _hs_type_name (implementation));
}

static void
set_cycle_error (HsBuildFrame *innermost,
                 HsBuildFrame *first,
                 GType         kind,
                 GType         implementation,
                 GError      **error)
{
  GPtrArray *frames = g_ptr_array_new ();
  GString *chain = g_string_new (NULL);

  /* From @first, the outermost frame of the cycle, inwards. */
  for (HsBuildFrame *f = innermost; f != first->outer; f = f->outer)
    g_ptr_array_add (frames, f);
  for (guint i = frames->len; i-- > 0;)
    {
      HsBuildFrame *f = frames->pdata[i];

      append_element (chain, f->kind, f->implementation);
      g_string_append (chain, " → ");
    }
  append_element (chain, kind, implementation);

  g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE,
               _("Dependency cycle: %s"), chain->str);
  g_string_free (chain, TRUE);
  g_ptr_array_unref (frames);
}

gboolean
_hs_build_check_frame (HsBuildFrame  *chain,
                       HsWinner      *w,
                       HsRegistry    *builder,
                       GObject       *context,
                       GType          kind,
                       GError       **error)
{
  GType implementation = w->type == HS_REGISTRATION_TYPE ? w->implementation : w->kind;

  /* Building the same registration with the same builder and context again,
   * inside itself, can only recurse for ever. Registrations are told apart
   * by serial: serials are never reused, entries' addresses and ids (in
   * different registries) may be. */
  for (HsBuildFrame *f = chain; f != NULL; f = f->outer)
    if (f->serial == w->serial && f->builder == builder && f->context == context)
      {
        set_cycle_error (chain, f, kind, implementation, error);
        return FALSE;
      }

  if (chain != NULL && chain->depth >= HS_MAX_BUILD_DEPTH)
    {
      /* Not a cycle: a chain longer than any application needs, which
       * would overflow the stack sooner or later. */
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_TOO_DEEP,
                   _("Dependencies nested more than %d deep while building “%s”"),
                   HS_MAX_BUILD_DEPTH, _hs_type_name (kind));
      return FALSE;
    }

  return TRUE;
}

void
_hs_build_frame_init (HsBuildFrame  *frame,
                      HsBuildFrame  *outer,
                      HsWinner      *w,
                      HsRegistry    *builder,
                      GObject       *context,
                      GType          kind)
{
  frame->serial = w->serial;
  frame->builder = builder;
  frame->context = context;
  frame->kind = kind;
  frame->implementation = w->type == HS_REGISTRATION_TYPE ? w->implementation : w->kind;
  frame->outer = outer;
  frame->depth = outer != NULL ? outer->depth + 1 : 1;
}

GObject *
_hs_build_factory_result (HsEntry  *entry,
                          GObject  *object,
                          GError  **error)
{
  if (object == NULL && (error == NULL || *error == NULL))
    g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_FACTORY_FAILED,
                 _("The factory for “%s” returned nothing"),
                 _hs_type_name (entry->kind));
  else if (object != NULL && error != NULL && *error != NULL)
    {
      /* A factory that both fails and returns an object: trust the error. */
      g_clear_object (&object);
    }
  else if (object != NULL && !g_type_is_a (G_OBJECT_TYPE (object), entry->kind))
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_FACTORY_FAILED,
                   _("The factory for “%s” returned a “%s”, which is not a kind of “%s”"),
                   _hs_type_name (entry->kind), G_OBJECT_TYPE_NAME (object),
                   _hs_type_name (entry->kind));
      g_clear_object (&object);
    }
  else if (object != NULL && g_object_is_floating (object))
    {
      /* A factory hands over a reference of its own (transfer full):
       * only a floating one still has to become it. */
      g_object_ref_sink (object);
    }

  return object;
}

GObject *
_hs_build_winner (HsRegistry    *builder,
                  HsWinner      *w,
                  GType          kind,
                  GObject       *context,
                  guint          n_properties,
                  const char   **names,
                  const GValue  *values,
                  GError       **error)
{
  HsThreadCache *tc;
  HsBuildFrame frame;
  GError *local_error = NULL;
  GObject *object;

  if (w->type == HS_REGISTRATION_INSTANCE)
    return g_steal_pointer (&w->instance);

  tc = _hs_thread_cache_get ();

  if (!_hs_build_check_frame (tc->building, w, builder, context, kind, error))
    return NULL;

  _hs_build_frame_init (&frame, tc->building, w, builder, context, kind);
  tc->building = &frame;

  if (w->type == HS_REGISTRATION_TYPE)
    {
      /* construct() returns the caller's own reference. */
      object = construct (builder, w->implementation, context,
                              n_properties, names, values, &local_error);
    }
  else
    {
      HsEntry *entry = w->entry;

      if (G_UNLIKELY (entry->held.factory.func == NULL))
        {
          g_set_error (&local_error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NEEDS_ASYNC,
                       _("“%s” has an asynchronous factory: get it with hs_registry_get_async()"),
                       _hs_type_name (entry->kind));
          object = NULL;
        }
      else
        {
          object = entry->held.factory.func (builder, context, n_properties, names, values,
                                             entry->held.factory.user_data, &local_error);
          object = _hs_build_factory_result (entry, object, &local_error);
        }
    }

  tc->building = frame.outer;

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  return object;
}

/* What _hs_scope_obtain() calls to build a kept object. */
typedef struct
{
  HsRegistry *builder;
  HsWinner   *w;
  GType       kind;
} KeptBuild;

static GObject *
build_kept (gpointer   data,
            GError   **error)
{
  KeptBuild *kb = data;

  /* The keeper builds with its own context, whoever asked first: what is
   * kept does not depend on which get came first, and a get that comes
   * back to it while it is built is the same frame, a cycle. */
  return _hs_build_winner (kb->builder, kb->w, kb->kind,
                           hs_registry_get_context (kb->builder),
                           0, NULL, NULL, error);
}

GObject *
_hs_build_kept (HsRegistry  *self,
                HsWinner    *w,
                GType        kind,
                GType        ctx_type,
                GError     **error)
{
  HsIndex *index = _hs_registry_index (self);
  KeptBuild kb;
  GObject *object;
  guint64 version;
  guint epoch;

  /* The holder keeps a lazy singleton for all its descendants; a scoped
   * object is kept by the registry asked. */
  kb.builder = w->lifetime == HS_LIFETIME_SINGLETON ? w->registry : self;
  kb.w = w;
  kb.kind = kind;

  /* Before the object is found or kept: see _hs_resolve_remember(). */
  epoch = (guint) g_atomic_int_get (&_hs_epoch);
  version = __atomic_load_n (&index->version, __ATOMIC_SEQ_CST);

  object = _hs_scope_obtain (_hs_registry_scope (kb.builder), w->entry,
                             build_kept, &kb, error);

  /* The next get of it from this thread is then a cached one. */
  if (object != NULL)
    _hs_resolve_remember (self, kind, ctx_type, version, epoch, w->entry, object);

  return object;
}

gboolean
_hs_build_inject (HsRegistry  *builder,
                  GObject     *object,
                  GObject     *context,
                  GError     **error)
{
  GType type = G_OBJECT_TYPE (object);
  GValue stack_values[16];            /* each one initialized before use */
  const char *stack_names[16];
  const char **names;
  GValue *values;
  gboolean owned_plan, ok = TRUE;
  guint n = 0;
  HsPlan *plan;

  plan = _hs_plan_get (type, G_OBJECT_GET_CLASS (object), &owned_plan);
  names = plan->n_items <= G_N_ELEMENTS (stack_names) ? stack_names : g_new (const char *, plan->n_items);
  values = plan->n_items <= G_N_ELEMENTS (stack_values) ? stack_values : g_new (GValue, plan->n_items);

  /* Every value first, then all of them at once: a failure sets nothing. */
  for (guint i = 0; i < plan->n_items && ok; i++)
    {
      const HsPlanItem *item = &plan->items[i];

      /* Set at construction, or never: not ours to change. */
      if ((item->pspec->flags & G_PARAM_CONSTRUCT_ONLY) != 0)
        continue;

      ok = inject_append (builder, type, item, context, names, values, &n, error);
    }

  if (ok && n > 0)
    g_object_setv (object, n, names, values);

  _hs_build_values_clear (n, names, stack_names, values, stack_values);
  if (owned_plan)
    _hs_plan_unref (plan);

  return ok;
}
