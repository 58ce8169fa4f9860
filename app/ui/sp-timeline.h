/* sp-timeline.h: the strip above a profile tab's pages: samples over time per thread, GC
 * events, and a range of time selected by dragging */
#pragma once

#include <gtk/gtk.h>

#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_TIMELINE (sp_timeline_get_type ())
G_DECLARE_FINAL_TYPE (SpTimeline, sp_timeline, SP, TIMELINE, GtkWidget)

GtkWidget *sp_timeline_new         (void);
/* Hides the strip for a profile that could not have a timeline, says why one is missing when
 * it could, and otherwise computes the lanes in a worker thread.  Clears the range. */
void       sp_timeline_set_profile (SpTimeline *self,
                                    SpProfile  *profile);
/* TRUE once the lanes are shown (for tests and benchmarks). */
gboolean   sp_timeline_is_ready    (SpTimeline *self);
/* FALSE when no range is selected. */
gboolean   sp_timeline_get_range   (SpTimeline *self,
                                    double     *from,
                                    double     *to);
/* Selects a range (in seconds since the start) as dragging does: emits "range-changed". */
void       sp_timeline_set_range   (SpTimeline *self,
                                    double      from,
                                    double      to);
/* FALSE when there was no range to clear. */
gboolean   sp_timeline_clear_range (SpTimeline *self);
/* What the range selects, shown beside it ("1,234 samples"); NULL to show nothing. */
void       sp_timeline_set_range_summary (SpTimeline *self,
                                          const char *summary);

G_END_DECLS
