/* sp-profile.c: the immutable profile model */
#define G_LOG_DOMAIN "sp-profile"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sp-profile.h"

struct _SpProfile
{
  GObject          parent_instance;

  SpProfileMeta    meta;
  GPtrArray       *frames;          /* of SpFrame*, owned */
  GHashTable      *frame_by_name;   /* name → frame id + 1 (the first frame of that name) */

  guint            n_nodes;
  guint32         *parents;
  guint32         *node_frames;
  guint32         *ends;
  guint16         *depths;
  guint            max_depth;
  double          *self_weights[SP_N_METRICS];   /* NULL for absent metrics */
  double          *total_weights[SP_N_METRICS];
  double           grand_total[SP_N_METRICS];

  SpFunctionStats *stats;
  guint            n_stats;
  guint32         *stats_by_frame;  /* frame id → stats index + 1, 0 when none */

  SpProfileSections sections;
};

G_DEFINE_FINAL_TYPE (SpProfile, sp_profile, G_TYPE_OBJECT)

G_DEFINE_QUARK (sp-profile-error-quark, sp_profile_error)

static const char * const mode_names[] = { "cpu", "alloc", "time", "deterministic", "imported",
                                           "alloc-exact" };
static const char * const metric_names[SP_N_METRICS] = { "samples", "bytes", "baseline",
                                                         "seconds", "calls" };

const char *
sp_mode_to_string (SpMode mode)
{
  g_return_val_if_fail (mode < G_N_ELEMENTS (mode_names), "imported");
  return mode_names[mode];
}

gboolean
sp_mode_from_string (const char *string,
                     SpMode     *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_strcmp0 (string, mode_names[i]) == 0)
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sp_metric_to_string (SpMetric metric)
{
  g_return_val_if_fail (metric < SP_N_METRICS, "samples");
  return metric_names[metric];
}

gboolean
sp_metric_from_string (const char *string,
                       SpMetric   *metric)
{
  for (guint i = 0; i < SP_N_METRICS; i++)
    if (g_strcmp0 (string, metric_names[i]) == 0)
      {
        *metric = i;
        return TRUE;
      }
  return FALSE;
}

void
sp_profile_meta_init (SpProfileMeta *meta)
{
  memset (meta, 0, sizeof *meta);
  meta->mode = SP_MODE_IMPORTED;
  meta->interval = -1;
  meta->start_time = -1;
  meta->duration = -1;
  meta->gc_seconds = -1;
  meta->bytes_consed = -1;
  meta->sample_count = -1;
  meta->warmup_runs = -1;
  meta->runs = -1;
  meta->overhead_call = -1;
  meta->overhead_nested = -1;
  meta->heap_snapshot_seconds = -1;
}

void
sp_profile_meta_clear (SpProfileMeta *meta)
{
  g_clear_pointer (&meta->sbcl_version, g_free);
  g_clear_pointer (&meta->host, g_free);
  g_clear_pointer (&meta->workload, g_free);
  g_clear_pointer (&meta->source, g_free);
  g_clear_pointer (&meta->end_reason, g_free);
  g_clear_pointer (&meta->end_message, g_free);
  g_clear_pointer (&meta->instrumented, g_free);
}

void
sp_profile_meta_copy (SpProfileMeta       *dest,
                      const SpProfileMeta *src)
{
  *dest = *src;
  dest->sbcl_version = g_strdup (src->sbcl_version);
  dest->host = g_strdup (src->host);
  dest->workload = g_strdup (src->workload);
  dest->source = g_strdup (src->source);
  dest->end_reason = g_strdup (src->end_reason);
  dest->end_message = g_strdup (src->end_message);
  dest->instrumented = g_strdup (src->instrumented);
}

void
sp_run_stats_init (SpRunStats *stats)
{
  stats->calls = -1;
  stats->seconds = -1;
  stats->bytes = -1;
  stats->gc_seconds = -1;
  stats->raw_seconds = -1;
  stats->self_weight = -1;
  stats->total_weight = -1;
}

void
sp_profile_sections_init (SpProfileSections *sections)
{
  memset (sections, 0, sizeof *sections);
}

void
sp_profile_sections_clear (SpProfileSections *sections)
{
  g_clear_pointer (&sections->types, g_ptr_array_unref);
  g_clear_pointer (&sections->alloc_rows, g_array_unref);
  g_clear_pointer (&sections->gc_events, g_array_unref);
  g_clear_pointer (&sections->heap_before, g_array_unref);
  g_clear_pointer (&sections->heap_after, g_array_unref);
  g_clear_pointer (&sections->run_summaries, g_array_unref);
  g_clear_pointer (&sections->timeline, g_array_unref);
}

static GArray *
copy_array (const GArray *array)
{
  GArray *copy;

  if (array == NULL)
    return NULL;
  copy = g_array_sized_new (FALSE, FALSE, g_array_get_element_size ((GArray *) array), array->len);
  g_array_append_vals (copy, array->data, array->len);
  return copy;
}

void
sp_profile_sections_copy (SpProfileSections       *dest,
                          const SpProfileSections *src)
{
  sp_profile_sections_init (dest);
  if (src->types != NULL)
    {
      dest->types = g_ptr_array_new_full (src->types->len, g_free);
      for (guint i = 0; i < src->types->len; i++)
        g_ptr_array_add (dest->types, g_strdup (g_ptr_array_index (src->types, i)));
    }
  dest->alloc_rows = copy_array (src->alloc_rows);
  dest->gc_events = copy_array (src->gc_events);
  dest->heap_before = copy_array (src->heap_before);
  dest->heap_after = copy_array (src->heap_after);
  dest->run_summaries = copy_array (src->run_summaries);
  dest->timeline = copy_array (src->timeline);
}

static void
sp_profile_finalize (GObject *object)
{
  SpProfile *self = SP_PROFILE (object);

  sp_profile_meta_clear (&self->meta);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->frame_by_name, g_hash_table_unref);
  g_free (self->parents);
  g_free (self->node_frames);
  g_free (self->ends);
  g_free (self->depths);
  for (guint m = 0; m < SP_N_METRICS; m++)
    {
      g_free (self->self_weights[m]);
      g_free (self->total_weights[m]);
    }
  for (guint i = 0; i < self->n_stats; i++)
    g_free (self->stats[i].runs);
  g_free (self->stats);
  g_free (self->stats_by_frame);
  sp_profile_sections_clear (&self->sections);

  G_OBJECT_CLASS (sp_profile_parent_class)->finalize (object);
}

static void
sp_profile_class_init (SpProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_profile_finalize;
}

static void
sp_profile_init (SpProfile *self)
{
  sp_profile_meta_init (&self->meta);
}

/* Subtree ends (unless given) and depths, from parents in preorder. */
static void
compute_ends_and_depths (SpProfile *self)
{
  guint n = self->n_nodes;
  gboolean have_ends = self->ends != NULL;

  if (!have_ends)
    self->ends = g_new (guint32, MAX (n, 1));
  self->depths = g_new (guint16, MAX (n, 1));
  self->max_depth = 0;
  for (guint i = 0; i < n; i++)
    {
      guint32 p = self->parents[i];
      guint depth = p == SP_NO_NODE ? 0 : MIN (self->depths[p] + 1u, G_MAXUINT16);

      self->depths[i] = depth;
      self->max_depth = MAX (self->max_depth, depth);
      if (!have_ends)
        self->ends[i] = i + 1;
    }
  /* children come after their parent: one backward pass folds them in */
  for (guint i = have_ends ? 0 : n; i-- > 0;)
    {
      guint32 p = self->parents[i];

      if (p != SP_NO_NODE)
        self->ends[p] = MAX (self->ends[p], self->ends[i]);
    }
}

/* Total weights and grand totals; reads only parents and self weights. */
static gpointer
compute_totals (gpointer data)
{
  SpProfile *self = data;
  guint n = self->n_nodes;

  for (guint m = 0; m < SP_N_METRICS; m++)
    if (self->self_weights[m] != NULL)
      {
        /* a profile with no nodes still has its metrics: one slot, so they are not NULL (and
         * not read past the end of self weights that have none) */
        double *totals = g_new0 (double, MAX (n, 1));
        double sum = 0;

        memcpy (totals, self->self_weights[m], sizeof (double) * n);

        for (guint i = n; i-- > 0;)
          if (self->parents[i] != SP_NO_NODE)
            totals[self->parents[i]] += totals[i];
        for (guint i = 0; i < n; i++)
          sum += self->self_weights[m][i];
        self->total_weights[m] = totals;
        self->grand_total[m] = sum;
      }
  return NULL;
}

/* Models bigger than this compute the totals in a second thread. */
#define PARALLEL_NODES (256 * 1024)

static void
compute_derived_columns (SpProfile *self)
{
  GThread *thread = NULL;

  if (self->n_nodes >= PARALLEL_NODES)
    thread = g_thread_try_new ("sp-profile-totals", compute_totals, self, NULL);
  if (thread == NULL)
    compute_totals (self);
  compute_ends_and_depths (self);
  if (thread != NULL)
    g_thread_join (thread);
}

static void
index_frames_and_stats (SpProfile *self)
{
  self->frame_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = self->frames->len; i-- > 0;)
    {
      const SpFrame *frame = g_ptr_array_index (self->frames, i);
      if (frame->kind != SP_FRAME_KIND_THREAD)
        g_hash_table_insert (self->frame_by_name, (gpointer) frame->name, GUINT_TO_POINTER (i + 1));
    }

  self->stats_by_frame = g_new0 (guint32, MAX (self->frames->len, 1));
  for (guint i = 0; i < self->n_stats; i++)
    self->stats_by_frame[self->stats[i].frame] = i + 1;
}

static SpProfile *
profile_new (SpProfileMeta   *meta,
             GPtrArray       *frames,
             guint32         *parents,
             guint32         *node_frames,
             guint            n_nodes,
             double         **self_weights,
             SpFunctionStats *stats,
             guint            n_stats,
             SpProfileSections *sections,
             SpProfileColumns *columns)
{
  SpProfile *self = g_object_new (SP_TYPE_PROFILE, NULL);

  self->meta = *meta;
  sp_profile_meta_init (meta);
  self->frames = frames;
  self->parents = parents;
  self->node_frames = node_frames;
  self->n_nodes = n_nodes;
  for (guint m = 0; m < SP_N_METRICS; m++)
    self->self_weights[m] = self_weights[m];
  self->stats = stats;
  self->n_stats = n_stats;
  if (sections != NULL)
    {
      self->sections = *sections;
      sp_profile_sections_init (sections);
    }

  if (columns != NULL && columns->depths == NULL)
    {
      /* only the ends are given */
      self->ends = g_steal_pointer (&columns->ends);
      compute_derived_columns (self);
    }
  else if (columns != NULL)
    {
      self->ends = columns->ends;
      self->depths = columns->depths;
      self->max_depth = columns->max_depth;
      for (guint m = 0; m < SP_N_METRICS; m++)
        {
          self->total_weights[m] = columns->total_weights[m];
          self->grand_total[m] = columns->grand_total[m];
        }
      memset (columns, 0, sizeof *columns);
    }
  else
    compute_derived_columns (self);
  index_frames_and_stats (self);
  return self;
}

/* Finite weights can still add up to infinity; bounding the sum keeps every total (and the
 * sums of the views derived from it) finite, whatever order they are added in. */
static gboolean
check_grand_totals (guint     n_nodes,
                    double  **self_weights,
                    GError  **error)
{
  for (guint m = 0; m < SP_N_METRICS; m++)
    {
      double sum = 0;

      for (guint i = 0; self_weights[m] != NULL && i < n_nodes; i++)
        sum += self_weights[m][i];
      if (!(sum <= SP_MAX_TOTAL_WEIGHT))
        {
          g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                       _("the weights (%s) add up to %g, more than a profile can count (%g)"),
                       sp_metric_to_string (m), sum, SP_MAX_TOTAL_WEIGHT);
          return FALSE;
        }
    }
  return TRUE;
}

/* The figures, and the frames they refer to; not the shape of the tree. */
static gboolean
validate_figures (GPtrArray       *frames,
                  const guint32   *node_frames,
                  guint            n_nodes,
                  double         **self_weights,
                  const SpFunctionStats *stats,
                  guint            n_stats,
                  GError         **error)
{
  for (guint i = 0; i < frames->len; i++)
    if (g_ptr_array_index (frames, i) == NULL)
      {
        g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                     _("frame %u is missing"), i);
        return FALSE;
      }

  for (guint i = 0; i < n_nodes; i++)
    {
      if (node_frames[i] >= frames->len)
        {
          g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                       _("node %u refers to frame %u, but there are only %u frames"),
                       i, node_frames[i], frames->len);
          return FALSE;
        }
      for (guint m = 0; m < SP_N_METRICS; m++)
        if (self_weights[m] != NULL && !(self_weights[m][i] >= 0))
          {
            g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                         _("node %u has a negative %s weight (%g)"),
                         i, sp_metric_to_string (m), self_weights[m][i]);
            return FALSE;
          }
    }

  if (!check_grand_totals (n_nodes, self_weights, error))
    return FALSE;

  for (guint i = 0; i < n_stats; i++)
    if (stats[i].frame >= frames->len)
      {
        g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                     _("function figures %u refer to frame %u, but there are only %u frames"),
                     i, stats[i].frame, frames->len);
        return FALSE;
      }
  return TRUE;
}

/* In preorder, a node's parent is the node before it or one of that node's ancestors. */
static gboolean
validate_preorder (const guint32 *parents,
                   guint          n_nodes,
                   GError       **error)
{
  g_autofree guint32 *path = g_new (guint32, MAX (n_nodes, 1));
  guint path_len = 0;

  for (guint i = 0; i < n_nodes; i++)
    {
      guint32 p = parents[i];

      if (p == SP_NO_NODE)
        path_len = 0;
      else
        {
          while (path_len > 0 && path[path_len - 1] != p)
            path_len--;
          if (path_len == 0)
            {
              g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                           _("node %u has parent %u, which is not one of its ancestors "
                             "in depth-first order"), i, p);
              return FALSE;
            }
        }
      path[path_len++] = i;
    }
  return TRUE;
}

static gboolean
validate_arrays (GPtrArray       *frames,
                 const guint32   *parents,
                 const guint32   *node_frames,
                 guint            n_nodes,
                 double         **self_weights,
                 const SpFunctionStats *stats,
                 guint            n_stats,
                 GError         **error)
{
  return validate_preorder (parents, n_nodes, error) &&
         validate_figures (frames, node_frames, n_nodes, self_weights, stats, n_stats, error);
}

static gboolean
fail_section (GError    **error,
              const char *what,
              guint       index)
{
  g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, what, index);
  return FALSE;
}

static gboolean
is_weight (double value)
{
  return value >= 0 && isfinite (value);
}

static gboolean
validate_heap (const GArray *heap,
               guint         n_types,
               GError      **error)
{
  for (guint i = 0; heap != NULL && i < heap->len; i++)
    {
      const SpHeapRow *row = &g_array_index (heap, SpHeapRow, i);

      if (row->type >= n_types || !is_weight (row->objects) || !is_weight (row->bytes))
        return fail_section (error, _("heap snapshot row %u is out of range"), i);
    }
  return TRUE;
}

/* Indices in range and figures finite: a file is never trusted. */
static gboolean
validate_sections (const SpProfileSections *sections,
                   guint                    n_frames,
                   guint                    n_nodes,
                   GError                 **error)
{
  guint n_types = sections->types != NULL ? sections->types->len : 0;

  for (guint i = 0; i < n_types; i++)
    if (g_ptr_array_index (sections->types, i) == NULL)
      return fail_section (error, _("object type %u has no name"), i);
  for (guint i = 0; sections->alloc_rows != NULL && i < sections->alloc_rows->len; i++)
    {
      const SpAllocRow *row = &g_array_index (sections->alloc_rows, SpAllocRow, i);

      if (row->frame >= n_frames || row->type >= n_types ||
          !is_weight (row->objects) || !is_weight (row->bytes))
        return fail_section (error, _("allocation row %u is out of range"), i);
    }
  for (guint i = 0; sections->gc_events != NULL && i < sections->gc_events->len; i++)
    {
      const SpGcEvent *gc = &g_array_index (sections->gc_events, SpGcEvent, i);

      if (!isfinite (gc->time) || !is_weight (gc->pause) || gc->generation < 0)
        return fail_section (error, _("GC event %u has an invalid time, pause or generation"), i);
    }
  if (!validate_heap (sections->heap_before, n_types, error) ||
      !validate_heap (sections->heap_after, n_types, error))
    return FALSE;
  for (guint i = 0; sections->timeline != NULL && i < sections->timeline->len; i++)
    {
      const SpTimelineSample *sample = &g_array_index (sections->timeline, SpTimelineSample, i);

      if (sample->node >= n_nodes || !isfinite (sample->time) || !is_weight (sample->weight))
        return fail_section (error, _("timeline entry %u is out of range"), i);
    }
  return TRUE;
}

/* Frees what a constructor that failed was given. */
static void
discard_arrays (SpProfileMeta     *meta,
                GPtrArray         *frames,
                guint32           *parents,
                guint32           *node_frames,
                double           **self_weights,
                guint32           *ends,
                SpFunctionStats   *stats,
                guint              n_stats,
                SpProfileSections *sections)
{
  if (sections != NULL)
    sp_profile_sections_clear (sections);
  sp_profile_meta_clear (meta);
  g_ptr_array_unref (frames);
  g_free (parents);
  g_free (node_frames);
  g_free (ends);
  for (guint m = 0; m < SP_N_METRICS; m++)
    g_free (self_weights[m]);
  for (guint i = 0; i < n_stats; i++)
    g_free (stats[i].runs);
  g_free (stats);
}

SpProfile *
sp_profile_new_from_arrays (SpProfileMeta   *meta,
                            GPtrArray       *frames,
                            guint32         *parents,
                            guint32         *node_frames,
                            guint            n_nodes,
                            double         **self_weights,
                            SpFunctionStats *stats,
                            guint            n_stats,
                            SpProfileSections *sections,
                            GError         **error)
{
  g_return_val_if_fail (meta != NULL && frames != NULL, NULL);
  g_return_val_if_fail (n_nodes == 0 || (parents != NULL && node_frames != NULL), NULL);

  if (!validate_arrays (frames, parents, node_frames, n_nodes, self_weights, stats, n_stats, error) ||
      (sections != NULL && !validate_sections (sections, frames->len, n_nodes, error)))
    {
      discard_arrays (meta, frames, parents, node_frames, self_weights, NULL, stats, n_stats, sections);
      return NULL;
    }
  return profile_new (meta, frames, parents, node_frames, n_nodes, self_weights, stats, n_stats,
                      sections, NULL);
}

SpProfile *
sp_profile_new_built (SpProfileMeta     *meta,
                      GPtrArray         *frames,
                      guint32           *parents,
                      guint32           *node_frames,
                      guint              n_nodes,
                      double           **self_weights,
                      guint32           *ends,
                      SpFunctionStats   *stats,
                      guint              n_stats,
                      SpProfileSections *sections,
                      GError           **error)
{
  SpProfileColumns columns = { .ends = ends };

  g_return_val_if_fail (meta != NULL && frames != NULL && ends != NULL, NULL);
  g_return_val_if_fail (n_nodes == 0 || (parents != NULL && node_frames != NULL), NULL);

  if (!validate_figures (frames, node_frames, n_nodes, self_weights, stats, n_stats, error) ||
      (sections != NULL && !validate_sections (sections, frames->len, n_nodes, error)))
    {
      discard_arrays (meta, frames, parents, node_frames, self_weights, ends, stats, n_stats, sections);
      return NULL;
    }
  return profile_new (meta, frames, parents, node_frames, n_nodes, self_weights, stats, n_stats,
                      sections, &columns);
}

SpProfile *
sp_profile_new_derived (SpProfileMeta     *meta,
                        GPtrArray         *frames,
                        guint32           *parents,
                        guint32           *node_frames,
                        guint              n_nodes,
                        double           **self_weights,
                        SpFunctionStats   *stats,
                        guint              n_stats,
                        SpProfileSections *sections)
{
  g_return_val_if_fail (meta != NULL && frames != NULL, NULL);
  g_return_val_if_fail (n_nodes == 0 || (parents != NULL && node_frames != NULL), NULL);

  return profile_new (meta, frames, parents, node_frames, n_nodes, self_weights, stats, n_stats,
                      sections, NULL);
}

SpProfile *
sp_profile_new_derived_with_columns (SpProfileMeta     *meta,
                                     GPtrArray         *frames,
                                     guint32           *parents,
                                     guint32           *node_frames,
                                     guint              n_nodes,
                                     double           **self_weights,
                                     SpProfileColumns  *columns,
                                     SpFunctionStats   *stats,
                                     guint              n_stats,
                                     SpProfileSections *sections)
{
  g_return_val_if_fail (meta != NULL && frames != NULL && columns != NULL, NULL);
  g_return_val_if_fail (n_nodes == 0 || (parents != NULL && node_frames != NULL), NULL);
  g_return_val_if_fail (columns->ends != NULL && columns->depths != NULL, NULL);

  return profile_new (meta, frames, parents, node_frames, n_nodes, self_weights, stats, n_stats,
                      sections, columns);
}

const SpProfileMeta *
sp_profile_get_meta (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return &self->meta;
}

guint
sp_profile_get_n_frames (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), 0);
  return self->frames->len;
}

const SpFrame *
sp_profile_get_frame (SpProfile *self,
                      guint32    frame)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  g_return_val_if_fail (frame < self->frames->len, NULL);
  return g_ptr_array_index (self->frames, frame);
}

GPtrArray *
sp_profile_copy_frames (SpProfile *self)
{
  GPtrArray *frames;

  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);

  frames = g_ptr_array_new_full (self->frames->len, g_free);
  for (guint i = 0; i < self->frames->len; i++)
    g_ptr_array_add (frames, sp_frame_copy (g_ptr_array_index (self->frames, i)));
  return frames;
}

guint32
sp_profile_lookup_frame (SpProfile  *self,
                         const char *name)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), SP_NO_FRAME);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->frame_by_name, name)) - 1;
}

guint
sp_profile_get_n_nodes (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), 0);
  return self->n_nodes;
}

const guint32 *
sp_profile_get_node_parents (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return self->parents;
}

const guint32 *
sp_profile_get_node_frames (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return self->node_frames;
}

const guint32 *
sp_profile_get_node_ends (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return self->ends;
}

const guint16 *
sp_profile_get_node_depths (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return self->depths;
}

guint
sp_profile_get_max_depth (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), 0);
  return self->max_depth;
}

gboolean
sp_profile_has_metric (SpProfile *self,
                       SpMetric   metric)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (metric < SP_N_METRICS, FALSE);
  return self->self_weights[metric] != NULL;
}

/* Bytes for an allocation profile, seconds for a deterministic one, samples otherwise. */
SpMetric
sp_profile_get_default_metric (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), SP_METRIC_SAMPLES);
  if ((self->meta.mode == SP_MODE_ALLOC || self->meta.mode == SP_MODE_ALLOC_EXACT) &&
      self->self_weights[SP_METRIC_BYTES] != NULL)
    return SP_METRIC_BYTES;
  if (self->meta.mode == SP_MODE_DETERMINISTIC && self->self_weights[SP_METRIC_SECONDS] != NULL)
    return SP_METRIC_SECONDS;
  return SP_METRIC_SAMPLES;
}

const double *
sp_profile_get_self_weights (SpProfile *self,
                             SpMetric   metric)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  g_return_val_if_fail (metric < SP_N_METRICS, NULL);
  return self->self_weights[metric];
}

const double *
sp_profile_get_total_weights (SpProfile *self,
                              SpMetric   metric)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  g_return_val_if_fail (metric < SP_N_METRICS, NULL);
  return self->total_weights[metric];
}

double
sp_profile_get_grand_total (SpProfile *self,
                            SpMetric   metric)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), 0);
  g_return_val_if_fail (metric < SP_N_METRICS, 0);
  return self->grand_total[metric];
}

guint
sp_profile_get_n_function_stats (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), 0);
  return self->n_stats;
}

const SpFunctionStats *
sp_profile_get_function_stats (SpProfile *self,
                               guint      index)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  g_return_val_if_fail (index < self->n_stats, NULL);
  return &self->stats[index];
}

const SpFunctionStats *
sp_profile_find_function_stats (SpProfile *self,
                                guint32    frame)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  if (frame >= self->frames->len || self->stats_by_frame[frame] == 0)
    return NULL;
  return &self->stats[self->stats_by_frame[frame] - 1];
}

guint
sp_profile_get_n_types (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), 0);
  return self->sections.types != NULL ? self->sections.types->len : 0;
}

const char *
sp_profile_get_type_name (SpProfile *self,
                          guint32    type)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  g_return_val_if_fail (type < sp_profile_get_n_types (self), NULL);
  return g_ptr_array_index (self->sections.types, type);
}

/* The elements of an optional section, and their count in *n. */
static gconstpointer
section_data (const GArray *array,
              guint        *n)
{
  if (n != NULL)
    *n = array != NULL ? array->len : 0;
  return array != NULL && array->len > 0 ? array->data : NULL;
}

const SpAllocRow *
sp_profile_get_alloc_rows (SpProfile *self,
                           guint     *n_rows)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return section_data (self->sections.alloc_rows, n_rows);
}

const SpGcEvent *
sp_profile_get_gc_events (SpProfile *self,
                          guint     *n_events)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return section_data (self->sections.gc_events, n_events);
}

const SpHeapRow *
sp_profile_get_heap (SpProfile  *self,
                     SpHeapWhen  when,
                     guint      *n_rows)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return section_data (when == SP_HEAP_BEFORE ? self->sections.heap_before
                                              : self->sections.heap_after, n_rows);
}

const SpRunSummary *
sp_profile_get_run_summaries (SpProfile *self,
                              guint     *n_runs)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return section_data (self->sections.run_summaries, n_runs);
}

const SpTimelineSample *
sp_profile_get_timeline (SpProfile *self,
                         guint     *n_samples)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return section_data (self->sections.timeline, n_samples);
}

const SpProfileSections *
sp_profile_get_sections (SpProfile *self)
{
  g_return_val_if_fail (SP_IS_PROFILE (self), NULL);
  return &self->sections;
}
