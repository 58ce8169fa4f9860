/* test-session.c: SpSession against a real sbcl running the agent and the demo workload */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sp-analysis.h"
#include "sp-session-test-util.h"

/* The session most tests share: started once, with the demo loaded. */
static SpSession *demo_session;

static char *
demo_path (void)
{
  return g_build_filename (g_getenv ("SP_LISP_DIR"), "examples", "demo.lisp", NULL);
}

static SpSession *
get_demo_session (void)
{
  if (demo_session == NULL)
    {
      g_autofree char *demo = demo_path ();
      const char *files[] = { demo, NULL };
      g_autoptr(GError) error = NULL;

      demo_session = sp_session_new (NULL);
      sp_session_set_load_files (demo_session, files);
      start_session (demo_session, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (sp_session_get_state (demo_session), ==, SP_SESSION_STATE_READY);
  return demo_session;
}

static void
wait_for_state (SpSession      *session,
                SpSessionState  state)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_SECONDS * G_USEC_PER_SEC;
  guint wake = g_timeout_add (100, on_wake, NULL);

  while (sp_session_get_state (session) != state)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("the session never reached state %d", state);
    }
  g_source_remove (wake);
}

/* Nothing keeps a finished session alive: no task, request or callback holds it. */
static void
assert_finalized (SpSession *session)
{
  gpointer weak = session;

  g_object_add_weak_pointer (G_OBJECT (session), &weak);
  /* Let idle callbacks of completed tasks run and drop their references. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (session);
  g_assert_null (weak);
}

/* The DEMO function other than RUN that comes first in the table sorted by sort. */
static const char *
top_demo_function (SpProfile  *profile,
                   SpMetric    metric,
                   SpFlatSort  sort)
{
  g_autoptr(GArray) rows = sp_profile_flat_table (profile, metric);

  sp_flat_table_sort (rows, profile, sort);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *name = sp_profile_get_frame (profile, g_array_index (rows, SpFlatRow, i).frame)->name;

      if (g_str_has_prefix (name, "DEMO:") && !g_str_equal (name, "DEMO:RUN"))
        return name;
    }
  return NULL;
}

static void
assert_counts_add_up (SpProfile *profile,
                      SpMetric   metric)
{
  g_autoptr(GArray) rows = sp_profile_flat_table (profile, metric);
  double self_sum = 0;

  for (guint i = 0; i < rows->len; i++)
    self_sum += g_array_index (rows, SpFlatRow, i).self;
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, metric), >, 0);
  g_assert_cmpfloat_with_epsilon (self_sum, sp_profile_get_grand_total (profile, metric),
                                  1e-6 * self_sum + 1e-9);
}

static void
assert_no_agent_frames (SpProfile *profile)
{
  for (guint i = 0; i < sp_profile_get_n_frames (profile); i++)
    g_assert_null (strstr (sp_profile_get_frame (profile, i)->name, "SBCL-PROFILER-AGENT"));
}

static SpProfile *
record_demo (SpMode      mode,
             const char *workload)
{
  g_autoptr(GError) error = NULL;
  SpRecordOptions options;
  SpProfile *profile;

  sp_record_options_init (&options);
  options.mode = mode;
  options.interval = mode == SP_MODE_TIME ? 0.005 : 0.002;
  options.workload = g_strdup (workload);
  profile = record (get_demo_session (), &options, &error);
  sp_record_options_clear (&options);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
  g_assert_cmpint (sp_profile_get_meta (profile)->mode, ==, mode);
  g_assert_cmpstr (sp_profile_get_meta (profile)->workload, ==, workload);
  g_assert_nonnull (sp_profile_get_meta (profile)->sbcl_version);
  g_assert_cmpfloat (sp_profile_get_meta (profile)->duration, >, 0);
  assert_no_agent_frames (profile);
  return profile;
}

/* ---- Tests ---- */

static void
test_start_and_eval (void)
{
  SpSession *session = get_demo_session ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *values = NULL;
  g_auto(GStrv) packages = NULL;

  g_assert_true (g_str_has_prefix (sp_session_get_sbcl_version (session), "2."));
  g_assert_cmpint (sp_session_get_pid (session), >, 0);

  values = eval (session, "(+ 1 2) (values 4 \"five\")", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (values, ==, "4\n\"five\"");
  g_clear_pointer (&values, g_free);

  /* A huge value comes back shortened, not as megabytes of text. */
  values = eval (session, "(make-list 1000000 :initial-element 12345)", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (values), <, 200000);
  g_assert_true (g_str_has_suffix (values, "...)"));
  g_clear_pointer (&values, g_free);

  sp_session_list_packages_async (session, NULL, on_done, &result);
  packages = sp_session_list_packages_finish (session, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) packages, "DEMO"));
  g_assert_true (g_strv_contains ((const char * const *) packages, "COMMON-LISP"));
}

static void
test_eval_error (void)
{
  SpSession *session = get_demo_session ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SpLispError) lisp_error = NULL;
  g_autofree char *values = NULL;
  g_autofree char *after = NULL;

  values = eval (session, "(car (identity 1))", &lisp_error, &error);
  g_assert_null (values);
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_LISP);
  g_assert_nonnull (lisp_error);
  g_assert_cmpstr (lisp_error->condition_type, ==, "TYPE-ERROR");
  g_assert_nonnull (strstr (lisp_error->message, "LIST"));
  g_assert_cmpuint (g_strv_length (lisp_error->backtrace), >, 0);
  g_clear_error (&error);

  after = eval (session, "(* 6 7)", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, "42");
}

static void
test_stack_exhaustion (void)
{
  SpSession *session = get_demo_session ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SpLispError) lisp_error = NULL;
  g_autofree char *values = NULL;
  g_autofree char *after = NULL;

  values = eval (session, "(labels ((f (n) (1+ (f n)))) (f 1))", &lisp_error, &error);
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_LISP);
  g_assert_nonnull (strstr (lisp_error->condition_type, "CONTROL-STACK-EXHAUSTED"));
  g_clear_error (&error);

  after = eval (session, "(demo:fib 10)", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, "55");
}

static void
on_interrupt_later (gpointer data)
{
  sp_session_interrupt (SP_SESSION (data));
}

static void
test_interrupt_endless_loop (void)
{
  SpSession *session = get_demo_session ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *values = NULL;
  g_autofree char *after = NULL;

  sp_session_eval_async (session, "(loop)", NULL, NULL, on_done, &result);
  g_timeout_add_once (300, on_interrupt_later, session);
  values = sp_session_eval_finish (session, wait_for (&result), NULL, &error);
  g_assert_null (values);
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INTERRUPTED);
  g_clear_error (&error);

  after = eval (session, ":still-here", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, ":STILL-HERE");
}

static void
on_event_seen (SpSession   *session,
               const char  *kind,
               const char  *message,
               SpLispError *lisp_error,
               GString     *seen)
{
  g_string_append_printf (seen, "%s: %s\n", kind, message);
}

static void
test_break_and_thread_errors (void)
{
  SpSession *session = get_demo_session ();
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *values = NULL;
  g_autofree char *thread_values = NULL;
  gulong id;

  id = g_signal_connect (session, "event", G_CALLBACK (on_event_seen), seen);
  values = eval (session, "(break \"stop ~A\" 1)", NULL, &error);
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_LISP);
  g_clear_error (&error);
  thread_values = eval (session,
                        "(values (sb-thread:join-thread (sb-thread:make-thread (lambda () (error \"oops in thread\")) :name \"mine\") :default :aborted))",
                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (thread_values, ==, ":ABORTED");
  g_signal_handler_disconnect (session, id);

  g_assert_nonnull (strstr (seen->str, "break: stop 1\n"));
  g_assert_nonnull (strstr (seen->str, "thread-error: oops in thread\n"));
}

static void
count_console (SpSession       *session,
               SpConsoleStream  stream,
               const char      *text,
               gsize           *bytes)
{
  if (stream == SP_CONSOLE_STDOUT)
    *bytes += strlen (text);
}

static void
collect_console (SpSession       *session,
                 SpConsoleStream  stream,
                 const char      *text,
                 GString         *all)
{
  g_string_append (all, text);
}

/* A program that prints 3 MB and exits at once: the window's rate drops most of it and says so
 * before the session ends, in the second it ends in; with no limit (the command line's) every
 * byte arrives. */
static void
test_output_dropped_at_exit (void)
{
  const char *form = "(progn (dotimes (i 30000) (write-line (make-string 99 :initial-element #\\x)))"
                     " (finish-output) (sb-ext:exit :code 0 :abort t))";

  for (guint limited = 0; limited < 2; limited++)
    {
      g_autoptr(SpSession) session = sp_session_new (NULL);
      g_autoptr(GString) all = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      guint64 dropped = 0;
      const char *note;

      if (!limited)
        sp_session_set_console_limit (session, 0);
      start_session (session, &error);
      g_assert_no_error (error);
      g_signal_connect (session, "console-output", G_CALLBACK (collect_console), all);
      sp_session_eval_async (session, form, "CL-USER", NULL, on_done, &result);
      wait_for_state (session, SP_SESSION_STATE_EXITED);
      note = strstr (all->str, "bytes of output dropped");
      if (!limited)
        {
          g_assert_null (note);
          g_assert_cmpuint (all->len, ==, 3000000);
          continue;
        }
      g_assert_nonnull (note);
      /* every "[… N bytes of output dropped …]" note taken out, what arrived and what was
       * dropped add up; the last note ends the output */
      g_assert_true (g_str_has_suffix (all->str, "bytes of output dropped …]\n"));
      while ((note = strstr (all->str, "\n[… ")) != NULL)
        {
          const char *end = strstr (note, "…]\n") + strlen ("…]\n");

          dropped += g_ascii_strtoull (note + strlen ("\n[… "), NULL, 10);
          g_string_erase (all, note - all->str, end - note);
        }
      g_assert_cmpuint (dropped, >, 0);
      g_assert_cmpuint (all->len + dropped, ==, 3000000);
    }
}

static void
test_megabytes_of_output (void)
{
  SpSession *session = get_demo_session ();
  g_autoptr(GError) error = NULL;
  g_autofree char *values = NULL;
  gsize bytes = 0;
  gulong id;

  id = g_signal_connect (session, "console-output", G_CALLBACK (count_console), &bytes);
  /* 5 MB on stdout: it all goes through the pipe, at most 1 MB a second reaches the signal. */
  values = eval (session,
                 "(dotimes (i 100000 :done) (write-line \"0123456789012345678901234567890123456789012345678\"))",
                 NULL, &error);
  g_signal_handler_disconnect (session, id);
  g_assert_no_error (error);
  g_assert_cmpstr (values, ==, ":DONE");
  g_assert_cmpuint (bytes, >, 0);
  g_assert_cmpuint (bytes, <=, 5000000);
}

static void
test_record_cpu (void)
{
  g_autoptr(SpProfile) profile = record_demo (SP_MODE_CPU, "(demo:run)");
  const SpProfileMeta *meta = sp_profile_get_meta (profile);

  g_assert_cmpstr (top_demo_function (profile, SP_METRIC_SAMPLES, SP_FLAT_SORT_TOTAL), ==, "DEMO:FIB");
  assert_counts_add_up (profile, SP_METRIC_SAMPLES);
  g_assert_cmpint (meta->sample_count, >=, (gint64) sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES));
  g_assert_cmpfloat (meta->gc_seconds, >=, 0);
  g_assert_cmpint (meta->bytes_consed, >, 0);
  g_assert_cmpint (meta->runs, ==, 1);
  g_assert_false (meta->truncated);
  /* Frames of the user's code know where they were defined. */
  {
    const SpFrame *fib = sp_profile_get_frame (profile, sp_profile_lookup_frame (profile, "DEMO:FIB"));

    g_assert_nonnull (fib->file);
    g_assert_true (g_str_has_suffix (fib->file, "demo.lisp"));
    g_assert_cmpuint (fib->line, >, 1);
  }
  /* Every function knows its package: an unqualified name is one of COMMON-LISP's. */
  for (guint32 f = 0; f < sp_profile_get_n_frames (profile); f++)
    {
      const SpFrame *frame = sp_profile_get_frame (profile, f);

      if (frame->kind == SP_FRAME_KIND_FUNCTION || frame->kind == SP_FRAME_KIND_METHOD)
        g_assert_nonnull (frame->package);
      if (g_str_equal (frame->name, "TRUNCATE"))
        g_assert_cmpstr (frame->package, ==, "COMMON-LISP");
    }
}

static void
test_record_alloc (void)
{
  g_autoptr(SpProfile) profile = record_demo (SP_MODE_ALLOC, "(demo:run)");

  g_assert_true (sp_profile_has_metric (profile, SP_METRIC_BYTES));
  g_assert_cmpstr (top_demo_function (profile, SP_METRIC_BYTES, SP_FLAT_SORT_TOTAL), ==, "DEMO:BUILD-LISTS");
  assert_counts_add_up (profile, SP_METRIC_SAMPLES);
  assert_counts_add_up (profile, SP_METRIC_BYTES);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_BYTES), <=,
                     (double) sp_profile_get_meta (profile)->bytes_consed);
}

static void
test_record_time_threads (void)
{
  g_autoptr(SpProfile) profile = record_demo (SP_MODE_TIME, "(demo:run)");
  gboolean background = FALSE, workload = FALSE;

  for (guint i = 0; i < sp_profile_get_n_frames (profile); i++)
    {
      const SpFrame *frame = sp_profile_get_frame (profile, i);

      if (frame->kind == SP_FRAME_KIND_THREAD)
        {
          background |= g_str_equal (frame->name, "demo background");
          workload |= g_str_equal (frame->name, "workload");
          /* The agent's own threads and the sampler are left out. */
          g_assert_cmpstr (frame->name, !=, "main thread");
          g_assert_cmpstr (frame->name, !=, "SPROF timer");
          g_assert_cmpstr (frame->name, !=, "finalizer");
        }
    }
  g_assert_true (background);
  g_assert_true (workload);
  g_assert_cmpuint (sp_profile_lookup_frame (profile, "DEMO:BACKGROUND-SUM"), !=, SP_NO_FRAME);
  /* Threads' stacks start at their own function, not at SBCL's thread trampoline. */
  g_assert_cmpuint (sp_profile_lookup_frame (profile, "SB-THREAD::RUN"), ==, SP_NO_FRAME);
  assert_counts_add_up (profile, SP_METRIC_SAMPLES);
}

static void
test_record_deterministic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  const char *names[] = { "DEMO", NULL };
  const SpFunctionStats *fib;
  SpRecordOptions options;

  sp_record_options_init (&options);
  options.mode = SP_MODE_DETERMINISTIC;
  options.names = g_strdupv ((char **) names);
  options.workload = g_strdup ("(demo:run 0.001)");
  options.warmup_runs = 1;
  options.runs = 2;
  profile = record (get_demo_session (), &options, &error);
  sp_record_options_clear (&options);
  g_assert_no_error (error);

  g_assert_cmpint (sp_profile_get_meta (profile)->runs, ==, 2);
  g_assert_cmpint (sp_profile_get_meta (profile)->warmup_runs, ==, 1);
  g_assert_cmpstr (top_demo_function (profile, SP_METRIC_SAMPLES, SP_FLAT_SORT_CALLS), ==, "DEMO:FIB");
  fib = sp_profile_find_function_stats (profile, sp_profile_lookup_frame (profile, "DEMO:FIB"));
  g_assert_nonnull (fib);
  /* (demo:run 0.001) computes (fib 23): 2 fib(24) - 1 = 92735 calls per run. */
  g_assert_cmpint (fib->total.calls, ==, 2 * 92735);
  g_assert_cmpuint (fib->n_runs, ==, 2);
  g_assert_cmpint (fib->runs[0].calls, ==, 92735);
  g_assert_cmpint (fib->runs[1].calls, ==, 92735);
  g_assert_cmpfloat (fib->total.seconds, >=, 0);
  /* figures of statistical profiles only: unknown here */
  g_assert_cmpfloat (fib->total.self_weight, <, 0);
  g_assert_cmpfloat (fib->runs[1].total_weight, <, 0);

  /* Instrumentation is gone afterwards: a plain call is not counted anywhere. */
  g_assert_cmpint (sp_session_get_state (get_demo_session ()), ==, SP_SESSION_STATE_READY);
}

static void
test_record_workload_error (void)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(SpProfile) profile = NULL;
  gulong id;

  id = g_signal_connect (get_demo_session (), "event", G_CALLBACK (on_event_seen), seen);
  profile = record_demo (SP_MODE_CPU, "(progn (demo:fib 25) (error \"workload broke\"))");
  g_signal_handler_disconnect (get_demo_session (), id);

  g_assert_nonnull (strstr (seen->str, "workload-error: workload broke\n"));
  g_assert_cmpint (sp_session_get_state (get_demo_session ()), ==, SP_SESSION_STATE_READY);
}

/* A recording whose stacks column is broken ends in a clear error, and the session lives on. */
static void
test_record_malformed_stacks (void)
{
  g_autoptr(SpSession) session = sp_session_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autofree char *values = NULL;
  SpRecordOptions options;

  start_session (session, &error);
  g_assert_no_error (error);
  values = eval (session,
                 "(defun sbcl-profiler-agent::batch-object (harvest index run t0 t1 gc-events)"
                 "  (declare (ignore harvest run gc-events))"
                 "  (sbcl-profiler-agent::obj \"batch\" index \"run\" :null \"t0\" t0 \"t1\" t1"
                 "    \"frames\" #() \"threads\" (list (sbcl-profiler-agent::obj \"id\" 0 \"name\" \"w\"))"
                 "    \"stacks\" \"AB!A\" \"stack_count\" 1 \"samples\" 1 \"kept_samples\" 1))",
                 NULL, &error);
  g_assert_no_error (error);

  /* samples to send, none of them before the stop reply */
  sp_record_options_init (&options);
  options.interval = 0.001;
  options.drain_interval = 3600;
  options.workload = g_strdup ("(let ((end (+ (get-internal-real-time) 300000))) "
                               "(loop while (< (get-internal-real-time) end)))");
  profile = record (session, &options, &error);
  sp_record_options_clear (&options);
  g_assert_null (profile);
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "no base-64 digit"));
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_READY);

  sp_session_quit (session);
  wait_for_state (session, SP_SESSION_STATE_EXITED);
}

static void
on_stop_after_samples (SpSession *session,
                       double     elapsed,
                       gint64     samples,
                       gpointer   data)
{
  if (samples >= 5 && sp_session_get_state (session) == SP_SESSION_STATE_RECORDING)
    {
      g_signal_handlers_disconnect_by_func (session, on_stop_after_samples, data);
      sp_session_stop_recording_async (session, NULL, on_done, data);
    }
}

/* The UI's way: start with a workload that never ends, press Stop. */
static void
test_stop_endless_workload (void)
{
  SpSession *session = get_demo_session ();
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) stopped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  SpRecordOptions options;

  sp_record_options_init (&options);
  options.workload = g_strdup ("(loop (demo:fib 20))");
  sp_session_start_recording_async (session, &options, NULL, on_done, &started);
  sp_record_options_clear (&options);
  g_assert_true (sp_session_start_recording_finish (session, wait_for (&started), &error));
  g_signal_connect (session, "recording-progress", G_CALLBACK (on_stop_after_samples), &stopped);

  profile = sp_session_stop_recording_finish (session, wait_for (&stopped), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sp_profile_lookup_frame (profile, "DEMO:FIB"), !=, SP_NO_FRAME);
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_READY);
}

static void
on_cancel_after_samples (SpSession    *session,
                         double        elapsed,
                         gint64        samples,
                         GCancellable *cancellable)
{
  if (samples >= 5)
    g_cancellable_cancel (cancellable);
}

/* record_async of an endless workload ends with a profile when its cancellable is cancelled,
 * or when someone presses Stop (both callers get the profile). */
static void
test_record_stopped_early (void)
{
  SpSession *session = get_demo_session ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) recorded = NULL;
  g_autoptr(GAsyncResult) stopped = NULL;
  g_autoptr(GAsyncResult) recorded_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(SpProfile) second = NULL;
  g_autoptr(SpProfile) stop_profile = NULL;
  SpRecordOptions options;
  gulong id;

  sp_record_options_init (&options);
  options.workload = g_strdup ("(loop (demo:fib 20))");

  id = g_signal_connect (session, "recording-progress", G_CALLBACK (on_cancel_after_samples),
                         cancellable);
  sp_session_record_async (session, &options, cancellable, on_done, &recorded);
  profile = sp_session_record_finish (session, wait_for (&recorded), &error);
  g_signal_handler_disconnect (session, id);
  g_assert_no_error (error);
  g_assert_cmpuint (sp_profile_lookup_frame (profile, "DEMO:FIB"), !=, SP_NO_FRAME);

  g_signal_connect (session, "recording-progress", G_CALLBACK (on_stop_after_samples), &stopped);
  sp_session_record_async (session, &options, NULL, on_done, &recorded_again);
  second = sp_session_record_finish (session, wait_for (&recorded_again), &error);
  g_assert_no_error (error);
  stop_profile = sp_session_stop_recording_finish (session, wait_for (&stopped), &error);
  g_assert_no_error (error);
  g_assert_true (second == stop_profile);
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_READY);
  sp_record_options_clear (&options);
}

/* Stop pressed at once: the workload's run may not even have begun in SBCL; it must not start
 * and run forever after the interrupt. */
static void
test_stop_right_after_start (void)
{
  SpSession *session = get_demo_session ();
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GAsyncResult) stopped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  SpRecordOptions options;

  sp_record_options_init (&options);
  options.workload = g_strdup ("(loop (demo:fib 22))");
  sp_session_start_recording_async (session, &options, NULL, on_done, &started);
  sp_record_options_clear (&options);
  g_assert_true (sp_session_start_recording_finish (session, wait_for (&started), &error));
  sp_session_stop_recording_async (session, NULL, on_done, &stopped);
  profile = sp_session_stop_recording_finish (session, wait_for (&stopped), &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_READY);
}

static void
on_kill_when_recording (SpSession  *session,
                        GParamSpec *pspec,
                        gpointer    data)
{
  if (sp_session_get_state (session) == SP_SESSION_STATE_RECORDING)
    kill (sp_session_get_pid (session), SIGKILL);
}

static void
test_child_killed_while_recording (void)
{
  g_autoptr(SpSession) session = sp_session_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  SpRecordOptions options;

  start_session (session, &error);
  g_assert_no_error (error);
  g_signal_connect (session, "notify::state", G_CALLBACK (on_kill_when_recording), NULL);

  sp_record_options_init (&options);
  options.workload = g_strdup ("(loop (sleep 0.01))");
  profile = record (session, &options, &error);
  sp_record_options_clear (&options);

  g_assert_null (profile);
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_EXITED);
  g_assert_nonnull (strstr (error->message, "signal 9"));
  wait_for_state (session, SP_SESSION_STATE_CRASHED);
  g_assert_nonnull (strstr (sp_session_get_state_reason (session), "signal 9"));
  assert_finalized (g_steal_pointer (&session));
}

static void
test_sbcl_not_found (void)
{
  g_autoptr(SpSession) session = sp_session_new ("/nonexistent/bin/sbcl");
  g_autoptr(GError) error = NULL;
  g_autofree char *values = NULL;

  g_assert_false (start_session (session, &error));
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_SBCL_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/bin/sbcl"));
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_CRASHED);
  g_clear_error (&error);

  values = eval (session, "(+ 1 2)", NULL, &error);
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_EXITED);
}

/* A fake sbcl: a shell script that says text on the channel, then waits. */
static char *
write_fake_sbcl (const char *channel_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sp-fake-sbcl-XXXXXX", &error);
  char *path;
  g_autofree char *script = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "sbcl", NULL);
  script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' '%s' >&3\nexec sleep 60\n", channel_text);
  g_file_set_contents (path, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static void
remove_fake_sbcl (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_reply_not_json (void)
{
  g_autofree char *fake = write_fake_sbcl ("this is not JSON");
  g_autoptr(SpSession) session = sp_session_new (fake);
  g_autoptr(GError) error = NULL;

  g_assert_false (start_session (session, &error));
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "this is not JSON"));
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_CRASHED);
  remove_fake_sbcl (fake);
}

static void
test_sbcl_without_sprof (void)
{
  g_autofree char *fake = write_fake_sbcl ("{\"event\":\"hello\",\"protocol\":1,\"sbcl_version\":\"1.0\",\"pid\":1,\"features\":[\"threads\"]}");
  g_autoptr(SpSession) session = sp_session_new (fake);
  g_autoptr(GError) error = NULL;

  g_assert_false (start_session (session, &error));
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "1.0"));
  wait_for_state (session, SP_SESSION_STATE_CRASHED);
  remove_fake_sbcl (fake);
}

/* A copy of the agent whose boot file asks for a contrib that does not exist, as an SBCL built
 * without sb-sprof would. */
static char *
make_agent_without_sprof (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sp-no-sprof-XXXXXX", &error);
  g_autofree char *agent = g_build_filename (dir, "agent", NULL);
  const char *files[] = { "boot.lisp", "package.lisp", "json.lisp", "agent.lisp", "record.lisp", "deterministic.lisp", NULL };

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (agent, 0755), ==, 0);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *from = g_build_filename (g_getenv ("SP_LISP_DIR"), "agent", files[i], NULL);
      g_autofree char *to = g_build_filename (agent, files[i], NULL);
      g_autofree char *text = NULL;
      g_autoptr(GString) edited = NULL;

      g_file_get_contents (from, &text, NULL, &error);
      g_assert_no_error (error);
      edited = g_string_new (text);
      g_string_replace (edited, "(require :sb-sprof)", "(require :sb-sprof-missing)", 0);
      g_file_set_contents (to, edited->str, -1, &error);
      g_assert_no_error (error);
    }
  return dir;
}

static void
test_sbcl_without_sprof_contrib (void)
{
  g_autofree char *real_dir = g_strdup (g_getenv ("SP_LISP_DIR"));
  g_autofree char *dir = make_agent_without_sprof ();
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(SpSession) session = sp_session_new (NULL);
  g_autoptr(GError) error = NULL;

  g_setenv ("SP_LISP_DIR", dir, TRUE);
  g_assert_false (start_session (session, &error));
  g_setenv ("SP_LISP_DIR", real_dir, TRUE);
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "cannot load sb-sprof"));
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_CRASHED);
  g_assert_cmpint (system (command), ==, 0);
}

/* Working folder, environment, extra arguments and an ASDF system, all from the configuration. */
static void
test_configured_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sp-session-XXXXXX", &error);
  g_autofree char *asd = g_build_filename (dir, "sp-test-system.asd", NULL);
  g_autofree char *lisp = g_build_filename (dir, "sp-test-system.lisp", NULL);
  g_autofree char *registry = g_strdup_printf ("CL_SOURCE_REGISTRY=%s//", dir);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
  const char *environment[] = { registry, "SP_TEST_VARIABLE=seen", NULL };
  const char *systems[] = { "sp-test-system", NULL };
  const char *extra_args[] = { "--dynamic-space-size", "700", NULL };
  g_autoptr(SpSession) session = sp_session_new (NULL);
  g_autofree char *values = NULL;
  g_autofree char *stdin_read = NULL;

  g_file_set_contents (asd, "(asdf:defsystem \"sp-test-system\" :components ((:file \"sp-test-system\")))", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (lisp, "(defpackage :sp-test-system (:use :cl) (:export #:answer))\n"
                             "(in-package :sp-test-system)\n(defun answer () 42)\n", -1, &error);
  g_assert_no_error (error);

  sp_session_set_working_dir (session, dir);
  sp_session_set_environment (session, environment);
  sp_session_set_systems (session, systems);
  sp_session_set_extra_args (session, extra_args);
  start_session (session, &error);
  g_assert_no_error (error);

  values = eval (session,
                 "(list (sp-test-system:answer) (sb-ext:posix-getenv \"SP_TEST_VARIABLE\")"
                 " (truncate (sb-ext:dynamic-space-size) (* 1024 1024))"
                 " (string-right-trim \"/\" (sb-unix:posix-getcwd)))",
                 NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *expected = g_strdup_printf ("(42 \"seen\" 700 \"%s\")", dir);

    g_assert_cmpstr (values, ==, expected);
  }
  /* Nothing to read on stdin: end of file at once. */
  stdin_read = eval (session, "(values (read-line *standard-input* nil :eof))", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stdin_read, ==, ":EOF");

  sp_session_quit (session);
  wait_for_state (session, SP_SESSION_STATE_EXITED);
  g_assert_cmpint (system (command), ==, 0);
  assert_finalized (g_steal_pointer (&session));
}

static void
on_exit_drop (SpSession   *session,
              GParamSpec  *pspec,
              SpSession  **slot)
{
  if (sp_session_get_state (session) == SP_SESSION_STATE_EXITED)
    g_clear_object (slot);
}

/* A state handler that drops the last reference to the session must not pull the rug out from
 * under the code that notified it. */
static void
test_handler_drops_session (void)
{
  SpSession *session = sp_session_new (NULL);
  gpointer weak = session;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  guint wake;

  start_session (session, &error);
  g_assert_no_error (error);
  g_object_add_weak_pointer (G_OBJECT (session), &weak);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_connect (session, "notify::state", G_CALLBACK (on_exit_drop), &session);
  sp_session_quit (session);

  deadline = g_get_monotonic_time () + WAIT_LIMIT_SECONDS * G_USEC_PER_SEC;
  wake = g_timeout_add (100, on_wake, NULL);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_null (session);
  g_assert_null (weak);
}

static void
test_quit (void)
{
  SpSession *session = get_demo_session ();

  sp_session_quit (session);
  wait_for_state (session, SP_SESSION_STATE_EXITED);
  g_clear_object (&demo_session);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sbcl = NULL;

  g_test_init (&argc, &argv, NULL);

  if ((sbcl = g_find_program_in_path ("sbcl")) == NULL)
    {
      g_test_skip ("sbcl is not installed");
      return g_test_run ();
    }

  g_test_add_func ("/session/start-and-eval", test_start_and_eval);
  g_test_add_func ("/session/output-dropped-at-exit", test_output_dropped_at_exit);
  g_test_add_func ("/session/eval-error", test_eval_error);
  g_test_add_func ("/session/stack-exhaustion", test_stack_exhaustion);
  g_test_add_func ("/session/interrupt-endless-loop", test_interrupt_endless_loop);
  g_test_add_func ("/session/break-and-thread-errors", test_break_and_thread_errors);
  g_test_add_func ("/session/megabytes-of-output", test_megabytes_of_output);
  g_test_add_func ("/session/record-cpu", test_record_cpu);
  g_test_add_func ("/session/record-alloc", test_record_alloc);
  g_test_add_func ("/session/record-time-threads", test_record_time_threads);
  g_test_add_func ("/session/record-deterministic", test_record_deterministic);
  g_test_add_func ("/session/record-workload-error", test_record_workload_error);
  g_test_add_func ("/session/record-malformed-stacks", test_record_malformed_stacks);
  g_test_add_func ("/session/stop-endless-workload", test_stop_endless_workload);
  g_test_add_func ("/session/record-stopped-early", test_record_stopped_early);
  g_test_add_func ("/session/stop-right-after-start", test_stop_right_after_start);
  g_test_add_func ("/session/quit", test_quit);
  g_test_add_func ("/session/configured-session", test_configured_session);
  g_test_add_func ("/session/handler-drops-session", test_handler_drops_session);
  g_test_add_func ("/session/child-killed-while-recording", test_child_killed_while_recording);
  g_test_add_func ("/session/sbcl-not-found", test_sbcl_not_found);
  g_test_add_func ("/session/reply-not-json", test_reply_not_json);
  g_test_add_func ("/session/sbcl-without-sprof", test_sbcl_without_sprof);
  g_test_add_func ("/session/sbcl-without-sprof-contrib", test_sbcl_without_sprof_contrib);

  return g_test_run ();
}
