/* sp-function-item.h: one row of the flat function table, as a list model item */
#pragma once

#include <glib-object.h>

#include "sp-analysis.h"

G_BEGIN_DECLS

#define SP_TYPE_FUNCTION_ITEM (sp_function_item_get_type ())
G_DECLARE_FINAL_TYPE (SpFunctionItem, sp_function_item, SP, FUNCTION_ITEM, GObject)

SpFunctionItem  *sp_function_item_new                  (SpProfile       *profile,
                                                        const SpFlatRow *row,
                                                        guint            rank,
                                                        double           grand_total,
                                                        double           cumulative);
guint32          sp_function_item_get_frame            (SpFunctionItem  *self);
const char      *sp_function_item_get_name             (SpFunctionItem  *self);
const char      *sp_function_item_get_package          (SpFunctionItem  *self);
const SpFlatRow *sp_function_item_get_row              (SpFunctionItem  *self);
guint            sp_function_item_get_rank             (SpFunctionItem  *self);
double           sp_function_item_get_self_fraction    (SpFunctionItem  *self);
double           sp_function_item_get_total_fraction   (SpFunctionItem  *self);
double           sp_function_item_get_cumulative       (SpFunctionItem  *self);
double           sp_function_item_get_seconds_per_call (SpFunctionItem  *self);
gint64           sp_function_item_get_bytes            (SpFunctionItem  *self);
/* The per-function figures of the recording (with its runs), or NULL. */
const SpFunctionStats *sp_function_item_get_stats      (SpFunctionItem  *self);
void             sp_function_item_set_bytes            (SpFunctionItem  *self,
                                                        gint64           bytes);
/* self shows from's function and figures from now on, and emits "changed". */
void             sp_function_item_assign               (SpFunctionItem  *self,
                                                        SpFunctionItem  *from);

G_END_DECLS
