/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Model-based random test of SPEC sections 1-3 and 9: random sequences of
 * registrations (types, instances, factories; kinds given, omitted or
 * wrong; contexts; transient, lazy singleton or scoped), unregistrations,
 * ids that wrap (the counter jumped ahead to a live id), children created
 * and dropped, registries closed, gets with and without props and lookups,
 * each get and lookup checked against the brute-force model of hs-model.h:
 * which registration wins, and which object comes back (the same one for a
 * lazy singleton from its holder and its descendants, the same one per
 * registry asked for a scoped registration, a new one each time for a
 * transient one). After every operation, what was released since the one
 * before must be what the model released, last built first: nothing for a
 * get, what the holder kept for an unregistered registration, everything a
 * registry kept when it closes; then it fails with CLOSED.
 *
 * Each sequence has its own seed. A failure prints it; replay one sequence,
 * with every operation logged, with
 *
 *   HS_MODEL_SEED=<seed> tests/test-model --verbose
 *
 * (with HS_MODEL_LONG=1 for a long sequence: the failure says so).
 *
 * HS_MODEL_SEQUENCES=<n> changes how many sequences run (the valgrind
 * setup runs fewer); g_test's --seed changes the seeds of the sequences.
 */
#include "hs-model.h"
#include "hopscotch/hs-index-private.h"

#define DEFAULT_SEQUENCES 5000
#define OPS_PER_SEQUENCE 80
/* Long sequences, one per 125 short ones: many registrations of a kind,
 * and as many unregistrations as registrations, so that the index's lists
 * of a kind fill with holes and are squeezed (hs-index.c). */
#define LONG_OPS_PER_SEQUENCE 2000
#define LONG_EVERY 125
#define MAX_REGISTRIES 6
#define MAX_LISTS 6

/* A live list (SPEC 11) and what it lists. */
typedef struct
{
  ModelRegistry *m;
  GType          kind;
  GObject       *context;             /* as given: NULL for the registry's own */
  GListModel    *list;                /* owned */
} LiveList;

typedef struct
{
  GRand         *rand;
  guint32        seed;
  gboolean       long_run;
  gboolean       verbose;
  GPtrArray     *log;             /* char *: the operations so far */
  GPtrArray     *models;          /* ModelRegistry *; [0] is the root */
  GPtrArray     *reals;           /* HsRegistry * (owned), parallel to models */
  GPtrArray     *lists;           /* LiveList * (owned) */
  GObject       *contexts[MODEL_N_CONTEXTS];
  guint          next_serial;
  gint           factories_made;
  gint           factories_destroyed;
  guint          next_uid;
  GArray        *expected_released;  /* guint: builds, in order */
  GPtrArray     *gone;               /* ModelKept taken out of the model */
  guint          n_gets;
  guint          n_lookups;
  guint          n_found;
  guint          n_kept;
  guint          n_closes;
} Run;

static guint total_gets, total_lookups, total_found, total_ops, total_kept, total_closes;

static void G_GNUC_PRINTF (2, 3)
note (Run        *run,
      const char *format,
      ...)
{
  va_list args;
  char *line;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  if (run->verbose)
    g_test_message ("%s", line);
  g_ptr_array_add (run->log, line);
}

static void
fail (Run        *run,
      const char *what)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "Model mismatch in sequence with seed %u: %s\n"
                          "Replay with: %sHS_MODEL_SEED=%u %s --verbose\nOperations:\n",
                          run->seed, what, run->long_run ? "HS_MODEL_LONG=1 " : "",
                          run->seed, g_get_prgname ());
  for (guint i = 0; i < run->log->len; i++)
    g_string_append_printf (text, "  %s\n", (const char *) run->log->pdata[i]);
  g_printerr ("%s", text->str);
  g_test_message ("%s", text->str);
  g_string_free (text, TRUE);
  g_test_fail ();
  g_assert_not_reached ();
}

static const char *
type_name (GType type)
{
  return type == G_TYPE_INVALID ? "-" : g_type_name (type);
}

static int
registry_index (Run        *run,
                HsRegistry *real)
{
  for (guint i = 0; i < run->reals->len; i++)
    if (run->reals->pdata[i] == real)
      return (int) i;
  return -1;
}

static guint
pick (Run  *run,
      guint n)
{
  return (guint) g_rand_int_range (run->rand, 0, (gint32) n);
}

static gboolean
chance (Run    *run,
        double  p)
{
  return g_rand_double (run->rand) < p;
}

/* A kind for @implementation: omitted, one it is a kind of, or (rarely)
 * one it is not, which must be refused. */
static GType
pick_kind_for (Run      *run,
               GType     implementation,
               gboolean *wrong)
{
  GType candidates[MODEL_N_KINDS];
  guint n = 0;

  *wrong = chance (run, 0.04);
  if (!*wrong && chance (run, 0.4))
    return G_TYPE_INVALID;

  for (guint i = 0; i < MODEL_N_KINDS; i++)
    if (g_type_is_a (implementation, model_kinds[i]) != *wrong)
      candidates[n++] = model_kinds[i];

  return candidates[pick (run, n)];
}

static GType
pick_context_type (Run *run)
{
  /* "Any" half of the time, so that context-free answers are common. */
  if (chance (run, 0.5))
    return G_TYPE_INVALID;
  return model_context_types[pick (run, MODEL_N_CONTEXT_TYPES)];
}

static GObject *
pick_lookup_context (Run *run)
{
  if (chance (run, 0.4))
    return NULL;
  return run->contexts[pick (run, MODEL_N_CONTEXTS)];
}

static HsLifetime
pick_lifetime (Run *run)
{
  guint what = pick (run, 10);

  return what < 6 ? HS_LIFETIME_TRANSIENT : what < 8 ? HS_LIFETIME_SINGLETON : HS_LIFETIME_SCOPED;
}

static const char *
lifetime_name (HsLifetime lifetime)
{
  return lifetime == HS_LIFETIME_SINGLETON ? "singleton"
       : lifetime == HS_LIFETIME_SCOPED ? "scoped" : "transient";
}

/* The model of a registry that just closed (hs_registry_close(), or a use
 * of a registry whose ancestor was closed, or its last reference): what it
 * kept is released, last built first, and "closed" comes once. */
static void
model_closed (Run *run,
              guint r)
{
  model_close (run->models->pdata[r], run->expected_released, run->gone);
  run->n_closes++;
}

/* After an operation that used r: when the model says its chain is closed,
 * the registry is closed now ("when it is next used"). */
static void
touched (Run   *run,
         guint  r)
{
  if (model_touch (run->models->pdata[r], run->expected_released, run->gone))
    {
      note (run, "  (r%u closes: an ancestor is closed)", r);
      run->n_closes++;
    }
}

static void
check_closed_state (Run   *run,
                    guint  r)
{
  ModelRegistry *m = run->models->pdata[r];

  if (!model_closed_signal_ok (m))
    {
      g_autofree char *message =
        g_strdup_printf ("r%u: \"closed\" came %u times (model: closed %d), %s",
                         r, m->n_closed, m->closed,
                         m->closed_too_early ? "before everything was released" : "in order");
      fail (run, message);
    }
}

static void
add_registry (Run           *run,
              ModelRegistry *m)
{
  g_ptr_array_add (run->models, m);
  g_ptr_array_add (run->reals, m->real);
  g_signal_connect (m->real, "closed", G_CALLBACK (model_on_closed), m);
}

static void
live_list_free (LiveList *l)
{
  g_object_unref (l->list);
  g_free (l);
}

/* Drops the lists of @m: they keep it alive. */
static void
drop_lists_of (Run           *run,
               ModelRegistry *m)
{
  for (guint i = run->lists->len; i-- > 0;)
    if (((LiveList *) run->lists->pdata[i])->m == m)
      g_ptr_array_remove_index (run->lists, i);
}

/* After every operation, every live list holds the model's candidates, in
 * order, each from its holder. */
static void
check_lists (Run *run)
{
  for (guint i = 0; i < run->lists->len; i++)
    {
      LiveList *l = run->lists->pdata[i];
      g_autoptr(GPtrArray) expected = g_ptr_array_new ();
      g_autoptr(GPtrArray) holders = g_ptr_array_new ();
      GString *want = g_string_new (NULL), *got = g_string_new (NULL);

      model_candidates (l->m, l->kind, l->context, expected, holders);
      for (guint k = 0; k < expected->len; k++)
        g_string_append_printf (want, " %u@%p", ((ModelRegistration *) expected->pdata[k])->id,
                                (void *) ((ModelRegistry *) holders->pdata[k])->real);
      for (guint k = 0; k < g_list_model_get_n_items (l->list); k++)
        {
          g_autoptr(HsRegistration) item = g_list_model_get_item (l->list, k);

          g_string_append_printf (got, " %u@%p", hs_registration_get_id (item),
                                  (void *) hs_registration_get_registry (item));
        }

      if (strcmp (want->str, got->str) != 0)
        {
          g_autofree char *message = g_strdup_printf ("list %u of %s: [%s ] instead of [%s ]", i,
                                                      g_type_name (l->kind), got->str, want->str);

          g_string_free (want, TRUE);
          g_string_free (got, TRUE);
          fail (run, message);
        }
      g_string_free (want, TRUE);
      g_string_free (got, TRUE);
    }
}

/* Operations */

static void
check_unchanged_refusal (Run        *run,
                         guint       id,
                         GError     *error,
                         const char *what)
{
  if (id != 0 || !g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION))
    {
      g_autofree char *message = g_strdup_printf ("%s was not refused (id %u, error %s)",
                                                  what, id, error ? error->message : "none");
      fail (run, message);
    }
}

static void
op_register (Run *run)
{
  guint r = pick (run, run->models->len);
  ModelRegistry *m = run->models->pdata[r];
  HsRegistry *real = run->reals->pdata[r];
  ModelRegistration reg = { 0, };
  GError *error = NULL;
  gboolean wrong = FALSE;
  gboolean closed = model_chain_closed (m);
  guint what = pick (run, 100);

  reg.context_type = pick_context_type (run);

  if (closed)
    {
      /* SPEC 9: no registration on a closed registry, whatever it is. */
      GType impl = what < 7 ? MODEL_TYPE_ABSTRACT : model_impls[pick (run, MODEL_N_IMPLS)];
      guint id;

      note (run, "register_type (r%u, %s) — closed", r, type_name (impl));
      id = hs_registry_register_type_full (real, impl, G_TYPE_INVALID, reg.context_type,
                                           pick_lifetime (run), &error);
      if (id != 0 ||
          !(g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED) ||
            (what < 7 && g_error_matches (error, HS_REGISTRY_ERROR,
                                          HS_REGISTRY_ERROR_INVALID_REGISTRATION))))
        {
          g_autofree char *message = g_strdup_printf ("registration on a closed registry: id %u, %s",
                                                      id, error ? error->message : "no error");
          fail (run, message);
        }
      /* A bad implementation may be refused before the registry is
       * looked at: then it was not used, and stays as it was. */
      if (g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED))
        touched (run, r);
      g_clear_error (&error);
      return;
    }

  if (what < 4)
    {
      /* Bad input: never registered, never a crash. */
      GType bad_impls[] = { MODEL_TYPE_IA, MODEL_TYPE_ABSTRACT, G_TYPE_INT, G_TYPE_INVALID };
      GType impl = bad_impls[pick (run, G_N_ELEMENTS (bad_impls))];
      guint id;

      note (run, "register_type (r%u, %s) — refused", r, type_name (impl));
      id = hs_registry_register_type (real, impl, G_TYPE_INVALID, reg.context_type, &error);
      check_unchanged_refusal (run, id, error, "a bad implementation");
      g_clear_error (&error);
      return;
    }
  if (what < 7)
    {
      guint id;

      note (run, "register_type (r%u, ModelA, context gint) — refused", r);
      id = hs_registry_register_type (real, MODEL_TYPE_A, G_TYPE_INVALID, G_TYPE_INT, &error);
      check_unchanged_refusal (run, id, error, "a bad context type");
      g_clear_error (&error);
      return;
    }

  if (what < 45)
    {
      reg.type = HS_REGISTRATION_TYPE;
      reg.implementation = model_impls[pick (run, MODEL_N_IMPLS)];
      reg.kind = pick_kind_for (run, reg.implementation, &wrong);
      reg.lifetime = pick_lifetime (run);
      if (reg.lifetime == HS_LIFETIME_TRANSIENT && chance (run, 0.5))
        reg.id = hs_registry_register_type (real, reg.implementation, reg.kind, reg.context_type, &error);
      else
        reg.id = hs_registry_register_type_full (real, reg.implementation, reg.kind, reg.context_type,
                                                 reg.lifetime, &error);
    }
  else if (what < 78)
    {
      GObject *instance;

      reg.type = HS_REGISTRATION_INSTANCE;
      reg.implementation = model_impls[pick (run, MODEL_N_IMPLS)];
      reg.kind = pick_kind_for (run, reg.implementation, &wrong);
      instance = g_object_new (reg.implementation, "tag", (int) pick (run, 1000), NULL);
      reg.instance = instance;
      reg.id = hs_registry_register_instance (real, instance, reg.kind, reg.context_type, &error);
      /* The registry's reference is the only one left: unregistering must
       * release it at once. */
      g_object_unref (instance);
    }
  else
    {
      ModelFactoryData *data = g_new0 (ModelFactoryData, 1);
      guint candidates[MODEL_N_IMPLS], n = 0;

      reg.type = HS_REGISTRATION_FACTORY;
      reg.kind = chance (run, 0.05) ? G_TYPE_INVALID : model_kinds[pick (run, MODEL_N_KINDS)];
      for (guint i = 0; i < MODEL_N_IMPLS; i++)
        if (reg.kind == G_TYPE_INVALID || g_type_is_a (model_impls[i], reg.kind))
          candidates[n++] = i;
      reg.implementation = n > 0 ? model_impls[candidates[pick (run, n)]] : MODEL_TYPE_A;
      reg.serial = data->serial = ++run->next_serial;
      data->make = reg.implementation;
      data->destroyed = &run->factories_destroyed;
      what = pick (run, 100);
      reg.mode = data->mode = what < 88 ? MODEL_FACTORY_OK
                            : what < 93 ? MODEL_FACTORY_ERROR
                            : what < 97 ? MODEL_FACTORY_NOTHING
                            : reg.kind != G_TYPE_OBJECT ? MODEL_FACTORY_WRONG_KIND
                            : MODEL_FACTORY_OK;
      wrong = reg.kind == G_TYPE_INVALID;        /* a factory needs a kind */
      run->factories_made++;
      reg.lifetime = pick_lifetime (run);
      if (reg.lifetime == HS_LIFETIME_TRANSIENT && chance (run, 0.5))
        reg.id = hs_registry_register_factory (real, reg.kind, reg.context_type, model_factory,
                                               data, model_factory_data_free, &error);
      else
        reg.id = hs_registry_register_factory_full (real, reg.kind, reg.context_type, reg.lifetime,
                                                    model_factory, data, model_factory_data_free,
                                                    &error);
    }

  reg.uid = ++run->next_uid;
  note (run, "%s (r%u, impl %s, kind %s, context %s, %s) = %u (uid %u, factory %u, mode %d)",
        reg.type == HS_REGISTRATION_TYPE ? "register_type"
          : reg.type == HS_REGISTRATION_INSTANCE ? "register_instance" : "register_factory",
        r, type_name (reg.implementation), type_name (reg.kind), type_name (reg.context_type),
        lifetime_name (reg.lifetime), reg.id, reg.uid, reg.serial, reg.mode);

  if (wrong)
    {
      check_unchanged_refusal (run, reg.id, error, "a registration with a wrong kind");
      g_clear_error (&error);
      return;
    }

  if (reg.id == 0)
    {
      g_autofree char *message = g_strdup_printf ("registration refused: %s", error->message);
      fail (run, message);
    }

  /* SPEC 2: never the id of a registration still registered here. */
  for (guint i = 0; i < m->registrations->len; i++)
    if (g_array_index (m->registrations, ModelRegistration, i).id == reg.id)
      fail (run, "an id handed out twice");

  g_array_append_val (m->registrations, reg);
}

static void
op_unregister (Run *run)
{
  guint r = pick (run, run->models->len);
  ModelRegistry *m = run->models->pdata[r];
  HsRegistry *real = run->reals->pdata[r];
  guint id;
  gboolean expected, removed;
  GObject *instance = NULL;

  if (m->registrations->len > 0 && chance (run, 0.9))
    {
      ModelRegistration *reg = &g_array_index (m->registrations, ModelRegistration,
                                               pick (run, m->registrations->len));
      id = reg->id;
      if (reg->type == HS_REGISTRATION_INSTANCE)
        {
          instance = reg->instance;
          g_object_add_weak_pointer (instance, (gpointer *) &instance);
        }

    }
  else
    {
      /* An id this registry does not hold (maybe another's). */
      id = chance (run, 0.5) ? 0 : G_MAXUINT - pick (run, 5000);
      for (guint i = 0; i < run->models->len; i++)
        {
          ModelRegistry *other = run->models->pdata[i];

          if (other != m && other->registrations->len > 0 && chance (run, 0.5))
            id = g_array_index (other->registrations, ModelRegistration, 0).id;
        }
    }

  /* SPEC 9: what the holder kept for it goes with it; what children built
   * from a scoped one stays with them until they close. (Ids are unique
   * per registry only: another registry's id may be one of this one's.) */
  for (guint i = 0; i < m->registrations->len; i++)
    {
      ModelRegistration *reg = &g_array_index (m->registrations, ModelRegistration, i);

      if (reg->id == id && reg->lifetime != HS_LIFETIME_TRANSIENT)
        model_forget (m, reg->uid, run->expected_released, run->gone);
    }
  expected = model_remove (m, id);
  removed = hs_registry_unregister (real, id);
  note (run, "unregister (r%u, %u) = %d", r, id, removed);

  if (removed != expected)
    fail (run, "unregister disagrees with the model");

  /* SPEC 2: unregistering releases the singleton at once (nothing else
   * holds it here). */
  if (instance != NULL)
    fail (run, "the unregistered singleton is still alive");
}

/* Jumps the id counter 2^32 registrations ahead, to a live id (or 0): the
 * next registrations must skip the ids their registry holds. */
static void
op_jump_ids (Run *run)
{
  ModelRegistry *m = run->models->pdata[pick (run, run->models->len)];
  guint id = 0;

  if (m->registrations->len > 0 && chance (run, 0.9))
    id = g_array_index (m->registrations, ModelRegistration, pick (run, m->registrations->len)).id;

  _hs_index_jump_serial_to_id (id);
  note (run, "jump the ids to %u", id);
}

static void
op_new_child (Run *run)
{
  guint r = pick (run, run->models->len);
  GObject *context = chance (run, 0.5) ? NULL : run->contexts[pick (run, MODEL_N_CONTEXTS)];
  HsRegistry *child = hs_registry_new (run->reals->pdata[r], context);

  note (run, "r%u = new child of r%u, context %s", run->models->len, r,
        context != NULL ? G_OBJECT_TYPE_NAME (context) : "-");
  add_registry (run, model_registry_new (run->models->pdata[r], context, child));

  if (hs_registry_get_context (child) != ((ModelRegistry *) run->models->pdata[run->models->len - 1])->context)
    fail (run, "the child's context is not the model's");
}

/* Drops the last reference to registry r, which closes it (if it is not
 * closed yet), and checks that it was closed once. */
static void
drop (Run   *run,
      guint  r)
{
  ModelRegistry *m = run->models->pdata[r];

  if (!m->closed)
    model_closed (run, r);
  drop_lists_of (run, m);
  g_object_unref (g_ptr_array_steal_index (run->reals, r));
  g_ptr_array_steal_index (run->models, r);
  if (m->n_closed != 1 || m->closed_too_early)
    {
      g_autofree char *message = g_strdup_printf ("dropped r%u: \"closed\" came %u times%s", r,
                                                  m->n_closed, m->closed_too_early
                                                    ? ", before everything was released" : "");
      fail (run, message);
    }
  model_registry_free (m);
}

/* SPEC 9: closes a registry (or closes it again: nothing happens). */
static void
op_close (Run *run)
{
  guint r = pick (run, run->models->len);
  ModelRegistry *m = run->models->pdata[r];
  HsRegistry *real = run->reals->pdata[r];
  gboolean was_closed = m->closed;

  note (run, "close (r%u)%s", r, was_closed ? " again" : "");
  hs_registry_close (real);
  if (!was_closed)
    model_closed (run, r);
  if (!hs_registry_is_closed (real) || !g_cancellable_is_cancelled (hs_registry_get_cancellable (real)))
    fail (run, "a closed registry says it is open, or its cancellable is not cancelled");
}

/* SPEC 9: hs_registry_is_closed() is the model's "chain closed", and
 * closes a registry whose ancestor was closed. */
static void
op_is_closed (Run *run)
{
  guint r = pick (run, run->models->len);
  gboolean closed = hs_registry_is_closed (run->reals->pdata[r]);

  note (run, "is_closed (r%u) = %d", r, closed);
  if (closed != model_chain_closed (run->models->pdata[r]))
    fail (run, "is_closed disagrees with the model");
  touched (run, r);
}

static void
op_drop_leaf (Run *run)
{
  /* A registry that no other one has as parent; never the root. */
  guint candidates[MAX_REGISTRIES + 1], n = 0;
  guint r;

  for (guint i = 1; i < run->models->len; i++)
    {
      gboolean is_parent = FALSE;

      for (guint j = 1; j < run->models->len; j++)
        is_parent |= ((ModelRegistry *) run->models->pdata[j])->parent == run->models->pdata[i];
      if (!is_parent)
        candidates[n++] = i;
    }
  if (n == 0)
    return;

  r = candidates[pick (run, n)];
  note (run, "drop r%u (renumbers the ones after it)", r);
  drop (run, r);
}

static void
check_lookup (Run     *run,
              guint    r,
              GType    kind,
              GObject *context)
{
  ModelRegistry *m = run->models->pdata[r];
  ModelRegistry *holder = NULL;
  const ModelRegistration *w = model_resolve (m, kind, context, FALSE, &holder);
  g_autoptr(HsRegistration) found = hs_registry_lookup (run->reals->pdata[r], kind, context);

  run->n_lookups++;

  /* A closed registry finds nothing. */
  if (model_chain_closed (m))
    {
      w = NULL;
      touched (run, r);
    }

  if ((w == NULL) != (found == NULL) ||
      (w != NULL && (hs_registration_get_id (found) != w->id ||
                     hs_registration_get_registry (found) != holder->real ||
                     hs_registration_get_registration_type (found) != w->type ||
                     hs_registration_get_context_type (found) != w->context_type)))
    {
      g_autofree char *message =
        g_strdup_printf ("lookup (r%u, %s, %s): model says %u in r%d, registry says %u in r%d",
                         r, g_type_name (kind), context ? G_OBJECT_TYPE_NAME (context) : "-",
                         w ? w->id : 0, w ? registry_index (run, holder->real) : -1,
                         found ? hs_registration_get_id (found) : 0,
                         found ? registry_index (run, hs_registration_get_registry (found)) : -1);
      fail (run, message);
    }
}

static void
check_get (Run     *run,
           guint    r,
           GType    kind,
           GObject *context,
           int      tag)
{
  ModelRegistry *m = run->models->pdata[r];
  ModelRegistry *holder = NULL;
  const ModelRegistration *w = model_resolve (m, kind, context, tag >= 0, &holder);
  gboolean closed = model_chain_closed (m);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  g_autofree char *problem = NULL;

  if (tag >= 0)
    {
      const char *names[] = { "tag" };
      GValue value = G_VALUE_INIT;

      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, tag);
      object = hs_registry_get_with_properties (run->reals->pdata[r], kind, context,
                                                1, names, &value, &error);
      g_value_unset (&value);
    }
  else
    object = hs_registry_get (run->reals->pdata[r], kind, context, &error);

  run->n_gets++;
  run->n_found += object != NULL;

  if (closed)
    {
      if (object != NULL || !g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED))
        problem = g_strdup_printf ("expected CLOSED, got %s",
                                   object != NULL ? G_OBJECT_TYPE_NAME (object)
                                                  : error != NULL ? error->message : "nothing");
      touched (run, r);
    }
  else
    {
      guint kept_before = model_next_build;

      problem = model_check_get (w, kind, context != NULL ? context : m->context, tag, object, error);
      if (problem == NULL && w != NULL)
        problem = model_check_lifetime (m, holder, w, context != NULL ? context : m->context, object);
      if (model_next_build != kept_before)
        {
          note (run, "  (build %u kept)", model_next_build);
          run->n_kept++;
        }
    }
  if (problem != NULL)
    {
      g_autofree char *message =
        g_strdup_printf ("get (r%u, %s, %s, tag %d): %s", r, g_type_name (kind),
                         context ? G_OBJECT_TYPE_NAME (context) : "-", tag, problem);
      fail (run, message);
    }

  if (object != NULL && (object->ref_count < 1 || g_object_is_floating (object)))
    fail (run, "a get returned a floating or dead object");
}

static void
op_get (Run *run)
{
  guint r = pick (run, run->models->len);
  GType kind = model_kinds[pick (run, MODEL_N_KINDS)];
  GObject *context = pick_lookup_context (run);
  int tag = chance (run, 0.3) ? (int) pick (run, 1000) : -1;

  note (run, "get (r%u, %s, %s, tag %d)", r, g_type_name (kind),
        context ? G_OBJECT_TYPE_NAME (context) : "-", tag);
  check_get (run, r, kind, context, tag);
}

/* SPEC 11: a new live list, or one list less. */
static void
op_list (Run *run)
{
  LiveList *l;
  guint r;

  if (run->lists->len >= MAX_LISTS || (run->lists->len > 0 && chance (run, 0.2)))
    {
      guint i = pick (run, run->lists->len);

      note (run, "drop list %u", i);
      g_ptr_array_remove_index (run->lists, i);
      return;
    }

  r = pick (run, run->models->len);
  l = g_new0 (LiveList, 1);
  l->m = run->models->pdata[r];
  l->kind = model_kinds[pick (run, MODEL_N_KINDS)];
  l->context = pick_lookup_context (run);
  note (run, "list %u = list (r%u, %s, %s)", run->lists->len, r, g_type_name (l->kind),
        l->context ? G_OBJECT_TYPE_NAME (l->context) : "-");
  l->list = hs_registry_list (run->reals->pdata[r], l->kind, l->context);
  g_ptr_array_add (run->lists, l);
}

static void
op_lookup (Run *run)
{
  guint r = pick (run, run->models->len);
  GType kind = model_kinds[pick (run, MODEL_N_KINDS)];
  GObject *context = pick_lookup_context (run);

  note (run, "lookup (r%u, %s, %s)", r, g_type_name (kind),
        context ? G_OBJECT_TYPE_NAME (context) : "-");
  check_lookup (run, r, kind, context);
}

/* Every registry, every kind, every lookup context: lookup and get. */
static void
check_everything (Run *run)
{
  note (run, "check everything");
  for (guint r = 0; r < run->models->len; r++)
    for (guint k = 0; k < MODEL_N_KINDS; k++)
      for (guint c = 0; c <= MODEL_N_CONTEXTS; c++)
        {
          GObject *context = c < MODEL_N_CONTEXTS ? run->contexts[c] : NULL;

          check_lookup (run, r, model_kinds[k], context);
          check_get (run, r, model_kinds[k], context, -1);
        }
}

static void
run_sequence (guint32  seed,
              gboolean verbose,
              gboolean long_run)
{
  guint n_ops = long_run ? LONG_OPS_PER_SEQUENCE : OPS_PER_SEQUENCE;
  Run run = { 0, };
  gint alive_before = g_atomic_int_get (&model_alive);
  HsRegistry *root;

  run.rand = g_rand_new_with_seed (seed);
  run.seed = seed;
  run.long_run = long_run;
  run.verbose = verbose;
  run.log = g_ptr_array_new_with_free_func (g_free);
  run.models = g_ptr_array_new ();
  run.reals = g_ptr_array_new ();
  run.lists = g_ptr_array_new_with_free_func ((GDestroyNotify) live_list_free);
  run.expected_released = g_array_new (FALSE, FALSE, sizeof (guint));
  run.gone = g_ptr_array_new ();
  for (guint i = 0; i < MODEL_N_CONTEXTS; i++)
    run.contexts[i] = g_object_new (model_context_classes[i], NULL);

  /* Some sequences start a few registrations before the ids wrap. */
  if (chance (&run, 0.1))
    _hs_index_jump_serial_to_id (G_MAXUINT32 - pick (&run, 40));

  root = hs_registry_new (NULL, chance (&run, 0.2) ? run.contexts[pick (&run, MODEL_N_CONTEXTS)] : NULL);
  add_registry (&run, model_registry_new (NULL, hs_registry_get_context (root), root));
  note (&run, "r0 = root, context %s",
        hs_registry_get_context (root) ? G_OBJECT_TYPE_NAME (hs_registry_get_context (root)) : "-");

  for (guint op = 0; op < n_ops; op++)
    {
      /* A long run adds as many unregistrations as registrations. */
      guint what = pick (&run, long_run ? 123 : 100);
      guint released_before = model_released->len;
      g_autofree char *problem = NULL;

      if (what >= 100)
        op_unregister (&run);
      else if (what < 30)
        op_register (&run);
      else if (what < 37)
        op_unregister (&run);
      else if (what < 38)
        op_jump_ids (&run);
      else if (what < 43)
        {
          if (run.models->len < MAX_REGISTRIES)
            op_new_child (&run);
        }
      else if (what < 46)
        op_drop_leaf (&run);
      else if (what < 48)
        op_close (&run);
      else if (what < 49)
        op_is_closed (&run);
      else if (what < 84)
        op_get (&run);
      else if (what < 88)
        op_list (&run);
      else
        op_lookup (&run);

      problem = model_check_released (released_before, run.expected_released, run.gone);
      if (problem != NULL)
        fail (&run, problem);
      for (guint r = 0; r < run.models->len; r++)
        check_closed_state (&run, r);
      check_lists (&run);
    }

  {
    guint released_before = model_released->len;
    g_autofree char *problem = NULL;

    check_everything (&run);
    problem = model_check_released (released_before, run.expected_released, run.gone);
    if (problem != NULL)
      fail (&run, problem);
  }

  /* Drop everything: leaves first. Then nothing may be left alive, and
   * every factory's data must have been destroyed. */
  while (run.models->len > 0)
    {
      guint released_before = model_released->len;
      g_autofree char *problem = NULL;

      drop (&run, run.models->len - 1);
      problem = model_check_released (released_before, run.expected_released, run.gone);
      if (problem != NULL)
        fail (&run, problem);
    }
  for (guint i = 0; i < MODEL_N_CONTEXTS; i++)
    g_object_unref (run.contexts[i]);

  if (g_atomic_int_get (&model_alive) != alive_before)
    {
      g_autofree char *message = g_strdup_printf ("%d objects leaked",
                                                  g_atomic_int_get (&model_alive) - alive_before);
      fail (&run, message);
    }
  if (run.factories_destroyed != run.factories_made)
    {
      g_autofree char *message = g_strdup_printf ("%d of %d factories' data not destroyed",
                                                  run.factories_made - run.factories_destroyed,
                                                  run.factories_made);
      fail (&run, message);
    }

  total_gets += run.n_gets;
  total_lookups += run.n_lookups;
  total_found += run.n_found;
  total_kept += run.n_kept;
  total_closes += run.n_closes;
  total_ops += n_ops;

  g_ptr_array_unref (run.lists);
  g_ptr_array_unref (run.models);
  g_ptr_array_unref (run.reals);
  g_ptr_array_unref (run.log);
  g_array_unref (run.expected_released);
  g_ptr_array_unref (run.gone);
  g_rand_free (run.rand);
}

static void
test_sequences (void)
{
  const char *replay = g_getenv ("HS_MODEL_SEED");
  const char *count = g_getenv ("HS_MODEL_SEQUENCES");
  gboolean long_replay = g_getenv ("HS_MODEL_LONG") != NULL;
  guint n = count != NULL ? (guint) g_ascii_strtoull (count, NULL, 10) : DEFAULT_SEQUENCES;
  gint64 start = g_get_monotonic_time ();

  if (replay != NULL)
    {
      run_sequence ((guint32) g_ascii_strtoull (replay, NULL, 10), TRUE, long_replay);
      return;
    }

  for (guint i = 0; i < n; i++)
    run_sequence ((guint32) g_test_rand_int (), FALSE, i % LONG_EVERY == LONG_EVERY - 1);

  g_test_message ("%u sequences, %u operations, %u gets (%u found an object, %u built "
                  "something kept), %u lookups, %u closes, %.1f s",
                  n, total_ops, total_gets, total_found, total_kept, total_lookups, total_closes,
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (total_found, >, total_gets / 10);
  g_assert_cmpuint (total_kept, >, n);
}

/* The model itself, on a case worked out by hand (SPEC 3), so that a
 * model that agrees with a wrong registry would be caught too. */
static void
test_model_by_hand (void)
{
  g_autoptr(GObject) a21 = g_object_new (MODEL_TYPE_A21, NULL);
  g_autoptr(GObject) b1 = g_object_new (MODEL_TYPE_B1, NULL);
  g_autoptr(GObject) other = g_object_new (MODEL_TYPE_OTHER, NULL);
  ModelRegistry *root = model_registry_new (NULL, NULL, NULL);
  ModelRegistry *child = model_registry_new (root, a21, NULL);
  ModelRegistration regs[] = {
    { 1, HS_REGISTRATION_TYPE, MODEL_TYPE_A1, G_TYPE_INVALID, G_TYPE_INVALID },
    { 2, HS_REGISTRATION_TYPE, MODEL_TYPE_A21, MODEL_TYPE_A, MODEL_TYPE_IB },
    { 3, HS_REGISTRATION_TYPE, MODEL_TYPE_A2, MODEL_TYPE_A, MODEL_TYPE_A },
    { 4, HS_REGISTRATION_INSTANCE, MODEL_TYPE_A, MODEL_TYPE_A, MODEL_TYPE_A },
    { 5, HS_REGISTRATION_TYPE, MODEL_TYPE_A, MODEL_TYPE_A, MODEL_TYPE_A },
  };
  ModelRegistry *holder;

  g_array_append_vals (root->registrations, regs, G_N_ELEMENTS (regs));

  /* Without a context only the context-free one answers, and for its own
   * type and ancestors below GObject, not for GObject. */
  g_assert_cmpuint (model_resolve (root, MODEL_TYPE_A, NULL, FALSE, NULL)->id, ==, 1);
  g_assert_cmpuint (model_resolve (root, MODEL_TYPE_IA, NULL, FALSE, NULL)->id, ==, 1);
  g_assert_null (model_resolve (root, G_TYPE_OBJECT, NULL, FALSE, NULL));
  /* A21 context: class A (ids 3, 4, 5) beats interface IB (2) beats any
   * (1); among A, the singleton (4) beats the more recent type (5)... */
  g_assert_cmpuint (model_resolve (child, MODEL_TYPE_A, NULL, FALSE, &holder)->id, ==, 4);
  g_assert_true (holder == root);
  /* ... unless props are given: then the most recent type (5). */
  g_assert_cmpuint (model_resolve (child, MODEL_TYPE_A, NULL, TRUE, NULL)->id, ==, 5);
  /* A B1 context (B implements IB) matches only IB (2) and "any" (1). */
  g_assert_cmpuint (model_resolve (root, MODEL_TYPE_A, b1, FALSE, NULL)->id, ==, 2);
  /* An Other context matches none of the context types but "any". */
  g_assert_cmpuint (model_resolve (root, MODEL_TYPE_A, other, FALSE, NULL)->id, ==, 1);

  /* SPEC 9: a newer scoped registration for A ranks as a type (the
   * singleton 4 still wins) and is no candidate with props (5 does). */
  {
    ModelRegistration scoped = { 7, HS_REGISTRATION_TYPE, MODEL_TYPE_A1, MODEL_TYPE_A, MODEL_TYPE_A,
                                 .lifetime = HS_LIFETIME_SCOPED };

    g_array_append_val (root->registrations, scoped);
    g_assert_cmpuint (model_resolve (child, MODEL_TYPE_A, NULL, FALSE, NULL)->id, ==, 4);
    g_assert_cmpuint (model_resolve (child, MODEL_TYPE_A, NULL, TRUE, NULL)->id, ==, 5);
  }

  /* The child's own context-free registration beats its parent's. */
  {
    ModelRegistration own = { 6, HS_REGISTRATION_TYPE, MODEL_TYPE_A1, MODEL_TYPE_A, G_TYPE_INVALID };

    g_array_append_val (child->registrations, own);
    g_assert_cmpuint (model_resolve (child, MODEL_TYPE_A, NULL, FALSE, &holder)->id, ==, 6);
    g_assert_true (holder == child);
  }

  model_registry_free (child);
  model_registry_free (root);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  model_types_init ();

  g_test_add_func ("/model/by-hand", test_model_by_hand);
  g_test_add_func ("/model/sequences", test_sequences);

  return g_test_run ();
}
