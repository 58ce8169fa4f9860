/* sp-flame-graph.h: a zoomable flame graph of a profile, drawn with GtkSnapshot */
#pragma once

#include <gtk/gtk.h>

#include "sp-flame-colors.h"
#include "sp-flame-layout.h"
#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_FLAME_GRAPH (sp_flame_graph_get_type ())
G_DECLARE_FINAL_TYPE (SpFlameGraph, sp_flame_graph, SP, FLAME_GRAPH, GtkWidget)

GtkWidget          *sp_flame_graph_new                 (void);

SpProfile          *sp_flame_graph_get_profile         (SpFlameGraph       *self);
/* A newer version of the profile shown (a live recording): zoom and selection carry over. */
void                sp_flame_graph_update_profile      (SpFlameGraph       *self,
                                                        SpProfile          *profile);
void                sp_flame_graph_set_profile         (SpFlameGraph       *self,
                                                        SpProfile          *profile);
SpMetric            sp_flame_graph_get_metric          (SpFlameGraph       *self);
void                sp_flame_graph_set_metric          (SpFlameGraph       *self,
                                                        SpMetric            metric);
SpFlameOrientation  sp_flame_graph_get_orientation     (SpFlameGraph       *self);
void                sp_flame_graph_set_orientation     (SpFlameGraph       *self,
                                                        SpFlameOrientation  orientation);
SpFlameOrder        sp_flame_graph_get_order           (SpFlameGraph       *self);
void                sp_flame_graph_set_order           (SpFlameGraph       *self,
                                                        SpFlameOrder        order);
double              sp_flame_graph_get_threshold       (SpFlameGraph       *self);
void                sp_flame_graph_set_threshold       (SpFlameGraph       *self,
                                                        double              threshold);
SpFlameColors       sp_flame_graph_get_colors          (SpFlameGraph       *self);
void                sp_flame_graph_set_colors          (SpFlameGraph       *self,
                                                        SpFlameColors       colors);

/* TRUE once the layout for the current settings has been computed. */
gboolean            sp_flame_graph_is_ready            (SpFlameGraph       *self);

/* Zoom: node becomes the full width (SP_NO_NODE: the whole profile). */
guint32             sp_flame_graph_get_zoom_node       (SpFlameGraph       *self);
void                sp_flame_graph_zoom_to_node        (SpFlameGraph       *self,
                                                        guint32             node);
gboolean            sp_flame_graph_zoom_out            (SpFlameGraph       *self);
void                sp_flame_graph_reset_zoom          (SpFlameGraph       *self);
/* Zooms to the stack like is zoomed to (the same frame names from the root, as far as this
 * graph's profile has them), or out when like is not zoomed; nothing while either graph has
 * no profile. */
void                sp_flame_graph_zoom_like           (SpFlameGraph       *self,
                                                        SpFlameGraph       *like);
gboolean            sp_flame_graph_can_go_back         (SpFlameGraph       *self);
gboolean            sp_flame_graph_can_go_forward      (SpFlameGraph       *self);
gboolean            sp_flame_graph_go_back             (SpFlameGraph       *self);
gboolean            sp_flame_graph_go_forward          (SpFlameGraph       *self);
/* The visible part of the layout, as fractions, after wheel and pinch zoom. */
void                sp_flame_graph_get_viewport        (SpFlameGraph       *self,
                                                        double             *x0,
                                                        double             *x1);

/* Selection: selecting a frame picks its widest rectangle.  Does not emit frame-selected. */
guint32             sp_flame_graph_get_selected_node   (SpFlameGraph       *self);
guint32             sp_flame_graph_get_selected_frame  (SpFlameGraph       *self);
void                sp_flame_graph_select_frame        (SpFlameGraph       *self,
                                                        guint32             frame);

/* Search: a NULL or empty pattern clears it. */
gboolean            sp_flame_graph_set_search          (SpFlameGraph       *self,
                                                        const char         *pattern,
                                                        SpFlameSearchFlags  flags,
                                                        GError            **error);
gboolean            sp_flame_graph_is_match            (SpFlameGraph       *self,
                                                        guint32             frame);
double              sp_flame_graph_get_matched_fraction (SpFlameGraph      *self);
/* Selects the next (direction > 0) or previous match; FALSE when there is none. */
gboolean            sp_flame_graph_select_match        (SpFlameGraph       *self,
                                                        int                 direction);

/* Geometry, for tests and for keyboard focus: in widget coordinates. */
gboolean            sp_flame_graph_get_node_at         (SpFlameGraph       *self,
                                                        double              x,
                                                        double              y,
                                                        guint32            *node);
gboolean            sp_flame_graph_get_node_area       (SpFlameGraph       *self,
                                                        guint32             node,
                                                        graphene_rect_t    *area);

G_END_DECLS
