/* fuzz-agent.c: libFuzzer target: the agent's lines as the session reads them off its channel
 * (every message kind, on a session with no process), and each reply's result turned into a
 * profile as a stop-recording reply is, in every recording mode. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sp-fuzz.h"
#include "sp-session-private.h"

static void
build_profiles (JsonObject *message,
                const char *line,
                gsize       length)
{
  static const SpMode modes[] = { SP_MODE_CPU, SP_MODE_ALLOC, SP_MODE_TIME, SP_MODE_DETERMINISTIC };
  JsonNode *result = json_object_get_member (message, "result");
  JsonNode *error = json_object_get_member (message, "error");

  if (error != NULL && JSON_NODE_HOLDS_OBJECT (error))
    {
      g_autoptr(SpLispError) lisp_error = NULL;
      g_autoptr(GError) reply_error = sp_session_error_from_reply (json_node_get_object (error),
                                                                   &lisp_error);
      g_assert (reply_error != NULL);
    }
  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) build_error = NULL;
      g_autoptr(SpProfile) profile = NULL;
      SpProfileMeta meta;

      sp_profile_meta_init (&meta);
      meta.mode = modes[i];
      profile = sp_session_build_profile (json_node_get_object (result), &meta, &build_error);
      g_assert ((profile == NULL) == (build_error != NULL));
      if (profile != NULL)
        sp_fuzz_exercise (profile, (const guint8 *) line, length);
    }
}

static void
read_line (SpSession  *session,
           const char *line,
           gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  sp_session_handle_line (session, line, length);
  /* an empty line parses, with no root */
  if (json_parser_load_from_data (parser, line, length, NULL) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    build_profiles (json_node_get_object (json_parser_get_root (parser)), line, length);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(SpSession) session = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  const char *line = text;
  const char *end = text + strlen (text);

  sp_fuzz_init ();
  session = sp_session_new (NULL);
  while (line < end)
    {
      const char *newline = memchr (line, '\n', end - line);
      gsize length = (newline != NULL ? newline : end) - line;

      read_line (session, line, length);
      line += length + 1;
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
