/* sp-profile-builder.c: merges stacks into a call tree, then lays it out in preorder
 *
 * Millions of samples collapse into one node per distinct call path.  Children are found
 * through one open-addressing hash keyed by (parent, frame), so that adding a frame costs one
 * probe and no allocation; the tree is only put in preorder once, in sp_profile_builder_end().
 */
#define G_LOG_DOMAIN "sp-profile-builder"

#include "config.h"

#include <string.h>

#include "sp-profile.h"
#include "sp-profile-private.h"

#define EMPTY_KEY G_MAXUINT64

struct _SpProfileBuilder
{
  SpProfileMeta  meta;
  GPtrArray     *frames;        /* of SpFrame* */
  GHashTable    *frame_ids;     /* interning key → frame id + 1 */

  /* nodes, in creation order */
  guint          n_nodes;
  guint          capacity;
  guint32       *parent;
  guint32       *frame;
  guint32       *first_child;   /* children are prepended: the list is in reverse order */
  guint32       *next_sibling;
  double        *weights[SP_N_METRICS];   /* NULL until the metric is used */

  /* (parent + 1, frame) → node */
  guint64       *keys;
  guint32       *values;
  gsize          mask;
  gsize          used;

  GArray        *stats;         /* of SpFunctionStats */
};

SpProfileBuilder *
sp_profile_builder_new (void)
{
  SpProfileBuilder *self = g_new0 (SpProfileBuilder, 1);

  sp_profile_meta_init (&self->meta);
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->frame_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->mask = 1024 - 1;
  self->keys = g_new (guint64, self->mask + 1);
  memset (self->keys, 0xff, sizeof (guint64) * (self->mask + 1));
  self->values = g_new (guint32, self->mask + 1);
  self->stats = g_array_new (FALSE, FALSE, sizeof (SpFunctionStats));
  return self;
}

static void
free_node_arrays (SpProfileBuilder *self)
{
  g_clear_pointer (&self->parent, g_free);
  g_clear_pointer (&self->frame, g_free);
  g_clear_pointer (&self->first_child, g_free);
  g_clear_pointer (&self->next_sibling, g_free);
  for (guint m = 0; m < SP_N_METRICS; m++)
    g_clear_pointer (&self->weights[m], g_free);
  g_clear_pointer (&self->keys, g_free);
  g_clear_pointer (&self->values, g_free);
}

void
sp_profile_builder_free (SpProfileBuilder *self)
{
  if (self == NULL)
    return;
  sp_profile_meta_clear (&self->meta);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->frame_ids, g_hash_table_unref);
  free_node_arrays (self);
  if (self->stats != NULL)
    {
      for (guint i = 0; i < self->stats->len; i++)
        g_free (g_array_index (self->stats, SpFunctionStats, i).runs);
      g_array_unref (self->stats);
    }
  g_free (self);
}

SpProfileMeta *
sp_profile_builder_get_meta (SpProfileBuilder *self)
{
  return &self->meta;
}

guint
sp_profile_builder_get_n_frames (SpProfileBuilder *self)
{
  return self->frames->len;
}

guint
sp_profile_builder_get_n_nodes (SpProfileBuilder *self)
{
  return self->n_nodes;
}

static guint32
add_frame (SpProfileBuilder *self,
           char             *key,    /* taken */
           SpFrame          *frame)  /* taken */
{
  guint32 id = self->frames->len;

  g_ptr_array_add (self->frames, frame);
  g_hash_table_insert (self->frame_ids, key, GUINT_TO_POINTER (id + 1));
  return id;
}

guint32
sp_profile_builder_intern_frame_full (SpProfileBuilder *self,
                                      const char       *name,
                                      SpFrameKind       kind)
{
  /* thread names get their own name space: a thread called "MAIN" is no function MAIN */
  g_autofree char *key = kind == SP_FRAME_KIND_THREAD ? g_strconcat ("\001", name, NULL)
                                                      : g_strdup (name);
  g_autofree char *package = NULL;
  gpointer found = g_hash_table_lookup (self->frame_ids, key);

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  if (kind != SP_FRAME_KIND_THREAD)
    sp_frame_kind_from_name (name, &package);
  return add_frame (self, g_steal_pointer (&key), sp_frame_new (name, package, kind, NULL, 0));
}

guint32
sp_profile_builder_intern_frame (SpProfileBuilder *self,
                                 const char       *name,
                                 gssize            len)
{
  g_autofree char *copy = len < 0 ? g_strdup (name) : g_strndup (name, len);
  gpointer found = g_hash_table_lookup (self->frame_ids, copy);
  g_autofree char *package = NULL;
  SpFrameKind kind;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  kind = sp_frame_kind_from_name (copy, &package);
  return add_frame (self, g_strdup (copy), sp_frame_new (copy, package, kind, NULL, 0));
}

void
sp_profile_builder_add_frames_from (SpProfileBuilder *self,
                                    SpProfile        *profile)
{
  guint n = sp_profile_get_n_frames (profile);

  g_return_if_fail (self->frames->len == 0);

  for (guint i = 0; i < n; i++)
    {
      const SpFrame *f = sp_profile_get_frame (profile, i);
      char *key = f->kind == SP_FRAME_KIND_THREAD ? g_strconcat ("\001", f->name, NULL)
                                                  : g_strdup (f->name);

      g_ptr_array_add (self->frames, sp_frame_new (f->name, f->package, f->kind, f->file, f->line));
      if (g_hash_table_contains (self->frame_ids, key))
        g_free (key);
      else
        g_hash_table_insert (self->frame_ids, key, GUINT_TO_POINTER (i + 1));
    }
}

void
sp_profile_builder_set_frame_location (SpProfileBuilder *self,
                                       guint32           frame,
                                       const char       *file,
                                       guint             line)
{
  SpFrame *old;

  g_return_if_fail (frame < self->frames->len);

  old = g_ptr_array_index (self->frames, frame);
  g_ptr_array_index (self->frames, frame) = sp_frame_new (old->name, old->package, old->kind,
                                                          file, line);
  g_free (old);
}

void
sp_profile_builder_enable_metric (SpProfileBuilder *self,
                                  SpMetric          metric)
{
  g_return_if_fail (metric < SP_N_METRICS);

  if (self->weights[metric] == NULL)
    self->weights[metric] = g_new0 (double, MAX (self->capacity, 1));
}

static void
grow_nodes (SpProfileBuilder *self)
{
  guint capacity = MAX (self->capacity * 2, 1024);

  self->parent = g_renew (guint32, self->parent, capacity);
  self->frame = g_renew (guint32, self->frame, capacity);
  self->first_child = g_renew (guint32, self->first_child, capacity);
  self->next_sibling = g_renew (guint32, self->next_sibling, capacity);
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (self->weights[m] != NULL)
      {
        self->weights[m] = g_renew (double, self->weights[m], capacity);
        memset (self->weights[m] + self->capacity, 0,
                sizeof (double) * (capacity - self->capacity));
      }
  self->capacity = capacity;
}

static inline gsize
hash_key (guint64 key)
{
  /* Fibonacci hashing: spreads consecutive node ids over the table */
  return (gsize) ((key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 20);
}

static void
grow_table (SpProfileBuilder *self)
{
  gsize old_size = self->mask + 1;
  guint64 *old_keys = self->keys;
  guint32 *old_values = self->values;
  gsize size = old_size * 2;

  self->mask = size - 1;
  self->keys = g_new (guint64, size);
  memset (self->keys, 0xff, sizeof (guint64) * size);
  self->values = g_new (guint32, size);
  for (gsize i = 0; i < old_size; i++)
    if (old_keys[i] != EMPTY_KEY)
      {
        gsize slot = hash_key (old_keys[i]) & self->mask;
        while (self->keys[slot] != EMPTY_KEY)
          slot = (slot + 1) & self->mask;
        self->keys[slot] = old_keys[i];
        self->values[slot] = old_values[i];
      }
  g_free (old_keys);
  g_free (old_values);
}

guint32
sp_profile_builder_get_child (SpProfileBuilder *self,
                              guint32           parent,
                              guint32           frame)
{
  guint64 key = ((guint64) (guint32) (parent + 1) << 32) | frame;
  gsize slot = hash_key (key) & self->mask;
  guint32 node;

  while (self->keys[slot] != EMPTY_KEY)
    {
      if (self->keys[slot] == key)
        return self->values[slot];
      slot = (slot + 1) & self->mask;
    }

  if (self->n_nodes == self->capacity)
    grow_nodes (self);
  node = self->n_nodes++;
  self->parent[node] = parent;
  self->frame[node] = frame;
  self->first_child[node] = SP_NO_NODE;
  if (parent != SP_NO_NODE)
    {
      self->next_sibling[node] = self->first_child[parent];
      self->first_child[parent] = node;
    }
  else
    self->next_sibling[node] = SP_NO_NODE;

  self->keys[slot] = key;
  self->values[slot] = node;
  if (++self->used * 2 > self->mask)
    grow_table (self);
  return node;
}

void
sp_profile_builder_add_weight (SpProfileBuilder *self,
                               guint32           node,
                               SpMetric          metric,
                               double            weight)
{
  g_return_if_fail (node < self->n_nodes);
  g_return_if_fail (metric < SP_N_METRICS);

  if (G_UNLIKELY (self->weights[metric] == NULL))
    sp_profile_builder_enable_metric (self, metric);
  self->weights[metric][node] += weight;
}

guint32
sp_profile_builder_add_stack (SpProfileBuilder *self,
                              const guint32    *frames,
                              guint             n_frames,
                              gboolean          leaf_first,
                              const double     *weights)
{
  guint32 node = SP_NO_NODE;

  if (n_frames == 0)
    return SP_NO_NODE;
  for (guint i = 0; i < n_frames; i++)
    {
      guint32 f = frames[leaf_first ? n_frames - 1 - i : i];
      g_return_val_if_fail (f < self->frames->len, SP_NO_NODE);
      node = sp_profile_builder_get_child (self, node, f);
    }
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (weights != NULL && weights[m] != 0)
      sp_profile_builder_add_weight (self, node, m, weights[m]);
  return node;
}

void
sp_profile_builder_add_function_stats (SpProfileBuilder      *self,
                                       const SpFunctionStats *stats)
{
  SpFunctionStats copy = *stats;

  g_return_if_fail (stats->frame < self->frames->len);

  copy.runs = stats->n_runs > 0 ? g_memdup2 (stats->runs, sizeof (SpRunStats) * stats->n_runs)
                                : NULL;
  g_array_append_val (self->stats, copy);
}

/* Creation order → depth-first preorder, children in the order they were first seen. */
static guint32 *
preorder_permutation (SpProfileBuilder *self)
{
  guint n = self->n_nodes;
  g_autofree guint32 *stack = g_new (guint32, MAX (n, 1));
  guint32 *order = g_new (guint32, MAX (n, 1));
  guint top = 0, next = 0;

  /* roots: push newest first so the oldest is visited first */
  for (guint i = n; i-- > 0;)
    if (self->parent[i] == SP_NO_NODE)
      stack[top++] = i;

  while (top > 0)
    {
      guint32 node = stack[--top];

      order[next++] = node;
      /* the child list is newest first: pushing in list order pops the oldest first */
      for (guint32 c = self->first_child[node]; c != SP_NO_NODE; c = self->next_sibling[c])
        stack[top++] = c;
    }
  g_assert (next == n);
  return order;
}

SpProfile *
sp_profile_builder_end (SpProfileBuilder *self)
{
  guint n = self->n_nodes;
  g_autofree guint32 *order = NULL;
  g_autofree guint32 *new_index = NULL;
  guint32 *parents, *node_frames;
  double *weights[SP_N_METRICS] = { NULL };
  SpFunctionStats *stats;
  guint n_stats;
  SpProfile *profile;

  /* the hash is no longer needed: free it before allocating the output */
  g_clear_pointer (&self->keys, g_free);
  g_clear_pointer (&self->values, g_free);

  order = preorder_permutation (self);
  new_index = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    new_index[order[i]] = i;

  parents = g_new (guint32, MAX (n, 1));
  node_frames = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      guint32 old = order[i];
      parents[i] = self->parent[old] == SP_NO_NODE ? SP_NO_NODE : new_index[self->parent[old]];
      node_frames[i] = self->frame[old];
    }
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (self->weights[m] != NULL)
      {
        weights[m] = g_new (double, MAX (n, 1));
        for (guint i = 0; i < n; i++)
          weights[m][i] = self->weights[m][order[i]];
      }

  n_stats = self->stats->len;
  stats = (SpFunctionStats *) g_array_free (g_steal_pointer (&self->stats), FALSE);
  profile = _sp_profile_new_trusted (&self->meta, g_steal_pointer (&self->frames),
                                     parents, node_frames, n, weights, stats, n_stats);
  sp_profile_builder_free (self);
  return profile;
}
