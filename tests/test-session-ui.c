/* test-session-ui.c: the session sidebar, console, recording bar and New Session dialog, with
 * a real sbcl running the agent and the demo workload (lisp/examples/demo.lisp), under Xvfb */
#include "config.h"

#include <adwaita.h>
#include <signal.h>

#include "sp-alloc.h"
#include "sp-application.h"
#include "sp-flame-view.h"
#include "sp-function-table.h"
#include "sp-profile-view.h"
#include "sp-new-session-dialog.h"
#include "sp-session-console.h"
#include "sp-session-sidebar.h"
#include "sp-session-view.h"
#include "sp-window.h"
#include "sp-window-test-util.h"

#include "sp-test-wait.h"

static char *
dup_console_text (SpSessionView *view)
{
  SpSessionConsole *console = sp_session_view_get_console (view);
  GtkTextBuffer *buffer = sp_session_console_get_buffer (console);
  GtkTextIter start, end;

  sp_session_console_flush (console);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

typedef struct
{
  SpSessionView *view;
  const char    *needle;
} ConsoleWait;

static gboolean
console_contains (gpointer data)
{
  ConsoleWait *wait = data;
  g_autofree char *text = dup_console_text (wait->view);

  return strstr (text, wait->needle) != NULL;
}

static void
wait_for_console (SpSessionView *view,
                  const char    *needle)
{
  ConsoleWait wait = { view, needle };

  wait_until (console_contains, &wait, needle);
}

static gboolean
session_is_ready (gpointer data)
{
  SpSession *session = sp_session_view_get_session (data);
  SpSessionState state = sp_session_get_state (session);

  if (state == SP_SESSION_STATE_CRASHED || state == SP_SESSION_STATE_EXITED)
    g_error ("The session ended: %s", sp_session_get_state_reason (session));
  return state == SP_SESSION_STATE_READY;
}

/* A window holding a sidebar with one demo session, started and ready. */
typedef struct
{
  GtkWindow        *window;
  SpSessionSidebar *sidebar;
  SpSessionView    *view;
  SpProfile        *profile;
  char             *title;
  guint             live;        /* live profiles of the recording so far */
} Fixture;

static void
on_profile_recorded (SpSessionSidebar *sidebar,
                     SpProfile        *profile,
                     const char       *title,
                     Fixture          *fixture)
{
  g_set_object (&fixture->profile, profile);
  g_free (fixture->title);
  fixture->title = g_strdup (title);
}

/* A statistical recording ends as the final live-profile, not as profile-recorded. */
static void
on_live_profile (SpSessionSidebar *sidebar,
                 GObject          *source,
                 SpProfile        *profile,
                 const char       *title,
                 gboolean          final,
                 Fixture          *fixture)
{
  g_assert_true (source == G_OBJECT (fixture->view));
  if (!final)
    {
      fixture->live += profile != NULL;
      return;
    }
  if (profile != NULL)
    on_profile_recorded (sidebar, profile, title, fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SpSession) session = NULL;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 420, 700);
  fixture->sidebar = SP_SESSION_SIDEBAR (sp_session_sidebar_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->sidebar));
  g_signal_connect (fixture->sidebar, "profile-recorded", G_CALLBACK (on_profile_recorded), fixture);
  g_signal_connect (fixture->sidebar, "live-profile", G_CALLBACK (on_live_profile), fixture);
  gtk_window_present (fixture->window);

  session = sp_session_sidebar_create_demo_session (fixture->sidebar);
  fixture->view = sp_session_sidebar_add_session (fixture->sidebar, session);
  wait_until (session_is_ready, fixture->view, "the demo session to be ready");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->profile);
  g_clear_pointer (&fixture->title, g_free);
  gtk_window_destroy (fixture->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
evaluate (SpSessionView *view,
          const char    *form)
{
  GtkEntry *entry = template_child (view, SP_TYPE_SESSION_VIEW, "eval_entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), form);
  g_signal_emit_by_name (entry, "activate");
}

static gboolean
has_package (gpointer data)
{
  GtkStringList *packages = template_child (data, SP_TYPE_SESSION_VIEW, "packages");

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (packages)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (packages, i), "DEMO") == 0)
      return TRUE;
  return FALSE;
}

static void
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  g_assert_true (handled);
}

static GtkWidget *
find_backtrace_expander (SpSessionView *view)
{
  GtkTextBuffer *buffer = sp_session_console_get_buffer (sp_session_view_get_console (view));
  GtkTextIter iter;

  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter);
       gtk_text_iter_forward_char (&iter))
    {
      GtkTextChildAnchor *anchor = gtk_text_iter_get_child_anchor (&iter);
      guint n = 0;
      g_autofree GtkWidget **widgets = NULL;

      if (anchor == NULL)
        continue;
      widgets = gtk_text_child_anchor_get_widgets (anchor, &n);
      if (n > 0 && GTK_IS_EXPANDER (widgets[0]))
        return widgets[0];
    }
  return NULL;
}

static void
test_console_eval (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkEntry *entry = template_child (fixture->view, SP_TYPE_SESSION_VIEW, "eval_entry");
  GtkWidget *expander;

  /* The program's output and the value arrive in the console, in that order. */
  evaluate (fixture->view, "(progn (format t \"hello-from-lisp~%\") (finish-output) (* 6 7))");
  wait_for_console (fixture->view, "42");
  {
    g_autofree char *text = dup_console_text (fixture->view);

    g_assert_nonnull (strstr (text, "CL-USER> (progn"));
    g_assert_nonnull (strstr (text, "hello-from-lisp"));
    g_assert_true (strstr (text, "hello-from-lisp") < strstr (text, "\n42\n"));
  }

  /* The package selector learns the session's packages. */
  wait_until (has_package, fixture->view, "the DEMO package in the selector");

  /* An error shows its message and a collapsed backtrace. */
  evaluate (fixture->view, "(progn (defun boom (n) (error \"boom-~A\" n)) (boom 17))");
  wait_for_console (fixture->view, "boom-17");
  expander = find_backtrace_expander (fixture->view);
  g_assert_nonnull (expander);
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (expander)));

  /* Up walks back through the history, Down returns to what was typed. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "draft");
  press_key (GTK_WIDGET (entry), GDK_KEY_Up);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==,
                   "(progn (defun boom (n) (error \"boom-~A\" n)) (boom 17))");
  press_key (GTK_WIDGET (entry), GDK_KEY_Up);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==,
                   "(progn (format t \"hello-from-lisp~%\") (finish-output) (* 6 7))");
  press_key (GTK_WIDGET (entry), GDK_KEY_Down);
  press_key (GTK_WIDGET (entry), GDK_KEY_Down);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "draft");
}

static gboolean
has_profile (gpointer data)
{
  Fixture *fixture = data;

  return fixture->profile != NULL;
}

static gboolean
is_recording_running (gpointer data)
{
  return gtk_widget_get_visible (template_child (data, SP_TYPE_SESSION_VIEW, "progress_label"));
}

/* Running, and the button shows the elapsed time and samples so far. */
static gboolean
has_recording_progress (gpointer data)
{
  GtkWidget *progress = template_child (data, SP_TYPE_SESSION_VIEW, "progress_label");

  return gtk_widget_get_visible (progress) &&
         strstr (gtk_label_get_text (GTK_LABEL (progress)), "sample") != NULL;
}

static void
click (SpSessionView *view,
       const char    *name)
{
  GtkWidget *button = template_child (view, SP_TYPE_SESSION_VIEW, name);

  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
test_record_workload (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkLabel *label = template_child (fixture->view, SP_TYPE_SESSION_VIEW, "record_label");

  sp_session_view_set_workload (fixture->view, "(demo:run 0.2)");
  click (fixture->view, "record_button");
  g_assert_true (sp_session_view_get_recording (fixture->view));
  g_assert_cmpstr (gtk_label_get_text (label), !=, "Record");

  wait_until (has_profile, fixture, "the recorded profile");
  g_assert_cmpint (sp_profile_get_meta (fixture->profile)->mode, ==, SP_MODE_CPU);
  g_assert_cmpint (sp_profile_get_meta (fixture->profile)->sample_count, >, 0);
  g_assert_cmpuint (sp_profile_get_n_nodes (fixture->profile), >, 1);
  /* a short title, the mode and the time; the workload is in the profile (and the tab's tooltip) */
  g_assert_true (g_str_has_prefix (fixture->title, "CPU "));
  g_assert_cmpstr (sp_profile_get_meta (fixture->profile)->workload, ==, "(demo:run 0.2)");
  g_assert_false (sp_session_view_get_recording (fixture->view));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Record");
}

static void
test_record_until_stop (Fixture       *fixture,
                        gconstpointer  data)
{
  /* A workload that never ends: only Stop ends the recording, even pressed at once. */
  sp_session_view_set_workload (fixture->view, "(loop (demo:fib 22))");
  for (guint i = 0; i < 2; i++)
    {
      click (fixture->view, "record_button");
      if (i == 0)
        wait_until (is_recording_running, fixture->view, "the recording to run");
      else
        wait_until (has_recording_progress, fixture->view, "the recording's progress");
      click (fixture->view, "record_button");
      wait_until (has_profile, fixture, "the profile after Stop");
      g_assert_false (sp_session_view_get_recording (fixture->view));
      wait_until (session_is_ready, fixture->view, "the session to be ready again");
      g_clear_object (&fixture->profile);
    }
}


static gboolean
is_not_recording (gpointer data)
{
  return !sp_session_view_get_recording (data);
}

static void
test_record_workload_error (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *status = template_child (fixture->view, SP_TYPE_SESSION_VIEW, "status_label");

  sp_session_view_set_workload (fixture->view, "(progn (demo:fib 20) (error \"workload-boom\"))");
  click (fixture->view, "record_button");
  wait_until (is_not_recording, fixture->view, "the failed recording to stop");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "workload-boom"));
  g_assert_true (gtk_widget_has_css_class (status, "error"));
  wait_for_console (fixture->view, "workload-boom");
}

static gboolean
has_crashed (gpointer data)
{
  return sp_session_get_state (sp_session_view_get_session (data)) == SP_SESSION_STATE_CRASHED;
}

static gboolean
has_live_profile (gpointer data)
{
  Fixture *fixture = data;

  return fixture->live > 0;
}

/* SBCL dying mid-recording leaves the view usable, says what happened, and keeps the samples
 * it sent as a partial profile. */
static void
test_crash_while_recording (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *status = template_child (fixture->view, SP_TYPE_SESSION_VIEW, "status_label");
  GtkWidget *record = template_child (fixture->view, SP_TYPE_SESSION_VIEW, "record_button");
  SpSession *session = sp_session_view_get_session (fixture->view);

  sp_session_view_set_workload (fixture->view, "(loop (demo:fib 22))");
  click (fixture->view, "record_button");
  wait_until (has_live_profile, fixture, "the samples so far");
  g_assert_cmpint (kill (sp_session_get_pid (session), SIGKILL), ==, 0);
  wait_until (has_crashed, fixture->view, "the session to crash");
  wait_until (is_not_recording, fixture->view, "the view to leave recording");
  wait_until (has_profile, fixture, "the partial profile");
  g_assert_cmpstr (sp_profile_get_meta (fixture->profile)->end_reason, ==, "sbcl-exited");
  g_assert_cmpuint (sp_profile_lookup_frame (fixture->profile, "DEMO:FIB"), !=, SP_NO_FRAME);
  g_assert_true (gtk_widget_has_css_class (status, "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "signal 9"));
  g_assert_false (gtk_widget_get_sensitive (record));
  wait_for_console (fixture->view, "signal 9");

  /* Restart brings a working session back. */
  sp_session_sidebar_restart_selected (fixture->sidebar);
  wait_until (session_is_ready, fixture->view, "the restarted session");
  g_assert_true (gtk_widget_get_sensitive (record));
}

static void
test_deterministic_needs_names (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkToggleButton *deterministic = template_child (fixture->view, SP_TYPE_SESSION_VIEW,
                                                   "deterministic_button");
  GtkWidget *names = template_child (fixture->view, SP_TYPE_SESSION_VIEW, "names_entry");

  gtk_toggle_button_set_active (deterministic, TRUE);
  g_assert_true (gtk_widget_get_visible (template_child (fixture->view, SP_TYPE_SESSION_VIEW,
                                                         "deterministic_page")));
  g_assert_false (gtk_widget_get_visible (template_child (fixture->view, SP_TYPE_SESSION_VIEW,
                                                          "sampler_dropdown")));
  click (fixture->view, "record_button");
  g_assert_false (sp_session_view_get_recording (fixture->view));
  g_assert_true (gtk_widget_has_css_class (names, "error"));

  gtk_editable_set_text (GTK_EDITABLE (names), "DEMO::FIB");
  sp_session_view_set_workload (fixture->view, "(demo:fib 18)");
  click (fixture->view, "record_button");
  wait_until (has_profile, fixture, "the deterministic profile");
  g_assert_cmpint (sp_profile_get_meta (fixture->profile)->mode, ==, SP_MODE_DETERMINISTIC);
  g_assert_cmpuint (sp_profile_get_n_function_stats (fixture->profile), >=, 1);
}

static gboolean
code_is_instrumented (gpointer data)
{
  SpSession *session = sp_session_view_get_session (data);

  return session_is_ready (data) && sp_session_get_code_instrumented (session);
}

/* Allocation (exact) on a session loaded without instrumentation: the bar says so and offers a
 * restart; after it, the bar names the code counted and the recording counts the demo's
 * allocations by function and type. */
static void
test_record_alloc_exact (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *page = template_child (fixture->view, SP_TYPE_SESSION_VIEW, "exact_page");
  GtkWidget *restart = template_child (fixture->view, SP_TYPE_SESSION_VIEW, "instrument_button");
  GtkLabel *label = template_child (fixture->view, SP_TYPE_SESSION_VIEW, "exact_label");
  g_autoptr(GArray) functions = NULL;
  g_autoptr(GArray) types = NULL;
  gboolean found = FALSE;

  g_assert_false (gtk_widget_get_visible (page));
  gtk_drop_down_set_selected (template_child (fixture->view, SP_TYPE_SESSION_VIEW, "sampler_dropdown"), 3);
  g_assert_true (gtk_widget_get_visible (page));
  g_assert_true (gtk_widget_get_visible (restart));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "without allocation instrumentation"));

  g_signal_emit_by_name (restart, "clicked");
  g_assert_true (sp_session_get_instrument_allocations (sp_session_view_get_session (fixture->view)));
  wait_until (code_is_instrumented, fixture->view, "the instrumented session to be ready");
  g_assert_false (gtk_widget_get_visible (restart));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "demo.lisp"));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "FORMAT"));

  sp_session_view_set_workload (fixture->view, "(demo:build-lists 20)");
  click (fixture->view, "record_button");
  wait_until (has_profile, fixture, "the alloc-exact profile");
  g_assert_cmpint (sp_profile_get_meta (fixture->profile)->mode, ==, SP_MODE_ALLOC_EXACT);
  g_assert_true (sp_alloc_has_memory_data (fixture->profile));
  functions = sp_alloc_by_function (fixture->profile);
  for (guint i = 0; i < functions->len; i++)
    found |= g_str_equal (sp_profile_get_frame (fixture->profile, g_array_index (functions, SpAllocTotal, i).key)->name,
                          "DEMO:BUILD-LISTS");
  g_assert_true (found);
  types = sp_alloc_by_type (fixture->profile);
  g_assert_cmpuint (types->len, >, 0);
}

static void
test_restart_and_close (Fixture       *fixture,
                        gconstpointer  data)
{
  SpSession *before = sp_session_view_get_session (fixture->view);

  sp_session_sidebar_restart_selected (fixture->sidebar);
  g_assert_true (sp_session_view_get_session (fixture->view) != before);
  wait_until (session_is_ready, fixture->view, "the restarted session");
  wait_for_console (fixture->view, "Restarting");

  sp_session_sidebar_close_selected (fixture->sidebar);
  g_assert_cmpuint (sp_session_sidebar_get_n_sessions (fixture->sidebar), ==, 0);
  g_assert_null (sp_session_sidebar_get_selected_view (fixture->sidebar));
}

/* Megabytes of output keep the console within its limit, newest text kept. */
static void
test_console_bounded (void)
{
  SpSessionConsole *console = g_object_ref_sink (SP_SESSION_CONSOLE (sp_session_console_new ()));
  GtkTextBuffer *buffer = sp_session_console_get_buffer (console);
  g_autofree char *line = g_strnfill (99, 'x');
  g_autofree char *chunk = NULL;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  GString *block = g_string_new (NULL);

  for (guint i = 0; i < 640; i++)
    g_string_append_printf (block, "%s\n", line);
  chunk = g_string_free (block, FALSE);
  for (guint i = 0; i < 60; i++)   /* 60 × 64 000 characters */
    {
      sp_session_console_queue_output (console, i % 2 ? SP_CONSOLE_STDERR : SP_CONSOLE_STDOUT, chunk);
      if (i % 10 == 9)
        sp_session_console_flush (console);
    }
  sp_session_console_queue_output (console, SP_CONSOLE_STDOUT, "the last line\n");
  sp_session_console_flush (console);

  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), <=, SP_SESSION_CONSOLE_LIMIT);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), >=, SP_SESSION_CONSOLE_LIMIT / 2);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_true (g_str_has_prefix (text, "[… earlier output dropped …]\n"));
  g_assert_true (g_str_has_suffix (text, "the last line\n"));
  g_object_unref (console);
}

static void
test_dialog (void)
{
  SpNewSessionDialog *dialog = sp_new_session_dialog_new (NULL);
  GtkWidget *sbcl_row = template_child (dialog, SP_TYPE_NEW_SESSION_DIALOG, "sbcl_row");
  GtkWidget *systems_row = template_child (dialog, SP_TYPE_NEW_SESSION_DIALOG, "systems_row");
  GtkWidget *args_row = template_child (dialog, SP_TYPE_NEW_SESSION_DIALOG, "args_row");
  g_autofree char *sbcl = sp_session_find_sbcl ();
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *demo = g_build_filename (lisp_dir, "examples", "demo.lisp", NULL);
  g_autoptr(SpSession) session = NULL;
  g_autoptr(SpSession) copy = NULL;
  g_autoptr(GVariant) config = NULL;
  g_autoptr(GError) error = NULL;
  const char *files[] = { demo, NULL };
  const char *args[] = { "--dynamic-space-size", "2048", "--eval", "(print 1)", NULL };

  /* The program on PATH is the default. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbcl_row)), ==, sbcl);

  /* A configuration fills the fields, and the fields make the same configuration. */
  session = sp_session_new (sbcl);
  sp_session_set_working_dir (session, lisp_dir);
  sp_session_set_load_files (session, files);
  sp_session_set_extra_args (session, args);
  sp_session_set_use_init_files (session, TRUE);
  sp_session_set_instrument_allocations (session, TRUE);
  config = g_variant_ref_sink (sp_new_session_dialog_config_from_session (session));
  sp_new_session_dialog_set_config (dialog, config);
  gtk_editable_set_text (GTK_EDITABLE (systems_row), "alexandria  cl-ppcre");
  copy = sp_new_session_dialog_create_session (dialog, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sp_session_get_working_dir (copy), ==, lisp_dir);
  g_assert_cmpstrv (sp_session_get_load_files (copy), files);
  g_assert_cmpstrv (sp_session_get_extra_args (copy), args);
  g_assert_cmpstr (sp_session_get_systems (copy)[0], ==, "alexandria");
  g_assert_cmpstr (sp_session_get_systems (copy)[1], ==, "cl-ppcre");
  g_assert_null (sp_session_get_systems (copy)[2]);
  g_assert_true (sp_session_get_use_init_files (copy));
  /* the Instrument Allocations switch shows the option and sets it */
  g_assert_true (gtk_switch_get_active (template_child (dialog, SP_TYPE_NEW_SESSION_DIALOG, "instrument_switch")));
  g_assert_true (sp_session_get_instrument_allocations (copy));
  g_clear_object (&copy);
  gtk_switch_set_active (template_child (dialog, SP_TYPE_NEW_SESSION_DIALOG, "instrument_switch"), FALSE);
  copy = sp_new_session_dialog_create_session (dialog, &error);
  g_assert_no_error (error);
  g_assert_false (sp_session_get_instrument_allocations (copy));
  g_clear_object (&copy);

  /* Bad fields are named. */
  gtk_editable_set_text (GTK_EDITABLE (args_row), "--eval \"(print 1)");
  g_assert_null (sp_new_session_dialog_create_session (dialog, &error));
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID);
  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (args_row), "");
  gtk_editable_set_text (GTK_EDITABLE (sbcl_row), "/nonexistent/sbcl");
  g_assert_true (gtk_widget_has_css_class (sbcl_row, "error"));
  g_assert_null (sp_new_session_dialog_create_session (dialog, &error));
  g_assert_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_SBCL_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/sbcl"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static SpNewSessionDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SP_IS_NEW_SESSION_DIALOG (window))
        return SP_NEW_SESSION_DIALOG (window);
    }
  return NULL;
}

/* A session started from the dialog is remembered, and the next launch opens it again. */
static void
test_sidebar_remembers_sessions (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) recent = NULL;
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *demo = g_build_filename (lisp_dir, "examples", "demo.lisp", NULL);
  SpSessionSidebar *other;
  SpNewSessionDialog *dialog;
  SpSessionView *view;
  GtkWidget *args;

  g_settings_reset (settings, "recent-sessions");
  sp_session_sidebar_show_new_session (fixture->sidebar);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  args = template_child (dialog, SP_TYPE_NEW_SESSION_DIALOG, "args_row");
  gtk_editable_set_text (GTK_EDITABLE (args), "--dynamic-space-size 1024");
  g_signal_emit_by_name (template_child (dialog, SP_TYPE_NEW_SESSION_DIALOG, "start_button"), "clicked");
  g_assert_null (find_dialog ());
  g_assert_cmpuint (sp_session_sidebar_get_n_sessions (fixture->sidebar), ==, 2);

  recent = g_settings_get_value (settings, "recent-sessions");
  g_assert_cmpuint (g_variant_n_children (recent), ==, 1);

  other = g_object_ref_sink (SP_SESSION_SIDEBAR (sp_session_sidebar_new ()));
  view = sp_session_sidebar_open_initial (other);
  g_assert_cmpstr (sp_session_get_extra_args (sp_session_view_get_session (view))[1], ==, "1024");
  sp_session_sidebar_close_selected (other);
  g_object_unref (other);
  g_settings_reset (settings, "recent-sessions");
}

static AdwMessageDialog *
find_any_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Closing a recording session asks first; Cancel keeps it. */
static void
test_close_while_recording (Fixture       *fixture,
                            gconstpointer  data)
{
  AdwMessageDialog *dialog;

  sp_session_view_set_workload (fixture->view, "");
  click (fixture->view, "record_button");
  wait_until (has_recording_progress, fixture->view, "the recording's progress");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sessions.close", NULL));
  dialog = find_any_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (sp_session_sidebar_get_n_sessions (fixture->sidebar), ==, 1);
  g_assert_true (sp_session_view_get_recording (fixture->view));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sessions.close", NULL));
  dialog = find_any_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (sp_session_sidebar_get_n_sessions (fixture->sidebar), ==, 0);
}

static gboolean
has_one_tab (gpointer data)
{
  return adw_tab_view_get_n_pages (sp_window_get_tab_view (data)) == 1;
}

/* The first window of a launch opens the demo session; a recording there becomes a tab. */
static void
test_window_record_opens_tab (void)
{
  g_autoptr(SpApplication) app = sp_application_new (APP_ID ".SessionUiTest", G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  SpWindow *window;
  SpSessionSidebar *sidebar;
  SpSessionView *view;
  GtkEntry *workload;
  AdwTabPage *page;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = sp_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  sidebar = SP_SESSION_SIDEBAR (gtk_stack_get_child_by_name (sp_window_get_sessions_sidebar (window),
                                                             "sessions"));
  g_assert_nonnull (sidebar);
  g_assert_cmpuint (sp_session_sidebar_get_n_sessions (sidebar), ==, 0);

  sp_window_open_initial_session (window);
  g_assert_cmpuint (sp_session_sidebar_get_n_sessions (sidebar), ==, 1);
  view = sp_session_sidebar_get_selected_view (sidebar);
  workload = template_child (view, SP_TYPE_SESSION_VIEW, "workload_entry");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (workload)), ==, "(demo:run)");
  /* Ctrl+R (win.record) does nothing until the session is ready */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  g_assert_false (sp_session_view_get_recording (view));
  wait_until (session_is_ready, view, "the demo session to be ready");

  /* Ctrl+R records in the selected session, and again stops: the recording becomes a tab */
  sp_session_view_set_workload (view, "(loop (demo:fib 22))");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  g_assert_true (sp_session_view_get_recording (view));
  wait_until (has_recording_progress, view, "the recording's progress");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  wait_until (is_not_recording, view, "the recording to stop");
  g_assert_true (has_one_tab (window));
  page = adw_tab_view_get_nth_page (sp_window_get_tab_view (window), 0);
  g_assert_false (adw_tab_page_get_loading (page));
  /* a short title with the mode; the whole story in the tooltip */
  g_assert_true (g_str_has_prefix (adw_tab_page_get_title (page), "• CPU "));
  g_assert_nonnull (strstr (adw_tab_page_get_tooltip (page), "(loop (demo:fib 22))"));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  SpWindow      *window;
  SpProfileView *view;
  SpProfile     *profile;   /* the profile to see replaced */
  SpProfile     *graphed;   /* the flame graph's, to see replaced */
} LiveWait;

static SpProfileView *
only_profile_view (SpWindow *window)
{
  AdwTabView *tabs = sp_window_get_tab_view (window);

  if (adw_tab_view_get_n_pages (tabs) != 1)
    return NULL;
  return SP_PROFILE_VIEW (adw_tab_page_get_child (adw_tab_view_get_nth_page (tabs, 0)));
}

static SpFlameGraph *
graph_of (SpProfileView *view)
{
  return sp_flame_view_get_graph (SP_FLAME_VIEW (sp_profile_view_get_flame_view (view)));
}

/* The live tab shows a newer profile than before, and so does its flame graph. */
static gboolean
live_profile_updated (gpointer data)
{
  LiveWait *wait = data;
  SpProfile *profile = sp_profile_view_get_profile (wait->view);
  SpFlameGraph *graph = graph_of (wait->view);

  return profile != NULL && profile != wait->profile &&
         sp_flame_graph_get_profile (graph) != wait->graphed && sp_flame_graph_is_ready (graph);
}

/* The flame graph is laid out for the view's profile as it is now (folding recursion keeps the
 * total, which grows with every newer version). */
static gboolean
graph_shows_profile (gpointer data)
{
  SpProfileView *view = data;
  SpFlameGraph *graph = graph_of (view);
  SpProfile *graphed = sp_flame_graph_get_profile (graph);
  SpProfile *profile = sp_profile_view_get_profile (view);

  return graphed != NULL && profile != NULL && sp_flame_graph_is_ready (graph) &&
         sp_profile_get_grand_total (graphed, SP_METRIC_SAMPLES) ==
         sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES);
}

static gboolean
table_is_ready (gpointer data)
{
  return sp_function_table_is_ready (data);
}

static const char *
zoomed_name (SpFlameGraph *graph)
{
  SpProfile *profile = sp_flame_graph_get_profile (graph);
  guint32 node = sp_flame_graph_get_zoom_node (graph);

  return node == SP_NO_NODE ? NULL
         : sp_profile_get_frame (profile, sp_profile_get_node_frames (profile)[node])->name;
}

/* A statistical recording's tab opens at once and follows the samples so far, keeping the
 * selected function and the flame graph's zoom; Stop turns it into the final profile. */
static void
test_window_live_recording (void)
{
  g_autoptr(SpApplication) app = sp_application_new (APP_ID ".SessionUiLiveTest", G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  LiveWait wait = { 0 };
  SpSessionSidebar *sidebar;
  SpSessionView *session_view;
  SpFlameGraph *graph;
  SpFunctionTable *table;
  AdwTabPage *page;
  guint32 fib, node = SP_NO_NODE;
  double samples;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  wait.window = sp_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (wait.window), 1200, 800);
  gtk_window_present (GTK_WINDOW (wait.window));
  sp_window_open_initial_session (wait.window);
  sidebar = SP_SESSION_SIDEBAR (gtk_stack_get_child_by_name (sp_window_get_sessions_sidebar (wait.window),
                                                             "sessions"));
  session_view = sp_session_sidebar_get_selected_view (sidebar);
  wait_until (session_is_ready, session_view, "the demo session to be ready");

  sp_session_view_set_workload (session_view, "(loop (demo:fib 22))");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wait.window), "win.record", NULL));
  /* the tab opens as soon as the profiler is on, before any sample */
  wait_until (has_one_tab, wait.window, "the recording's tab");
  wait.view = only_profile_view (wait.window);
  g_assert_null (sp_profile_view_get_profile (wait.view));
  page = adw_tab_view_get_nth_page (sp_window_get_tab_view (wait.window), 0);
  g_assert_true (adw_tab_page_get_loading (page));
  g_assert_nonnull (strstr (adw_tab_page_get_title (page), "(recording)"));

  /* the first samples, then the user selects FIB and zooms into it */
  wait_until (live_profile_updated, &wait, "the first live profile");
  /* only the page shown follows the recording: the user is on the flame graph, once it shows
   * the samples so far (a zoom before would be into the graph the page replaces) */
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (wait.view), "flame-graph");
  wait_until (graph_shows_profile, wait.view, "the flame graph of the samples so far");
  wait.profile = sp_profile_view_get_profile (wait.view);
  fib = sp_profile_lookup_frame (wait.profile, "DEMO:FIB");
  g_assert_cmpuint (fib, !=, SP_NO_FRAME);
  sp_profile_view_select_function (wait.view, fib);
  graph = graph_of (wait.view);
  wait.graphed = sp_flame_graph_get_profile (graph);
  for (guint32 n = 0; n < sp_profile_get_n_nodes (wait.graphed) && node == SP_NO_NODE; n++)
    if (g_str_equal (sp_profile_get_frame (wait.graphed, sp_profile_get_node_frames (wait.graphed)[n])->name,
                     "DEMO:FIB"))
      node = n;
  g_assert_cmpuint (node, !=, SP_NO_NODE);
  sp_flame_graph_zoom_to_node (graph, node);
  samples = sp_profile_get_grand_total (wait.profile, SP_METRIC_SAMPLES);

  /* a second later: more samples, the same function selected, the same zoom */
  wait_until (live_profile_updated, &wait, "a newer live profile");
  g_assert_true (sp_session_view_get_recording (session_view));
  g_assert_cmpfloat (sp_profile_get_grand_total (sp_profile_view_get_profile (wait.view), SP_METRIC_SAMPLES),
                     >, samples);
  g_assert_cmpstr (sp_profile_get_frame (sp_profile_view_get_profile (wait.view),
                                         sp_profile_view_get_selected_function (wait.view))->name,
                   ==, "DEMO:FIB");
  g_assert_cmpstr (zoomed_name (graph), ==, "DEMO:FIB");
  g_assert_cmpstr (sp_profile_get_frame (sp_flame_graph_get_profile (graph),
                                         sp_flame_graph_get_selected_frame (graph))->name, ==, "DEMO:FIB");
  /* the functions page catches up when shown, with the same selection */
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (wait.view), "functions");
  table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (wait.view));
  wait_until (table_is_ready, table, "the functions to catch up");
  g_assert_cmpstr (sp_profile_get_frame (sp_profile_view_get_profile (wait.view),
                                         sp_function_table_get_selected_frame (table))->name,
                   ==, "DEMO:FIB");

  /* Stop: the same tab holds the final profile, unsaved */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wait.window), "win.record", NULL));
  wait_until (is_not_recording, session_view, "the recording to stop");
  g_assert_true (only_profile_view (wait.window) == wait.view);
  g_assert_false (adw_tab_page_get_loading (page));
  g_assert_null (strstr (adw_tab_page_get_title (page), "(recording)"));
  g_assert_true (sp_profile_view_get_unsaved (wait.view));
  /* the endless run was cut short by Stop, and the profile says so */
  g_assert_cmpstr (sp_profile_get_meta (sp_profile_view_get_profile (wait.view))->end_reason, ==,
                   "stopped");

  gtk_window_destroy (GTK_WINDOW (wait.window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/SessionUi/console/bounded", test_console_bounded);
  g_test_add_func ("/SessionUi/dialog/fields", test_dialog);
  g_test_add ("/SessionUi/view/console-eval", Fixture, NULL,
              fixture_set_up, test_console_eval, fixture_tear_down);
  g_test_add ("/SessionUi/view/record-workload", Fixture, NULL,
              fixture_set_up, test_record_workload, fixture_tear_down);
  g_test_add ("/SessionUi/view/record-until-stop", Fixture, NULL,
              fixture_set_up, test_record_until_stop, fixture_tear_down);
  g_test_add ("/SessionUi/view/record-workload-error", Fixture, NULL,
              fixture_set_up, test_record_workload_error, fixture_tear_down);
  g_test_add ("/SessionUi/view/crash-while-recording", Fixture, NULL,
              fixture_set_up, test_crash_while_recording, fixture_tear_down);
  g_test_add ("/SessionUi/view/record-deterministic", Fixture, NULL,
              fixture_set_up, test_deterministic_needs_names, fixture_tear_down);
  g_test_add ("/SessionUi/view/record-alloc-exact", Fixture, NULL,
              fixture_set_up, test_record_alloc_exact, fixture_tear_down);
  g_test_add ("/SessionUi/sidebar/restart-close", Fixture, NULL,
              fixture_set_up, test_restart_and_close, fixture_tear_down);

  g_test_add ("/SessionUi/sidebar/remembers-sessions", Fixture, NULL,
              fixture_set_up, test_sidebar_remembers_sessions, fixture_tear_down);
  g_test_add ("/SessionUi/sidebar/close-while-recording", Fixture, NULL,
              fixture_set_up, test_close_while_recording, fixture_tear_down);
  g_test_add_func ("/SessionUi/window/record-opens-tab", test_window_record_opens_tab);
  g_test_add_func ("/SessionUi/window/live-recording", test_window_live_recording);

  return g_test_run ();
}
