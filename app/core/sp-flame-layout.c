/* sp-flame-layout.c: flame graph geometry and search over a profile
 *
 * The tree is laid out breadth first: a row's rects come out left to right, so the children
 * appended for the next row are also in order and no final sort is needed.  The children of a
 * node are found through the preorder ends (child, end[child], …), so the layout needs no
 * child lists.
 */
#define G_LOG_DOMAIN "sp-flame-layout"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-flame-layout.h"

struct _SpFlameLayout
{
  SpProfile            *profile;
  SpFlameLayoutOptions  options;
  const double         *totals;
  double                root_weight;
  GArray               *rects;       /* of SpFlameRect, by row then x */
  GArray               *row_starts;  /* of guint: n_rows + 1 entries */
  GArray               *row_index;   /* of SpRowIndex, one per row */
  GArray               *buckets;     /* of guint, see SpRowIndex */
};

/* Searching a row of 100 000 rects for each pixel column of a redraw costs a cache miss per
 * step; buckets narrow each search to the rects of a small slice of the width.  Bucket b of a
 * row holds the lower bound of b / n_buckets; one more entry ends the row. */
typedef struct
{
  guint first_bucket;
  guint n_buckets;
} SpRowIndex;

#define MAX_BUCKETS 4096

typedef struct
{
  const double  *totals;
  const guint32 *frames;
  const guint   *frame_ranks;
  SpFlameOrder   order;
} SpChildOrder;

void
sp_flame_layout_options_init (SpFlameLayoutOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->metric = SP_METRIC_SAMPLES;
  options->zoom_node = SP_NO_NODE;
  options->order = SP_FLAME_ORDER_LEFT_HEAVY;
  options->x_max = 1;
}

static int
compare_frame_names (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  SpProfile *profile = user_data;
  const SpFrame *fa = sp_profile_get_frame (profile, *(const guint32 *) a);
  const SpFrame *fb = sp_profile_get_frame (profile, *(const guint32 *) b);

  return strcmp (fa->name, fb->name);
}

/* Rank of each frame in name order: comparing two integers is much cheaper than strcmp when
 * sorting millions of children. */
static guint *
rank_frames_by_name (SpProfile *profile)
{
  guint n_frames = sp_profile_get_n_frames (profile);
  g_autofree guint32 *sorted = g_new (guint32, MAX (n_frames, 1));
  guint *ranks = g_new (guint, MAX (n_frames, 1));

  for (guint i = 0; i < n_frames; i++)
    sorted[i] = i;
  g_qsort_with_data (sorted, n_frames, sizeof (guint32), compare_frame_names, profile);
  for (guint i = 0; i < n_frames; i++)
    ranks[sorted[i]] = i;

  return ranks;
}

static int
compare_children (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const SpChildOrder *order = user_data;
  guint32 na = *(const guint32 *) a;
  guint32 nb = *(const guint32 *) b;
  guint ra = order->frame_ranks[order->frames[na]];
  guint rb = order->frame_ranks[order->frames[nb]];

  if (order->order == SP_FLAME_ORDER_LEFT_HEAVY && order->totals[na] != order->totals[nb])
    return order->totals[na] > order->totals[nb] ? -1 : 1;

  return ra < rb ? -1 : ra > rb;
}

static void
append_rect (GArray  *rects,
             double   x0,
             double   x1,
             guint32  node,
             guint32  row)
{
  SpFlameRect rect = { x0, x1, node, row };

  g_array_append_val (rects, rect);
}

/* Appends the kept children of parent, in order, starting at x. */
static void
lay_out_children (SpFlameLayout      *self,
                  const SpChildOrder *order,
                  GArray             *scratch,
                  guint32             first,
                  guint32             end,
                  double              x,
                  double              min_weight,
                  guint32             row)
{
  const guint32 *ends = sp_profile_get_node_ends (self->profile);

  g_array_set_size (scratch, 0);
  for (guint32 child = first; child < end; child = ends[child])
    {
      if (self->totals[child] > 0 && self->totals[child] >= min_weight)
        g_array_append_val (scratch, child);
    }

  if (scratch->len > 1)
    g_qsort_with_data (scratch->data, scratch->len, sizeof (guint32),
                       compare_children, (gpointer) order);

  for (guint i = 0; i < scratch->len; i++)
    {
      guint32 child = g_array_index (scratch, guint32, i);
      double width = self->totals[child] / self->root_weight;

      if (x + width > self->options.x_min && x < self->options.x_max)
        append_rect (self->rects, x, x + width, child, row);
      x += width;
    }
}

/* The "all" row, the ancestors of the zoom root and the zoom root, all at full width.
 * Returns the row of the zoom root's children. */
static guint32
lay_out_spine (SpFlameLayout *self)
{
  guint32 zoom = self->options.zoom_node;
  const guint32 *parents = sp_profile_get_node_parents (self->profile);
  const guint16 *depths = sp_profile_get_node_depths (self->profile);
  guint32 node;

  append_rect (self->rects, 0, 1, SP_NO_NODE, 0);
  g_array_append_val (self->row_starts, self->rects->len);

  if (zoom == SP_NO_NODE)
    return 1;

  g_array_set_size (self->rects, depths[zoom] + 2);
  for (node = zoom; node != SP_NO_NODE; node = parents[node])
    {
      SpFlameRect *rect = &g_array_index (self->rects, SpFlameRect, depths[node] + 1);

      *rect = (SpFlameRect) { 0, 1, node, depths[node] + 1 };
    }
  for (guint i = 2; i <= self->rects->len; i++)
    g_array_append_val (self->row_starts, i);

  return depths[zoom] + 2;
}

static void
lay_out_tree (SpFlameLayout *self,
              guint32        first_row)
{
  const guint32 *ends = sp_profile_get_node_ends (self->profile);
  guint n_nodes = sp_profile_get_n_nodes (self->profile);
  g_autofree guint *ranks = rank_frames_by_name (self->profile);
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (guint32));
  SpChildOrder order = { self->totals, sp_profile_get_node_frames (self->profile), ranks,
                         self->options.order };
  double min_weight = MAX (self->options.threshold *
                           sp_profile_get_grand_total (self->profile, self->options.metric),
                           self->options.min_fraction * self->root_weight);
  guint32 zoom = self->options.zoom_node;
  guint row_begin = self->rects->len;
  guint32 row = first_row;

  if (zoom == SP_NO_NODE)
    lay_out_children (self, &order, scratch, 0, n_nodes, 0, min_weight, row);
  else
    lay_out_children (self, &order, scratch, zoom + 1, ends[zoom], 0, min_weight, row);

  while (self->rects->len > row_begin)
    {
      guint row_end = self->rects->len;

      g_array_append_val (self->row_starts, row_end);
      row++;
      for (guint i = row_begin; i < row_end; i++)
        {
          SpFlameRect rect = g_array_index (self->rects, SpFlameRect, i);

          lay_out_children (self, &order, scratch, rect.node + 1, ends[rect.node],
                            rect.x0, min_weight, row);
        }
      row_begin = row_end;
    }
}

static void
index_row (SpFlameLayout *self,
           guint          row)
{
  const SpFlameRect *rects = (const SpFlameRect *) (gpointer) self->rects->data;
  guint first = g_array_index (self->row_starts, guint, row);
  guint end = g_array_index (self->row_starts, guint, row + 1);
  SpRowIndex index = { self->buckets->len, 1 };
  guint i = first;

  while (index.n_buckets < MAX_BUCKETS && index.n_buckets * 8 < end - first)
    index.n_buckets *= 2;

  for (guint b = 0; b < index.n_buckets; b++)
    {
      double x = (double) b / index.n_buckets;

      while (i < end && rects[i].x1 <= x)
        i++;
      g_array_append_val (self->buckets, i);
    }
  g_array_append_val (self->buckets, end);
  g_array_append_val (self->row_index, index);
}

static void
index_rows (SpFlameLayout *self)
{
  guint n_rows = self->row_starts->len - 1;

  self->row_index = g_array_sized_new (FALSE, FALSE, sizeof (SpRowIndex), n_rows);
  self->buckets = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint row = 0; row < n_rows; row++)
    index_row (self, row);
}

SpFlameLayout *
sp_flame_layout_new (SpProfile                  *profile,
                     const SpFlameLayoutOptions *options)
{
  SpFlameLayout *self;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->zoom_node == SP_NO_NODE ||
                        options->zoom_node < sp_profile_get_n_nodes (profile), NULL);

  self = g_new0 (SpFlameLayout, 1);
  self->profile = g_object_ref (profile);
  self->options = *options;
  self->rects = g_array_new (FALSE, FALSE, sizeof (SpFlameRect));
  self->row_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (self->row_starts, (guint) { 0 });

  if (sp_profile_has_metric (profile, options->metric))
    self->totals = sp_profile_get_total_weights (profile, options->metric);

  if (self->totals == NULL)
    {
      append_rect (self->rects, 0, 1, SP_NO_NODE, 0);
      g_array_append_val (self->row_starts, self->rects->len);
      index_rows (self);
      return self;
    }

  if (options->zoom_node == SP_NO_NODE)
    self->root_weight = sp_profile_get_grand_total (profile, options->metric);
  else
    self->root_weight = self->totals[options->zoom_node];

  if (self->root_weight <= 0)
    {
      append_rect (self->rects, 0, 1, SP_NO_NODE, 0);
      g_array_append_val (self->row_starts, self->rects->len);
      index_rows (self);
      return self;
    }

  lay_out_tree (self, lay_out_spine (self));
  index_rows (self);

  return self;
}

void
sp_flame_layout_free (SpFlameLayout *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->profile);
  g_clear_pointer (&self->rects, g_array_unref);
  g_clear_pointer (&self->row_starts, g_array_unref);
  g_clear_pointer (&self->row_index, g_array_unref);
  g_clear_pointer (&self->buckets, g_array_unref);
  g_free (self);
}

SpProfile *
sp_flame_layout_get_profile (SpFlameLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->profile;
}

const SpFlameLayoutOptions *
sp_flame_layout_get_options (SpFlameLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->options;
}

double
sp_flame_layout_get_root_weight (SpFlameLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->root_weight;
}

double
sp_flame_layout_get_weight (SpFlameLayout     *self,
                            const SpFlameRect *rect)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (rect != NULL, 0);

  if (self->totals == NULL)
    return 0;
  if (rect->node == SP_NO_NODE)
    return sp_profile_get_grand_total (self->profile, self->options.metric);

  return self->totals[rect->node];
}

guint
sp_flame_layout_get_n_rows (SpFlameLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->row_starts->len - 1;
}

guint
sp_flame_layout_get_n_rects (SpFlameLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rects->len;
}

const SpFlameRect *
sp_flame_layout_get_rect (SpFlameLayout *self,
                          guint          index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->rects->len, NULL);

  return &g_array_index (self->rects, SpFlameRect, index);
}

guint
sp_flame_layout_get_row (SpFlameLayout *self,
                         guint          row,
                         guint         *n_rects)
{
  guint first;

  g_return_val_if_fail (self != NULL, 0);

  if (row + 1 >= self->row_starts->len)
    {
      if (n_rects != NULL)
        *n_rects = 0;
      return self->rects->len;
    }

  first = g_array_index (self->row_starts, guint, row);
  if (n_rects != NULL)
    *n_rects = g_array_index (self->row_starts, guint, row + 1) - first;

  return first;
}

guint
sp_flame_layout_row_lower_bound (SpFlameLayout *self,
                                 guint          row,
                                 double         x)
{
  const SpFlameRect *rects;
  const SpRowIndex *index;
  guint lo, hi, bucket;

  g_return_val_if_fail (self != NULL, 0);

  if (row >= self->row_index->len)
    return self->rects->len;

  rects = (const SpFlameRect *) (gpointer) self->rects->data;
  index = &g_array_index (self->row_index, SpRowIndex, row);
  bucket = x <= 0 ? 0 : (guint) MIN (x * index->n_buckets, index->n_buckets - 1);
  lo = g_array_index (self->buckets, guint, index->first_bucket + bucket);
  hi = g_array_index (self->buckets, guint, index->first_bucket + bucket + 1);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (rects[mid].x1 <= x)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

guint
sp_flame_layout_row_advance (SpFlameLayout *self,
                             guint          row,
                             guint          index,
                             double         x)
{
  g_return_val_if_fail (self != NULL, 0);

  /* x1 grows along a row, so the answer is the lower bound unless index is already past it */
  return MAX (index, sp_flame_layout_row_lower_bound (self, row, x));
}

int
sp_flame_layout_hit_test (SpFlameLayout *self,
                          double         x,
                          guint          row)
{
  guint n_rects;
  guint first;
  guint index;

  g_return_val_if_fail (self != NULL, -1);

  first = sp_flame_layout_get_row (self, row, &n_rects);
  index = sp_flame_layout_row_lower_bound (self, row, x);

  if (index < first + n_rects && g_array_index (self->rects, SpFlameRect, index).x0 <= x)
    return index;

  return -1;
}

int
sp_flame_layout_find_node (SpFlameLayout *self,
                           guint32        node)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; i < self->rects->len; i++)
    {
      if (g_array_index (self->rects, SpFlameRect, i).node == node)
        return i;
    }

  return -1;
}

int
sp_flame_layout_find_frame (SpFlameLayout *self,
                            guint32        frame)
{
  const guint32 *frames;
  double widest = 0;
  int found = -1;

  g_return_val_if_fail (self != NULL, -1);

  frames = sp_profile_get_node_frames (self->profile);
  for (guint i = 0; i < self->rects->len; i++)
    {
      const SpFlameRect *rect = &g_array_index (self->rects, SpFlameRect, i);

      if (rect->node != SP_NO_NODE && frames[rect->node] == frame && rect->x1 - rect->x0 > widest)
        {
          widest = rect->x1 - rect->x0;
          found = i;
        }
    }

  return found;
}

/* The node a rect hangs from in the profile; SP_NO_NODE for roots and for "all". */
static guint32
parent_node (SpFlameLayout     *self,
             const SpFlameRect *rect)
{
  if (rect->node == SP_NO_NODE)
    return SP_NO_NODE;

  return sp_profile_get_node_parents (self->profile)[rect->node];
}

int
sp_flame_layout_get_parent (SpFlameLayout *self,
                            guint          index)
{
  const SpFlameRect *rect;
  int parent;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (index < self->rects->len, -1);

  rect = &g_array_index (self->rects, SpFlameRect, index);
  if (rect->row == 0)
    return -1;

  parent = sp_flame_layout_hit_test (self, (rect->x0 + rect->x1) / 2, rect->row - 1);
  g_assert (parent >= 0);

  return parent;
}

int
sp_flame_layout_get_first_child (SpFlameLayout *self,
                                 guint          index)
{
  const SpFlameRect *rect;
  const SpFlameRect *child;
  guint n_rects;
  guint first;
  guint found;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (index < self->rects->len, -1);

  rect = &g_array_index (self->rects, SpFlameRect, index);
  first = sp_flame_layout_get_row (self, rect->row + 1, &n_rects);
  found = sp_flame_layout_row_lower_bound (self, rect->row + 1, rect->x0);
  if (found >= first + n_rects)
    return -1;

  child = &g_array_index (self->rects, SpFlameRect, found);
  if (parent_node (self, child) != rect->node)
    return -1;

  return found;
}

int
sp_flame_layout_get_sibling (SpFlameLayout *self,
                             guint          index,
                             int            direction)
{
  const SpFlameRect *rect;
  const SpFlameRect *other;
  gint64 sibling;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (index < self->rects->len, -1);

  rect = &g_array_index (self->rects, SpFlameRect, index);
  sibling = (gint64) index + (direction < 0 ? -1 : 1);
  if (sibling < 0 || sibling >= self->rects->len)
    return -1;

  other = &g_array_index (self->rects, SpFlameRect, sibling);
  if (other->row != rect->row || rect->node == SP_NO_NODE ||
      parent_node (self, other) != parent_node (self, rect))
    return -1;

  return sibling;
}

double
sp_flame_orientation_row_y (SpFlameOrientation orientation,
                            guint              row,
                            double             row_height,
                            double             height)
{
  if (orientation == SP_FLAME_ORIENTATION_ICICLE)
    return row * row_height;

  return height - (row + 1) * row_height;
}

int
sp_flame_orientation_row_at (SpFlameOrientation orientation,
                             double             y,
                             double             row_height,
                             double             height)
{
  double row;

  if (row_height <= 0 || y < 0 || y >= height)
    return -1;

  if (orientation == SP_FLAME_ORIENTATION_ICICLE)
    row = y / row_height;
  else
    row = (height - y) / row_height;

  if (row < 0 || row >= G_MAXINT)
    return -1;

  return (int) row;
}

/* ---- Search ---- */

struct _SpFlameSearch
{
  SpProfile *profile;
  guint8    *frame_matches;
  guint      n_matched_frames;
};

static GRegex *
compile_pattern (const char          *pattern,
                 SpFlameSearchFlags   flags,
                 GError             **error)
{
  GRegexCompileFlags compile = G_REGEX_OPTIMIZE;
  g_autofree char *escaped = NULL;

  if (!(flags & SP_FLAME_SEARCH_CASE_SENSITIVE))
    compile |= G_REGEX_CASELESS;
  if (!(flags & SP_FLAME_SEARCH_REGEX))
    pattern = escaped = g_regex_escape_string (pattern, -1);

  return g_regex_new (pattern, compile, G_REGEX_MATCH_DEFAULT, error);
}

SpFlameSearch *
sp_flame_search_new (SpProfile           *profile,
                     const char          *pattern,
                     SpFlameSearchFlags   flags,
                     GError             **error)
{
  g_autoptr(GRegex) regex = NULL;
  SpFlameSearch *self;
  guint n_frames;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (pattern != NULL, NULL);

  if (pattern[0] == '\0')
    {
      g_set_error_literal (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                           _("The search pattern is empty"));
      return NULL;
    }

  if (!(regex = compile_pattern (pattern, flags, error)))
    return NULL;

  n_frames = sp_profile_get_n_frames (profile);
  self = g_new0 (SpFlameSearch, 1);
  self->profile = g_object_ref (profile);
  self->frame_matches = g_new0 (guint8, MAX (n_frames, 1));

  for (guint i = 0; i < n_frames; i++)
    {
      if (g_regex_match (regex, sp_profile_get_frame (profile, i)->label, 0, NULL))
        {
          self->frame_matches[i] = TRUE;
          self->n_matched_frames++;
        }
    }

  return self;
}

void
sp_flame_search_free (SpFlameSearch *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->profile);
  g_free (self->frame_matches);
  g_free (self);
}

gboolean
sp_flame_search_matches_frame (SpFlameSearch *self,
                               guint32        frame)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return frame < sp_profile_get_n_frames (self->profile) && self->frame_matches[frame];
}

guint
sp_flame_search_get_n_matched_frames (SpFlameSearch *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_matched_frames;
}

double
sp_flame_search_get_matched_weight (SpFlameSearch *self,
                                    SpMetric       metric)
{
  const guint32 *frames;
  const guint32 *ends;
  const double *totals;
  guint n_nodes;
  double matched = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (self->n_matched_frames == 0 || !sp_profile_has_metric (self->profile, metric))
    return 0;

  frames = sp_profile_get_node_frames (self->profile);
  ends = sp_profile_get_node_ends (self->profile);
  totals = sp_profile_get_total_weights (self->profile, metric);
  n_nodes = sp_profile_get_n_nodes (self->profile);

  /* A matching node's total already holds every stack below it: skip its subtree so that
   * nested matches are not counted twice. */
  for (guint32 node = 0; node < n_nodes;)
    {
      if (self->frame_matches[frames[node]])
        {
          matched += totals[node];
          node = ends[node];
        }
      else
        node++;
    }

  return matched;
}

double
sp_flame_search_get_matched_fraction (SpFlameSearch *self,
                                      SpMetric       metric)
{
  double total;

  g_return_val_if_fail (self != NULL, 0);

  total = sp_profile_get_grand_total (self->profile, metric);
  if (total <= 0)
    return 0;

  return sp_flame_search_get_matched_weight (self, metric) / total;
}
