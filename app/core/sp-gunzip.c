/* sp-gunzip.c: gzip decompression that refuses what follows the compressed data
 *
 * GZlibDecompressor stops at the end of the first gzip member and GConverterInputStream then
 * reports the end of the stream, so a file with garbage or a second member after it would load
 * as if it were whole.  This converter wraps the decompressor and, once it has finished, asks
 * for more input: any byte that comes is an error.
 */
#define G_LOG_DOMAIN "sp-gunzip"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-gunzip.h"
#include "sp-profile.h"

struct _SpGunzip
{
  GObject     parent_instance;
  GConverter *inner;
  gboolean    finished;   /* the inner decompressor reached the end of its member */
};

static void sp_gunzip_converter_init (GConverterIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpGunzip, sp_gunzip, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_CONVERTER, sp_gunzip_converter_init))

static GConverterResult
refuse_trailing_data (GError **error)
{
  g_set_error (error, SP_PROFILE_ERROR, SP_PROFILE_ERROR_INVALID,
               _("there is more after the end of the gzip data: garbage, or a second "
                 "compressed file appended"));
  return G_CONVERTER_ERROR;
}

static GConverterResult
sp_gunzip_convert (GConverter       *converter,
                   const void       *inbuf,
                   gsize             inbuf_size,
                   void             *outbuf,
                   gsize             outbuf_size,
                   GConverterFlags   flags,
                   gsize            *bytes_read,
                   gsize            *bytes_written,
                   GError          **error)
{
  SpGunzip *self = SP_GUNZIP (converter);
  GConverterResult result;

  if (self->finished)
    {
      if (inbuf_size > 0)
        return refuse_trailing_data (error);
      *bytes_read = *bytes_written = 0;
      return G_CONVERTER_FINISHED;
    }

  result = g_converter_convert (self->inner, inbuf, inbuf_size, outbuf, outbuf_size, flags,
                                bytes_read, bytes_written, error);
  if (result != G_CONVERTER_FINISHED)
    return result;
  self->finished = TRUE;
  if (*bytes_read < inbuf_size)
    return refuse_trailing_data (error);
  /* not finished for the stream until it is known that nothing follows */
  if ((flags & G_CONVERTER_INPUT_AT_END) == 0)
    return G_CONVERTER_CONVERTED;
  return G_CONVERTER_FINISHED;
}

static void
sp_gunzip_reset (GConverter *converter)
{
  SpGunzip *self = SP_GUNZIP (converter);

  g_converter_reset (self->inner);
  self->finished = FALSE;
}

static void
sp_gunzip_converter_init (GConverterIface *iface)
{
  iface->convert = sp_gunzip_convert;
  iface->reset = sp_gunzip_reset;
}

static void
sp_gunzip_finalize (GObject *object)
{
  g_clear_object (&SP_GUNZIP (object)->inner);
  G_OBJECT_CLASS (sp_gunzip_parent_class)->finalize (object);
}

static void
sp_gunzip_class_init (SpGunzipClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sp_gunzip_finalize;
}

static void
sp_gunzip_init (SpGunzip *self)
{
  self->inner = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
}

GConverter *
sp_gunzip_new (void)
{
  return g_object_new (SP_TYPE_GUNZIP, NULL);
}
