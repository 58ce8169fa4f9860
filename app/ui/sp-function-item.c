/* sp-function-item.c: one row of the flat function table, as a list model item */
#define G_LOG_DOMAIN "sp-function-item"

#include "config.h"

#include "sp-function-item.h"

struct _SpFunctionItem
{
  GObject    parent_instance;

  SpProfile *profile;   /* keeps the frame's strings alive */
  SpFlatRow  row;
  guint      rank;
  double     self_fraction;
  double     total_fraction;
  double     cumulative;
  gint64     bytes;
};

G_DEFINE_FINAL_TYPE (SpFunctionItem, sp_function_item, G_TYPE_OBJECT)

enum { PROP_0, PROP_NAME, PROP_PACKAGE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
sp_function_item_finalize (GObject *object)
{
  SpFunctionItem *self = SP_FUNCTION_ITEM (object);

  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sp_function_item_parent_class)->finalize (object);
}

static void
sp_function_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SpFunctionItem *self = SP_FUNCTION_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, sp_function_item_get_name (self));
      break;
    case PROP_PACKAGE:
      g_value_set_string (value, sp_function_item_get_package (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_function_item_class_init (SpFunctionItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sp_function_item_finalize;
  object_class->get_property = sp_function_item_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PACKAGE] =
    g_param_spec_string ("package", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* the item now shows another function, or other figures (sp_function_item_assign) */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sp_function_item_init (SpFunctionItem *self)
{
  self->bytes = -1;
}

/* rank is the 1-based position by self weight; cumulative the fraction of all weight in the
 * functions ranked up to this one (sb-sprof's “Cumul” column). */
SpFunctionItem *
sp_function_item_new (SpProfile       *profile,
                      const SpFlatRow *row,
                      guint            rank,
                      double           grand_total,
                      double           cumulative)
{
  SpFunctionItem *self;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (SP_TYPE_FUNCTION_ITEM, NULL);
  self->profile = g_object_ref (profile);
  self->row = *row;
  self->rank = rank;
  self->cumulative = cumulative;
  if (grand_total > 0)
    {
      self->self_fraction = row->self / grand_total;
      self->total_fraction = row->total / grand_total;
    }
  self->bytes = row->bytes;

  return self;
}

guint32
sp_function_item_get_frame (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), SP_NO_FRAME);

  return self->row.frame;
}

const char *
sp_function_item_get_name (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), NULL);

  return sp_profile_get_frame (self->profile, self->row.frame)->label;
}

const char *
sp_function_item_get_package (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), NULL);

  return sp_profile_get_frame (self->profile, self->row.frame)->package;
}

const SpFlatRow *
sp_function_item_get_row (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), NULL);

  return &self->row;
}

guint
sp_function_item_get_rank (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), 0);

  return self->rank;
}

double
sp_function_item_get_self_fraction (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), 0);

  return self->self_fraction;
}

double
sp_function_item_get_total_fraction (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), 0);

  return self->total_fraction;
}

double
sp_function_item_get_cumulative (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), 0);

  return self->cumulative;
}

/* Negative when the recording did not count calls. */
double
sp_function_item_get_seconds_per_call (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), -1);

  if (self->row.calls <= 0 || self->row.seconds < 0)
    return -1;
  return self->row.seconds / self->row.calls;
}

gint64
sp_function_item_get_bytes (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), -1);

  return self->bytes;
}

/* Bytes from the allocation metric, for recordings whose function figures lack them. */
void
sp_function_item_set_bytes (SpFunctionItem *self,
                            gint64          bytes)
{
  g_return_if_fail (SP_IS_FUNCTION_ITEM (self));

  self->bytes = bytes;
}

const SpFunctionStats *
sp_function_item_get_stats (SpFunctionItem *self)
{
  g_return_val_if_fail (SP_IS_FUNCTION_ITEM (self), NULL);

  return sp_profile_find_function_stats (self->profile, self->row.frame);
}

void
sp_function_item_assign (SpFunctionItem *self,
                         SpFunctionItem *from)
{
  g_return_if_fail (SP_IS_FUNCTION_ITEM (self));
  g_return_if_fail (SP_IS_FUNCTION_ITEM (from));

  g_set_object (&self->profile, from->profile);
  self->row = from->row;
  self->rank = from->rank;
  self->self_fraction = from->self_fraction;
  self->total_fraction = from->total_fraction;
  self->cumulative = from->cumulative;
  self->bytes = from->bytes;
  g_signal_emit (self, signals[CHANGED], 0);
}
