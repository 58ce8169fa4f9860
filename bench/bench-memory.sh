#!/usr/bin/env bash
# The memory tools against a real sbcl: alloc-exact's overhead on the demo workload and the time
# of a heap snapshot on a ~200 MB heap (bench-memory.c).
# Usage: bench/bench-memory.sh BUILDDIR [DATADIR]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$top/build}
if ! command -v sbcl >/dev/null; then
  echo "(sbcl not installed: memory benchmarks skipped)"
  exit 0
fi
SP_LISP_DIR=$top/lisp exec "$builddir/bench/bench-memory" "${SP_BENCH_MEMORY_RUNS:-7}"
