/* sp-svg-writer.h: an interactive, self-contained SVG flame graph
 *
 * The SVG works like flamegraph.pl's: a tooltip and a details line per frame, click to zoom,
 * Reset Zoom, Ctrl+F regular expression search with "Matched: X %", a case toggle, and the
 * zoom and search kept in the URL (?z=FRAME&s=TERM&ic=0).  Without a script (librsvg, image
 * viewers) it is a plain picture of the whole graph.
 */
#pragma once

#include "sp-flame-colors.h"
#include "sp-profile.h"

G_BEGIN_DECLS

typedef struct
{
  const char    *title;      /* NULL for "Flame Graph" */
  guint          width;      /* pixels */
  double         min_width;  /* frames narrower than this many pixels are left out */
  gboolean       inverted;   /* icicle: the root at the top */
  gboolean       reverse;    /* bottom-up: stacks reversed, innermost frame at the root */
  SpFlameColors  colors;
  SpMetric       metric;
  gboolean       picture;    /* for a PNG: no script, nor the controls only a script works
                              * (Search, case toggle, Reset Zoom, details line) */
} SpSvgOptions;

void     sp_svg_options_init (SpSvgOptions       *options);

gboolean sp_svg_write        (SpProfile          *profile,
                              const SpSvgOptions *options,
                              GOutputStream      *stream,
                              GCancellable       *cancellable,
                              GError            **error);

/* Escapes text for XML content and attributes; characters XML cannot hold become U+FFFD. */
void     sp_svg_append_escaped (GString          *out,
                                const char       *text);

G_END_DECLS
