/* sp-packed-columns.c: cutting the packed columns out of an .sbclprof text, see the header */
#define G_LOG_DOMAIN "sp-packed-columns"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-packed-columns.h"

/* Keys are only tracked as deep as the columns live: root → tree → self → metric, or
 * root → allocations, gc or timeline → column. */
#define TRACKED_DEPTH 3

typedef struct
{
  const char *data;
  gsize       len;
} Slice;

struct _SpPackedColumns
{
  GHashTable *slices;   /* path → Slice */
};

typedef struct
{
  guint       depth;
  gboolean    expect_key;
  gboolean    is_object[TRACKED_DEPTH + 1];
  Slice       key[TRACKED_DEPTH + 1];
} Scan;

static gboolean
key_is (const Scan *scan,
        guint       depth,
        const char *name)
{
  return scan->is_object[depth] && scan->key[depth].data != NULL &&
         scan->key[depth].len == strlen (name) &&
         memcmp (scan->key[depth].data, name, scan->key[depth].len) == 0;
}

/* The path of a string value at the current position when it is a packed column. */
/* The packed columns of version 2's sections, as "section.column". */
static const char * const section_columns[] = {
  "allocations.frames", "allocations.types", "allocations.objects", "allocations.bytes",
  "gc.time", "gc.pause", "gc.generation", "gc.before", "gc.after",
  "timeline.time", "timeline.node", "timeline.weight",
};

static char *
section_column_path (const Scan *scan)
{
  for (guint i = 0; i < G_N_ELEMENTS (section_columns); i++)
    {
      const char *dot = strchr (section_columns[i], '.');
      g_autofree char *section = g_strndup (section_columns[i], dot - section_columns[i]);

      if (key_is (scan, 1, section) && key_is (scan, 2, dot + 1))
        return g_strdup (section_columns[i]);
    }
  return NULL;
}

static char *
column_path (const Scan *scan)
{
  if (scan->depth == 2 && scan->is_object[1] && scan->is_object[2] && !key_is (scan, 1, "tree"))
    return section_column_path (scan);
  if (scan->depth < 2 || scan->depth > TRACKED_DEPTH || !key_is (scan, 1, "tree"))
    return NULL;
  if (scan->depth == 2 && (key_is (scan, 2, "parents") || key_is (scan, 2, "frames")))
    return g_strdup_printf ("tree.%.*s", (int) scan->key[2].len, scan->key[2].data);
  if (scan->depth == 3 && key_is (scan, 2, "self") && scan->is_object[3] && scan->key[3].data != NULL)
    return g_strdup_printf ("tree.self.%.*s", (int) scan->key[3].len, scan->key[3].data);
  return NULL;
}

/* The closing quote of the string whose contents start at s, or NULL. */
static const char *
string_end (const char *s,
            const char *end)
{
  for (const char *p = s;;)
    {
      const char *quote = memchr (p, '"', end - p);
      const char *b;

      if (quote == NULL)
        return NULL;
      for (b = quote; b > s && b[-1] == '\\'; b--)
        ;
      if ((quote - b) % 2 == 0)
        return quote;
      p = quote + 1;
    }
}

static void
open_container (Scan *scan,
                char  c)
{
  scan->depth++;
  if (scan->depth <= TRACKED_DEPTH)
    {
      scan->is_object[scan->depth] = c == '{';
      scan->key[scan->depth].data = NULL;
    }
  scan->expect_key = c == '{';
}

char *
sp_packed_columns_cut (const char        *text,
                       gsize              len,
                       gsize             *out_len,
                       guint             *max_depth,
                       gsize             *n_values,
                       SpPackedColumns  **columns)
{
  const char *p = text, *end = text + len, *copied = text;
  GString *out = g_string_sized_new (MIN (len, 1024 * 1024));
  Scan scan = { 0 };

  *max_depth = 0;
  *n_values = 1;
  *columns = g_new0 (SpPackedColumns, 1);
  (*columns)->slices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while (p < end)
    {
      const char *close;
      char *path;

      switch (*p)
        {
        case '{':
        case '[':
          open_container (&scan, *p);
          *max_depth = MAX (*max_depth, scan.depth);
          ++*n_values;
          break;
        case '}':
        case ']':
          scan.depth = scan.depth > 0 ? scan.depth - 1 : 0;
          scan.expect_key = FALSE;
          break;
        case ',':
          ++*n_values;
          scan.expect_key = scan.depth >= 1 && scan.depth <= TRACKED_DEPTH && scan.is_object[scan.depth];
          break;
        case ':':
          scan.expect_key = FALSE;
          break;
        case '"':
          /* an unterminated string is the parser's to report */
          if ((close = string_end (p + 1, end)) == NULL)
            goto done;
          if (scan.expect_key && scan.depth <= TRACKED_DEPTH)
            scan.key[scan.depth] = (Slice) { p + 1, close - p - 1 };
          else if (!scan.expect_key && memchr (p + 1, '\\', close - p - 1) == NULL &&
                   (path = column_path (&scan)) != NULL)
            {
              Slice *slice = g_new (Slice, 1);

              *slice = (Slice) { p + 1, close - p - 1 };
              g_hash_table_replace ((*columns)->slices, path, slice);
              g_string_append_len (out, copied, p - copied);
              g_string_append (out, "null");
              copied = close + 1;
            }
          p = close;
          break;
        default:
          break;
        }
      p++;
    }

done:
  g_string_append_len (out, copied, end - copied);
  *out_len = out->len;
  return g_string_free (out, FALSE);
}

gboolean
sp_packed_columns_lookup (SpPackedColumns  *columns,
                          const char       *path,
                          const char      **data,
                          gsize            *len)
{
  Slice *slice = columns != NULL ? g_hash_table_lookup (columns->slices, path) : NULL;

  if (slice == NULL)
    return FALSE;
  *data = slice->data;
  *len = slice->len;
  return TRUE;
}

void
sp_packed_columns_free (SpPackedColumns *columns)
{
  if (columns == NULL)
    return;
  g_hash_table_unref (columns->slices);
  g_free (columns);
}

/* ---- Encoding and decoding columns ---- */

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

void
sp_packed_write (SpWriter   *writer,
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

gpointer
sp_packed_read (JsonObject       *object,
                const char       *member,
                SpPackedColumns  *columns,
                const char       *path,
                gsize             elem_size,
                guint             n,
                const char       *count_name,
                GError          **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gsize len = (gsize) n * elem_size;
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
                   /* TRANSLATORS: the last %s is a JSON key: "nodes", "rows", "events"… */
                   _("“%s” holds %llu base64 characters, but %u %s need %llu"),
                   path, (unsigned long long) text_len, n, count_name,
                   (unsigned long long) (len + 2) / 3 * 4);
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
