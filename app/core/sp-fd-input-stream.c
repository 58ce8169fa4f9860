/* sp-fd-input-stream.c: a file descriptor read with plain blocking read()
 *
 * GUnixInputStream polls before each read, and poll() on a FIFO that no writer has opened yet
 * waits for one forever, where read() says "end of file" at once.  Profiles read from a FIFO
 * or a pipe go through this stream instead.
 */
#define G_LOG_DOMAIN "sp-profile-io"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "sp-fd-input-stream.h"

struct _SpFdInputStream
{
  GInputStream parent_instance;
  int          fd;
};

G_DEFINE_FINAL_TYPE (SpFdInputStream, sp_fd_input_stream, G_TYPE_INPUT_STREAM)

static void
set_errno_error (GError **error,
                 int      saved)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
}

static gssize
sp_fd_input_stream_read (GInputStream  *stream,
                         void          *buffer,
                         gsize          count,
                         GCancellable  *cancellable,
                         GError       **error)
{
  SpFdInputStream *self = SP_FD_INPUT_STREAM (stream);
  gssize n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  do
    n = read (self->fd, buffer, MIN (count, G_MAXSSIZE));
  while (n < 0 && errno == EINTR);
  if (n < 0)
    set_errno_error (error, errno);
  return n;
}

static gboolean
sp_fd_input_stream_close (GInputStream  *stream,
                          GCancellable  *cancellable,
                          GError       **error)
{
  SpFdInputStream *self = SP_FD_INPUT_STREAM (stream);
  int fd = self->fd;

  self->fd = -1;
  if (fd >= 0 && close (fd) < 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }
  return TRUE;
}

static void
sp_fd_input_stream_class_init (SpFdInputStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  stream_class->read_fn = sp_fd_input_stream_read;
  stream_class->close_fn = sp_fd_input_stream_close;
}

static void
sp_fd_input_stream_init (SpFdInputStream *self)
{
  self->fd = -1;
}

GInputStream *
sp_fd_input_stream_new (int fd)
{
  SpFdInputStream *self = g_object_new (SP_TYPE_FD_INPUT_STREAM, NULL);

  self->fd = fd;
  return G_INPUT_STREAM (self);
}
