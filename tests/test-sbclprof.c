#include <json-glib/json-glib.h>

#include "sp-io-test-util.h"
#include "sp-profile-transform.h"

/* A profile using every part of the format: all metadata, frame kinds and locations, three
 * metrics with awkward doubles, a thread root, and per-function figures with runs. */
static SpProfile *
rich_profile (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  SpProfileMeta *meta = sp_profile_builder_get_meta (b);
  guint32 thread = sp_profile_builder_intern_frame_full (b, "main thread", SP_FRAME_KIND_THREAD);
  guint32 fn = sp_profile_builder_intern_frame (b, "WORKLOAD::FIB", -1);
  guint32 lambda = sp_profile_builder_intern_frame (b, "(LAMBDA (X) :IN WORKLOAD::RUN)", -1);
  guint32 odd = sp_profile_builder_intern_frame (b, "\"quoted\\name\"\n\t\001 ünïcode", -1);
  guint32 stack[4] = { thread, fn, lambda, odd };
  double weights[SP_N_METRICS] = { 3, 1.0 / 3.0, 0.1 };
  SpRunStats runs[2] = { { 10, 0.25, 4096, 0.0 }, { 12, 1e-300, -1, -1 } };
  SpFunctionStats stats = { fn, { 22, 0.25 + 1e-300, 4096, -1 }, 2, runs };

  meta->mode = SP_MODE_ALLOC;
  meta->interval = 0.01;
  meta->sbcl_version = g_strdup ("2.2.9.debian");
  meta->host = g_strdup ("host “quoted”");
  meta->start_time = G_GINT64_CONSTANT (1764000000123456);
  meta->duration = 12.345678901234567;
  meta->workload = g_strdup ("(fib 30)\n(print \"done\")");
  meta->gc_seconds = 0.5;
  meta->bytes_consed = G_GINT64_CONSTANT (9007199254740993);
  meta->sample_count = 4;
  meta->truncated = TRUE;
  meta->source = g_strdup ("record");
  meta->warmup_runs = 1;
  meta->runs = 2;
  sp_profile_builder_set_frame_location (b, fn, "/src/fib.lisp", 42);
  sp_profile_builder_add_stack (b, stack, 4, FALSE, weights);
  weights[0] = 1;
  weights[1] = 1e17 + 8;
  weights[2] = 0;
  sp_profile_builder_add_stack (b, stack, 2, FALSE, weights);
  sp_profile_builder_add_function_stats (b, &stats);
  return sp_profile_builder_end (b);
}

/* Every part of version 2: alloc-exact mode, the new metadata, seconds and calls metrics, the
 * new per-run figures, and each section. */
static SpProfile *
rich_profile_v2 (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  SpProfileMeta *meta = sp_profile_builder_get_meta (b);
  SpProfileSections *sections = sp_profile_builder_get_sections (b);
  guint32 thread = sp_profile_builder_intern_frame_full (b, "main thread", SP_FRAME_KIND_THREAD);
  guint32 fn = sp_profile_builder_intern_frame (b, "WORKLOAD::FIB", -1);
  guint32 alloc = sp_profile_builder_intern_frame (b, "WORKLOAD::MAKE-LIST*", -1);
  guint32 stack[3] = { thread, fn, alloc };
  double weights[SP_N_METRICS] = { 3, 4096, 0, 0.125, 7 };
  SpRunStats runs[2];
  SpFunctionStats stats = { fn, { 22, 0.25, 4096, 0.5, 0.375, 3, 1.0 / 3.0 }, 2, runs };
  guint32 leaf, cons, vector;
  SpAllocRow rows[2];
  SpGcEvent gcs[2] = { { 0.5, 0.01, 0, 1 << 20, 1 << 19 }, { 1.25, 1e-3, 6, -1, -1 } };
  SpHeapRow before = { 0, 10, 160 };
  SpHeapRow after[2] = { { 0, 12, 192 }, { 1, 1, 1.0 / 3.0 } };
  SpRunSummary summaries[2] = { { 1.5, 0.25, 1 << 30, 150 }, { -1, -1, -1, -1 } };

  sp_run_stats_init (&runs[0]);
  sp_run_stats_init (&runs[1]);
  runs[0].raw_seconds = 0.5;
  runs[1].self_weight = 2;
  runs[1].total_weight = 1.0 / 7.0;
  meta->mode = SP_MODE_ALLOC_EXACT;
  meta->end_reason = g_strdup ("sample-limit");
  meta->end_message = g_strdup ("The “limit” was reached.");
  meta->overhead_call = 1.5e-7;
  meta->overhead_nested = 2.5e-7;
  meta->timeline_estimated = TRUE;
  meta->instrumented = g_strdup ("(workload::run)");
  meta->heap_snapshot_seconds = 0.042;
  leaf = sp_profile_builder_add_stack (b, stack, 3, FALSE, weights);
  sp_profile_builder_add_function_stats (b, &stats);

  cons = sp_profile_builder_intern_type (b, "CONS");
  vector = sp_profile_builder_intern_type (b, "SIMPLE-VECTOR");
  rows[0] = (SpAllocRow) { alloc, cons, 100, 1600 };
  rows[1] = (SpAllocRow) { fn, vector, 0.1, 1e17 + 8 };
  sections->alloc_rows = g_array_new (FALSE, FALSE, sizeof (SpAllocRow));
  g_array_append_vals (sections->alloc_rows, rows, 2);
  sections->gc_events = g_array_new (FALSE, FALSE, sizeof (SpGcEvent));
  g_array_append_vals (sections->gc_events, gcs, 2);
  sections->heap_before = g_array_new (FALSE, FALSE, sizeof (SpHeapRow));
  g_array_append_vals (sections->heap_before, &before, 1);
  sections->heap_after = g_array_new (FALSE, FALSE, sizeof (SpHeapRow));
  g_array_append_vals (sections->heap_after, after, 2);
  sections->run_summaries = g_array_new (FALSE, FALSE, sizeof (SpRunSummary));
  g_array_append_vals (sections->run_summaries, summaries, 2);
  sp_profile_builder_add_timeline_sample (b, 0.001, leaf, 1);
  sp_profile_builder_add_timeline_sample (b, 0.001, sp_profile_builder_get_child (b, SP_NO_NODE, thread), 2);
  sp_profile_builder_add_timeline_sample (b, 1.0 / 3.0, leaf, 0.5);
  return sp_profile_builder_end (b);
}

static void
assert_same_runs (const SpRunStats *a,
                  const SpRunStats *b)
{
  g_assert_cmpint (a->calls, ==, b->calls);
  g_assert_cmpfloat (a->seconds, ==, b->seconds);
  g_assert_cmpint (a->bytes, ==, b->bytes);
  g_assert_cmpfloat (a->gc_seconds, ==, b->gc_seconds);
  g_assert_cmpfloat (a->raw_seconds, ==, b->raw_seconds);
  g_assert_cmpfloat (a->self_weight, ==, b->self_weight);
  g_assert_cmpfloat (a->total_weight, ==, b->total_weight);
}

/* Compares arrays of structs field by field, as bytes: their padding is undefined. */
static void
assert_same_array (const GArray *a,
                   const GArray *b,
                   const gsize  *offsets,
                   const guint  *sizes,
                   guint         n_fields)
{
  gsize size;

  g_assert_true ((a == NULL) == (b == NULL));
  if (a == NULL)
    return;
  g_assert_cmpuint (a->len, ==, b->len);
  size = g_array_get_element_size ((GArray *) a);
  for (guint i = 0; i < a->len; i++)
    for (guint f = 0; f < n_fields; f++)
      g_assert_cmpmem (a->data + i * size + offsets[f], sizes[f], b->data + i * size + offsets[f], sizes[f]);
}

#define FIELD(type, member) G_STRUCT_OFFSET (type, member)
#define SIZE(type, member) sizeof (((type *) 0)->member)

static void
assert_same_sections (SpProfile *a,
                      SpProfile *b)
{
  const SpProfileSections *sa = sp_profile_get_sections (a);
  const SpProfileSections *sb = sp_profile_get_sections (b);

  g_assert_true ((sa->types == NULL) == (sb->types == NULL));
  g_assert_cmpuint (sp_profile_get_n_types (a), ==, sp_profile_get_n_types (b));
  for (guint i = 0; i < sp_profile_get_n_types (a); i++)
    g_assert_cmpstr (sp_profile_get_type_name (a, i), ==, sp_profile_get_type_name (b, i));
  const gsize alloc_at[] = { FIELD (SpAllocRow, frame), FIELD (SpAllocRow, type),
                             FIELD (SpAllocRow, objects), FIELD (SpAllocRow, bytes) };
  const guint alloc_size[] = { 4, 4, 8, 8 };
  const gsize gc_at[] = { FIELD (SpGcEvent, time), FIELD (SpGcEvent, pause), FIELD (SpGcEvent, generation),
                          FIELD (SpGcEvent, bytes_before), FIELD (SpGcEvent, bytes_after) };
  const guint gc_size[] = { 8, 8, SIZE (SpGcEvent, generation), 8, 8 };
  const gsize heap_at[] = { FIELD (SpHeapRow, type), FIELD (SpHeapRow, objects), FIELD (SpHeapRow, bytes) };
  const guint heap_size[] = { 4, 8, 8 };
  const gsize run_at[] = { FIELD (SpRunSummary, seconds), FIELD (SpRunSummary, gc_seconds),
                           FIELD (SpRunSummary, bytes_consed), FIELD (SpRunSummary, samples) };
  const guint run_size[] = { 8, 8, 8, 8 };
  const gsize time_at[] = { FIELD (SpTimelineSample, time), FIELD (SpTimelineSample, node),
                            FIELD (SpTimelineSample, weight) };
  const guint time_size[] = { 8, 4, 8 };

  assert_same_array (sa->alloc_rows, sb->alloc_rows, alloc_at, alloc_size, 4);
  assert_same_array (sa->gc_events, sb->gc_events, gc_at, gc_size, 5);
  assert_same_array (sa->heap_before, sb->heap_before, heap_at, heap_size, 3);
  assert_same_array (sa->heap_after, sb->heap_after, heap_at, heap_size, 3);
  assert_same_array (sa->run_summaries, sb->run_summaries, run_at, run_size, 4);
  assert_same_array (sa->timeline, sb->timeline, time_at, time_size, 3);
}

static void
assert_same_meta (const SpProfileMeta *a,
                  const SpProfileMeta *b)
{
  g_assert_cmpint (a->mode, ==, b->mode);
  g_assert_cmpfloat (a->interval, ==, b->interval);
  g_assert_cmpstr (a->sbcl_version, ==, b->sbcl_version);
  g_assert_cmpstr (a->host, ==, b->host);
  g_assert_cmpint (a->start_time, ==, b->start_time);
  g_assert_cmpfloat (a->duration, ==, b->duration);
  g_assert_cmpstr (a->workload, ==, b->workload);
  g_assert_cmpfloat (a->gc_seconds, ==, b->gc_seconds);
  g_assert_cmpint (a->bytes_consed, ==, b->bytes_consed);
  g_assert_cmpint (a->sample_count, ==, b->sample_count);
  g_assert_cmpint (a->truncated, ==, b->truncated);
  g_assert_cmpstr (a->source, ==, b->source);
  g_assert_cmpint (a->warmup_runs, ==, b->warmup_runs);
  g_assert_cmpint (a->runs, ==, b->runs);
  g_assert_cmpstr (a->end_reason, ==, b->end_reason);
  g_assert_cmpstr (a->end_message, ==, b->end_message);
  g_assert_cmpfloat (a->overhead_call, ==, b->overhead_call);
  g_assert_cmpfloat (a->overhead_nested, ==, b->overhead_nested);
  g_assert_cmpint (a->timeline_estimated, ==, b->timeline_estimated);
  g_assert_cmpstr (a->instrumented, ==, b->instrumented);
  g_assert_cmpfloat (a->heap_snapshot_seconds, ==, b->heap_snapshot_seconds);
}

static void
assert_same_profile (SpProfile *a,
                     SpProfile *b)
{
  guint n = sp_profile_get_n_nodes (a);

  assert_same_meta (sp_profile_get_meta (a), sp_profile_get_meta (b));
  g_assert_cmpuint (sp_profile_get_n_frames (a), ==, sp_profile_get_n_frames (b));
  for (guint i = 0; i < sp_profile_get_n_frames (a); i++)
    {
      const SpFrame *fa = sp_profile_get_frame (a, i);
      const SpFrame *fb = sp_profile_get_frame (b, i);

      g_assert_cmpstr (fa->name, ==, fb->name);
      g_assert_cmpstr (fa->package, ==, fb->package);
      g_assert_cmpstr (fa->file, ==, fb->file);
      g_assert_cmpuint (fa->line, ==, fb->line);
      g_assert_cmpint (fa->kind, ==, fb->kind);
    }
  g_assert_cmpuint (n, ==, sp_profile_get_n_nodes (b));
  g_assert_cmpmem (sp_profile_get_node_parents (a), n * 4, sp_profile_get_node_parents (b), n * 4);
  g_assert_cmpmem (sp_profile_get_node_frames (a), n * 4, sp_profile_get_node_frames (b), n * 4);
  for (SpMetric m = 0; m < SP_N_METRICS; m++)
    {
      g_assert_cmpint (sp_profile_has_metric (a, m), ==, sp_profile_has_metric (b, m));
      if (sp_profile_has_metric (a, m))
        g_assert_cmpmem (sp_profile_get_self_weights (a, m), n * 8, sp_profile_get_self_weights (b, m), n * 8);
    }
  g_assert_cmpuint (sp_profile_get_n_function_stats (a), ==, sp_profile_get_n_function_stats (b));
  for (guint i = 0; i < sp_profile_get_n_function_stats (a); i++)
    {
      const SpFunctionStats *sa = sp_profile_get_function_stats (a, i);
      const SpFunctionStats *sb = sp_profile_get_function_stats (b, i);

      g_assert_cmpuint (sa->frame, ==, sb->frame);
      assert_same_runs (&sa->total, &sb->total);
      g_assert_cmpuint (sa->n_runs, ==, sb->n_runs);
      for (guint r = 0; r < sa->n_runs; r++)
        assert_same_runs (&sa->runs[r], &sb->runs[r]);
    }
  assert_same_sections (a, b);
}

static void
test_round_trip_is_exact (void)
{
  g_autoptr(SpProfile) p = rich_profile ();
  g_autoptr(GFile) file = sp_io_test_file ("rich.sbclprof");
  g_autoptr(SpProfile) back = NULL;
  g_autoptr(SpProfile) again = NULL;

  sp_io_test_save (p, file, SP_FILE_FORMAT_SBCLPROF);
  back = sp_io_test_load (file);
  assert_same_profile (p, back);

  /* and saving what was loaded changes nothing */
  sp_io_test_save (back, file, SP_FILE_FORMAT_SBCLPROF);
  again = sp_io_test_load (file);
  assert_same_profile (p, again);
}

static void
test_unknown_numbers_are_null (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("unknown.folded", "a;b 1\n");
  g_autoptr(GFile) file = sp_io_test_file ("unknown.sbclprof");
  g_autoptr(SpProfile) back = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *meta;

  g_assert_true (sp_profile_write (p, out, SP_FILE_FORMAT_SBCLPROF, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser,
                                             g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                                             &error));
  g_assert_no_error (error);
  meta = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "meta");
  g_assert_true (json_object_get_null_member (meta, "interval"));
  g_assert_true (json_object_get_null_member (meta, "start_time"));
  g_assert_true (json_object_get_null_member (meta, "sbcl_version"));
  g_assert_true (json_object_get_null_member (meta, "runs"));
  g_assert_cmpstr (json_object_get_string_member (meta, "mode"), ==, "imported");

  sp_io_test_save (p, file, SP_FILE_FORMAT_SBCLPROF);
  back = sp_io_test_load (file);
  assert_same_profile (p, back);
  g_assert_cmpfloat (sp_profile_get_meta (back)->interval, <, 0);
  g_assert_cmpint (sp_profile_get_meta (back)->runs, ==, -1);
}

/* The layout README.md promises: gzip on disk, and inside the keys, types and packed columns. */
static void
test_documented_layout (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("layout.folded", "a;b 5\na;c 7\nd 1\n");
  g_autoptr(GFile) file = sp_io_test_file ("layout.sbclprof");
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GInputStream) text = NULL;
  g_autoptr(GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guchar *parents = NULL;
  g_autofree guchar *samples = NULL;
  g_autofree char *contents = NULL;
  JsonObject *root, *tree;
  guint64 bits;
  double weight;
  gsize len;

  sp_io_test_save (p, file, SP_FILE_FORMAT_SBCLPROF);
  contents = sp_io_test_read (file);
  g_assert_cmphex ((guchar) contents[0], ==, 0x1f);
  g_assert_cmphex ((guchar) contents[1], ==, 0x8b);

  raw = G_INPUT_STREAM (g_file_read (file, NULL, &error));
  text = g_converter_input_stream_new (raw, G_CONVERTER (gunzip));
  g_assert_true (json_parser_load_from_stream (parser, text, NULL, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "sbcl-profiler");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (root, "version")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "frames")), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (root, "frames"), 1), "name"), ==, "b");

  tree = json_object_get_object_member (root, "tree");
  g_assert_cmpint (json_object_get_int_member (tree, "nodes"), ==, 4);
  parents = g_base64_decode (json_object_get_string_member (tree, "parents"), &len);
  g_assert_cmpuint (len, ==, 4 * 4);
  /* node 0 "a" is a root, node 1 "b" is its child; little-endian uint32 */
  g_assert_cmpmem (parents, 8, "\xff\xff\xff\xff\x00\x00\x00\x00", 8);
  samples = g_base64_decode (json_object_get_string_member (json_object_get_object_member (tree, "self"),
                                                            "samples"), &len);
  g_assert_cmpuint (len, ==, 4 * 8);
  memcpy (&bits, samples + 8, 8);
  bits = GUINT64_FROM_LE (bits);
  memcpy (&weight, &bits, 8);
  g_assert_cmpfloat (weight, ==, 5);
  g_assert_true (json_object_has_member (root, "functions"));
}

static void
test_plain_json_and_extra_keys (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("extra.folded", "x;y 2\n");
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(SpProfile) back = NULL;
  g_autoptr(GString) text = NULL;

  g_assert_true (sp_profile_write (p, out, SP_FILE_FORMAT_SBCLPROF, NULL, NULL));
  text = g_string_new_len (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                           g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  /* a newer writer's additions must not stop this reader */
  g_string_replace (text, "\"meta\": {", "\"future\": [1, {\"x\": null}], \"meta\": {\"colour\": \"red\", ", 1);
  g_string_replace (text, "\"self\": {", "\"self\": {\"cycles\": \"AAAA\", ", 1);
  file = sp_io_test_write ("extra.sbclprof", text->str, text->len);
  back = sp_io_test_load (file);
  assert_same_profile (p, back);
}

/* The packed columns are cut out of the text before parsing: text that looks like them in
 * strings, or keys spelt with escapes, must read exactly as a JSON parser reads them. */
static void
test_column_lookalikes (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  guint32 frames[2];
  double weights[SP_N_METRICS] = { 2 };
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpProfile) back = NULL;
  g_autoptr(SpProfile) escaped_back = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GString) text = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) escaped = NULL;

  sp_profile_builder_get_meta (b)->workload = g_strdup ("\\\"}]{\"tree\": {\"parents\": \"AAAA\"");
  frames[0] = sp_profile_builder_intern_frame (b, "\"tree\": {\"frames\": \"", -1);
  frames[1] = sp_profile_builder_intern_frame (b, "\\", -1);
  sp_profile_builder_add_stack (b, frames, 2, FALSE, weights);
  p = sp_profile_builder_end (b);

  g_assert_true (sp_profile_write (p, out, SP_FILE_FORMAT_SBCLPROF, NULL, NULL));
  text = g_string_new_len (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                           g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  file = sp_io_test_write ("lookalike.sbclprof", text->str, text->len);
  back = sp_io_test_load (file);
  assert_same_profile (p, back);

  /* "tr\u0065e" is "tree", and "\/" is "/" (the first base64 character of a root's parent) */
  g_assert_cmpuint (g_string_replace (text, "\"tree\": {\n", "\"tr\\u0065e\": {\n", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (text, "\"parents\": \"/", "\"parents\": \"\\/", 1), ==, 1);
  escaped = sp_io_test_write ("escaped.sbclprof", text->str, text->len);
  escaped_back = sp_io_test_load (escaped);
  assert_same_profile (p, escaped_back);
}

/* A name that is not UTF-8 (the agent passes bytes through) still gives a readable file. */
static void
test_invalid_utf8_name (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  guint32 frame = sp_profile_builder_intern_frame (b, "caf\xe9", -1);
  double weights[SP_N_METRICS] = { 1 };
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpProfile) back = NULL;
  g_autoptr(GFile) file = sp_io_test_file ("latin1.sbclprof");

  sp_profile_builder_add_stack (b, &frame, 1, FALSE, weights);
  p = sp_profile_builder_end (b);
  sp_io_test_save (p, file, SP_FILE_FORMAT_SBCLPROF);
  back = sp_io_test_load (file);
  g_assert_cmpstr (sp_profile_get_frame (back, 0)->name, ==, "caf\xef\xbf\xbd");
}

static void
test_save_keeps_old_file_on_error (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("keep.folded", "a 1\n");
  g_autoptr(GFile) file = sp_io_test_write ("keep.sbclprof", "old contents", -1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (sp_profile_save (p, file, SP_FILE_FORMAT_SBCLPROF, cancellable, &error));
  g_assert_nonnull (error);
  contents = sp_io_test_read (file);
  g_assert_cmpstr (contents, ==, "old contents");
}

static void
test_big_profile (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpProfile) back = NULL;
  g_autoptr(GFile) file = sp_io_test_file ("big.sbclprof");
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  guint32 frames[64];

  for (guint i = 0; i < 64; i++)
    {
      g_autofree char *name = g_strdup_printf ("PKG::F%u", i);
      frames[i] = sp_profile_builder_intern_frame (b, name, -1);
    }
  for (guint s = 0; s < 50000; s++)
    {
      guint32 stack[30];
      guint depth = g_rand_int_range (rand, 1, 30);
      double weights[SP_N_METRICS] = { g_rand_int_range (rand, 1, 100) };

      for (guint d = 0; d < depth; d++)
        stack[d] = frames[g_rand_int_range (rand, 0, d < 2 ? 2 : 64)];
      sp_profile_builder_add_stack (b, stack, depth, FALSE, weights);
    }
  p = sp_profile_builder_end (b);
  g_assert_cmpuint (sp_profile_get_n_nodes (p), >, 100000);
  sp_io_test_save (p, file, SP_FILE_FORMAT_SBCLPROF);
  back = sp_io_test_load (file);
  assert_same_profile (p, back);
}

/* The JSON document a profile is written as. */
static JsonNode *
written_document (SpProfile *profile)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_profile_write (profile, out, SP_FILE_FORMAT_SBCLPROF, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser,
                                             g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                                             &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_v2_round_trip (void)
{
  g_autoptr(SpProfile) p = rich_profile_v2 ();
  g_autoptr(GFile) file = sp_io_test_file ("rich2.sbclprof");
  g_autoptr(JsonNode) doc = written_document (p);
  g_autoptr(SpProfile) back = NULL;
  g_autoptr(SpProfile) again = NULL;
  JsonObject *root = json_node_get_object (doc);
  guint n;

  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "timeline"), "entries"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "meta"), "mode"), ==,
                   "alloc-exact");
  sp_io_test_save (p, file, SP_FILE_FORMAT_SBCLPROF);
  back = sp_io_test_load (file);
  assert_same_profile (p, back);
  g_assert_cmpuint (sp_profile_get_n_types (back), ==, 2);
  g_assert_nonnull (sp_profile_get_timeline (back, &n));
  g_assert_cmpuint (n, ==, 3);
  g_assert_true (sp_profile_has_metric (back, SP_METRIC_CALLS));
  g_assert_cmpfloat (sp_profile_get_grand_total (back, SP_METRIC_SECONDS), ==, 0.125);

  sp_io_test_save (back, file, SP_FILE_FORMAT_SBCLPROF);
  again = sp_io_test_load (file);
  assert_same_profile (p, again);
}

/* Version 1 readers refuse version 2: a profile without version 2 parts stays version 1. */
static void
test_version_1_when_possible (void)
{
  g_autoptr(SpProfile) p = rich_profile ();
  g_autoptr(SpProfile) plain = sp_io_test_load_text ("plain.folded", "a;b 1\n");
  g_autoptr(JsonNode) doc = NULL;
  g_autoptr(JsonNode) plain_doc = written_document (plain);
  JsonObject *root;

  /* rich_profile's runs were made with { … } initializers: raw_seconds 0 is a version 2 figure */
  doc = written_document (p);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (doc), "version"), ==, 2);

  root = json_node_get_object (plain_doc);
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_false (json_object_has_member (root, "timeline"));
  g_assert_false (json_object_has_member (root, "types"));
  g_assert_false (json_object_has_member (json_object_get_object_member (root, "meta"), "end_reason"));
}

/* A version 1 file, as version 1 wrote it: the new figures are unknown, the sections absent. */
static void
test_reads_version_1 (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("old.sbclprof",
    "{\"format\": \"sbcl-profiler\", \"version\": 1,\n"
    " \"meta\": {\"mode\": \"deterministic\", \"runs\": 2},\n"
    " \"frames\": [{\"name\": \"FOO\", \"package\": null, \"kind\": \"function\", \"file\": null, \"line\": null}],\n"
    " \"tree\": {\"nodes\": 1, \"parents\": \"/////w==\", \"frames\": \"AAAAAA==\", \"self\": {}},\n"
    " \"functions\": [{\"frame\": 0, \"calls\": 3, \"seconds\": 0.5, \"bytes\": 16, \"gc_seconds\": 0,\n"
    "                \"runs\": [{\"calls\": 3, \"seconds\": 0.5, \"bytes\": 16, \"gc_seconds\": 0}]}]}");
  const SpFunctionStats *stats = sp_profile_get_function_stats (p, 0);
  const SpProfileMeta *meta = sp_profile_get_meta (p);
  guint n = 99;

  g_assert_cmpint (stats->total.calls, ==, 3);
  g_assert_cmpfloat (stats->total.raw_seconds, ==, -1);
  g_assert_cmpfloat (stats->runs[0].self_weight, ==, -1);
  g_assert_cmpfloat (stats->runs[0].total_weight, ==, -1);
  g_assert_cmpfloat (meta->overhead_call, ==, -1);
  g_assert_cmpfloat (meta->heap_snapshot_seconds, ==, -1);
  g_assert_null (meta->end_reason);
  g_assert_false (meta->timeline_estimated);
  g_assert_null (sp_profile_get_timeline (p, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (sp_profile_get_gc_events (p, NULL));
  g_assert_null (sp_profile_get_heap (p, SP_HEAP_AFTER, NULL));
  g_assert_cmpuint (sp_profile_get_n_types (p), ==, 0);
}

/* Newer writers may add keys to every part, and write absent sections as null. */
static void
test_v2_unknown_keys_and_nulls (void)
{
  g_autoptr(SpProfile) p = rich_profile_v2 ();
  g_autoptr(JsonNode) doc = written_document (p);
  g_autoptr(SpProfile) back = NULL;
  g_autoptr(SpProfile) without = NULL;
  g_autofree char *text = NULL;
  JsonObject *root = json_node_get_object (doc);
  JsonObject *heap_row;
  guint n;

  json_object_set_string_member (json_object_get_object_member (root, "gc"), "cause", "AAAA");
  json_object_set_string_member (json_object_get_object_member (root, "timeline"), "thread", "AAAA");
  json_object_set_int_member (json_object_get_object_member (root, "allocations"), "sites", 4);
  json_object_set_null_member (json_object_get_object_member (root, "heap"), "during");
  heap_row = json_array_get_object_element (json_object_get_array_member (
               json_object_get_object_member (root, "heap"), "after"), 0);
  json_object_set_string_member (heap_row, "package", "CL");
  json_object_set_boolean_member (json_array_get_object_element (json_object_get_array_member (root, "runs"), 0),
                                  "warm", TRUE);
  json_object_set_array_member (root, "threads", json_array_new ());
  text = json_to_string (doc, TRUE);
  back = sp_io_test_load_text ("future.sbclprof", text);
  assert_same_profile (p, back);

  json_object_set_null_member (root, "gc");
  json_object_set_null_member (root, "timeline");
  json_object_remove_member (root, "heap");
  g_free (text);
  text = json_to_string (doc, FALSE);
  without = sp_io_test_load_text ("nulls.sbclprof", text);
  g_assert_null (sp_profile_get_gc_events (without, &n));
  g_assert_null (sp_profile_get_timeline (without, &n));
  g_assert_null (sp_profile_get_heap (without, SP_HEAP_BEFORE, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_nonnull (sp_profile_get_alloc_rows (without, &n));
  g_assert_cmpuint (n, ==, 2);
}

/* Distinct functions whose names print alike: apart in the builder, in the file, and in every
 * label; merged into one per name on request. */
static void
test_variants_stay_apart (void)
{
  g_autoptr(SpProfileBuilder) builder = sp_profile_builder_new ();
  const char *name = "(LAMBDA (START-POS) :IN APP::SCAN)";
  guint32 run = sp_profile_builder_intern_frame (builder, "APP::RUN", -1);
  guint32 first = sp_profile_builder_intern_frame (builder, name, -1);
  guint32 second = sp_profile_builder_intern_frame_variant (builder, name, "form 6");
  guint32 third = sp_profile_builder_intern_frame_variant (builder, name, "form 9");
  const double one[SP_N_METRICS] = { 1 };
  g_autoptr(SpProfile) p = NULL, back = NULL, merged = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GFile) file = NULL;

  g_assert_cmpuint (sp_profile_builder_intern_frame_variant (builder, name, "form 6"), ==, second);
  g_assert_cmpuint (sp_profile_builder_intern_frame_variant (builder, name, NULL), ==, first);
  g_assert_cmpuint (third, !=, second);
  sp_profile_builder_add_stack (builder, (guint32[]) { run, first }, 2, FALSE, one);
  sp_profile_builder_add_stack (builder, (guint32[]) { run, second }, 2, FALSE, one);
  sp_profile_builder_add_stack (builder, (guint32[]) { run, third }, 2, FALSE, one);
  p = sp_profile_builder_end (g_steal_pointer (&builder));
  g_assert_cmpstr (sp_profile_get_frame (p, first)->label, ==, name);
  g_assert_cmpstr (sp_profile_get_frame (p, second)->label, ==, "(LAMBDA (START-POS) :IN APP::SCAN) [form 6]");
  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 4);

  g_assert_true (sp_profile_write (p, out, SP_FILE_FORMAT_SBCLPROF, NULL, NULL));
  file = sp_io_test_write ("variants.sbclprof", g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                           g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  back = sp_io_test_load (file);
  g_assert_nonnull (g_strstr_len (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                  g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                                  "\"version\": 2"));
  g_assert_cmpstr (sp_profile_get_frame (back, third)->variant, ==, "form 9");
  g_assert_null (sp_profile_get_frame (back, first)->variant);
  g_assert_cmpuint (sp_profile_get_n_nodes (back), ==, 4);

  merged = sp_profile_merge_variants (p);
  g_assert_cmpuint (sp_profile_get_n_nodes (merged), ==, 2);
  g_assert_cmpfloat (sp_profile_get_total_weights (merged, SP_METRIC_SAMPLES)[1], ==, 3);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  sp_io_test_init ();
  g_test_add_func ("/sbclprof/round-trip-is-exact", test_round_trip_is_exact);
  g_test_add_func ("/sbclprof/unknown-numbers-are-null", test_unknown_numbers_are_null);
  g_test_add_func ("/sbclprof/documented-layout", test_documented_layout);
  g_test_add_func ("/sbclprof/plain-json-and-extra-keys", test_plain_json_and_extra_keys);
  g_test_add_func ("/sbclprof/column-lookalikes", test_column_lookalikes);
  g_test_add_func ("/sbclprof/invalid-utf8-name", test_invalid_utf8_name);
  g_test_add_func ("/sbclprof/save-keeps-old-file-on-error", test_save_keeps_old_file_on_error);
  g_test_add_func ("/sbclprof/big-profile", test_big_profile);
  g_test_add_func ("/sbclprof/v2-round-trip", test_v2_round_trip);
  g_test_add_func ("/sbclprof/version-1-when-possible", test_version_1_when_possible);
  g_test_add_func ("/sbclprof/reads-version-1", test_reads_version_1);
  g_test_add_func ("/sbclprof/v2-unknown-keys-and-nulls", test_v2_unknown_keys_and_nulls);
  g_test_add_func ("/sbclprof/variants-stay-apart", test_variants_stay_apart);
  status = g_test_run ();
  sp_io_test_cleanup ();
  return status;
}
