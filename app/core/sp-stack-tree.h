/* sp-stack-tree.h: the call tree under construction, behind SpProfileBuilder and the folded
 * import, built for speed
 *
 * One big (parent, frame) hash table would cost a cache miss for each of the 2.8 million frames
 * of a 100 MB folded file, even for nodes just created.  Here a node's children are a short
 * list searched in place, and only parents with many children go through a hash table.  Once a
 * stack reaches a new node, the rest of the stack is new too and costs no lookup at all.
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
guint        sp_stack_tree_get_n_nodes (SpStackTree *self);
/* A node's parent (SP_NO_NODE for a root) and frame.  Nodes are numbered in the order they were
 * made, so a parent's number is always below its children's. */
guint32      sp_stack_tree_get_parent (SpStackTree *self,
                                       guint32      node);
guint32      sp_stack_tree_get_frame  (SpStackTree *self,
                                       guint32      node);
/* Gives the tree a (zero) column for metric even when no weight is ever added. */
void         sp_stack_tree_enable_metric (SpStackTree *self,
                                          SpMetric     metric);
void         sp_stack_tree_add_weight (SpStackTree *self,
                                       guint32      node,
                                       SpMetric     metric,
                                       double       weight);

/* Lays the tree out in preorder, children in the order they were first seen, and makes the
 * profile.  Takes meta's contents, frames, stats and sections (each may be NULL); the nodes of
 * sections->timeline are this tree's and are renumbered.  Frees the tree. */
SpProfile   *sp_stack_tree_end        (SpStackTree       *self,
                                       SpProfileMeta     *meta,
                                       GPtrArray         *frames,
                                       SpFunctionStats   *stats,
                                       guint              n_stats,
                                       SpProfileSections *sections,
                                       GError           **error);

/* sp_stack_tree_end() of a tree built in parts by several threads: top holds the first levels
 * of every stack, and each part the levels below some of top's deepest nodes.  A part's roots
 * stand for those nodes: a root's frame is the top node's number, and its children are that
 * node's.  Two parts never have roots for the same top node, and a top node with a root in a
 * part has no children in top.  Frees top and the parts. */
SpProfile   *sp_stack_tree_end_parts  (SpStackTree       *top,
                                       SpStackTree      **parts,
                                       guint              n_parts,
                                       SpProfileMeta     *meta,
                                       GPtrArray         *frames,
                                       GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpStackTree, sp_stack_tree_free)

G_END_DECLS
