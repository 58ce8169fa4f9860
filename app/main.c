/* main.c: the sbcl-profiler executable: a subcommand runs headless, anything else opens the app */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sp-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Until the window exists every invocation is headless. */
  return sp_cli_main (argc, argv);
}
