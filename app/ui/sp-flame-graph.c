/* sp-flame-graph.c: the flame graph widget: state, layout off the main loop, zoom, search
 *
 * Layouts are computed in a GTask thread for the zoom root and the viewport.  Drawing lives in
 * sp-flame-graph-draw.c, zoom and search in sp-flame-graph-zoom.c, input in sp-flame-graph-input.c.
 */
#define G_LOG_DOMAIN "sp-flame-graph"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sp-flame-graph-private.h"
#include "sp-profile-match.h"

#define ZOOM_ANIMATION_USEC (180 * 1000)
/* Frames down to 1/LOD_OVERSAMPLE of a pixel are laid out (narrower ones are not drawn): the
 * layout holds what the viewport can show, and is redone for wheel and pinch zoom when the
 * viewport needs more detail or leaves the laid-out range. */
#define LOD_OVERSAMPLE      16.0
#define LOD_ASSUMED_WIDTH   2000.0

G_DEFINE_FINAL_TYPE_WITH_CODE (SpFlameGraph, sp_flame_graph, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_ZOOM_NODE,
  PROP_MATCHED_FRACTION,
  PROP_READY,
  PROP_SELECTED_FRAME,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY
};

enum {
  FRAME_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];


void
_sp_flame_graph_invalidate (SpFlameGraph *self)
{
  g_clear_pointer (&self->bars, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- Layout ---- */

static void
layout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const SpFlameLayoutOptions *options = task_data;
  SpProfile *profile = g_object_get_data (G_OBJECT (task), "profile");

  g_task_return_pointer (task, sp_flame_layout_new (profile, options),
                         (GDestroyNotify) sp_flame_layout_free);
}

static void
install_layout (SpFlameGraph  *self,
                SpFlameLayout *layout)
{
  int old_root = -1;

  g_clear_pointer (&self->layout, sp_flame_layout_free);
  self->layout = layout;
  self->hover = -1;
  if (self->motion != SP_ZOOM_DETAIL)
    {
      self->view_x0 = 0;
      self->view_x1 = 1;
    }

  if (self->motion == SP_ZOOM_OUT && self->old_zoom_node != SP_NO_NODE)
    old_root = sp_flame_layout_find_node (layout, self->old_zoom_node);
  if (old_root >= 0)
    {
      const SpFlameRect *rect = sp_flame_layout_get_rect (layout, old_root);

      self->view_x0 = rect->x0;
      self->view_x1 = rect->x1;
      _sp_flame_graph_animate_to (self, 0, 1);
    }

  if (self->pending_frame != SP_NO_FRAME)
    _sp_flame_graph_select_rect (self, sp_flame_layout_find_frame (layout, self->pending_frame), FALSE);
  self->pending_frame = SP_NO_FRAME;

  gtk_widget_queue_resize (GTK_WIDGET (self));
  _sp_flame_graph_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

/* A newer version of the profile shown takes its place, with its first layout. */
static void
adopt_profile (SpFlameGraph *self,
               SpProfile    *profile,
               guint32       zoom_node)
{
  g_autofree char *pattern = g_strdup (self->pattern);

  g_set_object (&self->profile, profile);
  g_array_set_size (self->back, 0);
  g_array_set_size (self->forward, 0);
  self->selected_node = SP_NO_NODE;
  self->old_zoom_node = SP_NO_NODE;
  self->zoom_node = zoom_node;
  self->pending_frame = self->swap_frame;
  if (!sp_profile_has_metric (profile, self->metric))
    self->metric = sp_profile_get_default_metric (profile);
  _sp_flame_graph_update_colors (self);
  if (!sp_flame_graph_set_search (self, pattern, self->search_flags, NULL))
    sp_flame_graph_set_search (self, NULL, self->search_flags, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_NODE]);
}

static void
layout_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (object);
  SpProfile *profile = g_object_get_data (G_OBJECT (result), "profile");
  g_autoptr(GError) error = NULL;
  SpFlameLayout *layout;

  layout = g_task_propagate_pointer (G_TASK (result), &error);
  if (layout == NULL)
    return;   /* cancelled: a newer layout is on its way */

  g_clear_object (&self->layout_cancellable);
  if (profile != self->profile)
    {
      guint32 laid_out = sp_flame_layout_get_options (layout)->zoom_node;
      /* the user may have zoomed while this layout was made: the zoom of now wins */
      guint32 zoom = self->profile != NULL
                       ? sp_profile_match_node (self->profile, self->zoom_node, profile)
                       : laid_out;

      adopt_profile (self, profile, laid_out);
      if (zoom != laid_out)
        {
          install_layout (self, layout);
          _sp_flame_graph_request_layout (self, zoom, SP_ZOOM_JUMP);
          return;
        }
    }

  /* zooming in: let the old layout finish growing toward the new root first */
  if (self->tick_id != 0 && self->motion == SP_ZOOM_IN)
    {
      g_clear_pointer (&self->next_layout, sp_flame_layout_free);
      self->next_layout = layout;
      return;
    }

  install_layout (self, layout);
}

static double
pixel_width (SpFlameGraph *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  return width > 0 ? width : LOD_ASSUMED_WIDTH;
}

/* What a layout for the viewport [x0, x1) holds: frames down to a fraction of a pixel, over
 * the viewport and as much again on each side for panning. */
static void
set_detail (SpFlameGraph         *self,
            SpFlameLayoutOptions *options,
            double                x0,
            double                x1)
{
  double view = x1 - x0;

  options->min_fraction = view / (pixel_width (self) * LOD_OVERSAMPLE);
  options->x_min = view < 1 ? MAX (0, x0 - view) : 0;
  options->x_max = view < 1 ? MIN (1, x1 + view) : 1;
}

/* Whether the layout still has the right detail for the viewport: not too coarse (frames of
 * a quarter pixel missing), not much too fine (slow redraws), and covering it. */
static gboolean
layout_fits_viewport (SpFlameGraph *self)
{
  const SpFlameLayoutOptions *options = sp_flame_layout_get_options (self->layout);
  double min_px = options->min_fraction * pixel_width (self) / (self->view_x1 - self->view_x0);

  return min_px <= 0.25 && min_px >= 1 / (LOD_OVERSAMPLE * 8) &&
         self->view_x0 >= options->x_min && self->view_x1 <= options->x_max;
}

static void
check_detail (SpFlameGraph *self)
{
  /* a zoom on its way, or its animation, decides the next layout */
  if (self->layout == NULL || self->tick_id != 0 ||
      (self->layout_cancellable != NULL && self->motion != SP_ZOOM_DETAIL))
    return;

  if (!layout_fits_viewport (self))
    _sp_flame_graph_request_layout (self, self->zoom_node, SP_ZOOM_DETAIL);
}

/* A layout of profile: the one shown, or a newer version of it (a swap, which keeps the zoom
 * node for when it is adopted). */
static void
request_layout_of (SpFlameGraph *self,
                   SpProfile    *profile,
                   guint32       zoom_node,
                   SpZoomMotion  motion)
{
  g_autoptr(GTask) task = NULL;
  SpFlameLayoutOptions *options;

  g_cancellable_cancel (self->layout_cancellable);
  g_clear_object (&self->layout_cancellable);
  g_clear_pointer (&self->next_layout, sp_flame_layout_free);

  if (motion != SP_ZOOM_DETAIL && profile == self->profile)
    {
      self->old_zoom_node = self->zoom_node;
      self->zoom_node = zoom_node;
    }
  self->motion = motion;
  if (profile == NULL)
    return;

  options = g_new (SpFlameLayoutOptions, 1);
  sp_flame_layout_options_init (options);
  options->metric = self->metric;
  options->zoom_node = zoom_node;
  options->order = self->order;
  options->threshold = self->threshold;
  if (motion == SP_ZOOM_DETAIL)
    set_detail (self, options, self->view_x0, self->view_x1);
  else
    set_detail (self, options, 0, 1);

  self->layout_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->layout_cancellable, layout_ready, NULL);
  g_task_set_source_tag (task, _sp_flame_graph_request_layout);
  g_task_set_task_data (task, options, g_free);
  g_object_set_data_full (G_OBJECT (task), "profile", g_object_ref (profile), g_object_unref);
  g_task_run_in_thread (task, layout_thread);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  if (motion != SP_ZOOM_DETAIL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_NODE]);
}

void
_sp_flame_graph_request_layout (SpFlameGraph *self,
                                guint32       zoom_node,
                                SpZoomMotion  motion)
{
  request_layout_of (self, self->profile, zoom_node, motion);
}

void
_sp_flame_graph_request_swap (SpFlameGraph *self,
                              SpProfile    *profile,
                              guint32       zoom_node,
                              guint32       frame)
{
  self->swap_frame = frame;
  request_layout_of (self, profile, zoom_node, SP_ZOOM_JUMP);
}

/* ---- Viewport and animation ---- */

void
_sp_flame_graph_set_viewport (SpFlameGraph *self,
                              double        x0,
                              double        x1)
{
  double width = CLAMP (x1 - x0, 1e-9, 1);

  x0 = CLAMP (x0, 0, 1 - width);
  if (x0 == self->view_x0 && x0 + width == self->view_x1)
    return;

  self->view_x0 = x0;
  self->view_x1 = x0 + width;
  self->hover = -1;
  _sp_flame_graph_invalidate (self);
  check_detail (self);
}

static gboolean
animation_tick (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (widget);
  double t = (gdk_frame_clock_get_frame_time (clock) - self->anim_start) / (double) ZOOM_ANIMATION_USEC;
  double ease;

  t = CLAMP (t, 0, 1);
  ease = 1 - pow (1 - t, 3);
  _sp_flame_graph_set_viewport (self,
                                self->anim_from[0] + (self->anim_to[0] - self->anim_from[0]) * ease,
                                self->anim_from[1] + (self->anim_to[1] - self->anim_from[1]) * ease);
  if (t < 1)
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  if (self->next_layout != NULL)
    install_layout (self, g_steal_pointer (&self->next_layout));
  else
    check_detail (self);

  return G_SOURCE_REMOVE;
}

void
_sp_flame_graph_animate_to (SpFlameGraph *self,
                            double        x0,
                            double        x1)
{
  gboolean animate;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &animate, NULL);
  if (!animate || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      _sp_flame_graph_set_viewport (self, x0, x1);
      return;
    }

  self->anim_from[0] = self->view_x0;
  self->anim_from[1] = self->view_x1;
  self->anim_to[0] = x0;
  self->anim_to[1] = x1;
  self->anim_start = gdk_frame_clock_get_frame_time (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), animation_tick, NULL, NULL);
}

void
sp_flame_graph_get_viewport (SpFlameGraph *self,
                             double       *x0,
                             double       *x1)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));

  if (x0 != NULL)
    *x0 = self->view_x0;
  if (x1 != NULL)
    *x1 = self->view_x1;
}

/* ---- Geometry ---- */

/* The bars are drawn for the whole height of the graph, at least the widget's, and scrolled. */
double
_sp_flame_graph_content_height (SpFlameGraph *self)
{
  guint rows = self->layout != NULL ? sp_flame_layout_get_n_rows (self->layout) : 1;

  return MAX ((double) rows * SP_FLAME_ROW_HEIGHT, (double) gtk_widget_get_height (GTK_WIDGET (self)));
}

double
_sp_flame_graph_scroll_offset (SpFlameGraph *self)
{
  return self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

int
_sp_flame_graph_rect_at (SpFlameGraph *self,
                         double        x,
                         double        y)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = _sp_flame_graph_content_height (self);
  int row;

  y += _sp_flame_graph_scroll_offset (self);

  if (self->layout == NULL || width <= 0 || x < 0 || x >= width)
    return -1;

  row = sp_flame_orientation_row_at (self->orientation, y, SP_FLAME_ROW_HEIGHT, height);
  if (row < 0)
    return -1;

  return sp_flame_layout_hit_test (self->layout,
                                   self->view_x0 + x / width * (self->view_x1 - self->view_x0),
                                   row);
}

gboolean
sp_flame_graph_get_node_at (SpFlameGraph *self,
                            double        x,
                            double        y,
                            guint32      *node)
{
  int index;

  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);

  index = _sp_flame_graph_rect_at (self, x, y);
  if (index < 0)
    return FALSE;
  if (node != NULL)
    *node = _sp_flame_graph_rect_node (self, index);

  return TRUE;
}

gboolean
sp_flame_graph_get_node_area (SpFlameGraph    *self,
                              guint32          node,
                              graphene_rect_t *area)
{
  int index;

  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (self->layout == NULL || (index = sp_flame_layout_find_node (self->layout, node)) < 0)
    return FALSE;

  _sp_flame_graph_rect_area (self, sp_flame_layout_get_rect (self->layout, index), area);
  return TRUE;
}

static void
sp_flame_graph_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 100;
      *natural = 800;
    }
  else
    {
      guint rows = self->layout != NULL ? sp_flame_layout_get_n_rows (self->layout) : 1;

      *minimum = SP_FLAME_ROW_HEIGHT * MIN (rows, 4);
      *natural = rows * SP_FLAME_ROW_HEIGHT;
    }
}

static void
configure_vadjustment (SpFlameGraph *self)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double upper = _sp_flame_graph_content_height (self);
  double value;

  if (self->vadjustment == NULL)
    return;

  value = self->orientation == SP_FLAME_ORIENTATION_FLAME ? upper - height - self->from_bottom
                                                          : gtk_adjustment_get_value (self->vadjustment);
  gtk_adjustment_configure (self->vadjustment, CLAMP (value, 0, MAX (upper - height, 0)), 0, upper,
                            SP_FLAME_ROW_HEIGHT, height * 0.9, height);
}

static void
on_vadjustment_value_changed (SpFlameGraph  *self,
                              GtkAdjustment *adjustment)
{
  self->from_bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) -
                      gtk_adjustment_get_value (adjustment);
  self->hover = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_vadjustment (SpFlameGraph  *self,
                 GtkAdjustment *adjustment)
{
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_vadjustment_value_changed, self);
  if (!g_set_object (&self->vadjustment, adjustment))
    return;
  if (adjustment != NULL)
    {
      g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_vadjustment_value_changed), self,
                               G_CONNECT_SWAPPED);
      configure_vadjustment (self);
    }
}

static void
sp_flame_graph_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (widget);

  _sp_flame_graph_invalidate (self);
  configure_vadjustment (self);
  check_detail (self);
}

static void
sp_flame_graph_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (widget);

  GTK_WIDGET_CLASS (sp_flame_graph_parent_class)->css_changed (widget, change);

  /* the style may have turned dark or light */
  _sp_flame_graph_update_colors (self);
  _sp_flame_graph_invalidate (self);
}

/* ---- Selection and hover ---- */

int
_sp_flame_graph_selected_rect (SpFlameGraph *self)
{
  if (self->layout == NULL || self->selected_node == SP_NO_NODE)
    return -1;

  return sp_flame_layout_find_node (self->layout, self->selected_node);
}

void
_sp_flame_graph_select_rect (SpFlameGraph *self,
                             int           index,
                             gboolean      notify)
{
  guint32 node = index >= 0 ? _sp_flame_graph_rect_node (self, index) : SP_NO_NODE;

  if (node == self->selected_node)
    return;

  self->selected_node = node;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
  if (notify && node != SP_NO_NODE)
    g_signal_emit (self, signals[FRAME_SELECTED], 0, _sp_flame_graph_node_frame (self, node));
}

void
_sp_flame_graph_set_hover (SpFlameGraph *self,
                           int           index)
{
  if (index == self->hover)
    return;

  self->hover = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint32
sp_flame_graph_get_selected_node (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), SP_NO_NODE);

  return self->selected_node;
}

guint32
sp_flame_graph_get_selected_frame (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), SP_NO_FRAME);

  if (self->selected_node == SP_NO_NODE)
    return self->pending_frame;

  return _sp_flame_graph_node_frame (self, self->selected_node);
}

void
sp_flame_graph_select_frame (SpFlameGraph *self,
                             guint32       frame)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));

  /* a layout on its way gets the selection when it arrives */
  self->pending_frame = sp_flame_graph_is_ready (self) ? SP_NO_FRAME : frame;

  if (self->layout == NULL || frame == SP_NO_FRAME)
    _sp_flame_graph_select_rect (self, -1, FALSE);
  else
    _sp_flame_graph_select_rect (self, sp_flame_layout_find_frame (self->layout, frame), FALSE);
}

/* ---- Settings ---- */

SpProfile *
sp_flame_graph_get_profile (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), NULL);

  return self->profile;
}

void
sp_flame_graph_set_profile (SpFlameGraph *self,
                            SpProfile    *profile)
{
  g_autofree char *pattern = NULL;

  g_return_if_fail (SP_IS_FLAME_GRAPH (self));
  g_return_if_fail (!profile || SP_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;

  g_clear_pointer (&self->layout, sp_flame_layout_free);
  g_array_set_size (self->back, 0);
  g_array_set_size (self->forward, 0);
  self->selected_node = SP_NO_NODE;
  self->pending_frame = SP_NO_FRAME;
  self->zoom_node = SP_NO_NODE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
  if (profile != NULL && !sp_profile_has_metric (profile, self->metric))
    self->metric = sp_profile_get_default_metric (profile);
  _sp_flame_graph_update_colors (self);

  /* the same search, on the new profile's frames */
  pattern = g_strdup (self->pattern);
  if (!sp_flame_graph_set_search (self, pattern, self->search_flags, NULL))
    sp_flame_graph_set_search (self, NULL, self->search_flags, NULL);

  _sp_flame_graph_request_layout (self, SP_NO_NODE, SP_ZOOM_JUMP);
  _sp_flame_graph_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

SpMetric
sp_flame_graph_get_metric (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), SP_METRIC_SAMPLES);

  return self->metric;
}

void
sp_flame_graph_set_metric (SpFlameGraph *self,
                           SpMetric      metric)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));
  g_return_if_fail (metric < SP_N_METRICS);

  if (metric == self->metric)
    return;

  self->metric = metric;
  if (self->search != NULL)
    self->matched = sp_flame_search_get_matched_fraction (self->search, metric);
  _sp_flame_graph_update_colors (self);
  _sp_flame_graph_request_layout (self, self->zoom_node, SP_ZOOM_JUMP);
}

SpFlameOrientation
sp_flame_graph_get_orientation (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), SP_FLAME_ORIENTATION_FLAME);

  return self->orientation;
}

void
sp_flame_graph_set_orientation (SpFlameGraph       *self,
                                SpFlameOrientation  orientation)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));

  if (orientation == self->orientation)
    return;

  self->orientation = orientation;
  self->from_bottom = 0;
  if (self->vadjustment != NULL)
    gtk_adjustment_set_value (self->vadjustment, 0);
  configure_vadjustment (self);
  _sp_flame_graph_invalidate (self);
}

SpFlameOrder
sp_flame_graph_get_order (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), SP_FLAME_ORDER_LEFT_HEAVY);

  return self->order;
}

void
sp_flame_graph_set_order (SpFlameGraph *self,
                          SpFlameOrder  order)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));

  if (order == self->order)
    return;

  self->order = order;
  _sp_flame_graph_request_layout (self, self->zoom_node, SP_ZOOM_JUMP);
}

double
sp_flame_graph_get_threshold (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), 0);

  return self->threshold;
}

void
sp_flame_graph_set_threshold (SpFlameGraph *self,
                              double        threshold)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));

  threshold = CLAMP (threshold, 0, 1);
  if (threshold == self->threshold)
    return;

  self->threshold = threshold;
  _sp_flame_graph_request_layout (self, self->zoom_node, SP_ZOOM_JUMP);
}

SpFlameColors
sp_flame_graph_get_colors (SpFlameGraph *self)
{
  g_return_val_if_fail (SP_IS_FLAME_GRAPH (self), SP_FLAME_COLORS_HOT);

  return self->colors;
}

void
sp_flame_graph_set_colors (SpFlameGraph  *self,
                           SpFlameColors  colors)
{
  g_return_if_fail (SP_IS_FLAME_GRAPH (self));
  g_return_if_fail (colors < SP_N_FLAME_COLORS);

  if (colors == self->colors)
    return;

  self->colors = colors;
  _sp_flame_graph_update_colors (self);
  _sp_flame_graph_invalidate (self);
}

/* ---- GObject ---- */

static gboolean
sp_flame_graph_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard,
                              GtkTooltip *tooltip)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (widget);
  int index = keyboard ? _sp_flame_graph_selected_rect (self) : _sp_flame_graph_rect_at (self, x, y);
  g_autofree char *markup = NULL;
  graphene_rect_t area;

  if (index < 0)
    return FALSE;

  markup = _sp_flame_graph_describe_rect (self, index);
  _sp_flame_graph_rect_area (self, sp_flame_layout_get_rect (self->layout, index), &area);
  gtk_tooltip_set_markup (tooltip, markup);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { (int) MAX (area.origin.x, 0), (int) area.origin.y,
                                                       (int) MAX (area.size.width, 1),
                                                       (int) area.size.height });
  return TRUE;
}

static void
sp_flame_graph_dispose (GObject *object)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (object);

  if (self->layout_cancellable != NULL)
    g_cancellable_cancel (self->layout_cancellable);
  g_clear_object (&self->layout_cancellable);
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  g_clear_pointer (&self->bars, gsk_render_node_unref);
  g_clear_pointer (&self->layout, sp_flame_layout_free);
  g_clear_pointer (&self->next_layout, sp_flame_layout_free);
  g_clear_pointer (&self->search, sp_flame_search_free);
  g_clear_pointer (&self->frame_colors, g_free);
  g_clear_pointer (&self->back, g_array_unref);
  g_clear_pointer (&self->forward, g_array_unref);
  g_clear_pointer (&self->pattern, g_free);
  g_clear_object (&self->profile);
  set_vadjustment (self, NULL);
  g_clear_object (&self->hadjustment);

  G_OBJECT_CLASS (sp_flame_graph_parent_class)->dispose (object);
}

static void
sp_flame_graph_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_ZOOM_NODE:
      g_value_set_uint (value, self->zoom_node);
      break;
    case PROP_MATCHED_FRACTION:
      g_value_set_double (value, self->matched);
      break;
    case PROP_READY:
      g_value_set_boolean (value, sp_flame_graph_is_ready (self));
      break;
    case PROP_SELECTED_FRAME:
      g_value_set_uint (value, sp_flame_graph_get_selected_frame (self));
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_flame_graph_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SpFlameGraph *self = SP_FLAME_GRAPH (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      sp_flame_graph_set_profile (self, g_value_get_object (value));
      break;
    case PROP_HADJUSTMENT:
      /* the width is always the whole graph: horizontal zoom has its own viewport */
      g_set_object (&self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_vadjustment (self, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_flame_graph_class_init (SpFlameGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_flame_graph_dispose;
  object_class->get_property = sp_flame_graph_get_property;
  object_class->set_property = sp_flame_graph_set_property;

  widget_class->snapshot = _sp_flame_graph_snapshot;
  widget_class->measure = sp_flame_graph_measure;
  widget_class->size_allocate = sp_flame_graph_size_allocate;
  widget_class->css_changed = sp_flame_graph_css_changed;
  widget_class->query_tooltip = sp_flame_graph_query_tooltip;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, SP_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_NODE] =
    g_param_spec_uint ("zoom-node", NULL, NULL, 0, G_MAXUINT32, SP_NO_NODE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MATCHED_FRACTION] =
    g_param_spec_double ("matched-fraction", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_FRAME] =
    g_param_spec_uint ("selected-frame", NULL, NULL, 0, G_MAXUINT32, SP_NO_FRAME,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /* The user picked a frame (click, keys, next match): the window selects the function in
   * the other views. */
  signals[FRAME_SELECTED] =
    g_signal_new ("frame-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "flamegraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sp_flame_graph_init (SpFlameGraph *self)
{
  self->metric = SP_METRIC_SAMPLES;
  self->zoom_node = SP_NO_NODE;
  self->old_zoom_node = SP_NO_NODE;
  self->selected_node = SP_NO_NODE;
  self->pending_frame = SP_NO_FRAME;
  self->hover = -1;
  self->view_x1 = 1;
  self->back = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->forward = g_array_new (FALSE, FALSE, sizeof (guint32));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Flame graph"), -1);
  _sp_flame_graph_add_controllers (self);
}

GtkWidget *
sp_flame_graph_new (void)
{
  return g_object_new (SP_TYPE_FLAME_GRAPH, NULL);
}
