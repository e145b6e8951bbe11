/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Windows and widgets built and injected through registries, and the
 * HsGtk companion: registries along the widget tree, template-built
 * widgets injected when rooted. Runs under Xvfb (real windows), with
 * criticals fatal.
 */
#include <hopscotch-gtk.h>

/* A service the widgets depend on: a name to show. */
#define TEST_TYPE_SERVICE (test_service_get_type ())
G_DECLARE_FINAL_TYPE (TestService, test_service, TEST, SERVICE, GObject)
struct _TestService { GObject parent_instance; char *name; };
G_DEFINE_FINAL_TYPE (TestService, test_service, G_TYPE_OBJECT)

static void
test_service_finalize (GObject *object)
{
  g_free (TEST_SERVICE (object)->name);
  G_OBJECT_CLASS (test_service_parent_class)->finalize (object);
}

static void
test_service_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  g_free (TEST_SERVICE (object)->name);
  TEST_SERVICE (object)->name = g_value_dup_string (value);
}

static void
test_service_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_string (value, TEST_SERVICE (object)->name);
}

static void
test_service_class_init (TestServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = test_service_finalize;
  object_class->set_property = test_service_set_property;
  object_class->get_property = test_service_get_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_string ("name", NULL, NULL, "default service",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void test_service_init (TestService *self) { }

static TestService *
service_new (const char *name)
{
  return g_object_new (TEST_TYPE_SERVICE, "name", name, NULL);
}

/* A label that shows its service's name. "service" is read-write, marked
 * auto: injected at build and by hs_registry_inject(). */
#define TEST_TYPE_STATUS (test_status_get_type ())
G_DECLARE_FINAL_TYPE (TestStatus, test_status, TEST, STATUS, GtkWidget)
struct _TestStatus { GtkWidget parent_instance; GtkWidget *label; TestService *service; guint injected; };
G_DEFINE_FINAL_TYPE (TestStatus, test_status, GTK_TYPE_WIDGET)

static void
test_status_dispose (GObject *object)
{
  TestStatus *self = TEST_STATUS (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_object (&self->service);
  G_OBJECT_CLASS (test_status_parent_class)->dispose (object);
}

static void
test_status_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestStatus *self = TEST_STATUS (object);

  g_set_object (&self->service, g_value_get_object (value));
  self->injected++;
  gtk_label_set_text (GTK_LABEL (self->label), self->service ? self->service->name : "");
}

static void
test_status_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, TEST_STATUS (object)->service);
}

static void
test_status_class_init (TestStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = test_status_dispose;
  object_class->set_property = test_status_set_property;
  object_class->get_property = test_status_get_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("service", NULL, NULL, TEST_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  hs_object_class_inject_auto (object_class, "service", NULL);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
test_status_init (TestStatus *self)
{
  self->label = gtk_label_new ("");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  hs_gtk_widget_inject_when_rooted (GTK_WIDGET (self));
}

/* A panel built from a template holding a TestStatus. */
#define TEST_TYPE_PANEL (test_panel_get_type ())
G_DECLARE_FINAL_TYPE (TestPanel, test_panel, TEST, PANEL, GtkBox)
struct _TestPanel { GtkBox parent_instance; TestStatus *status; };
G_DEFINE_FINAL_TYPE (TestPanel, test_panel, GTK_TYPE_BOX)

static const char panel_template[] =
  "<interface>"
  "  <template class=\"TestPanel\" parent=\"GtkBox\">"
  "    <child><object class=\"TestStatus\" id=\"status\"/></child>"
  "  </template>"
  "</interface>";

static void
test_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEST_TYPE_PANEL);
  G_OBJECT_CLASS (test_panel_parent_class)->dispose (object);
}

static void
test_panel_class_init (TestPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  g_autoptr(GBytes) bytes = g_bytes_new_static (panel_template, sizeof panel_template - 1);

  G_OBJECT_CLASS (klass)->dispose = test_panel_dispose;
  g_type_ensure (TEST_TYPE_STATUS);
  gtk_widget_class_set_template (widget_class, bytes);
  gtk_widget_class_bind_template_child (widget_class, TestPanel, status);
}

static void
test_panel_init (TestPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* An application window whose dependency is construct-only (the GObject
 * idiom): injected at build; GTK's own read-write properties are not. */
#define TEST_TYPE_WINDOW (test_window_get_type ())
G_DECLARE_FINAL_TYPE (TestWindow, test_window, TEST, WINDOW, GtkApplicationWindow)
struct _TestWindow { GtkApplicationWindow parent_instance; TestService *service; };
G_DEFINE_FINAL_TYPE (TestWindow, test_window, GTK_TYPE_APPLICATION_WINDOW)

static void
test_window_dispose (GObject *object)
{
  g_clear_object (&TEST_WINDOW (object)->service);
  G_OBJECT_CLASS (test_window_parent_class)->dispose (object);
}

static void
test_window_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TEST_WINDOW (object)->service = g_value_dup_object (value);
}

static void
test_window_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, TEST_WINDOW (object)->service);
}

static void
test_window_class_init (TestWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = test_window_dispose;
  object_class->set_property = test_window_set_property;
  object_class->get_property = test_window_get_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("service", NULL, NULL, TEST_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void test_window_init (TestWindow *self) { }

/* A GtkBox subclass with nothing of its own: registered with the kind
 * omitted, it answers for GtkWidget. */
#define TEST_TYPE_BOX (test_box_get_type ())
G_DECLARE_FINAL_TYPE (TestBox, test_box, TEST, BOX, GtkBox)
struct _TestBox { GtkBox parent_instance; };
G_DEFINE_FINAL_TYPE (TestBox, test_box, GTK_TYPE_BOX)
static void test_box_class_init (TestBoxClass *klass) { }
static void test_box_init (TestBox *self) { }

static void
wait_for_finalize (gpointer *weak)
{
  for (guint i = 0; i < 100 && *weak != NULL; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Registered with the kind omitted, a window type answers for GtkWindow
 * and GtkWidget: building it must not inject GTK's own properties
 * (transient-for, default-widget, ...), so there is no cycle and no stray
 * child, and the caller owns the reference it gets. */
static void
test_build_window_kind_omitted (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(TestService) service = service_new ("the service");
  g_autoptr(GError) error = NULL;
  gpointer weak;
  TestWindow *window;

  g_assert_cmpuint (hs_registry_register_type (registry, TEST_TYPE_WINDOW, 0, 0, &error), >, 0);
  g_assert_cmpuint (hs_registry_register_type (registry, TEST_TYPE_BOX, 0, 0, &error), >, 0);
  g_assert_cmpuint (hs_registry_register_instance (registry, G_OBJECT (service), 0, 0, &error), >, 0);

  window = hs_registry_get (registry, GTK_TYPE_WINDOW, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_WINDOW (window));
  g_assert_true (window->service == service);
  g_assert_null (gtk_window_get_child (GTK_WINDOW (window)));
  g_assert_null (gtk_window_get_titlebar (GTK_WINDOW (window)));
  g_assert_null (gtk_window_get_default_widget (GTK_WINDOW (window)));
  g_assert_null (gtk_window_get_focus (GTK_WINDOW (window)));
  g_assert_null (gtk_window_get_transient_for (GTK_WINDOW (window)));

  gtk_window_present (GTK_WINDOW (window));
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);

  /* GTK drops its toplevel reference: ours keeps the window alive. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_nonnull (weak);
  g_assert_cmpuint (G_OBJECT (window)->ref_count, ==, 1);
  g_object_unref (window);
  wait_for_finalize (&weak);
  g_assert_null (weak);
}

/* A widget type is built sunk, with a reference of the caller's. */
static void
test_build_widget_owned (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  gpointer weak;
  GtkWidget *box;

  g_assert_cmpuint (hs_registry_register_type (registry, TEST_TYPE_BOX, GTK_TYPE_WIDGET, 0, &error), >, 0);
  box = hs_registry_get (registry, GTK_TYPE_WIDGET, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_BOX (box));
  g_assert_false (g_object_is_floating (box));
  g_assert_cmpuint (G_OBJECT (box)->ref_count, ==, 1);
  weak = box;
  g_object_add_weak_pointer (G_OBJECT (box), &weak);
  g_object_unref (box);
  g_assert_null (weak);
}

/* hs_registry_inject() sets the auto and annotated properties of an object
 * made elsewhere. */
static void
test_inject_made_elsewhere (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(TestService) service = service_new ("injected");
  g_autoptr(GError) error = NULL;
  TestStatus *status;

  hs_registry_register_instance (registry, G_OBJECT (service), 0, 0, &error);
  g_assert_no_error (error);

  status = g_object_ref_sink (g_object_new (TEST_TYPE_STATUS, NULL));
  g_assert_null (status->service);
  g_assert_true (hs_registry_inject (registry, G_OBJECT (status), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (status->service == service);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status->label)), ==, "injected");
  g_object_unref (status);
}

/* The nearest registry along the widget tree, then the application's. */
static void
test_nearest_registry (void)
{
  g_autoptr(HsRegistry) app_registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) window_registry = hs_registry_new (app_registry, NULL);
  g_autoptr(HsRegistry) box_registry = hs_registry_new (window_registry, NULL);
  g_autoptr(GtkApplication) app = gtk_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  GtkWidget *window, *outer, *inner, *label;
  gpointer weak = box_registry;

  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = gtk_application_window_new (app);
  outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  label = gtk_label_new ("x");
  gtk_box_append (GTK_BOX (inner), label);
  gtk_box_append (GTK_BOX (outer), inner);
  gtk_window_set_child (GTK_WINDOW (window), outer);

  g_assert_null (hs_gtk_widget_get_registry (label));
  hs_gtk_application_set_registry (app, app_registry);
  g_assert_true (hs_gtk_application_get_registry (app) == app_registry);
  g_assert_true (hs_gtk_widget_get_registry (label) == app_registry);
  hs_gtk_widget_set_registry (window, window_registry);
  g_assert_true (hs_gtk_widget_get_registry (label) == window_registry);
  hs_gtk_widget_set_registry (inner, box_registry);
  g_assert_true (hs_gtk_widget_get_registry (label) == box_registry);
  g_assert_true (hs_gtk_widget_get_registry (outer) == window_registry);

  /* The widget keeps its registry alive, and lets go when another is set. */
  g_object_add_weak_pointer (G_OBJECT (box_registry), &weak);
  g_clear_object (&box_registry);
  g_assert_nonnull (weak);
  hs_gtk_widget_set_registry (inner, NULL);
  g_assert_null (weak);
  g_assert_true (hs_gtk_widget_get_registry (label) == window_registry);

  gtk_window_destroy (GTK_WINDOW (window));
  hs_gtk_application_set_registry (app, NULL);
  g_assert_null (hs_gtk_application_get_registry (app));
}

/* A template child is injected from its window's registry — also when the
 * registry is attached after the template was built — and again from the
 * new window's registry when it moves. */
static void
test_inject_when_rooted (void)
{
  g_autoptr(HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) first = hs_registry_new (root, NULL);
  g_autoptr(HsRegistry) second = hs_registry_new (root, NULL);
  g_autoptr(TestService) first_service = service_new ("first window");
  g_autoptr(TestService) second_service = service_new ("second window");
  g_autoptr(GError) error = NULL;
  GtkWidget *window1 = gtk_window_new ();
  GtkWidget *window2 = gtk_window_new ();
  TestPanel *panel = g_object_new (TEST_TYPE_PANEL, NULL);

  hs_registry_register_instance (first, G_OBJECT (first_service), 0, 0, &error);
  hs_registry_register_instance (second, G_OBJECT (second_service), 0, 0, &error);
  g_assert_no_error (error);

  g_object_ref (panel);
  gtk_window_set_child (GTK_WINDOW (window1), GTK_WIDGET (panel));
  /* Rooted, but no registry yet: nothing injected. */
  g_assert_null (panel->status->service);

  hs_gtk_widget_set_registry (window1, first);
  g_assert_true (panel->status->service == first_service);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (panel->status->label)), ==, "first window");

  hs_gtk_widget_set_registry (window2, second);
  gtk_window_set_child (GTK_WINDOW (window1), NULL);
  gtk_window_set_child (GTK_WINDOW (window2), GTK_WIDGET (panel));
  g_assert_true (panel->status->service == second_service);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (panel->status->label)), ==, "second window");

  /* Asking twice changes nothing: one injection per new root. */
  {
    guint before = panel->status->injected;

    hs_gtk_widget_inject_when_rooted (GTK_WIDGET (panel->status));
    gtk_window_set_child (GTK_WINDOW (window2), NULL);
    gtk_window_set_child (GTK_WINDOW (window1), GTK_WIDGET (panel));
    g_assert_cmpuint (panel->status->injected, ==, before + 1);
    g_assert_true (panel->status->service == first_service);
  }

  gtk_window_destroy (GTK_WINDOW (window1));
  gtk_window_destroy (GTK_WINDOW (window2));
  g_object_unref (panel);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtk/build/window-kind-omitted", test_build_window_kind_omitted);
  g_test_add_func ("/gtk/build/widget-owned", test_build_widget_owned);
  g_test_add_func ("/gtk/inject/made-elsewhere", test_inject_made_elsewhere);
  g_test_add_func ("/gtk/registry/nearest", test_nearest_registry);
  g_test_add_func ("/gtk/registry/inject-when-rooted", test_inject_when_rooted);

  return g_test_run ();
}
