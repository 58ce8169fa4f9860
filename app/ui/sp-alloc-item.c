/* sp-alloc-item.c: one row of the allocation tables
 *
 * An item is a (profile, kind, key) triple with its figures.  Top rows list their other
 * dimension when expanded: a function its types, a type its functions; those rows do not
 * expand further.  Every share is of the bytes of all rows at the top, so a row reads the
 * same wherever it shows.
 */
#define G_LOG_DOMAIN "sp-alloc-item"

#include "config.h"

#include "sp-alloc-item.h"

struct _SpAllocItem
{
  GObject         parent_instance;

  SpProfile      *profile;
  SpAllocKeyKind  kind;
  SpAllocTotal    total;
  double          grand_total;
  gboolean        top;
};

G_DEFINE_FINAL_TYPE (SpAllocItem, sp_alloc_item, G_TYPE_OBJECT)

static void
sp_alloc_item_finalize (GObject *object)
{
  SpAllocItem *self = SP_ALLOC_ITEM (object);

  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sp_alloc_item_parent_class)->finalize (object);
}

static void
sp_alloc_item_class_init (SpAllocItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_alloc_item_finalize;
}

static void
sp_alloc_item_init (SpAllocItem *self)
{
}

static GListModel *
list_totals (SpProfile      *profile,
             SpAllocKeyKind  kind,
             GArray         *totals,
             double          grand_total,
             gboolean        top)
{
  GListStore *store = g_list_store_new (SP_TYPE_ALLOC_ITEM);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (totals->len, g_object_unref);

  for (guint i = 0; i < totals->len; i++)
    {
      SpAllocItem *item = g_object_new (SP_TYPE_ALLOC_ITEM, NULL);

      item->profile = g_object_ref (profile);
      item->kind = kind;
      item->total = g_array_index (totals, SpAllocTotal, i);
      item->grand_total = grand_total;
      item->top = top;
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return G_LIST_MODEL (store);
}

static double
sum_bytes (GArray *totals)
{
  double sum = 0;

  for (guint i = 0; i < totals->len; i++)
    sum += g_array_index (totals, SpAllocTotal, i).bytes;
  return sum;
}

GListModel *
sp_alloc_item_list_roots (SpProfile      *profile,
                          SpAllocKeyKind  kind)
{
  g_autoptr(GArray) totals = NULL;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  totals = kind == SP_ALLOC_KEY_FUNCTION ? sp_alloc_by_function (profile) : sp_alloc_by_type (profile);
  return list_totals (profile, kind, totals, sum_bytes (totals), TRUE);
}

GListModel *
sp_alloc_item_list_children (SpAllocItem *self)
{
  g_autoptr(GArray) totals = NULL;

  g_return_val_if_fail (SP_IS_ALLOC_ITEM (self), NULL);

  if (!self->top || sp_memory_bytes_source (self->profile) != SP_BYTES_EXACT)
    return NULL;

  if (self->kind == SP_ALLOC_KEY_FUNCTION)
    totals = sp_alloc_types_of_function (self->profile, self->total.key);
  else
    totals = sp_alloc_functions_of_type (self->profile, self->total.key);
  if (totals->len == 0)
    return NULL;
  return list_totals (self->profile,
                      self->kind == SP_ALLOC_KEY_FUNCTION ? SP_ALLOC_KEY_TYPE : SP_ALLOC_KEY_FUNCTION,
                      totals, self->grand_total, FALSE);
}

SpAllocKeyKind
sp_alloc_item_get_kind (SpAllocItem *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_ITEM (self), SP_ALLOC_KEY_FUNCTION);

  return self->kind;
}

guint32
sp_alloc_item_get_key (SpAllocItem *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_ITEM (self), 0);

  return self->total.key;
}

guint32
sp_alloc_item_get_frame (SpAllocItem *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_ITEM (self), SP_NO_FRAME);

  return self->kind == SP_ALLOC_KEY_FUNCTION ? self->total.key : SP_NO_FRAME;
}

const char *
sp_alloc_item_get_name (SpAllocItem *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_ITEM (self), NULL);

  if (self->kind == SP_ALLOC_KEY_FUNCTION)
    return sp_profile_get_frame (self->profile, self->total.key)->name;
  return sp_profile_get_type_name (self->profile, self->total.key);
}

const SpAllocTotal *
sp_alloc_item_get_total (SpAllocItem *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_ITEM (self), NULL);

  return &self->total;
}

double
sp_alloc_item_get_fraction (SpAllocItem *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_ITEM (self), 0);

  return self->grand_total > 0 ? self->total.bytes / self->grand_total : 0;
}

double
sp_alloc_item_get_object_size (SpAllocItem *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_ITEM (self), -1);

  return self->total.objects > 0 ? self->total.bytes / self->total.objects : -1;
}

SpProfile *
sp_alloc_item_get_profile (SpAllocItem *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_ITEM (self), NULL);

  return self->profile;
}
