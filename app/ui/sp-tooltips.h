/* sp-tooltips.h: tooltips that keep out of the way of the popups they describe */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Hides widget's tooltip while a popover of its own (a drop-down's list, an entry's
 * completions) is shown: the tooltip would cover the choices. */
void sp_tooltips_hide_under_popups (GtkWidget *widget);

G_END_DECLS
