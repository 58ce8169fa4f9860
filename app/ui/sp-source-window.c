/* sp-source-window.c: a function's source file, read-only, at its line
 *
 * Open Source hands the file to the default application; when that fails (a terminal editor
 * with no terminal, no application at all), the file shows here: numbered lines, the
 * function's line highlighted and in view, its share of the samples above.
 */
#define G_LOG_DOMAIN "sp-source-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sp-source-window.h"
#include "sp-toast.h"

#define MAX_SOURCE_SIZE (16 * 1024 * 1024)

struct _SpSourceWindow
{
  AdwWindow       parent_instance;

  guint           line;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkLabel       *figures_label;
  GtkLabel       *reason_label;
  GtkTextView    *text_view;
};

G_DEFINE_FINAL_TYPE (SpSourceWindow, sp_source_window, ADW_TYPE_WINDOW)

/* Line numbers in a tag of their own: dim, and not part of the text's look. */
static void
fill_buffer (SpSourceWindow *self,
             const char     *contents)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  guint n = g_strv_length (lines);
  int width = n > 0 ? (int) log10 (n) + 1 : 1;
  GtkTextIter end;

  gtk_text_buffer_create_tag (buffer, "line-number", "foreground", "#888888", NULL);
  gtk_text_buffer_create_tag (buffer, "current-line", "paragraph-background", "rgba(229,165,10,0.25)",
                              "weight", PANGO_WEIGHT_BOLD, NULL);
  /* a file ending in a newline has no line after it */
  if (n > 1 && lines[n - 1][0] == '\0')
    n--;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *number = g_strdup_printf ("%*u  ", width, i + 1);

      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, number, -1, "line-number", NULL);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, lines[i], -1);
      if (i + 1 < n)
        {
          gtk_text_buffer_get_end_iter (buffer, &end);
          gtk_text_buffer_insert (buffer, &end, "\n", 1);
        }
    }
}

static void
mark_line (SpSourceWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  if (self->line == 0 || self->line > (guint) gtk_text_buffer_get_line_count (buffer))
    return;
  gtk_text_buffer_get_iter_at_line (buffer, &start, self->line - 1);
  end = start;
  gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_apply_tag_by_name (buffer, "current-line", &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_buffer_create_mark (buffer, "function", &start, TRUE);
}

static gboolean
scroll_to_line (gpointer data)
{
  SpSourceWindow *self = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, "function");

  if (mark != NULL)
    gtk_text_view_scroll_to_mark (self->text_view, mark, 0, TRUE, 0, 0.3);
  return G_SOURCE_REMOVE;
}

/* The view can only scroll once its lines have their heights: after the first layout. */
static void
on_map (SpSourceWindow *self)
{
  g_idle_add_full (G_PRIORITY_LOW, scroll_to_line, g_object_ref (self), g_object_unref);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
sp_source_window_class_init (SpSourceWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sbclprofiler/SbclProfiler/sp-source-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpSourceWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SpSourceWindow, figures_label);
  gtk_widget_class_bind_template_child (widget_class, SpSourceWindow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, SpSourceWindow, text_view);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sp_source_window_init (SpSourceWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

SpSourceWindow *
sp_source_window_new (GtkWindow   *parent,
                      const char  *function,
                      const char  *path,
                      guint        line,
                      const char  *figures,
                      const char  *reason,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *location = NULL;
  g_autofree char *title = NULL;
  SpSourceWindow *self;
  gsize length;

  g_return_val_if_fail (function != NULL && path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (length > MAX_SOURCE_SIZE || !g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a text file of a readable size"), path);
      return NULL;
    }

  self = g_object_new (SP_TYPE_SOURCE_WINDOW, "transient-for", parent, NULL);
  self->line = line;
  /* Translators: the title of the source window: a function's name */
  title = g_strdup_printf (_("Source of %s"), function);
  location = line > 0 ? g_strdup_printf ("%s:%u", path, line) : g_strdup (path);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, function);
  adw_window_title_set_subtitle (self->window_title, location);
  gtk_label_set_label (self->figures_label, figures);
  gtk_label_set_label (self->reason_label, reason);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL);
  fill_buffer (self, contents);
  mark_line (self);
  return self;
}

guint
sp_source_window_get_line (SpSourceWindow *self)
{
  g_return_val_if_fail (SP_IS_SOURCE_WINDOW (self), 0);

  return self->line;
}

GtkTextView *
sp_source_window_get_text_view (SpSourceWindow *self)
{
  g_return_val_if_fail (SP_IS_SOURCE_WINDOW (self), NULL);

  return self->text_view;
}

/* ---- Open Source ---- */

typedef struct
{
  GWeakRef  origin;
  char     *function;
  char     *path;
  guint     line;
  char     *figures;
} OpenRequest;

static void
open_request_free (OpenRequest *request)
{
  g_weak_ref_clear (&request->origin);
  g_free (request->function);
  g_free (request->path);
  g_free (request->figures);
  g_free (request);
}

/* No application could open the file: it shows here, read-only. */
static void
show_here (GtkWidget   *origin,
           OpenRequest *request,
           const char  *launch_error)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  SpSourceWindow *window;

  /* Translators: why the source shows in the app's own window */
  reason = g_strdup_printf (_("Read-only: no application could open the file (%s)"), launch_error);
  window = sp_source_window_new (GTK_WINDOW (gtk_widget_get_root (origin)), request->function, request->path,
                                 request->line, request->figures, reason, &error);
  if (window == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the source: %s"), error->message);

      sp_toast_show (origin, message);
      return;
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_launched (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  OpenRequest *request = user_data;
  g_autoptr(GtkWidget) origin = g_weak_ref_get (&request->origin);
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) && origin != NULL)
    show_here (origin, request, error->message);
  open_request_free (request);
}

/* The editors that open "+LINE FILE" at that line.  (GNOME Text Editor 43 takes no line.) */
static const char * const line_editors[] = { "gedit", "emacs", "gvim", NULL };

/* Opens file at line when the default application for it is one of line_editors. */
static gboolean
open_at_line (GFile             *file,
              guint              line,
              GAppLaunchContext *context)
{
  g_autofree char *type = g_content_type_guess (g_file_peek_path (file), NULL, 0, NULL);
  g_autoptr(GAppInfo) editor = g_app_info_get_default_for_type (type, FALSE);
  g_autoptr(GAppInfo) at_line = NULL;
  g_autofree char *name = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *command = NULL;
  GList files = { file, NULL, NULL };

  if (editor == NULL || line == 0 || g_app_info_get_executable (editor) == NULL)
    return FALSE;
  name = g_path_get_basename (g_app_info_get_executable (editor));
  if (!g_strv_contains (line_editors, name))
    return FALSE;

  /* GIO appends the file as %f */
  quoted = g_shell_quote (g_app_info_get_executable (editor));
  command = g_strdup_printf ("%s +%u", quoted, line);
  at_line = g_app_info_create_from_commandline (command, g_app_info_get_name (editor), G_APP_INFO_CREATE_NONE, NULL);
  return at_line != NULL && g_app_info_launch (at_line, &files, context, NULL);
}

void
sp_source_window_open (GtkWidget  *origin,
                       const char *function,
                       const char *path,
                       guint       line,
                       const char *figures)
{
  g_autoptr(GAppLaunchContext) context = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  OpenRequest *request;

  g_return_if_fail (GTK_IS_WIDGET (origin));
  g_return_if_fail (function != NULL && path != NULL);

  file = g_file_new_for_path (path);
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (origin)));
  if (open_at_line (file, line, context))
    return;

  request = g_new0 (OpenRequest, 1);
  g_weak_ref_init (&request->origin, origin);
  request->function = g_strdup (function);
  request->path = g_strdup (path);
  request->line = line;
  request->figures = g_strdup (figures);
  uri = g_file_get_uri (file);
  g_app_info_launch_default_for_uri_async (uri, context, NULL, on_launched, request);
}
