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

/* A profile node as a cursor climbing from it needs it: one load a step, not one for its
 * parent and another for its frame (climbing stacks is waiting for memory). */
typedef struct
{
  guint32 up;      /* the first ancestor that is no thread, or SP_NO_NODE */
  guint32 frame;
} Step;

/* Chains (groups of one cursor) that are climbed side by side: each step of a climb waits for
 * memory, and the steps of different chains can wait at the same time. */
#define CHAINS_AT_ONCE 8

typedef struct
{
  guint32 start, end;   /* cursors, all at nodes of one frame */
  guint32 parent;       /* in the inverted tree */
  guint32 buffer;       /* which of the two cursor arrays holds them */
} Group;

typedef struct
{
  const Step    *steps;          /* by profile node; threads are left out of inverted stacks */
  const double  *self[SP_N_METRICS];
  guint          n_frames;
  Cursor        *cursors[2];     /* a split moves a group's cursors to the other array */
  guint32       *counts;         /* by frame, zero between splits */
  guint32       *first_seen;     /* frames of a split in the order they come */
  Group         *groups;         /* the stack of nodes still to lay out */
  guint          n_groups;
  guint          groups_capacity;
  guint32       *map;            /* sample node → its inverted node, for the timeline (or NULL) */
  guint32        tag;            /* marks the nodes of the second worker in map */
  guint32       *chain_frames;   /* the frames of the chains being climbed, chain_room each */
  guint          chain_room;

  /* the inverted tree in preorder */
  guint32       *out_parents;
  guint32       *out_frames;
  double        *out_weights[SP_N_METRICS];
  guint          n_out;
  guint          capacity;
} Inversion;

/* The first node at or above n that is no thread. */
static inline guint32
skip_threads (const guint32 *parents,
              const guint32 *frames,
              const guint8  *is_thread,
              guint32        n)
{
  while (n != SP_NO_NODE && is_thread[frames[n]])
    n = parents[n];
  return n;
}

static guint32
add_inverted_node (Inversion *inv,
                   guint32    parent,
                   guint32    frame)
{
  if (inv->n_out == inv->capacity)
    {
      guint old = inv->capacity;

      inv->capacity = MAX (inv->capacity * 2, 1024);
      inv->out_parents = g_renew (guint32, inv->out_parents, inv->capacity);
      inv->out_frames = g_renew (guint32, inv->out_frames, inv->capacity);
      /* the new room is all written as the tree grows */
      sp_populate (inv->out_parents + old, sizeof (guint32) * (inv->capacity - old));
      sp_populate (inv->out_frames + old, sizeof (guint32) * (inv->capacity - old));
      for (guint m = 0; m < SP_N_METRICS; m++)
        if (inv->self[m] != NULL)
          {
            inv->out_weights[m] = g_renew (double, inv->out_weights[m], inv->capacity);
            sp_populate (inv->out_weights[m] + old, sizeof (double) * (inv->capacity - old));
          }
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
      guint32 frame = inv->steps[from[i].node].frame;

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
    to[inv->counts[inv->steps[from[i].node].frame]++] = from[i];
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
  if (inv->map != NULL)
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
  guint32 node = add_inverted_node (inv, group->parent, inv->steps[cursors[group->start].node].frame);
  guint32 kept = group->start;

  for (guint32 i = group->start; i < group->end; i++)
    {
      Cursor cursor = cursors[i];

      if ((cursor.node = inv->steps[cursor.node].up) != SP_NO_NODE)
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

/* Twice the room for each chain's frames, keeping the frames read so far. */
static void
grow_chains (Inversion     *inv,
             const guint32 *length,
             guint          n_chains)
{
  guint room = inv->chain_room * 2;
  guint32 *frames = g_new (guint32, CHAINS_AT_ONCE * room);

  for (guint j = 0; j < n_chains; j++)
    memcpy (frames + j * room, inv->chain_frames + j * inv->chain_room, sizeof (guint32) * length[j]);
  g_free (inv->chain_frames);
  inv->chain_frames = frames;
  inv->chain_room = room;
}

/* Chains popped one after the other from the top of the stack: their frames are read side by
 * side, then they are laid out in the order they were popped, as one by one. */
static void
lay_out_chains (Inversion   *inv,
                const Group *chains,
                guint        n_chains)
{
  guint32 at[CHAINS_AT_ONCE], length[CHAINS_AT_ONCE];
  guint n_climbing = n_chains, climbed = 0;

  for (guint j = 0; j < n_chains; j++)
    {
      Cursor cursor = inv->cursors[chains[j].buffer][chains[j].start];

      at[j] = cursor.node;
      length[j] = 0;
      /* its weights are needed at the end of the climb */
      for (guint m = 0; m < SP_N_METRICS; m++)
        if (inv->self[m] != NULL)
          __builtin_prefetch (&inv->self[m][cursor.leaf]);
    }
  /* no call in this loop: the loads of the chains' steps must be able to wait side by side */
  for (; n_climbing > 0; climbed++)
    {
      /* the chains still climbing have climbed as many steps as the loop has */
      if (G_UNLIKELY (climbed == inv->chain_room))
        grow_chains (inv, length, n_chains);
      for (guint j = 0; j < n_chains; j++)
        if (at[j] != SP_NO_NODE)
          {
            Step step = inv->steps[at[j]];

            inv->chain_frames[j * inv->chain_room + length[j]++] = step.frame;
            at[j] = step.up;
            n_climbing -= at[j] == SP_NO_NODE;
          }
    }
  for (guint j = 0; j < n_chains; j++)
    {
      const guint32 *frames = inv->chain_frames + j * inv->chain_room;
      guint32 node = chains[j].parent;

      for (guint i = 0; i < length[j]; i++)
        node = add_inverted_node (inv, node, frames[i]);
      end_cursor (inv, inv->cursors[chains[j].buffer][chains[j].start], node);
    }
}

static gpointer
lay_out_groups (gpointer data)
{
  Inversion *inv = data;

  inv->chain_room = 256;
  inv->chain_frames = g_new (guint32, CHAINS_AT_ONCE * inv->chain_room);
  while (inv->n_groups > 0)
    {
      Group chains[CHAINS_AT_ONCE];
      guint n_chains = 0;

      while (n_chains < CHAINS_AT_ONCE && inv->n_groups > 0 &&
             inv->groups[inv->n_groups - 1].end - inv->groups[inv->n_groups - 1].start == 1)
        chains[n_chains++] = inv->groups[--inv->n_groups];
      if (n_chains > 0)
        lay_out_chains (inv, chains, n_chains);
      else
        {
          Group group = inv->groups[--inv->n_groups];

          lay_out_group (inv, &group);
        }
    }
  g_clear_pointer (&inv->chain_frames, g_free);
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

/* One half's nodes in the whole tree (the second's after the first's), with the columns a
 * profile derives from them: both halves at once, in two threads, since the two are separate
 * trees.  The first half's arrays already are the whole tree's. */
typedef struct
{
  const Inversion  *half;
  guint32           offset;
  guint32          *parents;
  guint32          *frames;
  double           *weights[SP_N_METRICS];
  SpProfileColumns *columns;
  guint             max_depth;
  double            grand_total[SP_N_METRICS];
} Finish;

static gpointer
finish_half (gpointer data)
{
  Finish *finish = data;
  const Inversion *half = finish->half;
  SpProfileColumns *columns = finish->columns;
  guint32 offset = finish->offset;
  guint n = half->n_out;

  for (guint32 i = 0; i < n; i++)
    {
      guint32 node = offset + i, parent = half->out_parents[i];
      guint depth = 0;

      if (parent != SP_NO_NODE)
        {
          parent += offset;
          depth = MIN (columns->depths[parent] + 1u, G_MAXUINT16);
        }
      if (offset > 0)
        {
          finish->parents[node] = parent;
          finish->frames[node] = half->out_frames[i];
        }
      columns->depths[node] = depth;
      finish->max_depth = MAX (finish->max_depth, depth);
      columns->ends[node] = node + 1;
      for (guint m = 0; m < SP_N_METRICS; m++)
        if (finish->weights[m] != NULL)
          {
            double weight = half->out_weights[m][i];

            finish->weights[m][node] = weight;
            columns->total_weights[m][node] = weight;
            finish->grand_total[m] += weight;
          }
    }
  /* children come after their parent: one backward pass folds them in */
  for (guint32 node = offset + n; node-- > offset;)
    {
      guint32 parent = finish->parents[node];

      if (parent == SP_NO_NODE)
        continue;
      columns->ends[parent] = MAX (columns->ends[parent], columns->ends[node]);
      for (guint m = 0; m < SP_N_METRICS; m++)
        if (finish->weights[m] != NULL)
          columns->total_weights[m][parent] += columns->total_weights[m][node];
    }
  return NULL;
}

/* A block of size bytes made from spare, a block no longer needed (or NULL): on a large
 * inversion the pages of the climb's arrays are already mapped, and a new page costs more than
 * what is written to it (about 2 µs on a virtual machine). */
static gpointer
recycle (gpointer *spare,
         gsize     size)
{
  return g_realloc (g_steal_pointer (spare), MAX (size, 1));
}

/* The whole tree: first's arrays grown to take second's nodes, and the columns of both, in the
 * spare blocks where there are some. */
static guint
finish_inversion (Inversion        *first,
                  const Inversion  *second,
                  gpointer          spare[3],
                  SpProfileColumns *columns)
{
  guint n = first->n_out + second->n_out;
  Finish halves[2] = { { first, 0 }, { second, first->n_out } };
  GThread *thread = NULL;
  guint n_spare = 2;

  g_assert (n < SECOND_TAG);
  first->out_parents = g_renew (guint32, first->out_parents, MAX (n, 1));
  first->out_frames = g_renew (guint32, first->out_frames, MAX (n, 1));
  columns->ends = recycle (&spare[0], sizeof (guint32) * n);
  columns->depths = recycle (&spare[1], sizeof (guint16) * n);
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (first->self[m] != NULL)
      {
        first->out_weights[m] = g_renew (double, first->out_weights[m], MAX (n, 1));
        columns->total_weights[m] = n_spare < 3 ? recycle (&spare[n_spare++], sizeof (double) * n)
                                                : g_new (double, MAX (n, 1));
      }
  for (guint h = 0; h < 2; h++)
    {
      halves[h].parents = first->out_parents;
      halves[h].frames = first->out_frames;
      memcpy (halves[h].weights, first->out_weights, sizeof halves[h].weights);
      halves[h].columns = columns;
    }
  if (second->n_out >= PARALLEL_CURSORS)
    thread = g_thread_try_new ("sp-invert-finish", finish_half, &halves[1], NULL);
  finish_half (&halves[0]);
  if (thread != NULL)
    g_thread_join (thread);
  else
    finish_half (&halves[1]);
  columns->max_depth = MAX (halves[0].max_depth, halves[1].max_depth);
  for (guint m = 0; m < SP_N_METRICS; m++)
    columns->grand_total[m] = halves[0].grand_total[m] + halves[1].grand_total[m];
  return n;
}

/* Preparing the climb over a range of profile nodes: their steps, then their cursors. */
typedef struct
{
  const guint32 *parents;
  const guint32 *frames;
  const guint8  *is_thread;
  const double  *self[SP_N_METRICS];
  Step          *steps;
  Cursor        *cursors;
  guint32        start, end;
  guint32        n_cursors;
} Prep;

/* The first node at or above a sample's node that is no thread, or SP_NO_NODE: where its
 * cursor starts. */
static inline guint32
cursor_start (const Prep *prep,
              guint32     n)
{
  gboolean any = FALSE;

  for (guint m = 0; m < SP_N_METRICS; m++)
    any |= prep->self[m] != NULL && prep->self[m][n] != 0;
  if (!any)
    return SP_NO_NODE;
  return prep->is_thread[prep->frames[n]] ? prep->steps[n].up : n;
}

static gpointer
prepare_steps (gpointer data)
{
  Prep *prep = data;

  for (guint32 i = prep->start; i < prep->end; i++)
    {
      prep->steps[i] = (Step) { skip_threads (prep->parents, prep->frames, prep->is_thread, prep->parents[i]),
                                prep->frames[i] };
      prep->n_cursors += cursor_start (prep, i) != SP_NO_NODE;
    }
  return NULL;
}

static gpointer
prepare_cursors (gpointer data)
{
  Prep *prep = data;
  guint32 k = 0;

  for (guint32 i = prep->start; i < prep->end; i++)
    {
      guint32 node = cursor_start (prep, i);

      if (node != SP_NO_NODE)
        prep->cursors[k++] = (Cursor) { node, i };
    }
  return NULL;
}

/* Runs func on both halves, the second in another thread when there are many nodes. */
static void
run_halves (GThreadFunc func,
            Prep        halves[2])
{
  GThread *thread = NULL;

  if (halves[1].end - halves[1].start >= PARALLEL_CURSORS)
    thread = g_thread_try_new ("sp-invert-prep", func, &halves[1], NULL);
  func (&halves[0]);
  if (thread != NULL)
    g_thread_join (thread);
  else
    func (&halves[1]);
}

SpProfile *
sp_profile_invert (SpProfile *profile)
{
  guint n_nodes = sp_profile_get_n_nodes (profile);
  guint n_frames = sp_profile_get_n_frames (profile);
  guint n_stats = sp_profile_get_n_function_stats (profile);
  g_autofree guint8 *is_thread = g_new0 (guint8, MAX (n_frames, 1));
  g_autofree Step *steps = NULL;
  Prep halves[2];
  Inversion inv = { 0 }, second = { 0 };
  GThread *thread = NULL;
  SpProfileSections sections;
  SpFunctionStats *stats;
  SpProfileMeta meta;
  SpProfileColumns columns = { 0 };
  gpointer spare[3];
  guint n_cursors = 0, n_first, n_inverted;
  SpProfile *inverted;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  for (guint f = 0; f < n_frames; f++)
    is_thread[f] = sp_profile_get_frame (profile, f)->kind == SP_FRAME_KIND_THREAD;
  steps = g_new (Step, MAX (n_nodes, 1));
  halves[0] = (Prep) { sp_profile_get_node_parents (profile), sp_profile_get_node_frames (profile), is_thread,
                       { NULL }, steps, NULL, 0, n_nodes / 2, 0 };
  for (guint m = 0; m < SP_N_METRICS; m++)
    halves[0].self[m] = inv.self[m] = sp_profile_get_self_weights (profile, m);
  halves[1] = halves[0];
  halves[1].start = halves[0].end;
  halves[1].end = n_nodes;
  run_halves (prepare_steps, halves);
  n_cursors = halves[0].n_cursors + halves[1].n_cursors;
  inv.cursors[0] = g_new (Cursor, MAX (n_cursors, 1));
  inv.cursors[1] = g_new (Cursor, MAX (n_cursors, 1));
  halves[0].cursors = inv.cursors[0];
  halves[1].cursors = inv.cursors[0] + halves[0].n_cursors;
  run_halves (prepare_cursors, halves);
  inv.steps = steps;
  inv.n_frames = n_frames;
  /* the timeline's samples follow their nodes into the inverted tree */
  if (sp_profile_get_sections (profile)->timeline != NULL)
    {
      inv.map = g_new (guint32, MAX (n_nodes, 1));
      for (guint32 i = 0; i < n_nodes; i++)
        inv.map[i] = SP_NO_NODE;
    }
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
  /* both halves share the cursors and steps: their blocks become the columns */
  spare[0] = g_steal_pointer (&steps);
  spare[1] = g_steal_pointer (&inv.cursors[0]);
  spare[2] = g_steal_pointer (&inv.cursors[1]);
  n_first = inv.n_out;
  n_inverted = finish_inversion (&inv, &second, spare, &columns);
  for (guint i = 0; i < G_N_ELEMENTS (spare); i++)
    g_free (spare[i]);

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

  inverted = sp_profile_new_derived_with_columns (&meta, sp_profile_copy_frames (profile),
                                                  g_steal_pointer (&inv.out_parents), g_steal_pointer (&inv.out_frames),
                                                  n_inverted, inv.out_weights, &columns, stats, n_stats, &sections);
  memset (inv.out_weights, 0, sizeof inv.out_weights);
  g_free (inv.map);
  inversion_clear (&inv);
  if (second.counts != NULL)
    inversion_clear (&second);
  return inverted;
}
