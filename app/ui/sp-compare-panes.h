/* sp-compare-panes.h: the baseline's and the new profile's flame graphs side by side, zoomed and
 * searched together */
#pragma once

#include <gtk/gtk.h>

#include "sp-flame-graph.h"

G_BEGIN_DECLS

#define SP_TYPE_COMPARE_PANES (sp_compare_panes_get_type ())
G_DECLARE_FINAL_TYPE (SpComparePanes, sp_compare_panes, SP, COMPARE_PANES, GtkWidget)

GtkWidget    *sp_compare_panes_new               (void);
void          sp_compare_panes_set_profiles      (SpComparePanes *self,
                                                  SpProfile      *baseline,
                                                  const char     *baseline_title,
                                                  SpProfile      *current,
                                                  const char     *current_title);
void          sp_compare_panes_set_titles        (SpComparePanes *self,
                                                  const char     *baseline_title,
                                                  const char     *current_title);
SpFlameGraph *sp_compare_panes_get_baseline_graph (SpComparePanes *self);
SpFlameGraph *sp_compare_panes_get_current_graph  (SpComparePanes *self);
/* Searches both graphs (a plain substring, ignoring case); NULL or empty clears. */
void          sp_compare_panes_set_search        (SpComparePanes *self,
                                                  const char     *pattern);
gboolean      sp_compare_panes_focus_search      (SpComparePanes *self);

G_END_DECLS
