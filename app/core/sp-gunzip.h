/* sp-gunzip.h: gzip decompression that refuses what follows the compressed data */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SP_TYPE_GUNZIP (sp_gunzip_get_type ())
G_DECLARE_FINAL_TYPE (SpGunzip, sp_gunzip, SP, GUNZIP, GObject)

/* A GConverter like GZlibDecompressor for one gzip member; bytes after its end (garbage or a
 * second member, which GZlibDecompressor silently leaves unread) are an error. */
GConverter *sp_gunzip_new (void);

G_END_DECLS
