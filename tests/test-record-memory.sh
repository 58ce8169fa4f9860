#!/usr/bin/env bash
# The memory tools through the command line, with a real sbcl: record --mode alloc-exact and
# --heap-snapshot, report --format alloc|json, diff --metric bytes as a CI gate.
set -u
cli=${SP_CLI:?SP_CLI names the sbcl-profiler binary}
workload=${SP_LISP_DIR:?SP_LISP_DIR names the lisp folder}/tests/memory-workload.lisp
. "$(dirname "$0")/tap.sh"

exact () {  # OUT FORM
  "$cli" record --mode alloc-exact --load "$workload" --eval "$2" -o "$1"
}

# 100 000 conses of 16 bytes, 20 000 vectors of 96, 30 000 structures of 32.
exact_report_is_exact () {
  exact "$tmp/exact.sbclprof" '(memtest:run)' 2>"$tmp/record.err" &&
    grep -q "memory-workload.lisp" "$tmp/record.err" &&
    grep -q "SBCL's own functions" "$tmp/record.err" &&
    "$cli" report --format alloc "$tmp/exact.sbclprof" >"$tmp/report" &&
    grep -Eq '^ +1\.6 MB +100000 .*MEMTEST::MAKE-CONSES$' "$tmp/report" &&
    grep -Eq '^ +1\.6 MB +100000 +100\.0% +LIST$' "$tmp/report" &&
    grep -Eq '^ +1\.9 MB +20000 .*SIMPLE-VECTOR$' "$tmp/report" &&
    grep -Eq '^ +960\.0 kB +30000 .*MEMTEST::POINT$' "$tmp/report" &&
    "$cli" report --format alloc --raw "$tmp/exact.sbclprof" | grep -Eq '^ +1600000 +100000 .*MAKE-CONSES$'
}

exact_json_carries_the_same () {
  exact "$tmp/exact.sbclprof" '(memtest:run)' 2>/dev/null &&
    "$cli" report --format json "$tmp/exact.sbclprof" >"$tmp/report.json" &&
    python3 - "$tmp/report.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
by_function = {f["name"]: f for f in doc["allocations"]["by_function"]}
conses = by_function["MEMTEST::MAKE-CONSES"]
assert conses["bytes"] == 1600000 and conses["objects"] == 100000, conses
assert conses["types"] == [{"type": "LIST", "objects": 100000, "bytes": 1600000}], conses
by_type = {t["type"]: t for t in doc["allocations"]["by_type"]}
assert by_type["MEMTEST::POINT"]["bytes"] == 960000, by_type
assert doc["bytes_estimated"] is False
assert "count" in doc["gc"]
PY
}

heap_snapshot_shows_retained () {
  "$cli" record --heap-snapshot --load "$workload" --eval '(memtest:keep)' \
         -o "$tmp/heap.sbclprof" 2>/dev/null &&
    "$cli" report --format alloc --raw "$tmp/heap.sbclprof" >"$tmp/report" &&
    grep -q "Heap after a full GC" "$tmp/report" &&
    awk '$NF == "CONS" && $2 >= 100000 { found = 1 } END { exit !found }' "$tmp/report"
}

gc_events_are_summarised () {
  "$cli" record --load "$workload" --eval '(memtest:collect-three)' -o "$tmp/gc.sbclprof" \
         2>/dev/null &&
    "$cli" report "$tmp/gc.sbclprof" >"$tmp/report" &&
    grep -Eq '^# GC: [3-9] collections, .* \(generation 5\)' "$tmp/report"
}

# A memory regression gate: more conses fail the build, the same workload passes.
diff_bytes_gate () {
  exact "$tmp/base.sbclprof" '(memtest:run)' 2>/dev/null &&
    exact "$tmp/same.sbclprof" '(memtest:run)' 2>/dev/null &&
    exact "$tmp/more.sbclprof" '(progn (memtest:run) (memtest:drop))' 2>/dev/null &&
    "$cli" diff --fail-above 5 "$tmp/base.sbclprof" "$tmp/same.sbclprof" >"$tmp/same.out" &&
    grep -q "exact (alloc-exact)" "$tmp/same.out" &&
    { "$cli" diff --fail-above 5 "$tmp/base.sbclprof" "$tmp/more.sbclprof" >"$tmp/more.out" \
        2>"$tmp/more.err"; [ $? -eq 3 ]; } &&
    grep -q "regression: function MEMTEST::MAKE-CONSES allocated 3.2 MB, was 1.6 MB" "$tmp/more.err" &&
    grep -q "regression: type LIST" "$tmp/more.err" &&
    grep -Eq '^ +1600000 +3200000 +1600000 +\+100\.0%  MEMTEST::MAKE-CONSES$' \
         <("$cli" diff --raw "$tmp/base.sbclprof" "$tmp/more.sbclprof")
}

sampled_bytes_are_labelled_estimates () {
  "$cli" record --mode alloc --load "$workload" --eval '(dotimes (i 20) (memtest:run))' \
         -o "$tmp/alloc.sbclprof" 2>/dev/null &&
    "$cli" report "$tmp/alloc.sbclprof" >"$tmp/report" &&
    grep -q "allocated (estimated)" "$tmp/report" &&
    grep -q "ESTIMATES" "$tmp/report"
}

# An ASDF system is recompiled under the policy even when its fasls are up to date: a cpu
# recording first compiles them without it.
system_is_recompiled_instrumented () {
  export CL_SOURCE_REGISTRY="$(dirname "$workload")/memtest-system//"
  export XDG_CACHE_HOME="$tmp/cache"
  "$cli" record --system memtest-system --eval '(memtest-system:run)' \
         -o "$tmp/plain.sbclprof" 2>/dev/null &&
    "$cli" record --mode alloc-exact --system memtest-system --eval '(memtest-system:run)' \
           -o "$tmp/system.sbclprof" 2>"$tmp/system.err" &&
    grep -q "systems memtest-system" "$tmp/system.err" &&
    "$cli" report --format alloc --raw "$tmp/system.sbclprof" |
      grep -Eq '^ +800000 +50000 .*MEMTEST-SYSTEM::MAKE-CONSES$'
}

check "alloc-exact reports known allocations exactly, per function and type" exact_report_is_exact
check "an ASDF system is recompiled with allocation instrumentation" system_is_recompiled_instrumented
check "report --format json carries the same allocations" exact_json_carries_the_same
check "a heap snapshot shows 100 000 retained conses" heap_snapshot_shows_retained
check "GC events are summarised with their generation" gc_events_are_summarised
check "diff --fail-above gates on bytes per function and type" diff_bytes_gate
check "sampled bytes are labelled estimates" sampled_bytes_are_labelled_estimates
finish
