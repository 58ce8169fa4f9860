/* sp-cli-report-memory.c: what `report` prints about memory: allocations by function and type,
 * GC events, heap snapshots */
#define G_LOG_DOMAIN "sp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sp-cli-private.h"
#include "sp-memory.h"

char *
sp_cli_bytes (double   bytes,
              gboolean raw)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (raw)
    return g_strdup_printf ("%.0f", bytes);
  /* g_format_size puts a no-break space before the unit: a terminal wants a plain one. */
  text = sp_format_bytes_double (bytes);
  parts = g_strsplit (text, "\u00a0", -1);
  return g_strjoinv (" ", parts);
}

static double
share (double part,
       double whole)
{
  return whole > 0 ? 100.0 * part / whole : 0;
}

/* The summary's memory lines, for every format that prints a summary. */
void
sp_cli_print_memory_notes (SpProfile *profile,
                           gboolean   raw)
{
  const SpProfileMeta *meta = sp_profile_get_meta (profile);
  SpGcSummary gc;

  if (meta->mode == SP_MODE_ALLOC && sp_profile_has_metric (profile, SP_METRIC_BYTES))
    printf (_("# bytes per function are ESTIMATES: sb-sprof samples once each time an allocation "
              "region (tens of KB) fills up, so the bytes consed are spread over the samples; "
              "code that allocates small objects is over-counted, large vectors under-counted. "
              "Record --mode alloc-exact for exact figures.\n"));
  else if (meta->mode == SP_MODE_ALLOC)
    printf (_("# the sample limit was reached: the samples cover only the start of the "
              "recording, so no bytes are estimated from them (raise --max-samples, or record "
              "--mode alloc-exact)\n"));
  if (meta->mode == SP_MODE_ALLOC_EXACT && meta->instrumented != NULL)
    printf ("# %s\n", meta->instrumented);
  if (sp_gc_summary_compute (profile, &gc) && gc.count > 0)
    {
      g_autofree char *peak = sp_cli_bytes (gc.peak_bytes, raw);

      printf (_("# GC: %u collections, %.1f ms in all (%.1f%% of wall time), longest %.1f ms "
                "(generation %d), peak heap %s\n"),
              gc.count, gc.total_pause * 1000, MAX (gc.wall_share, 0) * 100,
              gc.longest_pause * 1000, gc.longest_generation, peak);
    }
  else if (sp_profile_get_sections (profile)->gc_events != NULL)
    printf (_("# GC: no collection during the recording\n"));
}

/* One line: bytes, objects, share of whole, name; indented for a type beneath a function. */
static void
print_line (const SpMemoryTotal *t,
            double               whole,
            const char          *name,
            gboolean             indent,
            gboolean             raw)
{
  g_autofree char *bytes = sp_cli_bytes (t->bytes, raw);

  printf ("%16s %12.0f %6.1f%%  %s%s\n", bytes, t->objects, share (t->bytes, whole),
          indent ? "    " : "", name);
}

static void
print_function_types (SpProfile *profile,
                      guint32    frame,
                      double     function_bytes,
                      gboolean   raw)
{
  g_autoptr(GArray) types = sp_memory_totals (profile, SP_MEMORY_BY_TYPE, frame);

  for (guint i = 0; i < types->len; i++)
    {
      const SpMemoryTotal *t = &g_array_index (types, SpMemoryTotal, i);

      print_line (t, function_bytes, sp_profile_get_type_name (profile, t->id), TRUE, raw);
    }
}

static void
print_allocations (SpProfile *profile,
                   guint      top,
                   gboolean   raw)
{
  g_autoptr(GArray) functions = sp_memory_totals (profile, SP_MEMORY_BY_FUNCTION, G_MAXUINT32);
  g_autoptr(GArray) types = sp_memory_totals (profile, SP_MEMORY_BY_TYPE, G_MAXUINT32);
  double objects, total;

  sp_memory_grand_total (profile, &objects, &total);
  printf ("\n%s\n", _("Allocations by function (exact, sb-aprof), each with its object types:"));
  printf ("%16s %12s %7s  %s\n", _("bytes"), _("objects"), _("share"), _("function / type"));
  for (guint i = 0; i < MIN (top, functions->len); i++)
    {
      const SpMemoryTotal *f = &g_array_index (functions, SpMemoryTotal, i);

      print_line (f, total, sp_profile_get_frame (profile, f->id)->name, FALSE, raw);
      print_function_types (profile, f->id, f->bytes, raw);
    }
  if (functions->len > top)
    sp_cli_print_more_functions (functions->len - top);

  printf ("\n%s\n", _("Allocations by type:"));
  printf ("%16s %12s %7s  %s\n", _("bytes"), _("objects"), _("share"), _("type"));
  for (guint i = 0; i < MIN (top, types->len); i++)
    {
      const SpMemoryTotal *t = &g_array_index (types, SpMemoryTotal, i);

      print_line (t, total, sp_profile_get_type_name (profile, t->id), FALSE, raw);
    }
  {
    SpMemoryTotal all = { 0, objects, total };

    print_line (&all, total, _("(all instrumented code)"), FALSE, raw);
  }
}

static void
print_heap (SpProfile *profile,
            guint      top,
            gboolean   raw)
{
  g_autoptr(GArray) retained = sp_heap_retained (profile);
  double before_objects, before_bytes, after_objects, after_bytes;
  g_autofree char *before = NULL, *after = NULL, *growth = NULL;
  guint shown = 0;

  if (retained == NULL)
    {
      printf ("\n%s\n", _("No heap snapshot: record with --heap-snapshot to see what the workload "
                          "left alive."));
      return;
    }
  sp_heap_totals (profile, SP_HEAP_BEFORE, &before_objects, &before_bytes);
  sp_heap_totals (profile, SP_HEAP_AFTER, &after_objects, &after_bytes);
  before = sp_cli_bytes (before_bytes, raw);
  after = sp_cli_bytes (after_bytes, raw);
  growth = sp_cli_bytes (after_bytes - before_bytes, raw);
  printf ("\n");
  printf (_("Heap after a full GC: %s before, %s after (%s); the snapshots took %.2f s\n"),
          before, after, growth, sp_profile_get_meta (profile)->heap_snapshot_seconds);
  printf (_("# a few tens of kB of conses, strings and compiler objects are the session's own: "
            "compiling and running the workload\n"));
  printf ("%16s %12s  %s\n", _("retained"), _("objects"), _("type (after − before)"));
  for (guint i = 0; i < retained->len && shown < top; i++)
    {
      const SpMemoryTotal *t = &g_array_index (retained, SpMemoryTotal, i);
      g_autofree char *bytes = NULL;

      if (t->bytes <= 0)
        continue;
      bytes = sp_cli_bytes (t->bytes, raw);
      printf ("%16s %+12.0f  %s\n", bytes, t->objects, sp_profile_get_type_name (profile, t->id));
      shown++;
    }
  if (shown == 0)
    printf ("%16s\n", _("(nothing: the heap did not grow)"));
}

int
sp_cli_print_alloc_report (SpProfile  *profile,
                           const char *path,
                           guint       top,
                           gboolean    raw)
{
  const SpProfileMeta *meta = sp_profile_get_meta (profile);
  SpBytesSource source = sp_memory_bytes_source (profile);

  if (source != SP_BYTES_EXACT && sp_profile_get_sections (profile)->gc_events == NULL &&
      sp_profile_get_heap (profile, SP_HEAP_AFTER, NULL) == NULL)
    return sp_cli_fail (_("%s: this %s profile has no memory figures (record --mode alloc-exact, "
                          "or any mode with --heap-snapshot)"), path, sp_mode_to_string (meta->mode));
  if (source == SP_BYTES_EXACT)
    print_allocations (profile, top, raw);
  else
    printf ("\n%s\n", _("No exact allocations: record --mode alloc-exact for bytes and objects "
                        "per function and type."));
  print_heap (profile, top, raw);
  return 0;
}

static void
add_totals (JsonBuilder *b,
            SpProfile   *profile,
            GArray      *totals,
            const char  *key,
            gboolean     types,
            guint        top)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; i < MIN (top, totals->len); i++)
    {
      const SpMemoryTotal *t = &g_array_index (totals, SpMemoryTotal, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, types ? "type" : "name");
      json_builder_add_string_value (b, types ? sp_profile_get_type_name (profile, t->id)
                                              : sp_profile_get_frame (profile, t->id)->name);
      sp_cli_json_number (b, "objects", t->objects);
      sp_cli_json_number (b, "bytes", t->bytes);
      if (!types)
        {
          g_autoptr(GArray) own = sp_memory_totals (profile, SP_MEMORY_BY_TYPE, t->id);

          add_totals (b, profile, own, "types", TRUE, G_MAXUINT);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_gc (JsonBuilder *b,
        SpProfile   *profile)
{
  const SpGcEvent *events;
  SpGcSummary gc;
  guint n;

  if (!sp_gc_summary_compute (profile, &gc))
    return;
  json_builder_set_member_name (b, "gc");
  json_builder_begin_object (b);
  sp_cli_json_number (b, "count", gc.count);
  sp_cli_json_number (b, "total_pause", gc.total_pause);
  sp_cli_json_number (b, "longest_pause", gc.longest_pause);
  json_builder_set_member_name (b, "wall_share");
  if (gc.wall_share >= 0)
    json_builder_add_double_value (b, gc.wall_share);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  events = sp_profile_get_gc_events (profile, &n);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      sp_cli_json_number (b, "time", events[i].time);
      sp_cli_json_number (b, "pause", events[i].pause);
      sp_cli_json_number (b, "generation", events[i].generation);
      sp_cli_json_number (b, "bytes_before", events[i].bytes_before);
      sp_cli_json_number (b, "bytes_after", events[i].bytes_after);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_heap (JsonBuilder *b,
          SpProfile   *profile,
          guint        top)
{
  g_autoptr(GArray) retained = sp_heap_retained (profile);
  double objects, bytes;

  if (retained == NULL)
    return;
  json_builder_set_member_name (b, "heap");
  json_builder_begin_object (b);
  sp_heap_totals (profile, SP_HEAP_BEFORE, &objects, &bytes);
  sp_cli_json_number (b, "before_bytes", bytes);
  sp_cli_json_number (b, "before_objects", objects);
  sp_heap_totals (profile, SP_HEAP_AFTER, &objects, &bytes);
  sp_cli_json_number (b, "after_bytes", bytes);
  sp_cli_json_number (b, "after_objects", objects);
  sp_cli_json_number (b, "seconds", sp_profile_get_meta (profile)->heap_snapshot_seconds);
  add_totals (b, profile, retained, "retained", TRUE, top);
  json_builder_end_object (b);
}

void
sp_cli_add_memory_json (JsonBuilder *b,
                        SpProfile   *profile,
                        guint        top)
{
  SpBytesSource source = sp_memory_bytes_source (profile);

  json_builder_set_member_name (b, "bytes_estimated");
  json_builder_add_boolean_value (b, source == SP_BYTES_ESTIMATED);
  if (source == SP_BYTES_EXACT)
    {
      g_autoptr(GArray) functions = sp_memory_totals (profile, SP_MEMORY_BY_FUNCTION, G_MAXUINT32);
      g_autoptr(GArray) types = sp_memory_totals (profile, SP_MEMORY_BY_TYPE, G_MAXUINT32);
      const char *instrumented = sp_profile_get_meta (profile)->instrumented;

      json_builder_set_member_name (b, "allocations");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "instrumented");
      if (instrumented != NULL)
        json_builder_add_string_value (b, instrumented);
      else
        json_builder_add_null_value (b);
      add_totals (b, profile, functions, "by_function", FALSE, top);
      add_totals (b, profile, types, "by_type", TRUE, top);
      json_builder_end_object (b);
    }
  add_gc (b, profile);
  add_heap (b, profile, top);
}
