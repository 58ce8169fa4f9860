/* sp-test-util.h: profiles for tests, built with the core builder from "a;b;c 12" lines */
#pragma once

#include <string.h>

#include "sp-profile.h"

/* Adds one "a;b;c 12" line ("@name" is a thread root); returns its leaf node. */
static inline guint32
sp_test_add_line (SpProfileBuilder *builder,
                  const char       *line)
{
  const char *space = strrchr (line, ' ');
  g_autofree char *stack = g_strndup (line, space - line);
  g_auto(GStrv) names = g_strsplit (stack, ";", -1);
  guint n = g_strv_length (names);
  g_autofree guint32 *frames = g_new (guint32, n);
  double weights[SP_N_METRICS] = { g_ascii_strtod (space + 1, NULL) };

  for (guint j = 0; j < n; j++)
    frames[j] = names[j][0] == '@'
                ? sp_profile_builder_intern_frame_full (builder, names[j] + 1, SP_FRAME_KIND_THREAD)
                : sp_profile_builder_intern_frame (builder, names[j], -1);
  return sp_profile_builder_add_stack (builder, frames, n, FALSE, weights);
}

static inline SpProfile *
sp_test_profile_from_lines (const char * const *lines)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  for (guint i = 0; lines[i] != NULL; i++)
    sp_test_add_line (builder, lines[i]);
  return sp_profile_builder_end (builder);
}

/* Lines led by the time of their samples, "0.25 a;b;c 3", in time order: each also becomes a
 * timeline entry. */
static inline void
sp_test_add_timeline_lines (SpProfileBuilder   *builder,
                            const char * const *lines)
{
  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *rest;
      double time = g_ascii_strtod (lines[i], &rest);
      guint32 leaf = sp_test_add_line (builder, rest + 1);

      sp_profile_builder_add_timeline_sample (builder, time, leaf,
                                              g_ascii_strtod (strrchr (lines[i], ' ') + 1, NULL));
    }
}

static inline SpProfile *
sp_test_timeline_profile (const char * const *lines)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();

  sp_test_add_timeline_lines (builder, lines);
  return sp_profile_builder_end (builder);
}

/* The root-first stack of node as "a;b;c". */
static inline char *
sp_test_node_path (SpProfile *profile,
                   guint32    node)
{
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  GString *s = g_string_new (NULL);

  for (; node != SP_NO_NODE; node = parents[node])
    {
      if (s->len > 0)
        g_string_prepend_c (s, ';');
      g_string_prepend (s, sp_profile_get_frame (profile, frames[node])->name);
    }
  return g_string_free (s, FALSE);
}
