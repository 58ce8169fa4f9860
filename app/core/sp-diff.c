/* sp-diff.c: comparing a baseline profile with a new one */
#define G_LOG_DOMAIN "sp-diff"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sp-analysis.h"
#include "sp-diff.h"
#include "sp-runs.h"

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
      frame_map[f] = sp_profile_builder_intern_frame_like (builder, sp_profile_get_frame (profile, f));
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
  double noise;      /* max − min of the self share over the runs; -1 without runs */
} Share;

/* Each function's self and total share of its profile, in percent, by name: the profile's own
 * labels, or copies of them (copy_names) for a table that outlives the profile. */
static GHashTable *
shares_by_name (SpProfile *profile,
                gboolean   copy_names)
{
  SpMetric metric = sp_profile_get_default_metric (profile);
  gboolean sampled = sp_profile_has_metric (profile, metric) &&
                     sp_profile_get_grand_total (profile, metric) > 0;
  g_autoptr(GArray) rows = sp_profile_flat_table (profile, metric);
  GHashTable *shares = g_hash_table_new_full (g_str_hash, g_str_equal, copy_names ? g_free : NULL, g_free);
  double whole = 0;

  for (guint i = 0; i < rows->len; i++)
    whole += sampled ? 0 : MAX (g_array_index (rows, SpFlatRow, i).seconds, 0);
  if (sampled)
    whole = sp_profile_get_grand_total (profile, metric);

  for (guint i = 0; i < rows->len; i++)
    {
      const SpFlatRow *row = &g_array_index (rows, SpFlatRow, i);
      Share *share = g_new0 (Share, 1);
      const char *label;
      SpSpread spread;

      share->noise = sp_function_share_spread (profile, sp_profile_find_function_stats (profile, row->frame),
                                               &spread) ? spread.max - spread.min : -1;
      if (whole > 0)
        {
          share->self = 100.0 * (sampled ? row->self : MAX (row->seconds, 0)) / whole;
          share->total = sampled ? 100.0 * row->total / whole : share->self;
        }
      /* by label: distinct functions that print alike stay apart */
      label = sp_profile_get_frame (profile, row->frame)->label;
      g_hash_table_insert (shares, copy_names ? g_strdup (label) : (gpointer) label, share);
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

/* A change no larger than the run-to-run movement of the share, in either profile. */
static void
set_within_noise (SpDiffRow *row)
{
  double noise = MAX (row->base_noise, row->new_noise);

  row->within_noise = noise >= 0 && fabs (row->new_self - row->base_self) <= noise;
}

static GArray *
compare_shares (GHashTable *base,
                GHashTable *now,
                SpDiffSort  sort)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (SpDiffRow));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Share *n = value, *b = g_hash_table_lookup (base, key);
      SpDiffRow row = { key, b ? b->self : 0, b ? b->total : 0, n->self, n->total,
                        b ? b->noise : -1, n->noise, FALSE };

      set_within_noise (&row);
      g_array_append_val (rows, row);
    }
  g_hash_table_iter_init (&iter, base);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (now, key))
      {
        const Share *b = value;
        SpDiffRow row = { key, b->self, b->total, 0, 0, b->noise, -1, FALSE };

        set_within_noise (&row);
        g_array_append_val (rows, row);
      }
  g_array_sort_with_data (rows, compare_rows, GINT_TO_POINTER (sort));
  return rows;
}

GArray *
sp_profile_diff_table (SpProfile  *baseline,
                       SpProfile  *current,
                       SpDiffSort  sort)
{
  g_autoptr(GHashTable) base = shares_by_name (baseline, FALSE);
  g_autoptr(GHashTable) now = shares_by_name (current, FALSE);

  return compare_shares (base, now, sort);
}

/* ---- one side of a comparison, without its profile ---- */

struct _SpDiffSide
{
  SpProfileMeta  meta;
  SpMetric       metric;
  GHashTable    *shares;   /* label (owned) → Share */
};

SpDiffSide *
sp_diff_side_new (SpProfile *profile)
{
  SpDiffSide *side;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  side = g_new0 (SpDiffSide, 1);
  sp_profile_meta_copy (&side->meta, sp_profile_get_meta (profile));
  side->metric = sp_profile_get_default_metric (profile);
  side->shares = shares_by_name (profile, TRUE);
  return side;
}

SpDiffSide *
sp_diff_side_new_from_flat (const SpFoldedFlat *flat,
                            const char         *source)
{
  SpDiffSide *side = g_new0 (SpDiffSide, 1);

  /* what sp_folded_read() makes of the same file: an imported profile counting samples */
  sp_profile_meta_init (&side->meta);
  side->meta.mode = SP_MODE_IMPORTED;
  side->meta.source = g_strdup (source);
  side->metric = SP_METRIC_SAMPLES;
  side->shares = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint f = 0; f < flat->n_frames; f++)
    {
      const SpFrame *frame = g_ptr_array_index (flat->frames, f);
      Share *share;

      /* as the flat table: threads are no functions, and a function never sampled is left out */
      if (frame->kind == SP_FRAME_KIND_THREAD || flat->total[f] == 0)
        continue;
      share = g_new0 (Share, 1);
      share->noise = -1;
      if (flat->grand_total > 0)
        {
          share->self = 100.0 * flat->self[f] / flat->grand_total;
          share->total = 100.0 * flat->total[f] / flat->grand_total;
        }
      g_hash_table_insert (side->shares, g_strdup (frame->label), share);
    }
  return side;
}

void
sp_diff_side_free (SpDiffSide *side)
{
  if (side == NULL)
    return;
  sp_profile_meta_clear (&side->meta);
  g_hash_table_unref (side->shares);
  g_free (side);
}

GArray *
sp_diff_side_compare (SpDiffSide *baseline,
                      SpDiffSide *current,
                      SpDiffSort  sort)
{
  g_return_val_if_fail (baseline != NULL && current != NULL, NULL);

  return compare_shares (baseline->shares, current->shares, sort);
}

/* ---- like with like ---- */

/* What a mode measures, as a noun phrase completing "a … profile". */
static const char *
describe_mode (SpMode mode)
{
  switch (mode)
    {
    case SP_MODE_CPU: return _("CPU time");
    case SP_MODE_ALLOC: return _("sampled allocation");
    case SP_MODE_ALLOC_EXACT: return _("exact allocation");
    case SP_MODE_TIME: return _("wall-clock time");
    case SP_MODE_DETERMINISTIC: return _("deterministic");
    case SP_MODE_IMPORTED: return _("imported");
    default: return _("unknown");
    }
}

static gboolean
is_alloc_mode (SpMode mode)
{
  return mode == SP_MODE_ALLOC || mode == SP_MODE_ALLOC_EXACT;
}

static void
add_warning (GString    *warnings,
             const char *text)
{
  if (warnings->len > 0)
    g_string_append_c (warnings, ' ');
  g_string_append (warnings, text);
}

/* Differences that do not change what the shares mean. */
static void
collect_warnings (const SpProfileMeta *b,
                  const SpProfileMeta *n,
                  GString             *warnings)
{
  if (b->interval > 0 && n->interval > 0 && fabs (b->interval - n->interval) > 0.01 * b->interval)
    {
      g_autofree char *text =
        g_strdup_printf (_("The baseline was sampled every %g ms and the new profile every %g ms: "
                           "shares compare, sample counts do not."),
                         b->interval * 1000, n->interval * 1000);
      add_warning (warnings, text);
    }
  if (b->sbcl_version != NULL && n->sbcl_version != NULL && !g_str_equal (b->sbcl_version, n->sbcl_version))
    {
      g_autofree char *text =
        g_strdup_printf (_("The baseline ran on SBCL %s and the new profile on SBCL %s: "
                           "changes may come from the compiler rather than the program."),
                         b->sbcl_version, n->sbcl_version);
      add_warning (warnings, text);
    }
  if (b->mode != n->mode && is_alloc_mode (b->mode) && is_alloc_mode (n->mode))
    add_warning (warnings, _("One profile’s bytes are estimated from samples, the other’s are exact."));
  if ((b->mode == SP_MODE_IMPORTED) != (n->mode == SP_MODE_IMPORTED))
    add_warning (warnings, _("An imported profile does not say what it measured: make sure both "
                             "measure the same thing."));
}

static gboolean
check_comparable (const SpProfileMeta  *b,
                  SpMetric              bm,
                  const SpProfileMeta  *n,
                  SpMetric              nm,
                  char                **warning,
                  GError              **error)
{
  g_autoptr(GString) warnings = g_string_new (NULL);

  if (warning != NULL)
    *warning = NULL;

  /* an imported profile's mode is unknown: only its metric can be checked */
  if (b->mode != n->mode && b->mode != SP_MODE_IMPORTED && n->mode != SP_MODE_IMPORTED &&
      !(is_alloc_mode (b->mode) && is_alloc_mode (n->mode)))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_MISMATCH,
                   _("The baseline is a %s profile and the new one a %s profile: their shares "
                     "measure different things, so a comparison would mean nothing. Compare "
                     "recordings made in the same mode."),
                   describe_mode (b->mode), describe_mode (n->mode));
      return FALSE;
    }
  if (bm != nm)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_MISMATCH,
                   _("The baseline counts %s and the new profile %s: their shares measure "
                     "different things, so a comparison would mean nothing."),
                   sp_metric_to_string (bm), sp_metric_to_string (nm));
      return FALSE;
    }

  collect_warnings (b, n, warnings);
  if (warning != NULL && warnings->len > 0)
    *warning = g_strdup (warnings->str);
  return TRUE;
}

gboolean
sp_profile_check_comparable (SpProfile  *baseline,
                             SpProfile  *current,
                             char      **warning,
                             GError    **error)
{
  g_return_val_if_fail (SP_IS_PROFILE (baseline), FALSE);
  g_return_val_if_fail (SP_IS_PROFILE (current), FALSE);

  return check_comparable (sp_profile_get_meta (baseline), sp_profile_get_default_metric (baseline),
                           sp_profile_get_meta (current), sp_profile_get_default_metric (current),
                           warning, error);
}

gboolean
sp_diff_side_check_comparable (SpDiffSide  *baseline,
                               SpDiffSide  *current,
                               char       **warning,
                               GError     **error)
{
  g_return_val_if_fail (baseline != NULL && current != NULL, FALSE);

  return check_comparable (&baseline->meta, baseline->metric, &current->meta, current->metric,
                           warning, error);
}

/* ---- a differential profile's halves ---- */

/* The nodes of merged with weight under metric, as samples of a profile of their own. */
static SpProfile *
extract_metric (SpProfile *merged,
                SpMetric   metric)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  guint n_nodes = sp_profile_get_n_nodes (merged);
  const guint32 *parents = sp_profile_get_node_parents (merged);
  const guint32 *frames = sp_profile_get_node_frames (merged);
  const double *self = sp_profile_get_self_weights (merged, metric);
  const double *total = sp_profile_get_total_weights (merged, metric);
  g_autofree guint32 *node_map = g_new (guint32, MAX (n_nodes, 1));

  sp_profile_meta_copy (sp_profile_builder_get_meta (builder), sp_profile_get_meta (merged));
  sp_profile_builder_add_frames_from (builder, merged);
  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  /* preorder: a parent is mapped before its children; a node without weight has none below */
  for (guint i = 0; i < n_nodes && self != NULL; i++)
    {
      guint32 parent = parents[i] == SP_NO_NODE ? SP_NO_NODE : node_map[parents[i]];

      node_map[i] = SP_NO_NODE;
      if (total[i] <= 0 || (parents[i] != SP_NO_NODE && parent == SP_NO_NODE))
        continue;
      node_map[i] = sp_profile_builder_get_child (builder, parent, frames[i]);
      if (self[i] > 0)
        sp_profile_builder_add_weight (builder, node_map[i], SP_METRIC_SAMPLES, self[i]);
    }
  return sp_profile_builder_end (builder);
}

void
sp_profile_split_diff (SpProfile  *merged,
                       SpProfile **baseline,
                       SpProfile **current)
{
  g_return_if_fail (SP_IS_PROFILE (merged));
  g_return_if_fail (sp_profile_has_metric (merged, SP_METRIC_BASELINE));

  *baseline = extract_metric (merged, SP_METRIC_BASELINE);
  *current = extract_metric (merged, SP_METRIC_SAMPLES);
}

/* ---- the same stack in another profile ---- */

/* The child of parent (SP_NO_NODE: the roots) showing the same frame as like, or SP_NO_NODE.
 * Names and kinds are compared: thread frames have a name space of their own. */
static guint32
find_child (SpProfile     *profile,
            guint32        parent,
            const SpFrame *like)
{
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const guint32 *ends = sp_profile_get_node_ends (profile);
  guint32 first = parent == SP_NO_NODE ? 0 : parent + 1;
  guint32 end = parent == SP_NO_NODE ? sp_profile_get_n_nodes (profile) : ends[parent];

  /* children follow their parent in preorder, each followed by its own subtree */
  for (guint32 i = first; i < end; i = ends[i])
    {
      const SpFrame *frame = sp_profile_get_frame (profile, frames[i]);

      if (frame->kind == like->kind && g_str_equal (frame->name, like->name))
        return i;
    }
  return SP_NO_NODE;
}

guint32
sp_profile_map_node (SpProfile *profile,
                     guint32    node,
                     SpProfile *other)
{
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 mapped = SP_NO_NODE;

  g_return_val_if_fail (SP_IS_PROFILE (profile), SP_NO_NODE);
  g_return_val_if_fail (SP_IS_PROFILE (other), SP_NO_NODE);

  for (guint32 i = node; i != SP_NO_NODE; i = parents[i])
    g_array_prepend_val (path, i);

  for (guint i = 0; i < path->len; i++)
    {
      const SpFrame *frame = sp_profile_get_frame (profile, frames[g_array_index (path, guint32, i)]);
      guint32 child = find_child (other, mapped, frame);

      if (child == SP_NO_NODE)
        break;
      mapped = child;
    }
  return mapped;
}
