/* sp-runs.h: repeated runs: per-function min / median / max, the run-to-run spread of the
 * total, and whether a change between two profiles is within the noise of their runs */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

typedef struct
{
  guint  n;        /* values (runs) */
  double min;
  double median;
  double max;
} SpSpread;

/* The spread of n values (n ≥ 1); FALSE for none. */
gboolean sp_spread_of            (const double    *values,
                                  guint            n,
                                  SpSpread        *spread);
/* (max − min) / median, in percent; 0 when the median is 0. */
double   sp_spread_percent       (const SpSpread  *spread);

/* The figure compared between runs: corrected seconds when the runs have them
 * (deterministic), else the self weight (statistical: samples or bytes). */
double   sp_run_stats_figure     (const SpRunStats *stats);

/* One function's figure over its runs; FALSE when it has fewer than two runs. */
gboolean sp_function_spread      (const SpFunctionStats *stats,
                                  SpSpread              *spread);

/* The total of every run: the wall seconds of the run summaries when the profile has them
 * (*seconds TRUE), else the sum of every function's figure in each run (*seconds TRUE for
 * corrected seconds, FALSE for weights).  FALSE when the profile has fewer than two runs. */
gboolean sp_profile_run_spread   (SpProfile       *profile,
                                  SpSpread        *spread,
                                  gboolean        *seconds);

/* The spread of one function's share of each run's total (percent, in the figure of
 * sp_run_stats_figure); FALSE when the function has fewer than two runs. */
gboolean sp_function_share_spread (SpProfile             *profile,
                                   const SpFunctionStats *stats,
                                   SpSpread              *spread);

G_END_DECLS
