/* sp-folded.h: folded stacks ("a;b;c 12", and the two-count differential form) */
#pragma once

#include "sp-profile-io-private.h"

G_BEGIN_DECLS

/* Longest line the reader accepts: a longer one is refused rather than buffered. */
#define SP_FOLDED_MAX_LINE (16 * 1024 * 1024)

/* Reads folded stacks, frames root-first.  Error messages name the line but not the file. */
SpProfile *sp_folded_read  (GInputStream  *stream,
                            const char    *source,
                            SpProgress    *progress,
                            GCancellable  *cancellable,
                            GError       **error);

/* What the flat function table of a folded file says, read without making its tree. */
typedef struct
{
  GPtrArray *frames;        /* of SpFrame*, in the order the file names them */
  double    *self;          /* by frame: samples with the frame as leaf */
  double    *total;         /* by frame: samples with the frame anywhere in the stack */
  guint      n_frames;
  double     grand_total;
} SpFoldedFlat;

/* Reads folded stacks for their flat table only (the count of a two-count line is its second,
 * as sp_folded_read() takes it): a pass over the file with little memory, for `diff`. */
SpFoldedFlat *sp_folded_read_flat (GInputStream  *stream,
                                   GCancellable  *cancellable,
                                   GError       **error);
void          sp_folded_flat_free (SpFoldedFlat  *flat);
/* The flat table of file when it holds folded stacks, gzipped or not; otherwise NULL with
 * *is_folded FALSE, and error set only when the file cannot be read or holds no profile. */
SpFoldedFlat *sp_profile_load_folded_flat (GFile         *file,
                                           GCancellable  *cancellable,
                                           gboolean      *is_folded,
                                           GError       **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpFoldedFlat, sp_folded_flat_free)

/* One line per stack with a nonzero self weight, in the default metric, or "baseline samples"
 * when the profile has a baseline.  Names are made safe: ';' becomes ':', line breaks become
 * spaces, and a trailing " 123" gets an underscore for its space, so no name can break a line. */
void       sp_folded_write (SpProfile     *profile,
                            SpWriter      *writer);

/* The name as written by sp_folded_write(); free with g_free(). */
char      *sp_folded_safe_name (const char *name);

G_END_DECLS
