/* sp-folded.c: reading and writing folded stacks
 *
 * The reader is the fast path for big files (100 MB in well under a second): it reads large
 * chunks, never allocates per line, interns frame names through its own hash table keyed by
 * the raw bytes, and merges stacks in an SpStackTree.
 */
#define G_LOG_DOMAIN "sp-folded"
#define _GNU_SOURCE  /* memrchr */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sp-folded.h"
#include "sp-stack-tree.h"

#define CHUNK_SIZE   (4 * 1024 * 1024)
/* The model stores depths as guint16. */
#define MAX_DEPTH    G_MAXUINT16

typedef struct
{
  guint32 hash;
  guint32 frame;     /* SP_NO_FRAME: empty slot */
  guint32 len;
  gsize   offset;    /* of the name's bytes in the arena */
} NameEntry;

typedef struct
{
  SpStackTree      *tree;
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
  GByteArray       *previous;      /* bytes of the previous frames part */
  GArray           *previous_ends; /* guint32: end offset of each frame in previous */
  GArray           *previous_nodes;/* guint32: node of each frame */
} FoldedReader;

static void
folded_reader_init (FoldedReader *self)
{
  memset (self, 0, sizeof *self);
  self->tree = sp_stack_tree_new ();
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->mask = 4096 - 1;
  self->entries = g_new (NameEntry, self->mask + 1);
  for (guint i = 0; i <= self->mask; i++)
    self->entries[i].frame = SP_NO_FRAME;
  self->arena = g_byte_array_sized_new (64 * 1024);
  self->differential = -1;
  self->previous = g_byte_array_new ();
  self->previous_ends = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->previous_nodes = g_array_new (FALSE, FALSE, sizeof (guint32));
}

static void
folded_reader_clear (FoldedReader *self)
{
  g_clear_pointer (&self->tree, sp_stack_tree_free);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_free);
  g_clear_pointer (&self->arena, g_byte_array_unref);
  g_clear_pointer (&self->previous, g_byte_array_unref);
  g_clear_pointer (&self->previous_ends, g_array_unref);
  g_clear_pointer (&self->previous_nodes, g_array_unref);
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

static inline guint32
hash_name (const char *p,
           gsize       len)
{
  const guint64 k = 0x517cc1b727220a95ull;
  guint64 h = len * 0x9e3779b97f4a7c15ull;
  guint64 v;

  for (; len >= 8; p += 8, len -= 8)
    {
      memcpy (&v, p, 8);
      h = (((h << 5) | (h >> 59)) ^ v) * k;
    }
  if (len > 0)
    {
      v = 0;
      memcpy (&v, p, len);
      h = (((h << 5) | (h >> 59)) ^ v) * k;
    }
  return (guint32) (h >> 32);
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

      frame = intern_name (self, valid, strlen (valid), error);
    }
  insert_name (self, hash, name, len, frame);
  return frame;
}

static guint32
intern_name (FoldedReader  *self,
             const char    *name,
             gsize          len,
             GError       **error)
{
  guint32 hash = hash_name (name, len);

  for (guint32 i = hash & self->mask;; i = (i + 1) & self->mask)
    {
      NameEntry *e = &self->entries[i];

      if (e->frame == SP_NO_FRAME)
        return add_name (self, hash, name, len, error);
      if (e->hash == hash && e->len == len &&
          memcmp (self->arena->data + e->offset, name, len) == 0)
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

/* How many leading frames of this line are the previous line's, byte for byte. */
static guint
shared_frames (FoldedReader *self,
               const char   *frames,
               gsize         len)
{
  const guint32 *ends = (const guint32 *) self->previous_ends->data;
  gsize common = 0, limit = MIN (len, self->previous->len);
  guint n = 0;

  while (common < limit && frames[common] == self->previous->data[common])
    common++;
  /* A frame is shared when both lines have it followed by ';' (a last frame is not: the
   * new line may continue it, as in "a;b c;d"). */
  while (n + 1 < self->previous_ends->len && ends[n] < common)
    n++;
  return n;
}

static gboolean
add_frames (FoldedReader  *self,
            const char    *frames,
            const char    *frames_end,
            guint32       *leaf,
            GError       **error)
{
  guint n = shared_frames (self, frames, frames_end - frames);
  guint32 node = n > 0 ? g_array_index (self->previous_nodes, guint32, n - 1) : SP_NO_NODE;
  const char *p = n > 0 ? frames + g_array_index (self->previous_ends, guint32, n - 1) + 1 : frames;

  g_array_set_size (self->previous_ends, n);
  g_array_set_size (self->previous_nodes, n);
  while (p < frames_end)
    {
      const char *q = memchr (p, ';', frames_end - p);
      guint32 frame, end;

      if (q == NULL)
        q = frames_end;
      if (q > p)
        {
          if ((frame = intern_name (self, p, q - p, error)) == SP_NO_FRAME)
            return FALSE;
          if (self->previous_nodes->len >= MAX_DEPTH)
            return fail (self, error, _("the stack is deeper than %u frames"), MAX_DEPTH);
          node = sp_stack_tree_get_child (self->tree, node, frame);
          end = q - frames;
          g_array_append_val (self->previous_ends, end);
          g_array_append_val (self->previous_nodes, node);
        }
      p = q + 1;
    }
  g_byte_array_set_size (self->previous, 0);
  g_byte_array_append (self->previous, (const guint8 *) frames, frames_end - frames);
  *leaf = node;
  return TRUE;
}

static gboolean
read_line (FoldedReader  *self,
           const char    *line,
           const char    *end,
           GError       **error)
{
  const char *last_space, *frames_end;
  double count, baseline = 0;
  guint32 leaf = SP_NO_NODE;

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

  if (!add_frames (self, line, frames_end, &leaf, error))
    return FALSE;
  if (leaf == SP_NO_NODE)
    return fail (self, error, _("no frames before the count"));
  sp_stack_tree_add_weight (self->tree, leaf, SP_METRIC_SAMPLES, count);
  if (self->differential)
    sp_stack_tree_add_weight (self->tree, leaf, SP_METRIC_BASELINE, baseline);
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
      gssize n = g_input_stream_read (stream, buffer + have, capacity - have, cancellable, error);
      gsize consumed;

      if (n < 0)
        return FALSE;
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

  folded_reader_init (&self);
  if (!read_stream (&self, stream, progress, cancellable, error))
    goto out;
  if (self.n_stacks == 0)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_EMPTY,
                   _("no stacks: the file holds only blank lines"));
      goto out;
    }

  sp_profile_meta_init (&meta);
  meta.mode = SP_MODE_IMPORTED;
  meta.source = g_strdup (source);
  profile = sp_stack_tree_end (g_steal_pointer (&self.tree), &meta,
                               g_steal_pointer (&self.frames), error);

out:
  folded_reader_clear (&self);
  return profile;
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
