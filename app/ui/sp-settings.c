/* sp-settings.c: the application's settings, optional, and the choices of its keys */
#define G_LOG_DOMAIN "sp-settings"

#include "config.h"

#include "sp-settings.h"

GSettings *
sp_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Schema %s is not installed: settings keep their defaults", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static guint
find_choice (const char         *value,
             const char * const *choices)
{
  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choices[i], value))
      return i;
  return 0;
}

guint
sp_settings_get_choice (GSettings          *settings,
                        const char         *key,
                        const char * const *choices)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), 0);

  value = g_settings_get_string (settings, key);
  return find_choice (value, choices);
}

static gboolean
choice_to_index (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  g_value_set_uint (value, find_choice (g_variant_get_string (variant, NULL), user_data));
  return TRUE;
}

static GVariant *
index_to_choice (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  const char * const *choices = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) choices))
    return NULL;   /* nothing chosen */
  return g_variant_new_string (choices[index]);
}

void
sp_settings_bind_choice (GSettings          *settings,
                         const char         *key,
                         gpointer            object,
                         const char         *property,
                         const char * const *choices)
{
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind_with_mapping (settings, key, object, property, G_SETTINGS_BIND_DEFAULT,
                                choice_to_index, index_to_choice, (gpointer) choices, NULL);
}
