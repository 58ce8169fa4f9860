/* sp-profile-io-private.h: helpers shared by the readers and writers of the file formats */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-profile-io.h"

G_BEGIN_DECLS

/* JSON documents (sbclprof, speedscope) are parsed whole with json-glib's DOM parser; this
 * bounds the memory a hostile or broken file can make us use.  The 1 GB benchmark profile
 * saves as 321 MB of JSON. */
#define SP_JSON_MAX_BYTES (1024 * 1024 * 1024)
/* A gzipped document may unpack to this many times its size, and to 256 MiB whatever its size:
 * ours unpack to about five times theirs, a gzip bomb to a thousand. */
#define SP_GZIP_MAX_RATIO 32
#define SP_GZIP_MIN_LIMIT (256 * 1024 * 1024)
/* json-glib parses nested arrays and objects recursively: deeper documents would overflow the
 * stack.  Profiles nest five levels. */
#define SP_JSON_MAX_DEPTH 256
/* json-glib takes about 130 bytes per value (a speedscope file of 3 million numbers takes
 * 400 MB to parse): this keeps a document under about 1.3 GB.  An .sbclprof holds few values,
 * its columns being packed. */
#define SP_JSON_MAX_VALUES (10 * 1000 * 1000)

/* Where a reader reports progress: the fraction of the file's bytes consumed so far. */
typedef struct
{
  GSeekable      *file_stream;  /* the raw file stream, to tell how far we are */
  goffset         file_size;    /* 0 when unknown */
  SpProgressFunc  func;
  gpointer        data;
} SpProgress;

void     sp_progress_report (SpProgress *progress,
                             double      scale);

/* A buffered writer: errors are kept and later appends do nothing, so writers need not check
 * after every call.  sp_writer_finish() flushes and returns the first error. */
typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GString       *buffer;
  GError        *error;
} SpWriter;

void     sp_writer_init               (SpWriter      *writer,
                                       GOutputStream *stream,
                                       GCancellable  *cancellable);
void     sp_writer_append             (SpWriter      *writer,
                                       const char    *data,
                                       gsize          len);
void     sp_writer_puts               (SpWriter      *writer,
                                       const char    *string);
void     sp_writer_printf             (SpWriter      *writer,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Integral values print as integers, others with enough digits to read back exactly. */
void     sp_writer_append_number      (SpWriter      *writer,
                                       double         value);
/* A JSON number, or null when value is negative (unknown) or not finite. */
void     sp_writer_append_json_number (SpWriter      *writer,
                                       double         value);
/* A JSON string literal, or null for NULL. */
void     sp_writer_append_json_string (SpWriter      *writer,
                                       const char    *string);
gboolean sp_writer_failed             (SpWriter      *writer);
gboolean sp_writer_finish             (SpWriter      *writer,
                                       GError       **error);

/* Typed access to JSON object members.  "where" names the member in messages, like
 * "meta.interval".  Absent members are errors unless optional is TRUE; then they, like null,
 * leave the default in *value. */
gboolean sp_json_get_string  (JsonObject  *object,
                              const char  *member,
                              const char  *where,
                              gboolean     optional,
                              char       **value,
                              GError     **error);
gboolean sp_json_get_int     (JsonObject  *object,
                              const char  *member,
                              const char  *where,
                              gboolean     optional,
                              gint64      *value,
                              GError     **error);
gboolean sp_json_get_double  (JsonObject  *object,
                              const char  *member,
                              const char  *where,
                              gboolean     optional,
                              double      *value,
                              GError     **error);
gboolean sp_json_get_bool    (JsonObject  *object,
                              const char  *member,
                              const char  *where,
                              gboolean     optional,
                              gboolean    *value,
                              GError     **error);
JsonObject *sp_json_get_object (JsonObject *object,
                                const char *member,
                                const char *where,
                                GError    **error);
JsonArray  *sp_json_get_array  (JsonObject *object,
                                const char *member,
                                const char *where,
                                GError    **error);
const char *sp_json_describe   (JsonNode   *node);

G_END_DECLS
