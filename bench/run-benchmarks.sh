#!/usr/bin/env bash
# Runs every benchmark and prints its figures (targets from design.md beside them).
# Usage: bench/run-benchmarks.sh BUILDDIR
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$top/build}
# The generated profiles (1.3 GB with the 1 GB pair) are made once and kept outside the
# repository, where every worktree and build finds them; SP_BENCH_DATA names another folder.
data=${SP_BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/sbcl-profiler-bench}
# the project's own seeded generator: the same data, so the same figures, on every machine
gen=$top/bench/gen-folded.py
mkdir -p "$data"

if [ ! -f "$data/p100m-after.folded" ]; then
  echo "Generating benchmark data in $data (once)…"
  python3 "$gen" --target-bytes 10m --seed 1 -o "$data/p10m.folded" &&
    python3 "$gen" --target-bytes 100m --seed 1 -o "$data/p100m.folded" \
      --diff-out "$data/p100m-after.folded" || { rm -f "$data"/p*.folded; exit 1; }
fi

section () { printf '\n== %s ==\n' "$1"; }
run () {
  local exe=$builddir/bench/$1; shift
  if [ -x "$exe" ]; then "$exe" "$@"; else echo "($1 not built)"; fi
}

if [ ! -f "$data/p1g-after.folded" ]; then
  echo "Generating the 1 GB benchmark profiles in $data (once, a few minutes)…"
  python3 "$gen" --target-bytes 1g --seed 1 -o "$data/p1g.folded.part" \
    --diff-out "$data/p1g-after.folded.part" >/dev/null &&
    mv "$data/p1g.folded.part" "$data/p1g.folded" &&
    mv "$data/p1g-after.folded.part" "$data/p1g-after.folded"
fi

section "Core: folded file → model, .sbclprof save and open"
# read once first: the figure is the parser's, not the disk's (this machine's page cache was
# seen emptied between runs, and a cold read took 8 s)
cat "$data/p100m.folded" >/dev/null
run bench-formats "$data/p100m.folded"

section "Core: derived views on the 100 MB model"
run bench-core "$data/p100m.folded"

for script in "$top"/bench/bench-*.sh; do
  [ -f "$script" ] || continue
  section "$(basename "$script" .sh)"
  bash "$script" "$builddir" "$data"
done

section "Diff of two 100 MB folded files (target <= 2 s)"
# read once first: the figure is the program's, not the disk's (a cold page cache took seconds)
cat "$data/p100m.folded" "$data/p100m-after.folded" >/dev/null
start=$(date +%s.%N)
"$builddir/app/sbcl-profiler" diff "$data/p100m.folded" "$data/p100m-after.folded" --top 3 >/dev/null
end=$(date +%s.%N)
python3 -c "print(f'diff, end to end: {$end - $start:.2f} s (target <= 2 s)')"

section "Scale: the 1 GB profile beside the 100 MB one"
python3 "$top/bench/bench-scale.py" "$builddir" "$data"
