#!/usr/bin/env bash
# 10 million samples from the agent to the app (bench-samples.c): Stop → profile, the agent's
# memory at 1 M and 10 M samples, the app's peak, samples per second.  SP_BENCH_SAMPLES sets
# another count, SP_BENCH_SAMPLES_SWITCH the chance that a sample moves to another stack (1:
# the worst case, every sample anywhere).
# Usage: bench/bench-samples.sh BUILDDIR [DATADIR]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$top/build}
if ! command -v sbcl >/dev/null; then
  echo "(sbcl not installed: the 10 M samples benchmark skipped)"
  exit 0
fi
SP_LISP_DIR=$top/lisp exec "$builddir/bench/bench-samples" "${SP_BENCH_SAMPLES:-10000000}" \
  "${SP_BENCH_SAMPLES_SWITCH:-0.125}"
