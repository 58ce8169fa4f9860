/* sp-cli-diff.c: `sbcl-profiler diff`, a baseline against a new profile */
#define G_LOG_DOMAIN "sp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "sp-cli-private.h"
#include "sp-diff.h"
#include "sp-memory.h"
#include "sp-profile-io.h"

/* The exit status when --fail-above finds a regression: not 1, which means an error. */
#define EXIT_REGRESSION 3

static gboolean
has_noise (GArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    if (MAX (g_array_index (rows, SpDiffRow, i).base_noise, g_array_index (rows, SpDiffRow, i).new_noise) >= 0)
      return TRUE;
  return FALSE;
}

static void
print_table (GArray     *rows,
             guint       top,
             const char *base_path,
             const char *new_path)
{
  gboolean noise = has_noise (rows);

  printf (_("# %s → %s (%% of each profile’s total)\n"), base_path, new_path);
  if (noise)
    printf (_("# noise: how far a function's self share moved between the runs of either profile; "
              "a change no larger is within the noise\n"));
  printf ("%9s %9s %8s %10s %10s %8s", _("base self"), _("new self"), _("delta"),
          _("base total"), _("new total"), _("delta"));
  if (noise)
    printf (" %8s %-12s", _("noise"), "");
  printf ("  %s\n", _("function"));
  for (guint i = 0; i < MIN (top, rows->len); i++)
    {
      const SpDiffRow *r = &g_array_index (rows, SpDiffRow, i);
      double row_noise = MAX (r->base_noise, r->new_noise);

      printf ("%8.2f%% %8.2f%% %+7.2f%% %9.2f%% %9.2f%% %+7.2f%%", r->base_self, r->new_self,
              r->new_self - r->base_self, r->base_total, r->new_total, r->new_total - r->base_total);
      if (noise && row_noise >= 0)
        printf (" %7.2f%% %-12s", row_noise, r->within_noise ? _("within noise") : "");
      else if (noise)
        printf (" %8s %-12s", "-", "");
      printf ("  %s\n", r->name);
    }
  if (rows->len > top)
    sp_cli_print_more_functions (rows->len - top);
}

static void
print_json (GArray *rows,
            guint   top)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < MIN (top, rows->len); i++)
    {
      const SpDiffRow *r = &g_array_index (rows, SpDiffRow, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
      sp_cli_json_number (b, "base_self_percent", r->base_self);
      sp_cli_json_number (b, "new_self_percent", r->new_self);
      sp_cli_json_number (b, "delta_self_percent", r->new_self - r->base_self);
      sp_cli_json_number (b, "base_total_percent", r->base_total);
      sp_cli_json_number (b, "new_total_percent", r->new_total);
      sp_cli_json_number (b, "delta_total_percent", r->new_total - r->base_total);
      json_builder_set_member_name (b, "noise_percent");
      if (MAX (r->base_noise, r->new_noise) >= 0)
        json_builder_add_double_value (b, MAX (r->base_noise, r->new_noise));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "within_noise");
      json_builder_add_boolean_value (b, r->within_noise);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  sp_cli_print_json (b);
}

static int
print_folded (SpProfile *baseline,
              SpProfile *current)
{
  g_autoptr(SpProfile) merged = sp_profile_merge_for_diff (baseline, current);

  return sp_cli_write_to_stdout (merged, SP_FILE_FORMAT_FOLDED);
}

/* Names every function whose self share grew by more than limit points. */
static gboolean
report_regressions (GArray *rows,
                    double  limit)
{
  gboolean found = FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      const SpDiffRow *r = &g_array_index (rows, SpDiffRow, i);

      if (r->within_noise)
        continue;   /* the runs themselves move that much: no evidence of a regression */
      if (r->new_self - r->base_self > limit)
        {
          fprintf (stderr, _("sbcl-profiler: regression: %s went from %.2f%% to %.2f%% self (limit +%g)\n"),
                   r->name, r->base_self, r->new_self, limit);
          found = TRUE;
        }
    }
  return found;
}

/* ---- Bytes: absolute figures per function and per type ---- */

static double
growth_percent (const SpMemoryDiffRow *r,
                double                 base_total)
{
  /* A function new in NEW grows from nothing: measure it against the baseline's total. */
  double base = r->base_bytes > 0 ? r->base_bytes : base_total;

  return base > 0 ? 100.0 * (r->new_bytes - r->base_bytes) / base : 0;
}

static double
total_bytes (GArray *rows,
             gboolean before)
{
  double sum = 0;

  for (guint i = 0; i < rows->len; i++)
    sum += before ? g_array_index (rows, SpMemoryDiffRow, i).base_bytes
                  : g_array_index (rows, SpMemoryDiffRow, i).new_bytes;
  return sum;
}

static void
print_bytes_table (GArray     *rows,
                   const char *what,
                   guint       top,
                   gboolean    raw)
{
  double base_total = total_bytes (rows, TRUE);

  printf ("%14s %14s %14s %8s  %s\n", _("base bytes"), _("new bytes"), _("delta"), _("change"),
          what);
  for (guint i = 0; i < MIN (top, rows->len); i++)
    {
      const SpMemoryDiffRow *r = &g_array_index (rows, SpMemoryDiffRow, i);
      g_autofree char *before = sp_cli_bytes (r->base_bytes, raw);
      g_autofree char *after = sp_cli_bytes (r->new_bytes, raw);
      g_autofree char *delta = sp_cli_bytes (r->new_bytes - r->base_bytes, raw);

      printf ("%14s %14s %14s %+7.1f%%  %s\n", before, after, delta,
              growth_percent (r, base_total), r->name);
    }
  if (rows->len > top)
    printf (_("(%u more; use --top)\n"), rows->len - top);
}

static void
add_bytes_rows (JsonBuilder *b,
                const char  *key,
                GArray      *rows,
                guint        top)
{
  double base_total = total_bytes (rows, TRUE);

  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; i < MIN (top, rows->len); i++)
    {
      const SpMemoryDiffRow *r = &g_array_index (rows, SpMemoryDiffRow, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
      sp_cli_json_number (b, "base_bytes", r->base_bytes);
      sp_cli_json_number (b, "new_bytes", r->new_bytes);
      sp_cli_json_number (b, "delta_bytes", r->new_bytes - r->base_bytes);
      sp_cli_json_number (b, "change_percent", growth_percent (r, base_total));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* Names every function or type whose bytes grew by more than limit percent. */
static gboolean
report_byte_regressions (GArray     *rows,
                         const char *what,
                         double      limit)
{
  double base_total = total_bytes (rows, TRUE);
  gboolean found = FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      const SpMemoryDiffRow *r = &g_array_index (rows, SpMemoryDiffRow, i);
      g_autofree char *before = sp_cli_bytes (r->base_bytes, FALSE);
      g_autofree char *after = sp_cli_bytes (r->new_bytes, FALSE);

      if (growth_percent (r, base_total) > limit)
        {
          fprintf (stderr, _("sbcl-profiler: regression: %s %s allocated %s, was %s (+%.1f%%, limit +%g%%)\n"),
                   what, r->name, after, before, growth_percent (r, base_total), limit);
          found = TRUE;
        }
    }
  return found;
}

static const char *
bytes_source_text (SpBytesSource source)
{
  switch (source)
    {
    case SP_BYTES_EXACT: return _("exact (alloc-exact)");
    case SP_BYTES_DETERMINISTIC: return _("exact per function (deterministic, nested calls excluded)");
    case SP_BYTES_ESTIMATED: return _("ESTIMATED from allocation samples");
    case SP_BYTES_NONE:
    default: return _("none");
    }
}

static int
diff_bytes (SpProfile  *baseline,
            SpProfile  *current,
            const char *base_path,
            const char *new_path,
            const char *format,
            guint       top,
            double      fail_above,
            gboolean    raw)
{
  SpBytesSource base_source = sp_memory_bytes_source (baseline);
  SpBytesSource new_source = sp_memory_bytes_source (current);
  gboolean by_type = base_source == SP_BYTES_EXACT && new_source == SP_BYTES_EXACT;
  g_autoptr(GArray) functions = NULL;
  g_autoptr(GArray) types = NULL;
  gboolean regression = FALSE;

  if (base_source == SP_BYTES_NONE || new_source == SP_BYTES_NONE)
    return sp_cli_fail (_("diff: %s has no bytes per function (record --mode alloc-exact)"),
                        base_source == SP_BYTES_NONE ? base_path : new_path);
  functions = sp_memory_diff (baseline, current, SP_MEMORY_BY_FUNCTION);
  if (by_type)
    types = sp_memory_diff (baseline, current, SP_MEMORY_BY_TYPE);

  if (g_str_equal (format, "json"))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "metric");
      json_builder_add_string_value (b, "bytes");
      json_builder_set_member_name (b, "estimated");
      json_builder_add_boolean_value (b, base_source == SP_BYTES_ESTIMATED ||
                                         new_source == SP_BYTES_ESTIMATED);
      add_bytes_rows (b, "functions", functions, top);
      if (types != NULL)
        add_bytes_rows (b, "types", types, top);
      json_builder_end_object (b);
      sp_cli_print_json (b);
    }
  else
    {
      printf (_("# %s → %s: bytes allocated; baseline %s, new %s\n"), base_path, new_path,
              bytes_source_text (base_source), bytes_source_text (new_source));
      print_bytes_table (functions, _("function"), top, raw);
      if (types != NULL)
        {
          printf ("\n");
          print_bytes_table (types, _("type"), top, raw);
        }
    }
  if (fail_above >= 0)
    {
      regression = report_byte_regressions (functions, _("function"), fail_above);
      if (types != NULL)
        regression |= report_byte_regressions (types, _("type"), fail_above);
    }
  return regression ? EXIT_REGRESSION : 0;
}

/* One file's side of the comparison.  A folded file's flat table is read without its tree; any
 * other profile is loaded, summed up and let go, so that two large files are never in memory
 * at once.  An exact allocation profile is kept in *exact, for a comparison of bytes. */
static SpDiffSide *
read_side (const char  *path,
           SpProfile  **exact)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpFoldedFlat) flat = NULL;
  g_autoptr(SpProfile) profile = NULL;
  gboolean folded;

  *exact = NULL;
  if ((flat = sp_profile_load_folded_flat (file, NULL, &folded, &error)) != NULL)
    {
      g_autofree char *basename = g_file_get_basename (file);
      g_autofree char *name = g_filename_display_name (basename);

      return sp_diff_side_new_from_flat (flat, name);
    }
  if (error != NULL)
    {
      sp_cli_fail ("%s", error->message);
      return NULL;
    }
  if ((profile = sp_cli_load_profile (path)) == NULL)
    return NULL;
  if (sp_memory_bytes_source (profile) == SP_BYTES_EXACT)
    *exact = g_object_ref (profile);
  return sp_diff_side_new (profile);
}

/* The comparison of shares, holding one side's figures rather than two profiles. */
static int
diff_shares (char      **files,
             const char *format,
             const char *metric,
             SpDiffSort  sort,
             int         top,
             double      fail_above,
             gboolean    raw)
{
  g_autoptr(SpDiffSide) baseline = NULL;
  g_autoptr(SpDiffSide) current = NULL;
  g_autoptr(SpProfile) baseline_exact = NULL;
  g_autoptr(SpProfile) current_exact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autoptr(GArray) rows = NULL;

  if ((baseline = read_side (files[0], &baseline_exact)) == NULL ||
      (current = read_side (files[1], &current_exact)) == NULL)
    return 1;
  if (!sp_diff_side_check_comparable (baseline, current, &warning, &error))
    return sp_cli_fail (_("diff: cannot compare “%s” with “%s”: %s"), files[0], files[1], error->message);
  if (warning != NULL)
    fprintf (stderr, _("sbcl-profiler: warning: %s\n"), warning);
  /* two exact allocation profiles compare their bytes */
  if (metric == NULL && baseline_exact != NULL && current_exact != NULL)
    return diff_bytes (baseline_exact, current_exact, files[0], files[1], format, top, fail_above, raw);

  rows = sp_diff_side_compare (baseline, current, sort);
  if (g_str_equal (format, "json"))
    print_json (rows, top);
  else
    print_table (rows, top, files[0], files[1]);
  if (fail_above >= 0 && report_regressions (rows, fail_above))
    return EXIT_REGRESSION;
  return 0;
}

static gboolean
parse_sort (const char *name,
            SpDiffSort *sort)
{
  static const char * const names[] = { "delta", "regression", "name" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *sort = i;
        return TRUE;
      }
  return FALSE;
}

int
sp_cli_diff (int    argc,
             char **argv)
{
  g_autofree char *format = NULL, *sort_name = NULL, *warning = NULL, *metric = NULL;
  gboolean raw = FALSE;
  g_auto(GStrv) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SpProfile) baseline = NULL;
  g_autoptr(SpProfile) current = NULL;
  int top = 40;
  double fail_above = -1;
  SpDiffSort sort = SP_DIFF_SORT_DELTA;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("table (default), json, or folded (two counts a line)"), N_("FORMAT") },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, N_("Show at most N functions (default 40)"), N_("N") },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name, N_("delta (default), regression or name"), N_("KEY") },
    { "fail-above", 0, 0, G_OPTION_ARG_DOUBLE, &fail_above,
      N_("Exit with status 3 when a function’s self share grew by more than P points, beyond the noise of the runs (with "
         "--metric bytes: its bytes, or a type’s, by more than P percent)"), "P" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &metric,
      N_("share (default) or bytes (the default when both profiles are alloc-exact)"), N_("METRIC") },
    { "raw", 0, 0, G_OPTION_ARG_NONE, &raw, N_("Print bytes as plain numbers"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (_("BASELINE NEW — compare two profiles"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_cli_fail ("diff: %s", error->message);
  if (files == NULL || g_strv_length (files) != 2)
    return sp_cli_fail (_("diff: expected two profile files, the baseline and the new one"));
  if (sort_name != NULL && !parse_sort (sort_name, &sort))
    return sp_cli_fail (_("diff: unknown sort key “%s” (expected delta, regression or name)"), sort_name);
  if (format == NULL)
    format = g_strdup ("table");
  if (!g_str_equal (format, "table") && !g_str_equal (format, "json") && !g_str_equal (format, "folded"))
    return sp_cli_fail (_("diff: unknown format “%s” (expected table, json or folded)"), format);
  if (top <= 0)
    return sp_cli_fail (_("diff: --top must be a positive number"));

  if (metric != NULL && !g_str_equal (metric, "share") && !g_str_equal (metric, "bytes"))
    return sp_cli_fail (_("diff: unknown metric “%s” (expected share or bytes)"), metric);
  if (!g_str_equal (format, "folded") && g_strcmp0 (metric, "bytes") != 0)
    return diff_shares (files, format, metric, sort, top, fail_above, raw);

  if ((baseline = sp_cli_load_profile (files[0])) == NULL ||
      (current = sp_cli_load_profile (files[1])) == NULL)
    return 1;
  if (!sp_profile_check_comparable (baseline, current, &warning, &error))
    return sp_cli_fail (_("diff: cannot compare “%s” with “%s”: %s"), files[0], files[1], error->message);
  if (warning != NULL)
    fprintf (stderr, _("sbcl-profiler: warning: %s\n"), warning);

  /* the two-count folded form, or a comparison of bytes: both profiles whole */
  if (g_str_equal (format, "folded"))
    return print_folded (baseline, current);
  return diff_bytes (baseline, current, files[0], files[1], format, top, fail_above, raw);
}
