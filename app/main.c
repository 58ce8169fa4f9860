/* main.c: the sbcl-profiler executable: a subcommand runs headless, anything else opens the app */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sp-application.h"
#include "sp-cli.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SpApplication) app = NULL;
  /* run from the build folder, translations are there (./dev.sh run, the tests) */
  const char *localedir = g_getenv ("SP_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && sp_cli_is_command (argv[1]))
    return sp_cli_main (argc, argv);

  g_set_application_name (_("SBCL Profiler"));
  app = sp_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
