/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-plugin-module.h"
#include "hs-module-private.h"
#include "hs-module-resident-private.h"

/**
 * SECTION:hs-plugin-module
 * @title: HsPluginModule
 * @short_description: the #GTypeModule of a plugin's dynamic types
 *
 * GType never forgets a type: a plugin that may be unloaded and loaded
 * again defines its types as dynamic types (G_DEFINE_DYNAMIC_TYPE()) in a
 * #GTypeModule that outlives it, and its code, loaded again, takes over the
 * types registered the first time. #HsPluginModule is that #GTypeModule, so
 * that no application has to write one.
 *
 * A plugin gets its module by name with hs_plugin_module_get() (the name is
 * the plugin's own, the same at every load), attaches it to itself from a
 * registry function with hs_plugin_module_attach(), and registers its types
 * in it:
 *
 * |[<!-- language="C" -->
 * G_DEFINE_DYNAMIC_TYPE (XyzTransformer, xyz_transformer, IMAGE_TYPE_TRANSFORMER)
 *
 * HS_REGISTRY_FUNCTION (ImageTransformerRegistry, XyzTransformer)
 * {
 *   HsPluginModule *types = hs_plugin_module_get ("xyz-transformer");
 *
 *   // Our types run our code while we are loaded.
 *   hs_plugin_module_attach (types);
 *   xyz_transformer_register_type (G_TYPE_MODULE (types));
 *
 *   // Unregistered by the manager when this plugin is unloaded.
 *   hs_registry_register_type (HS_REGISTRY (image_transformer_registry_get_default ()),
 *                              XYZ_TYPE_TRANSFORMER, IMAGE_TYPE_TRANSFORMER,
 *                              G_TYPE_INVALID, NULL);
 * }
 * ]|
 *
 * The module needs no unload function: the attachment ends by itself when
 * the plugin is unloaded.
 *
 * ## Objects that outlive their plugin
 *
 * A class holds pointers into the code of its plugin (its methods, its
 * finalize), and GLib never finalizes the class of a dynamic type once it
 * was made. So the first time a class of the module's types is made (when
 * the first object of one of them is created), the plugin attached to the
 * module is made resident: its code is never unmapped, and an object of its
 * types may outlive the plugin's unloading without pointing into freed
 * memory. Unloading such a plugin still unloads it as far as Hopscotch is
 * concerned: #HsRegistryManager::unloaded is emitted, its unload functions
 * run and its registrations are undone (by hs_registry_manager_unload_module(),
 * or hs_registry_manager_unload_owner() for a plugin that a plugin engine
 * loaded); its objects stay usable, and are finalized with its code. Loaded
 * again with hs_registry_manager_load_module(), its registry functions run
 * again and its types are the same types.
 *
 * A plugin none of whose classes was ever made is not made resident: its
 * code is unmapped when it is unloaded, and loading it again (even at
 * another address) registers its code anew for the same types.
 *
 * A resident plugin unloaded with a plain g_module_close() only loses a
 * reference: its destructor never runs, so the manager does not hear of
 * it. Unload it through the manager.
 *
 * Making a class of the module's types while its plugin is not loaded —
 * for instance g_type_class_ref() of such a type — fails: GLib aborts with
 * “Could not reload previously loaded plugin”, where it would otherwise
 * run code that is no longer mapped. The registrations that could build
 * such an object are gone with the plugin.
 */

struct _HsPluginModule
{
  GTypeModule parent_instance;

  /* Under plugin_modules_lock. */
  HsModule   *attached;                   /* a reference: the loaded module
                                           * whose code the types run, or NULL */
  gboolean    classes_made;               /* GType used the module once: it
                                           * holds its classes for good */
};

typedef struct
{
  HsPluginModule *self;
  HsModule       *module;                 /* a reference */
} Attachment;

/* Guards the table and the fields above. Never held while other code
 * runs, nor while taking another lock (GType's or the manager's). */
static GMutex plugin_modules_lock;
static GHashTable *plugin_modules;        /* name → HsPluginModule, for good */

G_DEFINE_FINAL_TYPE (HsPluginModule, hs_plugin_module, G_TYPE_TYPE_MODULE)

/* GType uses the module when it makes a class of one of its types (or
 * completes an interface of one) for the first time: the plugin attached
 * now is where those classes point. Since classes are never finalized,
 * the module stays used from then on. */
static gboolean
hs_plugin_module_load (GTypeModule *module)
{
  HsPluginModule *self = HS_PLUGIN_MODULE (module);
  HsModule *attached;

  g_mutex_lock (&plugin_modules_lock);
  attached = self->attached != NULL ? _hs_module_ref (self->attached) : NULL;
  if (attached != NULL)
    self->classes_made = TRUE;
  g_mutex_unlock (&plugin_modules_lock);

  if (attached == NULL)
    {
      g_warning ("A type of plugin module “%s” is used while its plugin is not loaded",
                 module->name);
      return FALSE;
    }

  _hs_module_resident_keep (attached);
  _hs_module_unref (attached);

  return TRUE;
}

/* The code is the dynamic loader's (and the manager's) business. */
static void
hs_plugin_module_unload (GTypeModule *module)
{
}

static void
hs_plugin_module_class_init (HsPluginModuleClass *klass)
{
  GTypeModuleClass *module_class = G_TYPE_MODULE_CLASS (klass);

  module_class->load = hs_plugin_module_load;
  module_class->unload = hs_plugin_module_unload;
}

static void
hs_plugin_module_init (HsPluginModule *self)
{
}

/**
 * hs_plugin_module_get:
 * @name: the name of the plugin whose types the module holds
 *
 * Returns the plugin module called @name, created by the first call. It
 * lives as long as the process, as the types registered in it do. Give
 * each plugin a name of its own, the same at every load: two plugins that
 * share a module share its types.
 *
 * Returns: (transfer none): the plugin module called @name
 *
 * Since: 0.2
 */
HsPluginModule *
hs_plugin_module_get (const char *name)
{
  HsPluginModule *self, *made;

  g_return_val_if_fail (name != NULL, NULL);

  g_mutex_lock (&plugin_modules_lock);
  self = plugin_modules != NULL ? g_hash_table_lookup (plugin_modules, name) : NULL;
  g_mutex_unlock (&plugin_modules_lock);

  if (G_LIKELY (self != NULL))
    return self;

  /* Made with no lock held: GType's own locks are taken then. */
  made = g_object_new (HS_TYPE_PLUGIN_MODULE, NULL);
  g_type_module_set_name (G_TYPE_MODULE (made), name);

  g_mutex_lock (&plugin_modules_lock);
  if (G_UNLIKELY (plugin_modules == NULL))
    plugin_modules = g_hash_table_new (g_str_hash, g_str_equal);
  self = g_hash_table_lookup (plugin_modules, name);
  if (self == NULL)
    {
      self = g_steal_pointer (&made);
      g_hash_table_insert (plugin_modules, G_TYPE_MODULE (self)->name, self);
    }
  g_mutex_unlock (&plugin_modules_lock);

  /* Another thread made it first. */
  g_clear_object (&made);

  return self;
}

static void
detach (gpointer data)
{
  Attachment *attachment = data;
  HsPluginModule *self = attachment->self;
  HsModule *released = NULL;

  g_mutex_lock (&plugin_modules_lock);
  if (self->attached == attachment->module)
    released = g_steal_pointer (&self->attached);
  g_mutex_unlock (&plugin_modules_lock);

  _hs_module_unref (released);
}

static void
attachment_free (gpointer data)
{
  Attachment *attachment = data;

  _hs_module_unref (attachment->module);
  g_free (attachment);
}

/**
 * hs_plugin_module_attach:
 * @self: the #HsPluginModule
 *
 * Attaches @self to the module (the plugin) whose registry function is
 * running on this thread, until that module is unloaded: the types
 * registered in @self run its code. Call it from the plugin's registry
 * function, before or after registering the types (with the
 * `*_register_type()` functions that G_DEFINE_DYNAMIC_TYPE() defines);
 * calling it again while the plugin is loaded does nothing more.
 *
 * Once a class of @self's types was made, the plugin attached is made
 * resident (see the section's documentation), and so is that plugin
 * whenever it is loaded again.
 *
 * Outside a registry function there is no plugin to attach to: nothing is
 * done and %FALSE is returned.
 *
 * Returns: %TRUE if @self was attached to the running registry function's
 *   module
 *
 * Since: 0.2
 */
gboolean
hs_plugin_module_attach (HsPluginModule *self)
{
  HsModule *module, *previous = NULL;
  Attachment *attachment;
  gboolean classes_made;

  g_return_val_if_fail (HS_IS_PLUGIN_MODULE (self), FALSE);

  module = _hs_module_current_function_ref ();
  if (module == NULL)
    return FALSE;

  g_mutex_lock (&plugin_modules_lock);
  if (self->attached == module)
    {
      g_mutex_unlock (&plugin_modules_lock);
      _hs_module_unref (module);
      return TRUE;
    }
  previous = g_steal_pointer (&self->attached);
  self->attached = _hs_module_ref (module);
  classes_made = self->classes_made;
  g_mutex_unlock (&plugin_modules_lock);

  if (previous != NULL)
    {
      g_warning ("Plugin module “%s” was attached to another plugin still loaded, %s",
                 G_TYPE_MODULE (self)->name, _hs_module_display_name (previous));
      _hs_module_unref (previous);
    }

  attachment = g_new0 (Attachment, 1);
  attachment->self = self;
  attachment->module = module;
  hs_registry_manager_add_function_for_unload (hs_registry_manager_get_default (),
                                               detach, attachment, attachment_free);

  /* Its classes point into the code loaded again. */
  if (classes_made)
    _hs_module_resident_keep (module);

  return TRUE;
}
