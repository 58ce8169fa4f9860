/* sp-cli-private.h: one function per subcommand; argv[0] is the subcommand's name */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-analysis.h"
#include "sp-profile-io.h"

G_BEGIN_DECLS

/* Exit statuses besides 0 and 1 (README.md, "Exit status"). */
#define SP_CLI_EXIT_PARTIAL 4   /* record: SBCL died; what was recorded until then was written */

int        sp_cli_record (int argc, char **argv);
int        sp_cli_report (int argc, char **argv);
int        sp_cli_export (int argc, char **argv);
int        sp_cli_diff   (int argc, char **argv);
/* sp-cli-attach.c */
int        sp_cli_list          (int argc, char **argv);
int        sp_cli_agent_path    (int argc, char **argv);
int        sp_cli_record_attach (int argc, char **argv);

/* What `report` does once the profile is loaded; path names it in messages, metric_name may be
 * NULL (the profile's own metric), raw prints bytes as plain numbers.  Returns the exit status. */
int        sp_cli_report_profile (SpProfile  *profile,
                                  const char *path,
                                  const char *format,
                                  const char *function,
                                  SpFlatSort  sort,
                                  guint       top,
                                  const char *metric_name,
                                  double      min_percent,
                                  gboolean    raw);

/* The options of `export`; the graph's only count for --to svg|png. */
typedef struct
{
  char     *output;
  char     *title;
  int       width;
  double    min_width;
  gboolean  inverted;
  gboolean  reverse;
  char     *colors;
  char     *metric;
  const char *name;   /* the profile's, the title without --title */
} SpGraphArgs;

int        sp_cli_export_graph (SpProfile         *profile,
                                const char        *to,
                                const SpGraphArgs *args);

/* Prints "sbcl-profiler: MESSAGE" on stderr; returns the exit status to use (1). */
int        sp_cli_fail         (const char *format,
                                ...) G_GNUC_PRINTF (1, 2);
/* Under a table cut at --top: how many functions were left out. */
void       sp_cli_print_more_functions (guint more);
/* Prints the builder's document, pretty, on stdout. */
void       sp_cli_print_json   (JsonBuilder *builder);
/* Adds "key": value to the object being built. */
void       sp_cli_json_number  (JsonBuilder *builder,
                                const char  *key,
                                double       value);
/* Writes profile to stdout in format; errors on stderr, returns the exit status. */
int        sp_cli_write_to_stdout (SpProfile    *profile,
                                   SpFileFormat  format);
/* sp-cli-report-memory.c: bytes as "395.0 MB", or plain with raw */
char      *sp_cli_bytes        (double       bytes,
                                gboolean     raw);
/* The summary lines about memory: estimates, instrumented code, GC. */
void       sp_cli_print_memory_notes (SpProfile *profile,
                                      gboolean   raw);
/* `report --format alloc`: allocations per function (with its types) and per type, and the
 * heap retained; returns the exit status. */
int        sp_cli_print_alloc_report (SpProfile  *profile,
                                      const char *path,
                                      guint       top,
                                      gboolean    raw);
/* Members "bytes_estimated", "allocations", "gc" and "heap" of `report --format json`. */
void       sp_cli_add_memory_json    (JsonBuilder *builder,
                                      SpProfile   *profile,
                                      guint        top);
/* Loads any supported profile file, reporting errors on stderr (NULL then). */
SpProfile *sp_cli_load_profile (const char *path);

G_END_DECLS
