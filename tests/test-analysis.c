#include "sp-analysis.h"
#include "sp-profile-transform.h"
#include "sp-test-util.h"

/* fib recursing into itself: sb-sprof's own "total" would count fib several times a sample */
static const char * const recursive[] = {
  "main;run;fib;fib;fib 6",
  "main;run;fib;fib 2",
  "main;run;fib;helper;fib 2",
  "main;run;cons 5",
  "main 1",
  NULL
};

static const SpFlatRow *
find_row (SpProfile  *p,
          GArray     *rows,
          const char *name)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (sp_profile_get_frame (p, g_array_index (rows, SpFlatRow, i).frame)->name, name))
      return &g_array_index (rows, SpFlatRow, i);
  return NULL;
}

static void
test_flat_counts_recursion_once (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (recursive);
  g_autoptr(GArray) rows = sp_profile_flat_table (p, SP_METRIC_SAMPLES);
  const SpFlatRow *fib = find_row (p, rows, "fib");
  const SpFlatRow *main_row = find_row (p, rows, "main");
  const SpFlatRow *helper = find_row (p, rows, "helper");
  double self_sum = 0;

  g_assert_cmpuint (rows->len, ==, 5);
  g_assert_cmpfloat (fib->self, ==, 10);
  g_assert_cmpfloat (fib->total, ==, 10);
  g_assert_cmpfloat (main_row->total, ==, 16);
  g_assert_cmpfloat (main_row->self, ==, 1);
  g_assert_cmpfloat (helper->total, ==, 2);
  g_assert_cmpfloat (helper->self, ==, 0);
  g_assert_cmpint (fib->calls, ==, -1);
  for (guint i = 0; i < rows->len; i++)
    self_sum += g_array_index (rows, SpFlatRow, i).self;
  g_assert_cmpfloat (self_sum, ==, sp_profile_get_grand_total (p, SP_METRIC_SAMPLES));

  sp_flat_table_sort (rows, p, SP_FLAT_SORT_SELF);
  g_assert_cmpstr (sp_profile_get_frame (p, g_array_index (rows, SpFlatRow, 0).frame)->name, ==, "fib");
  sp_flat_table_sort (rows, p, SP_FLAT_SORT_TOTAL);
  g_assert_cmpstr (sp_profile_get_frame (p, g_array_index (rows, SpFlatRow, 0).frame)->name, ==, "main");
  sp_flat_table_sort (rows, p, SP_FLAT_SORT_NAME);
  g_assert_cmpstr (sp_profile_get_frame (p, g_array_index (rows, SpFlatRow, 0).frame)->name, ==, "cons");
}

static double
edge_weight (SpProfile  *p,
             GArray     *edges,
             const char *name)
{
  for (guint i = 0; i < edges->len; i++)
    {
      const SpEdge *e = &g_array_index (edges, SpEdge, i);
      if (name == NULL ? e->frame == SP_NO_FRAME
                       : e->frame != SP_NO_FRAME && g_str_equal (sp_profile_get_frame (p, e->frame)->name, name))
        return e->weight;
    }
  return -1;
}

static void
test_callers_and_callees (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (recursive);
  guint32 fib = sp_profile_lookup_frame (p, "fib");
  g_autoptr(SpCallGraphEntry) e = sp_profile_call_graph_entry (p, fib, SP_METRIC_SAMPLES);
  g_autoptr(SpCallGraphEntry) m = sp_profile_call_graph_entry (p, sp_profile_lookup_frame (p, "main"),
                                                                SP_METRIC_SAMPLES);

  g_assert_cmpfloat (e->self, ==, 10);
  g_assert_cmpfloat (e->total, ==, 10);
  g_assert_cmpuint (e->callers->len, ==, 3);
  g_assert_cmpfloat (edge_weight (p, e->callers, "run"), ==, 10);
  /* fib;fib;fib counts the fib → fib edge once for those 6 samples */
  g_assert_cmpfloat (edge_weight (p, e->callers, "fib"), ==, 8);
  g_assert_cmpfloat (edge_weight (p, e->callers, "helper"), ==, 2);
  g_assert_cmpfloat (edge_weight (p, e->callees, "fib"), ==, 8);
  g_assert_cmpfloat (edge_weight (p, e->callees, "helper"), ==, 2);
  /* heaviest first */
  g_assert_cmpfloat (g_array_index (e->callers, SpEdge, 0).weight, ==, 10);

  g_assert_cmpfloat (edge_weight (p, m->callers, NULL), ==, 16);
  g_assert_cmpfloat (edge_weight (p, m->callees, "run"), ==, 15);
}

static void
test_invert (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (recursive);
  g_autoptr(SpProfile) inv = sp_profile_invert (p);
  const guint32 *frames = sp_profile_get_node_frames (inv);
  const guint32 *ends = sp_profile_get_node_ends (inv);
  const double *total = sp_profile_get_total_weights (inv, SP_METRIC_SAMPLES);
  g_autoptr(GArray) rows = sp_profile_flat_table (inv, SP_METRIC_SAMPLES);
  guint n_roots = 0;

  g_assert_cmpfloat (sp_profile_get_grand_total (inv, SP_METRIC_SAMPLES), ==, 16);
  for (guint32 r = 0; r < sp_profile_get_n_nodes (inv); r = ends[r])
    {
      const char *name = sp_profile_get_frame (inv, frames[r])->name;
      n_roots++;
      if (g_str_equal (name, "fib"))
        g_assert_cmpfloat (total[r], ==, 10);
      else if (g_str_equal (name, "cons"))
        g_assert_cmpfloat (total[r], ==, 5);
      else
        g_assert_cmpstr (name, ==, "main");
    }
  g_assert_cmpuint (n_roots, ==, 3);
  /* the same frame ids in both */
  g_assert_cmpuint (sp_profile_get_n_frames (inv), ==, sp_profile_get_n_frames (p));
  g_assert_cmpuint (sp_profile_lookup_frame (inv, "helper"), ==, sp_profile_lookup_frame (p, "helper"));
  g_assert_cmpfloat (find_row (inv, rows, "fib")->total, ==, 10);
}

static const char * const threaded[] = {
  "@main thread;main;work 3",
  "@worker;loop;work 4",
  "@main thread;main 1",
  NULL
};

static void
test_threads (void)
{
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (threaded);
  g_autoptr(GArray) threads = sp_profile_list_threads (p);
  g_autoptr(GArray) rows = sp_profile_flat_table (p, SP_METRIC_SAMPLES);
  g_autoptr(SpProfile) worker = NULL;
  g_autoptr(SpProfile) inv = sp_profile_invert (p);
  guint32 worker_frame;

  g_assert_cmpuint (threads->len, ==, 2);
  worker_frame = g_array_index (threads, guint32, 1);
  g_assert_cmpstr (sp_profile_get_frame (p, worker_frame)->name, ==, "worker");
  /* thread pseudo frames are not functions */
  g_assert_null (find_row (p, rows, "worker"));
  g_assert_cmpfloat (find_row (p, rows, "work")->total, ==, 7);

  worker = sp_profile_filter_thread (p, worker_frame);
  g_assert_cmpuint (sp_profile_get_n_nodes (worker), ==, 2);
  g_assert_cmpfloat (sp_profile_get_grand_total (worker, SP_METRIC_SAMPLES), ==, 4);
  g_assert_cmpuint (sp_profile_get_node_parents (worker)[0], ==, SP_NO_NODE);
  g_assert_cmpstr (sp_profile_get_frame (worker, sp_profile_get_node_frames (worker)[0])->name, ==, "loop");

  /* bottom-up leaves the threads out */
  for (guint i = 0; i < sp_profile_get_n_nodes (inv); i++)
    g_assert_cmpint (sp_profile_get_frame (inv, sp_profile_get_node_frames (inv)[i])->kind, !=,
                     SP_FRAME_KIND_THREAD);
}

static void
test_find_function (void)
{
  static const char * const lines[] = { "A::FIB;B::FIB 1", "A::RUN;(LAMBDA () :IN A::RUN) 1", NULL };
  g_autoptr(SpProfile) p = sp_test_profile_from_lines (lines);

  g_assert_cmpuint (sp_profile_find_function (p, "A::FIB"), ==, sp_profile_lookup_frame (p, "A::FIB"));
  g_assert_cmpuint (sp_profile_find_function (p, "a::run"), ==, sp_profile_lookup_frame (p, "A::RUN"));
  g_assert_cmpuint (sp_profile_find_function (p, "run"), ==, sp_profile_lookup_frame (p, "A::RUN"));
  /* ambiguous: two packages have a FIB */
  g_assert_cmpuint (sp_profile_find_function (p, "fib"), ==, SP_NO_FRAME);
  g_assert_cmpuint (sp_profile_find_function (p, "nothing"), ==, SP_NO_FRAME);
}

static const char * const timed_threads[] = {
  "0.1 @one;a;b 2",
  "0.2 @two;a;c 1",
  "0.3 @one;a;b 1",
  "0.4 @two;a 4",
  NULL
};

static SpProfile *
timed_profile_with_sections (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  SpProfileSections *sections = sp_profile_builder_get_sections (b);
  SpGcEvent gc = { 0.25, 0.01, 0, 100, 50 };
  SpAllocRow row = { 0, 0, 1, 16 };

  sp_test_add_timeline_lines (b, timed_threads);
  row.type = sp_profile_builder_intern_type (b, "CONS");
  row.frame = sp_profile_builder_intern_frame (b, "b", -1);
  sections->alloc_rows = g_array_new (FALSE, FALSE, sizeof (SpAllocRow));
  g_array_append_val (sections->alloc_rows, row);
  sections->gc_events = g_array_new (FALSE, FALSE, sizeof (SpGcEvent));
  g_array_append_val (sections->gc_events, gc);
  return sp_profile_builder_end (b);
}

/* The timeline's entries of a derived profile, as "time path weight" lines. */
static char *
timeline_text (SpProfile *p)
{
  guint n;
  const SpTimelineSample *timeline = sp_profile_get_timeline (p, &n);
  GString *text = g_string_new (NULL);

  g_assert_nonnull (timeline);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = sp_test_node_path (p, timeline[i].node);

      g_string_append_printf (text, "%g %s %g\n", timeline[i].time, path, timeline[i].weight);
    }
  return g_string_free (text, FALSE);
}

static void
assert_sections_kept (SpProfile *p)
{
  guint n;

  g_assert_cmpuint (sp_profile_get_n_types (p), ==, 1);
  g_assert_cmpstr (sp_profile_get_type_name (p, 0), ==, "CONS");
  g_assert_nonnull (sp_profile_get_alloc_rows (p, &n));
  g_assert_cmpstr (sp_profile_get_frame (p, sp_profile_get_alloc_rows (p, &n)[0].frame)->name, ==, "b");
  g_assert_cmpfloat (sp_profile_get_gc_events (p, &n)[0].time, ==, 0.25);
}

/* Inverting and filtering by thread keep the sections, and the timeline follows the samples. */
static void
test_derived_profiles_keep_sections (void)
{
  g_autoptr(SpProfile) p = timed_profile_with_sections ();
  g_autoptr(SpProfile) inverted = sp_profile_invert (p);
  g_autoptr(SpProfile) one = sp_profile_filter_thread (p, sp_profile_get_node_frames (p)[0]);
  g_autofree char *inverted_text = NULL;
  g_autofree char *one_text = NULL;
  g_autofree char *original = timeline_text (p);

  g_assert_cmpstr (original, ==, "0.1 one;a;b 2\n0.2 two;a;c 1\n0.3 one;a;b 1\n0.4 two;a 4\n");
  assert_sections_kept (inverted);
  inverted_text = timeline_text (inverted);
  g_assert_cmpstr (inverted_text, ==, "0.1 b;a 2\n0.2 c;a 1\n0.3 b;a 1\n0.4 a 4\n");
  assert_sections_kept (one);
  one_text = timeline_text (one);
  g_assert_cmpstr (one_text, ==, "0.1 a;b 2\n0.3 a;b 1\n");
}

static void
test_transforms_keep_sections (void)
{
  g_autoptr(SpProfile) p = timed_profile_with_sections ();
  guint32 a = sp_profile_lookup_frame (p, "a");
  g_autoptr(SpProfile) hidden = sp_profile_hide_function (p, a);
  g_autoptr(SpProfile) focused = sp_profile_focus_function (p, sp_profile_lookup_frame (p, "b"));
  g_autoptr(SpProfile) collapsed = sp_profile_collapse_recursion (p, TRUE);
  g_autofree char *hidden_text = timeline_text (hidden);
  g_autofree char *focused_text = timeline_text (focused);
  g_autofree char *collapsed_text = timeline_text (collapsed);
  g_autofree char *original = timeline_text (p);

  assert_sections_kept (hidden);
  assert_sections_kept (focused);
  assert_sections_kept (collapsed);
  g_assert_cmpstr (hidden_text, ==, "0.1 one;b 2\n0.2 two;c 1\n0.3 one;b 1\n0.4 two 4\n");
  g_assert_cmpstr (focused_text, ==, "0.1 b 2\n0.3 b 1\n");
  g_assert_cmpstr (collapsed_text, ==, original);
}

/* Stacks deeper than the model's 16-bit depths count: the bottom-up profile of a 100 000-deep
 * stack (two frames alternating) is built without writing past a buffer sized by depth. */
static void
test_invert_deep (void)
{
  g_autoptr(SpProfileBuilder) builder = sp_profile_builder_new ();
  g_autofree guint32 *stack = g_new (guint32, 100000);
  double weights[SP_N_METRICS] = { 3 };
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpProfile) inverted = NULL;
  guint32 a, b;

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  a = sp_profile_builder_intern_frame (builder, "a", -1);
  b = sp_profile_builder_intern_frame (builder, "b", -1);
  for (guint i = 0; i < 100000; i++)
    stack[i] = i % 2 ? b : a;
  sp_profile_builder_add_stack (builder, stack, 100000, FALSE, weights);
  p = sp_profile_builder_end (g_steal_pointer (&builder));
  g_assert_cmpuint (sp_profile_get_max_depth (p), ==, G_MAXUINT16);

  inverted = sp_profile_invert (p);
  g_assert_cmpuint (sp_profile_get_n_nodes (inverted), ==, 100000);
  /* the leaf, b, is the inverted root */
  g_assert_cmpstr (sp_profile_get_frame (inverted, sp_profile_get_node_frames (inverted)[0])->name,
                   ==, "b");
  g_assert_cmpfloat (sp_profile_get_grand_total (inverted, SP_METRIC_SAMPLES), ==, 3);
}

/* The bottom-up tree as the tree builder makes it: each sample's stack added leaf first. */
static SpProfile *
invert_with_builder (SpProfile *profile)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));

  sp_profile_meta_copy (sp_profile_builder_get_meta (builder), sp_profile_get_meta (profile));
  sp_profile_builder_add_frames_from (builder, profile);
  for (SpMetric m = 0; m < SP_N_METRICS; m++)
    if (sp_profile_has_metric (profile, m))
      sp_profile_builder_enable_metric (builder, m);
  for (guint32 i = 0; i < sp_profile_get_n_nodes (profile); i++)
    {
      double weights[SP_N_METRICS] = { 0 };
      gboolean any = FALSE;

      for (SpMetric m = 0; m < SP_N_METRICS; m++)
        if (sp_profile_has_metric (profile, m))
          any |= (weights[m] = sp_profile_get_self_weights (profile, m)[i]) != 0;
      if (!any)
        continue;
      g_array_set_size (stack, 0);
      for (guint32 n = i; n != SP_NO_NODE; n = parents[n])
        if (sp_profile_get_frame (profile, frames[n])->kind != SP_FRAME_KIND_THREAD)
          g_array_append_val (stack, frames[n]);
      sp_profile_builder_add_stack (builder, (guint32 *) stack->data, stack->len, FALSE, weights);
    }
  return sp_profile_builder_end (builder);
}

/* The bottom-up tree, laid out in preorder at once, is node for node the one the builder makes,
 * on a random profile of threads, recursion and two metrics. */
static void
test_invert_like_builder (void)
{
  static const char * const names[] = { "@main", "@worker", "run", "fib", "cons", "gc", "sort", "@idle" };
  static const SpMetric metrics[] = { SP_METRIC_SAMPLES, SP_METRIC_BYTES };
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  SpProfileBuilder *builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpProfile) fast = NULL;
  g_autoptr(SpProfile) slow = NULL;
  guint32 ids[G_N_ELEMENTS (names)];
  guint n_samples = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    ids[i] = sp_profile_builder_intern_frame (builder, names[i], -1);
  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  sp_profile_builder_enable_metric (builder, SP_METRIC_BYTES);
  /* more samples than PARALLEL_CURSORS: the later roots are laid out by a second thread; a few
   * stacks deeper than the room a climb starts with (256 frames) */
  for (guint line = 0; line < 100000; line++)
    {
      guint32 stack[700];
      guint depth = line % 500 == 0 ? g_rand_int_range (rand, 300, G_N_ELEMENTS (stack))
                                    : g_rand_int_range (rand, 1, 24);
      double weights[SP_N_METRICS] = { 0 };

      for (guint d = 0; d < depth; d++)
        stack[d] = ids[g_rand_int_range (rand, d == 0 ? 0 : 2, G_N_ELEMENTS (names))];
      weights[SP_METRIC_SAMPLES] = g_rand_int_range (rand, 1, 3);
      weights[SP_METRIC_BYTES] = g_rand_int_range (rand, 0, 2) * 16;
      sp_profile_builder_add_stack (builder, stack, depth, FALSE, weights);
    }
  p = sp_profile_builder_end (builder);
  for (guint32 i = 0; i < sp_profile_get_n_nodes (p); i++)
    n_samples += sp_profile_get_self_weights (p, SP_METRIC_SAMPLES)[i] > 0;
  g_assert_cmpuint (n_samples, >, 64 * 1024);
  fast = sp_profile_invert (p);
  slow = invert_with_builder (p);

  g_assert_cmpuint (sp_profile_get_n_nodes (fast), >, 100);
  g_assert_cmpuint (sp_profile_get_n_nodes (fast), ==, sp_profile_get_n_nodes (slow));
  g_assert_cmpmem (sp_profile_get_node_parents (fast), 4 * sp_profile_get_n_nodes (fast),
                   sp_profile_get_node_parents (slow), 4 * sp_profile_get_n_nodes (slow));
  g_assert_cmpmem (sp_profile_get_node_frames (fast), 4 * sp_profile_get_n_nodes (fast),
                   sp_profile_get_node_frames (slow), 4 * sp_profile_get_n_nodes (slow));
  /* the columns the inversion computes itself, half by half, are the profile's own */
  g_assert_cmpmem (sp_profile_get_node_ends (fast), 4 * sp_profile_get_n_nodes (fast),
                   sp_profile_get_node_ends (slow), 4 * sp_profile_get_n_nodes (slow));
  g_assert_cmpmem (sp_profile_get_node_depths (fast), 2 * sp_profile_get_n_nodes (fast),
                   sp_profile_get_node_depths (slow), 2 * sp_profile_get_n_nodes (slow));
  g_assert_cmpuint (sp_profile_get_max_depth (fast), ==, sp_profile_get_max_depth (slow));
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      SpMetric m = metrics[i];

      g_assert_cmpmem (sp_profile_get_self_weights (fast, m), 8 * sp_profile_get_n_nodes (fast),
                       sp_profile_get_self_weights (slow, m), 8 * sp_profile_get_n_nodes (slow));
      g_assert_cmpmem (sp_profile_get_total_weights (fast, m), 8 * sp_profile_get_n_nodes (fast),
                       sp_profile_get_total_weights (slow, m), 8 * sp_profile_get_n_nodes (slow));
      g_assert_cmpfloat (sp_profile_get_grand_total (fast, m), ==, sp_profile_get_grand_total (p, m));
    }
}

/* A profile with no nodes (a recording with no samples) has its metric, zero totals, and empty
 * views. */
static void
test_zero_nodes (void)
{
  g_autoptr(SpProfileBuilder) builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpProfile) inverted = NULL;
  g_autoptr(GArray) rows = NULL;

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  p = sp_profile_builder_end (g_steal_pointer (&builder));
  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 0);
  g_assert_true (sp_profile_has_metric (p, SP_METRIC_SAMPLES));
  g_assert_nonnull (sp_profile_get_total_weights (p, SP_METRIC_SAMPLES));
  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_SAMPLES), ==, 0);
  rows = sp_profile_flat_table (p, SP_METRIC_SAMPLES);
  g_assert_cmpuint (rows->len, ==, 0);
  inverted = sp_profile_invert (p);
  g_assert_cmpuint (sp_profile_get_n_nodes (inverted), ==, 0);
}

/* Weights that are finite one by one but add up to more than a double holds are refused by the
 * builder's checked end, with a message, and never reach an assertion. */
static void
test_weights_overflow (void)
{
  g_autoptr(SpProfileBuilder) builder = sp_profile_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) p = NULL;
  double weights[SP_N_METRICS] = { 1e308 };
  guint32 stack[2];

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  stack[0] = sp_profile_builder_intern_frame (builder, "a", -1);
  stack[1] = sp_profile_builder_intern_frame (builder, "b", -1);
  sp_profile_builder_add_stack (builder, stack, 2, FALSE, weights);
  sp_profile_builder_add_stack (builder, stack, 1, FALSE, weights);
  p = sp_profile_builder_finish (g_steal_pointer (&builder), &error);
  g_assert_null (p);
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "more than a profile can count"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/flat-counts-recursion-once", test_flat_counts_recursion_once);
  g_test_add_func ("/analysis/callers-and-callees", test_callers_and_callees);
  g_test_add_func ("/analysis/invert", test_invert);
  g_test_add_func ("/analysis/threads", test_threads);
  g_test_add_func ("/analysis/find-function", test_find_function);
  g_test_add_func ("/analysis/derived-profiles-keep-sections", test_derived_profiles_keep_sections);
  g_test_add_func ("/analysis/transforms-keep-sections", test_transforms_keep_sections);
  g_test_add_func ("/analysis/invert-deep", test_invert_deep);
  g_test_add_func ("/analysis/invert-like-builder", test_invert_like_builder);
  g_test_add_func ("/analysis/zero-nodes", test_zero_nodes);
  g_test_add_func ("/analysis/weights-overflow", test_weights_overflow);
  return g_test_run ();
}
