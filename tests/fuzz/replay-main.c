/* replay-main.c: runs a fuzz target on files, one TAP test each: the checked-in corpus and every
 * past crasher replayed as ordinary tests (no libFuzzer needed).
 * Usage: replay-TARGET FILE_OR_FOLDER… */
#include "config.h"

#include <stdio.h>

#include "sp-fuzz.h"

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
  for (guint i = 0; i < names->len; i++)
    collect (g_ptr_array_index (names, i), files);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  FILE *tap;

  /* the target sends standard output to /dev/null: TAP goes to a copy of it */
  tap = fdopen (dup (1), "w");
  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  if (files->len == 0)
    {
      fprintf (stderr, "replay: no input files\n");
      return 1;
    }
  sp_fuzz_init ();
  fprintf (tap, "1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        {
          fprintf (tap, "not ok %u %s: cannot be read\n", i + 1, path);
          continue;
        }
      /* a crash or a failed assertion ends the run, and the test fails there */
      LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
      fprintf (tap, "ok %u %s\n", i + 1, path);
      fflush (tap);
    }
  return 0;
}
