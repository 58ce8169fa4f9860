/* bench-cpu.h: the CPU time a benchmark has used */
#pragma once

#include <glib.h>
#include <sys/resource.h>
#include <time.h>

/* CPU seconds this process has used, user and system. */
static inline double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* CPU milliseconds of the calling thread: on a shared machine, others' work does not count. */
static inline double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}
