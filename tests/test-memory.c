/* test-memory.c: memory recordings on a real sbcl — exact allocations (sb-aprof) against known
 * counts and against sb-aprof's own report of the same run, heap snapshots, GC events — and
 * the agent's memory figures, well and badly formed, turned into profiles */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#define WAIT_LIMIT_SECONDS 120

#include "sp-memory.h"
#include "sp-session-private.h"
#include "sp-session-test-util.h"

static SpSession *instrumented_session;

static SpSession *
start_workload_session (gboolean instrument)
{
  g_autofree char *file = g_build_filename (g_getenv ("SP_LISP_DIR"), "tests",
                                            "memory-workload.lisp", NULL);
  const char *files[] = { file, NULL };
  g_autoptr(GError) error = NULL;
  SpSession *session = sp_session_new (NULL);

  sp_session_set_load_files (session, files);
  sp_session_set_instrument_allocations (session, instrument);
  start_session (session, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sp_session_get_code_instrumented (session), ==, instrument);
  return session;
}

static SpSession *
get_instrumented_session (void)
{
  if (instrumented_session == NULL)
    instrumented_session = start_workload_session (TRUE);
  return instrumented_session;
}

static SpProfile *
record_ok (SpSession  *session,
           SpMode      mode,
           const char *workload,
           gboolean    heap_snapshot)
{
  g_autoptr(GError) error = NULL;
  SpProfile *profile = record_mode (session, mode, workload, heap_snapshot, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static char *
eval_ok (SpSession  *session,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  char *value = eval (session, text, NULL, &error);

  g_assert_no_error (error);
  return value;
}

/* The exact allocations of one function and one type; zeros when there are none. */
static void
allocations_of (SpProfile  *profile,
                const char *function,
                const char *type,
                double     *objects,
                double     *bytes)
{
  guint32 frame = sp_profile_lookup_frame (profile, function);
  g_autoptr(GArray) types = NULL;

  *objects = *bytes = 0;
  if (frame == SP_NO_FRAME)
    return;
  types = sp_memory_totals (profile, SP_MEMORY_BY_TYPE, frame);
  for (guint i = 0; i < types->len; i++)
    {
      const SpMemoryTotal *t = &g_array_index (types, SpMemoryTotal, i);

      if (g_str_equal (sp_profile_get_type_name (profile, t->id), type))
        {
          *objects = t->objects;
          *bytes = t->bytes;
        }
    }
}

static void
assert_allocations (SpProfile  *profile,
                    const char *function,
                    const char *type,
                    double      objects,
                    double      bytes)
{
  double got_objects, got_bytes;

  allocations_of (profile, function, type, &got_objects, &got_bytes);
  g_assert_cmpfloat (got_objects, ==, objects);
  g_assert_cmpfloat (got_bytes, ==, bytes);
}

/* sb-aprof's own summary report (aprof-show :detail nil) of the counters as they are now:
 * function name → "bytes objects". */
static GHashTable *
aprof_report (SpSession *session)
{
  g_autofree char *printed = eval_ok (session,
    "(with-output-to-string (s) (sb-aprof:aprof-show :detail nil :top-n nil :stream s))");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) line_regex =
    g_regex_new ("^\\s*[0-9.]+\\s+[0-9.]+\\s+([0-9]+)\\s+([0-9]+)\\s+(\\S.*)$", 0, 0, NULL);
  GHashTable *report = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* The value is a printed Lisp string: unquote it. */
  g_assert_true (printed[0] == '"');
  text = g_strndup (printed + 1, strlen (printed) - 2);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (line_regex, lines[i], 0, &match))
        {
          g_autofree char *count = g_match_info_fetch (match, 1);
          g_autofree char *bytes = g_match_info_fetch (match, 2);

          g_hash_table_insert (report, g_match_info_fetch (match, 3),
                               g_strdup_printf ("%s %s", count, bytes));
        }
    }
  return report;
}

/* ---- Tests on a real sbcl ---- */

static void
test_exact_known_allocations (void)
{
  SpSession *session = get_instrumented_session ();
  g_autoptr(SpProfile) profile = record_ok (session, SP_MODE_ALLOC_EXACT, "(memtest:run)", FALSE);
  const SpProfileMeta *meta = sp_profile_get_meta (profile);

  g_assert_cmpint (meta->mode, ==, SP_MODE_ALLOC_EXACT);
  g_assert_nonnull (meta->instrumented);
  g_assert_nonnull (strstr (meta->instrumented, "memory-workload.lisp"));
  g_assert_nonnull (strstr (meta->instrumented, "SBCL's own functions"));
  assert_allocations (profile, "MEMTEST::MAKE-CONSES", "LIST", 100000, 1600000);
  assert_allocations (profile, "MEMTEST::MAKE-VECTORS", "SIMPLE-VECTOR", 20000, 20000 * 96);
  assert_allocations (profile, "MEMTEST::MAKE-POINT", "MEMTEST::POINT", 30000, 30000 * 32);
  /* The flat tree carries the same bytes per function. */
  g_assert_cmpfloat (sp_profile_get_default_metric (profile), ==, SP_METRIC_BYTES);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_BYTES), >=,
                     1600000 + 20000 * 96 + 30000 * 32);
}

static void
test_exact_equals_aprof_report (void)
{
  SpSession *session = get_instrumented_session ();
  g_autoptr(SpProfile) profile = record_ok (session, SP_MODE_ALLOC_EXACT, "(memtest:run)", FALSE);
  g_autoptr(GHashTable) report = aprof_report (session);
  g_autoptr(GArray) functions = sp_memory_totals (profile, SP_MEMORY_BY_FUNCTION, G_MAXUINT32);

  g_assert_cmpuint (g_hash_table_size (report), >=, 3);
  g_assert_cmpuint (functions->len, ==, g_hash_table_size (report));
  for (guint i = 0; i < functions->len; i++)
    {
      const SpMemoryTotal *f = &g_array_index (functions, SpMemoryTotal, i);
      const char *name = sp_profile_get_frame (profile, f->id)->name;
      g_autofree char *ours = g_strdup_printf ("%.0f %.0f", f->bytes, f->objects);

      g_assert_cmpstr (g_hash_table_lookup (report, name), ==, ours);
    }
}

static void
test_uninstrumented_session (void)
{
  g_autoptr(SpSession) session = start_workload_session (FALSE);
  g_autoptr(SpProfile) profile = record_ok (session, SP_MODE_ALLOC_EXACT, "(memtest:run)", FALSE);
  double objects, bytes;

  /* Nothing of the workload file is counted, and the profile says why. */
  allocations_of (profile, "MEMTEST::MAKE-CONSES", "LIST", &objects, &bytes);
  g_assert_cmpfloat (bytes, ==, 0);
  g_assert_nonnull (strstr (sp_profile_get_meta (profile)->instrumented, "Instrument allocations"));
  sp_session_quit (session);
}

static double
retained_conses (SpProfile *profile)
{
  g_autoptr(GArray) retained = sp_heap_retained (profile);

  g_assert_nonnull (retained);
  for (guint i = 0; i < retained->len; i++)
    {
      const SpMemoryTotal *t = &g_array_index (retained, SpMemoryTotal, i);

      if (g_str_equal (sp_profile_get_type_name (profile, t->id), "CONS"))
        return t->objects;
    }
  return 0;
}

static void
test_heap_retained (void)
{
  SpSession *session = get_instrumented_session ();
  g_autoptr(SpProfile) kept = record_ok (session, SP_MODE_CPU, "(memtest:keep)", TRUE);
  g_autoptr(SpProfile) dropped = NULL;
  g_autofree char *cleared = NULL;

  g_assert_cmpfloat (retained_conses (kept), >=, 100000);
  g_assert_cmpfloat (sp_profile_get_meta (kept)->heap_snapshot_seconds, >, 0);
  cleared = eval_ok (session, "(setf memtest:*kept* nil)");
  dropped = record_ok (session, SP_MODE_ALLOC_EXACT, "(memtest:drop)", TRUE);
  /* The agent's own bookkeeping leaves a few conses; the workload's 100 000 are gone. */
  g_assert_cmpfloat (retained_conses (dropped), <, 5000);
  assert_allocations (dropped, "MEMTEST::MAKE-CONSES", "LIST", 100000, 1600000);
}

static void
test_gc_events (void)
{
  SpSession *session = get_instrumented_session ();
  SpMode modes[] = { SP_MODE_CPU, SP_MODE_ALLOC, SP_MODE_ALLOC_EXACT };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(SpProfile) profile = record_ok (session, modes[m], "(memtest:collect-three)", FALSE);
      const SpGcEvent *events;
      SpGcSummary summary;
      guint n, full = 0;

      events = sp_profile_get_gc_events (profile, &n);
      g_assert_cmpuint (n, >=, 3);
      for (guint i = 0; i < n; i++)
        {
          /* a full GC collects every normal generation: the oldest is 5 */
          full += events[i].generation >= 5;
          g_assert_cmpfloat (events[i].pause, >=, 0);
          g_assert_cmpfloat (events[i].time, >=, 0);
          g_assert_cmpfloat (events[i].time, <=, sp_profile_get_meta (profile)->duration);
          g_assert_cmpint (events[i].bytes_before, >=, events[i].bytes_after);
          g_assert_cmpint (events[i].bytes_after, >, 0);
        }
      g_assert_cmpuint (full, >=, 3);
      g_assert_true (sp_gc_summary_compute (profile, &summary));
      g_assert_cmpuint (summary.count, ==, n);
      g_assert_cmpfloat (summary.longest_pause, <=, summary.total_pause);
      g_assert_cmpfloat (summary.wall_share, >=, 0);
      g_assert_cmpfloat (summary.wall_share, <=, 1);
    }
}

/* ---- The agent's memory figures, without sbcl ---- */

static SpProfile *
build (const char *json,
       GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  SpProfileMeta meta;
  SpProfile *profile;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  sp_profile_meta_init (&meta);
  meta.mode = SP_MODE_ALLOC_EXACT;
  profile = sp_session_build_profile (json_node_get_object (json_parser_get_root (parser)),
                                      &meta, error);
  sp_profile_meta_clear (&meta);
  return profile;
}

#define EXACT_HEAD "{\"mode\": \"alloc-exact\", \"duration\": 2.0, \"bytes_consed\": 5000, "

static void
test_parse_memory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = build (EXACT_HEAD
    "\"functions\": [{\"name\": \"A::F\"}, {\"name\": \"A::G\"}], \"types\": [\"LIST\", \"A::P\"],"
    "\"allocations\": [[0, 0, 10, 160], [1, 1, 2, 64], [0, 1, 1, 32]],"
    "\"instrumented\": \"files a.lisp\","
    "\"gc_events\": [[0.5, 0.1, 0, 900, 400], [1.0, 0.3, 5, 800, 300]],"
    "\"heap\": {\"before\": [[\"CONS\", 10, 160]], \"after\": [[\"CONS\", 30, 480], [\"A::P\", 1, 32]],"
    "          \"seconds\": 0.25}}", &error);
  g_autoptr(GArray) functions = NULL;
  g_autoptr(GArray) types_of_f = NULL;
  g_autoptr(GArray) retained = NULL;
  SpGcSummary gc;

  g_assert_no_error (error);
  functions = sp_memory_totals (profile, SP_MEMORY_BY_FUNCTION, G_MAXUINT32);
  g_assert_cmpuint (functions->len, ==, 2);
  g_assert_cmpstr (sp_profile_get_frame (profile, g_array_index (functions, SpMemoryTotal, 0).id)->name, ==, "A::F");
  g_assert_cmpfloat (g_array_index (functions, SpMemoryTotal, 0).bytes, ==, 192);
  g_assert_cmpfloat (g_array_index (functions, SpMemoryTotal, 0).objects, ==, 11);
  types_of_f = sp_memory_totals (profile, SP_MEMORY_BY_TYPE, g_array_index (functions, SpMemoryTotal, 0).id);
  g_assert_cmpuint (types_of_f->len, ==, 2);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_BYTES), ==, 256);
  g_assert_cmpstr (sp_profile_get_meta (profile)->instrumented, ==, "files a.lisp");

  g_assert_true (sp_gc_summary_compute (profile, &gc));
  g_assert_cmpuint (gc.count, ==, 2);
  g_assert_cmpfloat_with_epsilon (gc.total_pause, 0.4, 1e-12);
  g_assert_cmpfloat (gc.longest_pause, ==, 0.3);
  g_assert_cmpint (gc.longest_generation, ==, 5);
  g_assert_cmpfloat_with_epsilon (gc.wall_share, 0.2, 1e-12);
  g_assert_cmpint (gc.peak_bytes, ==, 900);

  retained = sp_heap_retained (profile);
  g_assert_cmpuint (retained->len, ==, 2);
  g_assert_cmpstr (sp_profile_get_type_name (profile, g_array_index (retained, SpMemoryTotal, 0).id), ==, "CONS");
  g_assert_cmpfloat (g_array_index (retained, SpMemoryTotal, 0).objects, ==, 20);
  g_assert_cmpfloat (g_array_index (retained, SpMemoryTotal, 0).bytes, ==, 320);
  g_assert_cmpfloat (sp_profile_get_meta (profile)->heap_snapshot_seconds, ==, 0.25);
}

static void
test_parse_malformed_memory (void)
{
  const char *bad[] = {
    EXACT_HEAD "\"functions\": [{\"name\": \"F\"}], \"types\": [\"LIST\"], \"allocations\": [[1, 0, 1, 16]]}",
    EXACT_HEAD "\"functions\": [{\"name\": \"F\"}], \"types\": [\"LIST\"], \"allocations\": [[0, 3, 1, 16]]}",
    EXACT_HEAD "\"functions\": [{\"name\": \"F\"}], \"types\": [\"LIST\"], \"allocations\": [[0, 0, -1, 16]]}",
    EXACT_HEAD "\"functions\": [{\"name\": \"F\"}], \"types\": [7], \"allocations\": []}",
    EXACT_HEAD "\"functions\": [{\"name\": \"F\"}], \"types\": [\"LIST\"], \"allocations\": [[0, 0, 1]]}",
    EXACT_HEAD "\"functions\": [], \"types\": []}",
    EXACT_HEAD "\"functions\": [], \"types\": [], \"allocations\": [], \"gc_events\": [[1, 2, 3]]}",
    EXACT_HEAD "\"functions\": [], \"types\": [], \"allocations\": [], \"gc_events\": [\"x\"]}",
    EXACT_HEAD "\"functions\": [], \"types\": [], \"allocations\": [], \"heap\": {\"before\": []}}",
    EXACT_HEAD "\"functions\": [], \"types\": [], \"allocations\": [], "
               "\"heap\": {\"before\": [[\"CONS\", \"x\", 1]], \"after\": []}}",
    EXACT_HEAD "\"functions\": [], \"types\": [], \"allocations\": [], "
               "\"heap\": {\"before\": [[1, 1, 1]], \"after\": []}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SpProfile) profile = build (bad[i], &error);

      g_assert_null (profile);
      g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL);
    }
}

static void
test_format_bytes (void)
{
  g_autofree char *mb = sp_format_bytes (395000000);
  g_autofree char *negative = sp_format_bytes (-2500);

  g_assert_cmpstr (mb, ==, "395.0\u00a0MB");
  g_assert_cmpstr (negative, ==, "−2.5\u00a0kB");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/memory/parse", test_parse_memory);
  g_test_add_func ("/memory/parse-malformed", test_parse_malformed_memory);
  g_test_add_func ("/memory/format-bytes", test_format_bytes);
  g_test_add_func ("/memory/exact/known-allocations", test_exact_known_allocations);
  g_test_add_func ("/memory/exact/equals-aprof-report", test_exact_equals_aprof_report);
  g_test_add_func ("/memory/exact/uninstrumented-session", test_uninstrumented_session);
  g_test_add_func ("/memory/heap/retained", test_heap_retained);
  g_test_add_func ("/memory/gc/events", test_gc_events);
  status = g_test_run ();
  if (instrumented_session != NULL)
    {
      sp_session_quit (instrumented_session);
      g_object_unref (instrumented_session);
    }
  return status;
}
