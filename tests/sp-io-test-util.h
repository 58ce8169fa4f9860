/* sp-io-test-util.h: files for the format tests, in a private temporary folder */
#pragma once

#include <glib/gstdio.h>
#include <string.h>

#include "sp-profile-io.h"

static char *sp_io_test_dir;

static inline void
sp_io_test_init (void)
{
  g_autoptr(GError) error = NULL;

  sp_io_test_dir = g_dir_make_tmp ("sp-io-test-XXXXXX", &error);
  g_assert_no_error (error);
}

/* Removes the folder and what the tests wrote in it. */
static inline void
sp_io_test_cleanup (void)
{
  g_autoptr(GDir) dir = g_dir_open (sp_io_test_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (sp_io_test_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (sp_io_test_dir);
  g_clear_pointer (&sp_io_test_dir, g_free);
}

static inline GFile *
sp_io_test_file (const char *name)
{
  return g_file_new_build_filename (sp_io_test_dir, name, NULL);
}

static inline GFile *
sp_io_test_write (const char *name,
                  const char *data,
                  gssize      len)
{
  GFile *file = sp_io_test_file (name);
  g_autoptr(GError) error = NULL;

  g_file_replace_contents (file, data, len < 0 ? strlen (data) : (gsize) len, NULL, FALSE,
                           G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  return file;
}

static inline char *
sp_io_test_read (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_load_contents (file, NULL, &contents, NULL, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static inline SpProfile *
sp_io_test_load (GFile *file)
{
  g_autoptr(GError) error = NULL;
  SpProfile *profile = sp_profile_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static inline SpProfile *
sp_io_test_load_text (const char *name,
                      const char *text)
{
  g_autoptr(GFile) file = sp_io_test_write (name, text, -1);

  return sp_io_test_load (file);
}

static inline void
sp_io_test_save (SpProfile    *profile,
                 GFile        *file,
                 SpFileFormat  format)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_profile_save (profile, file, format, NULL, &error));
  g_assert_no_error (error);
}

/* Folded text as stack → count, so that line order does not matter. */
static inline GHashTable *
sp_io_test_parse_folded (const char *text)
{
  GHashTable *stacks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strrchr (lines[i], ' ');
      char *stack;
      double *count;

      if (space == NULL)
        continue;
      stack = g_strndup (lines[i], space - lines[i]);
      count = g_hash_table_lookup (stacks, stack);
      if (count == NULL)
        {
          count = g_new0 (double, 1);
          g_hash_table_insert (stacks, g_strdup (stack), count);
        }
      *count += g_ascii_strtod (space + 1, NULL);
      g_free (stack);
    }
  return stacks;
}

static inline void
sp_io_test_assert_same_stacks (GHashTable *expected,
                               GHashTable *actual)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (expected), ==, g_hash_table_size (actual));
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      double *count = g_hash_table_lookup (actual, key);

      if (count == NULL)
        g_error ("stack %s is missing", (char *) key);
      g_assert_cmpfloat (*count, ==, *(double *) value);
    }
}

/* The error's message names the file and contains what. */
static inline void
sp_io_test_assert_message (const GError *error,
                           const char   *file_name,
                           const char   *what)
{
  g_assert_nonnull (error);
  if (!g_str_has_prefix (error->message, file_name) || strstr (error->message, what) == NULL)
    g_error ("message “%s” should start with “%s” and contain “%s”", error->message, file_name, what);
}
