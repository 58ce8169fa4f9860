/* sp-speedscope.c: speedscope's file format, https://www.speedscope.app/file-format-schema.json */
#define G_LOG_DOMAIN "sp-speedscope"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sp-speedscope.h"
#include "sp-profile-time.h"

#define SPEEDSCOPE_SCHEMA "https://www.speedscope.app/file-format-schema.json"

/* ---- Writing ---- */

static void
write_shared_frames (SpWriter  *writer,
                     SpProfile *profile)
{
  guint n = sp_profile_get_n_frames (profile);

  sp_writer_puts (writer, "\"shared\": {\"frames\": [");
  for (guint i = 0; i < n; i++)
    {
      const SpFrame *frame = sp_profile_get_frame (profile, i);

      sp_writer_puts (writer, i > 0 ? ",\n  {\"name\": " : "\n  {\"name\": ");
      sp_writer_append_json_string (writer, frame->name);
      if (frame->file != NULL)
        {
          sp_writer_puts (writer, ", \"file\": ");
          sp_writer_append_json_string (writer, frame->file);
        }
      if (frame->line > 0)
        sp_writer_printf (writer, ", \"line\": %u", frame->line);
      sp_writer_puts (writer, "}");
    }
  sp_writer_puts (writer, "\n]},\n");
}

typedef struct
{
  guint32 node;
  gsize   prefix_len;
} PathEntry;

/* One sample per node with self weight: its stack as frame indices, root first. */
static void
write_samples (SpWriter     *writer,
               SpProfile    *profile,
               const double *weights)
{
  guint n_nodes = sp_profile_get_n_nodes (profile);
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (PathEntry));
  g_autoptr(GString) prefix = g_string_new (NULL);
  gboolean first = TRUE;

  sp_writer_puts (writer, "\"samples\": [");
  /* a tree without weights (a file may hold one) has no samples */
  for (guint i = 0; i < n_nodes && weights != NULL && !sp_writer_failed (writer); i++)
    {
      PathEntry entry = { i, 0 };

      while (path->len > 0 && g_array_index (path, PathEntry, path->len - 1).node != parents[i])
        g_array_set_size (path, path->len - 1);
      g_string_truncate (prefix, path->len > 0 ? g_array_index (path, PathEntry, path->len - 1).prefix_len : 0);
      g_string_append_printf (prefix, path->len > 0 ? ",%u" : "%u", frames[i]);
      entry.prefix_len = prefix->len;
      g_array_append_val (path, entry);

      if (weights[i] == 0)
        continue;
      sp_writer_puts (writer, first ? "\n  [" : ",\n  [");
      sp_writer_append (writer, prefix->str, prefix->len);
      sp_writer_puts (writer, "]");
      first = FALSE;
    }
  sp_writer_puts (writer, "],\n\"weights\": [");
  first = TRUE;
  for (guint i = 0; i < n_nodes && weights != NULL; i++)
    if (weights[i] != 0)
      {
        if (!first)
          sp_writer_puts (writer, ",");
        sp_writer_append_number (writer, weights[i]);
        first = FALSE;
      }
  sp_writer_puts (writer, "]");
}

/* The stack of node as frame indices, root first. */
static void
append_stack (GString       *out,
              SpProfile     *profile,
              guint32        node,
              GArray        *scratch)
{
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);

  g_array_set_size (scratch, 0);
  for (; node != SP_NO_NODE; node = parents[node])
    g_array_append_val (scratch, frames[node]);
  for (guint i = scratch->len; i-- > 0;)
    g_string_append_printf (out, i + 1 < scratch->len ? ",%u" : "%u", g_array_index (scratch, guint32, i));
}

/* One sample per timeline entry, in time order, so that speedscope's Time Order view shows
 * the recording as it ran; then one per node whose weight no entry carries. */
static void
write_samples_in_time_order (SpWriter  *writer,
                             SpProfile *profile,
                             SpMetric   metric)
{
  guint n, n_nodes = sp_profile_get_n_nodes (profile);
  const SpTimelineSample *timeline = sp_profile_get_timeline (profile, &n);
  const double *self = sp_profile_get_self_weights (profile, metric);
  g_autofree double *weights = sp_profile_get_timeline_weights (profile, metric);
  g_autofree guint8 *covered = g_new0 (guint8, MAX (n_nodes, 1));
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GString) stack = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    covered[timeline[i].node] = 1;
  sp_writer_puts (writer, "\"samples\": [");
  for (guint i = 0; i < n + n_nodes && !sp_writer_failed (writer); i++)
    {
      guint32 node = i < n ? timeline[i].node : i - n;

      if (i < n ? weights[i] == 0 : covered[node] || self[node] == 0)
        continue;
      g_string_assign (stack, order->len > 0 ? ",\n  [" : "\n  [");
      append_stack (stack, profile, node, scratch);
      g_string_append_c (stack, ']');
      sp_writer_append (writer, stack->str, stack->len);
      g_array_append_val (order, i);
    }
  sp_writer_puts (writer, "],\n\"weights\": [");
  for (guint k = 0; k < order->len; k++)
    {
      guint i = g_array_index (order, guint32, k);

      if (k > 0)
        sp_writer_puts (writer, ",");
      sp_writer_append_number (writer, i < n ? weights[i] : self[i - n]);
    }
  sp_writer_puts (writer, "]");
}

void
sp_speedscope_write (SpProfile *profile,
                     SpWriter  *writer)
{
  const SpProfileMeta *meta = sp_profile_get_meta (profile);
  SpMetric metric = sp_profile_get_default_metric (profile);
  const char *name = meta->source ? meta->source : "SBCL profile";

  sp_writer_puts (writer, "{\"$schema\": \"" SPEEDSCOPE_SCHEMA "\",\n"
                          "\"exporter\": \"sbcl-profiler " PACKAGE_VERSION "\",\n\"name\": ");
  sp_writer_append_json_string (writer, name);
  sp_writer_puts (writer, ",\n\"activeProfileIndex\": 0,\n");
  write_shared_frames (writer, profile);
  sp_writer_puts (writer, "\"profiles\": [{\"type\": \"sampled\", \"name\": ");
  sp_writer_append_json_string (writer, name);
  sp_writer_printf (writer, ", \"unit\": \"%s\", \"startValue\": 0, \"endValue\": ",
                    metric == SP_METRIC_BYTES ? "bytes" : "none");
  sp_writer_append_number (writer, sp_profile_get_grand_total (profile, metric));
  sp_writer_puts (writer, ",\n");
  if (sp_profile_get_timeline (profile, NULL) != NULL && sp_profile_has_metric (profile, metric))
    write_samples_in_time_order (writer, profile, metric);
  else
    write_samples (writer, profile, sp_profile_get_self_weights (profile, metric));
  sp_writer_puts (writer, "}]}\n");
}

/* ---- Reading ---- */

gboolean
sp_speedscope_detect (JsonObject *root)
{
  JsonNode *schema = json_object_get_member (root, "$schema");

  if (schema != NULL && JSON_NODE_HOLDS_VALUE (schema) &&
      json_node_get_value_type (schema) == G_TYPE_STRING &&
      strstr (json_node_get_string (schema), "speedscope") != NULL)
    return TRUE;
  return json_object_has_member (root, "shared") && json_object_has_member (root, "profiles");
}

typedef struct
{
  SpProfileBuilder *builder;
  guint32          *frame_ids;   /* speedscope frame index → builder frame */
  guint             n_frames;
} Reader;

static gboolean
read_shared_frames (Reader      *self,
                    JsonObject  *root,
                    GError     **error)
{
  JsonObject *shared;
  JsonArray *frames;

  if ((shared = sp_json_get_object (root, "shared", "shared", error)) == NULL ||
      (frames = sp_json_get_array (shared, "frames", "shared.frames", error)) == NULL)
    return FALSE;

  self->n_frames = json_array_get_length (frames);
  self->frame_ids = g_new (guint32, MAX (self->n_frames, 1));
  for (guint i = 0; i < self->n_frames; i++)
    {
      JsonNode *node = json_array_get_element (frames, i);
      g_autofree char *name = NULL;
      g_autofree char *file = NULL;
      gint64 line = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                       _("shared.frames[%u] must be an object, not %s"), i, sp_json_describe (node));
          return FALSE;
        }
      if (!sp_json_get_string (json_node_get_object (node), "name", "name", FALSE, &name, error) ||
          !sp_json_get_string (json_node_get_object (node), "file", "file", TRUE, &file, error) ||
          !sp_json_get_int (json_node_get_object (node), "line", "line", TRUE, &line, error))
        {
          g_prefix_error (error, "shared.frames[%u]: ", i);
          return FALSE;
        }
      self->frame_ids[i] = sp_profile_builder_intern_frame (self->builder, name ? name : "?", -1);
      if (file != NULL || line > 0)
        sp_profile_builder_set_frame_location (self->builder, self->frame_ids[i], file,
                                               line > 0 && line <= G_MAXUINT ? (guint) line : 0);
    }
  return TRUE;
}

static gboolean
frame_index (Reader    *self,
             JsonNode  *node,
             guint32   *frame,
             GError   **error)
{
  gint64 index;

  if (node == NULL)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, _("“frame” is missing"));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("a frame index must be an integer, not %s"), sp_json_describe (node));
      return FALSE;
    }
  index = json_node_get_int (node);
  if (index < 0 || index >= self->n_frames)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("frame index %lld is out of range (the file has %u frames)"),
                   (long long) index, self->n_frames);
      return FALSE;
    }
  *frame = self->frame_ids[index];
  return TRUE;
}

static gboolean
read_weight (JsonNode  *node,
             double    *weight,
             GError   **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("a weight must be a number, not %s"), sp_json_describe (node));
      return FALSE;
    }
  *weight = json_node_get_double (node);
  if (!(*weight >= 0) || !isfinite (*weight))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("negative weight (%g)"), *weight);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_sampled (Reader      *self,
              JsonObject  *profile,
              guint32      root,
              SpMetric     metric,
              GError     **error)
{
  JsonArray *samples, *weights = NULL;
  guint n;

  if ((samples = sp_json_get_array (profile, "samples", "samples", error)) == NULL ||
      (json_object_has_member (profile, "weights") &&
       (weights = sp_json_get_array (profile, "weights", "weights", error)) == NULL))
    return FALSE;
  n = json_array_get_length (samples);
  if (weights != NULL && json_array_get_length (weights) != n)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("%u samples but %u weights"), n, json_array_get_length (weights));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *sample = json_array_get_element (samples, i);
      guint32 node = root, frame;
      double weight = 1;
      JsonArray *stack;

      if (!JSON_NODE_HOLDS_ARRAY (sample))
        {
          g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                       _("samples[%u] must be an array, not %s"), i, sp_json_describe (sample));
          return FALSE;
        }
      stack = json_node_get_array (sample);
      for (guint j = 0; j < json_array_get_length (stack); j++)
        {
          if (!frame_index (self, json_array_get_element (stack, j), &frame, error))
            {
              g_prefix_error (error, "samples[%u]: ", i);
              return FALSE;
            }
          node = sp_profile_builder_get_child (self->builder, node, frame);
        }
      if (weights != NULL && !read_weight (json_array_get_element (weights, i), &weight, error))
        {
          g_prefix_error (error, "weights[%u]: ", i);
          return FALSE;
        }
      if (node != SP_NO_NODE)
        sp_profile_builder_add_weight (self->builder, node, metric, weight);
    }
  return TRUE;
}

typedef struct
{
  guint32 node;
  guint32 frame;
} OpenFrame;

static gboolean
read_event (Reader      *self,
            JsonObject  *event,
            GArray      *open,
            guint32      root,
            SpMetric     metric,
            double      *last_at,
            GError     **error)
{
  g_autofree char *type = NULL;
  double at = 0;
  guint32 frame;
  OpenFrame *top = open->len > 0 ? &g_array_index (open, OpenFrame, open->len - 1) : NULL;

  if (!sp_json_get_string (event, "type", "type", FALSE, &type, error) ||
      !sp_json_get_double (event, "at", "at", FALSE, &at, error) ||
      !frame_index (self, json_object_get_member (event, "frame"), &frame, error))
    return FALSE;
  if (!(at >= *last_at) || !isfinite (at))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“at” goes back in time (%g after %g)"), at, *last_at);
      return FALSE;
    }
  if (top != NULL && !isfinite (at - *last_at))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("the time since the last event is too long to count (%g to %g)"),
                   *last_at, at);
      return FALSE;
    }
  /* the time since the last event belongs to the innermost open frame */
  if (top != NULL && at > *last_at)
    sp_profile_builder_add_weight (self->builder, top->node, metric, at - *last_at);
  *last_at = at;

  if (g_strcmp0 (type, "O") == 0)
    {
      OpenFrame entry = { sp_profile_builder_get_child (self->builder, top ? top->node : root, frame), frame };
      g_array_append_val (open, entry);
    }
  else if (g_strcmp0 (type, "C") == 0)
    {
      if (top == NULL || top->frame != frame)
        {
          g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                       _("closes a frame that is not the innermost open one"));
          return FALSE;
        }
      g_array_set_size (open, open->len - 1);
    }
  else
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“type” is “%s”, not “O” or “C”"), type ? type : "null");
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_evented (Reader      *self,
              JsonObject  *profile,
              guint32      root,
              SpMetric     metric,
              GError     **error)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (OpenFrame));
  JsonArray *events;
  double last_at = -G_MAXDOUBLE;

  if ((events = sp_json_get_array (profile, "events", "events", error)) == NULL ||
      !sp_json_get_double (profile, "startValue", "startValue", TRUE, &last_at, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *event = json_array_get_element (events, i);

      if (!JSON_NODE_HOLDS_OBJECT (event))
        {
          g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                       _("events[%u] must be an object, not %s"), i, sp_json_describe (event));
          return FALSE;
        }
      if (!read_event (self, json_node_get_object (event), open, root, metric, &last_at, error))
        {
          g_prefix_error (error, "events[%u]: ", i);
          return FALSE;
        }
    }
  if (open->len > 0)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("%u frames are opened but never closed"), open->len);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_profile (Reader      *self,
              JsonNode    *node,
              gboolean     one_of_many,
              guint        index,
              GError     **error)
{
  g_autofree char *type = NULL;
  g_autofree char *name = NULL;
  g_autofree char *unit = NULL;
  JsonObject *profile;
  SpMetric metric;
  guint32 root = SP_NO_NODE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("must be an object, not %s"), sp_json_describe (node));
      return FALSE;
    }
  profile = json_node_get_object (node);
  if (!sp_json_get_string (profile, "type", "type", FALSE, &type, error) ||
      !sp_json_get_string (profile, "name", "name", TRUE, &name, error) ||
      !sp_json_get_string (profile, "unit", "unit", TRUE, &unit, error))
    return FALSE;
  metric = g_strcmp0 (unit, "bytes") == 0 ? SP_METRIC_BYTES : SP_METRIC_SAMPLES;
  sp_profile_builder_enable_metric (self->builder, metric);

  /* several profiles are speedscope's threads: keep them apart */
  if (one_of_many)
    {
      g_autofree char *thread = name ? g_strdup (name) : g_strdup_printf ("profile %u", index + 1);
      guint32 frame = sp_profile_builder_intern_frame_full (self->builder, thread, SP_FRAME_KIND_THREAD);

      root = sp_profile_builder_get_child (self->builder, SP_NO_NODE, frame);
    }
  if (g_strcmp0 (type, "sampled") == 0)
    return read_sampled (self, profile, root, metric, error);
  if (g_strcmp0 (type, "evented") == 0)
    return read_evented (self, profile, root, metric, error);
  g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_UNSUPPORTED,
               _("profiles of type “%s” are not supported (only “sampled” and “evented”)"),
               type ? type : "null");
  return FALSE;
}

SpProfile *
sp_speedscope_read (JsonObject  *root,
                    const char  *source,
                    GError     **error)
{
  Reader self = { sp_profile_builder_new (), NULL, 0 };
  SpProfile *profile = NULL;
  SpProfileMeta *meta;
  JsonArray *profiles;
  guint n;

  if (!read_shared_frames (&self, root, error) ||
      (profiles = sp_json_get_array (root, "profiles", "profiles", error)) == NULL)
    goto out;
  if ((n = json_array_get_length (profiles)) == 0)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_EMPTY, _("the file holds no profiles"));
      goto out;
    }
  for (guint i = 0; i < n; i++)
    if (!read_profile (&self, json_array_get_element (profiles, i), n > 1, i, error))
      {
        g_prefix_error (error, "profiles[%u]: ", i);
        goto out;
      }

  meta = sp_profile_builder_get_meta (self.builder);
  meta->mode = SP_MODE_IMPORTED;
  g_free (meta->source);
  meta->source = g_strdup (source);
  profile = sp_profile_builder_finish (g_steal_pointer (&self.builder), error);

out:
  g_clear_pointer (&self.builder, sp_profile_builder_free);
  g_free (self.frame_ids);
  return profile;
}
