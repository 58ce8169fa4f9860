/* sp-empty-profile.h: what a tab says of a profile without a single sample */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

/* No stack has any weight: a recording of an idle program, say. */
gboolean    sp_empty_profile_is_empty        (SpProfile *profile);
/* The status page's title and text: that nothing ran, and what to record instead. */
const char *sp_empty_profile_get_title       (SpProfile *profile);
const char *sp_empty_profile_get_description (SpProfile *profile);

G_END_DECLS
