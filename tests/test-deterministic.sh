#!/usr/bin/env bash
# Deterministic recordings, repeated runs and exact reports with a real sbcl.
set -u
cli=${SP_CLI:?SP_CLI names the sbcl-profiler binary}
demo=${SP_LISP_DIR:?SP_LISP_DIR names the lisp folder}/examples/demo.lisp
. "$(dirname "$0")/tap.sh"

# The demo with every function of DEMO instrumented: the call tree holds every call, each edge
# of DEMO:RUN's tree counting the calls made along it.
demo_call_tree_counts_every_call () {
  "$cli" record --mode deterministic --profile DEMO --load "$demo" --eval '(demo:run 0.01)' \
         -o "$tmp/demo.sbclprof" >/dev/null &&
    "$cli" report --format json "$tmp/demo.sbclprof" >"$tmp/flat.json" &&
    "$cli" report --format tree --min-percent 0 "$tmp/demo.sbclprof" >"$tmp/tree" &&
    "$cli" report --format callers --function demo:fib "$tmp/demo.sbclprof" >"$tmp/callers" &&
    python3 - "$tmp/flat.json" "$tmp/tree" "$tmp/callers" <<'PY'
import json, re, sys
flat = {row["name"]: row["calls"] for row in json.load(open(sys.argv[1]))["rows"]}
lines = [l for l in open(sys.argv[2]) if re.match(r"^ *[0-9.]+% +[0-9.]+% +[0-9]+  ", l)]
by_name = {}
for line in lines:
    total, self, calls, name = re.match(r"^ *([0-9.]+)% +([0-9.]+)% +([0-9]+)  (.*)$", line.rstrip("\n")).groups()
    by_name[name.strip()] = by_name.get(name.strip(), 0) + int(calls)
# the background thread's function is a root of its own; DEMO:RUN is the workload's root
roots = [l for l in lines if re.match(r"^ *[0-9.]+% +[0-9.]+% +[0-9]+  \S", l)]
assert any(l.rstrip().endswith("DEMO:RUN") for l in roots), roots
assert by_name == flat, (by_name, flat)
callers = open(sys.argv[3]).read()
assert re.search(r"\b5 calls  DEMO:RUN|\b1 calls  DEMO:RUN", callers), callers
PY
}

runs_show_min_median_max () {
  "$cli" record --mode deterministic --profile DEMO --runs 5 --load "$demo" \
         --eval '(demo:run 0.005)' -o "$tmp/runs.sbclprof" >/dev/null &&
    "$cli" report "$tmp/runs.sbclprof" >"$tmp/report" &&
    grep -q '^# 5 runs: .* min .* median .* max .*spread' "$tmp/report" &&
    grep -q 'run min .* median .* max' "$tmp/report" &&
    "$cli" report --format json "$tmp/runs.sbclprof" |
      jq -e '.run_totals.runs == 5 and ([.rows[] | select(.runs.runs == 5)] | length) > 3' >/dev/null
}

# sixty small functions: every one is a row of the JSON report, and --top says how many it left out
json_is_not_capped () {
  { echo '(defpackage #:sixty (:use #:cl)) (in-package #:sixty)'
    for i in $(seq 1 60); do echo "(defun f$i (x) (1+ x))"; done
    echo "(defun run () (+ $(for i in $(seq 1 60); do printf '(f%d 1) ' "$i"; done)))"
  } >"$tmp/sixty.lisp" &&
    "$cli" record --mode deterministic --profile SIXTY --load "$tmp/sixty.lisp" \
           --eval '(sixty::run)' -o "$tmp/sixty.sbclprof" >/dev/null &&
    "$cli" report --format json "$tmp/sixty.sbclprof" >"$tmp/sixty.json" &&
    jq -e '(.rows | length) == 61 and .left_out == 0 and .metric == "seconds" and .total != null
           and ([.rows[].calls | select(type == "number" and . == floor)] | length) == 61' \
       "$tmp/sixty.json" >/dev/null &&
    "$cli" report --format json --top 10 "$tmp/sixty.sbclprof" |
      jq -e '(.rows | length) == 10 and .left_out == 51' >/dev/null
}

# --system and --load apply in the order given: a file may need a system loaded first.
system_then_load () {
  mkdir -p "$tmp/sys/needed" &&
    echo '(asdf:defsystem "needed" :components ((:file "needed")))' >"$tmp/sys/needed/needed.asd" &&
    echo '(defpackage #:needed (:use #:cl) (:export #:twice)) (in-package #:needed) (defun twice (x) (* 2 x))' \
      >"$tmp/sys/needed/needed.lisp" &&
    echo '(defpackage #:user-of-needed (:use #:cl #:needed)) (in-package #:user-of-needed) (defun four () (twice 2))' \
      >"$tmp/needs-x.lisp" &&
    CL_SOURCE_REGISTRY="$tmp/sys//" XDG_CACHE_HOME="$tmp/cache" \
      "$cli" record --system needed --load "$tmp/needs-x.lisp" \
                    --eval '(user-of-needed::four)' -o "$tmp/order.sbclprof" >/dev/null
}

# Compiling the workload form happens before the recording: every stack of the workload's
# thread starts at the form's own call, none at the compiler.
workload_compilation_is_not_recorded () {
  "$cli" record --mode alloc --load "$demo" --eval '(demo:run 0.05)' -o "$tmp/alloc.sbclprof" \
         >/dev/null &&
    "$cli" report --format folded "$tmp/alloc.sbclprof" >"$tmp/folded" &&
    grep -q '^workload;DEMO:RUN' "$tmp/folded" && ! grep -v '^workload;DEMO:RUN' "$tmp/folded" | grep -q '^workload;'
}

check "a deterministic recording's call tree counts every call, from DEMO:RUN down" \
  demo_call_tree_counts_every_call
check "--runs 5 shows min / median / max per function and the spread of the runs" \
  runs_show_min_median_max
check "JSON rows are not capped; --top says how many were left out" json_is_not_capped
check "--system X --load needs-x.lisp loads in that order" system_then_load
check "the workload's compilation is not recorded" workload_compilation_is_not_recorded
finish
