/* sp-new-session-dialog.c: asks how to start SBCL: program, folder, files, systems, arguments
 *
 * The fields become a configuration (the a{sv} the "recent-sessions" setting stores), which is
 * checked before a session is made from it: a missing program, folder or file is named in the
 * dialog instead of failing later in a crashed session.
 */
#define G_LOG_DOMAIN "sp-new-session-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sp-new-session-dialog.h"

struct _SpNewSessionDialog
{
  AdwWindow         parent_instance;

  /* Owned */
  GPtrArray        *files;        /* paths to load, in order */
  char             *directory;    /* working folder; NULL: the app's */
  GtkNativeDialog  *chooser;      /* the file chooser being shown */

  /* Template widgets */
  GtkButton        *start_button;
  AdwEntryRow      *sbcl_row;
  AdwPreferencesGroup *program_group;
  AdwActionRow     *folder_row;
  GtkListBox       *files_list;
  AdwEntryRow      *systems_row;
  AdwEntryRow      *args_row;
  GtkSwitch        *init_switch;
  GtkSwitch        *instrument_switch;
  GtkLabel         *error_label;
};

G_DEFINE_FINAL_TYPE (SpNewSessionDialog, sp_new_session_dialog, ADW_TYPE_WINDOW)

enum { SESSION_CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- Configuration ---- */

static const char * const empty_strv[] = { NULL };

static const char * const *
strv_or_empty (const char * const *strv)
{
  return strv != NULL ? strv : empty_strv;
}

GVariant *
sp_new_session_dialog_config_from_session (SpSession *session)
{
  GVariantBuilder builder;
  const char *sbcl = sp_session_get_sbcl_path (session);
  const char *dir = sp_session_get_working_dir (session);

  g_return_val_if_fail (SP_IS_SESSION (session), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "sbcl-path", g_variant_new_string (sbcl ? sbcl : ""));
  g_variant_builder_add (&builder, "{sv}", "directory", g_variant_new_string (dir ? dir : ""));
  g_variant_builder_add (&builder, "{sv}", "load",
                         g_variant_new_strv (strv_or_empty (sp_session_get_load_files (session)), -1));
  g_variant_builder_add (&builder, "{sv}", "systems",
                         g_variant_new_strv (strv_or_empty (sp_session_get_systems (session)), -1));
  g_variant_builder_add (&builder, "{sv}", "arguments",
                         g_variant_new_strv (strv_or_empty (sp_session_get_extra_args (session)), -1));
  g_variant_builder_add (&builder, "{sv}", "init-files",
                         g_variant_new_boolean (sp_session_get_use_init_files (session)));
  g_variant_builder_add (&builder, "{sv}", "instrument-allocations",
                         g_variant_new_boolean (sp_session_get_instrument_allocations (session)));
  return g_variant_builder_end (&builder);
}

static const char **
lookup_strv (GVariantDict *dict,
             const char   *key)
{
  const char **strv = NULL;

  if (!g_variant_dict_lookup (dict, key, "^a&s", &strv))
    return NULL;
  return strv;
}

SpSession *
sp_new_session_dialog_config_to_session (GVariant *config)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (config);
  const char *sbcl = NULL, *dir = NULL;
  g_autofree const char **load = lookup_strv (&dict, "load");
  g_autofree const char **systems = lookup_strv (&dict, "systems");
  g_autofree const char **arguments = lookup_strv (&dict, "arguments");
  gboolean init_files = FALSE, instrument = FALSE;
  SpSession *session;

  g_variant_dict_lookup (&dict, "sbcl-path", "&s", &sbcl);
  g_variant_dict_lookup (&dict, "directory", "&s", &dir);
  g_variant_dict_lookup (&dict, "init-files", "b", &init_files);
  g_variant_dict_lookup (&dict, "instrument-allocations", "b", &instrument);

  session = sp_session_new (sbcl != NULL && *sbcl != '\0' ? sbcl : NULL);
  if (dir != NULL && *dir != '\0')
    sp_session_set_working_dir (session, dir);
  sp_session_set_load_files (session, load);
  sp_session_set_systems (session, systems);
  sp_session_set_extra_args (session, arguments);
  sp_session_set_use_init_files (session, init_files);
  sp_session_set_instrument_allocations (session, instrument);
  return session;
}

/* ---- Fields ---- */

static void
clear_error (SpNewSessionDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static char *
resolve_sbcl (SpNewSessionDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sbcl_row))));

  if (*text == '\0')
    return NULL;
  return g_find_program_in_path (text);
}

static char *
describe_missing_sbcl (SpNewSessionDialog *self)
{
  return g_strdup_printf (_("No SBCL program “%s” was found: install SBCL or choose its program"),
                          gtk_editable_get_text (GTK_EDITABLE (self->sbcl_row)));
}

/* Says under the field which program runs, or why none can: Start waits for one. */
static void
validate_sbcl (SpNewSessionDialog *self)
{
  g_autofree char *path = resolve_sbcl (self);
  g_autofree char *description = NULL;

  if (path != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->sbcl_row), "error");
      /* Translators: under the SBCL program field: the program found */
      description = g_strdup_printf (_("Runs %s"), path);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->sbcl_row), "error");
      description = describe_missing_sbcl (self);
    }
  adw_preferences_group_set_description (self->program_group, description);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), path != NULL);
  clear_error (self);
}

static void
set_directory (SpNewSessionDialog *self,
               const char         *directory)
{
  g_autofree char *escaped = NULL;

  g_free (self->directory);
  self->directory = g_strdup (directory);
  escaped = g_markup_escape_text (directory ? directory : _("The folder SBCL Profiler runs in"), -1);
  adw_action_row_set_subtitle (self->folder_row, escaped);
}

static void
remove_file (GtkWidget *button)
{
  SpNewSessionDialog *self = SP_NEW_SESSION_DIALOG (gtk_widget_get_root (button));
  GtkWidget *row = gtk_widget_get_ancestor (button, GTK_TYPE_LIST_BOX_ROW);
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  g_ptr_array_remove_index (self->files, index);
  gtk_list_box_remove (self->files_list, row);
}

static void
append_file_row (SpNewSessionDialog *self,
                 const char         *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base_markup = g_markup_escape_text (base, -1);
  g_autofree char *dir_markup = g_markup_escape_text (dir, -1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("list-remove-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), base_markup);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dir_markup);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove"));
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect (button, "clicked", G_CALLBACK (remove_file), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  gtk_list_box_append (self->files_list, row);
}

static void
add_file (SpNewSessionDialog *self,
          const char         *path)
{
  g_ptr_array_add (self->files, g_strdup (path));
  append_file_row (self, path);
  clear_error (self);
}

static void
clear_files (SpNewSessionDialog *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->files_list, 0)) != NULL)
    gtk_list_box_remove (self->files_list, GTK_WIDGET (row));
  g_ptr_array_set_size (self->files, 0);
}

/* The arguments as the user would type them: quoted where the shell syntax needs it, so that
 * parse_arguments gives them back unchanged. */
static char *
join_arguments (const char * const *args)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; args[i] != NULL; i++)
    {
      gboolean plain = *args[i] != '\0' && strpbrk (args[i], " \t\n'\"\\$`*?[]{}()<>|&;#~") == NULL;
      g_autofree char *quoted = plain ? g_strdup (args[i]) : g_shell_quote (args[i]);

      g_string_append_printf (text, "%s%s", i > 0 ? " " : "", quoted);
    }
  return g_string_free (text, FALSE);
}

void
sp_new_session_dialog_set_config (SpNewSessionDialog *self,
                                  GVariant           *config)
{
  g_autoptr(SpSession) session = NULL;
  const char * const *files;
  g_autofree char *systems = NULL;
  g_autofree char *args = NULL;
  const char *sbcl, *dir;

  g_return_if_fail (SP_IS_NEW_SESSION_DIALOG (self));
  g_return_if_fail (g_variant_is_of_type (config, G_VARIANT_TYPE_VARDICT));

  session = sp_new_session_dialog_config_to_session (config);
  sbcl = sp_session_get_sbcl_path (session);
  if (sbcl != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->sbcl_row), sbcl);
  dir = sp_session_get_working_dir (session);
  set_directory (self, dir);
  clear_files (self);
  files = strv_or_empty (sp_session_get_load_files (session));
  for (guint i = 0; files[i] != NULL; i++)
    add_file (self, files[i]);
  systems = g_strjoinv (" ", (char **) strv_or_empty (sp_session_get_systems (session)));
  gtk_editable_set_text (GTK_EDITABLE (self->systems_row), systems);
  args = join_arguments (strv_or_empty (sp_session_get_extra_args (session)));
  gtk_editable_set_text (GTK_EDITABLE (self->args_row), args);
  gtk_switch_set_active (self->init_switch, sp_session_get_use_init_files (session));
  gtk_switch_set_active (self->instrument_switch, sp_session_get_instrument_allocations (session));
}

/* ---- Checking and making the session ---- */

static gboolean
check_paths (SpNewSessionDialog *self,
             GError            **error)
{
  if (self->directory != NULL && !g_file_test (self->directory, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR,
                   _("The working folder “%s” does not exist"), self->directory);
      return FALSE;
    }
  for (guint i = 0; i < self->files->len; i++)
    {
      const char *file = g_ptr_array_index (self->files, i);

      if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       _("The file to load “%s” does not exist"), file);
          return FALSE;
        }
    }
  return TRUE;
}

static char **
split_systems (SpNewSessionDialog *self)
{
  g_auto(GStrv) words = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->systems_row)),
                                        " \t,", -1);
  GPtrArray *systems = g_ptr_array_new_null_terminated (0, g_free, TRUE);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (systems, g_strdup (words[i]));
  return (char **) g_ptr_array_free (systems, FALSE);
}

static char **
parse_arguments (SpNewSessionDialog *self,
                 GError            **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->args_row))));
  g_autoptr(GError) local_error = NULL;
  char **argv = NULL;

  if (*text == '\0')
    return g_new0 (char *, 1);
  if (!g_shell_parse_argv (text, NULL, &argv, &local_error))
    {
      g_set_error (error, SP_SESSION_ERROR, SP_SESSION_ERROR_INVALID,
                   _("The extra arguments cannot be read: %s"), local_error->message);
      return NULL;
    }
  return argv;
}

SpSession *
sp_new_session_dialog_create_session (SpNewSessionDialog *self,
                                      GError            **error)
{
  g_autofree char *sbcl = resolve_sbcl (self);
  g_autoptr(GStrvBuilder) files = g_strv_builder_new ();
  g_auto(GStrv) load = NULL;
  g_auto(GStrv) systems = NULL;
  g_auto(GStrv) arguments = NULL;
  SpSession *session;

  g_return_val_if_fail (SP_IS_NEW_SESSION_DIALOG (self), NULL);

  if (sbcl == NULL)
    {
      g_autofree char *message = describe_missing_sbcl (self);

      g_set_error_literal (error, SP_SESSION_ERROR, SP_SESSION_ERROR_SBCL_NOT_FOUND, message);
      return NULL;
    }
  if (!check_paths (self, error))
    return NULL;
  arguments = parse_arguments (self, error);
  if (arguments == NULL)
    return NULL;
  systems = split_systems (self);
  for (guint i = 0; i < self->files->len; i++)
    g_strv_builder_add (files, g_ptr_array_index (self->files, i));
  load = g_strv_builder_end (files);

  session = sp_session_new (sbcl);
  sp_session_set_working_dir (session, self->directory);
  sp_session_set_load_files (session, (const char * const *) load);
  sp_session_set_systems (session, (const char * const *) systems);
  sp_session_set_extra_args (session, (const char * const *) arguments);
  sp_session_set_use_init_files (session, gtk_switch_get_active (self->init_switch));
  sp_session_set_instrument_allocations (session, gtk_switch_get_active (self->instrument_switch));
  return session;
}

static void
on_start_clicked (SpNewSessionDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpSession) session = sp_new_session_dialog_create_session (self, &error);

  if (g_error_matches (error, SP_SESSION_ERROR, SP_SESSION_ERROR_SBCL_NOT_FOUND))
    return;   /* said under the field already, where Start waits for a program */
  if (session == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  g_signal_emit (self, signals[SESSION_CREATED], 0, session);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* ---- File choosers ---- */

typedef void (*SpChooserDone) (SpNewSessionDialog *self,
                               GtkFileChooser     *chooser);

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  SpNewSessionDialog *self = user_data;
  SpChooserDone done = g_object_get_data (G_OBJECT (chooser), "sp-chooser-done");

  if (response == GTK_RESPONSE_ACCEPT)
    done (self, GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
show_chooser (SpNewSessionDialog  *self,
              GtkFileChooserNative *chooser,
              SpChooserDone         done)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  g_object_set_data (G_OBJECT (chooser), "sp-chooser-done", done);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (self->chooser);
}

static void
sbcl_chosen (SpNewSessionDialog *self,
             GtkFileChooser     *chooser)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->sbcl_row), path);
}

static void
on_choose_sbcl (SpNewSessionDialog *self)
{
  show_chooser (self, gtk_file_chooser_native_new (_("Choose the SBCL Program"), GTK_WINDOW (self),
                                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Select"), NULL),
                sbcl_chosen);
}

static void
folder_chosen (SpNewSessionDialog *self,
               GtkFileChooser     *chooser)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    set_directory (self, path);
  clear_error (self);
}

static void
on_choose_folder (SpNewSessionDialog *self)
{
  show_chooser (self, gtk_file_chooser_native_new (_("Choose the Working Folder"), GTK_WINDOW (self),
                                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                   _("_Select"), NULL),
                folder_chosen);
}

static void
files_chosen (SpNewSessionDialog *self,
              GtkFileChooser     *chooser)
{
  g_autoptr(GListModel) files = gtk_file_chooser_get_files (chooser);

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        add_file (self, path);
    }
}

static void
on_add_files (SpNewSessionDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) lisp = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Add Files to Load"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), NULL);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_filter_set_name (lisp, _("Lisp Files"));
  gtk_file_filter_add_suffix (lisp, "lisp");
  gtk_file_filter_add_suffix (lisp, "lsp");
  gtk_file_filter_add_suffix (lisp, "cl");
  gtk_file_filter_add_suffix (lisp, "fasl");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), lisp);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  if (self->directory != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (self->directory);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  show_chooser (self, chooser, files_chosen);
}

/* ---- GObject ---- */

SpNewSessionDialog *
sp_new_session_dialog_new (GtkWindow *parent)
{
  return g_object_new (SP_TYPE_NEW_SESSION_DIALOG, "transient-for", parent, NULL);
}

static void
sp_new_session_dialog_dispose (GObject *object)
{
  SpNewSessionDialog *self = SP_NEW_SESSION_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_NEW_SESSION_DIALOG);

  G_OBJECT_CLASS (sp_new_session_dialog_parent_class)->dispose (object);
}

static void
sp_new_session_dialog_finalize (GObject *object)
{
  SpNewSessionDialog *self = SP_NEW_SESSION_DIALOG (object);

  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->directory, g_free);

  G_OBJECT_CLASS (sp_new_session_dialog_parent_class)->finalize (object);
}

static void
sp_new_session_dialog_class_init (SpNewSessionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_new_session_dialog_dispose;
  object_class->finalize = sp_new_session_dialog_finalize;

  signals[SESSION_CREATED] =
    g_signal_new ("session-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, SP_TYPE_SESSION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sbclprofiler/SbclProfiler/sp-new-session-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, sbcl_row);
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, program_group);
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, files_list);
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, systems_row);
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, args_row);
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, init_switch);
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, instrument_switch);
  gtk_widget_class_bind_template_child (widget_class, SpNewSessionDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_start_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_sbcl);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_folder);
  gtk_widget_class_bind_template_callback (widget_class, on_add_files);
  gtk_widget_class_bind_template_callback (widget_class, validate_sbcl);
  gtk_widget_class_bind_template_callback (widget_class, clear_error);
}

static void
sp_new_session_dialog_init (SpNewSessionDialog *self)
{
  g_autofree char *sbcl = sp_session_find_sbcl ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->files = g_ptr_array_new_with_free_func (g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->sbcl_row), sbcl ? sbcl : "sbcl");
  set_directory (self, NULL);
  validate_sbcl (self);
}
