/* sp-cli-export-graph.c: `sbcl-profiler export --to svg|png`, the flame graph as a file */
#define G_LOG_DOMAIN "sp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <librsvg/rsvg.h>

#include "sp-cli-private.h"
#include "sp-svg-writer.h"

static gboolean
options_from_args (const SpGraphArgs *args,
                   SpProfile         *profile,
                   SpSvgOptions      *options,
                   GError           **error)
{
  sp_svg_options_init (options);
  options->title = args->title != NULL ? args->title : args->name;
  options->inverted = args->inverted;
  options->reverse = args->reverse;
  options->metric = sp_profile_get_default_metric (profile);
  /* a two-count folded file or a merged comparison is drawn as a differential graph */
  if (sp_profile_has_metric (profile, SP_METRIC_BASELINE))
    options->colors = SP_FLAME_COLORS_DIFF;

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
                   _("unknown colour scheme “%s” (expected hot, package, kind or diff)"), args->colors);
      return FALSE;
    }
  if (options->colors == SP_FLAME_COLORS_DIFF && !sp_profile_has_metric (profile, SP_METRIC_BASELINE))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("the diff colour scheme needs a baseline: a two-count folded file or a "
                     "comparison (see “sbcl-profiler diff”)"));
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
sp_cli_export_graph (SpProfile         *profile,
                     const char        *to,
                     const SpGraphArgs *args)
{
  g_autoptr(GError) error = NULL;
  SpSvgOptions options;
  gboolean png;

  g_return_val_if_fail (SP_IS_PROFILE (profile), 1);
  g_return_val_if_fail (to != NULL, 1);

  png = g_ascii_strcasecmp (to, "png") == 0;
  if (!png && g_ascii_strcasecmp (to, "svg") != 0)
    return sp_cli_fail (_("export: “%s” is not a graph format (expected svg or png)"), to);
  if (!options_from_args (args, profile, &options, &error))
    return sp_cli_fail ("export: %s", error->message);
  if (args->output == NULL)
    return sp_cli_fail (_("export: -o OUT is required"));
  /* a picture has no script: no Search, case toggle or Reset Zoom that could not work */
  options.picture = png;

  if (!export_graph (profile, &options, png, args->output, &error))
    return sp_cli_fail (_("export: could not write “%s”: %s"), args->output, error->message);

  return 0;
}
