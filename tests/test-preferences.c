/* test-preferences.c: the Preferences window stores each choice in the settings, and the
 * places it applies to read it: new recording bars, new flame graphs, the style */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sp-application.h"
#include "sp-flame-view.h"
#include "sp-preferences-window.h"
#include "sp-session-view.h"
#include "sp-settings.h"
#include "sp-window-test-util.h"

/* A string setting is value (the copy g_settings_get_string() gives is freed). */
static void
assert_setting (GSettings  *settings,
                const char *key,
                const char *value)
{
  g_autofree char *actual = g_settings_get_string (settings, key);

  g_assert_cmpstr (actual, ==, value);
}

static void
reset_settings (GSettings *settings)
{
  const char *keys[] = { "record-mode", "record-interval", "record-max-samples", "color-scheme",
                         "flame-icicle", "flame-colors", "flame-threshold", "sbcl-path" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

/* Each row writes its key. */
static void
test_rows_store_settings (void)
{
  g_autoptr(GSettings) settings = sp_settings_new ();
  GtkWidget *window = sp_preferences_window_new (NULL, settings);

  g_assert_nonnull (settings);
  adw_combo_row_set_selected (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "mode_row"), 3);
  assert_setting (settings, "record-mode", "deterministic");
  gtk_spin_button_set_value (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "interval_spin"), 2.5);
  g_assert_cmpfloat (g_settings_get_double (settings, "record-interval"), ==, 2.5);
  gtk_spin_button_set_value (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "max_samples_spin"), 1234);
  g_assert_cmpint (g_settings_get_int (settings, "record-max-samples"), ==, 1234);
  adw_combo_row_set_selected (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "style_row"), 2);
  assert_setting (settings, "color-scheme", "dark");
  gtk_switch_set_active (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "icicle_switch"), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "flame-icicle"));
  adw_combo_row_set_selected (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "colors_row"), 1);
  assert_setting (settings, "flame-colors", "package");
  gtk_editable_set_text (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "sbcl_row"), "/nowhere/sbcl");
  assert_setting (settings, "sbcl-path", "/nowhere/sbcl");
  /* a program that is not there is said so */
  g_assert_nonnull (strstr (adw_preferences_group_get_description (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "sbcl_group")),
                            "/nowhere/sbcl"));

  /* and a window opened later shows what is stored */
  gtk_window_destroy (GTK_WINDOW (window));
  window = sp_preferences_window_new (NULL, settings);
  g_assert_cmpuint (adw_combo_row_get_selected (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "mode_row")), ==, 3);
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (window, SP_TYPE_PREFERENCES_WINDOW, "interval_spin")), ==, 2.5);
  gtk_window_destroy (GTK_WINDOW (window));
  reset_settings (settings);
}

/* A new session's recording bar starts with the default mode, interval and limit. */
static void
test_recording_defaults_used (void)
{
  g_autoptr(GSettings) settings = sp_settings_new ();
  GtkWidget *view;

  g_settings_set_string (settings, "record-mode", "alloc");
  g_settings_set_double (settings, "record-interval", 2.5);
  g_settings_set_int (settings, "record-max-samples", 1234);
  view = g_object_ref_sink (sp_session_view_new (NULL));
  g_assert_cmpuint (gtk_drop_down_get_selected (template_child (view, SP_TYPE_SESSION_VIEW, "sampler_dropdown")), ==, 1);
  g_assert_false (gtk_toggle_button_get_active (template_child (view, SP_TYPE_SESSION_VIEW, "deterministic_button")));
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (view, SP_TYPE_SESSION_VIEW, "interval_spin")), ==, 2.5);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (template_child (view, SP_TYPE_SESSION_VIEW, "max_samples_spin")), ==, 1234);
  g_object_unref (view);

  g_settings_set_string (settings, "record-mode", "deterministic");
  view = g_object_ref_sink (sp_session_view_new (NULL));
  g_assert_true (gtk_toggle_button_get_active (template_child (view, SP_TYPE_SESSION_VIEW, "deterministic_button")));
  /* the names' completions are not covered by the entry's tooltip */
  {
    GtkWidget *entry = template_child (view, SP_TYPE_SESSION_VIEW, "names_entry");
    GtkWidget *window = gtk_window_new ();
    GtkWidget *popover = NULL;

    gtk_window_set_child (GTK_WINDOW (window), view);
    gtk_window_present (GTK_WINDOW (window));

    for (GtkWidget *child = gtk_widget_get_first_child (entry); child; child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_POPOVER (child))
        popover = child;
    g_assert_nonnull (popover);
    gtk_widget_set_visible (popover, TRUE);
    g_assert_false (gtk_widget_get_has_tooltip (entry));
    gtk_widget_set_visible (popover, FALSE);
    g_assert_true (gtk_widget_get_has_tooltip (entry));
    gtk_window_destroy (GTK_WINDOW (window));
  }
  g_object_unref (view);
  reset_settings (settings);
}

/* A new flame graph is drawn as an icicle, by package, without the smallest frames. */
static void
test_flame_defaults_used (void)
{
  g_autoptr(GSettings) settings = sp_settings_new ();
  GtkWidget *view;
  SpFlameGraph *graph;

  g_settings_set_boolean (settings, "flame-icicle", TRUE);
  g_settings_set_string (settings, "flame-colors", "package");
  g_settings_set_double (settings, "flame-threshold", 1.5);
  view = g_object_ref_sink (sp_flame_view_new ());
  graph = sp_flame_view_get_graph (SP_FLAME_VIEW (view));
  g_assert_cmpint (sp_flame_graph_get_orientation (graph), ==, SP_FLAME_ORIENTATION_ICICLE);
  g_assert_cmpint (sp_flame_graph_get_colors (graph), ==, SP_FLAME_COLORS_PACKAGE);
  g_assert_cmpfloat_with_epsilon (sp_flame_graph_get_threshold (graph), 0.015, 1e-9);
  g_object_unref (view);
  reset_settings (settings);
}

/* The style follows the setting, at start and when it changes. */
static void
test_color_scheme_used (void)
{
  g_autoptr(GSettings) settings = sp_settings_new ();
  g_autoptr(SpApplication) app = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GError) error = NULL;

  g_settings_set_string (settings, "color-scheme", "dark");
  app = sp_application_new ("io.github.sbclprofiler.SbclProfiler.TestPreferences", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);   /* runs startup */
  g_assert_no_error (error);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_settings_set_string (settings, "color-scheme", "light");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_set_string (settings, "color-scheme", "default");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  g_test_add_func ("/Preferences/rows-store-settings", test_rows_store_settings);
  g_test_add_func ("/Preferences/recording-defaults-used", test_recording_defaults_used);
  g_test_add_func ("/Preferences/flame-defaults-used", test_flame_defaults_used);
  g_test_add_func ("/Preferences/color-scheme-used", test_color_scheme_used);

  return g_test_run ();
}
