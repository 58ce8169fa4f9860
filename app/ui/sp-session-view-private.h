/* sp-session-view-private.h: the session view's instance, shared by sp-session-view*.c */
#pragma once

#include "sp-session-view.h"

G_BEGIN_DECLS

typedef enum
{
  SP_RECORD_IDLE,
  SP_RECORD_STARTING,   /* warm-up runs, then the profiler starts */
  SP_RECORD_RUNNING,
  SP_RECORD_STOPPING,   /* collecting the profile */
} SpRecordState;

struct _SpSessionView
{
  GtkWidget          parent_instance;

  /* Owned */
  SpSession         *session;
  GSignalGroup      *session_signals;
  GCancellable      *cancellable;      /* cancelled on dispose */
  GPtrArray         *history;          /* forms evaluated, oldest first */
  guint              history_pos;      /* == history->len when not walking the history */
  char              *history_draft;    /* what the entry held before walking the history */
  gboolean           evaluating;
  gboolean           disposed;
  SpRecordState        record_state;
  gboolean           stop_when_started; /* the workload ended before the start finished */
  char              *record_workload;  /* the workload of the running recording */
  char              *workload_error;   /* why the recorded workload failed */
  char              *live_title;       /* a statistical recording shown live: its tab's title */
  SpSessionState     shown_state;      /* the state last noted in the console */
  GtkListStore      *package_store;    /* completion of names to instrument */

  /* Template widgets */
  GtkToggleButton   *statistical_button;
  GtkToggleButton   *deterministic_button;
  GtkWidget         *deterministic_page;
  GtkDropDown       *sampler_dropdown;
  GtkWidget         *exact_page;
  GtkImage          *exact_icon;
  GtkLabel          *exact_label;
  GtkWidget         *instrument_button;
  GtkCheckButton    *heap_snapshot_check;
  GtkEntry          *names_entry;
  GtkEntry          *workload_entry;
  GtkButton         *record_button;
  GtkImage          *record_icon;
  GtkLabel          *record_label;
  GtkLabel          *progress_label;
  GtkMenuButton     *options_button;
  GtkSpinButton     *interval_spin;
  GtkSpinButton     *max_samples_spin;
  GtkCheckButton    *all_threads_check;
  GtkSpinButton     *warmup_spin;
  GtkSpinButton     *runs_spin;
  GtkLabel          *status_label;
  SpSessionConsole  *console;
  GtkDropDown       *package_dropdown;
  GtkStringList     *packages;
  GtkEntry          *eval_entry;
  GtkButton         *eval_button;
};

/* sp-session-view.c */
char       *_sp_session_view_dup_stripped_text     (GtkEntry      *entry);
const char *_sp_session_view_get_package           (SpSessionView *self);
void        _sp_session_view_set_status            (SpSessionView *self,
                                                    const char    *text,
                                                    gboolean       is_error);
void        _sp_session_view_update_controls       (SpSessionView *self);
void        _sp_session_view_notify_recording      (SpSessionView *self);
void        _sp_session_view_emit_profile_recorded (SpSessionView *self,
                                                    SpProfile     *profile,
                                                    const char    *title);
void        _sp_session_view_emit_live_profile     (SpSessionView *self,
                                                    SpProfile     *profile,
                                                    const char    *title,
                                                    gboolean       final);

/* sp-session-view-memory.c */
gboolean    _sp_session_view_is_alloc_exact        (SpSessionView *self);
void        _sp_session_view_update_exact_page     (SpSessionView *self);
void        _sp_session_view_on_instrument_clicked (SpSessionView *self);

/* sp-session-view-record.c */
SpMode      _sp_session_view_get_mode              (SpSessionView *self);
void        _sp_session_view_update_summary        (SpSessionView *self);
void        _sp_session_view_update_record_button  (SpSessionView *self);
void        _sp_session_view_set_record_state      (SpSessionView *self,
                                                    SpRecordState  state);
void        _sp_session_view_on_mode_toggled       (SpSessionView *self);
void        _sp_session_view_on_record_clicked     (SpSessionView *self);
void        _sp_session_view_on_recording_progress (SpSessionView *self,
                                                    double         elapsed,
                                                    gint64         samples);
void        _sp_session_view_on_workload_finished  (SpSessionView *self,
                                                    const GError  *error);
void        _sp_session_view_on_live_profile       (SpSessionView *self,
                                                    SpProfile     *profile);
void        _sp_session_view_on_cut_short          (SpSessionView *self,
                                                    SpProfile     *profile);
/* The live tab of a recording that ended with no profile is closed. */
void        _sp_session_view_end_live              (SpSessionView *self);

G_END_DECLS
