/* sp-session-test-util.h: driving a real sbcl from tests and benchmarks: waiting for an async
 * call with a time limit, starting a session, evaluating, recording */
#pragma once

#include "sp-session.h"

#ifndef WAIT_LIMIT_SECONDS
#define WAIT_LIMIT_SECONDS 90
#endif

static inline gboolean
on_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until *slot is set; a hang fails the test instead of blocking the suite. */
static inline GAsyncResult *
wait_for (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_SECONDS * G_USEC_PER_SEC;
  guint wake = g_timeout_add (100, on_wake, NULL);

  while (*slot == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("no answer from the session within %d s", WAIT_LIMIT_SECONDS);
    }
  g_source_remove (wake);
  return *slot;
}

static inline void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static inline gboolean
start_session (SpSession *session,
               GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sp_session_start_async (session, NULL, on_done, &result);
  return sp_session_start_finish (session, wait_for (&result), error);
}

static inline char *
eval (SpSession    *session,
      const char   *text,
      SpLispError **lisp_error,
      GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sp_session_eval_async (session, text, "CL-USER", NULL, on_done, &result);
  return sp_session_eval_finish (session, wait_for (&result), lisp_error, error);
}

static inline SpProfile *
record (SpSession             *session,
        const SpRecordOptions *options,
        GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sp_session_record_async (session, options, NULL, on_done, &result);
  return sp_session_record_finish (session, wait_for (&result), error);
}

/* A recording of one run of workload in mode, with or without heap snapshots. */
static inline SpProfile *
record_mode (SpSession  *session,
             SpMode      mode,
             const char *workload,
             gboolean    heap_snapshot,
             GError    **error)
{
  SpRecordOptions options;
  SpProfile *profile;

  sp_record_options_init (&options);
  options.mode = mode;
  options.workload = g_strdup (workload);
  options.heap_snapshot = heap_snapshot;
  profile = record (session, &options, error);
  sp_record_options_clear (&options);
  return profile;
}
