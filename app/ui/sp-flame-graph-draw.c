/* sp-flame-graph-draw.c: the flame graph's colours, drawing and tooltip text
 *
 * The bars are drawn into a render node that is kept until the layout, the viewport, the size
 * or the style changes; hovering and selecting only draw outlines on top of it.  In each row
 * only the rects inside the viewport are visited (binary search), and runs of rects narrower
 * than a pixel are drawn as one merged bar, so a redraw costs what is visible, not the tree.
 */
#define G_LOG_DOMAIN "sp-flame-graph"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-flame-graph-private.h"
#include "sp-format.h"

#define LABEL_MIN_WIDTH 26.0

/* ---- Colours ---- */

static gboolean
style_is_dark (SpFlameGraph *self)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* light text means a dark background */
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

void
_sp_flame_graph_update_colors (SpFlameGraph *self)
{
  guint n_frames;

  self->dark = style_is_dark (self);

  g_clear_pointer (&self->frame_colors, g_free);
  self->differential = FALSE;
  if (self->profile == NULL)
    return;

  /* differential colours depend on the node; the frame colours stay for the rest */
  self->differential = self->colors == SP_FLAME_COLORS_DIFF &&
                       sp_flame_diff_init (&self->diff, self->profile, self->metric);

  n_frames = sp_profile_get_n_frames (self->profile);
  self->frame_colors = g_new (GdkRGBA, MAX (n_frames, 1));
  for (guint i = 0; i < n_frames; i++)
    {
      SpFlameRgb rgb = sp_flame_colors_for_frame (self->colors, sp_profile_get_frame (self->profile, i),
                                                  self->dark);

      self->frame_colors[i] = (GdkRGBA) { rgb.red, rgb.green, rgb.blue, 1 };
    }
}

/* ---- Geometry ---- */

static double
rect_px (SpFlameGraph *self,
         double        x,
         double        width)
{
  return (x - self->view_x0) / (self->view_x1 - self->view_x0) * width;
}

void
_sp_flame_graph_rect_area (SpFlameGraph      *self,
                           const SpFlameRect *rect,
                           graphene_rect_t   *area)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = _sp_flame_graph_content_height (self);
  double x0 = rect_px (self, rect->x0, width);
  double x1 = rect_px (self, rect->x1, width);
  double y = sp_flame_orientation_row_y (self->orientation, rect->row, SP_FLAME_ROW_HEIGHT, height) -
             _sp_flame_graph_scroll_offset (self);

  graphene_rect_init (area, x0, y, x1 - x0, SP_FLAME_ROW_HEIGHT);
}

/* ---- Drawing ---- */

typedef struct
{
  SpFlameGraph *self;
  GtkSnapshot  *snapshot;
  PangoLayout  *label;
  const guint32 *frames;
  double        width;
  double        height;
  guint         spine_rows;   /* rows above "all" up to the zoom root are ancestors */
  GdkRGBA       merged;       /* runs of sub-pixel frames */
  GdkRGBA       all;
} SpDrawContext;

static GdkRGBA
rect_fill (SpDrawContext     *ctx,
           const SpFlameRect *rect)
{
  SpFlameGraph *self = ctx->self;
  GdkRGBA fill;

  if (rect->node == SP_NO_NODE)
    return ctx->all;

  if (self->differential)
    {
      SpFlameRgb rgb = sp_flame_diff_color (&self->diff, rect->node, self->dark);

      fill = (GdkRGBA) { rgb.red, rgb.green, rgb.blue, 1 };
    }
  else
    fill = self->frame_colors[ctx->frames[rect->node]];
  if (rect->row < ctx->spine_rows)
    fill.alpha = 0.55f;   /* ancestors of the zoom root: there to climb back */
  if (self->search != NULL && !sp_flame_search_matches_frame (self->search, ctx->frames[rect->node]))
    fill.alpha *= self->dark ? 0.22f : 0.28f;

  return fill;
}

static void
draw_label (SpDrawContext     *ctx,
            const SpFlameRect *rect,
            const GdkRGBA     *fill,
            double             x0,
            double             x1,
            double             y)
{
  SpFlameGraph *self = ctx->self;
  SpFlameRgb text_rgb = sp_flame_colors_text_for ((SpFlameRgb) { fill->red, fill->green, fill->blue });
  GdkRGBA text = { text_rgb.red, text_rgb.green, text_rgb.blue, 1 };
  const char *name;
  int text_height;

  if (x1 - x0 < LABEL_MIN_WIDTH)
    return;

  if (fill->alpha < 0.5f)
    text = self->dark ? (GdkRGBA) { 1, 1, 1, 0.45f } : (GdkRGBA) { 0, 0, 0, 0.45f };

  name = rect->node == SP_NO_NODE ? _("all")
                                  : sp_profile_get_frame (self->profile, ctx->frames[rect->node])->label;
  pango_layout_set_text (ctx->label, name, -1);
  pango_layout_set_width (ctx->label, (int) ((x1 - x0 - 8) * PANGO_SCALE));
  pango_layout_get_pixel_size (ctx->label, NULL, &text_height);

  gtk_snapshot_save (ctx->snapshot);
  gtk_snapshot_translate (ctx->snapshot,
                          &GRAPHENE_POINT_INIT (x0 + 4, y + (SP_FLAME_ROW_HEIGHT - 1 - text_height) / 2.0));
  gtk_snapshot_append_layout (ctx->snapshot, ctx->label, &text);
  gtk_snapshot_restore (ctx->snapshot);
}

static void
draw_rect (SpDrawContext     *ctx,
           const SpFlameRect *rect,
           double             x0,
           double             x1,
           double             y)
{
  GdkRGBA fill = rect_fill (ctx, rect);

  /* a one-pixel gap between neighbours, unless that would eat the whole rect */
  gtk_snapshot_append_color (ctx->snapshot, &fill,
                             &GRAPHENE_RECT_INIT (x0, y, MAX (x1 - x0 - (x1 - x0 > 3 ? 1 : 0), 1),
                                                  SP_FLAME_ROW_HEIGHT - 1));
  draw_label (ctx, rect, &fill, x0, x1, y);
}

/* A run of sub-pixel rects is drawn as one block where it spans a pixel at least; a lone thin
 * frame (often the top of a tower of thinner ones) would only draw a hairline, and is left out
 * as flamegraph.pl leaves out frames under its minimum width. */
static void
flush_merged (SpDrawContext *ctx,
              double        *run_x0,
              double        *run_x1,
              double         y)
{
  if (*run_x1 - *run_x0 >= 1)
    gtk_snapshot_append_color (ctx->snapshot, &ctx->merged,
                               &GRAPHENE_RECT_INIT (*run_x0, y, *run_x1 - *run_x0, SP_FLAME_ROW_HEIGHT - 1));
  *run_x0 = *run_x1 = 0;
}

/* One row: wide rects one by one, sub-pixel ones merged into runs a pixel column at a time,
 * jumping over the rest of each column with a binary search: the last rect of the column
 * ends the run so far. */
static void
draw_row (SpDrawContext *ctx,
          guint          row)
{
  SpFlameGraph *self = ctx->self;
  double view_width = self->view_x1 - self->view_x0;
  double y = sp_flame_orientation_row_y (self->orientation, row, SP_FLAME_ROW_HEIGHT, ctx->height);
  double run_x0 = 0, run_x1 = 0;
  guint n_rects;
  guint end = sp_flame_layout_get_row (self->layout, row, &n_rects) + n_rects;
  guint i = sp_flame_layout_row_lower_bound (self->layout, row, self->view_x0);

  if (y + SP_FLAME_ROW_HEIGHT < 0 || y > ctx->height)
    return;

  while (i < end)
    {
      const SpFlameRect *rect = sp_flame_layout_get_rect (self->layout, i);
      double x0, x1;

      if (rect->x0 >= self->view_x1)
        break;

      x0 = MAX (rect_px (self, rect->x0, ctx->width), 0);
      x1 = MIN (rect_px (self, rect->x1, ctx->width), ctx->width);
      if (x1 - x0 >= 1)
        {
          flush_merged (ctx, &run_x0, &run_x1, y);
          draw_rect (ctx, rect, x0, x1, y);
          i++;
          continue;
        }

      /* a gap of a pixel or more ends a run */
      if (run_x1 > run_x0 && x0 >= run_x1 + 1)
        flush_merged (ctx, &run_x0, &run_x1, y);
      if (run_x1 <= run_x0)
        run_x0 = x0;
      i = sp_flame_layout_row_advance (self->layout, row, i + 1,
                                       self->view_x0 + (floor (x0) + 1) / ctx->width * view_width);
      run_x1 = MIN (rect_px (self, sp_flame_layout_get_rect (self->layout, i - 1)->x1, ctx->width), ctx->width);
    }

  flush_merged (ctx, &run_x0, &run_x1, y);
}

static GskRenderNode *
render_bars (SpFlameGraph *self,
             double        width,
             double        height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(PangoLayout) label = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  SpDrawContext ctx = { self, snapshot, label, sp_profile_get_node_frames (self->profile), width, height };
  guint32 zoom = sp_flame_layout_get_options (self->layout)->zoom_node;
  guint n_rows = sp_flame_layout_get_n_rows (self->layout);

  ctx.spine_rows = zoom == SP_NO_NODE ? 0 : sp_profile_get_node_depths (self->profile)[zoom] + 1;
  ctx.merged = self->dark ? (GdkRGBA) { 1, 1, 1, 0.18f } : (GdkRGBA) { 0, 0, 0, 0.16f };
  ctx.all = self->dark ? (GdkRGBA) { 0.36f, 0.36f, 0.40f, 1 } : (GdkRGBA) { 0.80f, 0.80f, 0.82f, 1 };
  pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (label, TRUE);

  for (guint row = 0; row < n_rows; row++)
    draw_row (&ctx, row);

  return gtk_snapshot_free_to_node (snapshot);
}

static void
outline_rect (SpFlameGraph      *self,
              GtkSnapshot       *snapshot,
              const SpFlameRect *rect,
              const GdkRGBA     *color,
              float              line)
{
  graphene_rect_t area;
  GskRoundedRect outline;

  _sp_flame_graph_rect_area (self, rect, &area);
  area.size.height -= 1;
  area.origin.x = MAX (area.origin.x, -line);
  area.size.width = MIN (area.size.width, gtk_widget_get_width (GTK_WIDGET (self)) + 2 * line - area.origin.x);
  gsk_rounded_rect_init_from_rect (&outline, &area, 0);
  gtk_snapshot_append_border (snapshot, &outline, (float[4]) { line, line, line, line },
                              (GdkRGBA[4]) { *color, *color, *color, *color });
}

/* The hovered frame and its path to the root, and the selected frame. */
static void
draw_overlay (SpFlameGraph *self,
              GtkSnapshot  *snapshot)
{
  GdkRGBA path = self->dark ? (GdkRGBA) { 1, 1, 1, 0.75f } : (GdkRGBA) { 0, 0, 0, 0.6f };
  GdkRGBA accent = self->dark ? (GdkRGBA) { 0.47f, 0.68f, 0.93f, 1 } : (GdkRGBA) { 0.11f, 0.44f, 0.85f, 1 };
  int selected = _sp_flame_graph_selected_rect (self);

  for (int i = self->hover; i >= 0; i = sp_flame_layout_get_parent (self->layout, i))
    outline_rect (self, snapshot, sp_flame_layout_get_rect (self->layout, i), &path,
                  i == self->hover ? 2 : 1);

  if (selected >= 0)
    outline_rect (self, snapshot, sp_flame_layout_get_rect (self->layout, selected), &accent, 2);
}

void
_sp_flame_graph_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (widget);
  double width = gtk_widget_get_width (widget);
  double height = _sp_flame_graph_content_height (self);

  if (self->layout == NULL || self->frame_colors == NULL || width <= 0)
    return;

  if (self->bars == NULL)
    self->bars = render_bars (self, width, height);

  /* scrolling moves the cached bars; it does not redraw them */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, -_sp_flame_graph_scroll_offset (self)));
  if (self->bars != NULL)
    gtk_snapshot_append_node (snapshot, self->bars);
  gtk_snapshot_restore (snapshot);

  draw_overlay (self, snapshot);
}

/* ---- Tooltip text ---- */

static char *
format_weight (SpFlameGraph *self,
               double        weight)
{
  if (self->metric == SP_METRIC_BYTES)
    return sp_format_weight (self->profile, self->metric, weight);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%.0f sample", "%.0f samples",
                                       weight == 1 ? 1 : 2), weight);
}

static void G_GNUC_PRINTF (2, 3)
append_markup (GString    *text,
               const char *format,
               ...)
{
  g_autofree char *escaped = NULL;
  va_list args;

  va_start (args, format);
  escaped = g_markup_vprintf_escaped (format, args);
  va_end (args);
  g_string_append (text, escaped);
}

/* "Before: 20.00 % (20 samples) → after: 50.00 % (100 samples), +30.00 points" */
/* The kind of a frame as the tooltip names it; flet and labels are Lisp's own words. */
static const char *
describe_kind (SpFrameKind kind)
{
  switch (kind)
    {
    case SP_FRAME_KIND_FUNCTION: return C_("frame kind", "function");
    case SP_FRAME_KIND_LAMBDA: return C_("frame kind", "lambda");
    case SP_FRAME_KIND_FLET: return "flet";
    case SP_FRAME_KIND_LABELS: return "labels";
    case SP_FRAME_KIND_METHOD: return C_("frame kind", "method");
    case SP_FRAME_KIND_FOREIGN: return C_("frame kind", "foreign function");
    case SP_FRAME_KIND_THREAD: return C_("frame kind", "thread");
    default: return C_("frame kind", "other");
    }
}

static void
append_change (SpFlameGraph *self,
               GString      *text,
               guint32       node)
{
  double before, after;
  g_autofree char *before_amount = NULL;
  g_autofree char *after_amount = NULL;

  sp_flame_diff_get_shares (&self->diff, node, &before, &after);
  before_amount = format_weight (self, self->diff.before[node]);
  after_amount = format_weight (self, self->diff.after[node]);
  g_string_append_printf (text, _("\nBefore: %.2f %% (%s) → after: %.2f %% (%s)\nChange: %+.2f points of the total"),
                          100 * before, before_amount, 100 * after, after_amount, 100 * (after - before));
}

char *
_sp_flame_graph_describe_rect (SpFlameGraph *self,
                               int           index)
{
  const SpFlameRect *rect = sp_flame_layout_get_rect (self->layout, index);
  double weight = sp_flame_layout_get_weight (self->layout, rect);
  double total = sp_profile_get_grand_total (self->profile, self->metric);
  double root = sp_flame_layout_get_root_weight (self->layout);
  g_autofree char *amount = format_weight (self, weight);
  g_autofree char *self_amount = NULL;
  GString *text = g_string_new (NULL);
  const SpFrame *frame;

  if (rect->node == SP_NO_NODE)
    {
      g_string_append_printf (text, "<b>%s</b>\n%s", _("All stacks"), amount);
      return g_string_free (text, FALSE);
    }

  frame = sp_profile_get_frame (self->profile, _sp_flame_graph_node_frame (self, rect->node));
  self_amount = format_weight (self, sp_profile_get_self_weights (self->profile, self->metric)[rect->node]);
  append_markup (text, "<b>%s</b>\n", frame->label);
  if (frame->package != NULL)
    append_markup (text, _("Package: %s · %s\n"), frame->package, describe_kind (frame->kind));
  g_string_append_printf (text, _("%s, %.2f %% of total, %.2f %% of the zoomed frame\nSelf: %s"),
                          amount, total > 0 ? 100 * weight / total : 0,
                          root > 0 ? 100 * weight / root : 0, self_amount);
  if (self->differential)
    append_change (self, text, rect->node);
  if (self->metric == SP_METRIC_BYTES && sp_format_bytes_are_estimated (self->profile))
    g_string_append_printf (text, "\n<i>%s</i>", _("Bytes estimated from allocation samples"));
  if (frame->file != NULL)
    append_markup (text, "\n%s:%u", frame->file, frame->line);

  return g_string_free (text, FALSE);
}
