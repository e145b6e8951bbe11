/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Adds an unload function that writes "exit-unload-ran" to stdout, to tell
 * whether unload functions run at process exit.
 */
#include <unistd.h>

#include <hopscotch.h>

static void
say_unloaded (gpointer data)
{
  static const char message[] = "exit-unload-ran\n";

  /* Not stdio: this runs while the process is being torn down. */
  if (write (STDOUT_FILENO, message, sizeof message - 1) < 0)
    return;
}

HS_REGISTRY_FUNCTION (TestExitKey, Exit)
{
  hs_registry_manager_add_function_for_unload (hs_registry_manager_get_default (),
                                               say_unloaded, NULL, NULL);
}
