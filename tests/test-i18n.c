/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Error messages reach a French user in French (SPEC 5).
 *
 * The program puts itself in a French session: LANGUAGE=fr in the C.UTF-8
 * locale, which every glibc ≥ 2.35 has built in (glibc ignores LANGUAGE in
 * the plain "C" locale, but not in C.UTF-8), so no generated fr_FR locale is
 * needed. The catalogue is the build tree's when meson test points
 * HOPSCOTCH_LOCALEDIR at <builddir>/po, and the prefix's when the test is
 * installed.
 */
#include <locale.h>

#include "hs-test-types.h"

/* French quotes and colons take no-break spaces. */
#define NBSP "\u00a0"

static gboolean have_locale;

#define REQUIRE_LOCALE() \
  G_STMT_START { \
    if (!have_locale) \
      { \
        g_test_skip ("no C.UTF-8 locale"); \
        return; \
      } \
  } G_STMT_END

static void
test_not_found (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;

  REQUIRE_LOCALE ();

  object = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Aucune sorte «" NBSP "TestGreeting" NBSP "» dans le registre");
}

static void
test_not_found_for_context (void)
{
  g_autoptr(TestCustomer) marie = g_object_new (TEST_TYPE_FRENCH_CUSTOMER,
                                                "first-name", "Marie", NULL);
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, G_OBJECT (marie));
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;

  REQUIRE_LOCALE ();

  object = hs_registry_get (registry, TEST_TYPE_GREETING, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "Aucune sorte «" NBSP "TestGreeting" NBSP "» pour le contexte "
                   "«" NBSP "TestFrenchCustomer" NBSP "» dans le registre");
}

static void
test_invalid_registration (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint id;

  REQUIRE_LOCALE ();

  id = hs_registry_register_type (registry, TEST_TYPE_CUSTOMER, TEST_TYPE_GREETING,
                                  G_TYPE_INVALID, &error);
  g_assert_cmpuint (id, ==, 0);
  g_assert_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_INVALID_REGISTRATION);
  g_assert_cmpstr (error->message, ==, "«" NBSP "TestCustomer" NBSP "» n’est pas une sorte de "
                   "«" NBSP "TestGreeting" NBSP "»");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Before the library's first translation, which binds its domain. */
  g_setenv ("LANGUAGE", "fr", TRUE);
  have_locale = setlocale (LC_ALL, "C.UTF-8") != NULL;

  g_test_add_func ("/i18n/french/not-found", test_not_found);
  g_test_add_func ("/i18n/french/not-found-for-context", test_not_found_for_context);
  g_test_add_func ("/i18n/french/invalid-registration", test_invalid_registration);

  return g_test_run ();
}
