/* sp-heap-table.c: live objects by type before and after the workload, and what it retained
 *
 * Retained is after − before, for every type of either snapshot (a type the workload freed
 * shows a negative figure).  The share bar is of the bytes retained by all types that grew.
 */
#define G_LOG_DOMAIN "sp-heap-table"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-format.h"
#include "sp-heap-item.h"
#include "sp-heap-table.h"
#include "sp-list-factory.h"

struct _SpHeapTable
{
  GtkWidget            parent_instance;

  GtkSortListModel    *sorted;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *columns[SP_N_HEAP_COLUMNS];   /* owned by the column view */
};

G_DEFINE_FINAL_TYPE (SpHeapTable, sp_heap_table, GTK_TYPE_WIDGET)

#define DELTA(p) sp_heap_item_get_delta (SP_HEAP_ITEM (p))
#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

static char *
signed_text (double  value,
             char   *text)
{
  char *result = value > 0 ? g_strdup_printf ("+%s", text) : g_strdup (text);

  g_free (text);
  return result;
}

static char *
text_type (gpointer item, gpointer data)
{
  return g_strdup (sp_heap_item_get_name (SP_HEAP_ITEM (item)));
}

static char *
text_objects_before (gpointer item, gpointer data)
{
  return sp_format_count (DELTA (item)->objects_before);
}

static char *
text_objects_after (gpointer item, gpointer data)
{
  return sp_format_count (DELTA (item)->objects_after);
}

static char *
text_retained_objects (gpointer item, gpointer data)
{
  double retained = SP_HEAP_DELTA_RETAINED_OBJECTS (DELTA (item));

  return signed_text (retained, sp_format_count (retained));
}

static char *
text_bytes_before (gpointer item, gpointer data)
{
  return sp_format_bytes ((gint64) DELTA (item)->bytes_before);
}

static char *
text_bytes_after (gpointer item, gpointer data)
{
  return sp_format_bytes ((gint64) DELTA (item)->bytes_after);
}

static char *
text_retained_bytes (gpointer item, gpointer data)
{
  double retained = SP_HEAP_DELTA_RETAINED_BYTES (DELTA (item));

  return signed_text (retained, sp_format_bytes ((gint64) retained));
}

static double
fraction_share (gpointer item)
{
  return sp_heap_item_get_share (SP_HEAP_ITEM (item));
}

/* ---- sorting: ascending order of each column; ties by name ---- */

static int
compare_type (gconstpointer a, gconstpointer b, gpointer data)
{
  return g_strcmp0 (sp_heap_item_get_name (SP_HEAP_ITEM ((gpointer) a)),
                    sp_heap_item_get_name (SP_HEAP_ITEM ((gpointer) b)));
}

#define DEFINE_COMPARE(name, expr)                                    \
  static int                                                          \
  compare_##name (gconstpointer a, gconstpointer b, gpointer data)    \
  {                                                                   \
    const SpHeapDelta *x = DELTA ((gpointer) a), *y = DELTA ((gpointer) b); \
    int c = CMP (expr (x), expr (y));                                 \
    return c != 0 ? c : compare_type (b, a, data);                    \
  }

#define OBJECTS_BEFORE(d) (d)->objects_before
#define OBJECTS_AFTER(d) (d)->objects_after
#define BYTES_BEFORE(d) (d)->bytes_before
#define BYTES_AFTER(d) (d)->bytes_after

DEFINE_COMPARE (objects_before, OBJECTS_BEFORE)
DEFINE_COMPARE (objects_after, OBJECTS_AFTER)
DEFINE_COMPARE (retained_objects, SP_HEAP_DELTA_RETAINED_OBJECTS)
DEFINE_COMPARE (bytes_before, BYTES_BEFORE)
DEFINE_COMPARE (bytes_after, BYTES_AFTER)
DEFINE_COMPARE (retained_bytes, SP_HEAP_DELTA_RETAINED_BYTES)

typedef struct
{
  const char        *title;
  SpCellTextFunc     text;
  SpCellFractionFunc fraction;
  GCompareDataFunc   compare;
  int                width;     /* 0: expands */
} ColumnSpec;

static const ColumnSpec column_specs[SP_N_HEAP_COLUMNS] = {
  [SP_HEAP_COLUMN_TYPE] = { N_("Type"), text_type, NULL, compare_type, 0 },
  [SP_HEAP_COLUMN_OBJECTS_BEFORE] = { N_("Objects Before"), text_objects_before, NULL, compare_objects_before, 112 },
  [SP_HEAP_COLUMN_OBJECTS_AFTER] = { N_("Objects After"), text_objects_after, NULL, compare_objects_after, 104 },
  [SP_HEAP_COLUMN_RETAINED_OBJECTS] = { N_("Retained Objects"), text_retained_objects, NULL, compare_retained_objects, 120 },
  [SP_HEAP_COLUMN_BYTES_BEFORE] = { N_("Bytes Before"), text_bytes_before, NULL, compare_bytes_before, 96 },
  [SP_HEAP_COLUMN_BYTES_AFTER] = { N_("Bytes After"), text_bytes_after, NULL, compare_bytes_after, 96 },
  [SP_HEAP_COLUMN_RETAINED_BYTES] = { N_("Retained"), text_retained_bytes, NULL, compare_retained_bytes, 96 },
  [SP_HEAP_COLUMN_SHARE] = { N_("Share"), NULL, fraction_share, compare_retained_bytes, 88 },
};

static void
add_column (SpHeapTable  *self,
            SpHeapColumn  id)
{
  const ColumnSpec *spec = &column_specs[id];
  GtkListItemFactory *factory = spec->fraction != NULL
                                ? sp_list_factory_new_percent (spec->fraction)
                                : sp_list_factory_new_text (spec->text, NULL, id != SP_HEAP_COLUMN_TYPE);

  self->columns[id] = sp_column_view_add_column (self->column_view, _(spec->title), factory, spec->compare,
                                                 spec->width);
}

gboolean
sp_heap_table_set_profile (SpHeapTable *self,
                           SpProfile   *profile)
{
  g_autoptr(GListModel) items = NULL;

  g_return_val_if_fail (SP_IS_HEAP_TABLE (self), FALSE);
  g_return_val_if_fail (SP_IS_PROFILE (profile), FALSE);

  items = sp_heap_item_list (profile);
  gtk_sort_list_model_set_model (self->sorted, items);
  return items != NULL;
}

GListModel *
sp_heap_table_get_model (SpHeapTable *self)
{
  g_return_val_if_fail (SP_IS_HEAP_TABLE (self), NULL);

  return G_LIST_MODEL (self->sorted);
}

void
sp_heap_table_sort_by (SpHeapTable  *self,
                       SpHeapColumn  column,
                       GtkSortType   order)
{
  g_return_if_fail (SP_IS_HEAP_TABLE (self));
  g_return_if_fail (column < SP_N_HEAP_COLUMNS);

  gtk_column_view_sort_by_column (self->column_view, self->columns[column], order);
}

static void
sp_heap_table_dispose (GObject *object)
{
  SpHeapTable *self = SP_HEAP_TABLE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->sorted);

  G_OBJECT_CLASS (sp_heap_table_parent_class)->dispose (object);
}

static void
sp_heap_table_class_init (SpHeapTableClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sp_heap_table_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
sp_heap_table_init (SpHeapTable *self)
{
  GtkNoSelection *selection;

  self->column_view = sp_column_view_new_table (GTK_WIDGET (self));

  for (SpHeapColumn id = 0; id < SP_N_HEAP_COLUMNS; id++)
    add_column (self, id);

  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  sp_heap_table_sort_by (self, SP_HEAP_COLUMN_RETAINED_BYTES, GTK_SORT_DESCENDING);
}

GtkWidget *
sp_heap_table_new (void)
{
  return g_object_new (SP_TYPE_HEAP_TABLE, NULL);
}
