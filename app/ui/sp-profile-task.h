/* sp-profile-task.h: loading, saving, inverting and cutting profiles in a worker thread */
#pragma once

#include <gio/gio.h>

#include "sp-profile-io.h"
#include "sp-profile-time.h"

G_BEGIN_DECLS

/* progress is called on the main context of the caller, at most once per main loop iteration,
 * and never after the callback of the task. */
void       sp_profile_task_load_async    (GFile               *file,
                                          GCancellable        *cancellable,
                                          SpProgressFunc       progress,
                                          gpointer             progress_data,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
SpProfile *sp_profile_task_load_finish   (GAsyncResult        *result,
                                          GError             **error);

void       sp_profile_task_save_async    (SpProfile           *profile,
                                          GFile               *file,
                                          SpFileFormat         format,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean   sp_profile_task_save_finish   (GAsyncResult        *result,
                                          GError             **error);

void       sp_profile_task_invert_async  (SpProfile           *profile,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
SpProfile *sp_profile_task_invert_finish (GAsyncResult        *result,
                                          GError             **error);

/* sp_profile_filter_time_range() */
void       sp_profile_task_filter_time_async  (SpProfile           *profile,
                                               double               from,
                                               double               to,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
SpProfile *sp_profile_task_filter_time_finish (GAsyncResult        *result,
                                               GError             **error);

/* sp_timeline_lanes_new(); NULL (and no error) without a timeline */
void             sp_profile_task_lanes_async  (SpProfile           *profile,
                                               guint                n_bins,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
SpTimelineLanes *sp_profile_task_lanes_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
