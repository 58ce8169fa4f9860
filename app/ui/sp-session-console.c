/* sp-session-console.c: a session's console: program output, forms, results and errors
 *
 * A program can print megabytes: output is queued and written in one insert per stream change
 * a few times a second, and the buffer is cut from the front in blocks once it passes
 * SP_SESSION_CONSOLE_LIMIT, so neither memory nor layout time grows without bound.
 */
#define G_LOG_DOMAIN "sp-session-console"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sp-session-console.h"

#define FLUSH_INTERVAL_MS 50
/* What is left after a cut: cutting only down to the limit would cut again on every flush. */
#define KEEP_AFTER_CUT (SP_SESSION_CONSOLE_LIMIT * 3 / 4)

typedef struct
{
  SpConsoleStream stream;
  GString        *text;
} SpConsoleChunk;

struct _SpSessionConsole
{
  GtkWidget       parent_instance;

  /* Owned */
  GQueue          pending;        /* SpConsoleChunk, oldest first */
  gsize           pending_bytes;
  guint           flush_id;

  /* Children */
  GtkWidget      *scroller;
  GtkTextView    *view;
  GtkTextBuffer  *buffer;
  GtkTextMark    *end_mark;
};

G_DEFINE_FINAL_TYPE (SpSessionConsole, sp_session_console, GTK_TYPE_WIDGET)

static void
console_chunk_free (SpConsoleChunk *chunk)
{
  g_string_free (chunk->text, TRUE);
  g_free (chunk);
}

/* Colours readable on the light and the dark style (GNOME palette). */
static void
update_tag_colors (SpSessionConsole *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (self->buffer);

  g_object_set (gtk_text_tag_table_lookup (table, "stderr"),
                "foreground", dark ? "#ffa348" : "#c64600", NULL);
  g_object_set (gtk_text_tag_table_lookup (table, "prompt"),
                "foreground", dark ? "#78aeed" : "#1c71d8", NULL);
  g_object_set (gtk_text_tag_table_lookup (table, "result"),
                "foreground", dark ? "#8ff0a4" : "#26a269", NULL);
  g_object_set (gtk_text_tag_table_lookup (table, "error"),
                "foreground", dark ? "#ff7b63" : "#c01c28", NULL);
}

static gboolean
is_scrolled_to_end (SpSessionConsole *self)
{
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view));

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
         >= gtk_adjustment_get_upper (adj) - 4;
}

static void
scroll_to_end (SpSessionConsole *self)
{
  gtk_text_view_scroll_to_mark (self->view, self->end_mark, 0, FALSE, 0, 1);
}

static void
insert_at_end (SpSessionConsole *self,
               const char       *text,
               gssize            length,
               const char       *tag)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (self->buffer, &end);
  if (tag != NULL)
    gtk_text_buffer_insert_with_tags_by_name (self->buffer, &end, text, length, tag, NULL);
  else
    gtk_text_buffer_insert (self->buffer, &end, text, length);
}

/* Starts a new line unless the console is empty or already at the start of one. */
static void
ensure_new_line (SpSessionConsole *self)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (self->buffer, &end);
  if (!gtk_text_iter_is_start (&end) && !gtk_text_iter_starts_line (&end))
    insert_at_end (self, "\n", 1, NULL);
}

static void
cut_old_text (SpSessionConsole *self)
{
  GtkTextIter start, cut;
  int count = gtk_text_buffer_get_char_count (self->buffer);

  if (count <= SP_SESSION_CONSOLE_LIMIT)
    return;
  gtk_text_buffer_get_start_iter (self->buffer, &start);
  gtk_text_buffer_get_iter_at_offset (self->buffer, &cut, count - KEEP_AFTER_CUT);
  gtk_text_iter_forward_line (&cut);
  gtk_text_buffer_delete (self->buffer, &start, &cut);
  gtk_text_buffer_get_start_iter (self->buffer, &start);
  gtk_text_buffer_insert_with_tags_by_name (self->buffer, &start,
                                            _("[… earlier output dropped …]\n"), -1,
                                            "note", NULL);
}

/* Runs before any other append so that output and results keep their order. */
void
sp_session_console_flush (SpSessionConsole *self)
{
  SpConsoleChunk *chunk;
  gboolean follow;

  g_return_if_fail (SP_IS_SESSION_CONSOLE (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (g_queue_is_empty (&self->pending))
    return;
  follow = is_scrolled_to_end (self);
  while ((chunk = g_queue_pop_head (&self->pending)) != NULL)
    {
      insert_at_end (self, chunk->text->str, chunk->text->len,
                     chunk->stream == SP_CONSOLE_STDERR ? "stderr" : NULL);
      console_chunk_free (chunk);
    }
  self->pending_bytes = 0;
  cut_old_text (self);
  if (follow)
    scroll_to_end (self);
}

static gboolean
on_flush_timeout (gpointer data)
{
  SpSessionConsole *self = data;

  self->flush_id = 0;
  sp_session_console_flush (self);
  return G_SOURCE_REMOVE;
}

/* The queue never holds more than the console would keep anyway. */
static void
drop_oldest_pending (SpSessionConsole *self)
{
  while (self->pending_bytes > SP_SESSION_CONSOLE_LIMIT && self->pending.length > 1)
    {
      SpConsoleChunk *chunk = g_queue_pop_head (&self->pending);

      self->pending_bytes -= chunk->text->len;
      console_chunk_free (chunk);
    }
}

void
sp_session_console_queue_output (SpSessionConsole *self,
                                 SpConsoleStream   stream,
                                 const char       *text)
{
  SpConsoleChunk *tail;

  g_return_if_fail (SP_IS_SESSION_CONSOLE (self));
  g_return_if_fail (text != NULL);

  tail = g_queue_peek_tail (&self->pending);
  if (tail == NULL || tail->stream != stream)
    {
      tail = g_new0 (SpConsoleChunk, 1);
      tail->stream = stream;
      tail->text = g_string_new (NULL);
      g_queue_push_tail (&self->pending, tail);
    }
  g_string_append (tail->text, text);
  self->pending_bytes += strlen (text);
  drop_oldest_pending (self);
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (FLUSH_INTERVAL_MS, on_flush_timeout, self);
}

void
sp_session_console_append_input (SpSessionConsole *self,
                                 const char       *package,
                                 const char       *form)
{
  g_autofree char *prompt = NULL;

  g_return_if_fail (SP_IS_SESSION_CONSOLE (self));

  sp_session_console_flush (self);
  ensure_new_line (self);
  prompt = g_strdup_printf ("%s> ", package);
  insert_at_end (self, prompt, -1, "prompt");
  insert_at_end (self, form, -1, "input");
  insert_at_end (self, "\n", 1, NULL);
  scroll_to_end (self);
}

void
sp_session_console_append_result (SpSessionConsole *self,
                                  const char       *values)
{
  g_return_if_fail (SP_IS_SESSION_CONSOLE (self));

  sp_session_console_flush (self);
  ensure_new_line (self);
  if (values == NULL || *values == '\0')
    insert_at_end (self, _("; No values"), -1, "note");
  else
    insert_at_end (self, values, -1, "result");
  insert_at_end (self, "\n", 1, NULL);
  scroll_to_end (self);
}

static GtkWidget *
create_backtrace_expander (const SpLispError *lisp_error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *title = NULL;
  GtkWidget *expander, *label;
  guint n = g_strv_length (lisp_error->backtrace);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%2u: %s", i > 0 ? "\n" : "", i, lisp_error->backtrace[i]);
  label = gtk_label_new (text->str);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* A text view gives its children their minimum width: ask for what fits the sidebar. */
  gtk_label_set_width_chars (GTK_LABEL (label), 34);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 72);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "backtrace");

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Backtrace (%u frame)",
                                        "Backtrace (%u frames)", n), n);
  expander = gtk_expander_new (title);
  gtk_expander_set_child (GTK_EXPANDER (expander), label);
  gtk_widget_add_css_class (expander, "backtrace-expander");
  return expander;
}

void
sp_session_console_append_error (SpSessionConsole  *self,
                                 const char        *message,
                                 const SpLispError *lisp_error)
{
  g_return_if_fail (SP_IS_SESSION_CONSOLE (self));
  g_return_if_fail (message != NULL);

  sp_session_console_flush (self);
  ensure_new_line (self);
  insert_at_end (self, message, -1, "error");
  if (lisp_error != NULL && lisp_error->condition_type != NULL)
    {
      g_autofree char *type = g_strdup_printf ("  [%s]", lisp_error->condition_type);

      insert_at_end (self, type, -1, "note");
    }
  insert_at_end (self, "\n", 1, NULL);
  if (lisp_error != NULL && lisp_error->backtrace != NULL && lisp_error->backtrace[0] != NULL)
    {
      GtkTextIter end;
      GtkTextChildAnchor *anchor;

      gtk_text_buffer_get_end_iter (self->buffer, &end);
      anchor = gtk_text_buffer_create_child_anchor (self->buffer, &end);
      gtk_text_view_add_child_at_anchor (self->view, create_backtrace_expander (lisp_error),
                                         anchor);
      insert_at_end (self, "\n", 1, NULL);
    }
  scroll_to_end (self);
}

void
sp_session_console_append_note (SpSessionConsole *self,
                                const char       *note)
{
  g_return_if_fail (SP_IS_SESSION_CONSOLE (self));
  g_return_if_fail (note != NULL);

  sp_session_console_flush (self);
  ensure_new_line (self);
  insert_at_end (self, note, -1, "note");
  insert_at_end (self, "\n", 1, NULL);
  scroll_to_end (self);
}

GtkTextBuffer *
sp_session_console_get_buffer (SpSessionConsole *self)
{
  g_return_val_if_fail (SP_IS_SESSION_CONSOLE (self), NULL);

  return self->buffer;
}

GtkWidget *
sp_session_console_new (void)
{
  return g_object_new (SP_TYPE_SESSION_CONSOLE, NULL);
}

static void
sp_session_console_dispose (GObject *object)
{
  SpSessionConsole *self = SP_SESSION_CONSOLE (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_queue_clear_full (&self->pending, (GDestroyNotify) console_chunk_free);
  self->pending_bytes = 0;
  g_clear_pointer (&self->scroller, gtk_widget_unparent);

  G_OBJECT_CLASS (sp_session_console_parent_class)->dispose (object);
}

static void
sp_session_console_class_init (SpSessionConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_session_console_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sessionconsole");
}

static void
create_tags (SpSessionConsole *self)
{
  gtk_text_buffer_create_tag (self->buffer, "stderr", NULL);
  gtk_text_buffer_create_tag (self->buffer, "prompt", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (self->buffer, "input", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (self->buffer, "result", NULL);
  gtk_text_buffer_create_tag (self->buffer, "error", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (self->buffer, "note", "style", PANGO_STYLE_ITALIC,
                              "foreground", "#77767b", NULL);
  update_tag_colors (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_tag_colors), self, G_CONNECT_SWAPPED);
}

static void
sp_session_console_init (SpSessionConsole *self)
{
  GtkTextIter end;

  g_queue_init (&self->pending);

  self->view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_editable (self->view, FALSE);
  gtk_text_view_set_cursor_visible (self->view, FALSE);
  gtk_text_view_set_monospace (self->view, TRUE);
  gtk_text_view_set_wrap_mode (self->view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (self->view, 10);
  gtk_text_view_set_right_margin (self->view, 10);
  gtk_text_view_set_top_margin (self->view, 8);
  gtk_text_view_set_bottom_margin (self->view, 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Console"), -1);
  self->buffer = gtk_text_view_get_buffer (self->view);
  gtk_text_buffer_get_end_iter (self->buffer, &end);
  self->end_mark = gtk_text_buffer_create_mark (self->buffer, NULL, &end, FALSE);
  create_tags (self);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}
