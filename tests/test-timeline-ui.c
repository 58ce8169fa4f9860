/* test-timeline-ui.c: the timeline strip of a profile tab: a range filters every page, and is
 * cleared by Escape or the button; profiles without sample times say so or show no strip */
#include "config.h"

#include <adwaita.h>

#include "sp-call-node.h"
#include "sp-call-tree.h"
#include "sp-flame-view.h"
#include "sp-format.h"
#include "sp-function-item.h"
#include "sp-function-table.h"
#include "sp-profile-view.h"
#include "sp-test-util.h"
#include "sp-timeline.h"
#include "sp-widget-test-util.h"

typedef struct
{
  GtkWindow     *window;
  SpProfileView *view;
  SpTimeline    *timeline;
} Fixture;

/* Phase A (spin-a) for the first second, then phase B (spin-b, more samples), on two threads. */
static SpProfile *
phases_profile (void)
{
  SpProfileBuilder *b = sp_profile_builder_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  SpGcEvent gc = { 1.5, 0.02, 1, 1 << 24, 1 << 22 };

  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (lines, g_strdup_printf ("%g @main;run;phase-a;spin-a 1", i * 0.01));
  for (guint i = 0; i < 150; i++)
    g_ptr_array_add (lines, g_strdup_printf ("%g @%s;run;phase-b;spin-b 1", 1.0 + i * 0.0066,
                                             i % 2 ? "main" : "worker"));
  g_ptr_array_add (lines, NULL);
  sp_profile_builder_get_meta (b)->mode = SP_MODE_CPU;
  sp_profile_builder_get_meta (b)->interval = 0.01;
  sp_test_add_timeline_lines (b, (const char * const *) lines->pdata);
  sp_profile_builder_get_sections (b)->gc_events = g_array_new (FALSE, FALSE, sizeof (SpGcEvent));
  g_array_append_val (sp_profile_builder_get_sections (b)->gc_events, gc);
  return sp_profile_builder_end (b);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->view = SP_PROFILE_VIEW (sp_profile_view_new ());
  f->timeline = SP_TIMELINE (sp_profile_view_get_timeline (f->view));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
}

/* The table builds its rows, and the timeline its lanes, in worker threads. */
static void
wait_for (Fixture *f)
{
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view));

  while (!sp_function_table_is_ready (table) ||
         (gtk_widget_get_visible (GTK_WIDGET (f->timeline)) &&
          sp_profile_get_timeline (sp_profile_view_get_profile (f->view), NULL) != NULL &&
          !sp_timeline_is_ready (f->timeline)))
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_shown (Fixture   *f,
                SpProfile *old)
{
  while (sp_profile_view_get_shown_profile (f->view) == old)
    g_main_context_iteration (NULL, TRUE);
  wait_for (f);
}

/* The text of the first label under widget that starts with prefix, or NULL. */
static const char *
find_label (GtkWidget  *widget,
            const char *prefix)
{
  GtkWidget *label = sp_test_find_widget (widget, GTK_TYPE_LABEL, prefix);

  return label != NULL ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static const char *
top_function (Fixture *f)
{
  GListModel *model = sp_function_table_get_model (SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view)));
  g_autoptr(SpFunctionItem) item = g_list_model_get_item (model, 0);

  return sp_function_item_get_name (item);
}

/* The samples of the tree the call tree shows (it folds recursion in a worker thread first:
 * the profile behind its rows is made from the one it was given), or -1 while it has none. */
static double
call_tree_samples (Fixture *f)
{
  GListModel *model = sp_call_tree_get_model (SP_CALL_TREE (sp_profile_view_get_call_tree (f->view)));
  g_autoptr(GtkTreeListRow) row = model != NULL ? g_list_model_get_item (model, 0) : NULL;
  g_autoptr(SpCallNode) node = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  return node != NULL ? sp_profile_get_grand_total (sp_call_node_get_profile (node), SP_METRIC_SAMPLES) : -1;
}

static void
test_range_filters_every_page (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(SpProfile) profile = phases_profile ();
  GtkWidget *clear;
  SpProfile *part;
  double from, to;

  sp_profile_view_set_profile (f->view, profile);
  wait_for (f);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->timeline)));
  g_assert_true (sp_timeline_is_ready (f->timeline));
  g_assert_cmpstr (top_function (f), ==, "spin-b");
  g_assert_false (sp_timeline_get_range (f->timeline, &from, &to));

  /* the first half of the recording: phase A only */
  sp_timeline_set_range (f->timeline, 0, 0.995);
  wait_for_shown (f, profile);
  part = sp_profile_view_get_shown_profile (f->view);
  g_assert_true (part != profile);
  g_assert_cmpstr (top_function (f), ==, "spin-a");
  g_assert_cmpfloat (sp_profile_get_grand_total (part, SP_METRIC_SAMPLES), ==, 100);
  /* the call tree catches up when its page is shown */
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (f->view), "call-tree");
  while (call_tree_samples (f) != 100)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sp_flame_view_get_profile (SP_FLAME_VIEW (sp_profile_view_get_flame_view (f->view))) == part);
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (f->view), "flame-graph");
  g_assert_true (sp_flame_view_get_profile (SP_FLAME_VIEW (sp_profile_view_get_flame_view (f->view))) == part);
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (f->view), "functions");
  g_assert_nonnull (find_label (GTK_WIDGET (f->timeline), "0.000 s to 0.995 s"));
  g_assert_nonnull (strstr (find_label (GTK_WIDGET (f->timeline), "0.000 s to 0.995 s"), "100 samples"));
  /* the whole recording is still what is saved */
  g_assert_true (sp_profile_view_get_profile (f->view) == profile);

  /* Escape, through the action it is bound to */
  sp_profile_view_select_function (f->view, sp_profile_lookup_frame (profile, "phase-a"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "profile.clear-range", NULL));
  wait_for_shown (f, part);
  g_assert_true (sp_profile_view_get_shown_profile (f->view) == profile);
  g_assert_cmpstr (top_function (f), ==, "spin-b");
  g_assert_cmpuint (sp_profile_view_get_selected_function (f->view), ==, sp_profile_lookup_frame (profile, "phase-a"));
  g_assert_false (sp_timeline_get_range (f->timeline, &from, &to));

  /* the second half, cleared by the button */
  sp_timeline_set_range (f->timeline, 1.0, 2.5);
  wait_for_shown (f, profile);
  g_assert_cmpstr (top_function (f), ==, "spin-b");
  g_assert_cmpuint (g_list_model_get_n_items (sp_function_table_get_model (
                      SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view)))), ==, 3);
  clear = sp_test_find_widget (GTK_WIDGET (f->timeline), GTK_TYPE_BUTTON, "_Clear Range");
  g_assert_nonnull (clear);
  g_assert_true (gtk_widget_get_visible (clear));
  part = sp_profile_view_get_shown_profile (f->view);
  g_signal_emit_by_name (clear, "clicked");
  wait_for_shown (f, part);
  g_assert_true (sp_profile_view_get_shown_profile (f->view) == profile);
  g_assert_false (gtk_widget_get_visible (clear));
}

/* The list view of the function table's column view: its children are the rows. */
static GtkWidget *
table_rows (Fixture *f)
{
  GtkWidget *columns = sp_test_find_widget (sp_profile_view_get_function_table (f->view), GTK_TYPE_COLUMN_VIEW, NULL);

  return sp_test_find_widget (columns, GTK_TYPE_LIST_VIEW, NULL);
}

/* The texts row `position` of the function table draws, in column order. */
static GPtrArray *
drawn_row (Fixture *f,
           guint    position)
{
  GtkWidget *list = table_rows (f);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *row = gtk_widget_get_first_child (list);

  for (guint i = 0; i < position && row != NULL; i++)
    row = gtk_widget_get_next_sibling (row);
  g_assert_nonnull (row);
  for (GtkWidget *cell = gtk_widget_get_first_child (row); cell != NULL; cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *inscription = sp_test_find_widget (cell, GTK_TYPE_INSCRIPTION, NULL);

      if (inscription != NULL && gtk_inscription_get_text (GTK_INSCRIPTION (inscription)) != NULL)
        g_ptr_array_add (texts, g_strdup (gtk_inscription_get_text (GTK_INSCRIPTION (inscription))));
    }
  g_ptr_array_add (texts, NULL);
  return texts;
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* Each drawn row says what the model has at its position: name, rank and self weight. */
static void
assert_rows_drawn (Fixture *f)
{
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view));
  GListModel *model = sp_function_table_get_model (table);
  GtkWidget *list = table_rows (f);

  /* the list view makes its rows once it has its size */
  while (count_children (list) < g_list_model_get_n_items (model))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SpFunctionItem) item = g_list_model_get_item (model, i);
      g_autoptr(GPtrArray) texts = drawn_row (f, i);
      g_autofree char *rank = g_strdup_printf ("%u", sp_function_item_get_rank (item));
      g_autofree char *self = sp_format_weight (sp_function_table_get_profile (table), SP_METRIC_SAMPLES,
                                                sp_function_item_get_row (item)->self);

      g_assert_true (g_strv_contains ((const char * const *) texts->pdata, sp_function_item_get_name (item)));
      g_assert_true (g_strv_contains ((const char * const *) texts->pdata, rank));
      g_assert_true (g_strv_contains ((const char * const *) texts->pdata, self));
    }
}

/* A new range changes the table's rows in place: the row widgets stay and draw the new figures,
 * and the user's sort and selected function stay. */
static void
test_table_follows_range_in_place (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(SpProfile) profile = phases_profile ();
  SpFunctionTable *table = SP_FUNCTION_TABLE (sp_profile_view_get_function_table (f->view));
  guint32 run = sp_profile_lookup_frame (profile, "run");
  GtkWidget *list, *first_row;
  g_autoptr(SpFunctionItem) top = NULL;

  sp_profile_view_set_profile (f->view, profile);
  adw_view_stack_set_visible_child_name (sp_profile_view_get_view_stack (f->view), "functions");
  wait_for (f);
  sp_function_table_sort_by (table, SP_FUNCTION_COLUMN_NAME, GTK_SORT_ASCENDING);
  sp_profile_view_select_function (f->view, run);
  assert_rows_drawn (f);
  list = table_rows (f);
  first_row = gtk_widget_get_first_child (list);

  sp_timeline_set_range (f->timeline, 0, 0.995);
  wait_for_shown (f, profile);
  top = g_list_model_get_item (sp_function_table_get_model (table), 0);
  g_assert_cmpstr (sp_function_item_get_name (top), ==, "phase-a");   /* still by name */
  g_assert_cmpuint (sp_function_table_get_selected_frame (table), ==, run);
  assert_rows_drawn (f);
  g_assert_true (gtk_widget_get_first_child (list) == first_row);

  /* and back to the whole recording, spin-b's samples with it */
  sp_timeline_clear_range (f->timeline);
  g_assert_true (sp_profile_view_get_shown_profile (f->view) == profile);
  wait_for (f);
  g_assert_cmpuint (sp_function_table_get_selected_frame (table), ==, run);
  assert_rows_drawn (f);
}

static GtkGesture *
find_drag (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE (controller);
    }
  return NULL;
}

/* Dragging from the start of the lanes to their middle selects the first half: phase A on top;
 * a click clears the range. */
static void
test_drag_selects_first_half (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(SpProfile) profile = phases_profile ();
  GtkWidget *area;
  GtkGesture *drag;
  double from, to, end = 1.0 + 149 * 0.0066 + 0.01;   /* the strip ends with the last sample's interval */
  int lanes_start = 112, lanes_width;   /* the lane names take 112 px, 10 px are left at the end */

  sp_profile_view_set_profile (f->view, profile);
  wait_for (f);
  area = sp_test_find_widget (GTK_WIDGET (f->timeline), GTK_TYPE_DRAWING_AREA, NULL);
  drag = find_drag (area);
  g_assert_nonnull (drag);
  while (gtk_widget_get_width (area) == 0)
    g_main_context_iteration (NULL, TRUE);
  lanes_width = gtk_widget_get_width (area) - lanes_start - 10;

  /* from inside the lane names (kept to the start) to the middle */
  g_signal_emit_by_name (drag, "drag-begin", 40.0, 20.0);
  g_signal_emit_by_name (drag, "drag-update", lanes_width / 4.0, 0.0);
  g_signal_emit_by_name (drag, "drag-end", lanes_start + lanes_width / 2.0 - 40.0, 0.0);
  g_assert_true (sp_timeline_get_range (f->timeline, &from, &to));
  g_assert_cmpfloat (from, ==, 0);
  g_assert_cmpfloat_with_epsilon (to, end / 2, end / lanes_width);
  wait_for_shown (f, profile);
  g_assert_cmpstr (top_function (f), ==, "spin-a");

  g_signal_emit_by_name (drag, "drag-begin", 300.0, 20.0);
  g_signal_emit_by_name (drag, "drag-end", 1.0, 0.0);
  g_assert_false (sp_timeline_get_range (f->timeline, &from, &to));
  g_assert_true (sp_profile_view_get_shown_profile (f->view) == profile);
}

/* A statistical profile without sample times says why; one that could not have them shows no
 * strip at all. */
static void
test_without_timeline (Fixture       *f,
                       gconstpointer  data)
{
  const char * const lines[] = { "a;b 3", NULL };
  g_autoptr(SpProfile) imported = sp_test_profile_from_lines (lines);
  SpProfileBuilder *b = sp_profile_builder_new ();
  g_autoptr(SpProfile) cpu = NULL;

  sp_test_add_line (b, "a;b 3");
  sp_profile_builder_get_meta (b)->mode = SP_MODE_CPU;
  cpu = sp_profile_builder_end (b);

  sp_profile_view_set_profile (f->view, cpu);
  wait_for (f);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->timeline)));
  g_assert_nonnull (find_label (GTK_WIDGET (f->timeline), "None: this profile does not say when"));
  g_assert_false (sp_timeline_is_ready (f->timeline));

  sp_profile_view_set_profile (f->view, imported);
  wait_for (f);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->timeline)));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/Timeline/range-filters-every-page", Fixture, NULL, fixture_setup,
              test_range_filters_every_page, fixture_teardown);
  g_test_add ("/Timeline/table-follows-range-in-place", Fixture, NULL, fixture_setup,
              test_table_follows_range_in_place, fixture_teardown);
  g_test_add ("/Timeline/drag-selects-first-half", Fixture, NULL, fixture_setup,
              test_drag_selects_first_half, fixture_teardown);
  g_test_add ("/Timeline/without-timeline", Fixture, NULL, fixture_setup, test_without_timeline,
              fixture_teardown);
  return g_test_run ();
}
