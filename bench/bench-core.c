/* bench-core: the derived views on a large model (flat table, callers/callees, bottom-up) */
#include "bench-model.h"
#include "sp-analysis.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(SpProfile) inverted = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(SpCallGraphEntry) entry = NULL;
  gint64 start;
  double best = G_MAXDOUBLE;
  double inversions[3], inversions_cpu[3];

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-core FILE\n");
      return 2;
    }
  profile = load_or_exit ("bench-core", argv[1]);
  printf ("model: %u nodes, %u frames\n", sp_profile_get_n_nodes (profile),
          sp_profile_get_n_frames (profile));

  /* best of five: the figure is the cost of the work, not of a cold cache */
  for (int i = 0; i < 5; i++)
    {
      g_clear_pointer (&rows, g_array_unref);
      start = g_get_monotonic_time ();
      rows = sp_profile_flat_table (profile, SP_METRIC_SAMPLES);
      sp_flat_table_sort (rows, profile, SP_FLAT_SORT_SELF);
      best = MIN (best, seconds_since (start));
    }
  printf ("flat table: %.1f ms for %u functions (target <= 50 ms)\n", best * 1000, rows->len);

  start = g_get_monotonic_time ();
  entry = sp_profile_call_graph_entry (profile, g_array_index (rows, SpFlatRow, 0).frame,
                                       SP_METRIC_SAMPLES);
  printf ("callers/callees of the top function: %.1f ms (%u callers, %u callees)\n",
          seconds_since (start) * 1000, entry->callers->len, entry->callees->len);

  /* the median of three: on a shared machine one run moves with every hiccup */
  for (guint i = 0; i < G_N_ELEMENTS (inversions); i++)
    {
      g_clear_object (&inverted);
      double cpu = cpu_seconds ();

      start = g_get_monotonic_time ();
      inverted = sp_profile_invert (profile);
      inversions[i] = seconds_since (start);
      inversions_cpu[i] = cpu_seconds () - cpu;
    }
  qsort (inversions, G_N_ELEMENTS (inversions), sizeof (double), compare_doubles);
  qsort (inversions_cpu, G_N_ELEMENTS (inversions_cpu), sizeof (double), compare_doubles);
  printf ("bottom-up tree: median %.2f s of %.2f–%.2f s, CPU %.2f s (%u nodes)\n", inversions[1],
          inversions[0], inversions[2], inversions_cpu[1], sp_profile_get_n_nodes (inverted));
  return 0;
}
