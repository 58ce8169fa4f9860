/* sp-profile-view.h: one profile tab: summary, timeline, function table, call tree, flame graph,
 * selected function */
#pragma once

#include <adwaita.h>

#include "sp-profile-io.h"

G_BEGIN_DECLS

#define SP_TYPE_PROFILE_VIEW (sp_profile_view_get_type ())
G_DECLARE_FINAL_TYPE (SpProfileView, sp_profile_view, SP, PROFILE_VIEW, GtkWidget)

GtkWidget    *sp_profile_view_new                   (void);

SpProfile    *sp_profile_view_get_profile           (SpProfileView        *self);
/* What the pages show ("shown-profile"): the profile, or the part of it in the range selected
 * on the timeline.  Pages of the tab follow it. */
SpProfile    *sp_profile_view_get_shown_profile     (SpProfileView        *self);
void          sp_profile_view_set_profile           (SpProfileView        *self,
                                                     SpProfile            *profile);
/* A live recording: until its first samples the tab says title ("Waiting for samples…"); then
 * each newer profile replaces the one shown, keeping the selected function, the sort of the
 * functions, and the flame graph's zoom. */
void          sp_profile_view_set_waiting           (SpProfileView        *self,
                                                     const char           *title);
void          sp_profile_view_update_profile        (SpProfileView        *self,
                                                     SpProfile            *profile);
const char   *sp_profile_view_get_title             (SpProfileView        *self);
void          sp_profile_view_set_title             (SpProfileView        *self,
                                                     const char           *title);
GFile        *sp_profile_view_get_file              (SpProfileView        *self);
GFile        *sp_profile_view_get_source_file       (SpProfileView        *self);
gboolean      sp_profile_view_get_unsaved           (SpProfileView        *self);
void          sp_profile_view_set_unsaved           (SpProfileView        *self,
                                                     gboolean              unsaved);
gboolean      sp_profile_view_get_loading           (SpProfileView        *self);

void          sp_profile_view_load_async            (SpProfileView        *self,
                                                     GFile                *file,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean      sp_profile_view_load_finish           (SpProfileView        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void          sp_profile_view_save_async            (SpProfileView        *self,
                                                     GFile                *file,
                                                     SpFileFormat          format,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean      sp_profile_view_save_finish           (SpProfileView        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

guint32       sp_profile_view_get_selected_function (SpProfileView        *self);
void          sp_profile_view_select_function       (SpProfileView        *self,
                                                     guint32               frame);
void          sp_profile_view_go_back               (SpProfileView        *self);
void          sp_profile_view_go_forward            (SpProfileView        *self);

/* TRUE when the profile has no weight at all (a recording of an idle program): the tab says
 * so instead of showing its views. */
gboolean      sp_profile_view_get_empty             (SpProfileView        *self);
AdwViewStack *sp_profile_view_get_view_stack        (SpProfileView        *self);
GtkWidget    *sp_profile_view_get_function_table    (SpProfileView        *self);
GtkWidget    *sp_profile_view_get_call_tree         (SpProfileView        *self);
GtkWidget    *sp_profile_view_get_flame_view        (SpProfileView        *self);
GtkWidget    *sp_profile_view_get_alloc_view        (SpProfileView        *self);
GtkWidget    *sp_profile_view_get_details           (SpProfileView        *self);
GtkWidget    *sp_profile_view_get_timeline          (SpProfileView        *self);

G_END_DECLS
