/* sp-application.c: the application: windows, app actions, opening files */
#define G_LOG_DOMAIN "sp-application"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-application.h"
#include "sp-window.h"

struct _SpApplication
{
  AdwApplication parent_instance;
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
  SpWindow *window = get_or_create_window (SP_APPLICATION (application));

  /* A plain launch brings back the last session, or on first launch the demo one. */
  sp_window_open_initial_session (window);
  gtk_window_present (GTK_WINDOW (window));
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
                         "copyright", "© 2026 The SBCL Profiler developers",
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
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
  G_APPLICATION_CLASS (sp_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (application),
                                           shortcuts[i].action, shortcuts[i].accels);
}

static void
sp_application_class_init (SpApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->activate = sp_application_activate;
  application_class->open = sp_application_open;
  application_class->startup = sp_application_startup;
}

static void
sp_application_init (SpApplication *self)
{
}

SpApplication *
sp_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  return g_object_new (SP_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/sbclprofiler/SbclProfiler",
                       NULL);
}
