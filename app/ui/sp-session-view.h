/* sp-session-view.h: one SBCL session's page: recording bar, console and evaluation entry */
#pragma once

#include <gtk/gtk.h>

#include "sp-session.h"
#include "sp-session-console.h"

G_BEGIN_DECLS

#define SP_TYPE_SESSION_VIEW (sp_session_view_get_type ())
G_DECLARE_FINAL_TYPE (SpSessionView, sp_session_view, SP, SESSION_VIEW, GtkWidget)

GtkWidget *sp_session_view_new               (SpSession     *session);
SpSession *sp_session_view_get_session       (SpSessionView *self);
/* Replaces the session (on restart); the console keeps its text. */
void       sp_session_view_set_session       (SpSessionView *self,
                                              SpSession     *session);
/* A short name for the session: its first file, system or folder. */
char      *sp_session_view_dup_title         (SpSessionView *self);
gboolean   sp_session_view_get_recording     (SpSessionView *self);
/* Does what the Record button does now (Record, Stop or Cancel); FALSE when it is insensitive,
 * as while the session is not ready. */
gboolean   sp_session_view_toggle_recording  (SpSessionView *self);
/* The workload form run by Record (may be empty: record until Stop). */
void       sp_session_view_set_workload      (SpSessionView *self,
                                              const char    *workload);
SpSessionConsole *sp_session_view_get_console (SpSessionView *self);

/* Signals:
 *
 *   profile-recorded (SpProfile *profile, const char *title)
 *       a recording finished; title names its workload and time.
 */

G_END_DECLS
