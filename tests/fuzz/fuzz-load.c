/* fuzz-load.c: libFuzzer target: bytes loaded as a file called SP_FUZZ_FILE_NAME, which decides
 * the reader as a file's name does: "input" is sniffed from the content only (fuzz-sniff),
 * "input.sbclprof" makes any JSON an .sbclprof (fuzz-sbclprof), "input.json" leaves it to the
 * speedscope reader (fuzz-speedscope, seeded with speedscope files). */
#include "config.h"

#include "sp-fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(SpProfile) profile = NULL;

  sp_fuzz_init ();
  profile = sp_fuzz_load (data, size, SP_FUZZ_FILE_NAME);
  if (profile != NULL)
    sp_fuzz_exercise (profile, data, size);
  return 0;
}
