/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Injection (SPEC section 4): automatic injection of object properties,
 * the building registry, props, annotations, cycles and failing
 * dependencies.
 */
#include "hs-test-types.h"

/* "Bags": GObject types made at run time whose properties simply store
 * their values, so that each test can declare the shapes it needs. */

typedef struct { GObject parent_instance; GHashTable *values; } TestBag;
typedef struct { GObjectClass parent_class; } TestBagClass;
typedef void (*InstallFunc) (GObjectClass *klass);

static GType test_bag_base;
static gint bags_alive;

static void
bag_value_free (gpointer data)
{
  g_value_unset (data);
  g_free (data);
}

static void
bag_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestBag *bag = (TestBag *) object;
  GValue *copy = g_new0 (GValue, 1);

  g_value_init (copy, pspec->value_type);
  g_value_copy (value, copy);
  g_hash_table_replace (bag->values, pspec, copy);
}

static void
bag_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestBag *bag = (TestBag *) object;
  GValue *stored = g_hash_table_lookup (bag->values, pspec);

  if (stored != NULL)
    g_value_copy (stored, value);
  else
    g_param_value_set_default (pspec, value);
}

static void
bag_finalize (GObject *object)
{
  g_hash_table_unref (((TestBag *) object)->values);
  g_atomic_int_add (&bags_alive, -1);
  G_OBJECT_CLASS (g_type_class_peek (G_TYPE_OBJECT))->finalize (object);
}

static void
bag_class_init (gpointer g_class, gpointer class_data)
{
  GObjectClass *object_class = g_class;

  /* GObject does not let a class inherit its parent's property accessors. */
  object_class->set_property = bag_set_property;
  object_class->get_property = bag_get_property;
  object_class->finalize = bag_finalize;
  if (class_data != NULL)
    ((InstallFunc) class_data) (object_class);
}

static void
bag_instance_init (GTypeInstance *instance, gpointer g_class)
{
  ((TestBag *) instance)->values = g_hash_table_new_full (NULL, NULL, NULL, bag_value_free);
  g_atomic_int_inc (&bags_alive);
}

static GType
bag_type (const char *name, GType parent, InstallFunc install)
{
  GTypeInfo info = { sizeof (TestBagClass), NULL, NULL, bag_class_init, NULL,
                     (gpointer) install, sizeof (TestBag), 0, bag_instance_init, NULL };

  if (test_bag_base == G_TYPE_INVALID)
    {
      info.class_data = NULL;
      test_bag_base = g_type_register_static (G_TYPE_OBJECT, "TestBag", &info, 0);
      info.class_data = (gpointer) install;
    }
  if (parent == G_TYPE_INVALID)
    parent = test_bag_base;
  info.instance_init = NULL;
  return g_type_register_static (parent, name, &info, 0);
}

static GValue *
bag_get (gpointer object, const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);

  g_assert_nonnull (pspec);
  return g_hash_table_lookup (((TestBag *) object)->values, pspec);
}

/* The stored object of property @name, or NULL if it was never set. */
static GObject *
bag_object (gpointer object, const char *name)
{
  GValue *value = bag_get (object, name);

  return value != NULL ? g_value_get_object (value) : NULL;
}

/* The types of this suite. */
static GType greeter_type, greeter_child_type, alpha_type, beta_type, self_ref_type;
static GType service_type, needs_broken_type, broken_type, polite_user_type, late_type;
static GType widgetish_type;

static guint next_prop_id = 1;

static void
add_prop (GObjectClass *klass, GParamSpec *pspec)
{
  g_object_class_install_property (klass, next_prop_id++, pspec);
}

#define RW (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS)
/* Dependencies are construct-only properties, the GObject idiom: only they
 * and the annotated properties are injected. */
#define DEP (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)

static void
install_greeter (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("greeting", NULL, NULL, TEST_TYPE_GREETING, DEP));
  add_prop (klass, g_param_spec_object ("customer", NULL, NULL, TEST_TYPE_CUSTOMER, DEP));
  add_prop (klass, g_param_spec_object ("registry", NULL, NULL, HS_TYPE_REGISTRY, DEP));
  add_prop (klass, g_param_spec_string ("name", NULL, NULL, "nobody", RW));
  add_prop (klass, g_param_spec_string ("text", NULL, NULL, NULL, RW));
  add_prop (klass, g_param_spec_object ("skipped", NULL, NULL, TEST_TYPE_CUSTOMER, DEP));
  add_prop (klass, g_param_spec_int ("count", NULL, NULL, 0, 100, 7, RW));
  add_prop (klass, g_param_spec_object ("readonly", NULL, NULL, TEST_TYPE_CUSTOMER,
                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /* Annotations from class_init, after the properties are installed. */
  g_assert_true (hs_object_class_inject_context (klass, "name", "first-name", NULL));
  g_assert_true (hs_object_class_inject_skip (klass, "skipped", NULL));
}

static void
install_alpha (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("beta", NULL, NULL, beta_type, DEP));
}

static void
install_beta (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("alpha", NULL, NULL, alpha_type, DEP));
}

static void
install_self_ref (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("self", NULL, NULL, self_ref_type, DEP));
}

static void
install_service (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("greeter", NULL, NULL, greeter_type, DEP));
}

static void
install_needs_broken (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("broken", NULL, NULL, broken_type, DEP));
}

static void
install_polite_user (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("polite", NULL, NULL, TEST_TYPE_POLITE, DEP));
}

static void
install_late (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("greeting", NULL, NULL, TEST_TYPE_GREETING, DEP));
}

/* Like a widget: read-write object properties that are state, not
 * dependencies ("parent"), one marked auto ("helper"), one with the
 * context ("owner"), a construct-only dependency ("greeting") and a
 * deprecated construct-only one ("old"). */
static void
install_widgetish (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("parent", NULL, NULL, TEST_TYPE_GREETING, RW));
  add_prop (klass, g_param_spec_object ("helper", NULL, NULL, TEST_TYPE_GREETING, RW));
  add_prop (klass, g_param_spec_object ("owner", NULL, NULL, TEST_TYPE_CUSTOMER, RW));
  add_prop (klass, g_param_spec_object ("greeting", NULL, NULL, TEST_TYPE_GREETING, DEP));
  add_prop (klass, g_param_spec_object ("old", NULL, NULL, TEST_TYPE_GREETING,
                                        DEP | G_PARAM_DEPRECATED));
  add_prop (klass, g_param_spec_object ("registry", NULL, NULL, HS_TYPE_REGISTRY, RW));
  add_prop (klass, g_param_spec_int ("count", NULL, NULL, 0, 100, 7, RW));
  g_assert_true (hs_object_class_inject_auto (klass, "helper", NULL));
  g_assert_true (hs_object_class_inject_auto (klass, "registry", NULL));
  g_assert_true (hs_object_class_inject_context (klass, "owner", NULL, NULL));
}

/* Broken: a GInitable whose init always fails. */
static gboolean
broken_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "broken on purpose");
  return FALSE;
}

static void
broken_initable_iface_init (gpointer g_iface, gpointer data)
{
  ((GInitableIface *) g_iface)->init = broken_init;
}

static void
register_types (void)
{
  const GInterfaceInfo initable = { broken_initable_iface_init, NULL, NULL };

  greeter_type = bag_type ("TestGreeter", G_TYPE_INVALID, install_greeter);
  greeter_child_type = bag_type ("TestGreeterChild", greeter_type, NULL);
  alpha_type = bag_type ("TestAlpha", G_TYPE_INVALID, install_alpha);
  beta_type = bag_type ("TestBeta", G_TYPE_INVALID, install_beta);
  self_ref_type = bag_type ("TestSelfRef", G_TYPE_INVALID, install_self_ref);
  service_type = bag_type ("TestService", G_TYPE_INVALID, install_service);
  broken_type = bag_type ("TestBroken", G_TYPE_INVALID, NULL);
  g_type_add_interface_static (broken_type, G_TYPE_INITABLE, &initable);
  needs_broken_type = bag_type ("TestNeedsBroken", G_TYPE_INVALID, install_needs_broken);
  polite_user_type = bag_type ("TestPoliteUser", G_TYPE_INVALID, install_polite_user);
  late_type = bag_type ("TestLate", G_TYPE_INVALID, install_late);
  widgetish_type = bag_type ("TestWidgetish", G_TYPE_INVALID, install_widgetish);
}

/* Registers the seed story in @root: Greeting, AnotherGreeting for French
 * customers, and the Greeter. */
static void
setup_story (HsRegistry *root)
{
  g_autoptr(GError) error = NULL;

  hs_registry_register_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                             TEST_TYPE_FRENCH_CUSTOMER, &error);
  hs_registry_register_type (root, greeter_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);
}

static void
test_automatic (void)
{
  g_autoptr(GObject) jill = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, "first-name", "Marie", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) r1 = NULL;
  g_autoptr(HsRegistry) r2 = NULL;
  g_autoptr(GObject) g1 = NULL;
  g_autoptr(GObject) g2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  int count;

  setup_story (root);
  r1 = hs_registry_new (root, jill);
  r2 = hs_registry_new (root, marie);

  g1 = hs_registry_get (r1, greeter_type, NULL, &error);
  g_assert_no_error (error);
  g2 = hs_registry_get (r2, greeter_type, NULL, &error);
  g_assert_no_error (error);

  /* Object properties: from the registry, for the lookup context. */
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (bag_object (g1, "greeting")), ==, "TestGreeting");
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (bag_object (g2, "greeting")), ==, "TestAnotherGreeting");
  /* Nothing registered for Customer: the lookup context. */
  g_assert_true (bag_object (g1, "customer") == jill);
  g_assert_true (bag_object (g2, "customer") == marie);
  /* HsRegistry: the building registry. */
  g_assert_true (bag_object (g1, "registry") == G_OBJECT (r1));
  /* The annotation made in class_init. */
  g_object_get (g2, "name", &name, "count", &count, NULL);
  g_assert_cmpstr (name, ==, "Marie");
  /* Skipped and non-object properties keep their defaults, untouched. */
  g_assert_null (bag_object (g1, "skipped"));
  g_assert_null (bag_get (g1, "count"));
  g_assert_cmpint (count, ==, 7);
}

static void
test_no_context_keeps_default (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) service = NULL;
  g_autoptr(GError) error = NULL;

  /* Greeter's "name" wants the context: without one, NO_CONTEXT. */
  setup_story (root);
  service = hs_registry_get (root, greeter_type, NULL, &error);
  g_assert_null (service);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NO_CONTEXT);
  g_assert_nonnull (strstr (error->message, "“name”"));
  g_assert_nonnull (strstr (error->message, "TestGreeter"));
  g_clear_error (&error);

  /* A type whose object property finds nothing and has no context keeps
   * its default. */
  hs_registry_register_type (root, polite_user_type, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  g_clear_object (&service);
  {
    g_autoptr(HsRegistry) empty = hs_registry_new (NULL, NULL);

    hs_registry_register_type (empty, polite_user_type, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
    service = hs_registry_get (empty, polite_user_type, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (bag_object (service, "polite"));
  }
}

static void
test_building_registry (void)
{
  g_autoptr(GObject) jill = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) child = hs_registry_new (root, jill);
  g_autoptr(GObject) local = g_object_new (TEST_TYPE_GREETING, "salutation", "Local", NULL);
  g_autoptr(GObject) greeter = NULL;
  g_autoptr(GError) error = NULL;

  setup_story (root);
  /* The child overrides Greeting; Greeter itself is in the root. */
  hs_registry_register_instance (child, local, G_TYPE_INVALID, G_TYPE_INVALID, &error);

  greeter = hs_registry_get (child, greeter_type, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bag_object (greeter, "greeting") == local);
  g_assert_true (bag_object (greeter, "registry") == G_OBJECT (child));
  g_assert_true (bag_object (greeter, "customer") == jill);
}

static void
test_props_win (void)
{
  g_autoptr(GObject) jill = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(GObject) mine = g_object_new (TEST_TYPE_GREETING, NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, jill);
  g_autoptr(GObject) greeter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  setup_story (root);
  greeter = hs_registry_get_with (root, greeter_type, NULL, &error,
                                  "greeting", mine, "name", "Given", NULL);
  g_assert_no_error (error);
  g_assert_true (bag_object (greeter, "greeting") == mine);
  g_object_get (greeter, "name", &name, NULL);
  g_assert_cmpstr (name, ==, "Given");
  /* The others are still injected. */
  g_assert_true (bag_object (greeter, "customer") == jill);
}

static void
test_registered_beats_context (void)
{
  g_autoptr(GObject) jill = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(GObject) other = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Other", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, jill);
  g_autoptr(GObject) greeter = NULL;
  g_autoptr(GError) error = NULL;

  setup_story (root);
  hs_registry_register_instance (root, other, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  greeter = hs_registry_get (root, greeter_type, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bag_object (greeter, "customer") == other);
}

static void
test_interface_property (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) user = NULL;
  g_autoptr(GError) error = NULL;

  hs_registry_register_type (root, TEST_TYPE_ANOTHER_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (root, polite_user_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  user = hs_registry_get (root, polite_user_type, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_ANOTHER_GREETING (bag_object (user, "polite")));
}

static void
test_annotations_runtime (void)
{
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, "first-name", "Marie", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, marie);
  g_autoptr(GObject) greeter = NULL;
  g_autoptr(GObject) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  setup_story (root);
  hs_registry_register_type (root, greeter_child_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);

  /* get (Greeting) with the same context, then its "salutation". */
  g_assert_true (hs_inject_get (greeter_type, "text", TEST_TYPE_GREETING, "salutation", &error));
  g_assert_no_error (error);

  greeter = hs_registry_get (root, greeter_type, NULL, &error);
  g_assert_no_error (error);
  g_object_get (greeter, "text", &text, NULL);
  g_assert_cmpstr (text, ==, "Another Hello");

  /* A subclass inherits its parent's annotations. */
  child = hs_registry_get (root, greeter_child_type, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  g_object_get (child, "text", &text, "name", &name, NULL);
  g_assert_cmpstr (text, ==, "Another Hello");
  g_assert_cmpstr (name, ==, "Marie");

  /* ... and its own annotation wins over its parent's. */
  g_assert_true (hs_inject_skip (greeter_child_type, "text", &error));
  g_clear_object (&child);
  child = hs_registry_get (root, greeter_child_type, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (bag_get (child, "text"));

  /* Context with no attr, on an object property: the context itself. */
  g_assert_true (hs_inject_context (greeter_type, "skipped", NULL, &error));
  g_clear_object (&greeter);
  greeter = hs_registry_get (root, greeter_type, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bag_object (greeter, "skipped") == marie);
  g_assert_true (hs_inject_skip (greeter_type, "skipped", &error));
}

typedef struct
{
  const char *property;
  int         which;   /* 0 context, 1 get, 2 skip */
  GType       kind;
  const char *attr;
  const char *mentions;
} BadAnnotation;

static void
test_bad_annotations (void)
{
  const BadAnnotation cases[] = {
    { "nonexistent", 0, 0, NULL, "“nonexistent”" },
    { "nonexistent", 1, 0, NULL, "“nonexistent”" },
    { "nonexistent", 2, 0, NULL, "“nonexistent”" },
    { "readonly", 0, 0, NULL, "“readonly”" },
    { "readonly", 2, 0, NULL, "“readonly”" },
    { "text", 0, 0, NULL, "“text”" },                       /* a string, no attr */
    { "greeting", 1, TEST_TYPE_CUSTOMER, NULL, "TestCustomer" }, /* cannot hold it */
    { "greeting", 1, G_TYPE_STRING, NULL, "gchararray" },   /* not an object kind */
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean ok;

      g_test_message ("case %u", i);
      if (cases[i].which == 0)
        ok = hs_inject_context (greeter_type, cases[i].property, cases[i].attr, &error);
      else if (cases[i].which == 1)
        ok = hs_inject_get (greeter_type, cases[i].property, cases[i].kind, cases[i].attr, &error);
      else
        ok = hs_inject_skip (greeter_type, cases[i].property, &error);
      g_assert_false (ok);
      g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
      g_clear_error (&error);
    }

  /* Not a GObject class at all. */
  g_assert_false (hs_inject_skip (G_TYPE_INT, "x", &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
}

static void
test_inject_get_not_found (void)
{
  g_autoptr(GObject) jill = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, jill);
  g_autoptr(GObject) greeter = NULL;
  g_autoptr(GError) error = NULL;
  gint alive = g_atomic_int_get (&bags_alive);

  /* Greeter in a registry that has no Greeting: its annotated "text" fails
   * the outer get (unlike the automatic "greeting", which keeps its
   * default). */
  g_assert_true (hs_inject_get (greeter_type, "text", TEST_TYPE_GREETING, "salutation", &error));
  hs_registry_register_type (registry, greeter_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  greeter = hs_registry_get (registry, greeter_type, NULL, &error);
  g_assert_null (greeter);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Cannot inject property “text” of “TestGreeter”"));
  g_assert_nonnull (strstr (error->message, "No kind “TestGreeting” for context “TestCustomer”"));
  g_assert_cmpint (g_atomic_int_get (&bags_alive), ==, alive);
}

static void
test_cycles (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GObject *object;
  gint alive = g_atomic_int_get (&bags_alive);

  hs_registry_register_type (registry, alpha_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (registry, beta_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (registry, self_ref_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  object = hs_registry_get (registry, alpha_type, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "TestAlpha → TestBeta → TestAlpha"));
  g_clear_error (&error);

  object = hs_registry_get (registry, beta_type, NULL, &error);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "TestBeta → TestAlpha → TestBeta"));
  g_clear_error (&error);

  object = hs_registry_get (registry, self_ref_type, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "TestSelfRef → TestSelfRef"));
  g_clear_error (&error);

  /* Nothing half-built was kept. */
  g_assert_cmpint (g_atomic_int_get (&bags_alive), ==, alive);

  /* Breaking the cycle with a prop makes it buildable. */
  {
    g_autoptr(GObject) beta = g_object_new (beta_type, NULL);

    object = hs_registry_get_with (registry, alpha_type, NULL, &error, "beta", beta, NULL);
    g_assert_no_error (error);
    g_assert_true (bag_object (object, "beta") == beta);
    g_object_unref (object);
  }
}

static GObject *
cyclic_factory (HsRegistry *registry, GObject *context, guint n, const char **names,
                const GValue *values, gpointer user_data, GError **error)
{
  /* A factory asking for its own kind. */
  return hs_registry_get (registry, TEST_TYPE_CUSTOMER, context, error);
}

static GType shape_type;

static void
install_square (GObjectClass *klass)
{
  add_prop (klass, g_param_spec_object ("shape", NULL, NULL, shape_type,
                                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

/* A cycle that closes through an ancestor class shows its repeated
 * element: the kind asked, and what the registration builds for it. */
static void
test_cycle_through_ancestor (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GType square_type;
  GObject *object;

  shape_type = bag_type ("TestShape", G_TYPE_INVALID, NULL);
  square_type = bag_type ("TestSquare", shape_type, install_square);
  /* Kind omitted: TestSquare answers for TestShape too. */
  hs_registry_register_type (registry, square_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  object = hs_registry_get (registry, square_type, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "TestSquare → TestShape (TestSquare)"));
}

/* A legitimate chain deeper than the limit is TOO_DEEP, not a cycle: each
 * level is built by a new child registry, so nothing repeats. */
static GObject *
deeper_factory (HsRegistry *registry, GObject *context, guint n, const char **names,
                const GValue *values, gpointer user_data, GError **error)
{
  guint *levels = user_data;
  g_autoptr(HsRegistry) child = NULL;

  if (++*levels >= 300)
    return g_object_new (TEST_TYPE_GREETING, NULL);

  child = hs_registry_new (registry, NULL);
  return hs_registry_get (child, TEST_TYPE_GREETING, NULL, error);
}

static void
test_too_deep (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint levels = 0;
  GObject *object;

  hs_registry_register_factory (registry, TEST_TYPE_GREETING, G_TYPE_INVALID, deeper_factory,
                                &levels, NULL, &error);
  g_assert_no_error (error);

  object = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "256"));
  g_assert_nonnull (strstr (error->message, "TestGreeting"));
  g_assert_cmpuint (levels, ==, 256);
}

static void
test_factory_cycle (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GObject *object;

  hs_registry_register_factory (registry, TEST_TYPE_CUSTOMER, G_TYPE_INVALID,
                                cyclic_factory, NULL, NULL, &error);
  object = hs_registry_get (registry, TEST_TYPE_CUSTOMER, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "TestCustomer → TestCustomer"));
}

static void
test_nested (void)
{
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, "first-name", "Marie", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) request = hs_registry_new (root, marie);
  g_autoptr(GObject) service = NULL;
  g_autoptr(GError) error = NULL;
  GObject *greeter;

  setup_story (root);
  hs_registry_register_type (root, service_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);

  service = hs_registry_get (request, service_type, NULL, &error);
  g_assert_no_error (error);
  greeter = bag_object (service, "greeter");
  g_assert_nonnull (greeter);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (greeter, greeter_type));
  /* Two levels down, still with the request's context. */
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (bag_object (greeter, "greeting")), ==, "TestAnotherGreeting");
  g_assert_true (bag_object (greeter, "customer") == marie);
  g_assert_true (bag_object (greeter, "registry") == G_OBJECT (request));
}

static void
test_context_specific_dependency (void)
{
  g_autoptr(GObject) jill = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, "first-name", "Marie", NULL);
  g_autoptr(GObject) bonjour = g_object_new (TEST_TYPE_GREETING, "salutation", "Bonjour", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) g1 = NULL;
  g_autoptr(GObject) g2 = NULL;
  g_autoptr(GError) error = NULL;

  setup_story (root);
  hs_registry_register_instance (root, bonjour, G_TYPE_INVALID, TEST_TYPE_FRENCH_CUSTOMER, &error);

  /* The context given to get drives the dependencies as well. */
  g1 = hs_registry_get (root, greeter_type, jill, &error);
  g_assert_no_error (error);
  g2 = hs_registry_get (root, greeter_type, marie, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (bag_object (g1, "greeting")), ==, "TestGreeting");
  g_assert_true (bag_object (g2, "greeting") == bonjour);
}

static void
test_failing_dependency (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GObject *object;
  gint alive = g_atomic_int_get (&bags_alive);

  hs_registry_register_type (registry, broken_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (registry, needs_broken_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  object = hs_registry_get (registry, needs_broken_type, NULL, &error);
  g_assert_null (object);
  /* The dependency's own error, with what was being built in front. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_nonnull (strstr (error->message, "Cannot inject property “broken” of “TestNeedsBroken”"));
  g_assert_nonnull (strstr (error->message, "broken on purpose"));
  g_assert_cmpint (g_atomic_int_get (&bags_alive), ==, alive);
}

typedef struct
{
  guint n_properties;
  char *salutation;
} FactorySeen;

static GObject *
greeter_factory (HsRegistry *registry, GObject *context, guint n, const char **names,
                 const GValue *values, gpointer user_data, GError **error)
{
  FactorySeen *seen = user_data;
  g_autoptr(GObject) greeting = NULL;

  seen->n_properties = n;
  for (guint i = 0; i < n; i++)
    if (g_str_equal (names[i], "text"))
      seen->salutation = g_value_dup_string (&values[i]);

  /* Calls back into the registry. */
  greeting = hs_registry_get (registry, TEST_TYPE_GREETING, context, error);
  if (greeting == NULL)
    return NULL;

  return g_object_new (greeter_type, "greeting", greeting, "name", "from factory", NULL);
}

static void
test_factory_props_and_callback (void)
{
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, "first-name", "Marie", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, marie);
  g_autoptr(GObject) greeter = NULL;
  g_autoptr(GError) error = NULL;
  FactorySeen seen = { 0, };

  hs_registry_register_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                             TEST_TYPE_FRENCH_CUSTOMER, &error);
  hs_registry_register_factory (root, greeter_type, G_TYPE_INVALID, greeter_factory, &seen, NULL, &error);
  g_assert_no_error (error);

  greeter = hs_registry_get_with (root, greeter_type, NULL, &error, "text", "Salut", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (seen.n_properties, ==, 1);
  g_assert_cmpstr (seen.salutation, ==, "Salut");
  g_assert_true (TEST_IS_ANOTHER_GREETING (bag_object (greeter, "greeting")));
  g_free (seen.salutation);
}

static void
test_plan_follows_annotations (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) first = NULL;
  g_autoptr(GObject) second = NULL;
  g_autoptr(GError) error = NULL;

  hs_registry_register_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (root, late_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);

  first = hs_registry_get (root, late_type, NULL, &error);
  g_assert_nonnull (bag_object (first, "greeting"));

  /* Annotated after a first build: the cached plan is made again. */
  g_assert_true (hs_inject_skip (late_type, "greeting", &error));
  second = hs_registry_get (root, late_type, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (bag_object (second, "greeting"));
}

/* Only construct-only and annotated properties are injected: a plain
 * read-write object property is state that someone else owns. */
static void
test_only_declared_dependencies (void)
{
  g_autoptr(GObject) jill = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, jill);
  g_autoptr(GObject) built = NULL;
  g_autoptr(GError) error = NULL;

  hs_registry_register_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  hs_registry_register_type (root, widgetish_type, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  built = hs_registry_get (root, widgetish_type, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (bag_get (built, "parent"));
  g_assert_true (TEST_IS_GREETING (bag_object (built, "helper")));
  g_assert_true (bag_object (built, "owner") == jill);
  g_assert_true (TEST_IS_GREETING (bag_object (built, "greeting")));
  g_assert_null (bag_object (built, "old"));
  g_assert_true (bag_object (built, "registry") == G_OBJECT (root));
  g_assert_null (bag_get (built, "count"));

  /* The marks are checked like the other annotations. */
  g_assert_false (hs_inject_auto (widgetish_type, "count", &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
  g_clear_error (&error);
  g_assert_false (hs_inject_auto (widgetish_type, "no-such-property", &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
  g_clear_error (&error);
  g_assert_false (hs_inject_auto (TEST_TYPE_POLITE, "greeting", &error));
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_PROPERTY);
}

/* hs_registry_inject(): an object made elsewhere gets its marked and
 * annotated properties, construct-only ones are left alone, and a failure
 * sets nothing. */
static void
test_inject_made_elsewhere (void)
{
  g_autoptr(GObject) jill = g_object_new (TEST_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(GObject) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, "first-name", "Marie", NULL);
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, jill);
  g_autoptr(HsRegistry) empty = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) object = g_object_new (widgetish_type, NULL);
  g_autoptr(GError) error = NULL;

  hs_registry_register_type (root, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  g_assert_no_error (error);

  g_assert_true (hs_registry_inject (root, object, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (TEST_IS_GREETING (bag_object (object, "helper")));
  g_assert_true (bag_object (object, "owner") == jill);
  g_assert_true (bag_object (object, "registry") == G_OBJECT (root));
  g_assert_null (bag_object (object, "greeting"));
  g_assert_null (bag_get (object, "parent"));

  /* A context given wins over the registry's. */
  g_assert_true (hs_registry_inject (root, object, marie, &error));
  g_assert_true (bag_object (object, "owner") == marie);

  /* No context for "owner": an error, and nothing changed. */
  {
    GObject *helper = bag_object (object, "helper");

    g_assert_false (hs_registry_inject (empty, object, NULL, &error));
    g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NO_CONTEXT);
    g_assert_nonnull (strstr (error->message, "owner"));
    g_assert_true (bag_object (object, "helper") == helper);
    g_assert_true (bag_object (object, "owner") == marie);
    g_assert_true (bag_object (object, "registry") == G_OBJECT (root));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  register_types ();

  g_test_add_func ("/inject/automatic", test_automatic);
  g_test_add_func ("/inject/no-context", test_no_context_keeps_default);
  g_test_add_func ("/inject/building-registry", test_building_registry);
  g_test_add_func ("/inject/props-win", test_props_win);
  g_test_add_func ("/inject/registered-beats-context", test_registered_beats_context);
  g_test_add_func ("/inject/interface-property", test_interface_property);
  g_test_add_func ("/inject/annotations/runtime", test_annotations_runtime);
  g_test_add_func ("/inject/annotations/bad", test_bad_annotations);
  g_test_add_func ("/inject/annotations/get-not-found", test_inject_get_not_found);
  g_test_add_func ("/inject/cycles/types", test_cycles);
  g_test_add_func ("/inject/cycles/factory", test_factory_cycle);
  g_test_add_func ("/inject/cycles/through-ancestor", test_cycle_through_ancestor);
  g_test_add_func ("/inject/cycles/too-deep", test_too_deep);
  g_test_add_func ("/inject/nested", test_nested);
  g_test_add_func ("/inject/context-specific", test_context_specific_dependency);
  g_test_add_func ("/inject/failing-dependency", test_failing_dependency);
  g_test_add_func ("/inject/factory", test_factory_props_and_callback);
  g_test_add_func ("/inject/plan-follows-annotations", test_plan_follows_annotations);
  g_test_add_func ("/inject/only-declared-dependencies", test_only_declared_dependencies);
  g_test_add_func ("/inject/made-elsewhere", test_inject_made_elsewhere);

  return g_test_run ();
}
