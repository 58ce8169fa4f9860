#!/usr/bin/env bash
# The timeline on the 100 MB profile with a synthetic million-sample timeline: strip redraws and
# re-filtering every page of the tab to a new range (bench-timeline.c).
# Usage: bench/bench-timeline.sh BUILDDIR DATADIR
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$top/build}
data=${2:-$builddir/bench-data}
run=()
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  run=(xvfb-run -a -s "-screen 0 1600x1000x24")
fi
# Xvfb has no GPU: GL would be Mesa's software rasteriser, whose threads are counted as the
# tab's CPU; on a desktop the GPU draws.  Cairo draws on the CPU at a desktop's cost.
GSK_RENDERER=${GSK_RENDERER:-cairo} GTK_A11Y=none NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$builddir/data" \
  "${run[@]}" "$builddir/bench/bench-timeline" "$data/p100m.folded"
