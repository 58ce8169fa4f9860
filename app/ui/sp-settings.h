/* sp-settings.h: the application's settings, optional, and the choices of its keys */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The settings, or NULL when the schema is not installed (an uninstalled build run without
 * GSETTINGS_SCHEMA_DIR): then every setting keeps its default. */
GSettings *sp_settings_new (void);

/* Binds a string key with choices (NULL-terminated, in the order of the items) to a property
 * holding the index of the chosen item, such as AdwComboRow:selected. */
void       sp_settings_bind_choice (GSettings          *settings,
                                    const char         *key,
                                    gpointer            object,
                                    const char         *property,
                                    const char * const *choices);

/* The index of the key's value among choices, or 0. */
guint      sp_settings_get_choice  (GSettings          *settings,
                                    const char         *key,
                                    const char * const *choices);

G_END_DECLS
