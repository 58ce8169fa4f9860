/* sp-function-table.c: the flat function table of a profile, sortable and filterable
 *
 * Rows come from sp_profile_flat_table(); rank and cumulative follow sb-sprof's report (the
 * order by self weight), so they stay attached to a function whichever column sorts the table.
 */
#define G_LOG_DOMAIN "sp-function-table"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-analysis.h"
#include "sp-format.h"
#include "sp-function-columns.h"
#include "sp-function-item.h"
#include "sp-function-table.h"
#include "sp-profile-match.h"
#include "sp-list-factory.h"
#include "sp-tooltips.h"
#include "sp-profile-transform.h"

struct _SpFunctionTable
{
  GtkWidget           parent_instance;

  /* Owned */
  SpProfile          *profile;
  GListStore         *items;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GListStore         *slots;       /* what the view shows: see sync_slots */
  GtkSingleSelection *selection;
  GtkCustomFilter    *filter;
  GtkStringList      *packages;
  char               *name_filter;    /* casefolded */
  char               *package_filter;
  GCancellable       *cancellable;     /* of building the rows */
  SpMetric            metric;
  guint32             pending_frame;   /* selected before the rows were ready */
  gboolean            ready;
  gboolean            keep_view;       /* the rows being built are of a newer live profile */

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkDropDown        *package_dropdown;
  GtkToggleButton    *merge_button;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;

  GtkColumnViewColumn *columns[SP_N_FUNCTION_COLUMNS];
};

G_DEFINE_FINAL_TYPE (SpFunctionTable, sp_function_table, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SELECTED_FRAME, PROP_READY, N_PROPS };
static GParamSpec *properties[N_PROPS];

#define ITEM(p) SP_FUNCTION_ITEM (p)
#define ROW(p) sp_function_item_get_row (ITEM (p))

/* ---- filtering ---- */

static gboolean
match_item (gpointer item,
            gpointer user_data)
{
  SpFunctionTable *self = user_data;

  if (self->package_filter != NULL &&
      g_strcmp0 (sp_function_item_get_package (ITEM (item)), self->package_filter) != 0)
    return FALSE;

  if (self->name_filter != NULL)
    {
      g_autofree char *name = g_utf8_casefold (sp_function_item_get_name (ITEM (item)), -1);

      return strstr (name, self->name_filter) != NULL;
    }
  return TRUE;
}

static void
update_count (SpFunctionTable *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  g_autofree char *text = sp_format_function_count (shown, all);

  gtk_label_set_label (self->count_label, text);
}

void
sp_function_table_set_name_filter (SpFunctionTable *self,
                                   const char      *text)
{
  g_return_if_fail (SP_IS_FUNCTION_TABLE (self));

  g_clear_pointer (&self->name_filter, g_free);
  if (text != NULL && text[0] != '\0')
    self->name_filter = g_utf8_casefold (text, -1);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static guint
find_package_position (SpFunctionTable *self,
                       const char      *package)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->packages));

  for (guint i = 1; package != NULL && i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->packages, i), package))
      return i;
  return 0;
}

void
sp_function_table_set_package_filter (SpFunctionTable *self,
                                      const char      *package)
{
  g_return_if_fail (SP_IS_FUNCTION_TABLE (self));

  if (g_strcmp0 (self->package_filter, package) == 0)
    return;

  g_free (self->package_filter);
  self->package_filter = g_strdup (package);
  gtk_drop_down_set_selected (self->package_dropdown, find_package_position (self, package));

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
on_search_changed (SpFunctionTable *self,
                   GtkSearchEntry  *entry)
{
  sp_function_table_set_name_filter (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_stop_search (SpFunctionTable *self,
                GtkSearchEntry  *entry)
{
  sp_function_table_set_name_filter (self, NULL);
}

static void
on_package_selected (SpFunctionTable *self,
                     GParamSpec      *pspec,
                     GtkDropDown     *dropdown)
{
  guint position = gtk_drop_down_get_selected (dropdown);

  if (position == 0 || position == GTK_INVALID_LIST_POSITION)
    sp_function_table_set_package_filter (self, NULL);
  else
    sp_function_table_set_package_filter (self, gtk_string_list_get_string (self->packages, position));
}

/* ---- the rows shown ----
 *
 * The view does not show the sorted model itself but slots: one item per row, each showing
 * the sorted item at its position.  When the rows change all at once (a new time range, a new
 * sort, a search), the slots take their new contents in place and GTK keeps the row widgets;
 * new items would make it build every cell of the couple of hundred rows it keeps again. */

static guint32
slot_frame (SpFunctionTable *self,
            guint            position)
{
  g_autoptr(SpFunctionItem) slot = NULL;

  if (position == GTK_INVALID_LIST_POSITION ||
      (slot = g_list_model_get_item (G_LIST_MODEL (self->slots), position)) == NULL)
    return SP_NO_FRAME;
  return sp_function_item_get_frame (slot);
}

static guint find_frame_position (SpFunctionTable *self,
                                  guint32          frame);

static void
sync_slots (SpFunctionTable *self,
            guint            position,
            guint            removed,
            guint            added,
            GListModel      *sorted)
{
  GListModel *slots = G_LIST_MODEL (self->slots);
  guint n = g_list_model_get_n_items (sorted);
  guint n_slots = g_list_model_get_n_items (slots);
  guint32 selected = slot_frame (self, gtk_single_selection_get_selected (self->selection));
  guint end = removed == added ? position + added : n;
  guint new_position;

  for (guint i = position; i < MIN (end, n_slots); i++)
    {
      g_autoptr(SpFunctionItem) slot = g_list_model_get_item (slots, i);
      g_autoptr(SpFunctionItem) item = g_list_model_get_item (sorted, i);

      sp_function_item_assign (slot, item);
    }
  if (n < n_slots)
    g_list_store_splice (self->slots, n, n_slots - n, NULL, 0);
  else if (n > n_slots)
    {
      g_autoptr(GPtrArray) more = g_ptr_array_new_full (n - n_slots, g_object_unref);

      for (guint i = n_slots; i < n; i++)
        {
          g_autoptr(SpFunctionItem) item = g_list_model_get_item (sorted, i);
          SpFunctionItem *slot = g_object_new (SP_TYPE_FUNCTION_ITEM, NULL);

          sp_function_item_assign (slot, item);
          g_ptr_array_add (more, slot);
        }
      g_list_store_splice (self->slots, n_slots, 0, more->pdata, more->len);
    }

  /* the selection stays with its function, wherever that went */
  new_position = selected == SP_NO_FRAME ? GTK_INVALID_LIST_POSITION : find_frame_position (self, selected);
  if (new_position != gtk_single_selection_get_selected (self->selection))
    gtk_single_selection_set_selected (self->selection, new_position);
}

/* ---- selection ---- */

guint32
sp_function_table_get_selected_frame (SpFunctionTable *self)
{
  gpointer item;

  g_return_val_if_fail (SP_IS_FUNCTION_TABLE (self), SP_NO_FRAME);

  if (!self->ready)
    return self->pending_frame;

  item = gtk_single_selection_get_selected_item (self->selection);
  return item != NULL ? sp_function_item_get_frame (ITEM (item)) : SP_NO_FRAME;
}

static guint
find_frame_position (SpFunctionTable *self,
                     guint32          frame)
{
  GListModel *model = G_LIST_MODEL (self->sort_model);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpFunctionItem) item = g_list_model_get_item (model, i);

      if (sp_function_item_get_frame (item) == frame)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

void
sp_function_table_select_frame (SpFunctionTable *self,
                                guint32          frame)
{
  guint position;

  g_return_if_fail (SP_IS_FUNCTION_TABLE (self));

  if (frame == sp_function_table_get_selected_frame (self))
    return;

  if (!self->ready)
    {
      self->pending_frame = frame;
      return;
    }

  position = find_frame_position (self, frame);
  if (position == GTK_INVALID_LIST_POSITION && frame != SP_NO_FRAME &&
      (self->name_filter != NULL || self->package_filter != NULL))
    {
      /* The function was hidden by the filter: show everything rather than nothing. */
      sp_function_table_set_name_filter (self, NULL);
      sp_function_table_set_package_filter (self, NULL);
      position = find_frame_position (self, frame);
    }

  gtk_single_selection_set_selected (self->selection, position);
  if (position != GTK_INVALID_LIST_POSITION)
    sp_column_view_scroll_to (self->column_view, position);
}

static void
on_selection_changed (SpFunctionTable *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
}

/* ---- the profile ---- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GtkStringList *
list_packages (GArray    *rows,
               SpProfile *profile)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      guint32 frame = g_array_index (rows, SpFlatRow, i).frame;
      const char *package = sp_profile_get_frame (profile, frame)->package;

      if (package != NULL && g_hash_table_add (seen, (gpointer) package))
        g_ptr_array_add (names, (gpointer) package);
    }
  g_ptr_array_sort (names, compare_strings);

  gtk_string_list_append (list, _("All Packages"));
  for (guint i = 0; i < names->len; i++)
    gtk_string_list_append (list, g_ptr_array_index (names, i));
  return list;
}

/* The bytes of each function from the allocation metric, when the function figures have none. */
static void
add_sampled_bytes (SpProfile *profile,
                   SpMetric   metric,
                   GPtrArray *items)
{
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GHashTable) bytes = g_hash_table_new (NULL, NULL);

  if (metric == SP_METRIC_BYTES || !sp_profile_has_metric (profile, SP_METRIC_BYTES))
    return;

  rows = sp_profile_flat_table (profile, SP_METRIC_BYTES);
  for (guint i = 0; i < rows->len; i++)
    {
      const SpFlatRow *row = &g_array_index (rows, SpFlatRow, i);

      g_hash_table_insert (bytes, GUINT_TO_POINTER (row->frame + 1), (gpointer) row);
    }
  for (guint i = 0; i < items->len; i++)
    {
      SpFunctionItem *item = g_ptr_array_index (items, i);
      const SpFlatRow *row = g_hash_table_lookup (bytes, GUINT_TO_POINTER (sp_function_item_get_frame (item) + 1));

      if (row != NULL && sp_function_item_get_bytes (item) < 0)
        sp_function_item_set_bytes (item, (gint64) row->self);
    }
}

/* Items in rank order.  A deterministic recording without stacks ranks by measured seconds. */
static GPtrArray *
create_items (SpProfile *profile,
              SpMetric   metric,
              GArray    *rows)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  double grand_total = sp_profile_get_grand_total (profile, metric);
  double all_seconds = 0;
  double running = 0;

  sp_flat_table_sort (rows, profile, SP_FLAT_SORT_SELF);

  for (guint i = 0; i < rows->len; i++)
    all_seconds += MAX (g_array_index (rows, SpFlatRow, i).seconds, 0);

  for (guint i = 0; i < rows->len; i++)
    {
      const SpFlatRow *row = &g_array_index (rows, SpFlatRow, i);

      if (grand_total > 0)
        running += row->self / grand_total;
      else if (all_seconds > 0)
        running += MAX (row->seconds, 0) / all_seconds;
      g_ptr_array_add (items, sp_function_item_new (profile, row, i + 1, grand_total,
                                                    MIN (running, 1.0)));
    }
  return items;
}

/* ---- building the rows in a worker thread: the flat table of a large profile takes a while ---- */

typedef struct
{
  SpProfile *profile;
  SpMetric   metric;
  gboolean   merge;   /* functions whose names print alike as one row */
  GArray    *rows;    /* rank order */
  GPtrArray *items;
} BuildData;

static void
build_data_free (BuildData *data)
{
  g_clear_object (&data->profile);
  g_clear_pointer (&data->rows, g_array_unref);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_free (data);
}

static void
build_rows_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BuildData *data = task_data;

  if (data->merge)
    {
      SpProfile *merged = sp_profile_merge_variants (data->profile);

      g_object_unref (data->profile);
      data->profile = merged;   /* same frame ids: selections stay in step with the views */
    }
  data->rows = sp_profile_flat_table (data->profile, data->metric);
  data->items = create_items (data->profile, data->metric, data->rows);
  add_sampled_bytes (data->profile, data->metric, data->items);
  g_task_return_boolean (task, TRUE);
}

/* A hidden column keeps taking its fixed width in GTK 4.8, leaving a gap; drop the width too. */
static void
show_column (SpFunctionTable  *self,
             SpFunctionColumn  column,
             gboolean          visible)
{
  int width = sp_function_column_get_width (column);

  gtk_column_view_column_set_visible (self->columns[column], visible);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (self->columns[column], visible ? width : -1);
}

/* Seconds of a deterministic recording are corrected for sb-profile's overhead: the titles say
 * so, and the raw figures have their own column. */
static void
set_seconds_titles (SpFunctionTable *self,
                    gboolean         corrected)
{
  SpFunctionColumn columns[2] = { SP_FUNCTION_COLUMN_SECONDS, SP_FUNCTION_COLUMN_SECONDS_PER_CALL };

  gtk_column_view_column_set_title (self->columns[columns[0]],
                                    corrected ? _("Seconds (corrected)") : _("Seconds"));
  gtk_column_view_column_set_title (self->columns[columns[1]],
                                    corrected ? _("Sec/Call (corrected)") : _("Sec/Call"));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    if (gtk_column_view_column_get_visible (self->columns[columns[i]]))
      gtk_column_view_column_set_fixed_width (self->columns[columns[i]],
                                              corrected ? 150 : sp_function_column_get_width (columns[i]));
}

static void
show_columns_with_data (SpFunctionTable *self,
                        GPtrArray       *items)
{
  gboolean has_weights = sp_profile_get_grand_total (self->profile, self->metric) > 0;
  gboolean has_calls = FALSE, has_seconds = FALSE, has_bytes = FALSE, has_raw = FALSE;
  gboolean has_gc = FALSE, has_runs = FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      SpFunctionItem *item = g_ptr_array_index (items, i);
      const SpFlatRow *row = sp_function_item_get_row (item);
      const SpFunctionStats *stats = sp_function_item_get_stats (item);

      has_calls |= row->calls >= 0;
      has_seconds |= row->seconds >= 0;
      has_raw |= row->raw_seconds >= 0;
      has_gc |= row->gc_seconds >= 0;
      has_bytes |= sp_function_item_get_bytes (item) >= 0;
      has_runs |= stats != NULL && stats->n_runs > 1;
    }

  show_column (self, SP_FUNCTION_COLUMN_SELF_PERCENT, has_weights);
  show_column (self, SP_FUNCTION_COLUMN_TOTAL_PERCENT, has_weights);
  /* a deterministic recording's self time is its Seconds column */
  show_column (self, SP_FUNCTION_COLUMN_SELF, has_weights && !has_seconds);
  show_column (self, SP_FUNCTION_COLUMN_TOTAL, has_weights);
  show_column (self, SP_FUNCTION_COLUMN_CALLS, has_calls);
  show_column (self, SP_FUNCTION_COLUMN_SECONDS, has_seconds);
  show_column (self, SP_FUNCTION_COLUMN_SECONDS_PER_CALL, has_calls && has_seconds);
  show_column (self, SP_FUNCTION_COLUMN_RAW_SECONDS, has_raw);
  show_column (self, SP_FUNCTION_COLUMN_GC_SECONDS, has_gc);
  show_column (self, SP_FUNCTION_COLUMN_BYTES, has_bytes);
  /* sb-sprof's cumulative column reads samples in rank order: nothing a deterministic
   * recording's seconds need */
  show_column (self, SP_FUNCTION_COLUMN_CUMULATIVE, !has_seconds);
  show_column (self, SP_FUNCTION_COLUMN_RUN_MIN, has_runs);
  show_column (self, SP_FUNCTION_COLUMN_RUN_MEDIAN, has_runs);
  show_column (self, SP_FUNCTION_COLUMN_RUN_MAX, has_runs);
  set_seconds_titles (self, has_raw || sp_profile_get_meta (self->profile)->overhead_call >= 0);
}

static void
on_rows_built (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SpFunctionTable *self = SP_FUNCTION_TABLE (object);
  BuildData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GtkStringList) packages = NULL;
  g_autofree char *package = NULL;
  guint32 pending;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || data->profile != self->profile)
    return;   /* cancelled: another profile came, or the widget went away */

  show_columns_with_data (self, data->items);
  packages = list_packages (data->rows, self->profile);
  package = self->keep_view ? g_strdup (self->package_filter) : NULL;
  /* "All packages" and one: the column would say the same on every row */
  show_column (self, SP_FUNCTION_COLUMN_PACKAGE, g_list_model_get_n_items (G_LIST_MODEL (packages)) > 2);
  g_set_object (&self->packages, packages);
  gtk_drop_down_set_model (self->package_dropdown, G_LIST_MODEL (packages));
  /* a live recording's newer rows keep the package chosen */
  for (guint i = 0; package != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (packages)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (packages, i), package) == 0)
      gtk_drop_down_set_selected (self->package_dropdown, i);
  gtk_widget_set_visible (GTK_WIDGET (self->package_dropdown),
                          g_list_model_get_n_items (G_LIST_MODEL (packages)) > 2);

  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       data->items->pdata, data->items->len);

  /* a live recording's newer rows keep the user's sort */
  if (!self->keep_view &&
      gtk_column_view_column_get_visible (self->columns[SP_FUNCTION_COLUMN_SELF]))
    sp_function_table_sort_by (self, SP_FUNCTION_COLUMN_SELF, GTK_SORT_DESCENDING);
  else if (!self->keep_view &&
           gtk_column_view_column_get_visible (self->columns[SP_FUNCTION_COLUMN_SECONDS]))
    sp_function_table_sort_by (self, SP_FUNCTION_COLUMN_SECONDS, GTK_SORT_DESCENDING);
  else if (!self->keep_view)
    sp_function_table_sort_by (self, SP_FUNCTION_COLUMN_RANK, GTK_SORT_ASCENDING);
  self->keep_view = FALSE;
  update_count (self);

  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  pending = self->pending_frame;
  self->pending_frame = SP_NO_FRAME;
  sp_function_table_select_frame (self, pending);
}

static void start_build (SpFunctionTable *self,
                         gboolean         keep_view);

static gboolean
has_variants (SpProfile *profile)
{
  for (guint32 f = 0; f < sp_profile_get_n_frames (profile); f++)
    if (sp_profile_get_frame (profile, f)->variant != NULL)
      return TRUE;
  return FALSE;
}

static void
on_merge_toggled (SpFunctionTable *self,
                  GtkToggleButton *button)
{
  if (self->profile != NULL)
    start_build (self, FALSE);
}

/* Shows the functions of profile.  The rows are built in a worker thread: until then the table
 * is empty and not ready, and a function selected meanwhile is selected once it is. */
void
sp_function_table_set_profile (SpFunctionTable *self,
                               SpProfile       *profile)
{
  g_return_if_fail (SP_IS_FUNCTION_TABLE (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->merge_button), has_variants (profile));
  start_build (self, FALSE);
}

/* A newer version of the profile shown (a live recording): the old rows stay until the new
 * ones are built, and the sort and the selected function (by name) carry over. */
void
sp_function_table_update_profile (SpFunctionTable *self,
                                  SpProfile       *profile)
{
  g_autoptr(SpProfile) old = NULL;
  guint32 selected;

  g_return_if_fail (SP_IS_FUNCTION_TABLE (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (self->profile == NULL)
    {
      sp_function_table_set_profile (self, profile);
      return;
    }
  selected = sp_function_table_get_selected_frame (self);
  old = g_object_ref (self->profile);
  if (!g_set_object (&self->profile, profile))
    return;
  start_build (self, TRUE);
  self->pending_frame = sp_profile_match_frame (old, selected, profile);
}

static void
start_build (SpFunctionTable *self,
             gboolean         keep_view)
{
  g_autoptr(GTask) task = NULL;
  SpProfile *profile = self->profile;
  BuildData *data;
  gboolean estimated;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->metric = sp_profile_get_default_metric (self->profile);
  self->pending_frame = SP_NO_FRAME;
  self->keep_view = keep_view;
  /* sampled allocation: the bytes are estimates, and say so */
  estimated = self->metric == SP_METRIC_BYTES && sp_format_bytes_are_estimated (profile);
  gtk_column_view_column_set_title (self->columns[SP_FUNCTION_COLUMN_SELF], estimated ? _("Est. Self") : _("Self"));
  gtk_column_view_column_set_title (self->columns[SP_FUNCTION_COLUMN_TOTAL], estimated ? _("Est. Total") : _("Total"));
  if (self->ready)
    {
      self->ready = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
  if (!keep_view)
    {
      g_list_store_remove_all (self->items);
      update_count (self);
    }

  data = g_new0 (BuildData, 1);
  data->profile = g_object_ref (self->profile);
  data->metric = self->metric;
  data->merge = gtk_widget_get_visible (GTK_WIDGET (self->merge_button)) &&
                gtk_toggle_button_get_active (self->merge_button);
  task = g_task_new (self, self->cancellable, on_rows_built, NULL);
  g_task_set_source_tag (task, sp_function_table_set_profile);
  g_task_set_task_data (task, data, (GDestroyNotify) build_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, build_rows_thread);
}

SpProfile *
sp_function_table_get_profile (SpFunctionTable *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_TABLE (self), NULL);

  return self->profile;
}

SpMetric
sp_function_table_get_metric (SpFunctionTable *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_TABLE (self), SP_METRIC_SAMPLES);

  return self->metric;
}

/* TRUE once the rows of the profile are in the table. */
gboolean
sp_function_table_is_ready (SpFunctionTable *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_TABLE (self), FALSE);

  return self->ready;
}

GListModel *
sp_function_table_get_model (SpFunctionTable *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_TABLE (self), NULL);

  return G_LIST_MODEL (self->sort_model);
}

void
sp_function_table_sort_by (SpFunctionTable  *self,
                           SpFunctionColumn  column,
                           GtkSortType       order)
{
  g_return_if_fail (SP_IS_FUNCTION_TABLE (self));
  g_return_if_fail (column < SP_N_FUNCTION_COLUMNS);

  gtk_column_view_sort_by_column (self->column_view, self->columns[column], order);
}

gboolean
sp_function_table_column_is_shown (SpFunctionTable  *self,
                                   SpFunctionColumn  column)
{
  g_return_val_if_fail (SP_IS_FUNCTION_TABLE (self), FALSE);
  g_return_val_if_fail (column < SP_N_FUNCTION_COLUMNS, FALSE);

  return gtk_column_view_column_get_visible (self->columns[column]);
}

void
sp_function_table_focus_search (SpFunctionTable *self)
{
  g_return_if_fail (SP_IS_FUNCTION_TABLE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- the widget ---- */

static void
sp_function_table_dispose (GObject *object)
{
  SpFunctionTable *self = SP_FUNCTION_TABLE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_FUNCTION_TABLE);
  /* GTK 4.8 only removes the bound template children: drop the others as well. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->slots);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);
  g_clear_object (&self->packages);
  g_clear_object (&self->profile);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->name_filter, g_free);
  g_clear_pointer (&self->package_filter, g_free);

  G_OBJECT_CLASS (sp_function_table_parent_class)->dispose (object);
}

static void
sp_function_table_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SpFunctionTable *self = SP_FUNCTION_TABLE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FRAME:
      g_value_set_uint (value, sp_function_table_get_selected_frame (self));
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_function_table_class_init (SpFunctionTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_function_table_dispose;
  object_class->get_property = sp_function_table_get_property;

  properties[PROP_SELECTED_FRAME] =
    g_param_spec_uint ("selected-frame", NULL, NULL, 0, G_MAXUINT32, SP_NO_FRAME,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-function-table.ui");
  gtk_widget_class_bind_template_child (widget_class, SpFunctionTable, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionTable, package_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionTable, merge_button);
  gtk_widget_class_bind_template_callback (widget_class, on_merge_toggled);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionTable, column_view);
  gtk_widget_class_bind_template_child (widget_class, SpFunctionTable, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_package_selected);
}

static void
sp_function_table_init (SpFunctionTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sp_tooltips_hide_under_popups (GTK_WIDGET (self->package_dropdown));

  self->pending_frame = SP_NO_FRAME;
  self->items = g_list_store_new (SP_TYPE_FUNCTION_ITEM);
  self->filter = gtk_custom_filter_new (match_item, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                                  g_object_ref (GTK_FILTER (self->filter)));

  for (guint i = 0; i < SP_N_FUNCTION_COLUMNS; i++)
    {
      self->columns[i] = sp_function_column_new (i, self);
      gtk_column_view_append_column (self->column_view, self->columns[i]);
      g_object_unref (self->columns[i]);   /* the column view keeps it */
    }

  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->slots = g_list_store_new (SP_TYPE_FUNCTION_ITEM);
  g_signal_connect_object (self->sort_model, "items-changed", G_CALLBACK (sync_slots), self,
                           G_CONNECT_SWAPPED);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slots)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->column_view));
}

GtkWidget *
sp_function_table_new (void)
{
  return g_object_new (SP_TYPE_FUNCTION_TABLE, NULL);
}
