/* sp-window-actions.c: the window's file actions: open, recent, save, save as, export */
#define G_LOG_DOMAIN "sp-window-actions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-format.h"
#include "sp-session-sidebar.h"
#include "sp-window-private.h"

#define MAX_RECENT 10

/* ---- recent files ---- */

static const char *
guess_mime_type (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);

  if (g_str_has_suffix (name, ".sbclprof"))
    return "application/x-sbcl-profile";
  if (g_str_has_suffix (name, ".json"))
    return "application/json";
  return "text/plain";
}

void
_sp_window_note_recent (SpWindow *self,
                        GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *exec = g_strdup_printf ("%s %%u", g_get_prgname ());
  GtkRecentData data = {
    .mime_type = (char *) guess_mime_type (file),
    .app_name = (char *) g_get_application_name (),
    .app_exec = exec,
  };

  if (data.app_name != NULL)
    gtk_recent_manager_add_full (self->recent_manager, uri, &data);
}

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GDateTime *ta = gtk_recent_info_get_modified (*(GtkRecentInfo **) a);
  GDateTime *tb = gtk_recent_info_get_modified (*(GtkRecentInfo **) b);

  return g_date_time_compare (tb, ta);
}

static void
fill_recent_menu (GMenu     *menu,
                  GPtrArray *infos)
{
  g_menu_remove_all (menu);

  for (guint i = 0; i < infos->len && i < MAX_RECENT; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);

      g_menu_item_set_action_and_target (item, "win.open-recent", "s", gtk_recent_info_get_uri (info));
      g_menu_append_item (menu, item);
    }

  /* A placeholder: no action of that name exists, so the item shows insensitive. */
  if (infos->len == 0)
    g_menu_append (menu, _("No Recent Profiles"), "win.no-recent-profiles");
}

static void
update_recent (SpWindow *self)
{
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_recent_info_unref);
  GList *items = gtk_recent_manager_get_items (self->recent_manager);
  const char *app_name = g_get_application_name ();

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (app_name != NULL && gtk_recent_info_has_application (info, app_name) &&
          gtk_recent_info_exists (info))
        g_ptr_array_add (infos, gtk_recent_info_ref (info));
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);

  g_ptr_array_sort (infos, compare_recent);
  fill_recent_menu (self->recent_menu, infos);
  fill_recent_menu (self->recent_submenu, infos);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  sp_window_open_file (SP_WINDOW (widget), file);
}

/* ---- file dialogs ---- */

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *mime_type,
            const char    **suffixes)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  if (mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, mime_type);
  for (guint i = 0; suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static const char *sbclprof_suffixes[] = { "sbclprof", NULL };
static const char *folded_suffixes[] = { "folded", "txt", "collapsed", NULL };
static const char *speedscope_suffixes[] = { "json", NULL };

static GtkFileChooserNative *
create_file_dialog (SpWindow             *self,
                    const char           *title,
                    GtkFileChooserAction  action,
                    const char           *accept_label)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                                              accept_label, _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (self->file_dialog != NULL)
    gtk_native_dialog_destroy (self->file_dialog);
  g_set_object (&self->file_dialog, GTK_NATIVE_DIALOG (dialog));
  g_object_unref (dialog);
  return dialog;
}

static void
on_open_response (SpWindow             *self,
                  int                   response,
                  GtkFileChooserNative *dialog)
{
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          sp_window_open_file (self, file);
        }
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (dialog));
}

/* A file dialog for opening profiles of every format the app reads. */
GtkFileChooserNative *
_sp_window_create_open_dialog (SpWindow   *self,
                               const char *title)
{
  static const char *all_suffixes[] = { "sbclprof", "folded", "txt", "collapsed", "json", NULL };
  GtkFileChooserNative *dialog;

  dialog = create_file_dialog (self, title, GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  add_filter (GTK_FILE_CHOOSER (dialog), _("All Profiles"), "application/x-sbcl-profile", all_suffixes);
  add_filter (GTK_FILE_CHOOSER (dialog), _("SBCL Profiles"), "application/x-sbcl-profile", sbclprof_suffixes);
  add_filter (GTK_FILE_CHOOSER (dialog), _("Folded Stacks"), NULL, folded_suffixes);
  add_filter (GTK_FILE_CHOOSER (dialog), _("Speedscope Files"), NULL, speedscope_suffixes);
  return dialog;
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  GtkFileChooserNative *dialog = _sp_window_create_open_dialog (self, _("Open Profiles"));

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_open_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- saving and exporting ---- */

typedef struct
{
  SpWindow      *self;
  SpProfileView *view;
  AdwTabPage    *closing_page;  /* closed once saved, kept when saving fails or is cancelled */
  SpFileFormat   format;
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->view);
  g_clear_object (&request->closing_page);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveRequest, save_request_free)

static SaveRequest *
save_request_new (SpWindow      *self,
                  SpProfileView *view,
                  AdwTabPage    *closing_page,
                  SpFileFormat   format)
{
  SaveRequest *request = g_new0 (SaveRequest, 1);

  request->self = g_object_ref (self);
  request->view = g_object_ref (view);
  request->closing_page = closing_page != NULL ? g_object_ref (closing_page) : NULL;
  request->format = format;
  return request;
}

static void
finish_closing (SaveRequest *request,
                gboolean     close)
{
  if (request->closing_page != NULL)
    adw_tab_view_close_page_finish (request->self->tab_view, request->closing_page, close);
}

static void
on_view_saved (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SaveRequest) request = user_data;
  g_autoptr(GError) error = NULL;

  if (request->self->tab_view == NULL)
    return;   /* the window was closed meanwhile */

  if (!sp_profile_view_save_finish (request->view, result, &error))
    {
      g_autofree char *title = g_strdup_printf (_("Could not save “%s”"), sp_profile_view_get_title (request->view));

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sp_window_show_error (request->self, title, error->message);
      finish_closing (request, FALSE);
      return;
    }

  if (request->format == SP_FILE_FORMAT_SBCLPROF)
    _sp_window_note_recent (request->self, sp_profile_view_get_file (request->view));
  finish_closing (request, TRUE);
}

static const char *
format_suffix (SpFileFormat format)
{
  switch (format)
    {
    case SP_FILE_FORMAT_FOLDED: return ".folded";
    case SP_FILE_FORMAT_SPEEDSCOPE: return ".speedscope.json";
    case SP_FILE_FORMAT_SBCLPROF:
    default: return ".sbclprof";
    }
}

/* The file the user chose, with the format's suffix added when the name has none. */
static GFile *
file_with_suffix (GFile        *chosen,
                  SpFileFormat  format)
{
  g_autofree char *name = g_file_get_basename (chosen);
  g_autoptr(GFile) parent = g_file_get_parent (chosen);
  g_autofree char *with_suffix = NULL;

  if (strchr (name, '.') != NULL || parent == NULL)
    return g_object_ref (chosen);
  with_suffix = g_strconcat (name, format_suffix (format), NULL);
  return g_file_get_child (parent, with_suffix);
}

static void
on_save_response (GtkFileChooserNative *dialog,
                  int                   response,
                  SaveRequest          *request)
{
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      finish_closing (request, FALSE);
      save_request_free (request);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (dialog));
      return;
    }

  chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  file = file_with_suffix (chosen, request->format);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (dialog));
  sp_profile_view_save_async (request->view, file, request->format, on_view_saved, request);
}

/* A file name without spaces, parentheses or colons, so that it is easy to type in a shell:
 * a recording's workload and title, "demo-run-cpu-10-35-24.sbclprof". */
char *
_sp_window_suggest_name (SpProfileView *view,
                         SpFileFormat   format)
{
  const char *title = sp_profile_view_get_title (view);
  SpProfile *profile = sp_profile_view_get_profile (view);
  const char *workload = profile != NULL && sp_profile_view_get_file (view) == NULL
                         ? sp_profile_get_meta (profile)->workload : NULL;
  g_autofree char *base = g_strjoin (" ", workload != NULL ? workload : "", title != NULL ? title : "", NULL);
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base && strchr (dot, ' ') == NULL)
    *dot = '\0';   /* the suffix of the file it came from */
  name = sp_format_file_name (base, "profile");
  return g_strconcat (name, format_suffix (format), NULL);
}

static void
ask_file_and_save (SpWindow      *self,
                   SaveRequest   *request)
{
  GtkFileChooserNative *dialog;
  g_autofree char *name = _sp_window_suggest_name (request->view, request->format);
  GFile *current = sp_profile_view_get_file (request->view);
  const char *title;

  switch (request->format)
    {
    case SP_FILE_FORMAT_FOLDED: title = _("Export Folded Stacks"); break;
    case SP_FILE_FORMAT_SPEEDSCOPE: title = _("Export Speedscope File"); break;
    case SP_FILE_FORMAT_SBCLPROF:
    default: title = _("Save Profile"); break;
    }

  dialog = create_file_dialog (self, title, GTK_FILE_CHOOSER_ACTION_SAVE,
                               request->format == SP_FILE_FORMAT_SBCLPROF ? _("_Save") : _("_Export"));
  if (request->format == SP_FILE_FORMAT_SBCLPROF)
    add_filter (GTK_FILE_CHOOSER (dialog), _("SBCL Profiles"), "application/x-sbcl-profile", sbclprof_suffixes);
  if (current != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (current);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Saves view to its file, or asks where first; closing_page, when given, closes on success. */
void
_sp_window_save_view (SpWindow      *self,
                      SpProfileView *view,
                      AdwTabPage    *closing_page)
{
  SaveRequest *request = save_request_new (self, view, closing_page, SP_FILE_FORMAT_SBCLPROF);
  GFile *file = sp_profile_view_get_file (view);

  if (file != NULL)
    sp_profile_view_save_async (view, file, SP_FILE_FORMAT_SBCLPROF, on_view_saved, request);
  else
    ask_file_and_save (self, request);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  SpProfileView *view = sp_window_get_current_view (self);

  if (view != NULL && sp_profile_view_get_profile (view) != NULL)
    _sp_window_save_view (self, view, NULL);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  SpProfileView *view = sp_window_get_current_view (self);

  if (view != NULL && sp_profile_view_get_profile (view) != NULL)
    ask_file_and_save (self, save_request_new (self, view, NULL, SP_FILE_FORMAT_SBCLPROF));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  SpProfileView *view = sp_window_get_current_view (self);
  SpFileFormat format = sp_file_format_from_string (g_variant_get_string (parameter, NULL));

  if (format != SP_FILE_FORMAT_FOLDED && format != SP_FILE_FORMAT_SPEEDSCOPE)
    {
      g_warning ("Cannot export to “%s”", g_variant_get_string (parameter, NULL));
      return;
    }
  if (view != NULL && sp_profile_view_get_profile (view) != NULL)
    ask_file_and_save (self, save_request_new (self, view, NULL, format));
}

static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* ---- the current tab's actions, for the keyboard shortcuts ---- */

static SpCompareView *
get_current_comparison (SpWindow *self)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  if (page == NULL || !SP_IS_COMPARE_VIEW (adw_tab_page_get_child (page)))
    return NULL;
  return SP_COMPARE_VIEW (adw_tab_page_get_child (page));
}

/* win.find, win.go-back and win.go-forward run profile.shortcut of the current tab: application
 * accelerators resolve in the window, which cannot see the actions of a child widget.  A
 * comparison tab only has Find. */
static void
forward_to_view_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SpProfileView *view = sp_window_get_current_view (SP_WINDOW (widget));
  SpCompareView *comparison = get_current_comparison (SP_WINDOW (widget));

  if (view != NULL)
    gtk_widget_activate_action (GTK_WIDGET (view), "profile.shortcut", "s", action_name + strlen ("win."));
  else if (comparison != NULL && g_str_equal (action_name, "win.find") &&
           !sp_compare_view_focus_search (comparison))
    gtk_widget_error_bell (widget);
}

/* ---- sessions ---- */

static SpSessionSidebar *
get_sessions (SpWindow *self)
{
  return SP_SESSION_SIDEBAR (gtk_stack_get_child_by_name (self->sessions_sidebar, "sessions"));
}

/* Record, or Stop, in the selected session: its Record button pressed from the keyboard */
static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpSessionView *view = sp_session_sidebar_get_selected_view (get_sessions (SP_WINDOW (widget)));

  if (view == NULL || !sp_session_view_toggle_recording (view))
    gtk_widget_error_bell (widget);
}

static void
new_session_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sp_session_sidebar_show_new_session (get_sessions (SP_WINDOW (widget)));
}

/* ---- wiring ---- */

void
_sp_window_update_actions (SpWindow *self)
{
  SpProfileView *view = sp_window_get_current_view (self);
  gboolean has_profile = view != NULL && sp_profile_view_get_profile (view) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", has_profile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as", has_profile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", has_profile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find",
                                 has_profile || get_current_comparison (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-back", has_profile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-forward", has_profile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare", has_profile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.move-to-new-window",
                                 adw_tab_view_get_selected_page (self->tab_view) != NULL);
}

void
_sp_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, forward_to_view_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, forward_to_view_action);
  gtk_widget_class_install_action (widget_class, "win.go-forward", NULL, forward_to_view_action);
  gtk_widget_class_install_action (widget_class, "win.record", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "win.new-session", NULL, new_session_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, _sp_window_compare_action);
  gtk_widget_class_install_action (widget_class, "win.move-to-new-window", NULL, _sp_window_move_to_new_window);
}

void
_sp_window_init_actions (SpWindow *self)
{
  self->recent_manager = gtk_recent_manager_get_default ();
  g_signal_connect_object (self->recent_manager, "changed", G_CALLBACK (update_recent),
                           self, G_CONNECT_SWAPPED);
  update_recent (self);

  _sp_window_update_actions (self);
}
