/* sp-profile.h: the immutable profile model
 *
 * A profile is metadata, an interned frame table, and a call tree (a forest: one root per
 * distinct outermost frame) stored in flat arrays in depth-first preorder, so that the
 * descendants of node i are exactly the nodes i+1 .. end[i]-1.  Each metric is one column of
 * self weights (the weight of stacks ending exactly at that node) and one of total weights
 * (self plus all descendants).  A deterministic recording also carries per-function figures.
 */
#pragma once

#include <gio/gio.h>

#include "sp-frame.h"

G_BEGIN_DECLS

#define SP_PROFILE_ERROR (sp_profile_error_quark ())

typedef enum
{
  SP_PROFILE_ERROR_INVALID,      /* the data is malformed or inconsistent */
  SP_PROFILE_ERROR_UNSUPPORTED,  /* unknown format or version */
  SP_PROFILE_ERROR_EMPTY,        /* nothing to read */
  SP_PROFILE_ERROR_TOO_LARGE,    /* a limit was exceeded (line length, node count, …) */
  SP_PROFILE_ERROR_NOT_FOUND,    /* a named function is not in the profile */
  SP_PROFILE_ERROR_MISMATCH,     /* two profiles measure different things: no comparison */
} SpProfileError;

GQuark sp_profile_error_quark (void);

typedef enum
{
  SP_MODE_CPU,
  SP_MODE_ALLOC,
  SP_MODE_TIME,
  SP_MODE_DETERMINISTIC,
  SP_MODE_IMPORTED,        /* read from folded stacks or speedscope: unknown sampling */
  SP_MODE_ALLOC_EXACT,     /* sb-aprof: exact bytes and objects per function and type */
} SpMode;

const char *sp_mode_to_string   (SpMode      mode);
gboolean    sp_mode_from_string (const char *string,
                                 SpMode     *mode);

typedef enum
{
  SP_METRIC_SAMPLES,   /* samples (cpu, time, imported counts, alloc samples) */
  SP_METRIC_BYTES,     /* estimated bytes allocated (alloc mode) */
  SP_METRIC_BASELINE,  /* differential folded input: the "before" count */
  SP_METRIC_SECONDS,   /* deterministic: corrected seconds spent in a call path's own code */
  SP_METRIC_CALLS,     /* deterministic: calls made along a call path (an edge's call count) */
  SP_N_METRICS
} SpMetric;

const char *sp_metric_to_string   (SpMetric    metric);
gboolean    sp_metric_from_string (const char *string,
                                   SpMetric   *metric);

#define SP_NO_NODE G_MAXUINT32
/* The most that the weights of one metric may add up to (far below G_MAXDOUBLE, so sums in
 * any order stay finite). */
#define SP_MAX_TOTAL_WEIGHT 1e300

/* Unknown numbers are negative (-1); unknown strings are NULL. */
typedef struct
{
  SpMode    mode;
  double    interval;       /* seconds between samples */
  char     *sbcl_version;
  char     *host;
  gint64    start_time;     /* microseconds since the epoch (g_get_real_time) */
  double    duration;       /* wall seconds of the recording */
  char     *workload;       /* the form that was run, as text */
  double    gc_seconds;     /* GC time during the recording: samples taken in GC are lost */
  gint64    bytes_consed;   /* bytes allocated during the recording */
  gint64    sample_count;   /* samples the profiler took */
  gboolean  truncated;      /* max-samples was reached: later samples were dropped */
  char     *source;         /* where it came from: a file name, "record", … */
  int       warmup_runs;
  int       runs;
  /* format 2 */
  char     *end_reason;     /* NULL when complete; else why the recording is partial:
                             * "sample-limit", "stopped", "sbcl-exited", "workload-error" */
  char     *end_message;    /* a sentence for the user about end_reason; may be NULL */
  double    overhead_call;  /* deterministic: sb-profile's calibrated cost of one profiled call
                             * inside the callee (seconds); -1 when unknown */
  double    overhead_nested; /* … and as seen by the caller of a profiled call; -1 */
  gboolean  timeline_estimated; /* sample times were spread over each batch, not measured */
  char     *instrumented;   /* alloc-exact: which code was compiled under instrument-consing */
  double    heap_snapshot_seconds; /* what taking both heap snapshots cost; -1 when none */
} SpProfileMeta;

void sp_profile_meta_init  (SpProfileMeta       *meta);
void sp_profile_meta_clear (SpProfileMeta       *meta);
void sp_profile_meta_copy  (SpProfileMeta       *dest,
                            const SpProfileMeta *src);

/* One function's figures in one run, or summed over all runs.  Deterministic recordings fill
 * calls, seconds, raw_seconds, bytes and gc_seconds; statistical ones self_weight and
 * total_weight (in the profile's default metric, a recursive function counted once per stack).
 * Unknown figures are negative. */
typedef struct
{
  gint64 calls;
  double seconds;      /* corrected: sb-profile's calibrated overhead taken out, as its report */
  gint64 bytes;
  double gc_seconds;
  double raw_seconds;  /* as measured, overhead included */
  double self_weight;
  double total_weight;
} SpRunStats;

void sp_run_stats_init (SpRunStats *stats);

typedef struct
{
  guint32     frame;
  SpRunStats  total;
  guint       n_runs;  /* per-run figures, in run order, when the recording had several runs */
  SpRunStats *runs;
} SpFunctionStats;

/* ---- Format 2 sections: memory, GC, runs, timeline ---- */

/* One garbage collection during a recording. */
typedef struct
{
  double time;          /* seconds since the recording started */
  double pause;         /* seconds the collection took */
  int    generation;    /* the oldest generation collected */
  gint64 bytes_before;  /* dynamic space in use before and after (bytes) */
  gint64 bytes_after;
} SpGcEvent;

/* Allocations of one object type by one function (alloc-exact). */
typedef struct
{
  guint32 frame;        /* index into the frame table */
  guint32 type;         /* index into the type table */
  double  objects;
  double  bytes;
} SpAllocRow;

/* Live objects of one type in a heap snapshot. */
typedef struct
{
  guint32 type;
  double  objects;
  double  bytes;
} SpHeapRow;

typedef enum
{
  SP_HEAP_BEFORE,       /* after a full GC, before the workload */
  SP_HEAP_AFTER,        /* after a full GC, after the workload */
} SpHeapWhen;

/* One recorded run of a workload. Unknown figures are negative. */
typedef struct
{
  double seconds;       /* wall seconds */
  double gc_seconds;
  gint64 bytes_consed;
  double samples;       /* samples taken (statistical) */
} SpRunSummary;

/* Consecutive samples that ended at the same call tree node, in time order. */
typedef struct
{
  double  time;         /* seconds since the recording started */
  guint32 node;         /* the leaf node of the samples' stack */
  double  weight;       /* how many samples */
} SpTimelineSample;

/* The optional parts of a profile besides the tree and the per-function figures.  Every
 * member may be NULL (absent).  Frame, type and node indices must be in range. */
typedef struct
{
  GPtrArray *types;          /* of char*: object type names, e.g. "CONS", "SIMPLE-VECTOR" */
  GArray    *alloc_rows;     /* of SpAllocRow */
  GArray    *gc_events;      /* of SpGcEvent, in time order */
  GArray    *heap_before;    /* of SpHeapRow; NULL when no snapshot was taken */
  GArray    *heap_after;     /* of SpHeapRow */
  GArray    *run_summaries;  /* of SpRunSummary, in run order */
  GArray    *timeline;       /* of SpTimelineSample, in time order */
} SpProfileSections;

void sp_profile_sections_init  (SpProfileSections *sections);
void sp_profile_sections_clear (SpProfileSections *sections);
/* A deep copy, timeline included (its nodes are src's profile's). */
void sp_profile_sections_copy  (SpProfileSections       *dest,
                                const SpProfileSections *src);

#define SP_TYPE_PROFILE (sp_profile_get_type ())
G_DECLARE_FINAL_TYPE (SpProfile, sp_profile, SP, PROFILE, GObject)

const SpProfileMeta   *sp_profile_get_meta            (SpProfile *self);

guint                  sp_profile_get_n_frames        (SpProfile *self);
const SpFrame         *sp_profile_get_frame           (SpProfile *self,
                                                       guint32    frame);
guint32                sp_profile_lookup_frame        (SpProfile  *self,
                                                       const char *name);

guint                  sp_profile_get_n_nodes         (SpProfile *self);
const guint32         *sp_profile_get_node_parents    (SpProfile *self);
const guint32         *sp_profile_get_node_frames     (SpProfile *self);
const guint32         *sp_profile_get_node_ends       (SpProfile *self);
const guint16         *sp_profile_get_node_depths     (SpProfile *self);
guint                  sp_profile_get_max_depth       (SpProfile *self);
gboolean               sp_profile_has_metric          (SpProfile *self,
                                                       SpMetric   metric);
SpMetric               sp_profile_get_default_metric  (SpProfile *self);
const double          *sp_profile_get_self_weights    (SpProfile *self,
                                                       SpMetric   metric);
const double          *sp_profile_get_total_weights   (SpProfile *self,
                                                       SpMetric   metric);
double                 sp_profile_get_grand_total     (SpProfile *self,
                                                       SpMetric   metric);

guint                  sp_profile_get_n_function_stats (SpProfile *self);
const SpFunctionStats *sp_profile_get_function_stats   (SpProfile *self,
                                                        guint      index);
const SpFunctionStats *sp_profile_find_function_stats  (SpProfile *self,
                                                        guint32    frame);

guint                   sp_profile_get_n_types         (SpProfile  *self);
const char             *sp_profile_get_type_name       (SpProfile  *self,
                                                        guint32     type);
const SpAllocRow       *sp_profile_get_alloc_rows      (SpProfile  *self,
                                                        guint      *n_rows);
const SpGcEvent        *sp_profile_get_gc_events       (SpProfile  *self,
                                                        guint      *n_events);
/* NULL (and *n_rows 0) when the recording took no heap snapshot. */
const SpHeapRow        *sp_profile_get_heap            (SpProfile  *self,
                                                        SpHeapWhen  when,
                                                        guint      *n_rows);
const SpRunSummary     *sp_profile_get_run_summaries   (SpProfile  *self,
                                                        guint      *n_runs);
const SpTimelineSample *sp_profile_get_timeline        (SpProfile  *self,
                                                        guint      *n_samples);
/* A copy of the frame table (of SpFrame*, freed with g_free), for a derived profile made with
 * sp_profile_new_from_arrays(): frame ids stay the same. */
GPtrArray              *sp_profile_copy_frames         (SpProfile  *self);
/* All sections at once, for code that copies them into a derived profile. */
const SpProfileSections *sp_profile_get_sections       (SpProfile  *self);

/* Builds a profile from arrays already in preorder (as a file stores them).  Takes ownership of
 * every array.  self_weights[m] may be NULL for an absent metric.  Checks that the parents
 * describe a preorder forest and that frames are in range; fails with SP_PROFILE_ERROR_INVALID
 * otherwise. */
SpProfile *sp_profile_new_from_arrays (SpProfileMeta   *meta,       /* contents are taken */
                                       GPtrArray       *frames,     /* of SpFrame*, g_free'd */
                                       guint32         *parents,
                                       guint32         *node_frames,
                                       guint            n_nodes,
                                       double         **self_weights, /* [SP_N_METRICS] */
                                       SpFunctionStats *stats,
                                       guint            n_stats,
                                       SpProfileSections *sections, /* contents taken; may be NULL */
                                       GError         **error);
/* The same, for arrays this program laid out in preorder from figures read (sp_stack_tree_end),
 * with their subtree ends: the figures and frames are checked, the shape of the tree is not. */
SpProfile *sp_profile_new_built       (SpProfileMeta   *meta,
                                       GPtrArray       *frames,
                                       guint32         *parents,
                                       guint32         *node_frames,
                                       guint            n_nodes,
                                       double         **self_weights,
                                       guint32         *ends,
                                       SpFunctionStats *stats,
                                       guint            n_stats,
                                       SpProfileSections *sections,
                                       GError         **error);
/* The same, for a part of a valid profile cut by this program (a time range, a thread): the
 * arrays are not checked again, which on a large profile was a third of the time of a cut. */
SpProfile *sp_profile_new_derived     (SpProfileMeta   *meta,
                                       GPtrArray       *frames,
                                       guint32         *parents,
                                       guint32         *node_frames,
                                       guint            n_nodes,
                                       double         **self_weights,
                                       SpFunctionStats *stats,
                                       guint            n_stats,
                                       SpProfileSections *sections);
/* The columns a profile derives from its parents and self weights, for a derived profile whose
 * maker computes them along the way (the bottom-up tree, in two threads). */
typedef struct
{
  guint32 *ends;                            /* a node's subtree ends before ends[node] */
  guint16 *depths;                          /* 0 for a root, at most G_MAXUINT16 */
  guint    max_depth;
  double  *total_weights[SP_N_METRICS];     /* NULL exactly where self_weights[m] is */
  double   grand_total[SP_N_METRICS];       /* the sum of the self weights */
} SpProfileColumns;

/* sp_profile_new_derived() with those columns given (taken, and not checked). */
SpProfile *sp_profile_new_derived_with_columns (SpProfileMeta     *meta,
                                                GPtrArray         *frames,
                                                guint32           *parents,
                                                guint32           *node_frames,
                                                guint              n_nodes,
                                                double           **self_weights,
                                                SpProfileColumns  *columns,
                                                SpFunctionStats   *stats,
                                                guint              n_stats,
                                                SpProfileSections *sections);

/* ---- The builder: merges stacks into a new profile ---- */

typedef struct _SpProfileBuilder SpProfileBuilder;

SpProfileBuilder *sp_profile_builder_new            (void);
void              sp_profile_builder_free           (SpProfileBuilder *self);
SpProfileMeta    *sp_profile_builder_get_meta       (SpProfileBuilder *self);

/* Interns a frame by name (kind and package parsed from the SBCL name). */
guint32           sp_profile_builder_intern_frame   (SpProfileBuilder *self,
                                                     const char       *name,
                                                     gssize            len);
/* Interns a frame by name and variant (distinct functions whose names print alike; NULL for
 * none, the same as sp_profile_builder_intern_frame). */
guint32           sp_profile_builder_intern_frame_variant (SpProfileBuilder *self,
                                                           const char       *name,
                                                           const char       *variant);
/* Interns a frame like one of another profile: its name, kind, variant and location. */
guint32           sp_profile_builder_intern_frame_like (SpProfileBuilder *self,
                                                        const SpFrame    *frame);
/* Interns a frame of a given kind; THREAD frames live in their own name space. */
guint32           sp_profile_builder_intern_frame_full (SpProfileBuilder *self,
                                                        const char       *name,
                                                        SpFrameKind       kind);
/* Copies every frame of profile, so that frame ids stay the same; the builder must have no
 * frames yet.  For profiles derived from another one. */
void              sp_profile_builder_add_frames_from (SpProfileBuilder *self,
                                                      SpProfile        *profile);
void              sp_profile_builder_set_frame_package (SpProfileBuilder *self,
                                                        guint32           frame,
                                                        const char       *package);
void              sp_profile_builder_set_frame_location (SpProfileBuilder *self,
                                                         guint32           frame,
                                                         const char       *file,
                                                         guint             line);
guint             sp_profile_builder_get_n_frames   (SpProfileBuilder *self);
guint             sp_profile_builder_get_n_nodes    (SpProfileBuilder *self);

/* Marks a metric as present even when every weight added is zero. */
void              sp_profile_builder_enable_metric  (SpProfileBuilder *self,
                                                     SpMetric          metric);

/* The child of parent (SP_NO_NODE for the roots) with this frame, created when missing. */
guint32           sp_profile_builder_get_child      (SpProfileBuilder *self,
                                                     guint32           parent,
                                                     guint32           frame);
void              sp_profile_builder_add_weight     (SpProfileBuilder *self,
                                                     guint32           node,
                                                     SpMetric          metric,
                                                     double            weight);
/* Adds one stack; weights has SP_N_METRICS entries (absent metrics 0). Returns the leaf node,
 * or SP_NO_NODE for an empty stack (its weight is dropped). */
guint32           sp_profile_builder_add_stack      (SpProfileBuilder *self,
                                                     const guint32    *frames,
                                                     guint             n_frames,
                                                     gboolean          leaf_first,
                                                     const double     *weights);
/* The format 2 sections to fill (types, allocations, GC events, heap, runs).  The timeline
 * is added with sp_profile_builder_add_timeline_sample(), which renumbers its nodes. */
SpProfileSections *sp_profile_builder_get_sections (SpProfileBuilder *self);
guint32           sp_profile_builder_intern_type    (SpProfileBuilder *self,
                                                     const char       *type_name);
/* node is a node of this builder (from get_child or add_stack). */
void              sp_profile_builder_add_timeline_sample (SpProfileBuilder *self,
                                                          double            time,
                                                          guint32           node,
                                                          double            weight);
/* Copies types, allocations, GC events, heap snapshots and run summaries (not the timeline,
 * whose nodes belong to the other profile's tree), for profiles derived from another one. */
void              sp_profile_builder_copy_sections_from (SpProfileBuilder *self,
                                                         SpProfile        *profile);
/* Adds the timeline of profile, whose node n becomes node_map[n] of this builder; samples of
 * nodes mapped to SP_NO_NODE, and those outside [from, to], are left out. */
void              sp_profile_builder_copy_timeline_from (SpProfileBuilder *self,
                                                         SpProfile        *profile,
                                                         const guint32    *node_map,
                                                         double            from,
                                                         double            to);
/* Per-function figures; copied. */
void              sp_profile_builder_add_function_stats (SpProfileBuilder      *self,
                                                         const SpFunctionStats *stats);

/* Finishes the profile and frees the builder; for stacks that are valid by construction. */
SpProfile        *sp_profile_builder_end            (SpProfileBuilder *self);
/* The same for data read from outside, whose weights may add up to too much: NULL and an
 * error then.  Frees the builder. */
SpProfile        *sp_profile_builder_finish         (SpProfileBuilder  *self,
                                                     GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpProfileBuilder, sp_profile_builder_free)

G_END_DECLS
