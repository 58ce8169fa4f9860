/* sp-session-attach.c: sessions attached to an SBCL image that is already running
 *
 * An image that loaded the agent and called (sbcl-profiler-agent:listen) has a Unix socket in
 * $XDG_RUNTIME_DIR/sbcl-profiler/PID.sock (or /tmp/sbcl-profiler-UID/) and a PID.json beside it
 * that says what it is.  An attached session speaks the same protocol as a launched one; quitting
 * it detaches, and the image goes on with nothing instrumented.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "sp-session-private.h"

/* Universal time (seconds since 1900, as Lisp counts) to Unix time. */
#define UNIVERSAL_TIME_OFFSET G_GINT64_CONSTANT (2208988800)

char *
sp_attach_get_runtime_dir (void)
{
  const char *xdg = g_getenv ("XDG_RUNTIME_DIR");

  if (xdg != NULL && *xdg != '\0')
    return g_build_filename (xdg, "sbcl-profiler", NULL);
  return g_strdup_printf ("/tmp/sbcl-profiler-%u", (guint) getuid ());
}

void
sp_attachable_free (SpAttachable *image)
{
  if (image == NULL)
    return;
  g_free (image->name);
  g_free (image->sbcl_version);
  g_free (image->socket_path);
  g_free (image->working_dir);
  g_free (image);
}

static gboolean
process_exists (GPid pid)
{
  return pid > 0 && (kill (pid, 0) == 0 || errno == EPERM);
}

static SpAttachable *
read_info_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  SpAttachable *image;
  JsonObject *info;
  JsonNode *root;
  const char *socket;

  if (!json_parser_load_from_file (parser, path, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  info = json_node_get_object (root);
  socket = sp_session_json_string (info, "socket", NULL);
  if (socket == NULL)
    return NULL;
  image = g_new0 (SpAttachable, 1);
  image->pid = sp_session_json_integer (info, "pid", 0);
  image->name = g_strdup (sp_session_json_string (info, "name", "sbcl"));
  image->sbcl_version =
    g_strdup (sp_session_json_string (info, "sbcl_version", ""));
  image->socket_path = g_strdup (socket);
  image->working_dir = g_strdup (sp_session_json_string (info, "cwd", NULL));
  image->started = sp_session_json_integer (info, "started", 0) - UNIVERSAL_TIME_OFFSET;
  return image;
}

GPtrArray *
sp_attach_list_images (void)
{
  g_autofree char *dir_path = sp_attach_get_runtime_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *images = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_attachable_free);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      SpAttachable *image;

      if (!g_str_has_suffix (entry, ".json"))
        continue;
      path = g_build_filename (dir_path, entry, NULL);
      if ((image = read_info_file (path)) == NULL)
        continue;
      if (!process_exists (image->pid) || !g_file_test (image->socket_path, G_FILE_TEST_EXISTS))
        {
          /* an image killed without running its exit hooks: clean up after it */
          g_unlink (image->socket_path);
          g_unlink (path);
          sp_attachable_free (image);
          continue;
        }
      g_ptr_array_add (images, image);
    }
  return images;
}

/* A PID, a socket path, or HOST:PORT of an image listening on TCP. */
static GSocketAddress *
resolve_target (const char *target,
                GError    **error)
{
  g_autofree char *dir = sp_attach_get_runtime_dir ();
  const char *colon = strrchr (target, ':');
  char *end = NULL;
  guint64 number;

  if (g_ascii_string_to_unsigned (target, 10, 1, G_MAXINT32, &number, NULL))
    {
      g_autofree char *name = g_strdup_printf ("%" G_GUINT64_FORMAT ".sock", number);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_AGENT,
                       _("No SBCL with process id %s is listening for the profiler: load the "
                         "agent in it and call (sbcl-profiler-agent:listen)"), target);
          return NULL;
        }
      return g_unix_socket_address_new (path);
    }
  if (strchr (target, '/') == NULL && colon != NULL && colon[1] != '\0')
    {
      g_autofree char *host = g_strndup (target, colon - target);
      guint64 port = g_ascii_strtoull (colon + 1, &end, 10);
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

      if (*end != '\0' || port == 0 || port > 65535 || address == NULL ||
          !g_inet_address_get_is_loopback (address))
        {
          g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID,
                       _("“%s” is not a loopback address and port such as 127.0.0.1:4242"),
                       target);
          return NULL;
        }
      return g_inet_socket_address_new (address, (guint16) port);
    }
  if (!g_file_test (target, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_AGENT,
                   _("“%s” does not exist: no SBCL listens there"), target);
      return NULL;
    }
  return g_unix_socket_address_new (target);
}

gboolean
sp_session_connect (SpSession *self,
                    GError   **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = resolve_target (self->attach_target, error);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) local_error = NULL;

  if (address == NULL)
    return FALSE;
  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &local_error);
  if (connection == NULL)
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_AGENT,
                   _("Could not connect to the SBCL image at “%s”: %s"), self->attach_target,
                   local_error->message);
      return FALSE;
    }
  if (self->attach_token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("{\"op\":\"auth\",\"token\":\"%s\"}\n",
                                               self->attach_token);
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

      if (!g_output_stream_write_all (out, auth, strlen (auth), NULL, NULL, error))
        return FALSE;
    }
  sp_session_set_channel (self, g_steal_pointer (&connection));
  return TRUE;
}

SpSession *
sp_session_new_attached (const char *target,
                         const char *token)
{
  SpSession *self;

  g_return_val_if_fail (target != NULL, NULL);

  self = g_object_new (SP_TYPE_SESSION, NULL);
  self->attach_target = g_strdup (target);
  self->attach_token = g_strdup (token);
  return self;
}

gboolean
sp_session_is_attached (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), FALSE);
  return self->attach_target != NULL;
}

const char *
sp_session_get_attach_target (SpSession *self)
{
  g_return_val_if_fail (SP_IS_SESSION (self), NULL);
  return self->attach_target;
}

/* The image closed the connection, or we did: the session ends, the image goes on. */
void
sp_session_connection_closed (SpSession *self)
{
  g_autoptr(SpSession) hold G_GNUC_UNUSED = g_object_ref (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = self->refusal == NULL ? NULL
    : g_strdup_printf (_("The SBCL image refused the connection: %s"), self->refusal);
  const char *reason = refused != NULL ? refused
                     : self->quitting ? _("Detached; the program goes on")
                     : _("The connection to the SBCL image was lost");

  if (self->exit_handled)
    return;
  self->exit_handled = TRUE;
  g_clear_handle_id (&self->kill_timeout_id, g_source_remove);
  g_clear_handle_id (&self->hello_timeout_id, g_source_remove);
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  error = g_error_new_literal (SP_SESSION_ERROR,
                               refused != NULL ? SP_SESSION_ERROR_AGENT : SP_SESSION_ERROR_EXITED,
                               reason);
  sp_session_set_state (self, refused != NULL ? SP_SESSION_STATE_CRASHED : SP_SESSION_STATE_EXITED,
                        reason);
  sp_session_recording_abort (self, error);
  sp_session_fail_all_pending (self, error);
  sp_session_finish_start (self, g_error_copy (error));
}
