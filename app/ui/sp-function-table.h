/* sp-function-table.h: the flat function table of a profile, sortable and filterable */
#pragma once

#include <gtk/gtk.h>

#include "sp-profile.h"

G_BEGIN_DECLS

typedef enum
{
  SP_FUNCTION_COLUMN_RANK,
  SP_FUNCTION_COLUMN_NAME,
  SP_FUNCTION_COLUMN_PACKAGE,
  SP_FUNCTION_COLUMN_SELF_PERCENT,
  SP_FUNCTION_COLUMN_TOTAL_PERCENT,
  SP_FUNCTION_COLUMN_SELF,
  SP_FUNCTION_COLUMN_TOTAL,
  SP_FUNCTION_COLUMN_CALLS,
  SP_FUNCTION_COLUMN_SECONDS,
  SP_FUNCTION_COLUMN_SECONDS_PER_CALL,
  SP_FUNCTION_COLUMN_RAW_SECONDS,
  SP_FUNCTION_COLUMN_GC_SECONDS,
  SP_FUNCTION_COLUMN_CUMULATIVE,
  SP_FUNCTION_COLUMN_BYTES,
  SP_FUNCTION_COLUMN_RUN_MIN,      /* the function's figure over its runs */
  SP_FUNCTION_COLUMN_RUN_MEDIAN,
  SP_FUNCTION_COLUMN_RUN_MAX,
  SP_N_FUNCTION_COLUMNS
} SpFunctionColumn;

#define SP_TYPE_FUNCTION_TABLE (sp_function_table_get_type ())
G_DECLARE_FINAL_TYPE (SpFunctionTable, sp_function_table, SP, FUNCTION_TABLE, GtkWidget)

GtkWidget  *sp_function_table_new                (void);
void        sp_function_table_set_profile        (SpFunctionTable  *self,
                                                  SpProfile        *profile);
/* A newer version of the profile shown (a live recording): sort and selection carry over. */
void        sp_function_table_update_profile     (SpFunctionTable  *self,
                                                  SpProfile        *profile);
gboolean    sp_function_table_is_ready           (SpFunctionTable  *self);
SpProfile  *sp_function_table_get_profile        (SpFunctionTable  *self);
SpMetric    sp_function_table_get_metric         (SpFunctionTable  *self);
GListModel *sp_function_table_get_model          (SpFunctionTable  *self);
void        sp_function_table_sort_by            (SpFunctionTable  *self,
                                                  SpFunctionColumn  column,
                                                  GtkSortType       order);
gboolean    sp_function_table_column_is_shown    (SpFunctionTable  *self,
                                                  SpFunctionColumn  column);
void        sp_function_table_set_name_filter    (SpFunctionTable  *self,
                                                  const char       *text);
void        sp_function_table_set_package_filter (SpFunctionTable  *self,
                                                  const char       *package);
guint32     sp_function_table_get_selected_frame (SpFunctionTable  *self);
void        sp_function_table_select_frame       (SpFunctionTable  *self,
                                                  guint32           frame);
void        sp_function_table_focus_search       (SpFunctionTable  *self);

G_END_DECLS
