/* sp-gc-strip.h: the garbage collections of a recording on a time strip, over the heap in use */
#pragma once

#include <gtk/gtk.h>

#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_GC_STRIP (sp_gc_strip_get_type ())
G_DECLARE_FINAL_TYPE (SpGcStrip, sp_gc_strip, SP, GC_STRIP, GtkWidget)

GtkWidget *sp_gc_strip_new               (void);
void       sp_gc_strip_set_profile       (SpGcStrip *self,
                                          SpProfile *profile);
/* The collection drawn at x (widget coordinates), or -1: for tooltips and tests. */
int        sp_gc_strip_get_event_at      (SpGcStrip *self,
                                          double     x);
/* The tooltip text of a collection. */
char      *sp_gc_strip_describe_event    (SpGcStrip *self,
                                          guint      index);

G_END_DECLS
