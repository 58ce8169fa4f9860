/* fuzz-gzip.c: libFuzzer target: the gzip layer.  Input that starts with gzip's magic is read
 * as it is (broken headers, truncation, trailing data, bombs); any other input is compressed
 * first, so that the fuzzer also drives the readers behind the decompressor. */
#include "config.h"

#include "sp-fuzz.h"

static GBytes *
compress (const guint8 *data,
          size_t        size)
{
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (gzip));

  g_assert (g_output_stream_write_all (out, data, size, NULL, NULL, NULL));
  g_assert (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) compressed = NULL;
  g_autoptr(SpProfile) profile = NULL;

  sp_fuzz_init ();
  if (size < 2 || data[0] != 0x1f || data[1] != 0x8b)
    {
      compressed = compress (data, size);
      data = g_bytes_get_data (compressed, &size);
    }
  profile = sp_fuzz_load (data, size, "input.gz");
  if (profile != NULL)
    sp_fuzz_exercise (profile, data, size);
  return 0;
}
