/* sp-list-factory.c: list item factories for the cells of the profile tables
 *
 * Tables of many thousand rows bind cells constantly while scrolling: text goes into a
 * GtkInscription, the cheapest text widget, and each factory carries the function that turns
 * an item into its text.
 */
#define G_LOG_DOMAIN "sp-list-factory"

#include "config.h"

#include "sp-list-factory.h"
#include "sp-percent-cell.h"

typedef struct
{
  SpCellTextFunc     text;
  SpCellTextFunc     tooltip;
  SpCellFractionFunc fraction;
  gpointer           data;
  gboolean           numeric;
} CellFuncs;

static gpointer
list_item_get_model_item (GtkListItem *list_item)
{
  gpointer item = gtk_list_item_get_item (list_item);

  if (GTK_IS_TREE_LIST_ROW (item))
    return gtk_tree_list_row_get_item (item);   /* returns a reference */
  return item != NULL ? g_object_ref (item) : NULL;
}

/* ---- items that change in place ----
 *
 * A table whose rows all change at once (the function table following a new time range) keeps
 * its items and has them show other rows: each emits "changed", and its cells show the new
 * text.  New items would cost a new widget for every cell of every row GTK keeps, a tenth of a
 * second on a large table. */

typedef void (*CellBindFunc) (GtkSignalListItemFactory *factory,
                              GtkListItem              *list_item,
                              CellFuncs                *funcs);

typedef struct
{
  GObject     *item;
  gulong       handler;
  GtkListItem *list_item;
  CellBindFunc bind;
  CellFuncs   *funcs;
} CellWatch;

static void
cell_watch_free (CellWatch *watch)
{
  g_signal_handler_disconnect (watch->item, watch->handler);
  g_object_unref (watch->item);
  g_free (watch);
}

static void
on_item_changed (GObject   *item,
                 CellWatch *watch)
{
  watch->bind (NULL, watch->list_item, watch->funcs);
}

static void
watch_item (GtkListItem  *list_item,
            GObject      *item,
            CellBindFunc  bind,
            CellFuncs    *funcs)
{
  CellWatch *watch = g_object_get_data (G_OBJECT (list_item), "sp-cell-watch");

  if (watch != NULL && watch->item == item)
    return;
  if (item == NULL || g_signal_lookup ("changed", G_OBJECT_TYPE (item)) == 0)
    {
      g_object_set_data (G_OBJECT (list_item), "sp-cell-watch", NULL);
      return;
    }
  watch = g_new0 (CellWatch, 1);
  watch->item = g_object_ref (item);
  watch->list_item = list_item;   /* the watch is the list item's: it goes first */
  watch->bind = bind;
  watch->funcs = funcs;
  watch->handler = g_signal_connect (item, "changed", G_CALLBACK (on_item_changed), watch);
  g_object_set_data_full (G_OBJECT (list_item), "sp-cell-watch", watch,
                          (GDestroyNotify) cell_watch_free);
}

static void
unbind_watched (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                CellFuncs                *funcs)
{
  g_object_set_data (G_OBJECT (list_item), "sp-cell-watch", NULL);
}

/* The cell's whole text, which the cell may cut short.  Asked for when a tooltip is about to
 * show: setting the tooltip on every bind makes GTK look for the pointer each time, an X
 * round trip per cell, which made rebuilding a table take tenths of a second. */
static gboolean
query_text_tooltip (GtkWidget  *inscription,
                    int         x,
                    int         y,
                    gboolean    keyboard,
                    GtkTooltip *tooltip)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (inscription));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
show_text_in_tooltip (GtkWidget *inscription)
{
  gtk_widget_set_has_tooltip (inscription, TRUE);
  g_signal_connect (inscription, "query-tooltip", G_CALLBACK (query_text_tooltip), NULL);
}

static void
setup_text (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            CellFuncs                *funcs)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  if (funcs->numeric)
    {
      gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), 1);
      gtk_widget_add_css_class (inscription, "numeric");
    }
  else
    {
      /* Lisp names are long: ask for room, the column view gives what it has. */
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 8);
      gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), 60);
      /* Names may be cut short: the tooltip shows them whole. */
      show_text_in_tooltip (inscription);
    }
  /* Names of one package share their start: cut the middle, where they are alike. */
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     funcs->numeric ? GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END
                                                    : GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE);
  gtk_list_item_set_child (list_item, inscription);
}

static void
bind_text (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           CellFuncs                *funcs)
{
  g_autoptr(GObject) item = list_item_get_model_item (list_item);
  g_autofree char *text = funcs->text (item, funcs->data);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (GTK_IS_TREE_EXPANDER (child))
    {
      gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child),
                                      gtk_list_item_get_item (list_item));
      child = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child));
    }

  gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
  /* a column with its own tooltip (few are): names get theirs when asked, see setup_text */
  if (funcs->tooltip != NULL)
    {
      g_autofree char *tooltip = funcs->tooltip (item, funcs->data);
      const char *shown = gtk_widget_get_tooltip_text (child);

      /* setting it, even to the same text, looks for the pointer: see query_text_tooltip */
      if (g_strcmp0 (tooltip, shown) != 0)
        gtk_widget_set_tooltip_text (child, tooltip);
    }
  watch_item (list_item, item, bind_text, funcs);
}

GtkListItemFactory *
sp_list_factory_new_text (SpCellTextFunc func,
                          gpointer       data,
                          gboolean       numeric)
{
  return sp_list_factory_new_text_with_tooltip (func, NULL, data, numeric);
}

GtkListItemFactory *
sp_list_factory_new_text_with_tooltip (SpCellTextFunc func,
                                       SpCellTextFunc tooltip,
                                       gpointer       data,
                                       gboolean       numeric)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  CellFuncs *funcs = g_new0 (CellFuncs, 1);

  funcs->text = func;
  funcs->tooltip = tooltip;
  funcs->data = data;
  funcs->numeric = numeric;
  g_signal_connect (factory, "setup", G_CALLBACK (setup_text), funcs);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_text), funcs);
  g_signal_connect_data (factory, "unbind", G_CALLBACK (unbind_watched), funcs,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  return factory;
}

static void
setup_expander (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                CellFuncs                *funcs)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 8);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), 60);
  gtk_widget_set_hexpand (inscription, TRUE);
  show_text_in_tooltip (inscription);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), inscription);
  gtk_list_item_set_child (list_item, expander);
}

static void
unbind_expander (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 CellFuncs                *funcs)
{
  unbind_watched (factory, list_item, funcs);
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), NULL);
}

GtkListItemFactory *
sp_list_factory_new_expander (SpCellTextFunc func,
                              gpointer       data)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  CellFuncs *funcs = g_new0 (CellFuncs, 1);

  funcs->text = func;
  funcs->data = data;
  g_signal_connect (factory, "setup", G_CALLBACK (setup_expander), funcs);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_text), funcs);
  g_signal_connect_data (factory, "unbind", G_CALLBACK (unbind_expander), funcs,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  return factory;
}

static void
setup_percent (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CellFuncs                *funcs)
{
  gtk_list_item_set_child (list_item, sp_percent_cell_new ());
}

static void
bind_percent (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              CellFuncs                *funcs)
{
  g_autoptr(GObject) item = list_item_get_model_item (list_item);

  sp_percent_cell_set_fraction (SP_PERCENT_CELL (gtk_list_item_get_child (list_item)),
                                funcs->fraction (item));
  watch_item (list_item, item, bind_percent, funcs);
}

GtkListItemFactory *
sp_list_factory_new_percent (SpCellFractionFunc func)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  CellFuncs *funcs = g_new0 (CellFuncs, 1);

  funcs->fraction = func;
  g_signal_connect (factory, "setup", G_CALLBACK (setup_percent), funcs);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_percent), funcs);
  g_signal_connect_data (factory, "unbind", G_CALLBACK (unbind_watched), funcs,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  return factory;
}

GtkColumnViewColumn *
sp_column_view_add_column (GtkColumnView      *view,
                           const char         *title,
                           GtkListItemFactory *factory,
                           GCompareDataFunc    compare,
                           int                 width)
{
  g_autoptr(GtkColumnViewColumn) column = gtk_column_view_column_new (title, factory);
  g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare, NULL, NULL));

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);

  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  else
    gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_append_column (view, column);
  return column;
}

GtkColumnView *
sp_column_view_new_table (GtkWidget *parent)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_column_view_new (NULL);

  gtk_scrollable_set_hscroll_policy (GTK_SCROLLABLE (view), GTK_SCROLL_MINIMUM);
  gtk_widget_add_css_class (view, "data-table");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_parent (scrolled, parent);
  return GTK_COLUMN_VIEW (view);
}

void
sp_column_view_scroll_to (GtkColumnView *column_view,
                          guint          position)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (column_view));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}
