/* sp-flame-graph-zoom.c: the flame graph's zoom, its history, and search
 *
 * Zooming asks for a layout rooted at the new frame; going in, the current layout first grows
 * the frame to full width, so the eye can follow.  Search marks frames by name; "Matched" is
 * computed over the whole tree, not only over what is drawn.
 */
#define G_LOG_DOMAIN "sp-flame-graph"

#include "config.h"

#include "sp-diff.h"
#include "sp-flame-graph-private.h"
#include "sp-profile-match.h"

/* ---- A newer profile of the same recording ---- */

/* Shows profile, a newer version of the one shown (a live recording): the zoom and the
 * selected function carry over, by name, when the new profile has them; the old one stays on
 * screen until the new one is laid out. */
void
sp_flame_graph_update_profile (SpFlameGraph *self,
                               SpProfile    *profile)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (self->profile == NULL || self->profile == profile)
    {
      sp_flame_graph_set_profile (self, profile);
      return;
    }
  _sp_flame_graph_request_swap (self, profile,
                                sp_profile_match_node (self->profile, self->zoom_node, profile),
                                sp_profile_match_frame (self->profile,
                                                        sp_flame_graph_get_selected_frame (self),
                                                        profile));
}

/* ---- Zoom and history ---- */

static void
zoom_with_history (SpFlameGraph *self,
                   guint32       node,
                   SpZoomMotion  motion)
{
  if (node == self->zoom_node)
    return;

  g_array_append_val (self->back, self->zoom_node);
  g_array_set_size (self->forward, 0);
  _sp_flame_graph_request_layout (self, node, motion);
}

/* Zooming into a rect grows it to full width in the current layout while the new layout is
 * computed; clicking an ancestor row climbs back. */
void
_sp_flame_graph_zoom_to_rect (SpFlameGraph *self,
                              int           index)
{
  const SpFlameRect *rect = sp_flame_layout_get_rect (self->layout, index);
  guint32 zoom = sp_flame_layout_get_options (self->layout)->zoom_node;
  guint spine_rows = zoom == SP_NO_NODE ? 0 : sp_profile_get_node_depths (self->profile)[zoom] + 2;

  if (rect->row < spine_rows)
    {
      zoom_with_history (self, rect->node, SP_ZOOM_OUT);
      return;
    }

  zoom_with_history (self, rect->node, SP_ZOOM_IN);
  _sp_flame_graph_animate_to (self, rect->x0, rect->x1);
}

guint32
sp_flame_graph_get_zoom_node (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), SP_NO_NODE);

  return self->zoom_node;
}

void
sp_flame_graph_zoom_to_node (SpFlameGraph *self,
                             guint32       node)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));
  g_return_if_fail (node == SP_NO_NODE ||
                    (self->profile != NULL && node < sp_profile_get_n_nodes (self->profile)));

  zoom_with_history (self, node, node == SP_NO_NODE ? SP_ZOOM_OUT : SP_ZOOM_JUMP);
}

gboolean
sp_flame_graph_zoom_out (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  if (self->zoom_node == SP_NO_NODE)
    return FALSE;

  zoom_with_history (self, sp_profile_get_node_parents (self->profile)[self->zoom_node], SP_ZOOM_OUT);
  return TRUE;
}

void
sp_flame_graph_reset_zoom (SpFlameGraph *self)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));

  _sp_flame_graph_animate_to (self, 0, 1);
  zoom_with_history (self, SP_NO_NODE, SP_ZOOM_OUT);
}

void
sp_flame_graph_zoom_like (SpFlameGraph *self,
                          SpFlameGraph *like)
{
  guint32 zoom, target;

  g_return_if_fail (SP_IS_FLAME_GRAPH (self));
  g_return_if_fail (SP_IS_FLAME_GRAPH (like));

  if (self->profile == NULL || like->profile == NULL)
    return;
  zoom = like->zoom_node;
  target = zoom == SP_NO_NODE ? SP_NO_NODE : sp_profile_map_node (like->profile, zoom, self->profile);
  if (target == self->zoom_node)
    return;
  if (target == SP_NO_NODE)
    sp_flame_graph_reset_zoom (self);
  else
    sp_flame_graph_zoom_to_node (self, target);
}

gboolean
sp_flame_graph_can_go_back (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  return self->back->len > 0;
}

gboolean
sp_flame_graph_can_go_forward (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  return self->forward->len > 0;
}

static gboolean
step_history (SpFlameGraph *self,
              GArray       *from,
              GArray       *to)
{
  guint32 node;

  if (from->len == 0)
    return FALSE;

  node = g_array_index (from, guint32, from->len - 1);
  g_array_set_size (from, from->len - 1);
  g_array_append_val (to, self->zoom_node);
  _sp_flame_graph_request_layout (self, node, SP_ZOOM_OUT);
  return TRUE;
}

gboolean
sp_flame_graph_go_back (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  return step_history (self, self->back, self->forward);
}

gboolean
sp_flame_graph_go_forward (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  return step_history (self, self->forward, self->back);
}

gboolean
sp_flame_graph_is_ready (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  return self->layout != NULL && self->layout_cancellable == NULL && self->next_layout == NULL;
}

/* ---- Search ---- */

gboolean
sp_flame_graph_set_search (SpFlameGraph        *self,
                           const char          *pattern,
                           SpFlameSearchFlags   flags,
                           GError             **error)
{
  SpFlameSearch *search = NULL;

  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  if (pattern != NULL && pattern[0] != '\0' && self->profile != NULL)
    {
      search = sp_flame_search_new (self->profile, pattern, flags, error);
      if (search == NULL)
        return FALSE;
    }

  g_clear_pointer (&self->search, sp_flame_search_free);
  g_free (self->pattern);
  self->search = search;
  self->pattern = g_strdup (pattern);
  self->search_flags = flags;
  self->matched = search != NULL ? sp_flame_search_get_matched_fraction (search, self->metric) : 0;

  _sp_flame_graph_invalidate (self);
  g_object_notify (G_OBJECT (self), "matched-fraction");
  return TRUE;
}

gboolean
sp_flame_graph_is_match (SpFlameGraph *self,
                         guint32       frame)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  return self->search != NULL && sp_flame_search_matches_frame (self->search, frame);
}

double
sp_flame_graph_get_matched_fraction (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), 0);

  return self->matched;
}

gboolean
sp_flame_graph_select_match (SpFlameGraph *self,
                             int           direction)
{
  int n_rects, start, step = direction < 0 ? -1 : 1;

  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  if (self->search == NULL || self->layout == NULL)
    return FALSE;

  n_rects = sp_flame_layout_get_n_rects (self->layout);
  start = _sp_flame_graph_selected_rect (self);
  if (start < 0)
    start = step > 0 ? -1 : n_rects;

  /* visit every rect once, wrapping around */
  for (int k = 1; k <= n_rects; k++)
    {
      int i = ((start + step * k) % n_rects + n_rects) % n_rects;
      guint32 node = _sp_flame_graph_rect_node (self, i);

      if (node != SP_NO_NODE && sp_flame_search_matches_frame (self->search, _sp_flame_graph_node_frame (self, node)))
        {
          _sp_flame_graph_select_rect (self, i, TRUE);
          return TRUE;
        }
    }

  return FALSE;
}

