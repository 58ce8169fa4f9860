/* sp-profile-time.c: time ranges and lanes of sample density, from the profile's timeline
 *
 * A timeline entry says that `weight` samples ended at a node at a time.  A node's weight in
 * any metric (bytes of an allocation profile too) is spread evenly over its entries, so the
 * part of a node in a range of time is its weight times the share of its entries' weight that
 * falls in the range.
 */
#define G_LOG_DOMAIN "sp-profile-time"

#include "config.h"

#include "sp-profile-time.h"
#include "sp-zeroed.h"

gboolean
sp_profile_get_time_span (SpProfile *profile,
                          double    *start,
                          double    *end)
{
  guint n;
  const SpTimelineSample *timeline = sp_profile_get_timeline (profile, &n);

  g_return_val_if_fail (SP_IS_PROFILE (profile), FALSE);

  if (timeline == NULL || n == 0)
    return FALSE;
  *start = timeline[0].time;
  *end = timeline[n - 1].time;
  return TRUE;
}

/* The first entry at or after time: entries are in time order. */
static guint
first_at (const SpTimelineSample *timeline,
          guint                   n,
          double                  time)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (timeline[mid].time < time)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gpointer
ref_bytes (gpointer bytes,
           gpointer user_data)
{
  return bytes != NULL ? g_bytes_ref (bytes) : NULL;
}

/* The weight of every node's timeline entries (n_nodes doubles), computed once per profile and
 * kept on it: each new range would otherwise walk every entry again. */
static GBytes *
entry_totals (SpProfile *profile)
{
  static GQuark quark;
  guint n, n_nodes = sp_profile_get_n_nodes (profile);
  const SpTimelineSample *timeline = sp_profile_get_timeline (profile, &n);
  GBytes *totals;
  double *all;

  if (quark == 0)
    quark = g_quark_from_static_string ("sp-timeline-entry-totals");
  totals = g_object_dup_qdata (G_OBJECT (profile), quark, ref_bytes, NULL);
  if (totals != NULL)
    return totals;
  all = sp_zeroed_new (n_nodes, sizeof (double));
  for (guint i = 0; i < n; i++)
    all[timeline[i].node] += timeline[i].weight;
  totals = g_bytes_new_take (all, sizeof (double) * MAX (n_nodes, 1));
  /* another thread may have been quicker: then its totals stay */
  if (!g_object_replace_qdata (G_OBJECT (profile), quark, NULL, g_bytes_ref (totals),
                               (GDestroyNotify) g_bytes_unref, NULL))
    g_bytes_unref (totals);
  return totals;
}

/* The entries from `from` to `to`: [*first, *end). */
static void
entries_in_range (SpProfile *profile,
                  double     from,
                  double     to,
                  guint     *first,
                  guint     *end)
{
  guint n;
  const SpTimelineSample *timeline = sp_profile_get_timeline (profile, &n);

  *first = first_at (timeline, n, from);
  for (*end = *first; *end < n && timeline[*end].time <= to; ++*end)
    ;
}

/* The part of a node's weight w carried by entries in range: exact when w is the entries'. */
static inline double
part_of (double w,
         double all,
         double in_range)
{
  if (w == all)
    return in_range;
  return all > 0 ? w * (in_range / all) : 0;
}

typedef struct
{
  guint     n;
  guint32  *map;          /* old node → new node, SP_NO_NODE when left out */
  guint32  *parents;
  guint32  *frames;
  double   *weights[SP_N_METRICS];
} Kept;

/* Keeps the nodes with weight in range, and their ancestors, in preorder. */
static void
keep_nodes (SpProfile    *profile,
            const double *all,
            const double *in_range,
            Kept         *kept)
{
  guint n = sp_profile_get_n_nodes (profile);
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  g_autofree guint8 *keep = sp_zeroed_new (n, 1);
  const double *self[SP_N_METRICS];

  for (guint i = n; i-- > 0;)
    if ((keep[i] |= in_range[i] > 0) && parents[i] != SP_NO_NODE)
      keep[parents[i]] = 1;
  kept->map = g_new (guint32, MAX (n, 1));
  kept->n = 0;
  for (guint i = 0; i < n; i++)
    kept->map[i] = keep[i] ? kept->n++ : SP_NO_NODE;
  kept->parents = g_new (guint32, MAX (kept->n, 1));
  kept->frames = g_new (guint32, MAX (kept->n, 1));
  for (SpMetric m = 0; m < SP_N_METRICS; m++)
    if ((self[m] = sp_profile_get_self_weights (profile, m)) != NULL)
      kept->weights[m] = g_new (double, MAX (kept->n, 1));
  for (guint i = 0; i < n; i++)
    {
      guint32 k = kept->map[i];

      if (k == SP_NO_NODE)
        continue;
      kept->parents[k] = parents[i] == SP_NO_NODE ? SP_NO_NODE : kept->map[parents[i]];
      kept->frames[k] = frames[i];
      for (SpMetric m = 0; m < SP_N_METRICS; m++)
        if (kept->weights[m] != NULL)
          kept->weights[m][k] = part_of (self[m][i], all[i], in_range[i]);
    }
}

/* The sections with the timeline cut to entries [first, end) and renumbered, and the GC events
 * cut to [from, to]. */
static void
cut_sections (SpProfile         *profile,
              const guint32     *map,
              guint              first,
              guint              end,
              double             from,
              double             to,
              SpProfileSections *sections)
{
  SpProfileSections others = *sp_profile_get_sections (profile);
  const SpTimelineSample *timeline = sp_profile_get_timeline (profile, NULL);
  guint kept = 0;

  /* a shallow copy without the timeline: only the range of it is copied */
  others.timeline = NULL;
  sp_profile_sections_copy (sections, &others);
  sections->timeline = g_array_sized_new (FALSE, FALSE, sizeof (SpTimelineSample), end - first);
  for (guint i = first; i < end; i++)
    {
      SpTimelineSample sample = { timeline[i].time, map[timeline[i].node], timeline[i].weight };

      g_array_append_val (sections->timeline, sample);
    }
  for (guint i = 0; sections->gc_events != NULL && i < sections->gc_events->len; i++)
    {
      SpGcEvent gc = g_array_index (sections->gc_events, SpGcEvent, i);

      if (gc.time >= from && gc.time <= to)
        g_array_index (sections->gc_events, SpGcEvent, kept++) = gc;
    }
  if (sections->gc_events != NULL)
    g_array_set_size (sections->gc_events, kept);
}

SpProfile *
sp_profile_filter_time_range (SpProfile *profile,
                              double     from,
                              double     to)
{
  guint n = sp_profile_get_n_nodes (profile);
  const SpTimelineSample *timeline = sp_profile_get_timeline (profile, NULL);
  g_autoptr(GBytes) totals = NULL;
  g_autofree double *in_range = NULL;
  SpProfileSections sections;
  SpProfileMeta meta;
  Kept kept = { 0 };
  SpProfile *filtered;
  double in_total = 0;
  guint first, end;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  if (sp_profile_get_sections (profile)->timeline == NULL)
    return NULL;
  if (from > to)
    {
      double swap = from;
      from = to;
      to = swap;
    }
  totals = entry_totals (profile);
  entries_in_range (profile, from, to, &first, &end);
  in_range = sp_zeroed_new (n, sizeof (double));
  for (guint i = first; i < end; i++)
    {
      in_range[timeline[i].node] += timeline[i].weight;
      in_total += timeline[i].weight;
    }
  keep_nodes (profile, g_bytes_get_data (totals, NULL), in_range, &kept);
  cut_sections (profile, kept.map, first, end, from, to, &sections);

  sp_profile_meta_copy (&meta, sp_profile_get_meta (profile));
  meta.duration = to - from;
  if (meta.sample_count >= 0)
    meta.sample_count = (gint64) in_total;
  /* whole-recording figures do not describe a part of it */
  meta.gc_seconds = -1;
  meta.bytes_consed = -1;
  filtered = sp_profile_new_derived (&meta, sp_profile_copy_frames (profile), kept.parents, kept.frames,
                                     kept.n, kept.weights, g_new0 (SpFunctionStats, 1), 0, &sections);
  g_free (kept.map);
  return filtered;
}

double *
sp_profile_get_timeline_weights (SpProfile *profile,
                                 SpMetric   metric)
{
  guint n;
  const SpTimelineSample *timeline = sp_profile_get_timeline (profile, &n);
  const double *weights = sp_profile_get_self_weights (profile, metric);
  g_autoptr(GBytes) totals = NULL;
  const double *all;
  double *out;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  if (timeline == NULL || weights == NULL)
    return NULL;
  totals = entry_totals (profile);
  all = g_bytes_get_data (totals, NULL);
  out = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    out[i] = part_of (weights[timeline[i].node], all[timeline[i].node], timeline[i].weight);
  return out;
}

/* ---- Lanes ---- */

/* Each node's lane: that of the thread frame at its root. */
static guint32 *
node_lanes (SpProfile *profile,
            GArray    *lane_threads)
{
  guint n = sp_profile_get_n_nodes (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const guint32 *ends = sp_profile_get_node_ends (profile);
  g_autoptr(GHashTable) lane_of = g_hash_table_new (NULL, NULL);
  guint32 *lanes = g_new (guint32, MAX (n, 1));

  for (guint32 r = 0; r < n; r = ends[r])
    {
      guint32 thread = sp_profile_get_frame (profile, frames[r])->kind == SP_FRAME_KIND_THREAD
                       ? frames[r] : SP_NO_FRAME;
      gpointer found;
      guint32 lane;

      if (g_hash_table_lookup_extended (lane_of, GUINT_TO_POINTER (thread), NULL, &found))
        lane = GPOINTER_TO_UINT (found);
      else
        {
          lane = lane_threads->len;
          g_array_append_val (lane_threads, thread);
          g_hash_table_insert (lane_of, GUINT_TO_POINTER (thread), GUINT_TO_POINTER (lane));
        }
      for (guint32 i = r; i < ends[r]; i++)
        lanes[i] = lane;
    }
  return lanes;
}

SpTimelineLanes *
sp_timeline_lanes_new (SpProfile *profile,
                       guint      n_bins)
{
  guint n;
  const SpTimelineSample *timeline = sp_profile_get_timeline (profile, &n);
  g_autoptr(GArray) lane_threads = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *lanes = NULL;
  g_autofree double *weights = NULL;
  SpTimelineLanes *self;
  double span, interval = 0, bins_per_sample;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (n_bins > 0, NULL);

  if (timeline == NULL || n == 0)
    return NULL;
  self = g_new0 (SpTimelineLanes, 1);
  self->n_bins = n_bins;
  self->metric = sp_profile_get_default_metric (profile);
  weights = sp_profile_get_timeline_weights (profile, self->metric);
  self->start = timeline[0].time;
  self->end = timeline[n - 1].time;
  /* A sample stands for the interval after it: the strip runs to the end of the last one, and
   * samples are spread over the bins their interval covers, so that samples a few bins apart
   * draw as the steady activity they were, not as a comb of teeth and gaps. */
  if (self->metric == SP_METRIC_SAMPLES && sp_profile_get_meta (profile)->interval > 0)
    interval = sp_profile_get_meta (profile)->interval;
  /* a single instant still gets a visible bin */
  span = MAX (self->end + interval - self->start, 1e-9);
  self->end = self->start + span;
  bins_per_sample = interval / span * n_bins;

  lanes = node_lanes (profile, lane_threads);
  self->n_lanes = lane_threads->len;
  self->lane_threads = g_memdup2 (lane_threads->data, sizeof (guint32) * MAX (self->n_lanes, 1));
  self->density = g_new0 (double, (gsize) self->n_lanes * n_bins);
  for (guint i = 0; i < n; i++)
    {
      double *row = self->density + (gsize) lanes[timeline[i].node] * n_bins;
      double w = weights != NULL ? weights[i] : timeline[i].weight;
      double from = (timeline[i].time - self->start) / span * n_bins;
      double to = from + MIN (bins_per_sample * timeline[i].weight, n_bins);

      if (to - from <= 1)
        row[MIN ((guint) from, n_bins - 1)] += w;
      else
        for (guint bin = (guint) from; bin < n_bins && bin < to; bin++)
          row[bin] += w * (MIN (to, bin + 1.0) - MAX (from, (double) bin)) / (to - from);
    }
  for (gsize i = 0; i < (gsize) self->n_lanes * n_bins; i++)
    self->max_bin = MAX (self->max_bin, self->density[i]);
  return self;
}

void
sp_timeline_lanes_free (SpTimelineLanes *lanes)
{
  if (lanes == NULL)
    return;
  g_free (lanes->lane_threads);
  g_free (lanes->density);
  g_free (lanes);
}
