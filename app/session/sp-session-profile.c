/* sp-session-profile.c: the agent's recording as an SpProfile
 *
 * A statistical recording arrives in sample batches, merged by an SpSampleStream (those the
 * agent streamed while recording, then the stop reply's).  A deterministic one is read by
 * sp-session-deterministic.c.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sp-sample-stream.h"
#include "sp-session-private.h"

gboolean
sp_session_fail_malformed (GError    **error,
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

static const char *
node_string (JsonNode   *node,
             const char *fallback)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

const char *
sp_session_json_string (JsonObject *object,
                        const char *member,
                        const char *fallback)
{
  return node_string (json_object_get_member (object, member), fallback);
}

const char *
sp_session_json_array_string (JsonArray *array,
                              guint      index)
{
  return node_string (json_array_get_element (array, index), NULL);
}

gboolean
sp_session_json_bool (JsonObject *object,
                      const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

gint64
sp_session_json_integer (JsonObject *object,
                         const char *member,
                         gint64      fallback)
{
  double value = sp_session_json_number (object, member, NAN);

  /* what a gint64 holds (a cast of inf or 1e300 would be undefined), or the fallback */
  return fabs (value) < 4.6e18 ? (gint64) value : fallback;
}

static guint
get_line (JsonObject *object)
{
  return (guint) CLAMP (sp_session_json_integer (object, "line", 0), 0, G_MAXUINT);
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

guint32
sp_session_intern_frame (SpProfileBuilder *builder,
                         const char       *name,
                         const char       *file,
                         guint             line)
{
  return sp_session_intern_frame_variant (builder, name, NULL, file, line);
}

guint32
sp_session_intern_frame_variant (SpProfileBuilder *builder,
                                 const char       *name,
                                 const char       *variant,
                                 const char       *file,
                                 guint             line)
{
  guint32 id = sp_profile_builder_intern_frame_variant (builder, name, variant);

  if (is_common_lisp_function (name))
    sp_profile_builder_set_frame_package (builder, id, "COMMON-LISP");
  if (file != NULL)
    sp_profile_builder_set_frame_location (builder, id, file, line);
  return id;
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
        name = sp_session_json_string (frame, "name", NULL);
      if (name == NULL)
        {
          sp_session_fail_malformed (error, _("a frame without a name"));
          return NULL;
        }
      file = sp_session_json_string (frame, "file", NULL);
      /* distinct functions whose names print alike carry a variant (PROTOCOL.md) */
      map[i] = sp_session_intern_frame_variant (builder, name,
                                                sp_session_json_string (frame, "variant", NULL),
                                                file, get_line (frame));
    }
  return g_steal_pointer (&map);
}

static void
fill_meta (SpProfileMeta       *meta,
           const SpProfileMeta *known,
           JsonObject          *result)
{
  const char *end_reason = sp_session_json_string (result, "end_reason", NULL);

  sp_profile_meta_clear (meta);
  sp_profile_meta_copy (meta, known);
  /* Allocation samples come per allocation region filled, not per interval. */
  meta->interval = meta->mode == SP_MODE_CPU || meta->mode == SP_MODE_TIME
                   ? sp_session_json_number (result, "interval", meta->interval) : -1;
  meta->duration = sp_session_json_number (result, "duration", -1);
  meta->gc_seconds = sp_session_json_number (result, "gc_seconds", -1);
  meta->bytes_consed = sp_session_json_integer (result, "bytes_consed", -1);
  meta->sample_count = meta->mode == SP_MODE_DETERMINISTIC
                       ? -1 : sp_session_json_integer (result, "samples", -1);
  meta->truncated = sp_session_json_bool (result, "truncated");
  if (end_reason != NULL && meta->end_reason == NULL)
    meta->end_reason = g_strdup (end_reason);
}

/* The stop reply's runs: [{"seconds", "gc_seconds", "bytes_consed", "samples"}, …]. */
static GArray *
read_run_summaries (JsonObject *result)
{
  JsonArray *runs = sp_session_json_array (result, "runs");
  GArray *summaries;

  if (runs == NULL || json_array_get_length (runs) == 0)
    return NULL;
  summaries = g_array_new (FALSE, FALSE, sizeof (SpRunSummary));
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonNode *node = json_array_get_element (runs, i);
      JsonObject *run = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      SpRunSummary summary = { -1, -1, -1, -1 };

      if (run != NULL)
        {
          summary.seconds = sp_session_json_number (run, "seconds", -1);
          summary.gc_seconds = sp_session_json_number (run, "gc_seconds", -1);
          summary.bytes_consed = sp_session_json_integer (run, "bytes_consed", -1);
          summary.samples = sp_session_json_number (run, "samples", -1);
        }
      g_array_append_val (summaries, summary);
    }
  return summaries;
}

static gboolean
add_batches (SpSampleStream *stream,
             JsonObject     *result,
             GError        **error)
{
  JsonArray *batches = sp_session_json_array (result, "batches");

  if (batches == NULL)
    return sp_session_fail_malformed (error, _("the batches are missing"));
  for (guint i = 0; i < json_array_get_length (batches); i++)
    {
      JsonNode *node = json_array_get_element (batches, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return sp_session_fail_malformed (error, _("a batch is not an object"));
      if (!sp_sample_stream_add_batch (stream, json_node_get_object (node), error))
        return FALSE;
    }
  return TRUE;
}

/* The profile of a statistical recording: stream holds the batches streamed so far (it may be
 * empty); the stop reply's are added. */
SpProfile *
sp_session_build_stream_profile (SpSampleStream      *stream,
                                 JsonObject          *result,
                                 const SpProfileMeta *meta,
                                 GError             **error)
{
  g_autoptr(SpProfileBuilder) builder = sp_profile_builder_new ();
  SpProfileMeta *profile_meta = sp_profile_builder_get_meta (builder);
  double bytes_per_sample = 0;

  if (!add_batches (stream, result, error))
    return NULL;
  fill_meta (profile_meta, meta, result);
  /* The agent cannot see sizes per sample; spread the bytes consed over the samples (an
   * estimate: see sp_session_alloc_estimate_note).  Not when samples were dropped: the bytes
   * consed cover the whole recording, the samples only its start. */
  if (meta->mode == SP_MODE_ALLOC && !profile_meta->truncated && profile_meta->sample_count > 0 &&
      profile_meta->bytes_consed > 0)
    bytes_per_sample = (double) profile_meta->bytes_consed / profile_meta->sample_count;
  sp_sample_stream_fill (stream, builder, bytes_per_sample, TRUE);
  sp_profile_builder_get_sections (builder)->run_summaries = read_run_summaries (result);
  if (!sp_session_add_memory (builder, result, error))
    return NULL;
  return sp_profile_builder_end (g_steal_pointer (&builder));
}

SpProfile *
sp_session_build_profile (JsonObject          *result,
                          const SpProfileMeta *meta,
                          GError             **error)
{
  g_autoptr(SpProfileBuilder) builder = NULL;
  gboolean ok;

  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (meta != NULL, NULL);

  if (meta->mode != SP_MODE_DETERMINISTIC && meta->mode != SP_MODE_ALLOC_EXACT)
    {
      g_autoptr(SpSampleStream) stream = sp_sample_stream_new ();

      return sp_session_build_stream_profile (stream, result, meta, error);
    }
  builder = sp_profile_builder_new ();
  fill_meta (sp_profile_builder_get_meta (builder), meta, result);
  sp_profile_builder_get_sections (builder)->run_summaries = read_run_summaries (result);
  if (meta->mode == SP_MODE_DETERMINISTIC)
    ok = sp_session_add_deterministic (builder, result, error);
  else
    ok = sp_session_add_allocations (builder, result, error);
  if (!ok || !sp_session_add_memory (builder, result, error))
    return NULL;
  return sp_profile_builder_finish (g_steal_pointer (&builder), error);
}

static char **
read_backtrace (JsonObject *error_object)
{
  JsonArray *frames = sp_session_json_array (error_object, "backtrace");
  GPtrArray *lines = g_ptr_array_new ();

  for (guint i = 0; frames != NULL && i < json_array_get_length (frames); i++)
    {
      const char *line = sp_session_json_array_string (frames, i);

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
  const char *kind = sp_session_json_string (error_object, "kind", "");
  const char *message = sp_session_json_string (error_object, "message",
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
        g_strdup (sp_session_json_string (error_object, "type", ""));
      (*lisp_error)->message = g_strdup (message);
      (*lisp_error)->backtrace = read_backtrace (error_object);
    }
  return g_error_new_literal (SP_SESSION_ERROR, code, message);
}
