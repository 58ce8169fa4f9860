/* sp-fd-input-stream.h: a file descriptor read with plain blocking read() */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SP_TYPE_FD_INPUT_STREAM (sp_fd_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (SpFdInputStream, sp_fd_input_stream, SP, FD_INPUT_STREAM, GInputStream)

/* Takes fd, and closes it with the stream. */
GInputStream *sp_fd_input_stream_new (int fd);

G_END_DECLS
