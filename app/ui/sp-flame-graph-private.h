/* sp-flame-graph-private.h: shared between the flame graph's drawing and its input handling */
#pragma once

#include "sp-flame-graph.h"

G_BEGIN_DECLS

#define SP_FLAME_ROW_HEIGHT 20

typedef enum
{
  SP_ZOOM_JUMP,   /* no animation */
  SP_ZOOM_IN,     /* the old layout grows toward the new root first */
  SP_ZOOM_OUT,    /* the new layout shrinks from where the old root sits */
  SP_ZOOM_DETAIL, /* same zoom, more or less detail for the viewport: keep the viewport */
} SpZoomMotion;

struct _SpFlameGraph
{
  GtkWidget           parent_instance;

  /* Owned */
  SpProfile          *profile;
  SpFlameLayout      *layout;
  SpFlameSearch      *search;
  GCancellable       *layout_cancellable;
  GskRenderNode      *bars;          /* cached until the layout, viewport, size or style changes */
  GdkRGBA            *frame_colors;  /* one per frame of the profile, for the current scheme */
  SpFlameDiff         diff;          /* the profile's baseline and totals, for the diff scheme */
  GArray             *back;          /* of guint32 zoom nodes */
  GArray             *forward;
  char               *pattern;

  SpMetric            metric;
  SpFlameOrientation  orientation;
  SpFlameOrder        order;
  SpFlameColors       colors;
  SpFlameSearchFlags  search_flags;
  double              threshold;
  gboolean            dark;
  gboolean            differential;  /* the diff scheme on a profile with a baseline */

  guint32             zoom_node;     /* what the layout (or the one being computed) is rooted at */
  guint32             old_zoom_node;
  SpZoomMotion        motion;
  guint32             selected_node; /* SP_NO_NODE: nothing selected */
  guint32             pending_frame; /* selected before the layout was ready */
  guint32             swap_frame;    /* selected once a newer profile's layout is ready */
  int                 hover;         /* rect index, -1 for none */
  double              matched;

  /* viewport over the layout, as fractions */
  double              view_x0;
  double              view_x1;

  /* zoom animation */
  guint               tick_id;
  gint64              anim_start;
  double              anim_from[2];
  double              anim_to[2];
  gboolean            layout_waiting; /* a zoom-in layout arrived before its animation ended */
  SpFlameLayout      *next_layout;

  /* vertical scrolling: the graph is a GtkScrollable; a flame graph keeps its distance from
   * the bottom, where its root is, when its height changes */
  GtkAdjustment      *hadjustment;
  GtkAdjustment      *vadjustment;
  guint               hscroll_policy : 1;
  guint               vscroll_policy : 1;
  double              from_bottom;

  /* pointer gestures */
  double              pointer_x;
  double              drag_x0;
  gboolean            dragged;
  double              pinch_view[2];
};

static inline guint32
_sp_flame_graph_rect_node (SpFlameGraph *self,
                           int           index)
{
  return sp_flame_layout_get_rect (self->layout, index)->node;
}

static inline guint32
_sp_flame_graph_node_frame (SpFlameGraph *self,
                            guint32       node)
{
  return sp_profile_get_node_frames (self->profile)[node];
}

/* sp-flame-graph.c */
void     _sp_flame_graph_invalidate     (SpFlameGraph *self);
void     _sp_flame_graph_request_layout (SpFlameGraph *self,
                                         guint32       zoom_node,
                                         SpZoomMotion  motion);
/* Lays out profile, a newer version of the one shown, zoomed on zoom_node (its node) with frame
 * selected; the graph keeps showing the old one until the new layout is ready. */
void     _sp_flame_graph_request_swap   (SpFlameGraph *self,
                                         SpProfile    *profile,
                                         guint32       zoom_node,
                                         guint32       frame);
double   _sp_flame_graph_content_height (SpFlameGraph *self);
double   _sp_flame_graph_scroll_offset  (SpFlameGraph *self);
void     _sp_flame_graph_set_viewport   (SpFlameGraph *self,
                                         double        x0,
                                         double        x1);
void     _sp_flame_graph_animate_to     (SpFlameGraph *self,
                                         double        x0,
                                         double        x1);
int      _sp_flame_graph_rect_at        (SpFlameGraph *self,
                                         double        x,
                                         double        y);
void     _sp_flame_graph_select_rect    (SpFlameGraph *self,
                                         int           index,
                                         gboolean      notify);
int      _sp_flame_graph_selected_rect  (SpFlameGraph *self);
void     _sp_flame_graph_set_hover      (SpFlameGraph *self,
                                         int           index);
void     _sp_flame_graph_zoom_to_rect   (SpFlameGraph *self,
                                         int           index);
char    *_sp_flame_graph_describe_rect  (SpFlameGraph *self,
                                         int           index);

/* sp-flame-graph-draw.c */
void     _sp_flame_graph_update_colors  (SpFlameGraph      *self);
void     _sp_flame_graph_rect_area      (SpFlameGraph      *self,
                                         const SpFlameRect *rect,
                                         graphene_rect_t   *area);
void     _sp_flame_graph_snapshot       (GtkWidget         *widget,
                                         GtkSnapshot       *snapshot);

/* sp-flame-graph-input.c */
void     _sp_flame_graph_add_controllers (SpFlameGraph      *self);

G_END_DECLS
