/* sp-session-console.c: the program's stdout and stderr, read as they come
 *
 * The pipes are always drained, so the program never blocks on a full pipe; what reaches the
 * console-output signal is bounded (sp_session_set_console_limit()), and the rest is counted and
 * said.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-session-private.h"

#define CONSOLE_CHUNK         65536
#define STDERR_TAIL           4096

struct _SpConsoleReader
{
  SpSession       *self;
  SpConsoleStream  stream;
  GInputStream    *input;
  GByteArray      *carry;   /* an incomplete UTF-8 sequence at the end of the last chunk */
};

static void read_console (SpConsoleReader *reader);

static void
remember_stderr (SpSession  *self,
                 const char *text)
{
  g_string_append (self->stderr_tail, text);
  if (self->stderr_tail->len > STDERR_TAIL)
    g_string_erase (self->stderr_tail, 0, self->stderr_tail->len - STDERR_TAIL);
}

static void
say_dropped (SpSession *self)
{
  g_autofree char *note = NULL;

  if (self->console_dropped == 0)
    return;
  note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "\n[… %lu byte of output dropped …]\n",
                                       "\n[… %lu bytes of output dropped …]\n", (gulong) self->console_dropped),
                          (gulong) self->console_dropped);
  self->console_dropped = 0;
  sp_session_emit_console (self, SP_CONSOLE_STDERR, note);
}

/* Emits at most console_limit bytes per second (unless 0), so that a program printing megabytes
 * cannot flood the UI; what is dropped is counted and said. */
static void
emit_console (SpSession       *self,
              SpConsoleStream  stream,
              const char      *text,
              gsize            length)
{
  gint64 now = g_get_monotonic_time ();

  if (now - self->console_window >= G_USEC_PER_SEC)
    {
      say_dropped (self);
      self->console_window = now;
      self->console_bytes = 0;
    }
  if (self->console_limit > 0 && self->console_bytes + length > self->console_limit)
    {
      self->console_dropped += length;
      return;
    }
  self->console_bytes += length;
  sp_session_emit_console (self, stream, text);
}

void
sp_session_set_console_limit (SpSession *self,
                              gsize      bytes_per_second)
{
  g_return_if_fail (SP_IS_SESSION (self));
  self->console_limit = bytes_per_second;
}

static char *
take_valid_text (SpConsoleReader *reader)
{
  GByteArray *bytes = reader->carry;
  const char *data = (const char *) bytes->data;
  const char *end;
  gsize valid;
  char *text;

  g_utf8_validate (data, bytes->len, &end);
  valid = end - data;
  /* Keep a sequence cut by the chunk boundary for the next chunk. */
  if (valid < bytes->len && bytes->len - valid < 4 &&
      g_utf8_get_char_validated (end, bytes->len - valid) == (gunichar) -2)
    {
      text = g_strndup (data, valid);
      g_byte_array_remove_range (bytes, 0, valid);
      return text;
    }
  text = g_utf8_make_valid (data, bytes->len);
  g_byte_array_set_size (bytes, 0);
  return text;
}

static void
on_console_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SpConsoleReader *reader = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SpSession) self = NULL;
  g_autofree char *text = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the session is gone, and so is the reader */
  /* Signal handlers may drop the last other reference to the session. */
  self = g_object_ref (reader->self);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      /* the program ended within the second in which output was dropped: say so now */
      say_dropped (self);
      if (reader->stream == SP_CONSOLE_STDERR)
        self->stderr_open = FALSE;
      else
        self->stdout_open = FALSE;
      /* the session ends once all its output is read (or after a grace: sp-session-process.c) */
      if (!self->stderr_open && !self->stdout_open)
        sp_session_finish_exit (self);
      return;   /* end of output */
    }
  g_byte_array_append (reader->carry, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  text = take_valid_text (reader);
  if (reader->stream == SP_CONSOLE_STDERR)
    remember_stderr (self, text);
  if (*text != '\0')
    emit_console (self, reader->stream, text, strlen (text));
  if (!g_cancellable_is_cancelled (self->io_cancellable))
    read_console (reader);
}

static void
read_console (SpConsoleReader *reader)
{
  g_input_stream_read_bytes_async (reader->input, CONSOLE_CHUNK, G_PRIORITY_DEFAULT,
                                   reader->self->io_cancellable, on_console_read, reader);
}

void
sp_session_console_free (gpointer data)
{
  SpConsoleReader *reader = data;

  if (reader == NULL)
    return;
  g_clear_object (&reader->input);
  g_byte_array_unref (reader->carry);
  g_free (reader);
}

void
sp_session_start_console (SpSession       *self,
                          SpConsoleStream  stream,
                          GInputStream    *input)
{
  SpConsoleReader *reader = g_new0 (SpConsoleReader, 1);

  reader->self = self;
  reader->stream = stream;
  reader->input = g_object_ref (input);
  reader->carry = g_byte_array_new ();
  sp_session_console_free (self->console[stream]);
  self->console[stream] = reader;
  if (stream == SP_CONSOLE_STDERR)
    self->stderr_open = TRUE;
  else
    self->stdout_open = TRUE;
  read_console (reader);
}
