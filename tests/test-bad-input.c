/* Bad files: each gets a GError of the right code whose message names the file and the problem. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sp-io-test-util.h"

static void
assert_load_error (GFile      *file,
                   GQuark      domain,
                   int         code,
                   const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = sp_profile_load (file, NULL, NULL, NULL, &error);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *prefix = g_strconcat (name, ": ", NULL);

  g_assert_null (profile);
  g_assert_error (error, domain, code);
  sp_io_test_assert_message (error, prefix, what);
}

static void
assert_text_error (const char *name,
                   const char *text,
                   int         code,
                   const char *what)
{
  g_autoptr(GFile) file = sp_io_test_write (name, text, -1);

  assert_load_error (file, SP_PROFILE_ERROR, code, what);
}

static GBytes *
gzip_bytes (const void *data,
            gsize       len)
{
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (gzip));

  g_assert_true (g_output_stream_write_all (out, data, len, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* A valid uncompressed .sbclprof document of a small profile, to break in various ways. */
static char *
valid_document (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("valid.folded", "a;b 5\na;c 7\n");
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_true (sp_profile_write (p, out, SP_FILE_FORMAT_SBCLPROF, NULL, NULL));
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* base64 of little-endian numbers, as a JSON string */
static char *
packed (const void *values,
        gsize       elem_size,
        guint       n)
{
  g_autofree guint8 *le = g_memdup2 (values, elem_size * MAX (n, 1));
  g_autofree char *b64 = NULL;

  g_assert_cmpint (G_BYTE_ORDER, ==, G_LITTLE_ENDIAN);
  b64 = g_base64_encode (le, elem_size * n);
  return g_strdup_printf ("\"%s\"", b64);
}

static char *
packed_u32 (const guint32 *values,
            guint          n)
{
  return packed (values, 4, n);
}

static char *
packed_f64 (const double *values,
            guint         n)
{
  return packed (values, 8, n);
}

/* valid_document() (three frames, three nodes) with every version 2 section added. */
static char *
valid_v2_document (void)
{
  const guint32 frames[] = { 0, 1 }, types[] = { 0, 1 }, generations[] = { 0, 1 }, nodes[] = { 1, 2 };
  const double counts[] = { 1, 2 }, times[] = { 0.1, 0.2 }, bytes[] = { 1024, 2048 };
  g_autofree char *text = valid_document ();
  g_autofree char *f = packed_u32 (frames, 2), *t = packed_u32 (types, 2), *g = packed_u32 (generations, 2);
  g_autofree char *n = packed_u32 (nodes, 2), *c = packed_f64 (counts, 2), *ti = packed_f64 (times, 2);
  g_autofree char *b = packed_f64 (bytes, 2);
  g_autofree char *sections = g_strdup_printf (
    "\"version\": 2, \"types\": [\"CONS\", \"FIXNUM\"],"
    " \"allocations\": {\"rows\": 2, \"frames\": %s, \"types\": %s, \"objects\": %s, \"bytes\": %s},"
    " \"gc\": {\"events\": 2, \"time\": %s, \"pause\": %s, \"generation\": %s, \"before\": %s, \"after\": %s},"
    " \"heap\": {\"before\": [{\"type\": 0, \"objects\": 1, \"bytes\": 16}], \"after\": null},"
    " \"runs\": [{\"seconds\": 1.5, \"gc_seconds\": null, \"bytes_consed\": 64, \"samples\": 12}],"
    " \"timeline\": {\"entries\": 2, \"time\": %s, \"node\": %s, \"weight\": %s},",
    f, t, c, b, ti, ti, g, b, b, ti, n, c);
  GString *out = g_string_new (text);

  g_assert_cmpuint (g_string_replace (out, "\"version\": 1,", sections, 1), ==, 1);
  return g_string_free (out, FALSE);
}

/* A document with one JSON member of an object replaced by raw JSON text. */
static char *
document_text_with (const char *text,
                    const char *object_path,
                    const char *member,
                    const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) value = json_parser_new ();
  g_auto(GStrv) path = g_strsplit (object_path, ".", -1);
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  g_assert_true (json_parser_load_from_data (value, json, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; path[i] != NULL && path[i][0] != '\0'; i++)
    object = json_object_get_object_member (object, path[i]);
  json_object_set_member (object, member, json_node_copy (json_parser_get_root (value)));
  return json_to_string (json_parser_get_root (parser), FALSE);
}

/* The valid document with one JSON member of an object replaced by raw JSON text. */
static char *
document_with (const char *object_path,
               const char *member,
               const char *json)
{
  g_autofree char *text = valid_document ();

  return document_text_with (text, object_path, member, json);
}

static void
assert_v2_error (const char *object_path,
                 const char *member,
                 const char *json,
                 const char *what)
{
  g_autofree char *valid = valid_v2_document ();
  g_autoptr(GString) number = g_string_new (json);
  g_autofree char *broken = NULL;
  g_autoptr(GString) text = NULL;

  /* json-glib reads 1e999 as infinity but cannot write it: put it in after serializing */
  g_string_replace (number, "1e999", "424242.25", 0);
  broken = document_text_with (valid, object_path, member, number->str);
  text = g_string_new (broken);
  g_string_replace (text, "424242.25", "1e999", 0);
  assert_text_error ("broken2.sbclprof", text->str, SP_PROFILE_ERROR_INVALID, what);
}

static void
assert_document_error (const char *object_path,
                       const char *member,
                       const char *json,
                       int         code,
                       const char *what)
{
  g_autofree char *text = document_with (object_path, member, json);

  assert_text_error ("broken.sbclprof", text, code, what);
}

static void
test_empty (void)
{
  g_autoptr(GBytes) nothing = gzip_bytes ("", 0);
  g_autoptr(GFile) empty_gzip = sp_io_test_write ("empty.sbclprof", g_bytes_get_data (nothing, NULL),
                                                  g_bytes_get_size (nothing));

  assert_text_error ("empty.folded", "", SP_PROFILE_ERROR_EMPTY, "the file is empty");
  assert_text_error ("blank.folded", "\n\r\n   \n", SP_PROFILE_ERROR_EMPTY, "no stacks");
  assert_load_error (empty_gzip, SP_PROFILE_ERROR, SP_PROFILE_ERROR_EMPTY, "holds no data");
  assert_text_error ("empty.json", "{\"shared\": {\"frames\": []}, \"profiles\": []}",
                     SP_PROFILE_ERROR_EMPTY, "no profiles");
}

static void
test_truncated_gzip (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("whole.folded", "a;b 5\na;c 7\nd 1\n");
  g_autoptr(GFile) whole = sp_io_test_file ("whole.sbclprof");
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GFile) truncated = NULL;

  sp_io_test_save (p, whole, SP_FILE_FORMAT_SBCLPROF);
  g_assert_true (g_file_load_contents (whole, NULL, &contents, &len, NULL, NULL));
  truncated = sp_io_test_write ("truncated.sbclprof", contents, len / 2);
  assert_load_error (truncated, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, "truncated or corrupt");
}

static void
test_not_json (void)
{
  g_autoptr(GBytes) zipped = gzip_bytes ("hello world\n", 12);
  g_autoptr(GFile) zipped_file = sp_io_test_write ("zipped.sbclprof", g_bytes_get_data (zipped, NULL),
                                                   g_bytes_get_size (zipped));

  assert_text_error ("text.sbclprof", "hello world\n", SP_PROFILE_ERROR_INVALID, "not JSON");
  assert_load_error (zipped_file, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, "not JSON");
  assert_text_error ("broken.json", "{\"format\": \"sbcl-profiler\",\n \"meta\" {}}", SP_PROFILE_ERROR_INVALID,
                     "line 2: not valid JSON");
  assert_text_error ("other.json", "{\"hello\": 1}", SP_PROFILE_ERROR_UNSUPPORTED,
                     "neither an .sbclprof nor a speedscope profile");
  assert_text_error ("trace.json", "[\n {\"name\": \"x\", \"ph\": \"B\"}]", SP_PROFILE_ERROR_UNSUPPORTED,
                     "a JSON array (a trace?), not a profile");
}

static void
test_wrong_format_and_version (void)
{
  assert_document_error ("", "format", "\"pprof\"", SP_PROFILE_ERROR_UNSUPPORTED, "“format” is “pprof”");
  assert_document_error ("", "format", "7", SP_PROFILE_ERROR_INVALID, "“format” must be a string, not a number");
  assert_document_error ("", "version", "3", SP_PROFILE_ERROR_UNSUPPORTED, "version 3, newer than");
  assert_document_error ("", "version", "0", SP_PROFILE_ERROR_INVALID, "“version” is 0");
  assert_document_error ("", "version", "\"1\"", SP_PROFILE_ERROR_INVALID,
                         "“version” must be an integer, not a string");
  assert_document_error ("", "version", "1.5", SP_PROFILE_ERROR_INVALID, "“version” must be an integer");
}

static void
test_wrong_types (void)
{
  assert_document_error ("", "meta", "[]", SP_PROFILE_ERROR_INVALID, "“meta” must be an object, not an array");
  assert_document_error ("meta", "interval", "\"fast\"", SP_PROFILE_ERROR_INVALID,
                         "“meta.interval” must be a number, not a string");
  assert_document_error ("meta", "mode", "\"turbo\"", SP_PROFILE_ERROR_INVALID, "“meta.mode” is “turbo”");
  assert_document_error ("meta", "truncated", "1", SP_PROFILE_ERROR_INVALID, "“meta.truncated” must be true or false");
  assert_document_error ("", "frames", "{}", SP_PROFILE_ERROR_INVALID, "“frames” must be an array");
  assert_document_error ("", "frames", "[{\"name\": \"a\"}, {\"name\": 3}]", SP_PROFILE_ERROR_INVALID,
                         "frames[1]: “name” must be a string, not a number");
  assert_document_error ("", "frames", "[{\"name\": \"a\", \"kind\": \"gadget\"}]", SP_PROFILE_ERROR_INVALID,
                         "frames[0]: “kind” is “gadget”");
  assert_document_error ("tree", "nodes", "\"many\"", SP_PROFILE_ERROR_INVALID, "“tree.nodes” must be an integer");
  assert_document_error ("tree", "parents", "[4294967295, 0, 0]", SP_PROFILE_ERROR_INVALID,
                         "“tree.parents” must be a base64 string, not an array");
  assert_document_error ("tree", "frames", "\"AAAA!!!!AAAAAAAA\"", SP_PROFILE_ERROR_INVALID, "“tree.frames” is not valid base64");
  assert_document_error ("", "tree", "null", SP_PROFILE_ERROR_INVALID, "“tree” must be an object, not null");
  assert_document_error ("", "functions", "[{\"frame\": \"a\"}]", SP_PROFILE_ERROR_INVALID,
                         "functions[0]: “frame” must be an integer");
}

static void
test_indices_out_of_range (void)
{
  const guint32 bad_frames[] = { 0, 1, 99 };
  const guint32 bad_parents[] = { G_MAXUINT32, 0, 5 };
  const guint32 short_parents[] = { G_MAXUINT32, 0 };
  g_autofree char *frames = packed_u32 (bad_frames, 3);
  g_autofree char *parents = packed_u32 (bad_parents, 3);
  g_autofree char *short_column = packed_u32 (short_parents, 2);

  assert_document_error ("tree", "frames", frames, SP_PROFILE_ERROR_INVALID, "refers to frame 99");
  assert_document_error ("tree", "parents", parents, SP_PROFILE_ERROR_INVALID, "parent 5");
  assert_document_error ("tree", "parents", short_column, SP_PROFILE_ERROR_INVALID,
                         "“tree.parents” holds 12 base64 characters, but 3 nodes need 16");
  assert_document_error ("", "functions", "[{\"frame\": 42}]", SP_PROFILE_ERROR_INVALID,
                         "functions[0]: frame 42 is out of range");
  assert_text_error ("index.json",
                     "{\"shared\": {\"frames\": [{\"name\": \"a\"}]},"
                     " \"profiles\": [{\"type\": \"sampled\", \"samples\": [[0, 7]], \"weights\": [1]}]}",
                     SP_PROFILE_ERROR_INVALID, "profiles[0]: samples[0]: frame index 7 is out of range");
}

static void
test_v2_valid_document (void)
{
  g_autofree char *text = valid_v2_document ();
  g_autoptr(SpProfile) p = sp_io_test_load_text ("valid2.sbclprof", text);
  guint n;

  g_assert_nonnull (sp_profile_get_timeline (p, &n));
  g_assert_cmpuint (n, ==, 2);
  g_assert_nonnull (sp_profile_get_heap (p, SP_HEAP_BEFORE, &n));
  g_assert_null (sp_profile_get_heap (p, SP_HEAP_AFTER, &n));
  g_assert_cmpuint (sp_profile_get_gc_events (p, &n)[1].generation, ==, 1);
}

/* Each version 2 part refused, with a message naming it, when an index is out of range, a
 * column has the wrong length, or a number is not finite. */
static void
test_v2_bad_sections (void)
{
  const guint32 frame_9[] = { 0, 9 }, type_2[] = { 0, 2 }, generation_9[] = { 0, 9 }, node_3[] = { 0, 3 };
  const double nan_[] = { 1, NAN }, negative[] = { -1, 1 }, backwards[] = { 0.2, 0.1 }, inf_[] = { INFINITY, 1 };
  g_autofree char *frames = packed_u32 (frame_9, 2), *types = packed_u32 (type_2, 2);
  g_autofree char *generations = packed_u32 (generation_9, 2), *nodes = packed_u32 (node_3, 2);
  g_autofree char *short_column = packed_u32 (frame_9, 1);
  g_autofree char *nans = packed_f64 (nan_, 2), *negatives = packed_f64 (negative, 2);
  g_autofree char *backward = packed_f64 (backwards, 2), *infs = packed_f64 (inf_, 2);

  assert_v2_error ("allocations", "frames", frames, "“allocations.frames[1]” is 9, out of range (the file has 3 frames)");
  assert_v2_error ("allocations", "types", types, "“allocations.types[1]” is 2, out of range (the file has 2 types)");
  assert_v2_error ("allocations", "rows", "3", "“allocations.frames” holds 12 base64 characters, but 3 rows need 16");
  assert_v2_error ("allocations", "types", short_column, "“allocations.types” holds 8 base64 characters, but 2 rows need 12");
  assert_v2_error ("allocations", "bytes", nans, "“allocations.bytes[1]” is nan");
  assert_v2_error ("allocations", "objects", negatives, "“allocations.objects[0]” is -1");
  assert_v2_error ("allocations", "objects", "[1, 2]", "“allocations.objects” must be a base64 string, not an array");
  assert_v2_error ("", "allocations", "[]", "“allocations” must be an object, not an array");
  assert_v2_error ("gc", "time", backward, "“gc.time[1]” is 0.1, earlier than the entry before it");
  assert_v2_error ("gc", "time", infs, "“gc.time[0]” is inf, not a finite number");
  assert_v2_error ("gc", "pause", negatives, "“gc.pause[0]” is -1");
  assert_v2_error ("gc", "after", nans, "“gc.after[1]” is nan");
  assert_v2_error ("gc", "generation", generations, "“gc.generation[1]” is 9");
  assert_v2_error ("gc", "events", "\"two\"", "“gc.events” must be an integer, not a string");
  assert_v2_error ("gc", "before", short_column, "“gc.before” holds 8 base64 characters, but 2 events need 24");
  assert_v2_error ("heap", "after", "[{\"type\": 5, \"objects\": 1, \"bytes\": 8}]",
                   "heap.after[0]: type 5 is out of range (the file has 2 types)");
  assert_v2_error ("heap", "before", "[{\"type\": 0, \"objects\": -1, \"bytes\": 8}]",
                   "heap.before[0]: “objects” and “bytes” must be finite and not negative");
  assert_v2_error ("heap", "before", "[{\"type\": 0, \"objects\": 1}]", "heap.before[0]: “bytes” is missing");
  assert_v2_error ("", "heap", "[]", "“heap” must be an object, not an array");
  assert_v2_error ("", "runs", "[{\"seconds\": \"long\"}]", "runs[0]: “seconds” must be a number, not a string");
  assert_v2_error ("", "runs", "[{\"samples\": 1e999}]", "runs[0]: a figure is not a finite number");
  assert_v2_error ("", "runs", "[3]", "runs[0]: must be an object, not a number");
  assert_v2_error ("", "types", "[\"CONS\", 3]", "“types[1]” must be a string, not a number");
  assert_v2_error ("timeline", "node", nodes, "“timeline.node[1]” is 3, out of range (the file has 3 nodes)");
  assert_v2_error ("timeline", "time", backward, "“timeline.time[1]” is 0.1, earlier than the entry before it");
  assert_v2_error ("timeline", "time", nans, "“timeline.time[1]” is nan, not a finite number");
  assert_v2_error ("timeline", "weight", negatives, "“timeline.weight[0]” is -1");
  assert_v2_error ("timeline", "entries", "-1", "“timeline.entries” is out of range (-1)");
  assert_v2_error ("timeline", "node", short_column, "“timeline.node” holds 8 base64 characters, but 2 entries need 12");
  assert_v2_error ("meta", "overhead_call", "1e999", "“meta.overhead_call” is not a finite number");
  assert_v2_error ("meta", "timeline_estimated", "1", "“meta.timeline_estimated” must be true or false");
  assert_v2_error ("meta", "end_reason", "7", "“meta.end_reason” must be a string");
  assert_v2_error ("", "functions", "[{\"frame\": 0, \"raw_seconds\": \"x\"}]",
                   "functions[0]: “raw_seconds” must be a number");
  assert_v2_error ("", "functions", "[{\"frame\": 0, \"runs\": [{\"total_weight\": 1e999}]}]",
                   "functions[0]: runs[0]: “total_weight” is not a finite number");
}

static void
test_negative_weights (void)
{
  double weights[3] = { 1, -2, 0 };
  g_autofree char *b64 = g_base64_encode ((const guchar *) weights, sizeof weights);
  g_autofree char *column = g_strdup_printf ("{\"samples\": \"%s\"}", b64);

  g_assert_cmpint (G_BYTE_ORDER, ==, G_LITTLE_ENDIAN);
  assert_document_error ("tree", "self", column, SP_PROFILE_ERROR_INVALID, "negative");
  assert_text_error ("negative.folded", "a;b 3\na;c -3\n", SP_PROFILE_ERROR_INVALID,
                     "line 2: negative sample count");
  assert_text_error ("negative.json",
                     "{\"shared\": {\"frames\": [{\"name\": \"a\"}]},"
                     " \"profiles\": [{\"type\": \"sampled\", \"samples\": [[0]], \"weights\": [-1]}]}",
                     SP_PROFILE_ERROR_INVALID, "weights[0]: negative weight");
}

/* A tree without weights is a valid file; exporting it must not trip over the missing column. */
static void
test_tree_without_weights (void)
{
  g_autofree char *text = document_with ("tree", "self", "{}");
  g_autoptr(GFile) file = sp_io_test_write ("weightless.sbclprof", text, -1);
  g_autoptr(SpProfile) p = sp_io_test_load (file);
  g_autoptr(GFile) folded = sp_io_test_file ("weightless.folded");
  g_autoptr(GFile) speedscope = sp_io_test_file ("weightless.json");
  g_autofree char *folded_text = NULL;
  g_autoptr(SpProfile) back = NULL;

  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 3);
  g_assert_false (sp_profile_has_metric (p, SP_METRIC_SAMPLES));
  sp_io_test_save (p, folded, SP_FILE_FORMAT_FOLDED);
  folded_text = sp_io_test_read (folded);
  g_assert_cmpstr (folded_text, ==, "");
  sp_io_test_save (p, speedscope, SP_FILE_FORMAT_SPEEDSCOPE);
  back = sp_io_test_load (speedscope);
  g_assert_cmpuint (sp_profile_get_n_nodes (back), ==, 0);
}

static void
test_folded_lines (void)
{
  assert_text_error ("p.folded", "a;b 1\n\na;b;c\n", SP_PROFILE_ERROR_INVALID,
                     "line 3: no sample count after the last space");
  assert_text_error ("p.folded", "a;b twelve\n", SP_PROFILE_ERROR_INVALID,
                     "line 1: “twelve” after the last space is not a sample count");
  assert_text_error ("p.folded", "a;b 1 2\na;c 3\n", SP_PROFILE_ERROR_INVALID,
                     "line 2: one count where this differential file has two");
  assert_text_error ("p.folded", "a;b 1\n;; 4\n", SP_PROFILE_ERROR_INVALID, "line 2: no frames before the count");
  assert_text_error ("p.folded", "a;b nan\n", SP_PROFILE_ERROR_INVALID, "is not a sample count");
}

static void
test_binary_garbage (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  guint8 garbage[4096];
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) fake_gzip = NULL;

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = g_rand_int (rand);
  garbage[100] = 0;
  garbage[0] = 'x';
  file = sp_io_test_write ("garbage.bin", (const char *) garbage, sizeof garbage);
  assert_load_error (file, SP_PROFILE_ERROR, SP_PROFILE_ERROR_UNSUPPORTED, "binary data at byte offset");

  garbage[0] = 0x1f;
  garbage[1] = 0x8b;
  fake_gzip = sp_io_test_write ("garbage.sbclprof", (const char *) garbage, sizeof garbage);
  assert_load_error (fake_gzip, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, "truncated or corrupt");
}

/* A 2 GB file of one line: sparse, so the test writes 64 KiB; the reader must give up at its
 * line limit instead of buffering the line. */
static void
test_huge_single_line (void)
{
  g_autofree char *line = g_strnfill (64 * 1024, 'a');
  g_autoptr(GFile) folded = sp_io_test_write ("huge.folded", line, -1);
  g_autoptr(GFile) json = sp_io_test_write ("huge.json", "{\"format\": ", -1);
  g_autofree char *folded_path = g_file_get_path (folded);
  g_autofree char *json_path = g_file_get_path (json);

  g_assert_cmpint (truncate (folded_path, G_GINT64_CONSTANT (2) << 30), ==, 0);
  g_assert_cmpint (truncate (json_path, G_GINT64_CONSTANT (2) << 30), ==, 0);
  assert_load_error (folded, SP_PROFILE_ERROR, SP_PROFILE_ERROR_TOO_LARGE,
                     "line 1 is longer than 16 MiB");
  assert_load_error (json, SP_PROFILE_ERROR, SP_PROFILE_ERROR_TOO_LARGE,
                     "larger than 1024 MiB");
}

/* A line just over the limit, written out in full, with good lines before it. */
static void
test_long_line_after_good_ones (void)
{
  g_autoptr(GString) text = g_string_new ("a;b 1\na;c 2\n");
  g_autoptr(GFile) file = NULL;

  g_string_append (text, "x;");
  while (text->len < 17 * 1024 * 1024)
    g_string_append (text, "(LAMBDA (X) :IN FOO::BAR);");
  g_string_append (text, "y 3\n");
  file = sp_io_test_write ("long.folded", text->str, text->len);
  assert_load_error (file, SP_PROFILE_ERROR, SP_PROFILE_ERROR_TOO_LARGE, "line 3 is longer than 16 MiB");
}

/* json-glib parses recursively: a deep enough document would overflow the stack. */
static void
test_deep_nesting (void)
{
  g_autoptr(GString) text = g_string_new ("{\"shared\": ");

  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (text, ']');
  g_string_append (text, "}");
  assert_text_error ("deep.json", text->str, SP_PROFILE_ERROR_TOO_LARGE, "nests 1000001 levels deep");
}

/* json-glib would take gigabytes for this many numbers. */
static void
test_too_many_values (void)
{
  g_autoptr(GString) text = g_string_new ("{\"shared\": {\"frames\": [{\"name\": \"a\"}]},"
                                          " \"profiles\": [{\"type\": \"sampled\", \"samples\": [[0");

  for (guint i = 0; i < 10 * 1000 * 1000; i++)
    g_string_append (text, ",0");
  g_string_append (text, "]]}]}");
  assert_text_error ("many.json", text->str, SP_PROFILE_ERROR_TOO_LARGE, "more than 10 million values");
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) file = sp_io_test_file ("does-not-exist.sbclprof");
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) p = sp_profile_load (file, NULL, NULL, NULL, &error);

  g_assert_null (p);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "does-not-exist.sbclprof"));
}

/* The reproducers of issue 14 (tests/fuzz/crashers): each loads, or is refused with a message
 * that says what is wrong; none crashes, aborts or raises a critical. */
static void
test_issue_reproducers (void)
{
  static const struct { const char *file; const char *what; } cases[] = {
    { "deep-65537.speedscope.json.gz", NULL },
    { "deep-100000.speedscope.json.gz", NULL },
    { "zero-nodes.sbclprof", NULL },
    { "zero-nodes-gzip.sbclprof", NULL },
    { "duplicate-siblings.sbclprof", NULL },
    { "duplicate-siblings-overflow.sbclprof", "add up to inf, more than a profile can count" },
    { "weights-overflow.speedscope.json", "add up to inf, more than a profile can count" },
    { "weights-overflow.folded", "add up to inf, more than a profile can count" },
    { "span-overflow.speedscope.json", "too long to count" },
    { "nodes-huge.sbclprof", "“tree.nodes” must be a count of nodes below 4294967295" },
    { "trailing-garbage.folded.gz", "more after the end of the gzip data" },
    { "second-member.folded.gz", "more after the end of the gzip data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = g_file_new_build_filename (g_getenv ("G_TEST_SRCDIR"), "fuzz",
                                                         "crashers", cases[i].file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SpProfile) p = sp_profile_load (file, NULL, NULL, NULL, &error);
      g_autofree char *prefix = g_strconcat (cases[i].file, ": ", NULL);

      if (cases[i].what == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (p);
          /* what the app's bottom-up view and `export --reverse` do */
          g_clear_object (&p);
          continue;
        }
      g_assert_null (p);
      g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
      sp_io_test_assert_message (error, prefix, cases[i].what);
    }
}

/* A small file that inflates past the limit is refused, not read into memory without end. */
static void
test_gzip_bomb (void)
{
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (gzip));
  g_autofree char *zeros = g_malloc0 (1024 * 1024);
  g_autoptr(GBytes) bomb = NULL;
  g_autoptr(GFile) file = NULL;
  const char *start = "{\"format\": \"sbcl-profiler\", \"pad\": \"";

  g_assert_true (g_output_stream_write_all (out, start, strlen (start), NULL, NULL, NULL));
  memset (zeros, ' ', 1024 * 1024);
  for (guint i = 0; i < 260; i++)
    g_assert_true (g_output_stream_write_all (out, zeros, 1024 * 1024, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  bomb = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  g_assert_cmpuint (g_bytes_get_size (bomb), <, 2 * 1024 * 1024);
  file = sp_io_test_write ("bomb.sbclprof", g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb));
  assert_load_error (file, SP_PROFILE_ERROR, SP_PROFILE_ERROR_TOO_LARGE, "larger than 256 MiB");
}

/* A FIFO that nothing writes to: an error after a few seconds, never a wait without end. */
static void
test_fifo_without_writer (void)
{
  g_autoptr(GFile) file = sp_io_test_file ("fifo.folded");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) p = NULL;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  p = sp_profile_load (file, NULL, NULL, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "fifo.folded: nothing was written to it"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  sp_io_test_init ();
  g_test_add_func ("/bad-input/empty", test_empty);
  g_test_add_func ("/bad-input/truncated-gzip", test_truncated_gzip);
  g_test_add_func ("/bad-input/not-json", test_not_json);
  g_test_add_func ("/bad-input/wrong-format-and-version", test_wrong_format_and_version);
  g_test_add_func ("/bad-input/wrong-types", test_wrong_types);
  g_test_add_func ("/bad-input/indices-out-of-range", test_indices_out_of_range);
  g_test_add_func ("/bad-input/negative-weights", test_negative_weights);
  g_test_add_func ("/bad-input/v2-valid-document", test_v2_valid_document);
  g_test_add_func ("/bad-input/v2-bad-sections", test_v2_bad_sections);
  g_test_add_func ("/bad-input/tree-without-weights", test_tree_without_weights);
  g_test_add_func ("/bad-input/folded-lines", test_folded_lines);
  g_test_add_func ("/bad-input/binary-garbage", test_binary_garbage);
  g_test_add_func ("/bad-input/huge-single-line", test_huge_single_line);
  g_test_add_func ("/bad-input/long-line-after-good-ones", test_long_line_after_good_ones);
  g_test_add_func ("/bad-input/deep-nesting", test_deep_nesting);
  g_test_add_func ("/bad-input/too-many-values", test_too_many_values);
  g_test_add_func ("/bad-input/missing-file", test_missing_file);
  g_test_add_func ("/bad-input/issue-reproducers", test_issue_reproducers);
  g_test_add_func ("/bad-input/gzip-bomb", test_gzip_bomb);
  g_test_add_func ("/bad-input/fifo-without-writer", test_fifo_without_writer);
  status = g_test_run ();
  sp_io_test_cleanup ();
  return status;
}
