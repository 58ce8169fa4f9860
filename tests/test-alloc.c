/* test-alloc.c: memory figures of a profile: by function, by type, function × type, GC
 * data and retained heap, for exact, sampled, deterministic and CPU profiles */
#include "sp-alloc.h"
#include "sp-alloc-test-util.h"
#include "sp-test-util.h"

static const char *
key_name (SpProfile *p,
          GArray    *totals,
          guint      i,
          gboolean   frames)
{
  guint32 key = g_array_index (totals, SpAllocTotal, i).key;

  return frames ? sp_profile_get_frame (p, key)->name : sp_profile_get_type_name (p, key);
}

#define TOTAL(a, i) (&g_array_index ((a), SpAllocTotal, (i)))

static void
test_exact_by_function_and_type (void)
{
  g_autoptr(SpProfile) p = sp_test_alloc_profile (FALSE);
  g_autoptr(GArray) functions = sp_alloc_by_function (p);
  g_autoptr(GArray) types = sp_alloc_by_type (p);

  g_assert_cmpint (sp_memory_bytes_source (p), ==, SP_BYTES_EXACT);
  g_assert_true (sp_alloc_has_memory_data (p));

  g_assert_cmpuint (functions->len, ==, 3);
  g_assert_cmpstr (key_name (p, functions, 0, TRUE), ==, "WORKLOAD::MAKE-VECTORS");
  g_assert_cmpfloat (TOTAL (functions, 0)->bytes, ==, 8048000);
  g_assert_cmpfloat (TOTAL (functions, 0)->objects, ==, 3000);
  g_assert_cmpstr (key_name (p, functions, 1, TRUE), ==, "WORKLOAD::MAKE-CONSES");
  g_assert_cmpstr (key_name (p, functions, 2, TRUE), ==, "WORKLOAD::MAKE-POINTS");
  g_assert_cmpfloat (TOTAL (functions, 2)->objects, ==, 5500);
  g_assert_cmpfloat (TOTAL (functions, 2)->samples, <, 0);
  g_assert_cmpfloat (sp_alloc_total_bytes (p), ==, 9816000);

  g_assert_cmpuint (types->len, ==, 3);
  g_assert_cmpstr (key_name (p, types, 0, FALSE), ==, "SIMPLE-VECTOR");
  g_assert_cmpstr (key_name (p, types, 1, FALSE), ==, "CONS");
  g_assert_cmpfloat (TOTAL (types, 1)->objects, ==, 102500);
  g_assert_cmpfloat (TOTAL (types, 1)->bytes, ==, 1640000);
  g_assert_cmpstr (key_name (p, types, 2, FALSE), ==, "WORKLOAD::POINT");
}

static void
test_function_by_type (void)
{
  g_autoptr(SpProfile) p = sp_test_alloc_profile (FALSE);
  guint32 points = sp_profile_lookup_frame (p, "WORKLOAD::MAKE-POINTS");
  g_autoptr(GArray) types = sp_alloc_types_of_function (p, points);
  g_autoptr(GArray) conses = NULL;
  guint32 cons = G_MAXUINT32;

  g_assert_cmpuint (types->len, ==, 2);
  g_assert_cmpstr (key_name (p, types, 0, FALSE), ==, "WORKLOAD::POINT");
  g_assert_cmpfloat (TOTAL (types, 0)->objects, ==, 5000);
  g_assert_cmpstr (key_name (p, types, 1, FALSE), ==, "CONS");
  g_assert_cmpfloat (TOTAL (types, 1)->bytes, ==, 8000);

  for (guint32 t = 0; t < sp_profile_get_n_types (p); t++)
    if (g_str_equal (sp_profile_get_type_name (p, t), "CONS"))
      cons = t;
  conses = sp_alloc_functions_of_type (p, cons);
  g_assert_cmpuint (conses->len, ==, 3);
  g_assert_cmpstr (key_name (p, conses, 0, TRUE), ==, "WORKLOAD::MAKE-CONSES");
  g_assert_cmpstr (key_name (p, conses, 1, TRUE), ==, "WORKLOAD::MAKE-VECTORS");
  g_assert_cmpstr (key_name (p, conses, 2, TRUE), ==, "WORKLOAD::MAKE-POINTS");
  g_assert_cmpfloat (TOTAL (conses, 2)->objects, ==, 500);
}

/* GC events alone are memory data; a profile of plain stacks has none */
static void
test_memory_data (void)
{
  g_autoptr(SpProfile) p = sp_test_alloc_profile (FALSE);
  g_autoptr(SpProfile) cpu = NULL;
  g_autoptr(GArray) functions = NULL;
  static const char * const lines[] = { "a;b 3", NULL };

  g_assert_true (sp_alloc_has_memory_data (p));
  cpu = sp_test_profile_from_lines (lines);
  g_assert_false (sp_alloc_has_memory_data (cpu));
  g_assert_cmpint (sp_memory_bytes_source (cpu), ==, SP_BYTES_NONE);
  functions = sp_alloc_by_function (cpu);
  g_assert_cmpuint (functions->len, ==, 0);
}

static void
test_heap_retained (void)
{
  g_autoptr(SpProfile) p = sp_test_alloc_profile (TRUE);
  g_autoptr(SpProfile) without = sp_test_alloc_profile (FALSE);
  g_autoptr(GArray) heap = sp_heap_compare (p);
  const SpHeapDelta *d;

  g_assert_null (sp_heap_compare (without));
  g_assert_nonnull (heap);
  g_assert_cmpuint (heap->len, ==, 3);

  d = &g_array_index (heap, SpHeapDelta, 0);
  g_assert_cmpstr (sp_profile_get_type_name (p, d->type), ==, "CONS");
  g_assert_cmpfloat (SP_HEAP_DELTA_RETAINED_OBJECTS (d), ==, 100000);
  g_assert_cmpfloat (SP_HEAP_DELTA_RETAINED_BYTES (d), ==, 1600000);

  d = &g_array_index (heap, SpHeapDelta, 1);
  g_assert_cmpstr (sp_profile_get_type_name (p, d->type), ==, "WORKLOAD::POINT");
  g_assert_cmpfloat (d->objects_before, ==, 0);
  g_assert_cmpfloat (SP_HEAP_DELTA_RETAINED_BYTES (d), ==, 320);

  /* freed by the workload: a negative retention, last */
  d = &g_array_index (heap, SpHeapDelta, 2);
  g_assert_cmpstr (sp_profile_get_type_name (p, d->type), ==, "SIMPLE-VECTOR");
  g_assert_cmpfloat (SP_HEAP_DELTA_RETAINED_OBJECTS (d), ==, -10);
}

/* sb-sprof's alloc mode: bytes spread over the samples, attributed to the stacks' leaves */
static void
test_sampled_estimates (void)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  guint32 run = sp_profile_builder_intern_frame (builder, "RUN", -1);
  guint32 build = sp_profile_builder_intern_frame (builder, "BUILD-LISTS", -1);
  guint32 rev = sp_profile_builder_intern_frame (builder, "SB-IMPL::LIST-REVERSE", -1);
  guint32 s1[] = { run, build }, s2[] = { run, build, rev };
  double w1[SP_N_METRICS] = { 3 }, w2[SP_N_METRICS] = { 1 };
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(GArray) functions = NULL;
  g_autoptr(GArray) types = NULL;

  w1[SP_METRIC_BYTES] = 3 * 32768;
  w2[SP_METRIC_BYTES] = 32768;
  sp_profile_builder_get_meta (builder)->mode = SP_MODE_ALLOC;
  sp_profile_builder_add_stack (builder, s1, 2, FALSE, w1);
  sp_profile_builder_add_stack (builder, s2, 3, FALSE, w2);
  p = sp_profile_builder_end (builder);

  g_assert_cmpint (sp_memory_bytes_source (p), ==, SP_BYTES_ESTIMATED);
  g_assert_true (sp_alloc_has_memory_data (p));
  functions = sp_alloc_by_function (p);
  g_assert_cmpuint (functions->len, ==, 2);   /* RUN allocated nothing itself */
  g_assert_cmpstr (key_name (p, functions, 0, TRUE), ==, "BUILD-LISTS");
  g_assert_cmpfloat (TOTAL (functions, 0)->bytes, ==, 3 * 32768);
  g_assert_cmpfloat (TOTAL (functions, 0)->samples, ==, 3);
  g_assert_cmpfloat (TOTAL (functions, 0)->objects, <, 0);
  g_assert_cmpfloat (TOTAL (functions, 1)->samples, ==, 1);
  types = sp_alloc_by_type (p);
  g_assert_cmpuint (types->len, ==, 0);
}

static void
test_deterministic_bytes (void)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  SpFunctionStats a = { 0 }, b = { 0 };
  g_autoptr(SpProfile) p = NULL;
  g_autoptr(GArray) functions = NULL;

  sp_profile_builder_get_meta (builder)->mode = SP_MODE_DETERMINISTIC;
  a.frame = sp_profile_builder_intern_frame (builder, "A", -1);
  b.frame = sp_profile_builder_intern_frame (builder, "B", -1);
  sp_run_stats_init (&a.total);
  sp_run_stats_init (&b.total);
  a.total.calls = 10;
  a.total.bytes = 4096;
  b.total.calls = 5;
  b.total.bytes = 0;
  sp_profile_builder_add_function_stats (builder, &a);
  sp_profile_builder_add_function_stats (builder, &b);
  p = sp_profile_builder_end (builder);

  g_assert_cmpint (sp_memory_bytes_source (p), ==, SP_BYTES_DETERMINISTIC);
  functions = sp_alloc_by_function (p);
  g_assert_cmpuint (functions->len, ==, 1);   /* B consed nothing */
  g_assert_cmpstr (key_name (p, functions, 0, TRUE), ==, "A");
  g_assert_cmpfloat (TOTAL (functions, 0)->bytes, ==, 4096);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alloc/exact-by-function-and-type", test_exact_by_function_and_type);
  g_test_add_func ("/alloc/function-by-type", test_function_by_type);
  g_test_add_func ("/alloc/memory-data", test_memory_data);
  g_test_add_func ("/alloc/heap-retained", test_heap_retained);
  g_test_add_func ("/alloc/sampled-estimates", test_sampled_estimates);
  g_test_add_func ("/alloc/deterministic-bytes", test_deterministic_bytes);

  return g_test_run ();
}
