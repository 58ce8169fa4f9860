/* sp-heap-item.h: one type of the heap snapshots, as a list model item */
#pragma once

#include <gio/gio.h>

#include "sp-alloc.h"

G_BEGIN_DECLS

#define SP_TYPE_HEAP_ITEM (sp_heap_item_get_type ())
G_DECLARE_FINAL_TYPE (SpHeapItem, sp_heap_item, SP, HEAP_ITEM, GObject)

/* Every type of either snapshot, most retained bytes first; NULL without both snapshots. */
GListModel        *sp_heap_item_list       (SpProfile  *profile);
const char        *sp_heap_item_get_name   (SpHeapItem *self);
const SpHeapDelta *sp_heap_item_get_delta  (SpHeapItem *self);
/* Its retained bytes as a share of the bytes retained by all types that grew (0 if it shrank). */
double             sp_heap_item_get_share  (SpHeapItem *self);

G_END_DECLS
