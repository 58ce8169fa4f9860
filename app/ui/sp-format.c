/* sp-format.c: how the views write numbers, durations and sizes */
#define G_LOG_DOMAIN "sp-format"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sp-format.h"

char *
sp_format_seconds (double seconds)
{
  double magnitude = fabs (seconds);

  if (magnitude == 0)
    return g_strdup ("0 s");
  if (magnitude < 1e-6)
    return g_strdup_printf ("%.0f ns", seconds * 1e9);
  if (magnitude < 1e-3)
    return g_strdup_printf ("%.1f µs", seconds * 1e6);
  if (magnitude < 1)
    return g_strdup_printf ("%.1f ms", seconds * 1e3);
  if (magnitude < 60)
    return g_strdup_printf ("%.2f s", seconds);
  return g_strdup_printf ("%d min %02d s", (int) (seconds / 60), (int) fmod (seconds, 60));
}

/* Thousands separated as the locale says, so that large counts stay readable. */
char *
sp_format_count (double count)
{
  return g_strdup_printf ("%'.0f", count);
}

char *
sp_format_percent (double fraction)
{
  double percent = fraction * 100;

  if (percent > 0 && percent < 0.01)
    return g_strdup ("< 0.01 %");
  return g_strdup_printf ("%.2f %%", percent);
}

/* sb-sprof's allocation mode cannot see sizes: bytes per function are spread from samples. */
gboolean
sp_format_bytes_are_estimated (SpProfile *profile)
{
  return sp_profile_get_meta (profile)->mode == SP_MODE_ALLOC;
}

const char *
sp_format_estimate_explanation (void)
{
  return _("Bytes per function are estimates: SBCL takes an allocation sample each time an "
           "allocation region (tens of KB) fills up, and the bytes allocated are spread evenly "
           "over the samples. Code that allocates many small objects is over-counted, large "
           "vectors under-counted. Record “Allocation (exact)” for exact figures.");
}

/* The tooltip of a weight: how an estimate was made, or NULL for a measured figure. */
char *
sp_format_weight_tooltip (SpProfile *profile,
                          SpMetric   metric)
{
  if (metric == SP_METRIC_BYTES && sp_format_bytes_are_estimated (profile))
    return g_strdup (sp_format_estimate_explanation ());
  return NULL;
}

/* A weight of the call tree in the unit of its metric: sampled time when the profile says how
 * often it sampled, bytes for allocation, seconds measured, plain counts otherwise. */
char *
sp_format_weight (SpProfile *profile,
                  SpMetric   metric,
                  double     weight)
{
  const SpProfileMeta *meta = sp_profile_get_meta (profile);

  if (metric == SP_METRIC_BYTES)
    return sp_format_bytes_double (weight);

  if (metric == SP_METRIC_SECONDS)
    return sp_format_seconds (weight);

  if (metric == SP_METRIC_SAMPLES && meta->interval > 0 &&
      (meta->mode == SP_MODE_CPU || meta->mode == SP_MODE_TIME))
    return sp_format_seconds (weight * meta->interval);

  return sp_format_count (weight);
}

char *
sp_format_location (const char *file,
                    guint       line)
{
  if (file == NULL)
    return NULL;
  if (line > 0)
    return g_strdup_printf ("%s:%u", file, line);
  return g_strdup (file);
}

char *
sp_format_function_count (guint shown,
                          guint all)
{
  if (shown == all)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u function", "%u functions", all), all);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u function", "%u of %u functions", all),
                          shown, all);
}

const char *
sp_format_mode (SpMode mode)
{
  switch (mode)
    {
    case SP_MODE_CPU: return _("CPU");
    case SP_MODE_ALLOC: return _("Allocation");
    case SP_MODE_ALLOC_EXACT: return _("Allocation (exact)");
    case SP_MODE_TIME: return _("Wall Time");
    case SP_MODE_DETERMINISTIC: return _("Deterministic");
    case SP_MODE_IMPORTED: return _("Imported");
    default: return _("Unknown");
    }
}

char *
sp_format_file_name (const char *text,
                     const char *fallback)
{
  GString *name = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '_' || c == '.')
        g_string_append_unichar (name, g_unichar_tolower (c));
      else if (name->len > 0 && name->str[name->len - 1] != '-')
        g_string_append_c (name, '-');
    }
  while (name->len > 0 && (name->str[name->len - 1] == '-' || name->str[name->len - 1] == '.'))
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    g_string_append (name, fallback);
  return g_string_free (name, FALSE);
}
