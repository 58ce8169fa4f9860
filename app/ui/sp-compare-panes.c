/* sp-compare-panes.c: the baseline's and the new profile's flame graphs side by side
 *
 * Zooming either graph zooms the other to the same stack (the same frame names from the root,
 * as far as the other profile has them); one search entry searches both.  Each graph uses the
 * same colour scheme, and a function has the same colour in both.
 */
#define G_LOG_DOMAIN "sp-compare-panes"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-compare-panes.h"

struct _SpComparePanes
{
  GtkWidget     parent_instance;

  gboolean      syncing;   /* a zoom being passed on to the other graph */

  /* Template widgets */
  GtkButton    *reset_button;
  GtkSearchEntry *search_entry;
  GtkLabel     *matched_label;
  GtkLabel     *baseline_label;
  GtkLabel     *current_label;
  SpFlameGraph *baseline_graph;
  SpFlameGraph *current_graph;
};

G_DEFINE_FINAL_TYPE (SpComparePanes, sp_compare_panes, GTK_TYPE_WIDGET)

/* ---- zoom ---- */

static void
on_zoom_changed (SpComparePanes *self,
                 GParamSpec     *pspec,
                 SpFlameGraph   *graph)
{
  SpFlameGraph *other = graph == self->baseline_graph ? self->current_graph : self->baseline_graph;

  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button),
                            sp_flame_graph_get_zoom_node (graph) != SP_NO_NODE ||
                            sp_flame_graph_get_zoom_node (other) != SP_NO_NODE);
  if (self->syncing)
    return;
  self->syncing = TRUE;
  sp_flame_graph_zoom_like (other, graph);
  self->syncing = FALSE;
}

static void
on_reset_clicked (SpComparePanes *self,
                  GtkButton      *button)
{
  sp_flame_graph_reset_zoom (self->baseline_graph);
  sp_flame_graph_reset_zoom (self->current_graph);
}

/* ---- search ---- */

static void
update_matched (SpComparePanes *self,
                gboolean        searching)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->matched_label), searching);
  if (!searching)
    return;

  /* Translators: the share of the stacks matching a search, in the baseline and the new profile */
  text = g_strdup_printf (_("Matched: %.2f %% → %.2f %%"),
                          100 * sp_flame_graph_get_matched_fraction (self->baseline_graph),
                          100 * sp_flame_graph_get_matched_fraction (self->current_graph));
  gtk_label_set_text (self->matched_label, text);
}

void
sp_compare_panes_set_search (SpComparePanes *self,
                             const char     *pattern)
{
  gboolean searching;

  g_return_if_fail (SP_IS_COMPARE_PANES (self));

  /* a plain substring cannot be a bad pattern */
  searching = pattern != NULL && *pattern != '\0';
  sp_flame_graph_set_search (self->baseline_graph, searching ? pattern : NULL, SP_FLAME_SEARCH_DEFAULT, NULL);
  sp_flame_graph_set_search (self->current_graph, searching ? pattern : NULL, SP_FLAME_SEARCH_DEFAULT, NULL);
  update_matched (self, searching);
}

static void
on_search_changed (SpComparePanes *self,
                   GtkSearchEntry *entry)
{
  sp_compare_panes_set_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* ---- GObject ---- */

static void
sp_compare_panes_dispose (GObject *object)
{
  SpComparePanes *self = SP_COMPARE_PANES (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_COMPARE_PANES);
  /* GTK 4.8 only removes the bound template children: drop the others as well. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sp_compare_panes_parent_class)->dispose (object);
}

static void
sp_compare_panes_class_init (SpComparePanesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_compare_panes_dispose;

  g_type_ensure (SP_TYPE_FLAME_GRAPH);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sbclprofiler/SbclProfiler/sp-compare-panes.ui");
  gtk_widget_class_bind_template_child (widget_class, SpComparePanes, reset_button);
  gtk_widget_class_bind_template_child (widget_class, SpComparePanes, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SpComparePanes, matched_label);
  gtk_widget_class_bind_template_child (widget_class, SpComparePanes, baseline_label);
  gtk_widget_class_bind_template_child (widget_class, SpComparePanes, current_label);
  gtk_widget_class_bind_template_child (widget_class, SpComparePanes, baseline_graph);
  gtk_widget_class_bind_template_child (widget_class, SpComparePanes, current_graph);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
sp_compare_panes_init (SpComparePanes *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sp_compare_panes_new (void)
{
  return g_object_new (SP_TYPE_COMPARE_PANES, NULL);
}

void
sp_compare_panes_set_titles (SpComparePanes *self,
                             const char     *baseline_title,
                             const char     *current_title)
{
  g_autofree char *baseline_text = NULL;
  g_autofree char *current_text = NULL;

  g_return_if_fail (SP_IS_COMPARE_PANES (self));

  /* Translators: the heading of the baseline's flame graph */
  baseline_text = g_strdup_printf (_("Baseline: %s"), baseline_title);
  /* Translators: the heading of the new profile's flame graph */
  current_text = g_strdup_printf (_("New: %s"), current_title);
  gtk_label_set_text (self->baseline_label, baseline_text);
  gtk_label_set_text (self->current_label, current_text);
}

void
sp_compare_panes_set_profiles (SpComparePanes *self,
                               SpProfile      *baseline,
                               const char     *baseline_title,
                               SpProfile      *current,
                               const char     *current_title)
{
  g_return_if_fail (SP_IS_COMPARE_PANES (self));
  g_return_if_fail (SP_IS_PROFILE (baseline));
  g_return_if_fail (SP_IS_PROFILE (current));

  sp_compare_panes_set_titles (self, baseline_title, current_title);

  self->syncing = TRUE;
  sp_flame_graph_set_profile (self->baseline_graph, baseline);
  sp_flame_graph_set_profile (self->current_graph, current);
  sp_flame_graph_set_metric (self->baseline_graph, sp_profile_get_default_metric (baseline));
  sp_flame_graph_set_metric (self->current_graph, sp_profile_get_default_metric (current));
  self->syncing = FALSE;
  sp_compare_panes_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* The window's Ctrl+F: into the search entry of both graphs. */
gboolean
sp_compare_panes_focus_search (SpComparePanes *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_PANES (self), FALSE);

  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

SpFlameGraph *
sp_compare_panes_get_baseline_graph (SpComparePanes *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_PANES (self), NULL);

  return self->baseline_graph;
}

SpFlameGraph *
sp_compare_panes_get_current_graph (SpComparePanes *self)
{
  g_return_val_if_fail (SP_IS_COMPARE_PANES (self), NULL);

  return self->current_graph;
}
