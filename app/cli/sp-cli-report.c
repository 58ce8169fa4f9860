/* sp-cli-report.c: `sbcl-profiler report` and `sbcl-profiler export` */
#define G_LOG_DOMAIN "sp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

#include "sp-analysis.h"
#include "sp-cli-private.h"
#include "sp-profile-io.h"
#include "sp-profile-time.h"
#include "sp-runs.h"

typedef struct
{
  SpProfile *profile;
  SpMetric   metric;
  double     grand_total;
  double     total_seconds;   /* deterministic: the sum of every function's seconds */
  gboolean   raw;             /* bytes as plain numbers, not "395.0 MB" */
  gboolean   deterministic;   /* per-function calls and seconds are the main figures */
  gboolean   runs;            /* functions have per-run figures: min / median / max */
} Report;

/* A weight in the report's metric: bytes readable unless --raw, seconds with their unit. */
static char *
weight_text (Report *r,
             double  weight)
{
  if (r->metric == SP_METRIC_BYTES)
    return sp_cli_bytes (weight, r->raw);
  if (r->metric == SP_METRIC_SECONDS)
    return g_strdup_printf ("%.4g s", weight);
  return g_strdup_printf ("%.0f", weight);
}

static double
percent (double part,
         double whole)
{
  return whole > 0 ? 100.0 * part / whole : 0;
}

/* What a total of the metric counts, for the summary line. */
static const char *
metric_noun (SpMetric metric)
{
  switch (metric)
    {
    case SP_METRIC_SAMPLES: return _("samples");
    case SP_METRIC_BASELINE: return _("baseline samples");
    case SP_METRIC_SECONDS: return _("seconds");
    case SP_METRIC_CALLS: return _("calls");
    default: return sp_metric_to_string (metric);
    }
}

static void
print_runs_summary (Report *r)
{
  SpSpread spread;
  gboolean seconds = FALSE;

  if (!sp_profile_run_spread (r->profile, &spread, &seconds))
    return;
  printf (_("# %u runs: %s of each run min %.4g / median %.4g / max %.4g, spread %.1f%% of the median\n"),
          spread.n, seconds ? _("seconds") : metric_noun (r->metric),
          spread.min, spread.median, spread.max, sp_spread_percent (&spread));
}

static void
print_summary (Report     *r,
               const char *path)
{
  const SpProfileMeta *meta = sp_profile_get_meta (r->profile);

  printf (_("# %s: %s profile"), path, sp_mode_to_string (meta->mode));
  if (meta->interval > 0)
    printf (_(", interval %g ms"), meta->interval * 1000);
  if (r->deterministic)
    printf (_(", %.4g s in instrumented functions"), r->total_seconds);
  else if (sp_profile_has_metric (r->profile, r->metric))
    {
      g_autofree char *total = weight_text (r, r->grand_total);

      if (r->metric == SP_METRIC_BYTES)
        printf (meta->mode == SP_MODE_ALLOC ? _(", %s allocated (estimated)")
                                            : _(", %s allocated"), total);
      else
        printf (", %s %s", total, metric_noun (r->metric));
      /* the same count `record` gives: SBCL also sampled the profiler's own threads */
      if (r->metric == SP_METRIC_SAMPLES && (double) meta->sample_count > r->grand_total)
        printf (_(" (of %lld taken)"), (long long) meta->sample_count);
    }
  if (meta->duration >= 0)
    printf (", %.3f s", meta->duration);
  if (meta->gc_seconds >= 0 && meta->sample_count >= 0)
    printf (_(", GC %.3f s (samples during GC are missing)"), meta->gc_seconds);
  else if (meta->gc_seconds >= 0)
    printf (_(", GC %.3f s"), meta->gc_seconds);
  if (meta->bytes_consed >= 0)
    {
      g_autofree char *consed = sp_cli_bytes (meta->bytes_consed, r->raw);

      printf (_(", %s consed"), consed);
    }
  if (meta->sbcl_version != NULL)
    printf (", SBCL %s", meta->sbcl_version);
  printf ("\n");
  if (r->deterministic && meta->overhead_call >= 0)
    printf (_("# seconds are corrected as sb-profile:report corrects them: %.3g µs of profiling "
              "per call taken out of the function, %.3g µs per profiled call out of its caller; "
              "raw s includes them\n"), meta->overhead_call * 1e6, MAX (meta->overhead_nested, 0) * 1e6);
  else if (r->deterministic)
    printf (_("# seconds include sb-profile's overhead of a few µs per call (recorded before "
              "corrected seconds)\n"));
  print_runs_summary (r);
  if (meta->truncated)
    printf (_("# warning: the sample limit was reached, later samples were dropped\n"));
  sp_cli_print_memory_notes (r->profile, r->raw);
}

static char *
format_or_dash (const char *format,
                double      value,
                gboolean    known)
{
  return known ? g_strdup_printf (format, value) : g_strdup ("-");
}

/* min, median and max of a function's runs, or dashes. */
static char *
format_spread (Report          *r,
               const SpFlatRow *row)
{
  SpSpread spread;

  if (!sp_function_spread (sp_profile_find_function_stats (r->profile, row->frame), &spread))
    return g_strdup_printf ("%10s %10s %10s", "-", "-", "-");
  return g_strdup_printf (r->deterministic ? "%10.4g %10.4g %10.4g" : "%10.0f %10.0f %10.0f",
                          spread.min, spread.median, spread.max);
}

static void
print_flat_header (Report *r)
{
  if (r->deterministic)
    printf ("%4s %7s %10s %11s %11s %11s %14s %9s", _("rank"), _("time%"), _("calls"), _("seconds*"),
            _("sec/call*"), _("raw s"), _("bytes"), _("gc s"));
  else
    printf ("%4s %7s %7s %7s %10s %10s %10s %10s", _("rank"), _("self%"), _("total%"), _("cumul%"),
            _("self"), _("total"), _("calls"), _("sec/call"));
  if (r->runs)
    printf (" %10s %10s %10s", _("run min"), _("median"), _("max"));
  printf ("  %s\n", _("function"));
}

static void
print_flat (Report *r,
            GArray *rows,
            guint   top)
{
  double cumulative = 0;

  print_flat_header (r);
  for (guint i = 0; i < MIN (top, rows->len); i++)
    {
      const SpFlatRow *row = &g_array_index (rows, SpFlatRow, i);
      const char *name = sp_profile_get_frame (r->profile, row->frame)->label;
      g_autofree char *calls = row->calls >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, row->calls)
                                               : g_strdup ("-");
      g_autofree char *per_call = format_or_dash ("%.3g", row->seconds / MAX (row->calls, 1),
                                                  row->calls > 0 && row->seconds >= 0);
      g_autofree char *spread = r->runs ? format_spread (r, row) : g_strdup ("");

      if (r->deterministic)
        {
          g_autofree char *bytes = row->bytes >= 0 ? sp_cli_bytes (row->bytes, r->raw)
                                                   : g_strdup ("-");
          g_autofree char *raw = format_or_dash ("%.6f", row->raw_seconds, row->raw_seconds >= 0);

          printf ("%4u %6.1f%% %10s %11.6f %11s %11s %14s %9.3f", i + 1,
                  percent (MAX (row->seconds, 0), r->total_seconds), calls, MAX (row->seconds, 0),
                  per_call, raw, bytes, MAX (row->gc_seconds, 0));
        }
      else
        {
          g_autofree char *self = weight_text (r, row->self);
          g_autofree char *total = weight_text (r, row->total);

          cumulative += row->self;
          printf ("%4u %6.1f%% %6.1f%% %6.1f%% %10s %10s %10s %10s", i + 1,
                  percent (row->self, r->grand_total), percent (row->total, r->grand_total),
                  percent (cumulative, r->grand_total), self, total, calls, per_call);
        }
      printf ("%s%s  %s\n", r->runs ? " " : "", spread, name);
    }
  if (r->deterministic)
    printf (_("* corrected for sb-profile's overhead, as sb-profile:report\n"));
  if (rows->len > top)
    sp_cli_print_more_functions (rows->len - top);
}

static void
json_number_or_null (JsonBuilder *b,
                     const char  *key,
                     double       value,
                     gboolean     known)
{
  json_builder_set_member_name (b, key);
  if (known)
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
json_int_or_null (JsonBuilder *b,
                  const char  *key,
                  gint64       value)
{
  json_builder_set_member_name (b, key);
  if (value >= 0)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
json_spread (JsonBuilder    *b,
             const char     *key,
             const SpSpread *spread,
             gboolean        known)
{
  json_builder_set_member_name (b, key);
  if (!known)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_int_or_null (b, "runs", spread->n);
  json_number_or_null (b, "min", spread->min, TRUE);
  json_number_or_null (b, "median", spread->median, TRUE);
  json_number_or_null (b, "max", spread->max, TRUE);
  json_builder_end_object (b);
}

static void
print_json_row (Report          *r,
                JsonBuilder     *b,
                const SpFlatRow *row)
{
  gboolean has_weights = sp_profile_has_metric (r->profile, r->metric);
  double whole = r->deterministic ? r->total_seconds : r->grand_total;
  double self = r->deterministic ? MAX (row->seconds, 0) : row->self;
  SpSpread spread;
  gboolean has_spread = sp_function_spread (sp_profile_find_function_stats (r->profile, row->frame),
                                            &spread);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, sp_profile_get_frame (r->profile, row->frame)->name);
  json_builder_set_member_name (b, "variant");
  if (sp_profile_get_frame (r->profile, row->frame)->variant != NULL)
    json_builder_add_string_value (b, sp_profile_get_frame (r->profile, row->frame)->variant);
  else
    json_builder_add_null_value (b);
  json_number_or_null (b, "self", self, has_weights || r->deterministic);
  json_number_or_null (b, "total", row->total, has_weights);
  json_number_or_null (b, "self_percent", percent (self, whole), has_weights || r->deterministic);
  json_number_or_null (b, "total_percent", percent (row->total, r->grand_total), has_weights);
  json_int_or_null (b, "calls", row->calls);
  json_number_or_null (b, "seconds", row->seconds, row->seconds >= 0);
  json_number_or_null (b, "raw_seconds", row->raw_seconds, row->raw_seconds >= 0);
  json_number_or_null (b, "gc_seconds", row->gc_seconds, row->gc_seconds >= 0);
  json_int_or_null (b, "bytes", row->bytes);
  json_spread (b, "runs", &spread, has_spread);
  json_builder_end_object (b);
}

static void
print_json (Report *r,
            GArray *rows,
            guint   top)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  SpSpread spread;
  gboolean seconds = FALSE;
  gboolean has_spread = sp_profile_run_spread (r->profile, &spread, &seconds);

  json_builder_begin_object (b);
  /* a deterministic profile's rows are in corrected seconds, whether or not it has call paths */
  json_number_or_null (b, "total", r->deterministic ? r->total_seconds : r->grand_total,
                       r->deterministic || sp_profile_has_metric (r->profile, r->metric));
  json_builder_set_member_name (b, "metric");
  json_builder_add_string_value (b, r->deterministic ? "seconds" : sp_metric_to_string (r->metric));
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < MIN (top, rows->len); i++)
    print_json_row (r, b, &g_array_index (rows, SpFlatRow, i));
  json_builder_end_array (b);
  sp_cli_add_memory_json (b, r->profile, top);
  json_int_or_null (b, "left_out", rows->len - MIN (top, rows->len));
  json_spread (b, "run_totals", &spread, has_spread);
  json_builder_end_object (b);
  sp_cli_print_json (b);
}

/* Each edge's share is of the function's own total, as in the app's callers and callees. */
static void
print_edges (Report     *r,
             const char *title,
             GArray     *edges,
             double      function_total)
{
  printf ("  %s\n", title);
  if (edges->len == 0)
    printf ("    %s\n", _("(none)"));
  for (guint i = 0; i < edges->len; i++)
    {
      const SpEdge *e = &g_array_index (edges, SpEdge, i);
      const char *name = e->frame == SP_NO_FRAME ? _("(root: no caller)")
                                                 : sp_profile_get_frame (r->profile, e->frame)->label;
      g_autofree char *weight = weight_text (r, e->weight);

      if (sp_profile_has_metric (r->profile, SP_METRIC_CALLS))
        printf (_("    %12s %6.1f%% %12.0f calls  %s\n"), weight,
                percent (e->weight, function_total), e->calls, name);
      else
        printf ("    %12s %6.1f%%  %s\n", weight, percent (e->weight, function_total), name);
    }
}

static void
print_callers (Report *r,
               guint32 frame)
{
  g_autoptr(SpCallGraphEntry) entry = sp_profile_call_graph_entry (r->profile, frame, r->metric);
  g_autofree char *self = weight_text (r, entry->self);
  g_autofree char *total = weight_text (r, entry->total);

  printf (_("%s\n  self %s (%.1f%%), total %s (%.1f%%)"), sp_profile_get_frame (r->profile, frame)->label,
          self, percent (entry->self, r->grand_total), total, percent (entry->total, r->grand_total));
  if (sp_profile_has_metric (r->profile, SP_METRIC_CALLS))
    printf (_(", %.0f calls"), entry->calls);
  printf ("\n");
  print_edges (r, _("callers (share of its total):"), entry->callers, entry->total);
  print_edges (r, _("callees (share of its total):"), entry->callees, entry->total);
}

static int
compare_nodes_by_total (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  const double *total = user_data;
  double ta = total[*(const guint32 *) a], tb = total[*(const guint32 *) b];

  return (ta < tb) - (ta > tb);
}

/* The children of a node (those in [first, end)) over min_weight, heaviest first. */
static GArray *
sorted_children (Report  *r,
                 guint32  first,
                 guint32  end,
                 double   min_weight)
{
  const guint32 *ends = sp_profile_get_node_ends (r->profile);
  const double *total = sp_profile_get_total_weights (r->profile, r->metric);
  GArray *children = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint32 c = first; c < end; c = ends[c])
    if (total[c] >= min_weight)
      g_array_append_val (children, c);
  g_array_sort_with_data (children, compare_nodes_by_total, (gpointer) total);
  return children;
}

typedef struct
{
  GArray *children;
  guint   next;
} TreeLevel;

/* Depth first with a stack of its own: stacks can be far deeper than the C stack allows. */
static void
print_tree (Report *r,
            double  min_weight)
{
  const guint32 *ends = sp_profile_get_node_ends (r->profile);
  const guint32 *frames = sp_profile_get_node_frames (r->profile);
  const double *total = sp_profile_get_total_weights (r->profile, r->metric);
  const double *self = sp_profile_get_self_weights (r->profile, r->metric);
  const double *calls = sp_profile_get_self_weights (r->profile, SP_METRIC_CALLS);
  g_autoptr(GArray) levels = g_array_new (FALSE, FALSE, sizeof (TreeLevel));
  TreeLevel root = { sorted_children (r, 0, sp_profile_get_n_nodes (r->profile), min_weight), 0 };

  g_array_append_val (levels, root);
  while (levels->len > 0)
    {
      TreeLevel *level = &g_array_index (levels, TreeLevel, levels->len - 1);
      guint depth = levels->len - 1;
      TreeLevel next;
      guint32 c;

      if (level->next == level->children->len)
        {
          g_array_unref (level->children);
          g_array_set_size (levels, levels->len - 1);
          continue;
        }
      c = g_array_index (level->children, guint32, level->next++);
      printf ("%6.1f%% %6.1f%%", percent (total[c], r->grand_total), percent (self[c], r->grand_total));
      if (calls != NULL)
        printf (" %12.0f", calls[c]);
      /* the indentation stops growing at 500 levels, or deep stacks would print gigabytes */
      printf ("  %*s%s\n", (int) MIN (2 * depth, 1000), "",
              sp_profile_get_frame (r->profile, frames[c])->label);
      next = (TreeLevel) { sorted_children (r, c + 1, ends[c], min_weight), 0 };
      g_array_append_val (levels, next);
    }
}

int
sp_cli_write_to_stdout (SpProfile    *profile,
                        SpFileFormat  format)
{
  g_autoptr(GOutputStream) out = g_unix_output_stream_new (1, FALSE);
  g_autoptr(GOutputStream) buffered = g_buffered_output_stream_new_sized (out, 1 << 16);
  g_autoptr(GError) error = NULL;

  fflush (stdout);
  if (!sp_profile_write (profile, buffered, format, NULL, &error) ||
      !g_output_stream_close (buffered, NULL, &error))
    return sp_cli_fail ("%s", error->message);
  return 0;
}

static gboolean
parse_sort (const char *name,
            SpFlatSort *sort)
{
  static const char * const names[] = { "self", "total", "calls", "name" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *sort = i;
        return TRUE;
      }
  return FALSE;
}

static int
run_report (Report     *r,
            const char *path,
            const char *format,
            const char *function,
            SpFlatSort  sort,
            guint       top,
            double      min_percent)
{
  g_autoptr(GArray) rows = NULL;

  if (g_str_equal (format, "folded"))
    return sp_cli_write_to_stdout (r->profile, SP_FILE_FORMAT_FOLDED);

  rows = sp_profile_flat_table (r->profile, r->metric);
  for (guint i = 0; i < rows->len; i++)
    r->total_seconds += MAX (g_array_index (rows, SpFlatRow, i).seconds, 0);
  sp_flat_table_sort (rows, r->profile, sort);

  if (g_str_equal (format, "flat"))
    {
      print_summary (r, path);
      print_flat (r, rows, top);
    }
  else if (g_str_equal (format, "json"))
    print_json (r, rows, top);
  else if (g_str_equal (format, "alloc"))
    {
      print_summary (r, path);
      return sp_cli_print_alloc_report (r->profile, path, top, r->raw);
    }
  else if (g_str_equal (format, "callers"))
    {
      if (!sp_profile_has_metric (r->profile, r->metric))
        return sp_cli_fail (_("%s: this profile has no call stacks, so no callers or callees"), path);
      if (function != NULL)
        {
          guint32 frame = sp_profile_find_function (r->profile, function);
          if (frame == SP_NO_FRAME)
            return sp_cli_fail (_("%s: no function named “%s” in this profile"), path, function);
          print_callers (r, frame);
        }
      else
        for (guint i = 0; i < MIN (top, rows->len); i++)
          print_callers (r, g_array_index (rows, SpFlatRow, i).frame);
    }
  else if (g_str_equal (format, "tree"))
    {
      if (!sp_profile_has_metric (r->profile, r->metric))
        return sp_cli_fail (_("%s: this profile has no call stacks, so no tree"), path);
      print_summary (r, path);
      printf ("%7s %7s", _("total"), _("self"));
      if (sp_profile_has_metric (r->profile, SP_METRIC_CALLS))
        printf (" %12s", _("calls"));
      printf ("  %s\n", _("function"));
      print_tree (r, r->grand_total * min_percent / 100.0);
    }
  else
    return sp_cli_fail (_("unknown report format “%s” (expected flat, callers, tree, alloc, folded or json)"),
                        format);
  return 0;
}

/* The part of profile between from and to seconds (either may be NAN: the recording's start
 * or end), or NULL after printing why not. */
static SpProfile *
cut_to_range (SpProfile  *profile,
              const char *path,
              double      from,
              double      to)
{
  g_autoptr(SpProfile) part = NULL;
  double start, end;

  if (!sp_profile_get_time_span (profile, &start, &end))
    {
      sp_cli_fail (_("report: %s has no sample times, so --from and --to cannot select a part "
                     "of it; recordings made with the cpu, time or alloc mode have them"), path);
      return NULL;
    }
  if (!isnan (from) && !isnan (to) && from > to)
    {
      sp_cli_fail (_("report: --from %g is after --to %g"), from, to);
      return NULL;
    }
  from = isnan (from) ? start : from;
  to = isnan (to) ? end : to;
  if (from <= to)
    part = sp_profile_filter_time_range (profile, from, to);
  if (part == NULL || sp_profile_get_n_nodes (part) == 0)
    {
      sp_cli_fail (_("report: no samples between %g and %g s (the samples of %s span %g to %g s)"),
                   from, to, path, start, end);
      return NULL;
    }
  return g_steal_pointer (&part);
}

int
sp_cli_report (int    argc,
               char **argv)
{
  g_autofree char *format = NULL, *sort_name = NULL, *function = NULL, *metric_name = NULL;
  g_auto(GStrv) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SpProfile) profile = NULL;
  int top = G_MININT;   /* not given: 40 rows of text, every row of JSON */
  double min_percent = 1.0;
  double from = NAN, to = NAN;
  SpFlatSort sort = SP_FLAT_SORT_SELF;
  gboolean raw = FALSE;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("flat (default), callers, tree, alloc, folded or json"), N_("FORMAT") },
    { "raw", 0, 0, G_OPTION_ARG_NONE, &raw, N_("Print bytes as plain numbers"), NULL },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, N_("Show at most N functions (default 40; json: all)"), N_("N") },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name, N_("self (default), total, calls or name"), N_("KEY") },
    { "function", 0, 0, G_OPTION_ARG_STRING, &function, N_("The function for --format callers"), N_("NAME") },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &metric_name, N_("samples or bytes (default: the profile’s own)"), N_("METRIC") },
    { "min-percent", 0, 0, G_OPTION_ARG_DOUBLE, &min_percent, N_("Hide tree nodes below this % (default 1)"), N_("P") },
    { "from", 0, 0, G_OPTION_ARG_DOUBLE, &from, N_("Only the samples from this time on (seconds since the start)"), N_("SECONDS") },
    { "to", 0, 0, G_OPTION_ARG_DOUBLE, &to, N_("Only the samples up to this time (seconds since the start)"), N_("SECONDS") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE — print a profile"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_cli_fail ("report: %s", error->message);
  if (files == NULL || g_strv_length (files) != 1)
    return sp_cli_fail (_("report: expected one profile file (see “sbcl-profiler report --help”)"));
  if (sort_name != NULL && !parse_sort (sort_name, &sort))
    return sp_cli_fail (_("report: unknown sort key “%s” (expected self, total, calls or name)"), sort_name);
  if (top == G_MININT)
    top = g_strcmp0 (format, "json") == 0 ? G_MAXINT : 40;
  if (top <= 0)
    return sp_cli_fail (_("report: --top must be a positive number"));

  profile = sp_cli_load_profile (files[0]);
  if (profile == NULL)
    return 1;
  if (!isnan (from) || !isnan (to))
    {
      SpProfile *part = cut_to_range (profile, files[0], from, to);

      if (part == NULL)
        return 1;
      g_object_unref (profile);
      profile = part;
    }
  return sp_cli_report_profile (profile, files[0], format != NULL ? format : "flat", function,
                                sort, top, metric_name, min_percent, raw);
}

int
sp_cli_report_profile (SpProfile  *profile,
                       const char *path,
                       const char *format,
                       const char *function,
                       SpFlatSort  sort,
                       guint       top,
                       const char *metric_name,
                       double      min_percent,
                       gboolean    raw)
{
  Report r = { 0 };

  r.profile = profile;
  r.raw = raw;
  r.metric = sp_profile_get_default_metric (profile);
  if (metric_name != NULL && !sp_metric_from_string (metric_name, &r.metric))
    return sp_cli_fail (_("report: unknown metric “%s” (expected samples, bytes or baseline)"), metric_name);
  r.grand_total = sp_profile_get_grand_total (profile, r.metric);
  r.deterministic = sp_profile_get_meta (profile)->mode == SP_MODE_DETERMINISTIC ||
                    (sp_profile_get_n_function_stats (profile) > 0 &&
                     !sp_profile_has_metric (profile, r.metric));
  for (guint i = 0; i < sp_profile_get_n_function_stats (profile); i++)
    r.runs |= sp_profile_get_function_stats (profile, i)->n_runs > 1;

  return run_report (&r, path, format, function, sort, top, min_percent);
}

static void
graph_args_clear (SpGraphArgs *args)
{
  g_free (args->output);
  g_free (args->title);
  g_free (args->colors);
  g_free (args->metric);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SpGraphArgs, graph_args_clear)

static gboolean
is_graph_format (const char *to)
{
  return g_ascii_strcasecmp (to, "svg") == 0 || g_ascii_strcasecmp (to, "png") == 0;
}

int
sp_cli_export (int    argc,
               char **argv)
{
  g_autofree char *to = NULL;
  g_auto(SpGraphArgs) args = { NULL };
  g_auto(GStrv) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(GFile) out_file = NULL;
  GOptionGroup *graph_group;
  SpFileFormat format = SP_FILE_FORMAT_UNKNOWN;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("sbclprof, folded, speedscope, svg or png"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output, N_("The file to write"), N_("OUT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  const GOptionEntry graph_entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &args.title, N_("The title of the graph"), N_("TITLE") },
    { "width", 0, 0, G_OPTION_ARG_INT, &args.width, N_("Width in pixels (1200)"), N_("PX") },
    { "minwidth", 0, 0, G_OPTION_ARG_DOUBLE, &args.min_width,
      N_("Leave out frames narrower than this many pixels (0.1)"), N_("PX") },
    { "inverted", 0, 0, G_OPTION_ARG_NONE, &args.inverted, N_("Icicle graph: the root at the top"), NULL },
    { "reverse", 0, 0, G_OPTION_ARG_NONE, &args.reverse, N_("Bottom-up: reverse the stacks"), NULL },
    { "colors", 0, 0, G_OPTION_ARG_STRING, &args.colors, N_("hot, package, kind or diff (the default with a baseline)"), N_("SCHEME") },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &args.metric, N_("samples or bytes"), N_("METRIC") },
    { NULL }
  };

  context = g_option_context_new (_("FILE — convert a profile to another format"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  graph_group = g_option_group_new ("graph", _("Flame graph options (svg, png):"),
                                    _("Show the flame graph options"), NULL, NULL);
  g_option_group_add_entries (graph_group, graph_entries);
  g_option_group_set_translation_domain (graph_group, GETTEXT_PACKAGE);
  g_option_context_add_group (context, graph_group);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_cli_fail ("export: %s", error->message);
  if (files == NULL || g_strv_length (files) != 1)
    return sp_cli_fail (_("export: expected one profile file (see “sbcl-profiler export --help”)"));
  if (to == NULL || args.output == NULL)
    return sp_cli_fail (_("export: --to FORMAT and -o OUT are required"));

  if (!is_graph_format (to))
    {
      format = sp_file_format_from_string (to);
      if (format == SP_FILE_FORMAT_UNKNOWN)
        return sp_cli_fail (_("export: unknown format “%s” (expected sbclprof, folded, speedscope, "
                              "svg or png)"), to);
    }

  profile = sp_cli_load_profile (files[0]);
  if (profile == NULL)
    return 1;
  if (is_graph_format (to))
    {
      g_autofree char *name = g_path_get_basename (files[0]);

      args.name = name;
      return sp_cli_export_graph (profile, to, &args);
    }

  out_file = g_file_new_for_commandline_arg (args.output);
  if (!sp_profile_save (profile, out_file, format, NULL, &error))
    return sp_cli_fail ("%s", error->message);
  return 0;
}
