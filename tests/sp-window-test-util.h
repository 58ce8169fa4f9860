/* sp-window-test-util.h: answering the dialogs of a window, as a user would */
#pragma once

#include <adwaita.h>

#include <string.h>

#include "sp-window.h"

/* The message dialog the window shows, if any. */
static inline AdwMessageDialog *
find_message_dialog (SpWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

static inline void
respond (SpWindow   *window,
         const char *response)
{
  AdwMessageDialog *dialog = find_message_dialog (window);

  g_assert_nonnull (dialog);
  /* As a click on a button: emit the response, then close the dialog unless closing the window
   * took it along. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (dialog, response);
  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

/* A list box anywhere under widget. */
static inline GtkListBox *
find_list_box (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget))
    return GTK_LIST_BOX (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkListBox *found = find_list_box (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Picks a row of the Compare With… dialog's list of candidate baselines, as a click would. */
static inline gboolean
select_candidate (SpWindow *window,
                  int       index)
{
  AdwMessageDialog *dialog = find_message_dialog (window);
  GtkListBox *list = find_list_box (adw_message_dialog_get_extra_child (dialog));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);

  if (!gtk_list_box_row_get_selectable (row))
    return FALSE;
  gtk_list_box_select_row (list, row);
  return TRUE;
}

/* A label anywhere under widget whose text contains needle: what the user would read. */
static inline GtkLabel *
find_label_containing (GtkWidget  *widget,
                       const char *needle)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL &&
      gtk_widget_get_mapped (widget))
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_containing (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}
