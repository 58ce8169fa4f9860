/* sp-speedscope.h: speedscope's JSON file format (https://www.speedscope.app/file-format-schema.json) */
#pragma once

#include "sp-profile-io-private.h"

G_BEGIN_DECLS

/* Whether a parsed JSON object looks like a speedscope file. */
gboolean   sp_speedscope_detect (JsonObject *root);

/* Reads "sampled" and "evented" profiles.  With several profiles (speedscope's threads), each
 * gets a THREAD frame at its root.  Error messages do not name the file. */
SpProfile *sp_speedscope_read   (JsonObject *root,
                                 const char *source,
                                 GError    **error);

/* One "sampled" profile of the default metric, with exact names in a shared frame table. */
void       sp_speedscope_write  (SpProfile  *profile,
                                 SpWriter   *writer);

G_END_DECLS
