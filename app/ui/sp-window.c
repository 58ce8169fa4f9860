/* sp-window.c: the main window: sessions sidebar, profile tabs, files
 *
 * Tabs, titles and closing live here; file actions in sp-window-actions.c and drag and drop
 * in sp-window-dnd.c.
 */
#define G_LOG_DOMAIN "sp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-autosave.h"
#include "sp-diff.h"
#include "sp-flame-view.h"
#include "sp-session-sidebar.h"
#include "sp-settings.h"
#include "sp-window-private.h"

G_DEFINE_FINAL_TYPE (SpWindow, sp_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- errors ---- */

typedef struct
{
  GWeakRef  window;
  char     *title;
  char     *detail;
} ErrorDetails;

static void
error_details_free (gpointer data,
                    GClosure *closure)
{
  ErrorDetails *details = data;

  g_weak_ref_clear (&details->window);
  g_free (details->title);
  g_free (details->detail);
  g_free (details);
}

static void
show_error_dialog (AdwToast     *toast,
                   ErrorDetails *details)
{
  g_autoptr(SpWindow) self = g_weak_ref_get (&details->window);
  GtkWidget *dialog;

  if (self == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), details->title, details->detail);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A toast with the title, and a Details button that shows the whole reason.  Both are plain
 * text. */
void
sp_window_show_error (SpWindow   *self,
                      const char *title,
                      const char *detail)
{
  g_autofree char *escaped = NULL;
  ErrorDetails *details;
  AdwToast *toast;

  g_return_if_fail (SP_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 10);
  if (detail != NULL)
    {
      details = g_new0 (ErrorDetails, 1);
      g_weak_ref_init (&details->window, self);
      details->title = g_strdup (title);
      details->detail = g_strdup (detail);
      adw_toast_set_button_label (toast, _("_Details"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (show_error_dialog),
                             details, error_details_free, 0);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- tabs ---- */

/* The tab's title as the user reads it: unsaved profiles are marked. */
static char *
dup_view_title (SpProfileView *view)
{
  const char *title = sp_profile_view_get_title (view);

  if (title == NULL)
    title = _("Untitled Profile");
  /* Translators: the title of a tab whose profile is not saved */
  return sp_profile_view_get_unsaved (view) ? g_strdup_printf (_("• %s"), title) : g_strdup (title);
}

static char *
dup_view_description (SpProfileView *view)
{
  GFile *file = sp_profile_view_get_file (view);

  if (file != NULL)
    return g_file_get_parse_name (file);
  if (sp_profile_view_get_unsaved (view))
    return g_strdup (_("Not saved"));
  return NULL;
}

/* The tab's title is short: the tooltip has the whole of it, the workload and the file. */
static char *
dup_view_tooltip (SpProfileView *view,
                  const char    *title)
{
  SpProfile *profile = sp_profile_view_get_profile (view);
  const char *workload = profile != NULL ? sp_profile_get_meta (profile)->workload : NULL;
  g_autofree char *description = dup_view_description (view);
  g_autoptr(GString) text = g_string_new (title);

  if (workload != NULL)
    g_string_append_printf (text, "\n%s", workload);
  if (description != NULL)
    g_string_append_printf (text, "\n%s", description);
  return g_markup_escape_text (text->str, -1);
}

static void
update_page (AdwTabPage    *page,
             SpProfileView *view)
{
  g_autofree char *title = dup_view_title (view);
  g_autofree char *tooltip = dup_view_tooltip (view, title);

  /* A tab's title is plain text, its tooltip Pango markup. */
  adw_tab_page_set_title (page, title);
  adw_tab_page_set_tooltip (page, tooltip);
  adw_tab_page_set_loading (page, sp_profile_view_get_loading (view));
}

static SpCompareView *
current_comparison (SpWindow *self)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  if (page == NULL || !SP_IS_COMPARE_VIEW (adw_tab_page_get_child (page)))
    return NULL;
  return SP_COMPARE_VIEW (adw_tab_page_get_child (page));
}

static void
update_title (SpWindow *self)
{
  SpProfileView *view = sp_window_get_current_view (self);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *window_title = NULL;

  if (view == NULL && current_comparison (self) != NULL)
    {
      const char *compare_title = sp_compare_view_get_title (current_comparison (self));

      window_title = g_strdup_printf (_("%s — SBCL Profiler"), compare_title);
      gtk_window_set_title (GTK_WINDOW (self), window_title);
      adw_view_switcher_title_set_title (self->switcher_title, compare_title);
      adw_view_switcher_title_set_subtitle (self->switcher_title, _("Comparison"));
      return;
    }
  if (view == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("SBCL Profiler"));
      adw_view_switcher_title_set_title (self->switcher_title, _("SBCL Profiler"));
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
      return;
    }

  title = dup_view_title (view);
  description = dup_view_description (view);
  window_title = g_strdup_printf (_("%s — SBCL Profiler"), title);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
  adw_view_switcher_title_set_title (self->switcher_title, title);
  adw_view_switcher_title_set_subtitle (self->switcher_title, description);
}

/* The header switches the views of the current tab, once it has a profile to show. */
static void
update_switcher (SpWindow *self)
{
  SpProfileView *view = sp_window_get_current_view (self);
  AdwViewStack *stack = NULL;

  if (view != NULL && sp_profile_view_get_profile (view) != NULL && !sp_profile_view_get_empty (view))
    stack = sp_profile_view_get_view_stack (view);
  else if (current_comparison (self) != NULL)
    stack = sp_compare_view_get_view_stack (current_comparison (self));
  adw_view_switcher_title_set_stack (self->switcher_title, stack);
  adw_view_switcher_bar_set_stack (self->switcher_bar, stack);
}

static void
on_view_changed (SpWindow      *self,
                 GParamSpec    *pspec,
                 SpProfileView *view)
{
  AdwTabPage *page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (view));

  if (g_str_equal (pspec->name, "title"))
    _sp_window_rename_in_comparisons (self, view);
  update_page (page, view);
  if (view == sp_window_get_current_view (self))
    {
      update_switcher (self);
      update_title (self);
      _sp_window_update_actions (self);
    }
}

AdwTabPage *
_sp_window_append_view (SpWindow      *self,
                        SpProfileView *view)
{
  AdwTabPage *page = adw_tab_view_append (self->tab_view, GTK_WIDGET (view));

  adw_tab_view_set_selected_page (self->tab_view, page);
  return page;
}

static void
update_comparison_page (AdwTabPage    *page,
                        GParamSpec    *pspec,
                        SpCompareView *view)
{
  g_autofree char *tooltip = g_markup_escape_text (sp_compare_view_get_title (view), -1);

  adw_tab_page_set_title (page, sp_compare_view_get_title (view));
  adw_tab_page_set_tooltip (page, tooltip);
  adw_tab_page_set_loading (page, sp_compare_view_get_loading (view));
}

static void
on_comparison_renamed (SpWindow      *self,
                       GParamSpec    *pspec,
                       SpCompareView *view)
{
  AdwTabPage *page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (view));

  if (page == NULL)
    return;   /* moved to another window */
  update_comparison_page (page, NULL, view);
  if (current_comparison (self) == view)
    update_title (self);
}

void
_sp_window_append_comparison (SpWindow      *self,
                              SpCompareView *view)
{
  AdwTabPage *page = adw_tab_view_append (self->tab_view, GTK_WIDGET (view));

  adw_tab_view_set_selected_page (self->tab_view, page);
}

/* A tab comes into this window: new, or moved from another window.  Its view reports changes to
 * the window it is in, so the connections follow the tab. */
static void
on_page_attached (SpWindow   *self,
                  AdwTabPage *page,
                  int         position,
                  AdwTabView *tab_view)
{
  GtkWidget *child = adw_tab_page_get_child (page);
  static const char * const notified[] = { "notify::title", "notify::unsaved", "notify::file",
                                           "notify::loading", "notify::profile" };

  if (SP_IS_COMPARE_VIEW (child))
    {
      update_comparison_page (page, NULL, SP_COMPARE_VIEW (child));
      g_signal_connect_object (child, "notify::loading", G_CALLBACK (update_comparison_page), page,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (child, "notify::title", G_CALLBACK (on_comparison_renamed), self,
                               G_CONNECT_SWAPPED);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (notified); i++)
    g_signal_connect_object (child, notified[i], G_CALLBACK (on_view_changed), self, G_CONNECT_SWAPPED);
  update_page (page, SP_PROFILE_VIEW (child));
}

static void
on_page_detached (SpWindow   *self,
                  AdwTabPage *page,
                  int         position,
                  AdwTabView *tab_view)
{
  GtkWidget *child = adw_tab_page_get_child (page);

  g_signal_handlers_disconnect_by_data (child, self);
  g_signal_handlers_disconnect_by_data (child, page);
  _sp_window_page_detached (self, page);
}

SpProfileView *
sp_window_get_current_view (SpWindow *self)
{
  AdwTabPage *page;

  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);

  /* comparison tabs have no profile view */
  page = adw_tab_view_get_selected_page (self->tab_view);
  if (page == NULL || !SP_IS_PROFILE_VIEW (adw_tab_page_get_child (page)))
    return NULL;
  return SP_PROFILE_VIEW (adw_tab_page_get_child (page));
}

AdwTabView *
sp_window_get_tab_view (SpWindow *self)
{
  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);

  return self->tab_view;
}

static SpProfileView *
find_view_for_file (SpWindow *self,
                    GFile    *file)
{
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);
      SpProfileView *view;
      GFile *saved, *source;

      if (!SP_IS_PROFILE_VIEW (adw_tab_page_get_child (page)))
        continue;
      view = SP_PROFILE_VIEW (adw_tab_page_get_child (page));
      saved = sp_profile_view_get_file (view);
      source = sp_profile_view_get_source_file (view);
      if ((saved != NULL && g_file_equal (saved, file)) || (source != NULL && g_file_equal (source, file)))
        return view;
    }
  return NULL;
}

/* A two-count folded file holds a comparison: it opens as one, in place of its tab. */
static void
replace_with_comparison (SpWindow      *self,
                         SpProfileView *view)
{
  AdwTabPage *page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (view));
  g_autoptr(SpProfile) baseline = NULL;
  g_autoptr(SpProfile) current = NULL;
  /* Translators: the baseline of a two-count folded file; %s is the file's name */
  g_autofree char *baseline_title = g_strdup_printf (_("%s, before"), sp_profile_view_get_title (view));
  GtkWidget *compare;

  sp_profile_split_diff (sp_profile_view_get_profile (view), &baseline, &current);
  /* Translators: the new profile of a two-count folded file */
  compare = sp_compare_view_new (baseline, baseline_title, current, _("after"));
  adw_tab_view_insert (self->tab_view, compare, adw_tab_view_get_page_position (self->tab_view, page));
  adw_tab_view_set_selected_page (self->tab_view, adw_tab_view_get_page (self->tab_view, compare));
  adw_tab_view_close_page (self->tab_view, page);
}

static void
on_view_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SpWindow) opener = user_data;
  SpProfileView *view = SP_PROFILE_VIEW (object);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (view));
  /* the tab may have moved to another window while loading */
  SpWindow *self = SP_IS_WINDOW (root) ? SP_WINDOW (root) : opener;
  g_autoptr(GError) error = NULL;
  AdwTabPage *page;

  if (sp_profile_view_load_finish (view, result, &error))
    {
      GFile *file = sp_profile_view_get_file (view);

      if (file != NULL)
        _sp_window_note_recent (self, file);
      if (SP_IS_WINDOW (root) && sp_profile_has_metric (sp_profile_view_get_profile (view), SP_METRIC_BASELINE))
        replace_with_comparison (self, view);
      return;
    }

  /* The window or the tab may be gone already (closed while loading). */
  if (self->tab_view == NULL)
    return;
  page = SP_IS_WINDOW (root) ? adw_tab_view_get_page (self->tab_view, GTK_WIDGET (view)) : NULL;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *title = g_strdup_printf (_("Could not open “%s”"), sp_profile_view_get_title (view));
      sp_window_show_error (self, title, error->message);
    }
  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);
}

static gboolean
make_spare_view (gpointer user_data)
{
  SpWindow *self = user_data;

  self->spare_source = 0;
  self->spare_view = g_object_ref_sink (SP_PROFILE_VIEW (sp_profile_view_new ()));
  return G_SOURCE_REMOVE;
}

/* A new profile view, as a full reference.  Making one (its template) is most of what opening
 * a tab costs the main thread, so the window makes the next one ahead, once the tab it gave
 * is drawn and the window idles: the frame that shows the next tab then only lays it out. */
SpProfileView *
_sp_window_new_profile_view (SpWindow *self)
{
  SpProfileView *view = g_steal_pointer (&self->spare_view);

  if (view != NULL)
    /* Preferences may have changed since it was made */
    sp_flame_view_apply_preferences (SP_FLAME_VIEW (sp_profile_view_get_flame_view (view)));
  else
    view = g_object_ref_sink (SP_PROFILE_VIEW (sp_profile_view_new ()));
  /* not at once: the new tab's first frames come first */
  if (self->spare_source == 0)
    self->spare_source = g_timeout_add_full (G_PRIORITY_LOW, 300, make_spare_view, self, NULL);
  return view;
}

void
sp_window_open_file (SpWindow *self,
                     GFile    *file)
{
  g_autoptr(SpProfileView) view = NULL;
  SpProfileView *open;

  g_return_if_fail (SP_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  open = find_view_for_file (self, file);
  if (open != NULL)
    {
      adw_tab_view_set_selected_page (self->tab_view, adw_tab_view_get_page (self->tab_view, GTK_WIDGET (open)));
      return;
    }

  view = _sp_window_new_profile_view (self);
  _sp_window_append_view (self, view);
  sp_profile_view_load_async (view, file, on_view_loaded, g_object_ref (self));
}

SpProfileView *
_sp_window_append_profile (SpWindow   *self,
                           SpProfile  *profile,
                           const char *title)
{
  SpProfileView *view = SP_PROFILE_VIEW (sp_profile_view_new ());

  sp_profile_view_set_title (view, title);
  sp_profile_view_set_profile (view, profile);
  sp_profile_view_set_unsaved (view, TRUE);
  _sp_window_append_view (self, view);
  return view;
}

SpProfileView *
sp_window_add_profile (SpWindow   *self,
                       SpProfile  *profile,
                       const char *title)
{
  SpProfileView *view;

  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  view = _sp_window_append_profile (self, profile, title);
  /* on disk at once, so that a crash or a kill of the app does not lose it */
  sp_autosave_keep (view);
  return view;
}

/* ---- Sessions ---- */

static void
on_profile_recorded (SpWindow   *self,
                     SpProfile  *profile,
                     const char *title)
{
  sp_window_add_profile (self, profile, title);
}

static void
init_sessions (SpWindow *self)
{
  GtkWidget *sidebar = sp_session_sidebar_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_New Session…"));

  g_signal_connect_object (sidebar, "profile-recorded", G_CALLBACK (on_profile_recorded), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sidebar, "live-profile", G_CALLBACK (_sp_window_on_live_profile), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->sessions_sidebar, sidebar, "sessions");
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_object (button, "clicked", G_CALLBACK (sp_session_sidebar_show_new_session),
                           sidebar, G_CONNECT_SWAPPED);
  gtk_box_append (self->empty_actions, button);
}

void
sp_window_open_initial_session (SpWindow *self)
{
  GtkWidget *sidebar;

  g_return_if_fail (SP_IS_WINDOW (self));

  sidebar = gtk_stack_get_child_by_name (self->sessions_sidebar, "sessions");
  if (sp_session_sidebar_get_n_sessions (SP_SESSION_SIDEBAR (sidebar)) == 0)
    sp_session_sidebar_open_initial (SP_SESSION_SIDEBAR (sidebar));
}

guint
sp_window_count_unsaved (SpWindow *self)
{
  guint count = 0;

  g_return_val_if_fail (SP_IS_WINDOW (self), 0);

  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i));

      /* a comparison is made again from its profiles: nothing to lose */
      if (SP_IS_PROFILE_VIEW (child))
        count += sp_profile_view_get_unsaved (SP_PROFILE_VIEW (child));
    }
  return count;
}

static void
on_selected_page_changed (SpWindow   *self,
                          GParamSpec *pspec,
                          AdwTabView *tab_view)
{
  update_switcher (self);
  update_title (self);
  _sp_window_update_actions (self);
  if (self->link != NULL)
    sp_window_link_update (self->link);
}

static void
on_n_pages_changed (SpWindow   *self,
                    GParamSpec *pspec,
                    AdwTabView *tab_view)
{
  gboolean has_pages = adw_tab_view_get_n_pages (tab_view) > 0;

  gtk_stack_set_visible_child_name (self->main_stack, has_pages ? "tabs" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->tab_bar), has_pages);
}

/* The tab menu acts on the current tab: the tab it was opened on becomes the current one. */
static void
on_setup_tab_menu (SpWindow   *self,
                   AdwTabPage *page,
                   AdwTabView *tab_view)
{
  if (page != NULL)
    adw_tab_view_set_selected_page (tab_view, page);
}

/* ---- closing ---- */

static void
on_close_page_response (AdwMessageDialog *dialog,
                        const char       *response,
                        AdwTabPage       *page)
{
  SpWindow *self = SP_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  SpProfileView *view = SP_PROFILE_VIEW (adw_tab_page_get_child (page));

  if (g_str_equal (response, "save"))
    _sp_window_save_view (self, view, page);
  else
    adw_tab_view_close_page_finish (self->tab_view, page, g_str_equal (response, "discard"));
}

static gboolean
on_close_page (SpWindow   *self,
               AdwTabPage *page,
               AdwTabView *tab_view)
{
  GtkWidget *child = adw_tab_page_get_child (page);
  SpProfileView *view = SP_IS_PROFILE_VIEW (child) ? SP_PROFILE_VIEW (child) : NULL;
  GtkWidget *dialog;

  if (view == NULL || !sp_profile_view_get_unsaved (view) || self->closing)
    {
      adw_tab_view_close_page_finish (tab_view, page, TRUE);
      return GDK_EVENT_STOP;
    }

  adw_tab_view_set_selected_page (tab_view, page);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Profile?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has not been saved. If you close it without saving, "
                                    "the recording is lost."),
                                  sp_profile_view_get_title (view));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_page_response), page, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GDK_EVENT_STOP;
}

static gboolean
close_after_dialog (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_close_window_response (AdwMessageDialog *dialog,
                          const char       *response,
                          SpWindow         *self)
{
  if (g_str_equal (response, "save-all"))
    {
      _sp_window_ask_save_all (self);
      return;
    }
  if (!g_str_equal (response, "discard"))
    return;

  /* Close once the dialog is gone: destroying its parent from its own response handler leaves
   * the dialog pointing at a finalized window. */
  self->closing = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_after_dialog, g_object_ref (self), g_object_unref);
}

static void
save_window_state (SpWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
sp_window_close_request (GtkWindow *window)
{
  SpWindow *self = SP_WINDOW (window);
  guint unsaved = sp_window_count_unsaved (self);
  GtkWidget *dialog;

  if (unsaved == 0 || self->closing)
    {
      save_window_state (self);
      return GTK_WINDOW_CLASS (sp_window_parent_class)->close_request (window);
    }

  dialog = adw_message_dialog_new (window, _("Save Unsaved Profiles?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u profile in this window has not been saved. "
                                               "Save it before the window closes, or it is lost.",
                                               "%u profiles in this window have not been saved. "
                                               "Save them before the window closes, or they are "
                                               "lost.",
                                               unsaved),
                                  unsaved);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard and Close"),
                                    "save-all", _("_Save All…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save-all", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save-all");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_window_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ---- the sidebar ---- */

static void
on_sidebar_child_changed (SpWindow   *self,
                          GParamSpec *pspec,
                          GtkStack   *stack)
{
  gboolean has_child = gtk_stack_get_visible_child (stack) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), has_child);
  /* A narrow window starts with the sidebar folded away, over nothing. */
  if (!has_child || adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
  else if (self->settings != NULL)
    adw_flap_set_reveal_flap (self->flap, g_settings_get_boolean (self->settings, "sidebar-visible"));
  else
    adw_flap_set_reveal_flap (self->flap, TRUE);
}

GtkStack *
sp_window_get_sessions_sidebar (SpWindow *self)
{
  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);

  return self->sessions_sidebar;
}

GtkBox *
sp_window_get_empty_actions (SpWindow *self)
{
  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);

  return self->empty_actions;
}

/* ---- settings ---- */

static void
restore_window_state (SpWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
on_flap_revealed (SpWindow   *self,
                  GParamSpec *pspec,
                  AdwFlap    *flap)
{
  /* Only the user's choice beside the content is kept, not the hiding of an empty sidebar nor
   * the showing of a folded one over the content. */
  if (self->settings != NULL && gtk_widget_get_visible (GTK_WIDGET (self->sidebar_button)) &&
      !adw_flap_get_folded (flap))
    g_settings_set_boolean (self->settings, "sidebar-visible", adw_flap_get_reveal_flap (flap));
}

/* The flap is locked (folding does not hide it by itself): folding hides the sidebar, and
 * unfolding brings back the user's choice. */
static void
on_flap_folded (SpWindow   *self,
                GParamSpec *pspec,
                AdwFlap    *flap)
{
  on_sidebar_child_changed (self, NULL, self->sessions_sidebar);
}

/* ---- the class ---- */

static void
sp_window_dispose (GObject *object)
{
  SpWindow *self = SP_WINDOW (object);

  if (self->file_dialog != NULL)
    gtk_native_dialog_destroy (self->file_dialog);
  g_clear_object (&self->file_dialog);
  g_clear_object (&self->link);
  g_clear_handle_id (&self->spare_source, g_source_remove);
  g_clear_object (&self->spare_view);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sp_window_parent_class)->dispose (object);
}

static void
sp_window_class_init (SpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sp_window_dispose;
  window_class->close_request = sp_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, drop_revealer);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, sessions_sidebar);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, link_button);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, empty_actions);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, recent_submenu);
  gtk_widget_class_bind_template_callback (widget_class, on_close_page);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_tab_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_n_pages_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_page_attached);
  gtk_widget_class_bind_template_callback (widget_class, on_page_detached);
  gtk_widget_class_bind_template_callback (widget_class, _sp_window_create_window);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_child_changed);

  _sp_window_class_init_actions (widget_class);
  g_type_ensure (SP_TYPE_PROFILE_VIEW);
}

static void
sp_window_init (SpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = sp_settings_new ();
  restore_window_state (self);
  g_signal_connect_object (self->flap, "notify::reveal-flap", G_CALLBACK (on_flap_revealed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded", G_CALLBACK (on_flap_folded),
                           self, G_CONNECT_SWAPPED);

  _sp_window_init_actions (self);
  _sp_window_init_dnd (self);
  init_sessions (self);
  update_title (self);
}

SpWindow *
sp_window_new (GtkApplication *application)
{
  return g_object_new (SP_TYPE_WINDOW, "application", application, NULL);
}
