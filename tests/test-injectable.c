/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Declarative registration (SPEC section 8): HS_INJECTABLE() and
 * hs_registry_scan(), with the program's own declarations and real shared
 * modules (tests/modules/plugin-injectables.c, plugin-bad-injectables.c).
 */
#include "hs-test-types.h"
#include "test-host.h"

/* The program's own declaration. */
HS_INJECTABLE (MainGreeting, TEST_TYPE_GREETING, G_TYPE_INVALID, G_TYPE_INVALID);

static GModule *
open_module (const char *name)
{
  g_autofree char *file = g_strconcat (name, "." G_MODULE_SUFFIX, NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "modules", file, NULL);
  GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);

  g_assert_nonnull (module);
  return module;
}

#define assert_log(expected) \
  G_STMT_START { \
    g_autofree char *_log = test_host_take_log (); \
    g_assert_cmpstr (_log, ==, (expected)); \
  } G_STMT_END

static void
ensure_types (void)
{
  g_type_ensure (TEST_TYPE_GREETING);
  g_type_ensure (TEST_TYPE_ANOTHER_GREETING);
  g_type_ensure (TEST_TYPE_CUSTOMER);
  g_type_ensure (TEST_TYPE_FRENCH_CUSTOMER);
  g_type_ensure (TEST_TYPE_ABSTRACT);
}

/* Removes the registration that answers @kind; fails if none does. */
static void
unregister_winner (HsRegistry *registry,
                   GType       kind)
{
  g_autoptr(HsRegistration) winner = hs_registry_lookup (registry, kind, NULL);

  g_assert_nonnull (winner);
  g_assert_true (hs_registry_unregister (registry, hs_registration_get_id (winner)));
}

/* Loading records; the scan evaluates the type expressions and registers;
 * a second scan adds nothing; unloading takes the registrations back. None
 * of it needs the registry manager. */
static void
test_scan_module (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) french = NULL;
  g_autoptr(GError) error = NULL;
  GModule *module;

  ensure_types ();
  french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  g_free (test_host_take_log ());

  module = open_module ("plugin-injectables");
  assert_log ("");

  g_assert_true (hs_registry_scan (registry, "plugin-injectables.so", &error));
  g_assert_no_error (error);
  assert_log ("eval:TestAnotherGreeting eval:TestGreeting eval:TestFrenchCustomer "
              "eval:TestCustomer");

  assert_answers (registry, TEST_TYPE_GREETING, french, TEST_TYPE_ANOTHER_GREETING);
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);
  /* Only that module: not the program's Greeting. */
  assert_answers (registry, TEST_TYPE_GREETING, NULL, G_TYPE_INVALID);

  /* Twice: nothing is evaluated, nothing added. */
  g_assert_true (hs_registry_scan (registry, "plugin-injectables.so", &error));
  g_assert_no_error (error);
  assert_log ("");
  unregister_winner (registry, TEST_TYPE_CUSTOMER);
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);

  g_assert_true (g_module_close (module));
  assert_answers (registry, TEST_TYPE_GREETING, french, G_TYPE_INVALID);

  g_assert_cmpuint (g_type_from_name ("HsRegistryManager"), ==, G_TYPE_INVALID);
}

/* A scan of every module takes the program's declarations too; a module is
 * also named by its full path; a module loaded again is new. */
static void
test_scan_all (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(HsRegistry) other = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) french = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "modules",
                                                 "plugin-injectables." G_MODULE_SUFFIX, NULL);
  GModule *module;

  ensure_types ();
  french = g_object_new (TEST_TYPE_FRENCH_CUSTOMER, NULL);
  module = open_module ("plugin-injectables");

  g_assert_true (hs_registry_scan (registry, NULL, &error));
  g_assert_no_error (error);
  assert_answers (registry, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);
  assert_answers (registry, TEST_TYPE_GREETING, french, TEST_TYPE_ANOTHER_GREETING);
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);

  g_assert_true (hs_registry_scan (registry, NULL, &error));
  g_assert_no_error (error);
  unregister_winner (registry, TEST_TYPE_CUSTOMER);
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);

  /* By path, into another registry: this one has not seen it. */
  g_assert_true (hs_registry_scan (other, path, &error));
  g_assert_no_error (error);
  assert_answers (other, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);

  /* The program by its file's base name. */
  g_assert_true (hs_registry_scan (other, "test-injectable", &error));
  g_assert_no_error (error);
  assert_answers (other, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);

  /* Unloaded: the module's registrations are gone, the program's stay. */
  g_assert_true (g_module_close (module));
  assert_answers (registry, TEST_TYPE_GREETING, french, TEST_TYPE_GREETING);
  assert_answers (other, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);
  assert_answers (other, TEST_TYPE_GREETING, NULL, TEST_TYPE_GREETING);

  /* Loaded again: recorded anew, scanned anew. */
  module = open_module ("plugin-injectables");
  g_assert_true (hs_registry_scan (registry, "plugin-injectables.so", &error));
  g_assert_no_error (error);
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, TEST_TYPE_CUSTOMER);
  g_assert_true (g_module_close (module));
  assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);

  g_free (test_host_take_log ());
}

/* All or nothing: a refused declaration undoes the scan, and names itself. */
static void
test_scan_errors (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  GError *error = NULL;
  GModule *module;

  ensure_types ();

  g_assert_false (hs_registry_scan (registry, "no-such-module.so", &error));
  g_assert_error (error, HS_REGISTRY_MANAGER_ERROR, HS_REGISTRY_MANAGER_ERROR_NOT_LOADED);
  g_clear_error (&error);

  module = open_module ("plugin-bad-injectables");

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_assert_false (hs_registry_scan (registry, "plugin-bad-injectables.so", &error));
      g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
      g_assert_nonnull (strstr (error->message, "Bad"));
      g_clear_error (&error);
      assert_answers (registry, TEST_TYPE_CUSTOMER, NULL, G_TYPE_INVALID);
    }

  g_assert_true (g_module_close (module));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/injectable/scan-module", test_scan_module);
  g_test_add_func ("/injectable/scan-all", test_scan_all);
  g_test_add_func ("/injectable/errors", test_scan_errors);

  return g_test_run ();
}
