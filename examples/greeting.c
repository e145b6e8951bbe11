/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The greeting story. A pluggable application ships Greeting; a local site
 * replaces it with AnotherGreeting for French customers. A registry is set up
 * once at startup; each request gets a child registry whose context is the
 * request's customer, and a Greeter built there gets its Greeting and its
 * Customer injected.
 */
#include <locale.h>

#include <hopscotch.h>

/* Greeting, with a "salutation" property. */
#define EX_TYPE_GREETING (ex_greeting_get_type ())
G_DECLARE_DERIVABLE_TYPE (ExGreeting, ex_greeting, EX, GREETING, GObject)
struct _ExGreetingClass { GObjectClass parent_class; };
typedef struct { char *salutation; } ExGreetingPrivate;
G_DEFINE_TYPE_WITH_PRIVATE (ExGreeting, ex_greeting, G_TYPE_OBJECT)

static void
ex_greeting_finalize (GObject *object)
{
  ExGreetingPrivate *priv = ex_greeting_get_instance_private (EX_GREETING (object));

  g_free (priv->salutation);
  G_OBJECT_CLASS (ex_greeting_parent_class)->finalize (object);
}

static void
ex_greeting_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  ExGreetingPrivate *priv = ex_greeting_get_instance_private (EX_GREETING (object));

  g_value_set_string (value, priv->salutation);
}

static void
ex_greeting_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  ExGreetingPrivate *priv = ex_greeting_get_instance_private (EX_GREETING (object));

  g_free (priv->salutation);
  priv->salutation = g_value_dup_string (value);
}

static void
ex_greeting_class_init (ExGreetingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ex_greeting_finalize;
  object_class->get_property = ex_greeting_get_property;
  object_class->set_property = ex_greeting_set_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_string ("salutation", NULL, NULL, "Hello",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
ex_greeting_init (ExGreeting *self)
{
  ExGreetingPrivate *priv = ex_greeting_get_instance_private (self);

  priv->salutation = g_strdup ("Hello");
}

/* AnotherGreeting: the local site's replacement. */
#define EX_TYPE_ANOTHER_GREETING (ex_another_greeting_get_type ())
G_DECLARE_FINAL_TYPE (ExAnotherGreeting, ex_another_greeting, EX, ANOTHER_GREETING, ExGreeting)
struct _ExAnotherGreeting { ExGreeting parent_instance; };
G_DEFINE_FINAL_TYPE (ExAnotherGreeting, ex_another_greeting, EX_TYPE_GREETING)

static void ex_another_greeting_class_init (ExAnotherGreetingClass *klass) { }

static void
ex_another_greeting_init (ExAnotherGreeting *self)
{
  g_object_set (self, "salutation", "Another Hello", NULL);
}

/* Customer, with a "first-name", and FrenchCustomer. */
#define EX_TYPE_CUSTOMER (ex_customer_get_type ())
G_DECLARE_DERIVABLE_TYPE (ExCustomer, ex_customer, EX, CUSTOMER, GObject)
struct _ExCustomerClass { GObjectClass parent_class; };
typedef struct { char *first_name; } ExCustomerPrivate;
G_DEFINE_TYPE_WITH_PRIVATE (ExCustomer, ex_customer, G_TYPE_OBJECT)

static void
ex_customer_finalize (GObject *object)
{
  ExCustomerPrivate *priv = ex_customer_get_instance_private (EX_CUSTOMER (object));

  g_free (priv->first_name);
  G_OBJECT_CLASS (ex_customer_parent_class)->finalize (object);
}

static void
ex_customer_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  ExCustomerPrivate *priv = ex_customer_get_instance_private (EX_CUSTOMER (object));

  g_value_set_string (value, priv->first_name);
}

static void
ex_customer_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  ExCustomerPrivate *priv = ex_customer_get_instance_private (EX_CUSTOMER (object));

  g_free (priv->first_name);
  priv->first_name = g_value_dup_string (value);
}

static void
ex_customer_class_init (ExCustomerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ex_customer_finalize;
  object_class->get_property = ex_customer_get_property;
  object_class->set_property = ex_customer_set_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_string ("first-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void ex_customer_init (ExCustomer *self) { }

#define EX_TYPE_FRENCH_CUSTOMER (ex_french_customer_get_type ())
G_DECLARE_FINAL_TYPE (ExFrenchCustomer, ex_french_customer, EX, FRENCH_CUSTOMER, ExCustomer)
struct _ExFrenchCustomer { ExCustomer parent_instance; };
G_DEFINE_FINAL_TYPE (ExFrenchCustomer, ex_french_customer, EX_TYPE_CUSTOMER)
static void ex_french_customer_class_init (ExFrenchCustomerClass *klass) { }
static void ex_french_customer_init (ExFrenchCustomer *self) { }

/* Greeter: its "greeting" and "customer" are injected. */
#define EX_TYPE_GREETER (ex_greeter_get_type ())
G_DECLARE_FINAL_TYPE (ExGreeter, ex_greeter, EX, GREETER, GObject)
struct _ExGreeter
{
  GObject     parent_instance;
  ExGreeting *greeting;
  ExCustomer *customer;
};
G_DEFINE_FINAL_TYPE (ExGreeter, ex_greeter, G_TYPE_OBJECT)

static void
ex_greeter_dispose (GObject *object)
{
  ExGreeter *self = EX_GREETER (object);

  g_clear_object (&self->greeting);
  g_clear_object (&self->customer);
  G_OBJECT_CLASS (ex_greeter_parent_class)->dispose (object);
}

static void
ex_greeter_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  ExGreeter *self = EX_GREETER (object);

  g_value_set_object (value, id == 1 ? (GObject *) self->greeting : (GObject *) self->customer);
}

static void
ex_greeter_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  ExGreeter *self = EX_GREETER (object);

  if (id == 1)
    g_set_object (&self->greeting, g_value_get_object (value));
  else
    g_set_object (&self->customer, g_value_get_object (value));
}

static void
ex_greeter_class_init (ExGreeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ex_greeter_dispose;
  object_class->get_property = ex_greeter_get_property;
  object_class->set_property = ex_greeter_set_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("greeting", NULL, NULL, EX_TYPE_GREETING,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, 2,
    g_param_spec_object ("customer", NULL, NULL, EX_TYPE_CUSTOMER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void ex_greeter_init (ExGreeter *self) { }

static char *
ex_greeter_greet (ExGreeter *self)
{
  g_autofree char *salutation = NULL;
  g_autofree char *name = NULL;

  g_object_get (self->greeting, "salutation", &salutation, NULL);
  g_object_get (self->customer, "first-name", &name, NULL);
  return g_strdup_printf ("%s, %s!", salutation, name);
}

static gboolean
serve (HsRegistry  *root,
       ExCustomer  *customer,
       GError     **error)
{
  /* One child registry per request, with the customer as its context. */
  g_autoptr(HsRegistry) request = hs_registry_new (root, G_OBJECT (customer));
  g_autoptr(ExGreeter) greeter = hs_registry_get (request, EX_TYPE_GREETER, NULL, error);
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (greeter == NULL)
    return FALSE;

  g_object_get (customer, "first-name", &name, NULL);
  text = ex_greeter_greet (greeter);
  g_print ("%s: %s\n", name, text);
  return TRUE;
}

int
main (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(ExCustomer) jill = g_object_new (EX_TYPE_CUSTOMER, "first-name", "Jill", NULL);
  g_autoptr(ExCustomer) marie = g_object_new (EX_TYPE_FRENCH_CUSTOMER, "first-name", "Marie", NULL);
  g_autoptr(ExGreeting) singleton = NULL;
  g_autoptr(ExGreeting) greeting = NULL;
  g_autoptr(HsRegistry) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *salutation = NULL;

  setlocale (LC_ALL, "");

  /* At startup: the application's Greeting, the site's replacement for
   * French customers, and the Greeter. */
  if (!hs_registry_register_type (root, EX_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID, &error) ||
      !hs_registry_register_type (root, EX_TYPE_ANOTHER_GREETING, EX_TYPE_GREETING,
                                  EX_TYPE_FRENCH_CUSTOMER, &error) ||
      !hs_registry_register_type (root, EX_TYPE_GREETER, G_TYPE_INVALID, G_TYPE_INVALID, &error))
    goto failed;

  /* Per request. */
  if (!serve (root, jill, &error) || !serve (root, marie, &error))
    goto failed;

  /* Props: values for the constructed type's properties. */
  greeting = hs_registry_get_with (root, EX_TYPE_GREETING, NULL, &error,
                                   "salutation", "Hello Prop", NULL);
  if (greeting == NULL)
    goto failed;
  g_object_get (greeting, "salutation", &salutation, NULL);
  g_print ("props: %s\n", salutation);
  g_clear_pointer (&salutation, g_free);
  g_clear_object (&greeting);

  /* A singleton: the instance handed in is the answer. */
  other = hs_registry_new (NULL, NULL);
  singleton = g_object_new (EX_TYPE_GREETING, "salutation", "I am a singleton", NULL);
  if (!hs_registry_register_instance (other, G_OBJECT (singleton), G_TYPE_INVALID, G_TYPE_INVALID, &error))
    goto failed;
  greeting = hs_registry_get (other, EX_TYPE_GREETING, NULL, &error);
  if (greeting == NULL)
    goto failed;
  g_object_get (greeting, "salutation", &salutation, NULL);
  g_print ("singleton: %s (the same object: %s)\n", salutation,
           greeting == singleton ? "yes" : "no");

  /* Asking for what nobody registered is an error, not a crash. */
  g_clear_object (&greeting);
  greeting = hs_registry_get (other, EX_TYPE_CUSTOMER, NULL, &error);
  g_print ("error: %s\n", error->message);

  return 0;

failed:
  g_printerr ("greeting: %s\n", error->message);
  return 1;
}
