/* sp-session-deterministic.c: a deterministic recording (sb-profile) as an SpProfile
 *
 * The agent sends each called function's figures, in total and per run, with seconds
 * corrected as sb-profile:report corrects them and the raw seconds measured; the calibration
 * it used; and the call paths among the instrumented functions, which become the call tree:
 * calls per path exact, each function's corrected seconds split over its paths in proportion
 * to the raw time measured on each.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-session-private.h"

#define fail_malformed sp_session_fail_malformed

/* The object a node holds, or NULL (the agent is not trusted to send what it should). */
static JsonObject *
object_of (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
read_figures (JsonNode   *node,
              SpRunStats *stats)
{
  JsonObject *figures = object_of (node);

  sp_run_stats_init (stats);
  if (figures == NULL)
    return FALSE;
  stats->calls = (gint64) sp_session_json_number (figures, "calls", -1);
  stats->seconds = sp_session_json_number (figures, "seconds", -1);
  stats->raw_seconds = sp_session_json_number (figures, "raw_seconds", -1);
  stats->bytes = (gint64) sp_session_json_number (figures, "bytes", -1);
  stats->gc_seconds = sp_session_json_number (figures, "gc_seconds", -1);
  return stats->calls >= 0 && stats->seconds >= 0;
}

static gboolean
add_function (SpProfileBuilder *builder,
              JsonObject       *function,
              guint32          *frame,
              double           *seconds,
              GError          **error)
{
  const char *name = json_object_get_string_member_with_default (function, "name", NULL);
  const char *file = json_object_get_string_member_with_default (function, "file", NULL);
  JsonArray *runs = sp_session_json_array (function, "runs");
  SpFunctionStats stats = { 0 };
  g_autofree SpRunStats *run_stats = NULL;

  if (name == NULL || runs == NULL ||
      !read_figures (json_object_get_member (function, "total"), &stats.total))
    return fail_malformed (error, _("a function without a name or figures"));

  stats.n_runs = json_array_get_length (runs);
  run_stats = g_new0 (SpRunStats, MAX (stats.n_runs, 1));
  for (guint i = 0; i < stats.n_runs; i++)
    if (!read_figures (json_array_get_element (runs, i), &run_stats[i]))
      return fail_malformed (error, _("a run without figures"));
  stats.runs = stats.n_runs > 0 ? run_stats : NULL;

  stats.frame = *frame = sp_session_intern_frame (builder, name, file,
                                                  (guint) MAX (0, sp_session_json_number (function, "line", 0)));
  *seconds = stats.total.seconds;
  sp_profile_builder_add_function_stats (builder, &stats);
  return TRUE;
}

typedef struct
{
  guint32 parent;        /* index of the parent path, or SP_NO_NODE for a root */
  guint32 function;      /* index into the reply's functions */
  double  calls;
  double  raw_self;      /* nanoseconds of the path's own code, overhead included */
} Path;

static gboolean
read_paths (const char *column,
            gint64      n_paths,
            guint       n_functions,
            GArray     *paths,
            GError    **error)
{
  const char *p = column, *end = column + strlen (column);

  while (p < end)
    {
      guint64 numbers[4];
      Path path;

      for (guint i = 0; i < 4; i++)
        if (!sp_session_read_packed_number (&p, end, &numbers[i], error))
          return FALSE;
      if (numbers[0] > paths->len)
        return fail_malformed (error, _("a call path’s parent does not come before it"));
      if (numbers[1] >= n_functions)
        return fail_malformed (error, _("a call path names an unknown function"));
      path.parent = numbers[0] == 0 ? SP_NO_NODE : (guint32) (numbers[0] - 1);
      path.function = (guint32) numbers[1];
      path.calls = (double) numbers[2];
      path.raw_self = (double) numbers[3];
      g_array_append_val (paths, path);
    }
  if ((gint64) paths->len != n_paths)
    return fail_malformed (error, _("the call paths are fewer or more than path_count says"));
  return TRUE;
}

/* Each function's corrected seconds, spread over its paths by their raw time (by their calls
 * when no time was measured). */
static void
add_paths (SpProfileBuilder *builder,
           GArray           *paths,
           const guint32    *frames,
           const double     *seconds,
           guint             n_functions)
{
  g_autofree double *raw = g_new0 (double, MAX (n_functions, 1));
  g_autofree double *calls = g_new0 (double, MAX (n_functions, 1));
  g_autofree guint32 *nodes = g_new (guint32, MAX (paths->len, 1));

  for (guint i = 0; i < paths->len; i++)
    {
      const Path *path = &g_array_index (paths, Path, i);

      raw[path->function] += path->raw_self;
      calls[path->function] += path->calls;
    }
  sp_profile_builder_enable_metric (builder, SP_METRIC_SECONDS);
  sp_profile_builder_enable_metric (builder, SP_METRIC_CALLS);
  for (guint i = 0; i < paths->len; i++)
    {
      const Path *path = &g_array_index (paths, Path, i);
      guint32 f = path->function;
      double share = raw[f] > 0 ? path->raw_self / raw[f]
                     : calls[f] > 0 ? path->calls / calls[f] : 0;

      nodes[i] = sp_profile_builder_get_child (builder,
                                               path->parent == SP_NO_NODE ? SP_NO_NODE
                                                                          : nodes[path->parent],
                                               frames[f]);
      sp_profile_builder_add_weight (builder, nodes[i], SP_METRIC_CALLS, path->calls);
      sp_profile_builder_add_weight (builder, nodes[i], SP_METRIC_SECONDS, seconds[f] * share);
    }
}

static void
read_overhead (SpProfileMeta *meta,
               JsonObject    *result)
{
  JsonObject *overhead = object_of (json_object_get_member (result, "overhead"));

  if (overhead == NULL)
    return;
  meta->overhead_call = sp_session_json_number (overhead, "call", -1);
  meta->overhead_nested = sp_session_json_number (overhead, "nested", -1);
}

gboolean
sp_session_add_deterministic (SpProfileBuilder *builder,
                              JsonObject       *result,
                              GError          **error)
{
  JsonArray *functions = sp_session_json_array (result, "functions");
  JsonNode *column = json_object_get_member (result, "paths");
  g_autoptr(GArray) paths = g_array_new (FALSE, FALSE, sizeof (Path));
  g_autofree guint32 *frames = NULL;
  g_autofree double *seconds = NULL;
  guint n;

  if (functions == NULL)
    return fail_malformed (error, _("the functions are missing"));
  n = json_array_get_length (functions);
  frames = g_new (guint32, MAX (n, 1));
  seconds = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (functions, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail_malformed (error, _("a function is not an object"));
      if (!add_function (builder, json_node_get_object (node), &frames[i], &seconds[i], error))
        return FALSE;
    }
  read_overhead (sp_profile_builder_get_meta (builder), result);

  if (column == NULL)
    return TRUE;
  if (json_node_get_value_type (column) != G_TYPE_STRING)
    return fail_malformed (error, _("the call paths are not a string"));
  if (!read_paths (json_node_get_string (column),
                   (gint64) sp_session_json_number (result, "path_count", -1), n, paths, error))
    return FALSE;
  add_paths (builder, paths, frames, seconds, n);
  return TRUE;
}
