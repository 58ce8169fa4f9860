/* bench-util.h: what the benchmarks that drive a real sbcl share */
#pragma once

#include <stdio.h>
#include <stdlib.h>

#define WAIT_LIMIT_SECONDS 600

#include "sp-session-test-util.h"

static inline void
check (GError *error,
       const char *what)
{
  if (error != NULL)
    {
      fprintf (stderr, "bench-record: %s: %s\n", what, error->message);
      exit (1);
    }
}

static inline char *
eval_or_die (SpSession  *session,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  char *values = eval (session, text, NULL, &error);

  check (error, text);
  return values;
}

static inline int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static inline double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* drain_interval: seconds between the sample batches the agent streams (<= 0: its default). */
static inline void
start_recording_draining (SpSession *session,
                          SpMode     mode,
                          double     interval,
                          gint64     max_samples,
                          double     drain_interval)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SpRecordOptions options;

  sp_record_options_init (&options);
  options.mode = mode;
  options.interval = interval;
  options.max_samples = max_samples;
  options.drain_interval = drain_interval;
  sp_session_start_recording_async (session, &options, NULL, on_done, &result);
  sp_session_start_recording_finish (session, wait_for (&result), &error);
  check (error, "starting a recording");
}

static inline void
start_recording (SpSession *session,
                 SpMode     mode,
                 double     interval,
                 gint64     max_samples)
{
  start_recording_draining (session, mode, interval, max_samples, 0);
}

/* Stops the recording and returns its profile. */
static inline SpProfile *
stop_and_collect (SpSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SpProfile *profile;

  sp_session_stop_recording_async (session, NULL, on_done, &result);
  profile = sp_session_stop_recording_finish (session, wait_for (&result), &error);
  check (error, "stopping a recording");
  return profile;
}

static inline void
stop_recording (SpSession *session)
{
  SpProfile *profile = stop_and_collect (session);

  g_clear_object (&profile);
}

