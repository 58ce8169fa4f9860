/* sp-profile-io.h: reading and writing profiles in every supported format */
#pragma once

#include <gio/gio.h>

#include "sp-profile.h"

G_BEGIN_DECLS

typedef enum
{
  SP_FILE_FORMAT_UNKNOWN,
  SP_FILE_FORMAT_SBCLPROF,    /* our own: JSON, gzip-compressed when written */
  SP_FILE_FORMAT_FOLDED,      /* "a;b;c 12" lines, and the two-count differential form */
  SP_FILE_FORMAT_SPEEDSCOPE,  /* speedscope's JSON file format, sampled profiles */
} SpFileFormat;

const char   *sp_file_format_to_string   (SpFileFormat  format);
SpFileFormat  sp_file_format_from_string (const char   *string);

/* Called from the thread doing the work, with a fraction in [0, 1]. */
typedef void (*SpProgressFunc) (double   fraction,
                                gpointer user_data);

/* Reads a profile, detecting the format from the content (gzip magic, JSON keys, folded lines).
 * Errors name the file and what is wrong.  Safe to call from any thread. */
SpProfile *sp_profile_load  (GFile          *file,
                             GCancellable   *cancellable,
                             SpProgressFunc  progress,
                             gpointer        progress_data,
                             GError        **error);

/* The same from a stream; name is the file name the format may be guessed from (".sbclprof").
 * Errors do not name the file. */
SpProfile *sp_profile_load_stream (GInputStream  *stream,
                                   const char    *name,
                                   GCancellable  *cancellable,
                                   GError       **error);

/* Writes a profile to file, replacing it atomically. */
gboolean   sp_profile_save  (SpProfile      *profile,
                             GFile          *file,
                             SpFileFormat    format,
                             GCancellable   *cancellable,
                             GError        **error);

/* Writes a profile to a stream (uncompressed for SBCLPROF). */
gboolean   sp_profile_write (SpProfile      *profile,
                             GOutputStream  *stream,
                             SpFileFormat    format,
                             GCancellable   *cancellable,
                             GError        **error);

G_END_DECLS
