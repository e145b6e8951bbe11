/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hopscotch.h"
#include "hs-resolve-private.h"

G_BEGIN_DECLS

/* Live lists (hs_registry_list()): what a registry tells the lists that
 * watch it. A registry holds them weakly, in its HsListWatch, made by the
 * first list of it or of a descendant; a registry nobody ever listed pays
 * one relaxed load per registration or removal, and nothing per get. */
typedef struct _HsListWatch HsListWatch;

/* Where a registry's HsListWatch pointer is in its instance: set by the
 * registry's class_init, before any registry exists. The pointer is NULL
 * until the first list watches the registry, then set once (a
 * compare-and-exchange, hs-list.c) and freed by the registry's finalize,
 * when no list can watch it any more (every list holds its registry, which
 * holds its ancestors). */
extern gint _hs_list_watch_offset;

static inline HsListWatch **
_hs_registry_list_watch (HsRegistry *registry)
{
  return G_STRUCT_MEMBER_P (registry, _hs_list_watch_offset);
}

/* Out of line: tells the lists of @registry's watch that may hold a
 * registration registered for @kind (G_TYPE_INVALID: not given) with
 * @implementation that it came or went; both G_TYPE_INVALID: every list
 * of the watch (the registry was closed). */
void _hs_list_notify (HsRegistry *registry,
                      GType       kind,
                      GType       implementation);

/* The hook of registering and unregistering, called with no lock held
 * after the index changed. One relaxed load when nothing ever listed
 * @registry (and a call that reads a count when its lists are all gone):
 * a list made at the same moment takes its first snapshot under the
 * index's lock after it joined the watch, so one of the two sees the
 * other (the lock orders them). */
static inline void
_hs_list_registry_changed (HsRegistry *registry,
                           GType       kind,
                           GType       implementation)
{
  if (G_UNLIKELY (__atomic_load_n (_hs_registry_list_watch (registry), __ATOMIC_RELAXED) != NULL))
    _hs_list_notify (registry, kind, implementation);
}

/* The hook of closing: the lists of @registry and its descendants empty. */
static inline void
_hs_list_registry_closed (HsRegistry *registry)
{
  _hs_list_registry_changed (registry, G_TYPE_INVALID, G_TYPE_INVALID);
}

/* The first steps of hs_registry_build() and hs_registry_build_async():
 * catches up with loads, checks that @self's chain is open and that
 * @registration is held by @self or an ancestor and still answers for the
 * lookup context (*@context, set to the registry's own when %NULL, not
 * referenced), and fills @w with it as resolving a get does. FALSE with
 * @error set otherwise. */
gboolean _hs_list_take_winner (HsRegistry      *self,
                               HsRegistration  *registration,
                               GObject        **context,
                               HsWinner        *w,
                               GError         **error);

/* Frees a registry's watch, as the registry is finalized; NULL is fine. */
void _hs_list_watch_free (HsListWatch *watch);

G_END_DECLS
