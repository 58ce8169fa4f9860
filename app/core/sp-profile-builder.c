/* sp-profile-builder.c: interns frames and merges stacks into a new profile
 *
 * Millions of samples collapse into one node per distinct call path; the tree itself is an
 * SpStackTree, shared with the folded import.
 */
#define G_LOG_DOMAIN "sp-profile-builder"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sp-profile.h"
#include "sp-stack-tree.h"

struct _SpProfileBuilder
{
  SpProfileMeta  meta;
  GPtrArray     *frames;        /* of SpFrame* */
  GHashTable    *frame_ids;     /* interning key → frame id + 1 */

  SpStackTree   *tree;
  GArray        *stats;         /* of SpFunctionStats */
  SpProfileSections sections;
  GHashTable    *type_ids;      /* type name → type id + 1 */
};

SpProfileBuilder *
sp_profile_builder_new (void)
{
  SpProfileBuilder *self = g_new0 (SpProfileBuilder, 1);

  sp_profile_meta_init (&self->meta);
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->frame_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->tree = sp_stack_tree_new ();
  self->stats = g_array_new (FALSE, FALSE, sizeof (SpFunctionStats));
  sp_profile_sections_init (&self->sections);
  self->type_ids = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

void
sp_profile_builder_free (SpProfileBuilder *self)
{
  if (self == NULL)
    return;
  sp_profile_meta_clear (&self->meta);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->frame_ids, g_hash_table_unref);
  g_clear_pointer (&self->tree, sp_stack_tree_free);
  if (self->stats != NULL)
    {
      for (guint i = 0; i < self->stats->len; i++)
        g_free (g_array_index (self->stats, SpFunctionStats, i).runs);
      g_array_unref (self->stats);
    }
  sp_profile_sections_clear (&self->sections);
  g_clear_pointer (&self->type_ids, g_hash_table_unref);
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
  return sp_stack_tree_get_n_nodes (self->tree);
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

/* Frames are told apart by name and variant; threads have a name space of their own. */
static char *
frame_key (const char  *name,
           SpFrameKind  kind,
           const char  *variant)
{
  if (kind == SP_FRAME_KIND_THREAD)
    return g_strconcat ("\001", name, NULL);
  if (variant != NULL)
    return g_strconcat (name, "\002", variant, NULL);
  return g_strdup (name);
}

guint32
sp_profile_builder_intern_frame_variant (SpProfileBuilder *self,
                                         const char       *name,
                                         const char       *variant)
{
  g_autofree char *key = NULL;
  g_autofree char *package = NULL;
  gpointer found;
  SpFrameKind kind;

  if (variant == NULL)
    return sp_profile_builder_intern_frame (self, name, -1);
  key = frame_key (name, SP_FRAME_KIND_FUNCTION, variant);
  found = g_hash_table_lookup (self->frame_ids, key);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  kind = sp_frame_kind_from_name (name, &package);
  return add_frame (self, g_steal_pointer (&key),
                    sp_frame_new_full (name, package, kind, NULL, 0, variant));
}

guint32
sp_profile_builder_intern_frame_like (SpProfileBuilder *self,
                                      const SpFrame    *frame)
{
  guint32 id = frame->variant != NULL && frame->kind != SP_FRAME_KIND_THREAD
               ? sp_profile_builder_intern_frame_variant (self, frame->name, frame->variant)
               : sp_profile_builder_intern_frame_full (self, frame->name, frame->kind);

  if (frame->file != NULL)
    sp_profile_builder_set_frame_location (self, id, frame->file, frame->line);
  return id;
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
      char *key = frame_key (f->name, f->kind, f->variant);

      g_ptr_array_add (self->frames, sp_frame_copy (f));
      if (g_hash_table_contains (self->frame_ids, key))
        g_free (key);
      else
        g_hash_table_insert (self->frame_ids, key, GUINT_TO_POINTER (i + 1));
    }
}

void
sp_profile_builder_set_frame_package (SpProfileBuilder *self,
                                      guint32           frame,
                                      const char       *package)
{
  SpFrame *old;

  g_return_if_fail (frame < self->frames->len);

  old = g_ptr_array_index (self->frames, frame);
  g_ptr_array_index (self->frames, frame) = sp_frame_new_full (old->name, package, old->kind,
                                                               old->file, old->line, old->variant);
  g_free (old);
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
  g_ptr_array_index (self->frames, frame) = sp_frame_new_full (old->name, old->package, old->kind,
                                                               file, line, old->variant);
  g_free (old);
}

void
sp_profile_builder_enable_metric (SpProfileBuilder *self,
                                  SpMetric          metric)
{
  g_return_if_fail (metric < SP_N_METRICS);
  sp_stack_tree_enable_metric (self->tree, metric);
}

guint32
sp_profile_builder_get_child (SpProfileBuilder *self,
                              guint32           parent,
                              guint32           frame)
{
  g_return_val_if_fail (parent == SP_NO_NODE || parent < sp_stack_tree_get_n_nodes (self->tree),
                        SP_NO_NODE);
  g_return_val_if_fail (frame < self->frames->len, SP_NO_NODE);
  return sp_stack_tree_get_child (self->tree, parent, frame);
}

void
sp_profile_builder_add_weight (SpProfileBuilder *self,
                               guint32           node,
                               SpMetric          metric,
                               double            weight)
{
  g_return_if_fail (node < sp_stack_tree_get_n_nodes (self->tree));
  g_return_if_fail (metric < SP_N_METRICS);
  g_return_if_fail (weight >= 0 && isfinite (weight));
  sp_stack_tree_add_weight (self->tree, node, metric, weight);
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
      node = sp_stack_tree_get_child (self->tree, node, f);
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

SpProfileSections *
sp_profile_builder_get_sections (SpProfileBuilder *self)
{
  return &self->sections;
}

guint32
sp_profile_builder_intern_type (SpProfileBuilder *self,
                                const char       *type_name)
{
  gpointer found = g_hash_table_lookup (self->type_ids, type_name);
  char *copy;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  if (self->sections.types == NULL)
    self->sections.types = g_ptr_array_new_with_free_func (g_free);
  copy = g_strdup (type_name);
  g_ptr_array_add (self->sections.types, copy);
  g_hash_table_insert (self->type_ids, copy, GUINT_TO_POINTER (self->sections.types->len));
  return self->sections.types->len - 1;
}

void
sp_profile_builder_add_timeline_sample (SpProfileBuilder *self,
                                        double            time,
                                        guint32           node,
                                        double            weight)
{
  SpTimelineSample sample = { time, node, weight };

  g_return_if_fail (node < sp_stack_tree_get_n_nodes (self->tree));
  g_return_if_fail (isfinite (time) && weight >= 0 && isfinite (weight));
  if (self->sections.timeline == NULL)
    self->sections.timeline = g_array_new (FALSE, FALSE, sizeof (SpTimelineSample));
  g_array_append_val (self->sections.timeline, sample);
}

void
sp_profile_builder_copy_sections_from (SpProfileBuilder *self,
                                       SpProfile        *profile)
{
  g_return_if_fail (self->sections.types == NULL);
  sp_profile_sections_clear (&self->sections);
  sp_profile_sections_copy (&self->sections, sp_profile_get_sections (profile));
  g_clear_pointer (&self->sections.timeline, g_array_unref);
  for (guint i = 0; self->sections.types != NULL && i < self->sections.types->len; i++)
    g_hash_table_insert (self->type_ids, g_ptr_array_index (self->sections.types, i),
                         GUINT_TO_POINTER (i + 1));
}

void
sp_profile_builder_copy_timeline_from (SpProfileBuilder *self,
                                       SpProfile        *profile,
                                       const guint32    *node_map,
                                       double            from,
                                       double            to)
{
  guint n;
  const SpTimelineSample *timeline = sp_profile_get_timeline (profile, &n);

  if (timeline == NULL)
    return;
  if (self->sections.timeline == NULL)
    self->sections.timeline = g_array_sized_new (FALSE, FALSE, sizeof (SpTimelineSample), n);
  for (guint i = 0; i < n; i++)
    if (node_map[timeline[i].node] != SP_NO_NODE && timeline[i].time >= from && timeline[i].time <= to)
      sp_profile_builder_add_timeline_sample (self, timeline[i].time, node_map[timeline[i].node],
                                              timeline[i].weight);
}

SpProfile *
sp_profile_builder_finish (SpProfileBuilder  *self,
                           GError           **error)
{
  guint n_stats = self->stats->len;
  SpFunctionStats *stats = (SpFunctionStats *) g_array_free (g_steal_pointer (&self->stats), FALSE);
  SpProfile *profile;

  profile = sp_stack_tree_end (g_steal_pointer (&self->tree), &self->meta,
                               g_steal_pointer (&self->frames), stats, n_stats, &self->sections,
                               error);
  sp_profile_builder_free (self);
  return profile;
}

SpProfile *
sp_profile_builder_end (SpProfileBuilder *self)
{
  g_autoptr(GError) error = NULL;
  SpProfile *profile;

  /* valid by construction: frames are checked as stacks are added, and what is derived from a
   * valid profile cannot add up to more than it did */
  profile = sp_profile_builder_finish (self, &error);
  g_assert_no_error (error);
  return profile;
}
