/* sp-tooltips.c: tooltips that keep out of the way of the popups they describe
 *
 * GTK 4.8 keeps showing a widget's tooltip while its popover is open, on top of the list the
 * user is choosing from.
 */
#define G_LOG_DOMAIN "sp-tooltips"

#include "config.h"

#include "sp-tooltips.h"

static void
on_popup_visible (GtkWidget  *widget,
                  GParamSpec *pspec,
                  GtkWidget  *popover)
{
  gtk_widget_set_has_tooltip (widget, !gtk_widget_get_visible (popover));
}

void
sp_tooltips_hide_under_popups (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      g_signal_connect_object (child, "notify::visible", G_CALLBACK (on_popup_visible), widget,
                               G_CONNECT_SWAPPED);
}
