/* sp-application.c: the application: windows, app actions, opening files */
#define G_LOG_DOMAIN "sp-application"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-application.h"
#include "sp-preferences-window.h"
#include "sp-settings.h"
#include "sp-window.h"

struct _SpApplication
{
  AdwApplication  parent_instance;
  gboolean        restore_offered;

  /* Owned */
  GSettings      *settings;   /* NULL when the schema is not installed */
};

G_DEFINE_FINAL_TYPE (SpApplication, sp_application, ADW_TYPE_APPLICATION)

/* The most recently focused main window (the active one may be a dialog), or a new one. */
static SpWindow *
get_or_create_window (SpApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SP_IS_WINDOW (l->data))
      return SP_WINDOW (l->data);
  return sp_window_new (GTK_APPLICATION (self));
}

static void
sp_application_activate (GApplication *application)
{
  SpApplication *self = SP_APPLICATION (application);
  SpWindow *window = get_or_create_window (self);

  /* A plain launch brings back the last session, or on first launch the demo one. */
  sp_window_open_initial_session (window);
  gtk_window_present (GTK_WINDOW (window));
  /* once per run: what a crash or a kill left unsaved */
  if (!self->restore_offered)
    {
      self->restore_offered = TRUE;
      sp_window_offer_restore (window);
    }
}

static void
sp_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  SpWindow *window = get_or_create_window (SP_APPLICATION (application));

  for (int i = 0; i < n_files; i++)
    sp_window_open_file (window, files[i]);
  gtk_window_present (GTK_WINDOW (window));
}

/* ---- the command line ---- */

static const GOptionEntry options[] = {
  { "compare", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open a comparison window of the two profiles given: BASELINE NEW"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE…]") },
  { NULL }
};

static void
on_compared (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GApplicationCommandLine) command_line = user_data;
  g_autoptr(GError) error = NULL;

  /* the window says it too; the command line hears it once the files are read */
  if (!sp_window_compare_files_finish (SP_WINDOW (object), result, &error))
    {
      g_application_command_line_printerr (command_line, _("sbcl-profiler: cannot compare: %s\n"), error->message);
      g_application_command_line_set_exit_status (command_line, 1);
    }
}

static int
compare_files (SpApplication           *self,
               GApplicationCommandLine *command_line,
               const char * const      *paths)
{
  g_autoptr(GFile) baseline = NULL;
  g_autoptr(GFile) current = NULL;
  SpWindow *window;

  if (paths == NULL || g_strv_length ((char **) paths) != 2)
    {
      g_application_command_line_printerr (command_line, "%s\n",
                                           _("sbcl-profiler: --compare takes two profiles: BASELINE NEW"));
      return 1;
    }
  baseline = g_application_command_line_create_file_for_arg (command_line, paths[0]);
  current = g_application_command_line_create_file_for_arg (command_line, paths[1]);
  window = sp_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
  sp_window_compare_files_async (window, baseline, current, on_compared, g_object_ref (command_line));
  return 0;
}

/* Files open in tabs, `--compare BASELINE NEW` in a comparison window of its own; a remote
 * launch passes its command line to the running instance. */
static int
sp_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  GVariantDict *dict = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **paths = NULL;
  gboolean compare = FALSE;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_variant_dict_lookup (dict, "compare", "b", &compare);
  g_variant_dict_lookup (dict, G_OPTION_REMAINING, "^a&ay", &paths);
  if (compare)
    return compare_files (SP_APPLICATION (application), command_line, paths);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line, paths[i]));
  if (files->len > 0)
    g_application_open (application, (GFile **) files->pdata, files->len, "");
  else
    g_application_activate (application);
  return 0;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *application = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (application));

  /* Each window asks before dropping unsaved profiles; the application ends with the last. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (sp_window_new (GTK_APPLICATION (user_data))));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The SBCL Profiler developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (user_data)),
                         "application-name", _("SBCL Profiler"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Find where your Steel Bank Common Lisp programs spend their time and memory"),
                         "developer-name", _("The SBCL Profiler developers"),
                         "developers", developers,
                         "website", "https://github.com/sbclprofiler/sbcl-profiler",
                         "issue-url", "https://github.com/sbclprofiler/sbcl-profiler/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", _("© 2026 The SBCL Profiler developers"),
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  SpApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (sp_preferences_window_new (parent, self->settings)));
}

/* Follow the system, or force light or dark, as Preferences says. */
static void
apply_color_scheme (SpApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint choice = sp_settings_get_choice (self->settings, "color-scheme", sp_preferences_color_schemes);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[MIN (choice, 2)]);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "preferences", preferences_action },
  { "about", about_action },
};

/* Every keyboard shortcut of the application, in one place. */
static const struct
{
  const char *action;
  const char *accels[3];
} shortcuts[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Control><Shift>s", NULL } },
  { "win.close-tab", { "<Control>w", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.go-back", { "<Alt>Left", NULL } },
  { "win.go-forward", { "<Alt>Right", NULL } },
  { "win.record", { "<Control>r", NULL } },
  { "win.new-session", { "<Control><Shift>n", NULL } },
};

static void
sp_application_startup (GApplication *application)
{
  SpApplication *self = SP_APPLICATION (application);

  G_APPLICATION_CLASS (sp_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (application),
                                           shortcuts[i].action, shortcuts[i].accels);

  self->settings = sp_settings_new ();
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (application), "preferences")),
                               self->settings != NULL);
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::color-scheme", G_CALLBACK (apply_color_scheme), self,
                               G_CONNECT_SWAPPED);
      apply_color_scheme (self);
    }
}

static void
sp_application_dispose (GObject *object)
{
  g_clear_object (&SP_APPLICATION (object)->settings);

  G_OBJECT_CLASS (sp_application_parent_class)->dispose (object);
}

static void
sp_application_class_init (SpApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sp_application_dispose;
  application_class->activate = sp_application_activate;
  application_class->open = sp_application_open;
  application_class->command_line = sp_application_command_line;
  application_class->startup = sp_application_startup;
}

static void
sp_application_init (SpApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

SpApplication *
sp_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  return g_object_new (SP_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/sbclprofiler/SbclProfiler",
                       NULL);
}
