/* sp-analysis.h: views derived from a profile, as pure functions */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

/* One function of the flat table.  Weights are in the metric asked for. */
typedef struct
{
  guint32 frame;
  double  self;        /* weight of stacks whose innermost frame is this function */
  double  total;       /* weight of stacks that contain it, each stack counted once */
  /* From a deterministic recording or call counting; negative when unknown. */
  gint64  calls;
  double  seconds;
  gint64  bytes;
  double  gc_seconds;
  double  raw_seconds;  /* deterministic: as measured, sb-profile's overhead included */
} SpFlatRow;

/* One row per function that has weight or per-function figures, in frame order.
 * THREAD pseudo frames are left out. */
GArray  *sp_profile_flat_table      (SpProfile *profile,
                                     SpMetric   metric);

typedef enum
{
  SP_FLAT_SORT_SELF,
  SP_FLAT_SORT_TOTAL,
  SP_FLAT_SORT_CALLS,
  SP_FLAT_SORT_NAME,
} SpFlatSort;

void     sp_flat_table_sort         (GArray     *rows,
                                     SpProfile  *profile,
                                     SpFlatSort  sort);

/* An edge of the call graph: a caller or callee of a function and the weight of the stacks in
 * which that call happens, each stack counted once even when recursive. */
typedef struct
{
  guint32 frame;
  double  weight;
  double  calls;     /* calls made along the edge, when the profile has call counts (0 else) */
} SpEdge;

typedef struct
{
  guint32  frame;
  double   self;
  double   total;
  double   calls;     /* the function's calls, when the profile has call counts (0 else) */
  GArray  *callers;   /* of SpEdge, heaviest first; SP_NO_FRAME stands for "no caller" (a root) */
  GArray  *callees;   /* of SpEdge, heaviest first */
} SpCallGraphEntry;

SpCallGraphEntry *sp_profile_call_graph_entry (SpProfile *profile,
                                               guint32    frame,
                                               SpMetric   metric);
void              sp_call_graph_entry_free    (SpCallGraphEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpCallGraphEntry, sp_call_graph_entry_free)

/* The bottom-up (inverted) tree: every stack reversed, innermost frame first.  The metadata is
 * copied. */
SpProfile *sp_profile_invert        (SpProfile *profile);

/* The stacks of one thread (its THREAD root frame removed). */
SpProfile *sp_profile_filter_thread (SpProfile *profile,
                                     guint32    thread_frame);

/* THREAD frames of the profile, in frame order. */
GArray    *sp_profile_list_threads  (SpProfile *profile);

/* Frames whose name matches (exactly, or ignoring case when no exact match exists). */
guint32    sp_profile_find_function (SpProfile  *profile,
                                     const char *name);

G_END_DECLS
