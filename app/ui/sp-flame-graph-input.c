/* sp-flame-graph-input.c: pointer, wheel, pinch and keyboard handling of the flame graph
 *
 * Every handler turns an event into a call of the widget's own functions, so that tests can
 * drive the widget by emitting the controllers' signals.
 */
#define G_LOG_DOMAIN "sp-flame-graph"

#include "config.h"

#include <math.h>

#include "sp-flame-graph-private.h"

#define DRAG_THRESHOLD 4.0

static void
zoom_viewport_around (SpFlameGraph *self,
                      double        x0,
                      double        x1,
                      double        factor,
                      double        pointer_x)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double anchor = width > 0 ? CLAMP (pointer_x / width, 0, 1) : 0.5;
  double old_width = x1 - x0;
  double new_width = CLAMP (old_width / factor, 1e-9, 1);
  double at = x0 + anchor * old_width;

  _sp_flame_graph_set_viewport (self, at - anchor * new_width, at - anchor * new_width + new_width);
}

static void
on_click_released (SpFlameGraph   *self,
                   int             n_press,
                   double          x,
                   double          y,
                   GtkGestureClick *gesture)
{
  int index;

  if (self->dragged)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  index = _sp_flame_graph_rect_at (self, x, y);
  if (index < 0)
    return;

  if (sp_flame_layout_get_rect (self->layout, index)->node == SP_NO_NODE)
    {
      sp_flame_graph_reset_zoom (self);
      return;
    }

  _sp_flame_graph_select_rect (self, index, TRUE);
  _sp_flame_graph_zoom_to_rect (self, index);
}

static void
on_motion (SpFlameGraph             *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  self->pointer_x = x;
  _sp_flame_graph_set_hover (self, _sp_flame_graph_rect_at (self, x, y));
}

static void
on_leave (SpFlameGraph             *self,
          GtkEventControllerMotion *motion)
{
  _sp_flame_graph_set_hover (self, -1);
}

/* Ctrl + wheel zooms around the pointer, a horizontal wheel pans; a plain vertical wheel is
 * left to the scrolled window around the graph. */
static gboolean
on_scroll (SpFlameGraph             *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *scroll)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  /* without an event (a signal emitted by hand) the unit is a wheel's */
  gboolean pixels = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (scroll)) != NULL &&
                    gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_SURFACE;
  double view = self->view_x1 - self->view_x0;
  double width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1);

  if (self->layout == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      double factor = pow (pixels ? 1.01 : 1.25, -dy);

      zoom_viewport_around (self, self->view_x0, self->view_x1, factor, self->pointer_x);
      return TRUE;
    }

  if (dx != 0)
    {
      double shift = pixels ? dx / width * view : dx * 0.1 * view;

      _sp_flame_graph_set_viewport (self, self->view_x0 + shift, self->view_x1 + shift);
      return TRUE;
    }

  return FALSE;
}

static void
on_pinch_begin (SpFlameGraph     *self,
                GdkEventSequence *sequence,
                GtkGesture       *gesture)
{
  self->pinch_view[0] = self->view_x0;
  self->pinch_view[1] = self->view_x1;
}

static void
on_pinch_scale_changed (SpFlameGraph   *self,
                        double          scale,
                        GtkGestureZoom *gesture)
{
  double x, y;

  if (!gtk_gesture_is_active (GTK_GESTURE (gesture)) ||
      !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;

  zoom_viewport_around (self, self->pinch_view[0], self->pinch_view[1], MAX (scale, 1e-3), x);
}

static void
on_drag_begin (SpFlameGraph   *self,
               double          x,
               double          y,
               GtkGestureDrag *drag)
{
  self->drag_x0 = self->view_x0;
  self->dragged = FALSE;
}

static void
on_drag_update (SpFlameGraph   *self,
                double          dx,
                double          dy,
                GtkGestureDrag *drag)
{
  double view = self->view_x1 - self->view_x0;
  double width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1);
  double x0;

  if (fabs (dx) > DRAG_THRESHOLD)
    self->dragged = TRUE;
  if (!self->dragged)
    return;

  x0 = self->drag_x0 - dx / width * view;
  _sp_flame_graph_set_viewport (self, x0, x0 + view);
}

/* Keeps the selected rect on screen after keyboard moves in a wheel-zoomed view. */
static void
reveal_rect (SpFlameGraph *self,
             int           index)
{
  const SpFlameRect *rect = sp_flame_layout_get_rect (self->layout, index);
  double view = self->view_x1 - self->view_x0;

  if (rect->x1 <= self->view_x0 || rect->x0 >= self->view_x1)
    _sp_flame_graph_set_viewport (self, rect->x0, rect->x0 + view);
}

static int
keyboard_target (SpFlameGraph *self,
                 guint         keyval)
{
  int selected = _sp_flame_graph_selected_rect (self);
  gboolean up_is_child = self->orientation == SP_FLAME_ORIENTATION_FLAME;

  if (selected < 0)
    {
      guint32 zoom = sp_flame_layout_get_options (self->layout)->zoom_node;

      return zoom == SP_NO_NODE ? sp_flame_layout_get_first_child (self->layout, 0)
                                : sp_flame_layout_find_node (self->layout, zoom);
    }

  switch (keyval)
    {
    case GDK_KEY_Left:
      return sp_flame_layout_get_sibling (self->layout, selected, -1);
    case GDK_KEY_Right:
      return sp_flame_layout_get_sibling (self->layout, selected, 1);
    case GDK_KEY_Up:
      return up_is_child ? sp_flame_layout_get_first_child (self->layout, selected)
                         : sp_flame_layout_get_parent (self->layout, selected);
    case GDK_KEY_Down:
    default:
      return up_is_child ? sp_flame_layout_get_parent (self->layout, selected)
                         : sp_flame_layout_get_first_child (self->layout, selected);
    }
}

static gboolean
on_key_pressed (SpFlameGraph          *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *key)
{
  int selected, target;

  if (self->layout == NULL)
    return FALSE;

  if (state & GDK_ALT_MASK)
    {
      if (keyval == GDK_KEY_Left)
        return sp_flame_graph_go_back (self);
      if (keyval == GDK_KEY_Right)
        return sp_flame_graph_go_forward (self);
      return FALSE;
    }

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_Right:
    case GDK_KEY_Up:
    case GDK_KEY_Down:
      target = keyboard_target (self, keyval);
      if (target >= 0 && sp_flame_layout_get_rect (self->layout, target)->node != SP_NO_NODE)
        {
          _sp_flame_graph_select_rect (self, target, TRUE);
          reveal_rect (self, target);
        }
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      selected = _sp_flame_graph_selected_rect (self);
      if (selected >= 0)
        _sp_flame_graph_zoom_to_rect (self, selected);
      return selected >= 0;

    case GDK_KEY_Escape:
    case GDK_KEY_BackSpace:
      return sp_flame_graph_zoom_out (self);

    case GDK_KEY_Home:
      sp_flame_graph_reset_zoom (self);
      return TRUE;

    default:
      return FALSE;
    }
}

void
_sp_flame_graph_add_controllers (SpFlameGraph *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *key = gtk_event_controller_key_new ();

  g_signal_connect_object (click, "released", G_CALLBACK (on_click_released), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (on_drag_begin), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (on_drag_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pinch, "begin", G_CALLBACK (on_pinch_begin), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (scroll, "scroll", G_CALLBACK (on_scroll), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (key, "key-pressed", G_CALLBACK (on_key_pressed), self, G_CONNECT_SWAPPED);

  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (pinch));
  gtk_widget_add_controller (widget, motion);
  gtk_widget_add_controller (widget, scroll);
  gtk_widget_add_controller (widget, key);
}
