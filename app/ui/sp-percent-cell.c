/* sp-percent-cell.c: a table cell showing a fraction as a bar behind its number
 *
 * Two children: a bar (a CSS node “bar”, so the theme colours it in light and dark styles)
 * allocated to the fraction of the width, and the label over it.
 */
#define G_LOG_DOMAIN "sp-percent-cell"

#include "config.h"

#include "sp-format.h"
#include "sp-percent-cell.h"

struct _SpPercentCell
{
  GtkWidget  parent_instance;

  GtkWidget *bar;
  GtkWidget *label;
  double     fraction;
};

G_DEFINE_FINAL_TYPE (SpPercentCell, sp_percent_cell, GTK_TYPE_WIDGET)

static void
sp_percent_cell_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  SpPercentCell *self = SP_PERCENT_CELL (widget);

  gtk_widget_measure (self->label, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
sp_percent_cell_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  SpPercentCell *self = SP_PERCENT_CELL (widget);
  int bar_width = (int) (CLAMP (self->fraction, 0, 1) * width + 0.5);

  gtk_widget_set_child_visible (self->bar, bar_width > 0);
  gtk_widget_size_allocate (self->bar, &(GtkAllocation) { 0, 0, bar_width, height }, -1);
  gtk_widget_size_allocate (self->label, &(GtkAllocation) { 0, 0, width, height }, baseline);
}

static void
sp_percent_cell_dispose (GObject *object)
{
  SpPercentCell *self = SP_PERCENT_CELL (object);

  g_clear_pointer (&self->bar, gtk_widget_unparent);
  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (sp_percent_cell_parent_class)->dispose (object);
}

static void
sp_percent_cell_class_init (SpPercentCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_percent_cell_dispose;
  widget_class->measure = sp_percent_cell_measure;
  widget_class->size_allocate = sp_percent_cell_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "percentcell");
}

static void
sp_percent_cell_init (SpPercentCell *self)
{
  self->bar = g_object_new (GTK_TYPE_BOX, "css-name", "bar", NULL);
  gtk_widget_set_parent (self->bar, GTK_WIDGET (self));

  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 1);
  gtk_widget_add_css_class (self->label, "numeric");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
}

GtkWidget *
sp_percent_cell_new (void)
{
  return g_object_new (SP_TYPE_PERCENT_CELL, NULL);
}

double
sp_percent_cell_get_fraction (SpPercentCell *self)
{
  g_return_val_if_fail (SP_IS_PERCENT_CELL (self), 0);

  return self->fraction;
}

void
sp_percent_cell_set_fraction (SpPercentCell *self,
                              double         fraction)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SP_IS_PERCENT_CELL (self));

  if (self->fraction == fraction && gtk_label_get_label (GTK_LABEL (self->label))[0] != '\0')
    return;

  self->fraction = fraction;
  text = sp_format_percent (fraction);
  gtk_label_set_label (GTK_LABEL (self->label), text);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}
