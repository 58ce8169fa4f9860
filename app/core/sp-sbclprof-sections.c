/* sp-sbclprof-sections.c: the optional parts of .sbclprof version 2 (README.md, "Version 2"):
 * object types, allocations, GC events, heap snapshots, runs and the timeline
 *
 * Numeric sections that can be long (allocations, GC events, the timeline) are packed columns
 * like the tree's; the short ones are plain JSON.  Every index is checked against the table it
 * refers to and every number for being finite, with messages naming the column and entry.
 */
#define G_LOG_DOMAIN "sp-sbclprof"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sp-sbclprof.h"

gboolean
sp_sbclprof_has_sections (SpProfile *profile)
{
  const SpProfileSections *s = sp_profile_get_sections (profile);

  return s->types != NULL || s->alloc_rows != NULL || s->gc_events != NULL ||
         s->heap_before != NULL || s->heap_after != NULL || s->run_summaries != NULL ||
         s->timeline != NULL;
}

/* ---- Writing ---- */

static void
write_column (SpWriter   *writer,
              const char *key,
              const void *column,
              gsize       elem_size,
              guint       n)
{
  sp_writer_printf (writer, ",\n    \"%s\": ", key);
  sp_packed_write (writer, column, elem_size, n);
}

static void
write_types (SpWriter        *writer,
             const GPtrArray *types)
{
  sp_writer_puts (writer, ",\n  \"types\": [");
  for (guint i = 0; i < types->len; i++)
    {
      sp_writer_puts (writer, i > 0 ? ", " : "");
      sp_writer_append_json_string (writer, g_ptr_array_index (types, i));
    }
  sp_writer_puts (writer, "]");
}

static void
write_allocations (SpWriter     *writer,
                   const GArray *rows)
{
  guint n = rows->len;
  g_autofree guint32 *frames = g_new (guint32, MAX (n, 1));
  g_autofree guint32 *types = g_new (guint32, MAX (n, 1));
  g_autofree double *objects = g_new (double, MAX (n, 1));
  g_autofree double *bytes = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const SpAllocRow *row = &g_array_index (rows, SpAllocRow, i);

      frames[i] = row->frame;
      types[i] = row->type;
      objects[i] = row->objects;
      bytes[i] = row->bytes;
    }
  sp_writer_printf (writer, ",\n  \"allocations\": {\n    \"rows\": %u", n);
  write_column (writer, "frames", frames, 4, n);
  write_column (writer, "types", types, 4, n);
  write_column (writer, "objects", objects, 8, n);
  write_column (writer, "bytes", bytes, 8, n);
  sp_writer_puts (writer, "\n  }");
}

static void
write_gc (SpWriter     *writer,
          const GArray *events)
{
  guint n = events->len;
  g_autofree double *time = g_new (double, MAX (n, 1));
  g_autofree double *pause = g_new (double, MAX (n, 1));
  g_autofree guint32 *generation = g_new (guint32, MAX (n, 1));
  g_autofree double *before = g_new (double, MAX (n, 1));
  g_autofree double *after = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const SpGcEvent *gc = &g_array_index (events, SpGcEvent, i);

      time[i] = gc->time;
      pause[i] = gc->pause;
      generation[i] = gc->generation;
      before[i] = gc->bytes_before < 0 ? -1 : (double) gc->bytes_before;
      after[i] = gc->bytes_after < 0 ? -1 : (double) gc->bytes_after;
    }
  sp_writer_printf (writer, ",\n  \"gc\": {\n    \"events\": %u", n);
  write_column (writer, "time", time, 8, n);
  write_column (writer, "pause", pause, 8, n);
  write_column (writer, "generation", generation, 4, n);
  write_column (writer, "before", before, 8, n);
  write_column (writer, "after", after, 8, n);
  sp_writer_puts (writer, "\n  }");
}

static void
write_heap_rows (SpWriter     *writer,
                 const GArray *rows)
{
  if (rows == NULL)
    {
      sp_writer_puts (writer, "null");
      return;
    }
  sp_writer_puts (writer, "[");
  for (guint i = 0; i < rows->len; i++)
    {
      const SpHeapRow *row = &g_array_index (rows, SpHeapRow, i);

      sp_writer_printf (writer, "%s\n      {\"type\": %u, \"objects\": ", i > 0 ? "," : "", row->type);
      sp_writer_append_number (writer, row->objects);
      sp_writer_puts (writer, ", \"bytes\": ");
      sp_writer_append_number (writer, row->bytes);
      sp_writer_puts (writer, "}");
    }
  sp_writer_puts (writer, rows->len > 0 ? "\n    ]" : "]");
}

static void
write_heap (SpWriter                *writer,
            const SpProfileSections *sections)
{
  sp_writer_puts (writer, ",\n  \"heap\": {\n    \"before\": ");
  write_heap_rows (writer, sections->heap_before);
  sp_writer_puts (writer, ",\n    \"after\": ");
  write_heap_rows (writer, sections->heap_after);
  sp_writer_puts (writer, "\n  }");
}

static void
write_runs (SpWriter     *writer,
            const GArray *runs)
{
  sp_writer_puts (writer, ",\n  \"runs\": [");
  for (guint i = 0; i < runs->len; i++)
    {
      const SpRunSummary *run = &g_array_index (runs, SpRunSummary, i);

      sp_writer_puts (writer, i > 0 ? ",\n    {\"seconds\": " : "\n    {\"seconds\": ");
      sp_writer_append_json_number (writer, run->seconds);
      sp_writer_puts (writer, ", \"gc_seconds\": ");
      sp_writer_append_json_number (writer, run->gc_seconds);
      sp_writer_puts (writer, ", \"bytes_consed\": ");
      if (run->bytes_consed < 0)
        sp_writer_puts (writer, "null");
      else
        sp_writer_printf (writer, "%" G_GINT64_FORMAT, run->bytes_consed);
      sp_writer_puts (writer, ", \"samples\": ");
      sp_writer_append_json_number (writer, run->samples);
      sp_writer_puts (writer, "}");
    }
  sp_writer_puts (writer, runs->len > 0 ? "\n  ]" : "]");
}

static void
write_timeline (SpWriter     *writer,
                const GArray *timeline)
{
  guint n = timeline->len;
  g_autofree double *time = g_new (double, MAX (n, 1));
  g_autofree guint32 *node = g_new (guint32, MAX (n, 1));
  g_autofree double *weight = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const SpTimelineSample *sample = &g_array_index (timeline, SpTimelineSample, i);

      time[i] = sample->time;
      node[i] = sample->node;
      weight[i] = sample->weight;
    }
  sp_writer_printf (writer, ",\n  \"timeline\": {\n    \"entries\": %u", n);
  write_column (writer, "time", time, 8, n);
  write_column (writer, "node", node, 4, n);
  write_column (writer, "weight", weight, 8, n);
  sp_writer_puts (writer, "\n  }");
}

void
sp_sbclprof_write_sections (SpProfile *profile,
                            SpWriter  *writer)
{
  const SpProfileSections *s = sp_profile_get_sections (profile);

  if (s->types != NULL)
    write_types (writer, s->types);
  if (s->alloc_rows != NULL)
    write_allocations (writer, s->alloc_rows);
  if (s->gc_events != NULL)
    write_gc (writer, s->gc_events);
  if (s->heap_before != NULL || s->heap_after != NULL)
    write_heap (writer, s);
  if (s->run_summaries != NULL)
    write_runs (writer, s->run_summaries);
  if (s->timeline != NULL)
    write_timeline (writer, s->timeline);
}

/* ---- Reading ---- */

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, format, args);
  va_end (args);
  return FALSE;
}

/* The object at root.member; *object is NULL when the section is absent or null. */
static gboolean
get_section (JsonObject  *root,
             const char  *member,
             JsonObject **object,
             GError     **error)
{
  JsonNode *node = json_object_get_member (root, member);

  *object = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return (*object = sp_json_get_object (root, member, member, error)) != NULL;
}

static gboolean
get_array_section (JsonObject  *root,
                   const char  *member,
                   const char  *where,
                   JsonArray  **array,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (root, member);

  *array = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return (*array = sp_json_get_array (root, member, where, error)) != NULL;
}

static gboolean
read_count (JsonObject  *object,
            const char  *member,
            const char  *where,
            guint       *n,
            GError     **error)
{
  gint64 value = -1;

  if (!sp_json_get_int (object, member, where, FALSE, &value, error))
    return FALSE;
  if (value < 0 || value >= G_MAXUINT32)
    return fail (error, _("“%s” is out of range (%lld)"), where, (long long) value);
  *n = value;
  return TRUE;
}

static gboolean
check_indices (const char    *path,
               const guint32 *column,
               guint          n,
               guint          limit,
               const char    *table,
               GError       **error)
{
  for (guint i = 0; i < n; i++)
    if (column[i] >= limit)
      /* TRANSLATORS: the last %s is what is counted: "frames", "types", "nodes" */
      return fail (error, _("“%s[%u]” is %u, out of range (the file has %u %s)"),
                   path, i, column[i], limit, table);
  return TRUE;
}

static gboolean
check_finite (const char   *path,
              const double *column,
              guint         n,
              gboolean      weights,
              GError      **error)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (column[i]) || (weights && column[i] < 0))
      return fail (error, weights ? _("“%s[%u]” is %g: a count must be finite and not negative")
                                  : _("“%s[%u]” is %g, not a finite number"),
                   path, i, column[i]);
  return TRUE;
}

static gboolean
check_time_order (const char   *path,
                  const double *time,
                  guint         n,
                  GError      **error)
{
  for (guint i = 1; i < n; i++)
    if (time[i] < time[i - 1])
      return fail (error, _("“%s[%u]” is %g, earlier than the entry before it: entries must be "
                            "in time order"), path, i, time[i]);
  return TRUE;
}

/* SBCL 2.2.9 numbers its generations 0 to 5, 6 being pseudo-static; 7 leaves room */
static gboolean
check_generations (const guint32 *generation,
                   guint          n,
                   GError       **error)
{
  for (guint i = 0; i < n; i++)
    if (generation[i] > 7)
      return fail (error, _("“gc.generation[%u]” is %u, beyond SBCL's generations (0 to 7)"),
                   i, generation[i]);
  return TRUE;
}

static gboolean
read_types (JsonObject         *root,
            SpProfileSections  *sections,
            GError            **error)
{
  JsonArray *array;

  if (!get_array_section (root, "types", "types", &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  sections->types = g_ptr_array_new_full (json_array_get_length (array), g_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return fail (error, _("“types[%u]” must be a string, not %s"), i, sp_json_describe (node));
      g_ptr_array_add (sections->types, g_strdup (json_node_get_string (node)));
    }
  return TRUE;
}

static guint
n_types (const SpProfileSections *sections)
{
  return sections->types != NULL ? sections->types->len : 0;
}

static gboolean
read_allocations (JsonObject         *root,
                  SpPackedColumns    *columns,
                  guint               n_frames,
                  SpProfileSections  *sections,
                  GError            **error)
{
  g_autofree guint32 *frames = NULL;
  g_autofree guint32 *types = NULL;
  g_autofree double *objects = NULL;
  g_autofree double *bytes = NULL;
  JsonObject *object;
  guint n = 0;

  if (!get_section (root, "allocations", &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;
  if (!read_count (object, "rows", "allocations.rows", &n, error) ||
      (frames = sp_packed_read (object, "frames", columns, "allocations.frames", 4, n, "rows", error)) == NULL ||
      (types = sp_packed_read (object, "types", columns, "allocations.types", 4, n, "rows", error)) == NULL ||
      (objects = sp_packed_read (object, "objects", columns, "allocations.objects", 8, n, "rows", error)) == NULL ||
      (bytes = sp_packed_read (object, "bytes", columns, "allocations.bytes", 8, n, "rows", error)) == NULL ||
      !check_indices ("allocations.frames", frames, n, n_frames, "frames", error) ||
      !check_indices ("allocations.types", types, n, n_types (sections), "types", error) ||
      !check_finite ("allocations.objects", objects, n, TRUE, error) ||
      !check_finite ("allocations.bytes", bytes, n, TRUE, error))
    return FALSE;
  sections->alloc_rows = g_array_sized_new (FALSE, FALSE, sizeof (SpAllocRow), n);
  for (guint i = 0; i < n; i++)
    {
      SpAllocRow row = { frames[i], types[i], objects[i], bytes[i] };

      g_array_append_val (sections->alloc_rows, row);
    }
  return TRUE;
}

static gboolean
read_gc (JsonObject         *root,
         SpPackedColumns    *columns,
         SpProfileSections  *sections,
         GError            **error)
{
  g_autofree double *time = NULL;
  g_autofree double *pause = NULL;
  g_autofree guint32 *generation = NULL;
  g_autofree double *before = NULL;
  g_autofree double *after = NULL;
  JsonObject *object;
  guint n = 0;

  if (!get_section (root, "gc", &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;
  if (!read_count (object, "events", "gc.events", &n, error) ||
      (time = sp_packed_read (object, "time", columns, "gc.time", 8, n, "events", error)) == NULL ||
      (pause = sp_packed_read (object, "pause", columns, "gc.pause", 8, n, "events", error)) == NULL ||
      (generation = sp_packed_read (object, "generation", columns, "gc.generation", 4, n, "events", error)) == NULL ||
      (before = sp_packed_read (object, "before", columns, "gc.before", 8, n, "events", error)) == NULL ||
      (after = sp_packed_read (object, "after", columns, "gc.after", 8, n, "events", error)) == NULL ||
      !check_finite ("gc.time", time, n, FALSE, error) ||
      !check_time_order ("gc.time", time, n, error) ||
      !check_finite ("gc.pause", pause, n, TRUE, error) ||
      !check_generations (generation, n, error) ||
      !check_finite ("gc.before", before, n, FALSE, error) ||
      !check_finite ("gc.after", after, n, FALSE, error))
    return FALSE;
  sections->gc_events = g_array_sized_new (FALSE, FALSE, sizeof (SpGcEvent), n);
  for (guint i = 0; i < n; i++)
    {
      /* negative sizes are unknown; kept as -1 */
      SpGcEvent gc = { time[i], pause[i], generation[i],
                       before[i] < 0 ? -1 : (gint64) before[i], after[i] < 0 ? -1 : (gint64) after[i] };

      g_array_append_val (sections->gc_events, gc);
    }
  return TRUE;
}

static gboolean
read_heap_row (JsonNode   *node,
               guint       n_types,
               SpHeapRow  *row,
               GError    **error)
{
  JsonObject *object;
  gint64 type = -1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, _("must be an object, not %s"), sp_json_describe (node));
  object = json_node_get_object (node);
  if (!sp_json_get_int (object, "type", "type", FALSE, &type, error) ||
      !sp_json_get_double (object, "objects", "objects", FALSE, &row->objects, error) ||
      !sp_json_get_double (object, "bytes", "bytes", FALSE, &row->bytes, error))
    return FALSE;
  if (type < 0 || type >= n_types)
    return fail (error, _("type %lld is out of range (the file has %u types)"), (long long) type, n_types);
  if (!isfinite (row->objects) || row->objects < 0 || !isfinite (row->bytes) || row->bytes < 0)
    return fail (error, _("“objects” and “bytes” must be finite and not negative"));
  row->type = type;
  return TRUE;
}

static gboolean
read_heap_rows (JsonObject  *heap,
                const char  *member,
                guint        n_types,
                GArray     **rows,
                GError     **error)
{
  g_autofree char *where = g_strconcat ("heap.", member, NULL);
  JsonArray *array;

  if (!get_array_section (heap, member, where, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  *rows = g_array_sized_new (FALSE, FALSE, sizeof (SpHeapRow), json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      SpHeapRow row = { 0 };

      if (!read_heap_row (json_array_get_element (array, i), n_types, &row, error))
        {
          g_prefix_error (error, "%s[%u]: ", where, i);
          return FALSE;
        }
      g_array_append_val (*rows, row);
    }
  return TRUE;
}

static gboolean
read_heap (JsonObject         *root,
           SpProfileSections  *sections,
           GError            **error)
{
  JsonObject *object;

  if (!get_section (root, "heap", &object, error))
    return FALSE;
  return object == NULL ||
         (read_heap_rows (object, "before", n_types (sections), &sections->heap_before, error) &&
          read_heap_rows (object, "after", n_types (sections), &sections->heap_after, error));
}

static gboolean
read_run (JsonNode      *node,
          SpRunSummary  *run,
          GError       **error)
{
  JsonObject *object;

  *run = (SpRunSummary) { -1, -1, -1, -1 };
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, _("must be an object, not %s"), sp_json_describe (node));
  object = json_node_get_object (node);
  if (!sp_json_get_double (object, "seconds", "seconds", TRUE, &run->seconds, error) ||
      !sp_json_get_double (object, "gc_seconds", "gc_seconds", TRUE, &run->gc_seconds, error) ||
      !sp_json_get_int (object, "bytes_consed", "bytes_consed", TRUE, &run->bytes_consed, error) ||
      !sp_json_get_double (object, "samples", "samples", TRUE, &run->samples, error))
    return FALSE;
  if (!isfinite (run->seconds) || !isfinite (run->gc_seconds) || !isfinite (run->samples))
    return fail (error, _("a figure is not a finite number"));
  return TRUE;
}

static gboolean
read_runs (JsonObject         *root,
           SpProfileSections  *sections,
           GError            **error)
{
  JsonArray *array;

  if (!get_array_section (root, "runs", "runs", &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  sections->run_summaries = g_array_sized_new (FALSE, FALSE, sizeof (SpRunSummary),
                                               json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      SpRunSummary run;

      if (!read_run (json_array_get_element (array, i), &run, error))
        {
          g_prefix_error (error, "runs[%u]: ", i);
          return FALSE;
        }
      g_array_append_val (sections->run_summaries, run);
    }
  return TRUE;
}

static gboolean
read_timeline (JsonObject         *root,
               SpPackedColumns    *columns,
               guint               n_nodes,
               SpProfileSections  *sections,
               GError            **error)
{
  g_autofree double *time = NULL;
  g_autofree guint32 *node = NULL;
  g_autofree double *weight = NULL;
  JsonObject *object;
  guint n = 0;

  if (!get_section (root, "timeline", &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;
  if (!read_count (object, "entries", "timeline.entries", &n, error) ||
      (time = sp_packed_read (object, "time", columns, "timeline.time", 8, n, "entries", error)) == NULL ||
      (node = sp_packed_read (object, "node", columns, "timeline.node", 4, n, "entries", error)) == NULL ||
      (weight = sp_packed_read (object, "weight", columns, "timeline.weight", 8, n, "entries", error)) == NULL ||
      !check_finite ("timeline.time", time, n, FALSE, error) ||
      !check_time_order ("timeline.time", time, n, error) ||
      !check_indices ("timeline.node", node, n, n_nodes, "nodes", error) ||
      !check_finite ("timeline.weight", weight, n, TRUE, error))
    return FALSE;
  sections->timeline = g_array_sized_new (FALSE, FALSE, sizeof (SpTimelineSample), n);
  for (guint i = 0; i < n; i++)
    {
      SpTimelineSample sample = { time[i], node[i], weight[i] };

      g_array_append_val (sections->timeline, sample);
    }
  return TRUE;
}

gboolean
sp_sbclprof_read_sections (JsonObject         *root,
                           SpPackedColumns    *columns,
                           guint               n_frames,
                           guint               n_nodes,
                           SpProfileSections  *sections,
                           GError            **error)
{
  if (read_types (root, sections, error) &&
      read_allocations (root, columns, n_frames, sections, error) &&
      read_gc (root, columns, sections, error) &&
      read_heap (root, sections, error) &&
      read_runs (root, sections, error) &&
      read_timeline (root, columns, n_nodes, sections, error))
    return TRUE;
  sp_profile_sections_clear (sections);
  return FALSE;
}
