/* bench-timeline: the timeline strip on a million samples, and cutting every page of a tab to
 * a new range on the 100 MB profile
 *
 * Usage: bench-timeline FILE.folded (under a display: bench-timeline.sh runs it in xvfb-run).
 * The folded file has no sample times, so the profile gets a synthetic timeline: a million
 * entries over ten seconds, each node's samples spread over entries in a shuffled order.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include <adwaita.h>

#include "bench-clock.h"
#include "sp-call-tree.h"
#include "sp-flame-graph.h"
#include "sp-flame-view.h"
#include "sp-function-table.h"
#include "sp-profile-io.h"
#include "sp-profile-time.h"
#include "sp-profile-view.h"
#include "sp-timeline.h"
#include "sp-widget-test-util.h"

#define N_ENTRIES 1000000
#define SECONDS   10.0
#define REPEATS   20

/* The nodes with samples, each as often as it has entries, shuffled: entry i is at i's time. */
static SpProfileSections *
synthetic_timeline (SpProfile *profile)
{
  guint n_nodes = sp_profile_get_n_nodes (profile);
  const double *self = sp_profile_get_self_weights (profile, SP_METRIC_SAMPLES);
  g_autoptr(GArray) weighted = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint *count = g_new0 (guint, n_nodes);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  SpProfileSections *sections = g_new0 (SpProfileSections, 1);

  for (guint32 i = 0; i < n_nodes; i++)
    if (self[i] > 0)
      g_array_append_val (weighted, i);
  sections->timeline = g_array_sized_new (FALSE, FALSE, sizeof (SpTimelineSample), N_ENTRIES);
  for (guint i = 0; i < N_ENTRIES; i++)
    {
      /* every weighted node once, then at random */
      guint32 node = i < weighted->len ? g_array_index (weighted, guint32, i)
                                       : g_array_index (weighted, guint32, g_rand_int_range (rand, 0, weighted->len));
      SpTimelineSample sample = { SECONDS * i / N_ENTRIES, node, 1 };

      count[node]++;
      g_array_append_val (sections->timeline, sample);
    }
  /* the entries of a node share its samples */
  for (guint i = 0; i < N_ENTRIES; i++)
    {
      SpTimelineSample *sample = &g_array_index (sections->timeline, SpTimelineSample, i);

      sample->weight = self[sample->node] / count[sample->node];
    }
  return sections;
}

static SpProfile *
with_timeline (SpProfile *profile)
{
  guint n = sp_profile_get_n_nodes (profile);
  g_autofree SpProfileSections *sections = synthetic_timeline (profile);
  double *weights[SP_N_METRICS] = { NULL };
  SpProfileMeta meta;

  sp_profile_meta_copy (&meta, sp_profile_get_meta (profile));
  meta.mode = SP_MODE_CPU;
  meta.interval = 0.01;
  for (SpMetric m = 0; m < SP_N_METRICS; m++)
    if (sp_profile_has_metric (profile, m))
      weights[m] = g_memdup2 (sp_profile_get_self_weights (profile, m), sizeof (double) * n);
  return sp_profile_new_from_arrays (&meta, sp_profile_copy_frames (profile),
                                     g_memdup2 (sp_profile_get_node_parents (profile), 4 * n),
                                     g_memdup2 (sp_profile_get_node_frames (profile), 4 * n),
                                     n, weights, g_new0 (SpFunctionStats, 1), 0, sections, NULL);
}

/* CPU time of every thread of the process: the machine may be shared, wall time is not ours */
static double
process_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

/* Until the process has used no CPU for a tenth of a second: the work the tab started in the
 * background for the whole profile is not the ranges'. */
static void
wait_until_idle (void)
{
  double before;

  do
    {
      gint64 until = g_get_monotonic_time () + 100000;

      before = process_cpu_ms ();
      while (g_get_monotonic_time () < until)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (1000);
    }
  while (process_cpu_ms () - before > 5);
}

/* What a redraw costs: the drawing area's snapshot (which runs its draw function) and
 * rendering the node with cairo into an image the size of the strip. */
static double
time_redraw (GtkWidget *area)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_width (area),
                                                         gtk_widget_get_height (area));
  cairo_t *cr = cairo_create (surface);
  double start = thread_cpu_ms ();
  GskRenderNode *node;

  GTK_WIDGET_GET_CLASS (area)->snapshot (area, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node != NULL)
    gsk_render_node_draw (node, cr);
  cairo_surface_flush (surface);
  start = thread_cpu_ms () - start;
  g_clear_pointer (&node, gsk_render_node_unref);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return start;
}

static void
wait_for_pages (SpProfileView *view,
                SpProfile     *old)
{
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (view));

  /* the Functions page is shown: the others catch up when shown (bench_pages) */
  while (sp_profile_view_get_shown_profile (view) == old || !sp_function_table_is_ready (table))
    g_main_context_iteration (NULL, TRUE);
}

static void
bench_strip (SpProfileView *view)
{
  SpTimeline *timeline = SP_TIMELINE (sp_profile_view_get_timeline (view));
  GtkWidget *area = sp_test_find_widget (GTK_WIDGET (timeline), GTK_TYPE_DRAWING_AREA, NULL);
  g_autofree char *what = NULL;
  double times[REPEATS];

  for (int i = 0; i < REPEATS; i++)
    {
      /* with a range shown, as while dragging */
      if (i % 2)
        sp_timeline_clear_range (timeline);
      else
        sp_timeline_set_range (timeline, i * 0.3, i * 0.3 + 2);
      times[i] = time_redraw (area);
    }
  sp_timeline_clear_range (timeline);
  what = g_strdup_printf ("timeline redraw, %d samples, %d px wide", N_ENTRIES, gtk_widget_get_width (area));
  print_times (what, times, REPEATS, " (target <= 16 ms)");
}

/* Rounds over the ranges: the median of 15 cuts says more on a shared machine than one of 5 */
#define ROUNDS 3

static void
bench_ranges (SpProfileView *view,
              SpProfile     *profile)
{
  SpTimeline *timeline = SP_TIMELINE (sp_profile_view_get_timeline (view));
  const double ranges[][2] = { { 1, 3 }, { 4, 4.5 }, { 0, 10 }, { 6, 9 }, { 2.5, 7.5 } };
  const guint n = ROUNDS * G_N_ELEMENTS (ranges);
  double times[ROUNDS * G_N_ELEMENTS (ranges)], cpu[ROUNDS * G_N_ELEMENTS (ranges)];

  for (guint k = 0; k < n; k++)
    {
      const double *range = ranges[k % G_N_ELEMENTS (ranges)];
      SpProfile *old = sp_profile_view_get_shown_profile (view);
      gint64 start = g_get_monotonic_time ();
      double cpu_start = process_cpu_ms ();
      double main_start = thread_cpu_ms ();

      sp_timeline_set_range (timeline, range[0], range[1]);
      wait_for_pages (view, old);
      times[k] = ms_since (start);
      cpu[k] = process_cpu_ms () - cpu_start;
      printf ("  range %g–%g s%s: %.0f ms wall, %.0f ms CPU (%.0f ms of it on the main thread), "
              "%u of %u nodes\n", range[0], range[1], k == 0 ? " (the tab's first)" : "", times[k], cpu[k],
              thread_cpu_ms () - main_start,
              sp_profile_get_n_nodes (sp_profile_view_get_shown_profile (view)),
              sp_profile_get_n_nodes (profile));
    }
  qsort (times, n, sizeof (double), compare_doubles);
  qsort (cpu, n, sizeof (double), compare_doubles);
  printf ("re-filtering the tab to a new range (its Functions page shown), %u ranges: median %.0f ms wall, "
          "%.0f ms CPU of all threads (target <= 150 ms); CPU from %.0f to %.0f ms\n",
          n, times[n / 2], cpu[n / 2], cpu[0], cpu[n - 1]);
}

/* Where the time of a new range goes: each page given the cut profile on its own.  The call
 * tree and the flame graph do their work only once their page is shown. */
static void
bench_pages (SpProfileView *view,
             SpProfile     *part)
{
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (view));
  SpFlameView *flame = SP_FLAME_VIEW (sp_profile_view_get_flame_view (view));
  double table_ms, tree_ms, flame_ms, cpu;

  cpu = process_cpu_ms ();
  sp_function_table_set_profile (table, part);
  while (!sp_function_table_is_ready (table))
    g_main_context_iteration (NULL, TRUE);
  table_ms = process_cpu_ms () - cpu;
  cpu = process_cpu_ms ();
  sp_call_tree_set_profile (SP_CALL_TREE (sp_profile_view_get_call_tree (view)), part);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  tree_ms = process_cpu_ms () - cpu;
  cpu = process_cpu_ms ();
  sp_flame_view_set_profile (flame, part);
  while (sp_flame_graph_get_profile (sp_flame_view_get_graph (flame)) == NULL ||
         sp_profile_get_n_nodes (sp_flame_graph_get_profile (sp_flame_view_get_graph (flame))) !=
         sp_profile_get_n_nodes (part) || !sp_flame_graph_is_ready (sp_flame_view_get_graph (flame)))
    g_main_context_iteration (NULL, TRUE);
  flame_ms = process_cpu_ms () - cpu;
  printf ("  page by page, CPU: functions %.0f ms; call tree %.0f ms and flame graph %.0f ms, "
          "each spent when its page is shown\n", table_ms, tree_ms, flame_ms);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) folded = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(SpTimelineLanes) lanes = NULL;
  g_autoptr(SpProfile) part = NULL;
  SpProfileView *view;
  GtkWidget *window;
  double cpu;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-timeline FILE.folded\n");
      return 2;
    }
  file = g_file_new_for_commandline_arg (argv[1]);
  if ((folded = sp_profile_load (file, NULL, NULL, NULL, &error)) == NULL)
    {
      fprintf (stderr, "bench-timeline: %s\n", error->message);
      return 1;
    }
  profile = with_timeline (folded);
  printf ("model: %u nodes, a synthetic timeline of %d entries over %g s\n",
          sp_profile_get_n_nodes (profile), N_ENTRIES, SECONDS);

  cpu = thread_cpu_ms ();
  lanes = sp_timeline_lanes_new (profile, 4096);
  printf ("lanes of the strip (worker thread): %.0f ms CPU\n", thread_cpu_ms () - cpu);
  for (int i = 0; i < 3; i++)
    {
      g_clear_object (&part);
      cpu = thread_cpu_ms ();
      part = sp_profile_filter_time_range (profile, 2 + i, 4 + i);
      printf ("cutting the model to %d–%d s (worker thread): %.0f ms CPU, %u nodes\n", 2 + i, 4 + i,
              thread_cpu_ms () - cpu, sp_profile_get_n_nodes (part));
    }

  if (!gtk_init_check ())
    {
      printf ("(no display: widget figures skipped)\n");
      return 0;
    }
  adw_init ();
  window = gtk_window_new ();
  view = SP_PROFILE_VIEW (sp_profile_view_new ());
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  sp_profile_view_set_profile (view, profile);
  wait_for_pages (view, NULL);
  while (!sp_timeline_is_ready (SP_TIMELINE (sp_profile_view_get_timeline (view))))
    g_main_context_iteration (NULL, TRUE);
  /* the hidden pages got the whole profile too: their work is not the ranges' */
  while (!sp_flame_graph_is_ready (sp_flame_view_get_graph (SP_FLAME_VIEW (sp_profile_view_get_flame_view (view)))))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  wait_until_idle ();
  bench_strip (view);
  bench_ranges (view, profile);
  bench_pages (view, part);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
