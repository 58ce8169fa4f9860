/* sp-svg-writer.c: the flame graph as an interactive SVG
 *
 * The geometry comes from SpFlameLayout with frames narrower than min_width left out, so the
 * file stays small however big the profile is.  Labels are cut to fit here as well as in the
 * script, so that the picture reads right even where no script runs.
 */
#define G_LOG_DOMAIN "sp-svg-writer"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "sp-analysis.h"
#include "sp-core-resources.h"
#include "sp-flame-layout.h"
#include "sp-svg-writer.h"

#define ROW_HEIGHT  16
#define FONT_SIZE   12
#define FONT_WIDTH  0.59
#define X_PAD       10
#define TOP_PAD     (FONT_SIZE * 3)
#define BOTTOM_PAD  (FONT_SIZE * 2 + 10)
#define LEGEND_PAD  (FONT_SIZE + 8)     /* the differential legend's line, above the details */
#define SCRIPT_PATH "/io/github/sbclprofiler/SbclProfiler/core/sp-svg-script.js"

typedef struct
{
  const SpSvgOptions *options;
  SpFlameLayout      *layout;
  SpProfile          *profile;
  double              grand_total;
  double              height;
  const char         *unit;
  SpFlameDiff         diff;
  gboolean            differential;  /* the diff scheme on a profile with a baseline */
  double              bottom_pad;
} SpSvgContext;

void
sp_svg_options_init (SpSvgOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (SpSvgOptions) { NULL, 1200, 0.1, FALSE, FALSE, SP_FLAME_COLORS_HOT, SP_METRIC_SAMPLES, FALSE };
}

void
sp_svg_append_escaped (GString    *out,
                       const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&apos;"); break;
        default:
          /* XML 1.0 allows no control characters but tab, newline and return */
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
            g_string_append_unichar (out, 0xFFFD);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
}

/* A JavaScript string literal inside the CDATA section: no quote, backslash, line break or ">"
 * (of a "]]>") left raw. */
static void
append_js_string (GString    *out,
                  const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\' || *p == '>' || *p == '\n')
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The words of the script, in the language of the export. */
static void
append_script_texts (GString *out)
{
  const struct { const char *key; const char *text; } texts[] = {
    /* TRANSLATORS: %s is the frame's name, count and share */
    { "fn", _("Function: %s") },
    { "promptIgnoringCase", _("Search for (a regular expression, such as ^SB-), ignoring case.\n"
                              "Ctrl+I matches case.") },
    { "promptMatchingCase", _("Search for (a regular expression, such as ^SB-), matching case.\n"
                              "Ctrl+I ignores case.") },
    { "badRegExp", _("Not a valid regular expression: %s") },
    { "search", _("Search") },
    { "resetSearch", _("Reset Search") },
    /* TRANSLATORS: %s is a percentage such as 12.5 */
    { "matched", _("Matched: %s %%") },
  };

  g_string_append (out, "var texts = {");
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_string_append_printf (out, "%s%s: ", i > 0 ? ", " : "", texts[i].key);
      append_js_string (out, texts[i].text);
    }
  g_string_append (out, "};\n");
}

static void
append_header (GString            *out,
               const SpSvgContext *ctx)
{
  const SpSvgOptions *options = ctx->options;
  g_autoptr(GBytes) script = NULL;

  g_string_append_printf (out,
    "<?xml version=\"1.0\" standalone=\"no\"?>\n"
    "<svg version=\"1.1\" width=\"%u\" height=\"%.0f\" viewBox=\"0 0 %u %.0f\"%s "
    "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
    "<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
    "<stop stop-color=\"#eeeeee\" offset=\"5%%\"/><stop stop-color=\"#eeeeb0\" offset=\"95%%\"/>"
    "</linearGradient></defs>\n"
    "<style type=\"text/css\">\n"
    "text { font-family: Verdana, sans-serif; font-size: %dpx; fill: rgb(0,0,0); }\n"
    "#title { text-anchor: middle; font-size: %dpx; }\n"
    "#search, #ignorecase { cursor: pointer; opacity: 0.3; }\n#unzoom { cursor: pointer; }\n"
    "#search:hover, #search.show, #ignorecase:hover, #ignorecase.active { opacity: 1; }\n"
    "#frames > g:hover rect { stroke: black; stroke-width: 0.5; cursor: pointer; }\n"
    "#frames > g text { pointer-events: none; }\n"
    ".hide { display: none; }\n"
    ".parent { opacity: 0.5; }\n"
    "</style>\n",
    options->width, ctx->height, options->width, ctx->height,
    options->picture ? "" : " onload=\"init(evt)\"", FONT_SIZE, FONT_SIZE + 5);
  if (!options->picture)
    {
      script = g_resource_lookup_data (sp_core_get_resource (), SCRIPT_PATH, 0, NULL);
      g_string_append (out, "<script type=\"text/ecmascript\"><![CDATA[\n");
      append_script_texts (out);
      g_string_append_len (out, g_bytes_get_data (script, NULL), g_bytes_get_size (script));
      g_string_append (out, "]]></script>\n");
    }
  g_string_append_printf (out,
    "<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" fill=\"url(#background)\"/>\n"
    "<text id=\"title\" x=\"%.1f\" y=\"%d\">",
    options->width / 2.0, FONT_SIZE * 2);
  sp_svg_append_escaped (out, options->title != NULL ? options->title : _("Flame Graph"));
  g_string_append (out, "</text>\n");
  if (options->picture)
    {
      g_string_append (out, "<g id=\"frames\">\n");
      return;
    }
  g_string_append_printf (out,
    "<text id=\"details\" x=\"%d\" y=\"%.0f\"> </text>\n"
    "<text id=\"unzoom\" class=\"hide\" x=\"%d\" y=\"%d\">",
    X_PAD, ctx->height - FONT_SIZE / 2.0, X_PAD, FONT_SIZE * 2);
  sp_svg_append_escaped (out, _("Reset Zoom"));
  g_string_append_printf (out,
    "</text>\n<text id=\"search\" x=\"%u\" y=\"%d\" text-anchor=\"end\">",
    options->width - X_PAD - 24, FONT_SIZE * 2);
  sp_svg_append_escaped (out, _("Search"));
  g_string_append_printf (out,
    "</text>\n"
    "<text id=\"ignorecase\" x=\"%u\" y=\"%d\" text-anchor=\"end\">ic</text>\n"
    "<text id=\"matched\" class=\"hide\" x=\"%u\" y=\"%.0f\" text-anchor=\"end\"> </text>\n"
    "<g id=\"frames\">\n",
    options->width - X_PAD, FONT_SIZE * 2,
    options->width - X_PAD, ctx->height - FONT_SIZE / 2.0);
}

static const char *
frame_name (SpSvgContext      *ctx,
            const SpFlameRect *rect)
{
  if (rect->node == SP_NO_NODE)
    return _("all");

  return sp_profile_get_frame (ctx->profile, sp_profile_get_node_frames (ctx->profile)[rect->node])->label;
}

/* The label that fits in width pixels, cut with "..", or NULL when too little would show. */
static char *
fit_label (const char *name,
           double      width)
{
  long chars = (long) floor ((width - 6) / (FONT_SIZE * FONT_WIDTH));
  glong length = g_utf8_strlen (name, -1);
  g_autofree char *head = NULL;

  if (chars < 3)
    return NULL;
  if (length <= chars)
    return g_strdup (name);

  head = g_utf8_substring (name, 0, chars - 2);
  return g_strconcat (head, "..", NULL);
}

static void
append_fill (GString           *out,
             SpSvgContext      *ctx,
             const SpFlameRect *rect)
{
  SpFlameRgb rgb = { 0.78f, 0.78f, 0.78f };

  if (rect->node != SP_NO_NODE && ctx->differential)
    rgb = sp_flame_diff_color (&ctx->diff, rect->node, FALSE);
  else if (rect->node != SP_NO_NODE)
    {
      guint32 frame = sp_profile_get_node_frames (ctx->profile)[rect->node];

      rgb = sp_flame_colors_for_frame (ctx->options->colors,
                                       sp_profile_get_frame (ctx->profile, frame), FALSE);
    }

  g_string_append_printf (out, "rgb(%d,%d,%d)",
                          (int) lrintf (rgb.red * 255), (int) lrintf (rgb.green * 255),
                          (int) lrintf (rgb.blue * 255));
}

static void
append_frame (GString           *out,
              SpSvgContext      *ctx,
              const SpFlameRect *rect,
              guint              index)
{
  double full = ctx->options->width - 2 * X_PAD;
  double x = X_PAD + rect->x0 * full;
  double width = (rect->x1 - rect->x0) * full;
  double y = ctx->options->inverted
               ? sp_flame_orientation_row_y (SP_FLAME_ORIENTATION_ICICLE, rect->row, ROW_HEIGHT, 0) + TOP_PAD
               : sp_flame_orientation_row_y (SP_FLAME_ORIENTATION_FLAME, rect->row, ROW_HEIGHT,
                                             ctx->height - ctx->bottom_pad);
  double weight = sp_flame_layout_get_weight (ctx->layout, rect);
  const char *name = frame_name (ctx, rect);
  g_autofree char *label = fit_label (name, width);

  g_string_append_printf (out, "<g class=\"f\" id=\"f%u\" data-row=\"%u\"><title>", index, rect->row);
  sp_svg_append_escaped (out, name);
  g_string_append_printf (out, " (%.15g %s, %.2f%%)", weight, ctx->unit, 100 * weight / ctx->grand_total);
  if (ctx->differential && rect->node != SP_NO_NODE)
    {
      double before, after;

      sp_flame_diff_get_shares (&ctx->diff, rect->node, &before, &after);
      g_string_append_printf (out, " %.2f%% \xe2\x86\x92 %.2f%% (%+.2f)", 100 * before, 100 * after,
                              100 * (after - before));
    }
  g_string_append_printf (out, "</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
                          "height=\"%d\" rx=\"2\" ry=\"2\" fill=\"",
                          x, y, width, ROW_HEIGHT - 1);
  append_fill (out, ctx, rect);
  g_string_append_printf (out, "\"/><text x=\"%.2f\" y=\"%.1f\">", x + 3, y + ROW_HEIGHT - 4.5);
  if (label != NULL)
    sp_svg_append_escaped (out, label);
  g_string_append (out, "</text></g>\n");
}

/* What the colours of a differential graph mean, as flamegraph.pl's readers know them. */
static void
append_legend (GString            *out,
               const SpSvgContext *ctx)
{
  static const struct { double sign; const char *label; } keys[] = {
    { 1, N_("grew") }, { -1, N_("shrank") }, { 0, N_("unchanged") },
  };
  double y = ctx->height - BOTTOM_PAD;
  double x = X_PAD;
  const char *caption = _("Change of each frame’s share since the baseline:");

  g_string_append_printf (out, "<g id=\"legend\"><text x=\"%.1f\" y=\"%.1f\">", x, y);
  sp_svg_append_escaped (out, caption);
  g_string_append (out, "</text>\n");
  x += g_utf8_strlen (caption, -1) * FONT_SIZE * FONT_WIDTH + 12;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      SpFlameRgb rgb = sp_flame_colors_for_change (keys[i].sign * ctx->diff.scale, ctx->diff.scale, FALSE);
      const char *label = _(keys[i].label);

      g_string_append_printf (out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"2\" "
                              "fill=\"rgb(%d,%d,%d)\"/><text x=\"%.1f\" y=\"%.1f\">",
                              x, y - FONT_SIZE + 1, FONT_SIZE, FONT_SIZE,
                              (int) lrintf (rgb.red * 255), (int) lrintf (rgb.green * 255),
                              (int) lrintf (rgb.blue * 255), x + FONT_SIZE + 4, y);
      sp_svg_append_escaped (out, label);
      g_string_append (out, "</text>\n");
      x += FONT_SIZE + 4 + g_utf8_strlen (label, -1) * FONT_SIZE * FONT_WIDTH + 16;
    }
  g_string_append (out, "</g>\n");
}

static GString *
render_svg (SpProfile          *profile,
            const SpSvgOptions *options)
{
  SpFlameLayoutOptions layout_options;
  g_autoptr(SpFlameLayout) layout = NULL;
  SpSvgContext ctx = { options, NULL, profile, 0, 0, NULL, { 0 }, FALSE };
  guint n_rects;
  GString *out;

  sp_flame_layout_options_init (&layout_options);
  layout_options.metric = options->metric;
  layout_options.min_fraction = options->min_width / MAX (options->width - 2.0 * X_PAD, 1);
  layout = sp_flame_layout_new (profile, &layout_options);
  n_rects = sp_flame_layout_get_n_rects (layout);

  ctx.layout = layout;
  ctx.grand_total = MAX (sp_profile_get_grand_total (profile, options->metric), 1e-300);
  ctx.unit = options->metric == SP_METRIC_BYTES ? "bytes" : "samples";
  ctx.differential = options->colors == SP_FLAME_COLORS_DIFF &&
                     sp_flame_diff_init (&ctx.diff, profile, options->metric);
  ctx.bottom_pad = BOTTOM_PAD + (ctx.differential ? LEGEND_PAD : 0);
  ctx.height = TOP_PAD + ctx.bottom_pad + ROW_HEIGHT * sp_flame_layout_get_n_rows (layout);

  out = g_string_sized_new (4096 + n_rects * 300);
  append_header (out, &ctx);
  for (guint i = 0; i < n_rects; i++)
    append_frame (out, &ctx, sp_flame_layout_get_rect (layout, i), i);
  g_string_append (out, "</g>\n");
  if (ctx.differential)
    append_legend (out, &ctx);
  g_string_append (out, "</svg>\n");

  return out;
}

/* An SVG's numbers are C's in every locale ("10,5" is no coordinate); its words stay the user's. */
static GString *
render_svg_c_numbers (SpProfile          *profile,
                      const SpSvgOptions *options)
{
  locale_t user = duplocale (LC_GLOBAL_LOCALE);
  locale_t c_numbers = newlocale (LC_NUMERIC_MASK, "C", user);
  locale_t previous;
  GString *svg;

  if (c_numbers == (locale_t) 0)
    {
      freelocale (user);
      return render_svg (profile, options);
    }
  previous = uselocale (c_numbers);
  svg = render_svg (profile, options);
  uselocale (previous);
  freelocale (c_numbers);
  return svg;
}

gboolean
sp_svg_write (SpProfile           *profile,
              const SpSvgOptions  *options,
              GOutputStream       *stream,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autoptr(SpProfile) reversed = NULL;
  g_autoptr(GString) svg = NULL;

  g_return_val_if_fail (SP_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (options->width < 2 * X_PAD + 10)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("The width %u is too small for a flame graph (at least %d pixels)"),
                   options->width, 2 * X_PAD + 10);
      return FALSE;
    }
  if (!sp_profile_has_metric (profile, options->metric))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("The profile has no %s to draw"), sp_metric_to_string (options->metric));
      return FALSE;
    }

  if (options->reverse)
    profile = reversed = sp_profile_invert (profile);

  svg = render_svg_c_numbers (profile, options);

  return g_output_stream_write_all (stream, svg->str, svg->len, NULL, cancellable, error);
}
