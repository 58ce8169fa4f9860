/* sp-application.h: the application: windows, app actions, opening files */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_APPLICATION (sp_application_get_type ())
G_DECLARE_FINAL_TYPE (SpApplication, sp_application, SP, APPLICATION, AdwApplication)

SpApplication *sp_application_new (const char        *application_id,
                                   GApplicationFlags  flags);

G_END_DECLS
