/* test-deterministic-view.c: a deterministic recording in the profile tab: corrected and raw
 * seconds, GC seconds, min / median / max of its runs, calls along the call paths, and a status
 * page where a view has nothing to show */
#include "config.h"

#include <adwaita.h>

#include "sp-call-tree.h"
#include "sp-function-table.h"
#include "sp-profile-view.h"

/* RUN calls WORK twice per run; three runs. */
static SpProfile *
deterministic_profile (gboolean with_paths)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  SpProfileMeta *meta = sp_profile_builder_get_meta (builder);
  const char *names[2] = { "APP::RUN", "APP::WORK" };
  const double seconds[2][3] = { { 0.1, 0.2, 0.3 }, { 1.0, 1.5, 2.5 } };
  guint32 frames[2];

  meta->mode = SP_MODE_DETERMINISTIC;
  meta->overhead_call = 1e-6;
  meta->overhead_nested = 5e-7;
  for (guint i = 0; i < 2; i++)
    {
      SpRunStats runs[3];
      SpFunctionStats stats = { 0 };

      frames[i] = stats.frame = sp_profile_builder_intern_frame (builder, names[i], -1);
      sp_run_stats_init (&stats.total);
      stats.total.calls = stats.total.bytes = 0;
      stats.total.seconds = stats.total.raw_seconds = stats.total.gc_seconds = 0;
      for (guint r = 0; r < 3; r++)
        {
          sp_run_stats_init (&runs[r]);
          runs[r].calls = i + 1;
          runs[r].seconds = seconds[i][r];
          runs[r].raw_seconds = seconds[i][r] + 0.01;
          runs[r].gc_seconds = 0.001;
          runs[r].bytes = 100;
          stats.total.calls += runs[r].calls;
          stats.total.seconds += runs[r].seconds;
          stats.total.raw_seconds += runs[r].raw_seconds;
          stats.total.gc_seconds += runs[r].gc_seconds;
          stats.total.bytes += runs[r].bytes;
        }
      stats.n_runs = 3;
      stats.runs = runs;
      sp_profile_builder_add_function_stats (builder, &stats);
    }
  if (with_paths)
    {
      guint32 run = sp_profile_builder_get_child (builder, SP_NO_NODE, frames[0]);
      guint32 work = sp_profile_builder_get_child (builder, run, frames[1]);

      sp_profile_builder_add_weight (builder, run, SP_METRIC_SECONDS, 0.6);
      sp_profile_builder_add_weight (builder, run, SP_METRIC_CALLS, 3);
      sp_profile_builder_add_weight (builder, work, SP_METRIC_SECONDS, 5.0);
      sp_profile_builder_add_weight (builder, work, SP_METRIC_CALLS, 6);
    }
  return sp_profile_builder_end (builder);
}

static SpProfileView *
show (GtkWindow *window,
      SpProfile *profile)
{
  SpProfileView *view = SP_PROFILE_VIEW (sp_profile_view_new ());
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (view));

  gtk_window_set_default_size (window, 1400, 700);
  gtk_window_set_child (window, GTK_WIDGET (view));
  sp_profile_view_set_profile (view, profile);
  gtk_window_present (window);
  while (!sp_function_table_is_ready (table))
    g_main_context_iteration (NULL, TRUE);
  return view;
}

static const char *
visible_page (GtkWidget *view_child)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_parent (view_child)));
}

static void
test_table_shows_corrected_seconds_and_runs (void)
{
  g_autoptr(SpProfile) profile = deterministic_profile (TRUE);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SpProfileView *view = show (window, profile);
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (view));
  SpCallTree *tree = SP_CALL_TREE (sp_profile_view_get_call_tree (view));

  for (SpFunctionColumn c = SP_FUNCTION_COLUMN_CALLS; c <= SP_FUNCTION_COLUMN_GC_SECONDS; c++)
    g_assert_true (sp_function_table_column_is_shown (table, c));
  g_assert_true (sp_function_table_column_is_shown (table, SP_FUNCTION_COLUMN_RUN_MIN));
  g_assert_true (sp_function_table_column_is_shown (table, SP_FUNCTION_COLUMN_RUN_MEDIAN));
  g_assert_true (sp_function_table_column_is_shown (table, SP_FUNCTION_COLUMN_RUN_MAX));
  g_assert_false (sp_function_table_column_is_shown (table, SP_FUNCTION_COLUMN_CUMULATIVE));
  /* the call tree has the paths, the flame graph their time */
  g_assert_cmpstr (visible_page (GTK_WIDGET (tree)), ==, "view");
  g_assert_cmpstr (visible_page (sp_profile_view_get_flame_view (view)), ==, "view");
  gtk_window_destroy (window);
}

static void
test_views_without_paths_say_why (void)
{
  g_autoptr(SpProfile) profile = deterministic_profile (FALSE);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SpProfileView *view = show (window, profile);
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (view));
  GtkWidget *tree = sp_profile_view_get_call_tree (view);
  GtkWidget *empty = gtk_stack_get_child_by_name (GTK_STACK (gtk_widget_get_parent (tree)), "empty");

  g_assert_cmpstr (visible_page (tree), ==, "empty");
  g_assert_cmpstr (visible_page (sp_profile_view_get_flame_view (view)), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Call Paths");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty)), "Record"));
  /* the table still shows every figure */
  g_assert_true (sp_function_table_column_is_shown (table, SP_FUNCTION_COLUMN_SECONDS));
  g_assert_true (sp_function_table_column_is_shown (table, SP_FUNCTION_COLUMN_RUN_MEDIAN));
  gtk_window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/DeterministicView/table-shows-corrected-seconds-and-runs",
                   test_table_shows_corrected_seconds_and_runs);
  g_test_add_func ("/DeterministicView/views-without-paths-say-why", test_views_without_paths_say_why);
  return g_test_run ();
}
