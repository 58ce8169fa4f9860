/* sp-diff.h: comparing a baseline profile with a new one */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

/* Both profiles' stacks in one tree: the new profile's weights as SP_METRIC_SAMPLES, the
 * baseline's as SP_METRIC_BASELINE (each in its default metric), frames matched by name.  This
 * is what a differential flame graph draws and what the two-count folded form stores. */
SpProfile *sp_profile_merge_for_diff (SpProfile *baseline,
                                      SpProfile *current);

/* One function of the comparison, in percent of each profile's total, so that recordings of
 * different lengths compare.  A deterministic recording compares seconds. */
typedef struct
{
  const char *name;          /* owned by the profiles */
  double      base_self;
  double      base_total;
  double      new_self;
  double      new_total;
} SpDiffRow;

typedef enum
{
  SP_DIFF_SORT_DELTA,        /* largest change of self %, either way, first */
  SP_DIFF_SORT_REGRESSION,   /* largest growth of self % first */
  SP_DIFF_SORT_NAME,
} SpDiffSort;

/* Rows for every function in either profile. */
GArray    *sp_profile_diff_table     (SpProfile  *baseline,
                                      SpProfile  *current,
                                      SpDiffSort  sort);

G_END_DECLS
