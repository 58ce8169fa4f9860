/* sp-session.h: one SBCL child process running the profiler agent
 *
 * A session starts `sbcl` (argv, never a shell) with the agent from lisp/agent loaded, talks to
 * it over a private socket (fd 3, one JSON object per line) and leaves the program's own
 * stdout/stderr as its console, delivered through the console-output signal.  Every request
 * that does not run user code has a timeout (evaluations and workloads may run as long as they
 * like: interrupt them), and the death of the child fails every pending request with
 * SP_SESSION_ERROR_EXITED.
 *
 * Typical use:
 *
 *   session = sp_session_new (NULL);               // sbcl from $PATH
 *   sp_session_start_async (session, …);           // → READY
 *   sp_session_eval_async (session, "(+ 1 2)", "CL-USER", …);
 *   sp_session_record_async (session, &options, …) // warm-up, record, stop → SpProfile
 *   sp_session_quit (session);
 */
#pragma once

#include <gio/gio.h>

#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_SESSION_ERROR (sp_session_error_quark ())

typedef enum
{
  SP_SESSION_ERROR_SBCL_NOT_FOUND,  /* the sbcl program is missing or not executable */
  SP_SESSION_ERROR_UNSUPPORTED,     /* this SBCL lacks threads or sb-sprof */
  SP_SESSION_ERROR_AGENT,           /* the agent could not be found or failed to start */
  SP_SESSION_ERROR_PROTOCOL,        /* the agent sent something that is not a valid message */
  SP_SESSION_ERROR_TIMEOUT,         /* no reply in time */
  SP_SESSION_ERROR_EXITED,          /* the SBCL process is gone */
  SP_SESSION_ERROR_LISP,            /* a Lisp condition: see SpLispError */
  SP_SESSION_ERROR_INTERRUPTED,     /* the evaluation was interrupted */
  SP_SESSION_ERROR_BUSY,            /* the request does not fit the current state */
  SP_SESSION_ERROR_INVALID,         /* a bad argument (an unknown mode, an empty form, …) */
} SpSessionError;

GQuark sp_session_error_quark (void);

typedef enum
{
  SP_SESSION_STATE_STARTING,   /* the process runs, the agent has not said hello yet */
  SP_SESSION_STATE_READY,      /* idle, requests welcome */
  SP_SESSION_STATE_BUSY,       /* evaluating, loading */
  SP_SESSION_STATE_RECORDING,  /* a profiler is on */
  SP_SESSION_STATE_EXITED,     /* the process ended normally (quit, or exit status 0) */
  SP_SESSION_STATE_CRASHED,    /* failed to start, or died: see the state reason */
} SpSessionState;

GType sp_session_state_get_type (void) G_GNUC_CONST;
#define SP_TYPE_SESSION_STATE (sp_session_state_get_type ())

typedef enum
{
  SP_CONSOLE_STDOUT,
  SP_CONSOLE_STDERR,
} SpConsoleStream;

/* A Lisp condition signalled by an evaluation, a load or a workload. */
typedef struct
{
  char  *condition_type;  /* e.g. "SB-INT:SIMPLE-PROGRAM-ERROR" */
  char  *message;         /* the condition printed with ~A */
  char **backtrace;       /* innermost first, trimmed; NULL-terminated, may be empty */
} SpLispError;

GType        sp_lisp_error_get_type (void) G_GNUC_CONST;
#define SP_TYPE_LISP_ERROR (sp_lisp_error_get_type ())
SpLispError *sp_lisp_error_copy     (const SpLispError *error);
void         sp_lisp_error_free     (SpLispError       *error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpLispError, sp_lisp_error_free)

/* What to record and, optionally, the workload to run while recording. */
typedef struct
{
  SpMode    mode;          /* CPU, ALLOC, TIME, DETERMINISTIC or ALLOC_EXACT */
  double    interval;      /* statistical: seconds between samples; <= 0 for 0.01 */
  gint64    max_samples;   /* statistical: <= 0 for the default (50 000) */
  gboolean  all_threads;   /* statistical: every thread, or only the workload's */
  char    **names;         /* deterministic: function or package names (NULL-terminated) */
  gboolean  heap_snapshot; /* a full GC and a census of live objects before and after */

  char     *workload;      /* a form to run; NULL lets the program run until stopped */
  char     *package;       /* package to read the workload in; NULL for CL-USER */
  guint     warmup_runs;   /* runs of the workload before the recording starts */
  guint     runs;          /* recorded runs; 0 counts as 1 */
  double    drain_interval; /* statistical: seconds between the sample batches the agent sends
                             * while recording (the live view and timeline resolution); <= 0
                             * for 1 s */
} SpRecordOptions;

void sp_record_options_init  (SpRecordOptions       *options);
void sp_record_options_clear (SpRecordOptions       *options);
void sp_record_options_copy  (SpRecordOptions       *dest,
                              const SpRecordOptions *src);

#define SP_TYPE_SESSION (sp_session_get_type ())
G_DECLARE_FINAL_TYPE (SpSession, sp_session, SP, SESSION, GObject)

/* The sbcl to use when none is configured: $PATH lookup; NULL when there is none. */
char           *sp_session_find_sbcl          (void);
/* Where the agent lives: $SP_LISP_DIR, else the installed lisp dir, else the source tree's. */
char           *sp_session_get_lisp_dir       (void);

/* sbcl_path NULL uses sp_session_find_sbcl() when starting. */
SpSession      *sp_session_new                (const char *sbcl_path);

/* ---- Attaching to a running image (see lisp/agent/listen.lisp) ---- */

/* An image that called (sbcl-profiler-agent:listen). */
typedef struct
{
  GPid   pid;
  char  *name;          /* what the image was started with, e.g. "server.lisp" */
  char  *sbcl_version;
  char  *socket_path;
  char  *working_dir;   /* the image's current folder; may be NULL */
  gint64 started;       /* Unix time the agent was loaded, near the image's start */
} SpAttachable;

void            sp_attachable_free            (SpAttachable *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAttachable, sp_attachable_free)
/* Where images listen: $XDG_RUNTIME_DIR/sbcl-profiler, or /tmp/sbcl-profiler-UID. */
char           *sp_attach_get_runtime_dir     (void);
/* The images of this user that listen now, of SpAttachable*; stale entries are removed. */
GPtrArray      *sp_attach_list_images         (void);

/* A session that attaches to target (a PID, a socket path, or 127.0.0.1:PORT with the token
 * the image printed) when started.  Quitting it detaches: the image goes on with nothing
 * instrumented.  It cannot be restarted, and load files and systems do not apply. */
SpSession      *sp_session_new_attached       (const char *target,
                                               const char *token);
gboolean        sp_session_is_attached        (SpSession  *self);

/* Loads the agent into an image through its Swank server at address ("host:port", port 4005
 * when left out) and has it listen; returns the socket to attach to. */
void            sp_swank_load_agent_async     (const char          *address,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char           *sp_swank_load_agent_finish    (GAsyncResult        *result,
                                               GError             **error);
const char     *sp_session_get_attach_target  (SpSession  *self);

/* Configuration: read when the session starts. */
const char     *sp_session_get_sbcl_path      (SpSession          *self);
void            sp_session_set_sbcl_path      (SpSession          *self,
                                               const char         *sbcl_path);
const char     *sp_session_get_working_dir    (SpSession          *self);
void            sp_session_set_working_dir    (SpSession          *self,
                                               const char         *working_dir);
/* What console-output passes on per second (SP_SESSION_CONSOLE_RATE at first, for a window
 * that must stay responsive); 0 passes everything, as the command line does. */
#define SP_SESSION_CONSOLE_RATE (1024 * 1024)
void            sp_session_set_console_limit  (SpSession          *self,
                                               gsize               bytes_per_second);

/* Lisp files loaded, then ASDF systems loaded, in order, after the agent says hello. */
const char * const *sp_session_get_load_files (SpSession          *self);
void            sp_session_set_load_files     (SpSession          *self,
                                               const char * const *files);
const char * const *sp_session_get_systems    (SpSession          *self);
void            sp_session_set_systems        (SpSession          *self,
                                               const char * const *systems);
/* The order of the loads: "file" or "system" for each, as the user gave them (the next
 * file or the next system of their lists); NULL loads every file, then every system. */
void            sp_session_set_load_order     (SpSession          *self,
                                               const char * const *order);
/* Extra arguments: SBCL runtime options (--dynamic-space-size N, --control-stack-size N,
 * --tls-limit N, --core FILE, --merge-core-pages, --no-merge-core-pages) are placed before
 * --end-runtime-options, everything else before the agent's --load. */
const char * const *sp_session_get_extra_args (SpSession          *self);
void            sp_session_set_extra_args     (SpSession          *self,
                                               const char * const *args);
/* "NAME=VALUE" entries added to the inherited environment. */
const char * const *sp_session_get_environment (SpSession         *self);
void            sp_session_set_environment    (SpSession          *self,
                                               const char * const *environment);
gboolean        sp_session_get_use_init_files (SpSession          *self);
void            sp_session_set_use_init_files (SpSession          *self,
                                               gboolean            use_init_files);
/* "Instrument allocations": the files and systems the session loads, the forms it evaluates
 * and its workloads are compiled under (optimize sb-c::instrument-consing), which alloc-exact
 * recordings need (SBCL's own functions are never instrumented).  Read when the session
 * starts: changing it takes a restart.  ASDF systems are recompiled (not their dependencies). */
gboolean        sp_session_get_instrument_allocations (SpSession  *self);
void            sp_session_set_instrument_allocations (SpSession  *self,
                                                       gboolean    instrument);
/* Whether the running SBCL compiles with that policy (known after hello; FALSE before): when
 * an alloc-exact recording is wanted and this is FALSE, offer a restart with the option on. */
gboolean        sp_session_get_code_instrumented      (SpSession  *self);
/* Per-request timeout in seconds for requests that do not run user code (default 30). */
void            sp_session_set_timeout        (SpSession          *self,
                                               double              seconds);

SpSessionState  sp_session_get_state          (SpSession          *self);
/* Why the session is in its state ("exited with status 1", "killed by signal 9"); may be NULL. */
const char     *sp_session_get_state_reason   (SpSession          *self);
/* Known after hello; NULL before. */
const char     *sp_session_get_sbcl_version   (SpSession          *self);
/* 0 before the process is spawned; -1 when it was gone before its pid could be read. */
GPid            sp_session_get_pid            (SpSession          *self);

/* Starts the child, waits for hello, loads the configured files and systems. */
void            sp_session_start_async        (SpSession          *self,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean        sp_session_start_finish       (SpSession          *self,
                                               GAsyncResult       *result,
                                               GError            **error);

/* Reads and evaluates every form of text in package (NULL: CL-USER).  Returns the printed
 * values of the last form, one per line (each at most 100 000 characters).  A Lisp condition fails with SP_SESSION_ERROR_LISP and
 * fills *lisp_error when it is not NULL.  No timeout: user code may run for long; use
 * sp_session_interrupt() or the cancellable (which interrupts) to stop it. */
void            sp_session_eval_async         (SpSession          *self,
                                               const char         *text,
                                               const char         *package,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
char           *sp_session_eval_finish        (SpSession          *self,
                                               GAsyncResult       *result,
                                               SpLispError       **lisp_error,
                                               GError            **error);

/* Loads a Lisp file, or an ASDF system (when system is TRUE). */
void            sp_session_load_async         (SpSession          *self,
                                               const char         *file_or_system,
                                               gboolean            system,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean        sp_session_load_finish        (SpSession          *self,
                                               GAsyncResult       *result,
                                               SpLispError       **lisp_error,
                                               GError            **error);

/* Names of all packages, sorted. */
void            sp_session_list_packages_async  (SpSession          *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
GStrv           sp_session_list_packages_finish (SpSession          *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

/* Stops whatever user code the agent is running (an eval, a load, a workload); it fails with
 * SP_SESSION_ERROR_INTERRUPTED.  Does nothing when idle. */
void            sp_session_interrupt          (SpSession          *self);

/* Runs options->warmup_runs of the workload, then turns the profiler on and, when there is a
 * workload, starts its recorded runs in the background (workload-finished is emitted when they
 * end).  Finishes once the profiler is on. */
void            sp_session_start_recording_async  (SpSession             *self,
                                                   const SpRecordOptions *options,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gboolean        sp_session_start_recording_finish (SpSession             *self,
                                                   GAsyncResult          *result,
                                                   GError               **error);

/* Interrupts a workload still running, turns the profiler off and collects the recording. */
void            sp_session_stop_recording_async   (SpSession             *self,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
SpProfile      *sp_session_stop_recording_finish  (SpSession             *self,
                                                   GAsyncResult          *result,
                                                   GError               **error);

/* The profile of a statistical recording so far (every batch the agent has sent), or NULL when
 * no statistical recording runs.  Costs a copy of the call tree: the live-profile signal gives
 * it about once a second while someone listens. */
SpProfile      *sp_session_get_live_profile      (SpSession             *self);

/* start_recording + wait for the workload + stop_recording, in one call.  options->workload is
 * required.  A workload that signals an error still yields the profile of what ran; the error
 * is reported through the event signal.  Cancelling, or sp_session_stop_recording_async(), stops
 * the workload early: the result is then the profile of what ran. */
void            sp_session_record_async       (SpSession             *self,
                                               const SpRecordOptions *options,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
SpProfile      *sp_session_record_finish      (SpSession             *self,
                                               GAsyncResult          *result,
                                               GError               **error);

/* Asks the agent to quit, and kills the process when it has not gone after 2 s. */
void            sp_session_quit               (SpSession          *self);
/* Kills the process at once (SIGKILL). */
void            sp_session_force_exit         (SpSession          *self);

/* Signals:
 *
 *   console-output (SpConsoleStream stream, const char *text)
 *       a chunk of the program's stdout or stderr (UTF-8, invalid bytes replaced).  Output
 *       beyond the console limit is dropped with a "[… N bytes dropped …]" note.
 *   recording-progress (double elapsed_seconds, gint64 samples)
 *       about four times a second while recording.
 *   event (const char *kind, const char *message, SpLispError *lisp_error)
 *       something the program did that is not a reply: kind "thread-error" (an error in a thread
 *       of the user's), "break" (a call to break), "workload-error" (an error in a recorded
 *       run), "warning".  lisp_error may be NULL.
 *   workload-finished (const GError *error)
 *       the recorded runs of a workload ended; error NULL on success.
 *   live-profile (SpProfile *profile)
 *       about once a second while a statistical recording runs and new samples came: the
 *       profile so far (no timeline).
 *   recording-cut-short (SpProfile *profile)
 *       SBCL died during a statistical recording: the profile of every sample it sent until
 *       then, with meta end_reason "sbcl-exited" and end_message saying how it ended.  A stop
 *       or record still waiting gets the same profile as its result.
 *   notify::state
 *       the state changed; see sp_session_get_state_reason().
 */

G_END_DECLS
