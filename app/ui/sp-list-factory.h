/* sp-list-factory.h: list item factories for the cells of the profile tables */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* item is the model's item (unwrapped from a GtkTreeListRow); data is the factory's. */
typedef char   *(*SpCellTextFunc)     (gpointer item,
                                       gpointer data);
typedef double  (*SpCellFractionFunc) (gpointer item);

GtkListItemFactory *sp_list_factory_new_text     (SpCellTextFunc      func,
                                                  gpointer            data,
                                                  gboolean            numeric);
/* tooltip (may return NULL) replaces the name tooltip of text cells: a figure can say how it
 * was made. */
GtkListItemFactory *sp_list_factory_new_text_with_tooltip (SpCellTextFunc func,
                                                           SpCellTextFunc tooltip,
                                                           gpointer       data,
                                                           gboolean       numeric);
GtkListItemFactory *sp_list_factory_new_percent  (SpCellFractionFunc  func);
GtkListItemFactory *sp_list_factory_new_expander (SpCellTextFunc      func,
                                                  gpointer            data);

/* A sortable, resizable column appended to view: fixed width, or the spare width when 0.
 * Takes factory; returns the column (owned by the view). */
GtkColumnViewColumn *sp_column_view_add_column (GtkColumnView      *view,
                                                const char         *title,
                                                GtkListItemFactory *factory,
                                                GCompareDataFunc    compare,
                                                int                 width);
/* A column view for a table, in a scrolled window that is parent's only child. */
GtkColumnView *sp_column_view_new_table (GtkWidget *parent);

/* GtkColumnView cannot scroll to a row before GTK 4.12: use its list view's own action. */
void sp_column_view_scroll_to (GtkColumnView *column_view,
                               guint          position);

G_END_DECLS
