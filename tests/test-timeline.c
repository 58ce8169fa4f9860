/* The timeline: filtering a profile to a range of time, and lanes of density per thread. */
#include <json-glib/json-glib.h>

#include "sp-analysis.h"
#include "sp-profile-io.h"
#include "sp-test-util.h"
#include "sp-profile-time.h"

/* Phase A (spin-a) in the first second, phase B (spin-b) in the second; B has more samples
 * overall, so only a range can put A on top. */
static SpProfile *
phases_profile (SpProfileBuilder *b)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (lines, g_strdup_printf ("%g main;phase-a;spin-a 1", i * 0.01));
  for (guint i = 0; i < 150; i++)
    g_ptr_array_add (lines, g_strdup_printf ("%g main;phase-b;spin-b 1", 1.0 + i * 0.0066));
  g_ptr_array_add (lines, NULL);
  sp_test_add_timeline_lines (b, (const char * const *) lines->pdata);
  return sp_profile_builder_end (b);
}

static const char *
top_self (SpProfile *p)
{
  g_autoptr(GArray) rows = sp_profile_flat_table (p, sp_profile_get_default_metric (p));

  sp_flat_table_sort (rows, p, SP_FLAT_SORT_SELF);
  return sp_profile_get_frame (p, g_array_index (rows, SpFlatRow, 0).frame)->name;
}

static void
test_first_half_puts_a_on_top (void)
{
  g_autoptr(SpProfile) p = phases_profile (sp_profile_builder_new ());
  g_autoptr(SpProfile) first = sp_profile_filter_time_range (p, 0, 0.99);
  g_autoptr(SpProfile) second = sp_profile_filter_time_range (p, 2.0, 1.0);
  g_autoptr(SpProfile) empty = sp_profile_filter_time_range (p, 5, 6);
  double start, end;
  guint n;

  g_assert_cmpstr (top_self (p), ==, "spin-b");
  g_assert_true (sp_profile_get_time_span (p, &start, &end));
  g_assert_cmpfloat (start, ==, 0);
  g_assert_cmpfloat_with_epsilon (end, 1.0 + 149 * 0.0066, 1e-9);

  g_assert_cmpstr (top_self (first), ==, "spin-a");
  g_assert_cmpfloat (sp_profile_get_grand_total (first, SP_METRIC_SAMPLES), ==, 100);
  g_assert_cmpuint (sp_profile_lookup_frame (first, "phase-b"), !=, SP_NO_FRAME); /* frames stay */
  g_assert_nonnull (sp_profile_get_timeline (first, &n));
  g_assert_cmpuint (n, ==, 100);
  g_assert_cmpfloat_with_epsilon (sp_profile_get_meta (first)->duration, 0.99, 1e-12);

  /* from and to in either order */
  g_assert_cmpstr (top_self (second), ==, "spin-b");
  g_assert_cmpfloat (sp_profile_get_grand_total (second, SP_METRIC_SAMPLES), ==, 150);
  g_assert_cmpuint (sp_profile_get_n_nodes (empty), ==, 0);
}

/* Bytes of an allocation profile follow the samples; GC events are cut to the range, the other
 * sections kept; the filtered profile keeps its own consistent timeline. */
static void
test_bytes_and_sections (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  SpProfileSections *sections = sp_profile_builder_get_sections (b);
  const char * const lines[] = { "0.5 x;alloc 2", "1.5 x;alloc 1", "2.5 x;other 1", NULL };
  SpGcEvent gcs[2] = { { 0.7, 0.01, 0, 10, 5 }, { 2.2, 0.02, 1, 10, 5 } };
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpProfile) part = NULL;
  g_autoptr(SpProfile) again = NULL;
  guint32 node;
  guint n;

  sp_profile_builder_get_meta (b)->mode = SP_MODE_ALLOC;
  sp_profile_builder_enable_metric (b, SP_METRIC_BYTES);
  sp_test_add_timeline_lines (b, lines);
  node = sp_profile_builder_get_child (b, sp_profile_builder_get_child (b, SP_NO_NODE, 0), 1);
  sp_profile_builder_add_weight (b, node, SP_METRIC_BYTES, 3000);
  sp_profile_builder_intern_type (b, "CONS");
  sections->gc_events = g_array_new (FALSE, FALSE, sizeof (SpGcEvent));
  g_array_append_vals (sections->gc_events, gcs, 2);
  p = sp_profile_builder_end (b);

  part = sp_profile_filter_time_range (p, 1, 3);
  g_assert_cmpint (sp_profile_get_default_metric (part), ==, SP_METRIC_BYTES);
  /* alloc had 3 samples and 3000 bytes; one sample of it is in range */
  g_assert_cmpfloat (sp_profile_get_grand_total (part, SP_METRIC_BYTES), ==, 1000);
  g_assert_cmpfloat (sp_profile_get_grand_total (part, SP_METRIC_SAMPLES), ==, 2);
  g_assert_cmpuint (sp_profile_get_gc_events (part, &n)[0].generation, ==, 1);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (sp_profile_get_n_types (part), ==, 1);

  /* its timeline refers to its own nodes: filtering it again gives the same */
  again = sp_profile_filter_time_range (part, 0, 10);
  g_assert_cmpuint (sp_profile_get_n_nodes (again), ==, sp_profile_get_n_nodes (part));
  g_assert_cmpfloat (sp_profile_get_grand_total (again, SP_METRIC_BYTES), ==, 1000);
}

static void
test_lanes_per_thread (void)
{
  const char * const threads[] = { "0 @main;a 2", "0.5 @worker;b 1", "1 @main;c 3", "1 @worker;b 1", NULL };
  const char * const plain[] = { "0 a 1", "3 b 1", NULL };
  g_autoptr(SpProfile) p = sp_test_timeline_profile (threads);
  g_autoptr(SpProfile) q = sp_test_timeline_profile (plain);
  g_autoptr(SpProfile) none = sp_test_profile_from_lines ((const char * const[]) { "a 1", NULL });
  g_autoptr(SpTimelineLanes) lanes = sp_timeline_lanes_new (p, 4);
  g_autoptr(SpTimelineLanes) one = sp_timeline_lanes_new (q, 3);
  double sum = 0;

  g_assert_cmpuint (lanes->n_lanes, ==, 2);
  g_assert_cmpstr (sp_profile_get_frame (p, lanes->lane_threads[0])->name, ==, "main");
  g_assert_cmpstr (sp_profile_get_frame (p, lanes->lane_threads[1])->name, ==, "worker");
  g_assert_cmpfloat (lanes->density[0], ==, 2);          /* main, first bin */
  g_assert_cmpfloat (lanes->density[3], ==, 3);          /* main, last bin */
  g_assert_cmpfloat (lanes->density[4 + 2], ==, 1);      /* worker at 0.5 s */
  g_assert_cmpfloat (lanes->max_bin, ==, 3);
  for (guint i = 0; i < 8; i++)
    sum += lanes->density[i];
  g_assert_cmpfloat (sum, ==, 7);

  g_assert_cmpuint (one->n_lanes, ==, 1);
  g_assert_cmpuint (one->lane_threads[0], ==, SP_NO_FRAME);
  g_assert_cmpfloat (one->density[0], ==, 1);
  g_assert_cmpfloat (one->density[2], ==, 1);

  g_assert_null (sp_timeline_lanes_new (none, 10));
  g_assert_null (sp_profile_filter_time_range (none, 0, 1));
}

/* Samples every 10 ms of a recording sampled every 10 ms, in bins of about 1 ms: each sample
 * covers its interval, so every bin of the steady run has its share and none is empty. */
static void
test_lanes_spread_samples_over_their_interval (void)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpTimelineLanes) lanes = NULL;
  double sum = 0;

  for (guint i = 0; i <= 100; i++)
    g_ptr_array_add (lines, g_strdup_printf ("%g @main;run 1", i * 0.01));
  g_ptr_array_add (lines, NULL);
  sp_profile_builder_get_meta (builder)->mode = SP_MODE_CPU;
  sp_profile_builder_get_meta (builder)->interval = 0.01;
  sp_test_add_timeline_lines (builder, (const char * const *) lines->pdata);
  p = sp_profile_builder_end (builder);
  lanes = sp_timeline_lanes_new (p, 1000);

  /* the strip runs to the end of the last sample's interval */
  g_assert_cmpfloat_with_epsilon (lanes->end - lanes->start, 1.01, 1e-9);
  for (guint b = 0; b < 1000; b++)
    {
      g_assert_cmpfloat_with_epsilon (lanes->density[b], 0.101, 1e-9);
      sum += lanes->density[b];
    }
  g_assert_cmpfloat_with_epsilon (sum, 101, 1e-6);
  g_assert_cmpfloat_with_epsilon (lanes->max_bin, 0.101, 1e-9);
}

/* speedscope's Time Order view shows samples in file order: A's come before B's. */
static void
test_speedscope_in_time_order (void)
{
  g_autoptr(SpProfile) p = phases_profile (sp_profile_builder_new ());
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *profile;
  JsonArray *samples, *weights, *frames;
  guint32 spin_a = sp_profile_lookup_frame (p, "spin-a");
  double sum = 0;

  g_assert_true (sp_profile_write (p, out, SP_FILE_FORMAT_SPEEDSCOPE, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser,
                                             g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                                             &error));
  g_assert_no_error (error);
  frames = json_object_get_array_member (json_object_get_object_member (
             json_node_get_object (json_parser_get_root (parser)), "shared"), "frames");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (frames, spin_a), "name"), ==,
                   "spin-a");
  profile = json_array_get_object_element (json_object_get_array_member (
              json_node_get_object (json_parser_get_root (parser)), "profiles"), 0);
  samples = json_object_get_array_member (profile, "samples");
  weights = json_object_get_array_member (profile, "weights");
  g_assert_cmpuint (json_array_get_length (samples), ==, 250);
  g_assert_cmpuint (json_array_get_length (weights), ==, 250);
  for (guint i = 0; i < 250; i++)
    {
      JsonArray *stack = json_array_get_array_element (samples, i);
      gint64 leaf = json_array_get_int_element (stack, json_array_get_length (stack) - 1);

      g_assert_cmpint (leaf == spin_a, ==, i < 100);
      g_assert_cmpuint (json_array_get_length (stack), ==, 3);
      sum += json_array_get_double_element (weights, i);
    }
  g_assert_cmpfloat (sum, ==, 250);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/timeline/first-half-puts-a-on-top", test_first_half_puts_a_on_top);
  g_test_add_func ("/timeline/bytes-and-sections", test_bytes_and_sections);
  g_test_add_func ("/timeline/lanes-per-thread", test_lanes_per_thread);
  g_test_add_func ("/timeline/lanes-spread-samples-over-their-interval", test_lanes_spread_samples_over_their_interval);
  g_test_add_func ("/timeline/speedscope-in-time-order", test_speedscope_in_time_order);
  return g_test_run ();
}
