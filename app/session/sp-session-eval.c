/* sp-session-eval.c: evaluating forms, loading files and systems, listing packages */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include "sp-session-private.h"

static void
busy_begin (SpSession *self)
{
  if (self->busy_requests++ == 0 && self->state == SP_SESSION_STATE_READY)
    sp_session_set_state (self, SP_SESSION_STATE_BUSY, NULL);
}

static void
busy_end (SpSession *self)
{
  if (--self->busy_requests == 0 && self->state == SP_SESSION_STATE_BUSY)
    sp_session_set_state (self, SP_SESSION_STATE_READY, NULL);
}

typedef struct
{
  char        *text;
  SpLispError *lisp_error;
  gulong       cancelled_id;   /* the cancellable interrupts the evaluation */
  gboolean     answered;
} SpEvalResult;

static void
eval_result_free (gpointer data)
{
  SpEvalResult *eval = data;

  g_free (eval->text);
  sp_lisp_error_free (eval->lisp_error);
  g_free (eval);
}

static void
on_user_code_done (SpSession    *self,
                   JsonObject   *result,
                   JsonObject   *error_object,
                   const GError *error,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpEvalResult *eval = g_task_get_task_data (task);

  busy_end (self);
  eval->answered = TRUE;
  g_cancellable_disconnect (g_task_get_cancellable (task), eval->cancelled_id);
  eval->cancelled_id = 0;
  if (error_object != NULL)
    {
      g_task_return_error (task, sp_session_error_from_reply (error_object, &eval->lisp_error));
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  if (sp_session_json_array (result, "values") != NULL)
    {
      JsonArray *values = sp_session_json_array (result, "values");
      GString *text = g_string_new (NULL);

      for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
        g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                                sp_session_json_array_string (values, i) ?: "");
      eval->text = g_string_free (text, FALSE);
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_cancel_interrupt (GCancellable *cancellable,
                     SpSession    *self)
{
  sp_session_interrupt (self);
}

static void
run_user_code (SpSession  *self,
               GTask      *task,
               const char *op,
               JsonObject *args)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  SpEvalResult *eval = g_new0 (SpEvalResult, 1);

  g_task_set_task_data (task, eval, eval_result_free);
  busy_begin (self);
  sp_session_request (self, op, args, 0, on_user_code_done, g_object_ref (task));
  /* After sending: a cancellable already cancelled interrupts at once. */
  if (cancellable != NULL && !eval->answered)
    eval->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancel_interrupt),
                                                self, NULL);
  g_object_unref (task);
}

void
sp_session_eval_async (SpSession          *self,
                       const char         *text,
                       const char         *package,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  GTask *task;
  JsonObject *args;

  g_return_if_fail (SP_IS_SESSION (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_session_eval_async);
  args = json_object_new ();
  json_object_set_string_member (args, "form", text);
  json_object_set_string_member (args, "package", package ? package : "CL-USER");
  run_user_code (self, task, "eval", args);
}

static gboolean
propagate_user_code (GAsyncResult *result,
                     SpLispError **lisp_error,
                     GError      **error)
{
  SpEvalResult *eval = g_task_get_task_data (G_TASK (result));

  if (g_task_propagate_boolean (G_TASK (result), error))
    return TRUE;
  if (lisp_error != NULL && eval != NULL && eval->lisp_error != NULL)
    *lisp_error = sp_lisp_error_copy (eval->lisp_error);
  return FALSE;
}

char *
sp_session_eval_finish (SpSession    *self,
                        GAsyncResult *result,
                        SpLispError **lisp_error,
                        GError      **error)
{
  SpEvalResult *eval;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!propagate_user_code (result, lisp_error, error))
    return NULL;
  eval = g_task_get_task_data (G_TASK (result));
  return g_strdup (eval->text ? eval->text : "");
}

void
sp_session_load_async (SpSession          *self,
                       const char         *file_or_system,
                       gboolean            system,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  GTask *task;
  JsonObject *args;

  g_return_if_fail (SP_IS_SESSION (self));
  g_return_if_fail (file_or_system != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_session_load_async);
  args = json_object_new ();
  json_object_set_string_member (args, system ? "system" : "file", file_or_system);
  run_user_code (self, task, system ? "load-system" : "load", args);
}

gboolean
sp_session_load_finish (SpSession    *self,
                        GAsyncResult *result,
                        SpLispError **lisp_error,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return propagate_user_code (result, lisp_error, error);
}

static void
on_packages_listed (SpSession    *self,
                    JsonObject   *result,
                    JsonObject   *error_object,
                    const GError *error,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  JsonArray *packages;

  if (error != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  packages = sp_session_json_array (result, "packages");
  for (guint i = 0; packages != NULL && i < json_array_get_length (packages); i++)
    if (sp_session_json_array_string (packages, i) != NULL)
      g_strv_builder_add (names, sp_session_json_array_string (packages, i));
  g_task_return_pointer (task, g_strv_builder_end (names), (GDestroyNotify) g_strfreev);
}

void
sp_session_list_packages_async (SpSession          *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (SP_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_session_list_packages_async);
  sp_session_request (self, "list-packages", NULL, self->timeout, on_packages_listed, task);
}

GStrv
sp_session_list_packages_finish (SpSession    *self,
                                 GAsyncResult *result,
                                 GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
