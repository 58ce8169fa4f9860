/* sp-session-recording.c: recordings, from the warm-up runs to the finished SpProfile
 *
 * start: warm-up runs (or count 0: compile only) → "start-recording" → the recorded runs, in the background
 * stop:  interrupt the runs if they are still going → "stop-recording" → SpProfile
 *
 * A statistical recording streams: the agent sends its samples in batches while it records,
 * merged into an SpSampleStream, so that the profile so far can be shown live and is kept
 * when SBCL dies.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-session-private.h"

#define PROGRESS_INTERVAL_MS 250
#define LIVE_INTERVAL_MS     1000
#define DRAIN_INTERVAL       1.0     /* seconds between the agent's batches by default */
#define STOP_TIMEOUT         120.0   /* decoding a large recording takes SBCL a while */

static void send_stop (SpSession *self);

static const char *
mode_name (SpMode mode)
{
  switch (mode)
    {
    case SP_MODE_CPU: return "cpu";
    case SP_MODE_ALLOC: return "alloc";
    case SP_MODE_TIME: return "time";
    case SP_MODE_DETERMINISTIC: return "deterministic";
    case SP_MODE_ALLOC_EXACT: return "alloc-exact";
    case SP_MODE_IMPORTED:
    default: return NULL;
    }
}

/* Statistical modes sample with sb-sprof, and stream their samples. */
static gboolean
is_sampling (SpMode mode)
{
  return mode == SP_MODE_CPU || mode == SP_MODE_ALLOC || mode == SP_MODE_TIME;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
check_options (const SpRecordOptions *options,
               GError               **error)
{
  if (mode_name (options->mode) == NULL)
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID,
                   _("A recording’s mode must be cpu, alloc, time, deterministic or alloc-exact"));
      return FALSE;
    }
  if (options->mode == SP_MODE_DETERMINISTIC &&
      (options->names == NULL || options->names[0] == NULL))
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID,
                   _("A deterministic recording needs functions or packages to profile"));
      return FALSE;
    }
  if (options->workload != NULL && is_blank (options->workload))
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID, _("The workload is empty"));
      return FALSE;
    }
  if (options->workload == NULL && options->warmup_runs > 0)
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID,
                   _("Warm-up runs need a workload"));
      return FALSE;
    }
  return TRUE;
}

/* keep: the agent keeps the compiled workload for the next run (the recorded one), so that
 * its compilation happens before the recording starts. */
static JsonObject *
run_args (SpSession *self,
          guint      count,
          gboolean   per_run,
          gboolean   keep)
{
  JsonObject *args = json_object_new ();

  json_object_set_boolean_member (args, "keep", keep);

  json_object_set_string_member (args, "form", self->record_options.workload);
  json_object_set_string_member (args, "package",
                                 self->record_options.package ? self->record_options.package
                                                              : "CL-USER");
  json_object_set_int_member (args, "count", count);
  json_object_set_boolean_member (args, "per_run", per_run);
  return args;
}

static JsonObject *
start_args (const SpRecordOptions *options)
{
  JsonObject *args = json_object_new ();
  JsonArray *names = json_array_new ();

  json_object_set_string_member (args, "mode", mode_name (options->mode));
  json_object_set_double_member (args, "interval",
                                 options->interval > 0 ? options->interval : 0.01);
  json_object_set_int_member (args, "max_samples",
                              options->max_samples > 0 ? options->max_samples : 50000);
  json_object_set_boolean_member (args, "all_threads", options->all_threads);
  json_object_set_boolean_member (args, "heap_snapshot", options->heap_snapshot);
  json_object_set_boolean_member (args, "stream", is_sampling (options->mode));
  json_object_set_double_member (args, "drain_interval",
                                 options->drain_interval > 0 ? options->drain_interval
                                                             : DRAIN_INTERVAL);
  for (guint i = 0; options->names != NULL && options->names[i] != NULL; i++)
    json_array_add_string_element (names, options->names[i]);
  json_object_set_array_member (args, "names", names);
  return args;
}

/* ---- Progress ---- */

static void
on_progress (SpSession    *self,
             JsonObject   *result,
             JsonObject   *error_object,
             const GError *error,
             gpointer      user_data)
{
  self->progress_in_flight = FALSE;
  if (result == NULL || self->state != SP_SESSION_STATE_RECORDING ||
      !sp_session_json_bool (result, "recording"))
    return;
  sp_session_emit_progress (self, sp_session_json_number (result, "elapsed", 0),
                            sp_session_json_integer (result, "samples", -1));
}

static gboolean
on_progress_tick (gpointer data)
{
  SpSession *self = data;

  if (!self->progress_in_flight)
    {
      self->progress_in_flight = TRUE;
      sp_session_request (self, "progress", NULL, self->timeout, on_progress, NULL);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- Sample batches and the live profile ---- */

static void fill_known_meta (SpSession     *self,
                             SpProfileMeta *meta);

void
sp_session_recording_add_batch (SpSession  *self,
                                JsonObject *message)
{
  g_autoptr(GError) error = NULL;

  /* a batch of a recording already stopped or abandoned is no longer wanted */
  if (self->stream == NULL ||
      sp_session_json_number (message, "recording", -1) != self->recording_id)
    return;
  if (!sp_sample_stream_add_batch (self->stream, message, &error))
    sp_session_protocol_failure (self, error->message);
}

/* The profile so far: meta as the final one will have it, as far as it is known now. */
static SpProfile *
build_partial (SpSession  *self,
               const char *end_reason,
               const char *end_message)
{
  g_autoptr(SpProfileBuilder) builder = sp_profile_builder_new ();
  SpProfileMeta *meta = sp_profile_builder_get_meta (builder);

  sp_profile_meta_clear (meta);
  fill_known_meta (self, meta);
  meta->duration = (g_get_real_time () - self->record_start) / (double) G_USEC_PER_SEC;
  meta->sample_count = sp_sample_stream_get_samples (self->stream);
  if (meta->mode == SP_MODE_ALLOC)
    meta->interval = -1;
  meta->end_reason = g_strdup (end_reason);
  meta->end_message = g_strdup (end_message);
  sp_sample_stream_fill (self->stream, builder, 0, end_reason != NULL);
  return sp_profile_builder_end (g_steal_pointer (&builder));
}

SpProfile *
sp_session_get_live_profile (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);

  if (self->stream == NULL || self->state != SP_SESSION_STATE_RECORDING)
    return NULL;
  self->live_batches = sp_sample_stream_get_n_batches (self->stream);
  return build_partial (self, NULL, NULL);
}

static gboolean
on_live_tick (gpointer data)
{
  SpSession *self = data;
  g_autoptr(SpProfile) profile = NULL;

  if (self->stream == NULL || !sp_session_has_live_listener (self) ||
      sp_sample_stream_get_n_batches (self->stream) == self->live_batches)
    return G_SOURCE_CONTINUE;
  profile = sp_session_get_live_profile (self);
  if (profile != NULL)
    sp_session_emit_live_profile (self, profile);
  return G_SOURCE_CONTINUE;
}

/* ---- Start ---- */

static void
on_workload_done (SpSession    *self,
                  JsonObject   *result,
                  JsonObject   *error_object,
                  const GError *error,
                  gpointer      user_data)
{
  self->workload_running = FALSE;
  if (error_object != NULL && error->code == SP_SESSION_ERROR_LISP)
    {
      g_autoptr(SpLispError) lisp_error = NULL;

      g_error_free (sp_session_error_from_reply (error_object, &lisp_error));
      sp_session_emit_event (self, "workload-error", error->message, lisp_error);
    }
  sp_session_emit_workload_finished (self, error);
  if (self->stop_requested && self->stop_task != NULL)
    send_stop (self);
}

static void
on_profiler_started (SpSession    *self,
                     JsonObject   *result,
                     JsonObject   *error_object,
                     const GError *error,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JsonArray *warnings;

  if (error != NULL)
    {
      if (self->state == SP_SESSION_STATE_BUSY)
        sp_session_set_state (self, SP_SESSION_STATE_READY, NULL);
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  warnings = sp_session_json_array (result, "warnings");
  for (guint i = 0; warnings != NULL && i < json_array_get_length (warnings); i++)
    if (sp_session_json_array_string (warnings, i) != NULL)
      sp_session_emit_event (self, "warning", sp_session_json_array_string (warnings, i), NULL);

  self->record_start = g_get_real_time ();
  g_clear_pointer (&self->stream, sp_sample_stream_free);
  if (is_sampling (self->record_options.mode))
    {
      self->stream = sp_sample_stream_new ();
      self->recording_id = sp_session_json_integer (result, "recording", -1);
      self->live_batches = 0;
      self->live_id = g_timeout_add (LIVE_INTERVAL_MS, on_live_tick, self);
    }
  sp_session_set_state (self, SP_SESSION_STATE_RECORDING, NULL);
  self->progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, on_progress_tick, self);
  if (self->record_options.workload != NULL)
    {
      guint runs = MAX (self->record_options.runs, 1);
      /* each run's figures are kept apart, in every mode */
      gboolean per_run = runs > 1;

      self->workload_running = TRUE;
      sp_session_request (self, "run", run_args (self, runs, per_run, FALSE), 0, on_workload_done, NULL);
    }
  g_task_return_boolean (task, TRUE);
}

static void
start_profiler (SpSession *self,
                GTask     *task)
{
  sp_session_request (self, "start-recording", start_args (&self->record_options), self->timeout,
                      on_profiler_started, task);
}

static void
on_warmup_done (SpSession    *self,
                JsonObject   *result,
                JsonObject   *error_object,
                const GError *error,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  if (error != NULL)
    {
      if (self->state == SP_SESSION_STATE_BUSY)
        sp_session_set_state (self, SP_SESSION_STATE_READY, NULL);
      g_task_return_new_error (task, SP_SESSION_ERROR, error->code,
                               self->record_options.warmup_runs > 0
                               ? _("The warm-up run failed: %s")
                               : _("The workload cannot run: %s"), error->message);
      return;
    }
  start_profiler (self, g_steal_pointer (&task));
}

void
sp_session_start_recording_async (SpSession             *self,
                                  const SpRecordOptions *options,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SP_IS_SESSION (self));
  g_return_if_fail (options != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_session_start_recording_async);
  if (!check_options (options, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->state != SP_SESSION_STATE_READY)
    {
      g_task_return_new_error (task, SP_SESSION_ERROR, SP_SESSION_ERROR_BUSY,
                               _("The session cannot record now: it is not ready"));
      return;
    }
  sp_record_options_clear (&self->record_options);
  sp_record_options_copy (&self->record_options, options);
  self->stop_requested = FALSE;
  /* The warm-up runs, or a run of count 0 without them, compile the workload for the recorded
   * runs, so that its compilation is not recorded. */
  if (options->workload != NULL)
    {
      sp_session_set_state (self, SP_SESSION_STATE_BUSY, NULL);
      sp_session_request (self, "run", run_args (self, options->warmup_runs, FALSE, TRUE), 0,
                          on_warmup_done, g_steal_pointer (&task));
    }
  else
    start_profiler (self, g_steal_pointer (&task));
}

gboolean
sp_session_start_recording_finish (SpSession    *self,
                                   GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Stop ---- */

static void
fill_known_meta (SpSession     *self,
                 SpProfileMeta *meta)
{
  const SpRecordOptions *options = &self->record_options;

  sp_profile_meta_init (meta);
  meta->mode = options->mode;
  meta->interval = options->mode == SP_MODE_DETERMINISTIC ? -1 : options->interval;
  meta->sbcl_version = g_strdup (self->sbcl_version);
  meta->host = g_strdup (g_get_host_name ());
  meta->start_time = self->record_start;
  meta->workload = g_strdup (options->workload);
  meta->source = g_strdup ("record");
  meta->warmup_runs = (int) options->warmup_runs;
  meta->runs = options->workload != NULL ? (int) MAX (options->runs, 1) : -1;
}

void
sp_session_recording_finished (SpSession *self)
{
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->live_id, g_source_remove);
  if (self->state == SP_SESSION_STATE_RECORDING)
    sp_session_set_state (self, SP_SESSION_STATE_READY, NULL);
}

static void
return_profile (GTask        *task,
                SpProfile    *profile,
                const GError *error)
{
  if (profile != NULL)
    g_task_return_pointer (task, g_object_ref (profile), g_object_unref);
  else
    g_task_return_error (task, g_error_copy (error));
}

static void
on_stopped (SpSession    *self,
            JsonObject   *result,
            JsonObject   *error_object,
            const GError *error,
            gpointer      user_data)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);
  g_autoptr(GTask) follower = g_steal_pointer (&self->record_follower);
  g_autoptr(GError) build_error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(SpSampleStream) stream = g_steal_pointer (&self->stream);
  SpProfileMeta meta;

  sp_session_recording_finished (self);
  if (error == NULL)
    {
      fill_known_meta (self, &meta);
      profile = stream != NULL
                ? sp_session_build_stream_profile (stream, result, &meta, &build_error)
                : sp_session_build_profile (result, &meta, &build_error);
      sp_profile_meta_clear (&meta);
      error = build_error;
    }
  if (task != NULL)
    return_profile (task, profile, error);
  if (follower != NULL)
    return_profile (follower, profile, error);
}

static void
send_stop (SpSession *self)
{
  self->stop_requested = FALSE;
  sp_session_request (self, "stop-recording", NULL, MAX (STOP_TIMEOUT, self->timeout),
                      on_stopped, NULL);
}

void
sp_session_stop_recording_async (SpSession          *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SP_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_session_stop_recording_async);
  if (self->state != SP_SESSION_STATE_RECORDING || self->stop_task != NULL)
    {
      g_task_return_new_error (task, SP_SESSION_ERROR, SP_SESSION_ERROR_BUSY,
                               _("No recording is running"));
      return;
    }
  self->stop_task = g_steal_pointer (&task);
  if (self->workload_running)
    {
      /* The profile comes once the interrupted run has unwound. */
      self->stop_requested = TRUE;
      sp_session_interrupt (self);
    }
  else
    send_stop (self);
}

SpProfile *
sp_session_stop_recording_finish (SpSession    *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Record: start, wait for the workload, stop ---- */

static void
on_record_stopped (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SpProfile *profile;

  profile = sp_session_stop_recording_finish (SP_SESSION (source), result, &error);
  if (g_object_get_data (G_OBJECT (task), "sp-workload-refused") != NULL)
    {
      /* the workload was refused before it ran (a form that does not read): no profile */
      g_clear_object (&profile);
      g_task_return_error (task, g_error_copy (g_object_get_data (G_OBJECT (task),
                                                                  "sp-workload-refused")));
    }
  else if (profile == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

static void
on_record_workload_finished (SpSession    *self,
                             const GError *error,
                             GTask        *task)
{
  g_signal_handlers_disconnect_by_func (self, on_record_workload_finished, task);
  self->record_task = NULL;
  if (error != NULL && g_error_matches (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID))
    g_object_set_data_full (G_OBJECT (task), "sp-workload-refused", g_error_copy (error),
                            (GDestroyNotify) g_error_free);
  if (self->stop_task == NULL)
    sp_session_stop_recording_async (self, NULL, on_record_stopped, task);
  else
    self->record_follower = task;   /* stopped by someone else: share that stop's result */
}

static void
on_record_started (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SpSession *self = SP_SESSION (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_session_start_recording_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->record_task = task;
  g_signal_connect (self, "workload-finished", G_CALLBACK (on_record_workload_finished),
                    g_steal_pointer (&task));
}

typedef struct
{
  GCancellable *cancellable;
  gulong        id;
} SpRecordCancel;

static void
record_cancel_free (gpointer data)
{
  SpRecordCancel *cancel = data;

  g_cancellable_disconnect (cancel->cancellable, cancel->id);
  g_object_unref (cancel->cancellable);
  g_free (cancel);
}

static void
on_record_cancelled (GCancellable *cancellable,
                     SpSession    *self)
{
  sp_session_interrupt (self);
}

void
sp_session_record_async (SpSession             *self,
                         const SpRecordOptions *options,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SP_IS_SESSION (self));
  g_return_if_fail (options != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_session_record_async);
  if (options->workload == NULL)
    {
      g_task_return_new_error (task, SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID,
                               _("Recording needs a workload to run"));
      return;
    }
  /* Cancelling interrupts the workload; the profile of what ran is still the result. */
  g_task_set_check_cancellable (task, FALSE);
  if (cancellable != NULL)
    {
      SpRecordCancel *cancel = g_new0 (SpRecordCancel, 1);

      cancel->cancellable = g_object_ref (cancellable);
      cancel->id = g_cancellable_connect (cancellable, G_CALLBACK (on_record_cancelled), self,
                                          NULL);
      g_task_set_task_data (task, cancel, record_cancel_free);
    }
  sp_session_start_recording_async (self, options, NULL, on_record_started,
                                    g_steal_pointer (&task));
}

SpProfile *
sp_session_record_finish (SpSession    *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Every waiting recording task gets the partial profile when there is one, else the error. */
void
sp_session_recording_abort (SpSession    *self,
                            const GError *error)
{
  g_autoptr(GTask) stop_task = g_steal_pointer (&self->stop_task);
  g_autoptr(GTask) follower = g_steal_pointer (&self->record_follower);
  g_autoptr(GTask) record_task = g_steal_pointer (&self->record_task);
  g_autoptr(SpProfile) partial = NULL;

  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->live_id, g_source_remove);
  self->workload_running = FALSE;

  /* with no batch in yet there is nothing to keep: the error says what happened */
  if (self->stream != NULL && sp_sample_stream_get_n_batches (self->stream) > 0)
    partial = build_partial (self, "sbcl-exited", error->message);
  g_clear_pointer (&self->stream, sp_sample_stream_free);
  if (record_task != NULL)
    g_signal_handlers_disconnect_by_func (self, on_record_workload_finished, record_task);
  if (stop_task != NULL)
    return_profile (stop_task, partial, error);
  if (follower != NULL)
    return_profile (follower, partial, error);
  if (record_task != NULL)
    return_profile (record_task, partial, error);
  if (partial != NULL)
    sp_session_emit_cut_short (self, partial);
}
