#include <json-glib/json-glib.h>

#include "sp-io-test-util.h"

static char *
write_to_string (SpProfile    *profile,
                 SpFileFormat  format)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_profile_write (profile, out, format, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_round_trip (void)
{
  const char *input = "main;(LAMBDA (X) :IN FOO);bar 12\n"
                      "main;(LAMBDA (X) :IN FOO) 3\n"
                      "main;baz 0.5\n"
                      "other 7\n";
  g_autoptr(SpProfile) p = sp_io_test_load_text ("trip.folded", input);
  g_autoptr(GFile) file = sp_io_test_file ("trip.speedscope.json");
  g_autoptr(SpProfile) back = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GHashTable) expected = sp_io_test_parse_folded (input);
  g_autoptr(GHashTable) actual = NULL;

  sp_io_test_save (p, file, SP_FILE_FORMAT_SPEEDSCOPE);
  back = sp_io_test_load (file);
  output = write_to_string (back, SP_FILE_FORMAT_FOLDED);
  actual = sp_io_test_parse_folded (output);
  sp_io_test_assert_same_stacks (expected, actual);
  g_assert_cmpint (sp_profile_get_meta (back)->mode, ==, SP_MODE_IMPORTED);
}

/* Names that folded stacks cannot carry come through speedscope unchanged. */
static void
test_exact_names_and_shape (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  const char *odd = "a;b \"c\"\n 12";
  guint32 frames[2];
  double weights[SP_N_METRICS] = { 4 };
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpProfile) back = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *profile;
  g_autoptr(GFile) file = NULL;

  frames[0] = sp_profile_builder_intern_frame (b, "root", -1);
  frames[1] = sp_profile_builder_intern_frame (b, odd, -1);
  sp_profile_builder_add_stack (b, frames, 2, FALSE, weights);
  p = sp_profile_builder_end (b);

  text = write_to_string (p, SP_FILE_FORMAT_SPEEDSCOPE);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "$schema"), ==,
                   "https://www.speedscope.app/file-format-schema.json");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_object_get_object_member (root, "shared"), "frames"), 1),
                     "name"), ==, odd);
  profile = json_array_get_object_element (json_object_get_array_member (root, "profiles"), 0);
  g_assert_cmpstr (json_object_get_string_member (profile, "type"), ==, "sampled");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (profile, "samples")), ==, 1);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (profile, "weights"), 0), ==, 4);

  file = sp_io_test_write ("odd.json", text, -1);
  back = sp_io_test_load (file);
  g_assert_cmpuint (sp_profile_lookup_frame (back, odd), !=, SP_NO_FRAME);
  g_assert_cmpfloat (sp_profile_get_grand_total (back, SP_METRIC_SAMPLES), ==, 4);
}

static void
test_several_profiles_are_threads (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("threads.json",
    "{\"$schema\": \"https://www.speedscope.app/file-format-schema.json\","
    " \"shared\": {\"frames\": [{\"name\": \"main\"}, {\"name\": \"work\", \"file\": \"w.lisp\", \"line\": 9}]},"
    " \"profiles\": ["
    "  {\"type\": \"sampled\", \"name\": \"worker 1\", \"unit\": \"none\", \"startValue\": 0, \"endValue\": 5,"
    "   \"samples\": [[0, 1], [0], [0, 1]], \"weights\": [2, 1, 2]},"
    "  {\"type\": \"sampled\", \"name\": \"worker 2\", \"unit\": \"none\", \"startValue\": 0, \"endValue\": 3,"
    "   \"samples\": [[1]], \"weights\": [3]}]}");
  guint32 work = sp_profile_lookup_frame (p, "work");
  const SpFrame *root = sp_profile_get_frame (p, sp_profile_get_node_frames (p)[0]);

  g_assert_cmpint (root->kind, ==, SP_FRAME_KIND_THREAD);
  g_assert_cmpstr (root->name, ==, "worker 1");
  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_SAMPLES), ==, 8);
  g_assert_cmpstr (sp_profile_get_frame (p, work)->file, ==, "w.lisp");
  g_assert_cmpuint (sp_profile_get_frame (p, work)->line, ==, 9);
  /* worker 1, main, work, worker 2, work */
  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 5);
}

static void
test_evented (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("evented.speedscope",
    "{\"shared\": {\"frames\": [{\"name\": \"a\"}, {\"name\": \"b\"}]},"
    " \"profiles\": [{\"type\": \"evented\", \"name\": \"x\", \"unit\": \"milliseconds\","
    "  \"startValue\": 0, \"endValue\": 10, \"events\": ["
    "   {\"type\": \"O\", \"frame\": 0, \"at\": 0},"
    "   {\"type\": \"O\", \"frame\": 1, \"at\": 2},"
    "   {\"type\": \"C\", \"frame\": 1, \"at\": 5},"
    "   {\"type\": \"C\", \"frame\": 0, \"at\": 10}]}]}");
  const double *self = sp_profile_get_self_weights (p, SP_METRIC_SAMPLES);

  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 2);
  g_assert_cmpfloat (self[0], ==, 7);
  g_assert_cmpfloat (self[1], ==, 3);
}

static void
test_missing_weights_count_one (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("noweights.json",
    "{\"shared\": {\"frames\": [{\"name\": \"a\"}]},"
    " \"profiles\": [{\"type\": \"sampled\", \"samples\": [[0], [0], [0]]}]}");

  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_SAMPLES), ==, 3);
}

static void
test_unclosed_frame (void)
{
  g_autoptr(GFile) file = sp_io_test_write ("unclosed.json",
    "{\"shared\": {\"frames\": [{\"name\": \"a\"}]},"
    " \"profiles\": [{\"type\": \"evented\", \"startValue\": 0, \"endValue\": 1,"
    "  \"events\": [{\"type\": \"O\", \"frame\": 0, \"at\": 0}]}]}", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) p = sp_profile_load (file, NULL, NULL, NULL, &error);

  g_assert_null (p);
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
  sp_io_test_assert_message (error, "unclosed.json: ", "never closed");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  sp_io_test_init ();
  g_test_add_func ("/speedscope/round-trip", test_round_trip);
  g_test_add_func ("/speedscope/exact-names-and-shape", test_exact_names_and_shape);
  g_test_add_func ("/speedscope/several-profiles-are-threads", test_several_profiles_are_threads);
  g_test_add_func ("/speedscope/evented", test_evented);
  g_test_add_func ("/speedscope/missing-weights-count-one", test_missing_weights_count_one);
  g_test_add_func ("/speedscope/unclosed-frame", test_unclosed_frame);
  status = g_test_run ();
  sp_io_test_cleanup ();
  return status;
}
