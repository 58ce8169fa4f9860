/* sp-flame-colors.h: colour schemes for flame graphs, shared by the widget and the SVG writer
 *
 * A function's colour depends only on its name and the scheme, so the same function has the
 * same colour in every profile and in every view.
 */
#pragma once

#include "sp-frame.h"
#include "sp-profile.h"

G_BEGIN_DECLS

typedef enum
{
  SP_FLAME_COLORS_HOT,      /* warm hues, like flamegraph.pl */
  SP_FLAME_COLORS_PACKAGE,  /* user code vs SBCL internals vs foreign code */
  SP_FLAME_COLORS_KIND,     /* function, lambda, local function, method, foreign */
  SP_FLAME_COLORS_DIFF,     /* differential: red where a frame grew since the baseline, blue
                             * where it shrank (needs SP_METRIC_BASELINE; see SpFlameDiff) */
  SP_N_FLAME_COLORS
} SpFlameColors;

typedef struct
{
  float red;
  float green;
  float blue;
} SpFlameRgb;

/* What a frame's code is, for the package scheme. */
typedef enum
{
  SP_FLAME_ORIGIN_USER,
  SP_FLAME_ORIGIN_SBCL,     /* SB-* packages and COMMON-LISP */
  SP_FLAME_ORIGIN_FOREIGN,
  SP_FLAME_ORIGIN_OTHER,    /* threads and frames without a package */
} SpFlameOrigin;

const char    *sp_flame_colors_to_string   (SpFlameColors  colors);
gboolean       sp_flame_colors_from_string (const char    *string,
                                            SpFlameColors *colors);

SpFlameOrigin  sp_flame_origin_of_frame    (const SpFrame *frame);

/* The fill of a frame; dark selects the variant for a dark background. */
SpFlameRgb     sp_flame_colors_for_frame   (SpFlameColors  colors,
                                            const SpFrame *frame,
                                            gboolean       dark);
/* The label colour readable on a fill. */
SpFlameRgb     sp_flame_colors_text_for    (SpFlameRgb     fill);

/* The colour shown in legends for an origin or a kind in the given scheme. */
SpFlameRgb     sp_flame_colors_for_origin  (SpFlameOrigin  origin,
                                            gboolean       dark);
SpFlameRgb     sp_flame_colors_for_kind    (SpFrameKind    kind,
                                            gboolean       dark);

/* ---- Differential colours ----
 *
 * A frame of a differential profile (SP_METRIC_BASELINE beside the drawn metric) is coloured by
 * the change of its total share: its total over the grand total, after minus before, so that
 * recordings of different lengths compare.  As in flamegraph.pl's differential graphs the
 * strongest change in the profile gets the deepest colour; changes below 0.01 percentage points
 * count as unchanged (grey). */
typedef struct
{
  const double *before;        /* total weights of SP_METRIC_BASELINE */
  const double *after;         /* total weights of the drawn metric */
  double        before_total;
  double        after_total;
  double        scale;         /* the change (a fraction) drawn at full intensity */
} SpFlameDiff;

/* FALSE when the profile has no baseline or nothing to compare. */
gboolean       sp_flame_diff_init          (SpFlameDiff       *diff,
                                            SpProfile         *profile,
                                            SpMetric           metric);
/* The node's shares of each grand total, as fractions. */
void           sp_flame_diff_get_shares    (const SpFlameDiff *diff,
                                            guint32            node,
                                            double            *before,
                                            double            *after);
SpFlameRgb     sp_flame_diff_color         (const SpFlameDiff *diff,
                                            guint32            node,
                                            gboolean           dark);
/* The colour of a change (after minus before share) when scale is drawn at full intensity. */
SpFlameRgb     sp_flame_colors_for_change  (double             change,
                                            double             scale,
                                            gboolean           dark);

G_END_DECLS
