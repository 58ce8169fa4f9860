/* sp-profile-view.c: one profile tab: summary, function table, call tree, selected function
 *
 * The view only presents: every figure comes from the profile or from sp-analysis.  It keeps
 * the selected function and the history of selections, and shows the selection in every
 * sub-view.
 */
#define G_LOG_DOMAIN "sp-profile-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-alloc.h"
#include "sp-alloc-view.h"
#include "sp-empty-profile.h"
#include "sp-empty-view.h"
#include "sp-profile-task.h"
#include "sp-profile-view-private.h"
#include "sp-source-window.h"

G_DEFINE_FINAL_TYPE (SpProfileView, sp_profile_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_TITLE,
  PROP_FILE,
  PROP_UNSAVED,
  PROP_LOADING,
  PROP_SELECTED_FUNCTION,
  PROP_SHOWN_PROFILE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* ---- selection and history ---- */

static void
update_history_actions (SpProfileView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile.go-back", self->history_pos > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile.go-forward",
                                 self->history->len > 0 && self->history_pos + 1 < self->history->len);
}

static gboolean
selected_source_exists (SpProfileView *self)
{
  const SpFrame *frame;

  if (self->profile == NULL || self->selected == SP_NO_FRAME)
    return FALSE;
  frame = sp_profile_get_frame (self->profile, self->selected);
  return frame->file != NULL && g_path_is_absolute (frame->file) &&
         g_file_test (frame->file, G_FILE_TEST_IS_REGULAR);
}

/* Shows frame everywhere without touching the history. */
void
_sp_profile_view_show_function (SpProfileView *self,
                                guint32        frame)
{
  self->selected = frame;
  sp_function_details_set_function (self->details, self->shown, frame);
  /* a page behind a live recording gets the selection when it catches up */
  if (!(self->stale_pages & SP_PAGE_FUNCTIONS))
    sp_function_table_select_frame (self->function_table, frame);
  if (!(self->stale_pages & SP_PAGE_CALL_TREE))
    sp_call_tree_reveal_frame (self->call_tree, frame);
  if (!(self->stale_pages & SP_PAGE_FLAME_GRAPH))
    sp_flame_graph_select_frame (sp_flame_view_get_graph (self->flame_view), frame);
  if (!(self->stale_pages & SP_PAGE_ALLOCATIONS))
    sp_alloc_view_select_frame (self->alloc_view, frame);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile.open-source", selected_source_exists (self));
  update_history_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FUNCTION]);
}

guint32
sp_profile_view_get_selected_function (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), SP_NO_FRAME);

  return self->selected;
}

/* Selects a function and records it in the history (dropping any “forward” entries). */
void
sp_profile_view_select_function (SpProfileView *self,
                                 guint32        frame)
{
  g_return_if_fail (SP_IS_PROFILE_VIEW (self));
  g_return_if_fail (self->profile != NULL);
  g_return_if_fail (frame == SP_NO_FRAME || frame < sp_profile_get_n_frames (self->profile));

  if (frame == self->selected)
    return;

  if (frame != SP_NO_FRAME)
    {
      if (self->history->len > 0)
        g_array_set_size (self->history, self->history_pos + 1);
      g_array_append_val (self->history, frame);
      self->history_pos = self->history->len - 1;
    }
  _sp_profile_view_show_function (self, frame);
}

void
sp_profile_view_go_back (SpProfileView *self)
{
  g_return_if_fail (SP_IS_PROFILE_VIEW (self));

  if (self->history_pos == 0)
    return;
  self->history_pos--;
  _sp_profile_view_show_function (self, g_array_index (self->history, guint32, self->history_pos));
}

void
sp_profile_view_go_forward (SpProfileView *self)
{
  g_return_if_fail (SP_IS_PROFILE_VIEW (self));

  if (self->history_pos + 1 >= self->history->len)
    return;
  self->history_pos++;
  _sp_profile_view_show_function (self, g_array_index (self->history, guint32, self->history_pos));
}

static void
on_table_selection (SpProfileView   *self,
                    GParamSpec      *pspec,
                    SpFunctionTable *table)
{
  guint32 frame = sp_function_table_get_selected_frame (table);

  if (frame != SP_NO_FRAME && self->profile != NULL)
    sp_profile_view_select_function (self, frame);
}

static void
on_tree_selection (SpProfileView *self,
                   GParamSpec    *pspec,
                   SpCallTree    *tree)
{
  guint32 frame = sp_call_tree_get_selected_frame (tree);

  if (frame != SP_NO_FRAME && self->profile != NULL)
    sp_profile_view_select_function (self, frame);
}

static void
on_flame_frame_selected (SpProfileView *self,
                         guint          frame,
                         SpFlameGraph  *graph)
{
  if (frame != SP_NO_FRAME && self->profile != NULL)
    sp_profile_view_select_function (self, frame);
}

static void
on_alloc_selection (SpProfileView *self,
                    GParamSpec    *pspec,
                    SpAllocView   *view)
{
  guint32 frame = sp_alloc_view_get_selected_frame (view);

  if (frame != SP_NO_FRAME && self->profile != NULL)
    sp_profile_view_select_function (self, frame);
}

static void
on_function_activated (SpProfileView     *self,
                       guint              frame,
                       SpFunctionDetails *details)
{
  sp_profile_view_select_function (self, frame);
}

/* ---- the profile ---- */

void
_sp_profile_view_show_profile_page (SpProfileView *self)
{
  gtk_widget_set_visible (self->profile_box, TRUE);
  gtk_stack_set_visible_child_name (self->state_stack, "profile");
}

void
_sp_profile_view_show_empty_state (SpProfileView *self)
{
  gboolean empty = sp_empty_profile_is_empty (self->profile);

  if (empty)
    {
      adw_status_page_set_title (self->empty_page, sp_empty_profile_get_title (self->profile));
      adw_status_page_set_description (self->empty_page, sp_empty_profile_get_description (self->profile));
    }
  gtk_stack_set_visible_child_name (self->content_stack, empty ? "empty" : "views");
  gtk_widget_set_visible (self->details_button, !empty);
}

gboolean
sp_profile_view_get_empty (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), FALSE);

  return self->profile != NULL && sp_empty_profile_is_empty (self->profile);
}

SpProfile *
sp_profile_view_get_profile (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return self->profile;
}

void
sp_profile_view_set_profile (SpProfileView *self,
                             SpProfile     *profile)
{
  g_return_if_fail (SP_IS_PROFILE_VIEW (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;

  g_array_set_size (self->history, 0);
  self->history_pos = 0;
  self->selected = SP_NO_FRAME;
  self->stale_pages = 0;

  sp_profile_summary_set_profile (self->summary, profile);
  sp_profile_view_range_reset (self);
  adw_view_stack_page_set_visible (self->alloc_page, sp_alloc_has_memory_data (profile));
  _sp_profile_view_show_function (self, SP_NO_FRAME);
  _sp_profile_view_show_empty_state (self);
  sp_empty_view_show (profile, SP_EMPTY_VIEW_CALL_TREE, self->call_tree_stack, self->call_tree_empty);
  sp_empty_view_show (profile, SP_EMPTY_VIEW_FLAME_GRAPH, self->flame_stack, self->flame_empty);
  _sp_profile_view_show_profile_page (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

const char *
sp_profile_view_get_title (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return self->title;
}

void
sp_profile_view_set_title (SpProfileView *self,
                           const char    *title)
{
  g_return_if_fail (SP_IS_PROFILE_VIEW (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  sp_flame_view_set_title (self->flame_view, title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

GFile *
sp_profile_view_get_file (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return self->file;
}

static void
set_file (SpProfileView *self,
          GFile         *file)
{
  if (g_set_object (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

/* The file the profile was read from (any format), or NULL for a recording. */
GFile *
sp_profile_view_get_source_file (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return self->source;
}

gboolean
sp_profile_view_get_unsaved (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), FALSE);

  return self->unsaved;
}

void
sp_profile_view_set_unsaved (SpProfileView *self,
                             gboolean       unsaved)
{
  g_return_if_fail (SP_IS_PROFILE_VIEW (self));

  unsaved = !!unsaved;
  if (self->unsaved == unsaved)
    return;

  self->unsaved = unsaved;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSAVED]);
}

gboolean
sp_profile_view_get_loading (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), FALSE);

  return self->loading;
}

static void
set_loading (SpProfileView *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  if (!loading)
    g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile.cancel-load", loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- loading ---- */

static gboolean
pulse_progress (gpointer user_data)
{
  SpProfileView *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
on_load_progress (double   fraction,
                  gpointer user_data)
{
  SpProfileView *self = user_data;

  /* The reader reports progress: stop guessing. */
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->progress_bar != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static gboolean
is_sbclprof (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);

  return g_str_has_suffix (name, ".sbclprof");
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpProfileView *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = sp_profile_task_load_finish (result, &error);

  set_loading (self, FALSE);
  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->state_stack == NULL)
    {
      /* The view was disposed while the worker finished. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Closed while loading"));
      return;
    }

  sp_profile_view_set_profile (self, profile);
  g_task_return_boolean (task, TRUE);
}

/* Reads file into this view; until then the view shows progress and a Cancel button.  The view
 * takes the file's name as its title; only a .sbclprof file becomes the file Save writes. */
void
sp_profile_view_load_async (SpProfileView       *self,
                            GFile               *file,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *name = NULL;
  g_autofree char *loading_title = NULL;
  GTask *task;

  g_return_if_fail (SP_IS_PROFILE_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!self->loading);

  name = g_file_get_basename (file);
  loading_title = g_strdup_printf (_("Loading “%s”"), name);
  sp_profile_view_set_title (self, name);
  set_file (self, is_sbclprof (file) ? file : NULL);
  g_set_object (&self->source, file);
  adw_status_page_set_title (self->loading_page, loading_title);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  set_loading (self, TRUE);
  self->pulse_id = g_timeout_add (100, pulse_progress, self);

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_profile_view_load_async);
  sp_profile_task_load_async (file, self->cancellable, on_load_progress, self, on_loaded, task);
}

gboolean
sp_profile_view_load_finish (SpProfileView  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- saving ---- */

typedef struct
{
  GFile        *file;
  SpFileFormat  format;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpProfileView *self = g_task_get_source_object (task);
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!sp_profile_task_save_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* An export leaves the profile as it was; only the own format counts as saved. */
  if (data->format == SP_FILE_FORMAT_SBCLPROF)
    {
      g_autofree char *name = g_file_get_basename (data->file);

      set_file (self, data->file);
      sp_profile_view_set_title (self, name);
      sp_profile_view_set_unsaved (self, FALSE);
    }
  g_task_return_boolean (task, TRUE);
}

void
sp_profile_view_save_async (SpProfileView       *self,
                            GFile               *file,
                            SpFileFormat         format,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  SaveData *data;
  GTask *task;

  g_return_if_fail (SP_IS_PROFILE_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->profile != NULL);

  data = g_new0 (SaveData, 1);
  data->file = g_object_ref (file);
  data->format = format;

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_profile_view_save_async);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  sp_profile_task_save_async (self->profile, file, format, self->cancellable, on_saved, task);
}

gboolean
sp_profile_view_save_finish (SpProfileView  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- actions ---- */

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sp_profile_view_go_back (SP_PROFILE_VIEW (widget));
}

static void
go_forward_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  sp_profile_view_go_forward (SP_PROFILE_VIEW (widget));
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_cancellable_cancel (SP_PROFILE_VIEW (widget)->cancellable);
}

/* The window's Ctrl+F, Alt+Left and Alt+Right: on the flame graph page they search the graph
 * and walk its zoom history, elsewhere they filter the functions and walk the selections. */
static void
shortcut_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SpProfileView *self = SP_PROFILE_VIEW (widget);
  const char *shortcut = g_variant_get_string (parameter, NULL);
  gboolean on_flame_graph = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack),
                                       "flame-graph") == 0;
  SpFlameGraph *graph = sp_flame_view_get_graph (self->flame_view);

  if (g_str_equal (shortcut, "find") && on_flame_graph)
    gtk_widget_activate_action (GTK_WIDGET (self->flame_view), "flame.search", NULL);
  else if (g_str_equal (shortcut, "find"))
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "functions");
      sp_function_table_focus_search (self->function_table);
    }
  else if (g_str_equal (shortcut, "go-back") && on_flame_graph)
    sp_flame_graph_go_back (graph);
  else if (g_str_equal (shortcut, "go-back"))
    sp_profile_view_go_back (self);
  else if (g_str_equal (shortcut, "go-forward") && on_flame_graph)
    sp_flame_graph_go_forward (graph);
  else if (g_str_equal (shortcut, "go-forward"))
    sp_profile_view_go_forward (self);
}

static void
open_source_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpProfileView *self = SP_PROFILE_VIEW (widget);
  const SpFrame *frame;

  if (!selected_source_exists (self))
    return;

  frame = sp_profile_get_frame (self->profile, self->selected);
  sp_source_window_open (widget, frame->name, frame->file, frame->line,
                         sp_function_details_get_figures (self->details));
}

/* ---- the widget ---- */

static void
sp_profile_view_dispose (GObject *object)
{
  SpProfileView *self = SP_PROFILE_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_PROFILE_VIEW);
  /* GTK 4.8 only removes the bound template children: drop the others as well. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->progress_bar = NULL;

  sp_profile_view_range_dispose (self);
  g_clear_object (&self->profile);
  g_clear_object (&self->file);
  g_clear_object (&self->source);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->history, g_array_unref);

  G_OBJECT_CLASS (sp_profile_view_parent_class)->dispose (object);
}

static void
sp_profile_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SpProfileView *self = SP_PROFILE_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_UNSAVED:
      g_value_set_boolean (value, self->unsaved);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_SELECTED_FUNCTION:
      g_value_set_uint (value, self->selected);
      break;
    case PROP_SHOWN_PROFILE:
      g_value_set_object (value, self->shown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_profile_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SpProfileView *self = SP_PROFILE_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      sp_profile_view_set_profile (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      sp_profile_view_set_title (self, g_value_get_string (value));
      break;
    case PROP_UNSAVED:
      sp_profile_view_set_unsaved (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_profile_view_class_init (SpProfileViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_profile_view_dispose;
  object_class->get_property = sp_profile_view_get_property;
  object_class->set_property = sp_profile_view_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, SP_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNSAVED] =
    g_param_spec_boolean ("unsaved", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_FUNCTION] =
    g_param_spec_uint ("selected-function", NULL, NULL, 0, G_MAXUINT32, SP_NO_FRAME,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* what the pages show: the profile, or the part of it in the timeline's range */
  properties[PROP_SHOWN_PROFILE] =
    g_param_spec_object ("shown-profile", NULL, NULL, SP_TYPE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "profile.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "profile.go-forward", NULL, go_forward_action);
  gtk_widget_class_install_action (widget_class, "profile.open-source", NULL, open_source_action);
  sp_profile_view_range_class_init (widget_class);
  gtk_widget_class_install_action (widget_class, "profile.cancel-load", NULL, cancel_load_action);
  gtk_widget_class_install_action (widget_class, "profile.shortcut", "s", shortcut_action);

  g_type_ensure (SP_TYPE_ALLOC_VIEW);
  g_type_ensure (SP_TYPE_CALL_TREE);
  g_type_ensure (SP_TYPE_FLAME_VIEW);
  g_type_ensure (SP_TYPE_FUNCTION_DETAILS);
  g_type_ensure (SP_TYPE_FUNCTION_TABLE);
  g_type_ensure (SP_TYPE_PROFILE_SUMMARY);
  g_type_ensure (SP_TYPE_TIMELINE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-profile-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, profile_box);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, details_button);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, loading_page);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, summary);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, timeline);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, function_table);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, call_tree);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, flame_view);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, alloc_page);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, alloc_view);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, call_tree_stack);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, call_tree_empty);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, flame_stack);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, flame_empty);
  gtk_widget_class_bind_template_child (widget_class, SpProfileView, details);
  gtk_widget_class_bind_template_callback (widget_class, on_table_selection);
  gtk_widget_class_bind_template_callback (widget_class, on_tree_selection);
  gtk_widget_class_bind_template_callback (widget_class, on_alloc_selection);
  gtk_widget_class_bind_template_callback (widget_class, on_function_activated);
}

static void
sp_profile_view_init (SpProfileView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->history = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->selected = SP_NO_FRAME;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile.cancel-load", FALSE);
  update_history_actions (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile.open-source", FALSE);
  g_signal_connect_object (sp_flame_view_get_graph (self->flame_view), "frame-selected",
                           G_CALLBACK (on_flame_frame_selected), self, G_CONNECT_SWAPPED);
  sp_profile_view_range_init (self);
}

GtkWidget *
sp_profile_view_new (void)
{
  return g_object_new (SP_TYPE_PROFILE_VIEW, NULL);
}

AdwViewStack *
sp_profile_view_get_view_stack (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return self->view_stack;
}

GtkWidget *
sp_profile_view_get_function_table (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return GTK_WIDGET (self->function_table);
}

GtkWidget *
sp_profile_view_get_call_tree (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return GTK_WIDGET (self->call_tree);
}

GtkWidget *
sp_profile_view_get_flame_view (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return GTK_WIDGET (self->flame_view);
}

GtkWidget *
sp_profile_view_get_alloc_view (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return GTK_WIDGET (self->alloc_view);
}

GtkWidget *
sp_profile_view_get_details (SpProfileView *self)
{
  g_return_val_if_fail (SP_IS_PROFILE_VIEW (self), NULL);

  return GTK_WIDGET (self->details);
}
