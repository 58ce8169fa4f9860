/* sp-call-node.h: one node of a profile's call tree, as a lazily expanded list model item */
#pragma once

#include <gio/gio.h>

#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_CALL_NODE (sp_call_node_get_type ())
G_DECLARE_FINAL_TYPE (SpCallNode, sp_call_node, SP, CALL_NODE, GObject)

GListModel *sp_call_node_list_roots         (SpProfile  *profile,
                                             SpMetric    metric);
GListModel *sp_call_node_list_children      (SpCallNode *self);
gboolean    sp_call_node_has_children       (SpCallNode *self);
guint32     sp_call_node_get_node           (SpCallNode *self);
guint32     sp_call_node_get_frame          (SpCallNode *self);
const char *sp_call_node_get_name           (SpCallNode *self);
double      sp_call_node_get_self           (SpCallNode *self);
double      sp_call_node_get_total          (SpCallNode *self);
double      sp_call_node_get_self_fraction  (SpCallNode *self);
double      sp_call_node_get_total_fraction (SpCallNode *self);
SpProfile  *sp_call_node_get_profile        (SpCallNode *self);
SpMetric    sp_call_node_get_metric         (SpCallNode *self);

G_END_DECLS
