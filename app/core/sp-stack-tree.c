/* sp-stack-tree.c: the call tree under construction, see sp-stack-tree.h for its design */
#define G_LOG_DOMAIN "sp-stack-tree"

#include "config.h"

#include <string.h>

#include "sp-stack-tree.h"
#include "sp-zeroed.h"

/* Parents with more children than this find them through the hash table.  Each sibling visited
 * is a cache miss once the tree outgrows the cache: on the 1 GB benchmark profile (15 million
 * nodes), 8 here made the merging thread twice as slow as 2. */
#define WIDE 2
#define EMPTY_KEY G_MAXUINT64

/* What lookups read, in 16 bytes: a node is one cache line, never two.  The parents, which only
 * the layout at the end reads, are a column of their own. */
typedef struct
{
  guint32 frame;
  guint32 first_child;    /* children are prepended: newest first */
  guint32 next_sibling;
  guint32 n_children;
} Node;

typedef struct
{
  guint64 key;            /* (parent + 1) << 32 | frame */
  guint32 node;
} Slot;

struct _SpStackTree
{
  Node    *nodes;
  guint32 *parents;
  guint    n_nodes;
  guint    capacity;
  double  *weights[SP_N_METRICS];
  guint32  first_root;
  guint32  n_roots;

  Slot    *slots;         /* children of wide parents only */
  gsize    mask;
  gsize    used;
};

SpStackTree *
sp_stack_tree_new (void)
{
  SpStackTree *self = g_new0 (SpStackTree, 1);

  self->first_root = SP_NO_NODE;
  self->mask = 1024 - 1;
  self->slots = g_new (Slot, self->mask + 1);
  memset (self->slots, 0xff, sizeof (Slot) * (self->mask + 1));
  return self;
}

void
sp_stack_tree_free (SpStackTree *self)
{
  if (self == NULL)
    return;
  g_free (self->nodes);
  g_free (self->parents);
  for (guint m = 0; m < SP_N_METRICS; m++)
    g_free (self->weights[m]);
  g_free (self->slots);
  g_free (self);
}

static inline guint64
slot_key (guint32 parent,
          guint32 frame)
{
  return ((guint64) (guint32) (parent + 1) << 32) | frame;
}

static inline gsize
slot_hash (guint64 key)
{
  return (gsize) ((key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 24);
}

static void
insert_slot (SpStackTree *self,
             guint64      key,
             guint32      node);

static void
grow_slots (SpStackTree *self)
{
  Slot *old = self->slots;
  gsize old_size = self->mask + 1;

  self->mask = old_size * 2 - 1;
  self->slots = g_new (Slot, self->mask + 1);
  memset (self->slots, 0xff, sizeof (Slot) * (self->mask + 1));
  self->used = 0;
  for (gsize i = 0; i < old_size; i++)
    if (old[i].key != EMPTY_KEY)
      insert_slot (self, old[i].key, old[i].node);
  g_free (old);
}

static void
insert_slot (SpStackTree *self,
             guint64      key,
             guint32      node)
{
  gsize i = slot_hash (key) & self->mask;

  while (self->slots[i].key != EMPTY_KEY)
    i = (i + 1) & self->mask;
  self->slots[i].key = key;
  self->slots[i].node = node;
  if (++self->used * 2 > self->mask)
    grow_slots (self);
}

static guint32
lookup_slot (SpStackTree *self,
             guint64      key)
{
  for (gsize i = slot_hash (key) & self->mask; self->slots[i].key != EMPTY_KEY; i = (i + 1) & self->mask)
    if (self->slots[i].key == key)
      return self->slots[i].node;
  return SP_NO_NODE;
}

static void
grow_nodes (SpStackTree *self)
{
  guint capacity = MAX (self->capacity * 2, 4096);

  self->nodes = g_renew (Node, self->nodes, capacity);
  self->parents = g_renew (guint32, self->parents, capacity);
  /* the new room is all written as the tree grows */
  sp_populate (self->nodes + self->capacity, sizeof (Node) * (capacity - self->capacity));
  sp_populate (self->parents + self->capacity, sizeof (guint32) * (capacity - self->capacity));
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (self->weights[m] != NULL)
      {
        self->weights[m] = g_renew (double, self->weights[m], capacity);
        sp_populate (self->weights[m] + self->capacity, sizeof (double) * (capacity - self->capacity));
        memset (self->weights[m] + self->capacity, 0, sizeof (double) * (capacity - self->capacity));
      }
  self->capacity = capacity;
}

static guint32
add_node (SpStackTree *self,
          guint32      parent,
          guint32      frame)
{
  guint32 *first = parent == SP_NO_NODE ? &self->first_root : &self->nodes[parent].first_child;
  guint32 *n_children = parent == SP_NO_NODE ? &self->n_roots : &self->nodes[parent].n_children;
  guint32 node;

  if (G_UNLIKELY (self->n_nodes == self->capacity))
    {
      grow_nodes (self);
      first = parent == SP_NO_NODE ? &self->first_root : &self->nodes[parent].first_child;
      n_children = parent == SP_NO_NODE ? &self->n_roots : &self->nodes[parent].n_children;
    }
  node = self->n_nodes++;
  self->nodes[node] = (Node) { frame, SP_NO_NODE, *first, 0 };
  self->parents[node] = parent;
  *first = node;

  /* a parent turning wide moves all its children into the hash table */
  if (++*n_children == WIDE + 1)
    for (guint32 c = *first; c != SP_NO_NODE; c = self->nodes[c].next_sibling)
      insert_slot (self, slot_key (parent, self->nodes[c].frame), c);
  else if (*n_children > WIDE + 1)
    insert_slot (self, slot_key (parent, frame), node);
  return node;
}

guint32
sp_stack_tree_get_child (SpStackTree *self,
                         guint32      parent,
                         guint32      frame)
{
  guint32 n_children = parent == SP_NO_NODE ? self->n_roots : self->nodes[parent].n_children;
  guint32 child;

  if (n_children > WIDE)
    child = lookup_slot (self, slot_key (parent, frame));
  else
    for (child = parent == SP_NO_NODE ? self->first_root : self->nodes[parent].first_child;
         child != SP_NO_NODE && self->nodes[child].frame != frame;
         child = self->nodes[child].next_sibling)
      ;
  return child != SP_NO_NODE ? child : add_node (self, parent, frame);
}

guint
sp_stack_tree_get_n_nodes (SpStackTree *self)
{
  return self->n_nodes;
}

guint32
sp_stack_tree_get_parent (SpStackTree *self,
                          guint32      node)
{
  g_assert (node < self->n_nodes);
  return self->parents[node];
}

guint32
sp_stack_tree_get_frame (SpStackTree *self,
                         guint32      node)
{
  g_assert (node < self->n_nodes);
  return self->nodes[node].frame;
}

void
sp_stack_tree_enable_metric (SpStackTree *self,
                             SpMetric     metric)
{
  if (self->weights[metric] == NULL)
    self->weights[metric] = sp_zeroed_new (self->capacity, sizeof (double));
}

void
sp_stack_tree_add_weight (SpStackTree *self,
                          guint32      node,
                          SpMetric     metric,
                          double       weight)
{
  g_assert (node < self->n_nodes);

  if (G_UNLIKELY (self->weights[metric] == NULL))
    sp_stack_tree_enable_metric (self, metric);
  self->weights[metric][node] += weight;
}

/* The preorder position of every node, children in the order they were first seen, and where
 * its subtree ends in preorder (in *ends, by creation order).  A parent is always created
 * before its children, so two passes over the creation order do it without walking the tree:
 * subtree sizes from the last node back, then each node placed where its parent's next child
 * goes. */
static guint32 *
preorder_positions (SpStackTree  *self,
                    guint32     **ends)
{
  guint n = self->n_nodes;
  guint32 *next = g_new (guint32, MAX (n, 1));   /* first the subtree sizes */
  guint32 *position = g_new (guint32, MAX (n, 1));
  guint32 next_root = 0;

  for (guint i = 0; i < n; i++)
    next[i] = 1;
  for (guint i = n; i-- > 0;)
    if (self->parents[i] != SP_NO_NODE)
      next[self->parents[i]] += next[i];

  for (guint i = 0; i < n; i++)
    {
      guint32 parent = self->parents[i];
      guint32 size = next[i];
      guint32 *slot = parent == SP_NO_NODE ? &next_root : &next[parent];

      position[i] = *slot;
      *slot += size;
      next[i] = position[i] + 1;
    }
  g_assert (next_root == n);
  /* each child placed moved its parent's next place past its subtree: the parent's end */
  *ends = next;
  return position;
}

/* Part of the nodes moving to their preorder places. */
typedef struct
{
  SpStackTree   *tree;
  const guint32 *position;
  const guint32 *ends_by_node;
  guint32       *parents;
  guint32       *node_frames;
  guint32       *ends;
  const double  *from;        /* a weight column, or NULL for the parents and frames */
  double        *to;
  guint          start;
  guint          end;
} Scatter;

static gpointer
scatter (gpointer data)
{
  const Scatter *job = data;
  const guint32 *position = job->position;

  if (job->from != NULL)
    for (guint i = job->start; i < job->end; i++)
      job->to[position[i]] = job->from[i];
  else
    for (guint i = job->start; i < job->end; i++)
      {
        guint32 parent = job->tree->parents[i];

        job->parents[position[i]] = parent == SP_NO_NODE ? SP_NO_NODE : position[parent];
        job->node_frames[position[i]] = job->tree->nodes[i].frame;
        job->ends[position[i]] = job->ends_by_node[i];
      }
  return NULL;
}

/* Trees smaller than this are laid out by one thread: a second would cost more than it saves. */
#define PARALLEL_NODES (256 * 1024)

/* The scatter of job's nodes, the second half in another thread on big trees.  The writes go to
 * distinct places, and memory is what limits it: two cores move twice as much. */
static void
scatter_in_halves (Scatter job)
{
  Scatter second = job;
  GThread *thread = NULL;

  second.start = job.start + (job.end - job.start) / 2;
  if (job.end - job.start >= PARALLEL_NODES)
    thread = g_thread_try_new ("sp-tree-end", scatter, &second, NULL);
  if (thread != NULL)
    job.end = second.start;
  scatter (&job);
  if (thread != NULL)
    g_thread_join (thread);
}

SpProfile *
sp_stack_tree_end (SpStackTree       *self,
                   SpProfileMeta     *meta,
                   GPtrArray         *frames,
                   SpFunctionStats   *stats,
                   guint              n_stats,
                   SpProfileSections *sections,
                   GError           **error)
{
  guint n = self->n_nodes;
  g_autofree guint32 *position = NULL;
  g_autofree guint32 *ends_by_node = NULL;
  double *weights[SP_N_METRICS] = { NULL };
  guint32 *parents, *node_frames, *ends;

  g_clear_pointer (&self->slots, g_free);
  position = preorder_positions (self, &ends_by_node);
  parents = g_new (guint32, MAX (n, 1));
  node_frames = g_new (guint32, MAX (n, 1));
  ends = g_new (guint32, MAX (n, 1));
  scatter_in_halves ((Scatter) { self, position, ends_by_node, parents, node_frames, ends, NULL, NULL, 0, n });
  g_clear_pointer (&ends_by_node, g_free);
  /* one column at a time, each freed as soon as it has moved: the peak memory of a big load */
  g_clear_pointer (&self->nodes, g_free);
  g_clear_pointer (&self->parents, g_free);
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (self->weights[m] != NULL)
      {
        weights[m] = g_new (double, MAX (n, 1));
        scatter_in_halves ((Scatter) { self, position, NULL, NULL, NULL, NULL, self->weights[m], weights[m], 0, n });
        g_clear_pointer (&self->weights[m], g_free);
      }

  if (sections != NULL && sections->timeline != NULL)
    for (guint i = 0; i < sections->timeline->len; i++)
      {
        SpTimelineSample *sample = &g_array_index (sections->timeline, SpTimelineSample, i);

        if (sample->node < n)
          sample->node = position[sample->node];
      }
  sp_stack_tree_free (self);
  /* laid out here: the shape needs no checking, only the figures */
  return sp_profile_new_built (meta, frames, parents, node_frames, n, weights, ends, stats, n_stats,
                               sections, error);
}

/* ---- A tree built in parts ---- */

/* Once a tree is whole, its nodes' lists of children are no longer needed, and their fields
 * hold the layout: fields read together share a cache line, and no new pages are written. */
#define SIZE(node)     ((node)->n_children)      /* of its subtree */
#define PLACE(node)    ((node)->first_child)     /* in the whole tree's preorder */
#define NEXT(node)     ((node)->next_sibling)    /* where its next child goes */

typedef struct
{
  SpStackTree *tree;
  GArray      *roots;      /* of guint32: the part's roots */
  guint32     *parents;    /* the whole tree's columns, written at the part's places */
  guint32     *node_frames;
  guint32     *ends;
  double     **weights;
} Part;

typedef void (*PartFunc) (Part *part);

/* How many nodes ahead the layout asks for the memory it will need. */
#define PREFETCH_AHEAD 16

typedef struct
{
  PartFunc  func;
  Part     *part;
} PartJob;

static gpointer
run_part (gpointer data)
{
  PartJob *job = data;

  job->func (job->part);
  return NULL;
}

/* func on every part, each in a thread of its own but the last, which is the caller's. */
static void
run_parts (PartFunc func,
           Part    *parts,
           guint    n_parts)
{
  PartJob jobs[n_parts];
  GThread *threads[n_parts];

  for (guint p = 0; p < n_parts; p++)
    {
      jobs[p] = (PartJob) { func, &parts[p] };
      threads[p] = p + 1 < n_parts ? g_thread_try_new ("sp-tree-part", run_part, &jobs[p], NULL) : NULL;
      if (threads[p] == NULL)
        func (&parts[p]);
    }
  for (guint p = 0; p < n_parts; p++)
    if (threads[p] != NULL)
      g_thread_join (threads[p]);
}

/* Subtree sizes, from the last node back: a parent is made before its children. */
static void
part_sizes (Part *part)
{
  Node *nodes = part->tree->nodes;
  const guint32 *parents = part->tree->parents;
  guint n = part->tree->n_nodes;

  for (guint i = 0; i < n; i++)
    SIZE (&nodes[i]) = 1;
  for (guint i = n; i-- > 0;)
    {
      if (i >= PREFETCH_AHEAD && parents[i - PREFETCH_AHEAD] != SP_NO_NODE)
        __builtin_prefetch (&nodes[parents[i - PREFETCH_AHEAD]], 1);
      if (parents[i] != SP_NO_NODE)
        SIZE (&nodes[parents[i]]) += SIZE (&nodes[i]);
    }
}

/* Places every node but the roots (whose places top gave) and writes its parent, frame and end
 * there. */
static void
part_place (Part *part)
{
  Node *nodes = part->tree->nodes;
  const guint32 *parents = part->tree->parents;
  guint32 *out_parents = part->parents, *out_frames = part->node_frames, *out_ends = part->ends;
  guint n = part->tree->n_nodes;

  for (guint i = 0; i < n; i++)
    {
      Node *node = &nodes[i], *parent;
      guint32 size, place;

      /* a node's parent is mostly one just placed, but the first new node of a stack hangs
       * from one made long before: ask for it ahead */
      if (i + PREFETCH_AHEAD < n && parents[i + PREFETCH_AHEAD] != SP_NO_NODE)
        __builtin_prefetch (&nodes[parents[i + PREFETCH_AHEAD]], 1);
      if (parents[i] == SP_NO_NODE)
        continue;
      parent = &nodes[parents[i]];
      size = SIZE (node);
      place = PLACE (node) = NEXT (parent);
      NEXT (parent) += size;
      NEXT (node) = place + 1;
      out_parents[place] = PLACE (parent);
      out_frames[place] = node->frame;
      out_ends[place] = place + size;
    }
  g_clear_pointer (&part->tree->parents, g_free);
}

static void
part_place_weights (Part *part)
{
  const Node *nodes = part->tree->nodes;
  guint n = part->tree->n_nodes;

  for (guint m = 0; m < SP_N_METRICS; m++)
    if (part->weights[m] != NULL)
      {
        const double *from = part->tree->weights[m];

        /* a root's weight went to its top node, whose place top writes after this */
        for (guint i = 0; i < n; i++)
          part->weights[m][PLACE (&nodes[i])] = from != NULL ? from[i] : 0;
        g_clear_pointer (&part->tree->weights[m], g_free);
      }
  g_clear_pointer (&part->tree->nodes, g_free);
}

SpProfile *
sp_stack_tree_end_parts (SpStackTree       *top,
                         SpStackTree      **trees,
                         guint              n_parts,
                         SpProfileMeta     *meta,
                         GPtrArray         *frames,
                         GError           **error)
{
  g_autofree Part *parts = g_new0 (Part, n_parts);
  g_autofree guint32 *top_next = g_new (guint32, MAX (top->n_nodes, 1));
  g_autofree guint32 *top_position = g_new (guint32, MAX (top->n_nodes, 1));
  double *weights[SP_N_METRICS] = { NULL };
  guint32 *parents, *node_frames, *ends;
  guint32 next_root = 0;
  guint n = top->n_nodes;

  for (guint p = 0; p < n_parts; p++)
    {
      parts[p].tree = trees[p];
      parts[p].roots = g_array_sized_new (FALSE, FALSE, sizeof (guint32), trees[p]->n_roots);
      for (guint32 r = trees[p]->first_root; r != SP_NO_NODE; r = trees[p]->nodes[r].next_sibling)
        g_array_append_val (parts[p].roots, r);
      g_clear_pointer (&trees[p]->slots, g_free);
      n += trees[p]->n_nodes - trees[p]->n_roots;
      for (guint m = 0; m < SP_N_METRICS; m++)
        if (trees[p]->weights[m] != NULL)
          sp_stack_tree_enable_metric (top, m);
    }
  g_clear_pointer (&top->slots, g_free);
  run_parts (part_sizes, parts, n_parts);

  /* top's subtree sizes, each part's root counting for its top node */
  for (guint i = 0; i < top->n_nodes; i++)
    top_next[i] = 1;
  for (guint p = 0; p < n_parts; p++)
    for (guint k = 0; k < parts[p].roots->len; k++)
      {
        guint32 r = g_array_index (parts[p].roots, guint32, k);
        guint32 t = trees[p]->nodes[r].frame;

        g_assert (t < top->n_nodes);
        top_next[t] += SIZE (&trees[p]->nodes[r]) - 1;
        for (guint m = 0; m < SP_N_METRICS; m++)
          if (trees[p]->weights[m] != NULL)
            top->weights[m][t] += trees[p]->weights[m][r];
      }
  for (guint i = top->n_nodes; i-- > 0;)
    if (top->parents[i] != SP_NO_NODE)
      top_next[top->parents[i]] += top_next[i];

  parents = sp_new_populated (n, sizeof (guint32));
  node_frames = sp_new_populated (n, sizeof (guint32));
  ends = sp_new_populated (n, sizeof (guint32));
  /* top's places, as preorder_positions() does, and its columns */
  for (guint i = 0; i < top->n_nodes; i++)
    {
      guint32 parent = top->parents[i];
      guint32 size = top_next[i];
      guint32 *slot = parent == SP_NO_NODE ? &next_root : &top_next[parent];
      guint32 place = top_position[i] = *slot;

      *slot += size;
      top_next[i] = place + 1;
      parents[place] = parent == SP_NO_NODE ? SP_NO_NODE : top_position[parent];
      node_frames[place] = top->nodes[i].frame;
      ends[place] = place + size;
    }
  g_assert (next_root == n);
  /* a part's root stands at its top node's place, and its children follow top's own */
  for (guint p = 0; p < n_parts; p++)
    {
      for (guint k = 0; k < parts[p].roots->len; k++)
        {
          Node *root = &trees[p]->nodes[g_array_index (parts[p].roots, guint32, k)];

          PLACE (root) = top_position[root->frame];
          NEXT (root) = top_next[root->frame];
        }
      parts[p].parents = parents;
      parts[p].node_frames = node_frames;
      parts[p].ends = ends;
    }
  run_parts (part_place, parts, n_parts);

  for (guint m = 0; m < SP_N_METRICS; m++)
    if (top->weights[m] != NULL)
      weights[m] = sp_new_populated (n, sizeof (double));
  for (guint p = 0; p < n_parts; p++)
    parts[p].weights = weights;
  run_parts (part_place_weights, parts, n_parts);
  for (guint m = 0; m < SP_N_METRICS; m++)
    for (guint i = 0; weights[m] != NULL && i < top->n_nodes; i++)
      weights[m][top_position[i]] = top->weights[m][i];

  for (guint p = 0; p < n_parts; p++)
    {
      g_array_unref (parts[p].roots);
      sp_stack_tree_free (trees[p]);
    }
  sp_stack_tree_free (top);
  return sp_profile_new_built (meta, frames, parents, node_frames, n, weights, ends, NULL, 0, NULL, error);
}
