#!/usr/bin/env bash
# The headless commands on real files: report in every format, export round trips, errors.
set -u
cli=${SP_CLI:?SP_CLI names the sbcl-profiler binary}
. "$(dirname "$0")/tap.sh"

cat >"$tmp/p.folded" <<'DATA'
main;run;fib;fib;fib 6
main;run;fib;fib 2
main;run;fib;helper;fib 2
main;run;cons 5
main 1
DATA

flat_has_fib_on_top () {
  "$cli" report "$tmp/p.folded" >"$tmp/flat" || return 1
  grep -E '^ +1 +62\.5% +62\.5% .* fib$' "$tmp/flat"
}
check "report flat: recursive fib counted once per sample" flat_has_fib_on_top

json_rows () {
  "$cli" report "$tmp/p.folded" --format json --sort total --top 2 >"$tmp/json" || return 1
  python3 - "$tmp/json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["total"] == 16, d
assert [r["name"] for r in d["rows"]] == ["main", "run"], d
assert d["rows"][0]["calls"] is None and d["rows"][0]["total_percent"] == 100.0
PY
}
check "report json: rows, totals, nulls" json_rows

callers () {
  "$cli" report "$tmp/p.folded" --format callers --function fib >"$tmp/callers" || return 1
  grep -q 'callers (share of its total):' "$tmp/callers" && grep -E '^ +8 +80\.0%  fib$' "$tmp/callers"
}
check "report callers: edge weights" callers

tree () {
  "$cli" report "$tmp/p.folded" --format tree >"$tmp/tree" || return 1
  grep -E '^ +93\.8% +0\.0%    run$' "$tmp/tree"
}
check "report tree" tree

round_trip () {
  "$cli" export "$tmp/p.folded" --to sbclprof -o "$tmp/p.sbclprof" || return 1
  "$cli" export "$tmp/p.sbclprof" --to folded -o "$tmp/back.folded" || return 1
  diff <(sort "$tmp/p.folded") <(sort "$tmp/back.folded")
}
check "folded → sbclprof → folded keeps stacks and counts" round_trip

speedscope () {
  "$cli" export "$tmp/p.sbclprof" --to speedscope -o "$tmp/p.speedscope.json" || return 1
  "$cli" report "$tmp/p.speedscope.json" --format folded | sort >"$tmp/ss.folded"
  diff <(sort "$tmp/p.folded") "$tmp/ss.folded"
}
check "sbclprof → speedscope → folded keeps stacks and counts" speedscope

missing_file () {
  ! "$cli" report "$tmp/nope.sbclprof" 2>"$tmp/e" && grep -q 'nope.sbclprof' "$tmp/e"
}
check "a missing file: one line naming it, exit 1" missing_file

unknown_function () {
  ! "$cli" report "$tmp/p.folded" --format callers --function nothing 2>"$tmp/e" &&
    grep -q '“nothing”' "$tmp/e"
}
check "an unknown function is named" unknown_function

bad_options () {
  ! "$cli" report "$tmp/p.folded" --format pie 2>"$tmp/e1" && grep -q '“pie”' "$tmp/e1" &&
  ! "$cli" export "$tmp/p.folded" --to gif -o "$tmp/x" 2>"$tmp/e2" && grep -q '“gif”' "$tmp/e2" &&
  ! "$cli" report "$tmp/p.folded" --sort size 2>"$tmp/e3" && grep -q '“size”' "$tmp/e3" &&
  ! "$cli" report "$tmp/p.folded" --top 0 2>"$tmp/e4" && grep -q -- '--top' "$tmp/e4"
}
check "bad options are named" bad_options

help_lists_commands () {
  "$cli" help >"$tmp/help" && grep -q '^  report ' "$tmp/help" && grep -q '^  export ' "$tmp/help" &&
    grep -q '^  record ' "$tmp/help"
}
check "help lists the commands" help_lists_commands

printf 'main;run;fib 3\nmain;run;cons 5\nmain;run;sort 2\n' >"$tmp/after.folded"
printf 'main;run;fib 6\nmain;run;cons 4\n' >"$tmp/before.folded"

diff_table () {
  "$cli" diff "$tmp/before.folded" "$tmp/after.folded" >"$tmp/d" || return 1
  head -3 "$tmp/d" | tail -1 | grep -E '^ +60\.00% +30\.00% +-30\.00% .* fib$'
}
check "diff: per-function shares and deltas, biggest change first" diff_table

diff_folded () {
  "$cli" diff "$tmp/before.folded" "$tmp/after.folded" --format folded >"$tmp/d2" || return 1
  grep -qx 'main;run;sort 0 2' "$tmp/d2" && grep -qx 'main;run;fib 6 3' "$tmp/d2" &&
    "$cli" report "$tmp/d2" --format folded | grep -qx 'main;run;sort 0 2'
}
check "diff --format folded writes the two-count form, which reads back" diff_folded

diff_fails_on_regression () {
  "$cli" diff "$tmp/before.folded" "$tmp/after.folded" --fail-above 25 >/dev/null || return 1
  "$cli" diff "$tmp/before.folded" "$tmp/after.folded" --fail-above 15 >/dev/null 2>"$tmp/e"
  [ $? -eq 3 ] && grep -q 'regression: sort went from 0.00% to 20.00%' "$tmp/e"
}
check "diff --fail-above exits 3 naming the regression" diff_fails_on_regression

# a .sbclprof of the given mode and interval, from folded stacks
profile_of_mode () {
  "$cli" export "$1" --to sbclprof -o "$tmp/plain.sbclprof" || return 1
  zcat -f "$tmp/plain.sbclprof" |
    sed -e "s/\"mode\": \"imported\"/\"mode\": \"$2\"/" -e "s/\"interval\": null/\"interval\": $3/" >"$4"
}

diff_refuses_unlike () {
  profile_of_mode "$tmp/before.folded" cpu 0.01 "$tmp/cpu.sbclprof" &&
    profile_of_mode "$tmp/after.folded" alloc 0.01 "$tmp/alloc.sbclprof" || return 1
  "$cli" diff "$tmp/cpu.sbclprof" "$tmp/alloc.sbclprof" >"$tmp/o" 2>"$tmp/e"
  [ $? -eq 1 ] && [ ! -s "$tmp/o" ] && grep -q 'cannot compare' "$tmp/e" &&
    grep -q 'CPU time profile and the new one a sampled allocation profile' "$tmp/e"
}
check "diff refuses a CPU profile against an allocation profile, saying why" diff_refuses_unlike

diff_warns_on_interval () {
  profile_of_mode "$tmp/before.folded" cpu 0.01 "$tmp/cpu10.sbclprof" &&
    profile_of_mode "$tmp/after.folded" cpu 0.001 "$tmp/cpu1.sbclprof" || return 1
  "$cli" diff "$tmp/cpu10.sbclprof" "$tmp/cpu1.sbclprof" >"$tmp/o" 2>"$tmp/e" || return 1
  grep -q 'fib$' "$tmp/o" && grep -q 'warning: The baseline was sampled every 10 ms and the new profile every 1 ms' "$tmp/e"
}
check "diff warns when the sampling intervals differ, and still compares" diff_warns_on_interval

# phase A (spin-a) in the first second, phase B (spin-b, more samples) in the next: format 2
python3 - "$tmp/phases.sbclprof" <<'PY'
import base64, json, struct, sys
def packed(fmt, values):
    return base64.b64encode(struct.pack("<%d%s" % (len(values), fmt), *values)).decode()
times = [i * 0.01 for i in range(100)] + [1 + i * 0.0066 for i in range(150)]
nodes = [2] * 100 + [4] * 150
frames = [{"name": n, "package": None, "kind": "function", "file": None, "line": None}
          for n in ["main", "phase-a", "spin-a", "phase-b", "spin-b"]]
doc = {"format": "sbcl-profiler", "version": 2, "meta": {"mode": "cpu", "interval": 0.01},
       "frames": frames,
       "tree": {"nodes": 5, "parents": packed("I", [0xFFFFFFFF, 0, 1, 0, 3]),
                "frames": packed("I", [0, 1, 2, 3, 4]),
                "self": {"samples": packed("d", [0, 0, 100, 0, 150])}},
       "timeline": {"entries": 250, "time": packed("d", times), "node": packed("I", nodes),
                    "weight": packed("d", [1] * 250)}}
json.dump(doc, open(sys.argv[1], "w"))
PY

report_time_range () {
  "$cli" report "$tmp/phases.sbclprof" >"$tmp/all" || return 1
  "$cli" report "$tmp/phases.sbclprof" --from 0 --to 0.995 >"$tmp/first" || return 1
  "$cli" report "$tmp/phases.sbclprof" --from 1 >"$tmp/second" || return 1
  sed -n 3p "$tmp/all" | grep -q 'spin-b$' &&
    sed -n 3p "$tmp/first" | grep -q 'spin-a$' && ! grep -q 'spin-b' "$tmp/first" &&
    grep -q 'spin-b$' "$tmp/second" && ! grep -q 'spin-a' "$tmp/second"
}
check "report --from/--to: the first second has phase A on top, the rest only phase B" report_time_range

speedscope_in_time_order () {
  "$cli" export "$tmp/phases.sbclprof" --to speedscope -o "$tmp/phases.json" || return 1
  python3 - "$tmp/phases.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
names = [f["name"] for f in doc["shared"]["frames"]]
leaves = [names[s[-1]] for s in doc["profiles"][0]["samples"]]
sys.exit(0 if leaves == ["spin-a"] * 100 + ["spin-b"] * 150 else 1)
PY
}
check "export --to speedscope: samples in time order, phase A's before phase B's" speedscope_in_time_order

report_time_range_errors () {
  ! "$cli" report "$tmp/p.folded" --from 1 2>"$tmp/e1" && grep -q 'has no sample times' "$tmp/e1" &&
    ! "$cli" report "$tmp/phases.sbclprof" --from 2 --to 1 2>"$tmp/e2" && grep -q 'after --to' "$tmp/e2" &&
    ! "$cli" report "$tmp/phases.sbclprof" --from 5 2>"$tmp/e3" && grep -q 'no samples between 5' "$tmp/e3"
}
check "report --from/--to: a profile without times, a reversed range and an empty one are refused" report_time_range_errors

# Bytes beyond what an integer holds (found by fuzz-sbclprof: a float-to-integer overflow) print
# as a number.
huge_bytes () {
  "$cli" report --format callers "$(dirname "$0")/fuzz/crashers/bytes-beyond-int64.sbclprof" \
    >"$tmp/huge" && grep -q 'self 1.4e+101 B (100.0%)' "$tmp/huge"
}
check "report: bytes beyond 2^63 print as a number" huge_bytes

finish
