/* sp-profile-view-live.c: a profile tab that follows a recording while it runs
 *
 * The session sends the profile so far about once a second; each is a new SpProfile with ids of
 * its own, so what the user looks at (the selected function, the history of selections, the
 * functions' sort, the flame graph's zoom) is carried over by name.
 */
#define G_LOG_DOMAIN "sp-profile-view"

#include "config.h"

#include "sp-alloc.h"
#include "sp-profile-match.h"
#include "sp-profile-view-private.h"

void
sp_profile_view_set_waiting (SpProfileView *self,
                             const char    *title)
{
  g_return_if_fail (SP_IS_PROFILE_VIEW (self));

  adw_status_page_set_title (self->loading_page, title);
  adw_status_page_set_icon_name (self->loading_page, "media-record-symbolic");
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
}

/* The history's frames in the newer profile; those it lacks are dropped. */
static void
match_history (SpProfileView *self,
               SpProfile     *old)
{
  guint kept = 0, position = 0;

  for (guint i = 0; i < self->history->len; i++)
    {
      guint32 frame = sp_profile_match_frame (old, g_array_index (self->history, guint32, i),
                                              self->profile);

      if (frame == SP_NO_FRAME)
        continue;
      if (i <= self->history_pos)
        position = kept;
      g_array_index (self->history, guint32, kept++) = frame;
    }
  g_array_set_size (self->history, kept);
  self->history_pos = position;
}

static SpProfilePage
visible_page (SpProfileView *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "call-tree") == 0)
    return SP_PAGE_CALL_TREE;
  if (g_strcmp0 (name, "flame-graph") == 0)
    return SP_PAGE_FLAME_GRAPH;
  if (g_strcmp0 (name, "allocations") == 0)
    return SP_PAGE_ALLOCATIONS;
  return SP_PAGE_FUNCTIONS;
}

/* Brings the page shown up to the profile (or the part of it in the timeline's range), with
 * the selected function. */
static void
catch_up (SpProfileView *self)
{
  SpProfilePage page = visible_page (self);

  if (!(self->stale_pages & page))
    return;
  self->stale_pages &= ~page;
  switch (page)
    {
    case SP_PAGE_FUNCTIONS:
      sp_function_table_update_profile (self->function_table, self->shown);
      sp_function_table_select_frame (self->function_table, self->selected);
      break;
    case SP_PAGE_CALL_TREE:
      sp_call_tree_set_profile (self->call_tree, self->shown);
      sp_call_tree_reveal_frame (self->call_tree, self->selected);
      break;
    case SP_PAGE_ALLOCATIONS:
      sp_alloc_view_set_profile (self->alloc_view, self->profile);
      sp_alloc_view_select_frame (self->alloc_view, self->selected);
      break;
    case SP_PAGE_FLAME_GRAPH:
    default:
      sp_flame_view_update_profile (self->flame_view, self->shown);   /* carries its selection */
      break;
    }
}

void
sp_profile_view_update_profile (SpProfileView *self,
                                SpProfile     *profile)
{
  g_autoptr(SpProfile) old = NULL;

  g_return_if_fail (SP_IS_PROFILE_VIEW (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (self->profile == NULL)
    {
      sp_profile_view_set_profile (self, profile);
      return;
    }
  old = g_object_ref (self->profile);
  if (!g_set_object (&self->profile, profile))
    return;
  self->selected = sp_profile_match_frame (old, self->selected, profile);
  match_history (self, old);
  sp_profile_view_range_follow (self);
  if (self->page_handler == 0)
    self->page_handler = g_signal_connect_object (self->view_stack, "notify::visible-child",
                                                  G_CALLBACK (catch_up), self,
                                                  G_CONNECT_SWAPPED);

  /* only the page shown follows at once: each costs a rebuild of its rows or its layout */
  sp_profile_summary_set_profile (self->summary, profile);
  self->stale_pages = SP_PAGE_FUNCTIONS | SP_PAGE_CALL_TREE | SP_PAGE_FLAME_GRAPH | SP_PAGE_ALLOCATIONS;
  /* the Allocations page appears with the first memory data (a collection, say) */
  adw_view_stack_page_set_visible (self->alloc_page, sp_alloc_has_memory_data (profile));
  catch_up (self);
  sp_function_details_set_function (self->details, self->shown, self->selected);
  _sp_profile_view_show_profile_page (self);
  g_object_notify (G_OBJECT (self), "profile");
}
