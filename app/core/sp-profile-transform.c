/* sp-profile-transform.c: collapse recursion, focus on and hide a function, merge the
 * functions whose names print alike
 *
 * All three walk the tree once in preorder and decide, for every node, which node of the new
 * tree receives it: a child of the node its parent went to, that node itself (a merge), or
 * none (the weight leaves the tree, the children still get their own chance).
 */
#define G_LOG_DOMAIN "sp-profile-transform"

#include "config.h"

#include <math.h>

#include "sp-profile-transform.h"

typedef enum
{
  SP_TRANSFORM_COLLAPSE_DIRECT,
  SP_TRANSFORM_COLLAPSE_INDIRECT,
  SP_TRANSFORM_FOCUS,
  SP_TRANSFORM_HIDE,
  SP_TRANSFORM_MERGE_VARIANTS,
} SpTransform;

typedef struct
{
  SpProfileBuilder *builder;
  SpTransform       transform;
  guint32           frame;       /* the function focused on or hidden */
  GArray           *new_frames;  /* frame of each new node */
  GArray           *new_parents; /* parent of each new node */
  guint32          *by_name;     /* merging variants: the frame of each frame's name */
} SpRebuild;

/* A child node in the new tree, remembering its frame and parent for the recursion checks. */
static guint32
new_child (SpRebuild *rebuild,
           guint32    parent,
           guint32    frame)
{
  guint32 node = sp_profile_builder_get_child (rebuild->builder, parent, frame);

  if (node >= rebuild->new_frames->len)
    {
      g_array_set_size (rebuild->new_frames, node + 1);
      g_array_set_size (rebuild->new_parents, node + 1);
      g_array_index (rebuild->new_frames, guint32, node) = frame;
      g_array_index (rebuild->new_parents, guint32, node) = parent;
    }

  return node;
}

static gboolean
frame_on_new_stack (SpRebuild *rebuild,
                    guint32    node,
                    guint32    frame)
{
  for (; node != SP_NO_NODE; node = g_array_index (rebuild->new_parents, guint32, node))
    {
      if (g_array_index (rebuild->new_frames, guint32, node) == frame)
        return TRUE;
    }

  return FALSE;
}

/* Where a node goes, given where its parent went (SP_NO_NODE: nowhere, or it is a root). */
static guint32
map_node (SpRebuild *rebuild,
          guint32    frame,
          guint32    new_parent)
{
  switch (rebuild->transform)
    {
    case SP_TRANSFORM_COLLAPSE_DIRECT:
      if (new_parent != SP_NO_NODE && g_array_index (rebuild->new_frames, guint32, new_parent) == frame)
        return new_parent;
      return new_child (rebuild, new_parent, frame);

    case SP_TRANSFORM_COLLAPSE_INDIRECT:
      if (frame_on_new_stack (rebuild, new_parent, frame))
        return new_parent;
      return new_child (rebuild, new_parent, frame);

    case SP_TRANSFORM_FOCUS:
      if (new_parent != SP_NO_NODE || frame == rebuild->frame)
        return new_child (rebuild, new_parent, frame);
      return SP_NO_NODE;

    case SP_TRANSFORM_MERGE_VARIANTS:
      return new_child (rebuild, new_parent, rebuild->by_name[frame]);

    case SP_TRANSFORM_HIDE:
    default:
      if (frame == rebuild->frame)
        return new_parent;
      return new_child (rebuild, new_parent, frame);
    }
}

/* Interns every frame in order, so that frame ids stay the same in the new profile. */
static void
copy_frames (SpProfileBuilder *builder,
             SpProfile        *profile)
{
  guint n_frames = sp_profile_get_n_frames (profile);

  for (guint i = 0; i < n_frames; i++)
    sp_profile_builder_intern_frame_like (builder, sp_profile_get_frame (profile, i));
}

static void
copy_metadata (SpProfileBuilder *builder,
               SpProfile        *profile)
{
  SpProfileMeta *meta = sp_profile_builder_get_meta (builder);
  guint n_stats = sp_profile_get_n_function_stats (profile);

  sp_profile_meta_clear (meta);
  sp_profile_meta_copy (meta, sp_profile_get_meta (profile));

  for (guint i = 0; i < n_stats; i++)
    sp_profile_builder_add_function_stats (builder, sp_profile_get_function_stats (profile, i));

  for (SpMetric m = 0; m < SP_N_METRICS; m++)
    {
      if (sp_profile_has_metric (profile, m))
        sp_profile_builder_enable_metric (builder, m);
    }
}

static void
add_self_weights (SpProfileBuilder *builder,
                  SpProfile        *profile,
                  guint32           node,
                  guint32           new_node)
{
  for (SpMetric m = 0; m < SP_N_METRICS; m++)
    {
      const double *self_weights;

      if (!sp_profile_has_metric (profile, m))
        continue;
      self_weights = sp_profile_get_self_weights (profile, m);
      if (self_weights[node] != 0)
        sp_profile_builder_add_weight (builder, new_node, m, self_weights[node]);
    }
}

static SpProfile *
rebuild_profile (SpProfile   *profile,
                 SpTransform  transform,
                 guint32      frame)
{
  guint n_nodes = sp_profile_get_n_nodes (profile);
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  g_autofree guint32 *map = g_new (guint32, MAX (n_nodes, 1));
  g_autoptr(GArray) new_frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) new_parents = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *by_name = g_new (guint32, MAX (sp_profile_get_n_frames (profile), 1));
  SpRebuild rebuild = { sp_profile_builder_new (), transform, frame, new_frames, new_parents, by_name };

  copy_frames (rebuild.builder, profile);
  copy_metadata (rebuild.builder, profile);
  for (guint32 f = 0; f < sp_profile_get_n_frames (profile); f++)
    {
      const SpFrame *fr = sp_profile_get_frame (profile, f);

      by_name[f] = fr->variant == NULL ? f
                   : sp_profile_builder_intern_frame_full (rebuild.builder, fr->name, fr->kind);
    }

  for (guint32 node = 0; node < n_nodes; node++)
    {
      guint32 parent = parents[node];
      guint32 new_parent = parent == SP_NO_NODE ? SP_NO_NODE : map[parent];

      map[node] = map_node (&rebuild, frames[node], new_parent);
      if (map[node] != SP_NO_NODE)
        add_self_weights (rebuild.builder, profile, node, map[node]);
    }

  sp_profile_builder_copy_sections_from (rebuild.builder, profile);
  sp_profile_builder_copy_timeline_from (rebuild.builder, profile, map, -INFINITY, INFINITY);
  return sp_profile_builder_end (rebuild.builder);
}

SpProfile *
sp_profile_collapse_recursion (SpProfile *profile,
                               gboolean   indirect)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  return rebuild_profile (profile,
                          indirect ? SP_TRANSFORM_COLLAPSE_INDIRECT : SP_TRANSFORM_COLLAPSE_DIRECT,
                          SP_NO_FRAME);
}

SpProfile *
sp_profile_focus_function (SpProfile *profile,
                           guint32    frame)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (frame < sp_profile_get_n_frames (profile), NULL);

  return rebuild_profile (profile, SP_TRANSFORM_FOCUS, frame);
}

SpProfile *
sp_profile_merge_variants (SpProfile *profile)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  return rebuild_profile (profile, SP_TRANSFORM_MERGE_VARIANTS, SP_NO_FRAME);
}

SpProfile *
sp_profile_hide_function (SpProfile *profile,
                          guint32    frame)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (frame < sp_profile_get_n_frames (profile), NULL);

  return rebuild_profile (profile, SP_TRANSFORM_HIDE, frame);
}
