/* sp-frame.c: frame kinds and packages, read from SBCL's printed function names */
#define G_LOG_DOMAIN "sp-frame"

#include "config.h"

#include <string.h>

#include "sp-frame.h"

static const char * const kind_names[SP_N_FRAME_KINDS] = {
  "function", "lambda", "flet", "labels", "method", "foreign", "thread", "other",
};

const char *
sp_frame_kind_to_string (SpFrameKind kind)
{
  g_return_val_if_fail (kind < SP_N_FRAME_KINDS, "other");
  return kind_names[kind];
}

gboolean
sp_frame_kind_from_string (const char  *string,
                           SpFrameKind *kind)
{
  for (guint i = 0; i < SP_N_FRAME_KINDS; i++)
    if (g_strcmp0 (string, kind_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
is_delimiter (char c)
{
  return c == '\0' || c == ' ' || c == '(' || c == ')' || c == '"' || c == '\n' || c == '\t';
}

/* The package prefix of the symbol starting at p ("PKG::NAME" → "PKG", ":KEY" → "KEYWORD"). */
static char *
symbol_package (const char *p)
{
  const char *start = p;

  if (*p == ':')
    return g_strdup ("KEYWORD");
  while (!is_delimiter (*p))
    {
      if (*p == '|')
        {
          /* a quoted name: a colon inside it is not a package marker */
          const char *close = strchr (p + 1, '|');
          if (close == NULL)
            return NULL;
          p = close + 1;
          continue;
        }
      if (*p == ':')
        return p > start ? g_strndup (start, p - start) : NULL;
      p++;
    }
  return NULL;
}

/* The package of the first qualified symbol after a " :IN " marker, or NULL. */
static char *
in_package (const char *name)
{
  const char *in = strstr (name, " :IN ");

  return in != NULL ? symbol_package (in + 5) : NULL;
}

static gboolean
has_prefix_word (const char  *name,
                 const char  *word,
                 const char **rest)
{
  gsize len = strlen (word);

  if (strncmp (name, word, len) == 0 && name[len] == ' ')
    {
      *rest = name + len + 1;
      return TRUE;
    }
  return FALSE;
}

/* Wrappers SBCL puts around a function name; the function inside is what counts. */
static const char * const wrapper_prefixes[] = {
  "(SB-C::TL-XEP", "(SB-C::XEP", "(SB-C::&MORE-PROCESSOR", "(SB-C::&OPTIONAL-PROCESSOR",
  "(SB-C::VARARGS-ENTRY", "(SB-C::HAIRY-ARG-PROCESSOR", "(SETF", "(CAS", "(SB-PCL::SLOT-ACCESSOR",
};

static const char * const method_prefixes[] = {
  "(SB-PCL::FAST-METHOD", "(SB-PCL::SLOW-METHOD", "(METHOD", "(SB-PCL::EMF",
};

SpFrameKind
sp_frame_kind_from_name (const char  *name,
                         char       **package)
{
  const char *rest = NULL;
  char *pkg = NULL;
  SpFrameKind kind = SP_FRAME_KIND_FUNCTION;

  g_return_val_if_fail (name != NULL, SP_FRAME_KIND_OTHER);

  if (g_str_has_prefix (name, "foreign function"))
    kind = SP_FRAME_KIND_FOREIGN;
  else if (has_prefix_word (name, "(LAMBDA", &rest))
    {
      kind = SP_FRAME_KIND_LAMBDA;
      pkg = in_package (name);
    }
  else if (has_prefix_word (name, "(FLET", &rest) || has_prefix_word (name, "(LABELS", &rest))
    {
      kind = name[1] == 'F' ? SP_FRAME_KIND_FLET : SP_FRAME_KIND_LABELS;
      pkg = symbol_package (rest);
      if (pkg == NULL)
        pkg = in_package (name);
    }
  else if (name[0] == '(')
    {
      for (guint i = 0; i < G_N_ELEMENTS (method_prefixes) && rest == NULL; i++)
        if (has_prefix_word (name, method_prefixes[i], &rest))
          kind = SP_FRAME_KIND_METHOD;
      for (guint i = 0; i < G_N_ELEMENTS (wrapper_prefixes) && rest == NULL; i++)
        has_prefix_word (name, wrapper_prefixes[i], &rest);
      if (rest == NULL)
        {
          /* an unknown list: take its head's package, or the first qualified symbol */
          kind = SP_FRAME_KIND_OTHER;
          rest = name + 1;
        }
      while (*rest == '(')
        rest++;
      pkg = symbol_package (rest);
      if (pkg == NULL && kind == SP_FRAME_KIND_OTHER)
        pkg = in_package (name);
    }
  else if (name[0] == '"' || name[0] == '#' || name[0] == '<' || name[0] == '\0')
    kind = SP_FRAME_KIND_OTHER;
  else
    pkg = symbol_package (name);

  if (package != NULL)
    *package = pkg;
  else
    g_free (pkg);
  return kind;
}

SpFrame *
sp_frame_new (const char  *name,
              const char  *package,
              SpFrameKind  kind,
              const char  *file,
              guint        line)
{
  return sp_frame_new_full (name, package, kind, file, line, NULL);
}

static gsize
string_size (const char *string)
{
  return string != NULL ? strlen (string) + 1 : 0;
}

/* Copies a string into the frame's block; NULL stays NULL. */
static const char *
put_string (char       **strings,
            const char  *string)
{
  gsize len;
  char *copy;

  if (string == NULL)
    return NULL;
  len = strlen (string) + 1;
  copy = memcpy (*strings, string, len);
  *strings += len;
  return copy;
}

SpFrame *
sp_frame_new_full (const char  *name,
                   const char  *package,
                   SpFrameKind  kind,
                   const char  *file,
                   guint        line,
                   const char  *variant)
{
  g_autofree char *label = variant != NULL ? g_strdup_printf ("%s [%s]", name, variant) : NULL;
  gsize size = string_size (name) + string_size (package) + string_size (file) +
               string_size (variant) + string_size (label);
  SpFrame *frame;
  char *strings;

  frame = g_malloc (sizeof (SpFrame) + size);
  strings = (char *) (frame + 1);
  frame->name = put_string (&strings, name);
  frame->package = put_string (&strings, package);
  frame->file = put_string (&strings, file);
  frame->variant = put_string (&strings, variant);
  frame->label = label != NULL ? put_string (&strings, label) : frame->name;
  frame->line = line;
  frame->kind = kind;
  return frame;
}

SpFrame *
sp_frame_copy (const SpFrame *frame)
{
  return sp_frame_new_full (frame->name, frame->package, frame->kind, frame->file, frame->line,
                            frame->variant);
}
