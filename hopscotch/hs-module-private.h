/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"

G_BEGIN_DECLS

/* Guards the state of the manager side: the modules and their tables
 * (hs-module.c), the keys and the functions not run yet
 * (hs-subscription.c), the recorded injectables (hs-injectable-claim.c) and
 * the files the manager loaded (hs-module-file.c). Never held while user
 * code runs, nor across a call into the dynamic loader (dladdr() and
 * friends): a module destructor takes it with the loader's lock held. */
extern GMutex _hs_manager_lock;

/* A module: a shared object (or the program) that declared registry
 * functions or injectables, or the owner named by a binding. What its
 * registry functions registered, and its unload functions, are kept here
 * until it goes away. Every field not marked otherwise is written under
 * _hs_manager_lock. */
typedef struct _HsModule HsModule;

struct _HsModule
{
  gatomicrefcount  ref_count;
  const void      *anchor;                /* C modules: an address inside it;
                                           * set at creation */
  char            *name;                  /* file path or owner; NULL until
                                           * known. Set once, under the lock,
                                           * by _hs_module_learn_name() (with
                                           * an atomic store, so that
                                           * _hs_module_display_name() reads
                                           * it with no lock); never changed
                                           * after */
  gboolean         is_owner;              /* a binding's owner; set at creation */
  gboolean         gone;                  /* set by _hs_module_unload(), for good */
  gboolean         announced;             /* ::module-loaded emitted, or not due;
                                           * set by _hs_modules_announce_locked(),
                                           * or at creation when never due */
  GQueue           functions;             /* not run yet: hs-subscription.c's */
  GQueue           injectables;           /* hs-injectable-claim.c's */
  GArray          *unloaders;             /* Unloader: hs-module.c's */
  GPtrArray       *owned;                 /* OwnedIn: hs-module.c's */
  GHashTable      *owned_in;              /* registry → OwnedIn: hs-module.c's */
  GPtrArray       *records;               /* C modules: its _HsStaticRecords,
                                           * in recording order (in the
                                           * module's memory), or NULL */
  gint             resident;              /* atomic, set once: its code is
                                           * never unmapped
                                           * (hs-module-resident.c) */
};

HsModule   *_hs_module_new                 (const void *anchor,
                                            const char *owner);
HsModule   *_hs_module_ref                 (HsModule   *module);
void        _hs_module_unref               (HsModule   *module);

/* The module's name, or a placeholder while it is not known. */
const char *_hs_module_display_name        (HsModule   *module);

/* The canonical form of @path (as realpath() gives it), or @path itself
 * when it cannot be resolved. */
char       *_hs_canonical_path             (const char *path);

/* Learns the file of @module from the dynamic linker. Must be called with
 * no lock held. */
char       *_hs_module_file_name           (HsModule   *module);

/* Gives @module its file's name, unless it has one. The caller knows the
 * module is still mapped (or has checked, for @only_if_loaded, that it is
 * not gone). Must be called with no lock held. */
void        _hs_module_learn_name          (HsModule   *module,
                                            gboolean    only_if_loaded);

/* The tables of modules. The _locked functions are called with
 * _hs_manager_lock held. */
HsModule   *_hs_module_for_anchor_locked   (const void *anchor,
                                            gboolean    create);
HsModule   *_hs_module_for_owner_locked    (const char *owner,
                                            gboolean    create);
HsModule   *_hs_module_for_path_locked     (const char *path);
gboolean    _hs_module_has_path            (const char *path);

/* Takes @module out of its table: the table's reference is the caller's
 * now. */
void        _hs_module_forget_locked       (HsModule   *module);

/* Whether some module of a shared object is called @name: its path, its
 * canonical path (@canonical) or its file's base name. */
gboolean    _hs_modules_have_name_locked   (const char *name,
                                            const char *canonical);
/* The module of a shared object called @name, or %NULL. */
HsModule   *_hs_module_for_name_locked     (const char *name,
                                            const char *canonical);
gboolean    _hs_module_has_name            (HsModule   *module,
                                            const char *name,
                                            const char *canonical);

/* Gives a file name to the modules that have none yet. Takes the lock. */
void        _hs_modules_resolve_names      (void);

/* Marks the modules that were not announced as announced, adding a
 * reference to each to @appeared; with @appeared %NULL, marks those of
 * shared objects only (they were there before anybody could listen). */
void        _hs_modules_announce_locked    (GPtrArray  *appeared);

/* The array of @element_size elements that @key holds for this thread,
 * created empty the first time (@key frees it with g_array_unref()). */
GArray     *_hs_thread_array               (GPrivate   *key,
                                            guint       element_size);

/* The frames of the running thread: the module whose code runs, innermost
 * last. Registrations made on the thread belong to the innermost frame's
 * module. @registry_function tells a running registry function (to which
 * unload functions can be attached) from a scan made for a module's
 * injectables. */
void        _hs_module_push_frame          (HsModule   *module,
                                            gboolean    registry_function);
void        _hs_module_pop_frame           (void);

/* The registration hook (see hs-registry-private.h): gives what is
 * registered on a thread with a frame to the frame's module. */
void        _hs_module_registration_hook   (HsRegistry *registry,
                                            guint       registration_id);

/* Attaches @func to the module of the innermost registry function running
 * on this thread. Returns %FALSE (and runs nothing) when there is none, or
 * when it is going away. */
gboolean    _hs_module_add_unloader        (HsUnloadFunc   func,
                                            gpointer       user_data,
                                            GDestroyNotify destroy);

/* Runs the unload functions of @module, first to last, then unregisters
 * what it registered. Each runs once. Takes the lock. */
void        _hs_module_run_unloaders       (HsModule   *module);

/* The module of the innermost registry function running on this thread,
 * with a reference, or %NULL when there is none or it is going away. Takes
 * the lock. */
HsModule   *_hs_module_current_function_ref (void);

/* Records: what a C module recorded is remembered with it, so that a
 * module unloaded while its code stays mapped (hs-module-resident.c) can
 * record it again when it is loaded again. */
void        _hs_module_add_record_locked   (HsModule              *module,
                                            const _HsStaticRecord *record);

/* Dormant records: those of a module unloaded while still mapped, kept by
 * the module's anchor until it is loaded again or unmapped for real. The
 * _locked functions are called with _hs_manager_lock held. */
void        _hs_module_keep_dormant_locked (HsModule   *module);
/* Takes out the records kept for the module mapped from @path, in
 * recording order, or returns %NULL. */
GPtrArray  *_hs_module_take_dormant_locked (const char *path);
gboolean    _hs_module_has_dormant_locked  (const char *path);
/* The module of @anchor is being unmapped: its records are no more. */
void        _hs_module_drop_dormant_locked (const void *anchor);

G_END_DECLS
