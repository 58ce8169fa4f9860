/* sp-attach-dialog.h: choosing a running SBCL image to attach to */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_ATTACH_DIALOG (sp_attach_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SpAttachDialog, sp_attach_dialog, SP, ATTACH_DIALOG, AdwWindow)

SpAttachDialog *sp_attach_dialog_new     (GtkWindow      *parent);
/* Lists the listening images again. */
void            sp_attach_dialog_refresh (SpAttachDialog *self);

/* Signals:
 *   attach (const char *target)   the user chose an image (its socket); the dialog closes
 */

G_END_DECLS
