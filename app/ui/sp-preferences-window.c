/* sp-preferences-window.c: the Preferences window: recording defaults, SBCL, appearance,
 * flame graphs
 *
 * Every row is bound to its key: a change is stored at once and read where it applies (new
 * sessions, new flame graphs, the application's style).
 */
#define G_LOG_DOMAIN "sp-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-preferences-window.h"
#include "sp-settings.h"

const char * const sp_preferences_record_modes[] = { "cpu", "alloc", "time", "deterministic", NULL };
const char * const sp_preferences_color_schemes[] = { "default", "light", "dark", NULL };
const char * const sp_preferences_flame_colors[] = { "hot", "package", "kind", NULL };

struct _SpPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Owned */
  GSettings            *settings;

  /* Template widgets */
  AdwComboRow          *mode_row;
  GtkSpinButton        *interval_spin;
  GtkSpinButton        *max_samples_spin;
  AdwPreferencesGroup  *sbcl_group;
  AdwEntryRow          *sbcl_row;
  AdwComboRow          *style_row;
  GtkSwitch            *icicle_switch;
  AdwComboRow          *colors_row;
  GtkSpinButton        *threshold_spin;
};

G_DEFINE_FINAL_TYPE (SpPreferencesWindow, sp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The program is stored as typed; the group says which one that finds, or that none is. */
static void
on_sbcl_changed (SpPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sbcl_row))));
  g_autofree char *found = g_find_program_in_path (*text != '\0' ? text : "sbcl");
  g_autofree char *description = NULL;

  if (found != NULL)
    description = g_strdup_printf (_("New sessions run %s"), found);
  else
    description = g_strdup_printf (_("No SBCL program “%s” was found: install SBCL or give its path"),
                                   *text != '\0' ? text : "sbcl");
  adw_preferences_group_set_description (self->sbcl_group, description);
  if (found != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->sbcl_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->sbcl_row), "error");
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "sbcl-path", text);
}

static void
bind_settings (SpPreferencesWindow *self)
{
  g_autofree char *sbcl = g_settings_get_string (self->settings, "sbcl-path");

  sp_settings_bind_choice (self->settings, "record-mode", self->mode_row, "selected", sp_preferences_record_modes);
  g_settings_bind (self->settings, "record-interval", self->interval_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "record-max-samples", self->max_samples_spin, "value", G_SETTINGS_BIND_DEFAULT);
  sp_settings_bind_choice (self->settings, "color-scheme", self->style_row, "selected", sp_preferences_color_schemes);
  g_settings_bind (self->settings, "flame-icicle", self->icicle_switch, "active", G_SETTINGS_BIND_DEFAULT);
  sp_settings_bind_choice (self->settings, "flame-colors", self->colors_row, "selected", sp_preferences_flame_colors);
  g_settings_bind (self->settings, "flame-threshold", self->threshold_spin, "value", G_SETTINGS_BIND_DEFAULT);
  gtk_editable_set_text (GTK_EDITABLE (self->sbcl_row), sbcl);
  on_sbcl_changed (self);
}

static void
sp_preferences_window_dispose (GObject *object)
{
  SpPreferencesWindow *self = SP_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (sp_preferences_window_parent_class)->dispose (object);
}

static void
sp_preferences_window_class_init (SpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sbclprofiler/SbclProfiler/sp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, mode_row);
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, max_samples_spin);
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, sbcl_group);
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, sbcl_row);
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, icicle_switch);
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, colors_row);
  gtk_widget_class_bind_template_child (widget_class, SpPreferencesWindow, threshold_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_sbcl_changed);
}

static void
sp_preferences_window_init (SpPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sp_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  SpPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (SP_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  bind_settings (self);
  return GTK_WIDGET (self);
}
