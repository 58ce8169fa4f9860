/* sp-diff-item.h: one row of a comparison's function table, as a list model item */
#pragma once

#include <glib-object.h>

#include "sp-diff.h"

G_BEGIN_DECLS

#define SP_TYPE_DIFF_ITEM (sp_diff_item_get_type ())
G_DECLARE_FINAL_TYPE (SpDiffItem, sp_diff_item, SP, DIFF_ITEM, GObject)

/* The row's name belongs to the profiles compared: the caller keeps them alive. */
SpDiffItem      *sp_diff_item_new         (const SpDiffRow *row);
const SpDiffRow *sp_diff_item_get_row     (SpDiffItem      *self);
const char      *sp_diff_item_get_name    (SpDiffItem      *self);
/* In percentage points: new minus base. */
double           sp_diff_item_get_delta_self  (SpDiffItem  *self);
double           sp_diff_item_get_delta_total (SpDiffItem  *self);

G_END_DECLS
