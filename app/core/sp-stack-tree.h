/* sp-stack-tree.h: the call tree of a bulk import (folded stacks), built for speed
 *
 * SpProfileBuilder finds every child through one big hash table: on a 100 MB folded file that
 * is a cache miss for each of its 2.8 million frames, even for the nodes just created.  Here a
 * node's children are a short list that is searched in place, and only parents with many
 * children go through a hash table.  Once a stack reaches a new node, the rest of the stack is
 * new too and costs no lookup at all.
 */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

typedef struct _SpStackTree SpStackTree;

SpStackTree *sp_stack_tree_new        (void);
void         sp_stack_tree_free       (SpStackTree *self);

/* Frames are added by the caller and identified by their index in the frame table. */
guint32      sp_stack_tree_get_child  (SpStackTree *self,
                                       guint32      parent,
                                       guint32      frame);
void         sp_stack_tree_add_weight (SpStackTree *self,
                                       guint32      node,
                                       SpMetric     metric,
                                       double       weight);

/* Lays the tree out in preorder, children in the order they were first seen, and makes the
 * profile.  Takes meta's contents and frames; frees the tree. */
SpProfile   *sp_stack_tree_end        (SpStackTree    *self,
                                       SpProfileMeta  *meta,
                                       GPtrArray      *frames,
                                       GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpStackTree, sp_stack_tree_free)

G_END_DECLS
