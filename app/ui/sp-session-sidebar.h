/* sp-session-sidebar.h: the list of SBCL sessions and the page of the selected one */
#pragma once

#include <gtk/gtk.h>

#include "sp-session-view.h"

G_BEGIN_DECLS

#define SP_TYPE_SESSION_SIDEBAR (sp_session_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (SpSessionSidebar, sp_session_sidebar, SP, SESSION_SIDEBAR, GtkWidget)

GtkWidget     *sp_session_sidebar_new                 (void);
/* Adds a page for session, starts it when it has not started yet, and selects it. */
SpSessionView *sp_session_sidebar_add_session         (SpSessionSidebar *self,
                                                       SpSession        *session);
/* Opens the session the user started last (remembered in GSettings), or on first launch a
 * session on the bundled demo workload, ready to record. */
SpSessionView *sp_session_sidebar_open_initial        (SpSessionSidebar *self);
/* A session loading lisp/examples/demo.lisp, not started. */
SpSession     *sp_session_sidebar_create_demo_session (SpSessionSidebar *self);
void           sp_session_sidebar_show_new_session    (SpSessionSidebar *self);
guint          sp_session_sidebar_get_n_sessions      (SpSessionSidebar *self);
SpSessionView *sp_session_sidebar_get_selected_view   (SpSessionSidebar *self);
void           sp_session_sidebar_restart_selected    (SpSessionSidebar *self);
/* Closes at once; the sessions.close action asks first when a recording would be lost. */
void           sp_session_sidebar_close_selected      (SpSessionSidebar *self);

/* Signals:
 *
 *   profile-recorded (SpProfile *profile, const char *title)
 *       a session finished a recording: the window opens it in a tab.
 */

/* Opens the dialog that attaches to a running program. */
void             sp_session_sidebar_show_attach    (SpSessionSidebar *self);

G_END_DECLS
