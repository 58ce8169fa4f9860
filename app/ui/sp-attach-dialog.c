/* sp-attach-dialog.c: choosing a running SBCL image to attach to
 *
 * Lists the images of this user that listen for the profiler (sp_attach_list_images), looking
 * again every two seconds while open, says how to make a program listen, and loads the agent
 * through a Swank server for a REPL under SLIME or Sly.
 */
#define G_LOG_DOMAIN "sp-attach-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-attach-dialog.h"
#include "sp-session.h"

#define REFRESH_SECONDS 2

struct _SpAttachDialog
{
  AdwWindow     parent_instance;

  /* Owned */
  GCancellable *swank_cancellable;
  guint         refresh_id;
  char         *listed;        /* the sockets listed, to rebuild the list only when it changes */

  /* Template widgets */
  GtkListBox   *image_list;
  GtkLabel     *howto_label;
  AdwEntryRow  *swank_entry;
  GtkStack     *swank_stack;
  GtkLabel     *swank_error;
};

G_DEFINE_FINAL_TYPE (SpAttachDialog, sp_attach_dialog, ADW_TYPE_WINDOW)

enum { ATTACH, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
choose (SpAttachDialog *self,
        const char     *target)
{
  g_signal_emit (self, signals[ATTACH], 0, target);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_attach_clicked (GtkButton      *button,
                   SpAttachDialog *self)
{
  choose (self, g_object_get_data (G_OBJECT (button), "sp-socket"));
}

static char *
describe_uptime (gint64 started)
{
  gint64 seconds = MAX (0, g_get_real_time () / G_USEC_PER_SEC - started);

  if (seconds < 60)
    return g_strdup (_("up less than a minute"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "up %d minute", "up %d minutes",
                                         seconds / 60), (int) (seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "up %d hour", "up %d hours",
                                         seconds / 3600), (int) (seconds / 3600));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "up %d day", "up %d days",
                                       seconds / 86400), (int) (seconds / 86400));
}

static GtkWidget *
create_image_row (SpAttachDialog     *self,
                  const SpAttachable *image)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Attach"));
  g_autofree char *title = g_markup_printf_escaped (_("%s — process %d"), image->name,
                                                    (int) image->pid);
  g_autofree char *uptime = describe_uptime (image->started);
  g_autofree char *subtitle =
    image->working_dir != NULL
      ? g_markup_printf_escaped ("SBCL %s · %s · %s", image->sbcl_version, uptime, image->working_dir)
      : g_markup_printf_escaped ("SBCL %s · %s", image->sbcl_version, uptime);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, image->socket_path);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "sp-socket", g_strdup (image->socket_path), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_attach_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

static GtkWidget *
create_empty_row (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No program is listening"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Make one listen as shown below; it appears here by itself."));
  gtk_widget_add_css_class (row, "dim-label");
  return row;
}

static char *
list_key (GPtrArray *images)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < images->len; i++)
    g_string_append_printf (key, "%s\n", ((SpAttachable *) g_ptr_array_index (images, i))->socket_path);
  return g_string_free (key, FALSE);
}

void
sp_attach_dialog_refresh (SpAttachDialog *self)
{
  g_autoptr(GPtrArray) images = sp_attach_list_images ();
  g_autofree char *key = list_key (images);
  GtkWidget *child;

  g_return_if_fail (SP_IS_ATTACH_DIALOG (self));

  /* rebuilding an unchanged list would take the keyboard focus away every two seconds */
  if (self->listed != NULL && g_str_equal (key, self->listed))
    return;
  g_free (self->listed);
  self->listed = g_steal_pointer (&key);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->image_list))) != NULL)
    gtk_list_box_remove (self->image_list, child);
  for (guint i = 0; i < images->len; i++)
    gtk_list_box_append (self->image_list, create_image_row (self, g_ptr_array_index (images, i)));
  if (images->len == 0)
    gtk_list_box_append (self->image_list, create_empty_row ());
}

static gboolean
refresh_tick (gpointer data)
{
  sp_attach_dialog_refresh (SP_ATTACH_DIALOG (data));
  return G_SOURCE_CONTINUE;
}

static void
on_swank_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SpAttachDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *socket = sp_swank_load_agent_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_stack_set_visible_child_name (self->swank_stack, "button");
  gtk_widget_set_sensitive (GTK_WIDGET (self->swank_entry), TRUE);
  if (socket == NULL)
    {
      gtk_label_set_text (self->swank_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->swank_error), TRUE);
      return;
    }
  choose (self, socket);
}

static void
on_connect_swank (SpAttachDialog *self)
{
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->swank_entry))));

  if (*address == '\0')
    {
      gtk_label_set_text (self->swank_error, _("Type the address of the Swank server, such as localhost:4005"));
      gtk_widget_set_visible (GTK_WIDGET (self->swank_error), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->swank_error), FALSE);
  gtk_stack_set_visible_child_name (self->swank_stack, "busy");
  gtk_widget_set_sensitive (GTK_WIDGET (self->swank_entry), FALSE);
  g_cancellable_cancel (self->swank_cancellable);
  g_clear_object (&self->swank_cancellable);
  self->swank_cancellable = g_cancellable_new ();
  sp_swank_load_agent_async (address, self->swank_cancellable, on_swank_loaded,
                             g_object_ref (self));
}

SpAttachDialog *
sp_attach_dialog_new (GtkWindow *parent)
{
  return g_object_new (SP_TYPE_ATTACH_DIALOG, "transient-for", parent, NULL);
}

static void
sp_attach_dialog_dispose (GObject *object)
{
  SpAttachDialog *self = SP_ATTACH_DIALOG (object);

  g_cancellable_cancel (self->swank_cancellable);
  g_clear_object (&self->swank_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->listed, g_free);

  G_OBJECT_CLASS (sp_attach_dialog_parent_class)->dispose (object);
}

static void
sp_attach_dialog_class_init (SpAttachDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_attach_dialog_dispose;

  signals[ATTACH] = g_signal_new ("attach", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sbclprofiler/SbclProfiler/sp-attach-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SpAttachDialog, image_list);
  gtk_widget_class_bind_template_child (widget_class, SpAttachDialog, howto_label);
  gtk_widget_class_bind_template_child (widget_class, SpAttachDialog, swank_entry);
  gtk_widget_class_bind_template_child (widget_class, SpAttachDialog, swank_stack);
  gtk_widget_class_bind_template_child (widget_class, SpAttachDialog, swank_error);
  gtk_widget_class_bind_template_callback (widget_class, sp_attach_dialog_refresh);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_swank);
}

static void
sp_attach_dialog_init (SpAttachDialog *self)
{
  g_autofree char *lisp_dir = sp_session_get_lisp_dir ();
  g_autofree char *boot = g_build_filename (lisp_dir, "agent", "boot.lisp", NULL);
  g_autofree char *howto = g_strdup_printf ("(load \"%s\")\n(sbcl-profiler-agent:listen)", boot);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_label_set_text (self->howto_label, howto);
  self->swank_cancellable = g_cancellable_new ();
  sp_attach_dialog_refresh (self);
  self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_tick, self);
}
