/* bench-model.h: what the benchmarks that load a profile file share */
#pragma once

#include <stdio.h>
#include <stdlib.h>

#include "bench-cpu.h"
#include "sp-profile-io.h"

static inline double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The profile in path; a file that cannot be read ends the benchmark with its reason. */
static inline SpProfile *
load_or_exit (const char *program,
              const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  SpProfile *profile = sp_profile_load (file, NULL, NULL, NULL, &error);

  if (profile == NULL)
    {
      fprintf (stderr, "%s: %s\n", program, error->message);
      exit (1);
    }
  return profile;
}
