#!/usr/bin/env bash
# Recording against a real sbcl: overhead at 10 ms and agent → app transfer (bench-record.c).
# Usage: bench/bench-record.sh BUILDDIR [DATADIR]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$top/build}
if ! command -v sbcl >/dev/null; then
  echo "(sbcl not installed: recording benchmarks skipped)"
  exit 0
fi
SP_LISP_DIR=$top/lisp exec "$builddir/bench/bench-record" "${SP_BENCH_RECORD_PAIRS:-9}"
