/* test-attach-ui.c: attaching from the app to a real SBCL program that listens, under Xvfb */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "sp-attach-dialog.h"
#include "sp-session-sidebar.h"
#include "sp-session-view.h"
#include "sp-session.h"

static const char *program_text =
  "(load \"%s/agent/boot.lisp\")\n"
  "(sbcl-profiler-agent:listen)\n"
  "(format t \"LISTENING~%%\")\n"
  "(finish-output)\n"
  "(defun work-step (n) (let ((s 0)) (dotimes (i n s) (incf s (mod (* i i) 7)))))\n"
  "(loop (work-step 200000) (sleep 0.001))\n";

typedef struct
{
  char        *runtime_dir;
  GSubprocess *program;
} Fixture;

static void
iterate_until (gboolean (*done) (gpointer), gpointer data, guint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_true (done (data));
}

static gboolean
has_listing (gpointer data)
{
  g_autoptr(GPtrArray) images = sp_attach_list_images ();

  return images->len > 0;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf (program_text, g_getenv ("SP_LISP_DIR"));
  g_autofree char *path = NULL;

  f->runtime_dir = g_dir_make_tmp ("sp-attach-ui-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_RUNTIME_DIR", f->runtime_dir, TRUE);
  path = g_build_filename (f->runtime_dir, "program.lisp", NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  f->program = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "sbcl", "--noinform",
                                 "--disable-debugger", "--no-sysinit", "--no-userinit",
                                 "--load", path, NULL);
  g_assert_no_error (error);
  iterate_until (has_listing, NULL, 60);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_subprocess_force_exit (f->program);
  g_subprocess_wait (f->program, NULL, NULL);
  g_object_unref (f->program);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->runtime_dir);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (f->runtime_dir);
}

/* The first button labelled label below widget. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
on_attach (SpAttachDialog *dialog, const char *target, char **chosen)
{
  *chosen = g_strdup (target);
}

static gboolean
is_ready (gpointer session)
{
  return sp_session_get_state (session) == SP_SESSION_STATE_READY;
}

static gboolean
has_ended (gpointer session)
{
  SpSessionState state = sp_session_get_state (session);

  return state == SP_SESSION_STATE_EXITED || state == SP_SESSION_STATE_CRASHED;
}

typedef struct { SpProfile *profile; gboolean done; } Result;

static gboolean
is_done (gpointer result)
{
  return ((Result *) result)->done;
}

static void
on_recorded (GObject *source, GAsyncResult *res, gpointer data)
{
  Result *result = data;
  g_autoptr(GError) error = NULL;

  result->profile = sp_session_stop_recording_finish (SP_SESSION (source), res, &error);
  g_assert_no_error (error);
  result->done = TRUE;
}

static void
on_recording (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_session_start_recording_finish (SP_SESSION (source), res, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
test_attach_from_sidebar (Fixture *f, gconstpointer data)
{
  GtkWidget *window = adw_application_window_new (NULL);
  GtkWidget *sidebar = sp_session_sidebar_new ();
  SpAttachDialog *dialog;
  g_autofree char *chosen = NULL;
  SpSessionView *view;
  SpSession *session;
  SpRecordOptions options;
  gboolean recording = FALSE;
  Result result = { NULL, FALSE };
  GtkWidget *attach_button;

  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), sidebar);
  gtk_window_present (GTK_WINDOW (window));

  /* the dialog lists the program; its Attach button chooses it */
  dialog = sp_attach_dialog_new (GTK_WINDOW (window));
  g_signal_connect (dialog, "attach", G_CALLBACK (on_attach), &chosen);
  gtk_window_present (GTK_WINDOW (dialog));
  attach_button = find_button (GTK_WIDGET (dialog), "_Attach");
  g_assert_nonnull (attach_button);
  g_signal_emit_by_name (attach_button, "clicked");
  g_assert_nonnull (chosen);
  g_assert_true (g_str_has_suffix (chosen, ".sock"));

  /* the sidebar's session attaches, records what the program does, and detaches */
  session = sp_session_new_attached (chosen, NULL);
  view = sp_session_sidebar_add_session (SP_SESSION_SIDEBAR (sidebar), session);
  g_object_unref (session);
  iterate_until (is_ready, session, 60);
  g_assert_true (sp_session_is_attached (session));
  /* an attached program cannot be restarted from here: the action is off */
  gtk_widget_activate_action (sidebar, "sessions.restart", NULL);
  g_assert_true (sp_session_view_get_session (view) == session);
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_READY);

  sp_record_options_init (&options);
  options.mode = SP_MODE_CPU;
  sp_session_start_recording_async (session, &options, NULL, on_recording, &recording);
  iterate_until (flag_set, &recording, 30);
  g_usleep (G_USEC_PER_SEC);
  sp_session_stop_recording_async (session, NULL, on_recorded, &result);
  iterate_until (is_done, &result, 30);
  g_assert_nonnull (result.profile);
  g_assert_cmpuint (sp_profile_lookup_frame (result.profile, "COMMON-LISP-USER::WORK-STEP"), !=,
                    SP_NO_FRAME);
  g_object_unref (result.profile);
  sp_record_options_clear (&options);

  g_object_ref (session);
  sp_session_quit (session);
  iterate_until (has_ended, session, 30);
  g_assert_cmpint (sp_session_get_state (session), ==, SP_SESSION_STATE_EXITED);
  g_object_unref (session);
  /* detached: the program runs on (a gone program's listing would be pruned) */
  g_usleep (G_USEC_PER_SEC / 2);
  iterate_until (has_listing, NULL, 10);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/attach-ui/from-sidebar", Fixture, NULL, fixture_set_up, test_attach_from_sidebar,
              fixture_tear_down);
  return g_test_run ();
}
