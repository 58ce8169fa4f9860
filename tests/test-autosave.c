/* test-autosave.c: unsaved recordings survive a kill of the app.  A child process runs the app's
 * window and records the demo in a real sbcl session, then is killed with SIGKILL, after the
 * recording or during it; a new window offers the recording back and restores it.  Also: the
 * close dialog's Save All. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <time.h>
#include <utime.h>

#include "sp-application.h"
#include "sp-autosave.h"
#include "sp-profile-io.h"
#include "sp-session-sidebar.h"
#include "sp-session-view.h"
#include "sp-window-private.h"
#include "sp-window-test-util.h"

#define WAIT_LIMIT_SECONDS 120
#include "sp-test-wait.h"

/* The titles of the autosaved recordings: of the .sbclprof files, as a file being written has a
 * temporary name until it is whole. */
static GPtrArray *
autosaved_titles (void)
{
  g_autofree char *dir = sp_autosave_get_dir ();
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    if (g_str_has_suffix (name, ".sbclprof"))
      {
        g_autoptr(GFile) file = g_file_new_build_filename (dir, name, NULL);

        g_ptr_array_add (titles, sp_autosave_get_title (file));
      }
  return titles;
}

static guint
count_autosaved (void)
{
  g_autoptr(GPtrArray) titles = autosaved_titles ();

  return titles->len;
}

static gboolean
two_autosaved (gpointer data)
{
  return count_autosaved () == 2;
}

/* The tab's recording is on disk as it is now: the only autosaved file has the tab's title
 * (a running recording's file is written again, under its own title, until the final one). */
static gboolean
tab_autosaved (gpointer data)
{
  g_autoptr(GPtrArray) titles = autosaved_titles ();

  return titles->len == 1 &&
         g_strcmp0 (g_ptr_array_index (titles, 0), sp_profile_view_get_title (data)) == 0;
}

static gboolean
none_autosaved (gpointer data)
{
  return count_autosaved () == 0;
}

static gboolean
n_tabs_is (gpointer data)
{
  SpWindow *window = data;

  return adw_tab_view_get_n_pages (sp_window_get_tab_view (window)) ==
         GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "sp-test-tabs"));
}

static void
wait_for_tabs (SpWindow *window,
               int       n)
{
  g_object_set_data (G_OBJECT (window), "sp-test-tabs", GINT_TO_POINTER (n));
  wait_until (n_tabs_is, window, "the tabs");
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

static SpWindow *
new_window (SpApplication **app,
            const char     *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strconcat (APP_ID ".AutosaveTest.", name, NULL);
  SpWindow *window;

  *app = sp_application_new (id, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (*app), NULL, &error);
  g_assert_no_error (error);
  window = sp_window_new (GTK_APPLICATION (*app));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
recording_is_over (gpointer data)
{
  return !adw_tab_page_get_loading (data);
}

/* The child: the app's window records the demo in its session, and waits to be killed: once
 * the recording is over, or (live) while it still runs, once its samples so far are on disk. */
static int
record_and_wait (gboolean live)
{
  g_autoptr(SpApplication) app = NULL;
  SpWindow *window = new_window (&app, "Recorder");
  SpSessionSidebar *sidebar;
  SpSessionView *view;
  AdwTabPage *page;
  SpProfileView *tab;

  sidebar = SP_SESSION_SIDEBAR (gtk_stack_get_child_by_name (sp_window_get_sessions_sidebar (window),
                                                             "sessions"));
  sp_window_open_initial_session (window);
  view = sp_session_sidebar_get_selected_view (sidebar);
  wait_until (session_is_ready, view, "the demo session to be ready");
  sp_session_view_set_workload (view, live ? "(demo:run 8)" : "(demo:run 0.3)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  wait_for_tabs (window, 1);
  page = adw_tab_view_get_nth_page (sp_window_get_tab_view (window), 0);
  tab = SP_PROFILE_VIEW (adw_tab_page_get_child (page));
  /* once over, the recording's tab no longer shows it running */
  if (!live)
    wait_until (recording_is_over, page, "the recording to end");
  wait_until (tab_autosaved, tab, "the recording in the autosave folder");
  /* the tab's title, which the restored tab must have again */
  printf ("%s %s\n", live ? "recording" : "recorded", sp_profile_view_get_title (tab));
  fflush (stdout);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static void
on_child_line (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (*line == NULL)
    *line = g_strdup (error != NULL ? error->message : "(the child ended)");
}

static gboolean
has_line (gpointer data)
{
  return *(char **) data != NULL;
}

/* Saving the restored recording removes its autosaved copy. */
static void
save_all_into_state_dir (SpWindow *window)
{
  g_autoptr(GFile) folder = g_file_new_for_path (g_get_user_state_dir ());

  _sp_window_save_all_and_close (window, folder);
  wait_until (none_autosaved, NULL, "the autosaved copy to go");
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_kill_and_restore (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SpApplication) app = NULL;
  g_autofree char *line = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GPtrArray) left_over = NULL;
  SpWindow *window;
  AdwMessageDialog *dialog;
  SpProfileView *view;
  SpProfile *profile;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, "--record-child",
                            NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_child_line, &line);
  wait_until (has_line, &line, "the child to record");
  g_assert_true (g_str_has_prefix (line, "recorded "));

  /* SIGKILL: nothing of the app runs any more, the recording is only on disk */
  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);
  g_assert_cmpuint (count_autosaved (), ==, 1);

  window = new_window (&app, "Restore");
  sp_window_offer_restore (window);
  dialog = find_message_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Restore Unsaved Recordings?");
  respond (window, "restore");
  wait_for_tabs (window, 1);

  /* the recording as it was: unsaved, its title, the demo's samples */
  view = SP_PROFILE_VIEW (adw_tab_page_get_child (adw_tab_view_get_nth_page (sp_window_get_tab_view (window), 0)));
  g_assert_true (sp_profile_view_get_unsaved (view));
  g_assert_cmpstr (sp_profile_view_get_title (view), ==, line + strlen ("recorded "));
  profile = sp_profile_view_get_profile (view);
  g_assert_nonnull (profile);
  g_assert_cmpstr (sp_profile_get_meta (profile)->workload, ==, "(demo:run 0.3)");
  g_assert_cmpuint (sp_profile_lookup_frame (profile, "DEMO:FIB"), !=, SP_NO_FRAME);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES), >, 0);
  /* still kept until saved: restoring again now offers nothing */
  g_assert_cmpuint (count_autosaved (), ==, 1);
  left_over = sp_autosave_list_left_over ();
  g_assert_cmpuint (left_over->len, ==, 0);

  /* saving it removes the autosaved copy */
  save_all_into_state_dir (window);
}

/* Killed while a recording runs, the app leaves the samples its tab had shown: the next start
 * restores them, as the recording still running. */
static void
test_kill_during_recording (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SpApplication) app = NULL;
  g_autofree char *line = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  SpWindow *window;
  SpProfileView *view;
  SpProfile *profile;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, "--record-live-child",
                            NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_child_line, &line);
  wait_until (has_line, &line, "the child to start recording");
  g_assert_true (g_str_has_prefix (line, "recording "));
  /* the tab of a recording still running: the kill comes before the recording ends */
  g_assert_true (g_str_has_suffix (line, " (recording)"));

  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);
  g_assert_cmpuint (count_autosaved (), ==, 1);

  window = new_window (&app, "RestoreLive");
  sp_window_offer_restore (window);
  g_assert_nonnull (find_message_dialog (window));
  respond (window, "restore");
  wait_for_tabs (window, 1);

  /* the samples of the recording so far, under the title of the running recording */
  view = SP_PROFILE_VIEW (adw_tab_page_get_child (adw_tab_view_get_nth_page (sp_window_get_tab_view (window), 0)));
  g_assert_true (sp_profile_view_get_unsaved (view));
  g_assert_cmpstr (sp_profile_view_get_title (view), ==, line + strlen ("recording "));
  profile = sp_profile_view_get_profile (view);
  g_assert_nonnull (profile);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES), >, 0);
  g_assert_cmpuint (sp_profile_lookup_frame (profile, "DEMO:RUN"), !=, SP_NO_FRAME);

  save_all_into_state_dir (window);
}

/* A file still being written (or cut short by a kill) is never offered back; one no app has
 * written to for an hour is removed. */
static void
test_partial_writes (void)
{
  g_autofree char *dir = sp_autosave_get_dir ();
  g_autofree char *stale = g_build_filename (dir, "1-stale.sbclprof.part", NULL);
  g_autofree char *fresh = g_build_filename (dir, "2-fresh.sbclprof.part", NULL);
  g_autoptr(GPtrArray) left_over = NULL;
  struct utimbuf hours_ago = { time (NULL) - 7200, time (NULL) - 7200 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (stale, "\x1f\x8b", 2, NULL));
  g_assert_true (g_file_set_contents (fresh, "\x1f\x8b", 2, NULL));
  g_assert_cmpint (g_utime (stale, &hours_ago), ==, 0);

  left_over = sp_autosave_list_left_over ();
  g_assert_cmpuint (left_over->len, ==, 0);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  g_unlink (fresh);
}

/* The close dialog offers Save All beside Discard and Cancel; Save All saves every unsaved
 * profile into the folder and closes; nothing is left in the autosave folder. */
static void
test_save_all (void)
{
  g_autoptr(SpApplication) app = NULL;
  g_autoptr(SpProfileBuilder) builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) profile = NULL;
  g_autofree char *folder_path = g_build_filename (g_get_user_state_dir (), "saved-all", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  GDir *names;
  const char *name;
  guint n_saved = 0, n_numbered = 0;
  SpWindow *window = new_window (&app, "SaveAll");
  AdwMessageDialog *dialog;
  double weights[SP_N_METRICS] = { 5 };
  guint32 frame;

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  frame = sp_profile_builder_intern_frame (builder, "DEMO:F", -1);
  sp_profile_builder_add_stack (builder, &frame, 1, FALSE, weights);
  profile = sp_profile_builder_end (g_steal_pointer (&builder));
  g_mkdir_with_parents (folder_path, 0700);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  sp_window_add_profile (window, profile, "same name");
  sp_window_add_profile (window, profile, "same name");
  wait_until (two_autosaved, NULL, "the autosaves");

  gtk_window_close (GTK_WINDOW (window));
  dialog = find_message_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "save-all"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  respond (window, "cancel");
  g_assert_nonnull (window);

  _sp_window_save_all_and_close (window, folder);
  wait_until (none_autosaved, NULL, "the autosaved copies to go");
  while (window != NULL)
    g_main_context_iteration (NULL, TRUE);
  /* two files of the same suggested name: the second numbered */
  names = g_dir_open (folder_path, 0, NULL);
  while ((name = g_dir_read_name (names)) != NULL)
    {
      g_autoptr(GFile) file = g_file_get_child (folder, name);
      g_autoptr(SpProfile) reloaded = sp_profile_load (file, NULL, NULL, NULL, NULL);

      g_assert_nonnull (reloaded);
      g_assert_cmpfloat (sp_profile_get_grand_total (reloaded, SP_METRIC_SAMPLES), ==, 5);
      n_saved++;
      n_numbered += g_str_has_suffix (name, "-2.sbclprof");
    }
  g_dir_close (names);
  g_assert_cmpuint (n_saved, ==, 2);
  g_assert_cmpuint (n_numbered, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state = NULL;

  /* a private state folder for this run (and the child it starts), inherited by the child */
  if (g_getenv ("SP_TEST_STATE_HOME") == NULL)
    {
      state = g_dir_make_tmp ("sp-autosave-XXXXXX", NULL);
      g_setenv ("SP_TEST_STATE_HOME", state, TRUE);
    }
  g_setenv ("XDG_STATE_HOME", g_getenv ("SP_TEST_STATE_HOME"), TRUE);

  if (argc > 1 && (g_str_equal (argv[1], "--record-child") || g_str_equal (argv[1], "--record-live-child")))
    {
      gtk_init ();
      adw_init ();
      return record_and_wait (g_str_equal (argv[1], "--record-live-child"));
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/autosave/kill-and-restore", test_kill_and_restore);
  g_test_add_func ("/autosave/kill-during-recording", test_kill_during_recording);
  g_test_add_func ("/autosave/save-all", test_save_all);
  g_test_add_func ("/autosave/partial-writes", test_partial_writes);
  return g_test_run ();
}
