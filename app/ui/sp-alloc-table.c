/* sp-alloc-table.c: allocations by function or by type, each row expanding to the other
 *
 * A GtkTreeListModel over SpAllocItem rows: a function lists the types it allocated when
 * expanded, a type the functions that allocated it.  The columns shown follow what the
 * recording knows: objects and their size only when exact, samples only when estimated.
 * The columns sort the rows under each parent (GtkTreeListRowSorter), bytes descending first.
 */
#define G_LOG_DOMAIN "sp-alloc-table"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-alloc-table.h"
#include "sp-format.h"
#include "sp-list-factory.h"

struct _SpAllocTable
{
  GtkWidget            parent_instance;

  SpAllocKeyKind       kind;
  SpProfile           *profile;
  GtkSingleSelection  *selection;
  GtkSorter           *row_sorter;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *columns[SP_N_ALLOC_COLUMNS];   /* owned by the column view */
};

G_DEFINE_FINAL_TYPE (SpAllocTable, sp_alloc_table, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_BY_TYPE, PROP_SELECTED_FRAME, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* 0: the column takes the spare width */
static const int column_widths[SP_N_ALLOC_COLUMNS] = { 0, 96, 88, 80, 96, 96 };

#define ITEM(p) SP_ALLOC_ITEM (p)
#define TOTAL(p) sp_alloc_item_get_total (ITEM (p))

/* ---- cells ---- */

static char *
text_name (gpointer item, gpointer data)
{
  return g_strdup (sp_alloc_item_get_name (ITEM (item)));
}

static char *
text_objects (gpointer item, gpointer data)
{
  return TOTAL (item)->objects >= 0 ? sp_format_count (TOTAL (item)->objects) : NULL;
}

static char *
text_object_size (gpointer item, gpointer data)
{
  double size = sp_alloc_item_get_object_size (ITEM (item));

  return size >= 0 ? sp_format_bytes ((gint64) (size + 0.5)) : NULL;
}

static char *
text_samples (gpointer item, gpointer data)
{
  return TOTAL (item)->samples >= 0 ? sp_format_count (TOTAL (item)->samples) : NULL;
}

static char *
text_bytes (gpointer item, gpointer data)
{
  return sp_format_weight (sp_alloc_item_get_profile (ITEM (item)), SP_METRIC_BYTES, TOTAL (item)->bytes);
}

static char *
tooltip_bytes (gpointer item, gpointer data)
{
  return sp_format_weight_tooltip (sp_alloc_item_get_profile (ITEM (item)), SP_METRIC_BYTES);
}

static double
fraction_share (gpointer item)
{
  return sp_alloc_item_get_fraction (ITEM (item));
}

/* ---- sorting: ascending order of each column; ties by name, to read alphabetically when
 * sorted descending ---- */

#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

static int
compare_name (gconstpointer a, gconstpointer b, gpointer data)
{
  return g_strcmp0 (sp_alloc_item_get_name (ITEM ((gpointer) a)), sp_alloc_item_get_name (ITEM ((gpointer) b)));
}

#define DEFINE_COMPARE(name, expr)                                    \
  static int                                                          \
  compare_##name (gconstpointer a, gconstpointer b, gpointer data)    \
  {                                                                   \
    gpointer x = (gpointer) a, y = (gpointer) b;                      \
    int c = CMP (expr (x), expr (y));                                 \
    return c != 0 ? c : compare_name (b, a, data);                    \
  }

#define OBJECTS_OF(p) TOTAL (p)->objects
#define SIZE_OF(p) sp_alloc_item_get_object_size (ITEM (p))
#define SAMPLES_OF(p) TOTAL (p)->samples
#define BYTES_OF(p) TOTAL (p)->bytes

DEFINE_COMPARE (objects, OBJECTS_OF)
DEFINE_COMPARE (object_size, SIZE_OF)
DEFINE_COMPARE (samples, SAMPLES_OF)
DEFINE_COMPARE (bytes, BYTES_OF)

static void
add_column (SpAllocTable       *self,
            SpAllocColumn       id,
            GtkListItemFactory *factory,
            GCompareDataFunc    compare)
{
  self->columns[id] = sp_column_view_add_column (self->column_view, NULL, factory, compare, column_widths[id]);
}

/* A hidden column keeps taking its fixed width in GTK 4.8, leaving a gap: drop the width too. */
static void
show_column (SpAllocTable  *self,
             SpAllocColumn  column,
             gboolean       visible)
{
  gtk_column_view_column_set_visible (self->columns[column], visible);
  gtk_column_view_column_set_fixed_width (self->columns[column], visible ? column_widths[column] : -1);
}

/* Titles and visible columns for what the profile knows. */
static void
update_columns (SpAllocTable *self)
{
  SpBytesSource source = self->profile != NULL ? sp_memory_bytes_source (self->profile) : SP_BYTES_NONE;
  const char *bytes_title;

  switch (source)
    {
    case SP_BYTES_ESTIMATED:
      bytes_title = _("Est. Bytes");
      break;
    case SP_BYTES_DETERMINISTIC:
      bytes_title = _("Consed");
      break;
    case SP_BYTES_EXACT:
    case SP_BYTES_NONE:
    default:
      bytes_title = _("Bytes");
    }
  gtk_column_view_column_set_title (self->columns[SP_ALLOC_COLUMN_NAME],
                                    self->kind == SP_ALLOC_KEY_FUNCTION ? _("Function") : _("Type"));
  gtk_column_view_column_set_title (self->columns[SP_ALLOC_COLUMN_BYTES], bytes_title);
  show_column (self, SP_ALLOC_COLUMN_OBJECTS, source == SP_BYTES_EXACT);
  show_column (self, SP_ALLOC_COLUMN_OBJECT_SIZE, source == SP_BYTES_EXACT);
  show_column (self, SP_ALLOC_COLUMN_SAMPLES, source == SP_BYTES_ESTIMATED);
}

/* ---- rows ---- */

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  return sp_alloc_item_list_children (ITEM (item));
}

void
sp_alloc_table_set_profile (SpAllocTable *self,
                            SpProfile    *profile)
{
  g_autoptr(GtkSortListModel) sorted = NULL;

  g_return_if_fail (SP_IS_ALLOC_TABLE (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;

  sorted = gtk_sort_list_model_new (G_LIST_MODEL (gtk_tree_list_model_new (sp_alloc_item_list_roots (profile, self->kind),
                                                                           FALSE, FALSE, create_children,
                                                                           NULL, NULL)),
                                    g_object_ref (self->row_sorter));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (sorted));
  update_columns (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
}

GListModel *
sp_alloc_table_get_model (SpAllocTable *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_TABLE (self), NULL);

  return gtk_single_selection_get_model (self->selection);
}

GtkColumnViewColumn *
sp_alloc_table_get_column (SpAllocTable  *self,
                           SpAllocColumn  column)
{
  g_return_val_if_fail (SP_IS_ALLOC_TABLE (self), NULL);
  g_return_val_if_fail (column < SP_N_ALLOC_COLUMNS, NULL);

  return self->columns[column];
}

void
sp_alloc_table_sort_by (SpAllocTable  *self,
                        SpAllocColumn  column,
                        GtkSortType    order)
{
  g_return_if_fail (SP_IS_ALLOC_TABLE (self));
  g_return_if_fail (column < SP_N_ALLOC_COLUMNS);

  gtk_column_view_sort_by_column (self->column_view, self->columns[column], order);
}

/* ---- selection ---- */

guint32
sp_alloc_table_get_selected_frame (SpAllocTable *self)
{
  GtkTreeListRow *row;
  g_autoptr(SpAllocItem) item = NULL;

  g_return_val_if_fail (SP_IS_ALLOC_TABLE (self), SP_NO_FRAME);

  row = gtk_single_selection_get_selected_item (self->selection);
  item = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
  return item != NULL ? sp_alloc_item_get_frame (item) : SP_NO_FRAME;
}

void
sp_alloc_table_select_row (SpAllocTable *self,
                           guint         position)
{
  g_return_if_fail (SP_IS_ALLOC_TABLE (self));

  gtk_single_selection_set_selected (self->selection, position);
}

static guint
find_top_row (GListModel *rows,
              guint32     frame)
{
  guint n = rows != NULL ? g_list_model_get_n_items (rows) : 0;

  for (guint i = 0; i < n && frame != SP_NO_FRAME; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(SpAllocItem) item = gtk_tree_list_row_get_item (row);

      if (gtk_tree_list_row_get_depth (row) == 0 && sp_alloc_item_get_frame (item) == frame)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

void
sp_alloc_table_select_frame (SpAllocTable *self,
                             guint32       frame)
{
  guint position;

  g_return_if_fail (SP_IS_ALLOC_TABLE (self));

  if (frame == sp_alloc_table_get_selected_frame (self))
    return;

  position = find_top_row (sp_alloc_table_get_model (self), frame);
  gtk_single_selection_set_selected (self->selection, position);
  if (position != GTK_INVALID_LIST_POSITION)
    sp_column_view_scroll_to (self->column_view, position);
}

static void
on_selection_changed (SpAllocTable *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
}

/* ---- the widget ---- */

static void
sp_alloc_table_dispose (GObject *object)
{
  SpAllocTable *self = SP_ALLOC_TABLE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->row_sorter);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sp_alloc_table_parent_class)->dispose (object);
}

static void
sp_alloc_table_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BY_TYPE:
      g_value_set_boolean (value, SP_ALLOC_TABLE (object)->kind == SP_ALLOC_KEY_TYPE);
      break;
    case PROP_SELECTED_FRAME:
      g_value_set_uint (value, sp_alloc_table_get_selected_frame (SP_ALLOC_TABLE (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_alloc_table_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SpAllocTable *self = SP_ALLOC_TABLE (object);

  switch (prop_id)
    {
    case PROP_BY_TYPE:
      self->kind = g_value_get_boolean (value) ? SP_ALLOC_KEY_TYPE : SP_ALLOC_KEY_FUNCTION;
      update_columns (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_alloc_table_class_init (SpAllocTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_alloc_table_dispose;
  object_class->get_property = sp_alloc_table_get_property;
  object_class->set_property = sp_alloc_table_set_property;

  /* rows are types (expanding to functions) rather than functions (expanding to types) */
  properties[PROP_BY_TYPE] =
    g_param_spec_boolean ("by-type", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_FRAME] =
    g_param_spec_uint ("selected-frame", NULL, NULL, 0, G_MAXUINT32, SP_NO_FRAME,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sp_alloc_table_init (SpAllocTable *self)
{
  self->column_view = sp_column_view_new_table (GTK_WIDGET (self));
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);

  add_column (self, SP_ALLOC_COLUMN_NAME, sp_list_factory_new_expander (text_name, NULL), compare_name);
  add_column (self, SP_ALLOC_COLUMN_OBJECTS, sp_list_factory_new_text (text_objects, NULL, TRUE), compare_objects);
  add_column (self, SP_ALLOC_COLUMN_OBJECT_SIZE, sp_list_factory_new_text (text_object_size, NULL, TRUE),
              compare_object_size);
  add_column (self, SP_ALLOC_COLUMN_SAMPLES, sp_list_factory_new_text (text_samples, NULL, TRUE), compare_samples);
  add_column (self, SP_ALLOC_COLUMN_BYTES,
              sp_list_factory_new_text_with_tooltip (text_bytes, tooltip_bytes, NULL, TRUE), compare_bytes);
  add_column (self, SP_ALLOC_COLUMN_SHARE, sp_list_factory_new_percent (fraction_share), compare_bytes);
  gtk_column_view_column_set_title (self->columns[SP_ALLOC_COLUMN_OBJECTS], _("Objects"));
  gtk_column_view_column_set_title (self->columns[SP_ALLOC_COLUMN_OBJECT_SIZE], _("Per Object"));
  gtk_column_view_column_set_title (self->columns[SP_ALLOC_COLUMN_SAMPLES], _("Samples"));
  gtk_column_view_column_set_title (self->columns[SP_ALLOC_COLUMN_SHARE], _("Share"));

  self->row_sorter = GTK_SORTER (gtk_tree_list_row_sorter_new (g_object_ref (gtk_column_view_get_sorter (self->column_view))));
  sp_alloc_table_sort_by (self, SP_ALLOC_COLUMN_BYTES, GTK_SORT_DESCENDING);
}

GtkWidget *
sp_alloc_table_new (SpAllocKeyKind kind)
{
  return g_object_new (SP_TYPE_ALLOC_TABLE, "by-type", kind == SP_ALLOC_KEY_TYPE, NULL);
}
