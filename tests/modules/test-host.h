/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small shared library that the manager suite and its plugin modules both
 * link to: a log of what ran, named counters, the registry the plugins fill,
 * and a helper that adds unload functions on a plugin's behalf (the case of
 * helper code in another library).
 */
#pragma once

#include <hopscotch.h>

G_BEGIN_DECLS

#define TEST_HOST_EXPORT __attribute__ ((visibility ("default")))

TEST_HOST_EXPORT void        test_host_log             (const char *event);
TEST_HOST_EXPORT char       *test_host_take_log        (void);

TEST_HOST_EXPORT void        test_host_count           (const char *name);
TEST_HOST_EXPORT guint       test_host_get_count       (const char *name);
TEST_HOST_EXPORT void        test_host_reset_counts    (void);

TEST_HOST_EXPORT void        test_host_set_registry    (HsRegistry *registry);
TEST_HOST_EXPORT HsRegistry *test_host_get_registry    (void);

TEST_HOST_EXPORT gboolean    test_host_add_unload_logger (const char *event);

/* Looks a type of the test program up by name: the plugins cannot link to
 * the program's types, and evaluating this is logged as "eval:NAME". */
TEST_HOST_EXPORT GType       test_host_type            (const char *name);

/* A key type by name: a plain GObject subclass, registered on first use
 * (plugins only know keys by their names). */
TEST_HOST_EXPORT GType       test_host_key             (const char *name);

/* A gate in a plugin's code, for the tests of code that runs while its
 * module is unloaded. The test arms it; the plugin's code calls
 * test_host_gate_pass(), which tells the test it was reached and waits
 * until the test opens it (at most ten seconds, so that a broken test ends).
 * Unarmed, the gate lets everything through at once. */
TEST_HOST_EXPORT void        test_host_gate_arm        (void);
TEST_HOST_EXPORT void        test_host_gate_pass       (void);
TEST_HOST_EXPORT gboolean    test_host_gate_wait_reached (void);
TEST_HOST_EXPORT void        test_host_gate_open       (void);

/* A path the test hands to a plugin (the plugin's own file, which it
 * unloads itself). */
TEST_HOST_EXPORT void        test_host_set_path        (const char *path);
TEST_HOST_EXPORT const char *test_host_get_path        (void);

/* Whether the dynamic loader has @file mapped. */
TEST_HOST_EXPORT gboolean    test_host_is_mapped       (const char *file);

/* Asserts that the log is @expected, and empties it. */
#define test_host_assert_log(expected) \
  G_STMT_START { \
    g_autofree char *_log = test_host_take_log (); \
    g_assert_cmpstr (_log, ==, (expected)); \
  } G_STMT_END

G_END_DECLS
