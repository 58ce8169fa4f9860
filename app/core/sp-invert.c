/* sp-invert.c: the bottom-up tree of a profile, see sp_profile_invert() in sp-analysis.h */
#define G_LOG_DOMAIN "sp-invert"

#include "config.h"

#include <string.h>

#include "sp-analysis.h"
#include "sp-zeroed.h"

/* ---- the bottom-up tree ----
 *
 * Every sample's stack read from its leaf up is a path of the inverted tree.  Rather than add
 * each such path to a tree under construction (a lookup per frame, which took 6 s on the 1 GB
 * benchmark profile), the inverted tree is laid out in preorder at once: a cursor per sample
 * walks up its stack, and the cursors at a node of the inverted tree are split by the frame
 * they reach next into its children.  Splits are stable and children are taken in the order
 * their first sample comes in the profile, as the tree builder would have them. */

typedef struct
{
  guint32 node;   /* where the cursor is in the profile */
  guint32 leaf;   /* the sample's node: its weights */
} Cursor;

typedef struct
{
  guint32 start, end;   /* cursors, all at nodes of one frame */
  guint32 parent;       /* in the inverted tree */
  guint32 buffer;       /* which of the two cursor arrays holds them */
} Group;

typedef struct
{
  const guint32 *parents;
  const guint32 *frames;
  const guint8  *is_thread;      /* by frame: threads are left out of inverted stacks */
  const double  *self[SP_N_METRICS];
  guint          n_frames;
  Cursor        *cursors[2];     /* a split moves a group's cursors to the other array */
  guint32       *counts;         /* by frame, zero between splits */
  guint32       *first_seen;     /* frames of a split in the order they come */
  Group         *groups;         /* the stack of nodes still to lay out */
  guint          n_groups;
  guint          groups_capacity;
  guint32       *map;            /* sample node → its inverted node, for the timeline */
  guint32        tag;            /* marks the nodes of the second worker in map */

  /* the inverted tree in preorder */
  guint32       *out_parents;
  guint32       *out_frames;
  double        *out_weights[SP_N_METRICS];
  guint          n_out;
  guint          capacity;
} Inversion;

/* The first node at or above n that is no thread. */
static inline guint32
skip_threads (const Inversion *inv,
              guint32          n)
{
  while (n != SP_NO_NODE && inv->is_thread[inv->frames[n]])
    n = inv->parents[n];
  return n;
}

static guint32
add_inverted_node (Inversion *inv,
                   guint32    parent,
                   guint32    frame)
{
  if (inv->n_out == inv->capacity)
    {
      inv->capacity = MAX (inv->capacity * 2, 1024);
      inv->out_parents = g_renew (guint32, inv->out_parents, inv->capacity);
      inv->out_frames = g_renew (guint32, inv->out_frames, inv->capacity);
      for (guint m = 0; m < SP_N_METRICS; m++)
        if (inv->self[m] != NULL)
          inv->out_weights[m] = g_renew (double, inv->out_weights[m], inv->capacity);
    }
  inv->out_parents[inv->n_out] = parent;
  inv->out_frames[inv->n_out] = frame;
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (inv->self[m] != NULL)
      inv->out_weights[m][inv->n_out] = 0;
  return inv->n_out++;
}

static void
push_group (Inversion *inv,
            Group      group)
{
  if (inv->n_groups == inv->groups_capacity)
    {
      inv->groups_capacity = MAX (inv->groups_capacity * 2, 256);
      inv->groups = g_renew (Group, inv->groups, inv->groups_capacity);
    }
  inv->groups[inv->n_groups++] = group;
}

/* Splits the cursors [start, end) of buffer by the frame of their node, stably, into the other
 * buffer, and pushes a group for each frame, the first one on top. */
static void
push_children (Inversion *inv,
               guint32    buffer,
               guint32    start,
               guint32    end,
               guint32    parent)
{
  const Cursor *from = inv->cursors[buffer];
  Cursor *to = inv->cursors[!buffer];
  guint n_seen = 0;
  guint32 offset = start;

  for (guint32 i = start; i < end; i++)
    {
      guint32 frame = inv->frames[from[i].node];

      if (inv->counts[frame]++ == 0)
        inv->first_seen[n_seen++] = frame;
    }
  /* counts become the place where each frame's cursors go */
  for (guint k = 0; k < n_seen; k++)
    {
      guint32 frame = inv->first_seen[k], count = inv->counts[frame];

      inv->counts[frame] = offset;
      offset += count;
    }
  for (guint32 i = start; i < end; i++)
    to[inv->counts[inv->frames[from[i].node]]++] = from[i];
  for (guint k = n_seen; k-- > 0;)
    {
      guint32 frame = inv->first_seen[k];

      push_group (inv, (Group) { k > 0 ? inv->counts[inv->first_seen[k - 1]] : start, inv->counts[frame],
                                 parent, !buffer });
      inv->counts[frame] = 0;
    }
}

/* The sample's stack ends at node. */
static inline void
end_cursor (Inversion *inv,
            Cursor     cursor,
            guint32    node)
{
  inv->map[cursor.leaf] = node | inv->tag;
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (inv->self[m] != NULL)
      inv->out_weights[m][node] += inv->self[m][cursor.leaf];
}

/* The node of a group, its samples that end there, and its children after it.  Most of a large
 * inverted tree is stacks of one sample each: those are a chain, laid out without splitting. */
static void
lay_out_group (Inversion   *inv,
               const Group *group)
{
  Cursor *cursors = inv->cursors[group->buffer];
  guint32 node = add_inverted_node (inv, group->parent, inv->frames[cursors[group->start].node]);
  guint32 kept = group->start;

  if (group->end - group->start == 1)
    {
      Cursor cursor = cursors[group->start];

      while ((cursor.node = skip_threads (inv, inv->parents[cursor.node])) != SP_NO_NODE)
        node = add_inverted_node (inv, node, inv->frames[cursor.node]);
      end_cursor (inv, cursor, node);
      return;
    }
  for (guint32 i = group->start; i < group->end; i++)
    {
      Cursor cursor = cursors[i];

      if ((cursor.node = skip_threads (inv, inv->parents[cursor.node])) != SP_NO_NODE)
        cursors[kept++] = cursor;
      else
        end_cursor (inv, cursor, node);
    }
  push_children (inv, group->buffer, group->start, kept, node);
}

/* Room for the figures of every metric, even with no node. */
static void
inversion_init_output (Inversion *inv)
{
  add_inverted_node (inv, SP_NO_NODE, 0);
  inv->n_out = 0;
  inv->counts = sp_zeroed_new (MAX (inv->n_frames, 1), sizeof (guint32));
  inv->first_seen = g_new (guint32, MAX (inv->n_frames, 1));
}

static gpointer
lay_out_groups (gpointer data)
{
  Inversion *inv = data;

  while (inv->n_groups > 0)
    {
      Group group = inv->groups[--inv->n_groups];

      lay_out_group (inv, &group);
    }
  return NULL;
}

static void
inversion_clear (Inversion *inv)
{
  g_free (inv->out_parents);
  g_free (inv->out_frames);
  for (guint m = 0; m < SP_N_METRICS; m++)
    g_free (inv->out_weights[m]);
  g_free (inv->counts);
  g_free (inv->first_seen);
  g_free (inv->groups);
}

/* Bigger inversions lay out their later roots in a second thread: walking up stacks waits for
 * memory, and two cores wait for twice as much. */
#define PARALLEL_CURSORS (64 * 1024)
#define SECOND_TAG       (1u << 31)

/* Gives second the later roots of first's stack, about half the cursors. */
static void
split_roots (Inversion *first,
             Inversion *second,
             guint      n_cursors)
{
  guint taken = 0, k = first->n_groups;

  /* the stack's top is the first root */
  while (k > 1 && taken < n_cursors / 2)
    {
      k--;
      taken += first->groups[k].end - first->groups[k].start;
    }
  second->groups = g_memdup2 (first->groups, sizeof (Group) * k);
  second->n_groups = second->groups_capacity = k;
  memmove (first->groups, first->groups + k, sizeof (Group) * (first->n_groups - k));
  first->n_groups -= k;
}

/* second's nodes after first's. */
static void
append_inversion (Inversion *first,
                  Inversion *second)
{
  guint n = first->n_out + second->n_out;

  g_assert (n < SECOND_TAG);
  if (second->n_out == 0)
    return;
  first->out_parents = g_renew (guint32, first->out_parents, MAX (n, 1));
  first->out_frames = g_renew (guint32, first->out_frames, MAX (n, 1));
  for (guint i = 0; i < second->n_out; i++)
    {
      guint32 parent = second->out_parents[i];

      first->out_parents[first->n_out + i] = parent == SP_NO_NODE ? SP_NO_NODE : parent + first->n_out;
    }
  memcpy (first->out_frames + first->n_out, second->out_frames, sizeof (guint32) * second->n_out);
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (first->self[m] != NULL)
      {
        first->out_weights[m] = g_renew (double, first->out_weights[m], MAX (n, 1));
        memcpy (first->out_weights[m] + first->n_out, second->out_weights[m], sizeof (double) * second->n_out);
      }
}

SpProfile *
sp_profile_invert (SpProfile *profile)
{
  guint n_nodes = sp_profile_get_n_nodes (profile);
  guint n_frames = sp_profile_get_n_frames (profile);
  guint n_stats = sp_profile_get_n_function_stats (profile);
  g_autofree guint8 *is_thread = g_new0 (guint8, MAX (n_frames, 1));
  Inversion inv = { 0 }, second = { 0 };
  GThread *thread = NULL;
  SpProfileSections sections;
  SpFunctionStats *stats;
  SpProfileMeta meta;
  guint n_cursors = 0, n_first;
  SpProfile *inverted;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  for (guint f = 0; f < n_frames; f++)
    is_thread[f] = sp_profile_get_frame (profile, f)->kind == SP_FRAME_KIND_THREAD;
  inv.parents = sp_profile_get_node_parents (profile);
  inv.frames = sp_profile_get_node_frames (profile);
  inv.is_thread = is_thread;
  inv.n_frames = n_frames;
  for (guint m = 0; m < SP_N_METRICS; m++)
    inv.self[m] = sp_profile_get_self_weights (profile, m);
  inv.map = g_new (guint32, MAX (n_nodes, 1));
  for (guint32 i = 0; i < n_nodes; i++)
    {
      gboolean any = FALSE;

      for (guint m = 0; m < SP_N_METRICS; m++)
        any |= inv.self[m] != NULL && inv.self[m][i] != 0;
      /* for now: whether the node has a sample */
      inv.map[i] = any ? skip_threads (&inv, i) : SP_NO_NODE;
      n_cursors += inv.map[i] != SP_NO_NODE;
    }
  inv.cursors[0] = g_new (Cursor, MAX (n_cursors, 1));
  inv.cursors[1] = g_new (Cursor, MAX (n_cursors, 1));
  n_cursors = 0;
  for (guint32 i = 0; i < n_nodes; i++)
    if (inv.map[i] != SP_NO_NODE)
      inv.cursors[0][n_cursors++] = (Cursor) { inv.map[i], i };
  inversion_init_output (&inv);

  push_children (&inv, 0, 0, n_cursors, SP_NO_NODE);
  if (n_cursors >= PARALLEL_CURSORS && inv.n_groups > 1)
    {
      second = inv;
      second.out_parents = second.out_frames = NULL;
      memset (second.out_weights, 0, sizeof second.out_weights);
      second.capacity = 0;
      second.tag = SECOND_TAG;
      inversion_init_output (&second);
      split_roots (&inv, &second, n_cursors);
      thread = g_thread_try_new ("sp-invert", lay_out_groups, &second, NULL);
    }
  lay_out_groups (&inv);
  if (thread != NULL)
    g_thread_join (thread);
  else if (second.n_groups > 0)
    lay_out_groups (&second);
  n_first = inv.n_out;
  append_inversion (&inv, &second);
  inv.n_out += second.n_out;

  sp_profile_meta_copy (&meta, sp_profile_get_meta (profile));
  stats = g_new (SpFunctionStats, MAX (n_stats, 1));
  for (guint i = 0; i < n_stats; i++)
    {
      stats[i] = *sp_profile_get_function_stats (profile, i);
      stats[i].runs = g_memdup2 (stats[i].runs, sizeof (SpRunStats) * stats[i].n_runs);
    }
  /* a sample's leaf is now the innermost node of its inverted stack */
  sp_profile_sections_copy (&sections, sp_profile_get_sections (profile));
  if (sections.timeline != NULL)
    {
      guint kept = 0;

      for (guint i = 0; i < sections.timeline->len; i++)
        {
          SpTimelineSample sample = g_array_index (sections.timeline, SpTimelineSample, i);
          guint32 node = inv.map[sample.node];

          if (node == SP_NO_NODE)
            continue;
          sample.node = node & SECOND_TAG ? (node & ~SECOND_TAG) + n_first : node;
          g_array_index (sections.timeline, SpTimelineSample, kept++) = sample;
        }
      g_array_set_size (sections.timeline, kept);
    }

  inverted = sp_profile_new_derived (&meta, sp_profile_copy_frames (profile), g_steal_pointer (&inv.out_parents),
                                     g_steal_pointer (&inv.out_frames), inv.n_out, inv.out_weights, stats,
                                     n_stats, &sections);
  memset (inv.out_weights, 0, sizeof inv.out_weights);
  g_free (inv.map);
  g_free (inv.cursors[0]);
  g_free (inv.cursors[1]);
  inversion_clear (&inv);
  if (second.counts != NULL)
    inversion_clear (&second);
  return inverted;
}
