/* sp-alloc.h: what the Allocations page shows, derived from a profile
 *
 * Allocations by function whatever their source (exact rows, sb-profile's consing, or bytes
 * estimated from samples, with the samples behind each estimate), by type, a function's types
 * and a type's functions, and each type's live objects before and after the workload.  Built
 * on sp-memory.h, which sums the sections.
 */
#pragma once

#include "sp-memory.h"

G_BEGIN_DECLS

/* Whether the profile has anything for a memory view: allocations, GC events or a heap
 * snapshot. */
gboolean      sp_alloc_has_memory_data (SpProfile *profile);

/* What one function or one type allocated.  Unknown figures are negative. */
typedef struct
{
  guint32 key;       /* a frame, or a type (index into the profile's type table) */
  double  objects;   /* -1 unless exact */
  double  bytes;     /* allocated in the function's own code (exact), or estimated */
  double  samples;   /* estimated: the allocation samples behind the estimate; else -1 */
} SpAllocTotal;

/* Functions that allocated, most bytes first (ties by frame order).  Empty for SP_BYTES_NONE. */
GArray   *sp_alloc_by_function        (SpProfile *profile);
/* Types allocated, most bytes first.  Empty unless the source is exact. */
GArray   *sp_alloc_by_type            (SpProfile *profile);
/* The types one function allocated, and the functions that allocated one type (exact). */
GArray   *sp_alloc_types_of_function  (SpProfile *profile,
                                       guint32    frame);
GArray   *sp_alloc_functions_of_type  (SpProfile *profile,
                                       guint32    type);
/* The sum over sp_alloc_by_function(): what the figures are shares of. */
double    sp_alloc_total_bytes        (SpProfile *profile);

/* One type in the heap before and after the workload. */
typedef struct
{
  guint32 type;
  double  objects_before;
  double  bytes_before;
  double  objects_after;
  double  bytes_after;
} SpHeapDelta;

#define SP_HEAP_DELTA_RETAINED_OBJECTS(d) ((d)->objects_after - (d)->objects_before)
#define SP_HEAP_DELTA_RETAINED_BYTES(d)   ((d)->bytes_after - (d)->bytes_before)

/* Every type of either snapshot, most retained bytes first; NULL without both snapshots. */
GArray   *sp_heap_compare             (SpProfile *profile);

G_END_DECLS
