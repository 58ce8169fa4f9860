/* sp-function-columns.h: the columns of the function table */
#pragma once

#include <gtk/gtk.h>

#include "sp-function-table.h"

G_BEGIN_DECLS

/* A new column of the table: its cells, sorter and width. */
GtkColumnViewColumn *sp_function_column_new       (SpFunctionColumn  column,
                                                   SpFunctionTable  *table);
/* Its fixed width in pixels; 0 when it expands. */
int                  sp_function_column_get_width (SpFunctionColumn  column);

G_END_DECLS
