/* bench-clock.h: clocks and figures shared by the benchmarks of the app's own code */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench-cpu.h"

static inline double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e3;
}


static inline int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Sorts times and prints their median and worst beside the target. */
static inline void
print_times (const char *what,
             double     *times,
             guint       n,
             const char *target)
{
  qsort (times, n, sizeof (double), compare_doubles);
  printf ("%s: median %.3f ms, worst %.3f ms CPU over %u runs%s\n", what, times[n / 2], times[n - 1], n,
          target);
}
