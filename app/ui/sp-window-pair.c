/* sp-window-pair.c: where a comparison opens: a tab, a window of its own, or the baseline and
 * the new profile in two windows side by side, linked; and `--compare BASELINE NEW`
 */
#define G_LOG_DOMAIN "sp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-diff.h"
#include "sp-profile-task.h"
#include "sp-window-private.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

/* ---- placing two windows side by side ---- */

static void
get_work_area (GtkWindow    *window,
               GdkRectangle *area)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autoptr(GdkMonitor) first = g_list_model_get_item (gdk_display_get_monitors (display), 0);
  GdkMonitor *monitor = surface != NULL ? gdk_display_get_monitor_at_surface (display, surface) : NULL;

  if (monitor == NULL)
    monitor = first;
  *area = (GdkRectangle) { 0, 0, 1280, 800 };
  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, area);
#ifdef GDK_WINDOWING_X11
  /* without the panels */
  if (GDK_IS_X11_MONITOR (monitor))
    gdk_x11_monitor_get_workarea (monitor, area);
#endif
}

#ifdef GDK_WINDOWING_X11
typedef struct
{
  GdkRectangle area;
  gboolean     right;
  int          width;   /* the window's: half the area, or its minimum when wider */
} Placement;

/* Once mapped: X11 lets a window be placed (a window manager may still decide otherwise).  Its
 * size stays GTK's: a window that cannot be as narrow as half the screen overlaps the other a
 * little rather than being cut off. */
static void
on_mapped (GtkWidget *widget,
           Placement *placement)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (widget));
  const GdkRectangle *area = &placement->area;

  g_signal_handlers_disconnect_by_func (widget, on_mapped, placement);
  if (GDK_IS_X11_SURFACE (surface))
    XMoveWindow (GDK_SURFACE_XDISPLAY (surface), GDK_SURFACE_XID (surface),
                 placement->right ? area->x + area->width - placement->width : area->x,
                 area->y);
}
#endif

/* The left or right half of the screen.  Wayland lets no application place its windows: there
 * each is only sized to half the screen, and the compositor places them. */
static void
place_half (GtkWindow          *window,
            const GdkRectangle *area,
            gboolean            right)
{
  gtk_window_set_default_size (window, area->width / 2, area->height);
#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (gtk_widget_get_display (GTK_WIDGET (window))))
    {
      Placement *placement = g_new (Placement, 1);

      placement->area = *area;
      placement->right = right;
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &placement->width, NULL, NULL, NULL);
      placement->width = MAX (placement->width, area->width / 2);
      g_signal_connect_data (window, "map", G_CALLBACK (on_mapped), placement,
                             (GClosureNotify) (void (*) (void)) g_free, 0);
    }
#endif
  gtk_window_present (window);
}

/* ---- the other window of a pair ---- */

static void
on_link_broken (SpWindow     *self,
                GParamSpec   *pspec,
                SpWindowLink *link)
{
  gtk_widget_set_visible (GTK_WIDGET (self->link_button), FALSE);
}

void
_sp_window_set_link (SpWindow     *self,
                     SpWindowLink *link)
{
  g_set_object (&self->link, link);
  g_object_bind_property (link, "active", self->link_button, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_signal_connect_object (link, "notify::broken", G_CALLBACK (on_link_broken), self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (GTK_WIDGET (self->link_button), !sp_window_link_get_broken (link));
}

SpWindowLink *
sp_window_get_link (SpWindow *self)
{
  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);

  return self->link;
}

/* Why two profiles are not compared, as a dialog: the user asked for something that was not
 * done. */
void
_sp_window_show_refusal (SpWindow   *self,
                         const char *reason)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cannot Compare These Profiles"), reason);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- where a comparison opens ---- */

static SpProfileView *
find_view_for_profile (SpWindow  *self,
                       SpProfile *profile)
{
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i));

      if (SP_IS_PROFILE_VIEW (child) && sp_profile_view_get_profile (SP_PROFILE_VIEW (child)) == profile)
        return SP_PROFILE_VIEW (child);
    }
  return NULL;
}

/* A window showing profile; unsaved while its tab here is, so that closing either asks (the tab
 * here keeps it in the autosave folder: no second copy there). */
static SpWindow *
open_profile_window (SpWindow   *self,
                     SpProfile  *profile,
                     const char *title)
{
  SpWindow *window = sp_window_new (gtk_window_get_application (GTK_WINDOW (self)));
  SpProfileView *source = find_view_for_profile (self, profile);
  SpProfileView *view = _sp_window_append_profile (window, profile, title);

  sp_profile_view_set_unsaved (view, source != NULL && sp_profile_view_get_unsaved (source));
  return window;
}

static void
open_two_windows (SpWindow   *self,
                  SpProfile  *baseline,
                  const char *baseline_title,
                  SpProfile  *current,
                  const char *current_title)
{
  g_autofree char *baseline_text = g_strdup_printf (_("Baseline: %s"), baseline_title);
  g_autofree char *current_text = g_strdup_printf (_("New: %s"), current_title);
  SpWindow *left = open_profile_window (self, baseline, baseline_text);
  SpWindow *right = open_profile_window (self, current, current_text);
  g_autoptr(SpWindowLink) link = sp_window_link_new (left, right);
  GdkRectangle area;

  _sp_window_set_link (left, link);
  _sp_window_set_link (right, link);
  get_work_area (GTK_WINDOW (self), &area);
  place_half (GTK_WINDOW (left), &area, FALSE);
  place_half (GTK_WINDOW (right), &area, TRUE);
}

gboolean
sp_window_compare (SpWindow         *self,
                   SpProfile        *baseline,
                   const char       *baseline_title,
                   SpProfile        *current,
                   const char       *current_title,
                   SpCompareTarget   target,
                   GError          **error)
{
  SpWindow *window = self;

  g_return_val_if_fail (SP_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (SP_IS_PROFILE (baseline) && SP_IS_PROFILE (current), FALSE);

  if (!sp_profile_check_comparable (baseline, current, NULL, error))
    return FALSE;

  if (target == SP_COMPARE_IN_TWO_WINDOWS)
    {
      open_two_windows (self, baseline, baseline_title, current, current_title);
      return TRUE;
    }
  if (target == SP_COMPARE_IN_NEW_WINDOW)
    window = sp_window_new (gtk_window_get_application (GTK_WINDOW (self)));
  _sp_window_append_comparison (window,
                                SP_COMPARE_VIEW (sp_compare_view_new (baseline, baseline_title, current, current_title)));
  if (window != self)
    gtk_window_present (GTK_WINDOW (window));
  return TRUE;
}

/* ---- two files ---- */

typedef struct
{
  GFile     *files[2];
  SpProfile *profiles[2];
  GError    *error;     /* the first file that could not be read */
  guint      pending;
} CompareFiles;

static void
compare_files_free (CompareFiles *data)
{
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&data->files[i]);
      g_clear_object (&data->profiles[i]);
    }
  g_clear_error (&data->error);
  g_free (data);
}

static void
compare_loaded_files (GTask *task)
{
  SpWindow *self = g_task_get_source_object (task);
  CompareFiles *data = g_task_get_task_data (task);
  g_autofree char *baseline_name = g_file_get_basename (data->files[0]);
  g_autofree char *current_name = g_file_get_basename (data->files[1]);
  GError *error = NULL;

  if (data->error != NULL)
    {
      sp_window_show_error (self, _("Could not compare the profiles"), data->error->message);
      g_task_return_error (task, g_steal_pointer (&data->error));
      return;
    }
  if (!sp_window_compare (self, data->profiles[0], baseline_name, data->profiles[1], current_name,
                          SP_COMPARE_IN_TAB, &error))
    {
      /* the profiles are shown, each in a tab, with the reason they are not compared */
      sp_window_open_file (self, data->files[0]);
      sp_window_open_file (self, data->files[1]);
      _sp_window_show_refusal (self, error->message);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  GTask *task;
  guint  index;
} FileLoad;

static void
on_file_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  FileLoad *load = user_data;
  g_autoptr(GTask) task = load->task;
  CompareFiles *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint index = load->index;

  g_free (load);
  data->profiles[index] = sp_profile_task_load_finish (result, &error);
  if (data->profiles[index] == NULL && data->error == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (data->files[index]);

      data->error = g_error_new (error->domain, error->code, _("“%s”: %s"), name, error->message);
    }
  if (--data->pending == 0)
    compare_loaded_files (task);
}

/* Reads both files and compares them in a tab of this window; when they cannot be compared,
 * opens each in a tab and says why.  Fails with the reason. */
void
sp_window_compare_files_async (SpWindow            *self,
                               GFile               *baseline,
                               GFile               *current,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CompareFiles *data;

  g_return_if_fail (SP_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (baseline) && G_IS_FILE (current));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sp_window_compare_files_async);
  data = g_new0 (CompareFiles, 1);
  data->files[0] = g_object_ref (baseline);
  data->files[1] = g_object_ref (current);
  data->pending = 2;
  g_task_set_task_data (task, data, (GDestroyNotify) compare_files_free);
  for (guint i = 0; i < 2; i++)
    {
      FileLoad *load = g_new (FileLoad, 1);

      load->task = g_object_ref (task);
      load->index = i;
      sp_profile_task_load_async (data->files[i], NULL, NULL, NULL, on_file_loaded, load);
    }
}

gboolean
sp_window_compare_files_finish (SpWindow      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
