/* sp-packed-columns.c: cutting the packed columns out of an .sbclprof text, see the header */
#define G_LOG_DOMAIN "sp-packed-columns"

#include "config.h"

#include <string.h>

#include "sp-packed-columns.h"

/* Keys are only tracked as deep as the columns live: root → tree → self → metric. */
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
static char *
column_path (const Scan *scan)
{
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
