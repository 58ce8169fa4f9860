/* sp-session-view-memory.c: the recording bar's Allocation (exact) mode
 *
 * sb-aprof counts only code compiled with allocation instrumentation.  The bar says which code
 * of the session that is (SBCL's own functions never are), and offers to restart a session
 * whose code was loaded without it.
 */
#define G_LOG_DOMAIN "sp-session-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-session-view-private.h"

/* The files (by name) and systems the session loads, as one list for a sentence. */
static char *
describe_loaded_code (SpSession *session)
{
  const char * const *files = sp_session_get_load_files (session);
  const char * const *systems = sp_session_get_systems (session);
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (0, g_free, TRUE);

  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    g_ptr_array_add (names, g_path_get_basename (files[i]));
  for (guint i = 0; systems != NULL && systems[i] != NULL; i++)
    g_ptr_array_add (names, g_strdup (systems[i]));
  return names->len > 0 ? g_strjoinv (", ", (char **) names->pdata) : NULL;
}

/* Known after the agent's hello; while starting, what the session asked for. */
static gboolean
code_is_instrumented (SpSession *session)
{
  if (sp_session_get_state (session) == SP_SESSION_STATE_STARTING)
    return sp_session_get_instrument_allocations (session);
  return sp_session_get_code_instrumented (session);
}

static char *
describe_counted_code (SpSession *session)
{
  g_autofree char *loaded = NULL;

  if (!code_is_instrumented (session))
    {
      if (sp_session_is_attached (session))
        return g_strdup (_("This program’s code was not compiled with allocation instrumentation, so none "
                           "of it would be counted. Load it again compiled under (declaim (optimize "
                           "sb-c::instrument-consing)), or record “Allocation (sampled)”."));
      return g_strdup (_("This session loaded its code without allocation instrumentation, so none of it "
                         "would be counted. Restart it with instrumentation to count its allocations "
                         "exactly."));
    }
  loaded = describe_loaded_code (session);
  if (loaded == NULL)
    return g_strdup (_("Counts every allocation of the forms and workloads this session compiles, "
                       "exactly. SBCL’s own functions (FORMAT, …) are not counted."));
  return g_strdup_printf (_("Counts every allocation exactly in the code compiled with instrumentation: "
                            "%s, and the forms and workloads evaluated here. SBCL’s own functions "
                            "(FORMAT, …) are not counted."), loaded);
}

gboolean
_sp_session_view_is_alloc_exact (SpSessionView *self)
{
  return _sp_session_view_get_mode (self) == SP_MODE_ALLOC_EXACT;
}

void
_sp_session_view_update_exact_page (SpSessionView *self)
{
  gboolean exact = self->session != NULL && _sp_session_view_is_alloc_exact (self);
  gboolean instrumented;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->exact_page, exact);
  if (!exact)
    return;

  instrumented = code_is_instrumented (self->session);
  text = describe_counted_code (self->session);
  gtk_label_set_label (self->exact_label, text);
  gtk_image_set_from_icon_name (self->exact_icon, instrumented ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  if (instrumented)
    gtk_widget_remove_css_class (self->exact_page, "warning");
  else
    gtk_widget_add_css_class (self->exact_page, "warning");
  gtk_widget_set_visible (self->instrument_button, !instrumented && !sp_session_is_attached (self->session));
}

/* Restarts the session with its configuration and instrumentation on (the sidebar restarts). */
void
_sp_session_view_on_instrument_clicked (SpSessionView *self)
{
  sp_session_set_instrument_allocations (self->session, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self), "sessions.restart", NULL);
}
