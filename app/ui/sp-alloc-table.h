/* sp-alloc-table.h: allocations by function or by type, each row expanding to the other */
#pragma once

#include <gtk/gtk.h>

#include "sp-alloc-item.h"

G_BEGIN_DECLS

typedef enum
{
  SP_ALLOC_COLUMN_NAME,
  SP_ALLOC_COLUMN_OBJECTS,
  SP_ALLOC_COLUMN_OBJECT_SIZE,
  SP_ALLOC_COLUMN_SAMPLES,
  SP_ALLOC_COLUMN_BYTES,
  SP_ALLOC_COLUMN_SHARE,
  SP_N_ALLOC_COLUMNS
} SpAllocColumn;

#define SP_TYPE_ALLOC_TABLE (sp_alloc_table_get_type ())
G_DECLARE_FINAL_TYPE (SpAllocTable, sp_alloc_table, SP, ALLOC_TABLE, GtkWidget)

GtkWidget  *sp_alloc_table_new                (SpAllocKeyKind  kind);
void        sp_alloc_table_set_profile        (SpAllocTable   *self,
                                               SpProfile      *profile);
/* The function of the selected row (a function's row, or a function under a type), or
 * SP_NO_FRAME. */
guint32     sp_alloc_table_get_selected_frame (SpAllocTable   *self);
/* Selects the top row of frame; unselects when it has none. */
void        sp_alloc_table_select_frame       (SpAllocTable   *self,
                                               guint32         frame);
/* Selects a visible row, as a click on it does. */
void        sp_alloc_table_select_row         (SpAllocTable   *self,
                                               guint           position);
/* The visible rows, as sorted: GtkTreeListRow items wrapping SpAllocItem. */
GListModel *sp_alloc_table_get_model          (SpAllocTable   *self);
GtkColumnViewColumn *sp_alloc_table_get_column (SpAllocTable  *self,
                                               SpAllocColumn   column);
void        sp_alloc_table_sort_by            (SpAllocTable   *self,
                                               SpAllocColumn   column,
                                               GtkSortType     order);

G_END_DECLS
