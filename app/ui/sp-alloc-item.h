/* sp-alloc-item.h: one row of the allocation tables: a function or a type, and what it
 * allocated; a function lists its types as children, a type the functions that made it */
#pragma once

#include <gio/gio.h>

#include "sp-alloc.h"

G_BEGIN_DECLS

typedef enum
{
  SP_ALLOC_KEY_FUNCTION,
  SP_ALLOC_KEY_TYPE,
} SpAllocKeyKind;

#define SP_TYPE_ALLOC_ITEM (sp_alloc_item_get_type ())
G_DECLARE_FINAL_TYPE (SpAllocItem, sp_alloc_item, SP, ALLOC_ITEM, GObject)

/* The top rows: every function (or type) that allocated, most bytes first. */
GListModel     *sp_alloc_item_list_roots        (SpProfile      *profile,
                                                 SpAllocKeyKind  kind);
/* A function's types or a type's functions (exact recordings); NULL for a row that has none. */
GListModel     *sp_alloc_item_list_children     (SpAllocItem    *self);

SpAllocKeyKind  sp_alloc_item_get_kind          (SpAllocItem    *self);
guint32         sp_alloc_item_get_key           (SpAllocItem    *self);
/* The frame of the row: its key for a function, SP_NO_FRAME for a type. */
guint32         sp_alloc_item_get_frame         (SpAllocItem    *self);
const char     *sp_alloc_item_get_name          (SpAllocItem    *self);
const SpAllocTotal *sp_alloc_item_get_total     (SpAllocItem    *self);
/* bytes / the bytes of all rows at the top */
double          sp_alloc_item_get_fraction      (SpAllocItem    *self);
/* bytes per object; -1 when objects are unknown or none */
double          sp_alloc_item_get_object_size   (SpAllocItem    *self);
SpProfile      *sp_alloc_item_get_profile       (SpAllocItem    *self);

G_END_DECLS
