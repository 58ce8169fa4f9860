/* sp-sample-stream.c: a statistical recording merged batch by batch; see sp-sample-stream.h
 *
 * Stacks go into a tree of the stream's own (an SpStackTree whose roots are the threads and
 * whose frames are the agent's ids), so that a batch costs only its new frames, and the
 * profile so far is made by copying that tree into a builder, node by node.
 */
#define G_LOG_DOMAIN "sp-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-sample-stream.h"
#include "sp-session-private.h"
#include "sp-stack-tree.h"

typedef struct
{
  char  *name;
  char  *file;
  guint  line;
  char  *variant;   /* distinct functions whose names print alike (PROTOCOL.md) */
} StreamFrame;

typedef struct
{
  double self;
  double total;
} Figures;

typedef struct
{
  double  time;
  guint32 node;
  double  weight;
} TimedStack;

struct _SpSampleStream
{
  GPtrArray   *frames;     /* of StreamFrame*, by the agent's id */
  GPtrArray   *threads;    /* of char*, by the agent's id */
  SpStackTree *tree;       /* roots: thread ids; below them, the agent's frame ids */
  GArray      *weights;    /* double per node: samples ending there */
  GArray      *timeline;   /* of TimedStack */
  GPtrArray   *runs;       /* of GArray of Figures by frame id, one per recorded run */
  GArray      *stamps;     /* guint32 per frame: the last stack that counted it in a total */
  guint32      stamp;
  gint64       samples;
  gint64       kept;
  guint        n_batches;
  SpProfileSections gc;    /* the batches' GC events */
};

/* The stacks column (PROTOCOL.md): numbers written with base-64 digits of 5 bits each, low
 * digits first, 32 added to every digit of a number but its last.  Each stack is: thread,
 * count, how many leading frames it shares with the stack before, how many frames follow, and
 * their ids, outermost first. */
typedef struct
{
  const char *p;
  const char *end;
  guint       n_threads;
  guint       n_frames;
  guint       n_read;
  guint32     thread;
  double      count;
  guint       shared;
  GArray     *ids;          /* guint32: the frames of the stack just read, outermost first */
} StackReader;

typedef enum
{
  READ_STACK,
  READ_END,
  READ_FAILED
} ReadResult;

/* Digit values, and 0xff for a character that is no base-64 digit. */
static const guint8 *
digit_values (void)
{
  static guint8 values[256];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      const char *digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

      memset (values, 0xff, sizeof values);
      for (guint i = 0; i < 64; i++)
        values[(guchar) digits[i]] = i;
      g_once_init_leave (&done, 1);
    }
  return values;
}

gboolean
sp_session_read_packed_number (const char **p,
                               const char  *end,
                               guint64     *value,
                               GError     **error)
{
  const guint8 *values = digit_values ();
  guint64 number = 0;

  for (guint shift = 0;; shift += 5)
    {
      guint8 digit;

      if (*p == end)
        return sp_session_fail_malformed (error, _("the stacks end in the middle of a stack"));
      digit = values[(guchar) *(*p)++];
      if (digit == 0xff)
        return sp_session_fail_malformed (error, _("the stacks hold a character that is no base-64 digit"));
      if (shift > 50)
        return sp_session_fail_malformed (error, _("the stacks hold a number too large"));
      number |= (guint64) (digit & 31) << shift;
      if (!(digit & 32))
        break;
    }
  *value = number;
  return TRUE;
}

static gboolean
read_number (StackReader *reader,
             guint64     *value,
             GError     **error)
{
  return sp_session_read_packed_number (&reader->p, reader->end, value, error);
}

static ReadResult
fail_stack (GError    **error,
            const char *what)
{
  sp_session_fail_malformed (error, what);
  return READ_FAILED;
}

static ReadResult
read_stack (StackReader *reader,
            GError     **error)
{
  guint64 thread, count, shared, n, id;

  if (reader->p == reader->end)
    return READ_END;
  if (!read_number (reader, &thread, error) || !read_number (reader, &count, error) ||
      !read_number (reader, &shared, error) || !read_number (reader, &n, error))
    return READ_FAILED;
  if (thread >= reader->n_threads)
    return fail_stack (error, _("a stack names an unknown thread"));
  if (shared > reader->ids->len)
    return fail_stack (error, _("a stack shares more frames than the stack before has"));
  /* every number takes a character at least */
  if (n > (guint64) (reader->end - reader->p))
    return fail_stack (error, _("the stacks end in the middle of a stack"));
  if (count == 0 || shared + n == 0)
    return fail_stack (error, _("a stack without samples or frames"));

  g_array_set_size (reader->ids, shared);
  for (guint64 i = 0; i < n; i++)
    {
      guint32 id32;

      if (!read_number (reader, &id, error))
        return READ_FAILED;
      if (id >= reader->n_frames)
        return fail_stack (error, _("a stack names an unknown frame"));
      id32 = (guint32) id;
      g_array_append_val (reader->ids, id32);
    }
  reader->thread = (guint32) thread;
  reader->count = (double) count;
  reader->shared = (guint) shared;
  reader->n_read++;
  return READ_STACK;
}

static void
stack_reader_init (StackReader *reader,
                   const char  *column,
                   guint        n_threads,
                   guint        n_frames,
                   GArray      *ids)
{
  reader->p = column;
  reader->end = column + strlen (column);
  reader->n_threads = n_threads;
  reader->n_frames = n_frames;
  reader->n_read = 0;
  reader->shared = 0;
  reader->ids = ids;
}

static void
stream_frame_free (gpointer data)
{
  StreamFrame *frame = data;

  g_free (frame->name);
  g_free (frame->file);
  g_free (frame->variant);
  g_free (frame);
}

SpSampleStream *
sp_sample_stream_new (void)
{
  SpSampleStream *self = g_new0 (SpSampleStream, 1);

  self->frames = g_ptr_array_new_with_free_func (stream_frame_free);
  self->threads = g_ptr_array_new_with_free_func (g_free);
  self->tree = sp_stack_tree_new ();
  self->weights = g_array_new (FALSE, TRUE, sizeof (double));
  self->timeline = g_array_new (FALSE, FALSE, sizeof (TimedStack));
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->stamps = g_array_new (FALSE, TRUE, sizeof (guint32));
  sp_profile_sections_init (&self->gc);
  return self;
}

void
sp_sample_stream_free (SpSampleStream *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->frames);
  g_ptr_array_unref (self->threads);
  sp_stack_tree_free (self->tree);
  g_array_unref (self->weights);
  g_array_unref (self->timeline);
  g_ptr_array_unref (self->runs);
  g_array_unref (self->stamps);
  sp_profile_sections_clear (&self->gc);
  g_free (self);
}

gint64
sp_sample_stream_get_samples (SpSampleStream *self)
{
  return self->samples;
}

gint64
sp_sample_stream_get_kept (SpSampleStream *self)
{
  return self->kept;
}

guint
sp_sample_stream_get_n_batches (SpSampleStream *self)
{
  return self->n_batches;
}

/* The batch's new frames and threads: {"id", "name", …} with ids that continue the tables. */
static gboolean
add_new_entries (SpSampleStream *self,
                 JsonObject     *batch,
                 gboolean        threads,
                 GError        **error)
{
  JsonArray *entries = sp_session_json_array (batch, threads ? "threads" : "frames");
  GPtrArray *table = threads ? self->threads : self->frames;

  if (entries == NULL)
    return sp_session_fail_malformed (error, _("a batch without frames or threads"));
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = entry ? sp_session_json_string (entry, "name", NULL)
                               : NULL;

      if (name == NULL || sp_session_json_number (entry, "id", -1) != table->len)
        return sp_session_fail_malformed (error, threads ? _("a thread without a name or the next id")
                                                         : _("a frame without a name or the next id"));
      if (threads)
        g_ptr_array_add (table, g_strdup (name));
      else
        {
          StreamFrame *frame = g_new0 (StreamFrame, 1);

          frame->name = g_strdup (name);
          frame->file = g_strdup (sp_session_json_string (entry, "file", NULL));
          frame->line = (guint) CLAMP (sp_session_json_integer (entry, "line", 0), 0, G_MAXUINT);
          frame->variant = g_strdup (sp_session_json_string (entry, "variant", NULL));
          g_ptr_array_add (table, frame);
        }
    }
  if (!threads)
    g_array_set_size (self->stamps, self->frames->len);
  return TRUE;
}

static Figures *
run_figures (SpSampleStream *self,
             guint           run)
{
  GArray *figures;

  while (self->runs->len <= run)
    g_ptr_array_add (self->runs, g_array_new (FALSE, TRUE, sizeof (Figures)));
  figures = g_ptr_array_index (self->runs, run);
  if (figures->len < self->frames->len)
    g_array_set_size (figures, self->frames->len);
  return (Figures *) (gpointer) figures->data;
}

/* A run's self and total samples per function: a function on the stack twice counts once. */
static void
count_in_run (SpSampleStream *self,
              Figures        *figures,
              const guint32  *stack,
              guint           depth,
              double          count)
{
  guint32 *stamps = (guint32 *) (gpointer) self->stamps->data;

  if (++self->stamp == 0)
    {
      memset (stamps, 0, sizeof (guint32) * self->stamps->len);
      self->stamp = 1;
    }
  figures[stack[depth - 1]].self += count;
  for (guint i = 0; i < depth; i++)
    if (stamps[stack[i]] != self->stamp)
      {
        stamps[stack[i]] = self->stamp;
        figures[stack[i]].total += count;
      }
}

static guint32
get_child (SpSampleStream *self,
           guint32         parent,
           guint32         frame)
{
  guint32 node = sp_stack_tree_get_child (self->tree, parent, frame);

  if (node >= self->weights->len)
    g_array_set_size (self->weights, node + 1);
  return node;
}

/* A stack counted this many times or more gets this many timeline entries, each a share. */
#define MAX_ENTRIES_PER_STACK 1000
/* Nor are a stack's entries closer than this (seconds): many threads sampled at once, or a fast
 * sampler, would otherwise make an entry of every sample, when the order within a batch is
 * unknown anyway.  Finer than a sampling interval of 10 ms. */
#define MIN_ENTRY_SPACING     0.001

typedef struct
{
  double  t0;
  double  span;
  double  kept;
  gint64  run;      /* -1 outside runs */
} BatchInfo;

/* The timeline entries of a stack counted count times in a batch: one per sample, but no more
 * than MAX_ENTRIES_PER_STACK, nor closer than MIN_ENTRY_SPACING over the stack's share of the
 * batch's time. */
static guint
timeline_entries (const BatchInfo *info,
                  double           count)
{
  double spaced = info->kept > 0 ? info->span * count / info->kept / MIN_ENTRY_SPACING : 1;
  double n = MIN (count, spaced);

  /* written so that a NaN (a batch whose times are infinite) makes one entry */
  return n >= MAX_ENTRIES_PER_STACK ? MAX_ENTRIES_PER_STACK : n >= 1 ? (guint) n : 1;
}

static gboolean
add_stacks (SpSampleStream  *self,
            const char      *column,
            gint64           n_stacks,
            const BatchInfo *info,
            GError         **error)
{
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  Figures *figures = info->run >= 0 ? run_figures (self, info->run) : NULL;
  StackReader reader;
  ReadResult read;
  guint valid = 0;   /* nodes that still describe the stack before */
  gint64 root_thread = -1;
  guint32 root = SP_NO_NODE;
  double before = 0;

  stack_reader_init (&reader, column, self->threads->len, self->frames->len, ids);
  while ((read = read_stack (&reader, error)) == READ_STACK)
    {
      const guint32 *stack = (const guint32 *) (gpointer) ids->data;
      guint depth = ids->len;
      TimedStack timed;
      guint32 node;
      guint n_entries;

      if (reader.thread != root_thread)
        {
          root = get_child (self, SP_NO_NODE, reader.thread);
          root_thread = reader.thread;
          valid = 0;
        }
      valid = MIN (valid, reader.shared);
      g_array_set_size (nodes, depth);
      for (guint i = valid; i < depth; i++)
        g_array_index (nodes, guint32, i) =
          get_child (self, i > 0 ? g_array_index (nodes, guint32, i - 1) : root, stack[i]);
      valid = depth;
      node = g_array_index (nodes, guint32, depth - 1);
      g_array_index (self->weights, double, node) += reader.count;
      if (figures != NULL)
        count_in_run (self, figures, stack, depth, reader.count);
      /* The order within a batch is unknown: its stacks are spread over its time.  SBCL 2.2.9
       * counts identical consecutive samples as one stack: they get an entry each (or a
       * share, timeline_entries), spread over the time they took, so that the strip and a range
       * of time see them there and not all at the instant the first was taken. */
      n_entries = timeline_entries (info, reader.count);
      timed.node = node;
      timed.weight = reader.count / n_entries;
      for (guint k = 0; k < n_entries; k++)
        {
          timed.time = info->t0 + (info->kept > 0 ? info->span * (before + k * timed.weight) / info->kept : 0);
          g_array_append_val (self->timeline, timed);
        }
      before += reader.count;
    }
  if (read == READ_FAILED)
    return FALSE;
  if (reader.n_read != n_stacks)
    return sp_session_fail_malformed (error, _("the stacks are fewer or more than stack_count says"));
  return TRUE;
}

gboolean
sp_sample_stream_add_batch (SpSampleStream *self,
                            JsonObject     *batch,
                            GError        **error)
{
  JsonNode *stacks = json_object_get_member (batch, "stacks");
  JsonNode *n_stacks = json_object_get_member (batch, "stack_count");
  JsonNode *run = json_object_get_member (batch, "run");
  JsonArray *gc_events = sp_session_json_array (batch, "gc_events");
  double t0 = sp_session_json_number (batch, "t0", -1);
  double t1 = sp_session_json_number (batch, "t1", -1);
  double samples = sp_session_json_number (batch, "samples", -1);
  double kept = sp_session_json_number (batch, "kept_samples", -1);
  BatchInfo info;

  if (stacks == NULL || n_stacks == NULL || json_node_get_value_type (stacks) != G_TYPE_STRING ||
      json_node_get_value_type (n_stacks) != G_TYPE_INT64)
    return sp_session_fail_malformed (error, _("a batch without stacks or stack_count"));
  if (!(t0 >= 0 && t1 >= t0 && samples >= 0 && kept >= 0 && kept <= samples))
    return sp_session_fail_malformed (error, _("a batch without its time or sample counts"));
  info.run = -1;
  if (run != NULL && JSON_NODE_HOLDS_VALUE (run))
    {
      double index = sp_session_json_number (batch, "run", -1);

      if (!(index >= 0 && index < 100000))
        return sp_session_fail_malformed (error, _("a batch of an impossible run"));
      info.run = (gint64) index;
    }
  info.t0 = t0;
  info.span = t1 - t0;
  info.kept = kept;
  if (!add_new_entries (self, batch, FALSE, error) || !add_new_entries (self, batch, TRUE, error) ||
      !add_stacks (self, json_node_get_string (stacks), json_node_get_int (n_stacks), &info, error) ||
      (gc_events != NULL && !sp_session_add_gc_events (&self->gc, gc_events, error)))
    return FALSE;
  self->samples += (gint64) samples;
  self->kept += (gint64) kept;
  self->n_batches++;
  return TRUE;
}

/* ---- The profile ---- */

static guint32 *
intern_frames (SpSampleStream   *self,
               SpProfileBuilder *builder)
{
  guint32 *map = g_new (guint32, MAX (self->frames->len, 1));

  for (guint i = 0; i < self->frames->len; i++)
    {
      const StreamFrame *frame = g_ptr_array_index (self->frames, i);

      map[i] = sp_session_intern_frame_variant (builder, frame->name, frame->variant, frame->file,
                                                frame->line);
    }
  return map;
}

/* The builder's node of each of the stream's: a thread is a root of its own only when the
 * recording saw several threads. */
static guint32 *
copy_tree (SpSampleStream   *self,
           SpProfileBuilder *builder,
           const guint32    *frame_map,
           double            bytes_per_sample)
{
  guint n = sp_stack_tree_get_n_nodes (self->tree);
  guint32 *node_map = g_new (guint32, MAX (n, 1));
  gboolean threads = self->threads->len > 1;

  for (guint i = 0; i < n; i++)
    {
      guint32 parent = sp_stack_tree_get_parent (self->tree, i);
      guint32 frame = sp_stack_tree_get_frame (self->tree, i);
      double weight = g_array_index (self->weights, double, i);

      if (parent == SP_NO_NODE)
        node_map[i] = threads ? sp_profile_builder_get_child (
                                  builder, SP_NO_NODE,
                                  sp_profile_builder_intern_frame_full (
                                    builder, g_ptr_array_index (self->threads, frame),
                                    SP_FRAME_KIND_THREAD))
                              : SP_NO_NODE;
      else
        node_map[i] = sp_profile_builder_get_child (builder, node_map[parent], frame_map[frame]);
      if (weight > 0 && node_map[i] != SP_NO_NODE)
        {
          sp_profile_builder_add_weight (builder, node_map[i], SP_METRIC_SAMPLES, weight);
          if (bytes_per_sample > 0)
            sp_profile_builder_add_weight (builder, node_map[i], SP_METRIC_BYTES,
                                           weight * bytes_per_sample);
        }
    }
  return node_map;
}

static void
stats_from_figures (SpRunStats    *stats,
                    const Figures *figures,
                    double         scale)
{
  sp_run_stats_init (stats);
  stats->self_weight = figures->self * scale;
  stats->total_weight = figures->total * scale;
}

/* Per-run figures of every function sampled in a run, in the profile's default metric. */
static void
add_function_stats (SpSampleStream   *self,
                    SpProfileBuilder *builder,
                    const guint32    *frame_map,
                    double            scale)
{
  guint n_runs = self->runs->len;
  g_autofree SpRunStats *runs = g_new (SpRunStats, n_runs);

  for (guint f = 0; f < self->frames->len; f++)
    {
      SpFunctionStats stats = { frame_map[f], { 0 }, n_runs, runs };
      Figures total = { 0, 0 };

      for (guint r = 0; r < n_runs; r++)
        {
          GArray *figures = g_ptr_array_index (self->runs, r);
          Figures none = { 0, 0 };
          const Figures *in_run = f < figures->len ? &g_array_index (figures, Figures, f) : &none;

          stats_from_figures (&runs[r], in_run, scale);
          total.self += in_run->self;
          total.total += in_run->total;
        }
      if (total.total > 0)
        {
          stats_from_figures (&stats.total, &total, scale);
          sp_profile_builder_add_function_stats (builder, &stats);
        }
    }
}

void
sp_sample_stream_fill (SpSampleStream   *self,
                       SpProfileBuilder *builder,
                       double            bytes_per_sample,
                       gboolean          timeline)
{
  SpProfileSections *sections = sp_profile_builder_get_sections (builder);
  g_autofree guint32 *frame_map = NULL;
  g_autofree guint32 *node_map = NULL;

  sp_profile_builder_enable_metric (builder, SP_METRIC_SAMPLES);
  if (bytes_per_sample > 0)
    sp_profile_builder_enable_metric (builder, SP_METRIC_BYTES);
  frame_map = intern_frames (self, builder);
  node_map = copy_tree (self, builder, frame_map, bytes_per_sample);
  if (timeline && self->timeline->len > 0)
    {
      for (guint i = 0; i < self->timeline->len; i++)
        {
          const TimedStack *timed = &g_array_index (self->timeline, TimedStack, i);

          if (node_map[timed->node] != SP_NO_NODE)
            sp_profile_builder_add_timeline_sample (builder, timed->time, node_map[timed->node],
                                                    timed->weight);
        }
      sp_profile_builder_get_meta (builder)->timeline_estimated = TRUE;
    }
  if (self->runs->len > 1)
    add_function_stats (self, builder, frame_map, bytes_per_sample > 0 ? bytes_per_sample : 1);
  if (self->gc.gc_events != NULL)
    {
      if (sections->gc_events == NULL)
        sections->gc_events = g_array_new (FALSE, FALSE, sizeof (SpGcEvent));
      g_array_append_vals (sections->gc_events, self->gc.gc_events->data, self->gc.gc_events->len);
    }
}
