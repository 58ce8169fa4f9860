#include "sp-analysis.h"
#include "sp-diff.h"
#include "sp-profile-io.h"
#include "sp-runs.h"
#include "sp-test-util.h"

static const char * const before[] = { "main;run;fib 6", "main;run;cons 4", NULL };
static const char * const after[] = { "main;run;fib 3", "main;run;cons 5", "main;run;sort 2", NULL };

static const SpDiffRow *
find (GArray     *rows,
      const char *name)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (g_array_index (rows, SpDiffRow, i).name, name))
      return &g_array_index (rows, SpDiffRow, i);
  return NULL;
}

static void
test_table_in_percent (void)
{
  g_autoptr(SpProfile) a = sp_test_profile_from_lines (before);
  g_autoptr(SpProfile) b = sp_test_profile_from_lines (after);
  g_autoptr(GArray) rows = sp_profile_diff_table (a, b, SP_DIFF_SORT_DELTA);
  const SpDiffRow *fib = find (rows, "fib"), *sort = find (rows, "sort"), *run = find (rows, "run");

  g_assert_cmpuint (rows->len, ==, 5);
  /* 6 of 10 samples before, 3 of 10 after */
  g_assert_cmpfloat_with_epsilon (fib->base_self, 60, 1e-9);
  g_assert_cmpfloat_with_epsilon (fib->new_self, 30, 1e-9);
  g_assert_cmpfloat (sort->base_self, ==, 0);
  g_assert_cmpfloat_with_epsilon (sort->new_self, 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (run->base_total, 100, 1e-9);
  /* the biggest change first, either way */
  g_assert_cmpstr (g_array_index (rows, SpDiffRow, 0).name, ==, "fib");

  g_array_unref (rows);
  rows = sp_profile_diff_table (a, b, SP_DIFF_SORT_REGRESSION);
  g_assert_cmpstr (g_array_index (rows, SpDiffRow, 0).name, ==, "sort");
  g_assert_cmpstr (g_array_index (rows, SpDiffRow, rows->len - 1).name, ==, "fib");
}

/* The profile of a folded text, and its flat table read without the tree. */
static SpProfile *
load_folded (const char    *text,
             SpFoldedFlat **flat)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, -1, NULL);
  g_autoptr(GInputStream) again = g_memory_input_stream_new_from_data (text, -1, NULL);
  g_autoptr(GError) error = NULL;
  SpProfile *profile = sp_profile_load_stream (stream, "x.folded", NULL, &error);

  g_assert_no_error (error);
  *flat = sp_folded_read_flat (again, NULL, &error);
  g_assert_no_error (error);
  return profile;
}

/* `diff` reads folded files for their flat table only: the rows are those of the profiles,
 * with recursion counted once per stack and two-count lines taking their second count. */
static void
test_flat_sides_like_profiles (void)
{
  const char *base = "@main;run;fib;fib;fib 6\n@main;run;cons 4\nrun;fib;cons;fib 2\n@worker;loop;sort 3\n";
  const char *now = "@main;run;fib;fib 3\n@main;run;cons 5\n@main;run;sort 2\n@worker;loop 1\nrun;fib;cons;fib 2\n";
  g_autoptr(SpFoldedFlat) base_flat = NULL, now_flat = NULL;
  g_autoptr(SpProfile) base_profile = load_folded (base, &base_flat);
  g_autoptr(SpProfile) now_profile = load_folded (now, &now_flat);
  g_autoptr(SpDiffSide) base_side = sp_diff_side_new_from_flat (base_flat, "x.folded");
  g_autoptr(SpDiffSide) now_side = sp_diff_side_new_from_flat (now_flat, "x.folded");
  g_autoptr(GArray) expected = sp_profile_diff_table (base_profile, now_profile, SP_DIFF_SORT_NAME);
  g_autoptr(GArray) rows = sp_diff_side_compare (base_side, now_side, SP_DIFF_SORT_NAME);
  g_autoptr(SpFoldedFlat) two_flat = NULL;
  g_autoptr(SpProfile) two_profile = load_folded ("a;b 7 2\na 1 5\n", &two_flat);

  g_assert_true (sp_diff_side_check_comparable (base_side, now_side, NULL, NULL));
  g_assert_cmpuint (rows->len, ==, expected->len);
  g_assert_cmpuint (rows->len, ==, 7);   /* @main, @worker, run, fib, cons, sort, loop */
  for (guint i = 0; i < rows->len; i++)
    {
      const SpDiffRow *r = &g_array_index (rows, SpDiffRow, i), *e = &g_array_index (expected, SpDiffRow, i);

      g_assert_cmpstr (r->name, ==, e->name);
      g_assert_cmpfloat_with_epsilon (r->base_self, e->base_self, 1e-9);
      g_assert_cmpfloat_with_epsilon (r->base_total, e->base_total, 1e-9);
      g_assert_cmpfloat_with_epsilon (r->new_self, e->new_self, 1e-9);
      g_assert_cmpfloat_with_epsilon (r->new_total, e->new_total, 1e-9);
      g_assert_cmpint (r->within_noise, ==, e->within_noise);
    }
  /* fib recurses: counted once per stack, 8 of 15 samples */
  g_assert_cmpfloat_with_epsilon (find (rows, "fib")->base_total, 100.0 * 8 / 15, 1e-9);
  g_assert_cmpfloat (two_flat->grand_total, ==, sp_profile_get_grand_total (two_profile, SP_METRIC_SAMPLES));
}

static void
test_merge_keeps_both_counts (void)
{
  g_autoptr(SpProfile) a = sp_test_profile_from_lines (before);
  g_autoptr(SpProfile) b = sp_test_profile_from_lines (after);
  g_autoptr(SpProfile) merged = sp_profile_merge_for_diff (a, b);
  g_autoptr(GArray) now = sp_profile_flat_table (merged, SP_METRIC_SAMPLES);
  g_autoptr(GArray) then = sp_profile_flat_table (merged, SP_METRIC_BASELINE);
  guint32 fib = sp_profile_lookup_frame (merged, "fib");
  guint32 sort = sp_profile_lookup_frame (merged, "sort");

  g_assert_cmpfloat (sp_profile_get_grand_total (merged, SP_METRIC_SAMPLES), ==, 10);
  g_assert_cmpfloat (sp_profile_get_grand_total (merged, SP_METRIC_BASELINE), ==, 10);
  /* main;run shared, then fib, cons and sort */
  g_assert_cmpuint (sp_profile_get_n_nodes (merged), ==, 5);
  for (guint i = 0; i < now->len; i++)
    if (g_array_index (now, SpFlatRow, i).frame == fib)
      g_assert_cmpfloat (g_array_index (now, SpFlatRow, i).self, ==, 3);
  for (guint i = 0; i < then->len; i++)
    {
      const SpFlatRow *row = &g_array_index (then, SpFlatRow, i);
      if (row->frame == fib)
        g_assert_cmpfloat (row->self, ==, 6);
      g_assert_cmpuint (row->frame, !=, sort);   /* sort has no baseline weight */
    }
}

static void
test_deterministic_compares_seconds (void)
{
  SpProfile *profiles[2];
  g_autoptr(GArray) rows = NULL;
  const double seconds[2][2] = { { 1.0, 3.0 }, { 2.0, 2.0 } };

  for (guint p = 0; p < 2; p++)
    {
      SpProfileBuilder *b = sp_profile_builder_new ();
      const char *names[2] = { "APP::A", "APP::B" };

      sp_profile_builder_get_meta (b)->mode = SP_MODE_DETERMINISTIC;
      for (guint i = 0; i < 2; i++)
        {
          SpFunctionStats stats = { sp_profile_builder_intern_frame (b, names[i], -1),
                                    { 10, seconds[p][i], 0, 0 }, 0, NULL };
          sp_profile_builder_add_function_stats (b, &stats);
        }
      profiles[p] = sp_profile_builder_end (b);
    }
  rows = sp_profile_diff_table (profiles[0], profiles[1], SP_DIFF_SORT_NAME);
  g_assert_cmpstr (g_array_index (rows, SpDiffRow, 0).name, ==, "APP::A");
  g_assert_cmpfloat_with_epsilon (g_array_index (rows, SpDiffRow, 0).base_self, 25, 1e-9);
  g_assert_cmpfloat_with_epsilon (g_array_index (rows, SpDiffRow, 0).new_self, 50, 1e-9);
  /* without runs there is no noise to compare with */
  g_assert_cmpfloat (g_array_index (rows, SpDiffRow, 0).base_noise, <, 0);
  g_assert_false (g_array_index (rows, SpDiffRow, 0).within_noise);
  g_object_unref (profiles[0]);
  g_object_unref (profiles[1]);
}

/* A deterministic profile of APP::A and APP::B over three runs. */
static SpProfile *
profile_with_runs (const double a[3],
                   const double b[3])
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  const char *names[2] = { "APP::A", "APP::B" };
  const double *seconds[2] = { a, b };

  sp_profile_builder_get_meta (builder)->mode = SP_MODE_DETERMINISTIC;
  for (guint i = 0; i < 2; i++)
    {
      SpRunStats runs[3];
      SpFunctionStats stats = { sp_profile_builder_intern_frame (builder, names[i], -1), { 0 }, 3, runs };

      sp_run_stats_init (&stats.total);
      stats.total.calls = 30;
      stats.total.seconds = 0;
      for (guint r = 0; r < 3; r++)
        {
          sp_run_stats_init (&runs[r]);
          runs[r].calls = 10;
          runs[r].seconds = seconds[i][r];
          stats.total.seconds += seconds[i][r];
        }
      sp_profile_builder_add_function_stats (builder, &stats);
    }
  return sp_profile_builder_end (builder);
}

static void
test_changes_within_the_noise_of_runs (void)
{
  const double steady[3] = { 1, 1, 1 }, noisy[3] = { 1.0, 1.2, 0.8 };
  const double a_bit_more[3] = { 1.1, 1.1, 1.1 }, much_more[3] = { 3, 3, 3 };
  g_autoptr(SpProfile) base = profile_with_runs (noisy, steady);
  g_autoptr(SpProfile) close = profile_with_runs (a_bit_more, steady);
  g_autoptr(SpProfile) far = profile_with_runs (much_more, steady);
  g_autoptr(GArray) small = sp_profile_diff_table (base, close, SP_DIFF_SORT_NAME);
  g_autoptr(GArray) large = sp_profile_diff_table (base, far, SP_DIFF_SORT_NAME);
  const SpDiffRow *a_small = find (small, "APP::A"), *a_large = find (large, "APP::A");
  SpSpread spread;

  /* A's share of each run of the baseline: 50 %, 54.5 %, 44.4 % */
  g_assert_cmpfloat_with_epsilon (a_small->base_noise, 100 * (1.2 / 2.2 - 0.8 / 1.8), 1e-9);
  g_assert_cmpfloat (a_small->new_noise, ==, 0);
  g_assert_true (a_small->within_noise);     /* 50 % → 52.4 % */
  g_assert_false (a_large->within_noise);    /* 50 % → 75 % */
  g_assert_true (sp_function_spread (sp_profile_find_function_stats (base, sp_profile_lookup_frame (base, "APP::A")),
                                     &spread));
  g_assert_cmpfloat (spread.min, ==, 0.8);
  g_assert_cmpfloat (spread.median, ==, 1.0);
  g_assert_cmpfloat (spread.max, ==, 1.2);
}

static void
test_spread_of_runs (void)
{
  const double values[4] = { 4, 1, 3, 2 };
  SpSpread spread;

  g_assert_false (sp_spread_of (values, 0, &spread));
  g_assert_true (sp_spread_of (values, 4, &spread));
  g_assert_cmpuint (spread.n, ==, 4);
  g_assert_cmpfloat (spread.min, ==, 1);
  g_assert_cmpfloat (spread.median, ==, 2.5);
  g_assert_cmpfloat (spread.max, ==, 4);
  g_assert_cmpfloat_with_epsilon (sp_spread_percent (&spread), 120, 1e-9);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/diff/table-in-percent", test_table_in_percent);
  g_test_add_func ("/diff/merge-keeps-both-counts", test_merge_keeps_both_counts);
  g_test_add_func ("/diff/flat-sides-like-profiles", test_flat_sides_like_profiles);
  g_test_add_func ("/diff/deterministic-compares-seconds", test_deterministic_compares_seconds);
  g_test_add_func ("/diff/changes-within-the-noise-of-runs", test_changes_within_the_noise_of_runs);
  g_test_add_func ("/diff/spread-of-runs", test_spread_of_runs);
  return g_test_run ();
}
