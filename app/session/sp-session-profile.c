/* sp-session-profile.c: the agent's recording as an SpProfile
 *
 * A statistical recording arrives aggregated: a frame table, a thread table and the stacks,
 * packed into one string (json-glib would build a node for every number of them).  A deterministic one arrives as per-function
 * figures [calls, seconds, bytes, gc seconds], in total and per run.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-session-private.h"

static gboolean
fail_malformed (GError    **error,
                const char *what)
{
  g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL,
               _("The agent sent a malformed recording: %s"), what);
  return FALSE;
}

JsonArray *
sp_session_json_array (JsonObject *object,
                       const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

double
sp_session_json_number (JsonObject *object,
                        const char *member,
                        double      fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  return is_number (node) ? json_node_get_double (node) : fallback;
}

static guint
get_line (JsonObject *object)
{
  return (guint) MAX (0, sp_session_json_number (object, "line", 0));
}

/* The agent prints names from a package that uses only COMMON-LISP, so a function or method
 * name without a package prefix (TRUNCATE, (SETF GETHASH)) is one of COMMON-LISP's. */
static gboolean
is_common_lisp_function (const char *name)
{
  g_autofree char *package = NULL;
  SpFrameKind kind = sp_frame_kind_from_name (name, &package);

  return package == NULL && (kind == SP_FRAME_KIND_FUNCTION || kind == SP_FRAME_KIND_METHOD);
}

/* Interns every frame of the agent's table; map[i] is the builder's id of frame i. */
guint32 *
sp_session_intern_frames (SpProfileBuilder *builder,
               JsonArray        *frames,
               GError          **error)
{
  guint n = json_array_get_length (frames);
  g_autofree guint32 *map = g_new (guint32, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (frames, i);
      JsonObject *frame = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = NULL, *file;

      if (frame != NULL)
        name = json_object_get_string_member_with_default (frame, "name", NULL);
      if (name == NULL)
        {
          fail_malformed (error, _("a frame without a name"));
          return NULL;
        }
      map[i] = sp_profile_builder_intern_frame (builder, name, -1);
      if (is_common_lisp_function (name))
        sp_profile_builder_set_frame_package (builder, map[i], "COMMON-LISP");
      file = json_object_get_string_member_with_default (frame, "file", NULL);
      if (file != NULL)
        sp_profile_builder_set_frame_location (builder, map[i], file, get_line (frame));
    }
  return g_steal_pointer (&map);
}

/* The stacks column (PROTOCOL.md): numbers written with base-64 digits of 5 bits each, low
 * digits first, 32 added to every digit of a number but its last.  Each stack is: thread,
 * count, how many leading frames it shares with the stack before, how many frames follow, and
 * their ids, outermost first. */
typedef struct
{
  const char *p;
  const char *end;
  guint       n_threads;
  guint       n_frames;
  guint       n_read;
  guint32     thread;
  double      count;
  guint       shared;
  GArray     *ids;          /* guint32: the frames of the stack just read, outermost first */
} StackReader;

typedef enum
{
  READ_STACK,
  READ_END,
  READ_FAILED
} ReadResult;

/* Digit values, and 0xff for a character that is no base-64 digit. */
static const guint8 *
digit_values (void)
{
  static guint8 values[256];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      const char *digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

      memset (values, 0xff, sizeof values);
      for (guint i = 0; i < 64; i++)
        values[(guchar) digits[i]] = i;
      g_once_init_leave (&done, 1);
    }
  return values;
}

static gboolean
read_number (StackReader *reader,
             guint64     *value,
             GError     **error)
{
  const guint8 *values = digit_values ();
  guint64 number = 0;

  for (guint shift = 0;; shift += 5)
    {
      guint8 digit;

      if (reader->p == reader->end)
        return fail_malformed (error, _("the stacks end in the middle of a stack"));
      digit = values[(guchar) *reader->p++];
      if (digit == 0xff)
        return fail_malformed (error, _("the stacks hold a character that is no base-64 digit"));
      if (shift > 50)
        return fail_malformed (error, _("the stacks hold a number too large"));
      number |= (guint64) (digit & 31) << shift;
      if (!(digit & 32))
        break;
    }
  *value = number;
  return TRUE;
}

static ReadResult
fail_stack (GError    **error,
            const char *what)
{
  fail_malformed (error, what);
  return READ_FAILED;
}

static ReadResult
read_stack (StackReader *reader,
            GError     **error)
{
  guint64 thread, count, shared, n, id;

  if (reader->p == reader->end)
    return READ_END;
  if (!read_number (reader, &thread, error) || !read_number (reader, &count, error) ||
      !read_number (reader, &shared, error) || !read_number (reader, &n, error))
    return READ_FAILED;
  if (thread >= reader->n_threads)
    return fail_stack (error, _("a stack names an unknown thread"));
  if (shared > reader->ids->len)
    return fail_stack (error, _("a stack shares more frames than the stack before has"));
  /* every number takes a character at least */
  if (n > (guint64) (reader->end - reader->p))
    return fail_stack (error, _("the stacks end in the middle of a stack"));
  if (count == 0 || shared + n == 0)
    return fail_stack (error, _("a stack without samples or frames"));

  g_array_set_size (reader->ids, shared);
  for (guint64 i = 0; i < n; i++)
    {
      guint32 id32;

      if (!read_number (reader, &id, error))
        return READ_FAILED;
      if (id >= reader->n_frames)
        return fail_stack (error, _("a stack names an unknown frame"));
      id32 = (guint32) id;
      g_array_append_val (reader->ids, id32);
    }
  reader->thread = (guint32) thread;
  reader->count = (double) count;
  reader->shared = (guint) shared;
  reader->n_read++;
  return READ_STACK;
}

static void
stack_reader_init (StackReader *reader,
                   const char  *column,
                   guint        n_threads,
                   guint        n_frames,
                   GArray      *ids)
{
  reader->p = column;
  reader->end = column + strlen (column);
  reader->n_threads = n_threads;
  reader->n_frames = n_frames;
  reader->n_read = 0;
  reader->shared = 0;
  reader->ids = ids;
}

/* Adds every stack of the column, checking it as it goes.  A stack's shared frames are the
 * nodes of the stack before: only its own frames are looked up.  thread_frames (NULL when the
 * agent names one thread only) are the roots. */
static gboolean
add_column (SpProfileBuilder *builder,
            const char       *column,
            gint64            n_stacks,
            guint             n_threads,
            const guint32    *map,
            guint             n_frames,
            const guint32    *thread_frames,
            gboolean          alloc,
            double            bytes_per_sample,
            GError          **error)
{
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  StackReader reader;
  ReadResult read;
  guint valid = 0;   /* nodes that still describe the stack before */
  guint32 root = SP_NO_NODE;
  gint64 root_thread = -1;

  stack_reader_init (&reader, column, n_threads, n_frames, ids);
  while ((read = read_stack (&reader, error)) == READ_STACK)
    {
      const guint32 *stack = (const guint32 *) (gpointer) ids->data;
      guint depth = ids->len;
      guint32 node;

      if (thread_frames != NULL && reader.thread != root_thread)
        {
          root = sp_profile_builder_get_child (builder, SP_NO_NODE, thread_frames[reader.thread]);
          root_thread = reader.thread;
          valid = 0;
        }
      valid = MIN (valid, reader.shared);
      g_array_set_size (nodes, depth);
      for (guint i = valid; i < depth; i++)
        g_array_index (nodes, guint32, i) =
          sp_profile_builder_get_child (builder, i > 0 ? g_array_index (nodes, guint32, i - 1) : root,
                                        map[stack[i]]);
      valid = depth;
      node = g_array_index (nodes, guint32, depth - 1);
      sp_profile_builder_add_weight (builder, node, SP_METRIC_SAMPLES, reader.count);
      if (alloc && bytes_per_sample > 0)
        sp_profile_builder_add_weight (builder, node, SP_METRIC_BYTES,
                                       reader.count * bytes_per_sample);
    }
  if (read == READ_FAILED)
    return FALSE;
  if (reader.n_read != n_stacks)
    return fail_malformed (error, _("the stacks are fewer or more than stack_count says"));
  return TRUE;
}

static gboolean
add_stacks (SpProfileBuilder *builder,
            JsonObject       *result,
            gboolean          alloc,
            gint64            bytes_consed,
            GError          **error)
{
  JsonArray *frames = sp_session_json_array (result, "frames");
  JsonArray *threads = sp_session_json_array (result, "threads");
  JsonNode *stacks = json_object_get_member (result, "stacks");
  JsonNode *n_stacks = json_object_get_member (result, "stack_count");
  double samples = sp_session_json_number (result, "samples", 0);
  const char *column;
  double bytes_per_sample;
  g_autofree guint32 *map = NULL;
  g_autofree guint32 *thread_frames = NULL;
  guint n_threads;

  if (frames == NULL || threads == NULL || stacks == NULL || n_stacks == NULL)
    return fail_malformed (error, _("frames, threads, stacks or stack_count are missing"));
  if (json_node_get_value_type (stacks) != G_TYPE_STRING ||
      json_node_get_value_type (n_stacks) != G_TYPE_INT64)
    return fail_malformed (error, _("the stacks are not a string, or stack_count no integer"));
  column = json_node_get_string (stacks);
  n_threads = json_array_get_length (threads);
  if ((map = sp_session_intern_frames (builder, frames, error)) == NULL)
    return FALSE;

  /* The agent names only the threads that have samples. */
  if (n_threads > 1)
    {
      thread_frames = g_new0 (guint32, n_threads);
      for (guint i = 0; i < n_threads; i++)
        {
          const char *name = json_array_get_string_element (threads, i);

          thread_frames[i] = sp_profile_builder_intern_frame_full (builder, name ? name : "thread",
                                                                   SP_FRAME_KIND_THREAD);
        }
    }

  /* The agent cannot see sizes per sample; spread the bytes consed over the samples (an
   * estimate: see sp_session_alloc_estimate_note).  Not when samples were dropped: the bytes
   * consed cover the whole recording, the samples only its start. */
  bytes_per_sample = samples > 0 && bytes_consed > 0 ? bytes_consed / samples : 0;
  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  if (alloc && bytes_per_sample > 0)
    sp_profile_builder_enable_metric (builder, SP_METRIC_BYTES);
  return add_column (builder, column, json_node_get_int (n_stacks), n_threads, map,
                     json_array_get_length (frames), thread_frames, alloc, bytes_per_sample,
                     error);
}

static gboolean
read_figures (JsonNode   *node,
              SpRunStats *stats)
{
  JsonArray *figures = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  sp_run_stats_init (stats);
  if (figures == NULL || json_array_get_length (figures) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    if (!is_number (json_array_get_element (figures, i)))
      return FALSE;
  stats->calls = json_array_get_int_element (figures, 0);
  stats->seconds = json_array_get_double_element (figures, 1);
  stats->bytes = json_array_get_int_element (figures, 2);
  stats->gc_seconds = json_array_get_double_element (figures, 3);
  return TRUE;
}

static gboolean
add_function (SpProfileBuilder *builder,
              JsonObject       *function,
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

  stats.frame = sp_profile_builder_intern_frame (builder, name, -1);
  if (file != NULL)
    sp_profile_builder_set_frame_location (builder, stats.frame, file, get_line (function));
  sp_profile_builder_add_function_stats (builder, &stats);
  return TRUE;
}

static gboolean
add_functions (SpProfileBuilder *builder,
               JsonObject       *result,
               GError          **error)
{
  JsonArray *functions = sp_session_json_array (result, "functions");

  if (functions == NULL)
    return fail_malformed (error, _("the functions are missing"));
  for (guint i = 0; i < json_array_get_length (functions); i++)
    {
      JsonNode *node = json_array_get_element (functions, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail_malformed (error, _("a function is not an object"));
      if (!add_function (builder, json_node_get_object (node), error))
        return FALSE;
    }
  return TRUE;
}

static void
fill_meta (SpProfileMeta       *meta,
           const SpProfileMeta *known,
           JsonObject          *result)
{
  sp_profile_meta_clear (meta);
  sp_profile_meta_copy (meta, known);
  /* Allocation samples come per allocation region filled, not per interval. */
  meta->interval = meta->mode == SP_MODE_CPU || meta->mode == SP_MODE_TIME
                   ? sp_session_json_number (result, "interval", meta->interval) : -1;
  meta->duration = sp_session_json_number (result, "duration", -1);
  meta->gc_seconds = sp_session_json_number (result, "gc_seconds", -1);
  meta->bytes_consed = (gint64) sp_session_json_number (result, "bytes_consed", -1);
  meta->sample_count = meta->mode == SP_MODE_DETERMINISTIC
                       ? -1 : (gint64) sp_session_json_number (result, "samples", -1);
  meta->truncated = json_object_get_boolean_member_with_default (result, "truncated", FALSE);
}

SpProfile *
sp_session_build_profile (JsonObject          *result,
                          const SpProfileMeta *meta,
                          GError             **error)
{
  g_autoptr(SpProfileBuilder) builder = sp_profile_builder_new ();
  SpProfileMeta *profile_meta = sp_profile_builder_get_meta (builder);
  gboolean ok;

  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (meta != NULL, NULL);

  fill_meta (profile_meta, meta, result);
  if (meta->mode == SP_MODE_DETERMINISTIC)
    ok = add_functions (builder, result, error);
  else if (meta->mode == SP_MODE_ALLOC_EXACT)
    ok = sp_session_add_allocations (builder, result, error);
  else
    ok = add_stacks (builder, result, meta->mode == SP_MODE_ALLOC,
                     profile_meta->truncated ? -1 : profile_meta->bytes_consed, error);
  if (!ok || !sp_session_add_memory (builder, result, error))
    return NULL;
  return sp_profile_builder_end (g_steal_pointer (&builder));
}

static char **
read_backtrace (JsonObject *error_object)
{
  JsonArray *frames = sp_session_json_array (error_object, "backtrace");
  GPtrArray *lines = g_ptr_array_new ();

  for (guint i = 0; frames != NULL && i < json_array_get_length (frames); i++)
    {
      const char *line = json_array_get_string_element (frames, i);

      if (line != NULL)
        g_ptr_array_add (lines, g_strdup (line));
    }
  g_ptr_array_add (lines, NULL);
  return (char **) g_ptr_array_free (lines, FALSE);
}

GError *
sp_session_error_from_reply (JsonObject   *error_object,
                             SpLispError **lisp_error)
{
  const char *kind = json_object_get_string_member_with_default (error_object, "kind", "");
  const char *message = json_object_get_string_member_with_default (error_object, "message",
                                                                    _("unknown error"));
  SpSessionError code = SP_SESSION_ERROR_LISP;

  if (g_str_equal (kind, "interrupted"))
    code = SP_SESSION_ERROR_INTERRUPTED;
  else if (g_str_equal (kind, "busy"))
    code = SP_SESSION_ERROR_BUSY;
  else if (g_str_equal (kind, "invalid"))
    code = SP_SESSION_ERROR_INVALID;

  if (code == SP_SESSION_ERROR_LISP && lisp_error != NULL)
    {
      *lisp_error = g_new0 (SpLispError, 1);
      (*lisp_error)->condition_type =
        g_strdup (json_object_get_string_member_with_default (error_object, "type", ""));
      (*lisp_error)->message = g_strdup (message);
      (*lisp_error)->backtrace = read_backtrace (error_object);
    }
  return g_error_new_literal (SP_SESSION_ERROR, code, message);
}
