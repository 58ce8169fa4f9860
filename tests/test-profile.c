#include "sp-profile.h"
#include "sp-test-util.h"

static const char * const three_stacks[] = {
  "main;work;fib;fib 5",
  "main;work;alloc 3",
  "main;idle 2",
  "main;work;fib;fib 1",
  "other 4",
  NULL
};

static void
test_merge_and_preorder (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (three_stacks);
  const guint32 *parents = sp_profile_get_node_parents (p);
  const guint32 *ends = sp_profile_get_node_ends (p);
  const guint16 *depths = sp_profile_get_node_depths (p);
  const double *self = sp_profile_get_self_weights (p, SP_METRIC_SAMPLES);
  const double *total = sp_profile_get_total_weights (p, SP_METRIC_SAMPLES);
  g_autofree char *first_leaf = NULL;

  /* main, work, fib, fib, alloc, idle, other */
  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 7);
  g_assert_cmpuint (sp_profile_get_n_frames (p), ==, 6);
  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_SAMPLES), ==, 15);
  g_assert_cmpuint (sp_profile_get_max_depth (p), ==, 3);

  /* preorder, in the order stacks were first seen */
  first_leaf = sp_test_node_path (p, 3);
  g_assert_cmpstr (first_leaf, ==, "main;work;fib;fib");
  g_assert_cmpfloat (self[3], ==, 6);
  g_assert_cmpfloat (total[0], ==, 11);
  g_assert_cmpfloat (total[1], ==, 9);
  g_assert_cmpuint (ends[0], ==, 6);
  g_assert_cmpuint (ends[1], ==, 5);
  g_assert_cmpuint (parents[6], ==, SP_NO_NODE);
  for (guint i = 0; i < 7; i++)
    {
      g_assert_true (parents[i] == SP_NO_NODE || parents[i] < i);
      g_assert_cmpuint (depths[i], ==, parents[i] == SP_NO_NODE ? 0 : depths[parents[i]] + 1);
    }
  g_assert_false (sp_profile_has_metric (p, SP_METRIC_BYTES));
  g_assert_null (sp_profile_get_self_weights (p, SP_METRIC_BYTES));
}

static void
test_leaf_first (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  guint32 frames[3];
  double w[SP_N_METRICS] = { 2, 7 };
  g_autoptr(SpProfile) p = NULL;
  g_autofree char *path = NULL;

  frames[0] = sp_profile_builder_intern_frame (b, "leaf", -1);
  frames[1] = sp_profile_builder_intern_frame (b, "mid", -1);
  frames[2] = sp_profile_builder_intern_frame (b, "rootXX", 4);
  g_assert_cmpuint (sp_profile_builder_intern_frame (b, "leaf", -1), ==, frames[0]);
  g_assert_cmpuint (sp_profile_builder_add_stack (b, frames, 0, TRUE, w), ==, SP_NO_NODE);
  sp_profile_builder_add_stack (b, frames, 3, TRUE, w);
  p = sp_profile_builder_end (b);

  path = sp_test_node_path (p, 2);
  g_assert_cmpstr (path, ==, "root;mid;leaf");
  g_assert_cmpfloat (sp_profile_get_self_weights (p, SP_METRIC_BYTES)[2], ==, 7);
  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_SAMPLES), ==, 2);
}

static void
test_threads_have_own_names (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  guint32 fn = sp_profile_builder_intern_frame (b, "MAIN", -1);
  guint32 th = sp_profile_builder_intern_frame_full (b, "MAIN", SP_FRAME_KIND_THREAD);
  g_autoptr(SpProfile) p = NULL;

  g_assert_cmpuint (fn, !=, th);
  p = sp_profile_builder_end (b);
  g_assert_cmpint (sp_profile_get_frame (p, th)->kind, ==, SP_FRAME_KIND_THREAD);
  /* a lookup by name finds the function, not the thread */
  g_assert_cmpuint (sp_profile_lookup_frame (p, "MAIN"), ==, fn);
}

static void
test_location_and_stats (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  guint32 f = sp_profile_builder_intern_frame (b, "APP::RUN", -1);
  SpRunStats runs[2] = { { 10, 0.5, 100, 0 }, { 12, 0.7, 120, 0.1 } };
  SpFunctionStats stats = { f, { 22, 1.2, 220, 0.1 }, 2, runs };
  g_autoptr(SpProfile) p = NULL;
  const SpFunctionStats *got;

  sp_profile_builder_set_frame_location (b, f, "/src/app.lisp", 42);
  sp_profile_builder_add_function_stats (b, &stats);
  sp_profile_builder_get_meta (b)->mode = SP_MODE_DETERMINISTIC;
  sp_profile_builder_get_meta (b)->workload = g_strdup ("(app:run)");
  p = sp_profile_builder_end (b);

  g_assert_cmpstr (sp_profile_get_frame (p, f)->file, ==, "/src/app.lisp");
  g_assert_cmpstr (sp_profile_get_frame (p, f)->package, ==, "APP");
  g_assert_cmpuint (sp_profile_get_frame (p, f)->line, ==, 42);
  g_assert_cmpint (sp_profile_get_meta (p)->mode, ==, SP_MODE_DETERMINISTIC);
  g_assert_cmpstr (sp_profile_get_meta (p)->workload, ==, "(app:run)");
  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 0);
  got = sp_profile_find_function_stats (p, f);
  g_assert_nonnull (got);
  g_assert_cmpint (got->total.calls, ==, 22);
  g_assert_cmpuint (got->n_runs, ==, 2);
  g_assert_cmpfloat (got->runs[1].seconds, ==, 0.7);
}

static SpProfile *
from_arrays (const guint32 *parents,
             const guint32 *frames,
             guint          n,
             double         weight,
             GError       **error)
{
  SpProfileMeta meta;
  GPtrArray *table = g_ptr_array_new_with_free_func (g_free);
  double *weights[SP_N_METRICS] = { g_new (double, n) };

  sp_profile_meta_init (&meta);
  g_ptr_array_add (table, sp_frame_new ("a", NULL, SP_FRAME_KIND_FUNCTION, NULL, 0));
  g_ptr_array_add (table, sp_frame_new ("b", NULL, SP_FRAME_KIND_FUNCTION, NULL, 0));
  for (guint i = 0; i < n; i++)
    weights[0][i] = weight;
  return sp_profile_new_from_arrays (&meta, table, g_memdup2 (parents, 4 * n),
                                     g_memdup2 (frames, 4 * n), n, weights, NULL, 0, NULL, error);
}

static void
test_from_arrays_validates (void)
{
  const guint32 good_parents[] = { SP_NO_NODE, 0, 1, 0, SP_NO_NODE };
  const guint32 frames[] = { 0, 1, 0, 1, 1 };
  const guint32 forward[] = { SP_NO_NODE, 2, 0 };
  const guint32 sibling[] = { SP_NO_NODE, 0, 0, 1 };
  const guint32 bad_frames[] = { 0, 5 };
  const guint32 roots[] = { SP_NO_NODE, SP_NO_NODE };
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) p = from_arrays (good_parents, frames, 5, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sp_profile_get_node_ends (p)[0], ==, 4);
  g_assert_cmpfloat (sp_profile_get_total_weights (p, SP_METRIC_SAMPLES)[0], ==, 4);

  g_assert_null (from_arrays (forward, frames, 3, 1, &error));
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
  g_assert_true (strstr (error->message, "node 1") != NULL);
  g_clear_error (&error);

  /* node 3's parent is node 1, but node 2 (a sibling of 1) came between them */
  g_assert_null (from_arrays (sibling, frames, 4, 1, &error));
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
  g_assert_true (strstr (error->message, "node 3") != NULL);
  g_clear_error (&error);

  g_assert_null (from_arrays (roots, bad_frames, 2, 1, &error));
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
  g_assert_true (strstr (error->message, "frame 5") != NULL);
  g_clear_error (&error);

  g_assert_null (from_arrays (good_parents, frames, 5, -3, &error));
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
  g_assert_true (strstr (error->message, "negative") != NULL);
}

static void
test_big_merge (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  guint32 frames[8];
  g_autoptr(SpProfile) p = NULL;
  double one[SP_N_METRICS] = { 1 };

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("F%u", i);
      frames[i] = sp_profile_builder_intern_frame (b, name, -1);
    }
  /* 8^5 distinct stacks of depth 5, each added twice: grows nodes and hash many times */
  for (guint rep = 0; rep < 2; rep++)
    for (guint k = 0; k < 32768; k++)
      {
        guint32 stack[5];
        for (guint d = 0; d < 5; d++)
          stack[d] = frames[(k >> (3 * d)) & 7];
        sp_profile_builder_add_stack (b, stack, 5, FALSE, one);
      }
  p = sp_profile_builder_end (b);
  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 8 + 64 + 512 + 4096 + 32768);
  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_SAMPLES), ==, 65536);
  g_assert_cmpfloat (sp_profile_get_total_weights (p, SP_METRIC_SAMPLES)[0], ==, 65536 / 8);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/profile/merge-and-preorder", test_merge_and_preorder);
  g_test_add_func ("/profile/leaf-first", test_leaf_first);
  g_test_add_func ("/profile/threads-have-own-names", test_threads_have_own_names);
  g_test_add_func ("/profile/location-and-stats", test_location_and_stats);
  g_test_add_func ("/profile/from-arrays-validates", test_from_arrays_validates);
  g_test_add_func ("/profile/big-merge", test_big_merge);
  return g_test_run ();
}
