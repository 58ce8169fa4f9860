/* sp-folded.c: reading and writing folded stacks
 *
 * The reader is the fast path for big files (100 MB in well under a second): it reads large
 * chunks, never allocates per line, and interns frame names through its own hash table keyed
 * by the raw bytes.  Merging stacks into a tree takes longer than parsing them, so two more
 * threads do the merging: the parser merges the first levels of every stack itself, and hands
 * what lies below them to one merger or the other, by subtree, in blocks of records, each a
 * line's frame ids and counts.  The three trees are laid out as one at the end.
 */
#define G_LOG_DOMAIN "sp-folded"
#define _GNU_SOURCE  /* memrchr */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sp-folded.h"
#include "sp-stack-tree.h"

/* The model stores depths as guint16. */
#define MAX_DEPTH    G_MAXUINT16

/* A record: n_shared, n_new, n_new frame ids, the count and the baseline as two words each.
 * n_shared frames are the previous record's first ones. */
#define RECORD_MAX_WORDS (2 + MAX_DEPTH + 4)
#ifdef SP_FUZZING
/* The fuzzing build reads in small chunks and blocks: each load costs less under ASan (which
 * maps and poisons every large buffer anew), and chunk and block boundaries come often. */
#define CHUNK_SIZE       (64 * 1024)
#define BLOCK_WORDS      (256 * 1024)
#else
#define CHUNK_SIZE       (4 * 1024 * 1024)
#define BLOCK_WORDS      (256 * 1024)
#endif
/* Blocks in flight between the parser and a merger: bounds the memory they take. */
#define N_BLOCKS         4
/* Merging threads when the tree is built (function figures alone take one). */
#define N_MERGERS        2
/* The top levels of the tree, which the parser builds itself, are at most this deep. */
#define MAX_SPLIT_DEPTH  32
/* The top levels stop at the first depth where the first chunk has this many distinct stack
 * beginnings: enough subtrees below them to share out evenly between the mergers. */
#define SPLIT_PREFIXES   64

typedef struct
{
  guint32  *words;
  gsize     len;
  gboolean  last;     /* no more blocks follow */
} Block;

typedef struct
{
  guint32 hash;
  guint32 frame;     /* SP_NO_FRAME: empty slot */
  guint32 len;
  gsize   offset;    /* of the name's bytes in the arena */
} NameEntry;

typedef struct _FoldedReader FoldedReader;

typedef struct
{
  FoldedReader     *reader;
  /* The merging thread's */
  SpStackTree      *tree;          /* NULL when reading only the function figures */
  guint32          *path;          /* the previous record's nodes: MAX_DEPTH of them at most */
  GThread          *thread;
  GAsyncQueue      *full;          /* of Block*, parser → merger */
  GAsyncQueue      *empty;         /* of Block*, merger → parser */
  /* The parser's */
  Block            *block;         /* being filled */
  guint64           words_sent;
} Merger;

struct _FoldedReader
{
  /* Merging: the stacks are split below their first split_depth frames, which the parser
   * merges into top itself, and every subtree below those goes to one of the mergers, each
   * building a tree of its own.  The trees are laid out as one at the end
   * (sp_stack_tree_end_parts). */
  Merger            mergers[N_MERGERS];
  guint             n_mergers;

  /* The merging thread's, when reading only the function figures (one merger, no split) */
  SpFoldedFlat     *flat;          /* those figures, or NULL */
  guint32          *path_frames;   /* the previous record's frames */
  guint64          *seen;          /* by frame: the last record that counted it */
  guint64           n_records;

  /* The parser's */
  SpStackTree      *top;           /* the top levels of the tree, or NULL */
  guint             split_depth;   /* how many: 0 until the first chunk says */
  guint32          *top_path;      /* the previous line's nodes in top */
  GByteArray       *owners;        /* by node of top: the merger its subtree went to, or 0xff */
  int               current;       /* the merger the previous line went to, or -1 */
  guint32          *record;        /* the line being read, as a record */
  GPtrArray        *frames;        /* of SpFrame* */
  NameEntry        *entries;
  guint32           mask;
  guint32           n_entries;
  GByteArray       *arena;
  guint64           line_number;
  guint64           n_stacks;
  int               differential;  /* -1 until the first stack says */
  /* The previous line's frames, to reuse the nodes of a shared prefix: folded files are
   * usually sorted, so consecutive lines share most of their frames. */
  /* Plain arrays rather than GArrays: these are touched for every frame of every line, and
   * GArray's calls were a tenth of the time of a large load. */
  char             *previous;      /* bytes of the previous frames part */
  gsize             previous_len;
  gsize             previous_capacity;
  guint32          *previous_ends; /* end offset of each frame in previous: MAX_DEPTH at most */
  guint             n_previous;
};

static void
folded_reader_init (FoldedReader *self,
                    gboolean      flat)
{
  memset (self, 0, sizeof *self);
  if (flat)
    {
      self->flat = g_new0 (SpFoldedFlat, 1);
      self->path_frames = g_new (guint32, MAX_DEPTH);
      self->n_mergers = 1;
    }
  else
    {
      self->top = sp_stack_tree_new ();
      self->top_path = g_new (guint32, MAX_SPLIT_DEPTH);
      self->owners = g_byte_array_new ();
      self->n_mergers = N_MERGERS;
    }
  self->current = -1;
  self->record = g_new (guint32, RECORD_MAX_WORDS);
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->mask = 4096 - 1;
  self->entries = g_new (NameEntry, self->mask + 1);
  for (guint i = 0; i <= self->mask; i++)
    self->entries[i].frame = SP_NO_FRAME;
  self->arena = g_byte_array_sized_new (64 * 1024);
  self->differential = -1;
  self->previous_capacity = 4096;
  self->previous = g_malloc (self->previous_capacity);
  self->previous_ends = g_new (guint32, MAX_DEPTH);
  for (guint m = 0; m < self->n_mergers; m++)
    {
      Merger *merger = &self->mergers[m];

      merger->reader = self;
      if (!flat)
        merger->tree = sp_stack_tree_new ();
      merger->path = g_new (guint32, MAX_DEPTH);
      merger->full = g_async_queue_new ();
      merger->empty = g_async_queue_new ();
      for (guint i = 0; i < N_BLOCKS; i++)
        {
          Block *block = g_new0 (Block, 1);

          block->words = g_new (guint32, BLOCK_WORDS);
          g_async_queue_push (merger->empty, block);
        }
    }
}

static void
block_free (gpointer data)
{
  Block *block = data;

  g_free (block->words);
  g_free (block);
}

static void
folded_reader_clear (FoldedReader *self)
{
  g_clear_pointer (&self->flat, sp_folded_flat_free);
  g_clear_pointer (&self->path_frames, g_free);
  g_clear_pointer (&self->seen, g_free);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_free);
  g_clear_pointer (&self->arena, g_byte_array_unref);
  g_clear_pointer (&self->previous, g_free);
  g_clear_pointer (&self->previous_ends, g_free);
  g_clear_pointer (&self->top, sp_stack_tree_free);
  g_clear_pointer (&self->top_path, g_free);
  g_clear_pointer (&self->owners, g_byte_array_unref);
  g_clear_pointer (&self->record, g_free);
  for (guint m = 0; m < self->n_mergers; m++)
    {
      Merger *merger = &self->mergers[m];

      g_clear_pointer (&merger->tree, sp_stack_tree_free);
      g_clear_pointer (&merger->path, g_free);
      g_clear_pointer (&merger->block, block_free);
      for (Block *block; (block = g_async_queue_try_pop (merger->full)) != NULL;)
        block_free (block);
      for (Block *block; (block = g_async_queue_try_pop (merger->empty)) != NULL;)
        block_free (block);
      g_clear_pointer (&merger->full, g_async_queue_unref);
      g_clear_pointer (&merger->empty, g_async_queue_unref);
    }
}

/* ---- The merging threads ---- */

static const guint32 *
merge_record (Merger        *self,
              const guint32 *record)
{
  guint32 n_shared = record[0], n_new = record[1];
  guint32 node = n_shared > 0 ? self->path[n_shared - 1] : SP_NO_NODE;
  double count, baseline;

  /* the parser keeps n_shared + n_new within MAX_DEPTH */
  record += 2;
  for (guint i = 0; i < n_new; i++)
    {
      node = sp_stack_tree_get_child (self->tree, node, *record++);
      self->path[n_shared + i] = node;
    }
  memcpy (&count, record, sizeof count);
  memcpy (&baseline, record + 2, sizeof baseline);
  sp_stack_tree_add_weight (self->tree, node, SP_METRIC_SAMPLES, count);
  if (self->reader->differential)
    sp_stack_tree_add_weight (self->tree, node, SP_METRIC_BASELINE, baseline);
  return record + 4;
}

/* The record after record. */
static inline const guint32 *
next_record (const guint32 *record)
{
  return record + 2 + record[1] + 4;
}

/* Records merged step by step side by side: at most this many. */
#define MERGED_AT_ONCE 4

/* Records merged step by step side by side, when each parts from the one before above that
 * one's own new frames (it shares fewer frames with it than that one shares with the record
 * before it).  Then they touch separate subtrees below the path they share: each makes the
 * same nodes, in the same order among their siblings, as one after the other, and their
 * lookups, each a wait for memory, overlap.  Only the last record's new nodes are on the path
 * that the record after the group shares. */
static void
merge_group (Merger         *self,
             const guint32 **records,
             guint           n_records)
{
  const guint32 *last = records[n_records - 1];
  guint32 node[MERGED_AT_ONCE], longest = 0;

  for (guint k = 0; k < n_records; k++)
    {
      node[k] = records[k][0] > 0 ? self->path[records[k][0] - 1] : SP_NO_NODE;
      longest = MAX (longest, records[k][1]);
    }
  for (guint i = 0; i < longest; i++)
    {
      for (guint k = 0; k + 1 < n_records; k++)
        if (i < records[k][1])
          node[k] = sp_stack_tree_get_child (self->tree, node[k], records[k][2 + i]);
      if (i < last[1])
        self->path[last[0] + i] = node[n_records - 1] =
          sp_stack_tree_get_child (self->tree, node[n_records - 1], last[2 + i]);
    }
  for (guint k = 0; k < n_records; k++)
    {
      const guint32 *figures = records[k] + 2 + records[k][1];
      double count, baseline;

      memcpy (&count, figures, sizeof count);
      memcpy (&baseline, figures + 2, sizeof baseline);
      sp_stack_tree_add_weight (self->tree, node[k], SP_METRIC_SAMPLES, count);
      if (self->reader->differential)
        sp_stack_tree_add_weight (self->tree, node[k], SP_METRIC_BASELINE, baseline);
    }
}

/* Room for frame in the flat figures: frames come from the parser as it meets them. */
static void
grow_flat (FoldedReader *self,
           guint32       frame)
{
  SpFoldedFlat *flat = self->flat;
  guint n = MAX (frame + 1, flat->n_frames * 2);

  flat->self = g_renew (double, flat->self, n);
  flat->total = g_renew (double, flat->total, n);
  self->seen = g_renew (guint64, self->seen, n);
  memset (flat->self + flat->n_frames, 0, sizeof (double) * (n - flat->n_frames));
  memset (flat->total + flat->n_frames, 0, sizeof (double) * (n - flat->n_frames));
  memset (self->seen + flat->n_frames, 0, sizeof (guint64) * (n - flat->n_frames));
  flat->n_frames = n;
}

/* A record's count goes to its leaf's self and, once per record, to the total of every frame
 * of its stack: the flat table, without the tree. */
static const guint32 *
add_record_flat (Merger        *merger,
                 const guint32 *record)
{
  FoldedReader *self = merger->reader;
  guint32 n_shared = record[0], n_new = record[1], depth = n_shared + n_new;
  double count;

  record += 2;
  for (guint i = 0; i < n_new; i++)
    {
      guint32 frame = *record++;

      if (frame >= self->flat->n_frames)
        grow_flat (self, frame);
      self->path_frames[n_shared + i] = frame;
    }
  memcpy (&count, record, sizeof count);
  self->n_records++;
  self->flat->self[self->path_frames[depth - 1]] += count;
  self->flat->grand_total += count;
  for (guint i = 0; i < depth; i++)
    {
      guint32 frame = self->path_frames[i];

      if (self->seen[frame] != self->n_records)
        {
          self->seen[frame] = self->n_records;
          self->flat->total[frame] += count;
        }
    }
  return record + 4;
}

static gpointer
merge_blocks (gpointer data)
{
  Merger *self = data;
  gboolean last = FALSE;

  while (!last)
    {
      Block *block = g_async_queue_pop (self->full);
      const guint32 *record = block->words, *end = block->words + block->len;

      if (self->tree == NULL)
        while (record < end)
          record = add_record_flat (self, record);
      else
        while (record < end)
          {
            const guint32 *group[MERGED_AT_ONCE] = { record };
            guint n = 1;

            for (record = next_record (record); n < MERGED_AT_ONCE && record < end && record[0] < group[n - 1][0];
                 record = next_record (record))
              group[n++] = record;
            if (n == 1)
              merge_record (self, group[0]);
            else
              merge_group (self, group, n);
          }
      last = block->last;
      block->len = 0;
      g_async_queue_push (self->empty, block);
    }
  return NULL;
}

/* Hands the block being filled to the merger; with last, waits for it to finish. */
static void
send_block (Merger   *self,
            gboolean  last)
{
  if (self->block == NULL)
    self->block = g_async_queue_pop (self->empty);
  self->block->last = last;
  g_async_queue_push (self->full, g_steal_pointer (&self->block));
  if (last)
    g_clear_pointer (&self->thread, g_thread_join);
}

/* Room for a record of n_words at the end of the merger's block. */
static guint32 *
record_space (Merger *self,
              gsize   n_words)
{
  if (self->block != NULL && self->block->len + n_words > BLOCK_WORDS)
    send_block (self, FALSE);
  if (self->block == NULL)
    self->block = g_async_queue_pop (self->empty);
  self->block->len += n_words;
  self->words_sent += n_words;
  return self->block->words + self->block->len - n_words;
}

static gboolean G_GNUC_PRINTF (3, 4)
fail (FoldedReader  *self,
      GError       **error,
      const char    *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
               _("line %llu: %s"), (unsigned long long) self->line_number, message);
  return FALSE;
}

/* A short, printable excerpt of bad input for a message. */
static char *
excerpt (const char *p,
         gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (p, MIN (len, 40));

  return len > 40 ? g_strconcat (valid, "…", NULL) : g_steal_pointer (&valid);
}

#define HASH_SEED 0x9e3779b97f4a7c15ull

static inline guint64
hash_step (guint64 h,
           guint64 word)
{
  return (((h << 5) | (h >> 59)) ^ word) * 0x517cc1b727220a95ull;
}

static inline guint32
hash_finish (guint64 h,
             gsize   len)
{
  return (guint32) (hash_step (h, len) >> 32);
}

/* Eight bytes at a time, the last ones zero-padded. */
static inline guint32
hash_name (const char *p,
           gsize       len)
{
  guint64 h = HASH_SEED, v;
  gsize left = len;

  for (; left >= 8; p += 8, left -= 8)
    {
      memcpy (&v, p, 8);
      h = hash_step (h, v);
    }
  if (left > 0)
    {
      v = 0;
      memcpy (&v, p, left);
      h = hash_step (h, v);
    }
  return hash_finish (h, len);
}

/* Finds the ';' that ends the frame starting at p (or end), hashing the frame's bytes on the
 * way exactly as hash_name() does: one pass over the line instead of two. */
static inline const char *
scan_frame (const char *p,
            const char *end,
            guint32    *hash)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  const guint64 ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const char *start = p;
  guint64 h = HASH_SEED, v;

  for (; end - p >= 8; p += 8)
    {
      guint64 x, found;

      memcpy (&v, p, 8);
      x = v ^ (ones * ';');
      /* the lowest byte of x that is zero, which is the first ';' */
      if ((found = (x - ones) & ~x & highs) != 0)
        {
          guint before = __builtin_ctzll (found) / 8;

          if (before > 0)
            h = hash_step (h, v & ((G_GUINT64_CONSTANT (1) << (8 * before)) - 1));
          *hash = hash_finish (h, p + before - start);
          return p + before;
        }
      h = hash_step (h, v);
    }
  v = 0;
  for (guint i = 0; p + i < end; i++)
    {
      if (p[i] == ';')
        {
          end = p + i;
          break;
        }
      v |= (guint64) (guchar) p[i] << (8 * i);
    }
  if (end > p)
    h = hash_step (h, v);
  *hash = hash_finish (h, end - start);
  return end;
#else
  const char *q = memchr (p, ';', end - p);

  if (q == NULL)
    q = end;
  *hash = hash_name (p, q - p);
  return q;
#endif
}

static void
grow_names (FoldedReader *self)
{
  guint32 new_mask = self->mask * 2 + 1;
  NameEntry *entries = g_new (NameEntry, new_mask + 1);

  for (guint i = 0; i <= new_mask; i++)
    entries[i].frame = SP_NO_FRAME;
  for (guint i = 0; i <= self->mask; i++)
    {
      NameEntry *e = &self->entries[i];
      guint32 j;

      if (e->frame == SP_NO_FRAME)
        continue;
      for (j = e->hash & new_mask; entries[j].frame != SP_NO_FRAME; j = (j + 1) & new_mask)
        ;
      entries[j] = *e;
    }
  g_free (self->entries);
  self->entries = entries;
  self->mask = new_mask;
}

static guint32 intern_name (FoldedReader  *self,
                             const char    *name,
                             gsize          len,
                             guint32        hash,
                             GError       **error);

static void
insert_name (FoldedReader *self,
             guint32       hash,
             const char   *name,
             gsize         len,
             guint32       frame)
{
  guint32 i;

  for (i = hash & self->mask; self->entries[i].frame != SP_NO_FRAME; i = (i + 1) & self->mask)
    ;
  self->entries[i] = (NameEntry) { hash, frame, len, self->arena->len };
  g_byte_array_append (self->arena, (const guint8 *) name, len);
  if (++self->n_entries * 2 > self->mask)
    grow_names (self);
}

static guint32
new_frame (FoldedReader *self,
           const char   *name,
           gsize         len)
{
  g_autofree char *copy = g_strndup (name, len);
  g_autofree char *package = NULL;
  SpFrameKind kind = sp_frame_kind_from_name (copy, &package);

  g_ptr_array_add (self->frames, sp_frame_new (copy, package, kind, NULL, 0));
  return self->frames->len - 1;
}

static guint32
add_name (FoldedReader  *self,
          guint32        hash,
          const char    *name,
          gsize          len,
          GError       **error)
{
  guint32 frame;

  if (memchr (name, 0, len) != NULL)
    {
      fail (self, error, _("binary data (a NUL byte) in a frame name: not a folded stacks file"));
      return SP_NO_FRAME;
    }
  if (g_utf8_validate_len (name, len, NULL))
    frame = new_frame (self, name, len);
  else
    {
      /* the repaired name may be one we know already */
      g_autofree char *valid = g_utf8_make_valid (name, len);

      frame = intern_name (self, valid, strlen (valid), hash_name (valid, strlen (valid)), error);
    }
  insert_name (self, hash, name, len, frame);
  return frame;
}

/* Whether a and b's first len bytes are equal: inline, as names are short and nearly always
 * equal, where memcmp() was a twentieth of a large load. */
static inline gboolean
same_bytes (const char *a,
            const char *b,
            gsize       len)
{
  guint64 x, y;

  for (; len >= 8; a += 8, b += 8, len -= 8)
    {
      memcpy (&x, a, 8);
      memcpy (&y, b, 8);
      if (x != y)
        return FALSE;
    }
  for (; len > 0; a++, b++, len--)
    if (*a != *b)
      return FALSE;
  return TRUE;
}

/* hash is hash_name (name, len) */
static guint32
intern_name (FoldedReader  *self,
             const char    *name,
             gsize          len,
             guint32        hash,
             GError       **error)
{
  for (guint32 i = hash & self->mask;; i = (i + 1) & self->mask)
    {
      NameEntry *e = &self->entries[i];

      if (e->frame == SP_NO_FRAME)
        return add_name (self, hash, name, len, error);
      if (e->hash == hash && e->len == len &&
          same_bytes ((const char *) self->arena->data + e->offset, name, len))
        return e->frame;
    }
}

/* Parses a count: an unsigned integer fast, anything else through g_ascii_strtod.  Negative
 * values are returned so the caller can say what is wrong with them. */
static gboolean
parse_count (const char *p,
             const char *end,
             double     *value)
{
  char buffer[64];
  char *parsed_end;
  guint64 n = 0;
  const char *q;

  if (p == end)
    return FALSE;
  for (q = p; q < end && q - p < 18 && *q >= '0' && *q <= '9'; q++)
    n = n * 10 + (guint64) (*q - '0');
  if (q == end)
    {
      *value = (double) n;
      return TRUE;
    }

  if (end - p >= (gssize) sizeof buffer)
    return FALSE;
  for (q = p; q < end; q++)
    if (!g_ascii_isdigit (*q) && *q != '.' && *q != 'e' && *q != 'E' && *q != '+' && *q != '-')
      return FALSE;
  memcpy (buffer, p, end - p);
  buffer[end - p] = '\0';
  *value = g_ascii_strtod (buffer, &parsed_end);
  return parsed_end == buffer + (end - p) && isfinite (*value);
}

/* The first stack decides whether the file has one count per line or two (differential). */
static void
decide_differential (FoldedReader *self,
                     const char   *line,
                     const char   *last_space)
{
  const char *space = memrchr (line, ' ', last_space - line);
  double ignored;

  self->differential = space != NULL && space > line && parse_count (space + 1, last_space, &ignored);
}

/* How many leading bytes a and b share, of the first limit: eight at a time, as lines of deep
 * stacks share hundreds. */
static inline gsize
common_prefix (const char *a,
               const char *b,
               gsize       limit)
{
  gsize i = 0;

  for (; i + 8 <= limit; i += 8)
    {
      guint64 x, y;

      memcpy (&x, a + i, 8);
      memcpy (&y, b + i, 8);
      if (x != y)
        {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
          return i + __builtin_ctzll (x ^ y) / 8;
#else
          break;
#endif
        }
    }
  while (i < limit && a[i] == b[i])
    i++;
  return i;
}

/* How many leading frames of this line are the previous line's, byte for byte. */
static guint
shared_frames (FoldedReader *self,
               const char   *frames,
               gsize         len)
{
  const guint32 *ends = self->previous_ends;
  gsize common = 0, limit = MIN (len, self->previous_len);
  guint n = 0;

  common = common_prefix (frames, self->previous, limit);
  /* A frame is shared when both lines have it followed by ';' (a last frame is not: the
   * new line may continue it, as in "a;b c;d"). */
  while (n + 1 < self->n_previous && ends[n] < common)
    n++;
  return n;
}

/* Writes the record's frames: how many the previous line shares, then the new ones. */
static gboolean
add_frames (FoldedReader  *self,
            const char    *frames,
            const char    *frames_end,
            guint32       *record,
            guint32      **record_end,
            GError       **error)
{
  guint n = shared_frames (self, frames, frames_end - frames);
  const char *p = n > 0 ? frames + self->previous_ends[n - 1] + 1 : frames;
  guint32 *out = record + 2;

  self->n_previous = n;
  while (p < frames_end)
    {
      guint32 hash, end;
      const char *q = scan_frame (p, frames_end, &hash);

      if (q > p)
        {
          if (self->n_previous >= MAX_DEPTH)
            return fail (self, error, _("the stack is deeper than %u frames"), MAX_DEPTH);
          if ((*out++ = intern_name (self, p, q - p, hash, error)) == SP_NO_FRAME)
            return FALSE;
          end = q - frames;
          self->previous_ends[self->n_previous++] = end;
        }
      p = q + 1;
    }
  if (self->n_previous == 0)
    return fail (self, error, _("no frames before the count"));
  if ((gsize) (frames_end - frames) > self->previous_capacity)
    {
      self->previous_capacity = MAX ((gsize) (frames_end - frames), self->previous_capacity * 2);
      self->previous = g_realloc (self->previous, self->previous_capacity);
    }
  memcpy (self->previous, frames, frames_end - frames);
  self->previous_len = frames_end - frames;
  record[0] = n;
  record[1] = out - record - 2;
  *record_end = out;
  return TRUE;
}

/* The merger that takes the subtree below top's node. */
static Merger *
owner (FoldedReader *self,
       guint32       node)
{
  guint8 *owner;

  if (node >= self->owners->len)
    {
      guint old_len = self->owners->len;

      g_byte_array_set_size (self->owners, MAX (node + 1, old_len * 2));
      memset (self->owners->data + old_len, 0xff, self->owners->len - old_len);
    }
  owner = &self->owners->data[node];
  if (*owner == 0xff)
    {
      /* to the merger with the least work so far */
      *owner = 0;
      for (guint m = 1; m < self->n_mergers; m++)
        if (self->mergers[m].words_sent < self->mergers[*owner].words_sent)
          *owner = m;
    }
  self->current = *owner;
  return &self->mergers[*owner];
}

/* Hands a line's record to a merger.  Where the tree is split, the line's first split_depth
 * frames go into top here, and the merger gets the rest below top's node: as a continuation
 * of its previous record, when the line shares those frames with the line before, or else as a
 * new record whose first frame is the number of top's node. */
static void
send_record (FoldedReader  *self,
             const guint32 *record,
             double         count,
             double         baseline)
{
  guint32 n_shared = record[0], n_new = record[1], depth = n_shared + n_new;
  guint split = self->split_depth;
  const guint32 *frames = record + 2;
  guint32 *out;
  Merger *merger;

  if (self->top == NULL)
    {
      merger = &self->mergers[0];
      memcpy (record_space (merger, 2 + n_new + 4), record, sizeof (guint32) * (2 + n_new + 4));
      return;
    }
  if (n_shared >= split)
    {
      /* the line before went on below split, so to a merger */
      g_assert (self->current >= 0);
      merger = &self->mergers[self->current];
      out = record_space (merger, 2 + n_new + 4);
      out[0] = n_shared - split + 1;
      out[1] = n_new;
      memcpy (out + 2, frames, sizeof (guint32) * (n_new + 4));
      return;
    }

  {
    guint32 node = n_shared > 0 ? self->top_path[n_shared - 1] : SP_NO_NODE;
    guint in_top = MIN (depth, split);

    for (guint i = n_shared; i < in_top; i++)
      node = self->top_path[i] = sp_stack_tree_get_child (self->top, node, frames[i - n_shared]);
    if (depth <= split)
      {
        sp_stack_tree_add_weight (self->top, node, SP_METRIC_SAMPLES, count);
        if (self->differential)
          sp_stack_tree_add_weight (self->top, node, SP_METRIC_BASELINE, baseline);
        self->current = -1;
        return;
      }
    merger = owner (self, node);
    out = record_space (merger, 2 + 1 + (depth - split) + 4);
    out[0] = 0;
    out[1] = 1 + depth - split;
    out[2] = node;
    memcpy (out + 3, frames + (split - n_shared), sizeof (guint32) * (depth - split + 4));
  }
}

static gboolean
read_line (FoldedReader  *self,
           const char    *line,
           const char    *end,
           GError       **error)
{
  const char *last_space, *frames_end;
  double count, baseline = 0;
  guint32 *record, *record_end = NULL;

  while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
    end--;
  if (end == line)
    return TRUE;

  if ((last_space = memrchr (line, ' ', end - line)) == NULL)
    return fail (self, error, _("no sample count after the last space"));
  if (!parse_count (last_space + 1, end, &count))
    {
      g_autofree char *token = excerpt (last_space + 1, end - last_space - 1);
      return fail (self, error, _("“%s” after the last space is not a sample count"), token);
    }
  frames_end = last_space;
  if (self->differential < 0)
    decide_differential (self, line, last_space);
  if (self->differential)
    {
      frames_end = memrchr (line, ' ', last_space - line);
      if (frames_end == NULL || !parse_count (frames_end + 1, last_space, &baseline))
        return fail (self, error, _("one count where this differential file has two (“a;b 10 12”)"));
    }
  if (count < 0 || baseline < 0)
    return fail (self, error, _("negative sample count"));

  record = self->record;
  if (!add_frames (self, line, frames_end, record, &record_end, error))
    return FALSE;
  memcpy (record_end, &count, sizeof count);
  memcpy (record_end + 2, &baseline, sizeof baseline);
  send_record (self, record, count, baseline);
  self->n_stacks++;
  return TRUE;
}

/* Reads every complete line in buffer[0, len); returns how many bytes it consumed. */
static gboolean
read_lines (FoldedReader  *self,
            const char    *buffer,
            gsize          len,
            gboolean       at_end,
            gsize         *consumed,
            GError       **error)
{
  const char *p = buffer, *end = buffer + len;
  const char *newline;

  while ((newline = memchr (p, '\n', end - p)) != NULL)
    {
      self->line_number++;
      if (!read_line (self, p, newline, error))
        return FALSE;
      p = newline + 1;
    }
  if (at_end && p < end)
    {
      self->line_number++;
      if (!read_line (self, p, end, error))
        return FALSE;
      p = end;
    }
  *consumed = p - buffer;
  return TRUE;
}

/* How deep the top levels go: the first depth at which the lines of the first chunk begin in
 * SPLIT_PREFIXES different ways, or else the depth with the most.  Only frames before a line's
 * last ';' count: the last frame holds the counts too. */
static guint
choose_split_depth (const char *buffer,
                    gsize       len)
{
  guint64 prefixes[MAX_SPLIT_DEPTH][SPLIT_PREFIXES];
  guint n_prefixes[MAX_SPLIT_DEPTH] = { 0 };
  const char *p = buffer, *end = buffer + len, *newline;
  guint best = 0;

  while ((newline = memchr (p, '\n', end - p)) != NULL)
    {
      guint64 h = HASH_SEED;
      const char *q;

      for (guint d = 0; d < MAX_SPLIT_DEPTH && (q = memchr (p, ';', newline - p)) != NULL; d++)
        {
          guint i;

          h = hash_step (h, hash_name (p, q - p));
          for (i = 0; i < n_prefixes[d] && prefixes[d][i] != h; i++)
            ;
          if (i == n_prefixes[d] && i < SPLIT_PREFIXES)
            prefixes[d][n_prefixes[d]++] = h;
          p = q + 1;
        }
      p = newline + 1;
    }
  for (guint d = 0; d < MAX_SPLIT_DEPTH; d++)
    {
      if (n_prefixes[d] >= SPLIT_PREFIXES)
        return d + 1;
      if (n_prefixes[d] > n_prefixes[best])
        best = d;
    }
  return best + 1;
}

static gboolean
read_stream (FoldedReader  *self,
             GInputStream  *stream,
             SpProgress    *progress,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *buffer = NULL;
  gsize capacity = CHUNK_SIZE, have = 0;

  buffer = g_malloc (capacity);
  for (;;)
    {
      gssize n;
      gsize consumed;

      if (self->top != NULL && self->split_depth == 0)
        {
          /* the whole first chunk, to choose the split from */
          gsize got = 0;

          if (!g_input_stream_read_all (stream, buffer, capacity, &got, cancellable, error))
            return FALSE;
          n = got;
          self->split_depth = choose_split_depth (buffer, got);
        }
      else if ((n = g_input_stream_read (stream, buffer + have, capacity - have, cancellable, error)) < 0)
        return FALSE;
      /* a byte order mark is no part of the first frame's name */
      if (have == 0 && self->line_number == 0 && n >= 3 && memcmp (buffer, "\xef\xbb\xbf", 3) == 0)
        {
          memmove (buffer, buffer + 3, n - 3);
          n -= 3;
        }
      have += n;
      if (!read_lines (self, buffer, have, n == 0, &consumed, error))
        return FALSE;
      if (n == 0)
        return TRUE;
      memmove (buffer, buffer + consumed, have - consumed);
      have -= consumed;

      if (have == capacity)
        {
          if (capacity > SP_FOLDED_MAX_LINE)
            {
              g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_TOO_LARGE,
                           _("line %llu is longer than %d MiB, the limit for one stack"),
                           (unsigned long long) self->line_number + 1, SP_FOLDED_MAX_LINE / (1024 * 1024));
              return FALSE;
            }
          capacity = MIN (capacity * 2, (gsize) SP_FOLDED_MAX_LINE + 1);
          buffer = g_realloc (buffer, capacity);
        }
      sp_progress_report (progress, 0.9);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
}

/* Parses and merges the whole stream: FALSE with error set when it cannot. */
static gboolean
read_all (FoldedReader  *self,
          GInputStream  *stream,
          SpProgress    *progress,
          GCancellable  *cancellable,
          GError       **error)
{
  gboolean ok = TRUE;

  for (guint m = 0; ok && m < self->n_mergers; m++)
    ok = (self->mergers[m].thread = g_thread_try_new ("sp-folded-merge", merge_blocks,
                                                     &self->mergers[m], error)) != NULL;
  if (ok)
    ok = read_stream (self, stream, progress, cancellable, error);
  /* the mergers stop at the last block whatever happened, and are joined */
  for (guint m = 0; m < self->n_mergers; m++)
    if (self->mergers[m].thread != NULL)
      send_block (&self->mergers[m], TRUE);
  if (ok && self->n_stacks == 0)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_EMPTY,
                   _("no stacks: the file holds only blank lines"));
      return FALSE;
    }
  return ok;
}

SpProfile *
sp_folded_read (GInputStream  *stream,
                const char    *source,
                SpProgress    *progress,
                GCancellable  *cancellable,
                GError       **error)
{
  FoldedReader self;
  SpProfileMeta meta;
  SpProfile *profile = NULL;

  folded_reader_init (&self, FALSE);
  if (read_all (&self, stream, progress, cancellable, error))
    {
      sp_profile_meta_init (&meta);
      meta.mode = SP_MODE_IMPORTED;
      meta.source = g_strdup (source);
      SpStackTree *parts[N_MERGERS];

      for (guint m = 0; m < self.n_mergers; m++)
        parts[m] = g_steal_pointer (&self.mergers[m].tree);
      profile = sp_stack_tree_end_parts (g_steal_pointer (&self.top), parts, self.n_mergers, &meta,
                                         g_steal_pointer (&self.frames), error);
    }
  folded_reader_clear (&self);
  return profile;
}

SpFoldedFlat *
sp_folded_read_flat (GInputStream  *stream,
                     GCancellable  *cancellable,
                     GError       **error)
{
  FoldedReader self;
  SpFoldedFlat *flat = NULL;

  folded_reader_init (&self, TRUE);
  if (read_all (&self, stream, NULL, cancellable, error))
    {
      if (!(self.flat->grand_total <= SP_MAX_TOTAL_WEIGHT))
        g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                     _("the weights (%s) add up to %g, more than a profile can count (%g)"),
                     sp_metric_to_string (SP_METRIC_SAMPLES), self.flat->grand_total, SP_MAX_TOTAL_WEIGHT);
      else
        {
          flat = g_steal_pointer (&self.flat);
          /* every frame has its figures */
          if (flat->n_frames < self.frames->len)
            {
              FoldedReader sizing = { .flat = flat };

              grow_flat (&sizing, self.frames->len - 1);
              g_free (sizing.seen);
            }
          flat->n_frames = self.frames->len;
          flat->frames = g_steal_pointer (&self.frames);
        }
    }
  folded_reader_clear (&self);
  return flat;
}

void
sp_folded_flat_free (SpFoldedFlat *flat)
{
  if (flat == NULL)
    return;
  g_clear_pointer (&flat->frames, g_ptr_array_unref);
  g_free (flat->self);
  g_free (flat->total);
  g_free (flat);
}

/* ---- Writing ---- */

static gboolean
is_number_text (const char *p)
{
  if (*p == '\0')
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != 'e' && *p != 'E' && *p != '+' && *p != '-')
      return FALSE;
  return TRUE;
}

char *
sp_folded_safe_name (const char *name)
{
  char *safe = g_strdup (*name ? name : "?");
  char *space;

  for (char *p = safe; *p; p++)
    {
      if (*p == ';')
        *p = ':';
      else if (*p == '\n' || *p == '\r')
        *p = ' ';
    }
  /* "f 12" as a last frame would read back as a count. */
  if ((space = strrchr (safe, ' ')) != NULL && is_number_text (space + 1))
    *space = '_';
  return safe;
}

typedef struct
{
  guint32 node;
  gsize   prefix_len;   /* of the path up to and including this node */
} PathEntry;

void
sp_folded_write (SpProfile *profile,
                 SpWriter  *writer)
{
  guint n_nodes = sp_profile_get_n_nodes (profile);
  guint n_frames = sp_profile_get_n_frames (profile);
  const guint32 *parents = sp_profile_get_node_parents (profile);
  const guint32 *frames = sp_profile_get_node_frames (profile);
  gboolean differential = sp_profile_has_metric (profile, SP_METRIC_BASELINE);
  SpMetric metric = differential ? SP_METRIC_SAMPLES : sp_profile_get_default_metric (profile);
  const double *weights = sp_profile_get_self_weights (profile, metric);
  const double *baseline = differential ? sp_profile_get_self_weights (profile, SP_METRIC_BASELINE) : NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_full (n_frames, g_free);
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (PathEntry));
  g_autoptr(GString) prefix = g_string_new (NULL);

  /* a tree without weights (a file may hold one) has no stacks to write */
  if (weights == NULL)
    return;
  for (guint i = 0; i < n_frames; i++)
    g_ptr_array_add (names, sp_folded_safe_name (sp_profile_get_frame (profile, i)->name));

  /* Preorder: a node's parent is on the path; pop back to it and extend the line prefix. */
  for (guint i = 0; i < n_nodes && !sp_writer_failed (writer); i++)
    {
      PathEntry entry = { i, 0 };

      while (path->len > 0 && g_array_index (path, PathEntry, path->len - 1).node != parents[i])
        g_array_set_size (path, path->len - 1);
      g_string_truncate (prefix, path->len > 0 ? g_array_index (path, PathEntry, path->len - 1).prefix_len : 0);
      if (path->len > 0)
        g_string_append_c (prefix, ';');
      g_string_append (prefix, g_ptr_array_index (names, frames[i]));
      entry.prefix_len = prefix->len;
      g_array_append_val (path, entry);

      if (weights[i] == 0 && (baseline == NULL || baseline[i] == 0))
        continue;
      sp_writer_append (writer, prefix->str, prefix->len);
      sp_writer_append (writer, " ", 1);
      if (baseline != NULL)
        {
          sp_writer_append_number (writer, baseline[i]);
          sp_writer_append (writer, " ", 1);
        }
      sp_writer_append_number (writer, weights[i]);
      sp_writer_append (writer, "\n", 1);
    }
}
