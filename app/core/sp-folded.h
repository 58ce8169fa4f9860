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

/* One line per stack with a nonzero self weight, in the default metric, or "baseline samples"
 * when the profile has a baseline.  Names are made safe: ';' becomes ':', line breaks become
 * spaces, and a trailing " 123" gets an underscore for its space, so no name can break a line. */
void       sp_folded_write (SpProfile     *profile,
                            SpWriter      *writer);

/* The name as written by sp_folded_write(); free with g_free(). */
char      *sp_folded_safe_name (const char *name);

G_END_DECLS
