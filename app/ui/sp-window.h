/* sp-window.h: the main window: sessions sidebar, profile tabs, files */
#pragma once

#include <adwaita.h>

#include "sp-profile-view.h"

G_BEGIN_DECLS

#define SP_TYPE_WINDOW (sp_window_get_type ())
G_DECLARE_FINAL_TYPE (SpWindow, sp_window, SP, WINDOW, AdwApplicationWindow)

typedef struct _SpWindowLink SpWindowLink;

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
/* Offers to open the recordings that a run which crashed or was killed left unsaved. */
void           sp_window_offer_restore        (SpWindow       *self);

/* Where a comparison opens. */
typedef enum
{
  SP_COMPARE_IN_TAB,           /* a tab of this window */
  SP_COMPARE_IN_NEW_WINDOW,    /* a window of its own */
  SP_COMPARE_IN_TWO_WINDOWS,   /* each profile in a window, side by side, linked */
} SpCompareTarget;

/* Compares current with baseline, or fails with SP_PROFILE_ERROR_MISMATCH and the reason when
 * the two measure different things (nothing is opened then). */
gboolean       sp_window_compare              (SpWindow            *self,
                                               SpProfile           *baseline,
                                               const char          *baseline_title,
                                               SpProfile           *current,
                                               const char          *current_title,
                                               SpCompareTarget      target,
                                               GError             **error);
void           sp_window_compare_files_async  (SpWindow            *self,
                                               GFile               *baseline,
                                               GFile               *current,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       sp_window_compare_files_finish (SpWindow            *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* The window shown beside this one with the other profile of a comparison, while linked. */
SpWindowLink  *sp_window_get_link             (SpWindow            *self);

G_END_DECLS
