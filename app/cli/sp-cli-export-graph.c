/* sp-cli-export-graph.c: `sbcl-profiler export --to svg|png`, the flame graph as a file */
#define G_LOG_DOMAIN "sp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <librsvg/rsvg.h>

#include "sp-cli-private.h"
#include "sp-svg-writer.h"

typedef struct
{
  char     *output;
  char     *title;
  int       width;
  double    min_width;
  gboolean  inverted;
  gboolean  reverse;
  char     *colors;
  char     *metric;
} SpGraphArgs;

static void
sp_graph_args_clear (SpGraphArgs *args)
{
  g_free (args->output);
  g_free (args->title);
  g_free (args->colors);
  g_free (args->metric);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SpGraphArgs, sp_graph_args_clear)

/* Options of the flame graph; what export itself takes (--to, FILE) is left alone. */
static gboolean
parse_graph_args (SpGraphArgs  *args,
                  int           argc,
                  char        **argv,
                  GError      **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(GStrv) copy = g_new0 (char *, argc + 1);
  char **parse_argv = copy;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args->output, N_("The file to write"), "OUT" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &args->title, N_("The title of the graph"), "TITLE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &args->width, N_("Width in pixels (1200)"), "PX" },
    { "minwidth", 0, 0, G_OPTION_ARG_DOUBLE, &args->min_width,
      N_("Leave out frames narrower than this many pixels (0.1)"), "PX" },
    { "inverted", 0, 0, G_OPTION_ARG_NONE, &args->inverted, N_("Icicle graph: the root at the top"), NULL },
    { "reverse", 0, 0, G_OPTION_ARG_NONE, &args->reverse, N_("Bottom-up: reverse the stacks"), NULL },
    { "colors", 0, 0, G_OPTION_ARG_STRING, &args->colors, N_("hot, package or kind"), "SCHEME" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &args->metric, N_("samples or bytes"), "METRIC" },
    { NULL }
  };

  for (int i = 0; i < argc; i++)
    copy[i] = g_strdup (argv[i]);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return g_option_context_parse_strv (context, &parse_argv, error);
}

static gboolean
options_from_args (const SpGraphArgs *args,
                   SpProfile         *profile,
                   SpSvgOptions      *options,
                   GError           **error)
{
  sp_svg_options_init (options);
  options->title = args->title;
  options->inverted = args->inverted;
  options->reverse = args->reverse;
  options->metric = sp_profile_get_default_metric (profile);

  if (args->width != 0 && (args->width < 100 || args->width > 100000))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--width must be between 100 and 100000 pixels, not %d"), args->width);
      return FALSE;
    }
  if (args->width != 0)
    options->width = args->width;
  if (args->min_width < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--minwidth must not be negative"));
      return FALSE;
    }
  if (args->min_width > 0)
    options->min_width = args->min_width;
  if (args->colors != NULL && !sp_flame_colors_from_string (args->colors, &options->colors))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("unknown colour scheme “%s” (expected hot, package or kind)"), args->colors);
      return FALSE;
    }
  if (args->metric != NULL && !sp_metric_from_string (args->metric, &options->metric))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("unknown metric “%s” (expected samples or bytes)"), args->metric);
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_png (GBytes      *svg,
           const char  *path,
           GError     **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (svg);
  RsvgHandle *handle;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width, height;
  gboolean ok;

  handle = rsvg_handle_new_from_stream_sync (stream, NULL, RSVG_HANDLE_FLAGS_NONE, NULL, error);
  if (handle == NULL)
    return FALSE;
  rsvg_handle_get_intrinsic_size_in_pixels (handle, &width, &height);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
  cr = cairo_create (surface);
  ok = rsvg_handle_render_document (handle, cr, &(RsvgRectangle) { 0, 0, width, height }, error);
  cairo_destroy (cr);
  g_object_unref (handle);

  status = ok ? cairo_surface_write_to_png (surface, path) : CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy (surface);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }

  return ok;
}

static gboolean
export_graph (SpProfile          *profile,
              const SpSvgOptions *options,
              gboolean            png,
              const char         *output,
              GError            **error)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) svg = NULL;
  g_autoptr(GFile) file = NULL;

  if (!sp_svg_write (profile, options, memory, NULL, error) ||
      !g_output_stream_close (memory, NULL, error))
    return FALSE;
  svg = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));

  if (png)
    return write_png (svg, output, error);

  file = g_file_new_for_commandline_arg (output);
  return g_file_replace_contents (file, g_bytes_get_data (svg, NULL), g_bytes_get_size (svg),
                                  NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

int
sp_cli_export_graph (SpProfile   *profile,
                     const char  *to,
                     int          argc,
                     char       **argv)
{
  g_auto(SpGraphArgs) args = { NULL };
  g_autoptr(GError) error = NULL;
  SpSvgOptions options;
  gboolean png;

  g_return_val_if_fail (SP_IS_PROFILE (profile), 1);
  g_return_val_if_fail (to != NULL, 1);

  png = g_ascii_strcasecmp (to, "png") == 0;
  if (!png && g_ascii_strcasecmp (to, "svg") != 0)
    return sp_cli_fail (_("export: “%s” is not a graph format (expected svg or png)"), to);
  if (!parse_graph_args (&args, argc, argv, &error) ||
      !options_from_args (&args, profile, &options, &error))
    return sp_cli_fail ("export: %s", error->message);
  if (args.output == NULL)
    return sp_cli_fail (_("export: -o OUT is required"));

  if (!export_graph (profile, &options, png, args.output, &error))
    return sp_cli_fail (_("export: could not write “%s”: %s"), args.output, error->message);

  return 0;
}
