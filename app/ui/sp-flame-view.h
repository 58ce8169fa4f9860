/* sp-flame-view.h: the flame graph with its toolbar and search bar, for a profile tab */
#pragma once

#include <gtk/gtk.h>

#include "sp-flame-graph.h"
#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_FLAME_VIEW (sp_flame_view_get_type ())
G_DECLARE_FINAL_TYPE (SpFlameView, sp_flame_view, SP, FLAME_VIEW, GtkWidget)

GtkWidget    *sp_flame_view_new         (void);
SpProfile    *sp_flame_view_get_profile (SpFlameView *self);
void          sp_flame_view_set_profile (SpFlameView *self,
                                         SpProfile   *profile);
/* A newer version of the profile shown (a live recording): the view's state carries over. */
void          sp_flame_view_update_profile (SpFlameView *self,
                                            SpProfile   *profile);
/* The graph, to connect to frame-selected and to call sp_flame_graph_select_frame(). */
SpFlameGraph *sp_flame_view_get_graph   (SpFlameView *self);
/* The profile's name, for exports: the title of an SVG, the file name offered. */
void          sp_flame_view_set_title   (SpFlameView *self,
                                         const char  *title);

/* Colours, direction and threshold as Preferences says (what a new view starts with). */
void          sp_flame_view_apply_preferences (SpFlameView *self);

/* The search in effect (NULL when none); notified as "search". */
const char   *sp_flame_view_get_search  (SpFlameView *self);
void          sp_flame_view_set_search  (SpFlameView *self,
                                         const char  *text);

G_END_DECLS
