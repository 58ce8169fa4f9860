/* test-session-profile.c: the agent's recordings (protocol 3: sample batches, call paths)
 * turned into profiles, and every way their packed columns can be wrong */
#include "config.h"

#include <string.h>

#include "sp-session-private.h"

#define DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/* One number of the column: base-64 digits of 5 bits, low first, 32 added to all but the last. */
static void
append_number (GString *column,
               guint64  n)
{
  do
    {
      guint digit = n & 31;

      n >>= 5;
      g_string_append_c (column, DIGITS[n != 0 ? digit + 32 : digit]);
    }
  while (n != 0);
}

/* Appends a stack record: thread, count, shared, then the n ids given. */
static void
append_stack (GString       *column,
              guint          thread,
              guint64        count,
              guint          shared,
              guint          n,
              const guint32 *ids)
{
  append_number (column, thread);
  append_number (column, count);
  append_number (column, shared);
  append_number (column, n);
  for (guint i = 0; i < n; i++)
    append_number (column, ids[i]);
}

#define ONE_THREAD  "[{\"id\": 0, \"name\": \"workload\"}]"
#define TWO_THREADS "[{\"id\": 0, \"name\": \"workload\"}, {\"id\": 1, \"name\": \"other\"}]"

static SpProfile *
build_text (const char *text,
            SpMode      mode,
            GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  SpProfileMeta meta;
  SpProfile *profile;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &parse_error));
  g_assert_no_error (parse_error);
  sp_profile_meta_init (&meta);
  meta.mode = mode;
  profile = sp_session_build_profile (json_node_get_object (json_parser_get_root (parser)), &meta,
                                      error);
  sp_profile_meta_clear (&meta);
  return profile;
}

/* A recording of one batch of four frames A B C D with the given threads, column and stack
 * count. */
static SpProfile *
build (const char  *threads,
       const char  *column,
       gint64       n_stacks,
       GError     **error)
{
  g_autofree char *text =
    g_strdup_printf ("{\"batches\": [{\"batch\": 0, \"run\": null, \"t0\": 0, \"t1\": 1.5,"
                     " \"timed\": false, \"frames\": [{\"id\": 0, \"name\": \"DEMO:A\","
                     " \"file\": \"/tmp/demo.lisp\", \"line\": 3}, {\"id\": 1, \"name\": \"DEMO:B\"},"
                     " {\"id\": 2, \"name\": \"DEMO:C\"}, {\"id\": 3, \"name\": \"DEMO:D\"}],"
                     " \"threads\": %s, \"stacks\": \"%s\", \"stack_count\": %" G_GINT64_FORMAT ","
                     " \"samples\": 100, \"kept_samples\": 100}],"
                     " \"samples\": 100, \"duration\": 1.5}",
                     threads, column, n_stacks);

  return build_text (text, SP_MODE_CPU, error);
}

/* A frame by name; "thread:NAME" for a thread's. */
static guint32
lookup (SpProfile  *profile,
        const char *name)
{
  if (!g_str_has_prefix (name, "thread:"))
    return sp_profile_lookup_frame (profile, name);
  for (guint i = 0; i < sp_profile_get_n_frames (profile); i++)
    {
      const SpFrame *frame = sp_profile_get_frame (profile, i);

      if (frame->kind == SP_FRAME_KIND_THREAD && g_str_equal (frame->name, name + strlen ("thread:")))
        return i;
    }
  return SP_NO_FRAME;
}

/* The node reached by names from the roots, or SP_NO_NODE. */
static guint32
path_node (SpProfile   *profile,
           const char **names)
{
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  guint32 parent = SP_NO_NODE;

  for (; *names != NULL; names++)
    {
      guint32 frame = lookup (profile, *names);
      guint32 found = SP_NO_NODE;

      for (guint n = 0; n < sp_profile_get_n_nodes (profile) && found == SP_NO_NODE; n++)
        if (parents[n] == parent && frames[n] == frame)
          found = n;
      if (found == SP_NO_NODE)
        return SP_NO_NODE;
      parent = found;
    }
  return parent;
}

/* The total samples of the node reached by names from the roots, or -1. */
static double
path_total (SpProfile   *profile,
            const char **names)
{
  guint32 node = path_node (profile, names);

  return node != SP_NO_NODE ? sp_profile_get_total_weights (profile, SP_METRIC_SAMPLES)[node] : -1;
}

static void
test_shared_prefixes (void)
{
  g_autoptr(GString) column = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  const guint32 abc[] = { 0, 1, 2 }, d[] = { 3 }, b[] = { 1 };
  const char *path_ab[] = { "DEMO:A", "DEMO:B", NULL };
  const char *path_abc[] = { "DEMO:A", "DEMO:B", "DEMO:C", NULL };
  const char *path_abd[] = { "DEMO:A", "DEMO:B", "DEMO:D", NULL };
  const char *path_b[] = { "DEMO:B", NULL };

  append_stack (column, 0, 40, 0, 3, abc);      /* A B C */
  append_stack (column, 0, 1000000, 2, 1, d);   /* A B D: a count of several digits */
  append_stack (column, 0, 2, 2, 0, NULL);      /* A B */
  append_stack (column, 0, 3, 0, 1, b);         /* B */
  profile = build (ONE_THREAD, column->str, 4, &error);
  g_assert_no_error (error);

  /* One thread: no thread frames; the shared prefix is one path, not two. */
  g_assert_cmpuint (sp_profile_get_n_nodes (profile), ==, 5);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES), ==, 1000045);
  g_assert_cmpfloat (path_total (profile, path_ab), ==, 1000042);
  g_assert_cmpfloat (path_total (profile, path_abc), ==, 40);
  g_assert_cmpfloat (path_total (profile, path_abd), ==, 1000000);
  g_assert_cmpfloat (path_total (profile, path_b), ==, 3);
  g_assert_cmpstr (sp_profile_get_frame (profile, sp_profile_lookup_frame (profile, "DEMO:A"))->file,
                   ==, "/tmp/demo.lisp");
}

static void
test_threads_are_roots (void)
{
  g_autoptr(GString) column = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  const guint32 ab[] = { 0, 1 };
  const char *workload_ab[] = { "thread:workload", "DEMO:A", "DEMO:B", NULL };
  const char *other_ab[] = { "thread:other", "DEMO:A", "DEMO:B", NULL };

  append_stack (column, 0, 5, 0, 2, ab);
  /* "shares" A B with the stack before, which was another thread's: same frames, own nodes */
  append_stack (column, 1, 7, 2, 0, NULL);
  profile = build (TWO_THREADS, column->str, 2, &error);
  g_assert_no_error (error);

  g_assert_cmpfloat (path_total (profile, workload_ab), ==, 5);
  g_assert_cmpfloat (path_total (profile, other_ab), ==, 7);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES), ==, 12);
}

static void
test_empty_column (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = build ("[]", "", 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sp_profile_get_n_nodes (profile), ==, 0);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES), ==, 0);
  g_assert_cmpint (sp_profile_get_meta (profile)->sample_count, ==, 100);
}

static void
assert_malformed (const char *threads,
                  const char *column,
                  gint64      n_stacks,
                  const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = build (threads, column, n_stacks, &error);

  g_assert_null (profile);
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);
}

/* A column made of the stacks given as numbers (-1 ends). */
static char *
column_of (const gint64 *numbers)
{
  GString *column = g_string_new (NULL);

  for (; *numbers >= 0; numbers++)
    append_number (column, *numbers);
  return g_string_free (column, FALSE);
}

static void
test_malformed_columns (void)
{
  const gint64 good[] = { 0, 1, 0, 2, 0, 1, -1 };
  const gint64 bad_frame[] = { 0, 1, 0, 2, 0, 4, -1 };
  const gint64 bad_thread[] = { 1, 1, 0, 1, 0, -1 };
  const gint64 bad_shared[] = { 0, 1, 0, 1, 0, 0, 1, 2, 0, -1 };
  const gint64 no_frames[] = { 0, 1, 0, 0, -1 };
  const gint64 no_samples[] = { 0, 0, 0, 1, 0, -1 };
  g_autofree char *good_column = column_of (good);
  g_autofree char *bad_frame_column = column_of (bad_frame);
  g_autofree char *bad_thread_column = column_of (bad_thread);
  g_autofree char *bad_shared_column = column_of (bad_shared);
  g_autofree char *no_frames_column = column_of (no_frames);
  g_autofree char *no_samples_column = column_of (no_samples);
  g_autofree char *cut = g_strndup (good_column, strlen (good_column) - 1);
  g_autofree char *doubled = g_strconcat (good_column, good_column, NULL);

  /* the column's own faults */
  assert_malformed (ONE_THREAD, bad_frame_column, 1, "unknown frame");
  assert_malformed (ONE_THREAD, bad_thread_column, 1, "unknown thread");
  assert_malformed (ONE_THREAD, bad_shared_column, 2, "shares more frames");
  assert_malformed (ONE_THREAD, no_frames_column, 1, "without samples or frames");
  assert_malformed (ONE_THREAD, no_samples_column, 1, "without samples or frames");
  assert_malformed (ONE_THREAD, "AB!A", 1, "no base-64 digit");
  assert_malformed (ONE_THREAD, "AB A", 1, "no base-64 digit");
  /* a number whose digits never end, or too long for any count */
  assert_malformed (ONE_THREAD, "ggg", 1, "end in the middle of a stack");
  assert_malformed (ONE_THREAD, "gggggggggggggggggggA", 1, "number too large");
  /* truncated: inside a stack, or at a stack's end */
  assert_malformed (ONE_THREAD, cut, 1, "end in the middle of a stack");
  assert_malformed (ONE_THREAD, good_column, 2, "stack_count");
  assert_malformed (ONE_THREAD, doubled, 1, "stack_count");
  /* a stack claiming more frames than the column has characters */
  assert_malformed (ONE_THREAD, "AB" "A" "gggB", 1, "end in the middle of a stack");
}

#define BATCH(members) "{\"batches\": [{\"t0\": 0, \"t1\": 1, \"samples\": 1, \"kept_samples\": 1, " members "}]}"

/* Protocol 2 sent the stacks at the top, protocol 1 as arrays: those, and other shapes, are
 * refused by name. */
static void
test_malformed_members (void)
{
  const char *cases[][2] = {
    { "{\"frames\": [], \"threads\": [], \"stacks\": \"\", \"stack_count\": 0}",
      "batches are missing" },
    { BATCH ("\"frames\": [], \"threads\": [], \"stacks\": [[0, 1, [0]]], \"stack_count\": 1"),
      "without stacks" },
    { BATCH ("\"frames\": [], \"threads\": [], \"stacks\": \"\", \"stack_count\": \"0\""),
      "without stacks" },
    { BATCH ("\"frames\": [], \"threads\": [], \"stacks\": \"\""), "without stacks" },
    { BATCH ("\"frames\": [{\"id\": 0, \"file\": \"x\"}], \"threads\": [], \"stacks\": \"\","
             " \"stack_count\": 0"), "without a name" },
    { BATCH ("\"frames\": [{\"id\": 3, \"name\": \"x\"}], \"threads\": [], \"stacks\": \"\","
             " \"stack_count\": 0"), "the next id" },
    { BATCH ("\"frames\": [], \"threads\": [{\"name\": \"w\"}], \"stacks\": \"\","
             " \"stack_count\": 0"), "the next id" },
    { BATCH ("\"run\": -2, \"frames\": [], \"threads\": [], \"stacks\": \"\", \"stack_count\": 0"),
      "impossible run" },
    { "{\"batches\": [{\"t0\": 2, \"t1\": 1, \"samples\": 1, \"kept_samples\": 1, \"frames\": [],"
      " \"threads\": [], \"stacks\": \"\", \"stack_count\": 0}]}", "time or sample counts" },
    { "{\"batches\": [7]}", "not an object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SpProfile) profile = build_text (cases[i][0], SP_MODE_ALLOC, &error);

      g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL);
      if (strstr (error->message, cases[i][1]) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i][1]);
    }
}

/* Two batches of two runs: frame ids go on from batch to batch, each run has its figures (a
 * function twice on a stack counted once in its total), and each stack its time. */
static void
test_batches_runs_and_timeline (void)
{
  g_autoptr(GString) first = g_string_new (NULL);
  g_autoptr(GString) second = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autofree char *text = NULL;
  const guint32 ab[] = { 0, 1 }, aba[] = { 0, 1, 0 }, ae[] = { 0, 2 };
  const SpTimelineSample *timeline;
  const SpFunctionStats *a, *e;
  const SpRunSummary *runs;
  guint n;

  append_stack (first, 0, 3, 0, 2, ab);     /* A B ×3 */
  append_stack (first, 0, 2, 0, 3, aba);    /* A B A ×2 */
  append_stack (second, 0, 4, 0, 2, ae);    /* A E ×4 */
  text = g_strdup_printf (
    "{\"batches\": ["
    "{\"batch\": 0, \"run\": 0, \"t0\": 0, \"t1\": 1, \"frames\": [{\"id\": 0, \"name\": \"DEMO:A\"},"
    " {\"id\": 1, \"name\": \"DEMO:B\"}], \"threads\": " ONE_THREAD ", \"stacks\": \"%s\","
    " \"stack_count\": 2, \"samples\": 6, \"kept_samples\": 5},"
    "{\"batch\": 1, \"run\": 1, \"t0\": 1, \"t1\": 3, \"frames\": [{\"id\": 2, \"name\": \"DEMO:E\"}],"
    " \"threads\": [], \"stacks\": \"%s\", \"stack_count\": 1, \"samples\": 4, \"kept_samples\": 4}],"
    " \"samples\": 10, \"duration\": 3,"
    " \"runs\": [{\"seconds\": 1, \"gc_seconds\": 0, \"bytes_consed\": 10, \"samples\": 6},"
    "           {\"seconds\": 2, \"gc_seconds\": 0.5, \"bytes_consed\": 20, \"samples\": 4}]}",
    first->str, second->str);
  profile = build_text (text, SP_MODE_CPU, &error);
  g_assert_no_error (error);

  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES), ==, 9);
  g_assert_cmpint (sp_profile_get_meta (profile)->sample_count, ==, 10);
  a = sp_profile_find_function_stats (profile, sp_profile_lookup_frame (profile, "DEMO:A"));
  e = sp_profile_find_function_stats (profile, sp_profile_lookup_frame (profile, "DEMO:E"));
  g_assert_nonnull (a);
  g_assert_nonnull (e);
  g_assert_cmpuint (a->n_runs, ==, 2);
  g_assert_cmpfloat (a->runs[0].total_weight, ==, 5);   /* not 7: A B A counts A once */
  g_assert_cmpfloat (a->runs[0].self_weight, ==, 2);
  g_assert_cmpfloat (a->runs[1].total_weight, ==, 4);
  g_assert_cmpfloat (a->total.total_weight, ==, 9);
  g_assert_cmpfloat (e->runs[0].total_weight, ==, 0);
  g_assert_cmpfloat (e->runs[1].self_weight, ==, 4);

  runs = sp_profile_get_run_summaries (profile, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (runs[1].seconds, ==, 2);
  g_assert_cmpfloat (runs[1].samples, ==, 4);

  /* each batch's stacks spread over its time, in order, a stack counted n times as n samples
   * one after the other (SBCL merges identical consecutive samples) */
  timeline = sp_profile_get_timeline (profile, &n);
  g_assert_cmpuint (n, ==, 9);
  g_assert_true (sp_profile_get_meta (profile)->timeline_estimated);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpfloat_with_epsilon (timeline[i].time, 0.2 * i, 1e-12);
      g_assert_cmpfloat (timeline[i].weight, ==, 1);
    }
  g_assert_cmpuint (timeline[2].node, ==, timeline[0].node);   /* A B */
  g_assert_cmpuint (timeline[3].node, !=, timeline[2].node);   /* A B A */
  for (guint i = 5; i < 9; i++)
    {
      g_assert_cmpfloat_with_epsilon (timeline[i].time, 1 + 0.5 * (i - 5), 1e-12);
      g_assert_cmpfloat (timeline[i].weight, ==, 1);
      g_assert_cmpuint (sp_profile_get_node_frames (profile)[timeline[i].node], ==,
                        sp_profile_lookup_frame (profile, "DEMO:E"));
    }
}

/* A deterministic recording (protocol 3): RUN calls WORK twice, and WORK is called once from
 * outside; WORK's corrected seconds are split by the raw time of its paths (300 : 100). */
static SpProfile *
build_deterministic (const char  *paths,
                     gint64       n_paths,
                     GError     **error)
{
  g_autofree char *text =
    g_strdup_printf ("{\"functions\": ["
                     "{\"name\": \"APP::RUN\", \"total\": {\"calls\": 1, \"seconds\": 0.1,"
                     " \"raw_seconds\": 0.2, \"bytes\": 0, \"gc_seconds\": 0}, \"runs\": []},"
                     "{\"name\": \"APP::WORK\", \"total\": {\"calls\": 3, \"seconds\": 0.8,"
                     " \"raw_seconds\": 0.9, \"bytes\": 64, \"gc_seconds\": 0}, \"runs\": []}],"
                     " \"overhead\": {\"call\": 7e-7, \"nested\": 9e-7},"
                     " \"paths\": \"%s\", \"path_count\": %" G_GINT64_FORMAT ", \"duration\": 1.0,"
                     " \"runs\": [{\"seconds\": 1.0, \"gc_seconds\": 0, \"bytes_consed\": 64}]}",
                     paths, n_paths);
  g_autoptr(JsonParser) parser = json_parser_new ();
  SpProfileMeta meta;
  SpProfile *profile;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  sp_profile_meta_init (&meta);
  meta.mode = SP_MODE_DETERMINISTIC;
  profile = sp_session_build_profile (json_node_get_object (json_parser_get_root (parser)), &meta,
                                      error);
  sp_profile_meta_clear (&meta);
  return profile;
}

static void
test_deterministic_paths (void)
{
  /* parent+1 function calls nanoseconds: RUN (root), RUN → WORK, WORK (root) */
  const gint64 numbers[] = { 0, 0, 1, 100, 1, 1, 2, 300, 0, 1, 1, 100, -1 };
  g_autofree char *column = column_of (numbers);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = build_deterministic (column, 3, &error);
  const char *run_work[] = { "APP::RUN", "APP::WORK", NULL };
  const char *work[] = { "APP::WORK", NULL };
  const SpProfileMeta *meta;
  guint n_runs = 0;

  g_assert_no_error (error);
  meta = sp_profile_get_meta (profile);
  g_assert_cmpfloat (meta->overhead_call, ==, 7e-7);
  g_assert_cmpfloat (meta->overhead_nested, ==, 9e-7);
  g_assert_cmpint (sp_profile_get_default_metric (profile), ==, SP_METRIC_SECONDS);
  g_assert_cmpfloat_with_epsilon (sp_profile_get_self_weights (profile, SP_METRIC_SECONDS)
                                    [path_node (profile, run_work)], 0.6, 1e-12);
  g_assert_cmpfloat_with_epsilon (sp_profile_get_self_weights (profile, SP_METRIC_SECONDS)
                                    [path_node (profile, work)], 0.2, 1e-12);
  g_assert_cmpfloat (sp_profile_get_self_weights (profile, SP_METRIC_CALLS)
                       [path_node (profile, run_work)], ==, 2);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_CALLS), ==, 4);
  g_assert_cmpfloat (sp_profile_find_function_stats (profile, lookup (profile, "APP::WORK"))->total.raw_seconds,
                     ==, 0.9);
  g_assert_nonnull (sp_profile_get_run_summaries (profile, &n_runs));
  g_assert_cmpuint (n_runs, ==, 1);
}

static void
test_deterministic_paths_malformed (void)
{
  const gint64 bad_parent[] = { 2, 0, 1, 100, -1 };
  const gint64 bad_function[] = { 0, 7, 1, 100, -1 };
  const gint64 *cases[] = { bad_parent, bad_function };
  const char *expected[] = { "parent", "unknown function" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *column = column_of (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SpProfile) profile = build_deterministic (column, 1, &error);

      g_assert_null (profile);
      g_assert_nonnull (strstr (error->message, expected[i]));
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SpProfile) profile = build_deterministic ("AAB", 1, &error);

    g_assert_null (profile);
    g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session-profile/shared-prefixes", test_shared_prefixes);
  g_test_add_func ("/session-profile/threads-are-roots", test_threads_are_roots);
  g_test_add_func ("/session-profile/empty-column", test_empty_column);
  g_test_add_func ("/session-profile/malformed-columns", test_malformed_columns);
  g_test_add_func ("/session-profile/malformed-members", test_malformed_members);
  g_test_add_func ("/session-profile/batches-runs-and-timeline", test_batches_runs_and_timeline);
  g_test_add_func ("/session-profile/deterministic-paths", test_deterministic_paths);
  g_test_add_func ("/session-profile/deterministic-paths-malformed", test_deterministic_paths_malformed);
  return g_test_run ();
}
