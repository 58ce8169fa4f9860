/* test-translated-window.c: the window speaks the language of LANGUAGE, from the catalogues
 * built into build/po (SP_LOCALEDIR), as it does when installed */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "sp-window-test-util.h"

typedef struct
{
  const char *language;
  const char *empty_title;   /* the empty window's status page */
  const char *no_sessions;   /* the empty sessions sidebar */
  const char *open_label;    /* the header bar's Open button, with its mnemonic */
} Expected;

/* Written here by hand, not read from the catalogues: a missing or broken translation fails. */
static const Expected german = {
  "de", "Ein Profil aufzeichnen oder öffnen", "Keine Sitzungen", "Ö_ffnen",
};
static const Expected french = {
  "fr", "Capturer ou ouvrir un profil", "Aucune session", "_Ouvrir",
};

typedef struct
{
  SpApplication *app;
  char          *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Expected *expected = data;

  /* gettext reads LANGUAGE on each lookup; textdomain () drops what it had cached */
  g_setenv ("LANGUAGE", expected->language, TRUE);
  textdomain (GETTEXT_PACKAGE);
  f->app = sp_window_test_setup ("io.github.sbclprofiler.SbclProfiler.TestL10n", &f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sp_window_test_teardown (&f->app, &f->dir);
  g_unsetenv ("LANGUAGE");
  textdomain (GETTEXT_PACKAGE);
}

/* A button anywhere under widget whose label (with its mnemonic) is label. */
static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  if (ADW_IS_SPLIT_BUTTON (widget) && g_strcmp0 (adw_split_button_get_label (ADW_SPLIT_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_window_speaks (Fixture       *f,
                    gconstpointer  data)
{
  const Expected *expected = data;
  SpWindow *window = sp_window_new (GTK_APPLICATION (f->app));

  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), expected->empty_title));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), expected->no_sessions));
  g_assert_null (find_label_containing (GTK_WIDGET (window), "Record or Open a Profile"));
  g_assert_nonnull (find_button_labelled (GTK_WIDGET (window), expected->open_label));
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("SP_LOCALEDIR");

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* gtk_test_init () chose a locale of its own; in the "C" locale gettext ignores LANGUAGE,
   * in C.UTF-8 the language is LANGUAGE's alone, as for `LANGUAGE=de LC_ALL=C.UTF-8 sbcl-profiler` */
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/Translations/window/de", Fixture, &german, fixture_setup, test_window_speaks, fixture_teardown);
  g_test_add ("/Translations/window/fr", Fixture, &french, fixture_setup, test_window_speaks, fixture_teardown);

  return g_test_run ();
}
