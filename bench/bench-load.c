/* bench-load: one file → model, nothing else, so that the process's peak memory is the
 * loader's (bench-scale.py reads it from wait4)
 *
 *   bench-load FILE
 *
 * Prints "SECONDS NODES FRAMES": the load's own wall time, without starting and ending the
 * process.
 */
#include <stdio.h>

#include "sp-profile-io.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;
  gint64 start;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-load FILE\n");
      return 2;
    }
  file = g_file_new_for_commandline_arg (argv[1]);
  start = g_get_monotonic_time ();
  profile = sp_profile_load (file, NULL, NULL, NULL, &error);
  if (profile == NULL)
    {
      fprintf (stderr, "bench-load: %s\n", error->message);
      return 1;
    }
  printf ("%.3f %u %u\n", (g_get_monotonic_time () - start) / 1e6,
          sp_profile_get_n_nodes (profile), sp_profile_get_n_frames (profile));
  return 0;
}
