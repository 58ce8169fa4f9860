/* sp-diff.h: comparing a baseline profile with a new one */
#pragma once

#include "sp-folded.h"
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
  /* Profiles with repeated runs: how far the function's self share moved between the runs of
   * each profile (max − min, in percentage points; negative without runs), and whether the
   * change of its self share is no larger than that: within the noise of the runs. */
  double      base_noise;
  double      new_noise;
  gboolean    within_noise;
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

/* One profile's side of the comparison: its meta, metric and function shares, without the
 * profile, so that `diff` holds one large profile at a time (or none: a folded file's flat
 * table is read without making its tree). */
typedef struct _SpDiffSide SpDiffSide;

SpDiffSide *sp_diff_side_new             (SpProfile          *profile);
SpDiffSide *sp_diff_side_new_from_flat   (const SpFoldedFlat *flat,
                                          const char         *source);
void        sp_diff_side_free            (SpDiffSide         *side);
/* As sp_profile_diff_table(); the rows' names belong to the sides. */
GArray     *sp_diff_side_compare         (SpDiffSide         *baseline,
                                          SpDiffSide         *current,
                                          SpDiffSort          sort);
/* As sp_profile_check_comparable(). */
gboolean    sp_diff_side_check_comparable (SpDiffSide        *baseline,
                                           SpDiffSide        *current,
                                           char             **warning,
                                           GError           **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDiffSide, sp_diff_side_free)

/* Whether the two profiles measure the same thing, so that their shares compare: the same mode
 * (CPU, allocation, wall time, deterministic) and the same metric.  Fails with
 * SP_PROFILE_ERROR_MISMATCH and the reason otherwise.  Differences that leave the comparison
 * meaningful but worth knowing (sampling intervals, SBCL versions, an imported profile's unknown
 * mode) are returned in warning (NULL when none). */
gboolean   sp_profile_check_comparable (SpProfile  *baseline,
                                        SpProfile  *current,
                                        char      **warning,
                                        GError    **error);

/* The two profiles a differential profile (one with SP_METRIC_BASELINE, such as a two-count
 * folded file) holds: the baseline's counts and the new ones, each as samples. */
void       sp_profile_split_diff       (SpProfile  *merged,
                                        SpProfile **baseline,
                                        SpProfile **current);

/* The node of other reached by following the frame names (and kinds) from the root to node of
 * profile, as far as other has them; SP_NO_NODE when not even the root is there.  So a zoom or
 * a selection in one profile finds its place in another. */
guint32    sp_profile_map_node         (SpProfile  *profile,
                                        guint32     node,
                                        SpProfile  *other);

G_END_DECLS
