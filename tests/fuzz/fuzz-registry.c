/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A libFuzzer target: the input is a program of registry and registry
 * manager operations, five bytes each (an opcode and four operands), run on
 * a small tree of registries: registrations of each lifetime, gets,
 * lookups, children, closes and drops. Every get and lookup is checked
 * against the model of tests/hs-model.h (also which object a kept
 * registration gives), every operation releases what the model says, in
 * its order, and at the end nothing may be left alive: any disagreement
 * aborts, so the fuzzer reports it as a crash.
 *
 * Built with clang -fsanitize=fuzzer,address when -Dfuzzing=true; the same
 * file, with fuzz-main.c, replays the corpus in tests/fuzz/corpus in every
 * build (the fuzz-corpus test).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../hs-model.h"
#include "hopscotch/hs-index-private.h"

#define MAX_OPS 256
#define MAX_REGISTRIES 6
#define MAX_OWNERS 4

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* The key of the registry functions the fuzzer declares. */
#define FUZZ_TYPE_KEY (fuzz_key_get_type ())
G_DECLARE_FINAL_TYPE (FuzzKey, fuzz_key, FUZZ, KEY, GObject)
struct _FuzzKey { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (FuzzKey, fuzz_key, G_TYPE_OBJECT)
static void fuzz_key_class_init (FuzzKeyClass *klass) { }
static void fuzz_key_init (FuzzKey *self) { }

typedef struct
{
  ModelRegistry *models[MAX_REGISTRIES];
  HsRegistry    *reals[MAX_REGISTRIES];
  guint          serials[MAX_REGISTRIES];     /* to find a registry again */
  guint          n;
  guint          next_registry_serial;
  GObject       *contexts[MODEL_N_CONTEXTS];
  guint          next_serial;
  gint           factories_made;
  gint           factories_destroyed;
  char          *owners[MAX_OWNERS];
  GArray        *owned[MAX_OWNERS];           /* (registry serial, id) of each owner */
  guint          input;
  guint          next_uid;
  GArray        *expected_released;           /* guint: builds, in order */
  GPtrArray     *gone;                        /* ModelKept out of the model */
} Fuzz;

static guint input_counter;

static G_GNUC_NORETURN void G_GNUC_PRINTF (1, 2)
disagree (const char *format,
          ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "fuzz-registry: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  abort ();
}

static int
find_registry (Fuzz  *fuzz,
               guint  serial)
{
  for (guint i = 0; i < fuzz->n; i++)
    if (fuzz->serials[i] == serial)
      return (int) i;
  return -1;
}

static GType
kind_for (guint8 byte,
          GType  implementation)
{
  GType candidates[MODEL_N_KINDS];
  guint n = 0;

  if (byte % 3 == 0)
    return G_TYPE_INVALID;
  for (guint i = 0; i < MODEL_N_KINDS; i++)
    if (g_type_is_a (implementation, model_kinds[i]) || byte % 17 == 1)
      candidates[n++] = model_kinds[i];
  return candidates[byte % n];
}

static GType
context_type_for (guint8 byte)
{
  return byte % 2 ? G_TYPE_INVALID : model_context_types[(byte / 2) % MODEL_N_CONTEXT_TYPES];
}

static GObject *
context_for (Fuzz   *fuzz,
             guint8  byte)
{
  return byte % 3 == 0 ? NULL : fuzz->contexts[byte % MODEL_N_CONTEXTS];
}

static HsLifetime
lifetime_for (guint8 byte)
{
  return byte % 4 == 1 ? HS_LIFETIME_SINGLETON : byte % 4 == 2 ? HS_LIFETIME_SCOPED
                                                                : HS_LIFETIME_TRANSIENT;
}

/* Registers as the operands say, with @lifetime for a type or a factory;
 * @owner >= 0 when a registry function does it. Refusals must leave the
 * registry unchanged. */
static void
do_register (Fuzz         *fuzz,
             guint         r,
             guint8        what,
             guint8        a,
             guint8        b,
             HsLifetime    lifetime,
             int           owner)
{
  ModelRegistration reg = { 0, };
  GError *error = NULL;
  gboolean wrong = FALSE;
  gboolean closed = model_chain_closed (fuzz->models[r]);

  reg.context_type = context_type_for (b);

  switch (what % 4)
    {
    case 0:
      reg.type = HS_REGISTRATION_TYPE;
      reg.implementation = model_impls[a % MODEL_N_IMPLS];
      reg.kind = kind_for (a / MODEL_N_IMPLS, reg.implementation);
      wrong = reg.kind != G_TYPE_INVALID && !g_type_is_a (reg.implementation, reg.kind);
      reg.lifetime = lifetime;
      reg.id = hs_registry_register_type_full (fuzz->reals[r], reg.implementation, reg.kind,
                                               reg.context_type, lifetime, &error);
      break;

    case 1:
      {
        GObject *instance;

        reg.type = HS_REGISTRATION_INSTANCE;
        reg.implementation = model_impls[a % MODEL_N_IMPLS];
        reg.kind = kind_for (a / MODEL_N_IMPLS, reg.implementation);
        wrong = reg.kind != G_TYPE_INVALID && !g_type_is_a (reg.implementation, reg.kind);
        instance = g_object_new (reg.implementation, "tag", (int) b, NULL);
        reg.instance = instance;
        reg.id = hs_registry_register_instance (fuzz->reals[r], instance, reg.kind,
                                                reg.context_type, &error);
        g_object_unref (instance);
      }
      break;

    case 2:
      {
        ModelFactoryData *data = g_new0 (ModelFactoryData, 1);

        reg.type = HS_REGISTRATION_FACTORY;
        reg.kind = a % 10 == 9 ? G_TYPE_INVALID : model_kinds[a % MODEL_N_KINDS];
        reg.implementation = MODEL_TYPE_A;
        for (guint i = 0; i < MODEL_N_IMPLS; i++)
          if (reg.kind == G_TYPE_INVALID || g_type_is_a (model_impls[(i + a) % MODEL_N_IMPLS], reg.kind))
            {
              reg.implementation = model_impls[(i + a) % MODEL_N_IMPLS];
              break;
            }
        reg.serial = data->serial = ++fuzz->next_serial;
        data->make = reg.implementation;
        data->destroyed = &fuzz->factories_destroyed;
        reg.mode = data->mode = (what / 4) % 8 == 1 ? MODEL_FACTORY_ERROR
                              : (what / 4) % 8 == 2 ? MODEL_FACTORY_NOTHING
                              : (what / 4) % 8 == 3 && reg.kind != G_TYPE_OBJECT ? MODEL_FACTORY_WRONG_KIND
                              : MODEL_FACTORY_OK;
        wrong = reg.kind == G_TYPE_INVALID;
        fuzz->factories_made++;
        reg.lifetime = lifetime;
        reg.id = hs_registry_register_factory_full (fuzz->reals[r], reg.kind, reg.context_type,
                                                    lifetime, model_factory, data,
                                                    model_factory_data_free, &error);
      }
      break;

    default:
      {
        /* Bad input: never registered, never a crash. */
        GType bad_impls[] = { MODEL_TYPE_IA, MODEL_TYPE_ABSTRACT, G_TYPE_INT, G_TYPE_INVALID, G_TYPE_STRING };
        GType bad_contexts[] = { G_TYPE_INT, G_TYPE_STRING, G_TYPE_POINTER };

        wrong = TRUE;
        if (a % 2)
          reg.id = hs_registry_register_type (fuzz->reals[r], bad_impls[b % G_N_ELEMENTS (bad_impls)],
                                              G_TYPE_INVALID, G_TYPE_INVALID, &error);
        else
          reg.id = hs_registry_register_type (fuzz->reals[r], MODEL_TYPE_A, G_TYPE_INVALID,
                                              bad_contexts[b % G_N_ELEMENTS (bad_contexts)], &error);
      }
      break;
    }

  if (closed)
    {
      /* A bad registration may be refused before the registry is looked
       * at; else it fails as CLOSED, and the registry closes if only an
       * ancestor was closed. */
      if (reg.id != 0 ||
          !(g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED) ||
            (wrong && g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION))))
        disagree ("a registration on a closed registry was not refused (id %u)", reg.id);
      if (g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED))
        model_touch (fuzz->models[r], fuzz->expected_released, fuzz->gone);
      g_clear_error (&error);
      return;
    }
  if (wrong)
    {
      if (reg.id != 0 || !g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION))
        disagree ("a bad registration was not refused (id %u)", reg.id);
      g_clear_error (&error);
      return;
    }
  if (reg.id == 0)
    disagree ("registration refused: %s", error->message);

  reg.uid = ++fuzz->next_uid;
  g_array_append_val (fuzz->models[r]->registrations, reg);
  if (owner >= 0)
    {
      guint pair[2] = { fuzz->serials[r], reg.id };

      g_array_append_val (fuzz->owned[owner], pair);
    }
}

/* Registry functions */

typedef struct
{
  Fuzz   *fuzz;
  guint   registry_serial;
  guint8  what, a, b;
  int     owner;
  gboolean fail;
} FunctionData;

static gboolean
fuzz_registry_function (HsRegistryManager  *manager,
                        gpointer            user_data,
                        GError            **error)
{
  FunctionData *data = user_data;
  int r = find_registry (data->fuzz, data->registry_serial);

  /* The registry may be gone by the time the key is subscribed. */
  if (r >= 0)
    do_register (data->fuzz, (guint) r, data->what, data->a, data->b, HS_LIFETIME_TRANSIENT,
                 data->owner);

  /* A plugin whose registration fails midway: what it did register is
   * still undone when it is unloaded. */
  if (data->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "fuzz registry function fails");
      return FALSE;
    }
  return TRUE;
}

/* Removes registration @id from the model of registry r, and what r kept
 * for it (SPEC 9: scoped objects of children stay with them). */
static gboolean
forget_and_remove (Fuzz  *fuzz,
                   guint  r,
                   guint  id)
{
  ModelRegistry *m = fuzz->models[r];

  for (guint i = 0; i < m->registrations->len; i++)
    {
      ModelRegistration *reg = &g_array_index (m->registrations, ModelRegistration, i);

      if (reg->id == id && reg->lifetime != HS_LIFETIME_TRANSIENT)
        model_forget (m, reg->uid, fuzz->expected_released, fuzz->gone);
    }
  return model_remove (m, id);
}

static void
unload_owner (Fuzz *fuzz,
              guint o)
{
  GArray *owned = fuzz->owned[o];

  hs_registry_manager_unload_owner (hs_registry_manager_get_default (), fuzz->owners[o]);

  /* Whatever its functions registered is gone. */
  for (guint i = 0; i < owned->len; i++)
    {
      guint *pair = &g_array_index (owned, guint, i * 2);
      int r = find_registry (fuzz, pair[0]);

      if (r >= 0)
        forget_and_remove (fuzz, (guint) r, pair[1]);
    }
  g_array_set_size (owned, 0);
}

/* Checks */

static void
check (Fuzz    *fuzz,
       guint    r,
       GType    kind,
       GObject *context,
       int      tag)
{
  ModelRegistry *m = fuzz->models[r];
  ModelRegistry *holder = NULL;
  const ModelRegistration *w = model_resolve (m, kind, context, tag >= 0, &holder);
  gboolean closed = model_chain_closed (m);
  GError *error = NULL;
  GObject *object;
  char *problem;

  /* A closed registry finds nothing, and its gets fail as CLOSED. */
  if (closed)
    w = NULL;

  if (tag >= 0)
    {
      const char *names[] = { "tag" };
      GValue value = G_VALUE_INIT;

      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, tag);
      object = hs_registry_get_with_properties (fuzz->reals[r], kind, context, 1, names, &value, &error);
      g_value_unset (&value);
    }
  else
    {
      HsRegistration *found = hs_registry_lookup (fuzz->reals[r], kind, context);

      if ((w == NULL) != (found == NULL) ||
          (w != NULL && (hs_registration_get_id (found) != w->id ||
                         hs_registration_get_registry (found) != holder->real)))
        disagree ("lookup (r%u, %s): model %u, registry %u", r, g_type_name (kind),
                  w ? w->id : 0, found ? hs_registration_get_id (found) : 0);
      g_clear_object (&found);
      object = hs_registry_get (fuzz->reals[r], kind, context, &error);
    }

  if (closed)
    {
      if (object != NULL || !g_error_matches (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED))
        disagree ("get (r%u, %s): expected CLOSED", r, g_type_name (kind));
      model_touch (m, fuzz->expected_released, fuzz->gone);
      g_clear_error (&error);
      return;
    }

  problem = model_check_get (w, kind, context != NULL ? context : m->context, tag, object, error);
  if (problem == NULL && w != NULL)
    problem = model_check_lifetime (m, holder, w, context != NULL ? context : m->context, object);
  if (problem != NULL)
    disagree ("get (r%u, %s, %s, tag %d): %s", r, g_type_name (kind),
              context ? G_OBJECT_TYPE_NAME (context) : "-", tag, problem);

  g_clear_object (&object);
  g_clear_error (&error);
}

/* Drops the last reference to registry r, which closes it if it is not
 * closed yet. */
static void
drop_registry (Fuzz  *fuzz,
               guint  r)
{
  ModelRegistry *m = fuzz->models[r];

  if (!m->closed)
    model_close (m, fuzz->expected_released, fuzz->gone);
  g_object_unref (fuzz->reals[r]);
  if (!model_closed_signal_ok (m))
    disagree ("dropped r%u: \"closed\" came %u times, or too early", r, m->n_closed);
  model_registry_free (m);
  for (guint i = r + 1; i < fuzz->n; i++)
    {
      fuzz->models[i - 1] = fuzz->models[i];
      fuzz->reals[i - 1] = fuzz->reals[i];
      fuzz->serials[i - 1] = fuzz->serials[i];
    }
  fuzz->n--;
}

static gboolean
is_leaf (Fuzz  *fuzz,
         guint  r)
{
  for (guint i = 0; i < fuzz->n; i++)
    if (fuzz->models[i]->parent == fuzz->models[r])
      return FALSE;
  return TRUE;
}

static void
ignore_expected_warnings (const char     *domain,
                          GLogLevelFlags  level,
                          const char     *message,
                          gpointer        user_data)
{
  if (strstr (message, "fuzz registry function fails") == NULL)
    g_log_default_handler (domain, level, message, user_data);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static gboolean initialized;
  HsRegistryManager *manager;
  Fuzz fuzz = { 0, };
  gint alive_before;

  if (!initialized)
    {
      /* The warnings of registry functions that fail on purpose. */
      g_log_set_handler ("Hopscotch", G_LOG_LEVEL_WARNING, ignore_expected_warnings, NULL);
      model_types_init ();
      g_type_ensure (FUZZ_TYPE_KEY);
      initialized = TRUE;
    }

  manager = hs_registry_manager_get_default ();
  /* Functions added by this input wait for its own subscribe. */
  hs_registry_manager_unsubscribe (manager, FUZZ_TYPE_KEY);

  alive_before = g_atomic_int_get (&model_alive);
  fuzz.input = ++input_counter;
  for (guint i = 0; i < MODEL_N_CONTEXTS; i++)
    fuzz.contexts[i] = g_object_new (model_context_classes[i], NULL);
  for (guint o = 0; o < MAX_OWNERS; o++)
    {
      fuzz.owners[o] = g_strdup_printf ("fuzz-%u-%u", fuzz.input, o);
      fuzz.owned[o] = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
    }

  fuzz.expected_released = g_array_new (FALSE, FALSE, sizeof (guint));
  fuzz.gone = g_ptr_array_new ();
  fuzz.reals[0] = hs_registry_new (NULL, NULL);
  fuzz.models[0] = model_registry_new (NULL, NULL, fuzz.reals[0]);
  g_signal_connect (fuzz.reals[0], "closed", G_CALLBACK (model_on_closed), fuzz.models[0]);
  fuzz.serials[0] = ++fuzz.next_registry_serial;
  fuzz.n = 1;

  for (size_t at = 0; at + 5 <= size && at / 5 < MAX_OPS; at += 5)
    {
      guint8 op = data[at], a = data[at + 1], b = data[at + 2], c = data[at + 3], d = data[at + 4];
      guint r = a % fuzz.n;
      guint released_before = model_released->len;
      gboolean ordered = TRUE;
      char *problem;

      switch (op % 12)
        {
        case 0:
        case 1:
          do_register (&fuzz, r, op / 12, b, c, lifetime_for (d), -1);
          break;

        case 2:
          {
            ModelRegistry *m = fuzz.models[r];
            guint id = m->registrations->len > 0 && b % 8 != 0
                         ? g_array_index (m->registrations, ModelRegistration, b % m->registrations->len).id
                         : G_MAXUINT - c;
            gboolean expected;

            /* Sometimes: the ids wrap instead, 2^32 registrations on,
             * at this id (see _hs_index_jump_serial_to_id()). */
            if (d % 16 == 15)
              {
                _hs_index_jump_serial_to_id (id);
                break;
              }

            expected = forget_and_remove (&fuzz, r, id);
            if (hs_registry_unregister (fuzz.reals[r], id) != expected)
              disagree ("unregister (r%u, %u) should return %d", r, id, expected);
          }
          break;

        case 3:
          if (fuzz.n < MAX_REGISTRIES)
            {
              GObject *context = context_for (&fuzz, b);
              HsRegistry *child = hs_registry_new (fuzz.reals[r], context);

              fuzz.models[fuzz.n] = model_registry_new (fuzz.models[r], context, child);
              g_signal_connect (child, "closed", G_CALLBACK (model_on_closed), fuzz.models[fuzz.n]);
              fuzz.reals[fuzz.n] = child;
              fuzz.serials[fuzz.n] = ++fuzz.next_registry_serial;
              fuzz.n++;
            }
          break;

        case 4:
          if (b % 4 == 3)
            {
              /* Close (again: nothing happens). */
              if (!fuzz.models[r]->closed)
                model_close (fuzz.models[r], fuzz.expected_released, fuzz.gone);
              hs_registry_close (fuzz.reals[r]);
              if (!hs_registry_is_closed (fuzz.reals[r]) ||
                  !g_cancellable_is_cancelled (hs_registry_get_cancellable (fuzz.reals[r])))
                disagree ("r%u: closed, but open or not cancelled", r);
            }
          else if (b % 4 == 2)
            {
              if (hs_registry_is_closed (fuzz.reals[r]) != model_chain_closed (fuzz.models[r]))
                disagree ("r%u: is_closed disagrees with the model", r);
              model_touch (fuzz.models[r], fuzz.expected_released, fuzz.gone);
            }
          else if (r > 0 && is_leaf (&fuzz, r))
            drop_registry (&fuzz, r);
          break;

        case 5:
        case 6:
        case 7:
          check (&fuzz, r, model_kinds[b % MODEL_N_KINDS], context_for (&fuzz, c),
                 d % 4 == 0 ? (int) d : -1);
          break;

        case 8:
          {
            /* A registry function of owner d % MAX_OWNERS, registering into r. */
            FunctionData *fd = g_new0 (FunctionData, 1);

            fd->fuzz = &fuzz;
            fd->registry_serial = fuzz.serials[r];
            fd->what = b;
            fd->a = c;
            fd->b = d;
            fd->owner = d % MAX_OWNERS;
            fd->fail = (d / MAX_OWNERS) % 5 == 0;
            hs_registry_manager_add_registry_function (manager, FUZZ_TYPE_KEY,
                                                       fuzz.owners[fd->owner],
                                                       fuzz_registry_function, fd, g_free);
          }
          break;

        case 9:
          if (b % 2)
            hs_registry_manager_subscribe (manager, FUZZ_TYPE_KEY);
          else
            hs_registry_manager_unsubscribe (manager, FUZZ_TYPE_KEY);
          break;

        case 10:
          /* In the order of the manager's bookkeeping, not the model's. */
          ordered = FALSE;
          unload_owner (&fuzz, b % MAX_OWNERS);
          break;

        default:
          /* Everything, everywhere. */
          for (guint i = 0; i < fuzz.n; i++)
            for (guint k = 0; k < MODEL_N_KINDS; k++)
              check (&fuzz, i, model_kinds[k], context_for (&fuzz, (guint8) (k + b)), -1);
          break;
        }

      problem = model_check_released_full (released_before, fuzz.expected_released, fuzz.gone,
                                           ordered);
      if (problem != NULL)
        disagree ("operation %zu (%u): %s", at / 5, op % 12u, problem);
      for (guint i = 0; i < fuzz.n; i++)
        if (!model_closed_signal_ok (fuzz.models[i]))
          disagree ("r%u: \"closed\" came %u times (model: closed %d)", i,
                    fuzz.models[i]->n_closed, fuzz.models[i]->closed);
    }

  /* Unload every owner (also their functions that never ran), then drop
   * the registries, leaves first: nothing may stay alive. */
  {
    guint released_before = model_released->len;
    char *problem;

    for (guint o = 0; o < MAX_OWNERS; o++)
      unload_owner (&fuzz, o);
    for (guint i = 0; i < fuzz.n; i++)
      for (guint k = 0; k < MODEL_N_KINDS; k++)
        check (&fuzz, i, model_kinds[k], NULL, -1);
    while (fuzz.n > 0)
      drop_registry (&fuzz, fuzz.n - 1);
    problem = model_check_released_full (released_before, fuzz.expected_released, fuzz.gone,
                                         FALSE);
    if (problem != NULL)
      disagree ("at the end: %s", problem);
  }
  g_array_unref (fuzz.expected_released);
  g_ptr_array_unref (fuzz.gone);
  for (guint i = 0; i < MODEL_N_CONTEXTS; i++)
    g_object_unref (fuzz.contexts[i]);
  for (guint o = 0; o < MAX_OWNERS; o++)
    {
      g_free (fuzz.owners[o]);
      g_array_unref (fuzz.owned[o]);
    }

  if (g_atomic_int_get (&model_alive) != alive_before)
    disagree ("%d objects leaked", g_atomic_int_get (&model_alive) - alive_before);
  if (fuzz.factories_destroyed != fuzz.factories_made)
    disagree ("%d factories' data not destroyed", fuzz.factories_made - fuzz.factories_destroyed);

  return 0;
}
