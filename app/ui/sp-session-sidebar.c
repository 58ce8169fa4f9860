/* sp-session-sidebar.c: the list of SBCL sessions and the page of the selected one
 *
 * Each session has a row (name and state) and an SpSessionView page.  The sidebar owns the
 * sessions: it starts them, restarts them with the same configuration, and quits them when they
 * are closed.  Sessions started from the New Session dialog are remembered in GSettings; the
 * last one is opened again on the next launch, the demo workload when there is none.
 */
#define G_LOG_DOMAIN "sp-session-sidebar"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sp-attach-dialog.h"
#include "sp-new-session-dialog.h"
#include "sp-session-sidebar.h"
#include "sp-settings.h"

#define MAX_RECENT_SESSIONS 10
#define DEMO_WORKLOAD "(demo:run)"

struct _SpSessionSidebar
{
  GtkWidget           parent_instance;

  /* Owned */
  GSettings          *settings;  /* NULL when the schema is not installed */
  SpNewSessionDialog *dialog;    /* the New Session dialog while it is open */

  /* Template widgets */
  GtkListBox         *session_list;
  GtkStack           *view_stack;
  GtkWidget          *sessions_header;
};

G_DEFINE_FINAL_TYPE (SpSessionSidebar, sp_session_sidebar, GTK_TYPE_WIDGET)

enum { PROFILE_RECORDED, LIVE_PROFILE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- Rows ---- */

static SpSessionView *
row_get_view (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "sp-session-view") : NULL;
}

static const char *
describe_state (SpSessionState state)
{
  switch (state)
    {
    case SP_SESSION_STATE_STARTING:  return _("Starting…");
    case SP_SESSION_STATE_READY:     return _("Ready");
    case SP_SESSION_STATE_BUSY:      return _("Busy");
    case SP_SESSION_STATE_RECORDING: return _("Recording");
    case SP_SESSION_STATE_EXITED:    return _("Exited");
    case SP_SESSION_STATE_CRASHED:   return _("Crashed");
    default:                         return "";
    }
}

static void
set_state_icon (AdwActionRow   *row,
                SpSessionState  state)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "sp-state-icon");
  GtkWidget *spinner = g_object_get_data (G_OBJECT (row), "sp-state-spinner");
  gboolean working = state == SP_SESSION_STATE_STARTING || state == SP_SESSION_STATE_BUSY;
  const char *icon_name = "emblem-ok-symbolic";

  if (state == SP_SESSION_STATE_RECORDING)
    icon_name = "media-record-symbolic";
  else if (state == SP_SESSION_STATE_EXITED)
    icon_name = "media-playback-stop-symbolic";
  else if (state == SP_SESSION_STATE_CRASHED)
    icon_name = "dialog-error-symbolic";
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_widget_set_visible (icon, !working);
  gtk_widget_set_visible (spinner, working);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), working);
  if (state == SP_SESSION_STATE_RECORDING || state == SP_SESSION_STATE_CRASHED)
    gtk_widget_add_css_class (icon, "error");
  else
    gtk_widget_remove_css_class (icon, "error");
  if (state == SP_SESSION_STATE_READY)
    gtk_widget_add_css_class (icon, "success");
  else
    gtk_widget_remove_css_class (icon, "success");
}

static void
update_row (AdwActionRow *row)
{
  SpSessionView *view = row_get_view (GTK_LIST_BOX_ROW (row));
  SpSession *session = sp_session_view_get_session (view);
  SpSessionState state = sp_session_get_state (session);
  const char *reason = sp_session_get_state_reason (session);
  const char *version = sp_session_get_sbcl_version (session);
  g_autofree char *title = sp_session_view_dup_title (view);
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  g_autofree char *subtitle = NULL;

  if ((state == SP_SESSION_STATE_CRASHED || state == SP_SESSION_STATE_EXITED) && reason != NULL)
    subtitle = g_strdup_printf ("%s: %s", describe_state (state), reason);
  else if (version != NULL)
    subtitle = g_strdup_printf ("%s · SBCL %s", describe_state (state), version);
  else
    subtitle = g_strdup (describe_state (state));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  g_clear_pointer (&escaped, g_free);
  escaped = g_markup_escape_text (subtitle, -1);
  adw_action_row_set_subtitle (row, escaped);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), subtitle);
  set_state_icon (row, state);
}

static void
watch_row_session (AdwActionRow *row)
{
  SpSessionView *view = row_get_view (GTK_LIST_BOX_ROW (row));

  /* A replaced session may still report its end: update_row reads the view's current one. */
  g_signal_connect_object (sp_session_view_get_session (view), "notify::state",
                           G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
  update_row (row);
}

static GtkWidget *
create_row (SpSessionView *view)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *spinner = gtk_spinner_new ();

  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), spinner);
  g_object_set_data (G_OBJECT (row), "sp-state-icon", icon);
  g_object_set_data (G_OBJECT (row), "sp-state-spinner", spinner);
  g_object_set_data (G_OBJECT (row), "sp-session-view", view);
  g_signal_connect_object (view, "notify::session", G_CALLBACK (watch_row_session), row,
                           G_CONNECT_SWAPPED);
  watch_row_session (ADW_ACTION_ROW (row));
  return row;
}

static GtkListBoxRow *
find_row (SpSessionSidebar *self,
          SpSessionView    *view)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->session_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && row_get_view (GTK_LIST_BOX_ROW (child)) == view)
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

/* ---- Sessions ---- */

static void
update_actions (SpSessionSidebar *self)
{
  SpSessionView *view = sp_session_sidebar_get_selected_view (self);
  gboolean selected = view != NULL;
  /* an attached program was not started here: it cannot be restarted from here either */
  gboolean restartable = selected && !sp_session_is_attached (sp_session_view_get_session (view));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sessions.restart", restartable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sessions.close", selected);
}

static void
on_row_selected (SpSessionSidebar *self,
                 GtkListBoxRow    *row)
{
  SpSessionView *view = row_get_view (row);

  if (self->view_stack == NULL)   /* disposing */
    return;
  if (view != NULL)
    gtk_stack_set_visible_child (self->view_stack, GTK_WIDGET (view));
  else
    gtk_stack_set_visible_child_name (self->view_stack, "empty");
  gtk_widget_set_visible (self->sessions_header, view != NULL);
  update_actions (self);
}

static void
on_session_started (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SpSessionView) view = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (sp_session_start_finish (SP_SESSION (source), result, &error))
    return;
  if (sp_session_view_get_session (view) != SP_SESSION (source))
    return;
  text = g_strdup_printf (_("Could not start SBCL: %s"), error->message);
  sp_session_console_append_error (sp_session_view_get_console (view), text, NULL);
}

static void
start_session (SpSessionView *view)
{
  sp_session_start_async (sp_session_view_get_session (view), NULL, on_session_started,
                          g_object_ref (view));
}

/* Starts the view's session unless it was closed or restarted meanwhile. */
static gboolean
start_session_idle (gpointer user_data)
{
  SpSessionView *view = user_data;
  SpSession *session = sp_session_view_get_session (view);

  if (gtk_widget_get_parent (GTK_WIDGET (view)) != NULL && sp_session_get_pid (session) == 0 &&
      sp_session_get_state (session) == SP_SESSION_STATE_STARTING)
    start_session (view);
  return G_SOURCE_REMOVE;
}

static void
on_profile_recorded (SpSessionSidebar *self,
                     SpProfile        *profile,
                     const char       *title)
{
  g_signal_emit (self, signals[PROFILE_RECORDED], 0, profile, title);
}

static void
on_live_profile (SpSessionView *view,
                 SpProfile     *profile,
                 const char    *title,
                 gboolean       final,
                 gpointer       data)
{
  g_signal_emit (data, signals[LIVE_PROFILE], 0, view, profile, title, final);
}

SpSessionView *
sp_session_sidebar_add_session (SpSessionSidebar *self,
                                SpSession        *session)
{
  GtkWidget *view;
  GtkWidget *row;

  g_return_val_if_fail (SP_IS_SESSION_SIDEBAR (self), NULL);
  g_return_val_if_fail (SP_IS_SESSION (session), NULL);

  view = sp_session_view_new (session);
  g_signal_connect_object (view, "profile-recorded", G_CALLBACK (on_profile_recorded), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "live-profile", G_CALLBACK (on_live_profile), self, 0);
  gtk_stack_add_child (self->view_stack, view);
  row = create_row (SP_SESSION_VIEW (view));
  gtk_list_box_append (self->session_list, row);
  gtk_list_box_select_row (self->session_list, GTK_LIST_BOX_ROW (row));
  /* sbcl is spawned after the window is shown, so its start never delays the first window; not at
   * default idle priority, which a busy redraw can starve */
  if (sp_session_get_pid (session) == 0 && sp_session_get_state (session) == SP_SESSION_STATE_STARTING)
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, start_session_idle, g_object_ref (view), g_object_unref);
  return SP_SESSION_VIEW (view);
}

static void
release_ended_session (SpSession  *session,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  SpSessionState state = sp_session_get_state (session);

  if (state == SP_SESSION_STATE_EXITED || state == SP_SESSION_STATE_CRASHED)
    {
      g_signal_handlers_disconnect_by_func (session, release_ended_session, NULL);
      g_object_unref (session);
    }
}

/* Lets the agent quit on its own, and drops the session once the process is gone. */
static void
quit_session (SpSession *session)
{
  SpSessionState state = sp_session_get_state (session);

  g_object_ref (session);
  if (state == SP_SESSION_STATE_EXITED || state == SP_SESSION_STATE_CRASHED)
    {
      g_object_unref (session);
      return;
    }
  g_signal_connect (session, "notify::state", G_CALLBACK (release_ended_session), NULL);
  sp_session_quit (session);
}

void
sp_session_sidebar_restart_selected (SpSessionSidebar *self)
{
  SpSessionView *view = sp_session_sidebar_get_selected_view (self);
  g_autoptr(GVariant) config = NULL;
  g_autoptr(SpSession) session = NULL;

  g_return_if_fail (SP_IS_SESSION_SIDEBAR (self));

  if (view == NULL)
    return;
  config = g_variant_ref_sink (sp_new_session_dialog_config_from_session (sp_session_view_get_session (view)));
  session = sp_new_session_dialog_config_to_session (config);
  quit_session (sp_session_view_get_session (view));
  sp_session_console_append_note (sp_session_view_get_console (view), _("Restarting…"));
  sp_session_view_set_session (view, session);
  start_session (view);
}

static void
close_view (SpSessionSidebar *self,
            SpSessionView    *view)
{
  GtkListBoxRow *row = find_row (self, view);
  int index;

  if (row == NULL)
    return;
  index = gtk_list_box_row_get_index (row);
  quit_session (sp_session_view_get_session (view));
  gtk_list_box_remove (self->session_list, GTK_WIDGET (row));
  gtk_stack_remove (self->view_stack, GTK_WIDGET (view));
  row = gtk_list_box_get_row_at_index (self->session_list, MAX (index - 1, 0));
  gtk_list_box_select_row (self->session_list, row);
  if (row == NULL)
    on_row_selected (self, NULL);
}

void
sp_session_sidebar_close_selected (SpSessionSidebar *self)
{
  SpSessionView *view;

  g_return_if_fail (SP_IS_SESSION_SIDEBAR (self));

  view = sp_session_sidebar_get_selected_view (self);
  if (view != NULL)
    close_view (self, view);
}

static void
on_close_response (SpSessionSidebar *self,
                   const char       *response,
                   AdwMessageDialog *dialog)
{
  if (g_str_equal (response, "close"))
    close_view (self, g_object_get_data (G_OBJECT (dialog), "sp-session-view"));
}

/* Closing a session loses a recording in progress: ask first. */
static void
ask_close_selected (SpSessionSidebar *self)
{
  SpSessionView *view = sp_session_sidebar_get_selected_view (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (view == NULL || !sp_session_view_get_recording (view))
    {
      sp_session_sidebar_close_selected (self);
      return;
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Close the Session?"),
                                   _("It is recording: the recording in progress will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "close", _("C_lose Session"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sp-session-view", g_object_ref (view),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

guint
sp_session_sidebar_get_n_sessions (SpSessionSidebar *self)
{
  guint n = 0;

  g_return_val_if_fail (SP_IS_SESSION_SIDEBAR (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->session_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += GTK_IS_LIST_BOX_ROW (child);
  return n;
}

SpSessionView *
sp_session_sidebar_get_selected_view (SpSessionSidebar *self)
{
  g_return_val_if_fail (SP_IS_SESSION_SIDEBAR (self), NULL);

  return row_get_view (gtk_list_box_get_selected_row (self->session_list));
}

/* ---- Remembered sessions ---- */

static char *
dup_default_sbcl (SpSessionSidebar *self)
{
  g_autofree char *configured = NULL;

  if (self->settings != NULL)
    configured = g_settings_get_string (self->settings, "sbcl-path");
  if (configured != NULL && *configured != '\0')
    return g_steal_pointer (&configured);
  return NULL;
}

static void
remember_session (SpSessionSidebar *self,
                  SpSession        *session)
{
  g_autoptr(GVariant) config = g_variant_ref_sink (sp_new_session_dialog_config_from_session (session));
  g_autoptr(GVariant) recent = NULL;
  g_autofree char *on_path = sp_session_find_sbcl ();
  GVariantBuilder builder;
  GVariantIter iter;
  GVariant *item;
  guint n = 1;

  if (self->settings == NULL)
    return;
  recent = g_settings_get_value (self->settings, "recent-sessions");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_builder_add_value (&builder, config);
  g_variant_iter_init (&iter, recent);
  while ((item = g_variant_iter_next_value (&iter)) != NULL)
    {
      if (!g_variant_equal (item, config) && n++ < MAX_RECENT_SESSIONS)
        g_variant_builder_add_value (&builder, item);
      g_variant_unref (item);
    }
  g_settings_set_value (self->settings, "recent-sessions", g_variant_builder_end (&builder));
  /* The program chosen last becomes the default, unless it is the one on PATH anyway. */
  g_settings_set_string (self->settings, "sbcl-path",
                         g_strcmp0 (on_path, sp_session_get_sbcl_path (session)) == 0
                         ? "" : sp_session_get_sbcl_path (session));
}

static GVariant *
dup_last_config (SpSessionSidebar *self)
{
  g_autoptr(GVariant) recent = NULL;

  if (self->settings == NULL)
    return NULL;
  recent = g_settings_get_value (self->settings, "recent-sessions");
  if (g_variant_n_children (recent) == 0)
    return NULL;
  return g_variant_get_child_value (recent, 0);
}

SpSession *
sp_session_sidebar_create_demo_session (SpSessionSidebar *self)
{
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *demo = g_build_filename (lisp_dir, "examples", "demo.lisp", NULL);
  g_autofree char *sbcl = dup_default_sbcl (self);
  const char *files[] = { demo, NULL };
  SpSession *session = sp_session_new (sbcl);

  sp_session_set_load_files (session, files);
  return session;
}

SpSessionView *
sp_session_sidebar_open_initial (SpSessionSidebar *self)
{
  g_autoptr(GVariant) config = NULL;
  g_autoptr(SpSession) session = NULL;
  SpSessionView *view;

  g_return_val_if_fail (SP_IS_SESSION_SIDEBAR (self), NULL);

  config = dup_last_config (self);
  if (config != NULL)
    return sp_session_sidebar_add_session (self, session = sp_new_session_dialog_config_to_session (config));
  session = sp_session_sidebar_create_demo_session (self);
  view = sp_session_sidebar_add_session (self, session);
  sp_session_view_set_workload (view, DEMO_WORKLOAD);
  return view;
}

/* ---- New Session ---- */

static void
on_session_created (SpSessionSidebar *self,
                    SpSession        *session)
{
  remember_session (self, session);
  sp_session_sidebar_add_session (self, session);
}

static void
on_dialog_destroyed (SpSessionSidebar *self)
{
  self->dialog = NULL;
}

void
sp_session_sidebar_show_new_session (SpSessionSidebar *self)
{
  g_autoptr(GVariant) config = NULL;
  GtkRoot *root;

  g_return_if_fail (SP_IS_SESSION_SIDEBAR (self));

  if (self->dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->dialog));
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->dialog = sp_new_session_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  config = dup_last_config (self);
  if (config != NULL)
    sp_new_session_dialog_set_config (self->dialog, config);
  g_signal_connect_object (self->dialog, "session-created", G_CALLBACK (on_session_created), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dialog, "destroy", G_CALLBACK (on_dialog_destroyed), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
on_attach_chosen (SpSessionSidebar *self,
                  const char       *target)
{
  g_autoptr(SpSession) session = sp_session_new_attached (target, NULL);

  sp_session_sidebar_add_session (self, session);
}

void
sp_session_sidebar_show_attach (SpSessionSidebar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  SpAttachDialog *dialog = sp_attach_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);

  g_signal_connect_object (dialog, "attach", G_CALLBACK (on_attach_chosen), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_action (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  SpSessionSidebar *self = SP_SESSION_SIDEBAR (widget);

  if (g_str_equal (action_name, "sessions.new"))
    sp_session_sidebar_show_new_session (self);
  else if (g_str_equal (action_name, "sessions.attach"))
    sp_session_sidebar_show_attach (self);
  else if (g_str_equal (action_name, "sessions.restart"))
    sp_session_sidebar_restart_selected (self);
  else if (g_str_equal (action_name, "sessions.close"))
    ask_close_selected (self);
}

GtkWidget *
sp_session_sidebar_new (void)
{
  return g_object_new (SP_TYPE_SESSION_SIDEBAR, NULL);
}

/* ---- GObject ---- */

static void
sp_session_sidebar_dispose (GObject *object)
{
  GtkWidget *child;
  SpSessionSidebar *self = SP_SESSION_SIDEBAR (object);

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_SESSION_SIDEBAR);
  /* Children the template did not name are still ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sp_session_sidebar_parent_class)->dispose (object);
}

static void
sp_session_sidebar_class_init (SpSessionSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_session_sidebar_dispose;

  signals[PROFILE_RECORDED] =
    g_signal_new ("profile-recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, SP_TYPE_PROFILE, G_TYPE_STRING);
  /* a session view's live-profile, with the view that sent it: (view, profile, title, final) */
  signals[LIVE_PROFILE] =
    g_signal_new ("live-profile", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_OBJECT, SP_TYPE_PROFILE, G_TYPE_STRING,
                  G_TYPE_BOOLEAN);

  gtk_widget_class_install_action (widget_class, "sessions.new", NULL, on_action);
  gtk_widget_class_install_action (widget_class, "sessions.attach", NULL, on_action);
  gtk_widget_class_install_action (widget_class, "sessions.restart", NULL, on_action);
  gtk_widget_class_install_action (widget_class, "sessions.close", NULL, on_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sessionsidebar");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sbclprofiler/SbclProfiler/sp-session-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, SpSessionSidebar, session_list);
  gtk_widget_class_bind_template_child (widget_class, SpSessionSidebar, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SpSessionSidebar, sessions_header);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
}

static void
sp_session_sidebar_init (SpSessionSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->settings = sp_settings_new ();
  update_actions (self);
}
