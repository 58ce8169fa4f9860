/* sp-memory.c: summaries of a profile's memory sections */
#define G_LOG_DOMAIN "sp-memory"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sp-analysis.h"
#include "sp-memory.h"

gboolean
sp_gc_summary_compute (SpProfile   *profile,
                       SpGcSummary *summary)
{
  const SpProfileMeta *meta = sp_profile_get_meta (profile);
  const SpGcEvent *events;
  guint n;

  memset (summary, 0, sizeof *summary);
  summary->wall_share = -1;
  summary->peak_bytes = -1;
  summary->longest_generation = -1;
  if (sp_profile_get_sections (profile)->gc_events == NULL)
    return FALSE;
  events = sp_profile_get_gc_events (profile, &n);
  summary->count = n;
  for (guint i = 0; i < n; i++)
    {
      summary->total_pause += events[i].pause;
      if (events[i].pause > summary->longest_pause || summary->longest_generation < 0)
        {
          summary->longest_pause = events[i].pause;
          summary->longest_generation = events[i].generation;
        }
      summary->peak_bytes = MAX (summary->peak_bytes, events[i].bytes_before);
    }
  if (meta->duration > 0)
    summary->wall_share = summary->total_pause / meta->duration;
  return TRUE;
}

static int
compare_totals (gconstpointer a,
                gconstpointer b)
{
  const SpMemoryTotal *x = a, *y = b;

  if (x->bytes != y->bytes)
    return x->bytes > y->bytes ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

GArray *
sp_memory_totals (SpProfile        *profile,
                  SpMemoryGrouping  grouping,
                  guint32           within)
{
  g_autoptr(GHashTable) slots = g_hash_table_new (NULL, NULL);   /* id + 1 → index + 1 */
  GArray *totals = g_array_new (FALSE, FALSE, sizeof (SpMemoryTotal));
  const SpAllocRow *rows;
  guint n;

  rows = sp_profile_get_alloc_rows (profile, &n);
  for (guint i = 0; i < n; i++)
    {
      gboolean by_function = grouping == SP_MEMORY_BY_FUNCTION;
      guint32 id = by_function ? rows[i].frame : rows[i].type;
      guint32 other = by_function ? rows[i].type : rows[i].frame;
      guint slot;

      if (within != G_MAXUINT32 && other != within)
        continue;
      slot = GPOINTER_TO_UINT (g_hash_table_lookup (slots, GUINT_TO_POINTER (id + 1)));
      if (slot == 0)
        {
          SpMemoryTotal total = { id, 0, 0 };

          g_array_append_val (totals, total);
          slot = totals->len;
          g_hash_table_insert (slots, GUINT_TO_POINTER (id + 1), GUINT_TO_POINTER (slot));
        }
      g_array_index (totals, SpMemoryTotal, slot - 1).objects += rows[i].objects;
      g_array_index (totals, SpMemoryTotal, slot - 1).bytes += rows[i].bytes;
    }
  g_array_sort (totals, compare_totals);
  return totals;
}

void
sp_memory_grand_total (SpProfile *profile,
                       double    *objects,
                       double    *bytes)
{
  const SpAllocRow *rows;
  guint n;

  *objects = *bytes = 0;
  rows = sp_profile_get_alloc_rows (profile, &n);
  for (guint i = 0; i < n; i++)
    {
      *objects += rows[i].objects;
      *bytes += rows[i].bytes;
    }
}

/* Adds sign × each row of one snapshot to totals, by type. */
static void
add_heap (GArray          *totals,
          const SpHeapRow *rows,
          guint            n,
          double           sign)
{
  for (guint i = 0; i < n; i++)
    {
      SpMemoryTotal *total = &g_array_index (totals, SpMemoryTotal, rows[i].type);

      total->id = rows[i].type;
      total->objects += sign * rows[i].objects;
      total->bytes += sign * rows[i].bytes;
    }
}

GArray *
sp_heap_retained (SpProfile *profile)
{
  const SpHeapRow *before, *after;
  guint n_before, n_after, n_types = sp_profile_get_n_types (profile);
  GArray *totals, *retained;

  before = sp_profile_get_heap (profile, SP_HEAP_BEFORE, &n_before);
  after = sp_profile_get_heap (profile, SP_HEAP_AFTER, &n_after);
  if (before == NULL || after == NULL)
    return NULL;
  totals = g_array_sized_new (FALSE, TRUE, sizeof (SpMemoryTotal), n_types);
  g_array_set_size (totals, n_types);
  add_heap (totals, after, n_after, 1);
  add_heap (totals, before, n_before, -1);
  retained = g_array_new (FALSE, FALSE, sizeof (SpMemoryTotal));
  for (guint i = 0; i < totals->len; i++)
    {
      SpMemoryTotal *total = &g_array_index (totals, SpMemoryTotal, i);

      if (total->objects != 0 || total->bytes != 0)
        g_array_append_val (retained, *total);
    }
  g_array_unref (totals);
  g_array_sort (retained, compare_totals);
  return retained;
}

gboolean
sp_heap_totals (SpProfile  *profile,
                SpHeapWhen  when,
                double     *objects,
                double     *bytes)
{
  guint n;
  const SpHeapRow *rows = sp_profile_get_heap (profile, when, &n);

  *objects = *bytes = 0;
  for (guint i = 0; rows != NULL && i < n; i++)
    {
      *objects += rows[i].objects;
      *bytes += rows[i].bytes;
    }
  return rows != NULL;
}

SpBytesSource
sp_memory_bytes_source (SpProfile *profile)
{
  if (sp_profile_get_sections (profile)->alloc_rows != NULL)
    return SP_BYTES_EXACT;
  for (guint i = 0; i < sp_profile_get_n_function_stats (profile); i++)
    if (sp_profile_get_function_stats (profile, i)->total.bytes >= 0)
      return SP_BYTES_DETERMINISTIC;
  if (sp_profile_has_metric (profile, SP_METRIC_BYTES))
    return SP_BYTES_ESTIMATED;
  return SP_BYTES_NONE;
}

/* name → SpMemoryTotal of one profile, by function or type. */
static GHashTable *
bytes_by_name (SpProfile        *profile,
               SpMemoryGrouping  grouping)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GArray) totals = NULL;
  SpBytesSource source = sp_memory_bytes_source (profile);

  if (source == SP_BYTES_EXACT)
    totals = sp_memory_totals (profile, grouping, G_MAXUINT32);
  else if (grouping == SP_MEMORY_BY_FUNCTION && source != SP_BYTES_NONE)
    {
      g_autoptr(GArray) rows = sp_profile_flat_table (profile, SP_METRIC_BYTES);

      totals = g_array_new (FALSE, FALSE, sizeof (SpMemoryTotal));
      for (guint i = 0; i < rows->len; i++)
        {
          const SpFlatRow *row = &g_array_index (rows, SpFlatRow, i);
          SpMemoryTotal total = { row->frame, -1,
                                  source == SP_BYTES_DETERMINISTIC ? MAX (row->bytes, 0)
                                                                   : row->self };

          g_array_append_val (totals, total);
        }
    }
  for (guint i = 0; totals != NULL && i < totals->len; i++)
    {
      const SpMemoryTotal *total = &g_array_index (totals, SpMemoryTotal, i);
      const char *name = grouping == SP_MEMORY_BY_TYPE
                         ? sp_profile_get_type_name (profile, total->id)
                         : sp_profile_get_frame (profile, total->id)->name;

      g_hash_table_insert (table, (gpointer) name, g_memdup2 (total, sizeof *total));
    }
  return table;
}

static int
compare_diff_rows (gconstpointer a,
                   gconstpointer b)
{
  const SpMemoryDiffRow *x = a, *y = b;
  double dx = fabs (x->new_bytes - x->base_bytes), dy = fabs (y->new_bytes - y->base_bytes);

  if (dx != dy)
    return dx > dy ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

GArray *
sp_memory_diff (SpProfile        *baseline,
                SpProfile        *current,
                SpMemoryGrouping  grouping)
{
  g_autoptr(GHashTable) before = bytes_by_name (baseline, grouping);
  g_autoptr(GHashTable) after = bytes_by_name (current, grouping);
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (SpMemoryDiffRow));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const SpMemoryTotal *now = value, *then = g_hash_table_lookup (before, key);
      SpMemoryDiffRow row = { key, then ? then->bytes : 0, now->bytes,
                              then ? then->objects : 0, now->objects };

      g_array_append_val (rows, row);
    }
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (after, key))
      {
        const SpMemoryTotal *then = value;
        SpMemoryDiffRow row = { key, then->bytes, 0, then->objects, 0 };

        g_array_append_val (rows, row);
      }
  g_array_sort (rows, compare_diff_rows);
  return rows;
}

char *
sp_format_bytes (gint64 bytes)
{
  /* the magnitude in unsigned arithmetic: -G_MININT64 is no gint64 */
  g_autofree char *size = g_format_size (bytes < 0 ? 0 - (guint64) bytes : (guint64) bytes);

  if (bytes < 0)
    return g_strdup_printf ("−%s", size);
  return g_steal_pointer (&size);
}

char *
sp_format_bytes_double (double bytes)
{
  /* beyond what a gint64 holds (an imported file's weights may reach 1e300): a plain number */
  if (!(fabs (bytes) < 9.0e18))
    return g_strdup_printf ("%.3g B", bytes);
  return sp_format_bytes ((gint64) bytes);
}
