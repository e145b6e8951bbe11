/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Hopscotch Documents, in C: a GTK 4 application whose windows get their
 * services from registries along the widget tree.
 *
 * - DocRegistry, the application's registry, holds the services: a
 *   DocFormatter, a DocLetterFormatter for the DocLetter context, a
 *   DocStatus ("Ready").
 * - Each window is built by a per-window child registry whose context is
 *   the window's document, and keeps that registry (hs_gtk_widget_set_registry()).
 * - DocIndex is registered SCOPED: each window's registry builds one, the
 *   first time one of its widgets asks, and shares it among them. The
 *   window closes its registry when it is destroyed, which releases it.
 * - The window comes from a template; its children (DocPreview,
 *   DocStatusBar) never pass through a registry: they ask to be injected
 *   when rooted, and get the formatter, the document and the status of
 *   their window's registry.
 * - A plugin (wordcount-plugin.so), loaded and unloaded at run time,
 *   replaces the status service; the windows are injected again when a
 *   module comes or goes.
 * - Each window's header bar has a GtkDropDown of every status provider:
 *   its model is a live list of the window's registry
 *   (hs_registry_list()), so the plugin's provider appears in it when the
 *   plugin is loaded and goes when it is unloaded; each item shows what
 *   that provider says about the window's document (hs_registry_build()).
 *
 *   documents [--self-test PLUGIN [--screenshot FILE.png]]
 *
 * With --self-test it opens its windows, prints what each shows and which
 * DocIndex its widgets share, loads the plugin, prints again (and saves a
 * picture of the first window), unloads it, prints again, checks that each
 * window's registry built its index once, and closes the windows.
 */
#include <hopscotch-gtk.h>

#include "doc-services.h"

/* DocPreview: a label showing the document through the formatter. Both
 * are dependencies it cannot get at construction (GtkBuilder makes it):
 * "formatter" is marked auto, "document" is the lookup context. It also
 * keeps its window's DocIndex (not shown: it is there to be shared). */

#define DOC_TYPE_PREVIEW (doc_preview_get_type ())
G_DECLARE_FINAL_TYPE (DocPreview, doc_preview, DOC, PREVIEW, GtkWidget)

struct _DocPreview
{
  GtkWidget     parent_instance;
  GtkWidget    *label;
  DocFormatter *formatter;
  DocDocument  *document;
  DocIndex     *index;
};

enum { PREVIEW_PROP_FORMATTER = 1, PREVIEW_PROP_DOCUMENT, PREVIEW_PROP_INDEX };
G_DEFINE_FINAL_TYPE (DocPreview, doc_preview, GTK_TYPE_WIDGET)

static void
doc_preview_update (DocPreview *self)
{
  g_autofree char *text = NULL;

  if (self->formatter != NULL && self->document != NULL)
    text = doc_formatter_format (self->formatter, self->document);
  gtk_label_set_text (GTK_LABEL (self->label), text != NULL ? text : "");
}

static void
doc_preview_dispose (GObject *object)
{
  DocPreview *self = DOC_PREVIEW (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_object (&self->formatter);
  g_clear_object (&self->document);
  g_clear_object (&self->index);
  G_OBJECT_CLASS (doc_preview_parent_class)->dispose (object);
}

static void
doc_preview_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  DocPreview *self = DOC_PREVIEW (object);

  if (id == PREVIEW_PROP_INDEX)
    {
      g_set_object (&self->index, g_value_get_object (value));
      return;
    }
  if (id == PREVIEW_PROP_FORMATTER)
    g_set_object (&self->formatter, g_value_get_object (value));
  else
    g_set_object (&self->document, g_value_get_object (value));
  doc_preview_update (self);
}

static void
doc_preview_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  DocPreview *self = DOC_PREVIEW (object);

  if (id == PREVIEW_PROP_INDEX)
    g_value_set_object (value, self->index);
  else
    g_value_set_object (value, id == PREVIEW_PROP_FORMATTER ? (GObject *) self->formatter
                                                            : (GObject *) self->document);
}

static void
doc_preview_class_init (DocPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = doc_preview_dispose;
  object_class->set_property = doc_preview_set_property;
  object_class->get_property = doc_preview_get_property;
  g_object_class_install_property (object_class, PREVIEW_PROP_FORMATTER,
    g_param_spec_object ("formatter", NULL, NULL, DOC_TYPE_FORMATTER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PREVIEW_PROP_DOCUMENT,
    g_param_spec_object ("document", NULL, NULL, DOC_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PREVIEW_PROP_INDEX,
    g_param_spec_object ("index", NULL, NULL, DOC_TYPE_INDEX,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  /* A read-write property is injected only when marked. */
  hs_object_class_inject_auto (object_class, "formatter", NULL);
  hs_object_class_inject_context (object_class, "document", NULL, NULL);
  hs_object_class_inject_auto (object_class, "index", NULL);

  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
doc_preview_init (DocPreview *self)
{
  self->label = gtk_label_new ("");
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  hs_gtk_widget_inject_when_rooted (GTK_WIDGET (self));
}

/* DocStatusBar: shows the status service's text, and keeps its window's
 * DocIndex too. */

#define DOC_TYPE_STATUS_BAR (doc_status_bar_get_type ())
G_DECLARE_FINAL_TYPE (DocStatusBar, doc_status_bar, DOC, STATUS_BAR, GtkWidget)

struct _DocStatusBar
{
  GtkWidget  parent_instance;
  GtkWidget *label;
  DocStatus *status;
  DocIndex  *index;
};

enum { STATUS_BAR_PROP_STATUS = 1, STATUS_BAR_PROP_INDEX };

G_DEFINE_FINAL_TYPE (DocStatusBar, doc_status_bar, GTK_TYPE_WIDGET)

static void
doc_status_bar_dispose (GObject *object)
{
  DocStatusBar *self = DOC_STATUS_BAR (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_object (&self->status);
  g_clear_object (&self->index);
  G_OBJECT_CLASS (doc_status_bar_parent_class)->dispose (object);
}

static void
doc_status_bar_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  DocStatusBar *self = DOC_STATUS_BAR (object);

  if (id == STATUS_BAR_PROP_INDEX)
    {
      g_set_object (&self->index, g_value_get_object (value));
      return;
    }
  g_set_object (&self->status, g_value_get_object (value));
  gtk_label_set_text (GTK_LABEL (self->label),
                      self->status != NULL ? doc_status_get_text (self->status) : "");
}

static void
doc_status_bar_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  DocStatusBar *self = DOC_STATUS_BAR (object);

  g_value_set_object (value, id == STATUS_BAR_PROP_INDEX ? (GObject *) self->index
                                                         : (GObject *) self->status);
}

static void
doc_status_bar_class_init (DocStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = doc_status_bar_dispose;
  object_class->set_property = doc_status_bar_set_property;
  object_class->get_property = doc_status_bar_get_property;
  g_object_class_install_property (object_class, STATUS_BAR_PROP_STATUS,
    g_param_spec_object ("status", NULL, NULL, DOC_TYPE_STATUS,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, STATUS_BAR_PROP_INDEX,
    g_param_spec_object ("index", NULL, NULL, DOC_TYPE_INDEX,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  hs_object_class_inject_auto (object_class, "status", NULL);
  hs_object_class_inject_auto (object_class, "index", NULL);

  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
doc_status_bar_init (DocStatusBar *self)
{
  self->label = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_widget_add_css_class (self->label, "dim-label");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  hs_gtk_widget_inject_when_rooted (GTK_WIDGET (self));
}

/* DocWindow: a template; registered in DocRegistry and built by each
 * window's own registry. */

#define DOC_TYPE_WINDOW (doc_window_get_type ())
G_DECLARE_FINAL_TYPE (DocWindow, doc_window, DOC, WINDOW, GtkApplicationWindow)

struct _DocWindow
{
  GtkApplicationWindow  parent_instance;
  DocPreview           *preview;
  DocStatusBar         *status_bar;
};

G_DEFINE_FINAL_TYPE (DocWindow, doc_window, GTK_TYPE_APPLICATION_WINDOW)

static void
doc_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOC_TYPE_WINDOW);
  G_OBJECT_CLASS (doc_window_parent_class)->dispose (object);
}

static void
doc_window_class_init (DocWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = doc_window_dispose;
  g_type_ensure (DOC_TYPE_PREVIEW);
  g_type_ensure (DOC_TYPE_STATUS_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/hopscotch/Documents/doc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DocWindow, preview);
  gtk_widget_class_bind_template_child (widget_class, DocWindow, status_bar);
}

static void
doc_window_init (DocWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HS_REGISTRY_FUNCTION (DocRegistry, DocWindows)
{
  hs_registry_register_type (HS_REGISTRY (doc_registry_get_default ()),
                             DOC_TYPE_WINDOW, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
}

/* The application */

typedef struct
{
  GtkApplication *app;
  const char     *plugin;
  const char     *screenshot;
  GPtrArray      *windows;                /* DocWindow, unowned: GTK holds them */
  guint           step;
  gboolean        failed;
} Documents;

/* What the self-test says when a window's DocIndex goes, and when the
 * window's registry has closed. */
static void
index_released (gpointer  message,
                GObject  *where_the_index_was)
{
  g_print ("%s\n", (char *) message);
  g_free (message);
}

static void
registry_closed (HsRegistry *scope,
                 const char *title)
{
  g_print ("%s: registry closed\n", title);
}

/* The label of a status provider in a window's drop-down: what it says
 * about the window's document, built by the window's registry (nothing
 * once the window is closing). */
static char *
status_provider_label (HsRegistration *registration,
                       HsRegistry     *scope)
{
  g_autoptr(DocStatus) status = NULL;

  if (registration == NULL || hs_registry_is_closed (scope))
    return g_strdup ("");
  status = hs_registry_build (scope, registration, NULL, NULL);
  return g_strdup (status != NULL ? doc_status_get_text (status) : "");
}

/* Item 0 is the provider in use (what a get answers): show it. */
static void
select_provider_in_use (GListModel  *providers,
                        guint        position,
                        guint        removed,
                        guint        added,
                        GtkDropDown *drop_down)
{
  gtk_drop_down_set_selected (drop_down, 0);
}

/* A drop-down of every status provider that answers in @scope, the one in
 * use first: a live list, updated as plugins come and go. */
static GtkWidget *
status_providers_new (HsRegistry *scope)
{
  GListModel *providers = hs_registry_list (scope, DOC_TYPE_STATUS, NULL);
  /* The window keeps its registry for as long as the drop-down lives. */
  GtkExpression *label = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                      G_CALLBACK (status_provider_label),
                                                      scope, NULL);
  GtkWidget *drop_down = gtk_drop_down_new (providers, label);

  /* After the drop-down's own handler. */
  g_signal_connect_object (providers, "items-changed", G_CALLBACK (select_provider_in_use),
                           drop_down, 0);
  return drop_down;
}

static DocWindow *
open_window (Documents   *documents,
             DocDocument *document)
{
  g_autoptr(HsRegistry) scope = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *providers;
  DocWindow *window;

  /* One registry per window: its context is the window's document. */
  scope = hs_registry_new (HS_REGISTRY (doc_registry_get_default ()), G_OBJECT (document));
  window = hs_registry_get (scope, DOC_TYPE_WINDOW, NULL, &error);
  if (window == NULL)
    g_error ("Cannot build a window: %s", error->message);

  gtk_window_set_application (GTK_WINDOW (window), documents->app);
  gtk_window_set_title (GTK_WINDOW (window), doc_document_get_title (document));
  /* Its template children are injected now, from this registry. */
  hs_gtk_widget_set_registry (GTK_WIDGET (window), scope);
  providers = status_providers_new (scope);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (gtk_window_get_titlebar (GTK_WINDOW (window))),
                           providers);
  g_object_set_data (G_OBJECT (window), "status-providers", providers);
  /* The window keeps its registry until it is finalized; closing it when
   * the window is destroyed releases what it built (the window's DocIndex)
   * now, last built first, and cancels its cancellable. */
  g_signal_connect_object (window, "destroy", G_CALLBACK (hs_registry_close), scope,
                           G_CONNECT_SWAPPED);
  if (documents->plugin != NULL)
    g_signal_connect_data (scope, "closed", G_CALLBACK (registry_closed),
                           g_strdup (doc_document_get_title (document)),
                           (GClosureNotify) (void (*) (void)) g_free, 0);
  gtk_window_present (GTK_WINDOW (window));
  g_ptr_array_add (documents->windows, window);

  /* GTK keeps its toplevel reference; get gave us one of our own. */
  g_object_unref (window);
  return window;
}

/* A plugin came or went: what the registries answer changed, so the
 * windows' children are injected again. */
static void
modules_changed (HsRegistryManager *manager,
                 const char        *name,
                 Documents         *documents)
{
  for (GList *l = gtk_application_get_windows (documents->app); l != NULL; l = l->next)
    hs_gtk_widget_reinject (GTK_WIDGET (l->data));
}

static void
print_windows (Documents *documents)
{
  for (guint i = 0; i < documents->windows->len; i++)
    {
      DocWindow *window = g_ptr_array_index (documents->windows, i);

      g_print ("%s | %s | %s\n", gtk_window_get_title (GTK_WINDOW (window)),
               gtk_label_get_text (GTK_LABEL (window->preview->label)),
               gtk_label_get_text (GTK_LABEL (window->status_bar->label)));
    }
}

/* What each window's drop-down of status providers holds. */
static void
print_providers (Documents *documents)
{
  for (guint i = 0; i < documents->windows->len; i++)
    {
      DocWindow *window = g_ptr_array_index (documents->windows, i);
      GtkDropDown *providers = g_object_get_data (G_OBJECT (window), "status-providers");
      GListModel *model = gtk_drop_down_get_model (providers);
      HsRegistry *scope = hs_gtk_widget_get_registry (GTK_WIDGET (window));
      g_autofree char *selected = status_provider_label (gtk_drop_down_get_selected_item (providers),
                                                         scope);
      GString *labels = g_string_new (NULL);

      for (guint k = 0; k < g_list_model_get_n_items (model); k++)
        {
          g_autoptr(HsRegistration) registration = g_list_model_get_item (model, k);
          g_autofree char *label = status_provider_label (registration, scope);

          g_string_append_printf (labels, "%s%s", k > 0 ? ", " : "", label);
        }
      g_print ("%s: %u status provider%s in the drop-down: %s (selected: %s)\n",
               gtk_window_get_title (GTK_WINDOW (window)), g_list_model_get_n_items (model),
               g_list_model_get_n_items (model) == 1 ? "" : "s", labels->str, selected);
      g_string_free (labels, TRUE);
    }
}

/* The widgets of a window share its DocIndex; the first time, the
 * self-test also watches for its release. */
static void
print_indexes (Documents *documents,
               gboolean   watch)
{
  for (guint i = 0; i < documents->windows->len; i++)
    {
      DocWindow *window = g_ptr_array_index (documents->windows, i);
      const char *title = gtk_window_get_title (GTK_WINDOW (window));
      DocIndex *index = window->preview->index;

      if (index == NULL || index != window->status_bar->index)
        {
          g_printerr ("%s: its widgets do not share one DocIndex\n", title);
          documents->failed = TRUE;
          continue;
        }
      g_print ("%s: preview and status bar share DocIndex #%u (%s, %u words, %u line)\n",
               title, doc_index_get_serial (index),
               doc_document_get_title (doc_index_get_document (index)),
               doc_index_get_words (index), doc_index_get_lines (index));
      if (watch)
        g_object_weak_ref (G_OBJECT (index), index_released,
                           g_strdup_printf ("%s: DocIndex #%u released",
                                            title, doc_index_get_serial (index)));
    }
}

static gboolean
save_screenshot (GtkWidget  *widget,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}

static gboolean
all_mapped (Documents *documents)
{
  for (guint i = 0; i < documents->windows->len; i++)
    if (!gtk_widget_get_mapped (g_ptr_array_index (documents->windows, i)))
      return FALSE;
  return TRUE;
}

/* The self-test, one step per timeout, so that the windows are drawn
 * between steps. */
static gboolean
self_test_step (gpointer data)
{
  Documents *documents = data;
  HsRegistryManager *manager = hs_registry_manager_get_default ();
  g_autoptr(GError) error = NULL;

  if (!all_mapped (documents))
    return G_SOURCE_CONTINUE;

  switch (documents->step++)
    {
    case 0:
      print_windows (documents);
      print_indexes (documents, TRUE);
      print_providers (documents);
      if (!hs_registry_manager_load_module (manager, documents->plugin, &error))
        g_error ("Cannot load %s: %s", documents->plugin, error->message);
      g_print ("Loaded the word-count plugin\n");
      print_windows (documents);
      print_providers (documents);
      return G_SOURCE_CONTINUE;

    case 1:
      /* Drawn once more with the plugin's status: the picture. */
      if (documents->screenshot != NULL &&
          !save_screenshot (g_ptr_array_index (documents->windows, 0), documents->screenshot))
        {
          g_printerr ("Cannot save the screenshot to %s\n", documents->screenshot);
          documents->failed = TRUE;
        }
      if (!hs_registry_manager_unload_module (manager, documents->plugin, &error))
        g_error ("Cannot unload %s: %s", documents->plugin, error->message);
      g_print ("Unloaded the word-count plugin\n");
      print_windows (documents);
      print_providers (documents);
      /* Injected three times, built once per window. */
      print_indexes (documents, FALSE);
      return G_SOURCE_CONTINUE;

    default:
      for (guint i = 0; i < documents->windows->len; i++)
        gtk_window_destroy (g_ptr_array_index (documents->windows, i));
      g_ptr_array_set_size (documents->windows, 0);
      return G_SOURCE_REMOVE;
    }
}

static void
activate (GtkApplication *app,
          Documents      *documents)
{
  g_autoptr(DocDocument) note = NULL;
  g_autoptr(DocDocument) letter = NULL;

  if (documents->windows->len > 0)
    {
      gtk_window_present (g_ptr_array_index (documents->windows, 0));
      return;
    }

  note = g_object_new (DOC_TYPE_DOCUMENT, "title", "Shopping list",
                       "text", "Eggs, milk and bread", NULL);
  letter = g_object_new (DOC_TYPE_LETTER, "title", "Hello again", "recipient", "Marie",
                         "text", "Thank you for your letter.", NULL);
  open_window (documents, note);
  open_window (documents, letter);

  if (documents->plugin != NULL)
    g_timeout_add (200, self_test_step, documents);
}

int
main (int    argc,
      char **argv)
{
  Documents documents = { 0 };
  HsRegistryManager *manager;
  int status;

  if (argc >= 3 && g_str_equal (argv[1], "--self-test"))
    {
      documents.plugin = argv[2];
      if (argc >= 5 && g_str_equal (argv[3], "--screenshot"))
        documents.screenshot = argv[4];
    }

  documents.windows = g_ptr_array_new ();
  documents.app = gtk_application_new ("org.hopscotch.Documents", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (documents.app, "activate", G_CALLBACK (activate), &documents);

  manager = hs_registry_manager_get_default ();
  g_signal_connect (manager, "module-loaded", G_CALLBACK (modules_changed), &documents);
  /* After the default handler, which removes what the module registered. */
  g_signal_connect_after (manager, "unloaded", G_CALLBACK (modules_changed), &documents);

  status = g_application_run (G_APPLICATION (documents.app), 1, argv);

  g_signal_handlers_disconnect_by_data (manager, &documents);
  g_object_unref (documents.app);
  g_ptr_array_unref (documents.windows);
  return status != 0 || documents.failed ? 1 : 0;
}
