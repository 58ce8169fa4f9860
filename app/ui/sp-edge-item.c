/* sp-edge-item.c: a caller or callee of the selected function, as a list model item */
#define G_LOG_DOMAIN "sp-edge-item"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-edge-item.h"

struct _SpEdgeItem
{
  GObject    parent_instance;

  SpProfile *profile;
  SpEdge     edge;
  double     fraction;
};

G_DEFINE_FINAL_TYPE (SpEdgeItem, sp_edge_item, G_TYPE_OBJECT)

static void
sp_edge_item_finalize (GObject *object)
{
  SpEdgeItem *self = SP_EDGE_ITEM (object);

  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sp_edge_item_parent_class)->finalize (object);
}

static void
sp_edge_item_class_init (SpEdgeItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_edge_item_finalize;
}

static void
sp_edge_item_init (SpEdgeItem *self)
{
}

/* whole is the weight the fraction is taken of: the selected function's total. */
SpEdgeItem *
sp_edge_item_new (SpProfile    *profile,
                  const SpEdge *edge,
                  double        whole)
{
  SpEdgeItem *self;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (edge != NULL, NULL);

  self = g_object_new (SP_TYPE_EDGE_ITEM, NULL);
  self->profile = g_object_ref (profile);
  self->edge = *edge;
  self->fraction = whole > 0 ? edge->weight / whole : 0;

  return self;
}

/* SP_NO_FRAME for the “no caller” edge of a function at the root of stacks. */
guint32
sp_edge_item_get_frame (SpEdgeItem *self)
{
  g_return_val_if_fail (SP_IS_EDGE_ITEM (self), SP_NO_FRAME);

  return self->edge.frame;
}

const char *
sp_edge_item_get_name (SpEdgeItem *self)
{
  g_return_val_if_fail (SP_IS_EDGE_ITEM (self), NULL);

  if (self->edge.frame == SP_NO_FRAME)
    return _("(root of the stack)");
  return sp_profile_get_frame (self->profile, self->edge.frame)->label;
}

double
sp_edge_item_get_weight (SpEdgeItem *self)
{
  g_return_val_if_fail (SP_IS_EDGE_ITEM (self), 0);

  return self->edge.weight;
}

double
sp_edge_item_get_fraction (SpEdgeItem *self)
{
  g_return_val_if_fail (SP_IS_EDGE_ITEM (self), 0);

  return self->fraction;
}

/* Calls made along the edge; 0 when the profile does not count calls. */
double
sp_edge_item_get_calls (SpEdgeItem *self)
{
  g_return_val_if_fail (SP_IS_EDGE_ITEM (self), 0);

  return self->edge.calls;
}
