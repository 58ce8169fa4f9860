/* sp-packed-columns.h: the packed columns of an .sbclprof document, taken out before parsing
 *
 * json-glib builds every string of a document a character at a time; the packed columns are
 * nearly all of a big .sbclprof (35 MB of base64 for 1.6 million nodes), so they are cut out of
 * the text first and decoded straight from it.  Any document still parses as it would have:
 * only string values at tree.parents, tree.frames, tree.self.*, allocations.*, gc.* and
 * timeline.* are replaced, by null, and kept here under those paths.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sp-profile-io-private.h"

G_BEGIN_DECLS

typedef struct _SpPackedColumns SpPackedColumns;

/* Returns the text to give the JSON parser, and the columns it no longer holds, which point
 * into text: keep text alive while they are used.  Also tells how deep arrays and objects nest
 * and about how many values the rest holds, which the caller must bound: json-glib parses
 * recursively, and takes around a hundred bytes for each value. */
char    *sp_packed_columns_cut    (const char        *text,
                                   gsize              len,
                                   gsize             *out_len,
                                   guint             *max_depth,
                                   gsize             *n_values,
                                   SpPackedColumns  **columns);
/* The raw contents (between the quotes) of the string cut at path, like "tree.self.samples". */
gboolean sp_packed_columns_lookup (SpPackedColumns   *columns,
                                   const char        *path,
                                   const char       **data,
                                   gsize             *len);
void     sp_packed_columns_free   (SpPackedColumns   *columns);

/* Writes a column of n numbers of elem_size (4: guint32, 8: double) as a base64 JSON string. */
void     sp_packed_write          (SpWriter          *writer,
                                   const void        *column,
                                   gsize              elem_size,
                                   guint              n);
/* Decodes the packed column at path ("tree.parents"): cut out of the text, or a string member
 * of object when the text was not cut.  It must hold n numbers; count_name names n in messages
 * ("nodes", "rows").  Returns a new array (never NULL on success, even when n is 0). */
gpointer sp_packed_read           (JsonObject        *object,
                                   const char        *member,
                                   SpPackedColumns   *columns,
                                   const char        *path,
                                   gsize              elem_size,
                                   guint              n,
                                   const char        *count_name,
                                   GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPackedColumns, sp_packed_columns_free)

G_END_DECLS
