/* test-svg.c: the SVG flame graph renders with librsvg and escapes names */
#include <glib/gstdio.h>
#include <librsvg/rsvg.h>

#include "sp-svg-writer.h"
#include "sp-test-util.h"

static const char * const demo[] = {
  "main;WEIRD;leaf 5",
  "main;run;fib;fib 10",
  "main;\"quoted\" 'name' 3",
  "main 1",
  NULL
};

/* The demo profile with WEIRD named with what SBCL allows in |…| symbols and the folded
 * format cannot hold: a semicolon, markup characters, spaces. */
static SpProfile *
weird_profile_new (void)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) plain = sp_test_profile_from_lines (demo);
  const guint32 *parents = sp_profile_get_node_parents (plain);
  const guint32 *frames = sp_profile_get_node_frames (plain);
  const double *self = sp_profile_get_self_weights (plain, SP_METRIC_SAMPLES);
  g_autofree guint32 *map = g_new (guint32, sp_profile_get_n_nodes (plain));

  for (guint32 i = 0; i < sp_profile_get_n_nodes (plain); i++)
    {
      const char *name = sp_profile_get_frame (plain, frames[i])->name;
      guint32 frame = sp_profile_builder_intern_frame (builder, g_str_equal (name, "WEIRD")
                                                       ? "|weird;name <&> with spaces|" : name, -1);

      map[i] = sp_profile_builder_get_child (builder, parents[i] == SP_NO_NODE ? SP_NO_NODE
                                                      : map[parents[i]], frame);
      sp_profile_builder_add_weight (builder, map[i], SP_METRIC_SAMPLES, self[i]);
    }

  return sp_profile_builder_end (builder);
}

static char *
write_svg (SpProfile          *profile,
           const SpSvgOptions *options)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_svg_write (profile, options, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

/* Renders the SVG and counts pixels that are neither background nor transparent. */
static guint
count_coloured_pixels (const char *svg,
                       int        *width,
                       int        *height)
{
  g_autoptr(GError) error = NULL;
  RsvgHandle *handle = rsvg_handle_new_from_data ((const guint8 *) svg, strlen (svg), &error);
  cairo_surface_t *surface;
  cairo_t *cr;
  double w, h;
  guint coloured = 0;

  g_assert_no_error (error);
  g_assert_true (rsvg_handle_get_intrinsic_size_in_pixels (handle, &w, &h));
  *width = (int) w;
  *height = (int) h;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, *width, *height);
  cr = cairo_create (surface);
  g_assert_true (rsvg_handle_render_document (handle, cr, &(RsvgRectangle) { 0, 0, w, h }, &error));
  g_assert_no_error (error);
  cairo_surface_flush (surface);

  for (int y = 0; y < *height; y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface) +
                                              y * cairo_image_surface_get_stride (surface));
      for (int x = 0; x < *width; x++)
        {
          guint8 r = (row[x] >> 16) & 0xff, g = (row[x] >> 8) & 0xff, b = row[x] & 0xff;
          /* the flame colours are saturated; the background is grey to pale yellow */
          if (r > 150 && r - b > 60 && g < 220)
            coloured++;
        }
    }

  if (g_getenv ("SP_TEST_OUTPUT_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("SP_TEST_OUTPUT_DIR"), "test-svg.png", NULL);
      cairo_surface_write_to_png (surface, path);
    }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_object_unref (handle);
  return coloured;
}

static void
test_svg_renders (void)
{
  g_autoptr(SpProfile) p = weird_profile_new ();
  SpSvgOptions options;
  g_autofree char *svg = NULL;
  int width, height;
  guint coloured;

  sp_svg_options_init (&options);
  options.width = 600;
  options.title = "Demo & <test>";
  svg = write_svg (p, &options);

  coloured = count_coloured_pixels (svg, &width, &height);
  g_assert_cmpint (width, ==, 600);
  /* title and details pads plus 5 rows (all, main, run, fib, fib) */
  g_assert_cmpint (height, ==, 12 * 3 + 12 * 2 + 10 + 5 * 16);
  /* the frames cover most of 580 x 80 pixels */
  g_assert_cmpuint (coloured, >, 580 * 60 / 2);

  g_assert_nonnull (strstr (svg, "<text id=\"title\" x=\"300.0\" y=\"24\">Demo &amp; &lt;test&gt;</text>"));
  g_assert_nonnull (strstr (svg, "function init("));
  g_assert_nonnull (strstr (svg, "Reset Zoom"));
  g_assert_nonnull (strstr (svg, ">Search<"));
}

/* A picture (for a PNG) leaves out the script and the controls only a script works; the
 * frames and the title stay. */
static void
test_svg_picture (void)
{
  g_autoptr(SpProfile) p = weird_profile_new ();
  SpSvgOptions options;
  g_autofree char *svg = NULL;
  int width, height;

  sp_svg_options_init (&options);
  options.width = 600;
  options.title = "demo.sbclprof";
  options.picture = TRUE;
  svg = write_svg (p, &options);

  g_assert_null (strstr (svg, "<script"));
  g_assert_null (strstr (svg, "onload"));
  g_assert_null (strstr (svg, ">Search<"));
  g_assert_null (strstr (svg, ">ic<"));
  g_assert_null (strstr (svg, "Reset Zoom"));
  g_assert_nonnull (strstr (svg, ">demo.sbclprof</text>"));
  g_assert_cmpuint (count_coloured_pixels (svg, &width, &height), >, 580 * 60 / 2);
}

static void
test_svg_escapes_names (void)
{
  g_autoptr(SpProfile) p = weird_profile_new ();
  SpSvgOptions options;
  g_autofree char *svg = NULL;

  sp_svg_options_init (&options);
  svg = write_svg (p, &options);

  g_assert_nonnull (strstr (svg, "<title>|weird;name &lt;&amp;&gt; with spaces| (5 samples, 26.32%)</title>"));
  g_assert_nonnull (strstr (svg, "&quot;quoted&quot; &apos;name&apos;"));
  g_assert_null (strstr (svg, "<&>"));
  g_assert_null (strstr (svg, "\"quoted\""));
}

static void
test_svg_escape_function (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  sp_svg_append_escaped (out, "a<b>&\"c\" \001\x7f \xff");
  g_assert_cmpstr (out->str, ==, "a&lt;b&gt;&amp;&quot;c&quot; \xef\xbf\xbd\x7f \xef\xbf\xbd");
}

static void
test_svg_options (void)
{
  g_autoptr(SpProfile) p = weird_profile_new ();
  SpSvgOptions options;
  g_autofree char *flame = NULL;
  g_autofree char *icicle = NULL;
  g_autofree char *reversed = NULL;
  g_autofree char *narrow = NULL;
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  sp_svg_options_init (&options);
  flame = write_svg (p, &options);
  /* "all" sits at the bottom of a flame graph and at the top of an icicle */
  g_assert_nonnull (strstr (flame, "<title>all (19 samples, 100.00%)</title><rect x=\"10.00\" y=\"100.0\""));
  options.inverted = TRUE;
  icicle = write_svg (p, &options);
  g_assert_nonnull (strstr (icicle, "<title>all (19 samples, 100.00%)</title><rect x=\"10.00\" y=\"36.0\""));

  /* bottom-up: the leaves are the roots */
  options.inverted = FALSE;
  options.reverse = TRUE;
  reversed = write_svg (p, &options);
  g_assert_nonnull (strstr (reversed, "data-row=\"1\"><title>fib (10 samples"));
  g_assert_null (strstr (flame, "data-row=\"1\"><title>fib (10 samples"));

  /* frames under minwidth pixels are left out */
  options.reverse = FALSE;
  options.min_width = 500;
  narrow = write_svg (p, &options);
  g_assert_null (strstr (narrow, "<title>leaf"));
  g_assert_nonnull (strstr (narrow, "<title>fib"));

  options.width = 5;
  g_assert_false (sp_svg_write (p, &options, stream, NULL, &error));
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
  g_clear_error (&error);
  options.width = 800;
  options.metric = SP_METRIC_BYTES;
  g_assert_false (sp_svg_write (p, &options, stream, NULL, &error));
  g_assert_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID);
}

/* A profile without samples still gives a valid picture: just "all". */
static void
test_svg_empty_profile (void)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) p = NULL;
  SpSvgOptions options;
  g_autofree char *svg = NULL;
  int width, height;

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  p = sp_profile_builder_end (builder);
  sp_svg_options_init (&options);
  svg = write_svg (p, &options);
  g_assert_nonnull (strstr (svg, "<title>all (0 samples, 0.00%)</title>"));
  count_coloured_pixels (svg, &width, &height);
  g_assert_cmpint (height, ==, 12 * 3 + 12 * 2 + 10 + 16);
}

static int
run_cli (const char * const *argv,
         char              **err)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, err,
                               &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

/* `sbcl-profiler export --to svg|png` with the graph's options, end to end. */
static void
test_cli_export (void)
{
  const char *cli = g_getenv ("SP_CLI");
  g_autofree char *dir = NULL;
  g_autofree char *folded = NULL, *svg_path = NULL, *png_path = NULL;
  g_autofree char *svg = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *png;

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("sbcl-profiler is not built");
      return;
    }

  dir = g_dir_make_tmp ("test-svg-XXXXXX", &error);
  g_assert_no_error (error);
  folded = g_build_filename (dir, "demo.folded", NULL);
  svg_path = g_build_filename (dir, "out.svg", NULL);
  png_path = g_build_filename (dir, "out.png", NULL);
  g_assert_true (g_file_set_contents (folded, "main;run;fib 6\nmain;run;cons 3\nmain 1\n", -1, NULL));

  {
    const char *argv[] = { cli, "export", folded, "--to", "svg", "-o", svg_path, "--title", "T <1>",
                           "--width", "640", "--inverted", "--colors", "kind", NULL };
    g_assert_cmpint (run_cli (argv, NULL), ==, 0);
  }
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "width=\"640\""));
  g_assert_nonnull (strstr (svg, ">T &lt;1&gt;</text>"));
  /* icicle: "all" at the top, under the title */
  g_assert_nonnull (strstr (svg, "<title>all (10 samples, 100.00%)</title><rect x=\"10.00\" y=\"36.0\""));

  {
    const char *argv[] = { cli, "export", folded, "--to", "png", "-o", png_path, "--width", "500", NULL };
    g_assert_cmpint (run_cli (argv, NULL), ==, 0);
  }
  png = cairo_image_surface_create_from_png (png_path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 500);
  cairo_surface_destroy (png);

  /* without --title, the graph is named after its profile */
  {
    const char *argv[] = { cli, "export", folded, "--to", "svg", "-o", svg_path, NULL };
    g_assert_cmpint (run_cli (argv, NULL), ==, 0);
  }
  g_clear_pointer (&svg, g_free);
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, ">demo.folded</text>"));

  {
    const char *argv[] = { cli, "export", folded, "--to", "svg", "-o", svg_path, "--colors", "rainbow", NULL };
    g_assert_cmpint (run_cli (argv, &err), ==, 1);
    g_assert_nonnull (strstr (err, "unknown colour scheme"));
  }

  g_unlink (folded);
  g_unlink (svg_path);
  g_unlink (png_path);
  g_rmdir (dir);
}

/* The fill of the first frame titled name, as "rgb(r,g,b)" components. */
static void
fill_of (const char *svg,
         const char *name,
         int        *rgb)
{
  g_autofree char *title = g_strdup_printf ("<title>%s (", name);
  const char *at = strstr (svg, title);

  g_assert_nonnull (at);
  at = strstr (at, "fill=\"rgb(");
  g_assert_nonnull (at);
  g_assert_cmpint (sscanf (at, "fill=\"rgb(%d,%d,%d)", &rgb[0], &rgb[1], &rgb[2]), ==, 3);
}

/* The colour librsvg draws in the middle of the first frame titled name, as 0xRRGGBB. */
static guint32
rendered_fill_of (const char *svg,
                  const char *name)
{
  g_autofree char *title = g_strdup_printf ("<title>%s (", name);
  const char *at = strstr (svg, title);
  g_autoptr(GError) error = NULL;
  RsvgHandle *handle = rsvg_handle_new_from_data ((const guint8 *) svg, strlen (svg), &error);
  cairo_surface_t *surface;
  cairo_t *cr;
  double x, y, width, w, h;
  guint32 pixel;

  g_assert_no_error (error);
  g_assert_nonnull (at);
  at = strstr (at, "<rect ");
  g_assert_nonnull (at);
  g_assert_cmpint (sscanf (at, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\"", &x, &y, &width), ==, 3);
  g_assert_true (rsvg_handle_get_intrinsic_size_in_pixels (handle, &w, &h));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) w, (int) h);
  cr = cairo_create (surface);
  g_assert_true (rsvg_handle_render_document (handle, cr, &(RsvgRectangle) { 0, 0, w, h }, &error));
  g_assert_no_error (error);
  cairo_surface_flush (surface);
  pixel = ((const guint32 *) (cairo_image_surface_get_data (surface) +
                              (int) (y + 7) * cairo_image_surface_get_stride (surface)))[(int) (x + width / 2)];

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_object_unref (handle);
  return pixel & 0xffffff;
}

/* A two-count folded file exports as a differential graph: red growth, blue shrinkage. */
static void
test_cli_export_diff (void)
{
  const char *cli = g_getenv ("SP_CLI");
  g_autofree char *dir = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *svg_path = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int fib[3], cons[3];

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("sbcl-profiler is not built");
      return;
    }

  dir = g_dir_make_tmp ("test-svg-XXXXXX", &error);
  g_assert_no_error (error);
  folded = g_build_filename (dir, "two-count.folded", NULL);
  plain = g_build_filename (dir, "plain.folded", NULL);
  svg_path = g_build_filename (dir, "out.svg", NULL);
  g_assert_true (g_file_set_contents (folded, "main;run;fib 2 12\nmain;run;cons 7 6\nmain 1 2\n", -1, NULL));
  g_assert_true (g_file_set_contents (plain, "main;run;fib 6\n", -1, NULL));

  {
    const char *argv[] = { cli, "export", folded, "--to", "svg", "-o", svg_path, NULL };
    g_assert_cmpint (run_cli (argv, NULL), ==, 0);
  }
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  fill_of (svg, "fib", fib);
  fill_of (svg, "cons", cons);
  g_assert_cmpint (fib[0], >, fib[2] + 80);     /* 20 % → 60 %: red */
  g_assert_cmpint (cons[2], >, cons[0] + 80);   /* 70 % → 30 %: blue */
  g_assert_nonnull (strstr (svg, "<title>fib (12 samples, 60.00%) 20.00% \xe2\x86\x92 60.00% (+40.00)</title>"));
  /* a legend says what the colours mean, after the frames so that it is drawn over nothing */
  g_assert_nonnull (strstr (svg, "<g id=\"legend\">"));
  g_assert_true (strstr (svg, "<g id=\"legend\">") > strstr (svg, "<g id=\"frames\">"));
  g_assert_nonnull (strstr (svg, ">grew</text>"));
  g_assert_nonnull (strstr (svg, ">shrank</text>"));
  g_assert_nonnull (strstr (svg, ">unchanged</text>"));
  /* and librsvg draws them so */
  {
    guint32 red = rendered_fill_of (svg, "fib"), blue = rendered_fill_of (svg, "cons");

    g_assert_cmpuint (red >> 16, >, (red & 0xff) + 80);
    g_assert_cmpuint (blue & 0xff, >, (blue >> 16) + 80);
  }

  /* an ordinary graph has no legend */
  {
    const char *argv[] = { cli, "export", plain, "--to", "svg", "-o", svg_path, NULL };
    g_autofree char *plain_svg = NULL;

    g_assert_cmpint (run_cli (argv, NULL), ==, 0);
    g_assert_true (g_file_get_contents (svg_path, &plain_svg, NULL, NULL));
    g_assert_null (strstr (plain_svg, "id=\"legend\""));
  }

  {
    const char *argv[] = { cli, "export", plain, "--to", "svg", "-o", svg_path, "--colors", "diff", NULL };
    g_assert_cmpint (run_cli (argv, &err), ==, 1);
    g_assert_nonnull (strstr (err, "needs a baseline"));
  }

  g_unlink (folded);
  g_unlink (plain);
  g_unlink (svg_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/svg/renders", test_svg_renders);
  g_test_add_func ("/svg/picture", test_svg_picture);
  g_test_add_func ("/svg/escapes-names", test_svg_escapes_names);
  g_test_add_func ("/svg/escape-function", test_svg_escape_function);
  g_test_add_func ("/svg/options", test_svg_options);
  g_test_add_func ("/svg/empty-profile", test_svg_empty_profile);
  g_test_add_func ("/svg/cli-export", test_cli_export);
  g_test_add_func ("/svg/cli-export-diff", test_cli_export_diff);

  return g_test_run ();
}
