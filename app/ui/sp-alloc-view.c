/* sp-alloc-view.c: the Allocations page of a profile tab
 *
 * Three sections (by function, by type, the heap retained) and the garbage collections.  Each
 * says where its figures come from: exact (sb-aprof or sb-profile) or estimated from samples,
 * and what was left out.  A section the recording has no data for says why, and what to record
 * instead.  Selecting a function in either table selects it in the whole tab.
 */
#define G_LOG_DOMAIN "sp-alloc-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-alloc.h"
#include "sp-alloc-table.h"
#include "sp-alloc-view.h"
#include "sp-format.h"
#include "sp-gc-strip.h"
#include "sp-heap-item.h"
#include "sp-heap-table.h"

struct _SpAllocView
{
  GtkWidget      parent_instance;

  /* Owned */
  SpProfile     *profile;
  guint32        selected;

  /* Template widgets */
  GtkStack      *state_stack;
  GtkLabel      *source_badge;
  GtkLabel      *note;
  GtkStack      *sections;
  GtkLabel      *functions_caption;
  GtkStack      *functions_stack;
  AdwStatusPage *functions_status;
  SpAllocTable  *functions_table;
  GtkLabel      *types_caption;
  GtkStack      *types_stack;
  AdwStatusPage *types_status;
  SpAllocTable  *types_table;
  GtkLabel      *heap_caption;
  GtkStack      *heap_stack;
  AdwStatusPage *heap_status;
  SpHeapTable   *heap_table;
  GtkLabel      *gc_missing;
  GtkWidget     *gc_summary;
  GtkLabel      *gc_count;
  GtkLabel      *gc_total;
  GtkLabel      *gc_longest;
  GtkLabel      *gc_share;
  GtkLabel      *gc_peak;
  SpGcStrip     *gc_strip;
  GtkWidget     *gc_legend;
};

G_DEFINE_FINAL_TYPE (SpAllocView, sp_alloc_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SELECTED_FRAME, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- where the figures come from ---- */

/* The header of the tab already says which code was instrumented (meta->instrumented): this
 * says what that leaves out, in bytes. */
static char *
describe_exact (SpProfile *profile)
{
  const SpProfileMeta *meta = sp_profile_get_meta (profile);
  double counted = sp_alloc_total_bytes (profile);
  g_autofree char *outside = NULL;
  g_autofree char *consed = NULL;

  if (meta->bytes_consed < 0 || meta->bytes_consed < counted)
    return g_strdup (_("Counted by sb-aprof in code compiled with allocation instrumentation. SBCL’s own "
                       "functions (FORMAT, …) and code loaded without instrumentation are not counted."));
  outside = sp_format_bytes (meta->bytes_consed - (gint64) counted);
  consed = sp_format_bytes (meta->bytes_consed);
  return g_strdup_printf (_("Counted by sb-aprof in code compiled with allocation instrumentation. Of the %s "
                            "consed while recording, %s were allocated outside it: by SBCL’s own functions "
                            "(FORMAT, …) and code loaded without instrumentation, which are not counted."),
                          consed, outside);
}

static void
show_source (SpAllocView   *self,
             SpBytesSource  source)
{
  g_autofree char *note = NULL;
  const char *badge = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->source_badge), "exact");
  gtk_widget_remove_css_class (GTK_WIDGET (self->source_badge), "estimated");
  switch (source)
    {
    case SP_BYTES_EXACT:
      badge = _("Exact");
      note = describe_exact (self->profile);
      break;
    case SP_BYTES_DETERMINISTIC:
      badge = _("Exact");
      note = g_strdup (_("Bytes consed during the calls of each profiled function, less what the profiled "
                         "functions it called consed, as sb-profile reports them. Object types are not counted."));
      break;
    case SP_BYTES_ESTIMATED:
      badge = _("Estimated");
      /* the tab's header explains the estimate: the badge's tooltip repeats it */
      note = g_strdup (_("Estimated from the allocation samples, as the note above explains: a guide to "
                         "where the bytes go, not exact figures. Hover a figure or the badge for how "
                         "they were made."));
      break;
    case SP_BYTES_NONE:
    default:
      break;
    }
  gtk_label_set_label (self->source_badge, badge);
  gtk_widget_set_visible (GTK_WIDGET (self->source_badge), badge != NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->source_badge),
                            source == SP_BYTES_ESTIMATED ? "estimated" : "exact");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_badge),
                               source == SP_BYTES_ESTIMATED ? sp_format_estimate_explanation () : note);
  gtk_label_set_label (self->note, note);
  gtk_widget_set_visible (GTK_WIDGET (self->note), note != NULL);
}

/* Why a recording of this mode has no allocations per function. */
static const char *
describe_missing_allocations (SpProfile *profile)
{
  switch (sp_profile_get_meta (profile)->mode)
    {
    case SP_MODE_CPU:
    case SP_MODE_TIME:
      return _("This recording sampled time, not allocations. Record in “Allocation (exact)” mode "
               "for the bytes and objects each function allocates, or in “Allocation (sampled)” mode for "
               "estimates on code that cannot be recompiled.");
    case SP_MODE_DETERMINISTIC:
      return _("sb-profile counted no bytes for the profiled functions. Record in “Allocation "
               "(exact)” mode for the bytes and objects each function allocates.");
    case SP_MODE_IMPORTED:
      return _("Imported stacks carry no allocation figures.");
    case SP_MODE_ALLOC:
    case SP_MODE_ALLOC_EXACT:
    default:
      return _("Nothing was allocated while recording.");
    }
}

static void
show_status (GtkStack      *stack,
             AdwStatusPage *status,
             const char    *title,
             const char    *description)
{
  adw_status_page_set_title (status, title);
  adw_status_page_set_description (status, description);
  gtk_stack_set_visible_child_name (stack, "empty");
}

/* "9.4 MB in 108,500 objects · 3 functions" */
static char *
describe_totals (SpProfile  *profile,
                 GListModel *rows,
                 gboolean    types)
{
  guint n = g_list_model_get_n_items (rows);
  double bytes = 0, objects = 0, samples = 0;
  g_autofree char *amount = NULL;
  g_autofree char *count = NULL;
  g_autofree char *what = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(SpAllocItem) item = gtk_tree_list_row_get_item (row);
      const SpAllocTotal *total = sp_alloc_item_get_total (item);

      if (gtk_tree_list_row_get_depth (row) > 0)
        continue;
      bytes += total->bytes;
      objects += MAX (total->objects, 0);
      samples += MAX (total->samples, 0);
    }
  amount = sp_format_weight (profile, SP_METRIC_BYTES, bytes);
  if (sp_memory_bytes_source (profile) == SP_BYTES_EXACT)
    {
      g_autofree char *number = sp_format_count (objects);
      what = g_strdup_printf (_("%s in %s objects"), amount, number);
    }
  else if (sp_memory_bytes_source (profile) == SP_BYTES_ESTIMATED)
    {
      g_autofree char *number = sp_format_count (samples);
      what = g_strdup_printf (_("%s from %s allocation samples"), amount, number);
    }
  else
    what = g_strdup_printf (_("%s consed"), amount);
  n = g_list_model_get_n_items (gtk_tree_list_model_get_model (GTK_TREE_LIST_MODEL (
        gtk_sort_list_model_get_model (GTK_SORT_LIST_MODEL (rows)))));
  count = types ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u type", "%u types", n), n)
                : sp_format_function_count (n, n);
  return g_strdup_printf ("%s · %s", what, count);
}

static void
show_functions (SpAllocView   *self,
                SpBytesSource  source)
{
  GListModel *rows;
  g_autofree char *caption = NULL;

  sp_alloc_table_set_profile (self->functions_table, self->profile);
  rows = sp_alloc_table_get_model (self->functions_table);
  if (source == SP_BYTES_NONE)
    {
      gtk_label_set_label (self->functions_caption, _("Not recorded"));
      show_status (self->functions_stack, self->functions_status, _("No Allocation Figures"),
                   describe_missing_allocations (self->profile));
      return;
    }
  if (g_list_model_get_n_items (rows) == 0)
    {
      gtk_label_set_label (self->functions_caption, _("Nothing counted"));
      show_status (self->functions_stack, self->functions_status, _("No Allocations Counted"),
                   source == SP_BYTES_EXACT
                   ? _("The instrumented code allocated nothing while recording. Only code compiled "
                       "with allocation instrumentation is counted: load the code to measure in a "
                       "session with “Instrument allocations” on.")
                   : describe_missing_allocations (self->profile));
      return;
    }
  caption = describe_totals (self->profile, rows, FALSE);
  gtk_label_set_label (self->functions_caption, caption);
  gtk_stack_set_visible_child_name (self->functions_stack, "table");
}

static void
show_types (SpAllocView   *self,
            SpBytesSource  source)
{
  GListModel *rows;
  g_autofree char *caption = NULL;

  sp_alloc_table_set_profile (self->types_table, self->profile);
  rows = sp_alloc_table_get_model (self->types_table);
  if (source != SP_BYTES_EXACT || g_list_model_get_n_items (rows) == 0)
    {
      gtk_label_set_label (self->types_caption, _("Not recorded"));
      show_status (self->types_stack, self->types_status, _("No Object Types"),
                   source == SP_BYTES_EXACT
                   ? _("The instrumented code allocated nothing while recording.")
                   : _("Only “Allocation (exact)” recordings count objects by type. Record in that "
                       "mode to see which kinds of objects (conses, vectors, strings, instances…) "
                       "each function allocates."));
      return;
    }
  caption = describe_totals (self->profile, rows, TRUE);
  gtk_label_set_label (self->types_caption, caption);
  gtk_stack_set_visible_child_name (self->types_stack, "table");
}

static void
show_heap (SpAllocView *self)
{
  const SpProfileMeta *meta = sp_profile_get_meta (self->profile);
  GListModel *rows;
  double objects = 0, bytes = 0, before = 0, after = 0;
  g_autofree char *retained = NULL;
  g_autofree char *count = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  GString *caption;

  if (!sp_heap_table_set_profile (self->heap_table, self->profile))
    {
      gtk_label_set_label (self->heap_caption, _("No snapshot"));
      show_status (self->heap_stack, self->heap_status, _("No Heap Snapshot"),
                   _("Record with “Heap snapshot” on to count the live objects by type after a "
                     "full collection before and after the workload: what the workload left "
                     "alive, to find leaks."));
      return;
    }

  rows = sp_heap_table_get_model (self->heap_table);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SpHeapItem) item = g_list_model_get_item (rows, i);
      const SpHeapDelta *d = sp_heap_item_get_delta (item);

      objects += SP_HEAP_DELTA_RETAINED_OBJECTS (d);
      bytes += SP_HEAP_DELTA_RETAINED_BYTES (d);
      before += d->bytes_before;
      after += d->bytes_after;
    }
  retained = sp_format_bytes ((gint64) bytes);
  count = sp_format_count (objects);
  before_text = sp_format_bytes ((gint64) before);
  after_text = sp_format_bytes ((gint64) after);
  caption = g_string_new (NULL);
  g_string_append_printf (caption, _("%s%s retained in %s objects · live before %s, after %s"),
                          bytes > 0 ? "+" : "", retained, count, before_text, after_text);
  if (meta->heap_snapshot_seconds >= 0)
    {
      g_autofree char *cost = sp_format_seconds (meta->heap_snapshot_seconds);
      g_string_append_printf (caption, _(" · the snapshots took %s"), cost);
    }
  gtk_label_set_label (self->heap_caption, caption->str);
  g_string_free (caption, TRUE);
  gtk_stack_set_visible_child_name (self->heap_stack, "table");
}

static void
set_label_take (GtkLabel *label,
                char     *text)
{
  gtk_label_set_label (label, text);
  g_free (text);
}

static void
show_gc (SpAllocView *self)
{
  SpGcSummary summary;
  gboolean recorded = sp_gc_summary_compute (self->profile, &summary);

  gtk_widget_set_visible (GTK_WIDGET (self->gc_missing), !recorded);
  gtk_widget_set_visible (self->gc_summary, recorded);
  gtk_widget_set_visible (GTK_WIDGET (self->gc_strip), recorded && summary.count > 0);
  gtk_widget_set_visible (self->gc_legend, recorded && summary.count > 0);
  if (!recorded)
    return;

  set_label_take (self->gc_count, g_strdup_printf ("%u", summary.count));
  set_label_take (self->gc_total, sp_format_seconds (summary.total_pause));
  set_label_take (self->gc_longest, sp_format_seconds (summary.longest_pause));
  set_label_take (self->gc_share, summary.wall_share >= 0 ? sp_format_percent (summary.wall_share)
                                                          : g_strdup (_("Unknown")));
  set_label_take (self->gc_peak, summary.peak_bytes >= 0 ? sp_format_bytes (summary.peak_bytes) : g_strdup (_("None")));
  sp_gc_strip_set_profile (self->gc_strip, self->profile);
}

/* ---- the profile ---- */

void
sp_alloc_view_set_profile (SpAllocView *self,
                           SpProfile   *profile)
{
  SpBytesSource source;

  g_return_if_fail (SP_IS_ALLOC_VIEW (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;

  self->selected = SP_NO_FRAME;
  if (!sp_alloc_has_memory_data (profile))
    {
      gtk_stack_set_visible_child_name (self->state_stack, "none");
      return;
    }

  source = sp_memory_bytes_source (profile);
  show_source (self, source);
  show_functions (self, source);
  show_types (self, source);
  show_heap (self);
  show_gc (self);
  /* open where the recording has most to say */
  gtk_stack_set_visible_child_name (self->sections,
                                    source == SP_BYTES_NONE && sp_profile_get_sections (profile)->heap_after != NULL
                                    ? "heap" : "functions");
  gtk_stack_set_visible_child_name (self->state_stack, "data");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
}

/* ---- selection ---- */

guint32
sp_alloc_view_get_selected_frame (SpAllocView *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_VIEW (self), SP_NO_FRAME);

  return self->selected;
}

void
sp_alloc_view_select_frame (SpAllocView *self,
                            guint32      frame)
{
  g_return_if_fail (SP_IS_ALLOC_VIEW (self));

  self->selected = frame;
  sp_alloc_table_select_frame (self->functions_table, frame);
}

static void
on_table_selection (SpAllocView  *self,
                    GParamSpec   *pspec,
                    SpAllocTable *table)
{
  guint32 frame = sp_alloc_table_get_selected_frame (table);

  if (frame == SP_NO_FRAME || frame == self->selected)
    return;
  self->selected = frame;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
}

/* ---- for tests ---- */

GtkWidget *
sp_alloc_view_get_functions_table (SpAllocView *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_VIEW (self), NULL);
  return GTK_WIDGET (self->functions_table);
}

GtkWidget *
sp_alloc_view_get_types_table (SpAllocView *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_VIEW (self), NULL);
  return GTK_WIDGET (self->types_table);
}

GtkWidget *
sp_alloc_view_get_heap_table (SpAllocView *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_VIEW (self), NULL);
  return GTK_WIDGET (self->heap_table);
}

GtkWidget *
sp_alloc_view_get_gc_strip (SpAllocView *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_VIEW (self), NULL);
  return GTK_WIDGET (self->gc_strip);
}

GtkStack *
sp_alloc_view_get_sections (SpAllocView *self)
{
  g_return_val_if_fail (SP_IS_ALLOC_VIEW (self), NULL);
  return self->sections;
}

const char *
sp_alloc_view_get_label_text (SpAllocView *self,
                              const char  *id)
{
  GObject *child;

  g_return_val_if_fail (SP_IS_ALLOC_VIEW (self), NULL);

  child = gtk_widget_get_template_child (GTK_WIDGET (self), SP_TYPE_ALLOC_VIEW, id);
  if (GTK_IS_LABEL (child))
    return gtk_label_get_label (GTK_LABEL (child));
  if (ADW_IS_STATUS_PAGE (child))
    return adw_status_page_get_title (ADW_STATUS_PAGE (child));
  return NULL;
}

/* ---- the widget ---- */

static void
sp_alloc_view_dispose (GObject *object)
{
  SpAllocView *self = SP_ALLOC_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_ALLOC_VIEW);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sp_alloc_view_parent_class)->dispose (object);
}

static void
sp_alloc_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SELECTED_FRAME:
      g_value_set_uint (value, SP_ALLOC_VIEW (object)->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, SpAllocView, name)

static void
sp_alloc_view_class_init (SpAllocViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_alloc_view_dispose;
  object_class->get_property = sp_alloc_view_get_property;

  properties[PROP_SELECTED_FRAME] =
    g_param_spec_uint ("selected-frame", NULL, NULL, 0, G_MAXUINT32, SP_NO_FRAME,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SP_TYPE_ALLOC_TABLE);
  g_type_ensure (SP_TYPE_GC_STRIP);
  g_type_ensure (SP_TYPE_HEAP_TABLE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-alloc-view.ui");
  BIND (state_stack);
  BIND (source_badge);
  BIND (note);
  BIND (sections);
  BIND (functions_caption);
  BIND (functions_stack);
  BIND (functions_status);
  BIND (functions_table);
  BIND (types_caption);
  BIND (types_stack);
  BIND (types_status);
  BIND (types_table);
  BIND (heap_caption);
  BIND (heap_stack);
  BIND (heap_status);
  BIND (heap_table);
  BIND (gc_missing);
  BIND (gc_summary);
  BIND (gc_count);
  BIND (gc_total);
  BIND (gc_longest);
  BIND (gc_share);
  BIND (gc_peak);
  BIND (gc_strip);
  BIND (gc_legend);
  gtk_widget_class_bind_template_callback (widget_class, on_table_selection);
}

static void
sp_alloc_view_init (SpAllocView *self)
{
  self->selected = SP_NO_FRAME;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sp_alloc_view_new (void)
{
  return g_object_new (SP_TYPE_ALLOC_VIEW, NULL);
}
