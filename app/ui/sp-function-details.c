/* sp-function-details.c: the selected function: its figures, source, callers and callees */
#define G_LOG_DOMAIN "sp-function-details"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-analysis.h"
#include "sp-edge-item.h"
#include "sp-format.h"
#include "sp-function-details.h"
#include "sp-list-factory.h"

struct _SpFunctionDetails
{
  GtkWidget      parent_instance;

  /* Owned */
  SpProfile     *profile;
  SpMetric       metric;
  GListStore    *callers;
  GListStore    *callees;

  /* Template widgets */
  GtkStack      *stack;
  GtkStack      *edges_stack;   /* the callers and callees, or why there are none */
  GtkLabel      *name_label;
  GtkLabel      *figures_label;
  GtkLabel      *location_label;
  GtkColumnView *callers_view;
  GtkColumnView *callees_view;
};

G_DEFINE_FINAL_TYPE (SpFunctionDetails, sp_function_details, GTK_TYPE_WIDGET)

enum { FUNCTION_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
text_name (gpointer item, gpointer data)
{
  return g_strdup (sp_edge_item_get_name (SP_EDGE_ITEM (item)));
}

static char *
text_weight (gpointer item, gpointer data)
{
  SpFunctionDetails *self = data;

  return sp_format_weight (self->profile, self->metric, sp_edge_item_get_weight (SP_EDGE_ITEM (item)));
}

static char *
text_calls (gpointer item, gpointer data)
{
  return sp_format_count (sp_edge_item_get_calls (SP_EDGE_ITEM (item)));
}

static double
fraction_of_function (gpointer item)
{
  return sp_edge_item_get_fraction (SP_EDGE_ITEM (item));
}

static void
fill_edges (SpFunctionDetails *self,
            GListStore        *store,
            GArray            *edges,
            double             whole)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; edges != NULL && i < edges->len; i++)
    g_ptr_array_add (items, sp_edge_item_new (self->profile, &g_array_index (edges, SpEdge, i), whole));
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       items->pdata, items->len);
}

static char *
describe_figures (SpFunctionDetails      *self,
                  const SpCallGraphEntry *entry)
{
  double grand_total = sp_profile_get_grand_total (self->profile, self->metric);
  g_autofree char *self_text = sp_format_weight (self->profile, self->metric, entry->self);
  g_autofree char *total_text = sp_format_weight (self->profile, self->metric, entry->total);
  g_autofree char *self_percent = sp_format_percent (grand_total > 0 ? entry->self / grand_total : 0);
  g_autofree char *total_percent = sp_format_percent (grand_total > 0 ? entry->total / grand_total : 0);

  const SpFunctionStats *stats = sp_profile_find_function_stats (self->profile, entry->frame);
  g_autofree char *figures = NULL;

  /* Translators: the figures of a function, e.g. "Self 1.20 s (12.00 %) · Total 3.00 s (30.00 %)" */
  figures = g_strdup_printf (_("Self %s (%s) · Total %s (%s)"), self_text, self_percent, total_text, total_percent);
  if (stats != NULL && stats->total.calls >= 0 && stats->total.raw_seconds >= 0)
    {
      g_autofree char *calls = sp_format_count (stats->total.calls);
      g_autofree char *raw = sp_format_seconds (stats->total.raw_seconds);

      /* Translators: a deterministic recording's figures: calls, and the time as measured, with
       * sb-profile's overhead, beside the corrected self time */
      return g_strdup_printf (_("%s\n%s calls · %s raw, with the profiler’s overhead"),
                              figures, calls, raw);
    }
  if (stats != NULL && stats->total.calls >= 0)
    {
      g_autofree char *calls = sp_format_count (stats->total.calls);

      return g_strdup_printf (_("%s\n%s calls"), figures, calls);
    }
  return g_steal_pointer (&figures);
}

/* Call counts per edge, when the profile has them (deterministic call paths). */
static void
show_calls_column (GtkColumnView *view,
                   gboolean       visible)
{
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (gtk_column_view_get_columns (view), 3);

  gtk_column_view_column_set_visible (column, visible);
}

/* Shows frame of profile; SP_NO_FRAME shows the empty state. */
void
sp_function_details_set_function (SpFunctionDetails *self,
                                  SpProfile         *profile,
                                  guint32            frame)
{
  g_autoptr(SpCallGraphEntry) entry = NULL;
  g_autofree char *figures = NULL;
  g_autofree char *location = NULL;
  const SpFrame *info;

  g_return_if_fail (SP_IS_FUNCTION_DETAILS (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  g_set_object (&self->profile, profile);
  self->metric = sp_profile_get_default_metric (profile);

  if (frame == SP_NO_FRAME)
    {
      fill_edges (self, self->callers, NULL, 0);
      fill_edges (self, self->callees, NULL, 0);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  info = sp_profile_get_frame (profile, frame);
  entry = sp_profile_call_graph_entry (profile, frame, self->metric);
  show_calls_column (self->callers_view, sp_profile_has_metric (profile, SP_METRIC_CALLS));
  show_calls_column (self->callees_view, sp_profile_has_metric (profile, SP_METRIC_CALLS));
  fill_edges (self, self->callers, entry->callers, entry->total);
  fill_edges (self, self->callees, entry->callees, entry->total);
  /* an exact allocation recording's tree is one root per function: its edges would only say
   * "(root of the stack)" */
  gtk_stack_set_visible_child_name (self->edges_stack,
                                    sp_function_details_get_has_call_stacks (self) ? "edges"
                                                                                   : "no-stacks");

  figures = describe_figures (self, entry);
  location = sp_format_location (info->file, info->line);
  gtk_label_set_label (self->name_label, info->label);
  gtk_label_set_label (self->figures_label, figures);
  gtk_label_set_label (self->location_label, location ? location : _("Source location unknown"));
  /* a path is told by its end (file and line), a sentence by its start */
  gtk_label_set_ellipsize (self->location_label, location ? PANGO_ELLIPSIZE_START : PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->location_label), location);
  gtk_stack_set_visible_child_name (self->stack, "function");
}

gboolean
sp_function_details_get_has_call_stacks (SpFunctionDetails *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_DETAILS (self), FALSE);

  return self->profile != NULL &&
         sp_profile_get_meta (self->profile)->mode != SP_MODE_ALLOC_EXACT;
}

const char *
sp_function_details_get_figures (SpFunctionDetails *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_DETAILS (self), NULL);

  return gtk_label_get_label (self->figures_label);
}

GListModel *
sp_function_details_get_callers (SpFunctionDetails *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_DETAILS (self), NULL);

  return G_LIST_MODEL (self->callers);
}

GListModel *
sp_function_details_get_callees (SpFunctionDetails *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_DETAILS (self), NULL);

  return G_LIST_MODEL (self->callees);
}

/* What a double click (or Enter) on a caller or callee does: ask to jump to that function. */
void
sp_function_details_activate_edge (SpFunctionDetails *self,
                                   gboolean           caller,
                                   guint              position)
{
  g_autoptr(SpEdgeItem) item = NULL;

  g_return_if_fail (SP_IS_FUNCTION_DETAILS (self));

  item = g_list_model_get_item (G_LIST_MODEL (caller ? self->callers : self->callees), position);
  if (item != NULL && sp_edge_item_get_frame (item) != SP_NO_FRAME)
    g_signal_emit (self, signals[FUNCTION_ACTIVATED], 0, sp_edge_item_get_frame (item));
}

static void
on_caller_activated (SpFunctionDetails *self,
                     guint              position,
                     GtkColumnView     *view)
{
  sp_function_details_activate_edge (self, TRUE, position);
}

static void
on_callee_activated (SpFunctionDetails *self,
                     guint              position,
                     GtkColumnView     *view)
{
  sp_function_details_activate_edge (self, FALSE, position);
}

static void
setup_edge_view (SpFunctionDetails *self,
                 GtkColumnView     *view,
                 GListStore        *store)
{
  g_autoptr(GtkColumnViewColumn) name = NULL;
  g_autoptr(GtkColumnViewColumn) share = NULL;
  g_autoptr(GtkColumnViewColumn) weight = NULL;
  g_autoptr(GtkColumnViewColumn) calls = NULL;
  g_autoptr(GtkSelectionModel) selection = NULL;

  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (store))));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
  gtk_column_view_set_model (view, selection);

  name = gtk_column_view_column_new (_("Function"), sp_list_factory_new_text (text_name, self, FALSE));
  gtk_column_view_column_set_expand (name, TRUE);
  share = gtk_column_view_column_new (_("Share"), sp_list_factory_new_percent (fraction_of_function));
  gtk_column_view_column_set_fixed_width (share, 84);
  weight = gtk_column_view_column_new (_("Weight"), sp_list_factory_new_text (text_weight, self, TRUE));
  gtk_column_view_column_set_fixed_width (weight, 80);

  calls = gtk_column_view_column_new (_("Calls"), sp_list_factory_new_text (text_calls, self, TRUE));
  gtk_column_view_column_set_fixed_width (calls, 80);
  gtk_column_view_column_set_visible (calls, FALSE);

  gtk_column_view_append_column (view, name);
  gtk_column_view_append_column (view, share);
  gtk_column_view_append_column (view, weight);
  gtk_column_view_append_column (view, calls);
}


static void
sp_function_details_dispose (GObject *object)
{
  SpFunctionDetails *self = SP_FUNCTION_DETAILS (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_FUNCTION_DETAILS);
  /* GTK 4.8 only removes the bound template children: drop the others as well. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->callers);
  g_clear_object (&self->callees);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sp_function_details_parent_class)->dispose (object);
}

static void
sp_function_details_class_init (SpFunctionDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_function_details_dispose;

  /* A caller or callee was activated: the view should select that function. */
  signals[FUNCTION_ACTIVATED] =
    g_signal_new ("function-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-function-details.ui");
  gtk_widget_class_bind_template_child (widget_class, SpFunctionDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionDetails, edges_stack);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionDetails, name_label);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionDetails, figures_label);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionDetails, location_label);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionDetails, callers_view);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionDetails, callees_view);
  gtk_widget_class_bind_template_callback (widget_class, on_caller_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_callee_activated);
}

static void
sp_function_details_init (SpFunctionDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->callers = g_list_store_new (SP_TYPE_EDGE_ITEM);
  self->callees = g_list_store_new (SP_TYPE_EDGE_ITEM);
  setup_edge_view (self, self->callers_view, self->callers);
  setup_edge_view (self, self->callees_view, self->callees);
}

GtkWidget *
sp_function_details_new (void)
{
  return g_object_new (SP_TYPE_FUNCTION_DETAILS, NULL);
}
