/* sp-alloc.c: what the Allocations page shows, derived from a profile
 *
 * Exact figures are sp-memory's sums of the allocation rows (function × type).  Estimated ones
 * come from the call tree's bytes column: a function's own bytes are the weight of the stacks
 * that end in it, as sb-sprof's allocation samples are attributed.
 */
#define G_LOG_DOMAIN "sp-alloc"

#include "config.h"

#include "sp-alloc.h"
#include "sp-analysis.h"

gboolean
sp_alloc_has_memory_data (SpProfile *profile)
{
  const SpProfileSections *sections;

  g_return_val_if_fail (SP_IS_PROFILE (profile), FALSE);

  sections = sp_profile_get_sections (profile);
  return sp_memory_bytes_source (profile) != SP_BYTES_NONE ||
         sections->gc_events != NULL || sections->heap_before != NULL || sections->heap_after != NULL;
}

/* Most bytes first; ties in key order, so that the order never depends on the sort. */
static int
compare_totals (gconstpointer a,
                gconstpointer b)
{
  const SpAllocTotal *x = a, *y = b;

  if (x->bytes != y->bytes)
    return x->bytes < y->bytes ? 1 : -1;
  return (x->key > y->key) - (x->key < y->key);
}

/* The exact totals of sp_memory_totals(), with no samples. */
static GArray *
exact_totals (SpProfile        *profile,
              SpMemoryGrouping  grouping,
              guint32           within)
{
  g_autoptr(GArray) totals = sp_memory_totals (profile, grouping, within);
  GArray *result = g_array_sized_new (FALSE, FALSE, sizeof (SpAllocTotal), totals->len);

  for (guint i = 0; i < totals->len; i++)
    {
      const SpMemoryTotal *t = &g_array_index (totals, SpMemoryTotal, i);
      SpAllocTotal total = { t->id, t->objects, t->bytes, -1 };

      g_array_append_val (result, total);
    }
  return result;
}

static GArray *
sampled_by_function (SpProfile *profile)
{
  g_autoptr(GArray) bytes = sp_profile_flat_table (profile, SP_METRIC_BYTES);
  g_autoptr(GArray) samples = sp_profile_flat_table (profile, SP_METRIC_SAMPLES);
  GArray *totals = g_array_new (FALSE, FALSE, sizeof (SpAllocTotal));
  g_autoptr(GHashTable) samples_of = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < samples->len; i++)
    {
      const SpFlatRow *row = &g_array_index (samples, SpFlatRow, i);
      g_hash_table_insert (samples_of, GUINT_TO_POINTER (row->frame), (gpointer) row);
    }
  for (guint i = 0; i < bytes->len; i++)
    {
      const SpFlatRow *row = &g_array_index (bytes, SpFlatRow, i);
      const SpFlatRow *counted = g_hash_table_lookup (samples_of, GUINT_TO_POINTER (row->frame));
      SpAllocTotal total = { row->frame, -1, row->self, counted != NULL ? counted->self : 0 };

      if (row->self > 0)
        g_array_append_val (totals, total);
    }
  g_array_sort (totals, compare_totals);
  return totals;
}

static GArray *
deterministic_by_function (SpProfile *profile)
{
  GArray *totals = g_array_new (FALSE, FALSE, sizeof (SpAllocTotal));

  for (guint i = 0; i < sp_profile_get_n_function_stats (profile); i++)
    {
      const SpFunctionStats *stats = sp_profile_get_function_stats (profile, i);
      SpAllocTotal total = { stats->frame, -1, stats->total.bytes, -1 };

      if (stats->total.bytes > 0)
        g_array_append_val (totals, total);
    }
  g_array_sort (totals, compare_totals);
  return totals;
}

GArray *
sp_alloc_by_function (SpProfile *profile)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  switch (sp_memory_bytes_source (profile))
    {
    case SP_BYTES_EXACT:
      return exact_totals (profile, SP_MEMORY_BY_FUNCTION, G_MAXUINT32);
    case SP_BYTES_ESTIMATED:
      return sampled_by_function (profile);
    case SP_BYTES_DETERMINISTIC:
      return deterministic_by_function (profile);
    case SP_BYTES_NONE:
    default:
      return g_array_new (FALSE, FALSE, sizeof (SpAllocTotal));
    }
}

GArray *
sp_alloc_by_type (SpProfile *profile)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  return exact_totals (profile, SP_MEMORY_BY_TYPE, G_MAXUINT32);
}

GArray *
sp_alloc_types_of_function (SpProfile *profile,
                            guint32    frame)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  return exact_totals (profile, SP_MEMORY_BY_TYPE, frame);
}

GArray *
sp_alloc_functions_of_type (SpProfile *profile,
                            guint32    type)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  return exact_totals (profile, SP_MEMORY_BY_FUNCTION, type);
}

double
sp_alloc_total_bytes (SpProfile *profile)
{
  g_autoptr(GArray) totals = NULL;
  double sum = 0;

  g_return_val_if_fail (SP_IS_PROFILE (profile), 0);

  totals = sp_alloc_by_function (profile);
  for (guint i = 0; i < totals->len; i++)
    sum += g_array_index (totals, SpAllocTotal, i).bytes;
  return sum;
}

static int
compare_retained (gconstpointer a,
                  gconstpointer b)
{
  const SpHeapDelta *x = a, *y = b;
  double rx = SP_HEAP_DELTA_RETAINED_BYTES (x), ry = SP_HEAP_DELTA_RETAINED_BYTES (y);

  if (rx != ry)
    return rx < ry ? 1 : -1;
  if (x->bytes_after != y->bytes_after)
    return x->bytes_after < y->bytes_after ? 1 : -1;
  return (x->type > y->type) - (x->type < y->type);
}

GArray *
sp_heap_compare (SpProfile *profile)
{
  const SpProfileSections *sections;
  guint n_types;
  g_autofree SpHeapDelta *deltas = NULL;
  g_autofree gboolean *seen = NULL;
  GArray *result;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  sections = sp_profile_get_sections (profile);
  if (sections->heap_before == NULL || sections->heap_after == NULL)
    return NULL;

  n_types = sp_profile_get_n_types (profile);
  deltas = g_new0 (SpHeapDelta, MAX (n_types, 1));
  seen = g_new0 (gboolean, MAX (n_types, 1));
  for (guint when = SP_HEAP_BEFORE; when <= SP_HEAP_AFTER; when++)
    {
      guint n_rows;
      const SpHeapRow *rows = sp_profile_get_heap (profile, when, &n_rows);

      for (guint i = 0; i < n_rows; i++)
        {
          SpHeapDelta *d = &deltas[rows[i].type];

          seen[rows[i].type] = TRUE;
          d->type = rows[i].type;
          if (when == SP_HEAP_BEFORE)
            {
              d->objects_before += rows[i].objects;
              d->bytes_before += rows[i].bytes;
            }
          else
            {
              d->objects_after += rows[i].objects;
              d->bytes_after += rows[i].bytes;
            }
        }
    }

  result = g_array_new (FALSE, FALSE, sizeof (SpHeapDelta));
  for (guint32 t = 0; t < n_types; t++)
    if (seen[t])
      g_array_append_val (result, deltas[t]);
  g_array_sort (result, compare_retained);
  return result;
}
