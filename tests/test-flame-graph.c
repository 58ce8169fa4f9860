/* test-flame-graph.c: the flame graph widget and view, driven through their controllers */
#include <adwaita.h>

#include "sp-flame-graph-private.h"
#include "sp-diff.h"
#include "sp-flame-view.h"
#include "sp-test-util.h"

static const char * const demo[] = {
  "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB;WORKLOAD::FIB;WORKLOAD::FIB 6",
  "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB;WORKLOAD::FIB 2",
  "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB;WORKLOAD::HELPER;WORKLOAD::FIB 2",
  "WORKLOAD::MAIN;WORKLOAD::RUN;SB-IMPL::%MAKE-ARRAY 5",
  "WORKLOAD::MAIN;(LAMBDA () :IN WORKLOAD::MAIN) 1",
  "WORKLOAD::MAIN 1",
  "WORKLOAD::OTHER;foreign function memcpy 3",
  NULL
};

typedef struct
{
  GtkWidget    *window;
  SpFlameGraph *graph;
  SpProfile    *profile;
  GArray       *selected;   /* frames passed to frame-selected */
} Fixture;

static void
wait_ready (SpFlameGraph *graph)
{
  while (!sp_flame_graph_is_ready (graph))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint32
node_of_path (SpProfile  *p,
              const char *path)
{
  for (guint32 i = 0; i < sp_profile_get_n_nodes (p); i++)
    {
      g_autofree char *s = sp_test_node_path (p, i);
      if (g_str_equal (s, path))
        return i;
    }
  g_assert_not_reached ();
}

static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
    }
  g_assert_not_reached ();
}

static void
on_frame_selected (SpFlameGraph *graph,
                   guint         frame,
                   Fixture      *fixture)
{
  g_array_append_val (fixture->selected, frame);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->profile = sp_test_profile_from_lines (demo);
  fixture->selected = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->window = gtk_window_new ();
  fixture->graph = SP_FLAME_GRAPH (sp_flame_graph_new ());
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 200);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->graph));
  g_signal_connect (fixture->graph, "frame-selected", G_CALLBACK (on_frame_selected), fixture);

  sp_flame_graph_set_profile (fixture->graph, fixture->profile);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (fixture->window);
  wait_ready (fixture->graph);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->profile);
  g_clear_pointer (&fixture->selected, g_array_unref);
}

static void
click_node (Fixture *fixture,
            guint32  node)
{
  GtkEventController *click = find_controller (GTK_WIDGET (fixture->graph), GTK_TYPE_GESTURE_CLICK);
  graphene_rect_t area;

  g_assert_true (sp_flame_graph_get_node_area (fixture->graph, node, &area));
  g_signal_emit_by_name (click, "released", 1,
                         (double) area.origin.x + area.size.width / 2,
                         (double) area.origin.y + area.size.height / 2);
  wait_ready (fixture->graph);
}

static gboolean
press_key (Fixture         *fixture,
           guint            keyval,
           GdkModifierType  state)
{
  GtkEventController *key = find_controller (GTK_WIDGET (fixture->graph), GTK_TYPE_EVENT_CONTROLLER_KEY);
  gboolean handled = FALSE;

  g_signal_emit_by_name (key, "key-pressed", keyval, 0, state, &handled);
  wait_ready (fixture->graph);
  return handled;
}

static void
test_click_zoom (Fixture       *fixture,
                 gconstpointer  data)
{
  SpProfile *p = fixture->profile;
  guint32 fib = node_of_path (p, "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB");
  guint32 run = node_of_path (p, "WORKLOAD::MAIN;WORKLOAD::RUN");
  graphene_rect_t area;
  guint32 node;

  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, SP_NO_NODE);
  /* fib has 10 of 20 samples: half the width */
  g_assert_true (sp_flame_graph_get_node_area (fixture->graph, fib, &area));
  g_assert_cmpfloat_with_epsilon (area.size.width, 400, 1);

  click_node (fixture, fib);
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, fib);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, fib);
  g_assert_cmpuint (fixture->selected->len, ==, 1);
  g_assert_cmpuint (g_array_index (fixture->selected, guint, 0), ==, sp_profile_lookup_frame (p, "WORKLOAD::FIB"));
  g_assert_true (sp_flame_graph_get_node_area (fixture->graph, fib, &area));
  g_assert_cmpfloat_with_epsilon (area.size.width, 800, 1);
  /* ancestors stay as full-width rows; the other branches are gone */
  g_assert_true (sp_flame_graph_get_node_area (fixture->graph, run, &area));
  g_assert_cmpfloat_with_epsilon (area.size.width, 800, 1);
  g_assert_false (sp_flame_graph_get_node_area (fixture->graph, node_of_path (p, "WORKLOAD::OTHER"), &area));

  /* clicking an ancestor row climbs back to it */
  click_node (fixture, run);
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, run);

  /* history */
  g_assert_true (sp_flame_graph_can_go_back (fixture->graph));
  g_assert_true (press_key (fixture, GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, fib);
  g_assert_true (press_key (fixture, GDK_KEY_Right, GDK_ALT_MASK));
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, run);

  /* the "all" row resets the zoom; it is at the bottom of a flame graph */
  g_assert_true (sp_flame_graph_get_node_at (fixture->graph, 10, gtk_widget_get_height (GTK_WIDGET (fixture->graph)) - 5, &node));
  g_assert_cmpuint (node, ==, SP_NO_NODE);
  g_signal_emit_by_name (find_controller (GTK_WIDGET (fixture->graph), GTK_TYPE_GESTURE_CLICK), "released", 1,
                         10.0, gtk_widget_get_height (GTK_WIDGET (fixture->graph)) - 5.0);
  wait_ready (fixture->graph);
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, SP_NO_NODE);
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  SpProfile *p = fixture->profile;
  guint32 main_node = node_of_path (p, "WORKLOAD::MAIN");
  guint32 other = node_of_path (p, "WORKLOAD::OTHER");
  guint32 run = node_of_path (p, "WORKLOAD::MAIN;WORKLOAD::RUN");
  guint32 fib = node_of_path (p, "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB");
  guint32 lambda = node_of_path (p, "WORKLOAD::MAIN;(LAMBDA () :IN WORKLOAD::MAIN)");

  /* the first arrow selects the first root */
  g_assert_true (press_key (fixture, GDK_KEY_Up, 0));
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, main_node);
  press_key (fixture, GDK_KEY_Right, 0);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, other);
  press_key (fixture, GDK_KEY_Left, 0);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, main_node);
  /* up is toward the leaves in a flame graph */
  press_key (fixture, GDK_KEY_Up, 0);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, run);
  press_key (fixture, GDK_KEY_Right, 0);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, lambda);
  press_key (fixture, GDK_KEY_Left, 0);
  press_key (fixture, GDK_KEY_Up, 0);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, fib);
  press_key (fixture, GDK_KEY_Down, 0);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, run);
  g_assert_cmpuint (fixture->selected->len, ==, 8);

  /* Enter zooms, Escape and Backspace zoom out, Home resets */
  press_key (fixture, GDK_KEY_Up, 0);
  g_assert_true (press_key (fixture, GDK_KEY_Return, 0));
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, fib);
  g_assert_true (press_key (fixture, GDK_KEY_Escape, 0));
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, run);
  g_assert_true (press_key (fixture, GDK_KEY_BackSpace, 0));
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, main_node);
  g_assert_true (press_key (fixture, GDK_KEY_Home, 0));
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, SP_NO_NODE);
  g_assert_false (press_key (fixture, GDK_KEY_Escape, 0));

  /* icicle: down is toward the leaves */
  sp_flame_graph_set_orientation (fixture->graph, SP_FLAME_ORIENTATION_ICICLE);
  sp_flame_graph_select_frame (fixture->graph, sp_profile_lookup_frame (p, "WORKLOAD::RUN"));
  press_key (fixture, GDK_KEY_Down, 0);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, fib);
}

static void
test_scroll_pinch_drag (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *widget = GTK_WIDGET (fixture->graph);
  GtkEventController *pinch = find_controller (widget, GTK_TYPE_GESTURE_ZOOM);
  GtkEventController *scroll = find_controller (widget, GTK_TYPE_EVENT_CONTROLLER_SCROLL);
  GtkEventController *drag = find_controller (widget, GTK_TYPE_GESTURE_DRAG);
  gboolean handled = FALSE;
  double x0, x1;
  guint32 node;

  /* pinch to twice the size around the middle */
  g_signal_emit_by_name (pinch, "begin", NULL);
  g_signal_emit_by_name (pinch, "scale-changed", 2.0);
  sp_flame_graph_get_viewport (fixture->graph, &x0, &x1);
  g_assert_cmpfloat_with_epsilon (x0, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (x1, 0.75, 1e-9);
  /* what is under x = 0 is now what was at a quarter of the width */
  g_assert_true (sp_flame_graph_get_node_at (fixture->graph, 1, gtk_widget_get_height (widget) - 25, &node));
  g_assert_cmpuint (node, ==, node_of_path (fixture->profile, "WORKLOAD::MAIN"));

  /* a horizontal wheel pans; a vertical one is left to the scrolled window */
  g_signal_emit_by_name (scroll, "scroll", 1.0, 0.0, &handled);
  g_assert_true (handled);
  sp_flame_graph_get_viewport (fixture->graph, &x0, &x1);
  g_assert_cmpfloat_with_epsilon (x0, 0.30, 1e-9);
  g_signal_emit_by_name (scroll, "scroll", 0.0, 1.0, &handled);
  g_assert_false (handled);

  /* dragging right by 80 pixels shows what was 10 % to the left */
  g_signal_emit_by_name (drag, "drag-begin", 400.0, 100.0);
  g_signal_emit_by_name (drag, "drag-update", 80.0, 0.0);
  sp_flame_graph_get_viewport (fixture->graph, &x0, &x1);
  g_assert_cmpfloat_with_epsilon (x0, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (x1, 0.75, 1e-9);
  /* and panning stops at the edges */
  g_signal_emit_by_name (drag, "drag-update", 4000.0, 0.0);
  sp_flame_graph_get_viewport (fixture->graph, &x0, &x1);
  g_assert_cmpfloat (x0, ==, 0);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  SpProfile *p = fixture->profile;
  guint32 fib = sp_profile_lookup_frame (p, "WORKLOAD::FIB");
  g_autoptr(GError) error = NULL;
  guint32 first;

  g_assert_true (sp_flame_graph_set_search (fixture->graph, "fib", SP_FLAME_SEARCH_DEFAULT, &error));
  g_assert_cmpfloat_with_epsilon (sp_flame_graph_get_matched_fraction (fixture->graph), 0.5, 1e-12);
  g_assert_true (sp_flame_graph_is_match (fixture->graph, fib));
  g_assert_false (sp_flame_graph_is_match (fixture->graph, sp_profile_lookup_frame (p, "WORKLOAD::RUN")));

  /* next and previous walk the four fib frames, wrapping around */
  g_assert_true (sp_flame_graph_select_match (fixture->graph, 1));
  first = sp_flame_graph_get_selected_node (fixture->graph);
  g_assert_cmpuint (sp_flame_graph_get_selected_frame (fixture->graph), ==, fib);
  for (int i = 0; i < 4; i++)
    {
      g_assert_true (sp_flame_graph_select_match (fixture->graph, 1));
      g_assert_cmpuint (sp_flame_graph_get_selected_frame (fixture->graph), ==, fib);
    }
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, first);
  g_assert_true (sp_flame_graph_select_match (fixture->graph, -1));
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), !=, first);

  g_assert_true (sp_flame_graph_set_search (fixture->graph, "^SB-", SP_FLAME_SEARCH_REGEX, &error));
  g_assert_cmpfloat_with_epsilon (sp_flame_graph_get_matched_fraction (fixture->graph), 0.25, 1e-12);
  g_assert_true (sp_flame_graph_set_search (fixture->graph, "workload::fib", SP_FLAME_SEARCH_CASE_SENSITIVE, &error));
  g_assert_cmpfloat (sp_flame_graph_get_matched_fraction (fixture->graph), ==, 0);
  g_assert_false (sp_flame_graph_select_match (fixture->graph, 1));

  /* a bad pattern is refused and the last good search stays */
  g_assert_false (sp_flame_graph_set_search (fixture->graph, "(", SP_FLAME_SEARCH_REGEX, &error));
  g_assert_error (error, G_REGEX_ERROR, G_REGEX_ERROR_UNMATCHED_PARENTHESIS);
  g_assert_true (sp_flame_graph_set_search (fixture->graph, NULL, 0, NULL));
  g_assert_cmpfloat (sp_flame_graph_get_matched_fraction (fixture->graph), ==, 0);
}

static GdkTexture *
render_widget (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;

  /* the layout is computed in a thread: on a busy machine the first frames may have nothing to
   * draw yet, so give the widget a few frames (at most about 5 s) to have content */
  for (guint tries = 0; node == NULL && tries < 100; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      if (tries > 0)
        {
          g_usleep (50000);
          while (g_main_context_iteration (NULL, FALSE))
            ;
          gtk_test_widget_wait_for_draw (gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW));
        }
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
save_png (GdkTexture *texture,
          const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s", path);
}

static guint32
pixel_at (GdkTexture *texture,
          int         x,
          int         y)
{
  int width = gdk_texture_get_width (texture);
  g_autofree guint32 *pixels = g_new (guint32, width * gdk_texture_get_height (texture));

  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  return pixels[y * width + x];
}

static void
test_render_png (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *widget = GTK_WIDGET (fixture->graph);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) searched = NULL;
  graphene_rect_t area;
  guint32 fib_pixel, run_pixel, dimmed_run;

  g_assert_true (sp_flame_graph_get_node_area (fixture->graph,
                                               node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN"), &area));
  texture = render_widget (widget);
  save_png (texture, "test-flame-graph.png");
  run_pixel = pixel_at (texture, area.origin.x + 2, area.origin.y + 2);
  g_assert_cmpuint (run_pixel >> 24, ==, 0xff);   /* an opaque bar */
  g_assert_true (sp_flame_graph_get_node_area (fixture->graph,
                                               node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB"), &area));
  fib_pixel = pixel_at (texture, area.origin.x + 2, area.origin.y + 2);
  g_assert_cmpuint (fib_pixel, !=, run_pixel);

  /* searching dims what does not match */
  sp_flame_graph_set_search (fixture->graph, "FIB", 0, NULL);
  gtk_test_widget_wait_for_draw (fixture->window);
  searched = render_widget (widget);
  save_png (searched, "test-flame-graph-search.png");
  g_assert_true (sp_flame_graph_get_node_area (fixture->graph,
                                               node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN"), &area));
  dimmed_run = pixel_at (searched, area.origin.x + 2, area.origin.y + 2);
  g_assert_cmpuint (dimmed_run, !=, run_pixel);
  g_assert_true (sp_flame_graph_get_node_area (fixture->graph,
                                               node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB"), &area));
  g_assert_cmpuint (pixel_at (searched, area.origin.x + 2, area.origin.y + 2), ==, fib_pixel);
}

static void
test_select_frame (Fixture       *fixture,
                   gconstpointer  data)
{
  guint32 fib = sp_profile_lookup_frame (fixture->profile, "WORKLOAD::FIB");

  /* selecting from another view picks the widest fib and emits nothing back */
  sp_flame_graph_select_frame (fixture->graph, fib);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==,
                    node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB"));
  g_assert_cmpuint (fixture->selected->len, ==, 0);
  sp_flame_graph_select_frame (fixture->graph, SP_NO_FRAME);
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, SP_NO_NODE);

  /* a selection made while the layout is computed is applied when it arrives */
  {
    g_autoptr(SpProfile) again = sp_test_profile_from_lines (demo);

    sp_flame_graph_set_profile (fixture->graph, again);
    g_assert_false (sp_flame_graph_is_ready (fixture->graph));
    sp_flame_graph_select_frame (fixture->graph, fib);
    g_assert_cmpuint (sp_flame_graph_get_selected_frame (fixture->graph), ==, fib);
    wait_ready (fixture->graph);
    g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==,
                      node_of_path (again, "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB"));
  }
}

static void
test_tooltip (Fixture       *fixture,
              gconstpointer  data)
{
  guint32 fib = node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB");
  guint32 lambda = node_of_path (fixture->profile, "WORKLOAD::MAIN;(LAMBDA () :IN WORKLOAD::MAIN)");
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *zoomed = NULL;

  text = _sp_flame_graph_describe_rect (fixture->graph, sp_flame_layout_find_node (fixture->graph->layout, fib));
  g_assert_nonnull (strstr (text, "<b>WORKLOAD::FIB</b>"));
  g_assert_nonnull (strstr (text, "Package: WORKLOAD"));
  g_assert_nonnull (strstr (text, "10 samples, 50.00 % of total, 50.00 % of the zoomed frame"));
  g_assert_nonnull (strstr (text, "Self: 0 samples"));

  /* names are markup-escaped; percentages of the zoom root follow the zoom */
  escaped = _sp_flame_graph_describe_rect (fixture->graph, sp_flame_layout_find_node (fixture->graph->layout, lambda));
  g_assert_nonnull (strstr (escaped, "<b>(LAMBDA () :IN WORKLOAD::MAIN)</b>"));
  sp_flame_graph_zoom_to_node (fixture->graph, node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN"));
  wait_ready (fixture->graph);
  zoomed = _sp_flame_graph_describe_rect (fixture->graph, sp_flame_layout_find_node (fixture->graph->layout, fib));
  g_assert_nonnull (strstr (zoomed, "50.00 % of total, 66.67 % of the zoomed frame"));
}

static void
test_dark_style (Fixture       *fixture,
                 gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  guint32 run = node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN");
  g_autoptr(GdkTexture) light = NULL;
  g_autoptr(GdkTexture) dark = NULL;
  graphene_rect_t area;
  guint32 light_pixel, dark_pixel;

  g_assert_true (sp_flame_graph_get_node_area (fixture->graph, run, &area));
  light = render_widget (GTK_WIDGET (fixture->graph));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_test_widget_wait_for_draw (fixture->window);
  dark = render_widget (GTK_WIDGET (fixture->graph));
  save_png (dark, "test-flame-graph-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* the dark variant of a frame's colour is deeper than the light one */
  light_pixel = pixel_at (light, area.origin.x + 2, area.origin.y + 2);
  dark_pixel = pixel_at (dark, area.origin.x + 2, area.origin.y + 2);
  g_assert_cmpuint ((dark_pixel >> 16 & 0xff) + (dark_pixel >> 8 & 0xff) + (dark_pixel & 0xff), <,
                    (light_pixel >> 16 & 0xff) + (light_pixel >> 8 & 0xff) + (light_pixel & 0xff));
}

/* With animations on, a click first grows the frame in the old layout, then swaps layouts. */
static void
test_animated_zoom (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkSettings *settings = gtk_settings_get_default ();
  guint32 fib = node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN;WORKLOAD::FIB");
  guint32 run = node_of_path (fixture->profile, "WORKLOAD::MAIN;WORKLOAD::RUN");
  gboolean moved = FALSE;
  double x0, x1;

  g_object_set (settings, "gtk-enable-animations", TRUE, NULL);
  click_node (fixture, fib);
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, fib);
  sp_flame_graph_get_viewport (fixture->graph, &x0, &x1);
  g_assert_cmpfloat (x0, ==, 0);
  g_assert_cmpfloat (x1, ==, 1);

  /* zooming out starts from where fib sits in the new layout and grows to the full width */
  g_assert_true (sp_flame_graph_zoom_out (fixture->graph));
  while (!sp_flame_graph_is_ready (fixture->graph))
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < 1000; i++)
    {
      sp_flame_graph_get_viewport (fixture->graph, &x0, &x1);
      if (x1 - x0 < 1)
        moved = TRUE;
      else if (moved)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_object_set (settings, "gtk-enable-animations", FALSE, NULL);

  g_assert_true (moved);
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (fixture->graph), ==, run);
  sp_flame_graph_get_viewport (fixture->graph, &x0, &x1);
  g_assert_cmpfloat (x0, ==, 0);
  g_assert_cmpfloat (x1, ==, 1);
}

/* An empty profile draws just "all"; keys, clicks and searches find nothing and do no harm. */
static void
test_empty_profile (Fixture       *fixture,
                    gconstpointer  data)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) empty = NULL;
  guint32 node = 0;

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  empty = sp_profile_builder_end (builder);
  sp_flame_graph_set_profile (fixture->graph, empty);
  wait_ready (fixture->graph);

  g_assert_true (sp_flame_graph_get_node_at (fixture->graph, 10, gtk_widget_get_height (GTK_WIDGET (fixture->graph)) - 5, &node));
  g_assert_cmpuint (node, ==, SP_NO_NODE);
  g_assert_true (press_key (fixture, GDK_KEY_Up, 0));
  g_assert_cmpuint (sp_flame_graph_get_selected_node (fixture->graph), ==, SP_NO_NODE);
  g_assert_false (press_key (fixture, GDK_KEY_Escape, 0));
  g_assert_true (sp_flame_graph_set_search (fixture->graph, "x", 0, NULL));
  g_assert_cmpfloat (sp_flame_graph_get_matched_fraction (fixture->graph), ==, 0);
  g_assert_false (sp_flame_graph_select_match (fixture->graph, 1));
  gtk_test_widget_wait_for_draw (fixture->window);
}

/* ---- SpFlameView ---- */

static void
wait_view (SpFlameView *view)
{
  SpFlameGraph *graph = sp_flame_view_get_graph (view);

  /* the transforms run in a thread before the graph gets its profile */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  while (sp_flame_graph_get_profile (graph) == NULL || !sp_flame_graph_is_ready (graph))
    g_main_context_iteration (NULL, TRUE);
}

static GtkWidget *
find_child_of_type (GtkWidget *widget,
                    GType      type,
                    const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (label == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0))
        return child;
      if ((found = find_child_of_type (child, type, label)))
        return found;
    }
  return NULL;
}

/* The total of the root with this frame, 0 when there is none. */
static double
root_weight (SpProfile  *p,
             const char *name)
{
  guint32 frame = sp_profile_lookup_frame (p, name);

  for (guint32 i = 0; i < sp_profile_get_n_nodes (p); i++)
    if (sp_profile_get_node_parents (p)[i] == SP_NO_NODE && sp_profile_get_node_frames (p)[i] == frame)
      return sp_profile_get_total_weights (p, SP_METRIC_SAMPLES)[i];
  return 0;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *prefix)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), prefix))
        return child;
      if ((found = find_label (child, prefix)))
        return found;
    }
  return NULL;
}

static GtkMenuButton *
find_menu_button (GtkWidget  *widget,
                  const char *tooltip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found;

      if (GTK_IS_MENU_BUTTON (child) && g_strcmp0 (gtk_widget_get_tooltip_text (child), tooltip) == 0)
        return GTK_MENU_BUTTON (child);
      if ((found = find_menu_button (child, tooltip)))
        return found;
    }
  return NULL;
}

static void
collect_menu_actions (GMenuModel *menu,
                      GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      char *action = NULL;

      if (section != NULL)
        collect_menu_actions (section, actions);
      else if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, action);
    }
}

static void
wait_for_profile_change (SpFlameGraph *graph,
                         SpProfile    *old)
{
  while (sp_flame_graph_get_profile (graph) == old || !sp_flame_graph_is_ready (graph))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_view (void)
{
  g_autoptr(SpProfile) profile = sp_test_profile_from_lines (demo);
  GtkWidget *window = gtk_window_new ();
  SpFlameView *view = SP_FLAME_VIEW (sp_flame_view_new ());
  SpFlameGraph *graph = sp_flame_view_get_graph (view);
  static const char *view_options[] = {
    "flame-view.icicle", "flame-view.bottom-up", "flame-view.order", "flame-view.recursion",
    "flame-view.colors", "flame-view.focus", "flame.hide-function", "flame.show-all",
  };
  g_autoptr(GPtrArray) actions = NULL;
  GtkMenuButton *view_button;
  GtkWidget *entry, *label;
  g_autoptr(GdkTexture) texture = NULL;
  SpProfile *shown;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 500);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  sp_flame_view_set_profile (view, profile);
  wait_view (view);
  shown = sp_flame_graph_get_profile (graph);
  g_assert_cmpfloat (sp_profile_get_grand_total (shown, SP_METRIC_SAMPLES), ==, 20);

  /* Ctrl+F's action opens the search; typing shows Matched */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "flame.search", NULL));
  /* (the drop-downs have search entries of their own in their popovers) */
  entry = find_child_of_type (find_child_of_type (GTK_WIDGET (view), GTK_TYPE_SEARCH_BAR, NULL),
                              GTK_TYPE_SEARCH_ENTRY, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "fib");
  g_signal_emit_by_name (entry, "search-changed");
label = find_label (GTK_WIDGET (view), "Matched");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Matched: 50.00 %");

  /* the toolbar and the search bar fit a 900 px profile area: the page needs no sideways scrolling */
  {
    int minimum;

    gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 900);
  }

  /* every option of the View menu is in its menu model */
  view_button = find_menu_button (GTK_WIDGET (view), "View Options");
  g_assert_nonnull (view_button);
  actions = g_ptr_array_new_with_free_func (g_free);
  collect_menu_actions (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (gtk_menu_button_get_popover (view_button))),
                        actions);
  for (guint i = 0; i < G_N_ELEMENTS (view_options); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (actions, view_options[i], g_str_equal, NULL));
  g_assert_nonnull (find_child_of_type (GTK_WIDGET (gtk_menu_button_get_popover (view_button)),
                                        GTK_TYPE_SPIN_BUTTON, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "flame-view.icicle", NULL));
  g_assert_cmpint (sp_flame_graph_get_orientation (graph), ==, SP_FLAME_ORIENTATION_ICICLE);

  /* bottom-up: the innermost frames become the roots */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "flame-view.bottom-up", NULL));
  wait_for_profile_change (graph, shown);
  shown = sp_flame_graph_get_profile (graph);
  g_assert_cmpuint (root_weight (shown, "WORKLOAD::FIB"), ==, 10);
  g_assert_cmpuint (root_weight (shown, "foreign function memcpy"), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "flame-view.bottom-up", NULL));
  wait_for_profile_change (graph, shown);
  shown = sp_flame_graph_get_profile (graph);

  /* focus on the selected fib: 10 samples, rooted at fib */
  sp_flame_graph_select_frame (graph, sp_profile_lookup_frame (shown, "WORKLOAD::FIB"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "flame-view.focus", NULL));
  wait_for_profile_change (graph, shown);
  shown = sp_flame_graph_get_profile (graph);
  g_assert_cmpfloat (sp_profile_get_grand_total (shown, SP_METRIC_SAMPLES), ==, 10);
  g_assert_nonnull (find_label (GTK_WIDGET (view), "Focused on WORKLOAD::FIB"));
  g_assert_cmpuint (sp_profile_get_node_frames (shown)[0], ==, sp_profile_lookup_frame (shown, "WORKLOAD::FIB"));
  /* the selection survives the transform */
  g_assert_cmpuint (sp_flame_graph_get_selected_frame (graph), ==, sp_profile_lookup_frame (shown, "WORKLOAD::FIB"));

  /* hide helper: its fib moves up to fib */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "flame-view.focus", NULL));
  wait_for_profile_change (graph, shown);
  shown = sp_flame_graph_get_profile (graph);
  sp_flame_graph_select_frame (graph, sp_profile_lookup_frame (shown, "WORKLOAD::HELPER"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "flame.hide-function", NULL));
  wait_for_profile_change (graph, shown);
  shown = sp_flame_graph_get_profile (graph);
  g_assert_cmpfloat (sp_profile_get_grand_total (shown, SP_METRIC_SAMPLES), ==, 20);
  for (guint32 i = 0; i < sp_profile_get_n_nodes (shown); i++)
    g_assert_cmpuint (sp_profile_get_node_frames (shown)[i], !=, sp_profile_lookup_frame (shown, "WORKLOAD::HELPER"));
  g_assert_null (find_label (GTK_WIDGET (view), "Focused on"));
  g_assert_nonnull (find_label (GTK_WIDGET (view), "1 function hidden"));

  gtk_test_widget_wait_for_draw (window);
  texture = render_widget (GTK_WIDGET (view));
  save_png (texture, "test-flame-view.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

static GMenuModel *
view_menu (SpFlameView *view)
{
  GtkMenuButton *button = find_menu_button (GTK_WIDGET (view), "View Options");

  g_assert_nonnull (button);
  return gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (gtk_menu_button_get_popover (button)));
}

static gboolean
menu_has_target (GMenuModel *menu,
                 const char *target)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *value = NULL;

      if (section != NULL && menu_has_target (section, target))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_TARGET, "s", &value) &&
          g_str_equal (value, target))
        return TRUE;
    }
  return FALSE;
}

/* A comparison is drawn in differential colours: red where a frame's share grew, blue where it
 * shrank; its tooltip gives before → after.  A plain profile goes back to the hot colours. */
static void
test_view_diff (void)
{
  static const char * const before_lines[] = { "main;grow 2", "main;shrink 5", "main;same 3", NULL };
  static const char * const after_lines[] = { "main;grow 10", "main;shrink 4", "main;same 6", NULL };
  g_autoptr(SpProfile) before = sp_test_profile_from_lines (before_lines);
  g_autoptr(SpProfile) after = sp_test_profile_from_lines (after_lines);
  g_autoptr(SpProfile) merged = sp_profile_merge_for_diff (before, after);
  g_autoptr(SpProfile) plain = sp_test_profile_from_lines (demo);
  GtkWidget *window = gtk_window_new ();
  SpFlameView *view = SP_FLAME_VIEW (sp_flame_view_new ());
  SpFlameGraph *graph = sp_flame_view_get_graph (view);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *tooltip = NULL;
  SpProfile *shown;
  graphene_rect_t area;
  guint32 grow, shrink;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 400);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  sp_flame_view_set_profile (view, merged);
  wait_view (view);
  shown = sp_flame_graph_get_profile (graph);
  g_assert_cmpint (sp_flame_graph_get_colors (graph), ==, SP_FLAME_COLORS_DIFF);
  g_assert_true (menu_has_target (view_menu (view), "diff"));

  gtk_test_widget_wait_for_draw (window);
  texture = render_widget (GTK_WIDGET (graph));
  save_png (texture, "test-flame-view-diff.png");
  g_assert_true (sp_flame_graph_get_node_area (graph, node_of_path (shown, "main;grow"), &area));
  grow = pixel_at (texture, area.origin.x + 2, area.origin.y + 2);
  g_assert_true (sp_flame_graph_get_node_area (graph, node_of_path (shown, "main;shrink"), &area));
  shrink = pixel_at (texture, area.origin.x + 2, area.origin.y + 2);
  g_assert_cmpuint ((grow >> 16) & 0xff, >, (grow & 0xff) + 60);       /* red */
  g_assert_cmpuint (shrink & 0xff, >, ((shrink >> 16) & 0xff) + 60);   /* blue */

  tooltip = _sp_flame_graph_describe_rect (graph, sp_flame_layout_find_node (graph->layout,
                                                                             node_of_path (shown, "main;grow")));
  g_assert_nonnull (strstr (tooltip, "Before: 20.00 % (2 samples) → after: 50.00 % (10 samples)"));
  g_assert_nonnull (strstr (tooltip, "Change: +30.00 points"));

  sp_flame_view_set_profile (view, plain);
  wait_for_profile_change (graph, shown);
  g_assert_cmpint (sp_flame_graph_get_colors (graph), ==, SP_FLAME_COLORS_HOT);
  g_assert_false (menu_has_target (view_menu (view), "diff"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/flame-graph/click-zoom", Fixture, NULL, fixture_set_up, test_click_zoom, fixture_tear_down);
  g_test_add ("/flame-graph/keyboard", Fixture, NULL, fixture_set_up, test_keyboard, fixture_tear_down);
  g_test_add ("/flame-graph/scroll-pinch-drag", Fixture, NULL, fixture_set_up, test_scroll_pinch_drag,
              fixture_tear_down);
  g_test_add ("/flame-graph/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/flame-graph/render-png", Fixture, NULL, fixture_set_up, test_render_png, fixture_tear_down);
  g_test_add ("/flame-graph/select-frame", Fixture, NULL, fixture_set_up, test_select_frame, fixture_tear_down);
  g_test_add ("/flame-graph/tooltip", Fixture, NULL, fixture_set_up, test_tooltip, fixture_tear_down);
  g_test_add ("/flame-graph/dark-style", Fixture, NULL, fixture_set_up, test_dark_style, fixture_tear_down);
  g_test_add ("/flame-graph/animated-zoom", Fixture, NULL, fixture_set_up, test_animated_zoom, fixture_tear_down);
  g_test_add ("/flame-graph/empty-profile", Fixture, NULL, fixture_set_up, test_empty_profile, fixture_tear_down);
  g_test_add_func ("/flame-view/toolbar-and-search", test_view);
  g_test_add_func ("/flame-view/diff", test_view_diff);

  return g_test_run ();
}
