/* bench-samples.c: 10 million samples from the agent to the app, against a real sbcl
 *
 * sb-sprof on a small machine cannot take 10 M samples in a reasonable time, so the session
 * loads lisp/tests/synthetic-samples.lisp, whose generator adds samples at each of the agent's
 * drains (4 sleeping threads, stacks 20 to 80 deep of real functions of the image, 500 000 a
 * second): everything after the drain is the real path.  A streaming :cpu recording runs, the
 * main loop handling the batches as the app does (a live tab holds the profile so far), until
 * all but the last second or so of samples are handed over; then Stop → profile in hand is
 * timed (target ≤ 2 s), the final drain taking those last samples, a full batch, as when a
 * user stops.  Also: the agent's resident memory and dynamic space at 1 M samples and near the
 * end (after a full GC in the drain that reaches them), its peak, the app's peak, the app's
 * CPU, and the samples per second of the whole pipeline.  Every sample produced must be in
 * the profile, in its thread.
 *
 * A thread's sample is of a newly chosen stack with the chance SWITCH (default 1/8), else of
 * its last one, as a program stays in a loop for a while; each is still a trace of its own
 * (multiplicity 1 but for one in 20).  SWITCH 1 is the worst case: no two consecutive samples
 * alike.
 *
 * Usage: bench-samples [SAMPLES [SWITCH]]   (SP_LISP_DIR may point at the lisp folder)
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-cpu.h"
#include "bench-util.h"

#define SECONDS   20     /* the generator spreads its samples over this long */
#define N_THREADS 4

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
fail (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "bench-samples: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  exit (1);
}

/* Kilobytes of a /proc status line (VmRSS:, VmHWM:) of process pid (0: this one). */
static double
status_kb (GPid        pid,
           const char *key)
{
  g_autofree char *path = pid > 0 ? g_strdup_printf ("/proc/%d/status", pid)
                                  : g_strdup ("/proc/self/status");
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, key)) == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (key), NULL);
}

/* The integers a form prints (a list of them comes as "(1 2 3)"), n at most. */
static guint
eval_integers (SpSession  *session,
               const char *form,
               gint64     *values,
               guint       n)
{
  g_autofree char *text = eval_or_die (session, form);
  char *p = text;
  guint i = 0;

  while (i < n && *p != '\0')
    {
      char *end;
      gint64 value = g_ascii_strtoll (p, &end, 10);

      if (end == p)
        p++;
      else
        {
          values[i++] = value;
          p = end;
        }
    }
  return i;
}

static void
on_live_profile (SpSession  *session,
                 SpProfile  *profile,
                 SpProfile **held)
{
  g_set_object (held, profile);
}

static void
load_synthetic_source (SpSession *session)
{
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *file = g_build_filename (lisp_dir, "tests", "synthetic-samples.lisp", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sp_session_load_async (session, file, FALSE, NULL, on_done, &result);
  sp_session_load_finish (session, wait_for (&result), NULL, &error);
  check (error, "loading synthetic-samples.lisp");
}

/* Runs the main loop until the generator has handed over at least count samples. */
static void
run_until_produced (SpSession *session,
                    gint64     count)
{
  gint64 produced = 0;
  guint wake = g_timeout_add (50, on_wake, NULL);

  while (produced < count)
    {
      gint64 next = g_get_monotonic_time () + 100000;

      while (g_get_monotonic_time () < next)
        g_main_context_iteration (NULL, TRUE);
      eval_integers (session, "(synthetic-samples:produced)", &produced, 1);
    }
  g_source_remove (wake);
}

/* A streaming :cpu recording in which only the worker is sampled for real (it idles): the
 * samples are the generator's. */
static void
start_cpu_recording (SpSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SpRecordOptions options;

  sp_record_options_init (&options);
  options.mode = SP_MODE_CPU;
  options.interval = 0.01;
  options.all_threads = FALSE;
  sp_session_start_recording_async (session, &options, NULL, on_done, &result);
  sp_session_start_recording_finish (session, wait_for (&result), &error);
  check (error, "starting a recording");
}

/* Every thread's samples in the profile must be those the generator gave it. */
static void
check_threads (SpSession *session,
               SpProfile *profile,
               gint64     total)
{
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const double *totals = sp_profile_get_total_weights (profile, SP_METRIC_SAMPLES);
  gint64 produced[N_THREADS], sum = 0;

  if (eval_integers (session, "(mapcar #'second (synthetic-samples:thread-produced))",
                     produced, N_THREADS) != N_THREADS)
    fail ("the synthetic source's counts per thread are missing");
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_autofree char *name = g_strdup_printf ("synthetic %u", t);
      double in_profile = 0;

      for (guint i = 0; i < sp_profile_get_n_nodes (profile); i++)
        if (parents[i] == SP_NO_NODE && g_str_equal (sp_profile_get_frame (profile, frames[i])->name, name))
          in_profile += totals[i];
      if (in_profile != produced[t])
        fail ("%s: %.0f samples in the profile, %lld produced", name, in_profile,
              (long long) produced[t]);
      sum += produced[t];
    }
  if (sum != total)
    fail ("%lld samples produced of %lld", (long long) sum, (long long) total);
}

static void
print_marks (SpSession *session)
{
  gint64 marks[8];
  guint n = eval_integers (session, "(synthetic-samples:memory-marks)", marks, 8);

  for (guint i = 0; i + 3 < n; i += 4)
    printf ("  agent at %5.1f M samples: resident %.0f MB (peak so far %.0f MB),"
            " dynamic space in use %.1f MB\n",
            marks[i] / 1e6, marks[i + 2] / 1024.0, marks[i + 3] / 1024.0, marks[i + 1] / 1048576.0);
}

int
main (int    argc,
      char **argv)
{
  gint64 total = argc > 1 ? g_ascii_strtoll (argv[1], NULL, 10) : 10000000;
  double switch_chance = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 0.125;
  g_autoptr(SpSession) session = sp_session_new (NULL);
  g_autoptr(SpProfile) live = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *arm = NULL;
  /* a drain takes a second's samples or more: past this, the next one may take the rest */
  gint64 near_end = total - total * 3 / (2 * SECONDS);
  gint64 start, stopped, released;
  double stop_seconds, seconds, cpu;
  GPid pid;

  start_session (session, &error);
  check (error, "starting SBCL");
  pid = sp_session_get_pid (session);
  load_synthetic_source (session);
  g_signal_connect (session, "live-profile", G_CALLBACK (on_live_profile), &live);
  start_cpu_recording (session);
  arm = g_strdup_printf ("(synthetic-samples:arm :total %lld :seconds %d :threads %d :switch %g"
                         " :marks '(%lld %lld))", (long long) total, SECONDS, N_THREADS,
                         switch_chance, (long long) total / 10, (long long) near_end);
  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  g_free (eval_or_die (session, arm));
  /* Stop comes with the last samples still in SBCL, as when a user stops: the final drain
   * takes them (a full batch), and the stop reply carries them */
  run_until_produced (session, near_end);
  eval_integers (session, "(prog1 (synthetic-samples:produced) (synthetic-samples:release-rest))",
                 &released, 1);
  stopped = g_get_monotonic_time ();
  profile = stop_and_collect (session);
  stop_seconds = (g_get_monotonic_time () - stopped) / 1e6;
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds () - cpu;

  check_threads (session, profile, total);
  printf ("%lld samples (%d threads, stacks 20–80 deep, another stack at a sample's chance %g)"
          " at %.0f a second, streamed in 1 s batches; %u nodes, %.0f samples in the profile,"
          " all in their threads:\n", (long long) total, N_THREADS, switch_chance,
          total / (double) SECONDS, sp_profile_get_n_nodes (profile),
          sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES));
  printf ("  Stop → profile in hand, %lld samples left to the final drain: %.2f s   (target ≤ 2 s)\n",
          (long long) (total - released), stop_seconds);
  printf ("  pipeline: %.1f s from the first sample to the profile in hand, %.0f samples/s"
          "   (target: the source's pace, %.0f/s, and the rest at once at Stop);"
          " the app's CPU meanwhile %.1f s (%.0f %% of a core)\n",
          seconds, total / seconds, total / (double) SECONDS, cpu, 100 * cpu / seconds);
  print_marks (session);
  printf ("  agent after Stop: resident %.0f MB, peak %.0f MB   (target: bounded, roughly the"
          " same at the two marks)\n", status_kb (pid, "VmRSS:") / 1024, status_kb (pid, "VmHWM:") / 1024);
  printf ("  app peak resident: %.0f MB\n", status_kb (0, "VmHWM:") / 1024);

  g_free (eval_or_die (session, "(synthetic-samples:disarm)"));
  sp_session_quit (session);
  while (sp_session_get_state (session) != SP_SESSION_STATE_EXITED &&
         sp_session_get_state (session) != SP_SESSION_STATE_CRASHED)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
