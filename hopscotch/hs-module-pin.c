/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE                       /* dladdr1(), RTLD_NOLOAD */
#include "config.h"

#include <dlfcn.h>
#include <link.h>

#include "hs-module-pin-private.h"

/* Pinning: a module's code is never unmapped while it runs.
 *
 * Marking the module busy in the manager would not do: a plugin engine or
 * plain g_module_close() unmaps a module without asking the manager, and
 * the manager only hears of it from the module's destructor, when the
 * loader is already unmapping it. So the pin is a reference of the loader
 * itself (dlopen() with RTLD_NOLOAD of the module's file): while it is
 * held, every other dlclose() only drops a count, and the last one, the
 * pin's, runs the destructor (and with it the module's unload) after the
 * code returned.
 *
 * A pin taken on a module that went away meanwhile must not let its code
 * run: its file may be gone, or loaded again at other addresses. The
 * destructor marks the module gone (under _hs_manager_lock) before the
 * loader unmaps it, so a module found not gone after the pin was taken was
 * mapped all along, and the pin holds that very object. */

/* The main program is never unmapped, and the loader cannot be asked for it
 * by file name: it needs no pin. Its link map is dlopen (NULL)'s handle. An
 * anchor that dladdr1() places in it is in it for good (the program's
 * addresses are never given to another object), so the answer holds even
 * if the anchor's own module went away meanwhile. */
static gboolean
in_program (const void *anchor)
{
  static gsize program = 0;
  Dl_info info;
  void *map = NULL;

  if (g_once_init_enter (&program))
    g_once_init_leave (&program, (gsize) dlopen (NULL, RTLD_LAZY));

  return dladdr1 (anchor, &info, &map, RTLD_DL_LINKMAP) != 0 && (gsize) map == program;
}

gboolean
_hs_module_pin (HsModule *module,
                gpointer *pin)
{
  void *handle = NULL;
  gboolean gone;

  *pin = NULL;

  /* Binding owners have no file: their code belongs to the interpreter. */
  if (module->anchor != NULL && !in_program (module->anchor))
    {
      const char *name;

      _hs_module_learn_name (module, TRUE);
      name = g_atomic_pointer_get (&module->name);
      if (name != NULL)
        handle = dlopen (name, RTLD_LAZY | RTLD_NOLOAD);
      if (handle == NULL)
        return FALSE;
    }

  g_mutex_lock (&_hs_manager_lock);
  gone = module->gone;
  g_mutex_unlock (&_hs_manager_lock);

  if (gone)
    {
      _hs_module_unpin (handle);
      return FALSE;
    }

  *pin = handle;
  return TRUE;
}

void
_hs_module_unpin (gpointer pin)
{
  if (pin != NULL)
    dlclose (pin);
}
