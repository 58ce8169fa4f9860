/* sp-window-compare.c: Compare With…: the current tab's profile against a baseline picked among
 * the other open tabs (each described by mode, samples, duration, date and file) or from a file,
 * opened in a tab, a window, or two windows side by side (sp-window-pair.c)
 */
#define G_LOG_DOMAIN "sp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-diff.h"
#include "sp-format.h"
#include "sp-profile-task.h"
#include "sp-window-private.h"

typedef struct
{
  SpWindow        *self;
  SpProfileView   *current;
  GPtrArray       *candidates;  /* of SpProfileView: the rows of the list, in order */
  GtkListBox      *list;
  GtkCheckButton  *targets[3];  /* by SpCompareTarget */
  SpCompareTarget  target;
  GFile           *file;        /* the baseline's, when chosen from a file */
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
open_comparison (CompareChoice *choice,
                 SpProfile     *baseline,
                 const char    *baseline_title)
{
  g_autoptr(GError) error = NULL;

  if (!sp_window_compare (choice->self, baseline, baseline_title, sp_profile_view_get_profile (choice->current),
                          view_title (choice->current), choice->target, &error))
    _sp_window_show_refusal (choice->self, error->message);
}

/* A profile saved under a new name: the comparisons of it, in every window, follow. */
void
_sp_window_rename_in_comparisons (SpWindow      *self,
                                  SpProfileView *view)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  SpProfile *profile = sp_profile_view_get_profile (view);

  if (application == NULL || profile == NULL || sp_profile_view_get_title (view) == NULL)
    return;
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    {
      AdwTabView *tabs = SP_IS_WINDOW (l->data) ? SP_WINDOW (l->data)->tab_view : NULL;

      for (int i = 0; tabs != NULL && i < adw_tab_view_get_n_pages (tabs); i++)
        {
          GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (tabs, i));

          if (SP_IS_COMPARE_VIEW (child))
            sp_compare_view_rename_profile (SP_COMPARE_VIEW (child), profile, sp_profile_view_get_title (view));
        }
    }
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
    open_comparison (choice, baseline, name);
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

  for (guint i = 0; i < G_N_ELEMENTS (choice->targets); i++)
    if (gtk_check_button_get_active (choice->targets[i]))
      choice->target = i;
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
        open_comparison (choice, sp_profile_view_get_profile (baseline), view_title (baseline));
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

/* "CPU · 12,345 samples · 2.31 s · 3 Dec 2026 10:35", and the file on a line of its own */
static char *
describe_candidate (SpProfileView *view)
{
  SpProfile *profile = sp_profile_view_get_profile (view);
  const SpProfileMeta *meta = sp_profile_get_meta (profile);
  GFile *file = sp_profile_view_get_file (view) != NULL ? sp_profile_view_get_file (view)
                                                          : sp_profile_view_get_source_file (view);
  g_autoptr(GString) text = g_string_new (sp_format_mode (meta->mode));
  double samples = meta->sample_count >= 0 ? meta->sample_count
                   : sp_profile_has_metric (profile, SP_METRIC_SAMPLES)
                   ? sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES) : -1;

  if (samples >= 0)
    {
      g_autofree char *count = sp_format_count (samples);
      /* Translators: a candidate baseline's number of samples */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %s sample", " · %s samples", (gulong) samples),
                              count);
    }
  if (meta->duration >= 0)
    {
      g_autofree char *duration = sp_format_seconds (meta->duration);
      g_string_append_printf (text, " · %s", duration);
    }
  if (meta->start_time > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (meta->start_time / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      /* Translators: the date of a recording, as in g_date_time_format() */
      g_autofree char *date = g_date_time_format (local, _("%-d %b %Y %H:%M"));
      g_string_append_printf (text, " · %s", date);
    }
  if (file != NULL)
    {
      g_autofree char *path = g_file_get_parse_name (file);
      g_string_append_printf (text, "\n%s", path);
    }
  else
    g_string_append_printf (text, " · %s", sp_profile_view_get_unsaved (view) ? _("not saved") : _("no file"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
create_candidate_row (CompareChoice *choice,
                      SpProfileView *view)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *details = describe_candidate (view);
  g_autofree char *escaped = NULL;
  g_autoptr(GError) error = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), view_title (view));
  /* unlike profiles are listed, and say why they cannot be picked */
  if (!sp_profile_check_comparable (sp_profile_view_get_profile (view), sp_profile_view_get_profile (choice->current),
                                    NULL, &error))
    {
      g_autofree char *both = g_strdup_printf ("%s\n%s", details, error->message);

      g_free (details);
      details = g_steal_pointer (&both);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "dim-label");
    }
  escaped = g_markup_escape_text (details, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  return row;
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

      if (!SP_IS_PROFILE_VIEW (child) || child == GTK_WIDGET (choice->current) ||
          sp_profile_view_get_profile (SP_PROFILE_VIEW (child)) == NULL)
        continue;
      gtk_list_box_append (list, create_candidate_row (choice, SP_PROFILE_VIEW (child)));
      g_ptr_array_add (choice->candidates, g_object_ref (child));
    }
  return list;
}

/* Where the comparison opens: a tab, a window, or two windows. */
static GtkWidget *
create_target_choice (CompareChoice *choice)
{
  static const char *labels[] = {
    N_("In a new _tab"),
    N_("In a new _window"),
    N_("_Baseline and new in two windows, side by side"),
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      choice->targets[i] = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_(labels[i])));
      if (i > 0)
        gtk_check_button_set_group (choice->targets[i], choice->targets[0]);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (choice->targets[i]));
    }
  gtk_check_button_set_active (choice->targets[SP_COMPARE_IN_TAB], TRUE);
  return box;
}

static GtkWidget *
create_extra_child (CompareChoice *choice)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  choice->list = create_candidate_list (choice);
  if (choice->candidates->len > 0)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      /* wrapped rows measure their height badly through propagation: room for three */
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller),
                                                  MIN (choice->candidates->len, 3) * 84);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (choice->list));
      gtk_box_append (GTK_BOX (box), scroller);
    }
  else
    {
      g_object_ref_sink (choice->list);
      g_object_unref (choice->list);
      choice->list = NULL;
    }
  gtk_box_append (GTK_BOX (box), create_target_choice (choice));
  return box;
}

void
_sp_window_compare_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  SpProfileView *current = sp_window_get_current_view (self);
  CompareChoice *choice;
  AdwMessageDialog *dialog;

  if (current == NULL || sp_profile_view_get_profile (current) == NULL)
    return;

  choice = g_new0 (CompareChoice, 1);
  choice->self = g_object_ref (self);
  choice->current = g_object_ref (current);
  choice->candidates = g_ptr_array_new_with_free_func (g_object_unref);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Compare With…"), NULL));
  adw_message_dialog_set_extra_child (dialog, create_extra_child (choice));
  adw_message_dialog_format_body (dialog,
                                  choice->candidates->len > 0
                                  ? _("Choose the baseline to compare “%s” with: an open profile of the same mode, or a file.")
                                  : _("Choose a file with the baseline to compare “%s” with."),
                                  view_title (current));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "file", _("Choose _File…"), NULL);
  if (choice->list != NULL)
    {
      adw_message_dialog_add_response (dialog, "compare", _("C_ompare"));
      adw_message_dialog_set_response_appearance (dialog, "compare", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "compare");
      /* nothing is chosen for the user: Compare waits for a row */
      adw_message_dialog_set_response_enabled (dialog, "compare", FALSE);
      g_signal_connect_object (choice->list, "row-selected", G_CALLBACK (on_row_selected), dialog, G_CONNECT_SWAPPED);
      g_signal_connect_object (choice->list, "row-activated", G_CALLBACK (on_row_activated), dialog,
                               G_CONNECT_SWAPPED);
    }
  else
    adw_message_dialog_set_default_response (dialog, "file");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_choice_response), choice);
  /* a focused list selects its first row: the focus starts on the choice of place instead */
  gtk_window_set_focus (GTK_WINDOW (dialog), GTK_WIDGET (choice->targets[SP_COMPARE_IN_TAB]));
  gtk_window_present (GTK_WINDOW (dialog));
}
