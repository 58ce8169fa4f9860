/* bench-stream.c: the cost of recordings that stream their samples, against a real sbcl
 *
 * 1. Live updates in the app: a live tab (SpProfileView) follows a recording of the demo's
 *    threads; the app's CPU time over the recording, in percent of one core, with the tab and
 *    without it (the difference is the live updates' cost; target ≤ 5 %).
 * 2. The agent's memory over a long recording of four busy threads at 10 ms: SBCL's resident
 *    size and dynamic space in use, sampled as it goes, and their growth per minute after the
 *    first 20 s.  SP_BENCH_STREAM_SECONDS sets the length (default 60; the figure is 600).
 *
 * Usage: bench-stream   (SP_LISP_DIR may point at the lisp folder; needs a display for 1)
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-cpu.h"
#include "bench-util.h"
#include "sp-profile-view.h"

#define FOUR_THREADS \
  "(progn (defvar *bench-stop* nil) (setf *bench-stop* nil)" \
  " (dotimes (i 4) (sb-thread:make-thread (lambda () (loop until *bench-stop* do (demo:fib 20)))" \
  "                                        :name (format nil \"busy ~D\" i))) :started)"

/* Runs the main loop for a while, as the app would. */
static void
run_for (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint wake = g_timeout_add (50, on_wake, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

static void
on_live_profile (SpSession     *session,
                 SpProfile     *profile,
                 SpProfileView *view)
{
  sp_profile_view_update_profile (view, profile);
}

/* The app's CPU over a recording of `seconds`, in percent of one core; with a live tab when
 * view is not NULL.  *nodes: the call tree's size at the end. */
static double
app_cpu_percent (SpSession     *session,
                 SpProfileView *view,
                 double         seconds,
                 guint         *nodes)
{
  g_autoptr(SpProfile) profile = NULL;
  gulong id = 0;
  double cpu;
  gint64 start;

  if (view != NULL)
    id = g_signal_connect (session, "live-profile", G_CALLBACK (on_live_profile), view);
  start_recording (session, SP_MODE_CPU, 0.01, 0);
  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  run_for (seconds);
  cpu = cpu_seconds () - cpu;
  seconds = (g_get_monotonic_time () - start) / 1e6;
  profile = stop_and_collect (session);
  if (id != 0)
    g_signal_handler_disconnect (session, id);
  *nodes = sp_profile_get_n_nodes (profile);
  return 100 * cpu / seconds;
}

static void
bench_live_updates (SpSession *session)
{
  GtkWidget *window;
  GtkWidget *view;
  double with, without;
  guint nodes = 0;

  if (!gtk_init_check ())
    {
      printf ("live updates: no display, skipped (run under xvfb-run)\n");
      return;
    }
  adw_init ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  view = sp_profile_view_new ();
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));

  without = app_cpu_percent (session, NULL, 15, &nodes);
  with = app_cpu_percent (session, SP_PROFILE_VIEW (view), 15, &nodes);
  printf ("live updates in the app, :cpu at 10 ms, demo + 4 busy threads, 15 s (%u nodes at the end,"
          " GSK_RENDERER=%s):\n", nodes, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  printf ("  app CPU without a live tab %.1f %%, with one %.1f %% of a core:"
          " live updates cost %.1f %%   (target ≤ 5 %%)\n", without, with, with - without);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Kilobytes of SBCL's resident memory. */
static double
resident_kb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL);
}

static double
dynamic_usage_mb (SpSession *session)
{
  g_autofree char *text = eval_or_die (session, "(sb-kernel:dynamic-usage)");

  return g_ascii_strtod (text, NULL) / (1024 * 1024);
}

static void
bench_agent_memory (SpSession *session)
{
  const char *env = g_getenv ("SP_BENCH_STREAM_SECONDS");
  double seconds = env != NULL ? MAX (30, g_ascii_strtod (env, NULL)) : 60;
  GPid pid = sp_session_get_pid (session);
  g_autoptr(SpProfile) profile = NULL;
  double rss0 = 0, dyn0 = 0, rss = 0, dyn = 0, t0 = 20;
  gint64 start;

  start_recording (session, SP_MODE_CPU, 0.01, 0);
  start = g_get_monotonic_time ();
  printf ("agent memory, :cpu at 10 ms, 4 busy threads, %.0f s (SP_BENCH_STREAM_SECONDS):\n", seconds);
  for (double t = 0; t < seconds; t = (g_get_monotonic_time () - start) / 1e6)
    {
      run_for (MIN (10, seconds - t));
      t = (g_get_monotonic_time () - start) / 1e6;
      /* a full GC first, so that dynamic space holds what is live, not what waits to be freed */
      g_free (eval_or_die (session, "(sb-ext:gc :full t)"));
      rss = resident_kb (pid) / 1024;
      dyn = dynamic_usage_mb (session);
      if (rss0 == 0 && t >= t0)
        {
          rss0 = rss;
          dyn0 = dyn;
          t0 = t;
        }
      printf ("  %5.0f s: resident %.1f MB, dynamic space in use %.1f MB\n", t, rss, dyn);
      fflush (stdout);
    }
  profile = stop_and_collect (session);
  if (rss0 > 0 && seconds > t0)
    printf ("  growth after %.0f s: resident %+.2f MB/min, dynamic space %+.2f MB/min;"
            " %" G_GINT64_FORMAT " samples, never truncated: %s\n",
            t0, (rss - rss0) * 60 / (seconds - t0), (dyn - dyn0) * 60 / (seconds - t0),
            sp_profile_get_meta (profile)->sample_count,
            sp_profile_get_meta (profile)->truncated ? "no" : "yes");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *demo = g_build_filename (lisp_dir, "examples", "demo.lisp", NULL);
  const char *files[] = { demo, NULL };
  g_autoptr(SpSession) session = sp_session_new (NULL);
  g_autoptr(GError) error = NULL;

  sp_session_set_load_files (session, files);
  start_session (session, &error);
  check (error, "starting SBCL");

  g_free (eval_or_die (session, FOUR_THREADS));

  bench_live_updates (session);
  bench_agent_memory (session);

  g_free (eval_or_die (session, "(setf *bench-stop* t)"));
  sp_session_quit (session);
  while (sp_session_get_state (session) != SP_SESSION_STATE_EXITED &&
         sp_session_get_state (session) != SP_SESSION_STATE_CRASHED)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
