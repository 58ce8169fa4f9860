/* sp-profile-task.h: loading, saving and inverting profiles in a worker thread */
#pragma once

#include <gio/gio.h>

#include "sp-profile-io.h"

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

G_END_DECLS
