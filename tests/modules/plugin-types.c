/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A plugin with a dynamic type, TestPluginThing, held by the HsPluginModule
 * "plugin-types" and registered (as a kind of GObject) into the host's
 * registry by its TestTypesKey function. Its property, its string and its
 * finalize are all code and data of this plugin.
 */
#include <hopscotch.h>

#include "test-host.h"

#define TEST_TYPE_PLUGIN_THING (test_plugin_thing_get_type ())
G_DECLARE_FINAL_TYPE (TestPluginThing, test_plugin_thing, TEST, PLUGIN_THING, GObject)

struct _TestPluginThing
{
  GObject  parent_instance;
  char    *word;
};

enum {
  PROP_WORD = 1,
};

G_DEFINE_DYNAMIC_TYPE (TestPluginThing, test_plugin_thing, G_TYPE_OBJECT)

static void
test_plugin_thing_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  g_value_set_string (value, TEST_PLUGIN_THING (object)->word);
}

static void
test_plugin_thing_finalize (GObject *object)
{
  test_host_log ("thing-finalized");
  g_free (TEST_PLUGIN_THING (object)->word);

  G_OBJECT_CLASS (test_plugin_thing_parent_class)->finalize (object);
}

static void
test_plugin_thing_class_init (TestPluginThingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_plugin_thing_get_property;
  object_class->finalize = test_plugin_thing_finalize;

  g_object_class_install_property (object_class, PROP_WORD,
    g_param_spec_string ("word", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
test_plugin_thing_class_finalize (TestPluginThingClass *klass)
{
}

static void
test_plugin_thing_init (TestPluginThing *self)
{
  self->word = g_strdup ("from plugin-types");
}

HS_REGISTRY_FUNCTION (TestTypesKey, Types)
{
  HsPluginModule *types = hs_plugin_module_get ("plugin-types");
  HsRegistry *registry = test_host_get_registry ();

  g_assert_true (hs_plugin_module_attach (types));
  test_plugin_thing_register_type (G_TYPE_MODULE (types));
  /* Attaching twice while loaded is harmless. */
  g_assert_true (hs_plugin_module_attach (types));
  test_host_log ("types");

  if (registry != NULL)
    g_assert_cmpuint (hs_registry_register_type (registry, TEST_TYPE_PLUGIN_THING, G_TYPE_OBJECT,
                                                 G_TYPE_INVALID, NULL), >, 0);
}
