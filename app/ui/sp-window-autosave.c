/* sp-window-autosave.c: unsaved recordings: kept in the autosave folder, offered back after a
 * crash, and saved all at once when the window closes */
#define G_LOG_DOMAIN "sp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-autosave.h"
#include "sp-profile-task.h"
#include "sp-window-private.h"

/* ---- Restoring what a crashed or killed run left ---- */

typedef struct
{
  SpWindow *self;
  GFile    *file;
} Restore;

static void
restore_free (Restore *restore)
{
  g_object_unref (restore->self);
  g_object_unref (restore->file);
  g_free (restore);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Restore, restore_free)

static void
on_left_over_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Restore) restore = user_data;
  SpWindow *self = restore->self;
  GFile *file = restore->file;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = sp_profile_task_load_finish (result, &error);
  g_autofree char *title = sp_autosave_get_title (file);
  SpProfileView *view;

  if (self->tab_view == NULL)
    return;   /* the window was closed meanwhile: the file stays for the next start */
  if (profile == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("Could not restore “%s”"), title);

      sp_window_show_error (self, what, error->message);
      return;
    }
  view = _sp_window_append_profile (self, profile, title);
  sp_autosave_adopt (view, file);
}

static void
restore_left_over (SpWindow  *self,
                   GPtrArray *files)
{
  for (guint i = 0; i < files->len; i++)
    {
      Restore *restore = g_new0 (Restore, 1);

      restore->self = g_object_ref (self);
      restore->file = g_object_ref (g_ptr_array_index (files, i));
      sp_profile_task_load_async (restore->file, NULL, NULL, NULL, on_left_over_loaded, restore);
    }
}

static void
discard_left_over (GPtrArray *files)
{
  for (guint i = 0; i < files->len; i++)
    g_file_delete (g_ptr_array_index (files, i), NULL, NULL);
}

static void
on_restore_response (AdwMessageDialog *dialog,
                     const char       *response,
                     SpWindow         *self)
{
  GPtrArray *files = g_object_get_data (G_OBJECT (dialog), "sp-files");

  if (g_str_equal (response, "restore"))
    restore_left_over (self, files);
  else if (g_str_equal (response, "discard"))
    discard_left_over (files);
}

void
sp_window_offer_restore (SpWindow *self)
{
  g_autoptr(GPtrArray) files = sp_autosave_list_left_over ();
  GtkWidget *dialog;

  g_return_if_fail (SP_IS_WINDOW (self));

  if (files->len == 0)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Restore Unsaved Recordings?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "SBCL Profiler stopped without saving %u "
                                               "recording: it crashed or was killed. It was "
                                               "kept and can be opened again.",
                                               "SBCL Profiler stopped without saving %u "
                                               "recordings: it crashed or was killed. They were "
                                               "kept and can be opened again.",
                                               files->len),
                                  files->len);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Not Now"),
                                    "discard", _("_Discard"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_object_set_data_full (G_OBJECT (dialog), "sp-files", g_steal_pointer (&files),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_restore_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Save All ---- */

typedef struct
{
  SpWindow   *self;
  guint       pending;
  gboolean    failed;
  GHashTable *taken;    /* paths given to the saves of this batch, which may not exist yet */
} SaveAll;

static void
save_all_done (SaveAll *all)
{
  if (!all->failed && all->self->tab_view != NULL)
    {
      all->self->closing = TRUE;
      gtk_window_close (GTK_WINDOW (all->self));
    }
  g_object_unref (all->self);
  g_hash_table_unref (all->taken);
  g_free (all);
}

static void
on_one_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SaveAll *all = user_data;
  SpProfileView *view = SP_PROFILE_VIEW (source);
  g_autoptr(GError) error = NULL;

  if (!sp_profile_view_save_finish (view, result, &error))
    {
      g_autofree char *what = g_strdup_printf (_("Could not save “%s”"),
                                               sp_profile_view_get_title (view));

      all->failed = TRUE;
      if (all->self->tab_view != NULL)
        sp_window_show_error (all->self, what, error->message);
    }
  else if (all->self->tab_view != NULL)
    _sp_window_note_recent (all->self, sp_profile_view_get_file (view));
  if (--all->pending == 0)
    save_all_done (all);
}

static gboolean
is_taken (GFile      *file,
          GHashTable *taken)
{
  g_autofree char *path = g_file_get_path (file);

  return g_hash_table_contains (taken, path) || g_file_query_exists (file, NULL);
}

/* A name in folder that no file nor other save has yet: "name.sbclprof", "name-2.sbclprof", … */
static GFile *
unused_child (GFile      *folder,
              const char *name,
              GHashTable *taken)
{
  g_autofree char *stem = g_strdup (name);
  char *suffix = g_strrstr (stem, ".sbclprof");
  GFile *file = g_file_get_child (folder, name);

  if (suffix != NULL)
    *suffix = '\0';
  for (guint n = 2; is_taken (file, taken); n++)
    {
      g_autofree char *numbered = g_strdup_printf ("%s-%u.sbclprof", stem, n);

      g_object_unref (file);
      file = g_file_get_child (folder, numbered);
    }
  g_hash_table_add (taken, g_file_get_path (file));
  return file;
}

/* Saves every unsaved profile of the window into folder (those with a file to their file), then
 * closes the window; an error leaves it open, with what was not saved still marked. */
void
_sp_window_save_all_and_close (SpWindow *self,
                               GFile    *folder)
{
  SaveAll *all = g_new0 (SaveAll, 1);

  all->self = g_object_ref (self);
  all->taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  all->pending = 1;   /* held until every save has started */
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i));
      SpProfileView *view;
      g_autoptr(GFile) file = NULL;
      g_autofree char *name = NULL;

      if (!SP_IS_PROFILE_VIEW (child) || !sp_profile_view_get_unsaved (SP_PROFILE_VIEW (child)))
        continue;
      view = SP_PROFILE_VIEW (child);
      if (sp_profile_view_get_file (view) != NULL)
        file = g_object_ref (sp_profile_view_get_file (view));
      else
        {
          name = _sp_window_suggest_name (view, SP_FILE_FORMAT_SBCLPROF);
          file = unused_child (folder, name, all->taken);
        }
      all->pending++;
      sp_profile_view_save_async (view, file, SP_FILE_FORMAT_SBCLPROF, on_one_saved, all);
    }
  if (--all->pending == 0)
    save_all_done (all);
}

static void
on_folder_chosen (GtkFileChooserNative *dialog,
                  int                   response,
                  SpWindow             *self)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (dialog));
  if (folder != NULL && self->tab_view != NULL)
    _sp_window_save_all_and_close (self, folder);
  g_object_unref (self);
}

/* Asks for the folder the unsaved profiles go to, then saves them and closes the window. */
void
_sp_window_ask_save_all (SpWindow *self)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Save All Unsaved Profiles"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Save"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_folder_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
