/* sp-profile-time.h: the order and time of a profile's samples: time ranges and lanes of density */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

/* The first and last sample times; FALSE when the profile has no timeline entries. */
gboolean   sp_profile_get_time_span      (SpProfile *profile,
                                          double    *start,
                                          double    *end);

/* A new profile of the samples from `from` to `to` seconds (both included): each node keeps
 * the part of its weight, in every metric, that its timeline entries in the range carry.  The
 * timeline and GC events are cut to the range; the other sections are kept; per-function
 * figures, which cover the whole recording, are dropped.  NULL when profile has no timeline. */
SpProfile *sp_profile_filter_time_range  (SpProfile *profile,
                                          double     from,
                                          double     to);

/* The weight in metric of each timeline entry: its node's weight spread over the node's
 * entries by their sample counts.  NULL without a timeline or without the metric. */
double    *sp_profile_get_timeline_weights (SpProfile *profile,
                                            SpMetric   metric);

/* Sample density over time, one lane per thread (the THREAD frame at the root of each
 * sample's stack); one lane when the stacks have no thread roots. */
typedef struct
{
  guint     n_lanes;
  guint     n_bins;
  double    start;         /* seconds at the left edge of bin 0 */
  double    end;           /* … and at the right edge of the last bin */
  SpMetric  metric;        /* the profile's default metric: samples, or bytes */
  guint32  *lane_threads;  /* n_lanes thread frames; SP_NO_FRAME for stacks without one */
  double   *density;       /* n_lanes × n_bins weights, lane after lane */
  double    max_bin;       /* the largest bin of any lane */
} SpTimelineLanes;

/* NULL when the profile has no timeline entries. */
SpTimelineLanes *sp_timeline_lanes_new  (SpProfile       *profile,
                                         guint            n_bins);
void             sp_timeline_lanes_free (SpTimelineLanes *lanes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpTimelineLanes, sp_timeline_lanes_free)

G_END_DECLS
