/* sp-window-test-util.h: answering the dialogs of a window, as a user would */
#pragma once

#include <adwaita.h>

#include <glib/gstdio.h>
#include <string.h>

#include "sp-application.h"
#include "sp-profile-io.h"
#include "sp-test-util.h"
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

/* A child of widget's template, which must be there. */
static inline gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

/* The first widget of type anywhere under widget (widget included), or NULL; with shown, only
 * one on screen. */
static inline GtkWidget *
find_widget_full (GtkWidget *widget,
                  GType      type,
                  gboolean   shown)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (!shown || gtk_widget_get_mapped (widget)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_full (child, type, shown);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static inline GtkWidget *
find_widget_of_type (GtkWidget *widget,
                     GType      type)
{
  return find_widget_full (widget, type, FALSE);
}

/* A list box anywhere under widget. */
static inline GtkListBox *
find_list_box (GtkWidget *widget)
{
  return GTK_LIST_BOX (find_widget_of_type (widget, GTK_TYPE_LIST_BOX));
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

/* A real .sbclprof file in dir, written by the core from "a;b;c 12" lines. */
static inline GFile *
sp_window_test_write_profile (const char         *dir,
                              const char         *name,
                              const char * const *stacks)
{
  g_autoptr(SpProfile) profile = sp_test_profile_from_lines (stacks);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_profile_save (profile, file, SP_FILE_FORMAT_SBCLPROF, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&file);
}

/* The profile view of the tab at position. */
static inline SpProfileView *
sp_window_test_view_at (SpWindow *window,
                        int       position)
{
  AdwTabPage *page = adw_tab_view_get_nth_page (sp_window_get_tab_view (window), position);

  return SP_PROFILE_VIEW (adw_tab_page_get_child (page));
}

/* A temporary folder and a registered application of its own for one test. */
static inline SpApplication *
sp_window_test_setup (const char  *id_prefix,
                      char       **dir)
{
  static guint n_apps = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;
  SpApplication *app;

  *dir = g_dir_make_tmp ("sp-test-window-XXXXXX", &error);
  g_assert_no_error (error);
  /* One id per fixture: with a session bus each registration exports objects at a path of its
   * id, and an application of an earlier test may not be finalized yet. */
  app_id = g_strdup_printf ("%s%u", id_prefix, ++n_apps);
  app = sp_application_new (app_id, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

/* Closes every window of the application, then removes the folder and its files. */
static inline void
sp_window_test_teardown (SpApplication **app,
                         char          **dir)
{
  g_autoptr(GDir) folder = g_dir_open (*dir, 0, NULL);
  const char *name;
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (*app))) != NULL)
    gtk_window_destroy (windows->data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (app);

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (*dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (*dir);
  g_clear_pointer (dir, g_free);
}
