/* sp-heap-table.h: live objects by type before and after the workload, and what it retained */
#pragma once

#include <gtk/gtk.h>

#include "sp-profile.h"

G_BEGIN_DECLS

typedef enum
{
  SP_HEAP_COLUMN_TYPE,
  SP_HEAP_COLUMN_OBJECTS_BEFORE,
  SP_HEAP_COLUMN_OBJECTS_AFTER,
  SP_HEAP_COLUMN_RETAINED_OBJECTS,
  SP_HEAP_COLUMN_BYTES_BEFORE,
  SP_HEAP_COLUMN_BYTES_AFTER,
  SP_HEAP_COLUMN_RETAINED_BYTES,
  SP_HEAP_COLUMN_SHARE,
  SP_N_HEAP_COLUMNS
} SpHeapColumn;

#define SP_TYPE_HEAP_TABLE (sp_heap_table_get_type ())
G_DECLARE_FINAL_TYPE (SpHeapTable, sp_heap_table, SP, HEAP_TABLE, GtkWidget)

GtkWidget  *sp_heap_table_new         (void);
/* FALSE (and an empty table) when the profile lacks either snapshot. */
gboolean    sp_heap_table_set_profile (SpHeapTable  *self,
                                       SpProfile    *profile);
/* The rows as sorted: SpHeapItem. */
GListModel *sp_heap_table_get_model   (SpHeapTable  *self);
void        sp_heap_table_sort_by     (SpHeapTable  *self,
                                       SpHeapColumn  column,
                                       GtkSortType   order);

G_END_DECLS
