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
  const char *open_label;    /* the header bar's Open split button, with its mnemonic */
} Expected;

/* Written here by hand, not read from the catalogues: a missing or broken translation fails. */
static const Expected german = {
  "de", "Ein Profil aufzeichnen oder öffnen", "Keine Sitzungen", "Ö_ffnen",
};
static const Expected french = {
  "fr", "Capturer ou ouvrir un profil", "Aucune session", "_Ouvrir",
};

/* gettext reads LANGUAGE on each lookup; textdomain () drops what it had cached. */
static void
use_language (const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  textdomain (GETTEXT_PACKAGE);
}

static void
test_window_speaks (gconstpointer data)
{
  const Expected *expected = data;
  g_autofree char *dir = NULL;
  SpApplication *app;
  SpWindow *window;
  AdwSplitButton *open_button;

  use_language (expected->language);
  app = sp_window_test_setup ("io.github.sbclprofiler.SbclProfiler.TestL10n", &dir);
  window = sp_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), expected->empty_title));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), expected->no_sessions));
  g_assert_null (find_label_containing (GTK_WIDGET (window), "Record or Open a Profile"));
  open_button = ADW_SPLIT_BUTTON (find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON));
  g_assert_cmpstr (adw_split_button_get_label (open_button), ==, expected->open_label);

  sp_window_test_teardown (&app, &dir);
  use_language (NULL);
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

  g_test_add_data_func ("/Translations/window/de", &german, test_window_speaks);
  g_test_add_data_func ("/Translations/window/fr", &french, test_window_speaks);

  return g_test_run ();
}
