/* sp-fuzz.h: what every fuzz target shares
 *
 * Each target defines LLVMFuzzerTestOneInput; it is linked either with libFuzzer (the fuzzing
 * build, `./dev.sh fuzz`) or with replay-main.c, which runs the checked-in corpus and every
 * past crasher as an ordinary test.
 */
#pragma once

#include <gio/gio.h>

#include "sp-profile.h"

G_BEGIN_DECLS

int  LLVMFuzzerTestOneInput (const guint8 *data,
                             size_t        size);

/* Once per process: makes criticals and warnings fatal, sends report's output to /dev/null
 * (its complaints on stderr stay: libFuzzer's -close_fd_mask=2 hides them while fuzzing). */
void sp_fuzz_init           (void);

/* Loads data as sp_profile_load() loads a file called name; NULL when the input is refused
 * (which must come with an error). */
SpProfile *sp_fuzz_load     (const guint8 *data,
                             size_t        size,
                             const char   *name);

/* What `report` (every format) and `export` (every format but png) do with a loaded profile,
 * with options picked from the input's bytes; the .sbclprof it writes must load again. */
void sp_fuzz_exercise       (SpProfile    *profile,
                             const guint8 *data,
                             size_t        size);

G_END_DECLS
