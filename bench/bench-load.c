/* bench-load: one file → model, nothing else, so that the process's peak memory is the
 * loader's (bench-scale.py reads it from wait4)
 *
 *   bench-load FILE
 *
 * Prints "SECONDS NODES FRAMES": the load's own wall time, without starting and ending the
 * process.
 */
#include "bench-model.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SpProfile) profile = NULL;
  gint64 start;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-load FILE\n");
      return 2;
    }
  start = g_get_monotonic_time ();
  profile = load_or_exit ("bench-load", argv[1]);
  printf ("%.3f %u %u\n", seconds_since (start),
          sp_profile_get_n_nodes (profile), sp_profile_get_n_frames (profile));
  return 0;
}
