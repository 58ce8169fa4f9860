/* sp-sample-stream.h: a statistical recording as its sample batches arrive
 *
 * The agent sends the samples of a recording in batches (PROTOCOL.md, "Sample batches"): while
 * it runs, at the end of each recorded run, and at stop.  The stream merges them into a call
 * tree of its own, with each stack's time (the timeline) and the figures of each run, so that
 * the profile so far can be built at any moment (a live view, or what is left when SBCL dies)
 * and the final one once the last batch is in.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-profile.h"

G_BEGIN_DECLS

typedef struct _SpSampleStream SpSampleStream;

SpSampleStream *sp_sample_stream_new          (void);
void            sp_sample_stream_free         (SpSampleStream *self);

/* Adds one batch; fails with SP_SESSION_ERROR_PROTOCOL when it is malformed (the stream is then
 * unchanged up to the batch's first bad stack). */
gboolean        sp_sample_stream_add_batch    (SpSampleStream *self,
                                               JsonObject     *batch,
                                               GError        **error);
/* Samples the agent took, and those kept in stacks. */
gint64          sp_sample_stream_get_samples  (SpSampleStream *self);
gint64          sp_sample_stream_get_kept     (SpSampleStream *self);
/* Batches added since the stream was made. */
guint           sp_sample_stream_get_n_batches (SpSampleStream *self);

/* Adds every batch so far to builder: frames, the call tree, each stack's time when timeline
 * (spread over its batch: the builder's meta->timeline_estimated is set), per-run function
 * figures when the recording had several runs, and the batches' GC events.  bytes_per_sample
 * > 0 adds the bytes metric (alloc mode). */
void            sp_sample_stream_fill         (SpSampleStream   *self,
                                               SpProfileBuilder *builder,
                                               double            bytes_per_sample,
                                               gboolean          timeline);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpSampleStream, sp_sample_stream_free)

G_END_DECLS
