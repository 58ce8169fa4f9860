/* sp-cli-attach.c: `sbcl-profiler list`, `agent-path`, and `record --attach`: profiling an
 * SBCL image that is already running */
#define G_LOG_DOMAIN "sp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "sp-cli-private.h"
#include "sp-profile-io.h"
#include "sp-session.h"

int
sp_cli_agent_path (int    argc,
                   char **argv)
{
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *boot = g_build_filename (lisp_dir, "agent", "boot.lisp", NULL);

  if (argc > 1)
    return sp_cli_fail (_("agent-path: unexpected argument “%s”"), argv[1]);
  printf ("%s\n", boot);
  return 0;
}

static char *
format_uptime (gint64 started)
{
  gint64 seconds = MAX (0, g_get_real_time () / G_USEC_PER_SEC - started);

  if (seconds < 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT " s", seconds);
  if (seconds < 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT " min", seconds / 60);
  if (seconds < 86400)
    return g_strdup_printf ("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min",
                            seconds / 3600, seconds / 60 % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT " d %" G_GINT64_FORMAT " h",
                          seconds / 86400, seconds / 3600 % 24);
}

int
sp_cli_list (int    argc,
             char **argv)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autofree char *dir = NULL;

  if (argc > 1)
    return sp_cli_fail (_("list: unexpected argument “%s”"), argv[1]);
  images = sp_attach_list_images ();
  if (images->len == 0)
    {
      g_autofree char *lisp_dir = sp_session_get_lisp_dir ();

      dir = sp_attach_get_runtime_dir ();
      printf (_("No SBCL image is listening in %s.\n"
                "In the image, evaluate:\n"
                "  (load \"%s/agent/boot.lisp\")\n"
                "  (sbcl-profiler-agent:listen)\n"), dir, lisp_dir);
      return 0;
    }
  printf ("%-8s  %-12s  %-16s  %-10s  %s\n", _("PID"), _("NAME"), _("SBCL"), _("UPTIME"),
          _("FOLDER"));
  for (guint i = 0; i < images->len; i++)
    {
      SpAttachable *image = g_ptr_array_index (images, i);
      g_autofree char *uptime = format_uptime (image->started);

      printf ("%-8d  %-12s  %-16s  %-10s  %s\n", (int) image->pid, image->name,
              image->sbcl_version, uptime, image->working_dir ? image->working_dir : "-");
    }
  return 0;
}

typedef struct
{
  GMainLoop *loop;
  SpSession *session;
  SpProfile *profile;
  GError    *error;
  gboolean   done;
  gboolean   stopping;
  guint      timer_id;
} Attacher;

static void
on_stopped (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attacher *attacher = user_data;

  attacher->profile = sp_session_stop_recording_finish (SP_SESSION (source), result,
                                                        &attacher->error);
  attacher->done = TRUE;
  g_main_loop_quit (attacher->loop);
}

static void
stop_recording (Attacher *attacher)
{
  if (attacher->stopping)
    return;
  attacher->stopping = TRUE;
  sp_session_stop_recording_async (attacher->session, NULL, on_stopped, attacher);
}

static gboolean
on_duration_over (gpointer data)
{
  Attacher *attacher = data;

  attacher->timer_id = 0;
  stop_recording (attacher);
  return G_SOURCE_REMOVE;
}

static gboolean
on_sigint (gpointer data)
{
  stop_recording (data);
  return G_SOURCE_CONTINUE;
}

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attacher *attacher = user_data;

  if (!sp_session_start_finish (SP_SESSION (source), result, &attacher->error))
    attacher->done = TRUE;
  g_main_loop_quit (attacher->loop);
}

static void
on_recording (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Attacher *attacher = user_data;

  if (!sp_session_start_recording_finish (SP_SESSION (source), result, &attacher->error))
    attacher->done = TRUE;
  g_main_loop_quit (attacher->loop);
}

/* Attaches, records for duration seconds (or until Ctrl-C when <= 0), detaches. */
static SpProfile *
record_attached (SpSession             *session,
                 const SpRecordOptions *options,
                 double                 duration,
                 GError               **error)
{
  Attacher attacher = { g_main_loop_new (NULL, FALSE), session, NULL, NULL, FALSE, FALSE, 0 };
  guint sigint_id;

  sp_session_start_async (session, NULL, on_started, &attacher);
  g_main_loop_run (attacher.loop);
  if (!attacher.done)
    {
      sp_session_start_recording_async (session, options, NULL, on_recording, &attacher);
      g_main_loop_run (attacher.loop);
    }
  /* Ctrl-C before the recording is on ends the command the usual way. */
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &attacher);
  if (!attacher.done)
    {
      if (duration > 0)
        attacher.timer_id = g_timeout_add ((guint) (duration * 1000), on_duration_over, &attacher);
      else
        fprintf (stderr, _("Recording; press Ctrl-C to stop.\n"));
      while (!attacher.done)
        g_main_loop_run (attacher.loop);
    }
  g_clear_handle_id (&attacher.timer_id, g_source_remove);
  g_source_remove (sigint_id);
  sp_session_quit (session);
  while (sp_session_get_state (session) != SP_SESSION_STATE_EXITED &&
         sp_session_get_state (session) != SP_SESSION_STATE_CRASHED)
    g_main_context_iteration (NULL, TRUE);
  g_main_loop_unref (attacher.loop);
  if (attacher.error != NULL)
    g_propagate_error (error, attacher.error);
  return attacher.profile;
}

static void
on_swank_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *wait = user_data;
  GError *error = NULL;
  char *path = sp_swank_load_agent_finish (result, &error);

  if (path != NULL)
    g_task_return_pointer (wait, path, g_free);
  else
    g_task_return_error (wait, error);
  g_object_unref (wait);
}

static char *
load_agent_through_swank (const char *address,
                          GError    **error)
{
  g_autoptr(GTask) wait = g_task_new (NULL, NULL, NULL, NULL);

  fprintf (stderr, _("Loading the agent through Swank at %s…\n"), address);
  sp_swank_load_agent_async (address, NULL, on_swank_done, g_object_ref (wait));
  while (!g_task_get_completed (wait))
    g_main_context_iteration (NULL, TRUE);
  return g_task_propagate_pointer (wait, error);
}

int
sp_cli_record_attach (int    argc,
                      char **argv)
{
  g_autofree char *target = NULL, *token = NULL, *mode_name = NULL, *output = NULL;
  g_autofree char *swank = NULL;
  g_auto(GStrv) names = NULL;
  double duration = 0, interval = 0.01;
  gint64 max_samples = 0, samples;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSession) session = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(GFile) file = NULL;
  SpRecordOptions options;
  SpMode mode = SP_MODE_CPU;
  const GOptionEntry entries[] = {
    { "attach", 0, 0, G_OPTION_ARG_STRING, &target, N_("The image: its PID, its socket, or 127.0.0.1:PORT"), N_("PID|SOCKET") },
    { "swank", 0, 0, G_OPTION_ARG_STRING, &swank, N_("Load the agent through the Swank server at HOST:PORT first"), N_("HOST:PORT") },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, N_("The token a TCP listener printed"), N_("TOKEN") },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration, N_("Seconds to record (default: until Ctrl-C)"), N_("SECONDS") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_name, N_("cpu (default), alloc, time or deterministic"), N_("MODE") },
    { "interval", 0, 0, G_OPTION_ARG_DOUBLE, &interval, N_("Seconds between samples (default 0.01)"), N_("SECONDS") },
    { "max-samples", 0, 0, G_OPTION_ARG_INT64, &max_samples, N_("Stop sampling after N samples (default 50000)"), N_("N") },
    { "profile", 0, 0, G_OPTION_ARG_STRING_ARRAY, &names, N_("Deterministic mode: a function or package to instrument (repeatable)"), N_("NAME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The .sbclprof file to write"), N_("OUT") },
    { NULL }
  };

  context = g_option_context_new (_("— record an SBCL image that is already running"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_cli_fail ("record: %s", error->message);
  if (argc > 1)
    return sp_cli_fail (_("record --attach records what the image does: it takes no form (“%s”)"),
                        argv[1]);
  if ((target == NULL) == (swank == NULL) || output == NULL)
    return sp_cli_fail (_("record: --attach PID|SOCKET (or --swank HOST:PORT) and -o OUT.sbclprof are required"));
  if (mode_name != NULL && (!sp_mode_from_string (mode_name, &mode) || mode == SP_MODE_IMPORTED))
    return sp_cli_fail (_("record: unknown mode “%s”"), mode_name);
  if (mode == SP_MODE_DETERMINISTIC && names == NULL)
    return sp_cli_fail (_("record: deterministic mode needs --profile NAME (a function or a package)"));
  if (interval <= 0 || max_samples < 0 || duration < 0)
    return sp_cli_fail (_("record: --interval must be positive, --max-samples and --duration not negative"));
  {
    g_autofree char *dir = g_path_get_dirname (output);

    if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
      return sp_cli_fail (_("record: cannot write “%s”: its folder does not exist"), output);
  }

  if (swank != NULL && (target = load_agent_through_swank (swank, &error)) == NULL)
    return sp_cli_fail ("record: %s", error->message);
  session = sp_session_new_attached (target, token);
  sp_record_options_init (&options);
  options.mode = mode;
  options.interval = interval;
  options.max_samples = max_samples;
  options.names = g_steal_pointer (&names);
  profile = record_attached (session, &options, duration, &error);
  sp_record_options_clear (&options);
  if (profile == NULL)
    return sp_cli_fail ("record: %s", error->message);

  file = g_file_new_for_commandline_arg (output);
  if (!sp_profile_save (profile, file, SP_FILE_FORMAT_SBCLPROF, NULL, &error))
    return sp_cli_fail ("record: %s", error->message);
  samples = MAX (sp_profile_get_meta (profile)->sample_count, 0);
  fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "Recorded %lld sample in %.2f s from process %d → %s\n",
                                "Recorded %lld samples in %.2f s from process %d → %s\n",
                                (gulong) samples),
           (long long) samples,
           sp_profile_get_meta (profile)->duration, (int) sp_session_get_pid (session), output);
  return 0;
}
