/* sp-profile-task.c: loading, saving, inverting and cutting profiles in a worker thread */
#define G_LOG_DOMAIN "sp-profile-task"

#include "config.h"

#include "sp-analysis.h"
#include "sp-profile-task.h"
#include "sp-profile-time.h"

typedef struct
{
  GFile          *file;
  SpProfile      *profile;
  SpFileFormat    format;
  double          from;         /* a range of time, or the number of bins in `from` */
  double          to;

  /* Progress goes from the worker to the caller's main context through one pending idle
   * source at a time, so that a fast reader cannot flood the main loop.  The source holds a
   * reference on the task, which owns this data. */
  GTask          *task;
  GMainContext   *context;
  SpProgressFunc  progress;
  gpointer        progress_data;
  GMutex          mutex;
  double          fraction;
  GSource        *progress_source;
  gboolean        finished;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_assert (data->progress_source == NULL);
  g_mutex_clear (&data->mutex);
  g_clear_object (&data->file);
  g_clear_object (&data->profile);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

static TaskData *
task_data_new (void)
{
  TaskData *data = g_new0 (TaskData, 1);

  g_mutex_init (&data->mutex);
  data->context = g_main_context_ref_thread_default ();
  return data;
}

/* Runs func on data (taken) in a worker thread. */
static void
run_task (TaskData            *data,
          GTaskThreadFunc      func,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  data->task = task;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, func);
}

static gboolean
deliver_progress (gpointer user_data)
{
  TaskData *data = g_task_get_task_data (G_TASK (user_data));
  double fraction;

  g_mutex_lock (&data->mutex);
  fraction = data->fraction;
  g_clear_pointer (&data->progress_source, g_source_unref);
  g_mutex_unlock (&data->mutex);

  if (!data->finished)
    data->progress (fraction, data->progress_data);

  return G_SOURCE_REMOVE;
}

/* Runs in the worker thread. */
static void
queue_progress (double   fraction,
                gpointer user_data)
{
  TaskData *data = user_data;

  g_mutex_lock (&data->mutex);
  data->fraction = fraction;
  if (data->progress_source == NULL)
    {
      data->progress_source = g_idle_source_new ();
      g_source_set_callback (data->progress_source, deliver_progress,
                             g_object_ref (data->task), g_object_unref);
      g_source_attach (data->progress_source, data->context);
    }
  g_mutex_unlock (&data->mutex);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  SpProfile *profile;

  profile = sp_profile_load (data->file, cancellable,
                             data->progress != NULL ? queue_progress : NULL, data,
                             &error);
  if (profile == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

void
sp_profile_task_load_async (GFile               *file,
                            GCancellable        *cancellable,
                            SpProgressFunc       progress,
                            gpointer             progress_data,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (G_IS_FILE (file));

  data = task_data_new ();
  data->file = g_object_ref (file);
  data->progress = progress;
  data->progress_data = progress_data;
  run_task (data, load_thread, sp_profile_task_load_async, cancellable, callback, user_data);
}

SpProfile *
sp_profile_task_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  TaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  /* No progress after the result, even when an idle is still queued. */
  data = g_task_get_task_data (G_TASK (result));
  data->finished = TRUE;

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (sp_profile_save (data->profile, data->file, data->format, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sp_profile_task_save_async (SpProfile           *profile,
                            GFile               *file,
                            SpFileFormat         format,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (SP_IS_PROFILE (profile));
  g_return_if_fail (G_IS_FILE (file));

  data = task_data_new ();
  data->profile = g_object_ref (profile);
  data->file = g_object_ref (file);
  data->format = format;
  run_task (data, save_thread, sp_profile_task_save_async, cancellable, callback, user_data);
}

gboolean
sp_profile_task_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Runs func on profile with from and to in a worker thread. */
static void
run_on_profile (SpProfile           *profile,
                double               from,
                double               to,
                GTaskThreadFunc      func,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (SP_IS_PROFILE (profile));

  data = task_data_new ();
  data->profile = g_object_ref (profile);
  data->from = from;
  data->to = to;
  run_task (data, func, source_tag, cancellable, callback, user_data);
}

static void
invert_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;

  g_task_return_pointer (task, sp_profile_invert (data->profile), g_object_unref);
}

void
sp_profile_task_invert_async (SpProfile           *profile,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  run_on_profile (profile, 0, 0, invert_thread, sp_profile_task_invert_async, cancellable,
                  callback, user_data);
}

SpProfile *
sp_profile_task_invert_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
filter_time_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  TaskData *data = task_data;

  g_task_return_pointer (task, sp_profile_filter_time_range (data->profile, data->from, data->to),
                         g_object_unref);
}

static void
lanes_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TaskData *data = task_data;

  g_task_return_pointer (task, sp_timeline_lanes_new (data->profile, (guint) data->from),
                         (GDestroyNotify) sp_timeline_lanes_free);
}

void
sp_profile_task_filter_time_async (SpProfile           *profile,
                                   double               from,
                                   double               to,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  run_on_profile (profile, from, to, filter_time_thread, sp_profile_task_filter_time_async,
                  cancellable, callback, user_data);
}

SpProfile *
sp_profile_task_filter_time_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sp_profile_task_lanes_async (SpProfile           *profile,
                             guint                n_bins,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  run_on_profile (profile, n_bins, 0, lanes_thread, sp_profile_task_lanes_async,
                  cancellable, callback, user_data);
}

SpTimelineLanes *
sp_profile_task_lanes_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
