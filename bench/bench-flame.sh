#!/usr/bin/env bash
# The flame graph on the 100 MB profile: layout, search, SVG export, widget redraws (bench-flame.c).
# Usage: bench/bench-flame.sh BUILDDIR DATADIR
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$top/build}
data=${2:-$builddir/bench-data}
run=()
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  run=(xvfb-run -a)
fi
GTK_A11Y=none NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory \
  "${run[@]}" "$builddir/bench/bench-flame" "$data/p100m.folded" "$builddir/bench-flame.svg"
