/* sp-window-link.h: two windows showing a baseline and a new profile, their selection, flame
 * graph zoom and search kept together while the link is active */
#pragma once

#include "sp-window.h"

G_BEGIN_DECLS

#define SP_TYPE_WINDOW_LINK (sp_window_link_get_type ())
G_DECLARE_FINAL_TYPE (SpWindowLink, sp_window_link, SP, WINDOW_LINK, GObject)

/* The link holds neither window: closing either ends it ("broken" is notified). */
SpWindowLink *sp_window_link_new        (SpWindow     *first,
                                         SpWindow     *second);
gboolean      sp_window_link_get_active (SpWindowLink *self);
void          sp_window_link_set_active (SpWindowLink *self,
                                         gboolean      active);
/* TRUE once either window has closed. */
gboolean      sp_window_link_get_broken (SpWindowLink *self);
/* The window's current tab changed: follow it. */
void          sp_window_link_update     (SpWindowLink *self);

G_END_DECLS
