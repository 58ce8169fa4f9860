/* sp-empty-view.h: why a view of a profile has nothing to show, and what to record instead */
#pragma once

#include <adwaita.h>

#include "sp-profile.h"

G_BEGIN_DECLS

typedef enum
{
  SP_EMPTY_VIEW_CALL_TREE,
  SP_EMPTY_VIEW_FLAME_GRAPH,
} SpEmptyView;

/* FALSE when the view has something to show; else TRUE with a title and a description (both
 * translated, static). */
gboolean sp_empty_view_explain (SpProfile    *profile,
                                SpEmptyView   view,
                                const char  **title,
                                const char  **description);

/* Shows the view (the stack's page "view") or, when it has nothing, the status page "empty"
 * saying why. */
void     sp_empty_view_show    (SpProfile     *profile,
                                SpEmptyView    view,
                                GtkStack      *stack,
                                AdwStatusPage *page);

G_END_DECLS
