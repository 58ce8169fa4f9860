/* sp-function-columns.c: the columns of the function table: cell text, sorting, titles
 *
 * Every column sorts in ascending order of its figure; a descending sort reads largest first.
 */
#define G_LOG_DOMAIN "sp-function-table"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-format.h"
#include "sp-function-columns.h"
#include "sp-function-item.h"
#include "sp-list-factory.h"
#include "sp-runs.h"

#define ITEM(p) SP_FUNCTION_ITEM (p)
#define ROW(p) sp_function_item_get_row (ITEM (p))

/* ---- cell text ---- */

static char *
text_rank (gpointer item, gpointer data)
{
  return g_strdup_printf ("%u", sp_function_item_get_rank (ITEM (item)));
}

static char *
text_name (gpointer item, gpointer data)
{
  return g_strdup (sp_function_item_get_name (ITEM (item)));
}

static char *
text_package (gpointer item, gpointer data)
{
  return g_strdup (sp_function_item_get_package (ITEM (item)));
}

static char *
text_self (gpointer item, gpointer data)
{
  SpFunctionTable *table = data;

  return sp_format_weight (sp_function_table_get_profile (table),
                           sp_function_table_get_metric (table), ROW (item)->self);
}

static char *
text_total (gpointer item, gpointer data)
{
  SpFunctionTable *table = data;

  return sp_format_weight (sp_function_table_get_profile (table),
                           sp_function_table_get_metric (table), ROW (item)->total);
}

static char *
tooltip_weight (gpointer item, gpointer data)
{
  SpFunctionTable *table = data;

  return sp_format_weight_tooltip (sp_function_table_get_profile (table),
                                   sp_function_table_get_metric (table));
}

static char *
text_calls (gpointer item, gpointer data)
{
  gint64 calls = ROW (item)->calls;

  return calls >= 0 ? sp_format_count (calls) : NULL;
}

/* Seconds, or nothing when unknown (negative). */
static char *
seconds_or_nothing (double seconds)
{
  return seconds >= 0 ? sp_format_seconds (seconds) : NULL;
}

static char *
text_seconds (gpointer item, gpointer data)
{
  return seconds_or_nothing (ROW (item)->seconds);
}

static char *
text_seconds_per_call (gpointer item, gpointer data)
{
  return seconds_or_nothing (sp_function_item_get_seconds_per_call (ITEM (item)));
}

static char *
text_raw_seconds (gpointer item, gpointer data)
{
  return seconds_or_nothing (ROW (item)->raw_seconds);
}

static char *
text_gc_seconds (gpointer item, gpointer data)
{
  return seconds_or_nothing (ROW (item)->gc_seconds);
}

/* One figure of the spread of a function's runs: corrected seconds, or the self weight. */
static double
run_figure (gpointer item,
            guint    which)
{
  SpSpread spread;

  if (!sp_function_spread (sp_function_item_get_stats (ITEM (item)), &spread))
    return -1;
  return which == 0 ? spread.min : which == 1 ? spread.median : spread.max;
}

static char *
text_run (gpointer item,
          gpointer data,
          guint    which)
{
  SpFunctionTable *table = data;
  const SpFunctionStats *stats = sp_function_item_get_stats (ITEM (item));
  double value = run_figure (item, which);

  if (value < 0)
    return NULL;
  if (stats->runs[0].seconds >= 0)
    return sp_format_seconds (value);
  return sp_format_weight (sp_function_table_get_profile (table),
                           sp_function_table_get_metric (table), value);
}

static char *
text_run_min (gpointer item, gpointer data)
{
  return text_run (item, data, 0);
}

static char *
text_run_median (gpointer item, gpointer data)
{
  return text_run (item, data, 1);
}

static char *
text_run_max (gpointer item, gpointer data)
{
  return text_run (item, data, 2);
}

static char *
text_cumulative (gpointer item, gpointer data)
{
  return sp_format_percent (sp_function_item_get_cumulative (ITEM (item)));
}

static char *
text_bytes (gpointer item, gpointer data)
{
  gint64 bytes = sp_function_item_get_bytes (ITEM (item));

  return bytes >= 0 ? sp_format_bytes (bytes) : NULL;
}

/* ---- sorting: ascending order of each column ----
 * Figures are read largest first, and a descending sort inverts the whole comparison, ties
 * included: so ties compare by reverse rank, to show in rank order when sorted descending. */

#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (sp_function_item_get_name (ITEM ((gpointer) a)),
                    sp_function_item_get_name (ITEM ((gpointer) b)));
}

#define DEFINE_COMPARE(name, expr)                                   \
  static int                                                         \
  compare_##name (gconstpointer a, gconstpointer b, gpointer data)   \
  {                                                                  \
    gpointer x = (gpointer) a, y = (gpointer) b;                     \
    int c = CMP (expr (x), expr (y));                                \
    return c != 0 ? c : CMP (RANK_OF (y), RANK_OF (x));              \
  }

#define RANK_OF(p) sp_function_item_get_rank (ITEM (p))
#define SELF_OF(p) ROW (p)->self
#define TOTAL_OF(p) ROW (p)->total
#define CALLS_OF(p) ROW (p)->calls
#define SECONDS_OF(p) ROW (p)->seconds
#define SECONDS_PER_CALL_OF(p) sp_function_item_get_seconds_per_call (ITEM (p))
#define CUMULATIVE_OF(p) sp_function_item_get_cumulative (ITEM (p))
#define BYTES_OF(p) sp_function_item_get_bytes (ITEM (p))
#define RAW_SECONDS_OF(p) ROW (p)->raw_seconds
#define GC_SECONDS_OF(p) ROW (p)->gc_seconds
#define RUN_MIN_OF(p) run_figure (p, 0)
#define RUN_MEDIAN_OF(p) run_figure (p, 1)
#define RUN_MAX_OF(p) run_figure (p, 2)

DEFINE_COMPARE (rank, RANK_OF)
DEFINE_COMPARE (self, SELF_OF)
DEFINE_COMPARE (total, TOTAL_OF)
DEFINE_COMPARE (calls, CALLS_OF)
DEFINE_COMPARE (seconds, SECONDS_OF)
DEFINE_COMPARE (seconds_per_call, SECONDS_PER_CALL_OF)
DEFINE_COMPARE (cumulative, CUMULATIVE_OF)
DEFINE_COMPARE (bytes, BYTES_OF)
DEFINE_COMPARE (raw_seconds, RAW_SECONDS_OF)
DEFINE_COMPARE (gc_seconds, GC_SECONDS_OF)
DEFINE_COMPARE (run_min, RUN_MIN_OF)
DEFINE_COMPARE (run_median, RUN_MEDIAN_OF)
DEFINE_COMPARE (run_max, RUN_MAX_OF)

static int
compare_name (gconstpointer a, gconstpointer b, gpointer data)
{
  return compare_names (a, b);
}

static int
compare_package (gconstpointer a, gconstpointer b, gpointer data)
{
  int c = g_strcmp0 (sp_function_item_get_package (ITEM ((gpointer) a)),
                     sp_function_item_get_package (ITEM ((gpointer) b)));

  return c != 0 ? c : compare_names (a, b);
}

static double
fraction_self (gpointer item)
{
  return sp_function_item_get_self_fraction (ITEM (item));
}

static double
fraction_total (gpointer item)
{
  return sp_function_item_get_total_fraction (ITEM (item));
}

typedef struct
{
  const char        *title;
  SpCellTextFunc     text;
  SpCellFractionFunc fraction;
  GCompareDataFunc   compare;
  int                width;     /* 0: expands */
} ColumnSpec;

static const ColumnSpec column_specs[SP_N_FUNCTION_COLUMNS] = {
  [SP_FUNCTION_COLUMN_RANK] = { N_("Rank"), text_rank, NULL, compare_rank, 44 },
  [SP_FUNCTION_COLUMN_NAME] = { N_("Function"), text_name, NULL, compare_name, 0 },
  [SP_FUNCTION_COLUMN_PACKAGE] = { N_("Package"), text_package, NULL, compare_package, 110 },
  [SP_FUNCTION_COLUMN_SELF_PERCENT] = { N_("Self %"), NULL, fraction_self, compare_self, 76 },
  [SP_FUNCTION_COLUMN_TOTAL_PERCENT] = { N_("Total %"), NULL, fraction_total, compare_total, 76 },
  [SP_FUNCTION_COLUMN_SELF] = { N_("Self"), text_self, NULL, compare_self, 76 },
  [SP_FUNCTION_COLUMN_TOTAL] = { N_("Total"), text_total, NULL, compare_total, 76 },
  [SP_FUNCTION_COLUMN_CALLS] = { N_("Calls"), text_calls, NULL, compare_calls, 88 },
  [SP_FUNCTION_COLUMN_SECONDS] = { N_("Seconds"), text_seconds, NULL, compare_seconds, 88 },
  [SP_FUNCTION_COLUMN_SECONDS_PER_CALL] = { N_("Sec/Call"), text_seconds_per_call, NULL, compare_seconds_per_call, 88 },
  [SP_FUNCTION_COLUMN_CUMULATIVE] = { N_("Cumulative"), text_cumulative, NULL, compare_cumulative, 84 },
  [SP_FUNCTION_COLUMN_BYTES] = { N_("Bytes"), text_bytes, NULL, compare_bytes, 96 },
  [SP_FUNCTION_COLUMN_RAW_SECONDS] = { N_("Raw Seconds"), text_raw_seconds, NULL, compare_raw_seconds, 100 },
  [SP_FUNCTION_COLUMN_GC_SECONDS] = { N_("GC Seconds"), text_gc_seconds, NULL, compare_gc_seconds, 96 },
  [SP_FUNCTION_COLUMN_RUN_MIN] = { N_("Run Min"), text_run_min, NULL, compare_run_min, 88 },
  [SP_FUNCTION_COLUMN_RUN_MEDIAN] = { N_("Run Median"), text_run_median, NULL, compare_run_median, 96 },
  [SP_FUNCTION_COLUMN_RUN_MAX] = { N_("Run Max"), text_run_max, NULL, compare_run_max, 88 },
};

GtkColumnViewColumn *
sp_function_column_new (SpFunctionColumn  column,
                        SpFunctionTable  *table)
{
  const ColumnSpec *spec = &column_specs[column];
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkSorter) sorter = NULL;
  GtkColumnViewColumn *view_column;

  if (spec->fraction != NULL)
    factory = sp_list_factory_new_percent (spec->fraction);
  else if (spec->text == text_self || spec->text == text_total)
    factory = sp_list_factory_new_text_with_tooltip (spec->text, tooltip_weight, table, TRUE);
  else
    factory = sp_list_factory_new_text (spec->text, table, spec->width > 0 && spec->text != text_package);

  sorter = GTK_SORTER (gtk_custom_sorter_new (spec->compare, NULL, NULL));
  view_column = gtk_column_view_column_new (_(spec->title), g_steal_pointer (&factory));
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (spec->width > 0)
    gtk_column_view_column_set_fixed_width (view_column, spec->width);
  else
    {
      /* a table of many columns scrolls rather than squeeze the names to a few letters */
      gtk_column_view_column_set_fixed_width (view_column, 220);
      gtk_column_view_column_set_expand (view_column, TRUE);
    }

  return view_column;
}

int
sp_function_column_get_width (SpFunctionColumn column)
{
  g_return_val_if_fail (column < SP_N_FUNCTION_COLUMNS, 0);

  return column_specs[column].width;
}
