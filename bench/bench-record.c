/* bench-record.c: the cost of recording, measured against a real sbcl
 *
 * 1. Interrupt: how soon an endless loop stops (target ≤ 1 s).
 * 2. Overhead: the demo workload timed inside SBCL, alternately without and with a :cpu
 *    recording at 10 ms that streams its samples (a batch every second), in the same session;
 *    medians and their ratio (target ≤ 1.03).
 * 3. Transfer: :alloc recordings of about 100 k samples (the demo's, and deep stacks that are
 *    almost all distinct) drained in one batch at stop; the time from asking the agent to stop
 *    until the SpProfile exists, minus SBCL's own decoding of its sample buffers (target ≤ 0.3 s).
 *
 * Usage: bench-record [PAIRS]   (SP_LISP_DIR may point at the lisp folder)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "sp-session-private.h"

/* Wall and CPU seconds of one run, timed inside SBCL: "(values wall cpu)". */
#define TIMED_RUN "(flet ((now () (multiple-value-bind (s ns) (sb-unix::clock-gettime 1) (+ s (/ ns 1d9))))) " \
                  "(let ((start (now)) (cpu (get-internal-run-time))) " \
                  "(demo:run) " \
                  "(values (- (now) start) " \
                  "(/ (- (get-internal-run-time) cpu) (float internal-time-units-per-second 1d0)))))"

typedef struct
{
  double wall;
  double cpu;
} Timing;

static Timing
timed_run (SpSession *session)
{
  g_autofree char *text = eval_or_die (session, TIMED_RUN);
  g_auto(GStrv) values = g_strsplit (text, "\n", 2);
  Timing timing;

  timing.wall = g_ascii_strtod (values[0], NULL);
  timing.cpu = values[1] ? g_ascii_strtod (values[1], NULL) : 0;
  return timing;
}

static double
minimum (const double *values,
         guint         n)
{
  double least = values[0];

  for (guint i = 1; i < n; i++)
    least = MIN (least, values[i]);
  return least;
}

static void
print_comparison (const char *what,
                  double     *plain,
                  double     *recorded,
                  guint       n)
{
  double plain_min = minimum (plain, n), recorded_min = minimum (recorded, n);
  double plain_median = median (plain, n), recorded_median = median (recorded, n);

  printf ("  %-5s without %.3f s, with %.3f s (medians): ratio %.3f;"
          " best runs %.3f / %.3f s: ratio %.3f\n",
          what, plain_median, recorded_median, recorded_median / plain_median,
          plain_min, recorded_min, recorded_min / plain_min);
}

static void
bench_overhead (SpSession *session,
                guint      pairs)
{
  g_autofree double *plain_wall = g_new (double, pairs);
  g_autofree double *plain_cpu = g_new (double, pairs);
  g_autofree double *recorded_wall = g_new (double, pairs);
  g_autofree double *recorded_cpu = g_new (double, pairs);

  timed_run (session);   /* warm up */
  for (guint i = 0; i < pairs; i++)
    {
      /* Alternate which goes first, so that drift favours neither. */
      gboolean recorded_first = i % 2;
      Timing plain, recorded;

      if (!recorded_first)
        plain = timed_run (session);
      start_recording (session, SP_MODE_CPU, 0.01, 0);
      recorded = timed_run (session);
      stop_recording (session);
      if (recorded_first)
        plain = timed_run (session);
      plain_wall[i] = plain.wall;
      plain_cpu[i] = plain.cpu;
      recorded_wall[i] = recorded.wall;
      recorded_cpu[i] = recorded.cpu;
    }
  printf ("recording overhead, :cpu at 10 ms streaming a batch a second, demo workload, %u pairs"
          " (target ≤ 1.03):\n", pairs);
  print_comparison ("wall", plain_wall, recorded_wall, pairs);
  print_comparison ("cpu", plain_cpu, recorded_cpu, pairs);
}

typedef struct
{
  JsonObject *result;
  GError     *error;
  gboolean    done;
} StopReply;

static void
on_stop_reply (SpSession    *self,
               JsonObject   *result,
               JsonObject   *error_object,
               const GError *error,
               gpointer      user_data)
{
  StopReply *reply = user_data;

  reply->result = result ? json_object_ref (result) : NULL;
  reply->error = error ? g_error_copy (error) : NULL;
  reply->done = TRUE;
}

/* Three mutually recursive functions, each choosing the next at random, allocating 64 KB at
 * the bottom: almost every :alloc sample has its own stack, up to 40 frames deep. */
#define DEEP_DEFINITIONS \
  "(defvar *sink* nil)" \
  "(defun bench-a (n) (if (zerop n) (setf *sink* (make-list 4000)) (prog1 (bench-next n) (setf *sink* n))))" \
  "(defun bench-b (n) (if (zerop n) (setf *sink* (make-list 4000)) (prog1 (bench-next n) (setf *sink* n))))" \
  "(defun bench-c (n) (if (zerop n) (setf *sink* (make-list 4000)) (prog1 (bench-next n) (setf *sink* n))))" \
  "(defun bench-next (n) (case (random 3) (0 (bench-a (1- n))) (1 (bench-b (1- n))) (t (bench-c (1- n)))))"

static void
bench_transfer (SpSession  *session,
                const char *label,
                const char *workload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autofree char *text = NULL;
  StopReply reply = { NULL, NULL, FALSE };
  SpProfileMeta meta;
  gint64 start, replied, built;
  double decode, aggregate;
  JsonArray *batches;
  gint64 stacks = 0;
  guint frames = 0;
  gsize bytes = 0;

  /* nothing drained before the stop: the whole recording crosses at once, the worst case */
  start_recording_draining (session, SP_MODE_ALLOC, 0.01, 1000000, 3600);
  text = eval_or_die (session, workload);

  start = g_get_monotonic_time ();
  sp_session_request (session, "stop-recording", NULL, 300, on_stop_reply, &reply);
  while (!reply.done)
    g_main_context_iteration (NULL, TRUE);
  replied = g_get_monotonic_time ();
  check (reply.error, "stopping the recording");

  sp_profile_meta_init (&meta);
  meta.mode = SP_MODE_ALLOC;
  profile = sp_session_build_profile (reply.result, &meta, &error);
  built = g_get_monotonic_time ();
  check (error, "building the profile");

  decode = json_object_get_double_member (reply.result, "decode_seconds");
  aggregate = json_object_get_double_member (reply.result, "aggregate_seconds");
  batches = json_object_get_array_member (reply.result, "batches");
  for (guint i = 0; i < json_array_get_length (batches); i++)
    {
      JsonObject *batch = json_array_get_object_element (batches, i);

      stacks += json_object_get_int_member (batch, "stack_count");
      frames += json_array_get_length (json_object_get_array_member (batch, "frames"));
      bytes += strlen (json_object_get_string_member (batch, "stacks"));
    }
  printf ("agent → app transfer, %s: %" G_GINT64_FORMAT " samples (%" G_GINT64_FORMAT
          " stacks, %u frames, %zu bytes of stacks, %u batches):\n",
          label, json_object_get_int_member (reply.result, "samples"), stacks, frames, bytes,
          json_array_get_length (batches));
  printf ("  decoding SBCL's sample buffers %.3f s\n", decode);
  printf ("  aggregation in the agent       %.3f s\n", aggregate);
  printf ("  encode, send, parse            %.3f s\n",
          (replied - start) / 1e6 - decode - aggregate);
  printf ("  building the SpProfile         %.3f s\n", (built - replied) / 1e6);
  printf ("  total after SBCL's decoding    %.3f s   (target ≤ 0.3 s)\n",
          (built - start) / 1e6 - decode);
  printf ("  total, stop to profile         %.3f s\n", (built - start) / 1e6);
  json_object_unref (reply.result);
  sp_session_recording_finished (session);
}

typedef struct
{
  SpSession *session;
  gint64     sent;
} Interrupter;

static gboolean
on_interrupt_time (gpointer data)
{
  Interrupter *interrupter = data;

  interrupter->sent = g_get_monotonic_time ();
  sp_session_interrupt (interrupter->session);
  return G_SOURCE_REMOVE;
}

/* From the interrupt request to the reply of an endless loop (target: within 1 s). */
static void
bench_interrupt (SpSession *session)
{
  Interrupter interrupter = { session, 0 };
  double worst = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      sp_session_eval_async (session, "(loop (demo:fib 15))", "CL-USER", NULL, on_done, &result);
      g_timeout_add (200, on_interrupt_time, &interrupter);
      text = sp_session_eval_finish (session, wait_for (&result), NULL, &error);
      if (!g_error_matches (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INTERRUPTED))
        check (error ? error : g_error_new_literal (SP_SESSION_ERROR, 0, "not interrupted"),
               "interrupting a loop");
      worst = MAX (worst, (g_get_monotonic_time () - interrupter.sent) / 1e6);
    }
  printf ("interrupting an endless loop: %.3f s at worst of 5   (target ≤ 1 s)\n", worst);
}

int
main (int    argc,
      char **argv)
{
  guint pairs = argc > 1 ? (guint) MAX (1, atoi (argv[1])) : 7;
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *demo = g_build_filename (lisp_dir, "examples", "demo.lisp", NULL);
  const char *files[] = { demo, NULL };
  g_autoptr(SpSession) session = sp_session_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sp_session_set_load_files (session, files);
  sp_session_start_async (session, NULL, on_done, &result);
  sp_session_start_finish (session, wait_for (&result), &error);
  check (error, "starting SBCL");
  printf ("SBCL %s\n", sp_session_get_sbcl_version (session));

  bench_interrupt (session);
  bench_overhead (session, pairs);
  /* The demo conses ~640 MB a run: an :alloc sample per allocation region filled (~38 KB on
   * average) gives ~17 k a run. */
  bench_transfer (session, "demo workload", "(dotimes (i 6) (demo:run))");
  g_free (eval_or_die (session, DEEP_DEFINITIONS));
  bench_transfer (session, "deep distinct stacks", "(dotimes (i 50000) (bench-a (+ 10 (random 30))))");
  sp_session_quit (session);
  while (sp_session_get_state (session) != SP_SESSION_STATE_EXITED &&
         sp_session_get_state (session) != SP_SESSION_STATE_CRASHED)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
