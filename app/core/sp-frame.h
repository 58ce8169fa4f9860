/* sp-frame.h: one entry of a profile's interned frame table */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SP_FRAME_KIND_FUNCTION,
  SP_FRAME_KIND_LAMBDA,
  SP_FRAME_KIND_FLET,
  SP_FRAME_KIND_LABELS,
  SP_FRAME_KIND_METHOD,
  SP_FRAME_KIND_FOREIGN,
  SP_FRAME_KIND_THREAD,   /* a pseudo frame at the root of one thread's stacks */
  SP_FRAME_KIND_OTHER,
  SP_N_FRAME_KINDS
} SpFrameKind;

#define SP_NO_FRAME G_MAXUINT32

typedef struct
{
  const char  *name;     /* exact SBCL name, e.g. "WORKLOAD::FIB"; never NULL */
  const char  *package;  /* "WORKLOAD"; NULL when the name has none */
  const char  *file;     /* source file; NULL when unknown */
  guint        line;     /* 1-based; 0 when unknown */
  SpFrameKind  kind;
  const char  *variant;  /* tells apart distinct functions whose names print alike ("form 3",
                          * "line 42"); NULL for the first or only one */
  const char  *label;    /* the name as shown: the name, then the variant in brackets */
} SpFrame;

/* A frame with its strings in the same block: g_free() frees all. */
SpFrame     *sp_frame_new              (const char  *name,
                                        const char  *package,
                                        SpFrameKind  kind,
                                        const char  *file,
                                        guint        line);
/* The same, with a variant (NULL for none). */
SpFrame     *sp_frame_new_full         (const char  *name,
                                        const char  *package,
                                        SpFrameKind  kind,
                                        const char  *file,
                                        guint        line,
                                        const char  *variant);
/* A copy of every field, for profiles derived from another one. */
SpFrame     *sp_frame_copy             (const SpFrame *frame);
SpFrameKind  sp_frame_kind_from_name   (const char  *name,
                                        char       **package);
const char  *sp_frame_kind_to_string   (SpFrameKind  kind);
gboolean     sp_frame_kind_from_string (const char  *string,
                                        SpFrameKind *kind);

G_END_DECLS
