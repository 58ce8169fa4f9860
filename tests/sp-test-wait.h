/* sp-test-wait.h: waiting for a condition in the main loop, for the tests on a real sbcl */
#pragma once

#include <glib.h>

/* Guards against a hang only: every wait ends long before this when things work. */
#ifndef WAIT_LIMIT_SECONDS
#define WAIT_LIMIT_SECONDS 90
#endif

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_wait_limit (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

static inline void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gboolean expired = FALSE;
  guint limit = g_timeout_add_seconds (WAIT_LIMIT_SECONDS, on_wait_limit, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("Gave up waiting for %s", what);
  g_source_remove (limit);
}
