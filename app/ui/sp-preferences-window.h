/* sp-preferences-window.h: the Preferences window: recording defaults, SBCL, appearance,
 * flame graphs */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_PREFERENCES_WINDOW (sp_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SpPreferencesWindow, sp_preferences_window, SP, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* settings: the application's (see sp_settings_new()) */
GtkWidget *sp_preferences_window_new (GtkWindow *parent,
                                      GSettings *settings);

/* The choices of the settings' string keys, in the order of the windows' lists. */
extern const char * const sp_preferences_record_modes[];
extern const char * const sp_preferences_color_schemes[];
extern const char * const sp_preferences_flame_colors[];

G_END_DECLS
