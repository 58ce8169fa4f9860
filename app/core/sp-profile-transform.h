/* sp-profile-transform.h: new profiles derived from a profile's call tree
 *
 * Each function returns a new profile and leaves its argument alone.  Frames keep their ids,
 * so a frame selected in one view is the same frame in the transformed one.  For the
 * bottom-up (reversed stacks) tree use sp_profile_invert() from sp-analysis.h.
 */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

/* Folds a call of a function from itself into the outer call.  With indirect, a function
 * called anywhere below itself (A → B → A) is folded too, so each function appears at most
 * once on a stack. */
SpProfile *sp_profile_collapse_recursion (SpProfile *profile,
                                          gboolean   indirect);

/* Every outermost call of frame merged into one root, with what it calls below it. */
SpProfile *sp_profile_focus_function     (SpProfile *profile,
                                          guint32    frame);

/* Frame left out of every stack: what it called is attached to its caller, and its own weight
 * goes to its caller (a root's own weight has no caller and is dropped). */
SpProfile *sp_profile_hide_function      (SpProfile *profile,
                                          guint32    frame);

/* Distinct functions whose names print alike (frames with a variant) merged into one per name:
 * a view by name, where the recording keeps them apart. */
SpProfile *sp_profile_merge_variants     (SpProfile *profile);

G_END_DECLS
