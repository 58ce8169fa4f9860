/* sp-gc-strip.c: the garbage collections of a recording on a time strip
 *
 * The recording's wall time runs left to right.  Each collection is a bar at its start, as
 * wide as its pause (at least 2 px, so that short ones stay visible), coloured by the
 * generation collected: the nursery in blue, older generations in orange, the oldest seen in
 * red.  Behind them, the dynamic space in use: it climbs to each collection's "before" figure
 * and drops to its "after" one.
 */
#define G_LOG_DOMAIN "sp-gc-strip"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-format.h"
#include "sp-gc-strip.h"

#define MIN_BAR_WIDTH 2.0
#define HIT_SLOP      3.0
#define AXIS_HEIGHT   16

struct _SpGcStrip
{
  GtkWidget  parent_instance;

  GArray    *events;       /* of SpGcEvent */
  double     duration;     /* seconds the strip spans */
  double     max_bytes;
  int        max_generation;
};

G_DEFINE_FINAL_TYPE (SpGcStrip, sp_gc_strip, GTK_TYPE_WIDGET)

static const GdkRGBA young_color = { 0.208, 0.518, 0.894, 0.85 };  /* GNOME blue 3 */
static const GdkRGBA older_color = { 1.0, 0.471, 0.0, 0.9 };       /* orange 3 */
static const GdkRGBA oldest_color = { 0.878, 0.106, 0.141, 0.9 };  /* red 3 */

static double
time_to_x (SpGcStrip *self,
           double     time,
           double     width)
{
  return self->duration > 0 ? CLAMP (time / self->duration, 0, 1) * width : 0;
}

static const GdkRGBA *
generation_color (SpGcStrip *self,
                  int        generation)
{
  if (generation == 0)
    return &young_color;
  if (generation >= self->max_generation)
    return &oldest_color;
  return &older_color;
}

/* The strip is a picture: say what it shows. */
static void
describe_for_accessibility (SpGcStrip *self)
{
  g_autofree char *span = sp_format_seconds (self->duration);
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u garbage collection over %s",
                                                        "%u garbage collections over %s", self->events->len),
                                           self->events->len, span);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

void
sp_gc_strip_set_profile (SpGcStrip *self,
                         SpProfile *profile)
{
  guint n_events;
  const SpGcEvent *events;

  g_return_if_fail (SP_IS_GC_STRIP (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  events = sp_profile_get_gc_events (profile, &n_events);
  g_array_set_size (self->events, 0);
  g_array_append_vals (self->events, events, n_events);
  self->duration = sp_profile_get_meta (profile)->duration;
  self->max_bytes = 0;
  self->max_generation = 0;
  for (guint i = 0; i < n_events; i++)
    {
      /* a recording without a known duration spans its collections */
      self->duration = MAX (self->duration, events[i].time + events[i].pause);
      self->max_bytes = MAX (self->max_bytes, MAX (events[i].bytes_before, events[i].bytes_after));
      self->max_generation = MAX (self->max_generation, events[i].generation);
    }
  describe_for_accessibility (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The heap in use: up to each collection's "before", down to its "after". */
static void
draw_heap (SpGcStrip *self,
           cairo_t   *cr,
           double     width,
           double     height)
{
  GdkRGBA color;

  if (self->events->len == 0 || self->max_bytes <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  cairo_move_to (cr, time_to_x (self, g_array_index (self->events, SpGcEvent, 0).time, width), height);
  for (guint i = 0; i < self->events->len; i++)
    {
      const SpGcEvent *e = &g_array_index (self->events, SpGcEvent, i);

      cairo_line_to (cr, time_to_x (self, e->time, width), height * (1 - e->bytes_before / self->max_bytes));
      cairo_line_to (cr, time_to_x (self, e->time + e->pause, width), height * (1 - e->bytes_after / self->max_bytes));
    }
  cairo_line_to (cr, time_to_x (self, self->duration, width),
                 height * (1 - g_array_index (self->events, SpGcEvent, self->events->len - 1).bytes_after / self->max_bytes));
  cairo_line_to (cr, time_to_x (self, self->duration, width), height);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.10);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
draw_axis (SpGcStrip   *self,
           GtkSnapshot *snapshot,
           int          width,
           int          height)
{
  g_autofree char *end = sp_format_seconds (self->duration);
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0 s");
  GdkRGBA color;
  int text_width;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  color.alpha *= 0.55;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, height - AXIS_HEIGHT + 2));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  pango_layout_set_text (layout, end, -1);
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width - text_width, 0));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_append_color (snapshot, &color,
                             &GRAPHENE_RECT_INIT (0, height - AXIS_HEIGHT, width, 1));
  g_object_unref (layout);
}

static void
sp_gc_strip_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  SpGcStrip *self = SP_GC_STRIP (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double plot = MAX (height - AXIS_HEIGHT, 1);
  cairo_t *cr;

  if (width <= 0 || self->duration <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, plot));
  draw_heap (self, cr, width, plot);
  cairo_destroy (cr);

  for (guint i = 0; i < self->events->len; i++)
    {
      const SpGcEvent *e = &g_array_index (self->events, SpGcEvent, i);
      double x = time_to_x (self, e->time, width);
      double w = MAX (time_to_x (self, e->time + e->pause, width) - x, MIN_BAR_WIDTH);

      gtk_snapshot_append_color (snapshot, generation_color (self, e->generation),
                                 &GRAPHENE_RECT_INIT (MIN (x, width - w), 0, w, plot));
    }
  draw_axis (self, snapshot, width, height);
}

int
sp_gc_strip_get_event_at (SpGcStrip *self,
                          double     x)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int best = -1;
  double best_distance = HIT_SLOP;

  g_return_val_if_fail (SP_IS_GC_STRIP (self), -1);

  for (guint i = 0; i < self->events->len; i++)
    {
      const SpGcEvent *e = &g_array_index (self->events, SpGcEvent, i);
      double left = time_to_x (self, e->time, width);
      double right = MAX (time_to_x (self, e->time + e->pause, width), left + MIN_BAR_WIDTH);
      double distance = x < left ? left - x : x > right ? x - right : 0;

      if (distance <= best_distance)
        {
          best = i;
          best_distance = distance;
        }
    }
  return best;
}

char *
sp_gc_strip_describe_event (SpGcStrip *self,
                            guint      index)
{
  const SpGcEvent *e;
  g_autofree char *time = NULL;
  g_autofree char *pause = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_return_val_if_fail (SP_IS_GC_STRIP (self), NULL);
  g_return_val_if_fail (index < self->events->len, NULL);

  e = &g_array_index (self->events, SpGcEvent, index);
  time = sp_format_seconds (e->time);
  pause = sp_format_seconds (e->pause);
  before = sp_format_bytes (e->bytes_before);
  after = sp_format_bytes (e->bytes_after);
  return g_strdup_printf (_("Collection %u of %u, at %s\nGeneration %d, pause %s\nHeap in use: %s → %s"),
                          index + 1, self->events->len, time, e->generation, pause, before, after);
}

static gboolean
sp_gc_strip_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard,
                           GtkTooltip *tooltip)
{
  SpGcStrip *self = SP_GC_STRIP (widget);
  int index = sp_gc_strip_get_event_at (self, x);
  g_autofree char *text = NULL;

  if (index < 0)
    return FALSE;
  text = sp_gc_strip_describe_event (self, index);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
sp_gc_strip_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 40 + AXIS_HEIGHT;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 56 + AXIS_HEIGHT;
}

static void
sp_gc_strip_finalize (GObject *object)
{
  g_clear_pointer (&SP_GC_STRIP (object)->events, g_array_unref);

  G_OBJECT_CLASS (sp_gc_strip_parent_class)->finalize (object);
}

static void
sp_gc_strip_class_init (SpGcStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sp_gc_strip_finalize;
  widget_class->snapshot = sp_gc_strip_snapshot;
  widget_class->measure = sp_gc_strip_measure;
  widget_class->query_tooltip = sp_gc_strip_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "gcstrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sp_gc_strip_init (SpGcStrip *self)
{
  self->events = g_array_new (FALSE, FALSE, sizeof (SpGcEvent));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
sp_gc_strip_new (void)
{
  return g_object_new (SP_TYPE_GC_STRIP, NULL);
}
