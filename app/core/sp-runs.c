/* sp-runs.c: figures over repeated runs */
#include "config.h"

#include <string.h>

#include "sp-runs.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

gboolean
sp_spread_of (const double *values,
              guint         n,
              SpSpread     *spread)
{
  g_autofree double *sorted = NULL;

  memset (spread, 0, sizeof *spread);
  if (n == 0)
    return FALSE;
  sorted = g_memdup2 (values, sizeof (double) * n);
  qsort (sorted, n, sizeof (double), compare_doubles);
  spread->n = n;
  spread->min = sorted[0];
  spread->max = sorted[n - 1];
  spread->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return TRUE;
}

double
sp_spread_percent (const SpSpread *spread)
{
  return spread->median > 0 ? 100.0 * (spread->max - spread->min) / spread->median : 0;
}

double
sp_run_stats_figure (const SpRunStats *stats)
{
  if (stats->seconds >= 0)
    return stats->seconds;
  return MAX (stats->self_weight, 0);
}

gboolean
sp_function_spread (const SpFunctionStats *stats,
                    SpSpread              *spread)
{
  g_autofree double *values = NULL;

  memset (spread, 0, sizeof *spread);
  if (stats == NULL || stats->n_runs < 2)
    return FALSE;
  values = g_new (double, stats->n_runs);
  for (guint i = 0; i < stats->n_runs; i++)
    values[i] = sp_run_stats_figure (&stats->runs[i]);
  return sp_spread_of (values, stats->n_runs, spread);
}

/* The sum of every function's figure in each run; NULL when no function has two runs. */
static double *
run_totals (SpProfile *profile,
            guint     *n_runs,
            gboolean  *seconds)
{
  guint n = 0;
  double *totals;

  for (guint i = 0; i < sp_profile_get_n_function_stats (profile); i++)
    n = MAX (n, sp_profile_get_function_stats (profile, i)->n_runs);
  *n_runs = n;
  if (n < 2)
    return NULL;
  totals = g_new0 (double, n);
  for (guint i = 0; i < sp_profile_get_n_function_stats (profile); i++)
    {
      const SpFunctionStats *stats = sp_profile_get_function_stats (profile, i);

      for (guint r = 0; r < stats->n_runs; r++)
        {
          totals[r] += sp_run_stats_figure (&stats->runs[r]);
          *seconds = stats->runs[r].seconds >= 0;
        }
    }
  return totals;
}

gboolean
sp_profile_run_spread (SpProfile *profile,
                       SpSpread  *spread,
                       gboolean  *seconds)
{
  guint n = 0;
  const SpRunSummary *summaries = sp_profile_get_run_summaries (profile, &n);
  g_autofree double *values = NULL;

  memset (spread, 0, sizeof *spread);
  if (summaries != NULL && n >= 2)
    {
      values = g_new (double, n);
      for (guint i = 0; i < n; i++)
        values[i] = MAX (summaries[i].seconds, 0);
      *seconds = TRUE;
      return sp_spread_of (values, n, spread);
    }
  values = run_totals (profile, &n, seconds);
  return values != NULL && sp_spread_of (values, n, spread);
}

gboolean
sp_function_share_spread (SpProfile             *profile,
                          const SpFunctionStats *stats,
                          SpSpread              *spread)
{
  guint n = 0;
  gboolean seconds = FALSE;
  g_autofree double *totals = run_totals (profile, &n, &seconds);
  g_autofree double *shares = NULL;

  memset (spread, 0, sizeof *spread);
  if (totals == NULL || stats == NULL || stats->n_runs < 2)
    return FALSE;
  shares = g_new (double, stats->n_runs);
  for (guint r = 0; r < stats->n_runs; r++)
    shares[r] = r < n && totals[r] > 0 ? 100.0 * sp_run_stats_figure (&stats->runs[r]) / totals[r] : 0;
  return sp_spread_of (shares, stats->n_runs, spread);
}
