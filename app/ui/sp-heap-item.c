/* sp-heap-item.c: one type of the heap snapshots, as a list model item */
#define G_LOG_DOMAIN "sp-heap-item"

#include "config.h"

#include "sp-heap-item.h"

struct _SpHeapItem
{
  GObject      parent_instance;

  char        *name;
  SpHeapDelta  delta;
  double       share;   /* of the bytes retained by all types that grew */
};

G_DEFINE_FINAL_TYPE (SpHeapItem, sp_heap_item, G_TYPE_OBJECT)

static void
sp_heap_item_finalize (GObject *object)
{
  g_free (SP_HEAP_ITEM (object)->name);

  G_OBJECT_CLASS (sp_heap_item_parent_class)->finalize (object);
}

static void
sp_heap_item_class_init (SpHeapItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_heap_item_finalize;
}

static void
sp_heap_item_init (SpHeapItem *self)
{
}

GListModel *
sp_heap_item_list (SpProfile *profile)
{
  g_autoptr(GArray) deltas = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GListStore *store;
  double grown = 0;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  if ((deltas = sp_heap_compare (profile)) == NULL)
    return NULL;

  for (guint i = 0; i < deltas->len; i++)
    grown += MAX (SP_HEAP_DELTA_RETAINED_BYTES (&g_array_index (deltas, SpHeapDelta, i)), 0);

  items = g_ptr_array_new_full (deltas->len, g_object_unref);
  for (guint i = 0; i < deltas->len; i++)
    {
      SpHeapItem *item = g_object_new (SP_TYPE_HEAP_ITEM, NULL);
      double retained;

      item->delta = g_array_index (deltas, SpHeapDelta, i);
      retained = SP_HEAP_DELTA_RETAINED_BYTES (&item->delta);
      item->share = grown > 0 && retained > 0 ? retained / grown : 0;
      item->name = g_strdup (sp_profile_get_type_name (profile, item->delta.type));
      g_ptr_array_add (items, item);
    }
  store = g_list_store_new (SP_TYPE_HEAP_ITEM);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return G_LIST_MODEL (store);
}

const char *
sp_heap_item_get_name (SpHeapItem *self)
{
  g_return_val_if_fail (SP_IS_HEAP_ITEM (self), NULL);

  return self->name;
}

const SpHeapDelta *
sp_heap_item_get_delta (SpHeapItem *self)
{
  g_return_val_if_fail (SP_IS_HEAP_ITEM (self), NULL);

  return &self->delta;
}

double
sp_heap_item_get_share (SpHeapItem *self)
{
  g_return_val_if_fail (SP_IS_HEAP_ITEM (self), 0);

  return self->share;
}
