/* sp-profile-view-private.h: what the profile view's files share */
#pragma once

#include "sp-alloc-view.h"
#include "sp-call-tree.h"
#include "sp-flame-view.h"
#include "sp-function-details.h"
#include "sp-function-table.h"
#include "sp-profile-summary.h"
#include "sp-profile-view.h"
#include "sp-timeline.h"

G_BEGIN_DECLS

/* The pages of a profile tab, as bits: those not shown do not follow a live recording until
 * they are shown. */
typedef enum
{
  SP_PAGE_FUNCTIONS   = 1 << 0,
  SP_PAGE_CALL_TREE   = 1 << 1,
  SP_PAGE_FLAME_GRAPH = 1 << 2,
  SP_PAGE_ALLOCATIONS = 1 << 3,
} SpProfilePage;

struct _SpProfileView
{
  GtkWidget          parent_instance;

  /* Owned */
  SpProfile         *profile;
  SpProfile         *shown;          /* what the pages show: the profile, or a range of it */
  GCancellable      *range_cancellable; /* of cutting the profile to the timeline's range */
  gboolean           range_shown;    /* shown is a range of profile */
  gboolean           call_tree_stale; /* the call tree does not show `shown` yet */
  GFile             *file;           /* where Save writes: a .sbclprof file, or NULL */
  GFile             *source;         /* the file it was read from, or NULL */
  char              *title;
  GCancellable      *cancellable;    /* of loading and saving; cancelled on dispose */
  GArray            *history;        /* of guint32 frames */
  guint              history_pos;    /* index of the shown frame in history */
  guint              pulse_id;
  gboolean           unsaved;
  gboolean           loading;
  guint32            selected;
  guint              stale_pages;    /* SpProfilePage bits: behind the profile shown */
  gulong             page_handler;

  /* Template widgets */
  GtkStack          *state_stack;
  GtkWidget         *profile_box;
  AdwStatusPage     *loading_page;
  GtkProgressBar    *progress_bar;
  GtkWidget         *cancel_button;
  SpProfileSummary  *summary;
  SpTimeline        *timeline;
  GtkStack          *content_stack;
  AdwStatusPage     *empty_page;
  GtkWidget         *details_button;
  AdwViewStack      *view_stack;
  SpFunctionTable   *function_table;
  SpCallTree        *call_tree;
  SpFlameView       *flame_view;
  AdwViewStackPage  *alloc_page;
  SpAllocView       *alloc_view;
  GtkStack          *call_tree_stack;   /* the view, or a status page saying why it is empty */
  AdwStatusPage     *call_tree_empty;
  GtkStack          *flame_stack;
  AdwStatusPage     *flame_empty;
  SpFunctionDetails *details;
};

/* sp-profile-view.c */
void _sp_profile_view_show_profile_page (SpProfileView *self);
void _sp_profile_view_show_function (SpProfileView *self,
                                     guint32        frame);
/* An empty recording says so, and what to record instead, rather than showing blank views. */
void _sp_profile_view_show_empty_state (SpProfileView *self);

/* sp-profile-view-range.c: the timeline's range */
void sp_profile_view_range_init       (SpProfileView  *self);
void sp_profile_view_range_reset      (SpProfileView  *self);
void sp_profile_view_range_follow     (SpProfileView  *self);
void sp_profile_view_range_dispose    (SpProfileView  *self);
void sp_profile_view_range_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
