/* sp-autosave.c: unsaved recordings kept on disk until they are saved or discarded
 *
 * A recording exists only in memory until the user saves it; so that a crash or a kill of the
 * app does not lose it, it is written at once to the autosave folder, under a name that holds
 * the time (for the order) and the tab's title.  The file goes when the view is saved, closed
 * or discarded; what is left at the next start was not, and is offered back.  A recording still
 * running is written every few seconds, so a kill during it leaves what its tab showed.
 */
#define G_LOG_DOMAIN "sp-autosave"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sp-autosave.h"
#include "sp-profile-task.h"

#define SUFFIX ".sbclprof"
/* A file is written under its name plus this, then renamed: a kill during the write leaves no
 * half file to be offered back (GLib writes a new file in place). */
#define PART_SUFFIX ".part"

/* One view's autosaved file: shared by the view (until saved or gone) and the write. */
typedef struct
{
  gatomicrefcount  ref;
  GFile           *file;
  gboolean         writing;
  gboolean         discarded;   /* the view no longer needs it */
  gint64           written_at;  /* monotonic µs, of the last write started */
} Guard;

/* A live recording's tab is written again at most this often (µs). */
#define LIVE_INTERVAL (5 * G_USEC_PER_SEC)

/* paths kept by views of this process: not left over */
static GHashTable *kept_paths;

static void
guard_unref (Guard *guard)
{
  if (!g_atomic_ref_count_dec (&guard->ref))
    return;
  g_object_unref (guard->file);
  g_free (guard);
}

static void
guard_delete_file (Guard *guard)
{
  g_autofree char *path = g_file_get_path (guard->file);

  g_hash_table_remove (kept_paths, path);
  g_unlink (path);
}

/* The view was saved or went away: the file goes, now or once it is written. */
static void
guard_discard (gpointer data)
{
  Guard *guard = data;

  guard->discarded = TRUE;
  if (!guard->writing)
    guard_delete_file (guard);
  guard_unref (guard);
}

static void
on_unsaved_changed (SpProfileView *view)
{
  if (!sp_profile_view_get_unsaved (view))
    g_object_set_data (G_OBJECT (view), "sp-autosave", NULL);
}

static Guard *
attach_guard (SpProfileView *view,
              GFile         *file)
{
  Guard *guard = g_new0 (Guard, 1);

  g_atomic_ref_count_init (&guard->ref);
  guard->file = g_object_ref (file);
  if (kept_paths == NULL)
    kept_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (kept_paths, g_file_get_path (file));
  g_object_set_data_full (G_OBJECT (view), "sp-autosave", guard, guard_discard);
  g_signal_connect (view, "notify::unsaved", G_CALLBACK (on_unsaved_changed), NULL);
  return guard;
}

char *
sp_autosave_get_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "sbcl-profiler", "autosave", NULL);
}

static GFile *
new_autosave_file (const char *title)
{
  g_autofree char *dir = sp_autosave_get_dir ();
  g_autofree char *escaped = g_uri_escape_string (title != NULL ? title : "", NULL, FALSE);
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT "-%s" SUFFIX,
                                           g_get_real_time (), escaped);

  return g_file_new_build_filename (dir, name, NULL);
}

static GFile *
part_file (Guard *guard)
{
  g_autofree char *path = g_file_get_path (guard->file);
  g_autofree char *part = g_strconcat (path, PART_SUFFIX, NULL);

  return g_file_new_for_path (part);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Guard *guard = user_data;
  g_autoptr(GFile) part = part_file (guard);
  g_autoptr(GError) error = NULL;

  guard->writing = FALSE;
  if (!sp_profile_task_save_finish (result, &error) ||
      !g_file_move (part, guard->file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      g_message ("Could not keep an unsaved recording in the autosave folder: %s", error->message);
      g_file_delete (part, NULL, NULL);
    }
  if (guard->discarded)
    guard_delete_file (guard);
  guard_unref (guard);
}

static void
write_profile (Guard     *guard,
               SpProfile *profile)
{
  g_autoptr(GFile) part = part_file (guard);

  guard->writing = TRUE;
  guard->written_at = g_get_monotonic_time ();
  g_atomic_ref_count_inc (&guard->ref);
  sp_profile_task_save_async (profile, part, SP_FILE_FORMAT_SBCLPROF, NULL, on_written, guard);
}

/* A new file in the autosave folder for view, or NULL when the folder cannot be made. */
static Guard *
new_guard (SpProfileView *view)
{
  g_autofree char *dir = sp_autosave_get_dir ();
  g_autoptr(GFile) file = new_autosave_file (sp_profile_view_get_title (view));

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_message ("Could not create the autosave folder %s: %s", dir, g_strerror (errno));
      return NULL;
    }
  return attach_guard (view, file);
}

void
sp_autosave_keep (SpProfileView *view)
{
  Guard *guard;

  g_return_if_fail (SP_IS_PROFILE_VIEW (view));
  g_return_if_fail (sp_profile_view_get_profile (view) != NULL);

  if ((guard = new_guard (view)) != NULL)
    write_profile (guard, sp_profile_view_get_profile (view));
}

void
sp_autosave_keep_live (SpProfileView *view)
{
  Guard *guard;

  g_return_if_fail (SP_IS_PROFILE_VIEW (view));
  g_return_if_fail (sp_profile_view_get_profile (view) != NULL);

  guard = g_object_get_data (G_OBJECT (view), "sp-autosave");
  if (guard == NULL)
    guard = new_guard (view);
  else if (guard->writing || g_get_monotonic_time () - guard->written_at < LIVE_INTERVAL)
    return;
  if (guard != NULL)
    write_profile (guard, sp_profile_view_get_profile (view));
}

void
sp_autosave_adopt (SpProfileView *view,
                   GFile         *file)
{
  g_return_if_fail (SP_IS_PROFILE_VIEW (view));
  g_return_if_fail (G_IS_FILE (file));

  attach_guard (view, file);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  g_autofree char *name_a = g_file_get_basename (*(GFile **) a);
  g_autofree char *name_b = g_file_get_basename (*(GFile **) b);

  /* the names start with the time in µs, all of the same width for centuries */
  return g_strcmp0 (name_a, name_b);
}

/* A file not written to for an hour: no app that is still running is writing it. */
static gboolean
is_stale (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 && (gint64) st.st_mtime < g_get_real_time () / G_USEC_PER_SEC - 3600;
}

GPtrArray *
sp_autosave_list_left_over (void)
{
  g_autofree char *dir = sp_autosave_get_dir ();
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_str_has_suffix (name, SUFFIX) &&
          (kept_paths == NULL || !g_hash_table_contains (kept_paths, path)))
        g_ptr_array_add (files, g_file_new_for_path (path));
      else if (g_str_has_suffix (name, SUFFIX PART_SUFFIX) && is_stale (path))
        g_unlink (path);   /* a write that a crash or a kill cut short */
    }
  g_ptr_array_sort (files, compare_names);
  return files;
}

char *
sp_autosave_get_title (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  const char *dash = strchr (name, '-');
  g_autofree char *escaped = NULL;
  char *title;

  if (dash == NULL || !g_str_has_suffix (name, SUFFIX))
    return g_strdup (_("Recovered Recording"));
  escaped = g_strndup (dash + 1, strlen (dash + 1) - strlen (SUFFIX));
  title = g_uri_unescape_string (escaped, NULL);
  if (title == NULL || *title == '\0' || !g_utf8_validate (title, -1, NULL))
    {
      g_free (title);
      return g_strdup (_("Recovered Recording"));
    }
  return title;
}
