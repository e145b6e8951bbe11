/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A reference model of SPEC section 3 (which registration wins) and of
 * section 9 (lifetimes and closing), for the model-based tests and the fuzz
 * target: brute force, no index, no cache, the rules applied literally to
 * the list of every registration, and a list per registry of what it keeps,
 * in the order the builds completed.
 *
 * Also the type hierarchy the model tests run over:
 *
 *   GObject ─ ModelA  (IA) ─┬─ ModelA1
 *           │               └─ ModelA2 (IB) ── ModelA21
 *           ├─ ModelB  (IB) ─── ModelB1 (IA)
 *           ├─ ModelOther          (unrelated to all of the above)
 *           └─ ModelAbstract       (abstract: cannot be registered)
 *
 * Every class has an int property "tag", so that a get with props works
 * for all of them. Instances are counted (model_alive) to find leaks and to
 * check that unregistering releases a singleton at once.
 */
#pragma once

#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>
#include <hopscotch.h>

G_BEGIN_DECLS

static gint model_alive;

#define MODEL_TYPE_IA (model_ia_get_type ())
G_DECLARE_INTERFACE (ModelIA, model_ia, MODEL, IA, GObject)
struct _ModelIAInterface { GTypeInterface parent_iface; };
G_DEFINE_INTERFACE (ModelIA, model_ia, G_TYPE_OBJECT)
static void model_ia_default_init (ModelIAInterface *iface) { }

#define MODEL_TYPE_IB (model_ib_get_type ())
G_DECLARE_INTERFACE (ModelIB, model_ib, MODEL, IB, GObject)
struct _ModelIBInterface { GTypeInterface parent_iface; };
G_DEFINE_INTERFACE (ModelIB, model_ib, G_TYPE_OBJECT)
static void model_ib_default_init (ModelIBInterface *iface) { }

/* The root classes: each has "tag", and counts its instances. */
#define MODEL_DEFINE_ROOT(Name, name, NAME, CODE)                               \
  G_DECLARE_DERIVABLE_TYPE (Name, name, MODEL, NAME, GObject)                  \
  struct _##Name##Class { GObjectClass parent_class; };                        \
  typedef struct { int tag; } Name##Private;                                    \
  G_DEFINE_TYPE_WITH_CODE (Name, name, G_TYPE_OBJECT,                          \
                           G_ADD_PRIVATE (Name) CODE ())                          \
  static void                                                                   \
  name##_set_property (GObject *o, guint id, const GValue *v, GParamSpec *p)    \
  {                                                                             \
    ((Name##Private *) name##_get_instance_private ((Name *) o))->tag =         \
      g_value_get_int (v);                                                      \
  }                                                                             \
  static void                                                                   \
  name##_get_property (GObject *o, guint id, GValue *v, GParamSpec *p)          \
  {                                                                             \
    g_value_set_int (v, ((Name##Private *) name##_get_instance_private ((Name *) o))->tag); \
  }                                                                             \
  static void                                                                   \
  name##_finalize (GObject *o)                                                  \
  {                                                                             \
    g_atomic_int_add (&model_alive, -1);                                        \
    G_OBJECT_CLASS (name##_parent_class)->finalize (o);                         \
  }                                                                             \
  static void                                                                   \
  name##_class_init (Name##Class *klass)                                        \
  {                                                                             \
    GObjectClass *oc = G_OBJECT_CLASS (klass);                                  \
    oc->set_property = name##_set_property;                                     \
    oc->get_property = name##_get_property;                                     \
    oc->finalize = name##_finalize;                                             \
    g_object_class_install_property (oc, 1,                                     \
      g_param_spec_int ("tag", NULL, NULL, -1, 1000000, -1,                     \
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));           \
  }                                                                             \
  static void name##_init (Name *self) { g_atomic_int_inc (&model_alive); }

#define MODEL_DEFINE_SUB(Name, name, NAME, Parent, CODE)                       \
  G_DECLARE_DERIVABLE_TYPE (Name, name, MODEL, NAME, GObject)                  \
  struct _##Name##Class { GObjectClass parent_class; };                        \
  G_DEFINE_TYPE_WITH_CODE (Name, name, Parent, CODE ())                         \
  static void name##_class_init (Name##Class *klass) { }                        \
  static void name##_init (Name *self) { }

/* Function-like, so that the commas of G_IMPLEMENT_INTERFACE are expanded
 * only inside G_DEFINE_TYPE_WITH_CODE. */
#define MODEL_IMPLEMENTS_IA() G_IMPLEMENT_INTERFACE (MODEL_TYPE_IA, NULL)
#define MODEL_IMPLEMENTS_IB() G_IMPLEMENT_INTERFACE (MODEL_TYPE_IB, NULL)
#define MODEL_NOTHING()

#define MODEL_TYPE_A (model_a_get_type ())
MODEL_DEFINE_ROOT (ModelA, model_a, A, MODEL_IMPLEMENTS_IA)
#define MODEL_TYPE_B (model_b_get_type ())
MODEL_DEFINE_ROOT (ModelB, model_b, B, MODEL_IMPLEMENTS_IB)
#define MODEL_TYPE_OTHER (model_other_get_type ())
MODEL_DEFINE_ROOT (ModelOther, model_other, OTHER, MODEL_NOTHING)
#define MODEL_TYPE_A1 (model_a1_get_type ())
MODEL_DEFINE_SUB (ModelA1, model_a1, A1, MODEL_TYPE_A, MODEL_NOTHING)
#define MODEL_TYPE_A2 (model_a2_get_type ())
MODEL_DEFINE_SUB (ModelA2, model_a2, A2, MODEL_TYPE_A, MODEL_IMPLEMENTS_IB)
#define MODEL_TYPE_A21 (model_a21_get_type ())
MODEL_DEFINE_SUB (ModelA21, model_a21, A21, MODEL_TYPE_A2, MODEL_NOTHING)
#define MODEL_TYPE_B1 (model_b1_get_type ())
MODEL_DEFINE_SUB (ModelB1, model_b1, B1, MODEL_TYPE_B, MODEL_IMPLEMENTS_IA)

#define MODEL_TYPE_ABSTRACT (model_abstract_get_type ())
G_DECLARE_DERIVABLE_TYPE (ModelAbstract, model_abstract, MODEL, ABSTRACT, GObject)
struct _ModelAbstractClass { GObjectClass parent_class; };
G_DEFINE_ABSTRACT_TYPE (ModelAbstract, model_abstract, G_TYPE_OBJECT)
static void model_abstract_class_init (ModelAbstractClass *klass) { }
static void model_abstract_init (ModelAbstract *self) { }

static inline int
model_get_tag (GObject *object)
{
  int tag = -2;

  g_object_get (object, "tag", &tag, NULL);
  return tag;
}

/* The types, in arrays the random operations pick from. */
enum { MODEL_N_IMPLS = 6, MODEL_N_KINDS = 9, MODEL_N_CONTEXT_TYPES = 10, MODEL_N_CONTEXTS = 7 };

static GType model_impls[MODEL_N_IMPLS];
static GType model_kinds[MODEL_N_KINDS];
static GType model_context_types[MODEL_N_CONTEXT_TYPES];   /* [0]: any context */
static GType model_context_classes[MODEL_N_CONTEXTS];

static inline void
model_types_init (void)
{
  GType impls[] = { MODEL_TYPE_A, MODEL_TYPE_A1, MODEL_TYPE_A2, MODEL_TYPE_A21,
                    MODEL_TYPE_B, MODEL_TYPE_B1 };
  GType extra_kinds[] = { MODEL_TYPE_IA, MODEL_TYPE_IB, G_TYPE_OBJECT };

  for (guint i = 0; i < MODEL_N_IMPLS; i++)
    {
      model_impls[i] = model_kinds[i] = model_context_types[i + 1] = impls[i];
      model_context_classes[i] = impls[i];
      g_type_class_unref (g_type_class_ref (impls[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (extra_kinds); i++)
    model_kinds[MODEL_N_IMPLS + i] = extra_kinds[i];
  model_context_types[0] = G_TYPE_INVALID;
  model_context_types[7] = MODEL_TYPE_IA;
  model_context_types[8] = MODEL_TYPE_IB;
  model_context_types[9] = MODEL_TYPE_OTHER;
  model_context_classes[6] = MODEL_TYPE_OTHER;
  g_type_class_unref (g_type_class_ref (MODEL_TYPE_OTHER));
  g_type_class_unref (g_type_class_ref (MODEL_TYPE_ABSTRACT));
}

/* A factory of the tests: builds @make (with the props of the get), or
 * fails as @fail says. Its objects carry the factory's serial and the
 * context it was given (unowned: only compared). */
typedef enum
{
  MODEL_FACTORY_OK,
  MODEL_FACTORY_ERROR,          /* sets an error of its own */
  MODEL_FACTORY_NOTHING,        /* returns NULL without an error */
  MODEL_FACTORY_WRONG_KIND,     /* returns a ModelOther */
} ModelFactoryMode;

typedef struct
{
  guint             serial;
  GType             make;
  ModelFactoryMode  mode;
  gint             *destroyed;  /* incremented by the destroy notify */
} ModelFactoryData;

static GQuark
model_serial_quark (void)
{
  return g_quark_from_static_string ("hs-model-serial");
}

static GQuark
model_context_quark (void)
{
  return g_quark_from_static_string ("hs-model-context");
}

static GObject *
model_factory (HsRegistry    *registry,
               GObject       *context,
               guint          n_properties,
               const char   **names,
               const GValue  *values,
               gpointer       user_data,
               GError       **error)
{
  ModelFactoryData *data = user_data;
  GObject *object;

  switch (data->mode)
    {
    case MODEL_FACTORY_ERROR:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "model factory %u fails", data->serial);
      return NULL;
    case MODEL_FACTORY_NOTHING:
      return NULL;
    case MODEL_FACTORY_WRONG_KIND:
      return g_object_new (MODEL_TYPE_OTHER, NULL);
    case MODEL_FACTORY_OK:
    default:
      object = g_object_new_with_properties (data->make, n_properties, names, values);
      g_object_set_qdata (object, model_serial_quark (), GUINT_TO_POINTER (data->serial));
      g_object_set_qdata (object, model_context_quark (), context);
      return object;
    }
}

static void
model_factory_data_free (gpointer user_data)
{
  ModelFactoryData *data = user_data;

  g_atomic_int_inc (data->destroyed);
  g_free (data);
}

/* The model */

typedef struct
{
  guint               id;
  HsRegistrationType  type;
  GType               implementation;  /* type or instance's type; factory: what it makes */
  GType               kind;            /* as given; G_TYPE_INVALID: omitted */
  GType               context_type;    /* G_TYPE_INVALID: any */
  GObject            *instance;        /* unowned: only compared */
  guint               serial;          /* factory */
  ModelFactoryMode    mode;            /* factory */
  HsLifetime          lifetime;        /* type and factory; 0: TRANSIENT */
  guint               uid;             /* unique in a run: ids may come back */
} ModelRegistration;

/* What a registry keeps for a SINGLETON registration it holds or a SCOPED
 * one a get on it picked. The object is watched with a weak reference:
 * NULL once released. */
typedef struct
{
  guint    uid;                       /* of the registration */
  guint    build;                     /* in the order builds completed */
  GObject *object;
} ModelKept;

/* The builds released so far, in order (ModelKept.build): appended by
 * the weak references, so that a test can compare the order with the
 * model's "last built first". */
static GArray *model_released;
static guint model_next_build;

typedef struct _ModelRegistry ModelRegistry;
struct _ModelRegistry
{
  ModelRegistry *parent;
  GObject       *context;             /* unowned, as the real one's */
  GArray        *registrations;       /* ModelRegistration, oldest first: ids
                                       * wrap, so they do not tell recency */
  HsRegistry    *real;                /* unowned */
  GPtrArray     *kept;                /* ModelKept, first built first */
  gboolean       closed;              /* as the model knows it: the real one
                                       * closes when next used when only an
                                       * ancestor was closed */
  guint          n_closed;            /* emissions of "closed" seen */
  gboolean       closed_too_early;    /* "closed" saw something still kept */
};

static inline ModelRegistry *
model_registry_new (ModelRegistry *parent,
                    GObject       *context,
                    HsRegistry    *real)
{
  ModelRegistry *m = g_new0 (ModelRegistry, 1);

  m->parent = parent;
  /* SPEC 1: a child without a context takes its parent's. */
  m->context = context != NULL ? context : parent != NULL ? parent->context : NULL;
  m->registrations = g_array_new (FALSE, FALSE, sizeof (ModelRegistration));
  m->real = real;
  m->kept = g_ptr_array_new ();
  if (model_released == NULL)
    model_released = g_array_new (FALSE, FALSE, sizeof (guint));
  return m;
}

static inline void
model_kept_released (gpointer  data,
                     GObject  *where_the_object_was)
{
  ModelKept *k = data;

  k->object = NULL;
  g_array_append_val (model_released, k->build);
}

static inline void
model_kept_free (ModelKept *k)
{
  if (k->object != NULL)
    g_object_weak_unref (k->object, model_kept_released, k);
  g_free (k);
}

/* Frees the model of a registry; the real one, when it is to go too,
 * goes first (its "closed" handler may see the model). */
static inline void
model_registry_free (ModelRegistry *m)
{
  for (guint i = 0; i < m->kept->len; i++)
    model_kept_free (m->kept->pdata[i]);
  g_ptr_array_unref (m->kept);
  g_array_unref (m->registrations);
  g_free (m);
}

/* Whether @m or an ancestor was closed: then every get, registration and
 * lookup from @m fails, and closes @m. */
static inline gboolean
model_chain_closed (ModelRegistry *m)
{
  for (; m != NULL; m = m->parent)
    if (m->closed)
      return TRUE;
  return FALSE;
}

static inline ModelKept *
model_find_kept (ModelRegistry *keeper,
                 guint          uid)
{
  for (guint i = 0; i < keeper->kept->len; i++)
    if (((ModelKept *) keeper->kept->pdata[i])->uid == uid)
      return keeper->kept->pdata[i];
  return NULL;
}

/* Records that @keeper keeps @object for registration @uid, built last. */
static inline void
model_keep (ModelRegistry *keeper,
            guint          uid,
            GObject       *object)
{
  ModelKept *k = g_new0 (ModelKept, 1);

  k->uid = uid;
  k->build = ++model_next_build;
  k->object = object;
  g_object_weak_ref (object, model_kept_released, k);
  g_ptr_array_add (keeper->kept, k);
}

/* Takes out of @keeper's list what it keeps for @uid (all of it when @uid
 * is 0), and appends to @expected the builds that releasing them must
 * release, last built first. The ModelKept structs go to @gone, to be
 * freed (model_kept_free) once the release was checked. */
static inline void
model_forget (ModelRegistry *keeper,
              guint          uid,
              GArray        *expected,
              GPtrArray     *gone)
{
  for (guint i = keeper->kept->len; i-- > 0;)
    {
      ModelKept *k = keeper->kept->pdata[i];

      if (uid != 0 && k->uid != uid)
        continue;
      g_array_append_val (expected, k->build);
      g_ptr_array_add (gone, g_ptr_array_steal_index (keeper->kept, i));
    }
}

/* The model of a registry that closes (hs_registry_close(), a use while an
 * ancestor is closed, or its last reference): what it kept is to be
 * released, last built first. */
static inline void
model_close (ModelRegistry *m,
             GArray        *expected,
             GPtrArray     *gone)
{
  m->closed = TRUE;
  model_forget (m, 0, expected, gone);
}

/* After a get, lookup, registration or is_closed() on @m: when an ancestor
 * was closed, @m closes now ("when it is next used"). Returns whether it
 * did. */
static inline gboolean
model_touch (ModelRegistry *m,
             GArray        *expected,
             GPtrArray     *gone)
{
  if (m->closed || !model_chain_closed (m))
    return FALSE;
  model_close (m, expected, gone);
  return TRUE;
}

/* Whether "closed" came as often as the model says (once when closed,
 * never before), and after everything kept was released. */
static inline gboolean
model_closed_signal_ok (ModelRegistry *m)
{
  return m->n_closed == (m->closed ? 1u : 0u) && !m->closed_too_early;
}

/* The handler of "closed" the tests connect with the model as data: the
 * signal comes once, after everything kept was released, and then the
 * registry is closed and its cancellable cancelled. */
static inline void
model_on_closed (HsRegistry    *real,
                 ModelRegistry *m)
{
  m->n_closed++;
  for (guint i = 0; i < m->kept->len; i++)
    m->closed_too_early |= ((ModelKept *) m->kept->pdata[i])->object != NULL;
  m->closed_too_early |= !hs_registry_is_closed (real) ||
                         !g_cancellable_is_cancelled (hs_registry_get_cancellable (real));
}

static inline gboolean
model_remove (ModelRegistry *m,
              guint          id)
{
  for (guint i = 0; i < m->registrations->len; i++)
    if (g_array_index (m->registrations, ModelRegistration, i).id == id)
      {
        g_array_remove_index (m->registrations, i);
        return TRUE;
      }
  return FALSE;
}

/* SPEC 2: which kinds a registration answers for. */
static inline gboolean
model_answers (const ModelRegistration *r,
               GType                    kind)
{
  if (r->kind != G_TYPE_INVALID)
    return kind == r->kind;
  /* Kind omitted: the implementation (also GObject itself), its ancestor
   * classes below GObject and GInitiallyUnowned, and its interfaces. */
  return kind == r->implementation ||
         (g_type_is_a (r->implementation, kind) &&
          kind != G_TYPE_OBJECT && kind != G_TYPE_INITIALLY_UNOWNED);
}

/* SPEC 3.1 as a number: higher is more specific; -1 does not match. */
static inline int
model_specificity (GType    context_type,
                   GObject *context)
{
  int distance = 0;

  if (context_type == G_TYPE_INVALID)
    return 0;                         /* "any context" */
  if (context == NULL || !g_type_is_a (G_OBJECT_TYPE (context), context_type))
    return -1;                        /* never matches a lookup without context */
  if (G_TYPE_IS_INTERFACE (context_type))
    return 1;                         /* any class beats an interface */
  /* A class: the nearer to the context's own type, the better. */
  for (GType t = G_OBJECT_TYPE (context); t != context_type; t = g_type_parent (t))
    distance++;
  return 1000 - distance;
}

/* SPEC 3: the winner for a get of @kind from @m with @context (NULL: the
 * registry's own), or NULL; *@holder gets the registry that holds it. */
static inline const ModelRegistration *
model_resolve (ModelRegistry  *m,
               GType           kind,
               GObject        *context,
               gboolean        with_props,
               ModelRegistry **holder)
{
  if (context == NULL)
    context = m->context;

  for (ModelRegistry *r = m; r != NULL; r = r->parent)
    {
      const ModelRegistration *best = NULL;
      int best_score = -1;

      for (guint i = 0; i < r->registrations->len; i++)
        {
          const ModelRegistration *c = &g_array_index (r->registrations, ModelRegistration, i);
          int score;

          if (!model_answers (c, kind))
            continue;
          /* SPEC 9: what is kept is no candidate of a get with props. */
          if (with_props && (c->type == HS_REGISTRATION_INSTANCE ||
                             c->lifetime != HS_LIFETIME_TRANSIENT))
            continue;
          score = model_specificity (c->context_type, context);
          if (score < 0)
            continue;

          if (best == NULL || score > best_score ||
              (score == best_score &&
               (c->type == HS_REGISTRATION_INSTANCE) > (best->type == HS_REGISTRATION_INSTANCE)) ||
              (score == best_score &&
               (c->type == HS_REGISTRATION_INSTANCE) == (best->type == HS_REGISTRATION_INSTANCE)))
            {
              best = c;
              best_score = score;
            }
        }

      if (best != NULL)
        {
          if (holder != NULL)
            *holder = r;
          return best;
        }
    }

  return NULL;
}

/* SPEC 11: what a list of @kind from @m for @context (NULL: the
 * registry's own) holds, in order: @m's candidates first, then each
 * ancestor's, each registry's ranked as a get ranks them (context
 * specificity, singletons first, the most recent first); nothing when the
 * chain is closed. Appends the registrations to @out and their holders to
 * @holders. */
static inline void
model_candidates (ModelRegistry *m,
                  GType          kind,
                  GObject       *context,
                  GPtrArray     *out,
                  GPtrArray     *holders)
{
  if (context == NULL)
    context = m->context;
  if (model_chain_closed (m))
    return;

  for (ModelRegistry *r = m; r != NULL; r = r->parent)
    {
      guint first = out->len;

      /* Oldest first: each one is more recent than those placed before,
       * so it goes before the first that it does not lose to. */
      for (guint i = 0; i < r->registrations->len; i++)
        {
          const ModelRegistration *c = &g_array_index (r->registrations, ModelRegistration, i);
          int score = model_specificity (c->context_type, context);
          guint at = first;

          if (!model_answers (c, kind) || score < 0)
            continue;
          for (; at < out->len; at++)
            {
              const ModelRegistration *o = out->pdata[at];
              int other = model_specificity (o->context_type, context);

              if (score > other ||
                  (score == other &&
                   (c->type == HS_REGISTRATION_INSTANCE) >= (o->type == HS_REGISTRATION_INSTANCE)))
                break;
            }
          g_ptr_array_insert (out, at, (gpointer) c);
          g_ptr_array_insert (holders, at, r);
        }
    }
}

/* Checks what a real get returned (@object or @error) against the model's
 * winner @w for a get with props (@tag >= 0) or without (@tag < 0).
 * Returns NULL when they agree, else a description to free. */
static inline char *
model_check_get (const ModelRegistration *w,
                 GType                    kind,
                 GObject                 *context,
                 int                      tag,
                 GObject                 *object,
                 const GError            *error)
{
  if (w == NULL)
    {
      if (object != NULL)
        return g_strdup_printf ("expected NOT_FOUND, got a %s", G_OBJECT_TYPE_NAME (object));
      if (!g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND))
        return g_strdup_printf ("expected NOT_FOUND, got error %s",
                                error != NULL ? error->message : "(none)");
      if (strstr (error->message, g_type_name (kind)) == NULL ||
          (context != NULL && strstr (error->message, G_OBJECT_TYPE_NAME (context)) == NULL))
        return g_strdup_printf ("NOT_FOUND message does not name the types: %s", error->message);
      return NULL;
    }

  if (w->type == HS_REGISTRATION_FACTORY && w->mode != MODEL_FACTORY_OK)
    {
      gboolean ok = w->mode == MODEL_FACTORY_ERROR
                      ? g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED)
                      : g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_FACTORY_FAILED);

      if (object != NULL || !ok)
        return g_strdup_printf ("expected factory %u to fail (mode %d), got %s",
                                w->serial, w->mode,
                                object != NULL ? G_OBJECT_TYPE_NAME (object)
                                               : error != NULL ? error->message : "nothing");
      return NULL;
    }

  if (object == NULL)
    return g_strdup_printf ("expected registration %u, got error %s",
                            w->id, error != NULL ? error->message : "(none)");
  if (!g_type_is_a (G_OBJECT_TYPE (object), kind))
    return g_strdup_printf ("got a %s, not a kind of %s", G_OBJECT_TYPE_NAME (object),
                            g_type_name (kind));

  switch (w->type)
    {
    case HS_REGISTRATION_INSTANCE:
      if (object != w->instance)
        return g_strdup_printf ("expected singleton %u (%p), got %p (%s)",
                                w->id, (gpointer) w->instance, (gpointer) object,
                                G_OBJECT_TYPE_NAME (object));
      break;
    case HS_REGISTRATION_TYPE:
      if (G_OBJECT_TYPE (object) != w->implementation)
        return g_strdup_printf ("expected a new %s (registration %u), got a %s",
                                g_type_name (w->implementation), w->id,
                                G_OBJECT_TYPE_NAME (object));
      break;
    case HS_REGISTRATION_FACTORY:
    default:
      if (GPOINTER_TO_UINT (g_object_get_qdata (object, model_serial_quark ())) != w->serial)
        return g_strdup_printf ("expected an object of factory %u (registration %u), got a %s",
                                w->serial, w->id, G_OBJECT_TYPE_NAME (object));
      break;
    }

  if (tag >= 0 && model_get_tag (object) != tag)
    return g_strdup_printf ("prop tag=%d not set: %d", tag, model_get_tag (object));

  return NULL;
}

/* SPEC 9, after model_check_get() agreed: the identity of what a get from
 * @m returned (@object, the caller's reference) for the winner @w held by
 * @holder. A transient build is the caller's alone; a kept one is the
 * object @holder (SINGLETON) or @m (SCOPED) kept from the first build, which
 * a factory was given the keeper's context for; a first build is recorded.
 * Returns NULL when they agree, else a description to free. */
static inline char *
model_check_lifetime (ModelRegistry           *m,
                      ModelRegistry           *holder,
                      const ModelRegistration *w,
                      GObject                 *lookup_context,
                      GObject                 *object)
{
  ModelRegistry *keeper;
  ModelKept *k;
  GObject *expected_context = lookup_context;

  if (object == NULL || w->type == HS_REGISTRATION_INSTANCE)
    return NULL;

  if (w->lifetime == HS_LIFETIME_TRANSIENT)
    {
      if (object->ref_count != 1)
        return g_strdup_printf ("a transient %s is held by %u, not by its caller alone",
                                G_OBJECT_TYPE_NAME (object), object->ref_count);
    }
  else
    {
      keeper = w->lifetime == HS_LIFETIME_SINGLETON ? holder : m;
      expected_context = keeper->context;
      k = model_find_kept (keeper, w->uid);
      if (k != NULL)
        {
          if (k->object != object)
            return g_strdup_printf ("expected the %s kept for registration %u (build %u), "
                                    "got another (%p, not %p)",
                                    w->lifetime == HS_LIFETIME_SINGLETON ? "singleton" : "scoped object",
                                    w->id, k->build, (gpointer) object, (gpointer) k->object);
          return NULL;
        }
      if (object->ref_count != 2)
        return g_strdup_printf ("a first %s build is held by %u, not by its caller and its keeper",
                                G_OBJECT_TYPE_NAME (object), object->ref_count);
      model_keep (keeper, w->uid, object);
    }

  if (w->type == HS_REGISTRATION_FACTORY &&
      g_object_get_qdata (object, model_context_quark ()) != (gpointer) expected_context)
    return g_strdup_printf ("factory %u was not given the context %s", w->serial,
                            expected_context != NULL ? G_OBJECT_TYPE_NAME (expected_context) : "-");
  return NULL;
}

static inline int
model_compare_builds (gconstpointer a,
                      gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Checks that the builds released since @from of model_released are
 * @expected, in that order (in any order unless @ordered), and nothing
 * else; frees the ModelKept of @gone. Returns NULL when they agree, else a
 * description to free. */
static inline char *
model_check_released_full (guint      from,
                           GArray    *expected,
                           GPtrArray *gone,
                           gboolean   ordered)
{
  GString *problem = NULL;
  guint n = model_released->len - from;

  /* qsort() and memcmp() take no NULL, also for no elements. */
  if (!ordered && n > 0)
    {
      g_array_sort (expected, model_compare_builds);
      qsort (&g_array_index (model_released, guint, from), n, sizeof (guint),
             model_compare_builds);
    }

  for (guint i = 0; i < gone->len; i++)
    if (((ModelKept *) gone->pdata[i])->object != NULL)
      {
        problem = g_string_new ("");
        g_string_append_printf (problem, "build %u still alive; ",
                                ((ModelKept *) gone->pdata[i])->build);
        break;
      }
  if (problem == NULL &&
      (n != expected->len ||
       (n > 0 &&
        memcmp (&g_array_index (model_released, guint, from), expected->data,
                n * sizeof (guint)) != 0)))
    problem = g_string_new ("");

  if (problem != NULL)
    {
      g_string_append (problem, "released builds:");
      for (guint i = from; i < model_released->len; i++)
        g_string_append_printf (problem, " %u", g_array_index (model_released, guint, i));
      g_string_append (problem, "; expected:");
      for (guint i = 0; i < expected->len; i++)
        g_string_append_printf (problem, " %u", g_array_index (expected, guint, i));
    }

  for (guint i = 0; i < gone->len; i++)
    model_kept_free (gone->pdata[i]);
  g_ptr_array_set_size (gone, 0);
  g_array_set_size (expected, 0);
  return problem != NULL ? g_string_free (problem, FALSE) : NULL;
}

static inline char *
model_check_released (guint      from,
                      GArray    *expected,
                      GPtrArray *gone)
{
  return model_check_released_full (from, expected, gone, TRUE);
}

G_END_DECLS
