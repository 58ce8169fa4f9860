/* sp-window-move.c: tabs moving between windows, dragged out or into another window, or by
 * "Move to New Window" in the tab menu
 *
 * A tab's view reports to the window it is in (see on_page_attached in sp-window.c), so a moved
 * tab updates its new window's title, actions and header.
 */
#define G_LOG_DOMAIN "sp-window"

#include "config.h"

#include "sp-session-sidebar.h"
#include "sp-window-private.h"

/* AdwTabView::create-window: a tab dropped outside every window gets a new one. */
AdwTabView *
_sp_window_create_window (SpWindow   *self,
                          AdwTabView *tab_view)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  SpWindow *window = sp_window_new (application);

  gtk_window_present (GTK_WINDOW (window));
  return window->tab_view;
}

void
_sp_window_move_to_new_window (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);
  AdwTabView *target;

  if (page == NULL)
    return;
  target = _sp_window_create_window (self, self->tab_view);
  adw_tab_view_transfer_page (self->tab_view, page, target, 0);
}

static gboolean
has_sessions (SpWindow *self)
{
  GtkWidget *sidebar = gtk_stack_get_child_by_name (self->sessions_sidebar, "sessions");

  return sidebar != NULL && sp_session_sidebar_get_n_sessions (SP_SESSION_SIDEBAR (sidebar)) > 0;
}

typedef struct
{
  SpWindow   *self;
  AdwTabPage *page;
} Detached;

/* Once the move is over: a window whose last tab went to another one, and which has no
 * sessions of its own, has nothing left to show and closes. */
static gboolean
close_if_emptied (gpointer data)
{
  Detached *detached = data;
  SpWindow *self = detached->self;
  GtkRoot *root = gtk_widget_get_root (adw_tab_page_get_child (detached->page));

  if (self->tab_view != NULL && adw_tab_view_get_n_pages (self->tab_view) == 0 &&
      SP_IS_WINDOW (root) && root != GTK_ROOT (self) && !has_sessions (self))
    gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
detached_free (gpointer data)
{
  Detached *detached = data;

  g_object_unref (detached->self);
  g_object_unref (detached->page);
  g_free (detached);
}

void
_sp_window_page_detached (SpWindow   *self,
                          AdwTabPage *page)
{
  Detached *detached;

  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->tab_view == NULL ||
      adw_tab_view_get_n_pages (self->tab_view) > 0)
    return;
  detached = g_new0 (Detached, 1);
  detached->self = g_object_ref (self);
  detached->page = g_object_ref (page);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_if_emptied, detached, detached_free);
}
