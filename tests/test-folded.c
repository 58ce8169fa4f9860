#include "sp-io-test-util.h"

/* The node with this root-first path, or SP_NO_NODE. */
static guint32
find_node (SpProfile  *profile,
           const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, ";", -1);
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  guint32 node = SP_NO_NODE;

  for (guint d = 0; names[d] != NULL; d++)
    {
      guint32 found = SP_NO_NODE;

      for (guint i = 0; i < sp_profile_get_n_nodes (profile) && found == SP_NO_NODE; i++)
        if (parents[i] == node && g_str_equal (sp_profile_get_frame (profile, frames[i])->name, names[d]))
          found = i;
      if ((node = found) == SP_NO_NODE)
        return SP_NO_NODE;
    }
  return node;
}

static double
self_weight (SpProfile  *profile,
             SpMetric    metric,
             const char *path)
{
  guint32 node = find_node (profile, path);

  g_assert_cmpuint (node, !=, SP_NO_NODE);
  return sp_profile_get_self_weights (profile, metric)[node];
}

static void
test_basic (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("basic.folded",
                                                 "main;work;fib 12\n"
                                                 "main;work 3\n"
                                                 "main;work;fib 1\n"
                                                 "other 4");
  const SpProfileMeta *meta = sp_profile_get_meta (p);

  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 4);
  g_assert_cmpuint (sp_profile_get_n_frames (p), ==, 4);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "main;work;fib"), ==, 13);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "main;work"), ==, 3);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "other"), ==, 4);
  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_SAMPLES), ==, 20);
  g_assert_false (sp_profile_has_metric (p, SP_METRIC_BASELINE));
  g_assert_cmpint (meta->mode, ==, SP_MODE_IMPORTED);
  g_assert_cmpstr (meta->source, ==, "basic.folded");
}

static void
test_fractions_crlf_blank_lines (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("crlf.txt",
                                                 "\r\n"
                                                 "a;b 1.5\r\n"
                                                 "\n"
                                                 "   \n"
                                                 "a;b 0.25\r\n"
                                                 "a 2e1\r\n");
  g_autoptr(SpProfile) bom = sp_io_test_load_text ("bom.folded", "\xef\xbb\xbf" "main;f 2\n");

  g_assert_cmpuint (sp_profile_get_n_nodes (p), ==, 2);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "a;b"), ==, 1.75);
  g_assert_cmpfloat (self_weight (bom, SP_METRIC_SAMPLES, "main;f"), ==, 2);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "a"), ==, 20);
}

static void
test_names_with_spaces (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("names.folded",
                                                 "(LAMBDA (X) :IN FOO::BAR);(FLET F :IN FOO::G) 7\n"
                                                 "\"foreign function call_into_lisp\";(SB-PCL::FAST-METHOD PRINT-OBJECT (T T)) 2\n");
  guint32 flet = sp_profile_lookup_frame (p, "(FLET F :IN FOO::G)");

  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "(LAMBDA (X) :IN FOO::BAR);(FLET F :IN FOO::G)"), ==, 7);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES,
                                  "\"foreign function call_into_lisp\";(SB-PCL::FAST-METHOD PRINT-OBJECT (T T))"), ==, 2);
  g_assert_cmpuint (flet, !=, SP_NO_FRAME);
  g_assert_cmpint (sp_profile_get_frame (p, flet)->kind, ==, SP_FRAME_KIND_FLET);
}

/* perf's folded stacks start with "[unknown]" frames: not a JSON array. */
static void
test_bracket_names (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("perf.folded", "[unknown];f 3\n[kernel.kallsyms] 1\n");

  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "[unknown];f"), ==, 3);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "[kernel.kallsyms]"), ==, 1);
}

static void
test_differential (void)
{
  g_autoptr(SpProfile) p = sp_io_test_load_text ("diff.folded",
                                                 "a;b 10 12\n"
                                                 "a;c 0 5\n"
                                                 "a;d 7 0\n");
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  /* "stack baseline" is the key here: same lines in any order */
  g_autoptr(GHashTable) expected = sp_io_test_parse_folded ("a;b 10 12\na;c 0 5\na;d 7 0\n");
  g_autoptr(GHashTable) actual = NULL;

  g_assert_true (sp_profile_has_metric (p, SP_METRIC_BASELINE));
  g_assert_cmpfloat (self_weight (p, SP_METRIC_BASELINE, "a;b"), ==, 10);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "a;b"), ==, 12);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_BASELINE, "a;d"), ==, 7);
  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_SAMPLES), ==, 17);
  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_BASELINE), ==, 17);

  /* exported in the same two-count form */
  g_assert_true (sp_profile_write (p, out, SP_FILE_FORMAT_FOLDED, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_assert_nonnull (strstr (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), "a;b 10 12\n"));
  g_assert_nonnull (strstr (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), "a;d 7 0\n"));
  actual = sp_io_test_parse_folded (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)));
  sp_io_test_assert_same_stacks (expected, actual);
}

static void
test_safe_names (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  guint32 frames[3];
  double weights[SP_N_METRICS] = { 3 };
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(SpProfile) back = NULL;
  g_autoptr(GFile) file = sp_io_test_file ("safe.folded");
  g_autofree char *text = NULL;

  frames[0] = sp_profile_builder_intern_frame (b, "a;b", -1);
  frames[1] = sp_profile_builder_intern_frame (b, "two\nlines", -1);
  frames[2] = sp_profile_builder_intern_frame (b, "f 12", -1);
  sp_profile_builder_add_stack (b, frames, 3, FALSE, weights);
  p = sp_profile_builder_end (b);

  sp_io_test_save (p, file, SP_FILE_FORMAT_FOLDED);
  text = sp_io_test_read (file);
  g_assert_cmpstr (text, ==, "a:b;two lines;f_12 3\n");

  back = sp_io_test_load (file);
  g_assert_cmpuint (sp_profile_get_n_nodes (back), ==, 3);
  g_assert_cmpfloat (self_weight (back, SP_METRIC_SAMPLES, "a:b;two lines;f_12"), ==, 3);
}

/* Random stacks over a small vocabulary, with names that need no escaping. */
static char *
random_folded (guint seed,
               guint n_lines)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_lines; i++)
    {
      guint depth = g_rand_int_range (rand, 1, 40);

      for (guint d = 0; d < depth; d++)
        g_string_append_printf (text, "%s(PKG::F%d :IN X)", d > 0 ? ";" : "",
                                g_rand_int_range (rand, 0, d < 3 ? 3 : 60));
      g_string_append_printf (text, " %d\n", g_rand_int_range (rand, 1, 1000));
    }
  return g_string_free (text, FALSE);
}

static void
test_round_trip_through_sbclprof (void)
{
  g_autofree char *input = random_folded (7, 20000);
  g_autoptr(GFile) folded = sp_io_test_write ("input.folded", input, -1);
  g_autoptr(GFile) saved = sp_io_test_file ("trip.sbclprof");
  g_autoptr(GFile) exported = sp_io_test_file ("trip.folded");
  g_autoptr(SpProfile) p = sp_io_test_load (folded);
  g_autoptr(SpProfile) reloaded = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GHashTable) expected = sp_io_test_parse_folded (input);
  g_autoptr(GHashTable) actual = NULL;

  sp_io_test_save (p, saved, SP_FILE_FORMAT_SBCLPROF);
  reloaded = sp_io_test_load (saved);
  sp_io_test_save (reloaded, exported, SP_FILE_FORMAT_FOLDED);
  output = sp_io_test_read (exported);
  actual = sp_io_test_parse_folded (output);
  sp_io_test_assert_same_stacks (expected, actual);
}

/* A tree big enough that its preorder layout and totals are computed by two threads
 * (PARALLEL_NODES, 256 K nodes): every column agrees with a naive computation. */
/* The profile the builder makes of folded text, line by line and frame by frame. */
static SpProfile *
build_folded (const char *text,
              gboolean    differential)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  if (differential)
    sp_profile_builder_enable_metric (builder, SP_METRIC_BASELINE);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char *space = strrchr (lines[i], ' ');
      g_auto(GStrv) frames = NULL;
      double weights[SP_N_METRICS] = { 0 };

      *space = '\0';
      if (differential)
        {
          /* "a;b BASELINE COUNT" */
          char *first = strrchr (lines[i], ' ');

          *first = '\0';
          weights[SP_METRIC_BASELINE] = g_ascii_strtod (first + 1, NULL);
        }
      frames = g_strsplit (lines[i], ";", -1);
      g_array_set_size (stack, 0);
      for (guint d = 0; frames[d] != NULL; d++)
        {
          guint32 frame = sp_profile_builder_intern_frame (builder, frames[d], -1);

          g_array_append_val (stack, frame);
        }
      weights[SP_METRIC_SAMPLES] = g_ascii_strtod (space + 1, NULL);
      sp_profile_builder_add_stack (builder, (guint32 *) stack->data, stack->len, FALSE, weights);
    }
  return sp_profile_builder_end (builder);
}

static void
test_large_tree_columns (void)
{
  g_autofree char *input = random_folded (11, 40000);
  g_autoptr(GFile) folded = sp_io_test_write ("large.folded", input, -1);
  g_autoptr(SpProfile) p = sp_io_test_load (folded);
  g_autoptr(GFile) exported = sp_io_test_file ("large-out.folded");
  g_autoptr(GHashTable) expected = sp_io_test_parse_folded (input);
  g_autoptr(GHashTable) actual = NULL;
  g_autofree char *output = NULL;
  guint n = sp_profile_get_n_nodes (p);
  const guint32 *parents = sp_profile_get_node_parents (p);
  const guint32 *ends = sp_profile_get_node_ends (p);
  const guint16 *depths = sp_profile_get_node_depths (p);
  const double *self = sp_profile_get_self_weights (p, SP_METRIC_SAMPLES);
  const double *totals = sp_profile_get_total_weights (p, SP_METRIC_SAMPLES);
  g_autofree double *naive = g_new0 (double, n);
  double grand = 0;

  g_assert_cmpuint (n, >, 2 * 256 * 1024);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (depths[i], ==, parents[i] == SP_NO_NODE ? 0 : depths[parents[i]] + 1);
      for (guint32 a = i; a != SP_NO_NODE; a = parents[a])
        naive[a] += self[i];
      for (guint j = i + 1; j < ends[i]; j++)
        g_assert_cmpuint (depths[j], >, depths[i]);
      g_assert_true (ends[i] == n || depths[ends[i]] <= depths[i]);
      grand += self[i];
    }
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (totals[i], ==, naive[i]);
  g_assert_cmpfloat (sp_profile_get_grand_total (p, SP_METRIC_SAMPLES), ==, grand);

  /* node for node the tree the builder makes line by line: the reader merges some lines side
   * by side, and each node must still come where its first line put it among its siblings */
  {
    g_autoptr(SpProfile) built = build_folded (input, FALSE);

    g_assert_cmpuint (sp_profile_get_n_nodes (built), ==, n);
    g_assert_cmpmem (sp_profile_get_node_parents (built), 4 * n, parents, 4 * n);
    g_assert_cmpmem (sp_profile_get_node_frames (built), 4 * n, sp_profile_get_node_frames (p), 4 * n);
    g_assert_cmpmem (sp_profile_get_self_weights (built, SP_METRIC_SAMPLES), 8 * n, self, 8 * n);
  }

  sp_io_test_save (p, exported, SP_FILE_FORMAT_FOLDED);
  output = sp_io_test_read (exported);
  actual = sp_io_test_parse_folded (output);
  sp_io_test_assert_same_stacks (expected, actual);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* The reader merges a stack's first frames itself and hands the levels below to two threads,
 * each building its own tree; the trees laid out as one must be the tree the builder makes
 * line by line, node for node: lines sorted (that go on below the previous line's first frames),
 * lines back in subtrees seen long before, lines that end above the split, two counts, and
 * stacks that all begin with the same long chain (so that the split is deep). */
static void
test_split_like_builder (void)
{
  for (guint variant = 0; variant < 4; variant++)
    {
      gboolean differential = variant & 1, chain = variant & 2;
      const guint n_lines = 12000;
      g_auto(GStrv) lines = g_new0 (char *, n_lines + 1);
      g_autoptr(GRand) rand = g_rand_new_with_seed (variant);
      GString *text = g_string_new (NULL);
      g_autofree char *input = NULL;
      g_autoptr(SpProfile) p = NULL;
      g_autoptr(SpProfile) built = NULL;
      guint n;

      /* few frames to choose from at each level: sorted lines share many */
      for (guint i = 0; i < n_lines; i++)
        {
          GString *line = g_string_new (NULL);
          guint depth = g_rand_int_range (rand, 1, 40);

          for (guint d = 0; d < depth; d++)
            g_string_append_printf (line, "%s(PKG::F%d :IN X)", d > 0 ? ";" : "",
                                    g_rand_int_range (rand, 0, d < 2 ? 3 : 5));
          g_string_append_printf (line, " %d", g_rand_int_range (rand, 1, 1000));
          lines[i] = g_string_free (line, FALSE);
        }
      qsort (lines, n_lines / 2, sizeof (char *), compare_lines);
      for (guint i = 0; i < n_lines; i++)
        {
          /* now and then a short line, and a line seen long before */
          const char *line = i % 97 == 1 ? "(PKG::F1 :IN X) 7" : i % 89 == 2 ? lines[i / 3] : lines[i];
          const char *space = strrchr (line, ' ');

          if (chain)
            g_string_append (text, "SB-IMPL::%START-LISP;SB-IMPL::TOPLEVEL-INIT;SB-IMPL::REPL;(LAMBDA () :IN SB-IMPL::REPL);"
                                   "SB-INT:SIMPLE-EVAL-IN-LEXENV;SB-IMPL::%SIMPLE-EVAL;");
          if (differential)
            g_string_append_printf (text, "%.*s %d%s\n", (int) (space - line), line,
                                    g_rand_int_range (rand, 0, 1000), space);
          else
            g_string_append_printf (text, "%s\n", line);
        }
      input = g_string_free (text, FALSE);
      p = sp_io_test_load_text ("split.folded", input);
      built = build_folded (input, differential);
      n = sp_profile_get_n_nodes (p);
      g_assert_cmpuint (sp_profile_get_n_nodes (built), ==, n);
      g_assert_cmpmem (sp_profile_get_node_parents (built), 4 * n, sp_profile_get_node_parents (p), 4 * n);
      g_assert_cmpmem (sp_profile_get_node_frames (built), 4 * n, sp_profile_get_node_frames (p), 4 * n);
      g_assert_cmpmem (sp_profile_get_node_ends (built), 4 * n, sp_profile_get_node_ends (p), 4 * n);
      g_assert_cmpmem (sp_profile_get_self_weights (built, SP_METRIC_SAMPLES), 8 * n,
                       sp_profile_get_self_weights (p, SP_METRIC_SAMPLES), 8 * n);
      if (differential)
        g_assert_cmpmem (sp_profile_get_self_weights (built, SP_METRIC_BASELINE), 8 * n,
                         sp_profile_get_self_weights (p, SP_METRIC_BASELINE), 8 * n);
    }
}

/* Lines longer than the reader's chunk, and sorted lines sharing prefixes. */
static void
test_long_lines_and_shared_prefixes (void)
{
  GString *text = g_string_new (NULL);
  g_autofree char *input = NULL;
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GHashTable) actual = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  for (guint line = 0; line < 3; line++)
    {
      for (guint i = 0; i < 60000; i++)
        g_string_append_printf (text, "%s(LAMBDA (X) :IN A-RATHER-LONG-PACKAGE-NAME::FRAME-%u)", i > 0 ? ";" : "", i % 1000);
      g_string_append_printf (text, " %u\n", line + 1);
    }
  g_string_append (text, "a;b;c 1\na;b;c;d 2\na;b;c d 3\na;bb;c 4\na;b;c 5\n");
  /* consecutive lines that part at every byte of the words the reader compares them by */
  for (guint k = 0; k < 40; k++)
    {
      const char *same = "root;ABCDEFGHIJKLMNOPQRSTUVWXYZ;abcdefghijk;leaf";
      char name[] = "root;ABCDEFGHIJKLMNOPQRSTUVWXYZ;abcdefghijk;leaf";
      int cut = strlen (same) - k;

      name[k] = name[k] == ';' ? ':' : '#';
      while (same[cut - 1] == ';')
        cut--;
      g_string_append_printf (text, "%s 1\n%s %u\n%s 1\n%.*s %u\n", same, name, k + 1, same, cut, same, k + 2);
    }
  input = g_string_free (text, FALSE);
  p = sp_io_test_load_text ("long.folded", input);

  g_assert_true (sp_profile_write (p, out, SP_FILE_FORMAT_FOLDED, NULL, NULL));
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  expected = sp_io_test_parse_folded (input);
  actual = sp_io_test_parse_folded (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)));
  sp_io_test_assert_same_stacks (expected, actual);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "a;b;c"), ==, 6);
  g_assert_cmpfloat (self_weight (p, SP_METRIC_SAMPLES, "a;b;c d"), ==, 3);
}

static void
record_progress (double   fraction,
                 gpointer user_data)
{
  GArray *fractions = user_data;

  g_array_append_val (fractions, fraction);
}

static void
test_progress_and_cancel (void)
{
  g_autofree char *input = random_folded (3, 60000);
  g_autoptr(GFile) file = sp_io_test_write ("progress.folded", input, -1);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) p = sp_profile_load (file, NULL, record_progress, fractions, &error);
  SpProfile *cancelled;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (input), >, 8 * 1024 * 1024);
  g_assert_cmpuint (fractions->len, >=, 3);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >=, g_array_index (fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, 0), <, 1.0);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);

  g_cancellable_cancel (cancellable);
  cancelled = sp_profile_load (file, cancellable, NULL, NULL, &error);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_format_names (void)
{
  g_assert_cmpstr (sp_file_format_to_string (SP_FILE_FORMAT_FOLDED), ==, "folded");
  g_assert_cmpstr (sp_file_format_to_string (SP_FILE_FORMAT_SBCLPROF), ==, "sbclprof");
  g_assert_cmpstr (sp_file_format_to_string (SP_FILE_FORMAT_SPEEDSCOPE), ==, "speedscope");
  g_assert_cmpint (sp_file_format_from_string ("speedscope"), ==, SP_FILE_FORMAT_SPEEDSCOPE);
  g_assert_cmpint (sp_file_format_from_string ("sbclprof"), ==, SP_FILE_FORMAT_SBCLPROF);
  g_assert_cmpint (sp_file_format_from_string ("folded"), ==, SP_FILE_FORMAT_FOLDED);
  g_assert_cmpint (sp_file_format_from_string ("png"), ==, SP_FILE_FORMAT_UNKNOWN);
  g_assert_cmpint (sp_file_format_from_string (NULL), ==, SP_FILE_FORMAT_UNKNOWN);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  sp_io_test_init ();
  g_test_add_func ("/folded/basic", test_basic);
  g_test_add_func ("/folded/fractions-crlf-blank-lines", test_fractions_crlf_blank_lines);
  g_test_add_func ("/folded/names-with-spaces", test_names_with_spaces);
  g_test_add_func ("/folded/bracket-names", test_bracket_names);
  g_test_add_func ("/folded/differential", test_differential);
  g_test_add_func ("/folded/safe-names", test_safe_names);
  g_test_add_func ("/folded/round-trip-through-sbclprof", test_round_trip_through_sbclprof);
  g_test_add_func ("/folded/long-lines-and-shared-prefixes", test_long_lines_and_shared_prefixes);
  g_test_add_func ("/folded/large-tree-columns", test_large_tree_columns);
  g_test_add_func ("/folded/split-like-builder", test_split_like_builder);
  g_test_add_func ("/folded/progress-and-cancel", test_progress_and_cancel);
  g_test_add_func ("/folded/format-names", test_format_names);
  status = g_test_run ();
  sp_io_test_cleanup ();
  return status;
}
