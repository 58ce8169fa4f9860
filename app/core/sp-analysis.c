/* sp-analysis.c: flat table, call graph and thread filter (the bottom-up tree: sp-invert.c)
 *
 * Every function here walks the preorder arrays once.  A frame that recurses appears several
 * times on one path; "counted once per stack" means only its outermost occurrence on a path
 * adds to its total, which a per-frame "on the current path" counter decides.  Because
 * descendants of node i are exactly the nodes before end[i], leaving a subtree is noticed by
 * comparing the next node with the ends kept on a small stack.
 */
#define G_LOG_DOMAIN "sp-analysis"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sp-analysis.h"

typedef struct
{
  guint32  end;     /* first node after the subtree that pushed this entry */
  guint32  slot;    /* counter to decrement when leaving it */
} PathEntry;

typedef struct
{
  GArray  *entries;
  guint32 *counts;
} PathCounter;

static void
path_counter_init (PathCounter *pc,
                   guint        n_slots)
{
  pc->entries = g_array_new (FALSE, FALSE, sizeof (PathEntry));
  pc->counts = g_new0 (guint32, MAX (n_slots, 1));
}

static void
path_counter_clear (PathCounter *pc)
{
  g_array_unref (pc->entries);
  g_free (pc->counts);
}

/* Leave every subtree that ended before node. */
static inline void
path_counter_advance (PathCounter *pc,
                      guint32      node)
{
  while (pc->entries->len > 0)
    {
      PathEntry *top = &g_array_index (pc->entries, PathEntry, pc->entries->len - 1);
      if (top->end > node)
        break;
      pc->counts[top->slot]--;
      g_array_set_size (pc->entries, pc->entries->len - 1);
    }
}

/* Enters slot for the subtree ending at end; returns whether it was not entered already. */
static inline gboolean
path_counter_enter (PathCounter *pc,
                    guint32      slot,
                    guint32      end)
{
  PathEntry entry = { end, slot };

  g_array_append_val (pc->entries, entry);
  return pc->counts[slot]++ == 0;
}

GArray *
sp_profile_flat_table (SpProfile *profile,
                       SpMetric   metric)
{
  guint n_frames = sp_profile_get_n_frames (profile);
  guint n_nodes = sp_profile_get_n_nodes (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const guint32 *ends = sp_profile_get_node_ends (profile);
  const double *self_w = sp_profile_get_self_weights (profile, metric);
  const double *total_w = sp_profile_get_total_weights (profile, metric);
  g_autofree double *self_sum = g_new0 (double, MAX (n_frames, 1));
  g_autofree double *total_sum = g_new0 (double, MAX (n_frames, 1));
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (SpFlatRow));
  PathCounter pc;

  g_return_val_if_fail (SP_IS_PROFILE (profile), rows);

  if (self_w != NULL)
    {
      path_counter_init (&pc, n_frames);
      for (guint32 i = 0; i < n_nodes; i++)
        {
          path_counter_advance (&pc, i);
          self_sum[frames[i]] += self_w[i];
          if (path_counter_enter (&pc, frames[i], ends[i]))
            total_sum[frames[i]] += total_w[i];
        }
      path_counter_clear (&pc);
    }

  for (guint32 f = 0; f < n_frames; f++)
    {
      const SpFunctionStats *stats = sp_profile_find_function_stats (profile, f);
      SpFlatRow row = { f, self_sum[f], total_sum[f], -1, -1, -1, -1, -1 };

      if (sp_profile_get_frame (profile, f)->kind == SP_FRAME_KIND_THREAD)
        continue;
      if (stats != NULL)
        {
          row.calls = stats->total.calls;
          row.seconds = stats->total.seconds;
          row.bytes = stats->total.bytes;
          row.gc_seconds = stats->total.gc_seconds;
          row.raw_seconds = stats->total.raw_seconds;
        }
      else if (row.total == 0)
        continue;
      g_array_append_val (rows, row);
    }
  return rows;
}

typedef struct
{
  SpProfile  *profile;
  SpFlatSort  sort;
} SortContext;

static int
compare_names (SpProfile *profile,
               guint32    a,
               guint32    b)
{
  return strcmp (sp_profile_get_frame (profile, a)->name, sp_profile_get_frame (profile, b)->name);
}

#define CMP_DESC(x, y) ((x) < (y) ? 1 : (x) > (y) ? -1 : 0)

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SpFlatRow *ra = a, *rb = b;
  SortContext *ctx = user_data;
  int c = 0;

  switch (ctx->sort)
    {
    case SP_FLAT_SORT_SELF:
      c = CMP_DESC (ra->self, rb->self);
      if (c == 0)
        c = CMP_DESC (ra->seconds, rb->seconds);
      break;
    case SP_FLAT_SORT_TOTAL:
      c = CMP_DESC (ra->total, rb->total);
      break;
    case SP_FLAT_SORT_CALLS:
      c = CMP_DESC (ra->calls, rb->calls);
      break;
    case SP_FLAT_SORT_NAME:
    default:
      break;
    }
  return c != 0 ? c : compare_names (ctx->profile, ra->frame, rb->frame);
}

void
sp_flat_table_sort (GArray     *rows,
                    SpProfile  *profile,
                    SpFlatSort  sort)
{
  SortContext ctx = { profile, sort };

  g_array_sort_with_data (rows, compare_rows, &ctx);
}

static void
add_edge (GHashTable *edges,
          guint32     frame,
          double      weight,
          double      calls)
{
  double *sum = g_hash_table_lookup (edges, GUINT_TO_POINTER (frame + 1));

  if (sum == NULL)
    {
      sum = g_new0 (double, 2);
      g_hash_table_insert (edges, GUINT_TO_POINTER (frame + 1), sum);
    }
  sum[0] += weight;
  sum[1] += calls;
}

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  const SpEdge *ea = a, *eb = b;
  int c = CMP_DESC (ea->weight, eb->weight);

  return c != 0 ? c : (ea->frame > eb->frame) - (ea->frame < eb->frame);
}

static GArray *
edges_to_array (GHashTable *edges)
{
  GArray *array = g_array_new (FALSE, FALSE, sizeof (SpEdge));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, edges);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const double *sum = value;
      SpEdge edge = { GPOINTER_TO_UINT (key) - 1, sum[0], sum[1] };
      g_array_append_val (array, edge);
    }
  g_array_sort (array, compare_edges);
  return array;
}

SpCallGraphEntry *
sp_profile_call_graph_entry (SpProfile *profile,
                             guint32    frame,
                             SpMetric   metric)
{
  guint n_frames = sp_profile_get_n_frames (profile);
  guint n_nodes = sp_profile_get_n_nodes (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *ends = sp_profile_get_node_ends (profile);
  const double *self_w = sp_profile_get_self_weights (profile, metric);
  const double *total_w = sp_profile_get_total_weights (profile, metric);
  const double *calls = sp_profile_get_self_weights (profile, SP_METRIC_CALLS);
  g_autoptr(GHashTable) callers = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) callees = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  SpCallGraphEntry *entry;
  PathCounter pc;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (frame < n_frames, NULL);

  entry = g_new0 (SpCallGraphEntry, 1);
  entry->frame = frame;

  /* slots: [0, n_frames] for caller edges (n_frames = no caller), then n_frames + 1 + f for
   * callee edges, then one for the function itself */
  path_counter_init (&pc, 2 * n_frames + 2);
  for (guint32 i = 0; self_w != NULL && i < n_nodes; i++)
    {
      guint32 p = parents[i];

      path_counter_advance (&pc, i);
      if (frames[i] == frame)
        {
          guint32 caller = p == SP_NO_NODE ? SP_NO_FRAME : frames[p];
          guint32 slot = caller == SP_NO_FRAME ? n_frames : caller;

          entry->self += self_w[i];
          entry->calls += calls ? calls[i] : 0;
          if (path_counter_enter (&pc, 2 * n_frames + 1, ends[i]))
            entry->total += total_w[i];
          /* a node is one call path: its own calls are the calls made along that edge */
          add_edge (callers, caller, path_counter_enter (&pc, slot, ends[i]) ? total_w[i] : 0,
                    calls ? calls[i] : 0);
        }
      if (p != SP_NO_NODE && frames[p] == frame)
        add_edge (callees, frames[i],
                  path_counter_enter (&pc, n_frames + 1 + frames[i], ends[i]) ? total_w[i] : 0,
                  calls ? calls[i] : 0);
    }
  path_counter_clear (&pc);

  entry->callers = edges_to_array (callers);
  entry->callees = edges_to_array (callees);
  return entry;
}

void
sp_call_graph_entry_free (SpCallGraphEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_pointer (&entry->callers, g_array_unref);
  g_clear_pointer (&entry->callees, g_array_unref);
  g_free (entry);
}

/* The sections, the timeline keeping the samples of one thread, renumbered as
 * sp_profile_filter_thread() renumbers nodes: the thread's subtrees, their roots left out. */
static void
copy_sections_of_thread (SpProfile         *profile,
                         guint32            thread_frame,
                         SpProfileSections *sections)
{
  guint n_nodes = sp_profile_get_n_nodes (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const guint32 *ends = sp_profile_get_node_ends (profile);
  g_autofree guint32 *map = g_new (guint32, MAX (n_nodes, 1));
  guint32 next = 0;
  GArray *timeline;
  guint kept = 0;

  for (guint32 r = 0; r < n_nodes; r = ends[r])
    {
      map[r] = SP_NO_NODE;
      for (guint32 i = r + 1; i < ends[r]; i++)
        map[i] = frames[r] == thread_frame ? next++ : SP_NO_NODE;
    }
  sp_profile_sections_copy (sections, sp_profile_get_sections (profile));
  if ((timeline = sections->timeline) == NULL)
    return;
  for (guint i = 0; i < timeline->len; i++)
    {
      SpTimelineSample sample = g_array_index (timeline, SpTimelineSample, i);

      if ((sample.node = map[sample.node]) != SP_NO_NODE)
        g_array_index (timeline, SpTimelineSample, kept++) = sample;
    }
  g_array_set_size (timeline, kept);
}

SpProfile *
sp_profile_filter_thread (SpProfile *profile,
                          guint32    thread_frame)
{
  guint n_nodes = sp_profile_get_n_nodes (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *ends = sp_profile_get_node_ends (profile);
  g_autoptr(GArray) new_parents = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) new_frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *new_weights[SP_N_METRICS] = { NULL };
  double *weights[SP_N_METRICS] = { NULL };
  SpProfileMeta meta;
  SpProfileSections sections;
  GPtrArray *frame_table;
  SpFunctionStats *stats;
  guint n_stats = sp_profile_get_n_function_stats (profile);
  guint n;

  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  for (guint m = 0; m < SP_N_METRICS; m++)
    if (sp_profile_has_metric (profile, m))
      new_weights[m] = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint32 r = 0; r < n_nodes; r = ends[r])
    {
      guint32 base;

      if (frames[r] != thread_frame)
        continue;
      /* the thread's subtree minus its root, renumbered: children of r become roots */
      base = new_parents->len;
      for (guint32 i = r + 1; i < ends[r]; i++)
        {
          guint32 p = parents[i] == r ? SP_NO_NODE : parents[i] - (r + 1) + base;
          g_array_append_val (new_parents, p);
          g_array_append_val (new_frames, frames[i]);
          for (guint m = 0; m < SP_N_METRICS; m++)
            if (new_weights[m] != NULL)
              g_array_append_val (new_weights[m], sp_profile_get_self_weights (profile, m)[i]);
        }
    }

  sp_profile_meta_copy (&meta, sp_profile_get_meta (profile));
  copy_sections_of_thread (profile, thread_frame, &sections);
  frame_table = sp_profile_copy_frames (profile);
  stats = g_new (SpFunctionStats, MAX (n_stats, 1));
  for (guint i = 0; i < n_stats; i++)
    {
      stats[i] = *sp_profile_get_function_stats (profile, i);
      stats[i].runs = g_memdup2 (stats[i].runs, sizeof (SpRunStats) * stats[i].n_runs);
    }
  for (guint m = 0; m < SP_N_METRICS; m++)
    if (new_weights[m] != NULL)
      weights[m] = (double *) g_array_free (new_weights[m], FALSE);

  n = new_parents->len;
  return sp_profile_new_derived (&meta, frame_table,
                                 (guint32 *) g_array_free (g_steal_pointer (&new_parents), FALSE),
                                 (guint32 *) g_array_free (g_steal_pointer (&new_frames), FALSE),
                                 n, weights, stats, n_stats, &sections);
}

GArray *
sp_profile_list_threads (SpProfile *profile)
{
  GArray *threads = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_return_val_if_fail (SP_IS_PROFILE (profile), threads);

  for (guint32 f = 0; f < sp_profile_get_n_frames (profile); f++)
    if (sp_profile_get_frame (profile, f)->kind == SP_FRAME_KIND_THREAD)
      g_array_append_val (threads, f);
  return threads;
}

static const char *
symbol_name_part (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon != NULL && name[0] != '(' ? colon + 1 : name;
}

guint32
sp_profile_find_function (SpProfile  *profile,
                          const char *name)
{
  guint n_frames = sp_profile_get_n_frames (profile);
  guint32 found = sp_profile_lookup_frame (profile, name);
  guint32 by_symbol = SP_NO_FRAME;
  guint n_by_symbol = 0;

  g_return_val_if_fail (SP_IS_PROFILE (profile), SP_NO_FRAME);

  if (found != SP_NO_FRAME)
    return found;
  for (guint32 f = 0; f < n_frames; f++)
    {
      const SpFrame *frame = sp_profile_get_frame (profile, f);

      if (frame->kind == SP_FRAME_KIND_THREAD)
        continue;
      if (g_ascii_strcasecmp (frame->name, name) == 0)
        return f;
      if (g_ascii_strcasecmp (symbol_name_part (frame->name), name) == 0)
        {
          by_symbol = f;
          n_by_symbol++;
        }
    }
  /* "fib" finds WORKLOAD::FIB, unless several packages have a FIB */
  return n_by_symbol == 1 ? by_symbol : SP_NO_FRAME;
}
