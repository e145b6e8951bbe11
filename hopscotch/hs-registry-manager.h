/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HOPSCOTCH_INSIDE) && !defined(HOPSCOTCH_COMPILATION)
# error "Only <hopscotch.h> can be included directly."
#endif

#include <glib-object.h>

#include "hs-version-macros.h"

G_BEGIN_DECLS

/**
 * HS_REGISTRY_MANAGER_ERROR:
 *
 * The error domain of #HsRegistryManager: errors are #HsRegistryManagerError
 * codes.
 *
 * Since: 0.1
 */
#define HS_REGISTRY_MANAGER_ERROR (hs_registry_manager_error_quark ())

/**
 * HsRegistryManagerError:
 * @HS_REGISTRY_MANAGER_ERROR_NOT_FOUND: the module file does not exist
 * @HS_REGISTRY_MANAGER_ERROR_LOAD_FAILED: the module file exists but could
 *   not be loaded (it is not a shared library, or one of its dependencies or
 *   symbols is missing); the message has the loader's explanation
 * @HS_REGISTRY_MANAGER_ERROR_NOT_LOADED: the module was not loaded by the
 *   manager (unloading), or no loaded module has that name (scanning)
 *
 * Errors of the %HS_REGISTRY_MANAGER_ERROR domain.
 *
 * Since: 0.1
 */
typedef enum
{
  HS_REGISTRY_MANAGER_ERROR_NOT_FOUND,
  HS_REGISTRY_MANAGER_ERROR_LOAD_FAILED,
  HS_REGISTRY_MANAGER_ERROR_NOT_LOADED,
} HsRegistryManagerError;

HS_AVAILABLE_IN_0_1
GQuark hs_registry_manager_error_quark (void);

#define HS_TYPE_REGISTRY_MANAGER (hs_registry_manager_get_type ())

/**
 * HsRegistryManager:
 *
 * Runs registry functions when their key is subscribed, and takes back what
 * a module registered when the module is unloaded. There is one, returned
 * by hs_registry_manager_get_default(). All its fields are private.
 *
 * Since: 0.1
 */

HS_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE (HsRegistryManager, hs_registry_manager, HS, REGISTRY_MANAGER, GObject)

/**
 * HsRegistryFunc:
 * @manager: the registry manager
 * @user_data: (closure): the data given to
 *   hs_registry_manager_add_registry_function()
 * @error: return location for a #GError
 *
 * A registry function added at run time, typically by a language binding.
 * It runs once, when its key is subscribed (at once if it already is);
 * whatever it registers belongs to its owner.
 *
 * It is not given its key: a closure knows what it was added for. (PyGObject
 * 3.42 cannot pass a #GType argument to a Python callback.)
 *
 * A function that fails returns %FALSE and sets @error (in JavaScript:
 * throws; in Python: raises, which PyGObject prints and turns into %FALSE
 * without an error); the manager reports it with g_warning() and goes on
 * with the other functions. Binding functions must return %TRUE when they
 * succeed.
 *
 * Returns: %TRUE on success, %FALSE (best with @error set) on failure
 *
 * Since: 0.1
 */
typedef gboolean (*HsRegistryFunc) (HsRegistryManager  *manager,
                                    gpointer            user_data,
                                    GError            **error);

/**
 * HsUnloadFunc:
 * @user_data: (closure): the data given to
 *   hs_registry_manager_add_function_for_unload()
 *
 * A function that runs when the module it was attached to is unloaded.
 *
 * Since: 0.1
 */
typedef void (*HsUnloadFunc) (gpointer user_data);

HS_AVAILABLE_IN_0_1
HsRegistryManager *hs_registry_manager_get_default          (void);

HS_AVAILABLE_IN_0_2
gpointer           hs_registry_manager_ensure_registry      (HsRegistryManager  *self,
                                                             GType               registry_type);
HS_AVAILABLE_IN_0_1
void               hs_registry_manager_subscribe            (HsRegistryManager  *self,
                                                             GType               key);
HS_AVAILABLE_IN_0_1
void               hs_registry_manager_unsubscribe          (HsRegistryManager  *self,
                                                             GType               key);
HS_AVAILABLE_IN_0_1
gboolean           hs_registry_manager_is_subscribed        (HsRegistryManager  *self,
                                                             GType               key);

HS_AVAILABLE_IN_0_1
gboolean           hs_registry_manager_add_function_for_unload
                                                            (HsRegistryManager  *self,
                                                             HsUnloadFunc        func,
                                                             gpointer            user_data,
                                                             GDestroyNotify      destroy);
HS_AVAILABLE_IN_0_1
void               hs_registry_manager_run_unloaders_at_exit (void);

HS_AVAILABLE_IN_0_1
gboolean           hs_registry_manager_load_module          (HsRegistryManager  *self,
                                                             const char         *path,
                                                             GError            **error);
HS_AVAILABLE_IN_0_1
gboolean           hs_registry_manager_unload_module        (HsRegistryManager  *self,
                                                             const char         *path,
                                                             GError            **error);

HS_AVAILABLE_IN_0_1
void               hs_registry_manager_add_registry_function (HsRegistryManager *self,
                                                             GType               key,
                                                             const char         *owner,
                                                             HsRegistryFunc      func,
                                                             gpointer            user_data,
                                                             GDestroyNotify      destroy);
HS_AVAILABLE_IN_0_1
gboolean           hs_registry_manager_unload_owner         (HsRegistryManager  *self,
                                                             const char         *owner);

/**
 * HS_REGISTRY_FUNCTION:
 * @KEY_TYPE: the name of the key's type, as a bare identifier: the #GType
 *   name, such as `MyImageRegistry`
 * @TAG: an identifier that makes the function unique in its file, such as
 *   `XyzTransformer`
 *
 * Declares a registry function for the key type named @KEY_TYPE; the
 * function body follows the macro:
 *
 * |[<!-- language="C" -->
 * HS_REGISTRY_FUNCTION (MyImageRegistry, XyzTransformer)
 * {
 *   HsRegistry *registry = HS_REGISTRY (my_image_registry_get_default ());
 *
 *   hs_registry_register_type (registry, XYZ_TYPE_TRANSFORMER,
 *                              MY_TYPE_IMAGE_TRANSFORMER, G_TYPE_INVALID, NULL);
 * }
 * ]|
 *
 * Use it at file scope. When the program or library holding it is loaded,
 * the function is only recorded, in constant time: no #GType is touched, no
 * object is created and the manager is not created. It runs when its key is
 * subscribed (see hs_registry_manager_subscribe()), once; whatever it
 * registers is unregistered when its module is unloaded.
 *
 * The key is matched by name only, so a library can declare functions for a
 * registry whose type it does not link to.
 *
 * Since: 0.1
 */
#define HS_REGISTRY_FUNCTION(KEY_TYPE, TAG) \
  static void _hs_registry_function_##KEY_TYPE##__##TAG (void); \
  static _HsStaticRecord _hs_registry_record_##KEY_TYPE##__##TAG = \
    { _HS_STATIC_RECORD_FUNCTION, #KEY_TYPE, #TAG, \
      _hs_registry_function_##KEY_TYPE##__##TAG, NULL, &__dso_handle, NULL }; \
  _HS_STATIC_RECORD_HOOKS (_hs_registry_record_##KEY_TYPE##__##TAG) \
  static void _hs_registry_function_##KEY_TYPE##__##TAG (void)

/**
 * HS_REGISTRY_FUNCTION_FOR_TYPE:
 * @TYPE_EXPR: an expression that gives the key's #GType, such as
 *   `MY_TYPE_IMAGE_REGISTRY`
 * @TAG: an identifier that makes the function unique in its file, such as
 *   `XyzTransformer`
 *
 * Declares a registry function for the key type that @TYPE_EXPR gives; the
 * function body follows the macro, as with HS_REGISTRY_FUNCTION():
 *
 * |[<!-- language="C" -->
 * HS_REGISTRY_FUNCTION_FOR_TYPE (MY_TYPE_IMAGE_REGISTRY, XyzTransformer)
 * {
 *   ...
 * }
 * ]|
 *
 * Unlike a key name, which a typo turns into a key that nobody ever
 * subscribes to, the expression is checked by the compiler, and by the
 * manager: loading still only records the function, in constant time and
 * without touching a #GType, and the manager evaluates @TYPE_EXPR when it
 * takes the record in (in a call made to it, never while a library is
 * being loaded). An expression that gives %G_TYPE_INVALID or %G_TYPE_NONE
 * is reported with a warning that names @TAG and the module, and the
 * function never runs. @TYPE_EXPR must not call the manager.
 *
 * Since: 0.2
 */
#define HS_REGISTRY_FUNCTION_FOR_TYPE(TYPE_EXPR, TAG) \
  static void _hs_registry_function_for_type__##TAG (void); \
  static void _hs_registry_key_for_type__##TAG (GType *key) { *key = (TYPE_EXPR); } \
  static _HsStaticRecord _hs_registry_record_for_type__##TAG = \
    { _HS_STATIC_RECORD_FUNCTION_FOR_TYPE, #TYPE_EXPR, #TAG, \
      _hs_registry_function_for_type__##TAG, _hs_registry_key_for_type__##TAG, \
      &__dso_handle, NULL }; \
  _HS_STATIC_RECORD_HOOKS (_hs_registry_record_for_type__##TAG) \
  static void _hs_registry_function_for_type__##TAG (void)

/* What follows is used by the macros above and by HS_INJECTABLE(): it is not
 * API. A record lives in the module that declares it; its constructor hands
 * it to the library (a lock-free push), and its destructor tells the library
 * that the module is going away. */
#ifndef __GI_SCANNER__

/* Not API: no GType is made for it (glib-mkenums skips it). */
typedef enum /*< skip >*/
{
  _HS_STATIC_RECORD_FUNCTION,
  _HS_STATIC_RECORD_INJECTABLE,
  _HS_STATIC_RECORD_FUNCTION_FOR_TYPE,
} _HsStaticRecordType;

typedef struct _HsStaticRecord _HsStaticRecord;

struct _HsStaticRecord
{
  _HsStaticRecordType  type;
  const char          *key_name;           /* functions: the key type's name, or
                                            * the expression that gives the type */
  const char          *tag;
  void               (*func) (void);       /* functions: the body */
  void               (*types) (GType *);   /* injectables: fills impl, kind, context;
                                            * functions for a type: fills the key */
  const void          *module;             /* identifies the module holding the record */
  _HsStaticRecord     *next;               /* the library's, while pending */
};

/* Every ELF object (and Mach-O image) has one, defined by the C runtime for
 * __cxa_atexit(): its address identifies the object at no cost. */
extern void *__dso_handle __attribute__ ((visibility ("hidden")));

HS_AVAILABLE_IN_0_1
void _hs_static_record_add              (_HsStaticRecord *record);
HS_AVAILABLE_IN_0_1
void _hs_static_record_module_unloading (const void      *module);

#define _HS_STATIC_RECORD_HOOKS(RECORD) \
  __attribute__ ((constructor)) static void RECORD##_add (void) \
  { \
    _hs_static_record_add (&RECORD); \
  } \
  __attribute__ ((destructor)) static void RECORD##_unloading (void) \
  { \
    _hs_static_record_module_unloading (RECORD.module); \
  }

#endif /* __GI_SCANNER__ */

G_END_DECLS
