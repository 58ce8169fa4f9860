/* sp-cli-diff.c: `sbcl-profiler diff`, a baseline against a new profile */
#define G_LOG_DOMAIN "sp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "sp-cli-private.h"
#include "sp-diff.h"
#include "sp-profile-io.h"

/* The exit status when --fail-above finds a regression: not 1, which means an error. */
#define EXIT_REGRESSION 3

static void
print_table (GArray     *rows,
             guint       top,
             const char *base_path,
             const char *new_path)
{
  printf ("# %s → %s (%% of each profile's total)\n", base_path, new_path);
  printf ("%9s %9s %8s %10s %10s %8s  %s\n", _("base self"), _("new self"), _("delta"),
          _("base total"), _("new total"), _("delta"), _("function"));
  for (guint i = 0; i < MIN (top, rows->len); i++)
    {
      const SpDiffRow *r = &g_array_index (rows, SpDiffRow, i);
      printf ("%8.2f%% %8.2f%% %+7.2f%% %9.2f%% %9.2f%% %+7.2f%%  %s\n", r->base_self, r->new_self,
              r->new_self - r->base_self, r->base_total, r->new_total, r->new_total - r->base_total,
              r->name);
    }
  if (rows->len > top)
    printf (_("(%u more functions; use --top)\n"), rows->len - top);
}

static void
add_number (JsonBuilder *b,
            const char  *key,
            double       value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_double_value (b, value);
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
      add_number (b, "base_self_percent", r->base_self);
      add_number (b, "new_self_percent", r->new_self);
      add_number (b, "delta_self_percent", r->new_self - r->base_self);
      add_number (b, "base_total_percent", r->base_total);
      add_number (b, "new_total_percent", r->new_total);
      add_number (b, "delta_total_percent", r->new_total - r->base_total);
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
      if (r->new_self - r->base_self > limit)
        {
          fprintf (stderr, _("sbcl-profiler: regression: %s went from %.2f%% to %.2f%% self (limit +%g)\n"),
                   r->name, r->base_self, r->new_self, limit);
          found = TRUE;
        }
    }
  return found;
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
  g_autofree char *format = NULL, *sort_name = NULL, *warning = NULL;
  g_auto(GStrv) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SpProfile) baseline = NULL;
  g_autoptr(SpProfile) current = NULL;
  g_autoptr(GArray) rows = NULL;
  int top = 40;
  double fail_above = -1;
  SpDiffSort sort = SP_DIFF_SORT_DELTA;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("table (default), json, or folded (two counts a line)"), "FORMAT" },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, N_("Show at most N functions (default 40)"), "N" },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name, N_("delta (default), regression or name"), "KEY" },
    { "fail-above", 0, 0, G_OPTION_ARG_DOUBLE, &fail_above,
      N_("Exit with status 3 when a function’s self share grew by more than P points"), "P" },
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

  if ((baseline = sp_cli_load_profile (files[0])) == NULL ||
      (current = sp_cli_load_profile (files[1])) == NULL)
    return 1;
  if (!sp_profile_check_comparable (baseline, current, &warning, &error))
    return sp_cli_fail (_("diff: cannot compare “%s” with “%s”: %s"), files[0], files[1], error->message);
  if (warning != NULL)
    fprintf (stderr, _("sbcl-profiler: warning: %s\n"), warning);

  if (g_str_equal (format, "folded"))
    return print_folded (baseline, current);

  rows = sp_profile_diff_table (baseline, current, sort);
  if (g_str_equal (format, "json"))
    print_json (rows, top);
  else
    print_table (rows, top, files[0], files[1]);

  if (fail_above >= 0 && report_regressions (rows, fail_above))
    return EXIT_REGRESSION;
  return 0;
}
