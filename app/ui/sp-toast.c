/* sp-toast.c: showing a message in the toast overlay a widget is inside of */
#define G_LOG_DOMAIN "sp-toast"

#include "config.h"

#include "sp-toast.h"

/* title is plain text (toast titles are Pango markup, so it is escaped).  Returns the toast,
 * owned by the overlay, or NULL when widget is not inside one (then the message is logged). */
AdwToast *
sp_toast_show (GtkWidget  *widget,
               const char *title)
{
  g_autofree char *escaped = NULL;
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_message ("%s", title);
      return NULL;
    }

  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}
