/* sp-profile-match.c: the same function, or the same call path, in another profile */
#define G_LOG_DOMAIN "sp-profile"

#include "config.h"

#include "sp-profile-match.h"

guint32
sp_profile_match_frame (SpProfile *profile,
                        guint32    frame,
                        SpProfile *other)
{
  const SpFrame *wanted;
  guint32 found;

  g_return_val_if_fail (SP_IS_PROFILE (profile) && SP_IS_PROFILE (other), SP_NO_FRAME);

  if (frame == SP_NO_FRAME || frame >= sp_profile_get_n_frames (profile))
    return SP_NO_FRAME;
  wanted = sp_profile_get_frame (profile, frame);
  found = sp_profile_lookup_frame (other, wanted->name);
  if (found != SP_NO_FRAME && sp_profile_get_frame (other, found)->kind == wanted->kind)
    return found;
  /* a thread and a function may share a name: look further */
  for (guint32 i = 0; i < sp_profile_get_n_frames (other); i++)
    {
      const SpFrame *candidate = sp_profile_get_frame (other, i);

      if (candidate->kind == wanted->kind && g_str_equal (candidate->name, wanted->name))
        return i;
    }
  return SP_NO_FRAME;
}

/* The child of parent (SP_NO_NODE: a root) with frame, walking the siblings in preorder. */
static guint32
find_child (SpProfile *profile,
            guint32    parent,
            guint32    frame)
{
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const guint32 *ends = sp_profile_get_node_ends (profile);
  guint32 child = parent == SP_NO_NODE ? 0 : parent + 1;
  guint32 end = parent == SP_NO_NODE ? sp_profile_get_n_nodes (profile) : ends[parent];

  for (; child < end; child = ends[child])
    if (frames[child] == frame)
      return child;
  return SP_NO_NODE;
}

guint32
sp_profile_match_node (SpProfile *profile,
                       guint32    node,
                       SpProfile *other)
{
  const guint32 *parents;
  const guint32 *frames;
  g_autoptr(GArray) path = NULL;
  guint32 found = SP_NO_NODE;

  g_return_val_if_fail (SP_IS_PROFILE (profile) && SP_IS_PROFILE (other), SP_NO_NODE);

  if (node == SP_NO_NODE || node >= sp_profile_get_n_nodes (profile))
    return SP_NO_NODE;
  parents = sp_profile_get_node_parents (profile);
  frames = sp_profile_get_node_frames (profile);
  path = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint32 n = node; n != SP_NO_NODE; n = parents[n])
    g_array_append_val (path, frames[n]);
  for (guint i = path->len; i-- > 0;)
    {
      guint32 frame = sp_profile_match_frame (profile, g_array_index (path, guint32, i), other);

      if (frame == SP_NO_FRAME ||
          (found = find_child (other, found, frame)) == SP_NO_NODE)
        return SP_NO_NODE;
    }
  return found;
}
