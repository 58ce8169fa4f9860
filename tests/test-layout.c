/* test-layout.c: the main window's layout under Xvfb: the name column takes the spare width,
 * every page stays usable at 800 × 600, and an empty recording says why it is empty */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sp-application.h"
#include "sp-call-tree.h"
#include "sp-flame-view.h"
#include "sp-function-table.h"
#include "sp-test-util.h"
#include "sp-window.h"
#include "sp-window-test-util.h"

static const char * const stacks[] = {
  "MAIN;WORKLOAD::RUN;WORKLOAD::COMPUTE-THE-RADIUS-OF-GYRATION;WORKLOAD::FIB 7",
  "MAIN;WORKLOAD::RUN;WORKLOAD::SORT-ITEMS;SB-KERNEL:TWO-ARG-< 3",
  "MAIN;SB-IMPL::%MAKE-STRING-OUTPUT-STREAM 2",
  NULL
};

typedef struct
{
  SpApplication *app;
  SpWindow      *window;
  char          *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->app = sp_window_test_setup ("io.github.sbclprofiler.SbclProfiler.TestLayout", &f->dir);
  f->window = sp_window_new (GTK_APPLICATION (f->app));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  sp_window_test_teardown (&f->app, &f->dir);
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "sidebar-visible");
}

/* Lets the window take its size and draw: a few frames, as the flaps fold in one and lay out in
 * the next. */
static void
wait_for_layout (SpWindow *window)
{
  for (int i = 0; i < 4; i++)
    {
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static SpProfileView *
add_profile (Fixture            *f,
             const char * const *lines)
{
  g_autoptr(SpProfile) profile = sp_test_profile_from_lines (lines);
  SpProfileView *view = sp_window_add_profile (f->window, profile, "Recording");

  if (!sp_profile_view_get_empty (view))
    {
      SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (view));

      while (!sp_function_table_is_ready (table))
        g_main_context_iteration (NULL, TRUE);
    }
  return view;
}

/* The widths of the visible column headers, left to right: the first child of a column view is
 * its header row. */
static GArray *
header_widths (GtkColumnView *view)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (view));
  GArray *widths = g_array_new (FALSE, FALSE, sizeof (int));

  for (GtkWidget *title = gtk_widget_get_first_child (header); title; title = gtk_widget_get_next_sibling (title))
    if (gtk_widget_get_visible (title))
      {
        int width = gtk_widget_get_width (title);

        g_array_append_val (widths, width);
      }
  return widths;
}

/* A widget the user can work with: shown, on screen, and at least min_width × min_height. */
static void
assert_usable (GtkWidget *widget,
               int        min_width,
               int        min_height)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_cmpint (gtk_widget_get_width (widget), >=, min_width);
  g_assert_cmpint (gtk_widget_get_height (widget), >=, min_height);
  /* and inside the window, not cut off at its edge */
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (gtk_widget_get_root (widget)), &bounds));
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (gtk_widget_get_root (widget))));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (gtk_widget_get_root (widget))));
}

/* At 1400 px, with the sessions sidebar and the details pane beside it, the name column of the
 * Functions table is its widest. */
static void
test_name_column_widest (Fixture       *f,
                         gconstpointer  data)
{
  SpProfileView *view;
  GtkColumnView *columns;
  g_autoptr(GArray) widths = NULL;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 860);
  gtk_window_present (GTK_WINDOW (f->window));
  view = add_profile (f, stacks);
  wait_for_layout (f->window);

  columns = GTK_COLUMN_VIEW (find_widget_of_type (sp_profile_view_get_function_table (view), GTK_TYPE_COLUMN_VIEW));
  widths = header_widths (columns);
  g_assert_cmpuint (widths->len, >=, 6);
  /* Rank, then the name */
  for (guint i = 0; i < widths->len; i++)
    if (i != 1)
      g_assert_cmpint (g_array_index (widths, int, 1), >, g_array_index (widths, int, i));
  /* and no horizontal scrolling: the columns fit */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (columns)), <=,
                   gtk_widget_get_width (gtk_widget_get_parent (GTK_WIDGET (columns))));
  /* the details pane is beside the table, not over it */
  g_assert_true (gtk_widget_get_mapped (sp_profile_view_get_details (view)));
}

static void
show_page (SpProfileView *view,
           const char    *name)
{
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (view), name);
  wait_for_layout (SP_WINDOW (gtk_widget_get_root (GTK_WIDGET (view))));
}

/* 800 × 600 is a size the window takes, and each page then has room to work in; the details
 * pane folds away and comes back over the views. */
static void
test_narrow_window (Fixture       *f,
                    gconstpointer  data)
{
  SpProfileView *view;
  GtkWidget *details = NULL;
  GtkToggleButton *toggle;
  AdwFlap *flap;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  gtk_window_present (GTK_WINDOW (f->window));
  add_profile (f, stacks);
  view = add_profile (f, stacks);   /* two tabs: the tab bar takes its height too */
  wait_for_layout (f->window);

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 800);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->window)), <=, 600);

  show_page (view, "functions");
  assert_usable (find_widget_of_type (sp_profile_view_get_function_table (view), GTK_TYPE_SEARCH_ENTRY), 150, 20);
  assert_usable (find_widget_of_type (sp_profile_view_get_function_table (view), GTK_TYPE_COLUMN_VIEW), 500, 150);

  show_page (view, "call-tree");
  assert_usable (find_widget_of_type (sp_profile_view_get_call_tree (view), GTK_TYPE_COLUMN_VIEW), 500, 150);

  show_page (view, "flame-graph");
  assert_usable (GTK_WIDGET (sp_flame_view_get_graph (SP_FLAME_VIEW (sp_profile_view_get_flame_view (view)))), 500, 150);

  /* the details pane is folded away, and its toggle shows it over the views */
  details = sp_profile_view_get_details (view);
  flap = ADW_FLAP (find_widget_of_type (GTK_WIDGET (view), ADW_TYPE_FLAP));
  g_assert_true (adw_flap_get_folded (flap));
  g_assert_false (adw_flap_get_reveal_flap (flap));
  toggle = GTK_TOGGLE_BUTTON (find_widget_of_type (GTK_WIDGET (view), GTK_TYPE_TOGGLE_BUTTON));
  g_assert_false (gtk_toggle_button_get_active (toggle));
  gtk_toggle_button_set_active (toggle, TRUE);
  wait_for_layout (f->window);
  assert_usable (details, 250, 100);
}

/* A window closed narrow opens again at that size, its sidebar folded rather than forgotten. */
static void
test_narrow_window_reopens (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for_layout (f->window);
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 800);
  g_assert_true (g_settings_get_boolean (settings, "sidebar-visible"));

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for_layout (f->window);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 800);
}

static GtkPopover *
child_popover (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return GTK_POPOVER (child);
  return NULL;
}

/* A drop-down's tooltip stays away while its list is open. */
static void
test_tooltip_leaves_popup (Fixture       *f,
                           gconstpointer  data)
{
  SpProfileView *view;
  GtkWidget *dropdown;
  GtkPopover *popover;

  gtk_window_present (GTK_WINDOW (f->window));
  view = add_profile (f, stacks);
  wait_for_layout (f->window);
  dropdown = find_widget_of_type (sp_profile_view_get_function_table (view), GTK_TYPE_DROP_DOWN);
  popover = child_popover (dropdown);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_has_tooltip (dropdown));
  gtk_popover_popup (popover);
  wait_for_layout (f->window);
  g_assert_false (gtk_widget_get_has_tooltip (dropdown));
  gtk_popover_popdown (popover);
  wait_for_layout (f->window);
  g_assert_true (gtk_widget_get_has_tooltip (dropdown));
}

/* A recording in which nothing ran says so, and what to do, instead of empty tables; the
 * header offers no views to switch to. */
static void
test_empty_recording (Fixture       *f,
                      gconstpointer  data)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) idle = NULL;
  SpProfileView *view;
  AdwStatusPage *page;
  AdwViewSwitcherTitle *switcher;

  /* a CPU recording of an idle program: not a single sample */
  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  sp_profile_builder_get_meta (builder)->mode = SP_MODE_CPU;
  sp_profile_builder_get_meta (builder)->sample_count = 0;
  idle = sp_profile_builder_end (builder);

  gtk_window_present (GTK_WINDOW (f->window));
  view = sp_window_add_profile (f->window, idle, "Recording");
  wait_for_layout (f->window);

  g_assert_true (sp_profile_view_get_empty (view));
  page = ADW_STATUS_PAGE (find_widget_full (GTK_WIDGET (view), ADW_TYPE_STATUS_PAGE, TRUE));
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Nothing Ran While Recording");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "workload form"));
  g_assert_false (gtk_widget_get_mapped (sp_profile_view_get_function_table (view)));

  switcher = ADW_VIEW_SWITCHER_TITLE (find_widget_of_type (GTK_WIDGET (f->window), ADW_TYPE_VIEW_SWITCHER_TITLE));
  g_assert_null (adw_view_switcher_title_get_stack (switcher));

  /* a profile with samples shows its views */
  view = add_profile (f, stacks);
  wait_for_layout (f->window);
  g_assert_false (sp_profile_view_get_empty (view));
  g_assert_true (gtk_widget_get_mapped (sp_profile_view_get_function_table (view)));
  g_assert_true (adw_view_switcher_title_get_stack (switcher) == sp_profile_view_get_view_stack (view));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/Layout/name-column-widest", Fixture, NULL, fixture_setup, test_name_column_widest, fixture_teardown);
  g_test_add ("/Layout/narrow-window", Fixture, NULL, fixture_setup, test_narrow_window, fixture_teardown);
  g_test_add ("/Layout/narrow-window-reopens", Fixture, NULL, fixture_setup, test_narrow_window_reopens, fixture_teardown);
  g_test_add ("/Layout/tooltip-leaves-popup", Fixture, NULL, fixture_setup, test_tooltip_leaves_popup, fixture_teardown);
  g_test_add ("/Layout/empty-recording", Fixture, NULL, fixture_setup, test_empty_recording, fixture_teardown);

  return g_test_run ();
}
