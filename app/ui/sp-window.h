/* sp-window.h: the main window: sessions sidebar, profile tabs, files */
#pragma once

#include <adwaita.h>

#include "sp-profile-view.h"

G_BEGIN_DECLS

#define SP_TYPE_WINDOW (sp_window_get_type ())
G_DECLARE_FINAL_TYPE (SpWindow, sp_window, SP, WINDOW, AdwApplicationWindow)

SpWindow      *sp_window_new                  (GtkApplication *application);

/* Opens file in a new tab (or shows the tab that already has it); a file that cannot be read
 * shows a toast naming it and the reason. */
void           sp_window_open_file            (SpWindow       *self,
                                               GFile          *file);
/* Adds a tab for a profile that exists in memory only, such as a new recording: it stays
 * marked unsaved until saved. */
SpProfileView *sp_window_add_profile          (SpWindow       *self,
                                               SpProfile      *profile,
                                               const char     *title);

AdwTabView    *sp_window_get_tab_view         (SpWindow       *self);
/* The current tab's profile view; NULL when there is no tab or the current one is a comparison. */
SpProfileView *sp_window_get_current_view     (SpWindow       *self);
guint          sp_window_count_unsaved        (SpWindow       *self);
void           sp_window_show_error           (SpWindow       *self,
                                               const char     *title,
                                               const char     *detail);

/* The place of the session UI: a GtkStack in the sidebar; the sidebar and its toggle button
 * appear once the stack has a visible child. */
GtkStack      *sp_window_get_sessions_sidebar (SpWindow       *self);
/* The buttons under the empty state; a “New Session” button belongs here. */
GtkBox        *sp_window_get_empty_actions    (SpWindow       *self);
/* Opens the session started last, or on first launch one on the demo workload (the first
 * window of a launch does this). */
void           sp_window_open_initial_session (SpWindow       *self);

G_END_DECLS
