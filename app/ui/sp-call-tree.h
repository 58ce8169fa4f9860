/* sp-call-tree.h: a profile's call tree, top-down or bottom-up, expanded on demand */
#pragma once

#include <gtk/gtk.h>

#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_CALL_TREE (sp_call_tree_get_type ())
G_DECLARE_FINAL_TYPE (SpCallTree, sp_call_tree, SP, CALL_TREE, GtkWidget)

typedef enum
{
  SP_CALL_TREE_COLUMN_NAME,
  SP_CALL_TREE_COLUMN_TOTAL_PERCENT,
  SP_CALL_TREE_COLUMN_SELF_PERCENT,
  SP_CALL_TREE_COLUMN_TOTAL,
  SP_CALL_TREE_COLUMN_SELF,
  SP_CALL_TREE_COLUMN_CALLS,     /* deterministic: calls along the call path */
  SP_N_CALL_TREE_COLUMNS
} SpCallTreeColumn;

GtkWidget  *sp_call_tree_new                (void);
void        sp_call_tree_set_profile        (SpCallTree *self,
                                             SpProfile  *profile);
gboolean    sp_call_tree_get_bottom_up      (SpCallTree *self);
void        sp_call_tree_set_bottom_up      (SpCallTree *self,
                                             gboolean    bottom_up);
/* A function called from itself shows once, its calls below merged (on at first). */
gboolean    sp_call_tree_get_fold_recursion (SpCallTree *self);
void        sp_call_tree_set_fold_recursion (SpCallTree *self,
                                             gboolean    fold);
GListModel *sp_call_tree_get_model          (SpCallTree *self);
guint32     sp_call_tree_get_selected_frame (SpCallTree *self);
guint32     sp_call_tree_get_selected_node  (SpCallTree *self);
void        sp_call_tree_select_row         (SpCallTree *self,
                                             guint       position);
void        sp_call_tree_reveal_frame       (SpCallTree *self,
                                             guint32     frame);
/* Sorts the siblings under each node (the rows keep their parents); total descending at first. */
void        sp_call_tree_sort_by            (SpCallTree       *self,
                                             SpCallTreeColumn  column,
                                             GtkSortType       order);

G_END_DECLS
