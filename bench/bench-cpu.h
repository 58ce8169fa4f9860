/* bench-cpu.h: the CPU time a benchmark has used */
#pragma once

#include <glib.h>
#include <sys/resource.h>

/* CPU seconds this process has used, user and system. */
static inline double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}
