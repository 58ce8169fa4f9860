/* sp-call-node.c: one node of a profile's call tree, as a lazily expanded list model item
 *
 * The tree lives in the profile's flat preorder arrays; an item is only a (profile, node)
 * pair, and the children of a node are listed when the user expands it.
 */
#define G_LOG_DOMAIN "sp-call-node"

#include "config.h"

#include "sp-call-node.h"

struct _SpCallNode
{
  GObject    parent_instance;

  SpProfile *profile;
  SpMetric   metric;
  guint32    node;
};

G_DEFINE_FINAL_TYPE (SpCallNode, sp_call_node, G_TYPE_OBJECT)

static void
sp_call_node_finalize (GObject *object)
{
  SpCallNode *self = SP_CALL_NODE (object);

  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sp_call_node_parent_class)->finalize (object);
}

static void
sp_call_node_class_init (SpCallNodeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_call_node_finalize;
}

static void
sp_call_node_init (SpCallNode *self)
{
}

static SpCallNode *
sp_call_node_new (SpProfile *profile,
                  SpMetric   metric,
                  guint32    node)
{
  SpCallNode *self = g_object_new (SP_TYPE_CALL_NODE, NULL);

  self->profile = g_object_ref (profile);
  self->metric = metric;
  self->node = node;
  return self;
}

static int
compare_by_total (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const double *totals = user_data;
  double ta = totals[*(const guint32 *) a];
  double tb = totals[*(const guint32 *) b];

  return (ta < tb) - (ta > tb);
}

/* The siblings from first up to end, heaviest first. */
static GListModel *
list_siblings (SpProfile *profile,
               SpMetric   metric,
               guint32    first,
               guint32    end)
{
  const guint32 *ends = sp_profile_get_node_ends (profile);
  const double *totals = sp_profile_get_total_weights (profile, metric);
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GListStore *store = g_list_store_new (SP_TYPE_CALL_NODE);

  for (guint32 node = first; node < end; node = ends[node])
    g_array_append_val (nodes, node);

  if (totals != NULL)
    g_array_sort_with_data (nodes, compare_by_total, (gpointer) totals);

  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add (items, sp_call_node_new (profile, metric, g_array_index (nodes, guint32, i)));
  g_list_store_splice (store, 0, 0, items->pdata, items->len);

  return G_LIST_MODEL (store);
}

GListModel *
sp_call_node_list_roots (SpProfile *profile,
                         SpMetric   metric)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  return list_siblings (profile, metric, 0, sp_profile_get_n_nodes (profile));
}

gboolean
sp_call_node_has_children (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), FALSE);

  return sp_profile_get_node_ends (self->profile)[self->node] > self->node + 1;
}

/* NULL for a leaf, as GtkTreeListModel wants. */
GListModel *
sp_call_node_list_children (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), NULL);

  if (!sp_call_node_has_children (self))
    return NULL;

  return list_siblings (self->profile, self->metric, self->node + 1,
                        sp_profile_get_node_ends (self->profile)[self->node]);
}

guint32
sp_call_node_get_node (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), SP_NO_NODE);

  return self->node;
}

guint32
sp_call_node_get_frame (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), SP_NO_FRAME);

  return sp_profile_get_node_frames (self->profile)[self->node];
}

const char *
sp_call_node_get_name (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), NULL);

  return sp_profile_get_frame (self->profile, sp_call_node_get_frame (self))->label;
}

static double
weight_at (SpCallNode    *self,
           const double  *weights)
{
  return weights != NULL ? weights[self->node] : 0;
}

double
sp_call_node_get_self (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), 0);

  return weight_at (self, sp_profile_get_self_weights (self->profile, self->metric));
}

double
sp_call_node_get_total (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), 0);

  return weight_at (self, sp_profile_get_total_weights (self->profile, self->metric));
}

static double
fraction_of_all (SpCallNode *self,
                 double      weight)
{
  double grand_total = sp_profile_get_grand_total (self->profile, self->metric);

  return grand_total > 0 ? weight / grand_total : 0;
}

double
sp_call_node_get_self_fraction (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), 0);

  return fraction_of_all (self, sp_call_node_get_self (self));
}

double
sp_call_node_get_total_fraction (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), 0);

  return fraction_of_all (self, sp_call_node_get_total (self));
}

SpProfile *
sp_call_node_get_profile (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), NULL);

  return self->profile;
}

SpMetric
sp_call_node_get_metric (SpCallNode *self)
{
  g_return_val_if_fail (SP_IS_CALL_NODE (self), SP_METRIC_SAMPLES);

  return self->metric;
}
