/* sp-profile-match.h: the same function, or the same call path, in another profile
 *
 * A live recording is shown as a series of profiles, each a newer version of the one before;
 * their frame and node ids differ, so what the user selected or zoomed into is carried over by
 * name.
 */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

/* The frame of other with the name and kind of frame in profile; SP_NO_FRAME when it has none. */
guint32 sp_profile_match_frame (SpProfile *profile,
                                guint32    frame,
                                SpProfile *other);
/* The node of other reached from a root by the same frames as node in profile; SP_NO_NODE when
 * other has no such path. */
guint32 sp_profile_match_node  (SpProfile *profile,
                                guint32    node,
                                SpProfile *other);

G_END_DECLS
