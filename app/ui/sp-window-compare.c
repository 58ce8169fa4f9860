/* sp-window-compare.c: Compare With…: the current tab's profile against a baseline picked among
 * the other open tabs or from a file, in a new comparison tab */
#define G_LOG_DOMAIN "sp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-profile-task.h"
#include "sp-window-private.h"

typedef struct
{
  SpWindow      *self;
  SpProfileView *current;
  GPtrArray     *candidates;  /* of SpProfileView: the rows of the list, in order */
  GtkListBox    *list;
  GFile         *file;        /* the baseline's, when chosen from a file */
} CompareChoice;

static void
compare_choice_free (CompareChoice *choice)
{
  g_clear_object (&choice->self);
  g_clear_object (&choice->current);
  g_clear_pointer (&choice->candidates, g_ptr_array_unref);
  g_clear_object (&choice->file);
  g_free (choice);
}

static const char *
view_title (SpProfileView *view)
{
  const char *title = sp_profile_view_get_title (view);

  return title != NULL ? title : _("Untitled Profile");
}

static void
open_comparison (SpWindow      *self,
                 SpProfile     *baseline,
                 const char    *baseline_title,
                 SpProfileView *current)
{
  GtkWidget *view = sp_compare_view_new (baseline, baseline_title, sp_profile_view_get_profile (current),
                                         view_title (current));

  _sp_window_append_comparison (self, SP_COMPARE_VIEW (view));
}

/* ---- a baseline from a file ---- */

static void
on_baseline_loaded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CompareChoice *choice = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) baseline = sp_profile_task_load_finish (result, &error);
  g_autofree char *name = g_file_get_basename (choice->file);

  if (baseline == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could not open “%s”"), name);

      sp_window_show_error (choice->self, title, error->message);
    }
  else if (sp_profile_view_get_profile (choice->current) != NULL)
    open_comparison (choice->self, baseline, name, choice->current);
  compare_choice_free (choice);
}

static void
on_file_response (GtkFileChooserNative *dialog,
                  int                   response,
                  CompareChoice        *choice)
{
  if (response != GTK_RESPONSE_ACCEPT)
    {
      compare_choice_free (choice);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (dialog));
      return;
    }

  choice->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (dialog));
  sp_profile_task_load_async (choice->file, NULL, NULL, NULL, on_baseline_loaded, choice);
}

static void
choose_file (CompareChoice *choice)
{
  GtkFileChooserNative *dialog = _sp_window_create_open_dialog (choice->self, _("Choose the Baseline"));

  g_signal_connect (dialog, "response", G_CALLBACK (on_file_response), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- the dialog ---- */

static void
on_choice_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CompareChoice    *choice)
{
  GtkListBoxRow *row = choice->list != NULL ? gtk_list_box_get_selected_row (choice->list) : NULL;

  /* closing the dialog after an answer must not answer again, nor its list (emptied as the
   * dialog goes away) change the dialog */
  g_signal_handlers_disconnect_by_func (dialog, on_choice_response, choice);
  if (choice->list != NULL)
    g_signal_handlers_disconnect_by_data (choice->list, dialog);
  if (g_str_equal (response, "file"))
    {
      choose_file (choice);
      return;
    }
  if (g_str_equal (response, "compare") && row != NULL)
    {
      SpProfileView *baseline = g_ptr_array_index (choice->candidates, gtk_list_box_row_get_index (row));

      if (sp_profile_view_get_profile (baseline) != NULL && sp_profile_view_get_profile (choice->current) != NULL)
        open_comparison (choice->self, sp_profile_view_get_profile (baseline), view_title (baseline),
                         choice->current);
    }
  compare_choice_free (choice);
}

static void
on_row_activated (AdwMessageDialog *dialog,
                  GtkListBoxRow    *row,
                  GtkListBox       *list)
{
  /* as if Compare was clicked: the dialog answers once and closes */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "default.activate", NULL);
}

static void
on_row_selected (AdwMessageDialog *dialog,
                 GtkListBoxRow    *row,
                 GtkListBox       *list)
{
  adw_message_dialog_set_response_enabled (dialog, "compare", row != NULL);
}

/* Every other tab with a profile, as a list to pick from. */
static GtkListBox *
create_candidate_list (CompareChoice *choice)
{
  AdwTabView *tab_view = sp_window_get_tab_view (choice->self);
  GtkListBox *list = GTK_LIST_BOX (gtk_list_box_new ());

  gtk_widget_add_css_class (GTK_WIDGET (list), "boxed-list");
  gtk_list_box_set_selection_mode (list, GTK_SELECTION_SINGLE);
  for (int i = 0; i < adw_tab_view_get_n_pages (tab_view); i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (tab_view, i));
      SpProfileView *view;
      GFile *file;
      GtkWidget *row;

      if (!SP_IS_PROFILE_VIEW (child) || child == GTK_WIDGET (choice->current) ||
          sp_profile_view_get_profile (SP_PROFILE_VIEW (child)) == NULL)
        continue;

      view = SP_PROFILE_VIEW (child);
      file = sp_profile_view_get_file (view);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), view_title (view));
      if (file != NULL)
        {
          g_autofree char *path = g_file_get_parse_name (file);
          g_autofree char *escaped = g_markup_escape_text (path, -1);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
        }
      gtk_list_box_append (list, row);
      g_ptr_array_add (choice->candidates, g_object_ref (view));
    }

  return list;
}

void
_sp_window_compare_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  SpProfileView *current = sp_window_get_current_view (self);
  CompareChoice *choice;
  GtkWidget *dialog;

  if (current == NULL || sp_profile_view_get_profile (current) == NULL)
    return;

  choice = g_new0 (CompareChoice, 1);
  choice->self = g_object_ref (self);
  choice->current = g_object_ref (current);
  choice->candidates = g_ptr_array_new_with_free_func (g_object_unref);
  choice->list = create_candidate_list (choice);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Compare With…"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  choice->candidates->len > 0
                                  ? _("Choose the baseline to compare “%s” with: an open profile, or a file.")
                                  : _("Choose a file with the baseline to compare “%s” with."),
                                  view_title (current));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "file", _("Choose _File…"),
                                    NULL);
  if (choice->candidates->len > 0)
    {
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (choice->list));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "compare", _("C_ompare"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "compare", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "compare");
      /* the baseline is usually the one opened before */
      gtk_list_box_select_row (choice->list, gtk_list_box_get_row_at_index (choice->list, choice->candidates->len - 1));
      g_signal_connect_object (choice->list, "row-selected", G_CALLBACK (on_row_selected), dialog, G_CONNECT_SWAPPED);
      g_signal_connect_object (choice->list, "row-activated", G_CALLBACK (on_row_activated), dialog,
                               G_CONNECT_SWAPPED);
    }
  else
    {
      g_object_ref_sink (choice->list);
      g_object_unref (choice->list);
      choice->list = NULL;
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "file");
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_choice_response), choice);
  gtk_window_present (GTK_WINDOW (dialog));
}
