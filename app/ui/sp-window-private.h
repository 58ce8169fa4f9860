/* sp-window-private.h: the window's instance, shared by sp-window*.c */
#pragma once

#include "sp-compare-view.h"
#include "sp-window.h"
#include "sp-window-link.h"

G_BEGIN_DECLS

struct _SpWindow
{
  AdwApplicationWindow  parent_instance;

  /* Owned */
  GSettings            *settings;      /* NULL when the schema is not installed */
  GtkRecentManager     *recent_manager;
  GtkNativeDialog      *file_dialog;   /* the open or save dialog being shown */
  gboolean              closing;       /* the user agreed to discard unsaved profiles */
  SpWindowLink         *link;          /* with the other window of a pair, or NULL */
  SpProfileView        *spare_view;    /* made ahead for the next tab, while the window idles */
  guint                 spare_source;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *drop_revealer;
  AdwFlap              *flap;
  GtkStack             *sessions_sidebar;
  GtkToggleButton      *sidebar_button;
  GtkToggleButton      *link_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwTabBar            *tab_bar;
  GtkStack             *main_stack;
  AdwTabView           *tab_view;
  GtkBox               *empty_actions;
  GMenu                *recent_menu;
  GMenu                *recent_submenu;
};

/* sp-window-actions.c */
void _sp_window_class_init_actions (GtkWidgetClass *widget_class);
void _sp_window_init_actions       (SpWindow       *self);
void _sp_window_update_actions     (SpWindow       *self);
void _sp_window_save_view          (SpWindow       *self,
                                    SpProfileView  *view,
                                    AdwTabPage     *closing_page);
void _sp_window_note_recent        (SpWindow       *self,
                                    GFile          *file);
GtkFileChooserNative *
     _sp_window_create_open_dialog (SpWindow       *self,
                                    const char     *title);

char *_sp_window_suggest_name      (SpProfileView  *view,
                                    SpFileFormat    format);

/* sp-window.c */
void _sp_window_append_comparison  (SpWindow       *self,
                                    SpCompareView  *view);
SpProfileView *_sp_window_new_profile_view (SpWindow *self);
AdwTabPage *_sp_window_append_view (SpWindow       *self,
                                    SpProfileView  *view);

/* sp-window-live.c: a recording's tab follows it (the sidebar's live-profile signal) */
void _sp_window_on_live_profile    (SpWindow       *self,
                                    GObject        *source,
                                    SpProfile      *profile,
                                    const char     *title,
                                    gboolean        final);

/* sp-window.c: a new tab for an unsaved profile (not yet kept in the autosave folder) */
SpProfileView *
     _sp_window_append_profile     (SpWindow       *self,
                                    SpProfile      *profile,
                                    const char     *title);

/* sp-window-autosave.c */
void _sp_window_ask_save_all       (SpWindow       *self);
void _sp_window_save_all_and_close (SpWindow       *self,
                                    GFile          *folder);

/* sp-window-compare.c */
/* view was renamed: so are the comparisons of its profile, in every window */
void _sp_window_rename_in_comparisons (SpWindow      *self,
                                       SpProfileView *view);
void _sp_window_compare_action     (GtkWidget      *widget,
                                    const char     *action_name,
                                    GVariant       *parameter);

/* sp-window-move.c: tabs moving between windows */
AdwTabView *_sp_window_create_window  (SpWindow       *self,
                                       AdwTabView     *tab_view);
void _sp_window_page_detached      (SpWindow       *self,
                                    AdwTabPage     *page);
void _sp_window_move_to_new_window (GtkWidget      *widget,
                                    const char     *action_name,
                                    GVariant       *parameter);

/* sp-window-pair.c */
void _sp_window_set_link           (SpWindow       *self,
                                    SpWindowLink   *link);
void _sp_window_show_refusal       (SpWindow       *self,
                                    const char     *reason);

/* sp-window-dnd.c */
void _sp_window_init_dnd           (SpWindow       *self);

G_END_DECLS
