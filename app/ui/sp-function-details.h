/* sp-function-details.h: the selected function: its figures, source, callers and callees */
#pragma once

#include <gtk/gtk.h>

#include "sp-profile.h"

G_BEGIN_DECLS

#define SP_TYPE_FUNCTION_DETAILS (sp_function_details_get_type ())
G_DECLARE_FINAL_TYPE (SpFunctionDetails, sp_function_details, SP, FUNCTION_DETAILS, GtkWidget)

GtkWidget  *sp_function_details_new          (void);
void        sp_function_details_set_function (SpFunctionDetails *self,
                                              SpProfile         *profile,
                                              guint32            frame);
/* False for an exact allocation profile, whose tree has one root per function. */
gboolean    sp_function_details_get_has_call_stacks (SpFunctionDetails *self);
/* "Self 1.20 s (12.00 %) · Total 3.00 s (30.00 %)" of the function shown */
const char *sp_function_details_get_figures  (SpFunctionDetails *self);
GListModel *sp_function_details_get_callers  (SpFunctionDetails *self);
GListModel *sp_function_details_get_callees  (SpFunctionDetails *self);
void        sp_function_details_activate_edge (SpFunctionDetails *self,
                                               gboolean           caller,
                                               guint              position);

G_END_DECLS
