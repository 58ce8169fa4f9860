/* sp-cli-record.c: `sbcl-profiler record`, a recording without a window */
#define G_LOG_DOMAIN "sp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "sp-cli-private.h"
#include "sp-memory.h"
#include "sp-profile-io.h"
#include "sp-session.h"

/* as a shell reports a command that a signal ended: 130 for SIGINT, 143 for SIGTERM */
#define INTERRUPTED_STATUS(signo) (128 + (signo))

typedef struct
{
  GMainLoop *loop;
  SpProfile *profile;
  GError    *error;
  gboolean   started;
  gboolean   progress_shown;
  gboolean   workload_failed;
  int        stop_signal;     /* the first SIGINT or SIGTERM received, 0 before */
  gboolean   killed;          /* a second one: SBCL was killed */
  SpSession *session;
} Recorder;

static void
on_console_output (SpSession       *session,
                   SpConsoleStream  stream,
                   const char      *text,
                   Recorder        *recorder)
{
  /* The program's own output goes where it would have gone; stdout may be a pipe to a file. */
  if (recorder->progress_shown)
    {
      fputs ("\r\033[K", stderr);
      recorder->progress_shown = FALSE;
    }
  fputs (text, stream == SP_CONSOLE_STDOUT ? stdout : stderr);
  fflush (stream == SP_CONSOLE_STDOUT ? stdout : stderr);
}

static void
on_progress (SpSession *session,
             double     elapsed,
             gint64     samples,
             Recorder  *recorder)
{
  fputs ("\r\033[K", stderr);
  if (samples >= 0)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "Recording… %.1f s, %lld sample",
                                  "Recording… %.1f s, %lld samples", (gulong) samples),
             elapsed, (long long) samples);
  else
    fprintf (stderr, _("Recording… %.1f s"), elapsed);
  recorder->progress_shown = TRUE;
}

static void
print_lisp_error (const char        *what,
                  const char        *message,
                  const SpLispError *lisp_error)
{
  fprintf (stderr, "sbcl-profiler: %s: %s\n", what, message);
  if (lisp_error == NULL)
    return;
  if (lisp_error->condition_type != NULL && *lisp_error->condition_type != '\0')
    fprintf (stderr, _("  condition type: %s\n"), lisp_error->condition_type);
  for (guint i = 0; lisp_error->backtrace != NULL && lisp_error->backtrace[i] != NULL; i++)
    fprintf (stderr, "  %u: %s\n", i, lisp_error->backtrace[i]);
}

static void
on_event (SpSession   *session,
          const char  *kind,
          const char  *message,
          SpLispError *lisp_error,
          Recorder    *recorder)
{
  if (g_str_equal (kind, "workload-error"))
    {
      recorder->workload_failed = TRUE;
      print_lisp_error (_("the workload signalled an error"), message, lisp_error);
    }
  else if (g_str_equal (kind, "warning"))
    fprintf (stderr, _("sbcl-profiler: warning: %s\n"), message);
  else
    print_lisp_error (kind, message, lisp_error);
}

static void
on_recorded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Recorder *recorder = user_data;

  recorder->profile = sp_session_record_finish (SP_SESSION (source), result, &recorder->error);
  g_main_loop_quit (recorder->loop);
}

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Recorder *recorder = user_data;

  recorder->started = sp_session_start_finish (SP_SESSION (source), result, &recorder->error);
  g_main_loop_quit (recorder->loop);
}

/* The first Ctrl-C (or SIGTERM) interrupts the workload, and the profile of what ran is still
 * written; a workload that cannot be interrupted (inside without-interrupts) is stopped by a
 * second one, which kills SBCL. */
static void
on_stop_signal (Recorder *recorder,
                int       signo)
{
  if (recorder->stop_signal == 0)
    {
      recorder->stop_signal = signo;
      if (recorder->progress_shown)
        fputs ("\r\033[K", stderr);
      recorder->progress_shown = FALSE;
      fprintf (stderr, _("sbcl-profiler: stopping the workload; the profile of what ran will be "
                         "written (%s again kills SBCL)\n"),
               signo == SIGINT ? "Ctrl-C" : "SIGTERM");
      sp_session_interrupt (recorder->session);
      return;
    }
  if (!recorder->killed)
    {
      recorder->killed = TRUE;
      fprintf (stderr, _("sbcl-profiler: killing SBCL\n"));
      sp_session_force_exit (recorder->session);
    }
}

static gboolean
on_sigint (gpointer data)
{
  on_stop_signal (data, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm (gpointer data)
{
  on_stop_signal (data, SIGTERM);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_mode (const char *name,
            SpMode     *mode)
{
  if (name == NULL)
    {
      *mode = SP_MODE_CPU;
      return TRUE;
    }
  return sp_mode_from_string (name, mode) && *mode != SP_MODE_IMPORTED;
}

static SpProfile *
record (SpSession             *session,
        const SpRecordOptions *options,
        gboolean              *workload_failed,
        int                   *stop_signal,
        GError               **error)
{
  Recorder recorder = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE, FALSE, FALSE, 0, FALSE,
                        session };
  guint sigint_id = g_unix_signal_add (SIGINT, on_sigint, &recorder);
  guint sigterm_id = g_unix_signal_add (SIGTERM, on_sigterm, &recorder);

  g_signal_connect (session, "console-output", G_CALLBACK (on_console_output), &recorder);
  g_signal_connect (session, "event", G_CALLBACK (on_event), &recorder);
  if (isatty (STDERR_FILENO))
    g_signal_connect (session, "recording-progress", G_CALLBACK (on_progress), &recorder);

  sp_session_start_async (session, NULL, on_started, &recorder);
  g_main_loop_run (recorder.loop);
  if (recorder.started && recorder.stop_signal != 0)
    g_set_error (&recorder.error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                 _("interrupted before the recording started"));
  else if (recorder.started)
    {
      sp_session_record_async (session, options, NULL, on_recorded, &recorder);
      g_main_loop_run (recorder.loop);
    }
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (recorder.progress_shown)
    fputs ("\r\033[K", stderr);
  g_signal_handlers_disconnect_by_data (session, &recorder);
  *workload_failed = recorder.workload_failed;
  *stop_signal = recorder.stop_signal;
  g_main_loop_unref (recorder.loop);
  if (recorder.error != NULL)
    g_propagate_error (error, recorder.error);
  return recorder.profile;
}

static void
quit_session (SpSession *session)
{
  GMainContext *context = g_main_context_default ();

  sp_session_quit (session);
  while (sp_session_get_state (session) != SP_SESSION_STATE_EXITED &&
         sp_session_get_state (session) != SP_SESSION_STATE_CRASHED)
    g_main_context_iteration (context, TRUE);
}

static void
print_summary (SpProfile  *profile,
               const char *output)
{
  const SpProfileMeta *meta = sp_profile_get_meta (profile);

  if (meta->mode == SP_MODE_DETERMINISTIC)
    fprintf (stderr, _("Recorded %u functions in %.2f s → %s\n"),
             sp_profile_get_n_function_stats (profile), meta->duration, output);
  else if (meta->mode == SP_MODE_ALLOC_EXACT)
    {
      double objects, bytes;
      g_autofree char *text = NULL;

      sp_memory_grand_total (profile, &objects, &bytes);
      text = sp_format_bytes_double (bytes);
      fprintf (stderr, _("Recorded %s in %.0f objects, exactly, in %.2f s → %s\n"),
               text, objects, meta->duration, output);
      if (meta->instrumented != NULL)
        fprintf (stderr, "%s\n", meta->instrumented);
    }
  else
    {
      /* the samples in the profile, as `report` counts them; SBCL also samples the profiler's
       * own threads and an idle worker, which are left out */
      double kept = sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES);
      g_autofree char *taken = (double) meta->sample_count > kept
        ? g_strdup_printf (_(" (of %lld taken)"), (long long) meta->sample_count)
        : g_strdup ("");

      if (meta->gc_seconds < 0)   /* a partial recording: SBCL could not say */
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "Recorded %.0f sample%s in %.2f s → %s\n",
                                      "Recorded %.0f samples%s in %.2f s → %s\n", (gulong) kept),
                 kept, taken, meta->duration, output);
      else
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "Recorded %.0f sample%s in %.2f s (GC %.2f s)%s → %s\n",
                                      "Recorded %.0f samples%s in %.2f s (GC %.2f s)%s → %s\n", (gulong) kept),
                 kept, taken, meta->duration, meta->gc_seconds,
                 meta->truncated ? _(", truncated at the sample limit") : "", output);
    }
}

/* Checked before recording, so that a typo in -o does not throw a long recording away. */
static gboolean
output_dir_exists (const char *output)
{
  g_autofree char *dir = g_path_get_dirname (output);

  return g_file_test (dir, G_FILE_TEST_IS_DIR);
}

/* --load and --system, in the order given: a file may need a system loaded before it. */
typedef struct
{
  GPtrArray *files;
  GPtrArray *systems;
  GPtrArray *order;
} Loads;

static Loads *
loads_new (void)
{
  Loads *loads = g_new0 (Loads, 1);

  loads->files = g_ptr_array_new_with_free_func (g_free);
  loads->systems = g_ptr_array_new_with_free_func (g_free);
  loads->order = g_ptr_array_new ();
  return loads;
}

static void
loads_free (Loads *loads)
{
  g_ptr_array_unref (loads->files);
  g_ptr_array_unref (loads->systems);
  g_ptr_array_unref (loads->order);
  g_free (loads);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loads, loads_free)

static gboolean
add_load (const char *option,
          const char *value,
          gpointer    data,
          GError    **error)
{
  Loads *loads = data;
  gboolean system = g_str_equal (option, "--system");

  g_ptr_array_add (system ? loads->systems : loads->files, g_strdup (value));
  g_ptr_array_add (loads->order, system ? "system" : "file");
  return TRUE;
}

static void
loads_apply (Loads     *loads,
             SpSession *session)
{
  g_ptr_array_add (loads->files, NULL);
  g_ptr_array_add (loads->systems, NULL);
  g_ptr_array_add (loads->order, NULL);
  sp_session_set_load_files (session, (const char * const *) loads->files->pdata);
  sp_session_set_systems (session, (const char * const *) loads->systems->pdata);
  sp_session_set_load_order (session, (const char * const *) loads->order->pdata);
}

int
sp_cli_record (int    argc,
               char **argv)
{
  g_autofree char *mode_name = NULL, *package = NULL, *sbcl = NULL, *form = NULL, *output = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(Loads) loads = loads_new ();
  double interval = 0.01;
  gint64 max_samples = 0;
  int warmup = 0, runs = 1;
  g_autoptr(GOptionContext) context = NULL;
  GOptionGroup *group;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSession) session = NULL;
  g_autoptr(SpProfile) profile = NULL;
  g_autoptr(GFile) file = NULL;
  SpRecordOptions options;
  SpMode mode;
  gboolean workload_failed = FALSE, heap_snapshot = FALSE;
  int stop_signal = 0;
  const GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_name, N_("cpu (default), alloc, time, deterministic or alloc-exact"), N_("MODE") },
    { "heap-snapshot", 0, 0, G_OPTION_ARG_NONE, &heap_snapshot, N_("Count live objects by type after a full GC before and after (what the workload left alive)"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_DOUBLE, &interval, N_("Seconds between samples (default 0.01)"), N_("SECONDS") },
    { "max-samples", 0, 0, G_OPTION_ARG_INT64, &max_samples, N_("Stop sampling after N samples (default 50000)"), N_("N") },
    { "load", 0, 0, G_OPTION_ARG_CALLBACK, add_load, N_("Load a Lisp file first (repeatable; in order with --system)"), N_("FILE") },
    { "system", 0, 0, G_OPTION_ARG_CALLBACK, add_load, N_("Load an ASDF system first (repeatable; in order with --load)"), N_("NAME") },
    { "package", 0, 0, G_OPTION_ARG_STRING, &package, N_("Read the form in this package (default CL-USER)"), N_("NAME") },
    { "profile", 0, 0, G_OPTION_ARG_STRING_ARRAY, &names, N_("Deterministic mode: a function or package to instrument (repeatable)"), N_("NAME") },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, N_("Run the form N times before recording"), N_("N") },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, N_("Record N runs of the form (default 1)"), N_("N") },
    { "sbcl", 0, 0, G_OPTION_ARG_FILENAME, &sbcl, N_("The sbcl program (default: sbcl from PATH)"), N_("PATH") },
    { "eval", 0, 0, G_OPTION_ARG_STRING, &form, N_("The form to run while recording"), N_("FORM") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The .sbclprof file to write"), N_("OUT") },
    { NULL }
  };

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--attach") || g_str_has_prefix (argv[i], "--attach=") ||
        g_str_equal (argv[i], "--swank") || g_str_has_prefix (argv[i], "--swank="))
      return sp_cli_record_attach (argc, argv);

  context = g_option_context_new (_("— run a form in SBCL and record a profile"));
  group = g_option_group_new (NULL, NULL, NULL, loads, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sp_cli_fail ("record: %s", error->message);
  if (argc > 1)
    return sp_cli_fail (_("record: unexpected argument “%s”"), argv[1]);
  if (form == NULL || output == NULL)
    return sp_cli_fail (_("record: --eval FORM and -o OUT.sbclprof are required (see “sbcl-profiler record --help”)"));
  if (!parse_mode (mode_name, &mode))
    return sp_cli_fail (_("record: unknown mode “%s” (cpu, alloc, time, deterministic or alloc-exact)"), mode_name);
  if (mode == SP_MODE_DETERMINISTIC && names == NULL)
    return sp_cli_fail (_("record: deterministic mode needs --profile NAME (a function or a package)"));
  if (mode != SP_MODE_DETERMINISTIC && names != NULL)
    return sp_cli_fail (_("record: --profile applies to --mode deterministic only"));
  if (interval <= 0 || max_samples < 0 || warmup < 0 || runs < 1)
    return sp_cli_fail (_("record: --interval must be positive, --max-samples and --warmup not negative, --runs at least 1"));

  if (!output_dir_exists (output))
    return sp_cli_fail (_("record: cannot write “%s”: its folder does not exist"), output);

  session = sp_session_new (sbcl);
  /* the program's output goes to a terminal or a file, not to a window: all of it */
  sp_session_set_console_limit (session, 0);
  loads_apply (loads, session);
  /* alloc-exact counts only code compiled with allocation instrumentation. */
  sp_session_set_instrument_allocations (session, mode == SP_MODE_ALLOC_EXACT);

  sp_record_options_init (&options);
  options.mode = mode;
  options.interval = interval;
  options.max_samples = max_samples;
  options.names = g_steal_pointer (&names);
  options.heap_snapshot = heap_snapshot;
  options.workload = g_steal_pointer (&form);
  options.package = g_steal_pointer (&package);
  options.warmup_runs = (guint) warmup;
  options.runs = (guint) runs;

  profile = record (session, &options, &workload_failed, &stop_signal, &error);
  sp_record_options_clear (&options);
  quit_session (session);
  if (profile == NULL && stop_signal != 0)
    {
      sp_cli_fail (_("record: stopped by %s: %s; no profile was written"),
                   stop_signal == SIGINT ? "Ctrl-C" : "SIGTERM", error->message);
      return INTERRUPTED_STATUS (stop_signal);
    }
  if (profile == NULL)
    return sp_cli_fail ("record: %s", error->message);

  file = g_file_new_for_commandline_arg (output);
  if (!sp_profile_save (profile, file, SP_FILE_FORMAT_SBCLPROF, NULL, &error))
    return sp_cli_fail ("record: %s", error->message);
  print_summary (profile, output);
  /* a stopped recording is not a complete one: the shell's status for the signal, which the
   * user's stop explains better than "partial" (a second Ctrl-C kills SBCL) */
  if (stop_signal != 0)
    {
      sp_cli_fail (_("record: stopped by %s; the profile of what ran until then was written"),
                   stop_signal == SIGINT ? "Ctrl-C" : "SIGTERM");
      return INTERRUPTED_STATUS (stop_signal);
    }
  if (g_strcmp0 (sp_profile_get_meta (profile)->end_reason, "sbcl-exited") == 0)
    {
      fprintf (stderr, _("sbcl-profiler: record: %s during the recording; the profile of what "
                         "was recorded until then was written, marked partial\n"),
               sp_profile_get_meta (profile)->end_message);
      return SP_CLI_EXIT_PARTIAL;
    }
  /* A CI job should notice a workload that broke, even though its profile was kept. */
  if (workload_failed)
    return sp_cli_fail (_("record: the workload signalled an error; the profile of what ran was written"));
  return 0;
}
