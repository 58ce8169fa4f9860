/* sp-session.c: the session object, and the agent protocol
 *
 * The agent talks on a socketpair whose child end is the child's fd 3: one JSON object per line,
 * requests {"id", "op", …} answered by {"id", "ok", "result"|"error"}, and events {"event", …}.
 * Starting the process is in sp-session-process.c, its console in sp-session-console.c,
 * evaluation in sp-session-eval.c and recordings in sp-session-recording.c.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-session-private.h"

#define SP_PROTOCOL_VERSION   3
#define HELLO_TIMEOUT         60.0

typedef struct
{
  SpSession   *self;
  gint64       id;
  char        *op;
  SpReplyFunc  func;
  gpointer     user_data;
  guint        timeout_id;
} SpPending;

G_DEFINE_FINAL_TYPE (SpSession, sp_session, G_TYPE_OBJECT)
G_DEFINE_QUARK (sp-session-error-quark, sp_session_error)
G_DEFINE_ENUM_TYPE (SpSessionState, sp_session_state,
  G_DEFINE_ENUM_VALUE (SP_SESSION_STATE_STARTING, "starting"),
  G_DEFINE_ENUM_VALUE (SP_SESSION_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (SP_SESSION_STATE_BUSY, "busy"),
  G_DEFINE_ENUM_VALUE (SP_SESSION_STATE_RECORDING, "recording"),
  G_DEFINE_ENUM_VALUE (SP_SESSION_STATE_EXITED, "exited"),
  G_DEFINE_ENUM_VALUE (SP_SESSION_STATE_CRASHED, "crashed"))

enum {
  PROP_0,
  PROP_SBCL_PATH,
  PROP_WORKING_DIR,
  PROP_LOAD_FILES,
  PROP_SYSTEMS,
  PROP_EXTRA_ARGS,
  PROP_ENVIRONMENT,
  PROP_USE_INIT_FILES,
  PROP_INSTRUMENT_ALLOCATIONS,
  PROP_CODE_INSTRUMENTED,
  PROP_STATE,
  PROP_STATE_REASON,
  PROP_SBCL_VERSION,
  N_PROPS
};

enum {
  CONSOLE_OUTPUT,
  RECORDING_PROGRESS,
  EVENT,
  WORKLOAD_FINISHED,
  LIVE_PROFILE,
  CUT_SHORT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void read_next_line (SpSession *self);

/* ---- Helpers ---- */

char *
sp_session_find_sbcl (void)
{
  return g_find_program_in_path ("sbcl");
}

char *
sp_session_get_lisp_dir (void)
{
  const char *env = g_getenv ("SP_LISP_DIR");
  g_autofree char *installed = g_build_filename (SP_LISP_DIR, "agent", "boot.lisp", NULL);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_strdup (SP_LISP_DIR);
  return g_strdup (SP_SOURCE_LISP_DIR);
}

gboolean
sp_session_is_alive (SpSession *self)
{
  return (self->subprocess != NULL || (self->attach_target != NULL && self->connection != NULL)) &&
         self->state != SP_SESSION_STATE_EXITED && self->state != SP_SESSION_STATE_CRASHED;
}

void
sp_session_set_state (SpSession      *self,
                      SpSessionState  state,
                      const char     *reason)
{
  gboolean reason_changed = g_strcmp0 (reason, self->state_reason) != 0;

  if (reason_changed)
    {
      g_free (self->state_reason);
      self->state_reason = g_strdup (reason);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (reason_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_REASON]);
}

void
sp_session_emit_event (SpSession   *self,
                       const char  *kind,
                       const char  *message,
                       SpLispError *lisp_error)
{
  g_signal_emit (self, signals[EVENT], 0, kind, message, lisp_error);
}

/* ---- Requests ---- */

static void
pending_free (SpPending *pending)
{
  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  g_free (pending->op);
  g_free (pending);
}

static void
pending_complete (SpPending    *pending,
                  JsonObject   *result,
                  JsonObject   *error_object,
                  const GError *error)
{
  SpSession *self = pending->self;

  /* Taken out first: the callback may send new requests. */
  g_hash_table_steal (self->pending, &pending->id);
  g_object_ref (self);
  pending->func (self, result, error_object, error, pending->user_data);
  g_object_unref (self);
  pending_free (pending);
}

static gboolean
on_request_timeout (gpointer data)
{
  SpPending *pending = data;
  g_autoptr(GError) error = NULL;

  pending->timeout_id = 0;
  error = g_error_new (SP_SESSION_ERROR, SP_SESSION_ERROR_TIMEOUT,
                       _("SBCL did not answer the “%s” request in time"), pending->op);
  pending_complete (pending, NULL, NULL, error);
  return G_SOURCE_REMOVE;
}

void
sp_session_fail_all_pending (SpSession    *self,
                             const GError *error)
{
  GList *all = g_hash_table_get_values (self->pending);

  for (GList *l = all; l != NULL; l = l->next)
    pending_complete (l->data, NULL, NULL, error);
  g_list_free (all);
}

static gboolean
write_line (SpSession  *self,
            JsonObject *message,
            GError    **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), message);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  GOutputStream *out;
  gsize length;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  text = g_realloc (text, length + 2);
  text[length++] = '\n';
  text[length] = '\0';
  out = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  /* A socket stream: writing to a dead peer fails with EPIPE instead of raising SIGPIPE. */
  return g_output_stream_write_all (out, text, length, NULL, NULL, error);
}

void
sp_session_request (SpSession   *self,
                    const char  *op,
                    JsonObject  *args,
                    double       timeout,
                    SpReplyFunc  func,
                    gpointer     user_data)
{
  g_autoptr(JsonObject) message = args != NULL ? args : json_object_new ();
  g_autoptr(GError) error = NULL;
  SpPending *pending = g_new0 (SpPending, 1);

  pending->self = self;
  pending->id = ++self->next_id;
  pending->op = g_strdup (op);
  pending->func = func;
  pending->user_data = user_data;
  g_hash_table_insert (self->pending, &pending->id, pending);

  if (self->connection == NULL || !sp_session_is_alive (self))
    {
      error = g_error_new (SP_SESSION_ERROR, SP_SESSION_ERROR_EXITED,
                           _("SBCL is not running (%s)"),
                           self->state_reason ? self->state_reason : _("not started"));
      pending_complete (pending, NULL, NULL, error);
      return;
    }

  json_object_set_int_member (message, "id", pending->id);
  json_object_set_string_member (message, "op", op);
  if (!write_line (self, message, &error))
    {
      g_autoptr(GError) exited = g_error_new (SP_SESSION_ERROR, SP_SESSION_ERROR_EXITED,
                                              _("Could not talk to SBCL: %s"), error->message);
      pending_complete (pending, NULL, NULL, exited);
      return;
    }
  if (timeout > 0)
    pending->timeout_id = g_timeout_add ((guint) (timeout * 1000), on_request_timeout, pending);
}

void
sp_session_finish_start (SpSession *self,
                         GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  if (task == NULL)
    g_clear_error (&error);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* ---- Incoming messages ---- */

void
sp_session_protocol_failure (SpSession  *self,
                             const char *what)
{
  g_autoptr(GError) error = g_error_new (SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL,
                                         _("The SBCL agent sent an invalid message: %s"), what);

  /* The channel cannot be trusted any more. */
  sp_session_set_state (self, SP_SESSION_STATE_CRASHED, error->message);
  sp_session_recording_abort (self, error);
  sp_session_fail_all_pending (self, error);
  sp_session_finish_start (self, g_error_copy (error));
  if (self->subprocess != NULL)
    g_subprocess_force_exit (self->subprocess);
  else if (self->attach_target != NULL)
    sp_session_connection_closed (self);
}

static void
handle_reply (SpSession  *self,
              JsonObject *message)
{
  gint64 id = sp_session_json_integer (message, "id", -1);
  SpPending *pending = g_hash_table_lookup (self->pending, &id);
  JsonNode *result = json_object_get_member (message, "result");
  JsonNode *error_node = json_object_get_member (message, "error");

  if (pending == NULL)
    return;   /* a request that timed out long ago */
  if (sp_session_json_bool (message, "ok") &&
      result != NULL && JSON_NODE_HOLDS_OBJECT (result))
    pending_complete (pending, json_node_get_object (result), NULL, NULL);
  else if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
    {
      JsonObject *error_object = json_node_get_object (error_node);
      g_autoptr(GError) error = sp_session_error_from_reply (error_object, NULL);

      pending_complete (pending, NULL, error_object, error);
    }
  else
    sp_session_protocol_failure (self, _("a reply without a result or an error"));
}

static void start_loading (SpSession *self);

static void
handle_hello (SpSession  *self,
              JsonObject *message)
{
  JsonArray *features = sp_session_json_array (message, "features");
  gboolean threads = FALSE, sprof = FALSE;

  g_clear_handle_id (&self->hello_timeout_id, g_source_remove);
  for (guint i = 0; features != NULL && i < json_array_get_length (features); i++)
    {
      const char *feature = sp_session_json_array_string (features, i);

      threads |= g_strcmp0 (feature, "threads") == 0;
      sprof |= g_strcmp0 (feature, "sb-sprof") == 0;
    }
  g_free (self->sbcl_version);
  self->sbcl_version =
    g_strdup (sp_session_json_string (message, "sbcl_version", NULL));
  if (self->attach_target != NULL)
    self->pid = sp_session_json_integer (message, "pid", 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SBCL_VERSION]);
  self->code_instrumented =
    sp_session_json_bool (message, "instrument_consing");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE_INSTRUMENTED]);

  if (sp_session_json_number (message, "protocol", 0) != SP_PROTOCOL_VERSION ||
      !threads || !sprof)
    {
      g_autofree char *reason =
        g_strdup_printf (_("SBCL %s cannot be profiled: it needs thread support and sb-sprof"),
                         self->sbcl_version ? self->sbcl_version : "?");

      sp_session_set_state (self, SP_SESSION_STATE_CRASHED, reason);
      sp_session_finish_start (self, g_error_new_literal (SP_SESSION_ERROR,
                                                          SP_SESSION_ERROR_UNSUPPORTED, reason));
      sp_session_force_exit (self);
      return;
    }
  start_loading (self);
}

static void
handle_event (SpSession  *self,
              JsonObject *message)
{
  const char *kind = json_object_get_string_member (message, "event");
  const char *text = sp_session_json_string (message, "message", "");
  JsonNode *error_node = json_object_get_member (message, "error");
  g_autoptr(SpLispError) lisp_error = NULL;

  if (g_str_equal (kind, "hello"))
    {
      handle_hello (self, message);
      return;
    }
  if (g_str_equal (kind, "console"))
    {
      const char *stream = sp_session_json_string (message, "stream", "");
      const char *console_text = sp_session_json_string (message, "text", "");

      sp_session_emit_console (self, g_str_equal (stream, "stderr") ? SP_CONSOLE_STDERR
                                                                     : SP_CONSOLE_STDOUT,
                               console_text);
      return;
    }
  if (g_str_equal (kind, "refused"))
    {
      g_free (self->refusal);
      self->refusal = g_strdup (text);
      return;
    }
  if (g_str_equal (kind, "samples"))
    {
      sp_session_recording_add_batch (self, message);
      return;
    }
  if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
    g_error_free (sp_session_error_from_reply (json_node_get_object (error_node), &lisp_error));
  sp_session_emit_event (self, kind, text, lisp_error);
}

void
sp_session_handle_line (SpSession  *self,
                        const char *line,
                        gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *message;

  if (!json_parser_load_from_data (parser, line, length, &error))
    {
      g_autofree char *start = g_utf8_make_valid (line, MIN (length, 80));
      g_autofree char *what = g_strdup_printf (_("“%s” is not JSON"), start);

      sp_session_protocol_failure (self, what);
      return;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      sp_session_protocol_failure (self, _("a message that is not an object"));
      return;
    }
  message = json_node_get_object (root);
  if (json_object_has_member (message, "event") &&
      json_node_get_value_type (json_object_get_member (message, "event")) == G_TYPE_STRING)
    handle_event (self, message);
  else if (json_object_has_member (message, "id"))
    handle_reply (self, message);
  else
    sp_session_protocol_failure (self, _("a message without an id or an event"));
}

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSession) self = NULL;
  g_autofree char *line = NULL;
  gsize length;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, &length,
                                               &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the session is gone */
  if (line == NULL)
    {
      /* end of the channel: a child is exiting (on_child_exited tells why); an attached image
       * detached or went away */
      if (SP_SESSION (user_data)->attach_target != NULL)
        sp_session_connection_closed (SP_SESSION (user_data));
      return;
    }
  /* Handlers of the replies and signals may drop the last other reference to the session. */
  self = g_object_ref (SP_SESSION (user_data));
  sp_session_handle_line (self, line, length);
  if (!g_cancellable_is_cancelled (self->io_cancellable) &&
      self->state != SP_SESSION_STATE_CRASHED)
    read_next_line (self);
}

static void
read_next_line (SpSession *self)
{
  g_data_input_stream_read_line_async (self->channel_in, G_PRIORITY_DEFAULT, self->io_cancellable,
                                       on_line_read, self);
}

static gboolean
on_hello_timeout (gpointer data)
{
  g_autoptr(SpSession) self = g_object_ref (data);

  self->hello_timeout_id = 0;
  sp_session_protocol_failure (self, _("no greeting from the agent (is the SBCL too old?)"));
  return G_SOURCE_REMOVE;
}

void
sp_session_start_async (SpSession          *self,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SP_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_session_start_async);
  if (self->subprocess != NULL || self->connection != NULL)
    {
      g_task_return_new_error (task, SP_SESSION_ERROR, SP_SESSION_ERROR_BUSY,
                               _("The session was already started"));
      return;
    }
  sp_session_set_state (self, SP_SESSION_STATE_STARTING, NULL);
  if (self->attach_target != NULL)
    {
      if (!sp_session_connect (self, &error))
        {
          sp_session_set_state (self, SP_SESSION_STATE_CRASHED, error->message);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      self->start_task = g_steal_pointer (&task);
      self->hello_timeout_id = g_timeout_add_seconds ((guint) HELLO_TIMEOUT, on_hello_timeout, self);
      read_next_line (self);
      return;
    }
  if (!sp_session_spawn (self, &error))
    {
      sp_session_set_state (self, SP_SESSION_STATE_CRASHED, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->start_task = g_steal_pointer (&task);
  sp_session_start_console (self, SP_CONSOLE_STDOUT,
                            g_subprocess_get_stdout_pipe (self->subprocess));
  sp_session_start_console (self, SP_CONSOLE_STDERR,
                            g_subprocess_get_stderr_pipe (self->subprocess));
  sp_session_watch_child (self);
  self->hello_timeout_id = g_timeout_add_seconds ((guint) HELLO_TIMEOUT, on_hello_timeout, self);
  read_next_line (self);
}

gboolean
sp_session_start_finish (SpSession    *self,
                         GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Loads the configured files and systems one after the other, in the load order. */
static void
on_start_load_done (SpSession    *self,
                    JsonObject   *result,
                    JsonObject   *error_object,
                    const GError *error,
                    gpointer      user_data)
{
  g_autofree char *what = user_data;

  if (self->start_task == NULL)
    return;
  if (error != NULL)
    {
      sp_session_set_state (self, SP_SESSION_STATE_READY, NULL);
      sp_session_finish_start (self, g_error_new (SP_SESSION_ERROR, error->code,
                                                  _("Loading “%s” failed: %s"), what,
                                                  error->message));
      return;
    }
  start_loading (self);
}

/* Whether item index of the loads is a system, and its position in its own list: in the load
 * order when one was set (files and systems interleaved as given), else files first. */
static gboolean
load_item (SpSession *self,
           guint      index,
           guint     *position)
{
  guint n_files = self->load_files ? g_strv_length (self->load_files) : 0;
  guint files = 0, systems = 0;

  if (self->load_order == NULL || index >= g_strv_length (self->load_order))
    {
      *position = index < n_files ? index : index - n_files;
      return index >= n_files;
    }
  for (guint i = 0; i < index; i++)
    {
      if (g_str_equal (self->load_order[i], "system"))
        systems++;
      else
        files++;
    }
  *position = g_str_equal (self->load_order[index], "system") ? systems : files;
  return g_str_equal (self->load_order[index], "system");
}

static void
start_loading (SpSession *self)
{
  guint n_files = self->load_files ? g_strv_length (self->load_files) : 0;
  guint n_systems = self->systems ? g_strv_length (self->systems) : 0;
  guint index = self->next_load++;
  guint position;
  gboolean system;
  JsonObject *args;

  if (index >= n_files + n_systems)
    {
      sp_session_set_state (self, SP_SESSION_STATE_READY, NULL);
      sp_session_finish_start (self, NULL);
      return;
    }
  system = load_item (self, index, &position);
  if (position >= (system ? n_systems : n_files))
    {
      sp_session_set_state (self, SP_SESSION_STATE_READY, NULL);
      sp_session_finish_start (self, g_error_new (SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID,
                                                  _("The load order names more files or systems than there are")));
      return;
    }
  args = json_object_new ();
  if (!system)
    {
      json_object_set_string_member (args, "file", self->load_files[position]);
      sp_session_request (self, "load", args, 0, on_start_load_done,
                          g_strdup (self->load_files[position]));
    }
  else
    {
      json_object_set_string_member (args, "system", self->systems[position]);
      sp_session_request (self, "load-system", args, 0, on_start_load_done,
                          g_strdup (self->systems[position]));
    }
}

static void
on_reply_ignored (SpSession    *self,
                  JsonObject   *result,
                  JsonObject   *error_object,
                  const GError *error,
                  gpointer      user_data)
{
  if (error != NULL)
    g_debug ("%s: %s", (const char *) user_data, error->message);
}

void
sp_session_interrupt (SpSession *self)
{
  g_return_if_fail (SP_IS_SESSION (self));

  if (sp_session_is_alive (self) && self->connection != NULL)
    sp_session_request (self, "interrupt", NULL, self->timeout, on_reply_ignored, "interrupt");
}

/* ---- Ending ---- */

void
sp_session_force_exit (SpSession *self)
{
  g_return_if_fail (SP_IS_SESSION (self));

  if (self->subprocess != NULL && g_subprocess_get_identifier (self->subprocess) != NULL)
    g_subprocess_force_exit (self->subprocess);
  else if (self->attach_target != NULL && self->connection != NULL)
    {
      if (g_cancellable_is_cancelled (self->io_cancellable))
        g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);   /* disposing */
      else
        sp_session_connection_closed (self);
    }
}

static gboolean
on_quit_timeout (gpointer data)
{
  SpSession *self = data;

  self->kill_timeout_id = 0;
  sp_session_force_exit (self);
  return G_SOURCE_REMOVE;
}

void
sp_session_quit (SpSession *self)
{
  g_return_if_fail (SP_IS_SESSION (self));

  if (!sp_session_is_alive (self))
    return;
  self->quitting = TRUE;
  /* An attached image is left running: the agent turns every profiler off and hangs up. */
  sp_session_request (self, self->attach_target != NULL ? "detach" : "quit", NULL, self->timeout,
                      on_reply_ignored, "quit");
  if (self->kill_timeout_id == 0)
    self->kill_timeout_id = g_timeout_add_seconds (2, on_quit_timeout, self);
}

/* ---- GObject ---- */

SpSession *
sp_session_new (const char *sbcl_path)
{
  return g_object_new (SP_TYPE_SESSION, "sbcl-path", sbcl_path, NULL);
}

static void
sp_session_dispose (GObject *object)
{
  SpSession *self = SP_SESSION (object);

  g_cancellable_cancel (self->io_cancellable);
  sp_session_force_exit (self);
  if (g_hash_table_size (self->pending) > 0 || self->start_task != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (SP_SESSION_ERROR, SP_SESSION_ERROR_EXITED,
                                                     _("The session was closed"));

      sp_session_recording_abort (self, error);
      sp_session_fail_all_pending (self, error);
      sp_session_finish_start (self, g_error_copy (error));
    }
  g_clear_handle_id (&self->kill_timeout_id, g_source_remove);
  g_clear_handle_id (&self->hello_timeout_id, g_source_remove);
  g_clear_handle_id (&self->exit_grace_id, g_source_remove);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->live_id, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (self->console); i++)
    g_clear_pointer (&self->console[i], sp_session_console_free);
  g_clear_object (&self->channel_in);
  g_clear_object (&self->connection);
  g_clear_object (&self->subprocess);

  G_OBJECT_CLASS (sp_session_parent_class)->dispose (object);
}

static void
sp_session_finalize (GObject *object)
{
  SpSession *self = SP_SESSION (object);

  g_hash_table_destroy (self->pending);
  g_free (self->sbcl_path);
  g_free (self->attach_target);
  g_free (self->attach_token);
  g_free (self->refusal);
  g_free (self->working_dir);
  g_strfreev (self->load_files);
  g_strfreev (self->systems);
  g_strfreev (self->load_order);
  g_strfreev (self->extra_args);
  g_strfreev (self->environment);
  g_free (self->state_reason);
  g_free (self->sbcl_version);
  g_string_free (self->stderr_tail, TRUE);
  g_object_unref (self->io_cancellable);
  sp_record_options_clear (&self->record_options);
  g_clear_pointer (&self->stream, sp_sample_stream_free);

  G_OBJECT_CLASS (sp_session_parent_class)->finalize (object);
}

static void
sp_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SpSession *self = SP_SESSION (object);

  switch (prop_id)
    {
    case PROP_SBCL_PATH: g_value_set_string (value, self->sbcl_path); break;
    case PROP_WORKING_DIR: g_value_set_string (value, self->working_dir); break;
    case PROP_LOAD_FILES: g_value_set_boxed (value, self->load_files); break;
    case PROP_SYSTEMS: g_value_set_boxed (value, self->systems); break;
    case PROP_EXTRA_ARGS: g_value_set_boxed (value, self->extra_args); break;
    case PROP_ENVIRONMENT: g_value_set_boxed (value, self->environment); break;
    case PROP_USE_INIT_FILES: g_value_set_boolean (value, self->use_init_files); break;
    case PROP_INSTRUMENT_ALLOCATIONS: g_value_set_boolean (value, self->instrument_allocations); break;
    case PROP_CODE_INSTRUMENTED: g_value_set_boolean (value, self->code_instrumented); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_STATE_REASON: g_value_set_string (value, self->state_reason); break;
    case PROP_SBCL_VERSION: g_value_set_string (value, self->sbcl_version); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SpSession *self = SP_SESSION (object);

  switch (prop_id)
    {
    case PROP_SBCL_PATH: sp_session_set_sbcl_path (self, g_value_get_string (value)); break;
    case PROP_WORKING_DIR: sp_session_set_working_dir (self, g_value_get_string (value)); break;
    case PROP_LOAD_FILES: sp_session_set_load_files (self, g_value_get_boxed (value)); break;
    case PROP_SYSTEMS: sp_session_set_systems (self, g_value_get_boxed (value)); break;
    case PROP_EXTRA_ARGS: sp_session_set_extra_args (self, g_value_get_boxed (value)); break;
    case PROP_ENVIRONMENT: sp_session_set_environment (self, g_value_get_boxed (value)); break;
    case PROP_INSTRUMENT_ALLOCATIONS:
      sp_session_set_instrument_allocations (self, g_value_get_boolean (value));
      break;
    case PROP_USE_INIT_FILES:
      sp_session_set_use_init_files (self, g_value_get_boolean (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_session_class_init (SpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sp_session_dispose;
  object_class->finalize = sp_session_finalize;
  object_class->get_property = sp_session_get_property;
  object_class->set_property = sp_session_set_property;

  properties[PROP_SBCL_PATH] = g_param_spec_string ("sbcl-path", NULL, NULL, NULL, rw);
  properties[PROP_WORKING_DIR] = g_param_spec_string ("working-dir", NULL, NULL, NULL, rw);
  properties[PROP_LOAD_FILES] = g_param_spec_boxed ("load-files", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_SYSTEMS] = g_param_spec_boxed ("systems", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_EXTRA_ARGS] = g_param_spec_boxed ("extra-args", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_ENVIRONMENT] = g_param_spec_boxed ("environment", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_USE_INIT_FILES] = g_param_spec_boolean ("use-init-files", NULL, NULL, FALSE, rw);
  properties[PROP_INSTRUMENT_ALLOCATIONS] =
    g_param_spec_boolean ("instrument-allocations", NULL, NULL, FALSE, rw);
  properties[PROP_CODE_INSTRUMENTED] =
    g_param_spec_boolean ("code-instrumented", NULL, NULL, FALSE, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, SP_TYPE_SESSION_STATE,
                                              SP_SESSION_STATE_STARTING, ro);
  properties[PROP_STATE_REASON] = g_param_spec_string ("state-reason", NULL, NULL, NULL, ro);
  properties[PROP_SBCL_VERSION] = g_param_spec_string ("sbcl-version", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONSOLE_OUTPUT] =
    g_signal_new ("console-output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[RECORDING_PROGRESS] =
    g_signal_new ("recording-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_INT64);
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, SP_TYPE_LISP_ERROR);
  signals[WORKLOAD_FINISHED] =
    g_signal_new ("workload-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[LIVE_PROFILE] =
    g_signal_new ("live-profile", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, SP_TYPE_PROFILE);
  signals[CUT_SHORT] =
    g_signal_new ("recording-cut-short", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, SP_TYPE_PROFILE);
}

static void
sp_session_init (SpSession *self)
{
  self->state = SP_SESSION_STATE_STARTING;
  self->timeout = 30.0;
  self->console_limit = SP_SESSION_CONSOLE_RATE;
  self->io_cancellable = g_cancellable_new ();
  self->stderr_tail = g_string_new (NULL);
  self->pending = g_hash_table_new (g_int64_hash, g_int64_equal);
  sp_record_options_init (&self->record_options);
}

void
sp_session_emit_console (SpSession       *self,
                         SpConsoleStream  stream,
                         const char      *text)
{
  g_signal_emit (self, signals[CONSOLE_OUTPUT], 0, stream, text);
}

void
sp_session_emit_progress (SpSession *self,
                          double     elapsed,
                          gint64     samples)
{
  g_signal_emit (self, signals[RECORDING_PROGRESS], 0, elapsed, samples);
}

void
sp_session_emit_live_profile (SpSession *self,
                              SpProfile *profile)
{
  g_signal_emit (self, signals[LIVE_PROFILE], 0, profile);
}

gboolean
sp_session_has_live_listener (SpSession *self)
{
  return g_signal_has_handler_pending (self, signals[LIVE_PROFILE], 0, FALSE);
}

void
sp_session_emit_cut_short (SpSession *self,
                           SpProfile *profile)
{
  g_signal_emit (self, signals[CUT_SHORT], 0, profile);
}

void
sp_session_emit_workload_finished (SpSession    *self,
                                   const GError *error)
{
  g_signal_emit (self, signals[WORKLOAD_FINISHED], 0, error);
}
