/* sp-timeline.c: samples over time per thread, GC events, and a range selected by dragging
 *
 * The lanes are binned in a worker thread at a fixed resolution (sp_timeline_lanes_new), and
 * each redraw only sums bins into pixel columns, so drawing costs the same for a thousand
 * samples as for millions.
 */
#define G_LOG_DOMAIN "sp-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sp-format.h"
#include "sp-profile-task.h"
#include "sp-timeline.h"

#define N_BINS      4096
#define GUTTER      112   /* lane names */
#define RIGHT_PAD   10
#define GC_ROW      8     /* GC markers above the lanes */
#define LANE_HEIGHT 18
#define LANE_GAP    2
#define AXIS_HEIGHT 18
#define CLICK_SLOP  3     /* a drag shorter than this is a click, which clears the range */
#define BAR_WIDTH   3     /* pixels per bar: single pixels of sparse samples read as noise */

struct _SpTimeline
{
  GtkWidget        parent_instance;

  SpProfile       *profile;       /* the profile of the lanes shown */
  SpProfile       *pending;       /* the profile whose lanes are being made, or NULL */
  SpTimelineLanes *lanes;
  GCancellable    *cancellable;
  double          *columns;       /* lanes × pixel columns of the last draw */
  gsize            n_columns;
  gboolean         has_range;
  double           from;
  double           to;
  gboolean         dragging;
  double           drag_origin;   /* x where the pointer went down, in the area */
  double           drag_start;    /* … kept out of the lane names, and where it is now */
  double           drag_end;
  char            *range_summary;

  GtkWidget       *header;
  GtkLabel        *range_label;
  GtkWidget       *clear_button;
  GtkWidget       *scroller;
  GtkDrawingArea  *area;
};

G_DEFINE_FINAL_TYPE (SpTimeline, sp_timeline, GTK_TYPE_WIDGET)

enum {
  RANGE_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- geometry ---- */

static int
plot_width (SpTimeline *self)
{
  return gtk_widget_get_width (GTK_WIDGET (self->area)) - GUTTER - RIGHT_PAD;
}

static double
span (SpTimeline *self)
{
  return self->lanes->end - self->lanes->start;
}

static double
x_to_time (SpTimeline *self,
           double      x)
{
  int width = MAX (plot_width (self), 1);

  return self->lanes->start + CLAMP (x - GUTTER, 0, width) / width * span (self);
}

static double
time_to_x (SpTimeline *self,
           double      time)
{
  return GUTTER + (time - self->lanes->start) / span (self) * MAX (plot_width (self), 1);
}

static int
lane_top (guint lane)
{
  return GC_ROW + lane * (LANE_HEIGHT + LANE_GAP);
}

static const char *
lane_name (SpTimeline *self,
           guint       lane)
{
  guint32 thread = self->lanes->lane_threads[lane];

  if (thread != SP_NO_FRAME)
    return sp_profile_get_frame (self->profile, thread)->name;
  return self->lanes->n_lanes > 1 ? _("Other stacks") : _("All samples");
}

/* ---- drawing ---- */

/* Sums the bins of each lane into bars of BAR_WIDTH pixels, width / BAR_WIDTH (rounded up) of
 * them; returns the largest. */
static double
fill_columns (SpTimeline *self,
              int         plot_width)
{
  const SpTimelineLanes *lanes = self->lanes;
  int width = (plot_width + BAR_WIDTH - 1) / BAR_WIDTH;
  gsize needed = (gsize) lanes->n_lanes * width;
  double max = 0;

  if (needed > self->n_columns)
    {
      g_free (self->columns);
      self->columns = g_new (double, needed);
      self->n_columns = needed;
    }
  for (guint lane = 0; lane < lanes->n_lanes; lane++)
    {
      const double *bins = lanes->density + (gsize) lane * lanes->n_bins;
      double *out = self->columns + (gsize) lane * width;

      for (int c = 0; c < width; c++)
        {
          guint b0 = (guint) ((guint64) c * BAR_WIDTH * lanes->n_bins / plot_width);
          guint b1 = MAX (b0 + 1, MIN (lanes->n_bins,
                                       (guint) ((guint64) (c + 1) * BAR_WIDTH * lanes->n_bins / plot_width)));
          double sum = 0;

          for (guint b = b0; b < b1; b++)
            sum += bins[b];
          out[c] = sum;
          max = MAX (max, sum);
        }
    }
  return max;
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color,
           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
draw_lanes (SpTimeline    *self,
            cairo_t       *cr,
            int            width,
            const GdkRGBA *fg,
            const GdkRGBA *accent)
{
  double max = fill_columns (self, width);
  int n_bars = (width + BAR_WIDTH - 1) / BAR_WIDTH;

  for (guint lane = 0; lane < self->lanes->n_lanes; lane++)
    {
      const double *bar = self->columns + (gsize) lane * n_bars;
      int top = lane_top (lane);
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->area), lane_name (self, lane));

      set_color (cr, fg, 0.05);
      cairo_rectangle (cr, GUTTER, top, width, LANE_HEIGHT);
      cairo_fill (cr);
      for (int c = 0; c < n_bars; c++)
        if (bar[c] > 0)
          {
            double h = MAX (1, round (bar[c] / max * LANE_HEIGHT));

            cairo_rectangle (cr, GUTTER + c * BAR_WIDTH, top + LANE_HEIGHT - h,
                             MIN (BAR_WIDTH, width - c * BAR_WIDTH), h);
          }
      set_color (cr, accent, 1);
      cairo_fill (cr);

      pango_layout_set_width (layout, (GUTTER - 12) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
      set_color (cr, fg, 0.8);
      cairo_move_to (cr, 4, top + 1);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
    }
}

static const GdkRGBA gc_color = { 0.90, 0.38, 0.0, 1.0 };   /* GNOME orange 4 */

/* Where a GC event is drawn: from *x, *width pixels wide (at least one). */
static void
gc_extent (SpTimeline      *self,
           const SpGcEvent *event,
           double          *x,
           double          *width)
{
  *x = time_to_x (self, event->time);
  *width = MAX (1, event->pause / span (self) * plot_width (self));
}

static void
draw_gc_events (SpTimeline *self,
                cairo_t    *cr,
                int         bottom)
{
  guint n;
  const SpGcEvent *events = sp_profile_get_gc_events (self->profile, &n);

  for (guint i = 0; i < n; i++)
    {
      double x, w;

      gc_extent (self, &events[i], &x, &w);
      set_color (cr, &gc_color, 0.35);
      cairo_rectangle (cr, x, GC_ROW, w, bottom - GC_ROW);
      cairo_fill (cr);
      set_color (cr, &gc_color, 1);
      cairo_move_to (cr, x - 3, 0);
      cairo_line_to (cr, x + 3, 0);
      cairo_line_to (cr, x, GC_ROW - 1);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

static void
draw_selection (SpTimeline    *self,
                cairo_t       *cr,
                int            width,
                int            bottom,
                const GdkRGBA *fg,
                const GdkRGBA *accent)
{
  double x0, x1;

  if (self->dragging)
    {
      x0 = CLAMP (MIN (self->drag_start, self->drag_end), GUTTER, GUTTER + width);
      x1 = CLAMP (MAX (self->drag_start, self->drag_end), GUTTER, GUTTER + width);
    }
  else if (self->has_range)
    {
      x0 = time_to_x (self, self->from);
      x1 = time_to_x (self, self->to);
    }
  else
    return;

  /* dim what is outside the range, tint what is inside */
  set_color (cr, fg, 0.15);
  cairo_rectangle (cr, GUTTER, 0, x0 - GUTTER, bottom);
  cairo_rectangle (cr, x1, 0, GUTTER + width - x1, bottom);
  cairo_fill (cr);
  set_color (cr, accent, 0.15);
  cairo_rectangle (cr, x0, 0, MAX (x1 - x0, 1), bottom);
  cairo_fill (cr);
  set_color (cr, accent, 1);
  cairo_rectangle (cr, floor (x0), 0, 1, bottom);
  cairo_rectangle (cr, floor (x1), 0, 1, bottom);
  cairo_fill (cr);
}

/* 1, 2 or 5 times a power of ten, so that ticks are at least min_step seconds apart */
static double
tick_step (double min_step)
{
  double power = pow (10, floor (log10 (min_step)));

  if (power >= min_step)
    return power;
  if (2 * power >= min_step)
    return 2 * power;
  return 5 * power < min_step ? 10 * power : 5 * power;
}

static void
draw_axis (SpTimeline    *self,
           cairo_t       *cr,
           int            width,
           int            top,
           const GdkRGBA *fg)
{
  double step = tick_step (MAX (span (self) * 90 / MAX (width, 1), 1e-9));

  set_color (cr, fg, 0.6);
  for (double t = ceil (self->lanes->start / step) * step; t <= self->lanes->end + step * 1e-6; t += step)
    {
      double x = floor (time_to_x (self, t)) + 0.5;
      g_autofree char *text = g_strdup_printf ("%g s", fabs (t) < step * 1e-6 ? 0 : t);
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->area), text);

      cairo_rectangle (cr, x - 0.5, top, 1, 4);
      cairo_fill (cr);
      cairo_move_to (cr, MIN (x + 3, GUTTER + width - 24), top + 1);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
    }
}

static void
draw (GtkDrawingArea *area,
      cairo_t        *cr,
      int             area_width,
      int             area_height,
      gpointer        user_data)
{
  SpTimeline *self = user_data;
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (area));
  int width = plot_width (self);
  int bottom;
  GdkRGBA fg, accent;

  if (self->lanes == NULL || width < 10)
    return;
  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  bottom = lane_top (self->lanes->n_lanes);

  draw_lanes (self, cr, width, &fg, &accent);
  draw_gc_events (self, cr, bottom);
  draw_selection (self, cr, width, bottom, &fg, &accent);
  draw_axis (self, cr, width, bottom, &fg);
}

/* ---- the range ---- */

static void
update_range_label (SpTimeline *self)
{
  g_autofree char *text = NULL;

  if (self->has_range)
    {
      g_autofree char *length = sp_format_seconds (self->to - self->from);

      text = g_strdup_printf (_("%.3f s to %.3f s (%s)%s%s"), self->from, self->to, length,
                              self->range_summary != NULL ? " · " : "",
                              self->range_summary != NULL ? self->range_summary : "");
    }
  else if (self->lanes != NULL)
    text = g_strdup (_("Drag across the lanes to look at a part of the recording"));
  if (text != NULL)
    gtk_label_set_text (self->range_label, text);
  gtk_widget_set_visible (self->clear_button, self->has_range);
}

gboolean
sp_timeline_get_range (SpTimeline *self,
                       double     *from,
                       double     *to)
{
  g_return_val_if_fail (SP_IS_TIMELINE (self), FALSE);

  if (!self->has_range)
    return FALSE;
  *from = self->from;
  *to = self->to;
  return TRUE;
}

void
sp_timeline_set_range (SpTimeline *self,
                       double      from,
                       double      to)
{
  g_return_if_fail (SP_IS_TIMELINE (self));
  g_return_if_fail (self->profile != NULL);

  self->has_range = TRUE;
  self->from = MIN (from, to);
  self->to = MAX (from, to);
  g_clear_pointer (&self->range_summary, g_free);
  update_range_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

gboolean
sp_timeline_clear_range (SpTimeline *self)
{
  g_return_val_if_fail (SP_IS_TIMELINE (self), FALSE);

  if (!self->has_range)
    return FALSE;
  self->has_range = FALSE;
  g_clear_pointer (&self->range_summary, g_free);
  update_range_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
  return TRUE;
}

void
sp_timeline_set_range_summary (SpTimeline *self,
                               const char *summary)
{
  g_return_if_fail (SP_IS_TIMELINE (self));

  g_free (self->range_summary);
  self->range_summary = g_strdup (summary);
  update_range_label (self);
}

static void
on_clear_clicked (SpTimeline *self)
{
  sp_timeline_clear_range (self);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               SpTimeline     *self)
{
  if (self->lanes == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->dragging = TRUE;
  self->drag_origin = x;
  self->drag_start = self->drag_end = MAX (x, GUTTER);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                SpTimeline     *self)
{
  if (!self->dragging)
    return;
  self->drag_end = MAX (self->drag_origin + dx, GUTTER);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             SpTimeline     *self)
{
  if (!self->dragging)
    return;
  self->dragging = FALSE;
  self->drag_end = MAX (self->drag_origin + dx, GUTTER);
  if (fabs (self->drag_end - self->drag_start) < CLICK_SLOP)
    {
      if (!sp_timeline_clear_range (self))
        gtk_widget_queue_draw (GTK_WIDGET (self->area));
      return;
    }
  sp_timeline_set_range (self, x_to_time (self, self->drag_start), x_to_time (self, self->drag_end));
}

/* ---- tooltip ---- */

static void
append_gc_under (SpTimeline *self,
                 GString    *text,
                 double      x)
{
  guint n;
  const SpGcEvent *events = sp_profile_get_gc_events (self->profile, &n);

  for (guint i = 0; i < n; i++)
    {
      double gx, width;

      /* a few pixels either side: a short pause is one pixel wide */
      gc_extent (self, &events[i], &gx, &width);
      if (x >= gx - 3 && x <= gx + MAX (3, width))
        {
          g_autofree char *pause = sp_format_seconds (events[i].pause);

          g_string_append_printf (text, _("\nGarbage collection of generation %d at %.3f s: %s"),
                                  events[i].generation, events[i].time, pause);
          if (events[i].bytes_before >= 0 && events[i].bytes_after >= 0)
            {
              g_autofree char *before = sp_format_bytes (events[i].bytes_before);
              g_autofree char *after = sp_format_bytes (events[i].bytes_after);

              g_string_append_printf (text, _(", %s → %s in use"), before, after);
            }
        }
    }
}

static gboolean
on_query_tooltip (SpTimeline *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  int width = plot_width (self);
  g_autoptr(GString) text = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *weight = NULL;
  double value;
  guint lane;
  int column;

  if (self->lanes == NULL || x < GUTTER || x >= GUTTER + width || y < GC_ROW)
    return FALSE;
  lane = (y - GC_ROW) / (LANE_HEIGHT + LANE_GAP);
  if (lane >= self->lanes->n_lanes)
    return FALSE;
  column = (x - GUTTER) / BAR_WIDTH;
  fill_columns (self, width);
  value = self->columns[(gsize) lane * ((width + BAR_WIDTH - 1) / BAR_WIDTH) + column];
  if (self->lanes->metric == SP_METRIC_BYTES)
    weight = g_strdup_printf (_("%s allocated"), (amount = sp_format_bytes ((gint64) value)));
  else
    weight = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s sample", "%s samples", (gulong) value),
                              (amount = sp_format_count (value)));
  text = g_string_new (NULL);
  g_string_printf (text, _("%s, %.3f s to %.3f s: %s"), lane_name (self, lane),
                   x_to_time (self, GUTTER + column * BAR_WIDTH),
                   x_to_time (self, GUTTER + (column + 1) * BAR_WIDTH), weight);
  append_gc_under (self, text, x);
  if (sp_profile_get_meta (self->profile)->timeline_estimated)
    g_string_append (text, _("\nTimes are estimated: SBCL gave no time per sample, so the samples "
                             "of each batch are spread evenly over the time the batch covers."));
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

/* ---- the profile ---- */

static void
on_lanes_ready (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SpTimeline) self = user_data;
  g_autoptr(GError) error = NULL;
  SpTimelineLanes *lanes = sp_profile_task_lanes_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->area == NULL)
    {
      sp_timeline_lanes_free (lanes);
      return;
    }
  g_clear_pointer (&self->lanes, sp_timeline_lanes_free);
  self->lanes = lanes;
  g_set_object (&self->profile, self->pending);
  g_clear_object (&self->pending);
  gtk_drawing_area_set_content_height (self->area,
                                       lanes != NULL ? lane_top (lanes->n_lanes) + AXIS_HEIGHT : 0);
  gtk_widget_set_visible (self->scroller, lanes != NULL);
  update_range_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* Statistical recordings can have a timeline; the others never do. */
static gboolean
could_have_timeline (SpProfile *profile)
{
  SpMode mode = sp_profile_get_meta (profile)->mode;

  return mode == SP_MODE_CPU || mode == SP_MODE_TIME || mode == SP_MODE_ALLOC;
}

void
sp_timeline_set_profile (SpTimeline *self,
                         SpProfile  *profile)
{
  gboolean has_timeline;

  g_return_if_fail (SP_IS_TIMELINE (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pending);
  self->has_range = FALSE;
  self->dragging = FALSE;
  g_clear_pointer (&self->range_summary, g_free);
  gtk_widget_set_visible (self->clear_button, FALSE);

  has_timeline = sp_profile_get_timeline (profile, NULL) != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self), has_timeline || could_have_timeline (profile));
  if (!has_timeline)
    {
      g_clear_pointer (&self->lanes, sp_timeline_lanes_free);
      g_set_object (&self->profile, profile);
      gtk_widget_set_visible (self->scroller, FALSE);
      gtk_label_set_text (self->range_label,
                          _("None: this profile does not say when its samples were taken "
                            "(it was imported or made by an older version); record again to get one"));
      return;
    }
  /* lanes already shown stay until the new ones are made: a live recording sends a newer
   * profile every second */
  if (self->lanes == NULL)
    {
      g_set_object (&self->profile, profile);
      gtk_label_set_text (self->range_label, _("Reading the sample times…"));
    }
  else
    update_range_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  self->pending = g_object_ref (profile);
  self->cancellable = g_cancellable_new ();
  sp_profile_task_lanes_async (profile, N_BINS, self->cancellable, on_lanes_ready, g_object_ref (self));
}

gboolean
sp_timeline_is_ready (SpTimeline *self)
{
  g_return_val_if_fail (SP_IS_TIMELINE (self), FALSE);

  return self->lanes != NULL && self->pending == NULL;
}

/* ---- the widget ---- */

static void
sp_timeline_dispose (GObject *object)
{
  SpTimeline *self = SP_TIMELINE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_TIMELINE);
  self->area = NULL;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->profile);
  g_clear_object (&self->pending);
  g_clear_pointer (&self->lanes, sp_timeline_lanes_free);
  g_clear_pointer (&self->columns, g_free);
  g_clear_pointer (&self->range_summary, g_free);

  G_OBJECT_CLASS (sp_timeline_parent_class)->dispose (object);
}

static void
sp_timeline_class_init (SpTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_timeline_dispose;

  /* the range was selected, changed or cleared: see sp_timeline_get_range() */
  signals[RANGE_CHANGED] = g_signal_new ("range-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, SpTimeline, header);
  gtk_widget_class_bind_template_child (widget_class, SpTimeline, range_label);
  gtk_widget_class_bind_template_child (widget_class, SpTimeline, clear_button);
  gtk_widget_class_bind_template_child (widget_class, SpTimeline, scroller);
  gtk_widget_class_bind_template_child (widget_class, SpTimeline, area);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_query_tooltip);
}

static void
sp_timeline_init (SpTimeline *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->area, draw, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Samples over time, per thread"), -1);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
sp_timeline_new (void)
{
  return g_object_new (SP_TYPE_TIMELINE, NULL);
}
