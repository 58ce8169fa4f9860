/* test-session-stream.c: statistical recordings that stream their samples, on a real sbcl
 *
 * The order and time of samples (the timeline), per-run figures, recordings longer than the
 * sample limit, the live profile, what is kept when SBCL dies mid-recording, and every sample
 * of a synthetic source (lisp/tests/synthetic-samples.lisp) counted in its thread.
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "sp-analysis.h"
#include "sp-profile-io.h"
#include "sp-profile-time.h"
#include "sp-session.h"
#include "sp-session-test-util.h"

/* Two phases that only burn CPU, each in a function of its own. */
#define PHASES \
  "(defvar *counter* 0)" \
  "(defun burn (seconds) (let ((end (+ (get-internal-real-time) " \
  "  (round (* seconds internal-time-units-per-second))))) " \
  "  (loop while (< (get-internal-real-time) end) do (incf *counter*))))" \
  "(defun phase-a (seconds) (burn seconds) 'a)" \
  "(defun phase-b (seconds) (burn seconds) 'b)" \
  "(defvar *sink* nil)" \
  "(defun cons-for (seconds) (let ((end (+ (get-internal-real-time) " \
  "  (round (* seconds internal-time-units-per-second))))) " \
  "  (loop while (< (get-internal-real-time) end) do (setf *sink* (make-list 20000)))))" \
  "(defun deep (n) (if (zerop n) (burn 0.0005) (progn (deep (1- n)) (setf *counter* n))))"

static SpSession *shared_session;

static SpSession *
new_session (void)
{
  SpSession *session = sp_session_new (NULL);
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) evaluated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *values = NULL;

  sp_session_start_async (session, NULL, on_done, &started);
  sp_session_start_finish (session, wait_for (&started), &error);
  g_assert_no_error (error);
  sp_session_eval_async (session, PHASES, "CL-USER", NULL, on_done, &evaluated);
  values = sp_session_eval_finish (session, wait_for (&evaluated), NULL, &error);
  g_assert_no_error (error);
  return session;
}

static SpSession *
get_session (void)
{
  if (shared_session == NULL)
    shared_session = new_session ();
  g_assert_cmpint (sp_session_get_state (shared_session), ==, SP_SESSION_STATE_READY);
  return shared_session;
}

static SpProfile *
record_time (const char *workload,
            double      interval,
            double      drain_interval,
            gint64      max_samples,
            guint       runs)
{
  g_autoptr(GError) error = NULL;
  SpRecordOptions options;
  SpProfile *profile;

  sp_record_options_init (&options);
  options.mode = SP_MODE_TIME;   /* wall-clock samples: a busy machine still gives them */
  options.interval = interval;
  options.drain_interval = drain_interval;
  options.max_samples = max_samples;
  options.runs = runs;
  options.workload = g_strdup (workload);
  profile = record (get_session (), &options, &error);
  sp_record_options_clear (&options);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

/* Whether the stack of node holds the frame. */
static gboolean
stack_has_frame (SpProfile *profile,
                 guint32    node,
                 guint32    frame)
{
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);

  for (; node != SP_NO_NODE; node = parents[node])
    if (frames[node] == frame)
      return TRUE;
  return FALSE;
}

/* Phase A runs for the first second and phase B for the next: A's samples lie in the first
 * half of the timeline, B's in the second, and samples lie all along it. */
static void
test_timeline_phases (void)
{
  g_autoptr(SpProfile) profile = record_time ("(progn (phase-a 1.0) (phase-b 1.0))",
                                             0.005, 0.2, 0, 1);
  guint32 a = sp_profile_lookup_frame (profile, "COMMON-LISP-USER::PHASE-A");
  guint32 b = sp_profile_lookup_frame (profile, "COMMON-LISP-USER::PHASE-B");
  const SpTimelineSample *timeline;
  guint n;
  double first, last, middle;
  double a_before = 0, a_after = 0, b_before = 0, b_after = 0;

  g_assert_cmpuint (a, !=, SP_NO_FRAME);
  g_assert_cmpuint (b, !=, SP_NO_FRAME);
  timeline = sp_profile_get_timeline (profile, &n);
  g_assert_cmpuint (n, >, 2);
  g_assert_true (sp_profile_get_meta (profile)->timeline_estimated);
  first = timeline[0].time;
  last = timeline[n - 1].time;
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (timeline[i].time, >=, timeline[i - 1].time);
  g_assert_cmpfloat (last, <=, sp_profile_get_meta (profile)->duration);

  middle = (first + last) / 2;
  for (guint i = 0; i < n; i++)
    {
      gboolean before = timeline[i].time < middle;

      if (stack_has_frame (profile, timeline[i].node, a))
        *(before ? &a_before : &a_after) += timeline[i].weight;
      if (stack_has_frame (profile, timeline[i].node, b))
        *(before ? &b_before : &b_after) += timeline[i].weight;
    }
  g_test_message ("A: %g before the middle, %g after; B: %g before, %g after",
                  a_before, a_after, b_before, b_after);
  g_assert_cmpfloat (a_before, >, 0);
  g_assert_cmpfloat (b_after, >, 0);
  g_assert_cmpfloat (a_before, >=, 0.85 * (a_before + a_after));
  g_assert_cmpfloat (b_after, >=, 0.85 * (b_before + b_after));

  /* The program ran all along, so every quarter of the recording has its share of the samples,
   * though SBCL counts identical consecutive samples as one stack: those are spread over the
   * time they took, not put at one instant. */
  for (guint q = 0; q < 4; q++)
    {
      double from = first + (last - first) * q / 4, to = first + (last - first) * (q + 1) / 4;
      double in_quarter = 0, all = 0;

      for (guint i = 0; i < n; i++)
        {
          all += timeline[i].weight;
          if (timeline[i].time >= from && timeline[i].time < to)
            in_quarter += timeline[i].weight;
        }
      g_test_message ("quarter %u: %g of %g samples", q + 1, in_quarter, all);
      g_assert_cmpfloat (in_quarter, >=, 0.12 * all);
    }
}

/* The same recording cut to its first half, as the timeline's range or report --from/--to
 * cut it: phase A comes above phase B in the functions by total (their leaf, BURN, is the same);
 * and its speedscope export lists A's samples before B's. */
static void
test_timeline_range_and_export (void)
{
  g_autoptr(SpProfile) profile = record_time ("(progn (phase-a 1.0) (phase-b 1.0))",
                                             0.005, 0.2, 0, 1);
  guint32 a = sp_profile_lookup_frame (profile, "COMMON-LISP-USER::PHASE-A");
  guint32 b = sp_profile_lookup_frame (profile, "COMMON-LISP-USER::PHASE-B");
  g_autoptr(SpProfile) first_half = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  SpMetric metric = sp_profile_get_default_metric (profile);
  double start, end, total, a_total = 0, b_total = 0, a_sum = 0, b_sum = 0, a_early = 0;
  gint a_rank = -1, b_rank = -1;
  guint n_a = 0, n_b = 0, n_samples;
  JsonArray *samples;

  g_assert_true (sp_profile_get_time_span (profile, &start, &end));
  first_half = sp_profile_filter_time_range (profile, start, (start + end) / 2);
  rows = sp_profile_flat_table (first_half, metric);
  sp_flat_table_sort (rows, first_half, SP_FLAT_SORT_TOTAL);
  total = sp_profile_get_grand_total (first_half, metric);
  for (guint i = 0; i < rows->len; i++)
    {
      const SpFlatRow *row = &g_array_index (rows, SpFlatRow, i);

      if (row->frame == a)
        a_rank = i, a_total = row->total;
      if (row->frame == b)
        b_rank = i, b_total = row->total;
    }
  g_test_message ("first half: A %g (rank %d), B %g (rank %d) of %g", a_total, a_rank, b_total, b_rank, total);
  g_assert_cmpint (a_rank, >=, 0);
  g_assert_true (b_rank < 0 || a_rank < b_rank);
  g_assert_cmpfloat (a_total, >=, 0.85 * total);
  g_assert_cmpfloat (b_total, <=, 0.15 * total);

  g_assert_true (sp_profile_write (profile, out, SP_FILE_FORMAT_SPEEDSCOPE, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser,
                                             g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                                             &error));
  g_assert_no_error (error);
  samples = json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (
              json_node_get_object (json_parser_get_root (parser)), "profiles"), 0), "samples");
  n_samples = json_array_get_length (samples);
  for (guint i = 0; i < n_samples; i++)
    {
      JsonArray *stack = json_array_get_array_element (samples, i);

      for (guint d = 0; d < json_array_get_length (stack); d++)
        {
          gint64 frame = json_array_get_int_element (stack, d);

          if (frame == a)
            n_a++, a_sum += i, a_early += i < n_samples / 2;
          if (frame == b)
            n_b++, b_sum += i;
        }
    }
  g_test_message ("speedscope: %u samples of A at %g on average, %u of B at %g", n_a,
                  a_sum / MAX (n_a, 1), n_b, b_sum / MAX (n_b, 1));
  g_assert_cmpuint (n_a, >, 0);
  g_assert_cmpuint (n_b, >, 0);
  g_assert_cmpfloat (a_sum / n_a, <, b_sum / n_b);
  g_assert_cmpfloat (a_early, >=, 0.85 * n_a);
}

/* Five runs: each function's self and total samples per run, a recursive function counted
 * once per stack, and a summary per run. */
static void
test_per_run_figures (void)
{
  g_autoptr(SpProfile) profile = record_time ("(progn (phase-a 0.1) (deep 20))", 0.002, 1.0,
                                             0, 5);
  guint32 a = sp_profile_lookup_frame (profile, "COMMON-LISP-USER::PHASE-A");
  guint32 deep = sp_profile_lookup_frame (profile, "COMMON-LISP-USER::DEEP");
  const SpFunctionStats *a_stats = sp_profile_find_function_stats (profile, a);
  const SpFunctionStats *deep_stats = sp_profile_find_function_stats (profile, deep);
  const SpRunSummary *summaries;
  guint n_runs;
  double a_sum = 0, samples = 0;

  g_assert_nonnull (a_stats);
  g_assert_nonnull (deep_stats);
  g_assert_cmpuint (a_stats->n_runs, ==, 5);
  summaries = sp_profile_get_run_summaries (profile, &n_runs);
  g_assert_cmpuint (n_runs, ==, 5);
  for (guint r = 0; r < 5; r++)
    {
      g_assert_cmpfloat (a_stats->runs[r].total_weight, >, 0);
      g_assert_cmpfloat (a_stats->runs[r].self_weight, <=, a_stats->runs[r].total_weight);
      g_assert_cmpint (a_stats->runs[r].calls, <, 0);   /* unknown for sampling */
      /* DEEP is on its stacks twenty times over, yet no run counts it past its samples */
      g_assert_cmpfloat (deep_stats->runs[r].total_weight, <=, summaries[r].samples);
      g_assert_cmpfloat (summaries[r].seconds, >=, 0.1);
      a_sum += a_stats->runs[r].total_weight;
      samples += summaries[r].samples;
    }
  g_assert_cmpfloat (a_stats->total.total_weight, ==, a_sum);
  g_assert_cmpfloat (samples, <=, sp_profile_get_meta (profile)->sample_count);
  g_assert_cmpfloat (deep_stats->total.total_weight, <=,
                     sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES));
}

/* A streaming recording drains the buffers before the limit is reached: nothing is dropped.
 * Wall-clock samples, so that a busy machine still gives them. */
static void
test_past_the_sample_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  const SpProfileMeta *meta;
  SpRecordOptions options;

  sp_record_options_init (&options);
  options.mode = SP_MODE_TIME;
  options.interval = 0.005;
  options.drain_interval = 0.1;
  options.max_samples = 100;
  options.workload = g_strdup ("(phase-a 1.5)");
  profile = record (get_session (), &options, &error);
  sp_record_options_clear (&options);
  g_assert_no_error (error);
  meta = sp_profile_get_meta (profile);
  g_test_message ("%" G_GINT64_FORMAT " samples with a limit of 100", meta->sample_count);
  g_assert_false (meta->truncated);
  g_assert_null (meta->end_reason);
  g_assert_cmpint (meta->sample_count, >, 100);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES), >, 100);
}

typedef struct
{
  guint      live;
  guint      live_collections;
  gint64     live_samples;
  SpProfile *cut_short;
  gboolean   kill_on_live;
} Watch;

static void
on_live_profile (SpSession *session,
                 SpProfile *profile,
                 Watch     *watch)
{
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_RECORDING);
  watch->live++;
  watch->live_samples = (gint64) sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES);
  sp_profile_get_gc_events (profile, &watch->live_collections);
  if (watch->kill_on_live && watch->live_samples > 0)
    {
      watch->kill_on_live = FALSE;
      kill (sp_session_get_pid (session), SIGKILL);
    }
}

static void
on_cut_short (SpSession *session,
              SpProfile *profile,
              Watch     *watch)
{
  g_set_object (&watch->cut_short, profile);
}

/* The live profile comes about once a second while recording, and grows; the collections so
 * far come with it (in the streamed batches), and the final profile has every one once. */
static void
test_live_profile (void)
{
  Watch watch = { 0 };
  gulong id = g_signal_connect (get_session (), "live-profile", G_CALLBACK (on_live_profile),
                                &watch);
  g_autoptr(SpProfile) profile = record_time ("(cons-for 2.6)", 0.005, 0.5, 0, 1);
  const SpGcEvent *events;
  guint n_events;

  g_signal_handler_disconnect (get_session (), id);
  g_assert_cmpuint (watch.live, >=, 2);
  g_assert_cmpint (watch.live_samples, >, 0);
  g_assert_cmpuint (watch.live_collections, >, 0);
  events = sp_profile_get_gc_events (profile, &n_events);
  g_assert_cmpuint (n_events, >=, watch.live_collections);
  for (guint i = 1; i < n_events; i++)
    g_assert_cmpfloat (events[i].time, >, events[i - 1].time);
  g_assert_cmpfloat (watch.live_samples, <=, sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES));
}

/* SBCL killed mid-recording: the samples it sent are kept, marked partial with the reason. */
static void
test_killed_mid_recording (void)
{
  g_autoptr(SpSession) session = new_session ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  Watch watch = { .kill_on_live = TRUE };
  SpRecordOptions options;
  const SpProfileMeta *meta;

  g_signal_connect (session, "live-profile", G_CALLBACK (on_live_profile), &watch);
  g_signal_connect (session, "recording-cut-short", G_CALLBACK (on_cut_short), &watch);
  sp_record_options_init (&options);
  options.mode = SP_MODE_TIME;
  options.interval = 0.005;
  options.drain_interval = 0.2;
  options.workload = g_strdup ("(loop (phase-a 0.1))");
  profile = record (session, &options, &error);
  sp_record_options_clear (&options);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  meta = sp_profile_get_meta (profile);
  g_assert_cmpstr (meta->end_reason, ==, "sbcl-exited");
  g_assert_nonnull (strstr (meta->end_message, "signal 9"));
  g_assert_cmpint (meta->sample_count, >=, watch.live_samples);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES), >=, watch.live_samples);
  g_assert_cmpuint (sp_profile_lookup_frame (profile, "COMMON-LISP-USER::PHASE-A"), !=, SP_NO_FRAME);
  g_assert_true (watch.cut_short == profile);
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_CRASHED);
  g_clear_object (&watch.cut_short);
}

/* The profile's samples under the root of the thread named name. */
static double
thread_samples (SpProfile  *profile,
                const char *name)
{
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const double *totals = sp_profile_get_total_weights (profile, SP_METRIC_SAMPLES);
  double samples = -1;

  for (guint i = 0; i < sp_profile_get_n_nodes (profile); i++)
    {
      const SpFrame *frame = sp_profile_get_frame (profile, frames[i]);

      if (parents[i] == SP_NO_NODE && frame->kind == SP_FRAME_KIND_THREAD &&
          g_str_equal (frame->name, name))
        samples = MAX (samples, 0) + totals[i];
    }
  return samples;
}

static gint64
eval_integer (SpSession  *session,
              const char *form)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *values = eval (session, form, NULL, &error);

  g_assert_no_error (error);
  return g_ascii_strtoll (values, NULL, 10);
}

/* 200 000 samples of a synthetic source in two threads, as SBCL's buffers would hold them:
 * they are streamed before Stop, and every one is in the profile, in its thread, and in a
 * timeline that stays compact (not an entry a sample). */
static void
test_synthetic_samples (void)
{
  SpSession *session = get_session ();
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *file = g_build_filename (lisp_dir, "tests", "synthetic-samples.lisp", NULL);
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) stopped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  Watch watch = { 0 };
  SpRecordOptions options;
  const SpTimelineSample *timeline;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  double in_timeline = 0;
  guint n;
  gulong id;

  sp_session_load_async (session, file, FALSE, NULL, on_done, &loaded);
  g_assert_true (sp_session_load_finish (session, wait_for (&loaded), NULL, &error));
  g_assert_no_error (error);
  id = g_signal_connect (session, "live-profile", G_CALLBACK (on_live_profile), &watch);
  sp_record_options_init (&options);
  options.mode = SP_MODE_CPU;
  options.all_threads = FALSE;   /* the idle worker only: the samples are the source's */
  options.drain_interval = 0.2;
  sp_session_start_recording_async (session, &options, NULL, on_done, &started);
  g_assert_true (sp_session_start_recording_finish (session, wait_for (&started), &error));
  g_assert_no_error (error);
  g_assert_cmpint (eval_integer (session, "(synthetic-samples:arm :total 200000 :seconds 1"
                                          " :threads 2 :stacks 500 :switch 1)"), ==, 200000);
  while (watch.live_samples < 200000)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (eval_integer (session, "(synthetic-samples:produced)"), ==, 200000);

  sp_session_stop_recording_async (session, NULL, on_done, &stopped);
  profile = sp_session_stop_recording_finish (session, wait_for (&stopped), &error);
  g_assert_no_error (error);
  g_signal_handler_disconnect (session, id);
  g_assert_cmpfloat (thread_samples (profile, "synthetic 0"), ==,
                     eval_integer (session, "(second (first (synthetic-samples:thread-produced)))"));
  g_assert_cmpfloat (thread_samples (profile, "synthetic 1"), ==,
                     eval_integer (session, "(second (second (synthetic-samples:thread-produced)))"));
  g_assert_cmpfloat (thread_samples (profile, "synthetic 0") + thread_samples (profile, "synthetic 1"),
                     ==, 200000);
  g_assert_cmpint (sp_profile_get_meta (profile)->sample_count, >=, 200000);
  g_assert_false (sp_profile_get_meta (profile)->truncated);

  timeline = sp_profile_get_timeline (profile, &n);
  for (guint i = 0; i < n; i++)
    {
      in_timeline += timeline[i].weight;
      g_assert_cmpfloat (timeline[i].time, <=, sp_profile_get_meta (profile)->duration);
    }
  g_test_message ("%u timeline entries for %g samples", n, in_timeline);
  g_assert_cmpfloat (fabs (in_timeline - sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES)), <, 1e-6);
  g_assert_cmpuint (n, <, 200000 / 4);
  g_assert_cmpint (eval_integer (session, "(if (synthetic-samples:disarm) 1 0)"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stream/timeline-phases", test_timeline_phases);
  g_test_add_func ("/stream/timeline-range-and-export", test_timeline_range_and_export);
  g_test_add_func ("/stream/per-run-figures", test_per_run_figures);
  g_test_add_func ("/stream/past-the-sample-limit", test_past_the_sample_limit);
  g_test_add_func ("/stream/live-profile", test_live_profile);
  g_test_add_func ("/stream/killed-mid-recording", test_killed_mid_recording);
  g_test_add_func ("/stream/synthetic-samples", test_synthetic_samples);
  status = g_test_run ();
  if (shared_session != NULL)
    {
      sp_session_quit (shared_session);
      g_clear_object (&shared_session);
    }
  return status;
}
