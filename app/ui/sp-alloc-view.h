/* sp-alloc-view.h: the Allocations page of a profile tab: by function, by type, the heap
 * retained by the workload, and the garbage collections */
#pragma once

#include <adwaita.h>

#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_ALLOC_VIEW (sp_alloc_view_get_type ())
G_DECLARE_FINAL_TYPE (SpAllocView, sp_alloc_view, SP, ALLOC_VIEW, GtkWidget)

GtkWidget *sp_alloc_view_new                (void);
void       sp_alloc_view_set_profile        (SpAllocView *self,
                                             SpProfile   *profile);
/* The function last selected in either table, or SP_NO_FRAME. */
guint32    sp_alloc_view_get_selected_frame (SpAllocView *self);
/* Shows a function selected elsewhere: its row in the table by function. */
void       sp_alloc_view_select_frame       (SpAllocView *self,
                                             guint32      frame);

/* For tests: the parts of the page. */
GtkWidget *sp_alloc_view_get_functions_table (SpAllocView *self);
GtkWidget *sp_alloc_view_get_types_table     (SpAllocView *self);
GtkWidget *sp_alloc_view_get_heap_table      (SpAllocView *self);
GtkWidget *sp_alloc_view_get_gc_strip        (SpAllocView *self);
GtkStack  *sp_alloc_view_get_sections        (SpAllocView *self);
/* The text of a label of the page by its template id ("gc_count", "heap_caption", "note", …). */
const char *sp_alloc_view_get_label_text     (SpAllocView *self,
                                              const char  *id);

G_END_DECLS
