/* sp-profile-private.h: for the builder, which makes profiles that are valid by construction */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

SpProfile *_sp_profile_new_trusted (SpProfileMeta   *meta,
                                    GPtrArray       *frames,
                                    guint32         *parents,
                                    guint32         *node_frames,
                                    guint            n_nodes,
                                    double         **self_weights,
                                    SpFunctionStats *stats,
                                    guint            n_stats);

G_END_DECLS
