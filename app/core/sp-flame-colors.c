/* sp-flame-colors.c: stable per-function colours in a few schemes
 *
 * Colours are chosen in HSL: the scheme picks a hue range, and a hash of the function's name
 * picks a point inside it, so neighbouring frames differ while one function keeps one colour.
 */
#define G_LOG_DOMAIN "sp-flame-colors"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sp-flame-colors.h"

typedef struct
{
  float hue;        /* degrees */
  float hue_span;   /* how far the hash may move the hue */
  float saturation;
  float lightness;
} SpHueRange;

static const SpFlameRgb grey = { 0.5f, 0.5f, 0.5f };

static const char *scheme_names[SP_N_FLAME_COLORS] = { "hot", "package", "kind", "diff" };

const char *
sp_flame_colors_to_string (SpFlameColors colors)
{
  g_return_val_if_fail (colors < SP_N_FLAME_COLORS, NULL);

  return scheme_names[colors];
}

gboolean
sp_flame_colors_from_string (const char    *string,
                             SpFlameColors *colors)
{
  g_return_val_if_fail (colors != NULL, FALSE);

  for (guint i = 0; string != NULL && i < SP_N_FLAME_COLORS; i++)
    {
      if (g_ascii_strcasecmp (string, scheme_names[i]) == 0)
        {
          *colors = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* FNV-1a with a final mix: fixed across GLib versions and platforms, unlike g_str_hash. */
static guint32
hash_name (const char *name)
{
  guint32 hash = 2166136261u;

  for (const guchar *p = (const guchar *) name; *p; p++)
    {
      hash ^= *p;
      hash *= 16777619u;
    }

  /* FNV leaves names that differ in their last character (F1, F2) with nearly the same low
   * bits: mix them so that neighbouring names get visibly different colours */
  hash ^= hash >> 16;
  hash *= 0x85ebca6bu;
  hash ^= hash >> 13;
  hash *= 0xc2b2ae35u;
  hash ^= hash >> 16;

  return hash;
}

static gboolean
is_sbcl_package (const char *package)
{
  return g_str_has_prefix (package, "SB-") ||
         strcmp (package, "COMMON-LISP") == 0 ||
         strcmp (package, "CL") == 0;
}

SpFlameOrigin
sp_flame_origin_of_frame (const SpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, SP_FLAME_ORIGIN_OTHER);

  if (frame->kind == SP_FRAME_KIND_FOREIGN)
    return SP_FLAME_ORIGIN_FOREIGN;
  if (frame->kind == SP_FRAME_KIND_THREAD || frame->package == NULL)
    return SP_FLAME_ORIGIN_OTHER;
  if (is_sbcl_package (frame->package))
    return SP_FLAME_ORIGIN_SBCL;

  return SP_FLAME_ORIGIN_USER;
}

static float
hue_to_channel (float p,
                float q,
                float t)
{
  if (t < 0)
    t += 1;
  if (t > 1)
    t -= 1;
  if (t < 1.f / 6)
    return p + (q - p) * 6 * t;
  if (t < 1.f / 2)
    return q;
  if (t < 2.f / 3)
    return p + (q - p) * (2.f / 3 - t) * 6;
  return p;
}

static SpFlameRgb
hsl_to_rgb (float hue,
            float saturation,
            float lightness)
{
  float h = hue / 360.f;
  float q = lightness < 0.5f ? lightness * (1 + saturation)
                             : lightness + saturation - lightness * saturation;
  float p = 2 * lightness - q;

  h -= (int) h;
  if (h < 0)
    h += 1;

  return (SpFlameRgb) { hue_to_channel (p, q, h + 1.f / 3),
                        hue_to_channel (p, q, h),
                        hue_to_channel (p, q, h - 1.f / 3) };
}

/* Dark backgrounds get deeper, slightly less saturated fills so that light labels read well
 * and the graph does not glare. */
static SpFlameRgb
pick_in_range (const SpHueRange *range,
               guint32           hash,
               gboolean          dark)
{
  float h = ((hash & 0xffff) / 65535.f - 0.5f) * range->hue_span;
  float l = (((hash >> 16) & 0xff) / 255.f - 0.5f) * 0.12f;
  float lightness = dark ? range->lightness - 0.22f : range->lightness;
  float saturation = dark ? range->saturation * 0.85f : range->saturation;

  return hsl_to_rgb (range->hue + h, saturation, CLAMP (lightness + l, 0.f, 1.f));
}

static const SpHueRange origin_ranges[] = {
  [SP_FLAME_ORIGIN_USER]    = { 28, 36, 0.85f, 0.62f },   /* warm: the user's code stands out */
  [SP_FLAME_ORIGIN_SBCL]    = { 208, 30, 0.55f, 0.70f },  /* cool blue: the implementation */
  [SP_FLAME_ORIGIN_FOREIGN] = { 110, 30, 0.40f, 0.62f },  /* green: C code */
  [SP_FLAME_ORIGIN_OTHER]   = { 40, 0, 0.08f, 0.72f },    /* grey: threads, unknown */
};

static const SpHueRange kind_ranges[] = {
  [SP_FRAME_KIND_FUNCTION] = { 30, 24, 0.85f, 0.62f },
  [SP_FRAME_KIND_LAMBDA]   = { 280, 24, 0.45f, 0.72f },
  [SP_FRAME_KIND_FLET]     = { 172, 20, 0.45f, 0.62f },
  [SP_FRAME_KIND_LABELS]   = { 150, 20, 0.45f, 0.62f },
  [SP_FRAME_KIND_METHOD]   = { 215, 24, 0.60f, 0.70f },
  [SP_FRAME_KIND_FOREIGN]  = { 105, 24, 0.40f, 0.60f },
  [SP_FRAME_KIND_THREAD]   = { 40, 0, 0.08f, 0.72f },
  [SP_FRAME_KIND_OTHER]    = { 55, 16, 0.30f, 0.70f },
};

static const SpHueRange hot_range = { 25, 50, 0.85f, 0.60f };

SpFlameRgb
sp_flame_colors_for_frame (SpFlameColors  colors,
                           const SpFrame *frame,
                           gboolean       dark)
{
  guint32 hash;

  g_return_val_if_fail (frame != NULL, grey);

  hash = hash_name (frame->name);

  switch (colors)
    {
    case SP_FLAME_COLORS_PACKAGE:
      return pick_in_range (&origin_ranges[sp_flame_origin_of_frame (frame)], hash, dark);
    case SP_FLAME_COLORS_KIND:
      return pick_in_range (&kind_ranges[MIN (frame->kind, SP_FRAME_KIND_OTHER)], hash, dark);
    case SP_FLAME_COLORS_DIFF:
      /* without the node there is no change to show */
      return sp_flame_colors_for_change (0, 1, dark);
    case SP_FLAME_COLORS_HOT:
    case SP_N_FLAME_COLORS:
    default:
      if (frame->kind == SP_FRAME_KIND_THREAD)
        return pick_in_range (&kind_ranges[SP_FRAME_KIND_THREAD], hash, dark);
      return pick_in_range (&hot_range, hash, dark);
    }
}

SpFlameRgb
sp_flame_colors_for_origin (SpFlameOrigin origin,
                            gboolean      dark)
{
  g_return_val_if_fail (origin <= SP_FLAME_ORIGIN_OTHER, grey);

  return pick_in_range (&origin_ranges[origin], 0x00808000, dark);
}

SpFlameRgb
sp_flame_colors_for_kind (SpFrameKind kind,
                          gboolean    dark)
{
  g_return_val_if_fail (kind < SP_N_FRAME_KINDS, grey);

  return pick_in_range (&kind_ranges[kind], 0x00808000, dark);
}

SpFlameRgb
sp_flame_colors_text_for (SpFlameRgb fill)
{
  float luminance = 0.2126f * fill.red + 0.7152f * fill.green + 0.0722f * fill.blue;

  if (luminance > 0.45f)
    return (SpFlameRgb) { 0.1f, 0.1f, 0.1f };

  return (SpFlameRgb) { 0.96f, 0.96f, 0.96f };
}

/* ---- Differential colours ---- */

#define UNCHANGED 1e-4         /* 0.01 percentage points */
#define MIN_SCALE 0.005        /* half a point: noise in a quiet comparison stays pale */

gboolean
sp_flame_diff_init (SpFlameDiff *diff,
                    SpProfile   *profile,
                    SpMetric     metric)
{
  guint n_nodes;
  double largest = 0;

  g_return_val_if_fail (diff != NULL, FALSE);
  g_return_val_if_fail (SP_IS_PROFILE (profile), FALSE);

  memset (diff, 0, sizeof *diff);
  if (metric == SP_METRIC_BASELINE ||
      !sp_profile_has_metric (profile, SP_METRIC_BASELINE) ||
      !sp_profile_has_metric (profile, metric))
    return FALSE;

  diff->before = sp_profile_get_total_weights (profile, SP_METRIC_BASELINE);
  diff->after = sp_profile_get_total_weights (profile, metric);
  diff->before_total = sp_profile_get_grand_total (profile, SP_METRIC_BASELINE);
  diff->after_total = sp_profile_get_grand_total (profile, metric);

  n_nodes = sp_profile_get_n_nodes (profile);
  for (guint i = 0; i < n_nodes; i++)
    {
      double before, after;

      sp_flame_diff_get_shares (diff, i, &before, &after);
      largest = MAX (largest, fabs (after - before));
    }
  diff->scale = MAX (largest, MIN_SCALE);

  return TRUE;
}

void
sp_flame_diff_get_shares (const SpFlameDiff *diff,
                          guint32            node,
                          double            *before,
                          double            *after)
{
  g_return_if_fail (diff != NULL && diff->before != NULL);

  *before = diff->before_total > 0 ? diff->before[node] / diff->before_total : 0;
  *after = diff->after_total > 0 ? diff->after[node] / diff->after_total : 0;
}

SpFlameRgb
sp_flame_diff_color (const SpFlameDiff *diff,
                     guint32            node,
                     gboolean           dark)
{
  double before, after;

  g_return_val_if_fail (diff != NULL && diff->before != NULL, grey);

  sp_flame_diff_get_shares (diff, node, &before, &after);

  return sp_flame_colors_for_change (after - before, diff->scale, dark);
}

static SpFlameRgb
mix (SpFlameRgb from,
     SpFlameRgb to,
     float      t)
{
  return (SpFlameRgb) { from.red + (to.red - from.red) * t,
                        from.green + (to.green - from.green) * t,
                        from.blue + (to.blue - from.blue) * t };
}

SpFlameRgb
sp_flame_colors_for_change (double   change,
                            double   scale,
                            gboolean dark)
{
  static const SpFlameRgb neutral[2] = { { 0.80f, 0.80f, 0.80f }, { 0.40f, 0.40f, 0.42f } };
  static const SpFlameRgb growth[2] = { { 0.93f, 0.20f, 0.17f }, { 0.80f, 0.16f, 0.14f } };
  static const SpFlameRgb shrink[2] = { { 0.20f, 0.42f, 0.93f }, { 0.18f, 0.38f, 0.85f } };
  float t;

  if (fabs (change) < UNCHANGED || !(scale > 0))
    return neutral[dark != FALSE];

  /* any real change is visibly tinted; the largest one is fully saturated */
  t = (float) CLAMP (0.2 + 0.8 * fabs (change) / scale, 0.2, 1.0);

  return mix (neutral[dark != FALSE], change > 0 ? growth[dark != FALSE] : shrink[dark != FALSE], t);
}
