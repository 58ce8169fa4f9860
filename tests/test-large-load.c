/* test-large-load.c: a large profile loads while the window keeps answering
 *
 * The profile is generated here and written into a FIFO by a thread of the test, which stops
 * half-way until the test has looked at the window: so the checks run while the loader is
 * busy with a large file however fast or busy the machine is, and no timing is needed.  The
 * clicks are real X events (xdotool), which the window only handles if its main loop runs.
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>

#include "sp-profile-io.h"
#include "sp-test-util.h"
#include "sp-window-test-util.h"

/* About 24 MB of stacks, 12 deep on average, sharing prefixes as a real profile does. */
#define N_LINES 240000

static const char * const first_stacks[] = { "MAIN;WORKLOAD::RUN;WORKLOAD::FIB 7", NULL };
static const char * const second_stacks[] = { "MAIN;SERVER::HANDLE;SERVER::PARSE 5", NULL };

typedef struct
{
  char     *path;
  GMutex    mutex;
  GCond     cond;
  gboolean  released;     /* the second half may be written */
  guint64   lines_written;
} Writer;

typedef struct
{
  SpApplication *app;
  SpWindow      *window;
  char          *dir;
  guint          ticks;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->app = sp_window_test_setup ("io.github.sbclprofiler.SbclProfiler.LargeTest", &f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sp_window_test_teardown (&f->app, &f->dir);
}

/* The stacks' counts add up to this. */
static double
expected_samples (void)
{
  double total = 0;

  for (guint i = 0; i < N_LINES; i++)
    total += 1 + i % 5;
  return total;
}

static void
append_line (GString *line,
             guint    i)
{
  guint depth = 4 + i % 17;

  g_string_printf (line, "\"foreign function call_into_lisp\";WORKER-%u", i % 4);
  for (guint j = 0; j < depth; j++)
    g_string_append_printf (line, ";(LAMBDA () :IN MY-APP::STEP-%u-%u)", j, (i >> (j / 2)) % 7);
  g_string_append_printf (line, " %u\n", 1 + i % 5);
}

static gboolean
write_lines (FILE  *out,
             guint  from,
             guint  to)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    {
      append_line (line, i);
      if (fwrite (line->str, 1, line->len, out) != line->len)
        return FALSE;   /* the reader went away: the load was cancelled */
    }
  return fflush (out) == 0;
}

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  FILE *out = fopen (w->path, "w");

  g_assert_nonnull (out);
  if (write_lines (out, 0, N_LINES / 2))
    {
      g_mutex_lock (&w->mutex);
      w->lines_written = N_LINES / 2;
      g_cond_broadcast (&w->cond);
      while (!w->released)
        g_cond_wait (&w->cond, &w->mutex);
      g_mutex_unlock (&w->mutex);
      write_lines (out, N_LINES / 2, N_LINES);
    }
  fclose (out);
  return NULL;
}

static GThread *
start_writer (Writer     *w,
              const char *dir,
              const char *name)
{
  w->path = g_build_filename (dir, name, NULL);
  g_mutex_init (&w->mutex);
  g_cond_init (&w->cond);
  g_assert_cmpint (mkfifo (w->path, 0600), ==, 0);
  return g_thread_new ("writer", writer_thread, w);
}

static void
release_writer (Writer *w)
{
  g_mutex_lock (&w->mutex);
  w->released = TRUE;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->mutex);
}

static void
finish_writer (Writer  *w,
               GThread *thread)
{
  release_writer (w);
  g_thread_join (thread);
  g_unlink (w->path);
  g_free (w->path);
  g_mutex_clear (&w->mutex);
  g_cond_clear (&w->cond);
}

/* Runs the main loop until the writer has written its first half (and the reader, behind it in
 * the pipe, has taken most of it). */
static void
wait_first_half (Writer *w)
{
  for (;;)
    {
      gboolean done;

      g_mutex_lock (&w->mutex);
      done = w->lines_written > 0;
      g_mutex_unlock (&w->mutex);
      if (done)
        return;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
count_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  ((Fixture *) user_data)->ticks++;
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop for n more frames: the window is drawing, and whatever moved has settled
 * where a click will find it. */
static void
wait_ticks (Fixture *f,
            guint    n)
{
  guint until = f->ticks + n;

  while (f->ticks < until)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_loaded (SpProfileView *view)
{
  while (sp_profile_view_get_loading (view))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A real click at the middle of widget, through the X server.  The window is raised first:
 * other tests may share the display, and their windows overlap. */
static void
click_once (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  graphene_point_t middle = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                 gtk_widget_get_height (widget) / 2.0);
  graphene_point_t at;
  double dx, dy;
  g_autofree char *command = NULL;
  int status;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &middle, &at));
  gtk_native_get_surface_transform (native, &dx, &dy);
  command = g_strdup_printf ("xdotool windowraise %1$lu mousemove --window %1$lu %2$d %3$d click 1",
                             (gulong) gdk_x11_surface_get_xid (surface), (int) (at.x + dx), (int) (at.y + dy));
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Clicks widget until done says the click was handled: a window of another test may have come
 * on top in between.  Each try waits for some frames; a window that never answers fails. */
static void
click (Fixture    *f,
       GtkWidget  *widget,
       gboolean  (*done) (gpointer data),
       gpointer    data)
{
  for (guint tries = 0; tries < 20; tries++)
    {
      guint until = f->ticks + 30;

      click_once (widget);
      while (f->ticks < until && !done (data))
        g_main_context_iteration (NULL, TRUE);
      if (done (data))
        return;
    }
  g_assert_not_reached ();
}

static gboolean
first_tab_selected (gpointer data)
{
  AdwTabView *tabs = data;

  return adw_tab_view_get_selected_page (tabs) == adw_tab_view_get_nth_page (tabs, 0);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static GtkWidget *
find_tab_label (SpWindow   *window,
                const char *title)
{
  GtkLabel *label = find_label_containing (GTK_WIDGET (window), title);

  g_assert_nonnull (label);
  return GTK_WIDGET (label);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
      gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Two small tabs, the second one selected. */
static void
open_two_tabs (Fixture *f)
{
  g_autoptr(GFile) first = sp_window_test_write_profile (f->dir, "first.sbclprof", first_stacks);
  g_autoptr(GFile) second = sp_window_test_write_profile (f->dir, "second.sbclprof", second_stacks);

  f->window = sp_window_new (GTK_APPLICATION (f->app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  sp_window_open_file (f->window, first);
  wait_loaded (sp_window_test_view_at (f->window, 0));
  sp_window_open_file (f->window, second);
  wait_loaded (sp_window_test_view_at (f->window, 1));
  gtk_widget_add_tick_callback (GTK_WIDGET (f->window), count_tick, f, NULL);
}

static void
set_true (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
skip_without_x11 (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()) || xdotool == NULL)
    {
      g_test_skip ("needs an X11 display and xdotool for real clicks");
      return TRUE;
    }
  return FALSE;
}

static void
test_window_answers (Fixture       *f,
                     gconstpointer  data)
{
  AdwTabView *tabs;
  SpProfileView *view;
  SpProfile *profile;
  GThread *thread;
  Writer w = { 0 };
  g_autoptr(GFile) large = NULL;
  guint ticks;

  if (skip_without_x11 ())
    return;
  open_two_tabs (f);
  tabs = sp_window_get_tab_view (f->window);
  thread = start_writer (&w, f->dir, "large.folded");
  large = g_file_new_for_path (w.path);

  sp_window_open_file (f->window, large);
  view = sp_window_test_view_at (f->window, 2);
  g_assert_true (adw_tab_view_get_selected_page (tabs) == adw_tab_view_get_nth_page (tabs, 2));
  wait_first_half (&w);

  /* The frame clock keeps ticking and a click on another tab is handled, mid-load. */
  ticks = f->ticks;
  wait_ticks (f, 5);
  click (f, find_tab_label (f->window, "first.sbclprof"), first_tab_selected, tabs);
  g_assert_true (sp_profile_view_get_loading (view));
  g_assert_true (adw_tab_page_get_loading (adw_tab_view_get_nth_page (tabs, 2)));

  finish_writer (&w, thread);
  wait_loaded (view);
  profile = sp_profile_view_get_profile (view);
  g_assert_nonnull (profile);
  g_assert_cmpfloat (sp_profile_get_grand_total (profile, SP_METRIC_SAMPLES), ==, expected_samples ());
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 3);
  g_test_message ("%u frame clock ticks while loading", f->ticks - ticks);
}

static void
test_cancel_keeps_tabs (Fixture       *f,
                        gconstpointer  data)
{
  AdwTabView *tabs;
  SpProfile *profiles[2];
  GThread *thread;
  Writer w = { 0 };
  g_autoptr(GFile) large = NULL;
  GtkWidget *cancel;
  gboolean clicked = FALSE;

  if (skip_without_x11 ())
    return;
  open_two_tabs (f);
  tabs = sp_window_get_tab_view (f->window);
  for (int i = 0; i < 2; i++)
    profiles[i] = sp_profile_view_get_profile (sp_window_test_view_at (f->window, i));
  thread = start_writer (&w, f->dir, "large.folded");
  large = g_file_new_for_path (w.path);

  sp_window_open_file (f->window, large);
  wait_first_half (&w);
  wait_ticks (f, 5);
  cancel = find_button (GTK_WIDGET (sp_window_test_view_at (f->window, 2)), "_Cancel");
  g_assert_nonnull (cancel);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (set_true), &clicked);
  click (f, cancel, is_true, &clicked);
  /* the reader sees the cancel at its next read, once the writer goes on */
  finish_writer (&w, thread);
  while (adw_tab_view_get_n_pages (tabs) == 3)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* The loading tab is gone, quietly; the others are as they were, the last one selected. */
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 2);
  g_assert_null (find_label_containing (GTK_WIDGET (f->window), "Could not open"));
  for (int i = 0; i < 2; i++)
    {
      g_assert_true (sp_profile_view_get_profile (sp_window_test_view_at (f->window, i)) == profiles[i]);
      g_assert_false (sp_profile_view_get_loading (sp_window_test_view_at (f->window, i)));
    }
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_nth_page (tabs, 0)), ==, "first.sbclprof");
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_nth_page (tabs, 1)), ==, "second.sbclprof");
  g_assert_true (adw_tab_view_get_selected_page (tabs) == adw_tab_view_get_nth_page (tabs, 1));
}

int
main (int    argc,
      char **argv)
{
  /* a cancelled load closes the FIFO under the writer */
  signal (SIGPIPE, SIG_IGN);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/LargeLoad/window-answers", Fixture, NULL, fixture_setup, test_window_answers, fixture_teardown);
  g_test_add ("/LargeLoad/cancel-keeps-tabs", Fixture, NULL, fixture_setup, test_cancel_keeps_tabs, fixture_teardown);
  return g_test_run ();
}
