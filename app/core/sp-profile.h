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
} SpProfileError;

GQuark sp_profile_error_quark (void);

typedef enum
{
  SP_MODE_CPU,
  SP_MODE_ALLOC,
  SP_MODE_TIME,
  SP_MODE_DETERMINISTIC,
  SP_MODE_IMPORTED,        /* read from folded stacks or speedscope: unknown sampling */
} SpMode;

const char *sp_mode_to_string   (SpMode      mode);
gboolean    sp_mode_from_string (const char *string,
                                 SpMode     *mode);

typedef enum
{
  SP_METRIC_SAMPLES,   /* samples (cpu, time, imported counts, alloc samples) */
  SP_METRIC_BYTES,     /* estimated bytes allocated (alloc mode) */
  SP_METRIC_BASELINE,  /* differential folded input: the "before" count */
  SP_N_METRICS
} SpMetric;

const char *sp_metric_to_string   (SpMetric    metric);
gboolean    sp_metric_from_string (const char *string,
                                   SpMetric   *metric);

#define SP_NO_NODE G_MAXUINT32

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
} SpProfileMeta;

void sp_profile_meta_init  (SpProfileMeta       *meta);
void sp_profile_meta_clear (SpProfileMeta       *meta);
void sp_profile_meta_copy  (SpProfileMeta       *dest,
                            const SpProfileMeta *src);

/* One run of a deterministic recording, or the sum of all runs. */
typedef struct
{
  gint64 calls;        /* -1 when unknown */
  double seconds;      /* includes profiler overhead */
  gint64 bytes;
  double gc_seconds;
} SpRunStats;

typedef struct
{
  guint32     frame;
  SpRunStats  total;
  guint       n_runs;  /* per-run figures, in run order, when the recording had several runs */
  SpRunStats *runs;
} SpFunctionStats;

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
                                       GError         **error);

/* ---- The builder: merges stacks into a new profile ---- */

typedef struct _SpProfileBuilder SpProfileBuilder;

SpProfileBuilder *sp_profile_builder_new            (void);
void              sp_profile_builder_free           (SpProfileBuilder *self);
SpProfileMeta    *sp_profile_builder_get_meta       (SpProfileBuilder *self);

/* Interns a frame by name (kind and package parsed from the SBCL name). */
guint32           sp_profile_builder_intern_frame   (SpProfileBuilder *self,
                                                     const char       *name,
                                                     gssize            len);
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
/* Per-function figures; copied. */
void              sp_profile_builder_add_function_stats (SpProfileBuilder      *self,
                                                         const SpFunctionStats *stats);

/* Finishes the profile and frees the builder. */
SpProfile        *sp_profile_builder_end            (SpProfileBuilder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpProfileBuilder, sp_profile_builder_free)

G_END_DECLS
