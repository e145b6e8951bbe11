/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-list-private.h"
#include "hs-registry-private.h"
#include "hs-build-private.h"
#include "hs-index-private.h"
#include "hs-scope-private.h"
#include "hs-i18n-private.h"

/**
 * SECTION:hs-list
 * @title: Lists of registrations
 * @short_description: every implementation of a kind, kept up to date
 *
 * hs_registry_get() answers with one winner. A plugins' menu, a status bar
 * with an item per plugin, a preferences page of providers want all of
 * them, and want to follow plugins as they are loaded and unloaded:
 * hs_registry_list() returns a #GListModel of #HsRegistration, every
 * registration that answers a kind for a lookup context in a registry and
 * its ancestors, which stays up to date; hs_registry_build() builds one of
 * its items as a get would.
 *
 * |[<!-- language="C" -->
 * g_autoptr(GListModel) transformers =
 *   hs_registry_list (registry, MY_TYPE_IMAGE_TRANSFORMER, NULL);
 *
 * g_signal_connect (transformers, "items-changed",
 *                   G_CALLBACK (on_transformers_changed), NULL);
 * for (guint i = 0; i < g_list_model_get_n_items (transformers); i++)
 *   {
 *     g_autoptr(HsRegistration) registration = g_list_model_get_item (transformers, i);
 *     g_autoptr(MyImageTransformer) transformer =
 *       hs_registry_build (registry, registration, NULL, &error);
 *     ...
 *   }
 * ]|
 *
 * A list is a model for `GtkListView` or `GtkDropDown` as it is. From
 * Python it is a sequence (`for registration in registry.list(Kind)`,
 * `len()`, indexing) and `registry.get_all(Kind)` builds every item; from
 * JavaScript it is iterable, and `registry.getAll(Kind)` builds them.
 *
 * ## Order
 *
 * The registrations of the registry asked come first, then its parent's,
 * up to the root; each registry's in the order of precedence of a get
 * (context specificity, singletons first, the most recent first). Item 0
 * is therefore what hs_registry_get() builds and hs_registry_lookup()
 * returns, unless the get gives props.
 *
 * ## Changes
 *
 * Registering, unregistering (also a module's unloading, which
 * unregisters what its registry functions registered) and closing, in the
 * registry listed or in any of its ancestors, emit #GListModel::items-changed
 * with the smallest change: one registration gone is `(position, 1, 0)`,
 * one more is `(position, 0, 1)`. Several changes made before the list
 * could look (on other threads) come as one emission per run of
 * neighbouring items. The items that stay are the same #HsRegistration
 * objects.
 *
 * When the registry listed or one of its ancestors is closed, the list
 * empties (its gets fail) and stays empty.
 *
 * ## Threads
 *
 * A list belongs to the thread that made it and to that thread's
 * thread-default #GMainContext: read it and connect to it there. A change
 * made on that thread (or while that context is being iterated) is
 * emitted at once, before the registering or unregistering call returns;
 * a change made on another thread is emitted from an idle source in that
 * context, which compares the registries with the list again: after the
 * context has run, the list holds exactly the registrations that answer.
 * The registries may change on any thread meanwhile.
 *
 * ## Cost
 *
 * A registry keeps the lists that watch it weakly, by kind; a list keeps
 * its registry (and so its ancestors) alive, never the reverse. A registry
 * that no list watches pays one relaxed load per registration or removal,
 * and gets never look at lists at all.
 */

/* One list as the registries of its chain know it. Shared by every watch
 * of the chain, each with a reference, and by the idle source of a pending
 * update. Immutable but for @pending. */
typedef struct
{
  gatomicrefcount  ref_count;
  GWeakRef         list;              /* the HsLiveList; cleared as it goes */
  GType            kind;
  GMainContext    *context;           /* the list's (owned) */
  GThread         *thread;            /* the thread that made the list */
  gint             pending;           /* atomic: an idle update is attached */
} HsListLink;

/* A registry's lists. Written by lists only: they join as they are made
 * and leave as they are finalized, under @lock; read under @lock by the
 * registry's changes, which take references to the links they found and
 * tell them with the lock released. */
struct _HsListWatch
{
  GMutex      lock;
  GHashTable *by_kind;                /* GType → GPtrArray of HsListLink (owned) */
  gint        n_links;                /* atomic, written under @lock: how many
                                       * there are, so that a registry whose
                                       * lists are all gone takes no lock */
};

gint _hs_list_watch_offset;

static HsListLink *
link_ref (HsListLink *link)
{
  g_atomic_ref_count_inc (&link->ref_count);
  return link;
}

static void
link_unref (HsListLink *link)
{
  if (!g_atomic_ref_count_dec (&link->ref_count))
    return;

  g_weak_ref_clear (&link->list);
  g_main_context_unref (link->context);
  g_free (link);
}

void
_hs_list_watch_free (HsListWatch *watch)
{
  if (watch == NULL)
    return;

  g_hash_table_unref (watch->by_kind);
  g_mutex_clear (&watch->lock);
  g_free (watch);
}

/* @registry's watch, made by the first list that watches it. */
static HsListWatch *
ensure_watch (HsRegistry *registry)
{
  HsListWatch **slot = _hs_registry_list_watch (registry);
  HsListWatch *watch = __atomic_load_n (slot, __ATOMIC_ACQUIRE);
  HsListWatch *made;

  if (watch != NULL)
    return watch;

  made = g_new0 (HsListWatch, 1);
  g_mutex_init (&made->lock);
  made->by_kind = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);

  /* Another list may have made one meanwhile: the first one stays. */
  if (!__atomic_compare_exchange_n (slot, &watch, made, FALSE,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    {
      _hs_list_watch_free (made);
      return watch;
    }

  return made;
}

static void
watch_add (HsListWatch *watch,
           HsListLink  *link)
{
  GPtrArray *links;

  g_mutex_lock (&watch->lock);
  links = g_hash_table_lookup (watch->by_kind, GSIZE_TO_POINTER (link->kind));
  if (links == NULL)
    {
      links = g_ptr_array_new_with_free_func ((GDestroyNotify) link_unref);
      g_hash_table_insert (watch->by_kind, GSIZE_TO_POINTER (link->kind), links);
    }
  g_ptr_array_add (links, link_ref (link));
  g_atomic_int_inc (&watch->n_links);
  g_mutex_unlock (&watch->lock);
}

static void
watch_remove (HsListWatch *watch,
              HsListLink  *link)
{
  GPtrArray *links;

  g_mutex_lock (&watch->lock);
  links = g_hash_table_lookup (watch->by_kind, GSIZE_TO_POINTER (link->kind));
  /* The link's last reference is the list's own: nothing runs here. */
  if (links != NULL && g_ptr_array_remove_fast (links, link))
    {
      g_atomic_int_add (&watch->n_links, -1);
      if (links->len == 0)
        g_hash_table_remove (watch->by_kind, GSIZE_TO_POINTER (link->kind));
    }
  g_mutex_unlock (&watch->lock);
}

/* The list */

#define HS_TYPE_LIVE_LIST (_hs_live_list_get_type ())
G_DECLARE_FINAL_TYPE (HsLiveList, _hs_live_list, HS, LIVE_LIST, GObject)

/* One item: a registration, and its serial, which no other registration
 * ever has (so it names the registration across changes). */
typedef struct
{
  guint64         serial;
  HsRegistration *registration;       /* owned */
} Item;

/* What a registration of the snapshot is, copied under its registry's
 * lock. */
typedef struct
{
  guint64             serial;
  HsRegistrationType  type;
  HsLifetime          lifetime;
  GType               kind;
  GType               implementation;
  GObject            *instance;       /* owned */
  GType               context_type;
  HsRegistry         *registry;       /* kept alive by the list's registry */
} Snapshot;

struct _HsLiveList
{
  GObject       parent_instance;

  /* Set at creation, then read-only. */
  HsRegistry   *registry;             /* owned; it keeps its ancestors */
  GType         kind;
  GType         ctx_type;
  HsListLink   *link;                 /* owned; in the watch of each registry
                                       * of the chain */

  /* The list's thread only (see "Threads" above). */
  GArray       *items;                /* Item */
  gboolean      updating;             /* an update is emitting */
  gboolean      again;                /* a change came while it was */
};

static void _hs_live_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HsLiveList, _hs_live_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      _hs_live_list_model_init))

static void
clear_item (Item *item)
{
  g_clear_object (&item->registration);
}

static void
clear_snapshot (Snapshot *snapshot)
{
  g_clear_object (&snapshot->instance);
}

/* Every candidate of the chain, in list order. A closed chain has none:
 * its gets fail. Each registry is read under its own lock in turn; a
 * change to one already read tells the list again. */
static GArray *
take_snapshot (HsLiveList *self)
{
  GArray *snapshots = g_array_new (FALSE, FALSE, sizeof (Snapshot));

  g_array_set_clear_func (snapshots, (GDestroyNotify) clear_snapshot);

  if (_hs_index_chain_closed (_hs_registry_index (self->registry)))
    return snapshots;

  for (HsRegistry *r = self->registry; r != NULL; r = _hs_registry_index (r)->parent)
    {
      HsIndex *index = _hs_registry_index (r);
      GArray *candidates;

      g_mutex_lock (&index->lock);
      candidates = _hs_index_candidates_locked (index, self->kind, self->ctx_type, FALSE);
      for (guint i = 0; i < candidates->len; i++)
        {
          const HsEntry *entry = g_array_index (candidates, HsCandidate, i).entry;
          Snapshot snapshot = {
            entry->serial, entry->type, entry->lifetime,
            _hs_entry_named_kind (entry),
            entry->implementation,
            /* Registered, so held: a reference outlives the lock. */
            _hs_entry_instance (entry) != NULL ? g_object_ref (_hs_entry_instance (entry)) : NULL,
            entry->context_type, entry->registry,
          };

          g_array_append_val (snapshots, snapshot);
        }
      g_mutex_unlock (&index->lock);

      g_array_unref (candidates);
    }

  return snapshots;
}

static HsRegistration *
make_registration (const Snapshot *snapshot)
{
  return _hs_registration_new ((guint) snapshot->serial, snapshot->type, snapshot->lifetime,
                               snapshot->kind, snapshot->implementation, snapshot->instance,
                               snapshot->context_type, snapshot->registry);
}

/* A set of the serials at @serials, @stride bytes apart. */
static GHashTable *
serial_set (const guint8 *serials,
            guint         n,
            gsize         stride)
{
  GHashTable *set = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < n; i++)
    g_hash_table_add (set, (gpointer) (serials + i * stride));

  return set;
}

/* Replaces @removed items at @position by @added made from @fresh, from
 * @first on, and tells. */
static void
splice (HsLiveList *self,
        guint       position,
        guint       removed,
        GArray     *fresh,
        guint       first,
        guint       added)
{
  g_array_remove_range (self->items, position, removed);
  for (guint k = 0; k < added; k++)
    {
      const Snapshot *snapshot = &g_array_index (fresh, Snapshot, first + k);
      Item item = { snapshot->serial, make_registration (snapshot) };

      g_array_insert_val (self->items, position + k, item);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* Turns the items into @fresh with the fewest changes. Both are in the
 * same order (the chain's, then precedence, which never changes between
 * two registrations), so the items they share are in the same order too:
 * one walk finds each run of items gone and of items new. The model is
 * consistent at each emission. */
/* The common changes without sets: nothing changed, or one registration
 * came or went. FALSE when it is something else. */
static gboolean
apply_one (HsLiveList *self,
           GArray     *fresh)
{
  guint n_old = self->items->len, n_new = fresh->len;
  guint shorter = MIN (n_old, n_new), first = 0;

#define OLD_SERIAL(i) (g_array_index (self->items, Item, (i)).serial)
#define NEW_SERIAL(i) (g_array_index (fresh, Snapshot, (i)).serial)

  if (n_old > n_new + 1 || n_new > n_old + 1)
    return FALSE;

  while (first < shorter && OLD_SERIAL (first) == NEW_SERIAL (first))
    first++;
  if (n_old == n_new)
    return first == n_old;

  /* The rest must be the same, one place further on one side. */
  for (guint i = first; i < shorter; i++)
    if ((n_new > n_old ? OLD_SERIAL (i) != NEW_SERIAL (i + 1)
                       : OLD_SERIAL (i + 1) != NEW_SERIAL (i)))
      return FALSE;

#undef OLD_SERIAL
#undef NEW_SERIAL

  if (n_new > n_old)
    splice (self, first, 0, fresh, first, 1);
  else
    splice (self, first, 1, fresh, first, 0);

  return TRUE;
}

static void
apply (HsLiveList *self,
       GArray     *fresh)
{
  guint n_old = self->items->len;
  /* The items change as we go: the set of the old ones is of a copy of
   * their serials (Item and Snapshot both start with theirs). */
  guint64 *old_serials = g_new (guint64, MAX (n_old, 1));
  GHashTable *old_set, *new_set;
  guint position = 0, j = 0;

  for (guint i = 0; i < n_old; i++)
    old_serials[i] = g_array_index (self->items, Item, i).serial;
  old_set = serial_set ((const guint8 *) old_serials, n_old, sizeof (guint64));
  new_set = serial_set ((const guint8 *) fresh->data, fresh->len, sizeof (Snapshot));

  while (position < self->items->len || j < fresh->len)
    {
      guint removed = 0, added = 0;

      while (position + removed < self->items->len &&
             !g_hash_table_contains (new_set,
                                     &g_array_index (self->items, Item, position + removed).serial))
        removed++;
      while (j + added < fresh->len &&
             !g_hash_table_contains (old_set, &g_array_index (fresh, Snapshot, j + added).serial))
        added++;

      if (removed == 0 && added == 0)
        {
          /* Shared by both, so in both at this point: see above. */
          g_assert (g_array_index (self->items, Item, position).serial ==
                    g_array_index (fresh, Snapshot, j).serial);
          position++;
          j++;
          continue;
        }

      splice (self, position, removed, fresh, j, added);
      position += added;
      j += added;
    }

  g_hash_table_unref (old_set);
  g_hash_table_unref (new_set);
  g_free (old_serials);
}

/* Compares the list with its registries and tells what changed. On the
 * list's thread. A change made by a handler of items-changed is taken in
 * once the emission is over. */
static void
update (HsLiveList *self)
{
  if (self->updating)
    {
      self->again = TRUE;
      return;
    }

  self->updating = TRUE;
  do
    {
      GArray *fresh;

      self->again = FALSE;
      fresh = take_snapshot (self);
      if (!apply_one (self, fresh))
        apply (self, fresh);
      g_array_unref (fresh);
    }
  while (self->again);
  self->updating = FALSE;
}

static gboolean
update_in_idle (gpointer data)
{
  HsListLink *link = data;
  HsLiveList *self;

  /* Before the snapshot: a change after it attaches another source. */
  g_atomic_int_set (&link->pending, FALSE);

  self = g_weak_ref_get (&link->list);
  if (self != NULL)
    {
      update (self);
      g_object_unref (self);
    }

  return G_SOURCE_REMOVE;
}

/* Whether this thread may emit the list's changes itself. */
static gboolean
on_list_thread (HsListLink *link)
{
  GMainContext *context;
  gboolean same;

  if (g_main_context_is_owner (link->context))
    return TRUE;
  if (g_thread_self () != link->thread)
    return FALSE;

  context = g_main_context_ref_thread_default ();
  same = context == link->context;
  g_main_context_unref (context);

  return same;
}

/* Tells a list that its registries changed: at once on its thread,
 * otherwise from an idle source in its context (one at a time). */
static void
poke (HsListLink *link)
{
  if (on_list_thread (link))
    {
      HsLiveList *self = g_weak_ref_get (&link->list);

      if (self != NULL)
        {
          update (self);
          g_object_unref (self);
        }
      return;
    }

  if (g_atomic_int_compare_and_exchange (&link->pending, FALSE, TRUE))
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, update_in_idle, link_ref (link),
                             (GDestroyNotify) link_unref);
      g_source_set_static_name (source, "[hopscotch] list update");
      g_source_attach (source, link->context);
      g_source_unref (source);
    }
}

static void
collect_links (GPtrArray *into,
               GPtrArray *links)
{
  for (guint i = 0; links != NULL && i < links->len; i++)
    g_ptr_array_add (into, link_ref (g_ptr_array_index (links, i)));
}

void
_hs_list_notify (HsRegistry *registry,
                 GType       kind,
                 GType       implementation)
{
  HsListWatch *watch = __atomic_load_n (_hs_registry_list_watch (registry), __ATOMIC_ACQUIRE);
  GPtrArray *links;

  /* No list any more (the same argument as _hs_list_registry_changed()'s
   * holds: a list joins, counted, before its first snapshot). */
  if (g_atomic_int_get (&watch->n_links) == 0)
    return;

  links = g_ptr_array_new_with_free_func ((GDestroyNotify) link_unref);
  g_mutex_lock (&watch->lock);
  if (kind != G_TYPE_INVALID)
    collect_links (links, g_hash_table_lookup (watch->by_kind, GSIZE_TO_POINTER (kind)));
  else if (implementation != G_TYPE_INVALID)
    {
      GType *ifaces;
      guint n_ifaces = 0;

      /* Registered without a kind: it answers for its type, its ancestors
       * and its interfaces (the entry's answers, which another thread may
       * free meanwhile: found again from the type). A list of GObject
       * hears of it too, and finds nothing new. */
      for (GType t = implementation; t != G_TYPE_INVALID; t = g_type_parent (t))
        collect_links (links, g_hash_table_lookup (watch->by_kind, GSIZE_TO_POINTER (t)));
      ifaces = g_type_interfaces (implementation, &n_ifaces);
      for (guint i = 0; i < n_ifaces; i++)
        collect_links (links, g_hash_table_lookup (watch->by_kind, GSIZE_TO_POINTER (ifaces[i])));
      g_free (ifaces);
    }
  else
    {
      GHashTableIter iter;
      gpointer value;

      /* Closing: every list. */
      g_hash_table_iter_init (&iter, watch->by_kind);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        collect_links (links, value);
    }
  g_mutex_unlock (&watch->lock);

  /* With no lock held: on the list's thread, its handlers run now. */
  for (guint i = 0; i < links->len; i++)
    poke (g_ptr_array_index (links, i));

  g_ptr_array_unref (links);
}

static void
_hs_live_list_finalize (GObject *object)
{
  HsLiveList *self = HS_LIVE_LIST (object);

  if (self->link != NULL)
    {
      for (HsRegistry *r = self->registry; r != NULL; r = _hs_registry_index (r)->parent)
        watch_remove (__atomic_load_n (_hs_registry_list_watch (r), __ATOMIC_ACQUIRE),
                      self->link);
      link_unref (self->link);
    }

  g_array_unref (self->items);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (_hs_live_list_parent_class)->finalize (object);
}

static void
_hs_live_list_class_init (HsLiveListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = _hs_live_list_finalize;
}

static void
_hs_live_list_init (HsLiveList *self)
{
  self->items = g_array_new (FALSE, FALSE, sizeof (Item));
  g_array_set_clear_func (self->items, (GDestroyNotify) clear_item);
}

static GType
_hs_live_list_get_item_type (GListModel *model)
{
  return HS_TYPE_REGISTRATION;
}

static guint
_hs_live_list_get_n_items (GListModel *model)
{
  return HS_LIVE_LIST (model)->items->len;
}

static gpointer
_hs_live_list_get_item (GListModel *model,
                           guint       position)
{
  HsLiveList *self = HS_LIVE_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_array_index (self->items, Item, position).registration);
}

static void
_hs_live_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = _hs_live_list_get_item_type;
  iface->get_n_items = _hs_live_list_get_n_items;
  iface->get_item = _hs_live_list_get_item;
}

/**
 * hs_registry_list:
 * @self: a #HsRegistry
 * @kind: the kind of thing wanted
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 *
 * Lists every registration that answers @kind for @context in @self and
 * its ancestors: those of @self first, then its parent's, up to the root,
 * each registry's in the order of precedence of a get. Item 0 is what
 * hs_registry_get() (without props) would build and hs_registry_lookup()
 * returns.
 *
 * The list is live: registering and unregistering in @self or an
 * ancestor, a module's unloading and closing emit
 * #GListModel::items-changed with the smallest change, in the
 * thread-default main context of the calling thread, at once for changes
 * made on this thread. Use the list on this thread. See the section's
 * description for the order, the changes and the threads; build an item
 * with hs_registry_build().
 *
 * A @kind that is not an object or interface type lists nothing. When
 * @self or an ancestor is closed, the list is empty.
 *
 * Returns: (transfer full): a #GListModel of #HsRegistration
 *
 * Since: 0.2
 */
GListModel *
hs_registry_list (HsRegistry *self,
                  GType       kind,
                  GObject    *context)
{
  HsLiveList *list;
  GObject *lookup;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);

  _hs_registry_observe_loads ();

  lookup = context != NULL ? context : hs_registry_get_context (self);

  list = g_object_new (HS_TYPE_LIVE_LIST, NULL);
  list->registry = g_object_ref (self);
  list->kind = kind;
  list->ctx_type = lookup != NULL ? G_OBJECT_TYPE (lookup) : G_TYPE_INVALID;

  /* A kind nothing can answer never changes: no need to watch. */
  if (!_hs_is_object_or_interface_type (kind))
    return G_LIST_MODEL (list);

  list->link = g_new0 (HsListLink, 1);
  g_atomic_ref_count_init (&list->link->ref_count);
  g_weak_ref_init (&list->link->list, list);
  list->link->kind = kind;
  list->link->context = g_main_context_ref_thread_default ();
  list->link->thread = g_thread_self ();

  /* Watch first, then look: a change made meanwhile is seen by the first
   * snapshot or tells the list (see _hs_list_registry_changed()). */
  for (HsRegistry *r = self; r != NULL; r = _hs_registry_index (r)->parent)
    watch_add (ensure_watch (r), list->link);

  update (list);

  return G_LIST_MODEL (list);
}

/* Building one registration */

/* Finds @registration's entry among the candidates of its registry for
 * @ctx_type and fills @w from it, as resolving a get does. */
static gboolean
take_registration (HsRegistration *registration,
                   GType           ctx_type,
                   HsWinner       *w)
{
  HsRegistry *holder = hs_registration_get_registry (registration);
  HsIndex *index = _hs_registry_index (holder);
  guint id = hs_registration_get_id (registration);
  gboolean found = FALSE;
  GArray *candidates;

  g_mutex_lock (&index->lock);
  candidates = _hs_index_candidates_locked (index, hs_registration_get_kind (registration),
                                            ctx_type, FALSE);
  for (guint i = 0; i < candidates->len && !found; i++)
    {
      HsEntry *entry = g_array_index (candidates, HsCandidate, i).entry;

      if (_hs_entry_id (entry) != id)
        continue;
      _hs_winner_take (w, entry, _hs_entry_instance (entry), FALSE);
      found = TRUE;
    }
  g_mutex_unlock (&index->lock);

  g_array_unref (candidates);

  return found;
}

gboolean
_hs_list_take_winner (HsRegistry      *self,
                      HsRegistration  *registration,
                      GObject        **context,
                      HsWinner        *w,
                      GError         **error)
{
  HsRegistry *holder, *r;
  GType kind;

  _hs_registry_observe_loads ();

  if (_hs_index_chain_closed (_hs_registry_index (self)))
    {
      hs_registry_close (self);
      _hs_set_closed_error (error);
      return FALSE;
    }

  if (*context == NULL)
    *context = hs_registry_get_context (self);
  kind = hs_registration_get_kind (registration);

  holder = hs_registration_get_registry (registration);
  for (r = self; r != NULL && r != holder; r = _hs_registry_index (r)->parent)
    ;
  if (r == NULL)
    {
      g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND,
                   _("Registration %u of “%s” is held by a registry that is not this one or an ancestor"),
                   hs_registration_get_id (registration), _hs_type_name (kind));
      return FALSE;
    }

  if (!take_registration (registration,
                          *context != NULL ? G_OBJECT_TYPE (*context) : G_TYPE_INVALID, w))
    {
      if (*context != NULL)
        g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND,
                     _("Registration %u of “%s” is no longer registered, or does not answer for context “%s”"),
                     hs_registration_get_id (registration), _hs_type_name (kind),
                     G_OBJECT_TYPE_NAME (*context));
      else
        g_set_error (error, HS_REGISTRY_ERROR, HS_REGISTRY_ERROR_NOT_FOUND,
                     _("Registration %u of “%s” is no longer registered, or does not answer without a context"),
                     hs_registration_get_id (registration), _hs_type_name (kind));
      return FALSE;
    }

  return TRUE;
}

/**
 * hs_registry_build:
 * @self: a #HsRegistry
 * @registration: a registration of @self or of an ancestor, as
 *   hs_registry_list() and hs_registry_lookup() return
 * @context: (nullable): the lookup context, or %NULL for the registry's own
 * @error: return location for a #GError
 *
 * Builds @registration as hs_registry_get() would if it won: @self builds
 * it, injecting from @self with @context as the lookup context, and its
 * lifetime holds: an instance is returned itself, a
 * %HS_LIFETIME_SINGLETON is built once by the registry that holds it, a
 * %HS_LIFETIME_SCOPED one once by @self, and what was kept already is
 * returned as it is.
 *
 * Errors: %HS_REGISTRY_ERROR_NOT_FOUND when @registration is not held by
 * @self or an ancestor, is unregistered, or does not answer for the lookup
 * context (nothing is built then); %HS_REGISTRY_ERROR_CLOSED once @self or
 * an ancestor is closed; and the errors of building, as for
 * hs_registry_get(): %HS_REGISTRY_ERROR_NEEDS_ASYNC for a registration
 * that needs asynchronous construction, which hs_registry_build_async()
 * builds.
 *
 * Returns: (transfer full) (type GObject): a new reference to what
 *   @registration builds, or %NULL with @error set
 *
 * Since: 0.2
 */
gpointer
hs_registry_build (HsRegistry      *self,
                   HsRegistration  *registration,
                   GObject         *context,
                   GError         **error)
{
  GObject *object;
  GType kind, ctx_type;
  HsWinner w;

  g_return_val_if_fail (HS_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (HS_IS_REGISTRATION (registration), NULL);
  g_return_val_if_fail (context == NULL || G_IS_OBJECT (context), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_hs_list_take_winner (self, registration, &context, &w, error))
    return NULL;
  kind = hs_registration_get_kind (registration);
  ctx_type = context != NULL ? G_OBJECT_TYPE (context) : G_TYPE_INVALID;

  /* As _hs_build() does with a winner. */
  if (w.instance != NULL)
    return g_steal_pointer (&w.instance);

  if (w.lifetime != HS_LIFETIME_TRANSIENT)
    object = _hs_build_kept (self, &w, kind, ctx_type, error);
  else
    object = _hs_build_winner (self, &w, kind, context, 0, NULL, NULL, error);
  _hs_winner_clear (&w);

  return object;
}
