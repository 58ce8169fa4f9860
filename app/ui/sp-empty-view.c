/* sp-empty-view.c: why a view of a profile has nothing to show, and what to record instead */
#include "config.h"

#include <glib/gi18n.h>

#include "sp-empty-view.h"

gboolean
sp_empty_view_explain (SpProfile    *profile,
                       SpEmptyView   view,
                       const char  **title,
                       const char  **description)
{
  const SpProfileMeta *meta = sp_profile_get_meta (profile);
  SpMetric metric = sp_profile_get_default_metric (profile);

  if (sp_profile_get_n_nodes (profile) == 0 && meta->mode == SP_MODE_DETERMINISTIC)
    {
      *title = _("No Call Paths");
      *description = _("This deterministic recording holds per-function figures only: it was "
                       "made before call paths were recorded. Record it again to see who calls "
                       "whom among the instrumented functions, or record in CPU mode to sample "
                       "whole stacks.");
      return TRUE;
    }
  if (sp_profile_get_n_nodes (profile) == 0)
    {
      *title = _("No Call Stacks");
      *description = _("This profile holds no stacks. Record in CPU, allocation or wall-clock "
                       "mode to see where the time goes.");
      return TRUE;
    }
  if (view == SP_EMPTY_VIEW_FLAME_GRAPH && sp_profile_get_grand_total (profile, metric) <= 0 &&
      metric == SP_METRIC_SECONDS)
    {
      *title = _("No Time Above the Profiler’s Overhead");
      *description = _("Every instrumented function took less time per call than sb-profile’s "
                       "own cost per call, which is taken out as sb-profile:report takes it out, "
                       "so the graph by time is empty. The Call Tree shows the calls along each "
                       "path. Instrument fewer, larger functions, or record in CPU mode.");
      return TRUE;
    }
  if (sp_profile_get_grand_total (profile, metric) <= 0)
    {
      *title = _("Nothing Recorded");
      *description = _("The recording ended before any sample was taken. Record for longer, or "
                       "with a shorter interval.");
      return TRUE;
    }
  return FALSE;
}

void
sp_empty_view_show (SpProfile     *profile,
                    SpEmptyView    view,
                    GtkStack      *stack,
                    AdwStatusPage *page)
{
  const char *title = NULL, *description = NULL;
  gboolean empty = sp_empty_view_explain (profile, view, &title, &description);

  adw_status_page_set_title (page, empty ? title : "");
  adw_status_page_set_description (page, empty ? description : NULL);
  gtk_stack_set_visible_child_name (stack, empty ? "empty" : "view");
}
