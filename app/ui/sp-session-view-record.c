/* sp-session-view-record.c: the recording bar of a session's page
 *
 * Record starts the profiler with the chosen mode and, when there is one, the workload; the
 * button then becomes Stop, showing the time and samples so far.  A statistical recording is
 * shown live as it runs (the live-profile signal: its tab opens at once and follows the samples
 * so far); a deterministic one leaves as the view's profile-recorded signal once finished.
 */
#define G_LOG_DOMAIN "sp-session-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-format.h"
#include "sp-session-view-private.h"

/* the items of the sampler drop-down */
static const SpMode sampler_modes[] = { SP_MODE_CPU, SP_MODE_ALLOC, SP_MODE_TIME, SP_MODE_ALLOC_EXACT };

SpMode
_sp_session_view_get_mode (SpSessionView *self)
{
  guint sampler = gtk_drop_down_get_selected (self->sampler_dropdown);

  if (gtk_toggle_button_get_active (self->deterministic_button))
    return SP_MODE_DETERMINISTIC;
  return sampler_modes[MIN (sampler, G_N_ELEMENTS (sampler_modes) - 1)];
}

static char *
describe_runs (SpSessionView *self)
{
  guint warmup = gtk_spin_button_get_value_as_int (self->warmup_spin);
  guint runs = gtk_spin_button_get_value_as_int (self->runs_spin);
  g_autofree char *recorded = NULL;

  if (gtk_entry_get_text_length (self->workload_entry) == 0)
    return g_strdup (_("Records whatever the program does until Stop."));
  recorded = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Runs the workload once",
                                           "Runs the workload %u times", runs), runs);
  if (warmup == 0)
    return g_strconcat (recorded, ".", NULL);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s after %u warm-up run.",
                                       "%s after %u warm-up runs.", warmup), recorded, warmup);
}

static char *
describe_mode (SpSessionView *self)
{
  static const char *samplers[] = { N_("CPU time"), N_("allocation"), N_("wall-clock time") };
  guint sampler = gtk_drop_down_get_selected (self->sampler_dropdown);
  g_autofree char *max = NULL;

  if (gtk_toggle_button_get_active (self->deterministic_button))
    return g_strdup (_("Counts every call of the named functions."));
  if (_sp_session_view_is_alloc_exact (self))
    return g_strdup (_("Counts every allocation of instrumented code."));
  max = sp_format_count (gtk_spin_button_get_value (self->max_samples_spin));
  return g_strdup_printf (_("Samples %s every %g ms, up to %s samples."),
                          gettext (samplers[MIN (sampler, G_N_ELEMENTS (samplers) - 1)]),
                          gtk_spin_button_get_value (self->interval_spin), max);
}

void
_sp_session_view_update_summary (SpSessionView *self)
{
  gboolean has_workload = gtk_entry_get_text_length (self->workload_entry) > 0;
  g_autofree char *mode = NULL;
  g_autofree char *runs = NULL;
  g_autofree char *text = NULL;

  /* Runs are counted only when there is a workload to run. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->warmup_spin), has_workload);
  gtk_widget_set_sensitive (GTK_WIDGET (self->runs_spin), has_workload);
  if (self->record_state != SP_RECORD_IDLE)
    return;
  gtk_widget_remove_css_class (GTK_WIDGET (self->names_entry), "error");
  mode = describe_mode (self);
  runs = describe_runs (self);
  text = g_strconcat (mode, " ", runs,
                      gtk_check_button_get_active (self->heap_snapshot_check)
                      ? _(" Takes a heap snapshot before and after.") : "", NULL);
  _sp_session_view_set_status (self, text, FALSE);
}

void
_sp_session_view_on_mode_toggled (SpSessionView *self)
{
  gboolean deterministic = gtk_toggle_button_get_active (self->deterministic_button);
  gboolean sampling;

  gtk_widget_set_visible (GTK_WIDGET (self->sampler_dropdown), !deterministic);
  gtk_widget_set_visible (self->deterministic_page, deterministic);
  _sp_session_view_update_exact_page (self);
  /* the sampling options mean nothing to counting modes */
  sampling = !deterministic && !_sp_session_view_is_alloc_exact (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->interval_spin), sampling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->max_samples_spin), sampling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->all_threads_check), sampling);
  _sp_session_view_update_summary (self);
}

void
_sp_session_view_set_record_state (SpSessionView *self,
                  SpRecordState    state)
{
  gboolean was_recording = self->record_state != SP_RECORD_IDLE;

  self->record_state = state;
  if (was_recording != (state != SP_RECORD_IDLE))
    _sp_session_view_notify_recording (self);
  if (state == SP_RECORD_IDLE)
    {
      self->stop_when_started = FALSE;
      g_clear_pointer (&self->record_workload, g_free);
    }
  _sp_session_view_update_controls (self);
}

void
_sp_session_view_update_record_button (SpSessionView *self)
{
  GtkWidget *button = GTK_WIDGET (self->record_button);
  gboolean idle = self->record_state == SP_RECORD_IDLE;
  const char *label = _("_Record");

  if (self->record_state == SP_RECORD_STARTING)
    label = _("_Cancel");
  else if (self->record_state == SP_RECORD_RUNNING)
    label = _("_Stop");
  else if (self->record_state == SP_RECORD_STOPPING)
    label = _("_Stopping…");
  gtk_label_set_text_with_mnemonic (self->record_label, label);
  gtk_image_set_from_icon_name (self->record_icon,
                                idle ? "media-record-symbolic" : "media-playback-stop-symbolic");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), self->record_state == SP_RECORD_RUNNING);
  if (idle)
    {
      gtk_widget_remove_css_class (button, "destructive-action");
      gtk_widget_add_css_class (button, "suggested-action");
    }
  else
    {
      gtk_widget_remove_css_class (button, "suggested-action");
      gtk_widget_add_css_class (button, "destructive-action");
    }
  gtk_widget_set_sensitive (button, idle ? (self->session != NULL &&
                                            sp_session_get_state (self->session) == SP_SESSION_STATE_READY &&
                                            !self->evaluating)
                                         : TRUE);
}

/* Short, so that many tabs stay readable: the mode and the time; the tab's tooltip has the
 * workload. */
static char *
make_title (SpMode mode)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");

  /* Translators: a recording's tab title: its mode, then the time it ended (or, for a
   * recording shown live, began) */
  return g_strdup_printf (_("%s %s"), sp_format_mode (mode), time);
}

/* A finished profile: the live tab becomes it, or it opens a tab of its own. */
static void
emit_recorded (SpSessionView *self,
               SpProfile     *profile)
{
  g_autofree char *live_title = g_steal_pointer (&self->live_title);
  g_autofree char *title = NULL;

  if (live_title != NULL)
    {
      _sp_session_view_emit_live_profile (self, profile, live_title, TRUE);
      return;
    }
  title = make_title (sp_profile_get_meta (profile)->mode);
  _sp_session_view_emit_profile_recorded (self, profile, title);
}

static void
report_recorded (SpSessionView *self,
                 SpProfile     *profile)
{
  const SpProfileMeta *meta = sp_profile_get_meta (profile);
  g_autofree char *duration = sp_format_seconds (meta->duration);
  g_autofree char *text = NULL;
  gboolean partial = g_strcmp0 (meta->end_reason, "sbcl-exited") == 0;

  if (partial)
    text = g_strdup_printf (_("%s during the recording. The profile holds the samples received "
                              "until then."), meta->end_message);
  else if (self->workload_error != NULL)
    text = g_strdup_printf (_("The workload failed: %s. The profile covers what ran until then."),
                            self->workload_error);
  else if (meta->sample_count >= 0)
    {
      g_autofree char *samples = sp_format_count (meta->sample_count);

      text = g_strdup_printf (_("Recorded %s samples in %s."), samples, duration);
    }
  else
    text = g_strdup_printf (_("Recorded %s."), duration);
  _sp_session_view_set_record_state (self, SP_RECORD_IDLE);
  _sp_session_view_set_status (self, text, partial || self->workload_error != NULL);
  emit_recorded (self, profile);
}

void
_sp_session_view_on_live_profile (SpSessionView *self,
                                  SpProfile     *profile)
{
  if (self->live_title != NULL && self->record_state != SP_RECORD_IDLE)
    _sp_session_view_emit_live_profile (self, profile, self->live_title, FALSE);
}

/* SBCL died: what it sent is the recording (a stop waiting gets the same, and ignores it). */
void
_sp_session_view_on_cut_short (SpSessionView *self,
                               SpProfile     *profile)
{
  report_recorded (self, profile);
}

static gboolean
end_live_now (gpointer data)
{
  SpSessionView *self = data;
  g_autofree char *live_title = g_steal_pointer (&self->live_title);

  if (live_title != NULL)
    _sp_session_view_emit_live_profile (self, NULL, live_title, TRUE);
  return G_SOURCE_REMOVE;
}

void
_sp_session_view_end_live (SpSessionView *self)
{
  /* after recording-cut-short, which the session emits right after the state changes */
  if (self->live_title != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT, end_live_now, g_object_ref (self), g_object_unref);
}

static void
on_recording_stopped (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SpSessionView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;

  profile = sp_session_stop_recording_finish (SP_SESSION (source), result, &error);
  if (self->disposed || SP_SESSION (source) != self->session)   /* restarted meanwhile */
    return;
  if (profile != NULL && g_strcmp0 (sp_profile_get_meta (profile)->end_reason, "sbcl-exited") == 0)
    return;   /* shown already, as recording-cut-short */
  if (profile == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The recording failed: %s"), error->message);

      _sp_session_view_set_record_state (self, SP_RECORD_IDLE);
      _sp_session_view_set_status (self, text, TRUE);
      sp_session_console_append_error (self->console, text, NULL);
      end_live_now (self);
      return;
    }
  report_recorded (self, profile);
}

static void
stop_recording (SpSessionView *self)
{
  if (self->record_state != SP_RECORD_RUNNING)
    return;
  _sp_session_view_set_record_state (self, SP_RECORD_STOPPING);
  _sp_session_view_set_status (self, _("Collecting the profile…"), FALSE);
  sp_session_stop_recording_async (self->session, NULL, on_recording_stopped, g_object_ref (self));
}

static void
on_recording_started (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SpSessionView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_session_start_recording_finish (SP_SESSION (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (self->disposed || SP_SESSION (source) != self->session)
        return;
      text = g_strdup_printf (_("Could not start recording: %s"), error->message);
      _sp_session_view_set_record_state (self, SP_RECORD_IDLE);
      _sp_session_view_set_status (self, text, TRUE);
      return;
    }
  if (self->disposed || SP_SESSION (source) != self->session)
    return;
  _sp_session_view_set_record_state (self, SP_RECORD_RUNNING);
  gtk_label_set_text (self->progress_label, "0:00");
  if (_sp_session_view_get_mode (self) != SP_MODE_DETERMINISTIC && !_sp_session_view_is_alloc_exact (self))
    {
      /* a sampling recording's tab opens at once, and follows the samples so far */
      g_free (self->live_title);
      self->live_title = make_title (_sp_session_view_get_mode (self));
      _sp_session_view_emit_live_profile (self, NULL, self->live_title, FALSE);
    }
  _sp_session_view_set_status (self, self->record_workload != NULL ? _("Recording the workload…")
                                                  : _("Recording: press Stop when done."),
              FALSE);
  if (self->stop_when_started)
    stop_recording (self);
}

/* FALSE, with the reason in the status line, when the options are incomplete. */
static gboolean
read_record_options (SpSessionView   *self,
                     SpRecordOptions *options)
{
  g_autofree char *workload = _sp_session_view_dup_stripped_text (self->workload_entry);

  if (gtk_toggle_button_get_active (self->deterministic_button))
    {
      g_auto(GStrv) words = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->names_entry)),
                                            " \t,", -1);
      g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (0, g_free, TRUE);

      for (guint i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          g_ptr_array_add (names, g_strdup (words[i]));
      if (names->len == 0)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->names_entry), "error");
          _sp_session_view_set_status (self, _("Name the functions or packages to instrument."), TRUE);
          return FALSE;
        }
      options->mode = SP_MODE_DETERMINISTIC;
      options->names = (char **) g_ptr_array_steal (names, NULL);
    }
  else
    {
      options->mode = _sp_session_view_get_mode (self);
      options->interval = gtk_spin_button_get_value (self->interval_spin) / 1000.0;
      options->max_samples = gtk_spin_button_get_value_as_int (self->max_samples_spin);
      options->all_threads = gtk_check_button_get_active (self->all_threads_check);
    }
  options->heap_snapshot = gtk_check_button_get_active (self->heap_snapshot_check);
  if (*workload != '\0')
    {
      options->workload = g_steal_pointer (&workload);
      options->package = g_strdup (_sp_session_view_get_package (self));
      options->warmup_runs = gtk_spin_button_get_value_as_int (self->warmup_spin);
      options->runs = gtk_spin_button_get_value_as_int (self->runs_spin);
    }
  return TRUE;
}

static void
start_recording (SpSessionView *self)
{
  SpRecordOptions options;

  sp_record_options_init (&options);
  if (!read_record_options (self, &options))
    {
      sp_record_options_clear (&options);
      return;
    }
  g_clear_pointer (&self->workload_error, g_free);
  self->record_workload = g_strdup (options.workload);
  _sp_session_view_set_record_state (self, SP_RECORD_STARTING);
  _sp_session_view_set_status (self, options.workload != NULL && options.warmup_runs > 0
                    ? _("Warming up…") : _("Starting the profiler…"), FALSE);
  sp_session_start_recording_async (self->session, &options, NULL, on_recording_started,
                                    g_object_ref (self));
  sp_record_options_clear (&options);
}

void
_sp_session_view_on_record_clicked (SpSessionView *self)
{
  switch (self->record_state)
    {
    case SP_RECORD_IDLE:
      if (gtk_widget_get_sensitive (GTK_WIDGET (self->record_button)))
        start_recording (self);
      break;
    case SP_RECORD_STARTING:
      /* Warm-up runs are user code: interrupting them fails the start. */
      sp_session_interrupt (self->session);
      break;
    case SP_RECORD_RUNNING:
      stop_recording (self);
      break;
    case SP_RECORD_STOPPING:
      /* The workload has not unwound yet: interrupt it again. */
      sp_session_interrupt (self->session);
      break;
    default:
      break;
    }
}

void
_sp_session_view_on_recording_progress (SpSessionView *self,
                       double         elapsed,
                       gint64         samples)
{
  guint seconds = (guint) MAX (elapsed, 0);
  g_autofree char *text = NULL;

  if (self->record_state != SP_RECORD_RUNNING)
    return;
  if (samples >= 0 && gtk_toggle_button_get_active (self->statistical_button))
    {
      g_autofree char *count = sp_format_count (samples);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u:%02u · %s sample",
                                           "%u:%02u · %s samples", samples),
                              seconds / 60, seconds % 60, count);
    }
  else
    text = g_strdup_printf ("%u:%02u", seconds / 60, seconds % 60);
  gtk_label_set_text (self->progress_label, text);
}

void
_sp_session_view_on_workload_finished (SpSessionView *self,
                      const GError  *error)
{
  if (error != NULL && !g_error_matches (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INTERRUPTED))
    {
      g_free (self->workload_error);
      self->workload_error = g_strdup (error->message);
    }
  if (self->record_state == SP_RECORD_STARTING)
    self->stop_when_started = TRUE;
  else
    stop_recording (self);
}
