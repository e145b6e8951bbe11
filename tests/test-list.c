/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live lists (SPEC 11): hs_registry_list() and hs_registry_build(). The
 * order against lookup and get, every change that emits items-changed (and
 * only those, at the right positions), lists of a child as its parent
 * changes, a module loaded with plain g_module_open() and closed again,
 * and registries that change on other threads.
 */
#include "hs-test-types.h"
#include "test-host.h"

/* What a list emitted. */
typedef struct
{
  GListModel *model;
  guint       n_items;                /* as the emissions say it is */
  GString    *log;                    /* "pos,removed,added;" per emission */
  guint       n_emissions;
} Recorder;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *rec)
{
  /* Each emission is consistent with the one before and with the model. */
  g_assert_cmpuint (position + removed, <=, rec->n_items);
  rec->n_items = rec->n_items - removed + added;
  g_assert_cmpuint (rec->n_items, ==, g_list_model_get_n_items (model));
  g_string_append_printf (rec->log, "%u,%u,%u;", position, removed, added);
  rec->n_emissions++;
}

static void
recorder_init (Recorder   *rec,
               GListModel *model)
{
  rec->model = model;
  rec->n_items = g_list_model_get_n_items (model);
  rec->log = g_string_new (NULL);
  rec->n_emissions = 0;
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), rec);
}

static void
recorder_clear (Recorder *rec)
{
  g_signal_handlers_disconnect_by_data (rec->model, rec);
  g_string_free (rec->log, TRUE);
}

/* Checks what was emitted since the last check ("" for nothing). */
static void
assert_emitted (Recorder   *rec,
                const char *expected)
{
  g_assert_cmpstr (rec->log->str, ==, expected);
  g_string_truncate (rec->log, 0);
}

/* The ids of the items, as "3 1 2". */
static char *
ids_of (GListModel *model)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HsRegistration) registration = g_list_model_get_item (model, i);

      g_string_append_printf (out, "%s%u", i > 0 ? " " : "",
                              hs_registration_get_id (registration));
    }

  return g_string_free (out, FALSE);
}

static void
assert_ids (GListModel *model,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
assert_ids (GListModel *model,
            const char *format,
            ...)
{
  g_autofree char *ids = ids_of (model);
  g_autofree char *expected = NULL;
  va_list args;

  va_start (args, format);
  expected = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_cmpstr (ids, ==, expected);
}

/* Item 0 is what lookup answers, and nothing when nothing answers. */
static void
assert_head_is_lookup (HsRegistry *registry,
                       GListModel *model,
                       GType       kind,
                       GObject    *context)
{
  g_autoptr(HsRegistration) winner = hs_registry_lookup (registry, kind, context);
  g_autoptr(HsRegistration) head = g_list_model_get_item (model, 0);

  if (winner == NULL)
    {
      g_assert_null (head);
      return;
    }
  g_assert_nonnull (head);
  g_assert_cmpuint (hs_registration_get_id (head), ==, hs_registration_get_id (winner));
  g_assert_true (hs_registration_get_registry (head) == hs_registration_get_registry (winner));
}

static guint
reg_type (HsRegistry *registry,
          GType       implementation,
          GType       kind,
          GType       context)
{
  g_autoptr(GError) error = NULL;
  guint id = hs_registry_register_type (registry, implementation, kind, context, &error);

  g_assert_no_error (error);
  return id;
}

static guint
reg_instance (HsRegistry *registry,
              const char *salutation,
              GType       context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) greeting = g_object_new (TEST_TYPE_GREETING, "salutation", salutation, NULL);
  guint id = hs_registry_register_instance (registry, greeting, TEST_TYPE_GREETING, context, &error);

  g_assert_no_error (error);
  return id;
}

/* The order: this registry's candidates by precedence (context
 * specificity, singletons, recency), then the parent's; the head is what
 * lookup answers, also as the winners are taken away one by one. */
static void
test_order (void)
{
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = NULL;
  g_autoptr(GListModel) list = NULL;
  guint any_type, any_single, french_type, customer_type, any_type2, other, child_any;
  guint root_ids[5];

  any_type = reg_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  any_single = reg_instance (root, "single", G_TYPE_INVALID);
  french_type = reg_type (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING, TEST_TYPE_FRENCH_CUSTOMER);
  customer_type = reg_type (root, TEST_TYPE_GREETING, TEST_TYPE_GREETING, TEST_TYPE_CUSTOMER);
  any_type2 = reg_type (root, TEST_TYPE_ANOTHER_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  /* Never a candidate: another context, another kind. */
  other = reg_type (root, TEST_TYPE_GREETING, TEST_TYPE_GREETING, TEST_TYPE_PARISIAN);
  reg_type (root, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, G_TYPE_INVALID);
  g_assert_cmpuint (other, >, 0);

  child = hs_registry_new (root, marie);
  list = hs_registry_list (child, TEST_TYPE_GREETING, NULL);
  assert_ids (list, "%u %u %u %u %u", french_type, customer_type, any_single, any_type2, any_type);
  assert_head_is_lookup (child, list, TEST_TYPE_GREETING, NULL);

  /* Without a context, those for a context are no candidates. */
  {
    g_autoptr(GListModel) plain = hs_registry_list (root, TEST_TYPE_GREETING, NULL);

    assert_ids (plain, "%u %u %u", any_single, any_type2, any_type);
    assert_head_is_lookup (root, plain, TEST_TYPE_GREETING, NULL);
  }

  /* The child's own come first, even context-free ones. */
  child_any = reg_type (child, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  assert_ids (list, "%u %u %u %u %u %u", child_any, french_type, customer_type, any_single,
              any_type2, any_type);
  assert_head_is_lookup (child, list, TEST_TYPE_GREETING, NULL);

  /* A context given to the list wins over the registry's own. */
  {
    g_autoptr(GObject) paul = g_object_new (TEST_TYPE_CUSTOMER, NULL);
    g_autoptr(GListModel) for_paul = hs_registry_list (child, TEST_TYPE_GREETING, paul);

    assert_ids (for_paul, "%u %u %u %u %u", child_any, customer_type, any_single, any_type2,
                any_type);
    assert_head_is_lookup (child, for_paul, TEST_TYPE_GREETING, paul);
  }

  /* Take the winners away one by one: the head follows lookup, to the
   * end. */
  g_assert_true (hs_registry_unregister (child, child_any));
  root_ids[0] = french_type;
  root_ids[1] = customer_type;
  root_ids[2] = any_single;
  root_ids[3] = any_type2;
  root_ids[4] = any_type;
  for (guint i = 0; i < G_N_ELEMENTS (root_ids); i++)
    {
      assert_head_is_lookup (child, list, TEST_TYPE_GREETING, NULL);
      g_assert_cmpuint (g_list_model_get_n_items (list), ==, G_N_ELEMENTS (root_ids) - i);
      g_assert_true (hs_registry_unregister (root, root_ids[i]));
    }
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  assert_head_is_lookup (child, list, TEST_TYPE_GREETING, NULL);

  /* A list is a model of registrations. */
  g_assert_true (g_list_model_get_item_type (list) == HS_TYPE_REGISTRATION);
  g_assert_null (g_list_model_get_item (list, 0));
}

/* Exactly the changes that concern a list emit, each once, at its
 * position; the items that stay are the same objects. */
static void
test_events (void)
{
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, marie);
  g_autoptr(GListModel) list = hs_registry_list (registry, TEST_TYPE_GREETING, NULL);
  g_autoptr(HsRegistration) first = NULL;
  g_autoptr(HsRegistration) again = NULL;
  g_autoptr(GError) error = NULL;
  guint a, b, c, d, e;
  Recorder rec;

  recorder_init (&rec, list);

  a = reg_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  assert_emitted (&rec, "0,0,1;");
  first = g_list_model_get_item (list, 0);

  /* Newer: before it. */
  b = reg_type (registry, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING, G_TYPE_INVALID);
  assert_emitted (&rec, "0,0,1;");
  /* An instance: before the types of the same context. */
  c = reg_instance (registry, "single", G_TYPE_INVALID);
  assert_emitted (&rec, "0,0,1;");
  /* Registered without a kind, it answers for its ancestor class. */
  d = reg_type (registry, TEST_TYPE_ANOTHER_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  assert_emitted (&rec, "1,0,1;");
  /* For the context: first of all. */
  e = reg_type (registry, TEST_TYPE_GREETING, TEST_TYPE_GREETING, TEST_TYPE_CUSTOMER);
  assert_emitted (&rec, "0,0,1;");
  assert_ids (list, "%u %u %u %u %u", e, c, d, b, a);

  /* What does not concern it: nothing. */
  reg_type (registry, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, G_TYPE_INVALID);
  reg_type (registry, TEST_TYPE_GREETING, TEST_TYPE_GREETING, TEST_TYPE_PARISIAN);
  g_assert_false (hs_registry_unregister (registry, 4242424));
  g_assert_cmpuint (hs_registry_register_type (registry, TEST_TYPE_ABSTRACT, G_TYPE_INVALID,
                                               G_TYPE_INVALID, &error), ==, 0);
  g_clear_error (&error);
  assert_emitted (&rec, "");

  /* Removals, each at its position. */
  g_assert_true (hs_registry_unregister (registry, d));
  assert_emitted (&rec, "2,1,0;");
  g_assert_true (hs_registry_unregister (registry, e));
  assert_emitted (&rec, "0,1,0;");
  g_assert_true (hs_registry_unregister (registry, b));
  assert_emitted (&rec, "1,1,0;");
  assert_ids (list, "%u %u", c, a);

  /* The same registration object throughout. */
  again = g_list_model_get_item (list, 1);
  g_assert_true (again == first);

  /* Closing empties it, once; nothing after. */
  hs_registry_close (registry);
  assert_emitted (&rec, "0,2,0;");
  g_assert_cmpuint (hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                               G_TYPE_INVALID, &error), ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
  g_assert_true (hs_registry_unregister (registry, a));
  assert_emitted (&rec, "");
  g_assert_cmpuint (rec.n_emissions, ==, 9);

  recorder_clear (&rec);
}

/* A child's list follows its parent and its grandparent, after its own
 * items; the parent's list does not see the child's changes. */
static void
test_child_follows_parent (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) parent = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (parent, NULL);
  g_autoptr(GListModel) child_list = hs_registry_list (child, TEST_TYPE_GREETING, NULL);
  g_autoptr(GListModel) parent_list = hs_registry_list (parent, TEST_TYPE_GREETING, NULL);
  Recorder crec, prec;
  guint own, up, top, top2;

  recorder_init (&crec, child_list);
  recorder_init (&prec, parent_list);

  own = reg_type (child, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  assert_emitted (&crec, "0,0,1;");
  assert_emitted (&prec, "");

  top = reg_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  assert_emitted (&crec, "1,0,1;");
  assert_emitted (&prec, "0,0,1;");

  up = reg_type (parent, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  assert_emitted (&crec, "1,0,1;");
  assert_emitted (&prec, "0,0,1;");

  top2 = reg_instance (root, "root single", G_TYPE_INVALID);
  assert_emitted (&crec, "2,0,1;");
  assert_emitted (&prec, "1,0,1;");
  assert_ids (child_list, "%u %u %u %u", own, up, top2, top);
  assert_ids (parent_list, "%u %u %u", up, top2, top);

  g_assert_true (hs_registry_unregister (root, top2));
  assert_emitted (&crec, "2,1,0;");
  assert_emitted (&prec, "1,1,0;");

  /* Closing the root empties both (a child of a closed registry is
   * closed). */
  hs_registry_close (root);
  assert_emitted (&crec, "0,3,0;");
  assert_emitted (&prec, "0,2,0;");
  g_assert_cmpuint (g_list_model_get_n_items (child_list), ==, 0);

  recorder_clear (&crec);
  recorder_clear (&prec);
}

/* A list keeps its registry alive, not the reverse. */
static void
test_no_cycle (void)
{
  HsRegistry *root = hs_registry_new (NULL, NULL);
  HsRegistry *child = hs_registry_new (root, NULL);
  GListModel *list = hs_registry_list (child, TEST_TYPE_GREETING, NULL);
  GListModel *other = hs_registry_list (root, TEST_TYPE_GREETING, NULL);

  g_object_add_weak_pointer (G_OBJECT (root), (gpointer *) &root);
  g_object_add_weak_pointer (G_OBJECT (child), (gpointer *) &child);
  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &list);

  g_object_unref (child);
  g_assert_nonnull (child);
  g_object_unref (list);
  g_assert_null (list);
  g_assert_null (child);

  /* The root's watch outlived one list; its registrations still tell the
   * other one. */
  reg_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  g_assert_cmpuint (g_list_model_get_n_items (other), ==, 1);

  g_object_unref (root);
  g_assert_nonnull (root);
  g_object_unref (other);
  g_assert_null (root);
}

/* A kind that nothing can answer lists nothing. */
static void
test_not_a_kind (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GListModel) none = hs_registry_list (registry, G_TYPE_NONE, NULL);
  g_autoptr(GListModel) number = hs_registry_list (registry, G_TYPE_INT, NULL);

  reg_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (number), ==, 0);
}

static GObject *
count_factory (HsRegistry    *registry,
               GObject       *context,
               guint          n_properties,
               const char   **names,
               const GValue  *values,
               gpointer       user_data,
               GError       **error)
{
  guint *calls = user_data;

  (*calls)++;
  return g_object_new (TEST_TYPE_GREETING, "salutation", "made", NULL);
}

/* hs_registry_build() builds each item as a get would. */
static void
test_build (void)
{
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) other = hs_registry_new (root, NULL);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  guint calls = 0, lazy, scoped, factory, foreign, french;
  GObject *objects[2];

  reg_instance (root, "single", G_TYPE_INVALID);

  lazy = hs_registry_register_type_full (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                                         G_TYPE_INVALID, HS_LIFETIME_SINGLETON, &error);
  g_assert_no_error (error);
  scoped = hs_registry_register_type_full (root, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                           G_TYPE_INVALID, HS_LIFETIME_SCOPED, &error);
  g_assert_no_error (error);
  factory = hs_registry_register_factory (root, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                          count_factory, &calls, NULL, &error);
  g_assert_no_error (error);
  foreign = reg_type (other, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  french = reg_type (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING, TEST_TYPE_FRENCH_CUSTOMER);

  list = hs_registry_list (child, TEST_TYPE_GREETING, marie);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(HsRegistration) registration = g_list_model_get_item (list, i);
      guint id = hs_registration_get_id (registration);

      for (guint k = 0; k < 2; k++)
        {
          objects[k] = hs_registry_build (child, registration, marie, &error);
          g_assert_no_error (error);
          g_assert_true (TEST_IS_GREETING (objects[k]));
        }

      if (hs_registration_get_registration_type (registration) == HS_REGISTRATION_INSTANCE)
        {
          g_assert_true (objects[0] == objects[1]);
          g_assert_true (objects[0] == hs_registration_get_instance (registration));
        }
      else if (id == lazy || id == scoped)
        {
          g_autoptr(GObject) from_other = hs_registry_build (other, registration, NULL, &error);

          /* Kept: a lazy singleton by its holder for everyone, a scoped
           * object by each registry that builds it. */
          g_assert_no_error (error);
          g_assert_true (objects[0] == objects[1]);
          g_assert_true ((from_other == objects[0]) == (id == lazy));
        }
      else
        {
          g_assert_true (objects[0] != objects[1]);
          if (id == factory)
            g_assert_cmpuint (calls, ==, 2);
          if (id == french)
            g_assert_true (TEST_IS_ANOTHER_GREETING (objects[0]));
        }

      g_object_unref (objects[0]);
      g_object_unref (objects[1]);
    }

  /* Not reachable from child: held by a sibling. */
  {
    g_autoptr(GListModel) others = hs_registry_list (other, TEST_TYPE_GREETING, NULL);
    g_autoptr(HsRegistration) registration = g_list_model_get_item (others, 0);

    g_assert_cmpuint (hs_registration_get_id (registration), ==, foreign);
    g_assert_null (hs_registry_build (child, registration, NULL, &error));
    g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
    g_clear_error (&error);

    /* Unregistered: the snapshot stays, building it fails. */
    g_assert_true (hs_registry_unregister (other, foreign));
    g_assert_null (hs_registry_build (other, registration, NULL, &error));
    g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Not for this context: the French registration without one. */
  {
    g_autoptr(HsRegistration) registration = g_list_model_get_item (list, 0);

    g_assert_cmpuint (hs_registration_get_id (registration), ==, french);
    g_assert_null (hs_registry_build (child, registration, NULL, &error));
    g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Closed. */
  {
    g_autoptr(HsRegistration) registration = g_list_model_get_item (list, 1);

    hs_registry_close (child);
    g_assert_null (hs_registry_build (child, registration, marie, &error));
    g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CLOSED);
    g_clear_error (&error);
  }
}

/* Modules */

/* A plugin loaded with plain g_module_open(): the next registry operation
 * runs its registry function, whose registrations the lists show; closing
 * the module takes them out of the lists again. */
static void
test_g_module (void)
{
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) request = hs_registry_new (registry, marie);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "modules",
                                                 "plugin-a." G_MODULE_SUFFIX, NULL);
  g_autoptr(GListModel) plain = NULL;
  g_autoptr(GListModel) french = NULL;
  Recorder prec, frec;
  GModule *module;
  guint own;

  g_type_ensure (TEST_TYPE_ANOTHER_GREETING);
  g_type_ensure (TEST_TYPE_FRENCH_CUSTOMER);
  test_host_set_registry (registry);
  hs_registry_manager_subscribe (manager, test_host_key ("TestKeyA"));

  own = reg_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);
  plain = hs_registry_list (registry, TEST_TYPE_GREETING, NULL);
  french = hs_registry_list (request, TEST_TYPE_GREETING, NULL);
  recorder_init (&prec, plain);
  recorder_init (&frec, french);
  assert_ids (plain, "%u", own);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(HsRegistration) head = NULL;

      module = g_module_open (path, G_MODULE_BIND_LOCAL);
      g_assert_nonnull (module);

      /* Observed at load: the next operation (here a lookup on another
       * registry) runs the plugin's functions, and the lists follow. */
      head = hs_registry_lookup (request, TEST_TYPE_GREETING, NULL);
      g_assert_nonnull (head);
      assert_emitted (&prec, "0,0,1;");
      /* The instance, then the French type by context specificity. */
      assert_emitted (&frec, "0,0,1;0,0,1;");
      g_assert_cmpuint (g_list_model_get_n_items (french), ==, 3);
      assert_head_is_lookup (request, french, TEST_TYPE_GREETING, NULL);
      assert_head_is_lookup (registry, plain, TEST_TYPE_GREETING, NULL);

      g_assert_true (g_module_close (module));
      assert_emitted (&prec, "0,1,0;");
      /* In the order they were registered: the instance, then the type. */
      assert_emitted (&frec, "1,1,0;0,1,0;");
      assert_ids (plain, "%u", own);
      assert_ids (french, "%u", own);
    }

  recorder_clear (&prec);
  recorder_clear (&frec);
  hs_registry_manager_unsubscribe (manager, test_host_key ("TestKeyA"));
  test_host_set_registry (NULL);
  g_free (test_host_take_log ());
}

/* Threads */

#define N_WRITERS 4
#define N_ROUNDS 2000

typedef struct
{
  HsRegistry *registries[2];          /* the child, its parent */
  gint        stop;
  gint        running;
} ThreadTest;

static gpointer
writer_thread (gpointer data)
{
  ThreadTest *tt = data;
  GRand *rand = g_rand_new ();
  GArray *ids[2] = { g_array_new (FALSE, FALSE, sizeof (guint)),
                     g_array_new (FALSE, FALSE, sizeof (guint)) };

  for (guint i = 0; i < N_ROUNDS; i++)
    {
      guint which = g_rand_int_range (rand, 0, 2);

      if (ids[which]->len > 0 && g_rand_boolean (rand))
        {
          guint at = g_rand_int_range (rand, 0, ids[which]->len);

          g_assert_true (hs_registry_unregister (tt->registries[which],
                                                 g_array_index (ids[which], guint, at)));
          g_array_remove_index_fast (ids[which], at);
        }
      else
        {
          guint id = g_rand_boolean (rand)
                     ? reg_type (tt->registries[which], TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID)
                     : reg_instance (tt->registries[which], "thread", G_TYPE_INVALID);

          /* Another kind too, which no list here shows. */
          if (g_rand_int_range (rand, 0, 4) == 0)
            reg_type (tt->registries[which], TEST_TYPE_CUSTOMER, G_TYPE_INVALID, G_TYPE_INVALID);
          g_array_append_val (ids[which], id);
        }
    }

  g_array_unref (ids[0]);
  g_array_unref (ids[1]);
  g_rand_free (rand);
  g_atomic_int_dec_and_test (&tt->running);

  return NULL;
}

/* The list holds exactly the candidates of the chain, in order: the
 * explanations' ranking, which lists its candidates as "#ID". */
static void
assert_matches_registries (HsRegistry *registry,
                           GListModel *list)
{
  g_autofree char *explained = hs_registry_explain (registry, TEST_TYPE_GREETING, NULL);
  g_auto(GStrv) lines = g_strsplit (explained, "\n", -1);
  GString *expected = g_string_new (NULL);
  g_autofree char *ids = ids_of (list);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *hash = strstr (lines[i], ". #");

      if (g_str_has_prefix (lines[i], "  ") && hash != NULL)
        g_string_append_printf (expected, "%s%u", expected->len > 0 ? " " : "",
                                (guint) g_ascii_strtoull (hash + 3, NULL, 10));
    }

  g_assert_cmpstr (ids, ==, expected->str);
  g_string_free (expected, TRUE);
}

/* Lists made, read and dropped on their own threads, with their own main
 * contexts, while the registries change. */
static gpointer
lister_thread (gpointer data)
{
  ThreadTest *tt = data;
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  while (!g_atomic_int_get (&tt->stop))
    {
      GListModel *list = hs_registry_list (tt->registries[0], TEST_TYPE_GREETING, NULL);

      for (guint i = 0; i < 20; i++)
        {
          g_main_context_iteration (context, FALSE);
          g_assert_cmpuint (g_list_model_get_n_items (list), <, 100000);
        }
      g_object_unref (list);
    }

  /* The registries changed meanwhile: a list of this thread, once its
   * context has run, holds what they hold. */
  {
    GListModel *list = hs_registry_list (tt->registries[0], TEST_TYPE_GREETING, NULL);

    while (g_main_context_iteration (context, FALSE))
      ;
    assert_matches_registries (tt->registries[0], list);
    g_object_unref (list);
  }
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(HsRegistry) parent = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (parent, NULL);
  g_autoptr(GListModel) list = hs_registry_list (child, TEST_TYPE_GREETING, NULL);
  g_autoptr(GListModel) parent_list = hs_registry_list (parent, TEST_TYPE_GREETING, NULL);
  ThreadTest tt = { { child, parent }, 0, N_WRITERS };
  GThread *writers[N_WRITERS], *listers[2];
  Recorder rec;

  recorder_init (&rec, list);

  for (guint i = 0; i < G_N_ELEMENTS (listers); i++)
    listers[i] = g_thread_new ("lister", lister_thread, &tt);
  for (guint i = 0; i < N_WRITERS; i++)
    writers[i] = g_thread_new ("writer", writer_thread, &tt);

  /* The list's thread runs its context meanwhile: every emission is
   * consistent (the recorder checks). */
  while (g_atomic_int_get (&tt.running) > 0)
    g_main_context_iteration (NULL, FALSE);

  for (guint i = 0; i < N_WRITERS; i++)
    g_thread_join (writers[i]);
  g_atomic_int_set (&tt.stop, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (listers); i++)
    g_thread_join (listers[i]);

  while (g_main_context_iteration (NULL, FALSE))
    ;

  assert_matches_registries (child, list);
  assert_matches_registries (parent, parent_list);
  g_assert_cmpuint (rec.n_items, ==, g_list_model_get_n_items (list));
  assert_head_is_lookup (child, list, TEST_TYPE_GREETING, NULL);

  recorder_clear (&rec);
}

/* A change made on another thread reaches the list from its context,
 * never from the other thread. */
static gpointer
register_elsewhere (gpointer data)
{
  return GUINT_TO_POINTER (reg_type (data, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID));
}

static void
on_changed_check_thread (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         gpointer    thread)
{
  g_assert_true (g_thread_self () == thread);
}

static void
test_other_thread_idle (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GListModel) list = hs_registry_list (registry, TEST_TYPE_GREETING, NULL);
  Recorder rec;
  guint id;

  recorder_init (&rec, list);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_changed_check_thread), g_thread_self ());

  id = GPOINTER_TO_UINT (g_thread_join (g_thread_new ("register", register_elsewhere, registry)));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  assert_emitted (&rec, "");

  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_emitted (&rec, "0,0,1;");
  assert_ids (list, "%u", id);

  recorder_clear (&rec);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/list/order", test_order);
  g_test_add_func ("/list/events", test_events);
  g_test_add_func ("/list/child-follows-parent", test_child_follows_parent);
  g_test_add_func ("/list/no-cycle", test_no_cycle);
  g_test_add_func ("/list/not-a-kind", test_not_a_kind);
  g_test_add_func ("/list/build", test_build);
  g_test_add_func ("/list/g-module", test_g_module);
  g_test_add_func ("/list/threads", test_threads);
  g_test_add_func ("/list/other-thread-idle", test_other_thread_idle);

  return g_test_run ();
}
