/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The registry of SPEC sections 1, 2, 3 and 5: parents and contexts,
 * registrations, which registration wins, props, lookup and errors.
 */
#include <math.h>
#include <string.h>

#include "hs-test-types.h"
#include "hopscotch/hs-index-private.h"

/* What a registry answers, by registration id, for a few kinds and
 * contexts: used to check that a refused call changed nothing. */
static GArray *
snapshot (HsRegistry *registry)
{
  g_autoptr(GObject) french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  GType kinds[] = { TEST_TYPE_GREETING, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_POLITE,
                    TEST_TYPE_CUSTOMER, TEST_TYPE_FAILING };
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    for (guint c = 0; c < 2; c++)
      {
        g_autoptr(HsRegistration) r = hs_registry_lookup (registry, kinds[i], c ? french : NULL);
        guint id = r ? hs_registration_get_id (r) : 0;
        g_array_append_val (ids, id);
      }

  return ids;
}

static void
assert_same_snapshot (GArray *before, HsRegistry *registry)
{
  g_autoptr(GArray) after = snapshot (registry);

  g_assert_cmpmem (before->data, before->len * sizeof (guint), after->data, after->len * sizeof (guint));
}

/* SPEC 1 */

static void
test_new_parent_context (void)
{
  g_autoptr(GObject) customer = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, customer);
  g_autoptr(HsRegistry) grandchild = hs_registry_new (child, NULL);
  g_autoptr(HsRegistry) by_props = NULL;
  g_autoptr(HsRegistry) parent_prop = NULL;
  g_autoptr(GObject) context_prop = NULL;

  g_assert_null (hs_registry_get_parent (root));
  g_assert_null (hs_registry_get_context (root));
  g_assert_true (hs_registry_get_parent (child) == root);
  g_assert_true (hs_registry_get_context (child) == customer);

  /* A child without a context takes its parent's. */
  g_assert_true (hs_registry_get_parent (grandchild) == child);
  g_assert_true (hs_registry_get_context (grandchild) == customer);

  /* The same through the properties, as bindings use them. */
  by_props = g_object_new (HS_TYPE_REGISTRY, "parent", root, "context", customer, NULL);
  g_object_get (by_props, "parent", &parent_prop, "context", &context_prop, NULL);
  g_assert_true (parent_prop == root);
  g_assert_true (context_prop == customer);
}

/* The properties are set while a registry is made, in any order, and a
 * child without a context of its own takes its parent's; once the
 * registry is in use they are refused. */
static void
test_new_by_properties (void)
{
  g_autoptr(GObject) customer = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(GObject) french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, customer);
  g_autoptr(HsRegistry) context_first = NULL;
  g_autoptr(HsRegistry) parent_first = NULL;
  g_autoptr(HsRegistry) inherits = NULL;
  g_autoptr(HsRegistry) other = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) answer = NULL;

  context_first = g_object_new (HS_TYPE_REGISTRY, "context", french, "parent", root, NULL);
  g_assert_true (hs_registry_get_parent (context_first) == root);
  g_assert_true (hs_registry_get_context (context_first) == french);
  parent_first = g_object_new (HS_TYPE_REGISTRY, "parent", root, "context", french, NULL);
  g_assert_true (hs_registry_get_context (parent_first) == french);
  inherits = g_object_new (HS_TYPE_REGISTRY, "parent", root, "context", NULL, NULL);
  g_assert_true (hs_registry_get_context (inherits) == customer);

  /* A child made by the properties answers from its parent. */
  hs_registry_register_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  answer = hs_registry_get (context_first, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_GREETING (answer));

  /* In use: asked (context_first), registered in or given a child (root),
   * or made by hs_registry_new() (other). */
  g_test_expect_message ("Hopscotch", G_LOG_LEVEL_WARNING, "*HsRegistry:parent is set when the registry is made*");
  g_object_set (context_first, "parent", other, NULL);
  g_test_expect_message ("Hopscotch", G_LOG_LEVEL_WARNING, "*HsRegistry:context is set when the registry is made*");
  g_object_set (root, "context", french, NULL);
  g_test_expect_message ("Hopscotch", G_LOG_LEVEL_WARNING, "*HsRegistry:parent is set when the registry is made*");
  g_object_set (other, "parent", root, NULL);
  g_test_assert_expected_messages ();
  g_assert_true (hs_registry_get_parent (context_first) == root);
  g_assert_true (hs_registry_get_context (root) == customer);
  g_assert_null (hs_registry_get_parent (other));
}

static void
test_keeps_parent_and_context_alive (void)
{
  GObject *customer = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  HsRegistry *root = hs_registry_new (NULL, NULL);
  HsRegistry *child = hs_registry_new (root, customer);

  g_object_add_weak_pointer (customer, (gpointer *) &customer);
  g_object_add_weak_pointer (G_OBJECT (root), (gpointer *) &root);

  g_object_unref (customer);
  g_object_unref (root);
  g_assert_nonnull (customer);
  g_assert_nonnull (root);

  g_object_unref (child);
  g_assert_null (customer);
  g_assert_null (root);
}

static void
test_child_context_read_once (void)
{
  g_autoptr(GObject) customer = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(GObject) other = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, customer);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) own = hs_registry_new (root, other);

  g_assert_true (hs_registry_get_context (child) == customer);
  g_assert_true (hs_registry_get_context (own) == other);
}

/* SPEC 2 */

static void
test_register_type_new_each_time (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) a = NULL;
  g_autoptr(GObject) b = NULL;
  guint id;

  id = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (id, >, 0);

  a = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  b = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_GREETING (a));
  g_assert_true (a != b);
  g_assert_cmpstr (test_greeting_get_salutation (a), ==, "Hello");
  g_assert_cmpuint (a->ref_count, ==, 1);
}

static void
test_register_instance_singleton (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) singleton = g_object_new (TEST_TYPE_GREETING, "salutation", "I am a singleton", NULL);
  g_autoptr(GError) error = NULL;
  GObject *a, *b;
  guint id;

  id = hs_registry_register_instance (registry, singleton, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (id, >, 0);
  g_assert_cmpuint (singleton->ref_count, ==, 2);

  a = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  b = hs_registry_get (registry, TEST_TYPE_POLITE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (a == singleton);
  g_assert_true (b == singleton);
  g_assert_cmpuint (singleton->ref_count, ==, 4);
  g_assert_cmpstr (test_greeting_get_salutation (a), ==, "I am a singleton");
  g_object_unref (a);
  g_object_unref (b);

  /* Unregistering drops the registry's reference, not the ones handed out. */
  a = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_true (hs_registry_unregister (registry, id));
  g_assert_cmpuint (singleton->ref_count, ==, 2);
  g_object_unref (a);
}

typedef struct
{
  guint       calls;
  guint       destroyed;
  HsRegistry *last_registry;
  GObject    *last_context;
  guint       last_n_properties;
  char       *last_first_name;
  GType       make;           /* what to build; G_TYPE_INVALID: return NULL */
  gboolean    set_error;
} FactoryData;

static GObject *
test_factory (HsRegistry    *registry,
              GObject       *context,
              guint          n_properties,
              const char   **names,
              const GValue  *values,
              gpointer       user_data,
              GError       **error)
{
  FactoryData *data = user_data;

  data->calls++;
  data->last_registry = registry;
  data->last_context = context;
  data->last_n_properties = n_properties;
  g_clear_pointer (&data->last_first_name, g_free);
  if (n_properties > 0)
    data->last_first_name = g_strdup (names[0]);

  if (data->set_error)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no greeting today");
      return NULL;
    }
  if (data->make == G_TYPE_INVALID)
    return NULL;

  return g_object_new_with_properties (data->make, n_properties, names, values);
}

static void
factory_data_destroy (gpointer user_data)
{
  ((FactoryData *) user_data)->destroyed++;
}

static void
test_register_factory (void)
{
  FactoryData data = { 0, .make = TEST_TYPE_ANOTHER_GREETING };
  g_autoptr(GObject) customer = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, customer);
  g_autoptr(GError) error = NULL;
  GObject *greeting;
  GValue value = G_VALUE_INIT;
  const char *names[] = { "salutation" };
  guint id;

  id = hs_registry_register_factory (root, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                     test_factory, &data, factory_data_destroy, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (id, >, 0);

  /* The factory gets the registry get was called on, and the context. */
  greeting = hs_registry_get (child, TEST_TYPE_GREETING, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_ANOTHER_GREETING (greeting));
  g_assert_cmpuint (data.calls, ==, 1);
  g_assert_true (data.last_registry == child);
  g_assert_true (data.last_context == customer);
  g_assert_cmpuint (data.last_n_properties, ==, 0);
  g_object_unref (greeting);

  /* ... and the props. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "Hello Prop");
  greeting = hs_registry_get_with_properties (root, TEST_TYPE_GREETING, NULL, 1, names, &value, &error);
  g_value_unset (&value);
  g_assert_no_error (error);
  g_assert_cmpuint (data.last_n_properties, ==, 1);
  g_assert_cmpstr (data.last_first_name, ==, "salutation");
  g_assert_null (data.last_context);
  g_assert_cmpstr (test_greeting_get_salutation (greeting), ==, "Hello Prop");
  g_object_unref (greeting);

  /* A factory answers for its kind only. */
  assert_answers (root, TEST_TYPE_ANOTHER_GREETING, NULL, G_TYPE_INVALID);

  g_assert_cmpuint (data.destroyed, ==, 0);
  /* Unregistering releases the factory's data at once, although the
   * child's cache still names the registration. */
  g_assert_true (hs_registry_unregister (root, id));
  g_assert_cmpuint (data.destroyed, ==, 1);
  assert_answers (child, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);
  g_assert_cmpuint (data.calls, ==, 2);
  g_free (data.last_first_name);
}

static void
test_factory_failures (void)
{
  FactoryData data = { 0, .make = G_TYPE_INVALID };
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GObject *object;
  gint alive = g_atomic_int_get (&test_failing_alive);

  hs_registry_register_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                test_factory, &data, NULL, &error);
  g_assert_no_error (error);

  /* Returns nothing. */
  object = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_FACTORY_FAILED);
  g_assert_nonnull (strstr (error->message, "TestGreeting"));
  g_clear_error (&error);

  /* Returns an object of the wrong kind: refused, and not leaked. */
  data.make = TEST_TYPE_FAILING;
  object = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_FACTORY_FAILED);
  g_assert_nonnull (strstr (error->message, "TestFailing"));
  g_assert_cmpint (g_atomic_int_get (&test_failing_alive), ==, alive);
  g_clear_error (&error);

  /* Sets an error: it comes through unchanged. */
  data.set_error = TRUE;
  object = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "no greeting today");
  g_free (data.last_first_name);
}

static void
test_kind_given (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;

  hs_registry_register_type (registry, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                             G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  /* It answers for the kind given, and only for it. */
  assert_answers (registry, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);
  assert_answers (registry, TEST_TYPE_ANOTHER_GREETING, NULL, G_TYPE_INVALID);
  assert_answers (registry, TEST_TYPE_POLITE, NULL, G_TYPE_INVALID);

  /* An interface as the kind. */
  hs_registry_register_type (registry, TEST_TYPE_GREETING, TEST_TYPE_POLITE, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  assert_answers (registry, TEST_TYPE_POLITE, NULL, TEST_TYPE_GREETING);
}

static void
test_kind_omitted (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;

  /* G_TYPE_NONE means "not given" as well: bindings cannot pass 0. */
  hs_registry_register_type (registry, TEST_TYPE_ANOTHER_GREETING, G_TYPE_NONE, G_TYPE_NONE, &error);
  g_assert_no_error (error);

  assert_answers (registry, TEST_TYPE_ANOTHER_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);
  assert_answers (registry, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);
  assert_answers (registry, TEST_TYPE_POLITE, NULL, TEST_TYPE_ANOTHER_GREETING);
  /* Not GObject itself, nor unrelated interfaces. */
  assert_answers (registry, G_TYPE_OBJECT, NULL, G_TYPE_INVALID);
  assert_answers (registry, TEST_TYPE_VIP, NULL, G_TYPE_INVALID);
}

/* SPEC 2: with the kind omitted, GObject and GInitiallyUnowned themselves
 * answer for their own type, as any implementation does. */
static void
test_kind_omitted_base_types (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) instance = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) got = NULL;
  g_autoptr(GObject) unowned = NULL;

  hs_registry_register_type (registry, G_TYPE_INITIALLY_UNOWNED, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  assert_answers (registry, G_TYPE_INITIALLY_UNOWNED, NULL, G_TYPE_INITIALLY_UNOWNED);
  /* Not the types below it. */
  assert_answers (registry, G_TYPE_OBJECT, NULL, G_TYPE_INVALID);

  hs_registry_register_type (registry, G_TYPE_OBJECT, G_TYPE_NONE, G_TYPE_NONE, &error);
  g_assert_no_error (error);
  assert_answers (registry, G_TYPE_OBJECT, NULL, G_TYPE_OBJECT);

  unowned = hs_registry_get (registry, G_TYPE_INITIALLY_UNOWNED, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_object_is_floating (unowned));
  g_assert_cmpuint (unowned->ref_count, ==, 1);

  hs_registry_register_instance (registry, instance, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  got = hs_registry_get (registry, G_TYPE_OBJECT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (got == instance);
}

static void
test_factory_needs_kind (void)
{
  FactoryData data = { 0, .make = TEST_TYPE_GREETING };
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GArray) before = snapshot (registry);
  g_autoptr(GError) error = NULL;
  guint id;

  id = hs_registry_register_factory (registry, G_TYPE_INVALID, G_TYPE_INVALID,
                                     test_factory, &data, factory_data_destroy, &error);
  g_assert_cmpuint (id, ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
  /* The refused user data is released at once. */
  g_assert_cmpuint (data.destroyed, ==, 1);
  g_clear_error (&error);

  id = hs_registry_register_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID,
                                     NULL, &data, factory_data_destroy, &error);
  g_assert_cmpuint (id, ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
  g_assert_cmpuint (data.destroyed, ==, 2);
  g_clear_error (&error);

  id = hs_registry_register_factory (registry, G_TYPE_INT, G_TYPE_INVALID,
                                     test_factory, &data, factory_data_destroy, &error);
  g_assert_cmpuint (id, ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
  g_assert_nonnull (strstr (error->message, "gint"));

  assert_same_snapshot (before, registry);
  g_assert_cmpuint (data.calls, ==, 0);
}

typedef struct
{
  const char *name;
  GType       implementation;
  GType       kind;
  GType       context;
  const char *mentions;
} BadRegistration;

static void
test_bad_registrations (void)
{
  const BadRegistration cases[] = {
    { "abstract", TEST_TYPE_ABSTRACT, G_TYPE_INVALID, G_TYPE_INVALID, "TestAbstract" },
    { "not an object", G_TYPE_INT, G_TYPE_INVALID, G_TYPE_INVALID, "gint" },
    { "an interface", TEST_TYPE_POLITE, G_TYPE_INVALID, G_TYPE_INVALID, "TestPolite" },
    { "boxed", G_TYPE_ERROR, G_TYPE_INVALID, G_TYPE_INVALID, "GError" },
    { "no type", G_TYPE_INVALID, G_TYPE_INVALID, G_TYPE_INVALID, "(invalid)" },
    { "not a kind", TEST_TYPE_GREETING, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, "TestCustomer" },
    { "not a kind (iface)", TEST_TYPE_CUSTOMER, TEST_TYPE_POLITE, G_TYPE_INVALID, "TestPolite" },
    { "kind not an object", TEST_TYPE_GREETING, G_TYPE_STRING, G_TYPE_INVALID, "gchararray" },
    { "bad context", TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INT, "gint" },
    { "boxed context", TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_ERROR, "GError" },
  };
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) singleton = g_object_new (TEST_TYPE_GREETING, NULL);
  g_autoptr(GArray) before = NULL;
  g_autoptr(GError) error = NULL;

  /* Something to keep: the registry must answer exactly this afterwards. */
  hs_registry_register_type (registry, TEST_TYPE_ANOTHER_GREETING, G_TYPE_INVALID, TEST_TYPE_FRENCH_CUSTOMER, &error);
  hs_registry_register_instance (registry, singleton, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  before = snapshot (registry);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint id;

      g_test_message ("case: %s", cases[i].name);
      id = hs_registry_register_type (registry, cases[i].implementation, cases[i].kind,
                                      cases[i].context, &error);
      g_assert_cmpuint (id, ==, 0);
      g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
      g_clear_error (&error);
      assert_same_snapshot (before, registry);
    }

  /* Instances: not a kind, bad context, no object. */
  g_assert_cmpuint (hs_registry_register_instance (registry, singleton, TEST_TYPE_CUSTOMER,
                                                   G_TYPE_INVALID, &error), ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
  g_clear_error (&error);
  g_assert_cmpuint (hs_registry_register_instance (registry, singleton, G_TYPE_INVALID,
                                                   G_TYPE_STRING, &error), ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
  g_clear_error (&error);
  g_assert_cmpuint (hs_registry_register_instance (registry, NULL, TEST_TYPE_GREETING,
                                                   G_TYPE_INVALID, &error), ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
  g_clear_error (&error);

  assert_same_snapshot (before, registry);
  /* The registry holds one reference to the singleton, no more. */
  g_assert_cmpuint (singleton->ref_count, ==, 2);
}

static void
test_register_twice (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistration) r = NULL;
  guint a, b;

  a = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  b = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  g_assert_cmpuint (a, >, 0);
  g_assert_cmpuint (b, >, a);

  r = hs_registry_lookup (registry, TEST_TYPE_GREETING, NULL);
  g_assert_cmpuint (hs_registration_get_id (r), ==, b);
  g_clear_object (&r);

  g_assert_true (hs_registry_unregister (registry, b));
  r = hs_registry_lookup (registry, TEST_TYPE_GREETING, NULL);
  g_assert_cmpuint (hs_registration_get_id (r), ==, a);
}

static void
test_unregister (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, NULL);
  guint id;

  id = hs_registry_register_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  assert_answers (child, TEST_TYPE_POLITE, NULL, TEST_TYPE_GREETING);

  /* Only the registry holding it can remove it. */
  g_assert_false (hs_registry_unregister (child, id));
  g_assert_false (hs_registry_unregister (root, 0));
  g_assert_false (hs_registry_unregister (root, id + 1000));
  g_assert_true (hs_registry_unregister (root, id));
  g_assert_false (hs_registry_unregister (root, id));

  assert_answers (root, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);
  assert_answers (child, TEST_TYPE_POLITE, NULL, G_TYPE_INVALID);
}

/* The newest of @ids[0..n) still registered (@gone FALSE), preferring an
 * instance (rule 3.2): what a get of the kind answers; 0 when none. */
static guint
newest_left (const guint    *ids,
             const gboolean *instance,
             const gboolean *gone,
             guint           n)
{
  for (int pass = 0; pass < 2; pass++)
    for (guint i = n; i-- > 0;)
      if (!gone[i] && instance[i] == (pass == 0))
        return ids[i];
  return 0;
}

/* Many registrations, their ids spaced by registrations in other
 * registries, some answering for several kinds, removed in a shuffled
 * order: each is removed once, and what is left answers as before. */
static void
test_unregister_many (void)
{
  enum { N = 3000 };
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) other = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) greeting = g_object_new (TEST_TYPE_GREETING, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);
  g_autofree guint *ids = g_new (guint, N);
  g_autofree guint *order = g_new (guint, N);
  g_autofree gboolean *instance = g_new0 (gboolean, N);
  g_autofree gboolean *gone = g_new0 (gboolean, N);

  for (guint i = 0; i < N; i++)
    {
      /* Ids of this registry are 1 to 7 apart. */
      for (guint j = i % 7; j > 0; j--)
        hs_registry_register_type (other, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
      instance[i] = i % 5 == 0;
      if (instance[i])
        ids[i] = hs_registry_register_instance (registry, greeting, TEST_TYPE_GREETING,
                                                G_TYPE_INVALID, NULL);
      else
        ids[i] = hs_registry_register_type (registry, TEST_TYPE_GREETING,
                                            i % 2 ? TEST_TYPE_GREETING : G_TYPE_INVALID,
                                            G_TYPE_INVALID, NULL);
      g_assert_cmpuint (ids[i], >, 0);
      order[i] = i;
    }
  for (guint i = N - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, i + 1), t = order[i];

      order[i] = order[j];
      order[j] = t;
    }

  for (guint k = 0; k < N; k++)
    {
      guint i = order[k];

      g_assert_true (hs_registry_unregister (registry, ids[i]));
      g_assert_false (hs_registry_unregister (registry, ids[i]));
      gone[i] = TRUE;

      if (k % 97 == 0 || k == N - 1)
        {
          g_autoptr(HsRegistration) r = hs_registry_lookup (registry, TEST_TYPE_GREETING, NULL);
          guint expected = newest_left (ids, instance, gone, N);

          g_assert_cmpuint (r != NULL ? hs_registration_get_id (r) : 0, ==, expected);
        }
    }
}

/* SPEC 3 */

static void
test_seed_story (void)
{
  g_autoptr(GObject) customer = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(GObject) french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, "first-name", "Marie", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) request1 = NULL;
  g_autoptr(HsRegistry) request2 = NULL;
  g_autoptr(GObject) greeting = NULL;
  g_autoptr(GError) error = NULL;

  hs_registry_register_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                             TEST_TYPE_FRENCH_CUSTOMER, &error);
  g_assert_no_error (error);

  request1 = hs_registry_new (root, customer);
  request2 = hs_registry_new (root, french);

  assert_answers (request1, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);
  assert_answers (request2, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);
  /* A context given to get wins over the registry's. */
  assert_answers (request1, TEST_TYPE_GREETING, french, TEST_TYPE_ANOTHER_GREETING);
  assert_answers (root, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);

  greeting = hs_registry_get (request2, TEST_TYPE_GREETING, NULL, &error);
  g_assert_cmpstr (test_greeting_get_salutation (greeting), ==, "Another Hello");
}

static void
test_context_needs_context (void)
{
  g_autoptr(GObject) french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;

  hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, TEST_TYPE_CUSTOMER, NULL);

  /* A registration with a context type never answers a lookup without one. */
  object = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No kind “TestGreeting” in registry");
  g_clear_error (&error);

  /* ... nor a context of another type. */
  object = hs_registry_get (registry, TEST_TYPE_GREETING, G_OBJECT (registry), &error);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No kind “TestGreeting” for context “HsRegistry” in registry");
  g_clear_error (&error);

  assert_answers (registry, TEST_TYPE_GREETING, french, TEST_TYPE_GREETING);
}

static void
test_nearest_registry_decides (void)
{
  g_autoptr(GObject) french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(GObject) singleton = g_object_new (TEST_TYPE_GREETING, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, french);
  g_autoptr(HsRegistry) grandchild = hs_registry_new (child, NULL);

  /* The root has a very specific singleton; the child a context-free type.
   * The child decides. */
  hs_registry_register_instance (root, singleton, G_TYPE_INVALID, TEST_TYPE_FRENCH_CUSTOMER, NULL);
  hs_registry_register_type (child, TEST_TYPE_ANOTHER_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);

  assert_answers (grandchild, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);
  assert_answers (child, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);
  assert_answers (root, TEST_TYPE_GREETING, french, TEST_TYPE_GREETING);

  /* Without a candidate in the child, the parent answers with the same
   * lookup context (the child's). */
  assert_answers (grandchild, TEST_TYPE_POLITE, NULL, TEST_TYPE_ANOTHER_GREETING);
  hs_registry_register_type (root, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, TEST_TYPE_FRENCH_CUSTOMER, NULL);
  assert_answers (grandchild, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);
  assert_answers (root, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);
}

static void
test_context_specificity (void)
{
  g_autoptr(GObject) parisian = g_object_new (TEST_TYPE_PARISIAN, NULL);
  g_autoptr(GObject) french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(GObject) customer = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) s_any = g_object_new (TEST_TYPE_GREETING, NULL);
  g_autoptr(GObject) s_vip = g_object_new (TEST_TYPE_GREETING, NULL);
  guint any, vip, cust, fr, par;
  g_autoptr(HsRegistration) r = NULL;

  /* Registered from the most specific to the least, so that "most recent"
   * would pick the wrong one if specificity were not first. Singletons
   * everywhere but for exact types, so that "singletons first" would too. */
  par = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, TEST_TYPE_PARISIAN, NULL);
  fr = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, TEST_TYPE_FRENCH_CUSTOMER, NULL);
  cust = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, TEST_TYPE_CUSTOMER, NULL);
  vip = hs_registry_register_instance (registry, s_vip, G_TYPE_INVALID, TEST_TYPE_VIP, NULL);
  any = hs_registry_register_instance (registry, s_any, G_TYPE_INVALID, G_TYPE_INVALID, NULL);

#define WINNER(ctx) ({ g_clear_object (&r); r = hs_registry_lookup (registry, TEST_TYPE_GREETING, ctx); hs_registration_get_id (r); })
  g_assert_cmpuint (WINNER (parisian), ==, par);   /* own type */
  g_assert_cmpuint (WINNER (french), ==, fr);
  g_assert_cmpuint (WINNER (customer), ==, cust);
  g_assert_cmpuint (WINNER (NULL), ==, any);

  g_assert_true (hs_registry_unregister (registry, par));
  g_assert_cmpuint (WINNER (parisian), ==, fr);    /* nearer ancestor */
  g_assert_true (hs_registry_unregister (registry, fr));
  g_assert_cmpuint (WINNER (parisian), ==, cust);  /* any class beats an interface */
  g_assert_true (hs_registry_unregister (registry, cust));
  g_assert_cmpuint (WINNER (parisian), ==, vip);   /* an interface beats any context */
  g_assert_cmpuint (WINNER (french), ==, any);
  g_assert_true (hs_registry_unregister (registry, vip));
  g_assert_cmpuint (WINNER (parisian), ==, any);
#undef WINNER
}

static void
test_singletons_first_then_recent (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) s1 = g_object_new (TEST_TYPE_GREETING, "salutation", "one", NULL);
  g_autoptr(GObject) s2 = g_object_new (TEST_TYPE_GREETING, "salutation", "two", NULL);
  g_autoptr(GObject) got = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  const char *names[] = { "salutation" };
  guint t1, i1, i2, t2;

  i1 = hs_registry_register_instance (registry, s1, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  t1 = hs_registry_register_type (registry, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING, G_TYPE_INVALID, NULL);

  /* The singleton wins over a more recent type of the same context. */
  got = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_true (got == s1);
  g_clear_object (&got);

  /* Among singletons, the most recent. */
  i2 = hs_registry_register_instance (registry, s2, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  got = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_true (got == s2);
  g_clear_object (&got);

  /* With props, singletons are not candidates: the type is built. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "Hello Prop");
  got = hs_registry_get_with_properties (registry, TEST_TYPE_GREETING, NULL, 1, names, &value, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_ANOTHER_GREETING (got));
  g_assert_cmpstr (test_greeting_get_salutation (got), ==, "Hello Prop");
  g_clear_object (&got);

  /* Among types, the most recent. */
  t2 = hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  got = hs_registry_get_with_properties (registry, TEST_TYPE_GREETING, NULL, 1, names, &value, &error);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (got), ==, "TestGreeting");
  g_clear_object (&got);

  /* Only singletons, and props: nothing answers. */
  hs_registry_unregister (registry, t1);
  hs_registry_unregister (registry, t2);
  got = hs_registry_get_with_properties (registry, TEST_TYPE_GREETING, NULL, 1, names, &value, &error);
  g_assert_null (got);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_value_unset (&value);
  g_assert_true (hs_registry_unregister (registry, i1));
  g_assert_true (hs_registry_unregister (registry, i2));
}

static void
test_order_independent (void)
{
  /* The same registrations in every order of registration give the same
   * winners, except where rule 3.3 (most recent) decides by design. */
  GType contexts[] = { TEST_TYPE_CUSTOMER, TEST_TYPE_FRENCH_CUSTOMER, TEST_TYPE_VIP, G_TYPE_INVALID };
  guint perms[][4] = {
    { 0, 1, 2, 3 }, { 3, 2, 1, 0 }, { 1, 3, 0, 2 }, { 2, 0, 3, 1 }, { 3, 0, 2, 1 },
  };
  g_autoptr(GObject) parisian = g_object_new (TEST_TYPE_PARISIAN, NULL);
  g_autoptr(GObject) customer = g_object_new (TEST_TYPE_CUSTOMER, NULL);

  for (guint p = 0; p < G_N_ELEMENTS (perms); p++)
    {
      g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
      g_autoptr(HsRegistration) r1 = NULL;
      g_autoptr(HsRegistration) r2 = NULL;
      g_autoptr(HsRegistration) r3 = NULL;

      for (guint i = 0; i < 4; i++)
        hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, contexts[perms[p][i]], NULL);

      r1 = hs_registry_lookup (registry, TEST_TYPE_GREETING, parisian);
      r2 = hs_registry_lookup (registry, TEST_TYPE_GREETING, customer);
      r3 = hs_registry_lookup (registry, TEST_TYPE_GREETING, NULL);
      g_assert_true (hs_registration_get_context_type (r1) == TEST_TYPE_FRENCH_CUSTOMER);
      g_assert_true (hs_registration_get_context_type (r2) == TEST_TYPE_CUSTOMER);
      g_assert_true (hs_registration_get_context_type (r3) == G_TYPE_INVALID);
    }
}

static void
test_not_constructed_implicitly (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;

  object = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No kind “TestGreeting” in registry");
  g_clear_error (&error);

  /* Kinds that are no object type at all are simply not found. */
  object = hs_registry_get (registry, G_TYPE_INT, NULL, &error);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  object = hs_registry_get (registry, G_TYPE_INVALID, NULL, &error);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
}

static void
test_lookup (void)
{
  g_autoptr(GObject) french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(GObject) singleton = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, french);
  g_autoptr(HsRegistration) r = NULL;
  FactoryData data = { 0, .make = TEST_TYPE_GREETING };
  GType kind;
  guint id;

  g_assert_null (hs_registry_lookup (child, TEST_TYPE_GREETING, NULL));

  id = hs_registry_register_type (root, TEST_TYPE_ANOTHER_GREETING, G_TYPE_INVALID,
                                  TEST_TYPE_CUSTOMER, NULL);
  r = hs_registry_lookup (child, TEST_TYPE_GREETING, NULL);
  g_assert_nonnull (r);
  g_assert_cmpuint (hs_registration_get_id (r), ==, id);
  g_assert_cmpint (hs_registration_get_registration_type (r), ==, HS_REGISTRATION_TYPE);
  g_assert_true (hs_registration_get_kind (r) == TEST_TYPE_ANOTHER_GREETING);
  g_assert_true (hs_registration_get_implementation_type (r) == TEST_TYPE_ANOTHER_GREETING);
  g_assert_true (hs_registration_get_context_type (r) == TEST_TYPE_CUSTOMER);
  g_assert_true (hs_registration_get_registry (r) == root);
  g_assert_null (hs_registration_get_instance (r));
  g_object_get (r, "kind", &kind, NULL);
  g_assert_true (kind == TEST_TYPE_ANOTHER_GREETING);
  g_clear_object (&r);
  /* Nothing was built. */
  g_assert_cmpuint (data.calls, ==, 0);

  hs_registry_register_instance (child, singleton, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  r = hs_registry_lookup (child, TEST_TYPE_CUSTOMER, NULL);
  g_assert_cmpint (hs_registration_get_registration_type (r), ==, HS_REGISTRATION_INSTANCE);
  g_assert_true (hs_registration_get_instance (r) == singleton);
  g_assert_true (hs_registration_get_registry (r) == child);
  g_clear_object (&r);

  hs_registry_register_factory (child, TEST_TYPE_POLITE, G_TYPE_INVALID, test_factory, &data, NULL, NULL);
  r = hs_registry_lookup (child, TEST_TYPE_POLITE, NULL);
  g_assert_cmpint (hs_registration_get_registration_type (r), ==, HS_REGISTRATION_FACTORY);
  g_assert_true (hs_registration_get_kind (r) == TEST_TYPE_POLITE);
  g_assert_true (hs_registration_get_implementation_type (r) == G_TYPE_INVALID);
  g_assert_cmpuint (data.calls, ==, 0);
}

/* Props */

static void
test_props (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) greeting = NULL;
  g_autoptr(GObject) failing = NULL;

  hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  hs_registry_register_type (registry, TEST_TYPE_FAILING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);

  greeting = hs_registry_get_with (registry, TEST_TYPE_GREETING, NULL, &error,
                                   "salutation", "Hello Prop", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (test_greeting_get_salutation (greeting), ==, "Hello Prop");

  /* A value that converts: an int into a boolean. */
  {
    GValue value = G_VALUE_INIT;
    const char *names[] = { "fail" };

    g_value_init (&value, G_TYPE_INT);
    g_value_set_int (&value, 0);
    failing = hs_registry_get_with_properties (registry, TEST_TYPE_FAILING, NULL, 1, names, &value, &error);
    g_assert_no_error (error);
    g_assert_nonnull (failing);
  }
}

typedef struct
{
  const char *name;
  GType       value_type;
  const char *string;
  const char *mentions;
} BadProp;

static void
test_bad_props (void)
{
  const BadProp cases[] = {
    { "nonexistent", G_TYPE_STRING, "x", "“nonexistent”" },
    { "length", G_TYPE_UINT, NULL, "“length”" },          /* read-only */
    { "salutation", G_TYPE_OBJECT, NULL, "“salutation”" }, /* unconvertible */
  };
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GArray) before = NULL;
  g_autoptr(GError) error = NULL;
  gint alive = g_atomic_int_get (&test_failing_alive);

  hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  before = snapshot (registry);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GValue value = G_VALUE_INIT;
      const char *names[] = { cases[i].name };
      GObject *object;

      g_value_init (&value, cases[i].value_type);
      if (cases[i].value_type == G_TYPE_STRING)
        g_value_set_string (&value, cases[i].string);
      else if (cases[i].value_type == G_TYPE_OBJECT)
        g_value_take_object (&value, g_object_new (TEST_TYPE_CUSTOMER, NULL));

      object = hs_registry_get_with_properties (registry, TEST_TYPE_GREETING, NULL, 1, names, &value, &error);
      g_value_unset (&value);
      g_assert_null (object);
      g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
      g_assert_nonnull (strstr (error->message, "TestGreeting"));
      g_clear_error (&error);
      assert_same_snapshot (before, registry);
    }

  /* Given twice. */
  {
    g_autoptr(GObject) object = hs_registry_get_with (registry, TEST_TYPE_GREETING, NULL, &error,
                                                      "salutation", "a", "salutation", "b", NULL);
    g_assert_null (object);
    g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
    g_clear_error (&error);
  }

  /* An unknown name through the varargs convenience. */
  {
    g_autoptr(GObject) object = hs_registry_get_with (registry, TEST_TYPE_GREETING, NULL, &error,
                                                      "no-such-thing", 5, NULL);
    g_assert_null (object);
    g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
    g_assert_nonnull (strstr (error->message, "no-such-thing"));
    g_clear_error (&error);
  }

  /* Out of range for the property: refused, not clamped with a warning. */
  {
    g_autoptr(HsRegistry) r2 = hs_registry_new (NULL, NULL);
    GValue value = G_VALUE_INIT;
    const char *names[] = { "level" };
    GObject *object;

    hs_registry_register_type (r2, TEST_TYPE_FAILING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
    g_value_init (&value, G_TYPE_UINT);
    g_value_set_uint (&value, 11);
    object = hs_registry_get_with_properties (r2, TEST_TYPE_FAILING, NULL, 1, names, &value, &error);
    g_value_unset (&value);
    g_assert_null (object);
    g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
    g_assert_nonnull (strstr (error->message, "“level”"));
    g_clear_error (&error);
  }

  g_assert_cmpint (g_atomic_int_get (&test_failing_alive), ==, alive);
}

/* Properties of every number type, and of pointer-like types. */
#define TEST_TYPE_NUMBERS (test_numbers_get_type ())
G_DECLARE_FINAL_TYPE (TestNumbers, test_numbers, TEST, NUMBERS, GObject)
struct _TestNumbers { GObject parent_instance; GValue values[12]; };
G_DEFINE_FINAL_TYPE (TestNumbers, test_numbers, G_TYPE_OBJECT)

static void
test_numbers_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  GValue *slot = &TEST_NUMBERS (object)->values[id];

  if (G_IS_VALUE (slot))
    g_value_unset (slot);
  g_value_init (slot, pspec->value_type);
  g_value_copy (value, slot);
}

static void
test_numbers_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  GValue *slot = &TEST_NUMBERS (object)->values[id];

  if (G_IS_VALUE (slot))
    g_value_copy (slot, value);
  else
    g_param_value_set_default (pspec, value);
}

static void
test_numbers_finalize (GObject *object)
{
  for (guint i = 0; i < G_N_ELEMENTS (TEST_NUMBERS (object)->values); i++)
    if (G_IS_VALUE (&TEST_NUMBERS (object)->values[i]))
      g_value_unset (&TEST_NUMBERS (object)->values[i]);
  G_OBJECT_CLASS (test_numbers_parent_class)->finalize (object);
}

static void
test_numbers_class_init (TestNumbersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->set_property = test_numbers_set_property;
  object_class->get_property = test_numbers_get_property;
  object_class->finalize = test_numbers_finalize;
  g_object_class_install_property (object_class, 1, g_param_spec_int ("int", NULL, NULL, G_MININT, G_MAXINT, 0, rw));
  g_object_class_install_property (object_class, 2, g_param_spec_uint ("uint", NULL, NULL, 0, G_MAXUINT, 0, rw));
  g_object_class_install_property (object_class, 3, g_param_spec_int64 ("int64", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw));
  g_object_class_install_property (object_class, 4, g_param_spec_uint64 ("uint64", NULL, NULL, 0, G_MAXUINT64, 0, rw));
  g_object_class_install_property (object_class, 5, g_param_spec_uchar ("uchar", NULL, NULL, 0, G_MAXUINT8, 0, rw));
  g_object_class_install_property (object_class, 6, g_param_spec_float ("float", NULL, NULL, -G_MAXFLOAT, G_MAXFLOAT, 0, rw));
  g_object_class_install_property (object_class, 7, g_param_spec_int ("percent", NULL, NULL, 0, 100, 0, rw));
  g_object_class_install_property (object_class, 8, g_param_spec_string ("string", NULL, NULL, "default", rw));
  g_object_class_install_property (object_class, 9, g_param_spec_boxed ("strv", NULL, NULL, G_TYPE_STRV, rw));
  g_object_class_install_property (object_class, 10, g_param_spec_variant ("variant", NULL, NULL, G_VARIANT_TYPE_ANY, NULL, rw));
  g_object_class_install_property (object_class, 11, g_param_spec_object ("object", NULL, NULL, G_TYPE_OBJECT, rw));
}

static void test_numbers_init (TestNumbers *self) { }

static GParamSpec *
numbers_pspec (const char *name)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (TEST_TYPE_NUMBERS);

  return g_object_class_find_property (G_OBJECT_CLASS (klass), name);
}

/* Gets a TestNumbers with @name set from @value: NULL when refused. */
static TestNumbers *
get_numbers (HsRegistry *registry, const char *name, const GValue *value, GError **error)
{
  const char *names[] = { name };

  return hs_registry_get_with_properties (registry, TEST_TYPE_NUMBERS, NULL, 1, names, value, error);
}

/* SPEC 4: a number is converted to a property's type only when the
 * property can hold it: never wrapped, truncated or clamped. */
static void
test_props_numbers_in_range (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  struct { const char *name; GType type; gint64 s; guint64 u; double d; gboolean ok; } cases[] = {
    /* Refused: out of the target type's range, or not an integer. */
    { "int", G_TYPE_INT64, G_GINT64_CONSTANT (4294967301), 0, 0, FALSE },   /* 2^32 + 5 */
    { "int", G_TYPE_UINT64, 0, G_MAXUINT64, 0, FALSE },
    { "int", G_TYPE_DOUBLE, 0, 0, NAN, FALSE },
    { "int", G_TYPE_DOUBLE, 0, 0, INFINITY, FALSE },
    { "int", G_TYPE_DOUBLE, 0, 0, 1e300, FALSE },
    { "int", G_TYPE_DOUBLE, 0, 0, 1099511627776.0, FALSE },                 /* 2^40 */
    { "int", G_TYPE_DOUBLE, 0, 0, 1.5, FALSE },
    { "uint", G_TYPE_INT, -1, 0, 0, FALSE },
    { "uint", G_TYPE_DOUBLE, 0, 0, -1, FALSE },
    { "uint64", G_TYPE_INT64, -1, 0, 0, FALSE },
    { "uint64", G_TYPE_DOUBLE, 0, 0, 18446744073709551616.0, FALSE },       /* 2^64 */
    { "int64", G_TYPE_UINT64, 0, G_MAXUINT64, 0, FALSE },
    { "int64", G_TYPE_DOUBLE, 0, 0, 9223372036854775808.0, FALSE },         /* 2^63 */
    { "uchar", G_TYPE_INT, 256, 0, 0, FALSE },
    { "float", G_TYPE_DOUBLE, 0, 0, 1e300, FALSE },
    { "percent", G_TYPE_INT64, 101, 0, 0, FALSE },
    { "percent", G_TYPE_DOUBLE, 0, 0, -1, FALSE },
    /* Taken: exactly representable and in range. */
    { "int", G_TYPE_INT64, G_MININT, 0, 0, TRUE },
    { "int", G_TYPE_UINT64, 0, G_MAXINT, 0, TRUE },
    { "int", G_TYPE_DOUBLE, 0, 0, -2147483648.0, TRUE },
    { "uint", G_TYPE_DOUBLE, 0, 0, 4294967295.0, TRUE },
    { "uint64", G_TYPE_INT64, G_MAXINT64, 0, 0, TRUE },
    { "int64", G_TYPE_DOUBLE, 0, 0, -9223372036854775808.0, TRUE },
    { "uchar", G_TYPE_INT, 255, 0, 0, TRUE },
    { "float", G_TYPE_DOUBLE, 0, 0, 0.1, TRUE },
    { "float", G_TYPE_INT64, 7, 0, 0, TRUE },
    { "percent", G_TYPE_DOUBLE, 0, 0, 100, TRUE },
  };

  hs_registry_register_type (registry, TEST_TYPE_NUMBERS, G_TYPE_INVALID, G_TYPE_INVALID, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_auto(GValue) got = G_VALUE_INIT;
      g_auto(GValue) wanted = G_VALUE_INIT;
      g_autoptr(GError) error = NULL;
      g_autoptr(TestNumbers) numbers = NULL;
      GParamSpec *pspec = numbers_pspec (cases[i].name);

      g_value_init (&value, cases[i].type);
      if (cases[i].type == G_TYPE_INT64)
        g_value_set_int64 (&value, cases[i].s);
      else if (cases[i].type == G_TYPE_INT)
        g_value_set_int (&value, (int) cases[i].s);
      else if (cases[i].type == G_TYPE_UINT64)
        g_value_set_uint64 (&value, cases[i].u);
      else
        g_value_set_double (&value, cases[i].d);

      numbers = get_numbers (registry, cases[i].name, &value, &error);
      g_test_message ("case %u: %s", i, error != NULL ? error->message : "taken");
      if (!cases[i].ok)
        {
          g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
          g_assert_nonnull (strstr (error->message, cases[i].name));
          g_assert_nonnull (strstr (error->message, "TestNumbers"));
          g_assert_null (numbers);
          continue;
        }

      g_assert_no_error (error);
      g_value_init (&got, pspec->value_type);
      g_object_get_property (G_OBJECT (numbers), cases[i].name, &got);
      g_value_init (&wanted, pspec->value_type);
      g_assert_true (g_value_transform (&value, &wanted));
      g_assert_cmpint (g_param_values_cmp (pspec, &got, &wanted), ==, 0);
    }
}

/* SPEC 4: an uninitialized GValue is refused as a prop, without a
 * critical. */
static void
test_props_uninitialized (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  GValue value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  TestNumbers *numbers;

  hs_registry_register_type (registry, TEST_TYPE_NUMBERS, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  numbers = get_numbers (registry, "int", &value, &error);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
  g_assert_nonnull (strstr (error->message, "“int”"));
  g_assert_null (numbers);
}

/* SPEC 4: a NULL pointer value (JavaScript's null) is taken by every
 * property of a pointer-like type, as NULL. */
static void
test_props_null_pointer (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  const char *names[] = { "string", "strv", "variant", "object" };

  hs_registry_register_type (registry, TEST_TYPE_NUMBERS, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_autoptr(GError) error = NULL;
      g_autoptr(TestNumbers) numbers = NULL;
      g_auto(GValue) got = G_VALUE_INIT;
      GParamSpec *pspec = numbers_pspec (names[i]);

      g_value_init (&value, G_TYPE_POINTER);
      numbers = get_numbers (registry, names[i], &value, &error);
      g_assert_no_error (error);
      g_value_init (&got, pspec->value_type);
      g_object_get_property (G_OBJECT (numbers), names[i], &got);
      g_assert_null (got.data[0].v_pointer);
    }
}

/* An interface with a property, and a class that implements it. */
#define TEST_TYPE_NAMED (test_named_get_type ())
G_DECLARE_INTERFACE (TestNamed, test_named, TEST, NAMED, GObject)
struct _TestNamedInterface { GTypeInterface g_iface; };
G_DEFINE_INTERFACE (TestNamed, test_named, G_TYPE_OBJECT)

static void
test_named_default_init (TestNamedInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

#define TEST_TYPE_NAMED_THING (test_named_thing_get_type ())
G_DECLARE_FINAL_TYPE (TestNamedThing, test_named_thing, TEST, NAMED_THING, GObject)
struct _TestNamedThing { GObject parent_instance; char *name; };
static void test_named_thing_iface_init (TestNamedInterface *iface) { }
G_DEFINE_FINAL_TYPE_WITH_CODE (TestNamedThing, test_named_thing, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TEST_TYPE_NAMED, test_named_thing_iface_init))

static void
test_named_thing_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  g_free (TEST_NAMED_THING (object)->name);
  TEST_NAMED_THING (object)->name = g_value_dup_string (value);
}

static void
test_named_thing_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_string (value, TEST_NAMED_THING (object)->name);
}

static void
test_named_thing_finalize (GObject *object)
{
  g_free (TEST_NAMED_THING (object)->name);
  G_OBJECT_CLASS (test_named_thing_parent_class)->finalize (object);
}

static void
test_named_thing_class_init (TestNamedThingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = test_named_thing_set_property;
  object_class->get_property = test_named_thing_get_property;
  object_class->finalize = test_named_thing_finalize;
  g_object_class_override_property (object_class, 1, "name");
}

static void test_named_thing_init (TestNamedThing *self) { }

static GObject *
named_factory (HsRegistry *registry, GObject *context, guint n, const char **names,
               const GValue *values, gpointer user_data, GError **error)
{
  return g_object_new_with_properties (TEST_TYPE_NAMED_THING, n, names, values);
}

/* hs_registry_get_with() collects its values for what wins a get with
 * props: not a singleton, and for a factory the kind's own properties,
 * also an interface's. */
static void
test_get_with_collects_for_the_winner (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) factories = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) singleton = g_object_new (TEST_TYPE_CUSTOMER, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) greeting = NULL;
  g_autoptr(GObject) named = NULL;
  g_autofree char *salutation = NULL;
  g_autofree char *name = NULL;
  GObject *none;

  /* A singleton of a kind without the property, and a type with it. */
  hs_registry_register_type (registry, TEST_TYPE_GREETING, G_TYPE_OBJECT, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  hs_registry_register_instance (registry, singleton, G_TYPE_OBJECT, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  greeting = hs_registry_get_with (registry, G_TYPE_OBJECT, NULL, &error,
                                   "salutation", "Hello Prop", NULL);
  g_assert_no_error (error);
  g_object_get (greeting, "salutation", &salutation, NULL);
  g_assert_cmpstr (salutation, ==, "Hello Prop");

  /* A factory of an interface kind: the interface's property. */
  hs_registry_register_factory (factories, TEST_TYPE_NAMED, G_TYPE_INVALID, named_factory, NULL, NULL, &error);
  g_assert_no_error (error);
  named = hs_registry_get_with (factories, TEST_TYPE_NAMED, NULL, &error, "name", "Ada", NULL);
  g_assert_no_error (error);
  g_object_get (named, "name", &name, NULL);
  g_assert_cmpstr (name, ==, "Ada");

  /* A name the kind does not have: refused, naming it. */
  none = hs_registry_get_with (factories, TEST_TYPE_NAMED, NULL, &error, "colour", "red", NULL);
  g_assert_null (none);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
  g_assert_nonnull (strstr (error->message, "colour"));
  g_assert_nonnull (strstr (error->message, "TestNamed"));
  g_clear_error (&error);

  /* Nothing answers: not found. */
  none = hs_registry_get_with (factories, TEST_TYPE_GREETING, NULL, &error, "salutation", "x", NULL);
  g_assert_null (none);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
}

static void
test_initable (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) ok = NULL;
  GObject *failed;
  gint alive;

  hs_registry_register_type (registry, TEST_TYPE_FAILING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);

  ok = hs_registry_get (registry, TEST_TYPE_FAILING, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);
  alive = g_atomic_int_get (&test_failing_alive);

  failed = hs_registry_get_with (registry, TEST_TYPE_FAILING, NULL, &error, "fail", TRUE, NULL);
  g_assert_null (failed);
  /* The init error, its own domain and code. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "init refused");
  /* The object that failed is gone. */
  g_assert_cmpint (g_atomic_int_get (&test_failing_alive), ==, alive);
}

static GObject *
floating_factory (HsRegistry *registry, GObject *context, guint n, const char **names,
                  const GValue *values, gpointer user_data, GError **error)
{
  return g_object_new (TEST_TYPE_FLOATING, NULL);
}

static void
test_floating_sunk (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) other = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GObject *object;

  hs_registry_register_type (registry, TEST_TYPE_FLOATING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  object = hs_registry_get (registry, TEST_TYPE_FLOATING, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_object_is_floating (object));
  g_assert_cmpuint (object->ref_count, ==, 1);
  g_object_unref (object);

  hs_registry_register_factory (other, TEST_TYPE_FLOATING, G_TYPE_INVALID, floating_factory, NULL, NULL, &error);
  object = hs_registry_get (other, TEST_TYPE_FLOATING, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_object_is_floating (object));
  g_assert_cmpuint (object->ref_count, ==, 1);
  g_object_unref (object);
}

/* A type that sinks itself while it is constructed and keeps that
 * reference, as a GtkWindow does in its list of toplevels. */
#define TEST_TYPE_SELF_SUNK (test_self_sunk_get_type ())
G_DECLARE_FINAL_TYPE (TestSelfSunk, test_self_sunk, TEST, SELF_SUNK, GInitiallyUnowned)
struct _TestSelfSunk { GInitiallyUnowned parent_instance; };
G_DEFINE_FINAL_TYPE (TestSelfSunk, test_self_sunk, G_TYPE_INITIALLY_UNOWNED)

static GPtrArray *self_sunk_toplevels;

static void
test_self_sunk_constructed (GObject *object)
{
  G_OBJECT_CLASS (test_self_sunk_parent_class)->constructed (object);
  g_ptr_array_add (self_sunk_toplevels, g_object_ref_sink (object));
}

static void test_self_sunk_class_init (TestSelfSunkClass *klass) { G_OBJECT_CLASS (klass)->constructed = test_self_sunk_constructed; }
static void test_self_sunk_init (TestSelfSunk *self) { }

/* Holds a TestSelfSunk in a construct-only property: it gets one injected. */
#define TEST_TYPE_SUNK_HOLDER (test_sunk_holder_get_type ())
G_DECLARE_FINAL_TYPE (TestSunkHolder, test_sunk_holder, TEST, SUNK_HOLDER, GObject)
struct _TestSunkHolder { GObject parent_instance; GObject *held; };
G_DEFINE_FINAL_TYPE (TestSunkHolder, test_sunk_holder, G_TYPE_OBJECT)

static void
test_sunk_holder_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TEST_SUNK_HOLDER (object)->held = g_value_dup_object (value);
}

static void
test_sunk_holder_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, TEST_SUNK_HOLDER (object)->held);
}

static void
test_sunk_holder_finalize (GObject *object)
{
  g_clear_object (&TEST_SUNK_HOLDER (object)->held);
  G_OBJECT_CLASS (test_sunk_holder_parent_class)->finalize (object);
}

static void
test_sunk_holder_class_init (TestSunkHolderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = test_sunk_holder_set_property;
  object_class->get_property = test_sunk_holder_get_property;
  object_class->finalize = test_sunk_holder_finalize;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("held", NULL, NULL, TEST_TYPE_SELF_SUNK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void test_sunk_holder_init (TestSunkHolder *self) { }

/* SPEC 4 Ownership: an object that sank itself while constructed is still
 * returned with a reference of the caller's, and injected with one of the
 * object it is injected into. */
static void
test_self_sunk_owned (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  TestSunkHolder *holder;
  GObject *object;

  self_sunk_toplevels = g_ptr_array_new_with_free_func (g_object_unref);

  hs_registry_register_type (registry, TEST_TYPE_SELF_SUNK, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  hs_registry_register_type (registry, TEST_TYPE_SUNK_HOLDER, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  object = hs_registry_get (registry, TEST_TYPE_SELF_SUNK, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_object_is_floating (object));
  /* The list's and the caller's. */
  g_assert_cmpuint (object->ref_count, ==, 2);
  g_object_unref (object);
  g_assert_cmpuint (object->ref_count, ==, 1);

  holder = hs_registry_get (registry, TEST_TYPE_SUNK_HOLDER, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (holder->held);
  /* The list's and the holder's. */
  g_assert_cmpuint (holder->held->ref_count, ==, 2);
  g_object_unref (holder);

  g_assert_cmpuint (self_sunk_toplevels->len, ==, 2);
  for (guint i = 0; i < self_sunk_toplevels->len; i++)
    g_assert_cmpuint (G_OBJECT (self_sunk_toplevels->pdata[i])->ref_count, ==, 1);
  g_clear_pointer (&self_sunk_toplevels, g_ptr_array_unref);
}

/* Caches */

/* A get walks up past registries whose filter of kinds (one bit per kind,
 * shared by kinds whose bits collide) says they hold nothing of the kind:
 * taking one kind away must not hide another with the same bit. */
static void
test_kind_filter_shared_bit (void)
{
  GType types[65];
  GType first = G_TYPE_INVALID, second = G_TYPE_INVALID;
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) middle = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) leaf = hs_registry_new (middle, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) a = NULL;
  g_autoptr(GObject) b = NULL;
  GObject *got;
  guint id_a, id_b;

  /* 65 kinds in 64 bits: two share one. */
  for (guint i = 0; i < G_N_ELEMENTS (types) && second == G_TYPE_INVALID; i++)
    {
      g_autofree char *name = g_strdup_printf ("TestKindFilter%u", i);

      types[i] = g_type_register_static_simple (G_TYPE_OBJECT, name, sizeof (GObjectClass), NULL,
                                                sizeof (GObject), NULL, 0);
      for (guint j = 0; j < i && second == G_TYPE_INVALID; j++)
        if (_hs_index_kind_bit_index (types[j]) == _hs_index_kind_bit_index (types[i]))
          {
            first = types[j];
            second = types[i];
          }
    }
  g_assert_true (second != G_TYPE_INVALID);

  a = g_object_new (first, NULL);
  b = g_object_new (second, NULL);
  id_a = hs_registry_register_instance (middle, a, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  id_b = hs_registry_register_instance (middle, b, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  g_assert_true (hs_registry_unregister (middle, id_a));
  got = hs_registry_get (leaf, second, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (got == b);
  g_object_unref (got);
  g_assert_null (hs_registry_get (leaf, first, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Both gone, then one back. */
  g_assert_true (hs_registry_unregister (middle, id_b));
  g_assert_null (hs_registry_get (leaf, second, NULL, &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  hs_registry_register_instance (middle, a, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
  got = hs_registry_get (leaf, first, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (got == a);
  g_object_unref (got);
}

static void
test_cache_follows_ancestors (void)
{
  g_autoptr(GObject) french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autoptr(HsRegistry) grandparent = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) parent = hs_registry_new (grandparent, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (parent, french);
  guint g1, g2, p1, c1;

  g1 = hs_registry_register_type (grandparent, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  /* Warm the child's and the parent's caches. */
  assert_answers (child, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);
  assert_answers (child, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);
  assert_answers (parent, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);
  assert_answers (child, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);

  /* The grandparent changes. */
  g2 = hs_registry_register_type (grandparent, TEST_TYPE_ANOTHER_GREETING, G_TYPE_INVALID,
                                  TEST_TYPE_FRENCH_CUSTOMER, NULL);
  assert_answers (child, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);
  assert_answers (parent, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);
  hs_registry_register_type (grandparent, TEST_TYPE_CUSTOMER, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  assert_answers (child, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);

  /* The parent changes. */
  p1 = hs_registry_register_type (parent, TEST_TYPE_GREETING, TEST_TYPE_POLITE, G_TYPE_INVALID, NULL);
  assert_answers (child, TEST_TYPE_POLITE, NULL, TEST_TYPE_GREETING);
  hs_registry_unregister (parent, p1);
  assert_answers (child, TEST_TYPE_POLITE, NULL, TEST_TYPE_ANOTHER_GREETING);

  /* The child itself changes (it never had children). */
  c1 = hs_registry_register_type (child, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  assert_answers (child, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);
  hs_registry_unregister (child, c1);
  assert_answers (child, TEST_TYPE_GREETING, NULL, TEST_TYPE_ANOTHER_GREETING);

  /* Unregistering in the grandparent. */
  hs_registry_unregister (grandparent, g2);
  assert_answers (child, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);
  hs_registry_unregister (grandparent, g1);
  assert_answers (child, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);
  assert_answers (parent, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);
}

/* SPEC 5 */

static void
test_error_enum (void)
{
  const struct { int value; const char *name; const char *nick; } members[] = {
    { HS_REGISTRY_ERROR_NOT_FOUND, "HS_REGISTRY_ERROR_NOT_FOUND", "not-found" },
    { HS_REGISTRY_ERROR_INVALID_REGISTRATION, "HS_REGISTRY_ERROR_INVALID_REGISTRATION", "invalid-registration" },
    { HS_REGISTRY_ERROR_INVALID_PROPERTY, "HS_REGISTRY_ERROR_INVALID_PROPERTY", "invalid-property" },
    { HS_REGISTRY_ERROR_NO_CONTEXT, "HS_REGISTRY_ERROR_NO_CONTEXT", "no-context" },
    { HS_REGISTRY_ERROR_CYCLE, "HS_REGISTRY_ERROR_CYCLE", "cycle" },
    { HS_REGISTRY_ERROR_FACTORY_FAILED, "HS_REGISTRY_ERROR_FACTORY_FAILED", "factory-failed" },
    { HS_REGISTRY_ERROR_TOO_DEEP, "HS_REGISTRY_ERROR_TOO_DEEP", "too-deep" },
    { HS_REGISTRY_ERROR_CLOSED, "HS_REGISTRY_ERROR_CLOSED", "closed" },
    { HS_REGISTRY_ERROR_NOT_SINGLETON, "HS_REGISTRY_ERROR_NOT_SINGLETON", "not-singleton" },
    { HS_REGISTRY_ERROR_NEEDS_ASYNC, "HS_REGISTRY_ERROR_NEEDS_ASYNC", "needs-async" },
  };
  GEnumClass *klass = g_type_class_ref (HS_TYPE_REGISTRY_ERROR);

  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (members));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      GEnumValue *v = g_enum_get_value (klass, members[i].value);

      g_assert_cmpint (members[i].value, ==, (int) i);
      g_assert_nonnull (v);
      g_assert_cmpstr (v->value_name, ==, members[i].name);
      g_assert_cmpstr (v->value_nick, ==, members[i].nick);
    }
  g_type_class_unref (klass);

  g_assert_cmpstr (g_quark_to_string (HS_REGISTRY_ERROR), ==, "hs-registry-error-quark");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/registry/new/parent-context", test_new_parent_context);
  g_test_add_func ("/registry/new/by-properties", test_new_by_properties);
  g_test_add_func ("/registry/new/keeps-alive", test_keeps_parent_and_context_alive);
  g_test_add_func ("/registry/new/child-context", test_child_context_read_once);
  g_test_add_func ("/registry/register/type", test_register_type_new_each_time);
  g_test_add_func ("/registry/register/instance", test_register_instance_singleton);
  g_test_add_func ("/registry/register/factory", test_register_factory);
  g_test_add_func ("/registry/register/factory-failures", test_factory_failures);
  g_test_add_func ("/registry/register/kind-given", test_kind_given);
  g_test_add_func ("/registry/register/kind-omitted", test_kind_omitted);
  g_test_add_func ("/registry/register/kind-omitted-base-types", test_kind_omitted_base_types);
  g_test_add_func ("/registry/register/factory-needs-kind", test_factory_needs_kind);
  g_test_add_func ("/registry/register/bad-input", test_bad_registrations);
  g_test_add_func ("/registry/register/twice", test_register_twice);
  g_test_add_func ("/registry/register/unregister", test_unregister);
  g_test_add_func ("/registry/register/unregister-many", test_unregister_many);
  g_test_add_func ("/registry/get/seed-story", test_seed_story);
  g_test_add_func ("/registry/get/context-needs-context", test_context_needs_context);
  g_test_add_func ("/registry/get/nearest-registry-decides", test_nearest_registry_decides);
  g_test_add_func ("/registry/get/context-specificity", test_context_specificity);
  g_test_add_func ("/registry/get/singletons-then-recent", test_singletons_first_then_recent);
  g_test_add_func ("/registry/get/order-independent", test_order_independent);
  g_test_add_func ("/registry/get/not-implicit", test_not_constructed_implicitly);
  g_test_add_func ("/registry/get/lookup", test_lookup);
  g_test_add_func ("/registry/props/set", test_props);
  g_test_add_func ("/registry/props/bad", test_bad_props);
  g_test_add_func ("/registry/props/numbers-in-range", test_props_numbers_in_range);
  g_test_add_func ("/registry/props/uninitialized", test_props_uninitialized);
  g_test_add_func ("/registry/props/null-pointer", test_props_null_pointer);
  g_test_add_func ("/registry/props/get-with-collects-for-the-winner", test_get_with_collects_for_the_winner);
  g_test_add_func ("/registry/props/initable", test_initable);
  g_test_add_func ("/registry/get/floating", test_floating_sunk);
  g_test_add_func ("/registry/get/self-sunk-owned", test_self_sunk_owned);
  g_test_add_func ("/registry/cache/ancestors", test_cache_follows_ancestors);
  g_test_add_func ("/registry/cache/kind-filter-shared-bit", test_kind_filter_shared_bit);
  g_test_add_func ("/registry/errors/enum", test_error_enum);

  return g_test_run ();
}
