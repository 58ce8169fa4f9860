/* sp-session-console.h: a session's console: program output, forms, results and errors */
#pragma once

#include <gtk/gtk.h>

#include "sp-session.h"

G_BEGIN_DECLS

/* The console keeps at most about this many characters; older text is dropped in blocks. */
#define SP_SESSION_CONSOLE_LIMIT (2 * 1024 * 1024)

#define SP_TYPE_SESSION_CONSOLE (sp_session_console_get_type ())
G_DECLARE_FINAL_TYPE (SpSessionConsole, sp_session_console, SP, SESSION_CONSOLE, GtkWidget)

GtkWidget     *sp_session_console_new              (void);
GtkTextBuffer *sp_session_console_get_buffer       (SpSessionConsole *self);
/* Program output: queued and written in batches a few times a second. */
void           sp_session_console_queue_output     (SpSessionConsole *self,
                                                    SpConsoleStream   stream,
                                                    const char       *text);
/* Writes the queued output now (the other appends do this first, to keep the order). */
void           sp_session_console_flush            (SpSessionConsole *self);
void           sp_session_console_append_input     (SpSessionConsole *self,
                                                    const char       *package,
                                                    const char       *form);
void           sp_session_console_append_result    (SpSessionConsole *self,
                                                    const char       *values);
/* An error line; with a Lisp error, its condition and a collapsed backtrace. */
void           sp_session_console_append_error     (SpSessionConsole  *self,
                                                    const char        *message,
                                                    const SpLispError *lisp_error);
void           sp_session_console_append_note      (SpSessionConsole *self,
                                                    const char       *note);

G_END_DECLS
