#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, -Dfuzzing=true) and runs each for SECONDS,
# one after the other at the lowest priority.  What the fuzzer learns is kept in BUILDDIR/corpus/NAME
# (the checked-in seeds of tests/fuzz/corpus stay as they are); a crash stops that target, leaves
# its input in BUILDDIR/crashers/ and fails the run: copy it to tests/fuzz/crashers/ with the fix.
# SP_FUZZ_TARGETS="sbclprof agent" runs only those (two lanes in parallel use both cores).
# Usage: run-fuzzers.sh SOURCEDIR BUILDDIR SECONDS
set -uo pipefail

top=$1
builddir=$2
seconds=${3:-60}
fuzz=$top/tests/fuzz
all_targets=(sniff folded sbclprof speedscope gzip agent)
read -r -a targets <<<"${SP_FUZZ_TARGETS:-${all_targets[*]}}"

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" "$top" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null || exit 1
fi
ninja -C "$builddir" $(printf 'tests/fuzz/fuzz-%s ' "${all_targets[@]}") >/dev/null ||
  ninja -C "$builddir" $(printf 'tests/fuzz/fuzz-%s ' "${all_targets[@]}") || exit 1

dictionary () {
  case $1 in
    folded) echo "$fuzz/dict/folded.dict" ;;
    agent) echo "$fuzz/dict/agent.dict" ;;
    *) echo "$fuzz/dict/json.dict" ;;
  esac
}

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:handle_abort=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export GSETTINGS_BACKEND=memory
# the targets write an SVG for every input: keep that off the disk
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
status=0
total=0
for name in "${targets[@]}"; do
  work=$builddir/corpus/$name
  mkdir -p "$work" "$builddir/crashers"
  log=$builddir/fuzz-$name.log
  printf 'fuzz-%s: %s s… ' "$name" "$seconds"
  nice -n 19 "$builddir/tests/fuzz/fuzz-$name" "$work" "$fuzz/corpus/$name" \
    -dict="$(dictionary "$name")" -max_total_time="$seconds" -max_len=8192 -timeout=120 -report_slow_units=60 \
    -rss_limit_mb=3072 -print_final_stats=1 -close_fd_mask=3 -artifact_prefix="$builddir/crashers/$name-" \
    >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  execs=${execs:-0}
  total=$((total + execs))
  if [ $rc -eq 0 ]; then
    echo "$execs executions, no crash"
  else
    echo "$execs executions, FAILED (rc $rc): see $log"
    grep -m3 -E 'ERROR|SUMMARY|CRITICAL|Test unit written' "$log" | sed 's/^/    /'
    status=1
  fi
  echo "$(date -u +%FT%TZ) $name $seconds s $execs executions rc $rc" >>"$builddir/fuzz-history.txt"
done
echo "total: $total executions"
exit $status
