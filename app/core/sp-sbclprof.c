/* sp-sbclprof.c: the .sbclprof format, version 1 (described in README.md)
 *
 * Names and metadata are ordinary JSON; the tree's columns are base64 strings of packed
 * little-endian numbers, because json-glib's DOM parser is eight times slower and uses six
 * times the memory on the same columns as plain JSON integer arrays.
 */
#define G_LOG_DOMAIN "sp-sbclprof"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-sbclprof.h"

/* Bytes per base64 block: a multiple of 3, so that blocks need no padding between them. */
#define PACK_BLOCK (3 * 4 * 8 * 1024)

/* ---- Writing ---- */

static const char base64_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding.  GLib's encoder works a byte at a time with state carried
 * between calls; whole groups of three bytes are several times faster, and blocks are
 * multiples of three bytes, so no state crosses blocks. */
static void
append_base64 (GString      *out,
               const guint8 *data,
               gsize         len)
{
  gsize old_len = out->len;
  char *p;
  gsize i;

  g_string_set_size (out, old_len + (len + 2) / 3 * 4);
  p = out->str + old_len;
  for (i = 0; i + 3 <= len; i += 3, p += 4)
    {
      guint32 v = (guint32) data[i] << 16 | (guint32) data[i + 1] << 8 | data[i + 2];

      p[0] = base64_alphabet[v >> 18];
      p[1] = base64_alphabet[(v >> 12) & 63];
      p[2] = base64_alphabet[(v >> 6) & 63];
      p[3] = base64_alphabet[v & 63];
    }
  if (i < len)
    {
      guint32 v = (guint32) data[i] << 16 | (i + 1 < len ? (guint32) data[i + 1] << 8 : 0);

      p[0] = base64_alphabet[v >> 18];
      p[1] = base64_alphabet[(v >> 12) & 63];
      p[2] = i + 1 < len ? base64_alphabet[(v >> 6) & 63] : '=';
      p[3] = '=';
    }
}

/* A column of n numbers of elem_size (4: guint32, 8: double) as a base64 JSON string. */
static void
write_packed (SpWriter   *writer,
              const void *column,
              gsize       elem_size,
              guint       n)
{
  const guint8 *bytes = column;
  gsize total = elem_size * n;

  sp_writer_append (writer, "\"", 1);
  for (gsize done = 0; done < total && !sp_writer_failed (writer); done += PACK_BLOCK)
    {
      gsize len = MIN (PACK_BLOCK, total - done);
#if G_BYTE_ORDER == G_BIG_ENDIAN
      g_autofree guint8 *block = g_memdup2 (bytes + done, len);

      if (elem_size == 4)
        for (gsize i = 0; i < len; i += 4)
          *(guint32 *) (block + i) = GUINT32_TO_LE (*(guint32 *) (block + i));
      else
        for (gsize i = 0; i < len; i += 8)
          *(guint64 *) (block + i) = GUINT64_TO_LE (*(guint64 *) (block + i));
      append_base64 (writer->buffer, block, len);
#else
      append_base64 (writer->buffer, bytes + done, len);
#endif
      sp_writer_append (writer, "", 0);
    }
  sp_writer_append (writer, "\"", 1);
}

static void
write_int_or_null (SpWriter *writer,
                   gint64    value)
{
  if (value < 0)
    sp_writer_puts (writer, "null");
  else
    sp_writer_printf (writer, "%" G_GINT64_FORMAT, value);
}

static void
write_meta (SpWriter            *writer,
            const SpProfileMeta *meta)
{
  sp_writer_printf (writer, "{\n    \"mode\": \"%s\",\n    \"interval\": ", sp_mode_to_string (meta->mode));
  sp_writer_append_json_number (writer, meta->interval);
  sp_writer_puts (writer, ",\n    \"sbcl_version\": ");
  sp_writer_append_json_string (writer, meta->sbcl_version);
  sp_writer_puts (writer, ",\n    \"host\": ");
  sp_writer_append_json_string (writer, meta->host);
  sp_writer_puts (writer, ",\n    \"start_time\": ");
  write_int_or_null (writer, meta->start_time);
  sp_writer_puts (writer, ",\n    \"duration\": ");
  sp_writer_append_json_number (writer, meta->duration);
  sp_writer_puts (writer, ",\n    \"workload\": ");
  sp_writer_append_json_string (writer, meta->workload);
  sp_writer_puts (writer, ",\n    \"gc_seconds\": ");
  sp_writer_append_json_number (writer, meta->gc_seconds);
  sp_writer_puts (writer, ",\n    \"bytes_consed\": ");
  write_int_or_null (writer, meta->bytes_consed);
  sp_writer_puts (writer, ",\n    \"sample_count\": ");
  write_int_or_null (writer, meta->sample_count);
  sp_writer_printf (writer, ",\n    \"truncated\": %s,\n    \"source\": ", meta->truncated ? "true" : "false");
  sp_writer_append_json_string (writer, meta->source);
  sp_writer_puts (writer, ",\n    \"warmup_runs\": ");
  write_int_or_null (writer, meta->warmup_runs);
  sp_writer_puts (writer, ",\n    \"runs\": ");
  write_int_or_null (writer, meta->runs);
  sp_writer_puts (writer, "\n  }");
}

static void
write_frames (SpWriter  *writer,
              SpProfile *profile)
{
  guint n = sp_profile_get_n_frames (profile);

  sp_writer_puts (writer, "[");
  for (guint i = 0; i < n; i++)
    {
      const SpFrame *frame = sp_profile_get_frame (profile, i);

      sp_writer_puts (writer, i > 0 ? ",\n    {\"name\": " : "\n    {\"name\": ");
      sp_writer_append_json_string (writer, frame->name);
      sp_writer_puts (writer, ", \"package\": ");
      sp_writer_append_json_string (writer, frame->package);
      sp_writer_printf (writer, ", \"kind\": \"%s\", \"file\": ", sp_frame_kind_to_string (frame->kind));
      sp_writer_append_json_string (writer, frame->file);
      sp_writer_puts (writer, ", \"line\": ");
      write_int_or_null (writer, frame->line > 0 ? (gint64) frame->line : -1);
      sp_writer_puts (writer, "}");
    }
  sp_writer_puts (writer, "\n  ]");
}

static void
write_tree (SpWriter  *writer,
            SpProfile *profile)
{
  guint n = sp_profile_get_n_nodes (profile);
  gboolean first = TRUE;

  sp_writer_printf (writer, "{\n    \"nodes\": %u,\n    \"parents\": ", n);
  write_packed (writer, sp_profile_get_node_parents (profile), 4, n);
  sp_writer_puts (writer, ",\n    \"frames\": ");
  write_packed (writer, sp_profile_get_node_frames (profile), 4, n);
  sp_writer_puts (writer, ",\n    \"self\": {");
  for (SpMetric m = 0; m < SP_N_METRICS; m++)
    {
      if (!sp_profile_has_metric (profile, m))
        continue;
      sp_writer_printf (writer, "%s\n      \"%s\": ", first ? "" : ",", sp_metric_to_string (m));
      write_packed (writer, sp_profile_get_self_weights (profile, m), 8, n);
      first = FALSE;
    }
  sp_writer_puts (writer, "\n    }\n  }");
}

static void
write_run_stats (SpWriter         *writer,
                 const SpRunStats *run)
{
  sp_writer_puts (writer, "\"calls\": ");
  write_int_or_null (writer, run->calls);
  sp_writer_puts (writer, ", \"seconds\": ");
  sp_writer_append_json_number (writer, run->seconds);
  sp_writer_puts (writer, ", \"bytes\": ");
  write_int_or_null (writer, run->bytes);
  sp_writer_puts (writer, ", \"gc_seconds\": ");
  sp_writer_append_json_number (writer, run->gc_seconds);
}

static void
write_functions (SpWriter  *writer,
                 SpProfile *profile)
{
  guint n = sp_profile_get_n_function_stats (profile);

  sp_writer_puts (writer, "[");
  for (guint i = 0; i < n; i++)
    {
      const SpFunctionStats *stats = sp_profile_get_function_stats (profile, i);

      sp_writer_printf (writer, "%s\n    {\"frame\": %u, ", i > 0 ? "," : "", stats->frame);
      write_run_stats (writer, &stats->total);
      sp_writer_puts (writer, ", \"runs\": [");
      for (guint r = 0; r < stats->n_runs; r++)
        {
          sp_writer_puts (writer, r > 0 ? ", {" : "{");
          write_run_stats (writer, &stats->runs[r]);
          sp_writer_puts (writer, "}");
        }
      sp_writer_puts (writer, "]}");
    }
  sp_writer_puts (writer, n > 0 ? "\n  ]" : "]");
}

void
sp_sbclprof_write (SpProfile *profile,
                   SpWriter  *writer)
{
  sp_writer_printf (writer, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  \"meta\": ",
                    SP_SBCLPROF_FORMAT, SP_SBCLPROF_VERSION);
  write_meta (writer, sp_profile_get_meta (profile));
  sp_writer_puts (writer, ",\n  \"frames\": ");
  write_frames (writer, profile);
  sp_writer_puts (writer, ",\n  \"tree\": ");
  write_tree (writer, profile);
  sp_writer_puts (writer, ",\n  \"functions\": ");
  write_functions (writer, profile);
  sp_writer_puts (writer, "\n}\n");
}

/* ---- Reading ---- */

static gboolean
read_header (JsonObject  *root,
             GError     **error)
{
  g_autofree char *format = NULL;
  gint64 version = 0;

  if (!sp_json_get_string (root, "format", "format", FALSE, &format, error))
    return FALSE;
  if (format == NULL || strcmp (format, SP_SBCLPROF_FORMAT) != 0)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_UNSUPPORTED,
                   _("“format” is “%s”, not “%s”: not an .sbclprof file"),
                   format ? format : "null", SP_SBCLPROF_FORMAT);
      return FALSE;
    }
  if (!sp_json_get_int (root, "version", "version", FALSE, &version, error))
    return FALSE;
  if (version > SP_SBCLPROF_VERSION)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_UNSUPPORTED,
                   _("the file is .sbclprof version %lld, newer than this SBCL "
                   "Profiler reads (version %d); open it with a newer release"),
                   (long long) version, SP_SBCLPROF_VERSION);
      return FALSE;
    }
  if (version < 1)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“version” is %lld, but versions start at 1"), (long long) version);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_int_field (JsonObject  *object,
                const char  *member,
                const char  *where,
                gint64       min,
                gint64       max,
                gint64      *value,
                GError     **error)
{
  if (!sp_json_get_int (object, member, where, TRUE, value, error))
    return FALSE;
  if (*value != -1 && (*value < min || *value > max))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“%s” is out of range (%lld)"), where, (long long) *value);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_meta (JsonObject     *root,
           SpProfileMeta  *meta,
           GError        **error)
{
  g_autofree char *mode = NULL;
  gint64 warmup_runs = -1, runs = -1;
  JsonObject *object;

  if ((object = sp_json_get_object (root, "meta", "meta", error)) == NULL)
    return FALSE;
  if (!sp_json_get_string (object, "mode", "meta.mode", FALSE, &mode, error))
    return FALSE;
  if (mode == NULL || !sp_mode_from_string (mode, &meta->mode))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“meta.mode” is “%s”, not a recording mode"), mode ? mode : "null");
      return FALSE;
    }
  if (!sp_json_get_double (object, "interval", "meta.interval", TRUE, &meta->interval, error) ||
      !sp_json_get_string (object, "sbcl_version", "meta.sbcl_version", TRUE, &meta->sbcl_version, error) ||
      !sp_json_get_string (object, "host", "meta.host", TRUE, &meta->host, error) ||
      !sp_json_get_int (object, "start_time", "meta.start_time", TRUE, &meta->start_time, error) ||
      !sp_json_get_double (object, "duration", "meta.duration", TRUE, &meta->duration, error) ||
      !sp_json_get_string (object, "workload", "meta.workload", TRUE, &meta->workload, error) ||
      !sp_json_get_double (object, "gc_seconds", "meta.gc_seconds", TRUE, &meta->gc_seconds, error) ||
      !sp_json_get_int (object, "bytes_consed", "meta.bytes_consed", TRUE, &meta->bytes_consed, error) ||
      !sp_json_get_int (object, "sample_count", "meta.sample_count", TRUE, &meta->sample_count, error) ||
      !sp_json_get_bool (object, "truncated", "meta.truncated", TRUE, &meta->truncated, error) ||
      !sp_json_get_string (object, "source", "meta.source", TRUE, &meta->source, error) ||
      !read_int_field (object, "warmup_runs", "meta.warmup_runs", 0, G_MAXINT, &warmup_runs, error) ||
      !read_int_field (object, "runs", "meta.runs", 0, G_MAXINT, &runs, error))
    return FALSE;
  meta->warmup_runs = warmup_runs;
  meta->runs = runs;
  return TRUE;
}

static SpFrame *
read_frame (JsonNode  *node,
            GError   **error)
{
  g_autofree char *name = NULL;
  g_autofree char *package = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *file = NULL;
  gint64 line = -1;
  SpFrameKind kind = SP_FRAME_KIND_FUNCTION;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("must be an object, not %s"), sp_json_describe (node));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!sp_json_get_string (object, "name", "name", FALSE, &name, error) ||
      !sp_json_get_string (object, "package", "package", TRUE, &package, error) ||
      !sp_json_get_string (object, "kind", "kind", TRUE, &kind_name, error) ||
      !sp_json_get_string (object, "file", "file", TRUE, &file, error) ||
      !read_int_field (object, "line", "line", 1, G_MAXUINT, &line, error))
    return NULL;
  if (name == NULL)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, _("“name” must be a string, not null"));
      return NULL;
    }
  if (kind_name != NULL && !sp_frame_kind_from_string (kind_name, &kind))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“kind” is “%s”, not a kind of frame"), kind_name);
      return NULL;
    }
  return sp_frame_new (name, package, kind, file, line > 0 ? (guint) line : 0);
}

static GPtrArray *
read_frames (JsonObject  *root,
             GError     **error)
{
  g_autoptr(GPtrArray) frames = NULL;
  JsonArray *array;
  guint n;

  if ((array = sp_json_get_array (root, "frames", "frames", error)) == NULL)
    return NULL;
  n = json_array_get_length (array);
  frames = g_ptr_array_new_full (n, g_free);
  for (guint i = 0; i < n; i++)
    {
      SpFrame *frame = read_frame (json_array_get_element (array, i), error);

      if (frame == NULL)
        {
          g_prefix_error (error, "frames[%u]: ", i);
          return NULL;
        }
      g_ptr_array_add (frames, frame);
    }
  return g_steal_pointer (&frames);
}

/* 0-63 for the base64 alphabet, 0xff for anything else. */
static const guint8 *
base64_ranks (void)
{
  static guint8 ranks[256];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      memset (ranks, 0xff, sizeof ranks);
      for (guint i = 0; i < 64; i++)
        ranks[(guchar) base64_alphabet[i]] = i;
      g_once_init_leave (&initialized, 1);
    }
  return ranks;
}

/* Strict padded base64 of exactly len bytes; FALSE at the first character out of place.  The
 * caller checked that text holds (len + 2) / 3 * 4 characters. */
static gboolean
decode_base64 (const char *text,
               guint8     *out,
               gsize       len)
{
  const guint8 *rank = base64_ranks ();
  const guchar *p = (const guchar *) text;
  gsize i;

  for (i = 0; i + 3 <= len; i += 3, p += 4)
    {
      guint a = rank[p[0]], b = rank[p[1]], c = rank[p[2]], d = rank[p[3]];

      if ((a | b | c | d) & 0x80)
        return FALSE;
      out[i] = a << 2 | b >> 4;
      out[i + 1] = (b & 15) << 4 | c >> 2;
      out[i + 2] = (c & 3) << 6 | d;
    }
  if (i < len)
    {
      guint a = rank[p[0]], b = rank[p[1]], c = i + 1 < len ? rank[p[2]] : 0;

      if ((a | b | c) & 0x80 || (i + 1 == len && p[2] != '=') || p[3] != '=')
        return FALSE;
      out[i] = a << 2 | b >> 4;
      if (i + 1 < len)
        out[i + 1] = (b & 15) << 4 | c >> 2;
    }
  return TRUE;
}

/* Decodes the packed column at path ("tree.parents"): cut out of the text, or a string member
 * of object when the text was not cut. */
static gpointer
read_packed (JsonObject       *object,
             const char       *member,
             SpPackedColumns  *columns,
             const char       *path,
             gsize             elem_size,
             guint             n_nodes,
             GError          **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gsize len = (gsize) n_nodes * elem_size;
  g_autofree guint8 *data = NULL;
  const char *text;
  gsize text_len;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      text = json_node_get_string (node);
      text_len = strlen (text);
    }
  else if (!sp_packed_columns_lookup (columns, path, &text, &text_len))
    {
      if (node == NULL)
        g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID, _("“%s” is missing"), path);
      else
        g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                     _("“%s” must be a base64 string, not %s"), path, sp_json_describe (node));
      return NULL;
    }
  if (text_len != (len + 2) / 3 * 4)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“%s” holds %llu base64 characters, but %u nodes need %llu"),
                   path, (unsigned long long) text_len, n_nodes, (unsigned long long) (len + 2) / 3 * 4);
      return NULL;
    }
  data = g_malloc (MAX (len, 1));
  if (!decode_base64 (text, data, len))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“%s” is not valid base64"), path);
      return NULL;
    }
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (gsize i = 0; i < len; i += elem_size)
    if (elem_size == 4)
      *(guint32 *) (data + i) = GUINT32_FROM_LE (*(guint32 *) (data + i));
    else
      *(guint64 *) (data + i) = GUINT64_FROM_LE (*(guint64 *) (data + i));
#endif
  return g_steal_pointer (&data);
}

typedef struct
{
  guint     n_nodes;
  guint32  *parents;
  guint32  *frames;
  double   *weights[SP_N_METRICS];
} Tree;

static void
tree_clear (Tree *tree)
{
  g_clear_pointer (&tree->parents, g_free);
  g_clear_pointer (&tree->frames, g_free);
  for (guint m = 0; m < SP_N_METRICS; m++)
    g_clear_pointer (&tree->weights[m], g_free);
}

static gboolean
read_tree (JsonObject       *root,
           SpPackedColumns  *columns,
           Tree             *tree,
           GError          **error)
{
  JsonObject *object, *self;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  gint64 n_nodes = -1;

  if ((object = sp_json_get_object (root, "tree", "tree", error)) == NULL ||
      !sp_json_get_int (object, "nodes", "tree.nodes", FALSE, &n_nodes, error))
    return FALSE;
  if (n_nodes < 0 || n_nodes >= G_MAXUINT32)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("“tree.nodes” is out of range (%lld)"), (long long) n_nodes);
      return FALSE;
    }
  tree->n_nodes = n_nodes;
  if ((tree->parents = read_packed (object, "parents", columns, "tree.parents", 4, n_nodes, error)) == NULL ||
      (tree->frames = read_packed (object, "frames", columns, "tree.frames", 4, n_nodes, error)) == NULL ||
      (self = sp_json_get_object (object, "self", "tree.self", error)) == NULL)
    return FALSE;

  /* unknown metrics come from newer writers: ignored like any unknown key */
  json_object_iter_init (&iter, self);
  while (json_object_iter_next (&iter, &member, &node))
    {
      g_autofree char *where = g_strconcat ("tree.self.", member, NULL);
      SpMetric m;

      if (!sp_metric_from_string (member, &m) || tree->weights[m] != NULL)
        continue;
      if ((tree->weights[m] = read_packed (self, member, columns, where, 8, n_nodes, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_run_stats (JsonObject  *object,
                SpRunStats  *run,
                GError     **error)
{
  run->calls = -1;
  run->seconds = -1;
  run->bytes = -1;
  run->gc_seconds = -1;
  return sp_json_get_int (object, "calls", "calls", TRUE, &run->calls, error) &&
         sp_json_get_double (object, "seconds", "seconds", TRUE, &run->seconds, error) &&
         sp_json_get_int (object, "bytes", "bytes", TRUE, &run->bytes, error) &&
         sp_json_get_double (object, "gc_seconds", "gc_seconds", TRUE, &run->gc_seconds, error);
}

static gboolean
read_function (JsonNode         *node,
               guint             n_frames,
               SpFunctionStats  *stats,
               GError          **error)
{
  JsonObject *object;
  JsonArray *runs;
  gint64 frame = -1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("must be an object, not %s"), sp_json_describe (node));
      return FALSE;
    }
  object = json_node_get_object (node);
  if (!sp_json_get_int (object, "frame", "frame", FALSE, &frame, error) ||
      !read_run_stats (object, &stats->total, error))
    return FALSE;
  if (frame < 0 || frame >= n_frames)
    {
      g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                   _("frame %lld is out of range (the file has %u frames)"),
                   (long long) frame, n_frames);
      return FALSE;
    }
  stats->frame = frame;
  if (!json_object_has_member (object, "runs"))
    return TRUE;
  if ((runs = sp_json_get_array (object, "runs", "runs", error)) == NULL)
    return FALSE;
  if ((stats->n_runs = json_array_get_length (runs)) == 0)
    return TRUE;
  stats->runs = g_new0 (SpRunStats, stats->n_runs);
  for (guint r = 0; r < stats->n_runs; r++)
    {
      JsonNode *run = json_array_get_element (runs, r);

      if (!JSON_NODE_HOLDS_OBJECT (run))
        {
          g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
                       _("runs[%u] must be an object, not %s"), r, sp_json_describe (run));
          return FALSE;
        }
      if (!read_run_stats (json_node_get_object (run), &stats->runs[r], error))
        {
          g_prefix_error (error, "runs[%u]: ", r);
          return FALSE;
        }
    }
  return TRUE;
}

static SpFunctionStats *
read_functions (JsonObject  *root,
                guint        n_frames,
                guint       *n_stats,
                GError     **error)
{
  SpFunctionStats *stats;
  JsonArray *array;

  *n_stats = 0;
  if (!json_object_has_member (root, "functions"))
    return g_new0 (SpFunctionStats, 1);
  if ((array = sp_json_get_array (root, "functions", "functions", error)) == NULL)
    return NULL;
  stats = g_new0 (SpFunctionStats, json_array_get_length (array) + 1);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      *n_stats = i + 1;
      if (!read_function (json_array_get_element (array, i), n_frames, &stats[i], error))
        {
          g_prefix_error (error, "functions[%u]: ", i);
          for (guint j = 0; j <= i; j++)
            g_free (stats[j].runs);
          g_free (stats);
          *n_stats = 0;
          return NULL;
        }
    }
  return stats;
}

SpProfile *
sp_sbclprof_read (JsonObject       *root,
                  SpPackedColumns  *columns,
                  GError          **error)
{
  g_autoptr(GPtrArray) frames = NULL;
  SpFunctionStats *stats;
  SpProfileMeta meta;
  Tree tree = { 0 };
  guint n_stats;

  if (!read_header (root, error))
    return NULL;
  sp_profile_meta_init (&meta);
  if (!read_meta (root, &meta, error) ||
      (frames = read_frames (root, error)) == NULL ||
      !read_tree (root, columns, &tree, error) ||
      (stats = read_functions (root, frames->len, &n_stats, error)) == NULL)
    {
      sp_profile_meta_clear (&meta);
      tree_clear (&tree);
      return NULL;
    }
  return sp_profile_new_from_arrays (&meta, g_steal_pointer (&frames),
                                     g_steal_pointer (&tree.parents),
                                     g_steal_pointer (&tree.frames), tree.n_nodes,
                                     tree.weights, stats, n_stats, NULL, error);
}
