#include "sp-analysis.h"
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
  return g_test_run ();
}
