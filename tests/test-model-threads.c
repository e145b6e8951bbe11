/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The model test's operations from 4 threads at once on shared registries
 * (SPEC 6): registrations, unregistrations, gets with and without props,
 * lookups, and private children created and dropped.
 *
 * While the threads run, every object handed out must come from something
 * registered at some point in the registry asked or its ancestors, for a
 * kind that answers; every lookup must name such a registration. When they
 * are done, every get and lookup must agree with the model of hs-model.h,
 * which each thread kept up to date with what it registered and removed.
 *
 * HS_MODEL_THREAD_OPS=<n> sets the operations per thread (the valgrind
 * setup runs fewer); the seed is g_test's (--seed).
 */
#include "hs-model.h"

#define N_THREADS 4
#define N_SHARED 4
#define DEFAULT_OPS 6000

/* What was ever registered: an object handed out must match one. Appended
 * before the registration is made, so that it is there before any get can
 * see the registration. */
typedef struct
{
  guint               registry;         /* index in shared */
  HsRegistrationType  type;
  GType               implementation;
  GType               kind;
  GType               context_type;
  GObject            *instance;         /* a reference, kept to the end */
  guint               serial;
  ModelFactoryMode    mode;
} Ever;

typedef struct
{
  HsRegistry    *shared[N_SHARED];
  ModelRegistry *models[N_SHARED];
  GObject       *contexts[MODEL_N_CONTEXTS];
  GMutex         lock;                  /* guards models, ever, next_serial */
  GArray        *ever;
  guint          next_serial;
  gint           factories_made;
  gint           factories_destroyed;
  gint           gets, found, lookups, registrations, unregistrations, children;
  guint32        seed;
  guint          ops;
  GMutex         fail_lock;
  char          *failure;               /* the first problem found, or NULL */
} Shared;

typedef struct
{
  Shared *shared;
  guint   index;
} ThreadArgs;

static void G_GNUC_PRINTF (2, 3)
report (Shared     *shared,
        const char *format,
        ...)
{
  va_list args;

  g_mutex_lock (&shared->fail_lock);
  if (shared->failure == NULL)
    {
      va_start (args, format);
      shared->failure = g_strdup_vprintf (format, args);
      va_end (args);
    }
  g_mutex_unlock (&shared->fail_lock);
}

/* Whether @r is @m or one of its ancestors. */
static gboolean
in_chain (Shared *shared,
          guint   m,
          guint   r)
{
  for (ModelRegistry *x = shared->models[m]; x != NULL; x = x->parent)
    if (x == shared->models[r])
      return TRUE;
  return FALSE;
}

static gboolean
ever_answers (const Ever *e,
              GType       kind)
{
  ModelRegistration as_model = { 0, e->type, e->implementation, e->kind, e->context_type };

  return model_answers (&as_model, kind);
}

/* Checks an answer of a get from shared registry @m (or a private child of
 * it, whose own registrations are never any) against what was ever
 * registered. */
static void
check_handed_out (Shared       *shared,
                  guint         m,
                  GType         kind,
                  GObject      *context,
                  int           tag,
                  GObject      *object,
                  const GError *error)
{
  gboolean ok = FALSE;

  if (object == NULL)
    {
      if (g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND))
        return;

      /* A failing factory answering @kind must have been registered. */
      g_mutex_lock (&shared->lock);
      for (guint i = 0; i < shared->ever->len && !ok; i++)
        {
          const Ever *e = &g_array_index (shared->ever, Ever, i);

          ok = e->type == HS_REGISTRATION_FACTORY && e->mode != MODEL_FACTORY_OK &&
               in_chain (shared, m, e->registry) && ever_answers (e, kind);
        }
      g_mutex_unlock (&shared->lock);
      if (!ok)
        report (shared, "get (%s) failed unexpectedly: %s", g_type_name (kind),
                error != NULL ? error->message : "(no error)");
      return;
    }

  if (!g_type_is_a (G_OBJECT_TYPE (object), kind))
    {
      report (shared, "get (%s) handed out a %s", g_type_name (kind), G_OBJECT_TYPE_NAME (object));
      return;
    }
  if (tag >= 0 && model_get_tag (object) != tag)
    {
      report (shared, "get (%s) with tag %d: the tag is %d", g_type_name (kind), tag,
              model_get_tag (object));
      return;
    }

  g_mutex_lock (&shared->lock);
  for (guint i = 0; i < shared->ever->len && !ok; i++)
    {
      const Ever *e = &g_array_index (shared->ever, Ever, i);
      guint serial = GPOINTER_TO_UINT (g_object_get_qdata (object, model_serial_quark ()));

      if (!in_chain (shared, m, e->registry) || !ever_answers (e, kind) ||
          model_specificity (e->context_type, context) < 0)
        continue;

      switch (e->type)
        {
        case HS_REGISTRATION_INSTANCE:
          ok = tag < 0 && e->instance == object;
          break;
        case HS_REGISTRATION_FACTORY:
          ok = serial != 0 && serial == e->serial;
          break;
        case HS_REGISTRATION_TYPE:
        default:
          ok = serial == 0 && e->implementation == G_OBJECT_TYPE (object);
          break;
        }
    }
  g_mutex_unlock (&shared->lock);

  if (!ok)
    report (shared, "get (%s, context %s, tag %d) handed out a %s that was never registered so",
            g_type_name (kind), context ? G_OBJECT_TYPE_NAME (context) : "-", tag,
            G_OBJECT_TYPE_NAME (object));
}

static void
do_get (Shared     *shared,
        GRand      *rand,
        HsRegistry *registry,
        guint       m,
        GObject    *own_context)
{
  GType kind = model_kinds[g_rand_int_range (rand, 0, MODEL_N_KINDS)];
  GObject *context = g_rand_boolean (rand) ? NULL
                       : shared->contexts[g_rand_int_range (rand, 0, MODEL_N_CONTEXTS)];
  int tag = g_rand_int_range (rand, 0, 4) == 0 ? g_rand_int_range (rand, 0, 1000) : -1;
  GError *error = NULL;
  GObject *object;

  if (tag >= 0)
    {
      const char *names[] = { "tag" };
      GValue value = G_VALUE_INIT;

      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, tag);
      object = hs_registry_get_with_properties (registry, kind, context, 1, names, &value, &error);
      g_value_unset (&value);
    }
  else
    object = hs_registry_get (registry, kind, context, &error);

  g_atomic_int_inc (&shared->gets);
  if (object != NULL)
    g_atomic_int_inc (&shared->found);
  check_handed_out (shared, m, kind, context != NULL ? context : own_context, tag, object, error);
  g_clear_object (&object);
  g_clear_error (&error);
}

static void
do_lookup (Shared *shared,
           GRand  *rand,
           guint   m)
{
  GType kind = model_kinds[g_rand_int_range (rand, 0, MODEL_N_KINDS)];
  GObject *context = g_rand_boolean (rand) ? NULL
                       : shared->contexts[g_rand_int_range (rand, 0, MODEL_N_CONTEXTS)];
  HsRegistration *found = hs_registry_lookup (shared->shared[m], kind, context);
  GObject *lookup_context = context != NULL ? context : shared->models[m]->context;

  g_atomic_int_inc (&shared->lookups);
  if (found == NULL)
    return;

  {
    HsRegistry *holder = hs_registration_get_registry (found);
    GType implementation = hs_registration_get_implementation_type (found);
    gboolean in = FALSE;

    for (guint r = 0; r < N_SHARED; r++)
      in |= shared->shared[r] == holder && in_chain (shared, m, r);

    if (!in ||
        model_specificity (hs_registration_get_context_type (found), lookup_context) < 0 ||
        (implementation != G_TYPE_INVALID && !g_type_is_a (implementation, kind)))
      report (shared, "lookup (%s) named registration %u, which cannot answer it",
              g_type_name (kind), hs_registration_get_id (found));
  }
  g_object_unref (found);
}

static gpointer
worker (gpointer data)
{
  ThreadArgs *args = data;
  Shared *shared = args->shared;
  GRand *rand = g_rand_new_with_seed (shared->seed + args->index);
  GArray *mine = g_array_new (FALSE, FALSE, sizeof (guint) * 2);   /* (registry, id) */

  for (guint op = 0; op < shared->ops && g_atomic_pointer_get (&shared->failure) == NULL; op++)
    {
      guint m = (guint) g_rand_int_range (rand, 0, N_SHARED);
      guint what = (guint) g_rand_int_range (rand, 0, 100);

      if (what < 20)
        {
          Ever e = { m, 0, };
          ModelRegistration reg = { 0, };
          ModelFactoryData *factory = NULL;
          GError *error = NULL;
          guint pair[2];

          e.implementation = model_impls[g_rand_int_range (rand, 0, MODEL_N_IMPLS)];
          e.context_type = g_rand_boolean (rand) ? G_TYPE_INVALID
                             : model_context_types[g_rand_int_range (rand, 0, MODEL_N_CONTEXT_TYPES)];
          e.type = (HsRegistrationType) g_rand_int_range (rand, 0, 3);
          if (e.type == HS_REGISTRATION_FACTORY || g_rand_boolean (rand))
            {
              /* A kind the implementation is a kind of. */
              do
                e.kind = model_kinds[g_rand_int_range (rand, 0, MODEL_N_KINDS)];
              while (!g_type_is_a (e.implementation, e.kind));
            }
          if (e.type == HS_REGISTRATION_INSTANCE)
            e.instance = g_object_new (e.implementation, "tag", g_rand_int_range (rand, 0, 1000), NULL);

          g_mutex_lock (&shared->lock);
          if (e.type == HS_REGISTRATION_FACTORY)
            {
              guint dice = (guint) g_rand_int_range (rand, 0, 20);

              factory = g_new0 (ModelFactoryData, 1);
              factory->serial = e.serial = ++shared->next_serial;
              factory->make = e.implementation;
              factory->destroyed = &shared->factories_destroyed;
              factory->mode = e.mode = dice == 0 ? MODEL_FACTORY_ERROR
                                     : dice == 1 && e.kind != G_TYPE_OBJECT ? MODEL_FACTORY_WRONG_KIND
                                     : MODEL_FACTORY_OK;
              g_atomic_int_inc (&shared->factories_made);
            }
          g_array_append_val (shared->ever, e);
          g_mutex_unlock (&shared->lock);

          switch (e.type)
            {
            case HS_REGISTRATION_TYPE:
              reg.id = hs_registry_register_type (shared->shared[m], e.implementation, e.kind,
                                                  e.context_type, &error);
              break;
            case HS_REGISTRATION_INSTANCE:
              reg.id = hs_registry_register_instance (shared->shared[m], e.instance, e.kind,
                                                      e.context_type, &error);
              break;
            case HS_REGISTRATION_FACTORY:
            default:
              reg.id = hs_registry_register_factory (shared->shared[m], e.kind, e.context_type,
                                                     model_factory, factory,
                                                     model_factory_data_free, &error);
              break;
            }
          if (reg.id == 0)
            {
              report (shared, "registration refused: %s", error->message);
              g_clear_error (&error);
              break;
            }

          reg.type = e.type;
          reg.implementation = e.implementation;
          reg.kind = e.kind;
          reg.context_type = e.context_type;
          reg.instance = e.instance;
          reg.serial = e.serial;
          reg.mode = e.mode;
          g_mutex_lock (&shared->lock);
          {
            /* The model's order is recency: two threads registering at once
             * may get here in the other order than their registrations
             * were made. Ids tell that order here (this test never moves
             * the id counter to its wrap). */
            GArray *registrations = shared->models[m]->registrations;
            guint at = registrations->len;

            while (at > 0 && g_array_index (registrations, ModelRegistration, at - 1).id > reg.id)
              at--;
            g_array_insert_val (registrations, at, reg);
          }
          g_mutex_unlock (&shared->lock);

          pair[0] = m;
          pair[1] = reg.id;
          g_array_append_val (mine, pair);
          g_atomic_int_inc (&shared->registrations);
        }
      else if (what < 35)
        {
          guint *pair;
          guint i;

          if (mine->len == 0)
            continue;
          i = (guint) g_rand_int_range (rand, 0, (gint32) mine->len);
          pair = &g_array_index (mine, guint, i * 2);

          if (!hs_registry_unregister (shared->shared[pair[0]], pair[1]))
            report (shared, "unregister (%u) of a live registration returned FALSE", pair[1]);
          g_mutex_lock (&shared->lock);
          if (!model_remove (shared->models[pair[0]], pair[1]))
            report (shared, "the model lost registration %u", pair[1]);
          g_mutex_unlock (&shared->lock);
          g_array_remove_index_fast (mine, i);
          g_atomic_int_inc (&shared->unregistrations);
        }
      else if (what < 80)
        do_get (shared, rand, shared->shared[m], m, shared->models[m]->context);
      else if (what < 90)
        do_lookup (shared, rand, m);
      else
        {
          /* A private request registry: its context drives the gets. */
          GObject *context = shared->contexts[g_rand_int_range (rand, 0, MODEL_N_CONTEXTS)];
          HsRegistry *child = hs_registry_new (shared->shared[m], context);

          for (guint i = 0; i < 3; i++)
            do_get (shared, rand, child, m, context);
          g_object_unref (child);
          g_atomic_int_inc (&shared->children);
        }
    }

  g_array_unref (mine);
  g_rand_free (rand);
  return NULL;
}

static void
test_threads_agree (void)
{
  Shared shared = { 0, };
  ThreadArgs args[N_THREADS];
  GThread *threads[N_THREADS];
  const char *ops = g_getenv ("HS_MODEL_THREAD_OPS");
  gint alive_before = g_atomic_int_get (&model_alive);
  guint checked = 0;

  shared.seed = (guint32) g_test_rand_int ();
  shared.ops = ops != NULL ? (guint) g_ascii_strtoull (ops, NULL, 10) : DEFAULT_OPS;
  shared.ever = g_array_new (FALSE, FALSE, sizeof (Ever));
  g_mutex_init (&shared.lock);
  g_mutex_init (&shared.fail_lock);
  for (guint i = 0; i < MODEL_N_CONTEXTS; i++)
    shared.contexts[i] = g_object_new (model_context_classes[i], NULL);

  /* r0 ← r1 ← r3, r0 ← r2; r2 and r3 have contexts of their own. */
  shared.shared[0] = hs_registry_new (NULL, NULL);
  shared.shared[1] = hs_registry_new (shared.shared[0], NULL);
  shared.shared[2] = hs_registry_new (shared.shared[0], shared.contexts[3]);
  shared.shared[3] = hs_registry_new (shared.shared[1], shared.contexts[5]);
  shared.models[0] = model_registry_new (NULL, NULL, shared.shared[0]);
  shared.models[1] = model_registry_new (shared.models[0], NULL, shared.shared[1]);
  shared.models[2] = model_registry_new (shared.models[0], shared.contexts[3], shared.shared[2]);
  shared.models[3] = model_registry_new (shared.models[1], shared.contexts[5], shared.shared[3]);

  g_test_message ("seed %u, %u operations in each of %d threads", shared.seed, shared.ops, N_THREADS);

  for (guint t = 0; t < N_THREADS; t++)
    {
      args[t].shared = &shared;
      args[t].index = t;
      threads[t] = g_thread_new ("hs-model", worker, &args[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  if (shared.failure != NULL)
    g_error ("While the threads ran (seed %u): %s", shared.seed, shared.failure);

  g_test_message ("%d registrations, %d unregistrations, %d gets (%d found), %d lookups, "
                  "%d request children", shared.registrations, shared.unregistrations,
                  shared.gets, shared.found, shared.lookups, shared.children);
  g_assert_cmpint (shared.found, >, 0);

  /* The threads are done: every registry agrees with the model. */
  for (guint m = 0; m < N_SHARED; m++)
    for (guint k = 0; k < MODEL_N_KINDS; k++)
      for (guint c = 0; c <= MODEL_N_CONTEXTS; c++)
        {
          GObject *context = c < MODEL_N_CONTEXTS ? shared.contexts[c] : NULL;
          GObject *lookup_context = context != NULL ? context : shared.models[m]->context;
          GType kind = model_kinds[k];
          ModelRegistry *holder = NULL;
          const ModelRegistration *w = model_resolve (shared.models[m], kind, context, FALSE, &holder);
          g_autoptr(HsRegistration) found = hs_registry_lookup (shared.shared[m], kind, context);
          g_autoptr(GError) error = NULL;
          g_autoptr(GObject) object = hs_registry_get (shared.shared[m], kind, context, &error);
          g_autofree char *problem = model_check_get (w, kind, lookup_context, -1, object, error);

          if (problem != NULL)
            g_error ("get (r%u, %s, %s) after the threads (seed %u): %s", m, g_type_name (kind),
                     context ? G_OBJECT_TYPE_NAME (context) : "-", shared.seed, problem);
          if ((w == NULL) != (found == NULL) ||
              (w != NULL && (hs_registration_get_id (found) != w->id ||
                             hs_registration_get_registry (found) != holder->real)))
            g_error ("lookup (r%u, %s, %s) after the threads (seed %u): model %u, registry %u",
                     m, g_type_name (kind), context ? G_OBJECT_TYPE_NAME (context) : "-",
                     shared.seed, w ? w->id : 0, found ? hs_registration_get_id (found) : 0);
          checked++;
        }
  g_test_message ("%u final answers agree with the model", checked);

  /* Drop everything: nothing may be left, and every factory's data must
   * have been destroyed. */
  for (guint m = N_SHARED; m-- > 0;)
    {
      g_object_unref (shared.shared[m]);
      model_registry_free (shared.models[m]);
    }
  for (guint i = 0; i < shared.ever->len; i++)
    g_clear_object (&g_array_index (shared.ever, Ever, i).instance);
  for (guint i = 0; i < MODEL_N_CONTEXTS; i++)
    g_object_unref (shared.contexts[i]);
  g_assert_cmpint (g_atomic_int_get (&model_alive), ==, alive_before);
  g_assert_cmpint (shared.factories_destroyed, ==, shared.factories_made);

  g_array_unref (shared.ever);
  g_mutex_clear (&shared.lock);
  g_mutex_clear (&shared.fail_lock);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  model_types_init ();

  g_test_add_func ("/model/threads", test_threads_agree);

  return g_test_run ();
}
