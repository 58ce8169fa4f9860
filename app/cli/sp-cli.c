/* sp-cli.c: dispatch of the headless subcommands */
#define G_LOG_DOMAIN "sp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sp-cli.h"
#include "sp-cli-private.h"
#include "sp-profile-io.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} SpCliCommand;

static const SpCliCommand commands[] = {
  { "record", sp_cli_record, N_("Run a form in SBCL and record a profile") },
  { "report", sp_cli_report, N_("Print a profile as a flat table, callers and callees, a tree, folded stacks or JSON") },
  { "diff",   sp_cli_diff,   N_("Compare a baseline profile with a new one; fail on a regression") },
  { "export", sp_cli_export, N_("Convert a profile to another format") },
  { "list",   sp_cli_list,   N_("List the running SBCL images that the profiler can attach to") },
  { "agent-path", sp_cli_agent_path, N_("Print the file to load into an SBCL image to attach to it") },
};

gboolean
sp_cli_is_command (const char *arg)
{
  if (arg == NULL)
    return FALSE;
  if (g_str_equal (arg, "help") || g_str_equal (arg, "--help") || g_str_equal (arg, "-h") ||
      g_str_equal (arg, "--version"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (arg, commands[i].name))
      return TRUE;
  return FALSE;
}

static void
print_usage (FILE *out)
{
  fprintf (out, _("Usage: sbcl-profiler [FILE…]          open the app (with profiles)\n"
                  "       sbcl-profiler --compare BASELINE NEW  open the app with their comparison\n"
                  "       sbcl-profiler COMMAND [OPTION…] run headless\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, _("\nRun “sbcl-profiler COMMAND --help” for a command’s options.\n"));
}

int
sp_cli_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "sbcl-profiler: %s\n", message);
  return 1;
}

void
sp_cli_print_more_functions (guint more)
{
  printf (g_dngettext (GETTEXT_PACKAGE, "(%u more function; use --top)\n",
                       "(%u more functions; use --top)\n", more), more);
}

void
sp_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

void
sp_cli_json_number (JsonBuilder *builder,
                    const char  *key,
                    double       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_double_value (builder, value);
}

SpProfile *
sp_cli_load_profile (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  SpProfile *profile;

  profile = sp_profile_load (file, NULL, NULL, NULL, &error);
  if (profile == NULL)
    sp_cli_fail ("%s", error->message);
  return profile;
}

int
sp_cli_main (int    argc,
             char **argv)
{
  const char *name = argc > 1 ? argv[1] : NULL;

  if (name == NULL || g_str_equal (name, "help") || g_str_equal (name, "--help") ||
      g_str_equal (name, "-h"))
    {
      print_usage (stdout);
      return 0;
    }
  if (g_str_equal (name, "--version"))
    {
      printf ("sbcl-profiler %s\n", PACKAGE_VERSION);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  sp_cli_fail (_("unknown command “%s”"), name);
  print_usage (stderr);
  return 2;
}
