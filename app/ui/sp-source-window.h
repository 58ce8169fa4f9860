/* sp-source-window.h: a function's source file, read-only, at its line: where Open Source goes
 * when no application can open the file */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_SOURCE_WINDOW (sp_source_window_get_type ())
G_DECLARE_FINAL_TYPE (SpSourceWindow, sp_source_window, SP, SOURCE_WINDOW, AdwWindow)

/* Shows path at line (from 1; 0: the top) with figures, the function's share of the samples,
 * above it, and reason, why no editor shows it.  NULL with error when the file cannot be read. */
SpSourceWindow *sp_source_window_new          (GtkWindow   *parent,
                                               const char  *function,
                                               const char  *path,
                                               guint        line,
                                               const char  *figures,
                                               const char  *reason,
                                               GError     **error);
/* Open Source: path in its default application, at line for editors known to take "+LINE";
 * when no application can open it (a terminal editor without a terminal, say), in a source
 * window with figures, the function's share of the samples.  Errors show as a toast on origin. */
void            sp_source_window_open         (GtkWidget   *origin,
                                               const char  *function,
                                               const char  *path,
                                               guint        line,
                                               const char  *figures);
/* The line shown highlighted, from 1. */
guint           sp_source_window_get_line     (SpSourceWindow *self);
GtkTextView    *sp_source_window_get_text_view (SpSourceWindow *self);

G_END_DECLS
