/* sp-empty-profile.c: what a tab says of a profile without a single sample
 *
 * The views of such a profile would be headers over nothing: the tab says instead why nothing
 * was recorded and what to do, in the words of the recording's mode.
 */
#define G_LOG_DOMAIN "sp-empty-profile"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-empty-profile.h"

gboolean
sp_empty_profile_is_empty (SpProfile *profile)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), FALSE);

  /* a deterministic recording's calls are its figures, even when no time is left once the
   * profiler's overhead is taken out, or it has no call paths */
  for (guint i = 0; i < sp_profile_get_n_function_stats (profile); i++)
    if (sp_profile_get_function_stats (profile, i)->total.calls > 0)
      return FALSE;
  return sp_profile_get_grand_total (profile, sp_profile_get_default_metric (profile)) <= 0;
}

const char *
sp_empty_profile_get_title (SpProfile *profile)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  return sp_profile_get_meta (profile)->mode == SP_MODE_IMPORTED ? _("Empty Profile")
                                                                 : _("Nothing Ran While Recording");
}

const char *
sp_empty_profile_get_description (SpProfile *profile)
{
  g_return_val_if_fail (SP_IS_PROFILE (profile), NULL);

  switch (sp_profile_get_meta (profile)->mode)
    {
    case SP_MODE_DETERMINISTIC:
      return _("None of the instrumented functions was called between Record and Stop. Check the "
               "functions and packages to instrument, and give a workload form that calls them.");
    case SP_MODE_ALLOC:
    case SP_MODE_ALLOC_EXACT:
      return _("No allocation was sampled: the program allocated next to nothing between Record "
               "and Stop. Give a workload form in the recording options, or start the work in the "
               "console after Record and press Stop when it ends.");
    case SP_MODE_IMPORTED:
      return _("The file holds no stack with a weight: there is nothing to show.");
    case SP_MODE_CPU:
    case SP_MODE_TIME:
    default:
      return _("No sample was taken: the program ran no code between Record and Stop. Give a "
               "workload form in the recording options, or start the work in the console after "
               "Record and press Stop when it ends.");
    }
}
