/* bench-flame: flame graph layout, search, SVG export and widget redraws on a large profile
 *
 * Usage: bench-flame FILE.folded [OUT.svg].  The widget figures need a display (run it under
 * xvfb-run); without one they are skipped.
 */
#include <gtk/gtk.h>

#include "bench-clock.h"
#include "bench-model.h"
#include "sp-flame-graph.h"
#include "sp-flame-layout.h"
#include "sp-svg-writer.h"

#define REPEATS 20

static void
bench_layout (SpProfile *profile)
{
  SpFlameLayoutOptions options;
  g_autoptr(SpFlameSearch) search = NULL;
  SpFlameLayout *layout;
  gint64 start;
  double matched;

  sp_flame_layout_options_init (&options);
  start = g_get_monotonic_time ();
  layout = sp_flame_layout_new (profile, &options);
  printf ("layout, every frame, heaviest first: %.0f ms (%u rects, %u rows)\n", ms_since (start),
          sp_flame_layout_get_n_rects (layout), sp_flame_layout_get_n_rows (layout));
  sp_flame_layout_free (layout);

  options.order = SP_FLAME_ORDER_ALPHABETICAL;
  start = g_get_monotonic_time ();
  layout = sp_flame_layout_new (profile, &options);
  printf ("layout, every frame, alphabetical: %.0f ms\n", ms_since (start));
  sp_flame_layout_free (layout);

  options.min_fraction = 0.1 / 1180;
  start = g_get_monotonic_time ();
  layout = sp_flame_layout_new (profile, &options);
  printf ("layout, frames of 0.1 px and more at 1200 px: %.1f ms (%u rects)\n", ms_since (start),
          sp_flame_layout_get_n_rects (layout));
  sp_flame_layout_free (layout);

  start = g_get_monotonic_time ();
  search = sp_flame_search_new (profile, "^SB-", SP_FLAME_SEARCH_REGEX, NULL);
  matched = sp_flame_search_get_matched_fraction (search, SP_METRIC_SAMPLES);
  printf ("search ^SB- with Matched over the whole tree: %.1f ms (%.2f %%)\n", ms_since (start),
          100 * matched);
}

/* Folded file to SVG file, as `sbcl-profiler export --to svg` does it. */
static double
bench_svg (const char *folded,
           const char *svg_path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (folded);
  g_autoptr(GFile) out = g_file_new_for_commandline_arg (svg_path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  SpSvgOptions options;
  gint64 start = g_get_monotonic_time ();
  double load_ms, total_ms;

  profile = sp_profile_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  load_ms = ms_since (start);
  sp_svg_options_init (&options);
  stream = g_file_replace (out, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  sp_svg_write (profile, &options, G_OUTPUT_STREAM (stream), NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
  total_ms = ms_since (start);
  info = g_file_query_info (out, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
  printf ("folded → SVG end to end: %.0f ms (load %.0f ms, SVG %.0f ms, %.1f MB) (target <= 1000 ms)\n",
          total_ms, load_ms, total_ms - load_ms,
          info != NULL ? g_file_info_get_size (info) / 1e6 : 0.0);

  return total_ms;
}

static void
bench_flamegraph_pl (const char *folded,
                     double      ours_ms)
{
  g_autofree char *program = g_find_program_in_path ("flamegraph.pl");
  g_autofree char *command = NULL;
  gint64 start;
  int status;
  double theirs;

  if (program == NULL)
    {
      printf ("flamegraph.pl: not installed, no ratio (anchor on this machine: ~25 s)\n");
      return;
    }

  command = g_strdup_printf ("%s %s > /dev/null", program, folded);
  start = g_get_monotonic_time ();
  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    {
      printf ("flamegraph.pl: failed to run\n");
      return;
    }
  theirs = ms_since (start);
  printf ("flamegraph.pl: %.1f s; ours is %.0f× faster (target >= 25×)\n", theirs / 1000, theirs / ours_ms);
}

static void
wait_ready (SpFlameGraph *graph)
{
  while (!sp_flame_graph_is_ready (graph))
    g_main_context_iteration (NULL, TRUE);
}

/* The widget's own snapshot: the cached bars plus the overlay, or a full re-render.  CPU time
 * of this thread, so that other work on a shared machine does not count. */
static double
time_snapshot (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  double start = thread_cpu_ms ();
  GskRenderNode *node;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);

  return thread_cpu_ms () - start;
}

static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
    }
  g_assert_not_reached ();
}

static void
bench_widget (SpProfile *profile)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *widget = sp_flame_graph_new ();
  SpFlameGraph *graph = SP_FLAME_GRAPH (widget);
  GtkEventController *motion = find_controller (widget, GTK_TYPE_EVENT_CONTROLLER_MOTION);
  GtkEventController *pinch = find_controller (widget, GTK_TYPE_GESTURE_ZOOM);
  double times[REPEATS];
  double height;
  gint64 start;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), widget);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  start = g_get_monotonic_time ();
  sp_flame_graph_set_profile (graph, profile);
  wait_ready (graph);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  time_snapshot (widget);
  printf ("widget first paint after the model exists: %.0f ms (target <= 1000 ms)\n", ms_since (start));

  /* with a selection, as after a click in the table: its outline is drawn on every redraw */
  sp_flame_graph_select_frame (graph, sp_profile_get_node_frames (profile)[1]);
  height = gtk_widget_get_height (widget);
  for (int i = 0; i < REPEATS; i++)
    {
      g_signal_emit_by_name (motion, "motion", 30.0 + i * 50, height - 30 - (i % 8) * 20.0);
      times[i] = time_snapshot (widget);
    }
  print_times ("redraw on hover", times, REPEATS, " (target <= 8 ms)");

  g_signal_emit_by_name (pinch, "begin", NULL);
  for (int i = 0; i < REPEATS; i++)
    {
      g_signal_emit_by_name (pinch, "scale-changed", 1.0 + (i + 1) * 0.25);
      times[i] = time_snapshot (widget);
    }
  print_times ("redraw on a zoom step (wheel or pinch)", times, REPEATS, " (target <= 8 ms)");

  g_signal_emit_by_name (pinch, "scale-changed", 1.0);
  for (int i = 0; i < REPEATS; i++)
    {
      sp_flame_graph_set_search (graph, i % 2 ? "^SB-" : "FOO|BAR", SP_FLAME_SEARCH_REGEX, NULL);
      times[i] = time_snapshot (widget);
    }
  print_times ("redraw after a search", times, REPEATS, "");

  start = g_get_monotonic_time ();
  sp_flame_graph_zoom_to_node (graph, 0);
  wait_ready (graph);
  time_snapshot (widget);
  printf ("click zoom to the first root: layout and paint %.0f ms\n", ms_since (start));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SpProfile) profile = NULL;
  const char *svg_path = argc > 2 ? argv[2] : "/tmp/bench-flame.svg";
  double svg_ms;
  gint64 start;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-flame FILE.folded [OUT.svg]\n");
      return 2;
    }

  start = g_get_monotonic_time ();
  profile = load_or_exit ("bench-flame", argv[1]);
  printf ("model: %u nodes, %u frames, loaded in %.0f ms\n", sp_profile_get_n_nodes (profile),
          sp_profile_get_n_frames (profile), ms_since (start));

  bench_layout (profile);
  svg_ms = bench_svg (argv[1], svg_path);
  /* bench-scale.py sets it: on the 1 GB profile flamegraph.pl would take minutes */
  if (g_getenv ("SP_BENCH_NO_FLAMEGRAPH_PL") == NULL)
    bench_flamegraph_pl (argv[1], svg_ms);

  if (gtk_init_check ())
    bench_widget (profile);
  else
    printf ("widget: no display, skipped (run under xvfb-run)\n");

  return 0;
}
