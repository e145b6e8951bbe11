/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-explain-private.h"
#include "hs-debug-private.h"
#include "hs-kind-private.h"

/* The text is for a person reading a log or a terminal: untranslated, as
 * the logs are, so that it reads the same in every bug report. */

static void
append_registry_name (GString    *out,
                      HsRegistry *registry)
{
  g_string_append_printf (out, "%s %p", G_OBJECT_TYPE_NAME (registry), (void *) registry);
}

static const char *
lifetime_name (const HsEntry *entry)
{
  if (entry->type == HS_REGISTRATION_INSTANCE)
    return "singleton (an instance)";

  switch (entry->lifetime)
    {
    case HS_LIFETIME_SINGLETON:
      return "singleton (built once, ranks as a type)";
    case HS_LIFETIME_SCOPED:
      return "scoped (built once per registry, ranks as a type)";
    case HS_LIFETIME_TRANSIENT:
    default:
      return "transient";
    }
}

/* "#3 type “FrenchGreeting”, context “Customer”, transient" */
static void
append_entry (GString       *out,
              const HsEntry *entry)
{
  g_string_append_printf (out, "#%u ", _hs_entry_id (entry));

  switch (entry->type)
    {
    case HS_REGISTRATION_INSTANCE:
      g_string_append_printf (out, "instance of “%s”", _hs_type_name (entry->implementation));
      break;
    case HS_REGISTRATION_FACTORY:
      g_string_append (out, "factory");
      break;
    case HS_REGISTRATION_TYPE:
    default:
      g_string_append_printf (out, "type “%s”", _hs_type_name (entry->implementation));
      break;
    }

  if (entry->context_type == G_TYPE_INVALID)
    g_string_append (out, ", any context");
  else
    g_string_append_printf (out, ", context “%s”", _hs_type_name (entry->context_type));

  g_string_append_printf (out, ", %s", lifetime_name (entry));
}

/* Appends @registry's candidates, ranked, each with the rule that puts it
 * before the next one; then, unless @hidden (a registry below decided),
 * which rule decides, and sets *@winner_out to a description of the
 * winner. Returns whether it decides. */
static gboolean
append_candidates (GString    *out,
                   HsRegistry *registry,
                   GType       kind,
                   GType       ctx_type,
                   gboolean    no_singletons,
                   gboolean    hidden,
                   char      **winner_out)
{
  HsIndex *index = _hs_registry_index (registry);
  GArray *candidates;
  gboolean closed, decides;

  g_mutex_lock (&index->lock);
  closed = g_atomic_int_get (&index->closed);
  candidates = _hs_index_candidates_locked (index, kind, ctx_type, no_singletons);

  g_string_append (out, "registry ");
  append_registry_name (out, registry);
  if (closed)
    g_string_append (out, " (closed: its gets fail)");
  if (candidates->len == 0)
    g_string_append (out, ": no candidate\n");
  else
    g_string_append_printf (out, ": %u candidate%s%s\n", candidates->len,
                            candidates->len == 1 ? "" : "s",
                            hidden ? ", hidden: a registry below decides" : "");

  for (guint i = 0; i < candidates->len; i++)
    {
      const HsCandidate *c = &g_array_index (candidates, HsCandidate, i);

      g_string_append_printf (out, "  %u. ", i + 1);
      append_entry (out, c->entry);
      if (i + 1 < candidates->len)
        {
          const HsCandidate *next = &g_array_index (candidates, HsCandidate, i + 1);

          g_string_append_printf (out, ": before #%u by %s", _hs_entry_id (next->entry),
                                  _hs_precedence_rule_name (_hs_precedence_decided_by (&c->rank,
                                                                                      &next->rank)));
        }
      g_string_append_c (out, '\n');
    }

  if (candidates->len > 0 && !hidden)
    {
      const HsCandidate *best = &g_array_index (candidates, HsCandidate, 0);
      GString *winner = g_string_new (NULL);

      if (candidates->len == 1)
        g_string_append (out, "  this registry decides: its only candidate\n");
      else
        {
          const HsCandidate *second = &g_array_index (candidates, HsCandidate, 1);

          g_string_append_printf (out, "  this registry decides, by %s\n",
                                  _hs_precedence_rule_name (_hs_precedence_decided_by (&best->rank,
                                                                                      &second->rank)));
        }

      append_entry (winner, best->entry);
      g_string_append (winner, " in registry ");
      append_registry_name (winner, registry);
      *winner_out = g_string_free (winner, FALSE);
    }

  g_mutex_unlock (&index->lock);

  decides = candidates->len > 0 && !hidden;
  g_array_unref (candidates);

  return decides;
}

static void
append_lookup (GString  *out,
               GType     kind,
               GType     ctx_type,
               gboolean  no_singletons)
{
  g_string_append_printf (out, "get of “%s”", _hs_type_name (kind));
  if (ctx_type != G_TYPE_INVALID)
    g_string_append_printf (out, " for a context “%s”", _hs_type_name (ctx_type));
  else
    g_string_append (out, " with no context");
  if (no_singletons)
    g_string_append (out, ", with props (instances and kept lifetimes are no candidates)");
}

void
_hs_explain_log_resolve (HsRegistry *self,
                         GType       kind,
                         GType       ctx_type,
                         gboolean    no_singletons)
{
  GString *out = g_string_new (NULL);
  HsRegistry *parent = _hs_registry_index (self)->parent;
  char *winner = NULL;

  append_lookup (out, kind, ctx_type, no_singletons);
  g_string_append (out, " (not cached), in ");
  append_candidates (out, self, kind, ctx_type, no_singletons, FALSE, &winner);

  if (winner != NULL)
    g_string_append_printf (out, "winner: %s", winner);
  else if (parent != NULL)
    {
      g_string_append (out, "asking the parent, ");
      append_registry_name (out, parent);
    }
  else
    g_string_append (out, "nothing answers from this root");

  g_debug ("%s", out->str);

  g_free (winner);
  g_string_free (out, TRUE);
}

/**
 * hs_registry_explain:
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 *
 * Explains, for a person, which registration a get of @kind from @self
 * would choose, and why: for each registry from @self up to the root, its
 * candidates ranked by the rules of precedence (each with its registration
 * id, what it is, its context type and its lifetime, and the rule that puts
 * it before the next), which registry decides and by which rule, and the
 * winner — or that nothing answers, with the error a get would give.
 *
 * Nothing is built and no answer is cached. The text is meant to be read,
 * not parsed: it is not translated, and may change between versions. The
 * same explanations are logged for each get when the `HOPSCOTCH_DEBUG`
 * environment variable has `resolve`.
 *
 * Returns: (transfer full): the explanation, several lines of text
 *
 * Since: 0.2
 */
char *
hs_registry_explain (HsRegistry *self,
                     GType       kind,
                     GObject    *context)
{
  GObject *lookup;
  GType ctx_type;
  GString *out;
  char *winner = NULL;
  gboolean decided = FALSE;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);

  lookup = context != NULL ? context : hs_registry_get_context (self);
  ctx_type = lookup != NULL ? G_OBJECT_TYPE (lookup) : G_TYPE_INVALID;

  out = g_string_new ("Explaining a ");
  append_lookup (out, kind, ctx_type, FALSE);
  if (lookup != NULL)
    g_string_append (out, context != NULL ? " (the context given)" : " (the registry’s own context)");
  g_string_append (out, "\n");

  if (!_hs_is_object_or_interface_type (kind))
    g_string_append_printf (out, "“%s” is not an object or interface type: nothing answers\n",
                            _hs_type_name (kind));
  else
    for (HsRegistry *r = self; r != NULL; r = _hs_registry_index (r)->parent)
      if (append_candidates (out, r, kind, ctx_type, FALSE, decided, &winner))
        decided = TRUE;

  if (_hs_index_chain_closed (_hs_registry_index (self)))
    g_string_append (out, "a registry on the way up is closed: the get fails\n");
  else if (winner != NULL)
    g_string_append_printf (out, "winner: %s\n", winner);
  else
    {
      GError *error = NULL;

      _hs_set_not_found_error (&error, kind, lookup);
      g_string_append_printf (out, "nothing answers: %s\n", error->message);
      g_error_free (error);
    }

  g_free (winner);

  return g_string_free (out, FALSE);
}
