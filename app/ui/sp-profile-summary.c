/* sp-profile-summary.c: the header of a profile tab: how it was recorded, and its warnings
 *
 * Mode, interval, samples, duration, GC time (which sampling misses), bytes consed, SBCL
 * version and workload: each shown only when the recording knows it.  A truncated recording
 * gets a warning bar; memory recordings a note of what their figures are (estimates, or the
 * code that was instrumented); every recording with GC events the number of collections.
 */
#define G_LOG_DOMAIN "sp-profile-summary"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-format.h"
#include "sp-profile-summary.h"
#include "sp-runs.h"

struct _SpProfileSummary
{
  GtkWidget   parent_instance;

  /* Owned */
  SpProfile  *profile;

  /* Template widgets */
  GtkInfoBar *truncated_bar;
  GtkInfoBar *memory_bar;
  GtkLabel   *memory_label;
  GtkInfoBar *end_bar;
  GtkLabel   *end_label;
  GtkFlowBox *items;
};

G_DEFINE_FINAL_TYPE (SpProfileSummary, sp_profile_summary, GTK_TYPE_WIDGET)

static void
add_summary_item (SpProfileSummary *self,
                  const char       *value,
                  const char       *caption,
                  const char       *tooltip)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *value_label = gtk_label_new (value);
  GtkWidget *caption_label = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (value_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0);
  gtk_widget_add_css_class (value_label, "summary-value");
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_widget_add_css_class (caption_label, "caption");
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_box_append (GTK_BOX (box), value_label);
  gtk_box_append (GTK_BOX (box), caption_label);
  gtk_widget_set_tooltip_text (box, tooltip);
  gtk_flow_box_append (self->items, box);
  /* a figure to read, not an item to pick */
  gtk_widget_set_focusable (gtk_widget_get_parent (box), FALSE);
}

/* The collections of the recording, with their pauses in the tooltip. */
static void
add_gc_item (SpProfileSummary *self)
{
  g_autofree char *count = NULL, *tooltip = NULL;
  g_autofree char *total = NULL, *longest = NULL;
  SpGcSummary gc;

  if (!sp_gc_summary_compute (self->profile, &gc))
    return;
  count = g_strdup_printf ("%u", gc.count);
  total = sp_format_seconds (gc.total_pause);
  longest = sp_format_seconds (gc.longest_pause);
  tooltip = gc.count == 0
            ? g_strdup (_("No garbage collection ran during the recording"))
            : g_strdup_printf (_("%s of pauses in all (%.1f %% of the wall time); the longest "
                                 "%s, collecting up to generation %d"),
                               total, MAX (gc.wall_share, 0) * 100, longest,
                               gc.longest_generation);
  add_summary_item (self, count, _("Collections"), tooltip);
}

/* What the memory figures are: estimates, or which code was counted. */
static void
show_memory_note (SpProfileSummary    *self,
                  const SpProfileMeta *meta)
{
  const char *note = NULL;

  if (meta->mode == SP_MODE_ALLOC && sp_profile_has_metric (self->profile, SP_METRIC_BYTES))
    note = sp_format_estimate_explanation ();
  else if (meta->mode == SP_MODE_ALLOC)
    note = _("The sample limit was reached, so the samples cover only the start of the "
             "recording: no bytes are estimated from them.");
  else if (meta->mode == SP_MODE_ALLOC_EXACT)
    note = meta->instrumented;
  gtk_label_set_label (self->memory_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->memory_bar), note != NULL);
}

/* A recording cut short says why (the sample limit has a bar of its own). */
static void
show_end_reason (SpProfileSummary    *self,
                 const SpProfileMeta *meta)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (meta->end_reason, "sbcl-exited") == 0)
    text = g_strdup_printf (_("This recording is partial: %s during it. The profile holds the "
                              "samples received until then."),
                            meta->end_message ? meta->end_message : _("SBCL exited"));
  else if (g_strcmp0 (meta->end_reason, "stopped") == 0)
    text = g_strdup (_("Stop cut the workload’s run short: the last run is partial."));
  else if (g_strcmp0 (meta->end_reason, "workload-error") == 0)
    text = g_strdup (_("The workload signalled an error: the profile covers what ran until then."));
  gtk_label_set_text (self->end_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->end_bar), text != NULL);
}

/* Repeated runs: the median run, with the spread from the fastest to the slowest. */
static void
add_runs_item (SpProfileSummary *self)
{
  SpSpread spread;
  gboolean seconds = FALSE;
  SpMetric metric = sp_profile_get_default_metric (self->profile);
  g_autofree char *median = NULL, *min = NULL, *max = NULL, *label = NULL, *tooltip = NULL;

  if (!sp_profile_run_spread (self->profile, &spread, &seconds))
    return;
  median = seconds ? sp_format_seconds (spread.median) : sp_format_weight (self->profile, metric, spread.median);
  min = seconds ? sp_format_seconds (spread.min) : sp_format_weight (self->profile, metric, spread.min);
  max = seconds ? sp_format_seconds (spread.max) : sp_format_weight (self->profile, metric, spread.max);
  label = g_strdup_printf (_("Median of %u Runs, ± %.0f %%"), spread.n, sp_spread_percent (&spread) / 2);
  tooltip = g_strdup_printf (_("Runs took from %s to %s (median %s): a spread of %.1f %% of the "
                               "median. Changes smaller than this are within the noise."),
                             min, max, median, sp_spread_percent (&spread));
  add_summary_item (self, median, label, tooltip);
}

void
sp_profile_summary_set_profile (SpProfileSummary *self,
                                SpProfile        *profile)
{
  const SpProfileMeta *meta;
  GtkWidget *child;

  g_return_if_fail (SP_IS_PROFILE_SUMMARY (self));
  g_return_if_fail (SP_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;
  meta = sp_profile_get_meta (profile);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items))))
    gtk_flow_box_remove (self->items, child);

  add_summary_item (self, sp_format_mode (meta->mode), _("Mode"), NULL);
  if (meta->interval > 0)
    {
      g_autofree char *text = sp_format_seconds (meta->interval);
      add_summary_item (self, text, _("Interval"), _("Time between two samples"));
    }
  if (meta->sample_count >= 0)
    {
      g_autofree char *text = sp_format_count (meta->sample_count);
      add_summary_item (self, text, _("Samples"), NULL);
    }
  else if (meta->mode == SP_MODE_IMPORTED && sp_profile_has_metric (self->profile, SP_METRIC_SAMPLES))
    {
      /* Imported stacks carry counts, not a sample total of their own. */
      g_autofree char *text = sp_format_count (sp_profile_get_grand_total (self->profile, SP_METRIC_SAMPLES));
      add_summary_item (self, text, _("Samples"), NULL);
    }
  if (meta->duration >= 0)
    {
      g_autofree char *text = sp_format_seconds (meta->duration);
      add_summary_item (self, text, _("Duration"), _("Wall-clock time of the recording"));
    }
  if (meta->gc_seconds >= 0 && meta->sample_count >= 0)
    {
      g_autofree char *text = sp_format_seconds (meta->gc_seconds);

      if (meta->mode == SP_MODE_CPU || meta->mode == SP_MODE_ALLOC || meta->mode == SP_MODE_TIME)
        add_summary_item (self, text, _("In GC, not sampled"),
                          _("Samples that fall into garbage collection are lost: this time is "
                            "missing from the tables and graphs"));
      else
        add_summary_item (self, text, _("In GC"),
                          _("Garbage collection during the recording; the functions’ GC seconds "
                            "say where it happened"));
    }
  else if (meta->gc_seconds >= 0)
    {
      g_autofree char *text = sp_format_seconds (meta->gc_seconds);
      add_summary_item (self, text, _("In GC"), _("Time spent collecting garbage"));
    }
  add_gc_item (self);
  if (meta->bytes_consed >= 0)
    {
      g_autofree char *text = sp_format_bytes (meta->bytes_consed);
      add_summary_item (self, text, _("Consed"), _("Bytes allocated during the recording"));
    }
  add_runs_item (self);
  if (meta->overhead_call >= 0)
    {
      g_autofree char *text = sp_format_seconds (meta->overhead_call + MAX (meta->overhead_nested, 0));
      g_autofree char *inside = sp_format_seconds (meta->overhead_call);
      g_autofree char *outside = sp_format_seconds (MAX (meta->overhead_nested, 0));
      g_autofree char *tooltip =
        g_strdup_printf (_("sb-profile’s calibrated cost of one profiled call: %s inside the "
                           "function and %s seen by its caller. Seconds are corrected by taking "
                           "it out, exactly as sb-profile:report does; raw seconds include it."),
                         inside, outside);

      add_summary_item (self, text, _("Overhead per Call"), tooltip);
    }
  if (meta->sbcl_version != NULL)
    add_summary_item (self, meta->sbcl_version, _("SBCL"), meta->host);
  if (meta->workload != NULL)
    add_summary_item (self, meta->workload, _("Workload"), meta->workload);

  /* Shown or hidden rather than revealed: a GtkInfoBar once hidden by revealed=FALSE stays
   * hidden in GTK 4.8. */
  gtk_widget_set_visible (GTK_WIDGET (self->truncated_bar), meta->truncated);
  show_memory_note (self, meta);
  show_end_reason (self, meta);
}

static void
sp_profile_summary_dispose (GObject *object)
{
  SpProfileSummary *self = SP_PROFILE_SUMMARY (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_PROFILE_SUMMARY);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sp_profile_summary_parent_class)->dispose (object);
}

static void
sp_profile_summary_class_init (SpProfileSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_profile_summary_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-profile-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, SpProfileSummary, truncated_bar);
  gtk_widget_class_bind_template_child (widget_class, SpProfileSummary, memory_bar);
  gtk_widget_class_bind_template_child (widget_class, SpProfileSummary, memory_label);
  gtk_widget_class_bind_template_child (widget_class, SpProfileSummary, end_bar);
  gtk_widget_class_bind_template_child (widget_class, SpProfileSummary, end_label);
  gtk_widget_class_bind_template_child (widget_class, SpProfileSummary, items);
}

static void
sp_profile_summary_init (SpProfileSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sp_profile_summary_new (void)
{
  return g_object_new (SP_TYPE_PROFILE_SUMMARY, NULL);
}
