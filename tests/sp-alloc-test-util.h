/* sp-alloc-test-util.h: a memory profile whose allocations are known, built with the core
 * builder as an alloc-exact recording would be */
#pragma once

#include "sp-profile.h"

/* Allocations (objects, bytes) by function and type:
 *   WORKLOAD::MAKE-CONSES   CONS 100 000, 1 600 000
 *   WORKLOAD::MAKE-VECTORS  SIMPLE-VECTOR 1 000, 8 016 000; CONS 2 000, 32 000
 *   WORKLOAD::MAKE-POINTS   WORKLOAD::POINT 5 000, 160 000; CONS 500, 8 000
 * So by type: SIMPLE-VECTOR 8 016 000, CONS 1 640 000 (102 500 objects), POINT 160 000.
 * Each function is also a stack MAIN;WORKLOAD::RUN;F weighing its bytes.
 * GC: 3 collections over a 2 s recording, pauses 10, 30 and 20 ms, generations 0, 1 and 6.
 * Heap (when with_heap): CONS 1 000 → 101 000 objects (16 000 → 1 616 000 bytes), POINT
 * 0 → 10 (320 bytes), SIMPLE-VECTOR 50 → 40 (4 000 → 3 200 bytes). */
static inline SpProfile *
sp_test_alloc_profile (gboolean with_heap)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  SpProfileMeta *meta = sp_profile_builder_get_meta (builder);
  SpProfileSections *sections = sp_profile_builder_get_sections (builder);
  static const struct { const char *function, *type; double objects, bytes; } rows[] = {
    { "WORKLOAD::MAKE-CONSES", "CONS", 100000, 1600000 },
    { "WORKLOAD::MAKE-VECTORS", "SIMPLE-VECTOR", 1000, 8016000 },
    { "WORKLOAD::MAKE-VECTORS", "CONS", 2000, 32000 },
    { "WORKLOAD::MAKE-POINTS", "WORKLOAD::POINT", 5000, 160000 },
    { "WORKLOAD::MAKE-POINTS", "CONS", 500, 8000 },
  };
  static const SpGcEvent gc[] = {
    { 0.25, 0.010, 0, 50000000, 20000000 },
    { 0.90, 0.030, 1, 60000000, 25000000 },
    { 1.50, 0.020, 6, 40000000, 30000000 },
  };
  guint32 main_frame = sp_profile_builder_intern_frame (builder, "MAIN", -1);
  guint32 run_frame = sp_profile_builder_intern_frame (builder, "WORKLOAD::RUN", -1);

  meta->mode = SP_MODE_ALLOC_EXACT;
  meta->duration = 2.0;
  meta->bytes_consed = 10000000;
  meta->instrumented = g_strdup ("the files loaded: workload.lisp");
  sp_profile_builder_enable_metric (builder, SP_METRIC_BYTES);

  sections->alloc_rows = g_array_new (FALSE, FALSE, sizeof (SpAllocRow));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      guint32 frame = sp_profile_builder_intern_frame (builder, rows[i].function, -1);
      SpAllocRow row = { frame, sp_profile_builder_intern_type (builder, rows[i].type),
                         rows[i].objects, rows[i].bytes };
      guint32 stack[] = { main_frame, run_frame, frame };
      double weights[SP_N_METRICS] = { 0 };

      weights[SP_METRIC_BYTES] = rows[i].bytes;
      sp_profile_builder_add_stack (builder, stack, G_N_ELEMENTS (stack), FALSE, weights);
      g_array_append_val (sections->alloc_rows, row);
    }

  sections->gc_events = g_array_new (FALSE, FALSE, sizeof (SpGcEvent));
  g_array_append_vals (sections->gc_events, gc, G_N_ELEMENTS (gc));

  if (with_heap)
    {
      SpHeapRow before[] = {
        { sp_profile_builder_intern_type (builder, "CONS"), 1000, 16000 },
        { sp_profile_builder_intern_type (builder, "SIMPLE-VECTOR"), 50, 4000 },
      };
      SpHeapRow after[] = {
        { sp_profile_builder_intern_type (builder, "CONS"), 101000, 1616000 },
        { sp_profile_builder_intern_type (builder, "WORKLOAD::POINT"), 10, 320 },
        { sp_profile_builder_intern_type (builder, "SIMPLE-VECTOR"), 40, 3200 },
      };

      sections->heap_before = g_array_new (FALSE, FALSE, sizeof (SpHeapRow));
      g_array_append_vals (sections->heap_before, before, G_N_ELEMENTS (before));
      sections->heap_after = g_array_new (FALSE, FALSE, sizeof (SpHeapRow));
      g_array_append_vals (sections->heap_after, after, G_N_ELEMENTS (after));
      meta->heap_snapshot_seconds = 0.35;
    }
  return sp_profile_builder_end (builder);
}
