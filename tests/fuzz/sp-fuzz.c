/* sp-fuzz.c: loading fuzzed bytes, and what the CLI does with a profile once loaded */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

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

/* A critical or a warning is a bug the fuzzer found, as in the tests (G_DEBUG=fatal-warnings);
 * abort() rather than GLib's breakpoint trap, which libFuzzer would not catch and save. */
static GLogWriterOutput
write_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (level, fields, n_fields, user_data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

void
sp_fuzz_init (void)
{
  if (output_dir != NULL)
    return;
  g_log_set_writer_func (write_log, NULL, NULL);
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

/* Every report format; the variant picks the options beside them (sort, metric, threshold), so
 * that each input runs each code path once and the fuzzer still sees all of them. */
static void
report_every_format (SpProfile *profile,
                     guint      variant)
{
  static const char * const formats[] = { "flat", "json", "callers", "tree", "alloc", "folded" };
  static const char * const metrics[] = { NULL, "samples", "bytes", "baseline" };
  static const SpFlatSort sorts[] = { SP_FLAT_SORT_SELF, SP_FLAT_SORT_TOTAL, SP_FLAT_SORT_CALLS,
                                      SP_FLAT_SORT_NAME };
  const char *metric = metrics[variant % G_N_ELEMENTS (metrics)];
  SpFlatSort sort = sorts[(variant >> 2) % G_N_ELEMENTS (sorts)];
  double min_percent = (variant >> 4) % 2 ? 0 : 1.0;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    sp_cli_report_profile (profile, "fuzz", formats[i], NULL, sort, 40, metric, min_percent,
                           (variant >> 5) % 2);
  if ((variant >> 5) % 2)
    sp_cli_report_profile (profile, "fuzz", "callers", "a", sort, 5, metric, 0, FALSE);
}

/* `export --to svg`, with the graph options the variant picks. */
static void
export_graph (SpProfile *profile,
              guint      variant)
{
  static const char * const colors[] = { NULL, "hot", "package", "kind", "diff" };
  g_autofree char *output = g_build_filename (output_dir, "graph.svg", NULL);
  SpGraphArgs args = { output, NULL, 0, 0, FALSE, FALSE, NULL, NULL };

  args.reverse = (variant >> 6) % 2;
  args.inverted = (variant >> 7) % 2;
  args.min_width = (variant >> 8) % 2 ? 0.0001 : 0;
  args.colors = (char *) colors[(variant >> 9) % G_N_ELEMENTS (colors)];
  args.metric = (variant >> 12) % 2 ? "bytes" : NULL;
  /* a new file each time: GLib syncs a file it replaces to disk, which would be most of the time */
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
sp_fuzz_exercise (SpProfile    *profile,
                  const guint8 *data,
                  size_t        size)
{
  /* the same input always takes the same options: libFuzzer needs that */
  guint variant = size > 0 ? data[size / 2] * 31u + data[size - 1] + size : 0;

  report_every_format (profile, variant);
  export_graph (profile, variant);
  export_and_reload (profile);
  fflush (stdout);
}
