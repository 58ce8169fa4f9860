/* sp-flame-view.c: the flame graph, its toolbar, search bar and exports
 *
 * The view owns the chain of transforms (bottom-up, collapse recursion, hidden functions,
 * focus) that turns the recorded profile into the one the graph draws.  The chain runs in a
 * thread: on a large profile each step rebuilds a tree of a million nodes.
 */
#define G_LOG_DOMAIN "sp-flame-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "sp-analysis.h"
#include "sp-flame-view.h"
#include "sp-format.h"
#include "sp-profile-match.h"
#include "sp-profile-transform.h"
#include "sp-settings.h"
#include "sp-svg-writer.h"

struct _SpFlameView
{
  GtkWidget        parent_instance;

  /* Owned */
  SpProfile       *profile;        /* as recorded */
  GArray          *hidden;         /* of guint32 frames */
  GCancellable    *cancellable;
  GtkNativeDialog *export_dialog;
  GSimpleActionGroup *view_actions;   /* flame-view.*: the stateful options of the View menu */

  char            *title;          /* the profile's name, for exports */
  guint32          focus_frame;    /* SP_NO_FRAME when not focused */
  char            *search;         /* the search in effect, NULL when none */
  gboolean         export_png;
  gboolean         keep_view;      /* the transform under way is of a newer live profile */

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  SpFlameGraph    *graph;
  GtkSpinButton   *threshold_spin;
  GtkLabel        *filter_label;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  GtkToggleButton *regex_button;
  GtkToggleButton *case_button;
  GtkLabel        *matched_label;
  GtkLabel        *legend_label;
  GtkWidget       *metric_box;
  GMenu           *colors_section;
};

G_DEFINE_FINAL_TYPE (SpFlameView, sp_flame_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_SEARCH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  SpProfile *profile;
  gboolean   bottom_up;
  guint      recursion;   /* 0 none, 1 direct, 2 indirect */
  GArray    *hidden;
  guint32    focus_frame;
} SpTransformJob;

static void
sp_transform_job_free (SpTransformJob *job)
{
  g_clear_object (&job->profile);
  g_clear_pointer (&job->hidden, g_array_unref);
  g_free (job);
}

static void
show_toast (SpFlameView *self,
            const char  *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* ---- The transform chain ---- */

static SpProfile *
replace_profile (SpProfile *old,
                 SpProfile *new)
{
  g_object_unref (old);
  return new;
}

static void
transform_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SpTransformJob *job = task_data;
  SpProfile *profile = g_object_ref (job->profile);

  if (job->bottom_up)
    profile = replace_profile (profile, sp_profile_invert (profile));
  if (job->recursion > 0)
    profile = replace_profile (profile, sp_profile_collapse_recursion (profile, job->recursion == 2));
  for (guint i = 0; i < job->hidden->len && !g_cancellable_is_cancelled (cancellable); i++)
    profile = replace_profile (profile, sp_profile_hide_function (profile, g_array_index (job->hidden, guint32, i)));
  if (job->focus_frame != SP_NO_FRAME)
    profile = replace_profile (profile, sp_profile_focus_function (profile, job->focus_frame));

  g_task_return_pointer (task, profile, g_object_unref);
}

static void
transform_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SpFlameView *self = SP_FLAME_VIEW (object);
  g_autoptr(SpProfile) profile = g_task_propagate_pointer (G_TASK (result), NULL);
  guint32 selected;

  if (profile == NULL)
    return;   /* cancelled: newer settings are being applied */

  g_clear_object (&self->cancellable);
  if (self->keep_view)
    {
      sp_flame_graph_update_profile (self->graph, profile);
      return;
    }
  /* frame ids survive the transforms: the same function stays selected */
  selected = sp_flame_graph_get_selected_frame (self->graph);
  sp_flame_graph_set_profile (self->graph, profile);
  sp_flame_graph_select_frame (self->graph, selected);
}

static gboolean
get_boolean_state (SpFlameView *self,
                   const char  *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self->view_actions), name);

  return g_variant_get_boolean (state);
}

/* 0 all calls, 1 direct recursion collapsed, 2 indirect too */
static guint
get_recursion (SpFlameView *self)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self->view_actions), "recursion");
  const char *name = g_variant_get_string (state, NULL);

  if (g_str_equal (name, "indirect"))
    return 2;
  return g_str_equal (name, "direct") ? 1 : 0;
}

static void
update_profile (SpFlameView *self)
{
  g_autoptr(GTask) task = NULL;
  SpTransformJob *job;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->keep_view = FALSE;

  if (self->profile == NULL)
    {
      sp_flame_graph_set_profile (self->graph, NULL);
      return;
    }

  job = g_new0 (SpTransformJob, 1);
  job->profile = g_object_ref (self->profile);
  job->bottom_up = get_boolean_state (self, "bottom-up");
  job->recursion = get_recursion (self);
  job->hidden = g_array_copy (self->hidden);
  job->focus_frame = self->focus_frame;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, transform_done, NULL);
  g_task_set_source_tag (task, update_profile);
  g_task_set_task_data (task, job, (GDestroyNotify) sp_transform_job_free);
  g_task_run_in_thread (task, transform_thread);
}

/* "Focused on FIB · 2 functions hidden": the view menu's transforms are not seen otherwise */
static void
update_filter_label (SpFlameView *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->profile != NULL && self->focus_frame != SP_NO_FRAME)
    g_string_printf (text, _("Focused on %s"), sp_profile_get_frame (self->profile, self->focus_frame)->label);
  if (self->hidden->len > 0)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u function hidden", "%u functions hidden",
                                                 self->hidden->len),
                              self->hidden->len);
    }
  gtk_label_set_text (self->filter_label, text->str);
}

static void
update_actions (SpFlameView *self)
{
  gboolean has_profile = self->profile != NULL;
  gboolean selected = sp_flame_graph_get_selected_frame (self->graph) != SP_NO_FRAME;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.back", sp_flame_graph_can_go_back (self->graph));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.forward", sp_flame_graph_can_go_forward (self->graph));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.reset-zoom",
                                 sp_flame_graph_get_zoom_node (self->graph) != SP_NO_NODE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.hide-function", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.show-all", self->hidden->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.export-svg", has_profile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.export-png", has_profile);
  update_filter_label (self);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->view_actions),
                                                                          "focus")),
                               selected || self->focus_frame != SP_NO_FRAME);
}

/* ---- Toolbar ---- */

static void
change_icicle (GSimpleAction *action,
               GVariant      *value,
               gpointer       user_data)
{
  SpFlameView *self = user_data;

  g_simple_action_set_state (action, value);
  sp_flame_graph_set_orientation (self->graph, g_variant_get_boolean (value) ? SP_FLAME_ORIENTATION_ICICLE
                                                                             : SP_FLAME_ORIENTATION_FLAME);
}

static void
change_order (GSimpleAction *action,
              GVariant      *value,
              gpointer       user_data)
{
  SpFlameView *self = user_data;

  g_simple_action_set_state (action, value);
  sp_flame_graph_set_order (self->graph, g_str_equal (g_variant_get_string (value, NULL), "alphabetical")
                                           ? SP_FLAME_ORDER_ALPHABETICAL : SP_FLAME_ORDER_LEFT_HEAVY);
}

static char *
legend_swatch (double      change,
               const char *label)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  SpFlameRgb rgb = sp_flame_colors_for_change (change, 1, dark);

  return g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">■</span> %s", (int) lrintf (rgb.red * 255),
                          (int) lrintf (rgb.green * 255), (int) lrintf (rgb.blue * 255), label);
}

/* A differential graph says what its colours mean. */
static void
update_legend (SpFlameView *self)
{
  g_autofree char *grew = legend_swatch (1, _("grew"));
  g_autofree char *shrank = legend_swatch (-1, _("shrank"));
  g_autofree char *unchanged = legend_swatch (0, _("unchanged"));
  g_autofree char *markup = g_strdup_printf ("%s   %s   %s", grew, shrank, unchanged);

  gtk_label_set_markup (self->legend_label, markup);
  gtk_widget_set_visible (GTK_WIDGET (self->legend_label),
                          sp_flame_graph_get_colors (self->graph) == SP_FLAME_COLORS_DIFF);
}

static void
change_colors (GSimpleAction *action,
               GVariant      *value,
               gpointer       user_data)
{
  SpFlameView *self = user_data;
  SpFlameColors colors = SP_FLAME_COLORS_HOT;

  g_simple_action_set_state (action, value);
  sp_flame_colors_from_string (g_variant_get_string (value, NULL), &colors);
  sp_flame_graph_set_colors (self->graph, colors);
  update_legend (self);
}

/* A comparison (a profile with a baseline) is drawn in differential colours by default; the
 * Difference item is in the menu only for such profiles. */
static void
update_colors_for_profile (SpFlameView *self)
{
  GActionGroup *group = G_ACTION_GROUP (self->view_actions);
  gboolean differential = self->profile != NULL && sp_profile_has_metric (self->profile, SP_METRIC_BASELINE);
  gboolean listed = g_menu_model_get_n_items (G_MENU_MODEL (self->colors_section)) > SP_FLAME_COLORS_DIFF;
  g_autoptr(GVariant) state = g_action_group_get_action_state (group, "colors");

  if (differential && !listed)
    g_menu_prepend (self->colors_section, _("_Difference"), "flame-view.colors::diff");
  else if (!differential && listed)
    g_menu_remove (self->colors_section, 0);

  if (differential)
    g_action_group_change_action_state (group, "colors", g_variant_new_string ("diff"));
  else if (g_str_equal (g_variant_get_string (state, NULL), "diff"))
    g_action_group_change_action_state (group, "colors", g_variant_new_string ("hot"));
}

/* Samples or bytes, for an allocation profile that has both. */
static void
change_metric (GSimpleAction *action,
               GVariant      *value,
               gpointer       user_data)
{
  SpFlameView *self = user_data;
  SpMetric metric = SP_METRIC_SAMPLES;

  if (!sp_metric_from_string (g_variant_get_string (value, NULL), &metric) ||
      (self->profile != NULL && !sp_profile_has_metric (self->profile, metric)))
    return;
  g_simple_action_set_state (action, value);
  sp_flame_graph_set_metric (self->graph, metric);
}

static void
update_metric_for_profile (SpFlameView *self)
{
  SpProfile *profile = self->profile;
  gboolean both = profile != NULL && sp_profile_has_metric (profile, SP_METRIC_SAMPLES) &&
                  sp_profile_has_metric (profile, SP_METRIC_BYTES);

  gtk_widget_set_visible (self->metric_box, both);
  /* an allocation profile is drawn in bytes, a CPU profile in samples */
  if (profile != NULL)
    g_action_group_change_action_state (G_ACTION_GROUP (self->view_actions), "metric",
                                        g_variant_new_string (sp_metric_to_string (sp_profile_get_default_metric (profile))));
}

/* bottom-up and recursion: the profile drawn changes */
static void
change_transform (GSimpleAction *action,
                  GVariant      *value,
                  gpointer       user_data)
{
  g_simple_action_set_state (action, value);
  update_profile (SP_FLAME_VIEW (user_data));
}

static void
on_threshold_changed (SpFlameView   *self,
                      GtkSpinButton *spin)
{
  sp_flame_graph_set_threshold (self->graph, gtk_spin_button_get_value (spin) / 100);
}

static void
change_focus (GSimpleAction *action,
              GVariant      *value,
              gpointer       user_data)
{
  SpFlameView *self = user_data;
  guint32 frame = g_variant_get_boolean (value) ? sp_flame_graph_get_selected_frame (self->graph) : SP_NO_FRAME;

  g_simple_action_set_state (action, value);
  if (frame == self->focus_frame)
    return;

  self->focus_frame = frame;
  update_profile (self);
  update_actions (self);
}

static void
hide_function_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SpFlameView *self = SP_FLAME_VIEW (widget);
  guint32 frame = sp_flame_graph_get_selected_frame (self->graph);

  if (frame == SP_NO_FRAME)
    return;

  g_array_append_val (self->hidden, frame);
  sp_flame_graph_select_frame (self->graph, SP_NO_FRAME);
  update_profile (self);
  update_actions (self);
}

static void
show_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SpFlameView *self = SP_FLAME_VIEW (widget);

  g_array_set_size (self->hidden, 0);
  update_profile (self);
  update_actions (self);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpFlameView *self = SP_FLAME_VIEW (widget);

  if (g_str_equal (action_name, "flame.back"))
    sp_flame_graph_go_back (self->graph);
  else if (g_str_equal (action_name, "flame.forward"))
    sp_flame_graph_go_forward (self->graph);
  else
    sp_flame_graph_reset_zoom (self->graph);
}

/* ---- Search ---- */

static void
update_search (SpFlameView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  SpFlameSearchFlags flags = SP_FLAME_SEARCH_DEFAULT;
  g_autoptr(GError) error = NULL;
  g_autofree char *matched = NULL;

  if (gtk_toggle_button_get_active (self->regex_button))
    flags |= SP_FLAME_SEARCH_REGEX;
  if (gtk_toggle_button_get_active (self->case_button))
    flags |= SP_FLAME_SEARCH_CASE_SENSITIVE;
  if (!gtk_search_bar_get_search_mode (self->search_bar) || text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (text, self->search) != 0)
    {
      g_free (self->search);
      self->search = g_strdup (text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
    }

  if (!sp_flame_graph_set_search (self->graph, text, flags, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
      gtk_label_set_text (self->matched_label, _("Invalid pattern"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), error->message);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), NULL);
  if (text != NULL && text[0] != '\0')
    matched = g_strdup_printf (_("Matched: %.2f %%"), 100 * sp_flame_graph_get_matched_fraction (self->graph));
  gtk_label_set_text (self->matched_label, matched != NULL ? matched : "");
}

static void
match_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SpFlameView *self = SP_FLAME_VIEW (widget);

  sp_flame_graph_select_match (self->graph, g_str_equal (action_name, "flame.next-match") ? 1 : -1);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpFlameView *self = SP_FLAME_VIEW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_search_activate (SpFlameView    *self,
                    GtkSearchEntry *entry)
{
  sp_flame_graph_select_match (self->graph, 1);
}

static void
on_search_stopped (SpFlameView    *self,
                   GtkSearchEntry *entry)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->graph));
}

/* ---- Export ---- */

static gboolean
write_svg (SpFlameView  *self,
           GFile        *file,
           GError      **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  SpSvgOptions options;

  sp_svg_options_init (&options);
  options.title = self->title != NULL ? self->title : _("Flame Graph");
  options.inverted = sp_flame_graph_get_orientation (self->graph) == SP_FLAME_ORIENTATION_ICICLE;
  options.colors = sp_flame_graph_get_colors (self->graph);
  options.metric = sp_flame_graph_get_metric (self->graph);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  return stream != NULL &&
         sp_svg_write (sp_flame_graph_get_profile (self->graph), &options,
                       G_OUTPUT_STREAM (stream), NULL, error) &&
         g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

/* The graph as shown: its zoom, search and colours, at its width on screen. */
static gboolean
write_png (SpFlameView  *self,
           GFile        *file,
           GError      **error)
{
  GtkWidget *graph = GTK_WIDGET (self->graph);
  int width = gtk_widget_get_width (graph);
  int height = gtk_widget_get_height (graph);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (graph);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL || width <= 0 || height <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The flame graph is not drawn yet"));
      return FALSE;
    }

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (graph)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  png = gdk_texture_save_to_png_bytes (texture);
  return g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL,
                                  FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

static void
on_export_response (SpFlameView          *self,
                    int                   response,
                    GtkFileChooserNative *dialog)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ok;

  g_clear_object (&self->export_dialog);
  if (response != GTK_RESPONSE_ACCEPT || file == NULL)
    return;

  ok = self->export_png ? write_png (self, file, &error) : write_svg (self, file, &error);
  if (ok)
    message = g_strdup_printf (_("Exported the flame graph to “%s”"), g_file_peek_path (file));
  else
    message = g_strdup_printf (_("Could not export the flame graph: %s"), error->message);
  show_toast (self, message);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpFlameView *self = SP_FLAME_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;

  self->export_png = g_str_equal (action_name, "flame.export-png");
  dialog = gtk_file_chooser_native_new (self->export_png ? _("Export as PNG") : _("Export as SVG"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  base = sp_format_file_name (self->title, "flamegraph");
  name = g_strconcat (base, self->export_png ? ".png" : ".svg", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, G_CONNECT_SWAPPED);

  g_clear_object (&self->export_dialog);
  self->export_dialog = GTK_NATIVE_DIALOG (dialog);
  gtk_native_dialog_show (self->export_dialog);
}

/* The name exports carry: the title of an SVG, the file name offered. */
void
sp_flame_view_set_title (SpFlameView *self,
                         const char  *title)
{
  g_return_if_fail (SP_IS_FLAME_VIEW (self));

  g_free (self->title);
  self->title = g_strdup (title);
}

/* ---- GObject ---- */

static void
on_matched_changed (SpFlameView  *self,
                    GParamSpec   *pspec,
                    SpFlameGraph *graph)
{
  g_autofree char *matched = NULL;

  if (gtk_widget_has_css_class (GTK_WIDGET (self->search_entry), "error"))
    return;
  if (gtk_search_bar_get_search_mode (self->search_bar) &&
      gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0')
    matched = g_strdup_printf (_("Matched: %.2f %%"), 100 * sp_flame_graph_get_matched_fraction (graph));
  gtk_label_set_text (self->matched_label, matched != NULL ? matched : "");
}

SpProfile *
sp_flame_view_get_profile (SpFlameView *self)
{
  g_return_val_if_fail (SP_IS_FLAME_VIEW (self), NULL);

  return self->profile;
}

void
sp_flame_view_set_profile (SpFlameView *self,
                           SpProfile   *profile)
{
  g_return_if_fail (SP_IS_FLAME_VIEW (self));
  g_return_if_fail (!profile || SP_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;

  /* frame ids of another profile mean other functions */
  sp_flame_graph_select_frame (self->graph, SP_NO_FRAME);
  g_array_set_size (self->hidden, 0);
  self->focus_frame = SP_NO_FRAME;
  g_action_group_change_action_state (G_ACTION_GROUP (self->view_actions), "focus", g_variant_new_boolean (FALSE));
  update_metric_for_profile (self);
  update_colors_for_profile (self);
  update_profile (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

/* A newer version of the same recording (a live one): the transforms, zoom and selection
 * carry over, by name. */
void
sp_flame_view_update_profile (SpFlameView *self,
                              SpProfile   *profile)
{
  g_autoptr(SpProfile) old = NULL;
  guint kept = 0;

  g_return_if_fail (SP_IS_FLAME_VIEW (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (self->profile == NULL)
    {
      sp_flame_view_set_profile (self, profile);
      return;
    }
  old = g_object_ref (self->profile);
  if (!g_set_object (&self->profile, profile))
    return;
  for (guint i = 0; i < self->hidden->len; i++)
    {
      guint32 frame = sp_profile_match_frame (old, g_array_index (self->hidden, guint32, i), profile);

      if (frame != SP_NO_FRAME)
        g_array_index (self->hidden, guint32, kept++) = frame;
    }
  g_array_set_size (self->hidden, kept);
  self->focus_frame = sp_profile_match_frame (old, self->focus_frame, profile);
  update_profile (self);
  self->keep_view = TRUE;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

SpFlameGraph *
sp_flame_view_get_graph (SpFlameView *self)
{
  g_return_val_if_fail (SP_IS_FLAME_VIEW (self), NULL);

  return self->graph;
}

static void
sp_flame_view_dispose (GObject *object)
{
  SpFlameView *self = SP_FLAME_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->export_dialog != NULL)
    gtk_native_dialog_destroy (self->export_dialog);
  g_clear_object (&self->export_dialog);
  g_clear_object (&self->view_actions);
  g_clear_pointer (&self->search, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_FLAME_VIEW);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->hidden, g_array_unref);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (sp_flame_view_parent_class)->dispose (object);
}

static void
sp_flame_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SpFlameView *self = SP_FLAME_VIEW (object);

  switch (prop_id)
    {
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_flame_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SpFlameView *self = SP_FLAME_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      sp_flame_view_set_profile (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_flame_view_class_init (SpFlameViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_flame_view_dispose;
  object_class->get_property = sp_flame_view_get_property;
  object_class->set_property = sp_flame_view_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, SP_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SP_TYPE_FLAME_GRAPH);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-flame-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, graph);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, filter_label);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, regex_button);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, case_button);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, matched_label);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, legend_label);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, metric_box);
  gtk_widget_class_bind_template_child (widget_class, SpFlameView, colors_section);

  gtk_widget_class_install_action (widget_class, "flame.back", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "flame.forward", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "flame.reset-zoom", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "flame.hide-function", NULL, hide_function_action);
  gtk_widget_class_install_action (widget_class, "flame.show-all", NULL, show_all_action);
  gtk_widget_class_install_action (widget_class, "flame.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "flame.next-match", NULL, match_action);
  gtk_widget_class_install_action (widget_class, "flame.previous-match", NULL, match_action);
  gtk_widget_class_install_action (widget_class, "flame.export-svg", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "flame.export-png", NULL, export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "flame.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, 0, "flame.next-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, GDK_SHIFT_MASK, "flame.previous-match", NULL);
}

static const GActionEntry view_entries[] = {
  { "icicle", NULL, NULL, "false", change_icicle },
  { "bottom-up", NULL, NULL, "false", change_transform },
  { "order", NULL, "s", "'heaviest'", change_order },
  { "recursion", NULL, "s", "'none'", change_transform },
  { "colors", NULL, "s", "'hot'", change_colors },
  { "focus", NULL, NULL, "false", change_focus },
  { "metric", NULL, "s", "'samples'", change_metric },
};

static void
connect_toolbar (SpFlameView *self)
{
  self->view_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->view_actions), view_entries, G_N_ELEMENTS (view_entries),
                                   self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "flame-view", G_ACTION_GROUP (self->view_actions));
  g_signal_connect_object (self->threshold_spin, "value-changed", G_CALLBACK (on_threshold_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
connect_search (SpFlameView *self)
{
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (update_search), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate", G_CALLBACK (on_search_activate), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search", G_CALLBACK (on_search_stopped), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled", G_CALLBACK (update_search), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->regex_button, "toggled", G_CALLBACK (update_search), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->case_button, "toggled", G_CALLBACK (update_search), self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (update_legend), self,
                           G_CONNECT_SWAPPED);
}

/* A new graph is drawn as Preferences says; its View menu changes it afterwards. */
void
sp_flame_view_apply_preferences (SpFlameView *self)
{
  g_autoptr(GSettings) settings = sp_settings_new ();
  GActionGroup *group = G_ACTION_GROUP (self->view_actions);
  g_autofree char *colors = NULL;

  if (settings == NULL)
    return;
  colors = g_settings_get_string (settings, "flame-colors");
  g_action_group_change_action_state (group, "icicle", g_variant_new_boolean (g_settings_get_boolean (settings, "flame-icicle")));
  g_action_group_change_action_state (group, "colors", g_variant_new_string (colors));
  gtk_spin_button_set_value (self->threshold_spin, g_settings_get_double (settings, "flame-threshold"));
}

static void
sp_flame_view_init (SpFlameView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->hidden = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->focus_frame = SP_NO_FRAME;

  connect_toolbar (self);
  connect_search (self);
  sp_flame_view_apply_preferences (self);
  g_signal_connect_object (self->graph, "notify::zoom-node", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->graph, "notify::selected-frame", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->graph, "notify::matched-fraction", G_CALLBACK (on_matched_changed), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
}

GtkWidget *
sp_flame_view_new (void)
{
  return g_object_new (SP_TYPE_FLAME_VIEW, NULL);
}

const char *
sp_flame_view_get_search (SpFlameView *self)
{
  g_return_val_if_fail (SP_IS_FLAME_VIEW (self), NULL);

  return self->search;
}

/* Searches for text (NULL or empty: ends the search) as if typed, without taking the focus. */
void
sp_flame_view_set_search (SpFlameView *self,
                          const char  *text)
{
  gboolean searching = text != NULL && text[0] != '\0';

  g_return_if_fail (SP_IS_FLAME_VIEW (self));

  if (searching)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_search_bar_set_search_mode (self->search_bar, searching);
  update_search (self);
}
