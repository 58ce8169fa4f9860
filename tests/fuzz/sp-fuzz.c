/* sp-fuzz.c: loading fuzzed bytes, and what the CLI does with a profile once loaded */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "sp-cli-private.h"
#include "sp-fuzz.h"

static char *output_dir;

static void
remove_output_dir (void)
{
  g_autofree char *svg = g_build_filename (output_dir, "graph.svg", NULL);

  g_unlink (svg);
  g_rmdir (output_dir);
}

void
sp_fuzz_init (void)
{
  if (output_dir != NULL)
    return;
  /* a critical is a bug the fuzzer found, as in the tests (G_DEBUG=fatal-criticals) */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
  if (freopen ("/dev/null", "w", stdout) == NULL)
    g_error ("cannot send standard output to /dev/null");
  output_dir = g_dir_make_tmp ("sp-fuzz-XXXXXX", NULL);
  g_assert (output_dir != NULL);
  atexit (remove_output_dir);
}

SpProfile *
sp_fuzz_load (const guint8 *data,
              size_t        size,
              const char   *name)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GError) error = NULL;
  SpProfile *profile;

  profile = sp_profile_load_stream (stream, name, NULL, &error);
  /* a refusal must say why */
  g_assert ((profile == NULL) == (error != NULL));
  g_assert (error == NULL || (error->message != NULL && *error->message != '\0'));
  return profile;
}

static void
report_every_format (SpProfile *profile)
{
  static const char * const formats[] = { "flat", "json", "callers", "tree", "alloc", "folded" };
  static const char * const metrics[] = { NULL, "samples", "bytes", "baseline" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    sp_cli_report_profile (profile, "fuzz", formats[i], NULL, SP_FLAT_SORT_SELF, 40, NULL, 1.0);
  for (guint i = 1; i < G_N_ELEMENTS (metrics); i++)
    sp_cli_report_profile (profile, "fuzz", "flat", NULL, SP_FLAT_SORT_TOTAL, 5, metrics[i], 0);
  sp_cli_report_profile (profile, "fuzz", "tree", NULL, SP_FLAT_SORT_NAME, 5, NULL, 0);
  sp_cli_report_profile (profile, "fuzz", "callers", "a", SP_FLAT_SORT_CALLS, 5, NULL, 0);
}

static void
export_graphs (SpProfile *profile)
{
  g_autofree char *output = g_build_filename (output_dir, "graph.svg", NULL);
  SpGraphArgs args = { output, NULL, 0, 0, FALSE, FALSE, NULL, NULL };

  /* a new file each time: GLib syncs a file it replaces to disk, which would be most of the time */
  g_unlink (output);
  sp_cli_export_graph (profile, "svg", &args);
  g_unlink (output);
  args.reverse = TRUE;
  args.inverted = TRUE;
  args.min_width = 0.0001;
  sp_cli_export_graph (profile, "svg", &args);
  args.colors = "package";
  args.metric = "bytes";
  g_unlink (output);
  sp_cli_export_graph (profile, "svg", &args);
}

static void
export_and_reload (SpProfile *profile)
{
  static const SpFileFormat formats[] = { SP_FILE_FORMAT_FOLDED, SP_FILE_FORMAT_SPEEDSCOPE,
                                          SP_FILE_FORMAT_SBCLPROF };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(SpProfile) again = NULL;

      g_assert (sp_profile_write (profile, out, formats[i], NULL, &error));
      g_assert (g_output_stream_close (out, NULL, NULL));
      if (formats[i] != SP_FILE_FORMAT_SBCLPROF)
        continue;
      /* what we write, we read back */
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      again = sp_fuzz_load (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "x.sbclprof");
      g_assert (again != NULL);
      g_assert_cmpuint (sp_profile_get_n_nodes (again), ==, sp_profile_get_n_nodes (profile));
    }
}

void
sp_fuzz_exercise (SpProfile *profile)
{
  report_every_format (profile);
  export_graphs (profile);
  export_and_reload (profile);
  fflush (stdout);
}
