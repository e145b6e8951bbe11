/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Asynchronous construction with a real D-Bus proxy: a Welcome service
 * depends on a GreeterProxy (a GDBusProxy, which is a GAsyncInitable), and
 * the proxy on a GDBusConnection that an asynchronous factory opens. One
 * hs_registry_get_async() builds the connection, then the proxy with
 * init_async() (which loads the remote object's properties), then the
 * Welcome, without blocking the main loop.
 *
 * The D-Bus service it talks to runs in this very program, on a private
 * bus that GTestDBus starts, so that the example needs no session bus.
 */
#include <hopscotch.h>

#define BUS_NAME    "org.example.Greeter"
#define OBJECT_PATH "/org/example/Greeter"
#define IFACE_NAME  "org.example.Greeter"

/* Endpoint: where the greeter is. Registered as an instance; the proxy's
 * construct properties take its properties (injection annotations). */
#define EXAMPLE_TYPE_ENDPOINT (example_endpoint_get_type ())
G_DECLARE_FINAL_TYPE (ExampleEndpoint, example_endpoint, EXAMPLE, ENDPOINT, GObject)
struct _ExampleEndpoint { GObject parent; char *address; };
G_DEFINE_FINAL_TYPE (ExampleEndpoint, example_endpoint, G_TYPE_OBJECT)

enum { ENDPOINT_PROP_ADDRESS = 1, ENDPOINT_PROP_BUS_NAME, ENDPOINT_PROP_PATH, ENDPOINT_PROP_IFACE };

static void
example_endpoint_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  static const char *const fixed[] = { NULL, NULL, BUS_NAME, OBJECT_PATH, IFACE_NAME };

  if (id == ENDPOINT_PROP_ADDRESS)
    g_value_set_string (value, EXAMPLE_ENDPOINT (object)->address);
  else
    g_value_set_static_string (value, fixed[id]);
}

static void
example_endpoint_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  g_free (EXAMPLE_ENDPOINT (object)->address);
  EXAMPLE_ENDPOINT (object)->address = g_value_dup_string (value);
}

static void
example_endpoint_finalize (GObject *object)
{
  g_free (EXAMPLE_ENDPOINT (object)->address);
  G_OBJECT_CLASS (example_endpoint_parent_class)->finalize (object);
}

static void
example_endpoint_class_init (ExampleEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = example_endpoint_get_property;
  object_class->set_property = example_endpoint_set_property;
  object_class->finalize = example_endpoint_finalize;
  g_object_class_install_property (object_class, ENDPOINT_PROP_ADDRESS,
    g_param_spec_string ("address", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, ENDPOINT_PROP_BUS_NAME,
    g_param_spec_string ("bus-name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, ENDPOINT_PROP_PATH,
    g_param_spec_string ("object-path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, ENDPOINT_PROP_IFACE,
    g_param_spec_string ("interface-name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void example_endpoint_init (ExampleEndpoint *self) { }

/* GreeterProxy: a GDBusProxy for the greeter. Its g-connection is
 * construct-only, so it is injected: get (GDBusConnection). */
#define EXAMPLE_TYPE_GREETER_PROXY (example_greeter_proxy_get_type ())
G_DECLARE_FINAL_TYPE (ExampleGreeterProxy, example_greeter_proxy, EXAMPLE, GREETER_PROXY, GDBusProxy)
struct _ExampleGreeterProxy { GDBusProxy parent; };
G_DEFINE_FINAL_TYPE (ExampleGreeterProxy, example_greeter_proxy, G_TYPE_DBUS_PROXY)

static void
example_greeter_proxy_class_init (ExampleGreeterProxyClass *klass)
{
  hs_inject_get (EXAMPLE_TYPE_GREETER_PROXY, "g-name", EXAMPLE_TYPE_ENDPOINT, "bus-name", NULL);
  hs_inject_get (EXAMPLE_TYPE_GREETER_PROXY, "g-object-path", EXAMPLE_TYPE_ENDPOINT, "object-path", NULL);
  hs_inject_get (EXAMPLE_TYPE_GREETER_PROXY, "g-interface-name", EXAMPLE_TYPE_ENDPOINT, "interface-name", NULL);
}

static void example_greeter_proxy_init (ExampleGreeterProxy *self) { }

/* Welcome: the application's service, which needs the greeter. */
#define EXAMPLE_TYPE_WELCOME (example_welcome_get_type ())
G_DECLARE_FINAL_TYPE (ExampleWelcome, example_welcome, EXAMPLE, WELCOME, GObject)
struct _ExampleWelcome { GObject parent; GDBusProxy *greeter; };
G_DEFINE_FINAL_TYPE (ExampleWelcome, example_welcome, G_TYPE_OBJECT)

static void
example_welcome_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  EXAMPLE_WELCOME (object)->greeter = g_value_dup_object (value);
}

static void
example_welcome_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, EXAMPLE_WELCOME (object)->greeter);
}

static void
example_welcome_dispose (GObject *object)
{
  g_clear_object (&EXAMPLE_WELCOME (object)->greeter);
  G_OBJECT_CLASS (example_welcome_parent_class)->dispose (object);
}

static void
example_welcome_class_init (ExampleWelcomeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = example_welcome_set_property;
  object_class->get_property = example_welcome_get_property;
  object_class->dispose = example_welcome_dispose;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("greeter", NULL, NULL, EXAMPLE_TYPE_GREETER_PROXY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void example_welcome_init (ExampleWelcome *self) { }

/* The connection, opened asynchronously, once (a lazy singleton). */
static void
open_connection (HsRegistry          *registry,
                 GObject             *context,
                 gpointer             factory_data,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(ExampleEndpoint) endpoint = hs_registry_get (registry, EXAMPLE_TYPE_ENDPOINT, NULL, NULL);

  g_dbus_connection_new_for_address (endpoint->address,
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                     G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                     NULL, cancellable, callback, user_data);
}

static GObject *
open_connection_finish (HsRegistry    *registry,
                        GAsyncResult  *result,
                        gpointer       factory_data,
                        GError       **error)
{
  return G_OBJECT (g_dbus_connection_new_for_address_finish (result, error));
}

/* The service side: org.example.Greeter, answered in this process. */
static const char introspection_xml[] =
  "<node>"
  "  <interface name='" IFACE_NAME "'>"
  "    <method name='Greet'><arg type='s' direction='in'/><arg type='s' direction='out'/></method>"
  "    <property name='Salutation' type='s' access='read'/>"
  "  </interface>"
  "</node>";

static void
service_method_call (GDBusConnection *connection, const char *sender, const char *object_path,
                     const char *interface_name, const char *method_name, GVariant *parameters,
                     GDBusMethodInvocation *invocation, gpointer user_data)
{
  g_autofree char *text = NULL;
  const char *name;

  g_variant_get (parameters, "(&s)", &name);
  text = g_strdup_printf ("Bonjour, %s!", name);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", text));
}

static GVariant *
service_get_property (GDBusConnection *connection, const char *sender, const char *object_path,
                      const char *interface_name, const char *property_name, GError **error,
                      gpointer user_data)
{
  return g_variant_new_string ("Bonjour");
}

static const GDBusInterfaceVTable service_vtable = { service_method_call, service_get_property, NULL, { 0 } };

/* The example itself. */
typedef struct
{
  GMainLoop *loop;
  int        status;
} Run;

static void
greeted (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);

  if (reply == NULL)
    {
      g_printerr ("Greet failed: %s\n", error->message);
      run->status = 1;
    }
  else
    {
      const char *text;

      g_variant_get (reply, "(&s)", &text);
      g_print ("%s\n", text);
    }
  g_main_loop_quit (run->loop);
}

static void
got_welcome (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExampleWelcome) welcome = hs_registry_get_finish (HS_REGISTRY (source), result, &error);
  g_autoptr(GVariant) salutation = NULL;

  if (welcome == NULL)
    {
      g_printerr ("Cannot build the welcome service: %s\n", error->message);
      run->status = 1;
      g_main_loop_quit (run->loop);
      return;
    }

  /* init_async() loaded the remote properties already. */
  salutation = g_dbus_proxy_get_cached_property (welcome->greeter, "Salutation");
  g_print ("Salutation: %s\n", g_variant_get_string (salutation, NULL));
  g_dbus_proxy_call (welcome->greeter, "Greet", g_variant_new ("(s)", "Marie"),
                     G_DBUS_CALL_FLAGS_NONE, -1, NULL, greeted, run);
}

static gboolean
too_long (gpointer data)
{
  Run *run = data;

  g_printerr ("No answer in 5 s\n");
  run->status = 1;
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

int
main (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) service = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(HsRegistry) registry = NULL;
  g_autoptr(ExampleEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { g_main_loop_new (NULL, FALSE), 0 };
  guint timeout;

  /* The private bus, and the service on a connection of its own. */
  g_test_dbus_up (bus);
  service = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (service, OBJECT_PATH, info->interfaces[0],
                                     &service_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_variant_unref (g_dbus_connection_call_sync (service, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                "org.freedesktop.DBus", "RequestName",
                                                g_variant_new ("(su)", BUS_NAME, 4), NULL,
                                                G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);

  /* The application's registry. */
  registry = hs_registry_new (NULL, NULL);
  endpoint = g_object_new (EXAMPLE_TYPE_ENDPOINT, "address", g_test_dbus_get_bus_address (bus), NULL);
  hs_registry_register_instance (registry, G_OBJECT (endpoint), G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  hs_registry_register_async_factory (registry, G_TYPE_DBUS_CONNECTION, G_TYPE_INVALID,
                                      HS_LIFETIME_SINGLETON, open_connection,
                                      open_connection_finish, NULL, NULL, NULL);
  hs_registry_register_type (registry, EXAMPLE_TYPE_GREETER_PROXY, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  hs_registry_register_type (registry, EXAMPLE_TYPE_WELCOME, G_TYPE_INVALID, G_TYPE_INVALID, NULL);

  /* One asynchronous get: the connection, the proxy, the welcome. */
  hs_registry_get_async (registry, EXAMPLE_TYPE_WELCOME, NULL, NULL, got_welcome, &run);
  timeout = g_timeout_add_seconds (5, too_long, &run);
  g_main_loop_run (run.loop);
  g_source_remove (timeout);

  /* The connection the registry kept goes with it; then the bus. */
  hs_registry_close (registry);
  g_dbus_connection_close_sync (service, NULL, NULL);
  g_clear_object (&service);
  g_test_dbus_down (bus);
  g_main_loop_unref (run.loop);

  return run.status;
}
