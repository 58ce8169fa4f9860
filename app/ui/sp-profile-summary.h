/* sp-profile-summary.h: the header of a profile tab: how it was recorded, and its warnings */
#pragma once

#include <gtk/gtk.h>

#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_PROFILE_SUMMARY (sp_profile_summary_get_type ())
G_DECLARE_FINAL_TYPE (SpProfileSummary, sp_profile_summary, SP, PROFILE_SUMMARY, GtkWidget)

GtkWidget *sp_profile_summary_new         (void);
void       sp_profile_summary_set_profile (SpProfileSummary *self,
                                           SpProfile        *profile);

G_END_DECLS
