/* sp-flame-layout.h: where each frame of a flame graph goes, and searching it
 *
 * A layout places the call tree under a zoom root on rows: row 0 is "all", then the ancestors
 * of the zoom root at full width, then the zoom root at full width with its descendants in
 * proportion to their weight.  Positions are fractions [x0, x1) of the full width so that the
 * same layout serves any pixel size, the widget and the SVG writer.  Rects are stored row by
 * row, left to right, so hit-testing is a binary search.
 */
#pragma once

#include "sp-profile.h"

G_BEGIN_DECLS

typedef enum
{
  SP_FLAME_ORDER_LEFT_HEAVY,    /* heaviest child first */
  SP_FLAME_ORDER_ALPHABETICAL,  /* by name, as flamegraph.pl does */
} SpFlameOrder;

typedef enum
{
  SP_FLAME_ORIENTATION_FLAME,   /* root at the bottom */
  SP_FLAME_ORIENTATION_ICICLE,  /* root at the top */
} SpFlameOrientation;

typedef struct
{
  SpMetric     metric;
  guint32      zoom_node;      /* SP_NO_NODE for the whole profile */
  SpFlameOrder order;
  double       threshold;      /* leave out frames below this fraction of the grand total */
  double       min_fraction;   /* leave out frames narrower than this fraction of the zoom root */
  double       x_min;          /* leave out frames outside [x_min, x_max) (fractions of the */
  double       x_max;          /* width; 0 and 1 keep everything) */
} SpFlameLayoutOptions;

void sp_flame_layout_options_init (SpFlameLayoutOptions *options);

typedef struct
{
  double  x0;     /* fraction of the full width, inclusive */
  double  x1;     /* exclusive */
  guint32 node;   /* SP_NO_NODE for "all" */
  guint32 row;    /* 0 for "all", node depth + 1 otherwise */
} SpFlameRect;

typedef struct _SpFlameLayout SpFlameLayout;

SpFlameLayout     *sp_flame_layout_new            (SpProfile                  *profile,
                                                   const SpFlameLayoutOptions *options);
void               sp_flame_layout_free           (SpFlameLayout              *self);
SpProfile         *sp_flame_layout_get_profile    (SpFlameLayout              *self);
const SpFlameLayoutOptions *
                   sp_flame_layout_get_options    (SpFlameLayout              *self);
/* The weight that the full width stands for: the zoom root's total, or the grand total. */
double             sp_flame_layout_get_root_weight (SpFlameLayout             *self);
double             sp_flame_layout_get_weight     (SpFlameLayout              *self,
                                                   const SpFlameRect          *rect);
guint              sp_flame_layout_get_n_rows     (SpFlameLayout              *self);
guint              sp_flame_layout_get_n_rects    (SpFlameLayout              *self);
const SpFlameRect *sp_flame_layout_get_rect       (SpFlameLayout              *self,
                                                   guint                       index);
/* The rects of one row are indexes first .. first + n - 1. */
guint              sp_flame_layout_get_row        (SpFlameLayout              *self,
                                                   guint                       row,
                                                   guint                      *n_rects);
/* The first rect of row whose x1 is past x, or the row's end when none. */
guint              sp_flame_layout_row_lower_bound (SpFlameLayout             *self,
                                                    guint                      row,
                                                    double                     x);
/* The same, searching forward from index (a rect of row): cheap when the answer is near, as
 * when skipping the rest of a pixel column. */
guint              sp_flame_layout_row_advance    (SpFlameLayout              *self,
                                                   guint                       row,
                                                   guint                       index,
                                                   double                      x);
/* Index of the rect under (x, row), or -1. */
int                sp_flame_layout_hit_test       (SpFlameLayout              *self,
                                                   double                      x,
                                                   guint                       row);
int                sp_flame_layout_find_node      (SpFlameLayout              *self,
                                                   guint32                     node);
/* The widest rect showing this frame, or -1. */
int                sp_flame_layout_find_frame     (SpFlameLayout              *self,
                                                   guint32                     frame);

/* Navigation between rects, as indexes; -1 when there is none. */
int                sp_flame_layout_get_parent     (SpFlameLayout              *self,
                                                   guint                       index);
int                sp_flame_layout_get_first_child (SpFlameLayout             *self,
                                                    guint                      index);
int                sp_flame_layout_get_sibling    (SpFlameLayout              *self,
                                                   guint                       index,
                                                   int                         direction);

/* Vertical placement: rows are row_height tall in an area height tall. */
double             sp_flame_orientation_row_y     (SpFlameOrientation          orientation,
                                                   guint                       row,
                                                   double                      row_height,
                                                   double                      height);
int                sp_flame_orientation_row_at    (SpFlameOrientation          orientation,
                                                   double                      y,
                                                   double                      row_height,
                                                   double                      height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpFlameLayout, sp_flame_layout_free)

/* ---- Search ---- */

typedef enum
{
  SP_FLAME_SEARCH_DEFAULT        = 0,
  SP_FLAME_SEARCH_REGEX          = 1 << 0,  /* otherwise a plain substring */
  SP_FLAME_SEARCH_CASE_SENSITIVE = 1 << 1,
} SpFlameSearchFlags;

typedef struct _SpFlameSearch SpFlameSearch;

/* Fails with G_REGEX_ERROR for a bad regular expression, or SP_PROFILE_ERROR_INVALID for an
 * empty pattern. */
SpFlameSearch *sp_flame_search_new             (SpProfile          *profile,
                                                const char         *pattern,
                                                SpFlameSearchFlags  flags,
                                                GError            **error);
void           sp_flame_search_free            (SpFlameSearch      *self);
gboolean       sp_flame_search_matches_frame   (SpFlameSearch      *self,
                                                guint32             frame);
guint          sp_flame_search_get_n_matched_frames (SpFlameSearch *self);
/* The weight of the stacks that contain a match, over the whole tree, each stack counted once
 * (a match nested in a match adds nothing). */
double         sp_flame_search_get_matched_weight (SpFlameSearch   *self,
                                                   SpMetric         metric);
/* The same as a fraction of the grand total. */
double         sp_flame_search_get_matched_fraction (SpFlameSearch *self,
                                                     SpMetric       metric);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpFlameSearch, sp_flame_search_free)

G_END_DECLS
