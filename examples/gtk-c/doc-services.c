/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "doc-services.h"

/* DocDocument */

typedef struct { char *title; char *text; } DocDocumentPrivate;
enum { DOCUMENT_PROP_TITLE = 1, DOCUMENT_PROP_TEXT };
G_DEFINE_TYPE_WITH_PRIVATE (DocDocument, doc_document, G_TYPE_OBJECT)

static void
doc_document_finalize (GObject *object)
{
  DocDocumentPrivate *priv = doc_document_get_instance_private (DOC_DOCUMENT (object));

  g_free (priv->title);
  g_free (priv->text);
  G_OBJECT_CLASS (doc_document_parent_class)->finalize (object);
}

static void
doc_document_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  DocDocumentPrivate *priv = doc_document_get_instance_private (DOC_DOCUMENT (object));

  if (id == DOCUMENT_PROP_TITLE)
    priv->title = g_value_dup_string (value);
  else
    priv->text = g_value_dup_string (value);
}

static void
doc_document_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  DocDocumentPrivate *priv = doc_document_get_instance_private (DOC_DOCUMENT (object));

  g_value_set_string (value, id == DOCUMENT_PROP_TITLE ? priv->title : priv->text);
}

static void
doc_document_class_init (DocDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = doc_document_finalize;
  object_class->set_property = doc_document_set_property;
  object_class->get_property = doc_document_get_property;
  g_object_class_install_property (object_class, DOCUMENT_PROP_TITLE,
    g_param_spec_string ("title", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, DOCUMENT_PROP_TEXT,
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void doc_document_init (DocDocument *self) { }

const char *
doc_document_get_title (DocDocument *self)
{
  return ((DocDocumentPrivate *) doc_document_get_instance_private (self))->title;
}

const char *
doc_document_get_text (DocDocument *self)
{
  return ((DocDocumentPrivate *) doc_document_get_instance_private (self))->text;
}

/* DocLetter */

struct _DocLetter { DocDocument parent_instance; char *recipient; };
G_DEFINE_FINAL_TYPE (DocLetter, doc_letter, DOC_TYPE_DOCUMENT)

static void
doc_letter_finalize (GObject *object)
{
  g_free (DOC_LETTER (object)->recipient);
  G_OBJECT_CLASS (doc_letter_parent_class)->finalize (object);
}

static void
doc_letter_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  DOC_LETTER (object)->recipient = g_value_dup_string (value);
}

static void
doc_letter_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_string (value, DOC_LETTER (object)->recipient);
}

static void
doc_letter_class_init (DocLetterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = doc_letter_finalize;
  object_class->set_property = doc_letter_set_property;
  object_class->get_property = doc_letter_get_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_string ("recipient", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void doc_letter_init (DocLetter *self) { }

const char *
doc_letter_get_recipient (DocLetter *self)
{
  return self->recipient;
}

/* DocFormatter and DocLetterFormatter */

G_DEFINE_TYPE (DocFormatter, doc_formatter, G_TYPE_OBJECT)

static char *
doc_formatter_real_format (DocFormatter *self,
                           DocDocument  *document)
{
  return g_strdup_printf ("%s: %s", doc_document_get_title (document),
                          doc_document_get_text (document));
}

static void
doc_formatter_class_init (DocFormatterClass *klass)
{
  klass->format = doc_formatter_real_format;
}

static void doc_formatter_init (DocFormatter *self) { }

char *
doc_formatter_format (DocFormatter *self,
                      DocDocument  *document)
{
  return DOC_FORMATTER_GET_CLASS (self)->format (self, document);
}

struct _DocLetterFormatter { DocFormatter parent_instance; };
G_DEFINE_FINAL_TYPE (DocLetterFormatter, doc_letter_formatter, DOC_TYPE_FORMATTER)

static char *
doc_letter_formatter_format (DocFormatter *self,
                             DocDocument  *document)
{
  const char *recipient = DOC_IS_LETTER (document)
    ? doc_letter_get_recipient (DOC_LETTER (document)) : "reader";

  return g_strdup_printf ("%s: Dear %s, %s", doc_document_get_title (document),
                          recipient, doc_document_get_text (document));
}

static void
doc_letter_formatter_class_init (DocLetterFormatterClass *klass)
{
  DOC_FORMATTER_CLASS (klass)->format = doc_letter_formatter_format;
}

static void doc_letter_formatter_init (DocLetterFormatter *self) { }

/* DocStatus */

struct _DocStatus { GObject parent_instance; char *text; };
G_DEFINE_FINAL_TYPE (DocStatus, doc_status, G_TYPE_OBJECT)

static void
doc_status_finalize (GObject *object)
{
  g_free (DOC_STATUS (object)->text);
  G_OBJECT_CLASS (doc_status_parent_class)->finalize (object);
}

static void
doc_status_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  DOC_STATUS (object)->text = g_value_dup_string (value);
}

static void
doc_status_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_string (value, DOC_STATUS (object)->text);
}

static void
doc_status_class_init (DocStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = doc_status_finalize;
  object_class->set_property = doc_status_set_property;
  object_class->get_property = doc_status_get_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_string ("text", NULL, NULL, "Ready",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void doc_status_init (DocStatus *self) { }

DocStatus *
doc_status_new (const char *text)
{
  return g_object_new (DOC_TYPE_STATUS, "text", text, NULL);
}

const char *
doc_status_get_text (DocStatus *self)
{
  return self->text;
}

/* DocIndex */

struct _DocIndex
{
  GObject      parent_instance;
  DocDocument *document;
  guint        serial;
  guint        words;
  guint        lines;
};

G_DEFINE_FINAL_TYPE (DocIndex, doc_index, G_TYPE_OBJECT)

static void
doc_index_constructed (GObject *object)
{
  static guint last_serial;
  DocIndex *self = DOC_INDEX (object);
  const char *text = self->document != NULL ? doc_document_get_text (self->document) : "";
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", -1);

  G_OBJECT_CLASS (doc_index_parent_class)->constructed (object);
  self->serial = ++last_serial;
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      self->words++;
  self->lines = text[0] != '\0' ? 1 : 0;
  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n' && p[1] != '\0')
      self->lines++;
}

static void
doc_index_dispose (GObject *object)
{
  g_clear_object (&DOC_INDEX (object)->document);
  G_OBJECT_CLASS (doc_index_parent_class)->dispose (object);
}

static void
doc_index_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  DOC_INDEX (object)->document = g_value_dup_object (value);
}

static void
doc_index_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, DOC_INDEX (object)->document);
}

static void
doc_index_class_init (DocIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = doc_index_constructed;
  object_class->dispose = doc_index_dispose;
  object_class->set_property = doc_index_set_property;
  object_class->get_property = doc_index_get_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("document", NULL, NULL, DOC_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* The document is the context of the registry that builds the index. */
  hs_object_class_inject_context (object_class, "document", NULL, NULL);
}

static void doc_index_init (DocIndex *self) { }

guint
doc_index_get_serial (DocIndex *self)
{
  return self->serial;
}

guint
doc_index_get_words (DocIndex *self)
{
  return self->words;
}

guint
doc_index_get_lines (DocIndex *self)
{
  return self->lines;
}

DocDocument *
doc_index_get_document (DocIndex *self)
{
  return self->document;
}

/* DocRegistry: made once, on first use, by the manager, which subscribes
 * it to its own key once it is reachable, so that registry functions can
 * fill it. */

struct _DocRegistry { HsRegistry parent_instance; };
G_DEFINE_FINAL_TYPE (DocRegistry, doc_registry, HS_TYPE_REGISTRY)

static void doc_registry_class_init (DocRegistryClass *klass) { }
static void doc_registry_init (DocRegistry *self) { }

DocRegistry *
doc_registry_get_default (void)
{
  return hs_registry_manager_ensure_registry (hs_registry_manager_get_default (),
                                              DOC_TYPE_REGISTRY);
}

/* The services every application has. */
HS_REGISTRY_FUNCTION (DocRegistry, DocServices)
{
  HsRegistry *registry = HS_REGISTRY (doc_registry_get_default ());

  hs_registry_register_type (registry, DOC_TYPE_FORMATTER, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  hs_registry_register_type (registry, DOC_TYPE_LETTER_FORMATTER, DOC_TYPE_FORMATTER,
                             DOC_TYPE_LETTER, NULL);
  hs_registry_register_type (registry, DOC_TYPE_STATUS, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
  /* Scoped: built by the registry that asks (a window's), once, with that
   * registry's context (the window's document). */
  hs_registry_register_type_full (registry, DOC_TYPE_INDEX, G_TYPE_INVALID, G_TYPE_INVALID,
                                  HS_LIFETIME_SCOPED, NULL);
}
