/* sp-profile-view-range.c: a profile tab's timeline strip, and its pages following the range
 *
 * The pages show self->shown: the profile, or the part of it in the timeline's range, cut in a
 * worker thread.  Frames keep their ids in the part, so the selected function stays selected.
 */
#define G_LOG_DOMAIN "sp-profile-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-format.h"
#include "sp-profile-task.h"
#include "sp-alloc-view.h"
#include "sp-profile-view-private.h"

static gboolean
page_is_visible (SpProfileView *self,
                 const char    *name)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), name) == 0;
}

/* The call tree builds its rows on the main thread and the flame graph lays itself out in a
 * worker: for a range, a hidden page catches up when it is shown. */
static void
update_hidden_pages (SpProfileView *self)
{
  SpFlameGraph *graph = sp_flame_view_get_graph (self->flame_view);

  if (self->shown == NULL)
    return;
  /* each keeps showing the selected function */
  if ((page_is_visible (self, "call-tree") || !self->range_shown) && self->call_tree_stale)
    {
      self->call_tree_stale = FALSE;
      sp_call_tree_set_profile (self->call_tree, self->shown);
      sp_call_tree_reveal_frame (self->call_tree, self->selected);
    }
  if ((page_is_visible (self, "flame-graph") || !self->range_shown) &&
      sp_flame_view_get_profile (self->flame_view) != self->shown)
    {
      sp_flame_view_set_profile (self->flame_view, self->shown);
      sp_flame_graph_select_frame (graph, self->selected);
    }
}

/* same_profile: shown is a part of the profile the pages showed (or the whole of it again), so
 * the function table keeps its rows until the new ones are ready, its sort and its search. */
static void
show_pages (SpProfileView *self,
            SpProfile     *shown,
            gboolean       same_profile)
{
  if (!g_set_object (&self->shown, shown))
    return;
  self->range_shown = shown != self->profile;
  self->call_tree_stale = TRUE;
  if (same_profile)
    sp_function_table_update_profile (self->function_table, shown);
  else
    sp_function_table_set_profile (self->function_table, shown);
  sp_alloc_view_set_profile (self->alloc_view, shown);
  update_hidden_pages (self);
  _sp_profile_view_show_function (self, self->selected);
  g_object_notify (G_OBJECT (self), "shown-profile");
}

static void
on_page_shown (SpProfileView *self)
{
  update_hidden_pages (self);
}

/* "1,234 samples" or "12 MB allocated" in the range, for the timeline's header. */
static char *
describe_part (SpProfile *part)
{
  SpMetric metric = sp_profile_get_default_metric (part);
  double total = sp_profile_get_grand_total (part, metric);
  g_autofree char *amount = NULL;

  if (total <= 0)
    return g_strdup (_("no samples in this range"));
  if (metric == SP_METRIC_BYTES)
    return g_strdup_printf (_("%s allocated"), (amount = sp_format_bytes ((gint64) total)));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s sample", "%s samples", (gulong) total),
                          (amount = sp_format_count (total)));
}

static void
on_range_cut (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SpProfileView) self = user_data;
  g_autoptr(SpProfile) part = sp_profile_task_filter_time_finish (result, NULL);
  g_autofree char *summary = NULL;

  /* NULL: cancelled by a newer range, or the tab closed */
  if (part == NULL || self->timeline == NULL)
    return;
  show_pages (self, part, TRUE);
  summary = describe_part (part);
  sp_timeline_set_range_summary (self->timeline, summary);
}

/* Escape (bound to this action) clears the range; the action is disabled without one, so that
 * Escape then goes on to whoever else wants it. */
static void
clear_range_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpProfileView *self = SP_PROFILE_VIEW (widget);

  if (self->timeline != NULL)
    sp_timeline_clear_range (self->timeline);
}

static void
update_clear_action (SpProfileView *self)
{
  double from, to;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile.clear-range",
                                 sp_timeline_get_range (self->timeline, &from, &to));
}

static void
on_range_changed (SpProfileView *self,
                  SpTimeline    *timeline)
{
  double from, to;

  g_cancellable_cancel (self->range_cancellable);
  g_clear_object (&self->range_cancellable);
  update_clear_action (self);
  if (!sp_timeline_get_range (timeline, &from, &to))
    {
      show_pages (self, self->profile, TRUE);
      return;
    }
  self->range_cancellable = g_cancellable_new ();
  sp_profile_task_filter_time_async (self->profile, from, to, self->range_cancellable, on_range_cut,
                                     g_object_ref (self));
}

SpProfile *
sp_profile_view_get_shown_profile (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return self->shown;
}

GtkWidget *
sp_profile_view_get_timeline (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return GTK_WIDGET (self->timeline);
}

/* A new profile: the whole of it, and the timeline of it. */
void
sp_profile_view_range_reset (SpProfileView *self)
{
  g_cancellable_cancel (self->range_cancellable);
  g_clear_object (&self->range_cancellable);
  sp_timeline_set_profile (self->timeline, self->profile);
  update_clear_action (self);
  show_pages (self, self->profile, FALSE);
}

/* A live recording's newer profile: the timeline follows it, and a range stays selected (the
 * pages shown are brought up to the profile by sp-profile-view-live.c). */
void
sp_profile_view_range_follow (SpProfileView *self)
{
  double from, to;
  gboolean had_range = sp_timeline_get_range (self->timeline, &from, &to);

  g_cancellable_cancel (self->range_cancellable);
  g_clear_object (&self->range_cancellable);
  sp_timeline_set_profile (self->timeline, self->profile);
  /* the whole of it until the range is cut from it: frame ids are the newer profile's */
  if (g_set_object (&self->shown, self->profile))
    {
      self->range_shown = FALSE;
      self->call_tree_stale = FALSE;
      g_object_notify (G_OBJECT (self), "shown-profile");
    }
  if (had_range)
    sp_timeline_set_range (self->timeline, from, to);
  update_clear_action (self);
}

void
sp_profile_view_range_init (SpProfileView *self)
{
  g_signal_connect_object (self->timeline, "range-changed", G_CALLBACK (on_range_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child", G_CALLBACK (on_page_shown),
                           self, G_CONNECT_SWAPPED);
  update_clear_action (self);
}

void
sp_profile_view_range_dispose (SpProfileView *self)
{
  g_cancellable_cancel (self->range_cancellable);
  g_clear_object (&self->range_cancellable);
  g_clear_object (&self->shown);
}

void
sp_profile_view_range_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "profile.clear-range", NULL, clear_range_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "profile.clear-range", NULL);
}
