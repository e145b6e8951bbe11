/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The services of the Documents example: documents, the formatter that
 * shows one, the status that describes one, the index of one (one per
 * window), and the application's
 * registry, which plugins fill through HS_REGISTRY_FUNCTION (DocRegistry, ...).
 */
#pragma once

#include <hopscotch.h>

G_BEGIN_DECLS

/* A document, and a letter (a kind of document with a recipient). */
#define DOC_TYPE_DOCUMENT (doc_document_get_type ())
G_DECLARE_DERIVABLE_TYPE (DocDocument, doc_document, DOC, DOCUMENT, GObject)
struct _DocDocumentClass { GObjectClass parent_class; };

#define DOC_TYPE_LETTER (doc_letter_get_type ())
G_DECLARE_FINAL_TYPE (DocLetter, doc_letter, DOC, LETTER, DocDocument)

const char  *doc_document_get_title     (DocDocument *self);
const char  *doc_document_get_text      (DocDocument *self);
const char  *doc_letter_get_recipient   (DocLetter   *self);

/* Shows a document as one line; DocLetterFormatter, for the DocLetter
 * context, adds the greeting. */
#define DOC_TYPE_FORMATTER (doc_formatter_get_type ())
G_DECLARE_DERIVABLE_TYPE (DocFormatter, doc_formatter, DOC, FORMATTER, GObject)
struct _DocFormatterClass
{
  GObjectClass parent_class;
  char *(*format) (DocFormatter *self, DocDocument *document);
};

#define DOC_TYPE_LETTER_FORMATTER (doc_letter_formatter_get_type ())
G_DECLARE_FINAL_TYPE (DocLetterFormatter, doc_letter_formatter, DOC, LETTER_FORMATTER, DocFormatter)

char        *doc_formatter_format       (DocFormatter *self,
                                         DocDocument  *document);

/* What the status bar says about a document: "Ready" unless a plugin
 * registers something better. */
#define DOC_TYPE_STATUS (doc_status_get_type ())
G_DECLARE_FINAL_TYPE (DocStatus, doc_status, DOC, STATUS, GObject)

DocStatus   *doc_status_new             (const char *text);
const char  *doc_status_get_text        (DocStatus  *self);

/* What a window knows about its document (its words and lines), built once
 * per window: registered SCOPED, so that each window's registry builds its
 * own, shares it among the window's widgets and releases it when closed.
 * Each one has a serial number, in the order they were built. */
#define DOC_TYPE_INDEX (doc_index_get_type ())
G_DECLARE_FINAL_TYPE (DocIndex, doc_index, DOC, INDEX, GObject)

guint        doc_index_get_serial       (DocIndex   *self);
guint        doc_index_get_words        (DocIndex   *self);
guint        doc_index_get_lines        (DocIndex   *self);
DocDocument *doc_index_get_document     (DocIndex   *self);

/* The application's registry: one per process, made on first use, filled by
 * the registry functions of the program, its libraries and its plugins. */
#define DOC_TYPE_REGISTRY (doc_registry_get_type ())
G_DECLARE_FINAL_TYPE (DocRegistry, doc_registry, DOC, REGISTRY, HsRegistry)

DocRegistry *doc_registry_get_default   (void);

G_END_DECLS
