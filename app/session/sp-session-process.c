/* sp-session-process.c: starting the sbcl child, and noticing its end */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sp-session-private.h"

static char *
describe_exit (GSubprocess *subprocess)
{
  if (g_subprocess_get_if_signaled (subprocess))
    return g_strdup_printf (_("killed by signal %d (%s)"), g_subprocess_get_term_sig (subprocess),
                            g_strsignal (g_subprocess_get_term_sig (subprocess)));
  return g_strdup_printf (_("exited with status %d"), g_subprocess_get_exit_status (subprocess));
}

static char *
last_stderr_line (SpSession *self)
{
  g_auto(GStrv) lines = g_strsplit (self->stderr_tail->str, "\n", -1);

  for (int i = (int) g_strv_length (lines) - 1; i >= 0; i--)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        return g_strdup (lines[i]);
    }
  return NULL;
}

/* The exit codes of boot.lisp when the agent cannot start. */
#define EXIT_NO_SPROF     3
#define EXIT_AGENT_FAILED 5

static SpSessionError
exit_error_code (SpSession *self)
{
  GSubprocess *subprocess = self->subprocess;
  int status;

  if (self->start_task == NULL || !g_subprocess_get_if_exited (subprocess))
    return SP_SESSION_ERROR_EXITED;
  status = g_subprocess_get_exit_status (subprocess);
  return status == EXIT_NO_SPROF ? SP_SESSION_ERROR_UNSUPPORTED
       : status == EXIT_AGENT_FAILED ? SP_SESSION_ERROR_AGENT
       : SP_SESSION_ERROR_EXITED;
}

/* Once the child is gone and its last output is read: the state, and every request still
 * waiting fails. */
void
sp_session_finish_exit (SpSession *self)
{
  GSubprocess *subprocess = self->subprocess;
  g_autoptr(SpSession) hold G_GNUC_UNUSED = g_object_ref (self);   /* handlers may drop the session */
  g_autoptr(GError) error = NULL;
  g_autofree char *how = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *last_line = NULL;
  gboolean normal;

  if (!self->child_exited || self->exit_handled)
    return;
  self->exit_handled = TRUE;
  g_clear_handle_id (&self->exit_grace_id, g_source_remove);
  how = describe_exit (subprocess);
  normal = self->quitting || (g_subprocess_get_if_exited (subprocess) &&
                              g_subprocess_get_exit_status (subprocess) == 0);
  last_line = normal ? NULL : last_stderr_line (self);
  reason = last_line ? g_strdup_printf (_("SBCL %s: %s"), how, last_line)
                     : g_strdup_printf (_("SBCL %s"), how);

  if (self->state != SP_SESSION_STATE_CRASHED)
    sp_session_set_state (self, normal ? SP_SESSION_STATE_EXITED : SP_SESSION_STATE_CRASHED,
                          reason);
  error = g_error_new_literal (SP_SESSION_ERROR, exit_error_code (self), reason);
  sp_session_recording_abort (self, error);
  sp_session_fail_all_pending (self, error);
  sp_session_finish_start (self, g_error_copy (error));
}

static gboolean
on_exit_grace_over (gpointer data)
{
  SpSession *self = data;

  self->exit_grace_id = 0;
  sp_session_finish_exit (self);
  return G_SOURCE_REMOVE;
}

static void
on_child_exited (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  SpSession *self;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SP_SESSION (user_data);
  g_clear_handle_id (&self->kill_timeout_id, g_source_remove);
  g_clear_handle_id (&self->hello_timeout_id, g_source_remove);
  self->child_exited = TRUE;
  /* stderr may still hold the reason it died, and stdout the last of its output: wait for
   * their ends, briefly. */
  if (self->stderr_open || self->stdout_open)
    self->exit_grace_id = g_timeout_add (500, on_exit_grace_over, self);
  else
    sp_session_finish_exit (self);
}

static gboolean
is_runtime_option (const char *arg,
                   gboolean   *takes_value)
{
  static const char *with_value[] = { "--core", "--dynamic-space-size", "--control-stack-size",
                                      "--tls-limit", NULL };
  static const char *flags[] = { "--merge-core-pages", "--no-merge-core-pages", NULL };

  *takes_value = g_strv_contains (with_value, arg);
  return *takes_value || g_strv_contains (flags, arg);
}

static GStrv
build_argv (SpSession  *self,
            const char *sbcl,
            const char *boot)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_autoptr(GPtrArray) toplevel = g_ptr_array_new ();
  guint n_extra = self->extra_args ? g_strv_length (self->extra_args) : 0;

  g_strv_builder_add (argv, sbcl);
  for (guint i = 0; i < n_extra; i++)
    {
      gboolean takes_value;

      if (is_runtime_option (self->extra_args[i], &takes_value))
        {
          g_strv_builder_add (argv, self->extra_args[i]);
          if (takes_value && i + 1 < n_extra)
            g_strv_builder_add (argv, self->extra_args[++i]);
        }
      else
        g_ptr_array_add (toplevel, self->extra_args[i]);
    }
  g_strv_builder_add_many (argv, "--noinform", "--disable-ldb", "--end-runtime-options", NULL);
  if (!self->use_init_files)
    g_strv_builder_add_many (argv, "--no-sysinit", "--no-userinit", NULL);
  g_strv_builder_add (argv, "--disable-debugger");
  for (guint i = 0; i < toplevel->len; i++)
    g_strv_builder_add (argv, g_ptr_array_index (toplevel, i));
  g_strv_builder_add_many (argv, "--load", boot, NULL);
  return g_strv_builder_end (argv);
}

static char *
resolve_sbcl (SpSession *self,
              GError   **error)
{
  const char *configured = self->sbcl_path;
  char *path;

  if (configured == NULL || *configured == '\0')
    {
      if ((path = sp_session_find_sbcl ()) == NULL)
        g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_SBCL_NOT_FOUND,
                     _("SBCL was not found in PATH; install it (for example "
                       "“apt install sbcl”) or choose the sbcl program to use"));
      return path;
    }
  path = strchr (configured, '/') ? g_strdup (configured) : g_find_program_in_path (configured);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) ||
      g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_SBCL_NOT_FOUND,
                   _("SBCL was not found: “%s” is not an executable program"), configured);
      g_clear_pointer (&path, g_free);
    }
  return path;
}

/* Runs in the child before exec: its own process group, so that Ctrl-C in a terminal reaches
 * the app (which interrupts the workload) and not SBCL's main thread, which is the agent's. */
static void
child_setup (gpointer data)
{
  setpgid (0, 0);
}

static GSubprocessLauncher *
make_launcher (SpSession *self,
               int        child_fd)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  /* The console takes no input: a program reading stdin gets end-of-file, not a hang. */
  g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  for (guint i = 0; self->environment != NULL && self->environment[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (self->environment[i], "=", 2);

      if (pair[0] != NULL && *pair[0] != '\0' && pair[1] != NULL)
        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  g_subprocess_launcher_setenv (launcher, "SBCL_PROFILER_FD", "3", TRUE);
  if (self->instrument_allocations)
    g_subprocess_launcher_setenv (launcher, "SBCL_PROFILER_INSTRUMENT_CONSING", "1", TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "SBCL_PROFILER_INSTRUMENT_CONSING");
  g_subprocess_launcher_unsetenv (launcher, "SBCL_PROFILER_NO_MAIN");
  if (self->working_dir != NULL && *self->working_dir != '\0')
    g_subprocess_launcher_set_cwd (launcher, self->working_dir);
  g_subprocess_launcher_take_fd (launcher, child_fd, 3);
  return launcher;
}

void
sp_session_set_channel (SpSession         *self,
                        GSocketConnection *connection)
{
  GInputStream *input;

  self->connection = connection;
  input = g_io_stream_get_input_stream (G_IO_STREAM (self->connection));
  self->channel_in = g_data_input_stream_new (input);
  g_data_input_stream_set_newline_type (self->channel_in, G_DATA_STREAM_NEWLINE_TYPE_LF);
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (self->channel_in), 1 << 20);
}

static gboolean
connect_channel (SpSession *self,
                 int        fd,
                 GError   **error)
{
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, error);

  if (socket == NULL)
    {
      close (fd);
      return FALSE;
    }
  sp_session_set_channel (self, g_socket_connection_factory_create_connection (socket));
  return TRUE;
}

gboolean
sp_session_spawn (SpSession *self,
                  GError   **error)
{
  g_autofree char *sbcl = NULL;
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *boot = g_build_filename (lisp_dir, "agent", "boot.lisp", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = NULL;
  const char *identifier;
  int fds[2];

  if ((sbcl = resolve_sbcl (self, error)) == NULL)
    return FALSE;
  if (!g_file_test (boot, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_AGENT,
                   _("The profiler’s Lisp agent is missing: “%s” does not exist"), boot);
      return FALSE;
    }
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Could not create a channel to SBCL: %s"), g_strerror (errno));
      return FALSE;
    }
  launcher = make_launcher (self, fds[1]);
  argv = build_argv (self, sbcl, boot);
  self->subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, error);
  if (self->subprocess == NULL)
    {
      close (fds[0]);
      return FALSE;
    }
  /* Taken at once: the identifier is NULL once GLib has reaped the child, which a program that
   * exits at once (sbcl replaced by /bin/true) can make happen any time.  -1 then: spawned, gone. */
  identifier = g_subprocess_get_identifier (self->subprocess);
  self->pid = identifier != NULL ? (GPid) g_ascii_strtoll (identifier, NULL, 10) : -1;
  if (!connect_channel (self, fds[0], error))
    return FALSE;
  return TRUE;
}

void
sp_session_watch_child (SpSession *self)
{
  /* No reference: disposing the session cancels the wait and kills the child. */
  g_subprocess_wait_async (self->subprocess, self->io_cancellable, on_child_exited, self);
}
