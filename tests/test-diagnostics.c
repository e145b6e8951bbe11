/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Diagnostics (SPEC 14): hs_registry_explain()'s text, the debug log that
 * HOPSCOTCH_DEBUG turns on, and HS_REGISTRY_FUNCTION_FOR_TYPE(). The
 * manager is used only in subprocesses: taking this program's records in
 * warns. */
#include <hopscotch.h>

#include "hs-test-types.h"

/* A shop that wants a greeting, injected by the automatic rule. The debug
 * log goes to stdout, as GLib's default writer sends debug messages. */
#define DIAG_TYPE_SHOP (diag_shop_get_type ())
G_DECLARE_FINAL_TYPE (DiagShop, diag_shop, DIAG, SHOP, GObject)
struct _DiagShop { GObject parent_instance; TestGreeting *greeting; };
G_DEFINE_FINAL_TYPE (DiagShop, diag_shop, G_TYPE_OBJECT)

static void
diag_shop_dispose (GObject *object)
{
  g_clear_object (&DIAG_SHOP (object)->greeting);
  G_OBJECT_CLASS (diag_shop_parent_class)->dispose (object);
}

static void
diag_shop_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_object (value, DIAG_SHOP (object)->greeting);
}

static void
diag_shop_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  g_set_object (&DIAG_SHOP (object)->greeting, g_value_get_object (value));
}

static void
diag_shop_class_init (DiagShopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = diag_shop_dispose;
  object_class->get_property = diag_shop_get_property;
  object_class->set_property = diag_shop_set_property;
  g_object_class_install_property (object_class, 1,
    g_param_spec_object ("greeting", NULL, NULL, TEST_TYPE_GREETING,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void diag_shop_init (DiagShop *self) { }

/* Registry functions of this program: for a key given by its type, for a
 * key whose expression gives no type, and for a misspelt key name. */
static gint shop_function_runs;

HS_REGISTRY_FUNCTION_FOR_TYPE (DIAG_TYPE_SHOP, ShopFunction)
{
  g_atomic_int_inc (&shop_function_runs);
}

static GType
diag_no_type (void)
{
  return G_TYPE_INVALID;
}

HS_REGISTRY_FUNCTION_FOR_TYPE (diag_no_type (), NoType)
{
  g_assert_not_reached ();
}

HS_REGISTRY_FUNCTION (DiagShopp, Misspelt)
{
  g_assert_not_reached ();
}

/* Whether @text has a line that starts with @start (after its indent) and
 * contains @part. */
static gboolean
has_line (const char *text,
          const char *start,
          const char *part)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i] + strspn (lines[i], " ");

      if (g_str_has_prefix (line, start) && strstr (line, part) != NULL)
        return TRUE;
    }

  return FALSE;
}

#define assert_line(text, start, part) \
  G_STMT_START { \
    if (!has_line ((text), (start), (part))) \
      g_error ("no line “%s…%s” in:\n%s", (start), (part), (text)); \
  } G_STMT_END

/* assert_line() for a start that names a registration id. */
static void
assert_line_id (const char *text,
                const char *start_format,
                guint       id,
                const char *part)
{
  g_autofree char *start = g_strdup_printf (start_format, id);

  assert_line (text, start, part);
}

static void
test_explain_ranking (void)
{
  g_autoptr (HsRegistry) root = hs_registry_new (NULL, NULL);
  g_autoptr (HsRegistry) child = NULL;
  g_autoptr (GObject) instance = g_object_new (TEST_TYPE_ANOTHER_GREETING, NULL);
  g_autoptr (GObject) customer = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_autofree char *text = NULL;
  guint plain, single, french, scoped;

  plain = hs_registry_register_type (root, TEST_TYPE_GREETING, TEST_TYPE_GREETING,
                                     G_TYPE_INVALID, NULL);
  single = hs_registry_register_instance (root, instance, TEST_TYPE_GREETING,
                                          G_TYPE_INVALID, NULL);
  french = hs_registry_register_type_full (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                                           TEST_TYPE_CUSTOMER, HS_LIFETIME_SINGLETON, NULL);
  g_assert_cmpuint (plain, >, 0);
  g_assert_cmpuint (single, >, 0);
  g_assert_cmpuint (french, >, 0);

  /* With a context: the context type first, then the singleton, then the rest. */
  text = hs_registry_explain (root, TEST_TYPE_GREETING, customer);
  g_test_message ("%s", text);
  assert_line (text, "Explaining a get of “TestGreeting”", "for a context “TestFrenchCustomer” (the context given)");
  assert_line (text, "registry HsRegistry", ": 3 candidates");
  assert_line_id (text, "1. #%u type “TestAnotherGreeting”, context “TestCustomer”, singleton", french, "by context specificity");
  assert_line_id (text, "2. #%u instance of “TestAnotherGreeting”, any context", single, "by singleton before types and factories");
  assert_line_id (text, "3. #%u type “TestGreeting”, any context, transient", plain, "");
  assert_line (text, "this registry decides", "by context specificity");
  assert_line_id (text, "winner: #%u type “TestAnotherGreeting”", french, "");
  g_clear_pointer (&text, g_free);

  /* A child's own candidate decides, even context-free; the root's are hidden. */
  child = hs_registry_new (root, customer);
  scoped = hs_registry_register_type_full (child, TEST_TYPE_GREETING, TEST_TYPE_GREETING,
                                           G_TYPE_INVALID, HS_LIFETIME_SCOPED, NULL);
  text = hs_registry_explain (child, TEST_TYPE_GREETING, NULL);
  g_test_message ("%s", text);
  assert_line (text, "Explaining a get", "(the registry’s own context)");
  assert_line_id (text, "1. #%u type “TestGreeting”, any context, scoped", scoped, "");
  assert_line (text, "this registry decides", "its only candidate");
  assert_line (text, "registry HsRegistry", "3 candidates, hidden: a registry below decides");
  assert_line_id (text, "winner: #%u type “TestGreeting”", scoped, "");
  g_clear_pointer (&text, g_free);

  /* Without a context only the context-free ones are candidates. */
  text = hs_registry_explain (root, TEST_TYPE_GREETING, NULL);
  assert_line (text, "registry HsRegistry", ": 2 candidates");
  assert_line (text, "this registry decides", "by singleton before types and factories");
  assert_line_id (text, "winner: #%u instance of “TestAnotherGreeting”", single, "");
  g_clear_pointer (&text, g_free);

  /* Recency between equals. */
  plain = hs_registry_register_type (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_POLITE,
                                     G_TYPE_INVALID, NULL);
  single = hs_registry_register_type (root, TEST_TYPE_GREETING, TEST_TYPE_POLITE,
                                      G_TYPE_INVALID, NULL);
  text = hs_registry_explain (root, TEST_TYPE_POLITE, NULL);
  assert_line (text, "this registry decides", "by recency");
  assert_line_id (text, "winner: #%u type “TestGreeting”", single, "");
  g_clear_pointer (&text, g_free);

  /* Nothing answers: the error a get gives. */
  text = hs_registry_explain (child, TEST_TYPE_CUSTOMER, NULL);
  assert_line (text, "registry HsRegistry", ": no candidate");
  assert_line (text, "nothing answers", "No kind “TestCustomer” for context “TestFrenchCustomer” in registry");
  g_clear_pointer (&text, g_free);

  /* Explaining builds nothing. */
  g_assert_false (hs_registry_is_closed (root));
  hs_registry_close (root);
  text = hs_registry_explain (child, TEST_TYPE_GREETING, NULL);
  assert_line (text, "a registry on the way up is closed", "");
}

static void
test_debug_log (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (HsRegistry) root = NULL;
      g_autoptr (HsRegistry) child = NULL;
      g_autoptr (GObject) shop = NULL;

      /* Read on first use, so set before the first get. */
      g_setenv ("HOPSCOTCH_DEBUG", "resolve,inject", TRUE);
      g_setenv ("G_MESSAGES_DEBUG", "Hopscotch", TRUE);

      root = hs_registry_new (NULL, NULL);
      child = hs_registry_new (root, NULL);
      hs_registry_register_type (root, TEST_TYPE_GREETING, TEST_TYPE_GREETING,
                                 G_TYPE_INVALID, NULL);
      hs_registry_register_type (root, TEST_TYPE_ANOTHER_GREETING, TEST_TYPE_GREETING,
                                 G_TYPE_INVALID, NULL);
      hs_registry_register_type (child, DIAG_TYPE_SHOP, DIAG_TYPE_SHOP, G_TYPE_INVALID, NULL);
      shop = hs_registry_get (child, DIAG_TYPE_SHOP, NULL, NULL);
      g_assert_nonnull (shop);
      g_assert_true (TEST_IS_ANOTHER_GREETING (DIAG_SHOP (shop)->greeting));
      /* Answered from the thread's cache: logged once, when resolved. */
      g_clear_object (&shop);
      shop = hs_registry_get (child, DIAG_TYPE_SHOP, NULL, NULL);
      g_assert_nonnull (shop);
      return;
    }

  /* In the C locale, GLib writes the quotes as "?": matched by "*". */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*get of *DiagShop* with no context (not cached), in registry HsRegistry*: 1 candidate*");
  g_test_trap_assert_stdout ("*get of *TestGreeting* with no context (not cached), in registry HsRegistry*: no candidate*asking the parent*");
  g_test_trap_assert_stdout ("*this registry decides, by recency*winner: #* type *TestAnotherGreeting**");
  g_test_trap_assert_stdout_unmatched ("*get of *DiagShop* (not cached)*get of *DiagShop* (not cached)*");
  g_test_trap_assert_stdout ("*build of *DiagShop*: property *greeting* * TestAnotherGreeting * (rule: automatic: get, else the context)*");
}

static void
test_debug_off (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (HsRegistry) root = hs_registry_new (NULL, NULL);
      g_autoptr (GObject) shop = NULL;

      g_setenv ("HOPSCOTCH_DEBUG", "manager", TRUE);
      g_setenv ("G_MESSAGES_DEBUG", "Hopscotch", TRUE);
      hs_registry_register_type (root, DIAG_TYPE_SHOP, DIAG_TYPE_SHOP, G_TYPE_INVALID, NULL);
      shop = hs_registry_get (root, DIAG_TYPE_SHOP, NULL, NULL);
      g_assert_nonnull (shop);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout_unmatched ("*not cached*");
  g_test_trap_assert_stdout_unmatched ("*build of*");
}

static void
test_function_for_type (void)
{
  if (g_test_subprocess ())
    {
      HsRegistryManager *manager;

      g_setenv ("HOPSCOTCH_DEBUG", "manager", TRUE);
      g_setenv ("G_MESSAGES_DEBUG", "Hopscotch", TRUE);

      /* Taking the records in evaluates the expressions. */
      g_test_expect_message ("Hopscotch", G_LOG_LEVEL_WARNING,
                             "Registry function “NoType” of * never runs: "
                             "its key “diag_no_type ()” gives no type");
      manager = hs_registry_manager_get_default ();
      g_test_assert_expected_messages ();

      hs_registry_manager_subscribe (manager, DIAG_TYPE_SHOP);
      g_assert_cmpint (g_atomic_int_get (&shop_function_runs), ==, 1);
      hs_registry_manager_subscribe (manager, DIAG_TYPE_SHOP);
      g_assert_cmpint (g_atomic_int_get (&shop_function_runs), ==, 1);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*manager: recorded registry function *ShopFunction* for key *DiagShop* of *"
                             "(key not subscribed yet)*");
  g_test_trap_assert_stdout ("*manager: recorded registry function *Misspelt* for key *DiagShopp*");
  g_test_trap_assert_stdout ("*manager: subscribed *DiagShop*: 1 registry functions to run*");
  g_test_trap_assert_stdout ("*manager: no type is named *DiagShopp* (yet): registry function *Misspelt* "
                             "of */test-diagnostics waits*");
  g_test_trap_assert_stdout ("*manager: running registry function *ShopFunction* for key *DiagShop*");
  g_test_trap_assert_stdout_unmatched ("*running registry function *Misspelt*");
}

int
main (int argc, char **argv)
{
  g_unsetenv ("HOPSCOTCH_DEBUG");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diagnostics/explain/ranking", test_explain_ranking);
  g_test_add_func ("/diagnostics/debug/resolve-and-inject", test_debug_log);
  g_test_add_func ("/diagnostics/debug/off", test_debug_off);
  g_test_add_func ("/diagnostics/function-for-type", test_function_for_type);

  return g_test_run ();
}
