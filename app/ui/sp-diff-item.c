/* sp-diff-item.c: one row of a comparison's function table, as a list model item */
#define G_LOG_DOMAIN "sp-diff-item"

#include "config.h"

#include "sp-diff-item.h"

struct _SpDiffItem
{
  GObject   parent_instance;

  SpDiffRow row;
};

G_DEFINE_FINAL_TYPE (SpDiffItem, sp_diff_item, G_TYPE_OBJECT)

static void
sp_diff_item_class_init (SpDiffItemClass *klass)
{
}

static void
sp_diff_item_init (SpDiffItem *self)
{
}

SpDiffItem *
sp_diff_item_new (const SpDiffRow *row)
{
  SpDiffItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (SP_TYPE_DIFF_ITEM, NULL);
  self->row = *row;
  return self;
}

const SpDiffRow *
sp_diff_item_get_row (SpDiffItem *self)
{
  g_return_val_if_fail (SP_IS_DIFF_ITEM (self), NULL);

  return &self->row;
}

const char *
sp_diff_item_get_name (SpDiffItem *self)
{
  g_return_val_if_fail (SP_IS_DIFF_ITEM (self), NULL);

  return self->row.name;
}

double
sp_diff_item_get_delta_self (SpDiffItem *self)
{
  g_return_val_if_fail (SP_IS_DIFF_ITEM (self), 0);

  return self->row.new_self - self->row.base_self;
}

double
sp_diff_item_get_delta_total (SpDiffItem *self)
{
  g_return_val_if_fail (SP_IS_DIFF_ITEM (self), 0);

  return self->row.new_total - self->row.base_total;
}
