/* sp-diff.c: comparing a baseline profile with a new one */
#define G_LOG_DOMAIN "sp-diff"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sp-analysis.h"
#include "sp-diff.h"

/* Adds every node of profile to the builder under metric, frames interned by name. */
static void
merge_tree (SpProfileBuilder *builder,
            SpProfile        *profile,
            SpMetric          metric)
{
  guint n_nodes = sp_profile_get_n_nodes (profile);
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const double *self = sp_profile_get_self_weights (profile, sp_profile_get_default_metric (profile));
  g_autofree guint32 *frame_map = g_new (guint32, MAX (sp_profile_get_n_frames (profile), 1));
  g_autofree guint32 *node_map = g_new (guint32, MAX (n_nodes, 1));

  sp_profile_builder_enable_metric (builder, metric);
  if (self == NULL)
    return;
  for (guint f = 0; f < sp_profile_get_n_frames (profile); f++)
    {
      const SpFrame *frame = sp_profile_get_frame (profile, f);
      frame_map[f] = sp_profile_builder_intern_frame_full (builder, frame->name, frame->kind);
      if (frame->file != NULL)
        sp_profile_builder_set_frame_location (builder, frame_map[f], frame->file, frame->line);
    }
  /* preorder: a parent is mapped before its children */
  for (guint i = 0; i < n_nodes; i++)
    {
      guint32 parent = parents[i] == SP_NO_NODE ? SP_NO_NODE : node_map[parents[i]];
      node_map[i] = sp_profile_builder_get_child (builder, parent, frame_map[frames[i]]);
      if (self[i] > 0)
        sp_profile_builder_add_weight (builder, node_map[i], metric, self[i]);
    }
}

SpProfile *
sp_profile_merge_for_diff (SpProfile *baseline,
                           SpProfile *current)
{
  SpProfileBuilder *builder;

  g_return_val_if_fail (SP_IS_PROFILE (baseline), NULL);
  g_return_val_if_fail (SP_IS_PROFILE (current), NULL);

  builder = sp_profile_builder_new ();
  sp_profile_meta_copy (sp_profile_builder_get_meta (builder), sp_profile_get_meta (current));
  merge_tree (builder, current, SP_METRIC_SAMPLES);
  merge_tree (builder, baseline, SP_METRIC_BASELINE);
  return sp_profile_builder_end (builder);
}

typedef struct
{
  double self;
  double total;
} Share;

/* Each function's self and total share of its profile, in percent, by name. */
static GHashTable *
shares_by_name (SpProfile *profile)
{
  SpMetric metric = sp_profile_get_default_metric (profile);
  gboolean sampled = sp_profile_has_metric (profile, metric) &&
                     sp_profile_get_grand_total (profile, metric) > 0;
  g_autoptr(GArray) rows = sp_profile_flat_table (profile, metric);
  GHashTable *shares = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  double whole = 0;

  for (guint i = 0; i < rows->len; i++)
    whole += sampled ? 0 : MAX (g_array_index (rows, SpFlatRow, i).seconds, 0);
  if (sampled)
    whole = sp_profile_get_grand_total (profile, metric);

  for (guint i = 0; i < rows->len; i++)
    {
      const SpFlatRow *row = &g_array_index (rows, SpFlatRow, i);
      Share *share = g_new0 (Share, 1);

      if (whole > 0)
        {
          share->self = 100.0 * (sampled ? row->self : MAX (row->seconds, 0)) / whole;
          share->total = sampled ? 100.0 * row->total / whole : share->self;
        }
      g_hash_table_insert (shares, (gpointer) sp_profile_get_frame (profile, row->frame)->name, share);
    }
  return shares;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SpDiffRow *ra = a, *rb = b;
  double ka = 0, kb = 0;

  switch (GPOINTER_TO_INT (user_data))
    {
    case SP_DIFF_SORT_DELTA:
      ka = fabs (ra->new_self - ra->base_self);
      kb = fabs (rb->new_self - rb->base_self);
      break;
    case SP_DIFF_SORT_REGRESSION:
      ka = ra->new_self - ra->base_self;
      kb = rb->new_self - rb->base_self;
      break;
    default:
      break;
    }
  if (ka != kb)
    return ka < kb ? 1 : -1;
  return strcmp (ra->name, rb->name);
}

GArray *
sp_profile_diff_table (SpProfile  *baseline,
                       SpProfile  *current,
                       SpDiffSort  sort)
{
  g_autoptr(GHashTable) base = shares_by_name (baseline);
  g_autoptr(GHashTable) now = shares_by_name (current);
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (SpDiffRow));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Share *n = value, *b = g_hash_table_lookup (base, key);
      SpDiffRow row = { key, b ? b->self : 0, b ? b->total : 0, n->self, n->total };
      g_array_append_val (rows, row);
    }
  g_hash_table_iter_init (&iter, base);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (now, key))
      {
        const Share *b = value;
        SpDiffRow row = { key, b->self, b->total, 0, 0 };
        g_array_append_val (rows, row);
      }
  g_array_sort_with_data (rows, compare_rows, GINT_TO_POINTER (sort));
  return rows;
}
