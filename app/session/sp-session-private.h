/* sp-session-private.h: what the session's files share */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-sample-stream.h"
#include "sp-session.h"

G_BEGIN_DECLS

typedef struct _SpConsoleReader SpConsoleReader;

struct _SpSession
{
  GObject             parent_instance;

  /* Configuration */
  char               *sbcl_path;
  char               *working_dir;
  char              **load_files;
  char              **systems;
  char              **load_order;       /* "file" or "system" per load, or NULL: files first */
  char              **extra_args;
  char              **environment;
  gboolean            use_init_files;
  gboolean            instrument_allocations;
  double              timeout;

  /* The process */
  SpSessionState      state;
  char               *state_reason;
  char               *sbcl_version;
  gboolean            code_instrumented;  /* the agent said it compiles loads with instrument-consing */
  GPid                pid;
  GSubprocess        *subprocess;
  GCancellable       *io_cancellable;   /* cancelled when the session goes away */
  GString            *stderr_tail;      /* the last output on stderr, for error messages */
  gboolean            quitting;
  guint               kill_timeout_id;
  gboolean            child_exited;
  gboolean            exit_handled;
  guint               exit_grace_id;    /* waiting for the end of stderr and stdout after the exit */
  gboolean            stderr_open;
  gboolean            stdout_open;

  /* Attached to a running image instead of a child (sp-session-attach.c) */
  char               *attach_target;    /* PID, socket path or HOST:PORT; NULL when launched */
  char               *attach_token;
  char               *refusal;          /* why the image refused the connection */

  /* The channel */
  GSocketConnection  *connection;
  GDataInputStream   *channel_in;
  GHashTable         *pending;          /* id → SpPending */
  gint64              next_id;
  guint               busy_requests;    /* user code running (eval, load) */
  GTask              *start_task;
  guint               hello_timeout_id;
  guint               next_load;        /* index in load_files then systems during start */

  /* Console */
  SpConsoleReader    *console[2];       /* stdout and stderr */
  gint64              console_window;   /* start of the current second, monotonic µs */
  gsize               console_bytes;    /* bytes emitted in that second */
  gsize               console_dropped;
  gsize               console_limit;    /* bytes per second; 0: no limit */

  /* Recording */
  SpRecordOptions     record_options;
  gint64              record_start;     /* wall clock, µs */
  guint               progress_id;
  gboolean            progress_in_flight;
  gboolean            workload_running;
  gboolean            stop_requested;   /* stop once the workload's run ends */
  GTask              *stop_task;
  GTask              *record_task;
  GTask              *record_follower;  /* a record whose workload was stopped by stop_recording */
  SpSampleStream     *stream;           /* statistical: the batches received so far */
  gint64              recording_id;     /* the agent's id of the recording, in its batches */
  guint               live_id;
  guint               live_batches;     /* batches in the last live profile */
};

/* Called once per request: with the result object, or with an error (and, when the agent
 * answered with one, its error object). */
typedef void (*SpReplyFunc) (SpSession    *self,
                             JsonObject   *result,
                             JsonObject   *error_object,
                             const GError *error,
                             gpointer      user_data);

/* Sends op with the members of args (may be NULL; taken).  timeout <= 0: none. */
void         sp_session_request          (SpSession   *self,
                                          const char  *op,
                                          JsonObject  *args,
                                          double       timeout,
                                          SpReplyFunc  func,
                                          gpointer     user_data);

void         sp_session_set_state        (SpSession      *self,
                                          SpSessionState  state,
                                          const char     *reason);
/* The agent answered stop-recording: back to READY. */
void         sp_session_recording_finished (SpSession    *self);
/* A "samples" event: a batch streamed by the agent. */
void         sp_session_recording_add_batch (SpSession  *self,
                                             JsonObject *message);
void         sp_session_emit_live_profile (SpSession    *self,
                                           SpProfile    *profile);
void         sp_session_emit_cut_short   (SpSession      *self,
                                          SpProfile      *profile);
gboolean     sp_session_has_live_listener (SpSession     *self);
/* Fails every recording task still waiting: the process is gone. */
void         sp_session_recording_abort  (SpSession      *self,
                                          const GError   *error);
/* sp-session.c */
gboolean     sp_session_is_alive         (SpSession      *self);
void         sp_session_fail_all_pending (SpSession      *self,
                                          const GError   *error);
/* The channel cannot be trusted: fail everything, kill the child. */
void         sp_session_protocol_failure (SpSession      *self,
                                          const char     *what);
void         sp_session_emit_console     (SpSession      *self,
                                          SpConsoleStream stream,
                                          const char     *text);

/* Completes sp_session_start_async, if it is still waiting; error (taken) NULL for success. */
void         sp_session_finish_start     (SpSession      *self,
                                          GError         *error);

/* sp-session-process.c: starts the child and connects the channel; watches for its end. */
gboolean     sp_session_spawn            (SpSession      *self,
                                          GError        **error);
void         sp_session_watch_child      (SpSession      *self);
/* Called when the child has exited and stderr is read to its end (or after a grace period). */
void         sp_session_finish_exit      (SpSession      *self);

/* sp-session-attach.c */
gboolean     sp_session_connect          (SpSession      *self,
                                          GError        **error);
void         sp_session_connection_closed (SpSession     *self);
/* Takes the connection as the protocol channel. */
void         sp_session_set_channel      (SpSession         *self,
                                          GSocketConnection *connection);

/* sp-session-console.c */
void         sp_session_start_console    (SpSession      *self,
                                          SpConsoleStream stream,
                                          GInputStream   *input);
void         sp_session_console_free     (gpointer        reader);

void         sp_session_emit_progress    (SpSession      *self,
                                          double          elapsed,
                                          gint64          samples);
void         sp_session_emit_workload_finished (SpSession    *self,
                                                const GError *error);
void         sp_session_emit_event       (SpSession      *self,
                                          const char     *kind,
                                          const char     *message,
                                          SpLispError    *lisp_error);

/* One line of the agent's channel: a reply or an event, or a protocol failure. */
void         sp_session_handle_line      (SpSession           *self,
                                          const char          *line,
                                          gsize                length);

/* Turns the result of a stop-recording request into a profile.  meta holds what the session
 * knows (workload, runs, start time, host, SBCL version); the agent's figures are added. */
SpProfile   *sp_session_build_profile    (JsonObject          *result,
                                          const SpProfileMeta *meta,
                                          GError             **error);
/* The same for a statistical recording whose streamed batches are already in stream. */
SpProfile   *sp_session_build_stream_profile (SpSampleStream      *stream,
                                              JsonObject          *result,
                                              const SpProfileMeta *meta,
                                              GError             **error);
/* Fails with SP_SESSION_ERROR_PROTOCOL: "The agent sent a malformed recording: what". */
gboolean     sp_session_fail_malformed   (GError             **error,
                                          const char          *what);

/* Interns every frame ({"name", "file", "line"}) of an agent's table; map[i] is the builder's
 * id of frame i.  NULL, with an error, when a frame has no name. */
guint32     *sp_session_intern_frames    (SpProfileBuilder    *builder,
                                          JsonArray           *frames,
                                          GError             **error);

/* sp-session-profile-alloc.c: an alloc-exact recording's functions, types and allocations */
gboolean     sp_session_add_allocations  (SpProfileBuilder    *builder,
                                          JsonObject          *result,
                                          GError             **error);
/* …and what every recording may carry: GC events, heap snapshots (and, for alloc sampling, a
 * note of what its estimate covers) */
gboolean     sp_session_add_gc_events    (SpProfileSections   *sections,
                                          JsonArray           *events,
                                          GError             **error);
/* A frame of the agent's: interned by name, COMMON-LISP's functions given their package. */
guint32      sp_session_intern_frame     (SpProfileBuilder    *builder,
                                          const char          *name,
                                          const char          *file,
                                          guint                line);
/* The same for one of distinct functions whose names print alike (variant NULL: none). */
guint32      sp_session_intern_frame_variant (SpProfileBuilder *builder,
                                              const char       *name,
                                              const char       *variant,
                                              const char       *file,
                                              guint             line);
gboolean     sp_session_add_memory       (SpProfileBuilder    *builder,
                                          JsonObject          *result,
                                          GError             **error);

/* Members of the agent's messages, type-checked: NULL or fallback when absent or of another
 * type (the agent is not trusted to send what it should). */
const char  *sp_session_json_string      (JsonObject          *object,
                                          const char          *member,
                                          const char          *fallback);
/* The element as a string, NULL when it is something else. */
const char  *sp_session_json_array_string (JsonArray          *array,
                                           guint               index);
/* TRUE only for a member that is true. */
gboolean     sp_session_json_bool        (JsonObject          *object,
                                          const char          *member);
JsonArray   *sp_session_json_array       (JsonObject          *object,
                                          const char          *member);
/* A number that a gint64 holds, truncated; fallback for anything else (inf, 1e300, a string). */
gint64       sp_session_json_integer     (JsonObject          *object,
                                          const char          *member,
                                          gint64               fallback);
double       sp_session_json_number      (JsonObject          *object,
                                          const char          *member,
                                          double               fallback);

/* One number of a packed column (stacks, paths: PROTOCOL.md), advancing *p; fails with a
 * protocol error at the end of the text, on a character that is no digit, or on a number too
 * large. */
gboolean     sp_session_read_packed_number (const char  **p,
                                            const char   *end,
                                            guint64      *value,
                                            GError      **error);

/* A deterministic recording's figures and call paths, into builder (PROTOCOL.md, version 3). */
gboolean     sp_session_add_deterministic (SpProfileBuilder   *builder,
                                           JsonObject         *result,
                                           GError            **error);

/* An agent error object ({"kind", "message", "type", "backtrace"}) as a GError, and as an
 * SpLispError when it is a Lisp condition. */
GError      *sp_session_error_from_reply (JsonObject          *error_object,
                                          SpLispError        **lisp_error);

G_END_DECLS
