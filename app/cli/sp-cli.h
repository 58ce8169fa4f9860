/* sp-cli.h: the headless subcommands (record, report, diff, export) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sp_cli_is_command (const char *arg);
int      sp_cli_main       (int    argc,
                            char **argv);

G_END_DECLS
