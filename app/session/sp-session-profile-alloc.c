/* sp-session-profile-alloc.c: the memory parts of the agent's recording
 *
 * An alloc-exact recording (sb-aprof) arrives as a table of functions, a table of object types
 * and rows [function, type, objects, bytes].  Its call "tree" is flat: sb-aprof counts per
 * allocation point and knows no callers, so each function is a root whose bytes are its own.
 * Every recording may also carry GC events [time, pause, generation, before, after] and heap
 * snapshots {"before": [[type, objects, bytes], …], "after": […], "seconds"}.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-session-private.h"

static gboolean
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_PROTOCOL,
               _("The agent sent malformed memory figures: %s"), what);
  return FALSE;
}

/* Elements first … first + n − 1 of array into values; FALSE unless they are all numbers, none
 * negative. */
static gboolean
read_numbers (JsonArray *array,
              guint      first,
              double    *values,
              guint      n)
{
  if (array == NULL || json_array_get_length (array) < first + n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, first + i);
      GType type;

      if (!JSON_NODE_HOLDS_VALUE (element))
        return FALSE;
      type = json_node_get_value_type (element);
      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        return FALSE;
      values[i] = json_node_get_double (element);
      if (values[i] < 0)
        return FALSE;
    }
  return TRUE;
}

/* The element i of array when it is an array of exactly n elements, else NULL. */
static JsonArray *
get_tuple (JsonArray *array,
           guint      i,
           guint      n)
{
  JsonNode *node = json_array_get_element (array, i);
  JsonArray *tuple = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  return tuple != NULL && json_array_get_length (tuple) == n ? tuple : NULL;
}

/* Element i of array when it is a string, else NULL (without json-glib's critical warning). */
static const char *
string_element (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* The agent's type names, interned; map[i] is the builder's type of type i. */
static guint32 *
intern_types (SpProfileBuilder *builder,
              JsonArray        *types,
              GError          **error)
{
  guint n = json_array_get_length (types);
  g_autofree guint32 *map = g_new (guint32, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const char *name = string_element (types, i);

      if (name == NULL)
        {
          malformed (error, _("a type name is not a string"));
          return NULL;
        }
      map[i] = sp_profile_builder_intern_type (builder, name);
    }
  return g_steal_pointer (&map);
}

gboolean
sp_session_add_allocations (SpProfileBuilder *builder,
                            JsonObject       *result,
                            GError          **error)
{
  JsonArray *functions = sp_session_json_array (result, "functions");
  JsonArray *types = sp_session_json_array (result, "types");
  JsonArray *rows = sp_session_json_array (result, "allocations");
  SpProfileSections *sections = sp_profile_builder_get_sections (builder);
  SpProfileMeta *meta = sp_profile_builder_get_meta (builder);
  g_autofree guint32 *frame_map = NULL;
  g_autofree guint32 *type_map = NULL;
  guint n_functions, n_types;

  if (functions == NULL || types == NULL || rows == NULL)
    return malformed (error, _("functions, types or allocations are missing"));
  if ((frame_map = sp_session_intern_frames (builder, functions, error)) == NULL ||
      (type_map = intern_types (builder, types, error)) == NULL)
    return FALSE;
  n_functions = json_array_get_length (functions);
  n_types = json_array_get_length (types);

  sections->alloc_rows = g_array_new (FALSE, FALSE, sizeof (SpAllocRow));
  sp_profile_builder_enable_metric (builder, SP_METRIC_BYTES);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      double values[4];
      SpAllocRow row;

      if (!read_numbers (get_tuple (rows, i, 4), 0, values, 4) ||
          values[0] >= n_functions || values[1] >= n_types)
        return malformed (error, _("an allocation row is not [function, type, objects, bytes]"));
      row.frame = frame_map[(guint) values[0]];
      row.type = type_map[(guint) values[1]];
      row.objects = values[2];
      row.bytes = values[3];
      g_array_append_val (sections->alloc_rows, row);
      /* The flat tree: one root per function, weighted by its bytes. */
      sp_profile_builder_add_weight (builder,
                                     sp_profile_builder_get_child (builder, SP_NO_NODE, row.frame),
                                     SP_METRIC_BYTES, row.bytes);
    }

  g_free (meta->instrumented);
  meta->instrumented =
    g_strdup (sp_session_json_string (result, "instrumented", NULL));
  return TRUE;
}

/* Appends events ([time, pause, generation, before, after] each) to sections->gc_events: a
 * streamed recording's come batch by batch, then the stop reply's. */
gboolean
sp_session_add_gc_events (SpProfileSections *sections,
                          JsonArray         *events,
                          GError           **error)
{
  if (sections->gc_events == NULL)
    sections->gc_events = g_array_new (FALSE, FALSE, sizeof (SpGcEvent));
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      double values[5];
      SpGcEvent event;

      if (!read_numbers (get_tuple (events, i, 5), 0, values, 5))
        return malformed (error, _("a GC event is not [time, pause, generation, before, after]"));
      event.time = values[0];
      event.pause = values[1];
      event.generation = (int) values[2];
      event.bytes_before = (gint64) values[3];
      event.bytes_after = (gint64) values[4];
      g_array_append_val (sections->gc_events, event);
    }
  return TRUE;
}

static GArray *
read_heap (SpProfileBuilder *builder,
           JsonObject       *heap,
           const char       *member,
           GError          **error)
{
  JsonArray *rows = sp_session_json_array (heap, member);
  g_autoptr(GArray) snapshot = g_array_new (FALSE, FALSE, sizeof (SpHeapRow));

  if (rows == NULL)
    {
      malformed (error, _("a heap snapshot is missing"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonArray *row = get_tuple (rows, i, 3);
      const char *type = row != NULL ? string_element (row, 0) : NULL;
      double counts[2];
      SpHeapRow heap_row;

      if (type == NULL || !read_numbers (row, 1, counts, 2))
        {
          malformed (error, _("a heap row is not [type, objects, bytes]"));
          return NULL;
        }
      heap_row.type = sp_profile_builder_intern_type (builder, type);
      heap_row.objects = counts[0];
      heap_row.bytes = counts[1];
      g_array_append_val (snapshot, heap_row);
    }
  return g_steal_pointer (&snapshot);
}

static gboolean
add_heap (SpProfileBuilder *builder,
          JsonObject       *heap,
          GError          **error)
{
  SpProfileSections *sections = sp_profile_builder_get_sections (builder);
  GArray *before, *after;

  if ((before = read_heap (builder, heap, "before", error)) == NULL)
    return FALSE;
  if ((after = read_heap (builder, heap, "after", error)) == NULL)
    {
      g_array_unref (before);
      return FALSE;
    }
  sections->heap_before = before;
  sections->heap_after = after;
  sp_profile_builder_get_meta (builder)->heap_snapshot_seconds =
    sp_session_json_number (heap, "seconds", -1);
  return TRUE;
}

gboolean
sp_session_add_memory (SpProfileBuilder *builder,
                       JsonObject       *result,
                       GError          **error)
{
  JsonArray *events = sp_session_json_array (result, "gc_events");
  JsonNode *heap = json_object_get_member (result, "heap");

  if (events != NULL &&
      !sp_session_add_gc_events (sp_profile_builder_get_sections (builder), events, error))
    return FALSE;
  if (heap != NULL && JSON_NODE_HOLDS_OBJECT (heap) &&
      !add_heap (builder, json_node_get_object (heap), error))
    return FALSE;
  return TRUE;
}
