/* fuzz-sniff.c: libFuzzer target: any bytes, as a file whose format is sniffed from its content */
#include "config.h"

#include "sp-fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(SpProfile) profile = NULL;

  sp_fuzz_init ();
  profile = sp_fuzz_load (data, size, "input");
  if (profile != NULL)
    sp_fuzz_exercise (profile, data, size);
  return 0;
}
