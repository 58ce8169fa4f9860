/* sp-new-session-dialog.h: asks how to start SBCL: program, folder, files, systems, arguments */
#pragma once

#include <adwaita.h>

#include "sp-session.h"

G_BEGIN_DECLS

#define SP_TYPE_NEW_SESSION_DIALOG (sp_new_session_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SpNewSessionDialog, sp_new_session_dialog, SP, NEW_SESSION_DIALOG, AdwWindow)

SpNewSessionDialog *sp_new_session_dialog_new            (GtkWindow          *parent);
/* Fills the fields from a configuration (a{sv}: see sp_new_session_dialog_config_from_session). */
void                sp_new_session_dialog_set_config     (SpNewSessionDialog *self,
                                                          GVariant           *config);
/* A session configured from the fields, not started; NULL with a readable error when a field
 * is wrong (a missing program, folder or file, bad quoting in the arguments). */
SpSession          *sp_new_session_dialog_create_session (SpNewSessionDialog *self,
                                                          GError            **error);

/* A session's configuration as stored in the "recent-sessions" setting: a{sv} with
 * "sbcl-path" s, "directory" s, "load" as, "systems" as, "arguments" as, "init-files" b. */
GVariant           *sp_new_session_dialog_config_from_session (SpSession *session);
SpSession          *sp_new_session_dialog_config_to_session   (GVariant  *config);

/* Signals:
 *
 *   session-created (SpSession *session)
 *       the user pressed Start with valid fields; the dialog closes itself.
 */

G_END_DECLS
