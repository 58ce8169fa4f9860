/* sp-session-view.c: one SBCL session's page: recording bar, console and evaluation entry
 *
 * The view forwards what the user asks for to its SpSession and shows what comes back: the
 * program's output and the results of forms in the console, the recording's progress in the
 * Record button (sp-session-view-record.c).  A finished recording leaves as profile-recorded.
 */
#define G_LOG_DOMAIN "sp-session-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-preferences-window.h"
#include "sp-session-view-private.h"
#include "sp-settings.h"
#include "sp-tooltips.h"

G_DEFINE_FINAL_TYPE (SpSessionView, sp_session_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SESSION, PROP_RECORDING, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { PROFILE_RECORDED, LIVE_PROFILE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- Small helpers ---- */

char *
_sp_session_view_dup_stripped_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

const char *
_sp_session_view_get_package (SpSessionView *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->package_dropdown);

  return item != NULL ? gtk_string_object_get_string (item) : "CL-USER";
}

static gboolean
session_accepts_requests (SpSessionView *self)
{
  SpSessionState state;

  if (self->session == NULL)
    return FALSE;
  state = sp_session_get_state (self->session);
  return state == SP_SESSION_STATE_READY || state == SP_SESSION_STATE_RECORDING;
}

void
_sp_session_view_set_status (SpSessionView *self,
            const char    *text,
            gboolean       is_error)
{
  gtk_label_set_text (self->status_label, text);
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
}

/* ---- Packages ---- */

static void
select_package (SpSessionView *self,
                const char    *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->packages));

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->packages, i), name) == 0)
      {
        gtk_drop_down_set_selected (self->package_dropdown, i);
        return;
      }
}

/* Packages by the names a Lisp programmer types: CL-USER rather than COMMON-LISP-USER. */
static void
set_packages (SpSessionView      *self,
              const char * const *names)
{
  g_autofree char *selected = g_strdup (_sp_session_view_get_package (self));
  g_auto(GStrv) shown = g_strdupv ((char **) names);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->packages));

  for (guint i = 0; shown[i] != NULL; i++)
    if (g_str_equal (shown[i], "COMMON-LISP-USER"))
      {
        g_free (shown[i]);
        shown[i] = g_strdup ("CL-USER");
      }
  gtk_string_list_splice (self->packages, 0, n, (const char * const *) shown);
  select_package (self, selected);
  if (g_strcmp0 (_sp_session_view_get_package (self), selected) != 0)
    select_package (self, "CL-USER");

  gtk_list_store_clear (self->package_store);
  for (guint i = 0; names[i] != NULL; i++)
    gtk_list_store_insert_with_values (self->package_store, NULL, -1, 0, names[i], -1);
}

static void
on_packages_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SpSessionView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = sp_session_list_packages_finish (SP_SESSION (source), result, &error);

  if (self->disposed || SP_SESSION (source) != self->session)
    return;
  if (names == NULL)
    {
      g_debug ("Could not list packages: %s", error->message);
      return;
    }
  set_packages (self, (const char * const *) names);
}

static void
refresh_packages (SpSessionView *self)
{
  if (!session_accepts_requests (self))
    return;
  sp_session_list_packages_async (self->session, self->cancellable, on_packages_listed,
                                  g_object_ref (self));
}

/* Completes the last word of the names to instrument. */
static gboolean
match_last_word (GtkEntryCompletion *completion,
                 const char         *key,
                 GtkTreeIter        *iter,
                 gpointer            user_data)
{
  SpSessionView *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->names_entry));
  const char *word = strrchr (text, ' ');
  g_autofree char *name = NULL;
  g_autofree char *word_up = NULL;

  word = word != NULL ? word + 1 : text;
  if (*word == '\0')
    return FALSE;
  gtk_tree_model_get (GTK_TREE_MODEL (self->package_store), iter, 0, &name, -1);
  word_up = g_ascii_strup (word, -1);
  return g_str_has_prefix (name, word_up);
}

static gboolean
on_completion_match_selected (SpSessionView      *self,
                              GtkTreeModel       *model,
                              GtkTreeIter        *iter,
                              GtkEntryCompletion *completion)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->names_entry));
  const char *word = strrchr (text, ' ');
  g_autofree char *name = NULL;
  g_autofree char *head = g_strndup (text, word != NULL ? (gsize) (word + 1 - text) : 0);
  g_autofree char *replaced = NULL;

  gtk_tree_model_get (model, iter, 0, &name, -1);
  replaced = g_strconcat (head, name, " ", NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->names_entry), replaced);
  gtk_editable_set_position (GTK_EDITABLE (self->names_entry), -1);
  return TRUE;
}

static void
setup_names_completion (SpSessionView *self)
{
  g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new ();

  self->package_store = gtk_list_store_new (1, G_TYPE_STRING);
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (self->package_store));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_match_func (completion, match_last_word, self, NULL);
  gtk_entry_completion_set_popup_single_match (completion, TRUE);
  g_signal_connect_object (completion, "match-selected",
                           G_CALLBACK (on_completion_match_selected), self, G_CONNECT_SWAPPED);
  gtk_entry_set_completion (self->names_entry, completion);
}

/* ---- Evaluation ---- */

static void
history_add (SpSessionView *self,
             const char    *form)
{
  if (self->history->len == 0 ||
      g_strcmp0 (g_ptr_array_index (self->history, self->history->len - 1), form) != 0)
    g_ptr_array_add (self->history, g_strdup (form));
  self->history_pos = self->history->len;
  g_clear_pointer (&self->history_draft, g_free);
}

static void
history_step (SpSessionView *self,
              int            step)
{
  const char *text;

  if (step < 0 && self->history_pos == 0)
    return;
  if (step > 0 && self->history_pos >= self->history->len)
    return;
  if (self->history_pos == self->history->len)
    {
      g_free (self->history_draft);
      self->history_draft = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->eval_entry)));
    }
  self->history_pos += step;
  text = self->history_pos == self->history->len
         ? self->history_draft
         : g_ptr_array_index (self->history, self->history_pos);
  gtk_editable_set_text (GTK_EDITABLE (self->eval_entry), text ? text : "");
  gtk_editable_set_position (GTK_EDITABLE (self->eval_entry), -1);
}

static gboolean
on_eval_key_pressed (SpSessionView         *self,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkEventControllerKey *controller)
{
  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    history_step (self, -1);
  else if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    history_step (self, +1);
  else
    return GDK_EVENT_PROPAGATE;
  return GDK_EVENT_STOP;
}

static void
set_evaluating (SpSessionView *self,
                gboolean       evaluating)
{
  self->evaluating = evaluating;
  gtk_button_set_icon_name (self->eval_button,
                            evaluating ? "process-stop-symbolic" : "go-next-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->eval_button),
                               evaluating ? _("Interrupt") : _("Evaluate"));
  _sp_session_view_update_controls (self);
}

static void
on_eval_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SpSessionView) self = user_data;
  g_autoptr(SpLispError) lisp_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *values = NULL;

  values = sp_session_eval_finish (SP_SESSION (source), result, &lisp_error, &error);
  if (self->disposed)
    return;
  set_evaluating (self, FALSE);
  if (error == NULL)
    sp_session_console_append_result (self->console, values);
  else
    sp_session_console_append_error (self->console, error->message, lisp_error);
  refresh_packages (self);
}

static void
evaluate (SpSessionView *self)
{
  g_autofree char *form = _sp_session_view_dup_stripped_text (self->eval_entry);
  const char *package = _sp_session_view_get_package (self);

  if (*form == '\0' || self->evaluating)
    return;
  if (!session_accepts_requests (self))
    {
      sp_session_console_append_error (self->console,
                                       _("The session is not ready to evaluate forms"), NULL);
      return;
    }
  history_add (self, form);
  sp_session_console_append_input (self->console, package, form);
  gtk_editable_set_text (GTK_EDITABLE (self->eval_entry), "");
  set_evaluating (self, TRUE);
  sp_session_eval_async (self->session, form, package, NULL, on_eval_done, g_object_ref (self));
}

static void
on_eval_activate (SpSessionView *self)
{
  evaluate (self);
}

static void
on_eval_button_clicked (SpSessionView *self)
{
  if (self->evaluating)
    sp_session_interrupt (self->session);
  else
    evaluate (self);
}

void
_sp_session_view_update_controls (SpSessionView *self)
{
  gboolean idle = self->record_state == SP_RECORD_IDLE;

  _sp_session_view_update_record_button (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->statistical_button), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->deterministic_button), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sampler_dropdown), idle);
  gtk_widget_set_sensitive (self->deterministic_page, idle);
  gtk_widget_set_sensitive (self->exact_page, idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->workload_entry), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->options_button), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->eval_button),
                            self->evaluating || session_accepts_requests (self));
}

/* ---- Session ---- */

static void
on_console_output (SpSessionView *self,
                   guint          stream,
                   const char    *text)
{
  sp_session_console_queue_output (self->console, stream, text);
}

static void
on_session_event (SpSessionView     *self,
                  const char        *kind,
                  const char        *message,
                  const SpLispError *lisp_error)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (kind, "warning") == 0)
    {
      text = g_strdup_printf (_("Warning: %s"), message);
      sp_session_console_append_note (self->console, text);
      return;
    }
  if (g_strcmp0 (kind, "workload-error") == 0)
    text = g_strdup_printf (_("The workload failed: %s"), message);
  else if (g_strcmp0 (kind, "break") == 0)
    text = g_strdup_printf (_("Break: %s"), message);
  else
    text = g_strdup_printf (_("Error in a thread: %s"), message);
  sp_session_console_append_error (self->console, text, lisp_error);
}

static void
note_state (SpSessionView *self)
{
  SpSessionState state = sp_session_get_state (self->session);
  const char *reason = sp_session_get_state_reason (self->session);
  g_autofree char *text = NULL;
  gboolean attached = sp_session_is_attached (self->session);

  if (state == self->shown_state)
    return;
  if (state == SP_SESSION_STATE_READY && self->shown_state == SP_SESSION_STATE_STARTING && attached)
    text = g_strdup_printf (_("Attached to process %d (SBCL %s). Its own output stays where it "
                              "was; what you evaluate here prints here. Closing the session "
                              "detaches and leaves the program running."),
                            (int) sp_session_get_pid (self->session),
                            sp_session_get_sbcl_version (self->session));
  else if (state == SP_SESSION_STATE_READY && self->shown_state == SP_SESSION_STATE_STARTING)
    text = g_strdup_printf (_("SBCL %s is ready."), sp_session_get_sbcl_version (self->session));
  else if (state == SP_SESSION_STATE_CRASHED)
    text = g_strdup_printf (_("The session stopped: %s"), reason ? reason : _("unknown reason"));
  else if (state == SP_SESSION_STATE_EXITED)
    text = g_strdup_printf (_("The session ended (%s)."), reason ? reason : _("exited"));
  else if (state == SP_SESSION_STATE_STARTING)
    text = attached ? g_strdup_printf (_("Attaching to %s…"), sp_session_get_attach_target (self->session))
                    : g_strdup (_("Starting SBCL…"));
  self->shown_state = state;
  if (text == NULL)
    return;
  if (state == SP_SESSION_STATE_CRASHED)
    sp_session_console_append_error (self->console, text, NULL);
  else
    sp_session_console_append_note (self->console, text);
  if (state == SP_SESSION_STATE_CRASHED || state == SP_SESSION_STATE_EXITED)
    sp_session_console_append_note (self->console, _("Restart the session to go on."));
}

static void
on_session_state_changed (SpSessionView *self)
{
  SpSessionState state = sp_session_get_state (self->session);

  note_state (self);
  if (state == SP_SESSION_STATE_READY && !self->evaluating)
    refresh_packages (self);
  if ((state == SP_SESSION_STATE_CRASHED || state == SP_SESSION_STATE_EXITED) &&
      self->record_state != SP_RECORD_IDLE)
    {
      _sp_session_view_set_record_state (self, SP_RECORD_IDLE);
      _sp_session_view_set_status (self, _("The session ended during the recording: nothing was recorded."), TRUE);
      /* the samples it sent come next, as recording-cut-short, when there were any */
      _sp_session_view_end_live (self);
    }
  _sp_session_view_update_controls (self);
}

SpSession *
sp_session_view_get_session (SpSessionView *self)
{
  g_return_val_if_fail (SP_IS_SESSION_VIEW (self), NULL);

  return self->session;
}

void
sp_session_view_set_session (SpSessionView *self,
                             SpSession     *session)
{
  g_return_if_fail (SP_IS_SESSION_VIEW (self));
  g_return_if_fail (session == NULL || SP_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  if (self->live_title != NULL)
    {
      g_autofree char *live_title = g_steal_pointer (&self->live_title);

      _sp_session_view_emit_live_profile (self, NULL, live_title, TRUE);
    }
  self->evaluating = FALSE;
  _sp_session_view_set_record_state (self, SP_RECORD_IDLE);
  _sp_session_view_update_summary (self);
  _sp_session_view_update_exact_page (self);
  if (session != NULL)
    {
      /* A restarted session notes its start again. */
      self->shown_state = (SpSessionState) -1;
      if (sp_session_get_state (session) == SP_SESSION_STATE_READY)
        self->shown_state = SP_SESSION_STATE_STARTING;
      on_session_state_changed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

char *
sp_session_view_dup_title (SpSessionView *self)
{
  const char * const *files, * const *systems;
  const char *dir;

  g_return_val_if_fail (SP_IS_SESSION_VIEW (self), NULL);

  if (self->session == NULL)
    return g_strdup (_("SBCL"));
  if (sp_session_is_attached (self->session))
    return sp_session_get_pid (self->session) > 0
             ? g_strdup_printf (_("Process %d (attached)"), (int) sp_session_get_pid (self->session))
             : g_strdup (_("Attaching…"));
  files = sp_session_get_load_files (self->session);
  systems = sp_session_get_systems (self->session);
  dir = sp_session_get_working_dir (self->session);
  if (files != NULL && files[0] != NULL)
    {
      g_autofree char *base = g_path_get_basename (files[0]);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      return g_steal_pointer (&base);
    }
  if (systems != NULL && systems[0] != NULL)
    return g_strdup (systems[0]);
  if (dir != NULL && *dir != '\0')
    return g_path_get_basename (dir);
  return g_strdup (_("SBCL"));
}

gboolean
sp_session_view_get_recording (SpSessionView *self)
{
  g_return_val_if_fail (SP_IS_SESSION_VIEW (self), FALSE);

  return self->record_state != SP_RECORD_IDLE;
}

gboolean
sp_session_view_toggle_recording (SpSessionView *self)
{
  g_return_val_if_fail (SP_IS_SESSION_VIEW (self), FALSE);

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->record_button)))
    return FALSE;
  _sp_session_view_on_record_clicked (self);
  return TRUE;
}

void
sp_session_view_set_workload (SpSessionView *self,
                              const char    *workload)
{
  g_return_if_fail (SP_IS_SESSION_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->workload_entry), workload ? workload : "");
}

SpSessionConsole *
sp_session_view_get_console (SpSessionView *self)
{
  g_return_val_if_fail (SP_IS_SESSION_VIEW (self), NULL);

  return self->console;
}

GtkWidget *
sp_session_view_new (SpSession *session)
{
  return g_object_new (SP_TYPE_SESSION_VIEW, "session", session, NULL);
}

void
_sp_session_view_notify_recording (SpSessionView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
}

void
_sp_session_view_emit_profile_recorded (SpSessionView *self,
                                        SpProfile     *profile,
                                        const char    *title)
{
  g_signal_emit (self, signals[PROFILE_RECORDED], 0, profile, title);
}

void
_sp_session_view_emit_live_profile (SpSessionView *self,
                                    SpProfile     *profile,
                                    const char    *title,
                                    gboolean       final)
{
  g_signal_emit (self, signals[LIVE_PROFILE], 0, profile, title, final);
}

/* ---- GObject ---- */

static void
sp_session_view_dispose (GObject *object)
{
  GtkWidget *child;
  SpSessionView *self = SP_SESSION_VIEW (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_signal_group_set_target (self->session_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_SESSION_VIEW);
  /* Children the template did not name are still ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  g_clear_object (&self->package_store);

  G_OBJECT_CLASS (sp_session_view_parent_class)->dispose (object);
}

static void
sp_session_view_finalize (GObject *object)
{
  SpSessionView *self = SP_SESSION_VIEW (object);

  g_clear_object (&self->session_signals);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->history_draft, g_free);
  g_clear_pointer (&self->record_workload, g_free);
  g_clear_pointer (&self->workload_error, g_free);
  g_clear_pointer (&self->live_title, g_free);

  G_OBJECT_CLASS (sp_session_view_parent_class)->finalize (object);
}

static void
sp_session_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SpSessionView *self = SP_SESSION_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, sp_session_view_get_recording (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_session_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SpSessionView *self = SP_SESSION_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sp_session_view_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_session_view_class_init (SpSessionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_session_view_dispose;
  object_class->finalize = sp_session_view_finalize;
  object_class->get_property = sp_session_view_get_property;
  object_class->set_property = sp_session_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PROFILE_RECORDED] =
    g_signal_new ("profile-recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, SP_TYPE_PROFILE, G_TYPE_STRING);
  /* A statistical recording as it runs: (profile or NULL before the first samples, title,
   * final).  The final one (NULL: nothing was recorded) ends it, instead of profile-recorded. */
  signals[LIVE_PROFILE] =
    g_signal_new ("live-profile", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, SP_TYPE_PROFILE, G_TYPE_STRING, G_TYPE_BOOLEAN);

  g_type_ensure (SP_TYPE_SESSION_CONSOLE);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sessionview");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sbclprofiler/SbclProfiler/sp-session-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, statistical_button);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, deterministic_button);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, deterministic_page);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, sampler_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, exact_page);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, exact_icon);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, exact_label);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, instrument_button);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, heap_snapshot_check);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, names_entry);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, workload_entry);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, record_button);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, record_icon);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, record_label);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, options_button);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, max_samples_spin);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, all_threads_check);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, warmup_spin);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, runs_spin);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, console);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, package_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, packages);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, eval_entry);
  gtk_widget_class_bind_template_child (widget_class, SpSessionView, eval_button);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_mode_toggled",
                                                G_CALLBACK (_sp_session_view_on_mode_toggled));
  gtk_widget_class_bind_template_callback_full (widget_class, "update_summary",
                                                G_CALLBACK (_sp_session_view_update_summary));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_record_clicked",
                                                G_CALLBACK (_sp_session_view_on_record_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_instrument_clicked",
                                                G_CALLBACK (_sp_session_view_on_instrument_clicked));
  gtk_widget_class_bind_template_callback (widget_class, on_eval_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_eval_button_clicked);
}

static void
connect_session_signals (SpSessionView *self)
{
  self->session_signals = g_signal_group_new (SP_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "console-output",
                                  G_CALLBACK (on_console_output), self);
  g_signal_group_connect_swapped (self->session_signals, "event",
                                  G_CALLBACK (on_session_event), self);
  g_signal_group_connect_swapped (self->session_signals, "recording-progress",
                                  G_CALLBACK (_sp_session_view_on_recording_progress), self);
  g_signal_group_connect_swapped (self->session_signals, "workload-finished",
                                  G_CALLBACK (_sp_session_view_on_workload_finished), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (on_session_state_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "live-profile",
                                  G_CALLBACK (_sp_session_view_on_live_profile), self);
  g_signal_group_connect_swapped (self->session_signals, "recording-cut-short",
                                  G_CALLBACK (_sp_session_view_on_cut_short), self);
  /* what Allocation (exact) would count is known after hello */
  g_signal_group_connect_swapped (self->session_signals, "notify::code-instrumented",
                                  G_CALLBACK (_sp_session_view_update_exact_page), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (_sp_session_view_update_exact_page), self);
}

/* The recording bar starts as Preferences says. */
static void
apply_record_defaults (SpSessionView *self)
{
  g_autoptr(GSettings) settings = sp_settings_new ();
  guint mode;

  if (settings == NULL)
    return;
  mode = sp_settings_get_choice (settings, "record-mode", sp_preferences_record_modes);
  /* the modes in Preferences: the sampler's three, then deterministic */
  if (g_str_equal (sp_preferences_record_modes[mode], "deterministic"))
    gtk_toggle_button_set_active (self->deterministic_button, TRUE);
  else
    gtk_drop_down_set_selected (self->sampler_dropdown, mode);
  gtk_spin_button_set_value (self->interval_spin, g_settings_get_double (settings, "record-interval"));
  gtk_spin_button_set_value (self->max_samples_spin, g_settings_get_int (settings, "record-max-samples"));
}

static void
sp_session_view_init (SpSessionView *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->cancellable = g_cancellable_new ();
  self->history = g_ptr_array_new_with_free_func (g_free);
  self->shown_state = (SpSessionState) -1;
  connect_session_signals (self);
  setup_names_completion (self);
  sp_tooltips_hide_under_popups (GTK_WIDGET (self->sampler_dropdown));
  sp_tooltips_hide_under_popups (GTK_WIDGET (self->package_dropdown));
  sp_tooltips_hide_under_popups (GTK_WIDGET (self->names_entry));
  gtk_drop_down_set_expression (self->package_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                             "string"));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_eval_key_pressed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->eval_entry), keys);

  apply_record_defaults (self);
  _sp_session_view_update_summary (self);
  _sp_session_view_update_controls (self);
}
