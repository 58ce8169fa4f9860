/* sp-sbclprof.h: the app's own format, JSON with packed numeric columns (see README.md) */
#pragma once

#include "sp-packed-columns.h"
#include "sp-profile-io-private.h"

G_BEGIN_DECLS

#define SP_SBCLPROF_FORMAT  "sbcl-profiler"
#define SP_SBCLPROF_VERSION 1

/* Builds a profile from a parsed document whose "format" is SP_SBCLPROF_FORMAT, and the
 * columns cut out of its text (may be NULL).  Error messages name the member that is wrong but
 * not the file. */
SpProfile *sp_sbclprof_read  (JsonObject      *root,
                              SpPackedColumns *columns,
                              GError         **error);

/* Writes the uncompressed JSON document. */
void       sp_sbclprof_write (SpProfile  *profile,
                              SpWriter   *writer);

G_END_DECLS
