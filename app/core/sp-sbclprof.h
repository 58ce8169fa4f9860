/* sp-sbclprof.h: the app's own format, JSON with packed numeric columns (see README.md) */
#pragma once

#include "sp-packed-columns.h"
#include "sp-profile-io-private.h"

G_BEGIN_DECLS

#define SP_SBCLPROF_FORMAT  "sbcl-profiler"
/* The newest version read and written; files without any version 2 part are written as 1. */
#define SP_SBCLPROF_VERSION 2

/* Builds a profile from a parsed document whose "format" is SP_SBCLPROF_FORMAT, and the
 * columns cut out of its text (may be NULL).  Error messages name the member that is wrong but
 * not the file. */
SpProfile *sp_sbclprof_read  (JsonObject      *root,
                              SpPackedColumns *columns,
                              GError         **error);

/* Writes the uncompressed JSON document. */
void       sp_sbclprof_write (SpProfile  *profile,
                              SpWriter   *writer);

/* The version 2 sections (sp-sbclprof-sections.c), for sp-sbclprof.c. */
gboolean   sp_sbclprof_has_sections   (SpProfile          *profile);
void       sp_sbclprof_write_sections (SpProfile          *profile,
                                       SpWriter           *writer);
/* Fills sections from root; on failure leaves them empty.  Indices are checked against
 * n_frames frames and n_nodes nodes. */
gboolean   sp_sbclprof_read_sections  (JsonObject         *root,
                                       SpPackedColumns    *columns,
                                       guint               n_frames,
                                       guint               n_nodes,
                                       SpProfileSections  *sections,
                                       GError            **error);

G_END_DECLS
