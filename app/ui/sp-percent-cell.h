/* sp-percent-cell.h: a table cell showing a fraction as a bar behind its number */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SP_TYPE_PERCENT_CELL (sp_percent_cell_get_type ())
G_DECLARE_FINAL_TYPE (SpPercentCell, sp_percent_cell, SP, PERCENT_CELL, GtkWidget)

GtkWidget *sp_percent_cell_new          (void);
double     sp_percent_cell_get_fraction (SpPercentCell *self);
void       sp_percent_cell_set_fraction (SpPercentCell *self,
                                         double         fraction);

G_END_DECLS
