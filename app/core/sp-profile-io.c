/* sp-profile-io.c: loading with content sniffing, atomic saving, and the helpers the formats share */
#define G_LOG_DOMAIN "sp-profile-io"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sp-fd-input-stream.h"
#include "sp-folded.h"
#include "sp-gunzip.h"
#include "sp-profile-io-private.h"
#include "sp-sbclprof.h"
#include "sp-speedscope.h"

#define SNIFF_BYTES   (64 * 1024)
#define READ_CHUNK    (1024 * 1024)
#define WRITER_FLUSH  (1024 * 1024)
#define SPECIAL_WAIT_SECONDS 5

static const char *format_names[] = {
  [SP_FILE_FORMAT_UNKNOWN] = "unknown",
  [SP_FILE_FORMAT_SBCLPROF] = "sbclprof",
  [SP_FILE_FORMAT_FOLDED] = "folded",
  [SP_FILE_FORMAT_SPEEDSCOPE] = "speedscope",
};

const char *
sp_file_format_to_string (SpFileFormat format)
{
  if ((guint) format >= G_N_ELEMENTS (format_names))
    return format_names[SP_FILE_FORMAT_UNKNOWN];
  return format_names[format];
}

SpFileFormat
sp_file_format_from_string (const char *string)
{
  if (string == NULL)
    return SP_FILE_FORMAT_UNKNOWN;
  for (guint i = SP_FILE_FORMAT_UNKNOWN + 1; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (string, format_names[i]) == 0)
      return i;
  return SP_FILE_FORMAT_UNKNOWN;
}

/* ---- Progress ---- */

void
sp_progress_report (SpProgress *progress,
                    double      scale)
{
  double fraction;

  if (progress == NULL || progress->func == NULL || progress->file_size <= 0)
    return;
  fraction = (double) g_seekable_tell (progress->file_stream) / progress->file_size;
  progress->func (CLAMP (fraction, 0.0, 1.0) * scale, progress->data);
}

/* ---- The buffered writer ---- */

void
sp_writer_init (SpWriter      *writer,
                GOutputStream *stream,
                GCancellable  *cancellable)
{
  writer->stream = stream;
  writer->cancellable = cancellable;
  /* grows up to WRITER_FLUSH: small profiles need no megabyte */
  writer->buffer = g_string_sized_new (64 * 1024);
  writer->error = NULL;
}

static void
sp_writer_flush (SpWriter *writer)
{
  if (writer->error == NULL && writer->buffer->len > 0)
    g_output_stream_write_all (writer->stream, writer->buffer->str, writer->buffer->len,
                               NULL, writer->cancellable, &writer->error);
  g_string_truncate (writer->buffer, 0);
}

static inline void
sp_writer_maybe_flush (SpWriter *writer)
{
  if (G_UNLIKELY (writer->buffer->len >= WRITER_FLUSH))
    sp_writer_flush (writer);
}

void
sp_writer_append (SpWriter   *writer,
                  const char *data,
                  gsize       len)
{
  g_string_append_len (writer->buffer, data, len);
  sp_writer_maybe_flush (writer);
}

void
sp_writer_puts (SpWriter   *writer,
                const char *string)
{
  sp_writer_append (writer, string, strlen (string));
}

void
sp_writer_printf (SpWriter   *writer,
                  const char *format,
                  ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (writer->buffer, format, args);
  va_end (args);
  sp_writer_maybe_flush (writer);
}

void
sp_writer_append_number (SpWriter *writer,
                         double    value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) < 9007199254740992.0)
    sp_writer_printf (writer, "%" G_GINT64_FORMAT, (gint64) value);
  else
    sp_writer_puts (writer, g_ascii_dtostr (buffer, sizeof buffer, value));
}

void
sp_writer_append_json_number (SpWriter *writer,
                              double    value)
{
  if (value < 0 || !isfinite (value))
    sp_writer_puts (writer, "null");
  else
    sp_writer_append_number (writer, value);
}

void
sp_writer_append_json_string (SpWriter   *writer,
                              const char *string)
{
  GString *buffer = writer->buffer;
  g_autofree char *valid = NULL;

  if (string == NULL)
    {
      sp_writer_puts (writer, "null");
      return;
    }
  /* JSON is UTF-8: a name read from a broken source must not make the file unreadable */
  if (!g_utf8_validate (string, -1, NULL))
    string = valid = g_utf8_make_valid (string, -1);

  g_string_append_c (buffer, '"');
  for (const char *p = string; *p; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (buffer, '\\');
          g_string_append_c (buffer, c);
        }
      else if (c < 0x20)
        g_string_append_printf (buffer, "\\u%04x", c);
      else
        g_string_append_c (buffer, c);
    }
  g_string_append_c (buffer, '"');
  sp_writer_maybe_flush (writer);
}

gboolean
sp_writer_failed (SpWriter *writer)
{
  return writer->error != NULL;
}

gboolean
sp_writer_finish (SpWriter  *writer,
                  GError   **error)
{
  sp_writer_flush (writer);
  g_string_free (writer->buffer, TRUE);
  writer->buffer = NULL;
  if (writer->error != NULL)
    {
      g_propagate_error (error, writer->error);
      writer->error = NULL;
      return FALSE;
    }
  return TRUE;
}

/* ---- Typed JSON access ---- */

const char *
sp_json_describe (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("a boolean");
    default:
      return _("a number");
    }
}

/* The member as *node, NULL when absent or null; FALSE (with error) when required and absent. */
static gboolean
get_member (JsonObject  *object,
            const char  *member,
            const char  *where,
            gboolean     optional,
            JsonNode   **node,
            GError     **error)
{
  *node = json_object_get_member (object, member);

  if (*node == NULL && !optional)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“%s” is missing"), where);
      return FALSE;
    }
  if (*node != NULL && JSON_NODE_HOLDS_NULL (*node))
    *node = NULL;
  return TRUE;
}

static gboolean
wrong_type (JsonNode    *node,
            const char  *where,
            const char  *expected,
            GError     **error)
{
  g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
               _("“%s” must be %s, not %s"), where, expected, sp_json_describe (node));
  return FALSE;
}

static gboolean
holds_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

gboolean
sp_json_get_string (JsonObject  *object,
                    const char  *member,
                    const char  *where,
                    gboolean     optional,
                    char       **value,
                    GError     **error)
{
  JsonNode *node;

  if (!get_member (object, member, where, optional, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (node, where, _("a string"), error);
  g_free (*value);
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
sp_json_get_int (JsonObject  *object,
                 const char  *member,
                 const char  *where,
                 gboolean     optional,
                 gint64      *value,
                 GError     **error)
{
  JsonNode *node;

  if (!get_member (object, member, where, optional, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (node, where, _("an integer"), error);
  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
sp_json_get_double (JsonObject  *object,
                    const char  *member,
                    const char  *where,
                    gboolean     optional,
                    double      *value,
                    GError     **error)
{
  JsonNode *node;

  if (!get_member (object, member, where, optional, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!holds_number (node))
    return wrong_type (node, where, _("a number"), error);
  *value = json_node_get_double (node);
  return TRUE;
}

gboolean
sp_json_get_bool (JsonObject  *object,
                  const char  *member,
                  const char  *where,
                  gboolean     optional,
                  gboolean    *value,
                  GError     **error)
{
  JsonNode *node;

  if (!get_member (object, member, where, optional, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (node, where, _("true or false"), error);
  *value = json_node_get_boolean (node);
  return TRUE;
}

JsonObject *
sp_json_get_object (JsonObject  *object,
                    const char  *member,
                    const char  *where,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, _("“%s” is missing"), where);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (node, where, _("an object"), error);
      return NULL;
    }
  return json_node_get_object (node);
}

JsonArray *
sp_json_get_array (JsonObject  *object,
                   const char  *member,
                   const char  *where,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, _("“%s” is missing"), where);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      wrong_type (node, where, _("an array"), error);
      return NULL;
    }
  return json_node_get_array (node);
}

/* ---- Loading ---- */

static gboolean
has_sbclprof_suffix (const char *name)
{
  return g_str_has_suffix (name, ".sbclprof");
}

static void
set_too_large (GError **error,
               gsize    limit)
{
  g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_TOO_LARGE,
               _("the JSON document is larger than %d MiB, the limit for a profile"),
               (int) (limit / (1024 * 1024)));
}

/* json-glib says "<data>:LINE:COLUMN: Parse error: what"; columns would be off where packed
 * columns were cut from the line, so only the line is kept. */
static void
set_json_error (GError     **error,
                const char  *message)
{
  guint line, column;
  int consumed = 0;

  if (sscanf (message, "<data>:%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
    {
      const char *what = message + consumed;

      if (g_str_has_prefix (what, "Parse error: "))
        what += strlen ("Parse error: ");
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("line %u: not valid JSON (%s)"), line, what);
    }
  else
    g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, _("not valid JSON (%s)"), message);
}

/* zlib's own words say the data is broken; ours (SpGunzip's) and a cancellation stand as they are */
static void
set_gzip_error (GError **error,
                GError  *local_error)   /* taken */
{
  if (local_error->domain == SP_PROFILE_ERROR ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local_error);
      return;
    }
  g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
               _("the gzip data is truncated or corrupt (%s)"), local_error->message);
  g_error_free (local_error);
}

/* Reads the whole (decompressed) stream, refusing documents over SP_JSON_MAX_BYTES, or over
 * SP_GZIP_MAX_RATIO times the size of a compressed file. */
static GBytes *
read_json_text (GInputStream  *stream,
                gboolean       compressed,
                SpProgress    *progress,
                GCancellable  *cancellable,
                GError       **error)
{
  goffset size = progress != NULL ? progress->file_size : 0;
  gsize limit = !compressed ? SP_JSON_MAX_BYTES
                            : CLAMP ((gsize) MAX (size, 0) * SP_GZIP_MAX_RATIO, SP_GZIP_MIN_LIMIT, SP_JSON_MAX_BYTES);
  /* room for the whole text up front, so it is not copied as it grows: gzip shrinks our
   * documents about six times; pages reserved but never touched cost no memory */
  goffset hint = CLAMP (compressed ? size * 8 : size + 1, SNIFF_BYTES, (goffset) limit);
  g_autoptr(GByteArray) text = NULL;

  if (!compressed && size > SP_JSON_MAX_BYTES)
    {
      set_too_large (error, limit);
      return NULL;
    }
  text = g_byte_array_sized_new (hint + 1);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gsize old_len = text->len;
      /* what is left of the room reserved, or as much again: never past the limit + 1 */
      gsize chunk = old_len < (gsize) hint ? hint + 1 - old_len : MIN (old_len, READ_CHUNK);
      gssize n;

      if (text->len >= limit)
        {
          set_too_large (error, limit);
          return NULL;
        }
      chunk = MIN (chunk, limit + 1 - old_len);
      g_byte_array_set_size (text, old_len + chunk);
      n = g_input_stream_read (stream, text->data + old_len, chunk, cancellable, &local_error);
      if (n < 0)
        {
          if (compressed)
            set_gzip_error (error, g_steal_pointer (&local_error));
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_byte_array_set_size (text, old_len + n);
      if (n == 0)
        break;
      sp_progress_report (progress, 0.7);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&text));
}

static SpProfile *
load_json (GInputStream  *stream,
           gboolean       compressed,
           const char    *name,
           SpProgress    *progress,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GBytes) text = NULL;
  g_autoptr(SpPackedColumns) columns = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *rest = NULL;
  JsonObject *root;
  guint depth;
  gsize len, n_values;

  text = read_json_text (stream, compressed, progress, cancellable, error);
  if (text == NULL)
    return NULL;
  rest = sp_packed_columns_cut (g_bytes_get_data (text, NULL), g_bytes_get_size (text), &len,
                                &depth, &n_values, &columns);
  if (depth > SP_JSON_MAX_DEPTH)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_TOO_LARGE,
                   _("the JSON document nests %u levels deep; a profile needs at most %d"),
                   depth, SP_JSON_MAX_DEPTH);
      return NULL;
    }
  if (n_values > SP_JSON_MAX_VALUES)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_TOO_LARGE,
                   _("the JSON document holds more than %d million values, the limit for a profile"),
                   SP_JSON_MAX_VALUES / 1000000);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, rest, len, &local_error))
    {
      set_json_error (error, local_error->message);
      return NULL;
    }
  g_clear_pointer (&rest, g_free);

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_UNSUPPORTED,
                   _("the JSON document is %s, not a profile object"),
                   sp_json_describe (json_parser_get_root (parser)));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "format") || has_sbclprof_suffix (name))
    return sp_sbclprof_read (root, columns, error);
  if (sp_speedscope_detect (root))
    return sp_speedscope_read (root, name, error);
  g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_UNSUPPORTED,
               _("a JSON document, but neither an .sbclprof nor a speedscope profile"));
  return NULL;
}

/* "[{", "[[" or "[]": folded stacks may start with "[" too, as in perf's "[unknown];f 3". */
static gboolean
looks_like_json_array (const guint8 *p,
                       gsize         len)
{
  gsize i = 1;

  if (len == 0 || p[0] != '[')
    return FALSE;
  while (i < len && g_ascii_isspace (p[i]))
    i++;
  return i < len && (p[i] == '{' || p[i] == '[' || p[i] == ']');
}

/* The first bytes of the stream, without consuming them. */
static const guint8 *
peek_head (GBufferedInputStream  *stream,
           gsize                 *len,
           GCancellable          *cancellable,
           GError               **error)
{
  if (g_buffered_input_stream_fill (stream, SNIFF_BYTES, cancellable, error) < 0)
    return NULL;
  return g_buffered_input_stream_peek_buffer (stream, len);
}

/* The stream to read, gunzipped when compressed, and whether it holds JSON or else folded
 * stacks; NULL with error set when it holds no profile. */
static GInputStream *
sniff_stream (GInputStream  *raw,
              const char    *name,
              gboolean      *compressed,
              gboolean      *json,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GInputStream) stream = g_buffered_input_stream_new_sized (raw, SNIFF_BYTES);
  g_autoptr(GError) local_error = NULL;
  const guint8 *head;
  const guint8 *nul;
  gsize len, skip = 0;

  *compressed = FALSE;
  if ((head = peek_head (G_BUFFERED_INPUT_STREAM (stream), &len, cancellable, error)) == NULL)
    return NULL;
  if (len == 0)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_EMPTY, _("the file is empty"));
      return NULL;
    }

  if (len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    {
      g_autoptr(GConverter) gunzip = sp_gunzip_new ();
      g_autoptr(GInputStream) converted = g_converter_input_stream_new (stream, gunzip);
      g_autoptr(GInputStream) buffered = g_buffered_input_stream_new_sized (converted, SNIFF_BYTES);

      g_set_object (&stream, buffered);
      *compressed = TRUE;
      head = peek_head (G_BUFFERED_INPUT_STREAM (stream), &len, cancellable, &local_error);
      if (head == NULL)
        {
          set_gzip_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (len == 0)
        {
          g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_EMPTY,
                       _("the compressed file holds no data"));
          return NULL;
        }
    }

  if (len >= 3 && memcmp (head, "\xef\xbb\xbf", 3) == 0)
    skip = 3;
  while (skip < len && g_ascii_isspace (head[skip]))
    skip++;
  if ((*json = skip < len && head[skip] == '{'))
    return g_steal_pointer (&stream);
  if (looks_like_json_array (head + skip, len - skip))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_UNSUPPORTED,
                   _("a JSON array (a trace?), not a profile: expected .sbclprof, folded stacks "
                   "or speedscope JSON"));
      return NULL;
    }

  if ((nul = memchr (head, 0, len)) != NULL)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_UNSUPPORTED,
                   _("binary data at byte offset %llu: not a profile "
                   "(expected .sbclprof, folded stacks or speedscope JSON)"),
                   (unsigned long long) (nul - head));
      return NULL;
    }
  if (has_sbclprof_suffix (name))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("not JSON: an .sbclprof file is a JSON document starting with “{”"));
      return NULL;
    }
  return g_steal_pointer (&stream);
}

static SpProfile *
load_stream (GInputStream  *raw,
             const char    *name,
             SpProgress    *progress,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  gboolean compressed, json;
  SpProfile *profile;

  if ((stream = sniff_stream (raw, name, &compressed, &json, cancellable, error)) == NULL)
    return NULL;
  if (json)
    return load_json (stream, compressed, name, progress, cancellable, error);
  if (!compressed)
    return sp_folded_read (stream, name, progress, cancellable, error);
  profile = sp_folded_read (stream, name, progress, cancellable, &local_error);
  if (profile == NULL)
    set_gzip_error (error, g_steal_pointer (&local_error));
  return profile;
}

/* A FIFO (or another special file) is opened without waiting for a writer, then given a while
 * for one to write: g_file_read() would block forever on a FIFO that nothing writes to. */
static GInputStream *
open_special (GFile   *file,
              GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  GPollFD poll_fd = { -1, G_IO_IN, 0 };
  int fd, flags, ready = 0, saved;

  if (path == NULL)
    return G_INPUT_STREAM (g_file_read (file, NULL, error));
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      poll_fd.fd = fd;
      do
        ready = g_poll (&poll_fd, 1, SPECIAL_WAIT_SECONDS * 1000);
      while (ready < 0 && errno == EINTR);
    }
  if (fd >= 0 && ready == 0)
    {
      close (fd);
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("%s: nothing was written to it within %d seconds (a FIFO with no writer?)"),
                   name, SPECIAL_WAIT_SECONDS);
      return NULL;
    }
  if (fd < 0 || ready < 0 || (flags = fcntl (fd, F_GETFL)) < 0 ||
      fcntl (fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
    {
      saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return NULL;
    }
  return sp_fd_input_stream_new (fd);
}

static GInputStream *
open_file (GFile         *file,
           SpProgress    *progress,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  GFileInputStream *raw;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_SPECIAL)
    return open_special (file, error);

  if ((raw = g_file_read (file, cancellable, error)) == NULL)
    return NULL;
  g_clear_object (&info);
  info = g_file_input_stream_query_info (raw, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    progress->file_size = g_file_info_get_size (info);
  progress->file_stream = G_SEEKABLE (raw);
  return G_INPUT_STREAM (raw);
}

SpProfile *
sp_profile_load (GFile          *file,
                 GCancellable   *cancellable,
                 SpProgressFunc  progress_func,
                 gpointer        progress_data,
                 GError        **error)
{
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  SpProgress progress = { NULL, 0, progress_func, progress_data };
  SpProfile *profile;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if ((raw = open_file (file, &progress, cancellable, error)) == NULL)
    return NULL;
  basename = g_file_get_basename (file);
  name = g_filename_display_name (basename);

  profile = load_stream (raw, name, &progress, cancellable, &local_error);
  if (profile == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&local_error, "%s: ", name);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (progress_func != NULL)
    progress_func (1.0, progress_data);
  return profile;
}

SpFoldedFlat *
sp_profile_load_folded_flat (GFile         *file,
                             GCancellable  *cancellable,
                             gboolean      *is_folded,
                             GError       **error)
{
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  SpProgress progress = { NULL, 0, NULL, NULL };
  gboolean compressed, json = FALSE;
  SpFoldedFlat *flat = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  *is_folded = FALSE;
  basename = g_file_get_basename (file);
  name = g_filename_display_name (basename);
  if ((raw = open_file (file, &progress, cancellable, &local_error)) != NULL &&
      (stream = sniff_stream (raw, name, &compressed, &json, cancellable, &local_error)) != NULL && !json)
    {
      *is_folded = TRUE;
      if ((flat = sp_folded_read_flat (stream, cancellable, &local_error)) == NULL && compressed)
        set_gzip_error (&local_error, g_steal_pointer (&local_error));
    }
  if (local_error != NULL)
    {
      g_prefix_error (&local_error, "%s: ", name);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return flat;
}

SpProfile *
sp_profile_load_stream (GInputStream  *stream,
                        const char    *name,
                        GCancellable  *cancellable,
                        GError       **error)
{
  SpProgress progress = { NULL, 0, NULL, NULL };

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return load_stream (stream, name, &progress, cancellable, error);
}

/* ---- Saving ---- */

static gboolean
write_format (SpProfile     *profile,
              GOutputStream *stream,
              SpFileFormat   format,
              GCancellable  *cancellable,
              GError       **error)
{
  SpWriter writer;

  sp_writer_init (&writer, stream, cancellable);
  switch (format)
    {
    case SP_FILE_FORMAT_SBCLPROF:
      sp_sbclprof_write (profile, &writer);
      break;
    case SP_FILE_FORMAT_FOLDED:
      sp_folded_write (profile, &writer);
      break;
    case SP_FILE_FORMAT_SPEEDSCOPE:
      sp_speedscope_write (profile, &writer);
      break;
    case SP_FILE_FORMAT_UNKNOWN:
    default:
      sp_writer_finish (&writer, NULL);
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_UNSUPPORTED,
                   _("cannot write profiles in an unknown format"));
      return FALSE;
    }
  return sp_writer_finish (&writer, error);
}

gboolean
sp_profile_write (SpProfile      *profile,
                  GOutputStream  *stream,
                  SpFileFormat    format,
                  GCancellable   *cancellable,
                  GError        **error)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  return write_format (profile, stream, format, cancellable, error);
}

/* Writes through gzip.  The fastest level: the packed columns are base64 text that compresses
 * little better at higher levels, and saving must stay well under a second. */
static gboolean
write_compressed (SpProfile      *profile,
                  GOutputStream  *out,
                  SpFileFormat    format,
                  GCancellable   *cancellable,
                  GError        **error)
{
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GOutputStream) converted = g_converter_output_stream_new (out, G_CONVERTER (gzip));

  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (converted), FALSE);
  return write_format (profile, converted, format, cancellable, error) &&
         g_output_stream_close (converted, cancellable, error);
}

gboolean
sp_profile_save (SpProfile      *profile,
                 GFile          *file,
                 SpFileFormat    format,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GCancellable) abort = NULL;
  gboolean ok;

  g_return_val_if_fail (SP_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (out == NULL)
    return FALSE;

  if (format == SP_FILE_FORMAT_SBCLPROF)
    ok = write_compressed (profile, G_OUTPUT_STREAM (out), format, cancellable, error);
  else
    ok = write_format (profile, G_OUTPUT_STREAM (out), format, cancellable, error);
  if (ok)
    return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);

  /* Closing with a cancelled cancellable drops the temporary file: the old file stays. */
  abort = g_cancellable_new ();
  g_cancellable_cancel (abort);
  g_output_stream_close (G_OUTPUT_STREAM (out), abort, NULL);
  return FALSE;
}
