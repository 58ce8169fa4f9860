/* test-window.c: the main window and the application: dropping files, bad files, opening
 * through GApplication, unsaved recordings */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sp-application.h"
#include "sp-compare-panes.h"
#include "sp-compare-view.h"
#include "sp-diff-item.h"
#include "sp-flame-view.h"
#include "sp-profile-io.h"
#include "sp-settings.h"
#include "sp-test-util.h"
#include "sp-window-test-util.h"
#include "sp-window.h"

static const char * const first_stacks[] = {
  "MAIN;WORKLOAD::RUN;WORKLOAD::FIB 7",
  "MAIN;WORKLOAD::RUN;WORKLOAD::SORT-ITEMS 3",
  NULL
};

static const char * const second_stacks[] = {
  "MAIN;SERVER::HANDLE;SERVER::PARSE 5",
  "MAIN;SERVER::HANDLE;SERVER::REPLY 2",
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
  f->app = sp_window_test_setup ("io.github.sbclprofiler.SbclProfiler.Test", &f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sp_window_test_teardown (&f->app, &f->dir);
}

static GFile *
write_text (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static gboolean
any_tab_loading (SpWindow *window)
{
  AdwTabView *tabs = sp_window_get_tab_view (window);

  for (int i = 0; i < adw_tab_view_get_n_pages (tabs); i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (tabs, i);

      if (sp_profile_view_get_loading (SP_PROFILE_VIEW (adw_tab_page_get_child (page))))
        return TRUE;
    }
  return FALSE;
}

/* Loading runs in a worker thread; a failed tab closes once its error is shown. */
static void
wait_for_loading (SpWindow *window)
{
  while (any_tab_loading (window))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

static gboolean
drop_files (SpWindow *window,
            GSList   *files)
{
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (window));
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_assert_nonnull (target);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_value_unset (&value);
  return handled;
}

/* Animations are off (see main): one frame shows a revealer's new state. */
static void
wait_for_frames (SpWindow *window)
{
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_drop_opens_tabs (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GFile) first = sp_window_test_write_profile (f->dir, "first.sbclprof", first_stacks);
  g_autoptr(GFile) second = write_text (f, "second.folded",
                                        "MAIN;SERVER::HANDLE;SERVER::PARSE 5\nMAIN;SERVER::HANDLE 2\n");
  g_autoptr(GSList) files = NULL;

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (find_label_containing (GTK_WIDGET (f->window), "Record or Open a Profile") != NULL);

  /* The shortcuts window loads from the resources, and the shortcuts are set. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window)));
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "win.open");

    g_assert_cmpstr (accels[0], ==, "<Control>o");
  }
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "win.find");

    g_assert_cmpstr (accels[0], ==, "<Control>f");
  }
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "win.record");

    g_assert_cmpstr (accels[0], ==, "<Control>r");
  }

  /* While a drag is over the window, it says where to drop. */
  {
    GtkDropTarget *target = find_drop_target (GTK_WIDGET (f->window));
    GdkDragAction action = 0;

    g_assert_null (find_label_containing (GTK_WIDGET (f->window), "Drop to Open"));
    g_signal_emit_by_name (target, "enter", 5.0, 5.0, &action);
    g_assert_cmpint (action, ==, GDK_ACTION_COPY);
    wait_for_frames (f->window);
    g_assert_nonnull (find_label_containing (GTK_WIDGET (f->window), "Drop to Open"));
    g_signal_emit_by_name (target, "leave");
    wait_for_frames (f->window);
    g_assert_null (find_label_containing (GTK_WIDGET (f->window), "Drop to Open"));
  }

  files = g_slist_append (files, first);
  files = g_slist_append (files, second);
  g_assert_true (drop_files (f->window, files));
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (f->window)), ==, 2);
  wait_for_loading (f->window);

  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (f->window)), ==, 2);
  g_assert_cmpstr (sp_profile_view_get_title (sp_window_test_view_at (f->window, 0)), ==, "first.sbclprof");
  g_assert_cmpstr (sp_profile_view_get_title (sp_window_test_view_at (f->window, 1)), ==, "second.folded");
  g_assert_nonnull (sp_profile_view_get_profile (sp_window_test_view_at (f->window, 0)));
  g_assert_nonnull (sp_profile_view_get_profile (sp_window_test_view_at (f->window, 1)));
  g_assert_cmpfloat (sp_profile_get_grand_total (
                       sp_profile_view_get_profile (sp_window_test_view_at (f->window, 0)), SP_METRIC_SAMPLES),
                     ==, 10);
  g_assert_cmpfloat (sp_profile_get_grand_total (
                       sp_profile_view_get_profile (sp_window_test_view_at (f->window, 1)), SP_METRIC_SAMPLES),
                     ==, 7);

  /* Ctrl+F reaches the current tab from the window: the filter entry gets the focus. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find", NULL));
  g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (GTK_WINDOW (f->window))));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)),
                                         GTK_WIDGET (sp_window_get_current_view (f->window))));
  /* On the flame graph page Ctrl+F searches the graph, on that page. */
  {
    AdwViewStack *stack = sp_profile_view_get_view_stack (sp_window_get_current_view (f->window));

    adw_view_stack_set_visible_child_name (stack, "flame-graph");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find", NULL));
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "flame-graph");
    g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)),
                                           sp_profile_view_get_flame_view (sp_window_get_current_view (f->window))));
    adw_view_stack_set_visible_child_name (stack, "functions");
  }

  /* Only a .sbclprof file is where Save writes; neither tab has anything unsaved. */
  g_assert_true (g_file_equal (sp_profile_view_get_file (sp_window_test_view_at (f->window, 0)), first));
  g_assert_null (sp_profile_view_get_file (sp_window_test_view_at (f->window, 1)));
  g_assert_cmpuint (sp_window_count_unsaved (f->window), ==, 0);

  /* Dropping files that are open already shows their tabs instead of second copies. */
  g_slist_free (g_steal_pointer (&files));
  files = g_slist_append (NULL, second);
  files = g_slist_append (files, first);
  g_assert_true (drop_files (f->window, files));
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (f->window)), ==, 2);
  g_assert_true (sp_window_get_current_view (f->window) == sp_window_test_view_at (f->window, 0));
  g_assert_true (g_file_equal (sp_profile_view_get_source_file (sp_window_test_view_at (f->window, 1)),
                               second));
}

static void
test_bad_file_keeps_other_tabs (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GFile) good = sp_window_test_write_profile (f->dir, "good.sbclprof", second_stacks);
  g_autoptr(GFile) bad = write_text (f, "broken & bad.sbclprof", "{\"format\": \"sbcl-profiler\", \"version\": ");
  g_autoptr(GFile) missing = g_file_get_child (g_file_get_parent (good), "missing.sbclprof");
  SpProfile *profile;

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  gtk_window_present (GTK_WINDOW (f->window));
  sp_window_open_file (f->window, good);
  wait_for_loading (f->window);
  profile = sp_profile_view_get_profile (sp_window_test_view_at (f->window, 0));
  g_assert_nonnull (profile);

  sp_window_open_file (f->window, bad);
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (f->window)), ==, 2);
  wait_for_loading (f->window);

  /* The bad tab is gone, the good one untouched, and the message names the file. */
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (f->window)), ==, 1);
  g_assert_true (sp_profile_view_get_profile (sp_window_test_view_at (f->window, 0)) == profile);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (f->window), "Could not open “broken & bad.sbclprof”"));
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_nth_page (sp_window_get_tab_view (f->window), 0)),
                   ==, "good.sbclprof");

  sp_window_open_file (f->window, missing);
  wait_for_loading (f->window);
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (f->window)), ==, 1);
  g_assert_true (sp_profile_view_get_profile (sp_window_test_view_at (f->window, 0)) == profile);
}

static void
test_cancel_loading (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GString) stacks = g_string_new (NULL);
  g_autoptr(GFile) big = NULL;
  AdwTabView *tabs;
  SpProfileView *view;

  /* Large enough that the reader is still busy when Cancel is pressed. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (stacks, "MAIN;WORKLOAD::STEP-%u;WORKLOAD::LEAF-%u %u\n", i % 997, i % 89, 1 + i % 7);
  big = write_text (f, "big.folded", stacks->str);

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  tabs = sp_window_get_tab_view (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  sp_window_open_file (f->window, big);
  view = sp_window_test_view_at (f->window, 0);
  g_assert_true (sp_profile_view_get_loading (view));
  g_assert_true (adw_tab_page_get_loading (adw_tab_view_get_nth_page (tabs, 0)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "profile.cancel-load", NULL));
  wait_for_loading (f->window);

  /* The tab goes away quietly: cancelling is not an error. */
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 0);
  g_assert_null (find_label_containing (GTK_WIDGET (f->window), "Could not open"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (f->window), "Record or Open a Profile"));
}

static AdwSplitButton *
find_split_button (GtkWidget *widget)
{
  if (ADW_IS_SPLIT_BUTTON (widget))
    return ADW_SPLIT_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwSplitButton *found = find_split_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first item of the Open button's recent menu that opens uri, or -1. */
static int
find_recent_item (SpWindow   *window,
                  const char *uri)
{
  GMenuModel *menu = adw_split_button_get_menu_model (find_split_button (GTK_WIDGET (window)));

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET,
                                                                          G_VARIANT_TYPE_STRING);
      if (target != NULL && g_str_equal (g_variant_get_string (target, NULL), uri))
        return i;
    }
  return -1;
}

static void
test_open_recent (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) first = sp_window_test_write_profile (f->dir, "first.sbclprof", first_stacks);
  g_autofree char *uri = g_file_get_uri (first);
  AdwTabView *tabs;

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  tabs = sp_window_get_tab_view (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_cmpint (find_recent_item (f->window, uri), ==, -1);

  sp_window_open_file (f->window, first);
  wait_for_loading (f->window);

  /* The recent list is written and read back asynchronously. */
  while (find_recent_item (f->window, uri) < 0)
    g_main_context_iteration (NULL, TRUE);

  adw_tab_view_close_page (tabs, adw_tab_view_get_nth_page (tabs, 0));
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-recent", "s", uri));
  wait_for_loading (f->window);
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 1);
  g_assert_nonnull (sp_profile_view_get_profile (sp_window_test_view_at (f->window, 0)));
}

/* The window makes the next tab's view ahead, once it has idled a while; a tab opened after
 * Preferences changed still draws its flame graph as they now say. */
static void
test_tab_made_ahead_follows_preferences (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(GFile) first = sp_window_test_write_profile (f->dir, "first.sbclprof", first_stacks);
  g_autoptr(GFile) second = sp_window_test_write_profile (f->dir, "second.sbclprof", second_stacks);
  g_autoptr(GSettings) settings = sp_settings_new ();
  SpFlameView *flame;
  gboolean icicle;
  gint64 until;

  g_assert_nonnull (settings);
  f->window = sp_window_new (GTK_APPLICATION (f->app));
  gtk_window_present (GTK_WINDOW (f->window));
  sp_window_open_file (f->window, first);
  wait_for_loading (f->window);
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);

  icicle = !g_settings_get_boolean (settings, "flame-icicle");
  g_settings_set_boolean (settings, "flame-icicle", icicle);
  sp_window_open_file (f->window, second);
  wait_for_loading (f->window);
  flame = SP_FLAME_VIEW (sp_profile_view_get_flame_view (sp_window_get_current_view (f->window)));
  g_assert_cmpstr (sp_profile_view_get_title (sp_window_get_current_view (f->window)), ==, "second.sbclprof");
  g_assert_cmpint (sp_flame_graph_get_orientation (sp_flame_view_get_graph (flame)), ==,
                   icicle ? SP_FLAME_ORIENTATION_ICICLE : SP_FLAME_ORIENTATION_FLAME);
  g_settings_reset (settings, "flame-icicle");
}

static void
test_open_vfunc (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GFile) first = sp_window_test_write_profile (f->dir, "first.sbclprof", first_stacks);
  g_autoptr(GFile) second = sp_window_test_write_profile (f->dir, "second.sbclprof", second_stacks);
  GFile *files[] = { first, second };
  GList *windows;

  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  g_application_open (G_APPLICATION (f->app), files, G_N_ELEMENTS (files), "");

  windows = gtk_application_get_windows (GTK_APPLICATION (f->app));
  g_assert_nonnull (windows);
  g_assert_true (SP_IS_WINDOW (windows->data));
  f->window = windows->data;
  wait_for_loading (f->window);
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (f->window)), ==, 2);
  g_assert_cmpstr (sp_profile_view_get_title (sp_window_test_view_at (f->window, 1)), ==, "second.sbclprof");
  g_assert_nonnull (sp_profile_view_get_profile (sp_window_test_view_at (f->window, 1)));

  /* Opening more reuses the window. */
  g_application_open (G_APPLICATION (f->app), files, 1, "");
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (f->app))), ==, 1);
}

static void
test_close_unsaved_tab (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SpProfile) first = sp_test_profile_from_lines (first_stacks);
  g_autoptr(SpProfile) second = sp_test_profile_from_lines (second_stacks);
  AdwTabView *tabs;

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  tabs = sp_window_get_tab_view (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  sp_window_add_profile (f->window, first, "First");
  sp_window_add_profile (f->window, second, "Second");
  g_assert_cmpuint (sp_window_count_unsaved (f->window), ==, 2);

  /* Closing an unsaved tab asks; Cancel keeps it, Discard closes it. */
  g_assert_null (find_message_dialog (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.close-tab", NULL));
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 2);
  respond (f->window, "cancel");
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.close-tab", NULL));
  respond (f->window, "discard");
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 1);
  g_assert_cmpstr (sp_profile_view_get_title (sp_window_test_view_at (f->window, 0)), ==, "First");

  /* Quitting asks once for the window; Discard closes it. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  g_assert_nonnull (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  respond (f->window, "discard");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  f->window = NULL;
}

static void
test_window_state (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  int width = 0, height = 0;

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 640);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);

  /* The next window opens at that size. */
  f->window = sp_window_new (GTK_APPLICATION (f->app));
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 640);
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_profile_view_save_finish (SP_PROFILE_VIEW (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_unsaved_recording (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SpProfile) profile = sp_test_profile_from_lines (first_stacks);
  g_autofree char *path = g_build_filename (f->dir, "recording.sbclprof", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SpProfile) reread = NULL;
  g_autoptr(GError) error = NULL;
  SpProfileView *view;
  gboolean done = FALSE;

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  gtk_window_present (GTK_WINDOW (f->window));
  view = sp_window_add_profile (f->window, profile, "Recording <fib & sort>");
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_nth_page (sp_window_get_tab_view (f->window), 0)),
                   ==, "• Recording <fib & sort>");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "• Recording <fib & sort> — SBCL Profiler");
  sp_profile_view_set_title (view, "Recording 12:00");
  g_assert_true (sp_profile_view_get_unsaved (view));
  g_assert_cmpuint (sp_window_count_unsaved (f->window), ==, 1);
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_nth_page (sp_window_get_tab_view (f->window), 0)),
                   ==, "• Recording 12:00");

  /* Closing the window asks first and keeps the tab. */
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_cmpint (adw_tab_view_get_n_pages (sp_window_get_tab_view (f->window)), ==, 1);
  g_assert_nonnull (gtk_application_get_windows (GTK_APPLICATION (f->app)));

  sp_profile_view_save_async (view, file, SP_FILE_FORMAT_SBCLPROF, on_saved, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sp_profile_view_get_unsaved (view));
  g_assert_cmpuint (sp_window_count_unsaved (f->window), ==, 0);
  g_assert_cmpstr (sp_profile_view_get_title (view), ==, "recording.sbclprof");

  reread = sp_profile_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sp_profile_get_grand_total (reread, SP_METRIC_SAMPLES), ==, 10);
}

static SpDiffItem *
diff_row_named (GListModel *rows,
                const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SpDiffItem) item = g_list_model_get_item (rows, i);

      if (g_str_equal (sp_diff_item_get_name (item), name))
        return item;
    }
  g_assert_not_reached ();
}

static guint32
node_of_path (SpProfile  *profile,
              const char *path)
{
  for (guint32 i = 0; i < sp_profile_get_n_nodes (profile); i++)
    {
      g_autofree char *s = sp_test_node_path (profile, i);

      if (g_str_equal (s, path))
        return i;
    }
  g_assert_not_reached ();
}

static void
wait_for_graph (SpFlameGraph *graph)
{
  while (sp_flame_graph_get_profile (graph) == NULL || !sp_flame_graph_is_ready (graph))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The side-by-side panes zoom and search together. */
static void
check_side_by_side (SpCompareView *compare,
                    SpProfile     *before,
                    SpProfile     *after)
{
  SpComparePanes *panes = SP_COMPARE_PANES (sp_compare_view_get_panes (compare));
  SpFlameGraph *base = sp_compare_panes_get_baseline_graph (panes);
  SpFlameGraph *current = sp_compare_panes_get_current_graph (panes);

  wait_for_graph (base);
  wait_for_graph (current);
  g_assert_true (sp_flame_graph_get_profile (base) == before);
  g_assert_true (sp_flame_graph_get_profile (current) == after);

  /* zooming the new graph to fib zooms the baseline to its own fib */
  sp_flame_graph_zoom_to_node (current, node_of_path (after, "MAIN;WORKLOAD::RUN;WORKLOAD::FIB"));
  wait_for_graph (current);
  wait_for_graph (base);
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (base), ==, node_of_path (before, "MAIN;WORKLOAD::RUN;WORKLOAD::FIB"));

  /* a stack the baseline does not have: as far as it goes */
  sp_flame_graph_zoom_to_node (current, node_of_path (after, "MAIN;WORKLOAD::RUN;WORKLOAD::CACHE"));
  wait_for_graph (current);
  wait_for_graph (base);
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (base), ==, node_of_path (before, "MAIN;WORKLOAD::RUN"));

  /* and the other way round */
  sp_flame_graph_reset_zoom (base);
  wait_for_graph (base);
  wait_for_graph (current);
  g_assert_cmpuint (sp_flame_graph_get_zoom_node (current), ==, SP_NO_NODE);

  sp_compare_panes_set_search (panes, "fib");
  g_assert_cmpfloat_with_epsilon (sp_flame_graph_get_matched_fraction (base), 0.7, 1e-9);
  g_assert_cmpfloat_with_epsilon (sp_flame_graph_get_matched_fraction (current), 0.2, 1e-9);
  sp_compare_panes_set_search (panes, NULL);
  g_assert_cmpfloat (sp_flame_graph_get_matched_fraction (current), ==, 0);
}

static char *
first_row_name (GListModel *rows)
{
  g_autoptr(SpDiffItem) item = g_list_model_get_item (rows, 0);

  return g_strdup (sp_diff_item_get_name (item));
}

/* Compare With… on the current tab, the baseline picked among the open tabs: a comparison tab
 * with the per-function deltas, sortable and filterable, and the differential flame graph. */
static void
test_compare (Fixture       *f,
              gconstpointer  data)
{
  static const char * const after_stacks[] = {
    "MAIN;WORKLOAD::RUN;WORKLOAD::FIB 2",
    "MAIN;WORKLOAD::RUN;WORKLOAD::SORT-ITEMS 6",
    "MAIN;WORKLOAD::RUN;WORKLOAD::CACHE 2",
    NULL
  };
  g_autoptr(SpProfile) before = sp_test_profile_from_lines (first_stacks);
  g_autoptr(SpProfile) after = sp_test_profile_from_lines (after_stacks);
  AdwTabView *tab_view;
  SpCompareView *compare;
  GtkColumnView *column_view;
  g_autoptr(GListModel) columns = NULL;
  g_autoptr(GtkColumnViewColumn) delta_column = NULL;
  GListModel *rows;
  SpDiffItem *fib;
  SpFlameGraph *graph;
  g_autofree char *first = NULL;

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  gtk_window_present (GTK_WINDOW (f->window));
  tab_view = sp_window_get_tab_view (f->window);
  sp_window_add_profile (f->window, before, "before");

  /* alone, the profile can only be compared with a file */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare", NULL));
  g_assert_nonnull (find_message_dialog (f->window));
  g_assert_true (adw_message_dialog_has_response (find_message_dialog (f->window), "file"));
  g_assert_false (adw_message_dialog_has_response (find_message_dialog (f->window), "compare"));
  respond (f->window, "cancel");
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 1);

  sp_window_add_profile (f->window, after, "after");

  /* the dialog offers the other tab; nothing is chosen for the user */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare", NULL));
  g_assert_nonnull (find_message_dialog (f->window));
  g_assert_false (adw_message_dialog_get_response_enabled (find_message_dialog (f->window), "compare"));
  select_candidate (f->window, 0);
  g_assert_true (adw_message_dialog_get_response_enabled (find_message_dialog (f->window), "compare"));
  respond (f->window, "compare");

  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 3);
  compare = SP_COMPARE_VIEW (adw_tab_page_get_child (adw_tab_view_get_selected_page (tab_view)));
  g_assert_null (sp_window_get_current_view (f->window));
  g_assert_cmpstr (sp_compare_view_get_title (compare), ==, "before → after");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "before → after — SBCL Profiler");

  /* the baseline saved under a new name: the comparison follows */
  sp_profile_view_set_title (sp_window_test_view_at (f->window, 0), "baseline.sbclprof");
  g_assert_cmpstr (sp_compare_view_get_title (compare), ==, "baseline.sbclprof → after");
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_selected_page (tab_view)), ==, "baseline.sbclprof → after");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "baseline.sbclprof → after — SBCL Profiler");
  sp_profile_view_set_title (sp_window_test_view_at (f->window, 0), "before");
  g_assert_cmpstr (sp_compare_view_get_title (compare), ==, "before → after");
  while (sp_compare_view_get_loading (compare))
    g_main_context_iteration (NULL, TRUE);

  /* fib: 70 % of the baseline's samples, 20 % of the new one's */
  rows = sp_compare_view_get_rows (compare);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 5);
  fib = diff_row_named (rows, "WORKLOAD::FIB");
  g_assert_cmpfloat_with_epsilon (sp_diff_item_get_row (fib)->base_self, 70, 1e-9);
  g_assert_cmpfloat_with_epsilon (sp_diff_item_get_row (fib)->new_self, 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (sp_diff_item_get_delta_self (fib), -50, 1e-9);
  g_assert_cmpfloat_with_epsilon (sp_diff_item_get_delta_total (diff_row_named (rows, "WORKLOAD::CACHE")), 20, 1e-9);
  /* the largest change first */
  first = first_row_name (rows);
  g_assert_cmpstr (first, ==, "WORKLOAD::FIB");
  g_clear_pointer (&first, g_free);

  /* sorted by Δ Self, largest growth first */
  column_view = sp_compare_view_get_column_view (compare);
  columns = gtk_column_view_get_columns (column_view);
  g_object_ref (columns);
  delta_column = g_list_model_get_item (columns, 3);
  g_assert_cmpstr (gtk_column_view_column_get_title (delta_column), ==, "Δ Self");
  gtk_column_view_sort_by_column (column_view, delta_column, GTK_SORT_DESCENDING);
  first = first_row_name (rows);
  g_assert_cmpstr (first, ==, "WORKLOAD::SORT-ITEMS");
  g_clear_pointer (&first, g_free);
  gtk_column_view_sort_by_column (column_view, delta_column, GTK_SORT_ASCENDING);
  first = first_row_name (rows);
  g_assert_cmpstr (first, ==, "WORKLOAD::FIB");

  sp_compare_view_set_name_filter (compare, "cache");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 1);
  sp_compare_view_set_name_filter (compare, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 5);

  /* Ctrl+F: the functions' filter, or on a flame graph page that page's search */
  {
    AdwViewStack *stack = sp_compare_view_get_view_stack (compare);
    GtkWindow *window = GTK_WINDOW (f->window);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find", NULL));
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "functions");
    g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (window)));
    g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (window), GTK_WIDGET (stack)));
    g_assert_false (gtk_widget_is_ancestor (gtk_window_get_focus (window), sp_compare_view_get_flame_view (compare)));
    g_assert_false (gtk_widget_is_ancestor (gtk_window_get_focus (window), sp_compare_view_get_panes (compare)));

    adw_view_stack_set_visible_child_name (stack, "flame-graph");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find", NULL));
    g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (window)));
    g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (window), sp_compare_view_get_flame_view (compare)));

    adw_view_stack_set_visible_child_name (stack, "side-by-side");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find", NULL));
    g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (window)));
    g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (window), sp_compare_view_get_panes (compare)));
    adw_view_stack_set_visible_child_name (stack, "functions");
  }

  /* the flame graph page draws the merged profile in differential colours */
  g_assert_true (sp_profile_has_metric (sp_compare_view_get_merged (compare), SP_METRIC_BASELINE));
  graph = sp_flame_view_get_graph (SP_FLAME_VIEW (sp_compare_view_get_flame_view (compare)));
  while (sp_flame_graph_get_profile (graph) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sp_profile_has_metric (sp_flame_graph_get_profile (graph), SP_METRIC_BASELINE));
  g_assert_cmpint (sp_flame_graph_get_colors (graph), ==, SP_FLAME_COLORS_DIFF);

  check_side_by_side (compare, before, after);

  /* a comparison has nothing unsaved of its own, and closes without asking */
  g_assert_cmpuint (sp_window_count_unsaved (f->window), ==, 2);
  adw_tab_view_close_page (tab_view, adw_tab_view_get_selected_page (tab_view));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/Window/drop-opens-tabs", Fixture, NULL, fixture_setup, test_drop_opens_tabs, fixture_teardown);
  g_test_add ("/Window/bad-file-keeps-other-tabs", Fixture, NULL, fixture_setup, test_bad_file_keeps_other_tabs, fixture_teardown);
  g_test_add ("/Window/cancel-loading", Fixture, NULL, fixture_setup, test_cancel_loading, fixture_teardown);
  g_test_add ("/Window/open-recent", Fixture, NULL, fixture_setup, test_open_recent, fixture_teardown);
  g_test_add ("/Window/open-vfunc", Fixture, NULL, fixture_setup, test_open_vfunc, fixture_teardown);
  g_test_add ("/Window/tab-made-ahead-follows-preferences", Fixture, NULL, fixture_setup,
              test_tab_made_ahead_follows_preferences, fixture_teardown);
  g_test_add ("/Window/close-unsaved-tab", Fixture, NULL, fixture_setup, test_close_unsaved_tab, fixture_teardown);
  g_test_add ("/Window/window-state", Fixture, NULL, fixture_setup, test_window_state, fixture_teardown);
  g_test_add ("/Window/unsaved-recording", Fixture, NULL, fixture_setup, test_unsaved_recording, fixture_teardown);
  g_test_add ("/Window/compare", Fixture, NULL, fixture_setup, test_compare, fixture_teardown);

  return g_test_run ();
}
