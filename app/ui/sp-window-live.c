/* sp-window-live.c: the tab of a statistical recording, shown while it runs */
#define G_LOG_DOMAIN "sp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-autosave.h"
#include "sp-window-private.h"

/* A statistical recording shown as it runs: its tab opens at once and follows the samples so
 * far; the final profile (NULL: nothing was recorded) ends it.  A live tab closed by the user
 * comes back with the final profile. */
void
_sp_window_on_live_profile (SpWindow   *self,
                            GObject    *source,
                            SpProfile  *profile,
                            const char *title,
                            gboolean    final)
{
  SpProfileView *view = g_object_get_data (source, "sp-live-view");
  gboolean shown = view != NULL && gtk_widget_get_parent (GTK_WIDGET (view)) != NULL;
  AdwTabPage *page;

  if (view == NULL && !final)
    {
      view = _sp_window_new_profile_view (self);
      sp_profile_view_set_waiting (view, _("Waiting for the first samples…"));
      _sp_window_append_view (self, view);
      /* our reference */
      g_object_set_data_full (source, "sp-live-view", view, g_object_unref);
      shown = TRUE;
    }
  if (!shown)
    {
      if (final && profile != NULL)
        sp_window_add_profile (self, profile, title);
      if (final)
        g_object_set_data (source, "sp-live-view", NULL);
      return;
    }
  page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (view));
  if (profile != NULL)
    sp_profile_view_update_profile (view, profile);
  if (!final)
    {
      g_autofree char *live_title = g_strdup_printf (_("%s (recording)"), title);

      sp_profile_view_set_title (view, live_title);
      adw_tab_page_set_loading (page, TRUE);
      /* a kill of the app during the recording leaves the samples so far */
      if (profile != NULL)
        sp_autosave_keep_live (view);
      return;
    }
  adw_tab_page_set_loading (page, FALSE);
  g_object_ref (view);
  g_object_set_data (source, "sp-live-view", NULL);
  if (profile == NULL)
    adw_tab_view_close_page (self->tab_view, page);
  else
    {
      sp_profile_view_set_title (view, title);
      sp_profile_view_set_unsaved (view, TRUE);
      /* on disk at once, as every recording (sp_window_add_profile) */
      sp_autosave_keep (view);
    }
  g_object_unref (view);
}
