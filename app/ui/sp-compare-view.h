/* sp-compare-view.h: a comparison tab: a baseline and a new profile, function by function and
 * as a differential flame graph */
#pragma once

#include <adwaita.h>

#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_COMPARE_VIEW (sp_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (SpCompareView, sp_compare_view, SP, COMPARE_VIEW, GtkWidget)

/* Starts comparing in a worker thread; "loading" is TRUE until the comparison is shown. */
GtkWidget    *sp_compare_view_new            (SpProfile     *baseline,
                                              const char    *baseline_title,
                                              SpProfile     *current,
                                              const char    *current_title);

/* What differs between the recordings without spoiling the comparison (intervals, SBCL
 * versions), as shown above it; NULL when nothing does. */
const char   *sp_compare_view_get_warning    (SpCompareView *self);
/* "BASELINE → NEW" */
const char   *sp_compare_view_get_title      (SpCompareView *self);
/* Renames the two profiles; notifies "title". */
void          sp_compare_view_set_titles     (SpCompareView *self,
                                              const char    *baseline_title,
                                              const char    *current_title);
gboolean      sp_compare_view_get_loading    (SpCompareView *self);
/* Both profiles in one: the new one's weights as samples, the baseline's as baseline. NULL
 * while loading. */
SpProfile    *sp_compare_view_get_merged     (SpCompareView *self);
AdwViewStack *sp_compare_view_get_view_stack (SpCompareView *self);
/* The function table's rows (SpDiffItem) as shown: filtered and sorted. */
GListModel   *sp_compare_view_get_rows       (SpCompareView *self);
GtkColumnView *sp_compare_view_get_column_view (SpCompareView *self);
GtkWidget    *sp_compare_view_get_flame_view (SpCompareView *self);
/* profile (the baseline or the new one) is now called title, as its tab was renamed */
void          sp_compare_view_rename_profile (SpCompareView *self,
                                              SpProfile     *profile,
                                              const char    *title);
/* The baseline's and the new profile's flame graphs side by side. */
GtkWidget    *sp_compare_view_get_panes      (SpCompareView *self);
void          sp_compare_view_set_name_filter (SpCompareView *self,
                                               const char    *text);
/* The window's Ctrl+F: the functions' filter, or the search of the flame graph page shown.
 * FALSE while loading. */
gboolean      sp_compare_view_focus_search    (SpCompareView *self);

G_END_DECLS
