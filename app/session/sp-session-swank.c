/* sp-session-swank.c: loading the agent into an image through its Swank server
 *
 * A REPL under SLIME or Sly already runs a Swank server (localhost:4005 by default).  Through it
 * the agent is loaded and told to listen; the session then attaches to the agent's own socket,
 * so Swank is needed only for this first step.  Swank's wire format: six hexadecimal digits
 * giving the length in bytes of a UTF-8 S-expression, then the expression.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-session-private.h"

#define SWANK_DEFAULT_PORT   4005
#define SWANK_MAX_MESSAGE    (16 * 1024 * 1024)
#define SWANK_REQUEST_ID     1
#define SOCKET_MARK_START    "SP-SOCKET<"
#define SOCKET_MARK_END      ">"

/* text as a Lisp string literal */
static char *
lisp_string (const char *text)
{
  GString *out = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static char *
make_request (const char *boot)
{
  g_autofree char *boot_literal = lisp_string (boot);
  /* read in CL-USER, where the agent's package does not exist yet: hence intern */
  g_autofree char *form = g_strdup_printf (
    "(progn (load %s) (format nil \"" SOCKET_MARK_START "~A" SOCKET_MARK_END "\" "
    "(funcall (intern \"LISTEN\" \"SBCL-PROFILER-AGENT\"))))", boot_literal);
  g_autofree char *form_literal = lisp_string (form);

  return g_strdup_printf ("(:emacs-rex (swank:eval-and-grab-output %s) \"COMMON-LISP-USER\" t %d)",
                          form_literal, SWANK_REQUEST_ID);
}

static gboolean
send_message (GOutputStream *out,
              const char    *message,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *header = g_strdup_printf ("%06x", (guint) strlen (message));

  return g_output_stream_write_all (out, header, 6, NULL, cancellable, error) &&
         g_output_stream_write_all (out, message, strlen (message), NULL, cancellable, error);
}

static char *
read_message (GInputStream *in,
              GCancellable *cancellable,
              GError      **error)
{
  char header[7] = { 0 };
  g_autofree char *body = NULL;
  gsize read = 0;
  guint64 length;

  if (!g_input_stream_read_all (in, header, 6, &read, cancellable, error))
    return NULL;
  if (read < 6 || !g_ascii_string_to_unsigned (header, 16, 0, SWANK_MAX_MESSAGE, &length, NULL))
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL,
                   read < 6 ? _("the Swank server closed the connection")
                            : _("the server does not speak Swank"));
      return NULL;
    }
  body = g_malloc (length + 1);
  if (!g_input_stream_read_all (in, body, length, &read, cancellable, error))
    return NULL;
  if (read < length)
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL,
                   _("the Swank server closed the connection"));
      return NULL;
    }
  body[length] = '\0';
  return g_steal_pointer (&body);
}

/* The socket path from (:return (:ok …) 1), or an error from (:return (:abort …) 1). */
static char *
parse_return (const char *message,
              GError    **error)
{
  const char *start = strstr (message, SOCKET_MARK_START);
  const char *end;

  if (g_str_has_prefix (message, "(:return (:ok") && start != NULL &&
      (end = strstr (start, SOCKET_MARK_END)) != NULL)
    {
      start += strlen (SOCKET_MARK_START);
      return g_strndup (start, end - start);
    }
  g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_AGENT,
               _("Loading the profiler’s agent through Swank failed: %.300s"), message);
  return NULL;
}

static void
load_agent_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *address = task_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *boot = g_build_filename (lisp_dir, "agent", "boot.lisp", NULL);
  g_autofree char *request = make_request (boot);
  g_autoptr(GError) error = NULL;
  GInputStream *in;

  g_socket_client_set_timeout (client, 120);   /* the first load compiles the agent */
  connection = g_socket_client_connect_to_host (client, address, SWANK_DEFAULT_PORT, cancellable,
                                                &error);
  if (connection == NULL)
    {
      g_task_return_new_error (task, SP_SESSION_ERROR, SP_SESSION_ERROR_AGENT,
                               _("Could not connect to Swank at “%s”: %s"), address,
                               error->message);
      return;
    }
  if (!send_message (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                     cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  for (;;)
    {
      g_autofree char *message = read_message (in, cancellable, &error);

      if (message == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* Swank sends feature lists, indentation and output before the answer */
      if (g_str_has_prefix (message, "(:return "))
        {
          char *path = parse_return (message, &error);

          if (path == NULL)
            g_task_return_error (task, g_steal_pointer (&error));
          else
            g_task_return_pointer (task, path, g_free);
          return;
        }
    }
}

void
sp_swank_load_agent_async (const char          *address,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (address != NULL);

  g_task_set_source_tag (task, sp_swank_load_agent_async);
  g_task_set_task_data (task, g_strdup (address), g_free);
  g_task_run_in_thread (task, load_agent_thread);
}

char *
sp_swank_load_agent_finish (GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
