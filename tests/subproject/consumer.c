/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Uses Hopscotch, found as dependency('hopscotch-1') through the subproject. */
#include <hopscotch.h>

int
main (void)
{
  g_autoptr(HsRegistry) registry = hs_registry_new (NULL, NULL);
  g_autoptr(GObject) object = NULL;
  g_autoptr(GError) error = NULL;

  hs_registry_register_type (registry, G_TYPE_OBJECT, G_TYPE_INVALID, G_TYPE_INVALID, &error);
  object = hs_registry_get (registry, G_TYPE_OBJECT, NULL, &error);
  if (object == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("Hopscotch %s as a subproject: got a %s\n", HS_VERSION_S, G_OBJECT_TYPE_NAME (object));
  return 0;
}
