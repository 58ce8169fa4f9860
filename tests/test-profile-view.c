/* test-profile-view.c: the profile tab: sorting and filtering the flat table, callers and
 * callees of the selected function, history, and the call tree both ways */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "sp-call-node.h"
#include "sp-call-tree.h"
#include "sp-edge-item.h"
#include "sp-flame-view.h"
#include "sp-function-details.h"
#include "sp-function-item.h"
#include "sp-function-table.h"
#include "sp-profile-view.h"
#include "sp-source-window.h"
#include "sp-test-util.h"

/* 16 samples.  Self: FIB 9, TWO-ARG-< 4, PARSE 2, COLLECT-GARBAGE 1.
 * Total: MAIN 16, RUN 15, FIB 9, SORT-ITEMS 4, TWO-ARG-< 4, PARSE 2, COLLECT-GARBAGE 1. */
static const char * const workload_stacks[] = {
  "MAIN;WORKLOAD::RUN;WORKLOAD::FIB;WORKLOAD::FIB 6",
  "MAIN;WORKLOAD::RUN;WORKLOAD::FIB 3",
  "MAIN;WORKLOAD::RUN;WORKLOAD::SORT-ITEMS;SB-KERNEL:TWO-ARG-< 4",
  "MAIN;SB-KERNEL::COLLECT-GARBAGE 1",
  "MAIN;WORKLOAD::RUN;WORKLOAD::PARSE 2",
  NULL
};

/* The table builds its rows in a worker thread. */
static void
wait_for_table (SpProfileView *view)
{
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (view));

  while (!sp_function_table_is_ready (table))
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  GtkWindow     *window;
  SpProfile     *profile;
  SpProfileView *view;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->profile = sp_test_profile_from_lines (workload_stacks);
  f->view = SP_PROFILE_VIEW (sp_profile_view_new ());
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  sp_profile_view_set_profile (f->view, f->profile);
  gtk_window_present (f->window);
  wait_for_table (f->view);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->profile);
}

static const char *
function_name_at (GListModel *model,
                  guint       position)
{
  g_autoptr(SpFunctionItem) item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  return sp_function_item_get_name (item);
}

static void
test_sort_flat_table (Fixture       *f,
                      gconstpointer  data)
{
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view));
  GListModel *model = sp_function_table_get_model (table);
  guint n = g_list_model_get_n_items (model);

  g_assert_cmpuint (n, ==, 7);

  /* Opens sorted by self weight, heaviest first. */
  g_assert_cmpstr (function_name_at (model, 0), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (function_name_at (model, 1), ==, "SB-KERNEL:TWO-ARG-<");
  /* ties (no self weight) stay in rank order, though the sort is descending */
  g_assert_cmpstr (function_name_at (model, n - 3), ==, "MAIN");
  g_assert_cmpstr (function_name_at (model, n - 2), ==, "WORKLOAD::RUN");
  g_assert_cmpstr (function_name_at (model, n - 1), ==, "WORKLOAD::SORT-ITEMS");

  sp_function_table_sort_by (table, SP_FUNCTION_COLUMN_TOTAL, GTK_SORT_DESCENDING);
  g_assert_cmpstr (function_name_at (model, 0), ==, "MAIN");
  g_assert_cmpstr (function_name_at (model, 1), ==, "WORKLOAD::RUN");

  sp_function_table_sort_by (table, SP_FUNCTION_COLUMN_TOTAL, GTK_SORT_ASCENDING);
  g_assert_cmpstr (function_name_at (model, 0), ==, "SB-KERNEL::COLLECT-GARBAGE");

  sp_function_table_sort_by (table, SP_FUNCTION_COLUMN_NAME, GTK_SORT_ASCENDING);
  g_assert_cmpstr (function_name_at (model, 0), ==, "MAIN");
  g_assert_cmpstr (function_name_at (model, n - 1), ==, "WORKLOAD::SORT-ITEMS");

  sp_function_table_sort_by (table, SP_FUNCTION_COLUMN_PACKAGE, GTK_SORT_DESCENDING);
  g_assert_cmpstr (function_name_at (model, 0), ==, "WORKLOAD::SORT-ITEMS");

  /* Rank and cumulative stay with their function whatever the order. */
  sp_function_table_sort_by (table, SP_FUNCTION_COLUMN_RANK, GTK_SORT_DESCENDING);
  {
    g_autoptr(SpFunctionItem) last = g_list_model_get_item (model, n - 1);

    g_assert_cmpuint (sp_function_item_get_rank (last), ==, 1);
    g_assert_cmpstr (sp_function_item_get_name (last), ==, "WORKLOAD::FIB");
    g_assert_cmpfloat_with_epsilon (sp_function_item_get_cumulative (last), 9.0 / 16, 1e-9);
    g_assert_cmpfloat_with_epsilon (sp_function_item_get_self_fraction (last), 9.0 / 16, 1e-9);
  }
  sp_function_table_sort_by (table, SP_FUNCTION_COLUMN_CUMULATIVE, GTK_SORT_DESCENDING);
  {
    g_autoptr(SpFunctionItem) first = g_list_model_get_item (model, 0);

    g_assert_cmpfloat_with_epsilon (sp_function_item_get_cumulative (first), 1.0, 1e-9);
  }

  /* A sampled profile has no calls or seconds to show. */
  g_assert_true (sp_function_table_column_is_shown (table, SP_FUNCTION_COLUMN_SELF_PERCENT));
  g_assert_false (sp_function_table_column_is_shown (table, SP_FUNCTION_COLUMN_CALLS));
  g_assert_false (sp_function_table_column_is_shown (table, SP_FUNCTION_COLUMN_SECONDS_PER_CALL));
}

static void
test_filter_flat_table (Fixture       *f,
                        gconstpointer  data)
{
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view));
  GListModel *model = sp_function_table_get_model (table);

  sp_function_table_set_name_filter (table, "fib");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (function_name_at (model, 0), ==, "WORKLOAD::FIB");

  sp_function_table_set_name_filter (table, NULL);
  sp_function_table_set_package_filter (table, "SB-KERNEL");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  sp_function_table_set_name_filter (table, "garbage");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (function_name_at (model, 0), ==, "SB-KERNEL::COLLECT-GARBAGE");

  /* Selecting a function the filter hides shows it again. */
  sp_profile_view_select_function (f->view, sp_profile_lookup_frame (f->profile, "WORKLOAD::RUN"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 7);
  g_assert_cmpuint (sp_function_table_get_selected_frame (table), ==,
                    sp_profile_lookup_frame (f->profile, "WORKLOAD::RUN"));
}

static void
assert_edge (GListModel *edges,
             guint       position,
             const char *name,
             double      weight)
{
  g_autoptr(SpEdgeItem) edge = g_list_model_get_item (edges, position);

  g_assert_nonnull (edge);
  g_assert_cmpstr (sp_edge_item_get_name (edge), ==, name);
  g_assert_cmpfloat (sp_edge_item_get_weight (edge), ==, weight);
}

static void
test_select_function (Fixture       *f,
                      gconstpointer  data)
{
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view));
  SpFunctionDetails *details = SP_FUNCTION_DETAILS (sp_profile_view_get_details (f->view));
  GListModel *callers = sp_function_details_get_callers (details);
  GListModel *callees = sp_function_details_get_callees (details);
  guint32 fib = sp_profile_lookup_frame (f->profile, "WORKLOAD::FIB");
  guint32 run = sp_profile_lookup_frame (f->profile, "WORKLOAD::RUN");

  g_assert_cmpuint (g_list_model_get_n_items (callers), ==, 0);

  /* Selecting a row of the table selects the function in the view. */
  sp_function_table_select_frame (table, fib);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==, fib);

  g_assert_cmpuint (g_list_model_get_n_items (callers), ==, 2);
  assert_edge (callers, 0, "WORKLOAD::RUN", 9);
  assert_edge (callers, 1, "WORKLOAD::FIB", 6);
  g_assert_cmpuint (g_list_model_get_n_items (callees), ==, 1);
  assert_edge (callees, 0, "WORKLOAD::FIB", 6);

  /* Double-clicking a caller jumps to it, in the table too. */
  sp_function_details_activate_edge (details, TRUE, 0);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==, run);
  g_assert_cmpuint (sp_function_table_get_selected_frame (table), ==, run);
  g_assert_cmpuint (g_list_model_get_n_items (callees), ==, 3);
  assert_edge (callees, 0, "WORKLOAD::FIB", 9);
  assert_edge (callees, 1, "WORKLOAD::SORT-ITEMS", 4);
  assert_edge (callers, 0, "MAIN", 15);

  /* Back and forward through the selections. */
  sp_profile_view_go_back (f->view);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==, fib);
  assert_edge (callers, 0, "WORKLOAD::RUN", 9);
  sp_profile_view_go_back (f->view);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==, fib);
  sp_profile_view_go_forward (f->view);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==, run);

  /* A new selection drops the forward history. */
  sp_profile_view_go_back (f->view);
  sp_profile_view_select_function (f->view, sp_profile_lookup_frame (f->profile, "MAIN"));
  sp_profile_view_go_forward (f->view);
  g_assert_cmpstr (sp_profile_get_frame (f->profile, sp_profile_view_get_selected_function (f->view))->name,
                   ==, "MAIN");
  assert_edge (callers, 0, "(root of the stack)", 16);

  /* A frame picked in the flame graph becomes the selected function. */
  g_signal_emit_by_name (sp_flame_view_get_graph (SP_FLAME_VIEW (sp_profile_view_get_flame_view (f->view))),
                         "frame-selected", fib);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==, fib);
  g_assert_cmpuint (sp_function_table_get_selected_frame (table), ==, fib);
}

static const char *
tree_name_at (GListModel *model,
              guint       position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, position);
  g_autoptr(SpCallNode) node = gtk_tree_list_row_get_item (row);

  return sp_call_node_get_name (node);
}

/* The tree as the profile has it, recursion not folded: shown at once. */
static GListModel *
unfolded_model (SpCallTree *tree)
{
  sp_call_tree_set_fold_recursion (tree, FALSE);
  return sp_call_tree_get_model (tree);
}

static void
test_call_tree (Fixture       *f,
                gconstpointer  data)
{
  SpCallTree *tree = SP_CALL_TREE (sp_profile_view_get_call_tree (f->view));
  GListModel *top_down;
  GListModel *bottom_up;

  /* the folded tree is made in a thread */
  while ((top_down = sp_call_tree_get_model (tree)) == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Recursion is folded at first: FIB's call from itself is merged into it, and the hot path
   * opens by itself down to it, the hottest leaf. */
  g_assert_true (sp_call_tree_get_fold_recursion (tree));
  g_assert_cmpuint (g_list_model_get_n_items (top_down), ==, 6);
  g_assert_cmpstr (tree_name_at (top_down, 2), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (tree_name_at (top_down, 3), ==, "WORKLOAD::SORT-ITEMS");
  {
    g_autoptr(GtkTreeListRow) row = g_list_model_get_item (top_down, 2);
    g_autoptr(SpCallNode) fib = gtk_tree_list_row_get_item (row);

    g_assert_false (gtk_tree_list_row_is_expandable (row));
    g_assert_cmpfloat (sp_call_node_get_total (fib), ==, 9);
    g_assert_cmpfloat (sp_call_node_get_self (fib), ==, 9);
  }

  /* Unfolded, the tree is the profile's own; the hot path opens through the recursion: MAIN (16
   * of 16), RUN (15), FIB (9), FIB (6); the rest only when the user expands it. */
  sp_call_tree_set_fold_recursion (tree, FALSE);
  while (sp_call_tree_get_model (tree) == top_down)
    g_main_context_iteration (NULL, TRUE);
  top_down = sp_call_tree_get_model (tree);
  g_assert_cmpuint (g_list_model_get_n_items (top_down), ==, 7);
  g_assert_cmpstr (tree_name_at (top_down, 0), ==, "MAIN");
  g_assert_cmpstr (tree_name_at (top_down, 1), ==, "WORKLOAD::RUN");
  g_assert_cmpstr (tree_name_at (top_down, 2), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (tree_name_at (top_down, 3), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (tree_name_at (top_down, 4), ==, "WORKLOAD::SORT-ITEMS");
  g_assert_cmpstr (tree_name_at (top_down, 6), ==, "SB-KERNEL::COLLECT-GARBAGE");
  {
    g_autoptr(GtkTreeListRow) row = g_list_model_get_item (top_down, 4);

    g_assert_true (gtk_tree_list_row_is_expandable (row));
    g_assert_false (gtk_tree_list_row_get_expanded (row));
    gtk_tree_list_row_set_expanded (row, TRUE);
  }
  g_assert_cmpuint (g_list_model_get_n_items (top_down), ==, 8);
  g_assert_cmpstr (tree_name_at (top_down, 5), ==, "SB-KERNEL:TWO-ARG-<");

  /* The inverted tree is computed in a thread. */
  sp_call_tree_set_bottom_up (tree, TRUE);
  while (sp_call_tree_get_model (tree) == top_down)
    g_main_context_iteration (NULL, TRUE);
  bottom_up = sp_call_tree_get_model (tree);
  /* Innermost frames first, FIB's callers opened as the hot path down to its end, through the
   * recursion: FIB > (FIB > RUN > MAIN, RUN), TWO-ARG-<, PARSE, COLLECT-GARBAGE. */
  g_assert_cmpuint (g_list_model_get_n_items (bottom_up), ==, 8);
  g_assert_cmpstr (tree_name_at (bottom_up, 0), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (tree_name_at (bottom_up, 1), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (tree_name_at (bottom_up, 2), ==, "WORKLOAD::RUN");
  g_assert_cmpstr (tree_name_at (bottom_up, 3), ==, "MAIN");
  g_assert_cmpstr (tree_name_at (bottom_up, 4), ==, "WORKLOAD::RUN");
  g_assert_cmpstr (tree_name_at (bottom_up, 5), ==, "SB-KERNEL:TWO-ARG-<");
  g_assert_cmpstr (tree_name_at (bottom_up, 7), ==, "SB-KERNEL::COLLECT-GARBAGE");

  /* Selecting a node selects its function. */
  sp_call_tree_select_row (tree, 5);
  g_assert_cmpstr (sp_profile_get_frame (f->profile, sp_profile_view_get_selected_function (f->view))->name,
                   ==, "SB-KERNEL:TWO-ARG-<");

  sp_call_tree_set_bottom_up (tree, FALSE);
  g_assert_cmpstr (tree_name_at (sp_call_tree_get_model (tree), 0), ==, "MAIN");
}

/* The columns sort the children of each node, under their parents; ties read alphabetically
 * when sorted descending. */
static void
test_sort_call_tree (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const tied_stacks[] = {
    "MAIN;B 2",
    "MAIN;C 1",
    "MAIN;A 2",
    NULL
  };
  SpCallTree *tree = SP_CALL_TREE (sp_profile_view_get_call_tree (f->view));
  GListModel *model = unfolded_model (tree);
  g_autoptr(SpProfile) tied = sp_test_profile_from_lines (tied_stacks);

  /* Self descending: MAIN's GARBAGE (1) before RUN (0); RUN's FIB (3), PARSE (2), SORT-ITEMS
   * (0), FIB's own FIB kept under it. */
  sp_call_tree_sort_by (tree, SP_CALL_TREE_COLUMN_SELF, GTK_SORT_DESCENDING);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 7);
  g_assert_cmpstr (tree_name_at (model, 0), ==, "MAIN");
  g_assert_cmpstr (tree_name_at (model, 1), ==, "SB-KERNEL::COLLECT-GARBAGE");
  g_assert_cmpstr (tree_name_at (model, 2), ==, "WORKLOAD::RUN");
  g_assert_cmpstr (tree_name_at (model, 3), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (tree_name_at (model, 4), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (tree_name_at (model, 5), ==, "WORKLOAD::PARSE");
  g_assert_cmpstr (tree_name_at (model, 6), ==, "WORKLOAD::SORT-ITEMS");

  /* Ascending, the other way round */
  sp_call_tree_sort_by (tree, SP_CALL_TREE_COLUMN_SELF, GTK_SORT_ASCENDING);
  g_assert_cmpstr (tree_name_at (model, 1), ==, "WORKLOAD::RUN");
  g_assert_cmpstr (tree_name_at (model, 2), ==, "WORKLOAD::SORT-ITEMS");
  g_assert_cmpstr (tree_name_at (model, 3), ==, "WORKLOAD::PARSE");
  g_assert_cmpstr (tree_name_at (model, 4), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (tree_name_at (model, 6), ==, "SB-KERNEL::COLLECT-GARBAGE");

  /* By name: the selection and the parents stay */
  sp_call_tree_select_row (tree, 4);
  sp_call_tree_sort_by (tree, SP_CALL_TREE_COLUMN_NAME, GTK_SORT_ASCENDING);
  g_assert_cmpstr (tree_name_at (model, 1), ==, "SB-KERNEL::COLLECT-GARBAGE");
  g_assert_cmpstr (tree_name_at (model, 3), ==, "WORKLOAD::FIB");
  g_assert_cmpstr (tree_name_at (model, 5), ==, "WORKLOAD::PARSE");
  g_assert_cmpuint (sp_call_tree_get_selected_frame (tree), ==, sp_profile_lookup_frame (f->profile, "WORKLOAD::FIB"));
  g_assert_cmpuint (sp_profile_get_node_frames (f->profile)[sp_profile_get_node_parents (f->profile)[sp_call_tree_get_selected_node (tree)]],
                    ==, sp_profile_lookup_frame (f->profile, "WORKLOAD::RUN"));

  /* Ties: A and B (2 each) alphabetically when descending, reversed with the rest ascending */
  sp_call_tree_set_profile (tree, tied);
  model = sp_call_tree_get_model (tree);
  sp_call_tree_sort_by (tree, SP_CALL_TREE_COLUMN_TOTAL, GTK_SORT_DESCENDING);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpstr (tree_name_at (model, 1), ==, "A");
  g_assert_cmpstr (tree_name_at (model, 2), ==, "B");
  g_assert_cmpstr (tree_name_at (model, 3), ==, "C");
  sp_call_tree_sort_by (tree, SP_CALL_TREE_COLUMN_TOTAL_PERCENT, GTK_SORT_ASCENDING);
  g_assert_cmpstr (tree_name_at (model, 1), ==, "C");
  g_assert_cmpstr (tree_name_at (model, 2), ==, "B");
  g_assert_cmpstr (tree_name_at (model, 3), ==, "A");
}

static GtkLabel *
find_label (GtkWidget  *widget,
            const char *needle)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL &&
      gtk_widget_is_drawable (widget))
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_call_tree_follows_selection (Fixture       *f,
                                  gconstpointer  data)
{
  SpCallTree *tree = SP_CALL_TREE (sp_profile_view_get_call_tree (f->view));
  GListModel *model = unfolded_model (tree);
  guint32 fib = sp_profile_lookup_frame (f->profile, "WORKLOAD::FIB");
  guint32 less = sp_profile_lookup_frame (f->profile, "SB-KERNEL:TWO-ARG-<");

  /* A function selected elsewhere is shown where it weighs most: RUN's FIB (9), not the
   * recursive FIB under it (6). */
  sp_profile_view_select_function (f->view, fib);
  g_assert_cmpuint (sp_call_tree_get_selected_frame (tree), ==, fib);
  {
    guint32 node = sp_call_tree_get_selected_node (tree);
    guint32 parent = sp_profile_get_node_parents (f->profile)[node];

    g_assert_cmpuint (sp_profile_get_node_frames (f->profile)[parent], ==,
                      sp_profile_lookup_frame (f->profile, "WORKLOAD::RUN"));
  }

  /* A function off the hot path: its ancestors open. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 7);
  sp_profile_view_select_function (f->view, less);
  g_assert_cmpuint (sp_call_tree_get_selected_frame (tree), ==, less);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 8);
  g_assert_cmpstr (tree_name_at (model, 5), ==, "SB-KERNEL:TWO-ARG-<");

  /* Bottom up, the same function is found again once the inverted tree exists. */
  sp_call_tree_set_bottom_up (tree, TRUE);
  while (sp_call_tree_get_model (tree) == model)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sp_call_tree_get_selected_frame (tree), ==, less);
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==, less);
}

static void
test_summary (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SpProfileBuilder) builder = sp_profile_builder_new ();
  g_autoptr(SpProfile) recorded = NULL;
  SpProfileMeta *meta = sp_profile_builder_get_meta (builder);
  guint32 frames[2];
  double weights[SP_N_METRICS] = { 25 };

  g_assert_true (sp_profile_view_get_profile (f->view) == f->profile);
  g_assert_false (sp_profile_view_get_unsaved (f->view));
  g_assert_false (sp_profile_view_get_loading (f->view));
  g_assert_null (sp_profile_view_get_file (f->view));
  g_assert_nonnull (adw_view_stack_get_child_by_name (sp_profile_view_get_view_stack (f->view), "functions"));
  g_assert_nonnull (adw_view_stack_get_child_by_name (sp_profile_view_get_view_stack (f->view), "call-tree"));
  g_assert_nonnull (adw_view_stack_get_child_by_name (sp_profile_view_get_view_stack (f->view), "flame-graph"));

  /* Built stacks know nothing of how they were recorded, and are not truncated. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_nonnull (find_label (GTK_WIDGET (f->view), "Mode"));
  g_assert_null (find_label (GTK_WIDGET (f->view), "In GC"));
  g_assert_null (find_label (GTK_WIDGET (f->view), "sample limit"));

  meta->mode = SP_MODE_CPU;
  meta->interval = 0.01;
  meta->sample_count = 25;
  meta->gc_seconds = 0.25;
  meta->truncated = TRUE;
  meta->sbcl_version = g_strdup ("2.2.9.debian");
  frames[0] = sp_profile_builder_intern_frame (builder, "MAIN", -1);
  frames[1] = sp_profile_builder_intern_frame (builder, "WORKLOAD::FIB", -1);
  sp_profile_builder_add_stack (builder, frames, 2, FALSE, weights);
  recorded = sp_profile_builder_end (g_steal_pointer (&builder));

  sp_profile_view_set_profile (f->view, recorded);
  g_assert_false (sp_function_table_is_ready (SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view))));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_nonnull (find_label (GTK_WIDGET (f->view), "In GC, not sampled"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->view), "250.0 ms"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->view), "2.2.9.debian"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->view), "sample limit was reached"));

  /* Sampled CPU time reads as time: 25 samples at 10 ms. */
  sp_profile_view_select_function (f->view, frames[1]);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_nonnull (find_label (GTK_WIDGET (f->view), "Self 250.0 ms (100.00 %)"));

  /* Selected before the table had its rows: selected in the table once they are there. */
  wait_for_table (f->view);
  g_assert_cmpuint (sp_function_table_get_selected_frame (
                      SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view))), ==, frames[1]);
  g_assert_cmpuint (g_list_model_get_n_items (sp_function_table_get_model (
                      SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view)))), ==, 2);
}

/* ---- Open Source ---- */

static char *editor_dir;   /* holds the fake editor's bin/, config, data and what it was given */

static char *
editor_path (const char *name)
{
  return g_build_filename (editor_dir, name, NULL);
}

static void
write_editor_file (const char *name,
                   const char *contents)
{
  g_autofree char *path = editor_path (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* The default application for Lisp files is "gedit", a script that writes down its arguments.
 * Runs before anything reads the XDG directories; the directory is rewritten on each run. */
static void
install_fake_editor (void)
{
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *type = g_content_type_guess ("source.lisp", NULL, 0, NULL);
  g_autofree char *script = NULL, *desktop = NULL, *mimeapps = NULL, *path = NULL;
  g_autofree char *bin = NULL, *data = NULL, *config = NULL, *applications = NULL;
  g_autofree char *args = NULL, *search_path = NULL;

  editor_dir = g_build_filename (build_dir != NULL ? build_dir : ".", "test-profile-view-editor", NULL);
  bin = editor_path ("bin");
  data = editor_path ("data");
  config = editor_path ("config");
  applications = g_build_filename (data, "applications", NULL);
  g_assert_cmpint (g_mkdir_with_parents (bin, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);

  script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s/args.tmp' && mv '%s/args.tmp' '%s/args'\n",
                            editor_dir, editor_dir, editor_dir);
  write_editor_file ("bin/gedit", script);
  path = editor_path ("bin/gedit");
  g_assert_cmpint (chmod (path, 0700), ==, 0);
  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Fake gedit\nExec=gedit %%U\nMimeType=%s;\n",
                             type);
  write_editor_file ("data/applications/fake-gedit.desktop", desktop);
  /* and a terminal editor for plain text, which cannot start without a terminal */
  write_editor_file ("data/applications/fake-vim.desktop",
                     "[Desktop Entry]\nType=Application\nName=Fake Vim\nExec=vim %F\nTerminal=true\n"
                     "MimeType=text/plain;\n");
  mimeapps = g_strdup_printf ("[Default Applications]\n%s=fake-gedit.desktop\ntext/plain=fake-vim.desktop\n", type);
  write_editor_file ("config/mimeapps.list", mimeapps);
  /* what the last run's editor was given */
  args = editor_path ("args");
  g_remove (args);

  search_path = g_strconcat (bin, ":", g_getenv ("PATH"), NULL);
  g_setenv ("PATH", search_path, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
}

/* A window showing a profile whose WORKLOAD::FIB (3 samples, all of them) is defined at
 * path:line, with FIB selected and Open Source activated. */
static GtkWidget *
open_source_of_fib (const char *path,
                    guint       line)
{
  SpProfileBuilder *builder = sp_profile_builder_new ();
  double weights[SP_N_METRICS] = { 3 };
  guint32 frames[2];
  g_autoptr(SpProfile) profile = NULL;
  GtkWidget *window = gtk_window_new ();
  SpProfileView *view = SP_PROFILE_VIEW (sp_profile_view_new ());

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  frames[0] = sp_profile_builder_intern_frame (builder, "MAIN", -1);
  frames[1] = sp_profile_builder_intern_frame (builder, "WORKLOAD::FIB", -1);
  sp_profile_builder_set_frame_location (builder, frames[1], path, line);
  sp_profile_builder_add_stack (builder, frames, 2, FALSE, weights);
  profile = sp_profile_builder_end (builder);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  sp_profile_view_set_profile (view, profile);
  gtk_window_present (GTK_WINDOW (window));
  sp_profile_view_select_function (view, frames[1]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "profile.open-source", NULL));
  return window;
}

/* Open Source passes the line to an editor known to take "+LINE". */
static void
test_open_source_at_line (void)
{
  g_autofree char *source = g_build_filename (editor_dir, "demo.lisp", NULL);
  g_autofree char *args_path = g_build_filename (editor_dir, "args", NULL);
  g_autofree char *expected = g_strdup_printf ("+7\n%s\n", source);
  g_autofree char *args = NULL;
  GtkWidget *window;

  g_assert_true (g_file_set_contents (source, "(defun fib (n))\n", -1, NULL));
  window = open_source_of_fib (source, 7);

  /* the script writes args.tmp and renames it: args appears complete */
  for (guint i = 0; i < 1000 && !g_file_test (args_path, G_FILE_TEST_EXISTS); i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  g_assert_true (g_file_get_contents (args_path, &args, NULL, NULL));
  g_assert_cmpstr (args, ==, expected);

  gtk_window_destroy (GTK_WINDOW (window));
}

static SpSourceWindow *
find_source_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SP_IS_SOURCE_WINDOW (window))
        return SP_SOURCE_WINDOW (window);
    }
  return NULL;
}

/* When no application can open the file (here a terminal editor, and no terminal), the source
 * shows read-only in the app, at the function's line, with its share of the samples. */
static void
test_open_source_fallback (void)
{
  g_autofree char *source = g_build_filename (editor_dir, "notes.txt", NULL);
  GtkWidget *window;
  SpSourceWindow *source_window = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *line = NULL;

  g_assert_true (g_file_set_contents (source, "one\ntwo\n(defun fib (n))\nfour\n", -1, NULL));
  window = open_source_of_fib (source, 3);

  for (guint i = 0; i < 1000 && (source_window = find_source_window ()) == NULL; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  g_assert_nonnull (source_window);
  g_assert_cmpuint (sp_source_window_get_line (source_window), ==, 3);
  /* the highlighted line is the function's, numbered */
  buffer = gtk_text_view_get_buffer (sp_source_window_get_text_view (source_window));
  gtk_text_buffer_get_iter_at_line (buffer, &start, 2);
  end = start;
  gtk_text_iter_forward_to_line_end (&end);
  line = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (line, ==, "3  (defun fib (n))");
  g_assert_true (gtk_text_iter_has_tag (&start, gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                                                             "current-line")));
  g_assert_false (gtk_text_view_get_editable (sp_source_window_get_text_view (source_window)));
  /* with its share of the samples */
  g_assert_nonnull (find_label (GTK_WIDGET (source_window), "Self 3 (100.00 %)"));

  gtk_window_destroy (GTK_WINDOW (source_window));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  install_fake_editor ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ProfileView/sort-flat-table", Fixture, NULL, fixture_setup, test_sort_flat_table, fixture_teardown);
  g_test_add ("/ProfileView/filter-flat-table", Fixture, NULL, fixture_setup, test_filter_flat_table, fixture_teardown);
  g_test_add ("/ProfileView/select-function", Fixture, NULL, fixture_setup, test_select_function, fixture_teardown);
  g_test_add ("/ProfileView/call-tree", Fixture, NULL, fixture_setup, test_call_tree, fixture_teardown);
  g_test_add ("/ProfileView/sort-call-tree", Fixture, NULL, fixture_setup, test_sort_call_tree, fixture_teardown);
  g_test_add ("/ProfileView/call-tree-follows-selection", Fixture, NULL, fixture_setup, test_call_tree_follows_selection, fixture_teardown);
  g_test_add ("/ProfileView/summary", Fixture, NULL, fixture_setup, test_summary, fixture_teardown);
  g_test_add_func ("/ProfileView/open-source-at-line", test_open_source_at_line);
  g_test_add_func ("/ProfileView/open-source-fallback", test_open_source_fallback);

  return g_test_run ();
}
