/* sp-record-options.c: what to record, and the Lisp errors a session reports */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include "sp-session.h"

void
sp_record_options_init (SpRecordOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->mode = SP_MODE_CPU;
  options->interval = 0.01;
  options->all_threads = TRUE;
  options->runs = 1;
}

void
sp_record_options_clear (SpRecordOptions *options)
{
  g_return_if_fail (options != NULL);

  g_clear_pointer (&options->names, g_strfreev);
  g_clear_pointer (&options->workload, g_free);
  g_clear_pointer (&options->package, g_free);
}

void
sp_record_options_copy (SpRecordOptions       *dest,
                        const SpRecordOptions *src)
{
  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != NULL);

  *dest = *src;
  dest->names = g_strdupv (src->names);
  dest->workload = g_strdup (src->workload);
  dest->package = g_strdup (src->package);
}

SpLispError *
sp_lisp_error_copy (const SpLispError *error)
{
  SpLispError *copy;

  g_return_val_if_fail (error != NULL, NULL);

  copy = g_new0 (SpLispError, 1);
  copy->condition_type = g_strdup (error->condition_type);
  copy->message = g_strdup (error->message);
  copy->backtrace = g_strdupv (error->backtrace);
  return copy;
}

void
sp_lisp_error_free (SpLispError *error)
{
  if (error == NULL)
    return;
  g_free (error->condition_type);
  g_free (error->message);
  g_strfreev (error->backtrace);
  g_free (error);
}

G_DEFINE_BOXED_TYPE (SpLispError, sp_lisp_error, sp_lisp_error_copy, sp_lisp_error_free)
