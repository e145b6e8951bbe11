/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The types of the seed story, shared by the C suites: Greeting (property
 * "salutation", default "Hello"), AnotherGreeting (a subclass whose default
 * is "Another Hello"), Customer (property "first-name") and FrenchCustomer,
 * plus a few types for the cases that must fail. Header-only so that each
 * suite is one file.
 */
#pragma once

#include <string.h>
#include <gio/gio.h>
#include <hopscotch.h>

G_BEGIN_DECLS

/* An interface that Greeting implements, and one used only as a context. */
#define TEST_TYPE_POLITE (test_polite_get_type ())
G_DECLARE_INTERFACE (TestPolite, test_polite, TEST, POLITE, GObject)
struct _TestPoliteInterface { GTypeInterface parent_iface; };
G_DEFINE_INTERFACE (TestPolite, test_polite, G_TYPE_OBJECT)
static void test_polite_default_init (TestPoliteInterface *iface) { }

#define TEST_TYPE_VIP (test_vip_get_type ())
G_DECLARE_INTERFACE (TestVip, test_vip, TEST, VIP, GObject)
struct _TestVipInterface { GTypeInterface parent_iface; };
G_DEFINE_INTERFACE (TestVip, test_vip, G_TYPE_OBJECT)
static void test_vip_default_init (TestVipInterface *iface) { }

/* Greeting */
#define TEST_TYPE_GREETING (test_greeting_get_type ())
G_DECLARE_DERIVABLE_TYPE (TestGreeting, test_greeting, TEST, GREETING, GObject)
struct _TestGreetingClass { GObjectClass parent_class; };
typedef struct { char *salutation; } TestGreetingPrivate;
enum { GREETING_PROP_0, GREETING_PROP_SALUTATION, GREETING_PROP_LENGTH };
G_DEFINE_TYPE_WITH_CODE (TestGreeting, test_greeting, G_TYPE_OBJECT,
                         G_ADD_PRIVATE (TestGreeting)
                         G_IMPLEMENT_INTERFACE (TEST_TYPE_POLITE, NULL))

static void
test_greeting_finalize (GObject *object)
{
  TestGreetingPrivate *priv = test_greeting_get_instance_private (TEST_GREETING (object));
  g_free (priv->salutation);
  G_OBJECT_CLASS (test_greeting_parent_class)->finalize (object);
}

static void
test_greeting_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestGreetingPrivate *priv = test_greeting_get_instance_private (TEST_GREETING (object));
  if (id == GREETING_PROP_SALUTATION)
    g_value_set_string (value, priv->salutation);
  else if (id == GREETING_PROP_LENGTH)
    g_value_set_uint (value, priv->salutation ? (guint) strlen (priv->salutation) : 0);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
test_greeting_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestGreetingPrivate *priv = test_greeting_get_instance_private (TEST_GREETING (object));
  if (id == GREETING_PROP_SALUTATION)
    {
      g_free (priv->salutation);
      priv->salutation = g_value_dup_string (value);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
test_greeting_class_init (TestGreetingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = test_greeting_finalize;
  object_class->get_property = test_greeting_get_property;
  object_class->set_property = test_greeting_set_property;
  g_object_class_install_property (object_class, GREETING_PROP_SALUTATION,
    g_param_spec_string ("salutation", NULL, NULL, "Hello",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, GREETING_PROP_LENGTH,
    g_param_spec_uint ("length", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
test_greeting_init (TestGreeting *self)
{
  TestGreetingPrivate *priv = test_greeting_get_instance_private (self);
  priv->salutation = g_strdup ("Hello");
}

static inline const char *
test_greeting_get_salutation (gpointer greeting)
{
  TestGreetingPrivate *priv = test_greeting_get_instance_private (TEST_GREETING (greeting));
  return priv->salutation;
}

/* AnotherGreeting: a Greeting whose default salutation is "Another Hello". */
#define TEST_TYPE_ANOTHER_GREETING (test_another_greeting_get_type ())
G_DECLARE_FINAL_TYPE (TestAnotherGreeting, test_another_greeting, TEST, ANOTHER_GREETING, TestGreeting)
struct _TestAnotherGreeting { TestGreeting parent_instance; };
G_DEFINE_FINAL_TYPE (TestAnotherGreeting, test_another_greeting, TEST_TYPE_GREETING)

static void test_another_greeting_class_init (TestAnotherGreetingClass *klass) { }

static void
test_another_greeting_init (TestAnotherGreeting *self)
{
  TestGreetingPrivate *priv = test_greeting_get_instance_private (TEST_GREETING (self));
  g_free (priv->salutation);
  priv->salutation = g_strdup ("Another Hello");
}

/* Customer */
#define TEST_TYPE_CUSTOMER (test_customer_get_type ())
G_DECLARE_DERIVABLE_TYPE (TestCustomer, test_customer, TEST, CUSTOMER, GObject)
struct _TestCustomerClass { GObjectClass parent_class; };
typedef struct { char *first_name; } TestCustomerPrivate;
G_DEFINE_TYPE_WITH_PRIVATE (TestCustomer, test_customer, G_TYPE_OBJECT)

static void
test_customer_finalize (GObject *object)
{
  TestCustomerPrivate *priv = test_customer_get_instance_private (TEST_CUSTOMER (object));
  g_free (priv->first_name);
  G_OBJECT_CLASS (test_customer_parent_class)->finalize (object);
}

static void
test_customer_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestCustomerPrivate *priv = test_customer_get_instance_private (TEST_CUSTOMER (object));
  g_value_set_string (value, priv->first_name);
}

static void
test_customer_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestCustomerPrivate *priv = test_customer_get_instance_private (TEST_CUSTOMER (object));
  g_free (priv->first_name);
  priv->first_name = g_value_dup_string (value);
}

static void
test_customer_class_init (TestCustomerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = test_customer_finalize;
  object_class->get_property = test_customer_get_property;
  object_class->set_property = test_customer_set_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_string ("first-name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void test_customer_init (TestCustomer *self) { }

/* FrenchCustomer, and a VIP French customer two levels below Customer. */
#define TEST_TYPE_FRENCH_CUSTOMER (test_french_customer_get_type ())
G_DECLARE_DERIVABLE_TYPE (TestFrenchCustomer, test_french_customer, TEST, FRENCH_CUSTOMER, TestCustomer)
struct _TestFrenchCustomerClass { TestCustomerClass parent_class; };
G_DEFINE_TYPE (TestFrenchCustomer, test_french_customer, TEST_TYPE_CUSTOMER)
static void test_french_customer_class_init (TestFrenchCustomerClass *klass) { }
static void test_french_customer_init (TestFrenchCustomer *self) { }

#define TEST_TYPE_PARISIAN (test_parisian_get_type ())
G_DECLARE_FINAL_TYPE (TestParisian, test_parisian, TEST, PARISIAN, TestFrenchCustomer)
struct _TestParisian { TestFrenchCustomer parent_instance; };
G_DEFINE_FINAL_TYPE_WITH_CODE (TestParisian, test_parisian, TEST_TYPE_FRENCH_CUSTOMER,
                               G_IMPLEMENT_INTERFACE (TEST_TYPE_VIP, NULL))
static void test_parisian_class_init (TestParisianClass *klass) { }
static void test_parisian_init (TestParisian *self) { }

/* An abstract type, which cannot be registered. */
#define TEST_TYPE_ABSTRACT (test_abstract_get_type ())
G_DECLARE_DERIVABLE_TYPE (TestAbstract, test_abstract, TEST, ABSTRACT, GObject)
struct _TestAbstractClass { GObjectClass parent_class; };
G_DEFINE_ABSTRACT_TYPE (TestAbstract, test_abstract, G_TYPE_OBJECT)
static void test_abstract_class_init (TestAbstractClass *klass) { }
static void test_abstract_init (TestAbstract *self) { }

/* A GInitable whose init fails with G_IO_ERROR_PERMISSION_DENIED when its
 * "fail" property is TRUE. */
#define TEST_TYPE_FAILING (test_failing_get_type ())
G_DECLARE_FINAL_TYPE (TestFailing, test_failing, TEST, FAILING, GObject)
struct _TestFailing { GObject parent_instance; gboolean fail; guint level; };
static void test_failing_initable_iface_init (GInitableIface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestFailing, test_failing, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_failing_initable_iface_init))

static gint test_failing_alive;

static gboolean
test_failing_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  if (TEST_FAILING (initable)->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "init refused");
      return FALSE;
    }
  return TRUE;
}

static void
test_failing_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_failing_initable_init;
}

static void
test_failing_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  if (id == 1)
    TEST_FAILING (object)->fail = g_value_get_boolean (value);
  else
    TEST_FAILING (object)->level = g_value_get_uint (value);
}

static void
test_failing_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  if (id == 1)
    g_value_set_boolean (value, TEST_FAILING (object)->fail);
  else
    g_value_set_uint (value, TEST_FAILING (object)->level);
}

static void
test_failing_finalize (GObject *object)
{
  g_atomic_int_add (&test_failing_alive, -1);
  G_OBJECT_CLASS (test_failing_parent_class)->finalize (object);
}

static void
test_failing_class_init (TestFailingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->set_property = test_failing_set_property;
  object_class->get_property = test_failing_get_property;
  object_class->finalize = test_failing_finalize;
  g_object_class_install_property (object_class, 1,
    g_param_spec_boolean ("fail", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, 2,
    g_param_spec_uint ("level", NULL, NULL, 0, 10, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_failing_init (TestFailing *self)
{
  g_atomic_int_inc (&test_failing_alive);
}

/* An initially-unowned type: objects built by a registry are never floating. */
#define TEST_TYPE_FLOATING (test_floating_get_type ())
G_DECLARE_FINAL_TYPE (TestFloating, test_floating, TEST, FLOATING, GInitiallyUnowned)
struct _TestFloating { GInitiallyUnowned parent_instance; };
G_DEFINE_FINAL_TYPE (TestFloating, test_floating, G_TYPE_INITIALLY_UNOWNED)
static void test_floating_class_init (TestFloatingClass *klass) { }
static void test_floating_init (TestFloating *self) { }

/* Asserts that @registry answers @kind (without context) with an object of
 * @expected, or NOT_FOUND when @expected is G_TYPE_INVALID. */
static inline void
assert_answers (HsRegistry *registry, GType kind, GObject *context, GType expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = hs_registry_get (registry, kind, context, &error);

  if (expected == G_TYPE_INVALID)
    {
      g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
      g_assert_null (object);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_nonnull (object);
      g_assert_cmpstr (G_OBJECT_TYPE_NAME (object), ==, g_type_name (expected));
    }
}

G_END_DECLS
