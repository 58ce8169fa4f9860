/* sp-format.h: how the views write numbers, durations and sizes */
#pragma once

#include "sp-memory.h"
#include "sp-profile.h"

G_BEGIN_DECLS

char *sp_format_seconds  (double     seconds);
/* sp_format_bytes() is in sp-memory.h: the CLI writes sizes the same way */
char *sp_format_count    (double     count);
char *sp_format_percent  (double     fraction);
/* "12 functions", or "3 of 12 functions" when a filter hides some */
char *sp_format_function_count (guint shown,
                                guint all);
char *sp_format_weight   (SpProfile *profile,
                          SpMetric   metric,
                          double     weight);
/* Whether bytes per function are estimates, and how they were made (for tooltips). */
gboolean    sp_format_bytes_are_estimated  (SpProfile *profile);
const char *sp_format_estimate_explanation (void);
char       *sp_format_weight_tooltip       (SpProfile *profile,
                                            SpMetric   metric);
char *sp_format_location (const char *file,
                          guint       line);
/* text as a file name that is easy to type in a shell, without a suffix: lower case letters,
 * digits, '.' and '_', everything else one '-': "(demo:run) CPU 10:35" → "demo-run-cpu-10-35";
 * fallback when nothing is left */
char *sp_format_file_name (const char *text,
                           const char *fallback);
/* "CPU", "Allocation", …: how a profile was recorded, as the user reads it */
const char *sp_format_mode (SpMode mode);

/* "CPU", "Allocation", …: a recording's mode, as a title */
const char *sp_format_mode (SpMode mode);

G_END_DECLS
