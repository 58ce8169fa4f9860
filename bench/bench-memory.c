/* bench-memory.c: what the memory tools cost, measured against a real sbcl
 *
 * 1. alloc-exact: the demo workload timed inside SBCL in a plain session, and in a session
 *    that compiled the demo with allocation instrumentation, without and with an alloc-exact
 *    recording around the run; medians and their ratios to the plain session.
 * 2. Heap snapshot: a recording with heap_snapshot on a session holding about 200 MB of live
 *    objects; the time of one snapshot (a full GC and a census), target ≤ 1 s.
 *
 * Usage: bench-memory [RUNS]   (SP_LISP_DIR may point at the lisp folder)
 */
#include "config.h"

#include <string.h>

#include "bench-util.h"
#include "sp-session.h"

#define TIMED_RUN "(flet ((now () (multiple-value-bind (s ns) (sb-unix::clock-gettime 1) " \
                  "(+ s (/ ns 1d9))))) (let ((start (now))) (demo:run) (- (now) start)))"

/* ~200 MB of live objects: 3 M conses each holding a 4-element vector (16 + 48 bytes). */
#define BIG_HEAP "(progn (defvar cl-user::*bench-heap* nil) " \
                 "(setf cl-user::*bench-heap* (loop repeat 3000000 collect (make-array 4))) " \
                 "(sb-ext:gc :full t) (sb-kernel:dynamic-usage))"

static SpSession *
start_demo_session (gboolean instrument)
{
  g_autofree char *demo = g_build_filename (g_getenv ("SP_LISP_DIR"), "examples", "demo.lisp",
                                            NULL);
  const char *files[] = { demo, NULL };
  g_autoptr(GError) error = NULL;
  SpSession *session = sp_session_new (NULL);

  sp_session_set_load_files (session, files);
  sp_session_set_instrument_allocations (session, instrument);
  start_session (session, &error);
  check (error, "starting sbcl");
  return session;
}

static double
timed_run (SpSession *session)
{
  g_autofree char *text = eval_or_die (session, TIMED_RUN);

  return g_ascii_strtod (text, NULL);
}

/* One run timed inside SBCL while an alloc-exact recording is on. */
static double
recorded_run (SpSession *session)
{
  double seconds;

  start_recording (session, SP_MODE_ALLOC_EXACT, 0.01, 0);
  seconds = timed_run (session);
  stop_recording (session);
  return seconds;
}

static void
bench_alloc_exact (guint runs)
{
  g_autoptr(SpSession) plain = start_demo_session (FALSE);
  g_autoptr(SpSession) instrumented = start_demo_session (TRUE);
  g_autofree double *plain_s = g_new (double, runs);
  g_autofree double *idle_s = g_new (double, runs);
  g_autofree double *recorded_s = g_new (double, runs);
  double plain_median, idle_median, recorded_median;

  timed_run (plain);          /* warm up */
  timed_run (instrumented);
  recorded_run (instrumented);
  for (guint i = 0; i < runs; i++)
    {
      plain_s[i] = timed_run (plain);
      idle_s[i] = timed_run (instrumented);
      recorded_s[i] = recorded_run (instrumented);
    }
  plain_median = median (plain_s, runs);
  idle_median = median (idle_s, runs);
  recorded_median = median (recorded_s, runs);
  printf ("alloc-exact overhead, demo workload, %u runs each (medians):\n", runs);
  printf ("  %-38s %.3f s\n", "plain session", plain_median);
  printf ("  %-38s %.3f s  ratio %.3f\n", "instrumented, not recording", idle_median,
          idle_median / plain_median);
  printf ("  %-38s %.3f s  ratio %.3f\n", "instrumented, recording alloc-exact", recorded_median,
          recorded_median / plain_median);
  sp_session_quit (plain);
  sp_session_quit (instrumented);
}

static void
bench_heap_snapshot (void)
{
  const char *space[] = { "--dynamic-space-size", "2048", NULL };
  g_autoptr(SpSession) session = sp_session_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autofree char *usage = NULL;
  double seconds;

  sp_session_set_extra_args (session, space);
  start_session (session, &error);
  check (error, "starting sbcl");
  usage = eval_or_die (session, BIG_HEAP);
  profile = record_mode (session, SP_MODE_CPU, "(+ 1 2)", TRUE, &error);
  check (error, "recording");
  seconds = sp_profile_get_meta (profile)->heap_snapshot_seconds;
  printf ("heap snapshot on a %.0f MB heap: %.2f s each (both: %.2f s) (target <= 1 s)\n",
          g_ascii_strtod (usage, NULL) / 1e6, seconds / 2, seconds);
  sp_session_quit (session);
}

int
main (int    argc,
      char **argv)
{
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 7;

  bench_alloc_exact (MAX (runs, 1));
  bench_heap_snapshot ();
  return 0;
}
