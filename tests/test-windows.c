/* test-windows.c: tabs moving between windows, comparisons in windows of their own, two linked
 * windows side by side, `--compare`, and profiles that must not be compared */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sp-application.h"
#include "sp-compare-view.h"
#include "sp-diff-item.h"
#include "sp-flame-view.h"
#include "sp-profile-io.h"
#include "sp-test-util.h"
#include "sp-window-link.h"
#include "sp-window-test-util.h"
#include "sp-window.h"

static const char * const before_stacks[] = {
  "MAIN;WORKLOAD::RUN;WORKLOAD::FIB 7",
  "MAIN;WORKLOAD::RUN;WORKLOAD::SORT-ITEMS 3",
  NULL
};

static const char * const after_stacks[] = {
  "MAIN;WORKLOAD::RUN;WORKLOAD::FIB 2",
  "MAIN;WORKLOAD::RUN;WORKLOAD::SORT-ITEMS 6",
  "MAIN;WORKLOAD::RUN;WORKLOAD::CACHE 2",
  NULL
};

typedef struct
{
  SpApplication *app;
  char          *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->app = sp_window_test_setup ("io.github.sbclprofiler.SbclProfiler.WindowsTest", &f->dir);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sp_window_test_teardown (&f->app, &f->dir);
}

/* A profile of the given mode and sampling interval. */
static SpProfile *
profile_of_mode (const char * const *lines,
                 SpMode              mode,
                 double              interval)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) plain = sp_test_profile_from_lines (lines);
  SpProfileMeta *meta = sp_profile_builder_get_meta (builder);
  const double *self = sp_profile_get_self_weights (plain, SP_METRIC_SAMPLES);
  const guint32 *parents = sp_profile_get_node_parents (plain);
  const guint32 *frames = sp_profile_get_node_frames (plain);
  g_autofree guint32 *map = g_new (guint32, sp_profile_get_n_nodes (plain));

  meta->mode = mode;
  meta->interval = interval;
  sp_profile_builder_add_frames_from (builder, plain);
  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  for (guint i = 0; i < sp_profile_get_n_nodes (plain); i++)
    {
      map[i] = sp_profile_builder_get_child (builder, parents[i] == SP_NO_NODE ? SP_NO_NODE : map[parents[i]], frames[i]);
      sp_profile_builder_add_weight (builder, map[i], SP_METRIC_SAMPLES, self[i]);
    }
  return sp_profile_builder_end (builder);
}

static GFile *
save_profile (Fixture    *f,
              const char *name,
              SpProfile  *profile)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_profile_save (profile, file, SP_FILE_FORMAT_SBCLPROF, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&file);
}

static SpWindow *
new_window (Fixture *f)
{
  SpWindow *window = sp_window_new (GTK_APPLICATION (f->app));

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static guint
count_windows (Fixture *f)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l != NULL; l = l->next)
    n += SP_IS_WINDOW (l->data);
  return n;
}

/* The window opened last. */
static SpWindow *
newest_window (Fixture *f)
{
  return SP_WINDOW (gtk_application_get_windows (GTK_APPLICATION (f->app))->data);
}

static AdwTabPage *
page_at (SpWindow *window,
         int       position)
{
  return adw_tab_view_get_nth_page (sp_window_get_tab_view (window), position);
}

static GtkWidget *
selected_child (SpWindow *window)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (sp_window_get_tab_view (window));

  return page != NULL ? adw_tab_page_get_child (page) : NULL;
}

static void
wait_for_comparison (SpCompareView *compare)
{
  while (sp_compare_view_get_loading (compare))
    g_main_context_iteration (NULL, TRUE);
  drain ();
}

/* ---- tabs move ---- */

/* "Move to New Window", a drag out of every window (create-window), and back into the first
 * window: each window's title, actions and tabs follow. */
static void
test_move_tab (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SpProfile) before = sp_test_profile_from_lines (before_stacks);
  g_autoptr(SpProfile) after = sp_test_profile_from_lines (after_stacks);
  SpWindow *first = new_window (f);
  SpWindow *second;
  AdwTabView *made = NULL;
  SpProfileView *moved;
  AdwTabPage *page;

  sp_window_add_profile (first, before, "before");
  moved = sp_window_add_profile (first, after, "after");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (first)), ==, "• after — SBCL Profiler");

  /* the tab menu acts on the current tab: "after" */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (first), "win.move-to-new-window", NULL));
  g_assert_cmpuint (count_windows (f), ==, 2);
  second = newest_window (f);
  g_assert_true (second != first);
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (first)), ==, 1);
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (second)), ==, 1);
  g_assert_true (selected_child (second) == GTK_WIDGET (moved));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (first)), ==, "• before — SBCL Profiler");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (second)), ==, "• after — SBCL Profiler");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second), "win.compare", NULL) &&
                 find_message_dialog (second) != NULL);
  respond (second, "cancel");
  g_assert_cmpuint (sp_window_count_unsaved (second), ==, 1);

  /* the moved tab reports to its new window only */
  sp_profile_view_set_title (moved, "renamed");
  g_assert_cmpstr (adw_tab_page_get_title (page_at (second, 0)), ==, "• renamed");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (second)), ==, "• renamed — SBCL Profiler");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (first)), ==, "• before — SBCL Profiler");

  /* a tab dropped outside every window asks for one: a real window, not NULL */
  g_signal_emit_by_name (sp_window_get_tab_view (first), "create-window", &made);
  g_assert_nonnull (made);
  g_assert_true (SP_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (made))));
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (made))));
  drain ();

  /* dragged back into the first window: the second, left empty without sessions, closes */
  page = page_at (second, 0);
  adw_tab_view_transfer_page (sp_window_get_tab_view (second), page, sp_window_get_tab_view (first), 1);
  adw_tab_view_set_selected_page (sp_window_get_tab_view (first), page);
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (first)), ==, 2);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (first)), ==, "• renamed — SBCL Profiler");
  drain ();
  g_assert_cmpuint (count_windows (f), ==, 1);
  sp_profile_view_set_title (moved, "back");
  g_assert_cmpstr (adw_tab_page_get_title (page_at (first, 1)), ==, "• back");
  g_assert_cmpuint (sp_window_count_unsaved (first), ==, 2);
}

/* A comparison tab moves too, and keeps its title and state. */
static void
test_move_comparison (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SpProfile) before = sp_test_profile_from_lines (before_stacks);
  g_autoptr(SpProfile) after = sp_test_profile_from_lines (after_stacks);
  g_autoptr(GError) error = NULL;
  SpWindow *first = new_window (f);
  SpWindow *second;

  sp_window_add_profile (first, before, "before");
  g_assert_true (sp_window_compare (first, before, "before", after, "after", SP_COMPARE_IN_TAB, &error));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (first), "win.move-to-new-window", NULL));
  second = newest_window (f);
  g_assert_true (SP_IS_COMPARE_VIEW (selected_child (second)));
  wait_for_comparison (SP_COMPARE_VIEW (selected_child (second)));
  g_assert_false (adw_tab_page_get_loading (page_at (second, 0)));
  g_assert_cmpstr (adw_tab_page_get_title (page_at (second, 0)), ==, "before → after");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (second)), ==, "before → after — SBCL Profiler");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second), "win.find", NULL));
}

/* ---- comparison windows ---- */

static void
test_compare_in_window (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SpProfile) before = profile_of_mode (before_stacks, SP_MODE_CPU, 0.01);
  g_autoptr(SpProfile) after = profile_of_mode (after_stacks, SP_MODE_CPU, 0.001);
  g_autoptr(GError) error = NULL;
  SpWindow *first = new_window (f);
  SpWindow *window;
  SpCompareView *compare;

  g_assert_true (sp_window_compare (first, before, "before", after, "after", SP_COMPARE_IN_NEW_WINDOW, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_windows (f), ==, 2);
  window = newest_window (f);
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (first)), ==, 0);
  compare = SP_COMPARE_VIEW (selected_child (window));
  wait_for_comparison (compare);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "before → after — SBCL Profiler");
  /* different intervals: compared, with a warning in the header */
  g_assert_nonnull (sp_compare_view_get_warning (compare));
  g_assert_nonnull (strstr (sp_compare_view_get_warning (compare), "every 10 ms and the new profile every 1 ms"));
}

/* A CPU profile against an allocation profile: refused, with the reason, in the API and in the
 * dialog, which lists it but does not let it be picked. */
static void
test_refuse_unlike (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SpProfile) cpu = profile_of_mode (before_stacks, SP_MODE_CPU, 0.01);
  g_autoptr(SpProfile) alloc = profile_of_mode (after_stacks, SP_MODE_ALLOC, 0.01);
  g_autoptr(SpProfile) cpu2 = profile_of_mode (after_stacks, SP_MODE_CPU, 0.01);
  g_autoptr(GError) error = NULL;
  SpWindow *window = new_window (f);
  AdwMessageDialog *dialog;

  g_assert_false (sp_window_compare (window, alloc, "alloc", cpu, "cpu", SP_COMPARE_IN_TAB, &error));
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "sampled allocation profile and the new one a CPU time profile"));
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (window)), ==, 0);

  sp_window_add_profile (window, alloc, "alloc");
  sp_window_add_profile (window, cpu2, "cpu2");
  sp_window_add_profile (window, cpu, "cpu");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
  dialog = find_message_dialog (window);
  g_assert_nonnull (dialog);
  /* nothing preselected; the allocation profile is listed with its mode and why it is refused */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "compare"));
  g_assert_false (select_candidate (window, 0));
  {
    GtkListBox *list = find_list_box (adw_message_dialog_get_extra_child (dialog));
    AdwActionRow *row = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, 0));
    AdwActionRow *other = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, 1));

    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (row), "Allocation · 10 samples"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "measure different things"));
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (other), "CPU · 10 samples · not saved"));
  }
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "compare"));
  g_assert_true (select_candidate (window, 1));
  respond (window, "compare");
  g_assert_true (SP_IS_COMPARE_VIEW (selected_child (window)));
  g_assert_cmpstr (sp_compare_view_get_title (SP_COMPARE_VIEW (selected_child (window))), ==, "cpu2 → cpu");
  wait_for_comparison (SP_COMPARE_VIEW (selected_child (window)));
  g_assert_null (sp_compare_view_get_warning (SP_COMPARE_VIEW (selected_child (window))));
}

/* "Baseline and New in Two Windows": each profile in a window of half the screen, selection,
 * zoom and search linked while the link is on; closing one ends it. */
static void
test_two_windows (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SpProfile) before = sp_test_profile_from_lines (before_stacks);
  g_autoptr(SpProfile) after = sp_test_profile_from_lines (after_stacks);
  g_autoptr(GError) error = NULL;
  SpWindow *first = new_window (f);
  SpWindow *left, *right;
  SpProfileView *lview, *rview;
  SpFlameView *lflame, *rflame;
  SpFlameGraph *lgraph, *rgraph;
  SpWindowLink *link;
  int width, height, minimum;

  sp_window_add_profile (first, before, "before");
  sp_window_add_profile (first, after, "after");
  g_assert_true (sp_window_compare (first, before, "before", after, "after", SP_COMPARE_IN_TWO_WINDOWS, &error));
  g_assert_cmpuint (count_windows (f), ==, 3);
  right = newest_window (f);
  left = SP_WINDOW (g_list_nth_data (gtk_application_get_windows (GTK_APPLICATION (f->app)), 1));
  lview = SP_PROFILE_VIEW (selected_child (left));
  rview = SP_PROFILE_VIEW (selected_child (right));
  g_assert_true (sp_profile_view_get_profile (lview) == before);
  g_assert_true (sp_profile_view_get_profile (rview) == after);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (left)), ==, "• Baseline: before — SBCL Profiler");
  /* half of the 1600 px screen each, as far as the window can be that narrow */
  gtk_widget_measure (GTK_WIDGET (left), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  gtk_window_get_default_size (GTK_WINDOW (left), &width, &height);
  g_assert_cmpint (width, ==, MAX (800, minimum));
  gtk_window_get_default_size (GTK_WINDOW (right), &width, &height);
  g_assert_cmpint (width, ==, MAX (800, minimum));

  link = sp_window_get_link (left);
  g_assert_nonnull (link);
  g_assert_true (sp_window_get_link (right) == link);
  g_assert_true (sp_window_link_get_active (link));

  /* selection, by name */
  sp_profile_view_select_function (lview, sp_profile_lookup_frame (before, "WORKLOAD::FIB"));
  g_assert_cmpuint (sp_profile_view_get_selected_function (rview), ==, sp_profile_lookup_frame (after, "WORKLOAD::FIB"));

  /* zoom, to the same stack */
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (lview), "flame-graph");
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (rview), "flame-graph");
  lflame = SP_FLAME_VIEW (sp_profile_view_get_flame_view (lview));
  rflame = SP_FLAME_VIEW (sp_profile_view_get_flame_view (rview));
  lgraph = sp_flame_view_get_graph (lflame);
  rgraph = sp_flame_view_get_graph (rflame);
  while (sp_flame_graph_get_profile (lgraph) == NULL || sp_flame_graph_get_profile (rgraph) == NULL ||
         !sp_flame_graph_is_ready (lgraph) || !sp_flame_graph_is_ready (rgraph))
    g_main_context_iteration (NULL, TRUE);
  {
    SpProfile *rp = sp_flame_graph_get_profile (rgraph);
    guint32 fib = SP_NO_NODE;

    for (guint i = 0; i < sp_profile_get_n_nodes (rp); i++)
      if (g_str_equal (sp_profile_get_frame (rp, sp_profile_get_node_frames (rp)[i])->name, "WORKLOAD::FIB"))
        fib = i;
    sp_flame_graph_zoom_to_node (rgraph, fib);
    g_assert_cmpuint (sp_flame_graph_get_zoom_node (lgraph), !=, SP_NO_NODE);
    g_assert_cmpstr (sp_profile_get_frame (sp_flame_graph_get_profile (lgraph),
                                           sp_profile_get_node_frames (sp_flame_graph_get_profile (lgraph))[sp_flame_graph_get_zoom_node (lgraph)])->name,
                     ==, "WORKLOAD::FIB");
  }

  /* search */
  sp_flame_view_set_search (lflame, "sort");
  g_assert_cmpstr (sp_flame_view_get_search (rflame), ==, "sort");
  g_assert_cmpfloat_with_epsilon (sp_flame_graph_get_matched_fraction (rgraph), 0.6, 1e-9);

  /* the toggle off: each goes its own way */
  sp_window_link_set_active (link, FALSE);
  sp_flame_view_set_search (lflame, "fib");
  g_assert_cmpstr (sp_flame_view_get_search (rflame), ==, "sort");
  sp_flame_graph_reset_zoom (lgraph);
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (rgraph), !=, SP_NO_NODE);
  sp_window_link_set_active (link, TRUE);
  sp_flame_view_set_search (lflame, "cache");
  g_assert_cmpstr (sp_flame_view_get_search (rflame), ==, "cache");

  /* closing one ends the link */
  g_object_ref (link);
  gtk_window_destroy (GTK_WINDOW (right));
  drain ();
  g_assert_true (sp_window_link_get_broken (link));
  g_assert_false (sp_window_link_get_active (link));
  sp_flame_view_set_search (lflame, "main");
  g_object_unref (link);
}

/* `sbcl-profiler --compare BASELINE NEW` starts with a comparison window. */
typedef struct
{
  Fixture       *f;
  SpCompareView *compare;
  gboolean       refused;
} CommandLineRun;

static gboolean
check_started (gpointer data)
{
  CommandLineRun *run = data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (run->f->app));
  SpWindow *window = windows != NULL && SP_IS_WINDOW (windows->data) ? windows->data : NULL;
  GtkWidget *child = window != NULL ? selected_child (window) : NULL;

  if (window != NULL && find_message_dialog (window) != NULL &&
      adw_tab_view_get_n_pages (sp_window_get_tab_view (window)) == 2)
    run->refused = TRUE;
  else if (child == NULL || !SP_IS_COMPARE_VIEW (child) || sp_compare_view_get_loading (SP_COMPARE_VIEW (child)))
    return G_SOURCE_CONTINUE;
  else
    run->compare = g_object_ref (SP_COMPARE_VIEW (child));
  g_application_quit (G_APPLICATION (run->f->app));
  return G_SOURCE_REMOVE;
}

/* Runs `sbcl-profiler --compare baseline.sbclprof new.sbclprof`, a CPU profile against one of
 * new_mode, until the comparison (or the refusal) shows. */
static void
run_command_line (Fixture        *f,
                  SpMode          new_mode,
                  CommandLineRun *run)
{
  g_autoptr(SpProfile) before = profile_of_mode (before_stacks, SP_MODE_CPU, 0.01);
  g_autoptr(SpProfile) after = profile_of_mode (after_stacks, new_mode, 0.01);
  g_autoptr(GFile) baseline = save_profile (f, "baseline.sbclprof", before);
  g_autoptr(GFile) current = save_profile (f, "new.sbclprof", after);
  g_autofree char *a = g_file_get_path (baseline);
  g_autofree char *b = g_file_get_path (current);
  char *argv[] = { "sbcl-profiler", "--compare", a, b, NULL };

  run->f = f;
  g_timeout_add (20, check_started, run);
  g_application_run (G_APPLICATION (f->app), G_N_ELEMENTS (argv) - 1, argv);
}

static void
test_command_line_compare (Fixture       *f,
                           gconstpointer  data)
{
  CommandLineRun run = { 0 };

  run_command_line (f, SP_MODE_CPU, &run);
  g_assert_nonnull (run.compare);
  g_assert_false (run.refused);
  g_assert_cmpstr (sp_compare_view_get_title (run.compare), ==, "baseline.sbclprof → new.sbclprof");
  g_assert_cmpuint (g_list_model_get_n_items (sp_compare_view_get_rows (run.compare)), ==, 5);
  g_clear_object (&run.compare);
}

/* Unlike profiles: each in a tab, and the reason. */
static void
test_command_line_refuses (Fixture       *f,
                           gconstpointer  data)
{
  CommandLineRun run = { 0 };

  run_command_line (f, SP_MODE_ALLOC, &run);
  g_assert_true (run.refused);
  g_assert_null (run.compare);
}

/* ---- a two-count folded file ---- */

static void
test_two_count_folded (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "diff.folded", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SpWindow *window = new_window (f);
  SpCompareView *compare;
  GListModel *rows;

  g_assert_true (g_file_set_contents (path, "main;run;fib 6 3\nmain;run;cons 4 5\nmain;run;sort 0 2\n", -1, NULL));
  sp_window_open_file (window, file);
  while (!SP_IS_COMPARE_VIEW (selected_child (window)))
    g_main_context_iteration (NULL, TRUE);
  compare = SP_COMPARE_VIEW (selected_child (window));
  wait_for_comparison (compare);
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (window)), ==, 1);
  g_assert_cmpstr (sp_compare_view_get_title (compare), ==, "diff.folded, before → after");
  /* fib: 60 % of the baseline, 30 % after */
  rows = sp_compare_view_get_rows (compare);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SpDiffItem) item = g_list_model_get_item (rows, i);

      if (g_str_equal (sp_diff_item_get_name (item), "fib"))
        {
          g_assert_cmpfloat_with_epsilon (sp_diff_item_get_row (item)->base_self, 60, 1e-9);
          g_assert_cmpfloat_with_epsilon (sp_diff_item_get_row (item)->new_self, 30, 1e-9);
        }
    }
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 5);

  /* its differential flame graph says what the colours mean */
  adw_view_stack_set_visible_child_name (sp_compare_view_get_view_stack (compare), "flame-graph");
  drain ();
  g_assert_nonnull (find_label_containing (sp_compare_view_get_flame_view (compare), "grew"));
  g_assert_nonnull (find_label_containing (sp_compare_view_get_flame_view (compare), "shrank"));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/Windows/move-tab", Fixture, NULL, fixture_setup, test_move_tab, fixture_teardown);
  g_test_add ("/Windows/move-comparison", Fixture, NULL, fixture_setup, test_move_comparison, fixture_teardown);
  g_test_add ("/Windows/compare-in-window", Fixture, NULL, fixture_setup, test_compare_in_window, fixture_teardown);
  g_test_add ("/Windows/refuse-unlike", Fixture, NULL, fixture_setup, test_refuse_unlike, fixture_teardown);
  g_test_add ("/Windows/two-windows", Fixture, NULL, fixture_setup, test_two_windows, fixture_teardown);
  g_test_add ("/Windows/command-line-compare", Fixture, NULL, fixture_setup, test_command_line_compare, fixture_teardown);
  g_test_add ("/Windows/command-line-refuses", Fixture, NULL, fixture_setup, test_command_line_refuses, fixture_teardown);
  g_test_add ("/Windows/two-count-folded", Fixture, NULL, fixture_setup, test_two_count_folded, fixture_teardown);

  return g_test_run ();
}
