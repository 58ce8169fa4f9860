/* sp-edge-item.h: a caller or callee of the selected function, as a list model item */
#pragma once

#include <glib-object.h>

#include "sp-analysis.h"

G_BEGIN_DECLS

#define SP_TYPE_EDGE_ITEM (sp_edge_item_get_type ())
G_DECLARE_FINAL_TYPE (SpEdgeItem, sp_edge_item, SP, EDGE_ITEM, GObject)

SpEdgeItem *sp_edge_item_new          (SpProfile    *profile,
                                       const SpEdge *edge,
                                       double        whole);
guint32     sp_edge_item_get_frame    (SpEdgeItem   *self);
const char *sp_edge_item_get_name     (SpEdgeItem   *self);
double      sp_edge_item_get_weight   (SpEdgeItem   *self);
double      sp_edge_item_get_fraction (SpEdgeItem   *self);

double      sp_edge_item_get_calls    (SpEdgeItem   *self);

G_END_DECLS
