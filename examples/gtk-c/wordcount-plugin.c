/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A plugin of the Documents example: it replaces the status service with
 * one that counts the words of the document (the lookup context). Loading
 * it runs nothing by itself; its registry function runs when DocRegistry
 * is subscribed (at once, when it already is), and what it registers is
 * unregistered when the plugin is unloaded.
 */
#include "doc-services.h"

static GObject *
word_count_status (HsRegistry    *registry,
                   GObject       *context,
                   guint          n_properties,
                   const char   **names,
                   const GValue  *values,
                   gpointer       user_data,
                   GError       **error)
{
  g_auto(GStrv) words = NULL;
  g_autofree char *text = NULL;
  guint n_words = 0;

  if (!DOC_IS_DOCUMENT (context))
    return G_OBJECT (doc_status_new ("No document"));

  words = g_strsplit_set (doc_document_get_text (DOC_DOCUMENT (context)), " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      n_words++;

  text = g_strdup_printf ("%u words", n_words);
  return G_OBJECT (doc_status_new (text));
}

HS_REGISTRY_FUNCTION (DocRegistry, WordCount)
{
  /* The newest registration of a kind wins in its registry: this one, while
   * the plugin is loaded. */
  hs_registry_register_factory (HS_REGISTRY (doc_registry_get_default ()),
                                DOC_TYPE_STATUS, G_TYPE_INVALID,
                                word_count_status, NULL, NULL, NULL);
}
