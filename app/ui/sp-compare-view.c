/* sp-compare-view.c: a comparison tab: per-function deltas and a differential flame graph
 *
 * The two profiles are merged and their function tables compared in a worker thread (large
 * recordings take a while); the tab shows a spinner until then.  Shares are percentages of each
 * profile's own total, so recordings of different lengths compare.
 */
#define G_LOG_DOMAIN "sp-compare-view"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "sp-compare-panes.h"
#include "sp-compare-view.h"
#include "sp-format.h"
#include "sp-diff.h"
#include "sp-diff-item.h"
#include "sp-flame-view.h"
#include "sp-list-factory.h"

#define ITEM(item) SP_DIFF_ITEM (item)

/* a change smaller than this many percentage points is shown as none */
#define UNCHANGED 0.005

struct _SpCompareView
{
  GtkWidget           parent_instance;

  /* Owned */
  SpProfile          *baseline;
  SpProfile          *current;
  SpProfile          *merged;
  char               *title;
  char               *baseline_title;
  char               *current_title;
  GCancellable       *cancellable;
  GListStore         *items;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  char               *name_filter;   /* casefolded */
  gboolean            loading;

  /* Template widgets */
  GtkLabel           *heading;
  GtkLabel           *warning_label;
  GtkStack           *main_stack;
  GtkSpinner         *spinner;
  AdwViewStack       *view_stack;
  GtkSearchEntry     *search_entry;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;
  SpFlameView        *flame_view;
  SpComparePanes     *panes;
};

G_DEFINE_FINAL_TYPE (SpCompareView, sp_compare_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- columns ---- */

static char *
text_name (gpointer item,
           gpointer data)
{
  return g_strdup (sp_diff_item_get_name (ITEM (item)));
}

static double
fraction_base_self (gpointer item)
{
  return sp_diff_item_get_row (ITEM (item))->base_self / 100;
}

static double
fraction_new_self (gpointer item)
{
  return sp_diff_item_get_row (ITEM (item))->new_self / 100;
}

static double
fraction_base_total (gpointer item)
{
  return sp_diff_item_get_row (ITEM (item))->base_total / 100;
}

static double
fraction_new_total (gpointer item)
{
  return sp_diff_item_get_row (ITEM (item))->new_total / 100;
}

static int
compare_doubles (double a,
                 double b)
{
  return a < b ? -1 : a > b ? 1 : 0;
}

static int
compare_name (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  return g_strcmp0 (sp_diff_item_get_name (ITEM ((gpointer) a)), sp_diff_item_get_name (ITEM ((gpointer) b)));
}

/* Figures are read largest first, and a descending sort inverts ties too: so ties compare by
 * reverse name, to read alphabetically when sorted descending. */
#define DEFINE_COMPARE(field, expr)                                        \
  static int                                                               \
  compare_##field (gconstpointer a,                                        \
                   gconstpointer b,                                        \
                   gpointer      data)                                     \
  {                                                                        \
    SpDiffItem *x = ITEM ((gpointer) a), *y = ITEM ((gpointer) b);         \
    int c = compare_doubles (expr (x), expr (y));                          \
                                                                           \
    return c != 0 ? c : compare_name (b, a, NULL);                         \
  }

#define BASE_SELF(i)  (sp_diff_item_get_row (i)->base_self)
#define NEW_SELF(i)   (sp_diff_item_get_row (i)->new_self)
#define BASE_TOTAL(i) (sp_diff_item_get_row (i)->base_total)
#define NEW_TOTAL(i)  (sp_diff_item_get_row (i)->new_total)

DEFINE_COMPARE (base_self, BASE_SELF)
DEFINE_COMPARE (new_self, NEW_SELF)
DEFINE_COMPARE (delta_self, sp_diff_item_get_delta_self)
DEFINE_COMPARE (base_total, BASE_TOTAL)
DEFINE_COMPARE (new_total, NEW_TOTAL)
DEFINE_COMPARE (delta_total, sp_diff_item_get_delta_total)

/* Delta cells: signed percentage points, red for growth and blue for shrinkage as in the
 * differential flame graph. */
static void
setup_delta (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  data)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), 1);
  gtk_widget_add_css_class (inscription, "numeric");
  gtk_list_item_set_child (list_item, inscription);
}

static void
bind_delta (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  data)
{
  SpDiffItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  double delta = GPOINTER_TO_INT (data) ? sp_diff_item_get_delta_total (item) : sp_diff_item_get_delta_self (item);
  g_autofree char *text = NULL;

  const SpDiffRow *row = sp_diff_item_get_row (item);
  gboolean noise = !GPOINTER_TO_INT (data) && row->within_noise;
  g_autofree char *tooltip = NULL;

  gtk_widget_remove_css_class (child, "diff-growth");
  gtk_widget_remove_css_class (child, "diff-shrink");
  if (noise)
    tooltip = g_strdup_printf (_("Within the noise: the self share moved by %.2f points between "
                                 "the runs of one profile, more than this change"),
                               MAX (row->base_noise, row->new_noise));
  gtk_widget_set_tooltip_text (child, tooltip);
  if (fabs (delta) < UNCHANGED)
    text = g_strdup ("0.00");
  else if (noise)
    text = g_strdup_printf ("≈ %+.2f", delta);   /* no colour: no evidence of a change */
  else
    {
      text = g_strdup_printf ("%+.2f", delta);
      gtk_widget_add_css_class (child, delta > 0 ? "diff-growth" : "diff-shrink");
    }
  gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
}

static GtkListItemFactory *
delta_factory_new (gboolean total)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_delta), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_delta), GINT_TO_POINTER (total));
  return factory;
}

typedef struct
{
  const char         *title;
  const char         *tooltip;
  SpCellFractionFunc  fraction;   /* NULL: the name, or a delta */
  GCompareDataFunc    compare;
  int                 width;      /* 0: expands */
  gboolean            total;      /* a delta of the total */
} ColumnSpec;

static const ColumnSpec column_specs[] = {
  { N_("Function"), NULL, NULL, compare_name, 0, FALSE },
  { N_("Base Self %"), N_("Self share in the baseline"), fraction_base_self, compare_base_self, 96, FALSE },
  { N_("New Self %"), N_("Self share in the new profile"), fraction_new_self, compare_new_self, 96, FALSE },
  { N_("Δ Self"), N_("Change of the self share, in percentage points"), NULL, compare_delta_self, 76, FALSE },
  { N_("Base Total %"), N_("Total share in the baseline"), fraction_base_total, compare_base_total, 100, FALSE },
  { N_("New Total %"), N_("Total share in the new profile"), fraction_new_total, compare_new_total, 100, FALSE },
  { N_("Δ Total"), N_("Change of the total share, in percentage points"), NULL, compare_delta_total, 76, TRUE },
};

static void
add_columns (SpCompareView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_specs); i++)
    {
      const ColumnSpec *spec = &column_specs[i];
      g_autoptr(GtkListItemFactory) factory = NULL;
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (spec->compare, NULL, NULL));

      if (spec->fraction != NULL)
        factory = sp_list_factory_new_percent (spec->fraction);
      else if (spec->width > 0)
        factory = delta_factory_new (spec->total);
      else
        factory = sp_list_factory_new_text (text_name, NULL, FALSE);

      column = gtk_column_view_column_new (_(spec->title), g_steal_pointer (&factory));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (spec->width > 0)
        gtk_column_view_column_set_fixed_width (column, spec->width);
      else
        gtk_column_view_column_set_expand (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* ---- filtering ---- */

static gboolean
match_item (gpointer item,
            gpointer user_data)
{
  SpCompareView *self = user_data;
  g_autofree char *name = NULL;

  if (self->name_filter == NULL)
    return TRUE;
  name = g_utf8_casefold (sp_diff_item_get_name (ITEM (item)), -1);
  return strstr (name, self->name_filter) != NULL;
}

static void
update_count (SpCompareView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  g_autofree char *text = sp_format_function_count (shown, all);

  gtk_label_set_text (self->count_label, text);
}

void
sp_compare_view_set_name_filter (SpCompareView *self,
                                 const char    *text)
{
  g_return_if_fail (SP_IS_COMPARE_VIEW (self));

  g_clear_pointer (&self->name_filter, g_free);
  if (text != NULL && *text != '\0')
    self->name_filter = g_utf8_casefold (text, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
on_search_changed (SpCompareView  *self,
                   GtkSearchEntry *entry)
{
  sp_compare_view_set_name_filter (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

gboolean
sp_compare_view_focus_search (SpCompareView *self)
{
  const char *page;

  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), FALSE);

  if (self->loading)
    return FALSE;

  page = adw_view_stack_get_visible_child_name (self->view_stack);
  if (g_strcmp0 (page, "flame-graph") == 0)
    return gtk_widget_activate_action (GTK_WIDGET (self->flame_view), "flame.search", NULL);
  if (g_strcmp0 (page, "side-by-side") == 0)
    return sp_compare_panes_focus_search (self->panes);
  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- comparing ---- */

typedef struct
{
  SpProfile *merged;
  GArray    *rows;
} SpComparison;

static void
comparison_free (SpComparison *comparison)
{
  g_clear_object (&comparison->merged);
  g_clear_pointer (&comparison->rows, g_array_unref);
  g_free (comparison);
}

static void
compare_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SpCompareView *self = source_object;
  SpComparison *comparison = g_new0 (SpComparison, 1);

  /* the profiles are immutable: reading them from a thread is safe */
  comparison->merged = sp_profile_merge_for_diff (self->baseline, self->current);
  comparison->rows = sp_profile_diff_table (self->baseline, self->current, SP_DIFF_SORT_DELTA);
  g_task_return_pointer (task, comparison, (GDestroyNotify) comparison_free);
}

static void
set_loading (SpCompareView *self,
             gboolean       loading)
{
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_stack_set_visible_child_name (self->main_stack, loading ? "loading" : "comparison");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
compare_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SpCompareView *self = SP_COMPARE_VIEW (object);
  SpComparison *comparison = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GPtrArray) items = NULL;

  if (comparison == NULL)
    return;   /* cancelled: the view is going away */

  items = g_ptr_array_new_full (comparison->rows->len, g_object_unref);
  for (guint i = 0; i < comparison->rows->len; i++)
    g_ptr_array_add (items, sp_diff_item_new (&g_array_index (comparison->rows, SpDiffRow, i)));
  g_list_store_splice (self->items, 0, 0, items->pdata, items->len);

  self->merged = g_steal_pointer (&comparison->merged);
  sp_flame_view_set_profile (self->flame_view, self->merged);
  comparison_free (comparison);
  update_count (self);
  set_loading (self, FALSE);
}

/* ---- GObject ---- */

static void
sp_compare_view_dispose (GObject *object)
{
  SpCompareView *self = SP_COMPARE_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_COMPARE_VIEW);
  /* GTK 4.8 only removes the bound template children: drop the others as well. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sp_compare_view_parent_class)->dispose (object);
}

static void
sp_compare_view_finalize (GObject *object)
{
  SpCompareView *self = SP_COMPARE_VIEW (object);

  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->merged);
  g_clear_object (&self->baseline);
  g_clear_object (&self->current);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->baseline_title, g_free);
  g_clear_pointer (&self->current_title, g_free);
  g_clear_pointer (&self->name_filter, g_free);

  G_OBJECT_CLASS (sp_compare_view_parent_class)->finalize (object);
}

static void
sp_compare_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SpCompareView *self = SP_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_compare_view_class_init (SpCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_compare_view_dispose;
  object_class->finalize = sp_compare_view_finalize;
  object_class->get_property = sp_compare_view_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SP_TYPE_FLAME_VIEW);
  g_type_ensure (SP_TYPE_COMPARE_PANES);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, heading);
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, warning_label);
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, column_view);
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, count_label);
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, flame_view);
  gtk_widget_class_bind_template_child (widget_class, SpCompareView, panes);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
sp_compare_view_init (SpCompareView *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->items = g_list_store_new (SP_TYPE_DIFF_ITEM);
  self->filter = gtk_custom_filter_new (match_item, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  add_columns (self);
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->column_view));
}

/* Differences between the two recordings that the reader of the shares should know of. */
static void
show_warning (SpCompareView *self)
{
  g_autofree char *warning = NULL;
  g_autofree char *text = NULL;

  sp_profile_check_comparable (self->baseline, self->current, &warning, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), warning != NULL);
  if (warning == NULL)
    return;
  /* Translators: a warning above a comparison */
  text = g_strdup_printf (_("⚠ %s"), warning);
  gtk_label_set_text (self->warning_label, text);
}

const char *
sp_compare_view_get_warning (SpCompareView *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->warning_label)) ? gtk_label_get_text (self->warning_label) : NULL;
}

GtkWidget *
sp_compare_view_new (SpProfile  *baseline,
                     const char *baseline_title,
                     SpProfile  *current,
                     const char *current_title)
{
  SpCompareView *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (SP_IS_PROFILE (baseline), NULL);
  g_return_val_if_fail (SP_IS_PROFILE (current), NULL);

  self = g_object_new (SP_TYPE_COMPARE_VIEW, NULL);
  self->baseline = g_object_ref (baseline);
  self->current = g_object_ref (current);
  show_warning (self);
  sp_compare_panes_set_profiles (self->panes, baseline, baseline_title, current, current_title);
  sp_compare_view_set_titles (self, baseline_title, current_title);

  set_loading (self, TRUE);
  task = g_task_new (self, self->cancellable, compare_done, NULL);
  g_task_set_source_tag (task, sp_compare_view_new);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, compare_in_thread);

  return GTK_WIDGET (self);
}

/* The names of the two profiles, as their tabs are renamed (a recording saved under a name). */
void
sp_compare_view_set_titles (SpCompareView *self,
                            const char    *baseline_title,
                            const char    *current_title)
{
  g_autofree char *heading = NULL;

  g_return_if_fail (SP_IS_COMPARE_VIEW (self));

  if (baseline_title != self->baseline_title)
    {
      g_free (self->baseline_title);
      self->baseline_title = g_strdup (baseline_title);
    }
  if (current_title != self->current_title)
    {
      g_free (self->current_title);
      self->current_title = g_strdup (current_title);
    }
  g_free (self->title);
  /* Translators: a comparison's title: the baseline, then the new profile */
  self->title = g_strdup_printf (_("%s → %s"), baseline_title, current_title);
  /* Translators: the heading of a comparison tab */
  heading = g_strdup_printf (_("Baseline “%s” → new “%s”: shares of each profile’s total; red grew, blue shrank"),
                             baseline_title, current_title);
  gtk_label_set_text (self->heading, heading);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->heading), heading);
  sp_compare_panes_set_titles (self->panes, baseline_title, current_title);
  sp_flame_view_set_title (self->flame_view, self->title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
sp_compare_view_rename_profile (SpCompareView *self,
                                SpProfile     *profile,
                                const char    *title)
{
  g_return_if_fail (SP_IS_COMPARE_VIEW (self));

  if (profile == self->baseline && g_strcmp0 (title, self->baseline_title) != 0)
    sp_compare_view_set_titles (self, title, self->current_title);
  if (profile == self->current && g_strcmp0 (title, self->current_title) != 0)
    sp_compare_view_set_titles (self, self->baseline_title, title);
}

const char *
sp_compare_view_get_title (SpCompareView *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), NULL);

  return self->title;
}

gboolean
sp_compare_view_get_loading (SpCompareView *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), FALSE);

  return self->loading;
}

SpProfile *
sp_compare_view_get_merged (SpCompareView *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), NULL);

  return self->merged;
}

AdwViewStack *
sp_compare_view_get_view_stack (SpCompareView *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), NULL);

  return self->view_stack;
}

GListModel *
sp_compare_view_get_rows (SpCompareView *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), NULL);

  return G_LIST_MODEL (self->sort_model);
}

GtkColumnView *
sp_compare_view_get_column_view (SpCompareView *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), NULL);

  return self->column_view;
}

GtkWidget *
sp_compare_view_get_flame_view (SpCompareView *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), NULL);

  return GTK_WIDGET (self->flame_view);
}

GtkWidget *
sp_compare_view_get_panes (SpCompareView *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_VIEW (self), NULL);

  return GTK_WIDGET (self->panes);
}
