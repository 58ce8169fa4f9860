/* sp-memory.h: summaries of a profile's memory sections, for the CLI and the UI
 *
 * Allocations (alloc-exact) summed per function and per type, GC events summed into a line,
 * and heap snapshots compared: "retained" is after − before, per type.
 */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

typedef struct
{
  guint  count;           /* collections during the recording */
  double total_pause;     /* seconds */
  double longest_pause;   /* seconds */
  int    longest_generation;
  double wall_share;      /* total_pause / the recording's duration; -1 when unknown */
  gint64 peak_bytes;      /* the most dynamic space in use before a collection; -1 when none */
} SpGcSummary;

/* FALSE (and *summary zeroed) when the profile has no GC section (a version 1 file). */
gboolean sp_gc_summary_compute (SpProfile   *profile,
                                SpGcSummary *summary);

/* One function's or one type's allocations (alloc-exact), or one type's heap rows. */
typedef struct
{
  guint32 id;             /* a frame (per function) or a type index (per type) */
  double  objects;
  double  bytes;
} SpMemoryTotal;

typedef enum
{
  SP_MEMORY_BY_FUNCTION,
  SP_MEMORY_BY_TYPE,
} SpMemoryGrouping;

/* Allocation rows summed by function or by type, biggest bytes first (ties by id).  When
 * within is not G_MAXUINT32, only rows of that type (by function) or that function (by type):
 * a function's types, or a type's functions.  Returns an array of SpMemoryTotal; never NULL. */
GArray  *sp_memory_totals      (SpProfile        *profile,
                                SpMemoryGrouping  grouping,
                                guint32           within);
/* Sums of all allocation rows. */
void     sp_memory_grand_total (SpProfile        *profile,
                                double           *objects,
                                double           *bytes);

/* Live objects per type after − before, biggest growth first; types that grew or shrank by
 * nothing are left out.  NULL when the profile has no heap snapshots. */
GArray  *sp_heap_retained      (SpProfile        *profile);
/* Sums of one snapshot; FALSE when there is none. */
gboolean sp_heap_totals        (SpProfile        *profile,
                                SpHeapWhen        when,
                                double           *objects,
                                double           *bytes);

/* Where a profile's bytes per function come from, best first. */
typedef enum
{
  SP_BYTES_NONE,           /* the profile has no byte figures */
  SP_BYTES_EXACT,          /* alloc-exact: sb-aprof's counters */
  SP_BYTES_DETERMINISTIC,  /* sb-profile's bytes consed per function (exact, nested calls excluded) */
  SP_BYTES_ESTIMATED,      /* alloc sampling: samples × the mean bytes per sample */
} SpBytesSource;

SpBytesSource sp_memory_bytes_source (SpProfile *profile);

/* One function (or type) of a comparison of bytes: absolute figures, not shares. */
typedef struct
{
  const char *name;        /* owned by the profiles */
  double      base_bytes;
  double      new_bytes;
  double      base_objects;  /* -1 when unknown */
  double      new_objects;
} SpMemoryDiffRow;

/* Bytes of every function (or, with SP_MEMORY_BY_TYPE, every object type: alloc-exact
 * profiles only) of either profile, the largest change first, matched by name. */
GArray  *sp_memory_diff        (SpProfile        *baseline,
                                SpProfile        *current,
                                SpMemoryGrouping  grouping);

/* Bytes for people: "395.0 MB", "12.3 kB", "512 bytes" (g_format_size's decimal units).
 * Negative sizes keep their sign. */
char    *sp_format_bytes       (gint64            bytes);
/* The same for a weight: one past what a gint64 holds prints as a number of bytes. */
char    *sp_format_bytes_double (double            bytes);

G_END_DECLS
