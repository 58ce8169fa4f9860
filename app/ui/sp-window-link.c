/* sp-window-link.c: two windows showing a baseline and a new profile, kept together
 *
 * Each side follows its window's current profile tab.  A change of the selected function, the
 * flame graph's zoom or its search on one side is made on the other: functions by name, zoom by
 * the same stack from the root (as far as the other profile has it), search by its text.
 */
#define G_LOG_DOMAIN "sp-window-link"

#include "config.h"

#include "sp-flame-view.h"
#include "sp-window-link.h"
#include "sp-window.h"

typedef struct
{
  GWeakRef       window;
  SpProfileView *view;     /* the window's current profile tab, or NULL */
  SpFlameView   *flame;
} Side;

struct _SpWindowLink
{
  GObject   parent_instance;

  Side      sides[2];
  gboolean  active;
  gboolean  broken;
  gboolean  syncing;   /* a change being passed on to the other side */
};

G_DEFINE_FINAL_TYPE (SpWindowLink, sp_window_link, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACTIVE,
  PROP_BROKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static Side *
other_side (SpWindowLink *self,
            gpointer      view_or_flame)
{
  Side *first = &self->sides[0];

  if ((gpointer) first->view == view_or_flame || (gpointer) first->flame == view_or_flame)
    return &self->sides[1];
  return first;
}

static gboolean
can_sync (SpWindowLink *self,
          Side         *to)
{
  return self->active && !self->syncing && to->view != NULL &&
         sp_profile_view_get_profile (to->view) != NULL;
}

static void
on_selection_changed (SpWindowLink  *self,
                      GParamSpec    *pspec,
                      SpProfileView *view)
{
  Side *to = other_side (self, view);
  SpProfile *profile = sp_profile_view_get_profile (view);
  guint32 frame = sp_profile_view_get_selected_function (view);
  guint32 target;

  if (!can_sync (self, to) || profile == NULL || frame == SP_NO_FRAME)
    return;
  target = sp_profile_lookup_frame (sp_profile_view_get_profile (to->view),
                                    sp_profile_get_frame (profile, frame)->name);
  if (target == SP_NO_FRAME || target == sp_profile_view_get_selected_function (to->view))
    return;

  self->syncing = TRUE;
  sp_profile_view_select_function (to->view, target);
  self->syncing = FALSE;
}

static void
on_zoom_changed (SpWindowLink *self,
                 GParamSpec   *pspec,
                 SpFlameGraph *graph)
{
  Side *from = &self->sides[0];
  Side *to;

  if (from->flame == NULL || sp_flame_view_get_graph (from->flame) != graph)
    from = &self->sides[1];
  to = other_side (self, from->flame);
  if (!can_sync (self, to))
    return;
  self->syncing = TRUE;
  sp_flame_graph_zoom_like (sp_flame_view_get_graph (to->flame), graph);
  self->syncing = FALSE;
}

static void
on_search_changed (SpWindowLink *self,
                   GParamSpec   *pspec,
                   SpFlameView  *flame)
{
  Side *to = other_side (self, flame);

  if (!can_sync (self, to) || g_strcmp0 (sp_flame_view_get_search (flame), sp_flame_view_get_search (to->flame)) == 0)
    return;
  self->syncing = TRUE;
  sp_flame_view_set_search (to->flame, sp_flame_view_get_search (flame));
  self->syncing = FALSE;
}

/* ---- following the windows' tabs ---- */

static void on_window_destroyed (gpointer  data,
                                 GObject  *where_the_object_was);

static void
side_disconnect (SpWindowLink *self,
                 Side         *side)
{
  if (side->view != NULL)
    g_signal_handlers_disconnect_by_data (side->view, self);
  if (side->flame != NULL)
    {
      g_signal_handlers_disconnect_by_data (side->flame, self);
      g_signal_handlers_disconnect_by_data (sp_flame_view_get_graph (side->flame), self);
    }
  g_clear_object (&side->view);
  g_clear_object (&side->flame);
}

static void
side_follow (SpWindowLink *self,
             Side         *side)
{
  g_autoptr(SpWindow) window = g_weak_ref_get (&side->window);
  SpProfileView *view = window != NULL ? sp_window_get_current_view (window) : NULL;

  if (view == side->view)
    return;
  side_disconnect (self, side);
  if (view == NULL)
    return;

  side->view = g_object_ref (view);
  side->flame = SP_FLAME_VIEW (g_object_ref (sp_profile_view_get_flame_view (view)));
  g_signal_connect_object (view, "notify::selected-function", G_CALLBACK (on_selection_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (side->flame, "notify::search", G_CALLBACK (on_search_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sp_flame_view_get_graph (side->flame), "notify::zoom-node",
                           G_CALLBACK (on_zoom_changed), self, G_CONNECT_SWAPPED);
}

void
sp_window_link_update (SpWindowLink *self)
{
  g_return_if_fail (SP_IS_WINDOW_LINK (self));

  if (self->broken)
    return;
  side_follow (self, &self->sides[0]);
  side_follow (self, &self->sides[1]);
}

/* Stops watching both windows. */
static void
forget_windows (SpWindowLink *self,
                GObject      *gone)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->sides); i++)
    {
      g_autoptr(GObject) window = g_weak_ref_get (&self->sides[i].window);

      if (window != NULL && window != gone)
        g_object_weak_unref (window, on_window_destroyed, self);
      g_weak_ref_set (&self->sides[i].window, NULL);
    }
}

static void
on_window_destroyed (gpointer  data,
                     GObject  *where_the_object_was)
{
  SpWindowLink *self = data;

  forget_windows (self, where_the_object_was);
  self->broken = TRUE;
  side_disconnect (self, &self->sides[0]);
  side_disconnect (self, &self->sides[1]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BROKEN]);
  sp_window_link_set_active (self, FALSE);
}

/* ---- GObject ---- */

static void
sp_window_link_dispose (GObject *object)
{
  SpWindowLink *self = SP_WINDOW_LINK (object);

  forget_windows (self, NULL);
  side_disconnect (self, &self->sides[0]);
  side_disconnect (self, &self->sides[1]);

  G_OBJECT_CLASS (sp_window_link_parent_class)->dispose (object);
}

static void
sp_window_link_finalize (GObject *object)
{
  SpWindowLink *self = SP_WINDOW_LINK (object);

  g_weak_ref_clear (&self->sides[0].window);
  g_weak_ref_clear (&self->sides[1].window);

  G_OBJECT_CLASS (sp_window_link_parent_class)->finalize (object);
}

static void
sp_window_link_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SpWindowLink *self = SP_WINDOW_LINK (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_BROKEN:
      g_value_set_boolean (value, self->broken);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_window_link_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_ACTIVE:
      sp_window_link_set_active (SP_WINDOW_LINK (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_window_link_class_init (SpWindowLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sp_window_link_dispose;
  object_class->finalize = sp_window_link_finalize;
  object_class->get_property = sp_window_link_get_property;
  object_class->set_property = sp_window_link_set_property;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BROKEN] =
    g_param_spec_boolean ("broken", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sp_window_link_init (SpWindowLink *self)
{
  g_weak_ref_init (&self->sides[0].window, NULL);
  g_weak_ref_init (&self->sides[1].window, NULL);
}

SpWindowLink *
sp_window_link_new (SpWindow *first,
                    SpWindow *second)
{
  SpWindowLink *self = g_object_new (SP_TYPE_WINDOW_LINK, NULL);

  g_weak_ref_set (&self->sides[0].window, first);
  g_weak_ref_set (&self->sides[1].window, second);
  g_object_weak_ref (G_OBJECT (first), on_window_destroyed, self);
  g_object_weak_ref (G_OBJECT (second), on_window_destroyed, self);
  self->active = TRUE;
  sp_window_link_update (self);
  return self;
}

gboolean
sp_window_link_get_active (SpWindowLink *self)
{
  g_return_val_if_fail (SP_IS_WINDOW_LINK (self), FALSE);

  return self->active;
}

void
sp_window_link_set_active (SpWindowLink *self,
                           gboolean      active)
{
  g_return_if_fail (SP_IS_WINDOW_LINK (self));

  active = active && !self->broken;
  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

gboolean
sp_window_link_get_broken (SpWindowLink *self)
{
  g_return_val_if_fail (SP_IS_WINDOW_LINK (self), FALSE);

  return self->broken;
}
