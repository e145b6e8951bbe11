/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-registry-private.h"
#include "hs-index-private.h"
#include "hs-scope-private.h"
#include "hs-registry-parts-private.h"
#include "hs-list-private.h"

/* Closing a registry (SPEC 9): hs_registry_close(), is_closed() and the
 * cancellable. What is kept and how it is released is hs-scope's. */

/* Closing */

/**
 * hs_registry_close:
 * @self: a #HsRegistry
 *
 * Closes @self, as a request, a window or a document ends: releases what
 * @self kept for %HS_LIFETIME_SINGLETON registrations it holds and for
 * %HS_LIFETIME_SCOPED registrations of gets called on it, last built first
 * (in the reverse of the order in which their builds completed); cancels
 * the cancellable of hs_registry_get_cancellable(); and emits
 * #HsRegistry::closed.
 *
 * From then on gets, registrations and hs_registry_inject() on @self fail
 * with %HS_REGISTRY_ERROR_CLOSED, and hs_registry_lookup() finds nothing;
 * hs_registry_unregister() still removes registrations. A build that
 * completes after @self closed is not kept, and its get fails with
 * %HS_REGISTRY_ERROR_CLOSED.
 *
 * A child of a closed registry is closed when it is next used (a get, a
 * registration, an injection, hs_registry_is_closed()); closing does not
 * reach into children otherwise. Closing again does nothing. Dropping the
 * last reference to a registry closes it.
 *
 * Since: 0.2
 */
void
hs_registry_close (HsRegistry *self)
{
  GCancellable *cancellable;
  HsBuilt *kept;

  g_return_if_fail (HS_IS_REGISTRY (self));

  if (!_hs_scope_close (_hs_registry_scope (self), &kept, &cancellable))
    return;

  /* Gets that still use a kept object through a cached answer finish
   * first: the stamps change, then a grace period passes (when there is
   * something to release). */
  _hs_index_close (_hs_registry_index (self), kept != NULL);

  /* Last built first. */
  _hs_scope_release (kept);

  /* The lists of it and of its descendants empty. */
  _hs_list_registry_closed (self);

  if (cancellable != NULL)
    {
      g_cancellable_cancel (cancellable);
      g_object_unref (cancellable);
    }

  g_signal_emit (self, _hs_registry_signal_closed, 0);
}

/**
 * hs_registry_is_closed:
 * @self: a #HsRegistry
 *
 * Tells whether @self is closed: by hs_registry_close(), or because an
 * ancestor is (then @self is closed now).
 *
 * Returns: %TRUE if @self is closed
 *
 * Since: 0.2
 */
gboolean
hs_registry_is_closed (HsRegistry *self)
{

  g_return_val_if_fail (HS_IS_REGISTRY (self), FALSE);

  if (_hs_scope_is_closed (_hs_registry_scope (self)))
    return TRUE;

  return _hs_registry_check_closed (self, NULL);
}

/**
 * hs_registry_get_cancellable:
 * @self: a #HsRegistry
 *
 * Gets the cancellable that hs_registry_close() cancels, made on first
 * use: tie work that must stop with the registry (a request's, a window's)
 * to it. One first asked for after @self closed is cancelled already.
 *
 * Returns: (transfer none): the registry's cancellable
 *
 * Since: 0.2
 */
GCancellable *
hs_registry_get_cancellable (HsRegistry *self)
{

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);

  return _hs_scope_get_cancellable (_hs_registry_scope (self));
}
