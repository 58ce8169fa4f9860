/* sp-zeroed.h: zeroed arrays that are read before they are written */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* n zeroed elements of size bytes, for arrays that are added to (a[i] += w).  calloc() leaves
 * a large block on the kernel's shared zero page: the first read maps it, and the first write
 * then replaces it and flushes the TLB of every core the process runs on.  Cutting a large
 * profile to a time range spent most of its time so; writing the zeros first costs one fault
 * a page. */
static inline gpointer
sp_zeroed_new (gsize n,
               gsize size)
{
  gpointer block = g_malloc_n (MAX (n, 1), size);

  memset (block, 0, MAX (n, 1) * size);
  return block;
}

G_END_DECLS
