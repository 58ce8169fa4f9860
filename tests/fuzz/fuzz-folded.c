/* fuzz-folded.c: libFuzzer target: bytes read by the folded-stacks reader itself, whatever
 * they look like (sniffing would send "{…" to the JSON readers) */
#include "config.h"

#include "sp-folded.h"
#include "sp-fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpProfile) profile = NULL;

  sp_fuzz_init ();
  profile = sp_folded_read (stream, "input.folded", NULL, NULL, &error);
  g_assert ((profile == NULL) == (error != NULL));
  if (profile != NULL)
    sp_fuzz_exercise (profile, data, size);
  return 0;
}
