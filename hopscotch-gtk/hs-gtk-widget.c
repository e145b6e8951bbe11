/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hopscotch-gtk.h"

/**
 * SECTION:hs-gtk-widget
 * @title: Registries along the widget tree
 * @short_description: attach registries to widgets and applications, and
 *   inject widgets that GtkBuilder made
 * @include: hopscotch-gtk.h
 *
 * `libhopscotch-gtk-1` is the optional GTK 4 companion of Hopscotch. It lets
 * a registry serve a part of the widget tree: attach one to a window (a
 * per-window child registry whose context is the window's document, say)
 * with hs_gtk_widget_set_registry(), or one to the whole application with
 * hs_gtk_application_set_registry(), and any widget finds the nearest with
 * hs_gtk_widget_get_registry(): its own, else its parent's, and so on up to
 * the root, else the registry of the root's `GtkApplication`.
 *
 * Widgets built from GtkBuilder templates never pass through a registry.
 * Call hs_gtk_widget_inject_when_rooted() in their `init` function (or on a
 * template child, after `gtk_widget_init_template()`): each time the widget
 * gets a new root, and each time a registry is attached above it while it
 * is rooted, the nearest registry injects it with hs_registry_inject(), with
 * that registry's own context.
 *
 * |[<!-- language="C" -->
 * static void
 * my_status_label_init (MyStatusLabel *self)
 * {
 *   gtk_widget_init_template (GTK_WIDGET (self));
 *   hs_gtk_widget_inject_when_rooted (GTK_WIDGET (self));
 * }
 *
 * static void
 * open_window (MyApplication *app, MyDocument *document)
 * {
 *   g_autoptr(HsRegistry) scope = hs_registry_new (app->registry, G_OBJECT (document));
 *   GtkWidget *window = my_document_window_new (app);
 *
 *   hs_gtk_widget_set_registry (window, scope);
 *   gtk_window_present (GTK_WINDOW (window));
 * }
 * ]|
 *
 * An injection that fails is reported with g_warning() under the
 * `Hopscotch` log domain (the widget keeps its properties as they were):
 * there is no caller to hand a #GError to. Call hs_registry_inject()
 * yourself where you want the error.
 *
 * These functions belong to the main thread, as GTK does.
 */

/* All data lives on the widgets and applications themselves (qdata), and
 * every function runs on GTK's thread: no lock. */
static GQuark registry_quark;
static GQuark rooted_quark;

static void
ensure_quarks (void)
{
  if (G_UNLIKELY (registry_quark == 0))
    {
      registry_quark = g_quark_from_static_string ("hs-gtk-registry");
      rooted_quark = g_quark_from_static_string ("hs-gtk-inject-when-rooted");
    }
}

static void
set_registry (GObject    *object,
              HsRegistry *registry)
{
  ensure_quarks ();
  g_object_set_qdata_full (object, registry_quark,
                           registry != NULL ? g_object_ref (registry) : NULL,
                           g_object_unref);
}

static void
inject_widget (GtkWidget *widget)
{
  HsRegistry *registry = hs_gtk_widget_get_registry (widget);
  GError *error = NULL;

  if (registry == NULL)
    {
      g_debug ("No registry above %s %p yet: nothing injected",
               G_OBJECT_TYPE_NAME (widget), widget);
      return;
    }

  if (!hs_registry_inject (registry, G_OBJECT (widget), NULL, &error))
    {
      g_warning ("Cannot inject %s %p from its registry: %s",
                 G_OBJECT_TYPE_NAME (widget), widget, error->message);
      g_error_free (error);
    }
}

/* Injects every rooted widget of @widget's subtree, @widget included, that
 * asked for it: a registry was just attached above them. */
static void
inject_subtree (GtkWidget *widget)
{
  if (gtk_widget_get_root (widget) != NULL &&
      g_object_get_qdata (G_OBJECT (widget), rooted_quark) != NULL)
    inject_widget (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    inject_subtree (child);
}

/**
 * hs_gtk_widget_set_registry:
 * @widget: a `GtkWidget`
 * @registry: (nullable): the registry that serves @widget and its
 *   descendants, or %NULL to detach the one attached
 *
 * Attaches @registry to @widget: hs_gtk_widget_get_registry() of @widget
 * and of every descendant without a nearer registry returns it. The widget
 * keeps a reference to @registry until it is finalized or another registry
 * is attached.
 *
 * The rooted descendants (and @widget itself) that asked for
 * hs_gtk_widget_inject_when_rooted() are injected again from their nearest
 * registry, which is what a template-built window needs: its template
 * children are rooted before the code that made the window attaches the
 * window's registry.
 *
 * Since: 0.2
 */
void
hs_gtk_widget_set_registry (GtkWidget  *widget,
                            HsRegistry *registry)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (registry == NULL || HS_IS_REGISTRY (registry));

  set_registry (G_OBJECT (widget), registry);
  if (registry != NULL)
    inject_subtree (widget);
}

/**
 * hs_gtk_widget_get_registry:
 * @widget: a `GtkWidget`
 *
 * Finds the registry that serves @widget: the one attached to @widget with
 * hs_gtk_widget_set_registry(), else the nearest attached to one of its
 * ancestors, up to its root, else the one attached with
 * hs_gtk_application_set_registry() to the `GtkApplication` of its root
 * window.
 *
 * Returns: (transfer none) (nullable): the nearest registry, or %NULL when
 *   there is none
 *
 * Since: 0.2
 */
HsRegistry *
hs_gtk_widget_get_registry (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  ensure_quarks ();
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      HsRegistry *registry = g_object_get_qdata (G_OBJECT (w), registry_quark);

      if (registry != NULL)
        return registry;
    }

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      GtkApplication *application = gtk_window_get_application (GTK_WINDOW (root));

      if (application != NULL)
        return hs_gtk_application_get_registry (application);
    }

  return NULL;
}

static void
root_changed (GtkWidget  *widget,
              GParamSpec *pspec,
              gpointer    user_data)
{
  if (gtk_widget_get_root (widget) != NULL)
    inject_widget (widget);
}

/**
 * hs_gtk_widget_inject_when_rooted:
 * @widget: a `GtkWidget`, typically built from a template
 *
 * Injects @widget from its nearest registry (see
 * hs_gtk_widget_get_registry()) with hs_registry_inject() and that
 * registry's context: now, when @widget is already rooted, then each time
 * it gets a new root (moved to another window, it gets that window's
 * services), and each time a registry is attached to it or to one of its
 * ancestors while it is rooted.
 *
 * Calling this again on the same widget changes nothing.
 *
 * Since: 0.2
 */
void
hs_gtk_widget_inject_when_rooted (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  ensure_quarks ();
  if (g_object_get_qdata (G_OBJECT (widget), rooted_quark) != NULL)
    return;

  g_object_set_qdata (G_OBJECT (widget), rooted_quark, GINT_TO_POINTER (TRUE));
  g_signal_connect (widget, "notify::root", G_CALLBACK (root_changed), NULL);
  if (gtk_widget_get_root (widget) != NULL)
    inject_widget (widget);
}

/**
 * hs_gtk_widget_reinject:
 * @widget: a `GtkWidget`, typically a window
 *
 * Injects again, from their nearest registries, @widget and every widget
 * below it that asked for hs_gtk_widget_inject_when_rooted() and is rooted:
 * call it when what the registries answer has changed, for example from
 * handlers of the manager's #HsRegistryManager::module-loaded and (with
 * g_signal_connect_after()) #HsRegistryManager::unloaded signals, so that
 * windows opened before a plugin was loaded get its services.
 *
 * Since: 0.2
 */
void
hs_gtk_widget_reinject (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  ensure_quarks ();
  inject_subtree (widget);
}

/**
 * hs_gtk_application_set_registry:
 * @application: a `GtkApplication`
 * @registry: (nullable): the registry that serves every window of
 *   @application, or %NULL to detach the one attached
 *
 * Attaches @registry to @application: hs_gtk_widget_get_registry() of any
 * widget in one of its windows returns it when no nearer registry is
 * attached along the widget tree. The application keeps a reference to
 * @registry until it is finalized or another registry is attached.
 *
 * The widgets of the application's windows that asked for
 * hs_gtk_widget_inject_when_rooted() are injected again.
 *
 * Since: 0.2
 */
void
hs_gtk_application_set_registry (GtkApplication *application,
                                 HsRegistry     *registry)
{
  g_return_if_fail (GTK_IS_APPLICATION (application));
  g_return_if_fail (registry == NULL || HS_IS_REGISTRY (registry));

  set_registry (G_OBJECT (application), registry);
  if (registry != NULL)
    for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
      inject_subtree (l->data);
}

/**
 * hs_gtk_application_get_registry:
 * @application: a `GtkApplication`
 *
 * The registry attached to @application with
 * hs_gtk_application_set_registry().
 *
 * Returns: (transfer none) (nullable): the application's registry, or %NULL
 *
 * Since: 0.2
 */
HsRegistry *
hs_gtk_application_get_registry (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  ensure_quarks ();
  return g_object_get_qdata (G_OBJECT (application), registry_quark);
}
