/* sp-call-tree.c: a profile's call tree, top-down or bottom-up, expanded on demand
 *
 * A GtkTreeListModel over SpCallNode items: a node's children are listed only when the user
 * expands it, so a tree of millions of nodes opens at once.  The bottom-up tree is the
 * inverted profile and the folded one the profile with recursion collapsed, each computed in a
 * worker thread the first time it is asked for.  The columns
 * sort the siblings under each node, wrapped in a GtkTreeListRowSorter so rows keep their parents.
 */
#define G_LOG_DOMAIN "sp-call-tree"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-analysis.h"
#include "sp-call-node.h"
#include "sp-call-tree.h"
#include "sp-format.h"
#include "sp-list-factory.h"
#include "sp-profile-transform.h"

struct _SpCallTree
{
  GtkWidget           parent_instance;

  /* Owned */
  SpProfile          *profile;
  SpProfile          *shown[4];      /* by shape (FOLDED | BOTTOM_UP): [0] is the profile; the others
                                      * are derived in a worker thread the first time they show */
  GCancellable       *cancellable;
  GtkSingleSelection *selection;
  GtkSorter          *row_sorter;    /* the column view's sorter, applied among siblings */
  GtkColumnViewColumn *columns[SP_N_CALL_TREE_COLUMNS];   /* owned by the column view */
  gboolean            bottom_up;
  gboolean            estimated;       /* the weights are estimated bytes */
  gboolean            fold_recursion;
  guint32             revealed_frame;  /* shown again when the tree is rebuilt */

  /* Template widgets */
  GtkToggleButton    *top_down_button;
  GtkToggleButton    *bottom_up_button;
  GtkToggleButton    *fold_button;
  GtkSpinner         *spinner;
  GtkLabel           *explanation_label;
  GtkColumnView      *column_view;
};

G_DEFINE_FINAL_TYPE (SpCallTree, sp_call_tree, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_BOTTOM_UP, PROP_SELECTED_FRAME, N_PROPS };
static GParamSpec *properties[N_PROPS];

#define NODE(p) SP_CALL_NODE (p)

#define COLUMN_WIDTH_PERCENT 88
#define COLUMN_WIDTH_WEIGHT  80

static char *
text_name (gpointer item, gpointer data)
{
  return g_strdup (sp_call_node_get_name (NODE (item)));
}

static char *
text_total (gpointer item, gpointer data)
{
  return sp_format_weight (sp_call_node_get_profile (NODE (item)), sp_call_node_get_metric (NODE (item)),
                           sp_call_node_get_total (NODE (item)));
}

static char *
text_self (gpointer item, gpointer data)
{
  return sp_format_weight (sp_call_node_get_profile (NODE (item)), sp_call_node_get_metric (NODE (item)),
                           sp_call_node_get_self (NODE (item)));
}

static char *
tooltip_weight (gpointer item, gpointer data)
{
  return sp_format_weight_tooltip (sp_call_node_get_profile (NODE (item)), sp_call_node_get_metric (NODE (item)));
}

/* Calls along the node's call path (deterministic recordings): the edge's call count. */
static double
node_calls (SpCallNode *node)
{
  const double *calls = sp_profile_get_self_weights (sp_call_node_get_profile (node), SP_METRIC_CALLS);

  return calls != NULL ? calls[sp_call_node_get_node (node)] : -1;
}

static char *
text_calls (gpointer item, gpointer data)
{
  double calls = node_calls (NODE (item));

  return calls >= 0 ? sp_format_count (calls) : NULL;
}

static double
fraction_total (gpointer item)
{
  return sp_call_node_get_total_fraction (NODE (item));
}

static double
fraction_self (gpointer item)
{
  return sp_call_node_get_self_fraction (NODE (item));
}

/* ---- sorting: ascending order of each column ----
 * Figures are read largest first, and a descending sort inverts the whole comparison, ties
 * included: so ties compare by reverse name (then reverse tree order), to read alphabetically
 * when sorted descending. */

#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

static int
compare_ties (SpCallNode *a,
              SpCallNode *b)
{
  int c = g_strcmp0 (sp_call_node_get_name (b), sp_call_node_get_name (a));

  return c != 0 ? c : CMP (sp_call_node_get_node (b), sp_call_node_get_node (a));
}

static int
compare_name (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  SpCallNode *x = NODE ((gpointer) a), *y = NODE ((gpointer) b);
  int c = g_strcmp0 (sp_call_node_get_name (x), sp_call_node_get_name (y));

  return c != 0 ? c : CMP (sp_call_node_get_node (x), sp_call_node_get_node (y));
}

#define DEFINE_COMPARE(name, expr)                                   \
  static int                                                         \
  compare_##name (gconstpointer a, gconstpointer b, gpointer data)   \
  {                                                                  \
    SpCallNode *x = NODE ((gpointer) a), *y = NODE ((gpointer) b);   \
    int c = CMP (expr (x), expr (y));                                \
    return c != 0 ? c : compare_ties (x, y);                         \
  }

DEFINE_COMPARE (total, sp_call_node_get_total)
DEFINE_COMPARE (self, sp_call_node_get_self)
DEFINE_COMPARE (calls, node_calls)

static void
add_column (SpCallTree         *self,
            SpCallTreeColumn    id,
            const char         *title,
            GtkListItemFactory *factory,
            GCompareDataFunc    compare,
            int                 width)
{
  self->columns[id] = sp_column_view_add_column (self->column_view, title, factory, compare, width);
}

void
sp_call_tree_sort_by (SpCallTree       *self,
                      SpCallTreeColumn  column,
                      GtkSortType       order)
{
  g_return_if_fail (SP_IS_CALL_TREE (self));
  g_return_if_fail (column < SP_N_CALL_TREE_COLUMNS);

  gtk_column_view_sort_by_column (self->column_view, self->columns[column], order);
}

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  return sp_call_node_list_children (NODE (item));
}

/* Opens the hot path: from the heaviest root down the heaviest child of each node to the
 * hottest leaf, through recursion too, leaving out only children below a hundredth of the
 * total, which are noise rather than a path. */
static void
expand_hot_path (GtkTreeListModel *tree)
{
  for (guint position = 0; position < 1024; position++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (tree, position);
      g_autoptr(SpCallNode) node = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

      if (node == NULL || !gtk_tree_list_row_is_expandable (row) ||
          sp_call_node_get_total_fraction (node) < 0.01)
        break;
      gtk_tree_list_row_set_expanded (row, TRUE);
    }
}

/* The node of frame with the largest total: where the function matters most. */
static guint32
find_heaviest_node (SpProfile *profile,
                    guint32    frame)
{
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const double *totals = sp_profile_get_total_weights (profile, sp_profile_get_default_metric (profile));
  guint n_nodes = sp_profile_get_n_nodes (profile);
  guint32 best = SP_NO_NODE;

  for (guint32 node = 0; node < n_nodes; node++)
    if (frames[node] == frame &&
        (best == SP_NO_NODE || (totals != NULL && totals[node] > totals[best])))
      best = node;
  return best;
}

static guint
find_node_in_level (GListModel *level,
                    guint32     node)
{
  guint n = g_list_model_get_n_items (level);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpCallNode) item = g_list_model_get_item (level, i);

      if (sp_call_node_get_node (item) == node)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* Expands the ancestors of node and returns its row, or NULL. */
static GtkTreeListRow *
expand_to_node (GtkTreeListModel *tree,
                SpProfile        *profile,
                guint32           node)
{
  const guint32 *parents = sp_profile_get_node_parents (profile);
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (guint32));
  GtkTreeListRow *row = NULL;

  for (guint32 n = node; n != SP_NO_NODE; n = parents[n])
    g_array_prepend_val (path, n);

  for (guint k = 0; k < path->len; k++)
    {
      GListModel *level = row != NULL ? gtk_tree_list_row_get_children (row) : gtk_tree_list_model_get_model (tree);
      guint index = level != NULL ? find_node_in_level (level, g_array_index (path, guint32, k)) : GTK_INVALID_LIST_POSITION;
      GtkTreeListRow *child;

      if (index == GTK_INVALID_LIST_POSITION)
        {
          g_clear_object (&row);
          return NULL;
        }
      child = row != NULL ? gtk_tree_list_row_get_child_row (row, index) : gtk_tree_list_model_get_child_row (tree, index);
      g_clear_object (&row);
      row = child;
      if (k + 1 < path->len)
        gtk_tree_list_row_set_expanded (row, TRUE);
    }
  return row;
}

/* Where row shows in the sorted rows. */
static guint
find_sorted_position (GListModel     *sorted,
                      GtkTreeListRow *row)
{
  guint n = g_list_model_get_n_items (sorted);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) item = g_list_model_get_item (sorted, i);

      if (item == row)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
reveal_frame (SpCallTree *self)
{
  GListModel *sorted = gtk_single_selection_get_model (self->selection);
  GtkTreeListModel *tree;
  g_autoptr(GtkTreeListRow) row = NULL;
  g_autoptr(SpCallNode) first = NULL;
  guint32 node;
  guint position;

  if (sorted == NULL || self->revealed_frame == SP_NO_FRAME ||
      self->revealed_frame == sp_call_tree_get_selected_frame (self))
    return;

  tree = GTK_TREE_LIST_MODEL (gtk_sort_list_model_get_model (GTK_SORT_LIST_MODEL (sorted)));

  first = g_list_model_get_item (gtk_tree_list_model_get_model (tree), 0);
  if (first == NULL)
    return;
  node = find_heaviest_node (sp_call_node_get_profile (first), self->revealed_frame);
  if (node != SP_NO_NODE)
    row = expand_to_node (tree, sp_call_node_get_profile (first), node);
  position = row != NULL ? find_sorted_position (sorted, row) : GTK_INVALID_LIST_POSITION;
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  gtk_single_selection_set_selected (self->selection, position);
  sp_column_view_scroll_to (self->column_view, position);
}

/* Shows where a function (selected elsewhere) matters most: its heaviest node, expanded to and
 * selected.  Nothing changes when the selected row already is that function. */
void
sp_call_tree_reveal_frame (SpCallTree *self,
                           guint32     frame)
{
  g_return_if_fail (SP_IS_CALL_TREE (self));

  self->revealed_frame = frame;
  reveal_frame (self);
}

static void
show_tree (SpCallTree *self,
           SpProfile  *profile)
{
  GtkTreeListModel *tree = NULL;
  GtkSortListModel *sorted = NULL;

  if (profile != NULL)
    tree = gtk_tree_list_model_new (sp_call_node_list_roots (profile, sp_profile_get_default_metric (profile)),
                                    FALSE, FALSE, create_children, NULL, NULL);
  if (tree != NULL)
    {
      /* the unsorted children are heaviest first: the hot path is the first row of each level */
      expand_hot_path (tree);
      sorted = gtk_sort_list_model_new (G_LIST_MODEL (tree), g_object_ref (self->row_sorter));
    }
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (sorted));
  g_clear_object (&sorted);
  reveal_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
}

enum { SHAPE_BOTTOM_UP = 1 << 0, SHAPE_FOLDED = 1 << 1 };

static guint
current_shape (SpCallTree *self)
{
  return (self->bottom_up ? SHAPE_BOTTOM_UP : 0) | (self->fold_recursion ? SHAPE_FOLDED : 0);
}

/* Folding recursion merges a function's calls from itself into the outer call, so that a deep
 * recursion reads as one node (and the hot path reaches its leaf in a few rows); bottom up is
 * the inverted profile. */
static void
shape_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SpProfile *profile = task_data;
  guint shape = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "shape"));
  g_autoptr(SpProfile) folded = (shape & SHAPE_FOLDED) ? sp_profile_collapse_recursion (profile, FALSE)
                                                       : g_object_ref (profile);

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, (shape & SHAPE_BOTTOM_UP) ? sp_profile_invert (folded) : g_steal_pointer (&folded),
                         g_object_unref);
}

static void update_tree (SpCallTree *self);

static void
on_shaped (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SpCallTree *self = SP_CALL_TREE (object);
  guint shape = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "shape"));
  SpProfile *shaped = g_task_propagate_pointer (G_TASK (result), NULL);

  if (shaped == NULL)
    return;   /* only cancellation fails: the profile changed or the widget went away */

  g_clear_object (&self->shown[shape]);
  self->shown[shape] = shaped;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  /* shown if it still is the shape asked for; if another is asked for now, it is made next */
  if (shape == current_shape (self) || self->shown[current_shape (self)] == NULL)
    update_tree (self);
}

static void show_column (SpCallTree       *self,
                         SpCallTreeColumn  column,
                         gboolean          visible,
                         int               width);

static void
update_tree (SpCallTree *self)
{
  guint shape = current_shape (self);
  g_autoptr(GTask) task = NULL;

  if (self->profile == NULL)
    return;

  /* call counts belong to call paths: the bottom-up tree has none */
  show_column (self, SP_CALL_TREE_COLUMN_CALLS,
               !self->bottom_up && sp_profile_has_metric (self->profile, SP_METRIC_CALLS),
               COLUMN_WIDTH_WEIGHT);
  if (self->shown[shape] != NULL)
    {
      show_tree (self, self->shown[shape]);
      return;
    }
  if (gtk_widget_get_visible (GTK_WIDGET (self->spinner)))
    return;   /* a shape is being made: the tree updates when it is there */
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  task = g_task_new (self, self->cancellable, on_shaped, NULL);
  g_task_set_source_tag (task, update_tree);
  g_task_set_task_data (task, g_object_ref (self->profile), g_object_unref);
  g_object_set_data (G_OBJECT (task), "shape", GUINT_TO_POINTER (shape));
  g_task_run_in_thread (task, shape_thread);
}

static void
clear_shapes (SpCallTree *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->shown); i++)
    g_clear_object (&self->shown[i]);
}

static void update_columns (SpCallTree *self);

void
sp_call_tree_set_profile (SpCallTree *self,
                          SpProfile  *profile)
{
  g_return_if_fail (SP_IS_CALL_TREE (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  clear_shapes (self);
  self->shown[0] = g_object_ref (profile);
  self->revealed_frame = SP_NO_FRAME;
  /* sampled allocation: the bytes are estimates, and the titles say so */
  self->estimated = sp_format_bytes_are_estimated (profile) &&
                    sp_profile_get_default_metric (profile) == SP_METRIC_BYTES;
  update_columns (self);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  update_tree (self);
}

gboolean
sp_call_tree_get_bottom_up (SpCallTree *self)
{
  g_return_val_if_fail (SP_IS_CALL_TREE (self), FALSE);

  return self->bottom_up;
}

static void
show_column (SpCallTree       *self,
             SpCallTreeColumn  column,
             gboolean          visible,
             int               width)
{
  /* a hidden column keeps its fixed width in GTK 4.8: drop it too */
  gtk_column_view_column_set_visible (self->columns[column], visible);
  gtk_column_view_column_set_fixed_width (self->columns[column], visible ? width : -1);
}

/* Bottom up, a root's total is the function's self time (the samples it was running in), and a
 * caller's the part of it that came through that caller: so that column is its self time.  The
 * inverted tree's own "self" (stacks that start at a node) means nothing to a reader. */
static void
update_columns (SpCallTree *self)
{
  const char *explanation;
  const char *self_title = self->estimated ? _("Est. Self") : _("Self");

  gtk_column_view_column_set_title (self->columns[SP_CALL_TREE_COLUMN_TOTAL_PERCENT],
                                    self->bottom_up ? _("Self %") : _("Total %"));
  gtk_column_view_column_set_title (self->columns[SP_CALL_TREE_COLUMN_TOTAL],
                                    self->bottom_up ? self_title
                                                    : self->estimated ? _("Est. Total") : _("Total"));
  gtk_column_view_column_set_title (self->columns[SP_CALL_TREE_COLUMN_SELF], self_title);
  show_column (self, SP_CALL_TREE_COLUMN_SELF_PERCENT, !self->bottom_up, COLUMN_WIDTH_PERCENT);
  show_column (self, SP_CALL_TREE_COLUMN_SELF, !self->bottom_up, COLUMN_WIDTH_WEIGHT);

  explanation = self->bottom_up
                ? _("Self: time in a function’s own code; under it, the part of that time each caller led to")
                : _("Total: time in a call and all it called · Self: time in its own code");
  gtk_label_set_label (self->explanation_label, explanation);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->explanation_label), explanation);
}

void
sp_call_tree_set_bottom_up (SpCallTree *self,
                            gboolean    bottom_up)
{
  g_return_if_fail (SP_IS_CALL_TREE (self));

  bottom_up = !!bottom_up;
  if (self->bottom_up == bottom_up)
    return;

  self->bottom_up = bottom_up;
  gtk_toggle_button_set_active (bottom_up ? self->bottom_up_button : self->top_down_button, TRUE);
  update_columns (self);
  update_tree (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOTTOM_UP]);
}

gboolean
sp_call_tree_get_fold_recursion (SpCallTree *self)
{
  g_return_val_if_fail (SP_IS_CALL_TREE (self), FALSE);

  return self->fold_recursion;
}

void
sp_call_tree_set_fold_recursion (SpCallTree *self,
                                 gboolean    fold)
{
  g_return_if_fail (SP_IS_CALL_TREE (self));

  fold = !!fold;
  if (self->fold_recursion == fold)
    return;

  self->fold_recursion = fold;
  gtk_toggle_button_set_active (self->fold_button, fold);
  update_tree (self);
}

static void
on_fold_toggled (SpCallTree      *self,
                 GParamSpec      *pspec,
                 GtkToggleButton *button)
{
  sp_call_tree_set_fold_recursion (self, gtk_toggle_button_get_active (button));
}

static void
on_bottom_up_toggled (SpCallTree      *self,
                      GParamSpec      *pspec,
                      GtkToggleButton *button)
{
  sp_call_tree_set_bottom_up (self, gtk_toggle_button_get_active (button));
}

/* The visible rows, as sorted: GtkTreeListRow items wrapping SpCallNode. */
GListModel *
sp_call_tree_get_model (SpCallTree *self)
{
  g_return_val_if_fail (SP_IS_CALL_TREE (self), NULL);

  return gtk_single_selection_get_model (self->selection);
}

/* The node of the selected row, or NULL. */
static SpCallNode *
dup_selected_node (SpCallTree *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);

  return row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
}

guint32
sp_call_tree_get_selected_frame (SpCallTree *self)
{
  g_autoptr(SpCallNode) node = NULL;

  g_return_val_if_fail (SP_IS_CALL_TREE (self), SP_NO_FRAME);

  node = dup_selected_node (self);
  return node != NULL ? sp_call_node_get_frame (node) : SP_NO_FRAME;
}

/* The selected node of the shown tree (the inverted profile's when bottom up), or SP_NO_NODE. */
guint32
sp_call_tree_get_selected_node (SpCallTree *self)
{
  g_autoptr(SpCallNode) node = NULL;

  g_return_val_if_fail (SP_IS_CALL_TREE (self), SP_NO_NODE);

  node = dup_selected_node (self);
  return node != NULL ? sp_call_node_get_node (node) : SP_NO_NODE;
}

/* Selects a visible row, as a click on it does. */
void
sp_call_tree_select_row (SpCallTree *self,
                         guint       position)
{
  g_return_if_fail (SP_IS_CALL_TREE (self));

  gtk_single_selection_set_selected (self->selection, position);
}

static void
on_selection_changed (SpCallTree *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
}

static void
sp_call_tree_dispose (GObject *object)
{
  SpCallTree *self = SP_CALL_TREE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  /* the sorted rows first: removing the columns below changes the sorter, and a sort list model
   * still listening then re-sorts and leaks its sort keys (GTK 4.8) */
  if (self->selection != NULL)
    gtk_single_selection_set_model (self->selection, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_CALL_TREE);
  /* GTK 4.8 only removes the bound template children: drop the others as well. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->row_sorter);
  g_clear_object (&self->cancellable);
  clear_shapes (self);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sp_call_tree_parent_class)->dispose (object);
}

static void
sp_call_tree_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SpCallTree *self = SP_CALL_TREE (object);

  switch (prop_id)
    {
    case PROP_BOTTOM_UP:
      g_value_set_boolean (value, self->bottom_up);
      break;
    case PROP_SELECTED_FRAME:
      g_value_set_uint (value, sp_call_tree_get_selected_frame (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_call_tree_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_BOTTOM_UP:
      sp_call_tree_set_bottom_up (SP_CALL_TREE (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_call_tree_class_init (SpCallTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_call_tree_dispose;
  object_class->get_property = sp_call_tree_get_property;
  object_class->set_property = sp_call_tree_set_property;

  properties[PROP_BOTTOM_UP] =
    g_param_spec_boolean ("bottom-up", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_FRAME] =
    g_param_spec_uint ("selected-frame", NULL, NULL, 0, G_MAXUINT32, SP_NO_FRAME,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-call-tree.ui");
  gtk_widget_class_bind_template_child (widget_class, SpCallTree, top_down_button);
  gtk_widget_class_bind_template_child (widget_class, SpCallTree, bottom_up_button);
  gtk_widget_class_bind_template_child (widget_class, SpCallTree, fold_button);
  gtk_widget_class_bind_template_child (widget_class, SpCallTree, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpCallTree, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, SpCallTree, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_bottom_up_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_fold_toggled);
}

static void
sp_call_tree_init (SpCallTree *self)
{
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->revealed_frame = SP_NO_FRAME;
  self->fold_recursion = gtk_toggle_button_get_active (self->fold_button);
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);

  add_column (self, SP_CALL_TREE_COLUMN_NAME, _("Function"), sp_list_factory_new_expander (text_name, NULL),
              compare_name, 0);
  add_column (self, SP_CALL_TREE_COLUMN_TOTAL_PERCENT, _("Total %"), sp_list_factory_new_percent (fraction_total),
              compare_total, COLUMN_WIDTH_PERCENT);
  add_column (self, SP_CALL_TREE_COLUMN_SELF_PERCENT, _("Self %"), sp_list_factory_new_percent (fraction_self),
              compare_self, COLUMN_WIDTH_PERCENT);
  add_column (self, SP_CALL_TREE_COLUMN_TOTAL, _("Total"), sp_list_factory_new_text_with_tooltip (text_total, tooltip_weight, NULL, TRUE),
              compare_total, COLUMN_WIDTH_WEIGHT);
  add_column (self, SP_CALL_TREE_COLUMN_SELF, _("Self"), sp_list_factory_new_text_with_tooltip (text_self, tooltip_weight, NULL, TRUE),
              compare_self, COLUMN_WIDTH_WEIGHT);
  add_column (self, SP_CALL_TREE_COLUMN_CALLS, _("Calls"), sp_list_factory_new_text (text_calls, NULL, TRUE),
              compare_calls, COLUMN_WIDTH_WEIGHT);
  show_column (self, SP_CALL_TREE_COLUMN_CALLS, FALSE, COLUMN_WIDTH_WEIGHT);
  update_columns (self);
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->row_sorter = GTK_SORTER (gtk_tree_list_row_sorter_new (g_object_ref (sorter)));
  sp_call_tree_sort_by (self, SP_CALL_TREE_COLUMN_TOTAL, GTK_SORT_DESCENDING);
}

GtkWidget *
sp_call_tree_new (void)
{
  return g_object_new (SP_TYPE_CALL_TREE, NULL);
}
