/* bench-formats.c: speed of the file formats on a big folded file
 *
 *   bench-formats FILE.folded
 *
 * Prints folded → model time and peak memory, model → .sbclprof and back, and folded export,
 * against the targets of design.md.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>

#include "bench-cpu.h"
#include "sp-profile-io.h"

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/* CPU seconds of the process: on a busy machine, wall time says little on its own. */
static gint64
file_size (GFile *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  return info != NULL ? g_file_info_get_size (info) : -1;
}

static SpProfile *
load_or_die (GFile      *file,
             const char *what)
{
  g_autoptr(GError) error = NULL;
  SpProfile *profile = sp_profile_load (file, NULL, NULL, NULL, &error);

  if (profile == NULL)
    g_error ("%s: %s", what, error->message);
  return profile;
}

static void
save_or_die (SpProfile    *profile,
             GFile        *file,
             SpFileFormat  format)
{
  g_autoptr(GError) error = NULL;

  if (!sp_profile_save (profile, file, format, NULL, &error))
    g_error ("saving: %s", error->message);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) input = NULL;
  g_autoptr(GFile) saved = NULL;
  g_autoptr(GFile) exported = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(SpProfile) reloaded = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  double seconds, cpu;

  if (argc != 2)
    {
      g_printerr ("usage: %s FILE.folded\n", argv[0]);
      return 2;
    }
  if ((dir = g_dir_make_tmp ("bench-formats-XXXXXX", &error)) == NULL)
    g_error ("%s", error->message);
  input = g_file_new_for_commandline_arg (argv[1]);
  saved = g_file_new_build_filename (dir, "profile.sbclprof", NULL);
  exported = g_file_new_build_filename (dir, "profile.folded", NULL);

  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  profile = load_or_die (input, argv[1]);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds () - cpu;
  g_print ("input: %s, %.1f MB, %u frames, %u nodes, %.0f samples\n", argv[1],
           file_size (input) / 1e6, sp_profile_get_n_frames (profile),
           sp_profile_get_n_nodes (profile), sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES));
  g_print ("folded->model: %.2f s (target <= 0.7 s), peak RSS %.0f MB (target <= 300 MB), cpu %.2f s\n",
           seconds, peak_rss_mb (), cpu);

  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  save_or_die (profile, saved, SP_FILE_FORMAT_SBCLPROF);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds () - cpu;
  g_print ("model->sbclprof save: %.2f s (target <= 0.5 s), file %.1f MB, cpu %.2f s\n",
           seconds, file_size (saved) / 1e6, cpu);

  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  reloaded = load_or_die (saved, "reloading the .sbclprof");
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds () - cpu;
  g_print ("sbclprof load: %.2f s (target <= 0.5 s), %u nodes, cpu %.2f s\n",
           seconds, sp_profile_get_n_nodes (reloaded), cpu);

  start = g_get_monotonic_time ();
  save_or_die (profile, exported, SP_FILE_FORMAT_FOLDED);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("folded export: %.2f s, file %.1f MB\n", seconds, file_size (exported) / 1e6);

  g_file_delete (saved, NULL, NULL);
  g_file_delete (exported, NULL, NULL);
  g_rmdir (dir);
  return 0;
}
