/* test-alloc-view.c: the Allocations page of a profile tab, under Xvfb: rows by function and by
 * type, function × type expansion, selection shared with the other pages, the GC summary and
 * strip, the heap retained, estimates labelled, and no page for a profile without memory data */
#include "config.h"

#include <adwaita.h>

#include "sp-alloc-item.h"
#include "sp-alloc-table.h"
#include "sp-alloc-test-util.h"
#include "sp-alloc-view.h"
#include "sp-call-tree.h"
#include "sp-flame-view.h"
#include "sp-format.h"
#include "sp-function-table.h"
#include "sp-gc-strip.h"
#include "sp-heap-item.h"
#include "sp-heap-table.h"
#include "sp-function-details.h"
#include "sp-profile-view.h"
#include "sp-test-util.h"

typedef struct
{
  GtkWindow     *window;
  SpProfile     *profile;
  SpProfileView *view;
  SpAllocView   *alloc;
} Fixture;

static void
show_profile_sized (Fixture   *f,
                    SpProfile *profile,
                    int        width,
                    int        height)
{
  SpFunctionTable *table;

  f->profile = profile;
  f->view = SP_PROFILE_VIEW (sp_profile_view_new ());
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, width, height);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  sp_profile_view_set_profile (f->view, f->profile);
  gtk_window_present (f->window);
  f->alloc = SP_ALLOC_VIEW (sp_profile_view_get_alloc_view (f->view));
  table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view));
  while (!sp_function_table_is_ready (table))
    g_main_context_iteration (NULL, TRUE);
}

static void
show_profile (Fixture   *f,
              SpProfile *profile)
{
  show_profile_sized (f, profile, 1400, 900);
}

enum { WITH_HEAP = 1 << 0, SMALL_WINDOW = 1 << 1 };

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  int flags = GPOINTER_TO_INT (data);

  show_profile_sized (f, sp_test_alloc_profile (flags & WITH_HEAP),
                      flags & SMALL_WINDOW ? 800 : 1400, flags & SMALL_WINDOW ? 600 : 900);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->profile);
}

static gboolean
alloc_page_visible (Fixture *f)
{
  AdwViewStack *stack = sp_profile_view_get_view_stack (f->view);

  return adw_view_stack_page_get_visible (adw_view_stack_get_page (stack, GTK_WIDGET (f->alloc)));
}

static void
show_alloc_page (Fixture *f)
{
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (f->view), "allocations");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

/* Saves the window as a PNG when SP_TEST_SHOT_DIR is set: something to look at. */
static void
save_shot (Fixture    *f,
           const char *name)
{
  const char *dir = g_getenv ("SP_TEST_SHOT_DIR");
  GtkWidget *widget = GTK_WIDGET (f->window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* A caption as the page writes it: sizes and counts formatted as the locale writes them.
 * "%B" stands for bytes, "%C" for a count, in that order. */
static char *
expected_text (const char *format,
               double      bytes,
               double      count)
{
  g_autofree char *b = sp_format_bytes ((gint64) bytes);
  g_autofree char *c = sp_format_count (count);
  g_auto(GStrv) parts = g_strsplit (format, "%B", 2);
  g_autofree char *with_bytes = g_strjoinv (b, parts);
  g_auto(GStrv) rest = g_strsplit (with_bytes, "%C", 2);

  return g_strjoinv (c, rest);
}

/* The item of a visible row of an allocation table, and its depth. */
static SpAllocItem *
row_item (GListModel *rows,
          guint       position,
          guint      *depth)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, position);

  g_assert_nonnull (row);
  if (depth != NULL)
    *depth = gtk_tree_list_row_get_depth (row);
  return gtk_tree_list_row_get_item (row);
}

static const char *
row_name (GListModel *rows,
          guint       position)
{
  g_autoptr(SpAllocItem) item = row_item (rows, position, NULL);

  return sp_alloc_item_get_name (item);
}

static void
expand_row (GListModel *rows,
            guint       position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, position);

  g_assert_true (gtk_tree_list_row_is_expandable (row));
  gtk_tree_list_row_set_expanded (row, TRUE);
}

static void
test_by_function (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *caption = NULL;
  SpAllocTable *table = SP_ALLOC_TABLE (sp_alloc_view_get_functions_table (f->alloc));
  GListModel *rows = sp_alloc_table_get_model (table);
  g_autoptr(SpAllocItem) first = NULL;
  g_autoptr(SpAllocItem) child = NULL;
  guint depth;

  g_assert_true (alloc_page_visible (f));
  show_alloc_page (f);
  save_shot (f, "alloc-exact.png");

  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  first = row_item (rows, 0, &depth);
  g_assert_cmpstr (sp_alloc_item_get_name (first), ==, "WORKLOAD::MAKE-VECTORS");
  g_assert_cmpuint (depth, ==, 0);
  g_assert_cmpfloat (sp_alloc_item_get_total (first)->bytes, ==, 8048000);
  g_assert_cmpfloat (sp_alloc_item_get_total (first)->objects, ==, 3000);
  g_assert_cmpfloat_with_epsilon (sp_alloc_item_get_fraction (first), 8048000.0 / 9816000, 1e-9);
  g_assert_cmpstr (row_name (rows, 1), ==, "WORKLOAD::MAKE-CONSES");
  g_assert_cmpstr (row_name (rows, 2), ==, "WORKLOAD::MAKE-POINTS");

  /* bytes only: the flame graph offers no switch */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (sp_profile_view_get_flame_view (f->view),
                                                                                     SP_TYPE_FLAME_VIEW, "metric_box"))));
  /* exact: objects and their size shown, no samples; plain bytes */
  g_assert_true (gtk_column_view_column_get_visible (sp_alloc_table_get_column (table, SP_ALLOC_COLUMN_OBJECTS)));
  g_assert_false (gtk_column_view_column_get_visible (sp_alloc_table_get_column (table, SP_ALLOC_COLUMN_SAMPLES)));
  g_assert_cmpstr (gtk_column_view_column_get_title (sp_alloc_table_get_column (table, SP_ALLOC_COLUMN_BYTES)), ==, "Bytes");
  g_assert_cmpstr (sp_alloc_view_get_label_text (f->alloc, "source_badge"), ==, "Exact");
  g_assert_nonnull (strstr (sp_alloc_view_get_label_text (f->alloc, "note"), "were allocated outside it"));
  g_assert_nonnull (strstr (sp_alloc_view_get_label_text (f->alloc, "note"), "FORMAT"));
  caption = expected_text ("%B in %C objects · 3 functions", 9816000, 108500);
  g_assert_cmpstr (sp_alloc_view_get_label_text (f->alloc, "functions_caption"), ==, caption);

  /* a function expands to its types, biggest first */
  expand_row (rows, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 5);
  child = row_item (rows, 1, &depth);
  g_assert_cmpuint (depth, ==, 1);
  g_assert_cmpint (sp_alloc_item_get_kind (child), ==, SP_ALLOC_KEY_TYPE);
  g_assert_cmpstr (sp_alloc_item_get_name (child), ==, "SIMPLE-VECTOR");
  g_assert_cmpfloat (sp_alloc_item_get_total (child)->objects, ==, 1000);
  g_assert_cmpfloat (sp_alloc_item_get_object_size (child), ==, 8016);
  g_assert_cmpstr (row_name (rows, 2), ==, "CONS");
  g_assert_cmpstr (row_name (rows, 3), ==, "WORKLOAD::MAKE-CONSES");

  /* sorting keeps types under their function */
  sp_alloc_table_sort_by (table, SP_ALLOC_COLUMN_NAME, GTK_SORT_ASCENDING);
  g_assert_cmpstr (row_name (rows, 0), ==, "WORKLOAD::MAKE-CONSES");
  g_assert_cmpstr (row_name (rows, 2), ==, "WORKLOAD::MAKE-VECTORS");
  g_assert_cmpstr (row_name (rows, 3), ==, "CONS");
  g_assert_cmpstr (row_name (rows, 4), ==, "SIMPLE-VECTOR");
}

static void
test_by_type (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *caption = NULL;
  SpAllocTable *table = SP_ALLOC_TABLE (sp_alloc_view_get_types_table (f->alloc));
  GListModel *rows = sp_alloc_table_get_model (table);
  g_autoptr(SpAllocItem) cons = NULL;
  g_autoptr(SpAllocItem) child = NULL;
  guint depth;

  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  g_assert_cmpstr (row_name (rows, 0), ==, "SIMPLE-VECTOR");
  cons = row_item (rows, 1, NULL);
  g_assert_cmpstr (sp_alloc_item_get_name (cons), ==, "CONS");
  g_assert_cmpfloat (sp_alloc_item_get_total (cons)->objects, ==, 102500);
  g_assert_cmpfloat (sp_alloc_item_get_total (cons)->bytes, ==, 1640000);
  g_assert_cmpstr (row_name (rows, 2), ==, "WORKLOAD::POINT");
  caption = expected_text ("%B in %C objects · 3 types", 9816000, 108500);
  g_assert_cmpstr (sp_alloc_view_get_label_text (f->alloc, "types_caption"), ==, caption);

  /* a type expands to the functions that allocated it */
  expand_row (rows, 1);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 6);
  child = row_item (rows, 2, &depth);
  g_assert_cmpuint (depth, ==, 1);
  g_assert_cmpstr (sp_alloc_item_get_name (child), ==, "WORKLOAD::MAKE-CONSES");
  g_assert_cmpfloat (sp_alloc_item_get_total (child)->objects, ==, 100000);
  g_assert_cmpstr (row_name (rows, 3), ==, "WORKLOAD::MAKE-VECTORS");
  g_assert_cmpstr (row_name (rows, 4), ==, "WORKLOAD::MAKE-POINTS");

  /* selecting a function under a type selects it in the tab */
  sp_alloc_table_select_row (table, 4);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==,
                    sp_profile_lookup_frame (f->profile, "WORKLOAD::MAKE-POINTS"));
  /* a type row is no function: the tab's selection stays */
  sp_alloc_table_select_row (table, 0);
  g_assert_cmpuint (sp_alloc_table_get_selected_frame (table), ==, SP_NO_FRAME);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==,
                    sp_profile_lookup_frame (f->profile, "WORKLOAD::MAKE-POINTS"));
}

static void
test_selection_sync (Fixture       *f,
                     gconstpointer  data)
{
  SpAllocTable *table = SP_ALLOC_TABLE (sp_alloc_view_get_functions_table (f->alloc));
  SpFunctionTable *functions = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view));
  SpCallTree *tree = SP_CALL_TREE (sp_profile_view_get_call_tree (f->view));
  SpFlameGraph *graph = sp_flame_view_get_graph (SP_FLAME_VIEW (sp_profile_view_get_flame_view (f->view)));
  guint32 conses = sp_profile_lookup_frame (f->profile, "WORKLOAD::MAKE-CONSES");
  guint32 points = sp_profile_lookup_frame (f->profile, "WORKLOAD::MAKE-POINTS");

  show_alloc_page (f);

  /* from the Allocations page to the others */
  sp_alloc_table_select_row (table, 1);
  g_assert_cmpuint (sp_alloc_table_get_selected_frame (table), ==, conses);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==, conses);
  g_assert_cmpuint (sp_function_table_get_selected_frame (functions), ==, conses);
  g_assert_cmpuint (sp_call_tree_get_selected_frame (tree), ==, conses);
  g_assert_cmpuint (sp_flame_graph_get_selected_frame (graph), ==, conses);
  /* exact counts have no call stacks: the details pane says so rather than list a lone root */
  g_assert_false (sp_function_details_get_has_call_stacks (
    SP_FUNCTION_DETAILS (sp_profile_view_get_details (f->view))));

  /* and back: a function chosen in the flat table shows in the Allocations page */
  sp_profile_view_select_function (f->view, points);
  g_assert_cmpuint (sp_alloc_table_get_selected_frame (table), ==, points);
  g_assert_cmpuint (sp_alloc_view_get_selected_frame (f->alloc), ==, points);

  /* a function that allocated nothing has no row: none is selected */
  sp_profile_view_select_function (f->view, sp_profile_lookup_frame (f->profile, "WORKLOAD::RUN"));
  g_assert_cmpuint (sp_alloc_table_get_selected_frame (table), ==, SP_NO_FRAME);

  /* history goes back through selections made on this page */
  sp_profile_view_go_back (f->view);
  g_assert_cmpuint (sp_alloc_table_get_selected_frame (table), ==, points);
}

static void
test_gc (Fixture       *f,
         gconstpointer  data)
{
  g_autofree char *caption = NULL;
  SpGcStrip *strip = SP_GC_STRIP (sp_alloc_view_get_gc_strip (f->alloc));
  g_autofree char *second = NULL;
  int width;

  show_alloc_page (f);
  g_assert_cmpstr (sp_alloc_view_get_label_text (f->alloc, "gc_count"), ==, "3");
  g_assert_cmpstr (sp_alloc_view_get_label_text (f->alloc, "gc_total"), ==, "60.0 ms");
  g_assert_cmpstr (sp_alloc_view_get_label_text (f->alloc, "gc_longest"), ==, "30.0 ms");
  g_assert_cmpstr (sp_alloc_view_get_label_text (f->alloc, "gc_share"), ==, "3.00 %");
  caption = expected_text ("%B", 60000000, 0);
  g_assert_cmpstr (sp_alloc_view_get_label_text (f->alloc, "gc_peak"), ==, caption);
  g_clear_pointer (&caption, g_free);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->alloc), SP_TYPE_ALLOC_VIEW, "gc_missing"))));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (strip)));

  /* the collection at 0.90 s of 2 s is drawn 45 % along the strip */
  width = gtk_widget_get_width (GTK_WIDGET (strip));
  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (sp_gc_strip_get_event_at (strip, 0.45 * width + 1), ==, 1);
  g_assert_cmpint (sp_gc_strip_get_event_at (strip, 0.125 * width + 1), ==, 0);
  g_assert_cmpint (sp_gc_strip_get_event_at (strip, 0.30 * width), ==, -1);
  second = sp_gc_strip_describe_event (strip, 1);
  g_assert_nonnull (strstr (second, "Generation 1, pause 30.0 ms"));
  caption = expected_text ("%B → ", 60000000, 0);
  g_assert_nonnull (strstr (second, caption));
}

static void
test_heap (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *caption = NULL;
  GListModel *rows = sp_heap_table_get_model (SP_HEAP_TABLE (sp_alloc_view_get_heap_table (f->alloc)));
  g_autoptr(SpHeapItem) first = NULL;
  g_autoptr(SpHeapItem) last = NULL;
  GtkStack *sections = sp_alloc_view_get_sections (f->alloc);

  gtk_stack_set_visible_child_name (sections, "heap");
  show_alloc_page (f);
  save_shot (f, "alloc-heap.png");

  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  first = g_list_model_get_item (rows, 0);
  g_assert_cmpstr (sp_heap_item_get_name (first), ==, "CONS");
  g_assert_cmpfloat (SP_HEAP_DELTA_RETAINED_OBJECTS (sp_heap_item_get_delta (first)), ==, 100000);
  g_assert_cmpfloat (SP_HEAP_DELTA_RETAINED_BYTES (sp_heap_item_get_delta (first)), ==, 1600000);
  g_assert_cmpfloat_with_epsilon (sp_heap_item_get_share (first), 1600000.0 / 1600320, 1e-9);
  last = g_list_model_get_item (rows, 2);
  g_assert_cmpstr (sp_heap_item_get_name (last), ==, "SIMPLE-VECTOR");
  g_assert_cmpfloat (sp_heap_item_get_share (last), ==, 0);
  caption = expected_text ("+%B retained in %C objects · live before ", 1599520, 100000);
  g_assert_true (g_str_has_prefix (sp_alloc_view_get_label_text (f->alloc, "heap_caption"), caption));
  g_assert_true (g_str_has_suffix (sp_alloc_view_get_label_text (f->alloc, "heap_caption"),
                                   " · the snapshots took 350.0 ms"));
}

static void
test_no_heap_snapshot (Fixture       *f,
                       gconstpointer  data)
{
  GtkStack *heap_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f->alloc), SP_TYPE_ALLOC_VIEW, "heap_stack"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (heap_stack), ==, "empty");
  g_assert_cmpstr (sp_alloc_view_get_label_text (f->alloc, "heap_status"), ==, "No Heap Snapshot");
  g_assert_cmpuint (g_list_model_get_n_items (sp_heap_table_get_model (SP_HEAP_TABLE (sp_alloc_view_get_heap_table (f->alloc)))), ==, 0);
}

/* At 800 × 600 the page fits, and its table keeps room to read. */
static void
test_small_window (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *table = sp_alloc_view_get_functions_table (f->alloc);

  show_alloc_page (f);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->window)), <=, 600);
  g_assert_cmpint (gtk_widget_get_height (table), >=, 100);
  g_assert_true (gtk_widget_get_mapped (sp_alloc_view_get_gc_strip (f->alloc)));
}

/* A CPU profile from a file of folded stacks: nothing about memory, so no page at all. */
static void
test_no_memory_data (void)
{
  static const char * const lines[] = { "MAIN;RUN;FIB 9", "MAIN;RUN 1", NULL };
  Fixture f = { 0 };

  show_profile (&f, sp_test_profile_from_lines (lines));
  g_assert_false (alloc_page_visible (&f));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f.alloc), SP_TYPE_ALLOC_VIEW, "state_stack"))),
                   ==, "none");
  fixture_teardown (&f, NULL);
}

/* A CPU profile with one collection, as a recording of CPU time keeps it. */
static SpProfile *
cpu_profile_with_gc (void)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  guint32 frames[] = { sp_profile_builder_intern_frame (builder, "MAIN", -1),
                       sp_profile_builder_intern_frame (builder, "FIB", -1) };
  double weights[SP_N_METRICS] = { 10 };
  SpGcEvent event = { 0.5, 0.004, 0, 30000000, 10000000 };
  SpProfileSections *sections = sp_profile_builder_get_sections (builder);

  sp_profile_builder_get_meta (builder)->mode = SP_MODE_CPU;
  sp_profile_builder_get_meta (builder)->duration = 1.0;
  sp_profile_builder_add_stack (builder, frames, 2, FALSE, weights);
  sections->gc_events = g_array_new (FALSE, FALSE, sizeof (SpGcEvent));
  g_array_append_val (sections->gc_events, event);
  return sp_profile_builder_end (builder);
}

/* A live recording: the page appears with the first collection, and catches up when shown. */
static void
test_live (void)
{
  static const char * const lines[] = { "MAIN;FIB 3", NULL };
  g_autoptr(SpProfile) later = cpu_profile_with_gc ();
  Fixture f = { 0 };

  show_profile (&f, sp_test_profile_from_lines (lines));
  g_assert_false (alloc_page_visible (&f));
  sp_profile_view_update_profile (f.view, later);
  g_assert_true (alloc_page_visible (&f));
  show_alloc_page (&f);
  g_assert_cmpstr (sp_alloc_view_get_label_text (f.alloc, "gc_count"), ==, "1");
  fixture_teardown (&f, NULL);
}

/* A CPU recording with GC events: the page shows them, and says why it has no allocations
 * rather than showing empty tables under their headers. */
static void
test_cpu_with_gc (void)
{
  GtkStack *functions_stack, *types_stack;
  Fixture f = { 0 };

  show_profile (&f, cpu_profile_with_gc ());

  g_assert_true (alloc_page_visible (&f));
  show_alloc_page (&f);
  functions_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f.alloc), SP_TYPE_ALLOC_VIEW, "functions_stack"));
  types_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f.alloc), SP_TYPE_ALLOC_VIEW, "types_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (functions_stack), ==, "empty");
  g_assert_cmpstr (sp_alloc_view_get_label_text (f.alloc, "functions_status"), ==, "No Allocation Figures");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (types_stack), ==, "empty");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f.alloc), SP_TYPE_ALLOC_VIEW, "source_badge"))));
  g_assert_cmpstr (sp_alloc_view_get_label_text (f.alloc, "gc_count"), ==, "1");
  g_assert_cmpstr (sp_alloc_view_get_label_text (f.alloc, "gc_share"), ==, "0.40 %");
  fixture_teardown (&f, NULL);
}

/* Whether the column view of a table (a template child "column_view") has a column titled so. */
static gboolean
has_column_titled (GtkWidget  *table,
                   GType       type,
                   const char *title)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (gtk_widget_get_template_child (table, type, "column_view"));
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return TRUE;
    }
  return FALSE;
}

/* sb-sprof's alloc mode: figures labelled as estimates, with samples and without types */
static void
test_sampled (void)
{
  g_autofree char *caption = NULL;
  SpProfileBuilder *builder = sp_profile_builder_new ();
  guint32 run = sp_profile_builder_intern_frame (builder, "DEMO::RUN", -1);
  guint32 build = sp_profile_builder_intern_frame (builder, "DEMO:BUILD-LISTS", -1);
  guint32 stack[] = { run, build };
  double weights[SP_N_METRICS] = { 40 };
  SpAllocTable *table;
  g_autoptr(SpAllocItem) first = NULL;
  g_autofree char *text = NULL;
  Fixture f = { 0 };

  weights[SP_METRIC_BYTES] = 40 * 32768;
  sp_profile_builder_get_meta (builder)->mode = SP_MODE_ALLOC;
  sp_profile_builder_add_stack (builder, stack, 2, FALSE, weights);
  show_profile (&f, sp_profile_builder_end (builder));
  show_alloc_page (&f);

  table = SP_ALLOC_TABLE (sp_alloc_view_get_functions_table (f.alloc));
  g_assert_cmpstr (sp_alloc_view_get_label_text (f.alloc, "source_badge"), ==, "Estimated");
  g_assert_nonnull (strstr (sp_alloc_view_get_label_text (f.alloc, "note"), "Estimated from the allocation samples"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f.alloc), SP_TYPE_ALLOC_VIEW, "source_badge"))),
                   ==, sp_format_estimate_explanation ());
  g_assert_cmpstr (gtk_column_view_column_get_title (sp_alloc_table_get_column (table, SP_ALLOC_COLUMN_BYTES)), ==, "Est. Bytes");
  g_assert_false (gtk_column_view_column_get_visible (sp_alloc_table_get_column (table, SP_ALLOC_COLUMN_OBJECTS)));
  g_assert_true (gtk_column_view_column_get_visible (sp_alloc_table_get_column (table, SP_ALLOC_COLUMN_SAMPLES)));
  first = row_item (sp_alloc_table_get_model (table), 0, NULL);
  g_assert_cmpfloat (sp_alloc_item_get_total (first)->samples, ==, 40);
  g_assert_cmpstr (sp_alloc_view_get_label_text (f.alloc, "types_status"), ==, "No Object Types");
  /* the flame graph draws bytes, and switches to samples */
  {
    GtkWidget *flame = sp_profile_view_get_flame_view (f.view);
    SpFlameGraph *graph = sp_flame_view_get_graph (SP_FLAME_VIEW (flame));
    GtkWidget *box = GTK_WIDGET (gtk_widget_get_template_child (flame, SP_TYPE_FLAME_VIEW, "metric_box"));

    g_assert_true (gtk_widget_get_visible (box));
    g_assert_cmpint (sp_flame_graph_get_metric (graph), ==, SP_METRIC_BYTES);
    g_assert_true (gtk_widget_activate_action (flame, "flame-view.metric", "s", "samples"));
    g_assert_cmpint (sp_flame_graph_get_metric (graph), ==, SP_METRIC_SAMPLES);
    g_assert_true (gtk_widget_activate_action (flame, "flame-view.metric", "s", "bytes"));
    g_assert_cmpint (sp_flame_graph_get_metric (graph), ==, SP_METRIC_BYTES);
  }
  /* the other pages say their bytes are estimates, and how they were made */
  text = sp_format_weight_tooltip (f.profile, SP_METRIC_BYTES);
  g_assert_cmpstr (text, ==, sp_format_estimate_explanation ());
  g_assert_true (has_column_titled (sp_profile_view_get_function_table (f.view), SP_TYPE_FUNCTION_TABLE, "Est. Self"));
  g_assert_true (has_column_titled (sp_profile_view_get_function_table (f.view), SP_TYPE_FUNCTION_TABLE, "Est. Total"));
  g_assert_false (has_column_titled (sp_profile_view_get_function_table (f.view), SP_TYPE_FUNCTION_TABLE, "Self"));
  g_assert_true (has_column_titled (sp_profile_view_get_call_tree (f.view), SP_TYPE_CALL_TREE, "Est. Total"));
  fixture_teardown (&f, NULL);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/AllocView/by-function", Fixture, GINT_TO_POINTER (WITH_HEAP), fixture_setup, test_by_function, fixture_teardown);
  g_test_add ("/AllocView/by-type", Fixture, GINT_TO_POINTER (WITH_HEAP), fixture_setup, test_by_type, fixture_teardown);
  g_test_add ("/AllocView/selection-sync", Fixture, GINT_TO_POINTER (WITH_HEAP), fixture_setup, test_selection_sync, fixture_teardown);
  g_test_add ("/AllocView/gc", Fixture, GINT_TO_POINTER (WITH_HEAP), fixture_setup, test_gc, fixture_teardown);
  g_test_add ("/AllocView/heap", Fixture, GINT_TO_POINTER (WITH_HEAP), fixture_setup, test_heap, fixture_teardown);
  g_test_add ("/AllocView/no-heap-snapshot", Fixture, GINT_TO_POINTER (0), fixture_setup, test_no_heap_snapshot, fixture_teardown);
  g_test_add ("/AllocView/small-window", Fixture, GINT_TO_POINTER (WITH_HEAP | SMALL_WINDOW), fixture_setup, test_small_window, fixture_teardown);
  g_test_add_func ("/AllocView/no-memory-data", test_no_memory_data);
  g_test_add_func ("/AllocView/cpu-with-gc", test_cpu_with_gc);
  g_test_add_func ("/AllocView/live", test_live);
  g_test_add_func ("/AllocView/sampled", test_sampled);

  return g_test_run ();
}
