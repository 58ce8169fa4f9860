#!/usr/bin/env bash
# Streaming recordings against a real sbcl: live updates in the app, the agent's memory over a
# long recording (bench-stream.c).  SP_BENCH_STREAM_SECONDS=600 for the issue's 10 minutes.
# Usage: bench/bench-stream.sh BUILDDIR [DATADIR]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$top/build}
if ! command -v sbcl >/dev/null; then
  echo "(sbcl not installed: streaming benchmarks skipped)"
  exit 0
fi
run=()
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  run=(xvfb-run -a -s "-screen 0 1600x1000x24")
  # Xvfb has no GPU: GTK's GL renderer would draw with llvmpipe, in software on the CPU
  export GSK_RENDERER=${GSK_RENDERER:-cairo}
fi
SP_LISP_DIR=$top/lisp GTK_A11Y=none NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory \
  "${run[@]}" "$builddir/bench/bench-stream"
