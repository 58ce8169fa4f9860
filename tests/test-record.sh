#!/usr/bin/env bash
# `sbcl-profiler record` with a real sbcl: the README's commands, and bad input.
set -u
cli=${SP_CLI:?SP_CLI names the sbcl-profiler binary}
demo=${SP_LISP_DIR:?SP_LISP_DIR names the lisp folder}/examples/demo.lisp
. "$(dirname "$0")/tap.sh"

record_then_report () {
  "$cli" record --load "$demo" --eval '(demo:run 0.5)' -o "$tmp/demo.sbclprof" 2>"$tmp/recorded" &&
    "$cli" report --top 5 "$tmp/demo.sbclprof" >"$tmp/report" &&
    grep -q 'DEMO:FIB' "$tmp/report" || return 1
  # record and report count the same samples
  local recorded reported
  recorded=$(grep -o 'Recorded [0-9]* samples' "$tmp/recorded" | grep -o '[0-9]*')
  reported=$(head -1 "$tmp/report" | grep -o ', [0-9]* samples' | grep -o '[0-9]*')
  [ -n "$recorded" ] && [ "$recorded" = "$reported" ] || { echo "record $recorded, report $reported"; return 1; }
}

deterministic_counts_calls () {
  "$cli" record --mode deterministic --profile DEMO::FIB --load "$demo" \
         --eval '(demo:fib 15)' -o "$tmp/det.sbclprof" &&
    "$cli" report "$tmp/det.sbclprof" >"$tmp/report" &&
    grep -E '^ +1 .* 1973 .*DEMO:FIB' "$tmp/report"
}

# The program's own output stays its own: it reaches our stdout.
workload_output_passes_through () {
  "$cli" record --eval '(progn (write-line "hello from lisp") (sleep 0.05))' \
         -o "$tmp/out.sbclprof" >"$tmp/stdout" &&
    grep -qx 'hello from lisp' "$tmp/stdout"
}

fails_with () {
  local message=$1; shift
  ! "$cli" "$@" 2>"$tmp/stderr" && grep -q -- "$message" "$tmp/stderr"
}

check "record then report shows the demo's hot function, counting the same samples" record_then_report
check "deterministic recording counts calls exactly" deterministic_counts_calls
check "the workload's output passes through" workload_output_passes_through
# A workload that signals an error: the profile of what ran is written, the status says it failed.
workload_error_fails_but_writes () {
  ! "$cli" record --load "$demo" --eval '(progn (demo:fib 22) (error "broken ~A" 42))' \
         -o "$tmp/err.sbclprof" 2>"$tmp/stderr" &&
    grep -q 'broken 42' "$tmp/stderr" &&
    "$cli" report "$tmp/err.sbclprof" >/dev/null
}

check "a workload error fails but keeps the profile" workload_error_fails_but_writes
# Starts an endless recording in the background (its pid in $pid) and waits until the workload
# has printed "started".
start_endless () {
  local out=$1 form=$2 tries=0
  "$cli" record --interval 0.004 --load "$demo" -o "$tmp/$out.sbclprof" --eval "$form" \
         >"$tmp/$out.out" 2>"$tmp/$out.err" &
  pid=$!
  until grep -q started "$tmp/$out.out" 2>/dev/null; do
    sleep 0.1
    tries=$((tries + 1))
    [ $tries -lt 600 ] || { kill -9 $pid; return 1; }
  done
}

endless='(progn (demo:fib 32) (write-line "started") (finish-output) (loop (demo:fib 20)))'

# Ctrl-C (SIGINT to the app) stops an endless workload and still writes the profile; the status
# (130, as a shell reports SIGINT) tells a stopped recording from a complete one.
interrupt_keeps_profile () {
  local rc=0
  start_endless int "$endless" || return 1
  kill -INT $pid
  wait $pid || rc=$?
  [ $rc -eq 130 ] && grep -q 'stopped by Ctrl-C; the profile' "$tmp/int.err" &&
    "$cli" report "$tmp/int.sbclprof" | grep -q 'DEMO:FIB'
}

# SIGTERM does the same (143).
sigterm_keeps_profile () {
  local rc=0
  start_endless term "$endless" || return 1
  kill -TERM $pid
  wait $pid || rc=$?
  [ $rc -eq 143 ] && "$cli" report "$tmp/term.sbclprof" | grep -q 'DEMO:FIB'
}

# Inside without-interrupts the first Ctrl-C cannot stop the workload; the second kills SBCL, and
# the command ends.
second_interrupt_kills () {
  local rc=0 tries=0
  start_endless wi '(progn (write-line "started") (finish-output) (sb-sys:without-interrupts (loop)))' ||
    return 1
  kill -INT $pid
  sleep 1
  kill -0 $pid || return 1   # still waiting for the workload, as it must
  kill -INT $pid
  while kill -0 $pid 2>/dev/null; do
    sleep 0.1
    tries=$((tries + 1))
    [ $tries -lt 300 ] || { kill -9 $pid; return 1; }
  done
  wait $pid || rc=$?
  [ $rc -eq 130 ] && grep -q 'killing SBCL' "$tmp/wi.err"
}

check "Ctrl-C stops the workload, keeps the profile and exits 130" interrupt_keeps_profile
check "SIGTERM stops the workload, keeps the profile and exits 143" sigterm_keeps_profile
check "a second Ctrl-C kills a workload that cannot be interrupted" second_interrupt_kills

# All of the program's output reaches stdout, however fast it comes (10 000 011 bytes).
all_output_arrives () {
  "$cli" record -o "$tmp/flood.sbclprof" \
         --eval '(let ((line (make-string 99 :initial-element #\x))) (dotimes (i 101011) (write-line line)))' \
         >"$tmp/flood.out" &&
    [ "$(wc -c <"$tmp/flood.out")" -eq 10101100 ] && ! grep -q dropped "$tmp/flood.out"
}
check "record passes on all of the program's output" all_output_arrives

# A program that exits at once in place of sbcl: an error, never a crash (the pid was read after
# GLib had reaped the child).
exits_at_once () {
  for i in 1 2 3 4 5; do
    local rc=0
    "$cli" record --sbcl /bin/true --eval 1 -o "$tmp/true.sbclprof" 2>"$tmp/true.err" || rc=$?
    [ $rc -eq 1 ] && grep -q 'exited with status 0' "$tmp/true.err" || return 1
  done
}
check "a program that exits at once instead of SBCL fails cleanly" exits_at_once

# A recording with no samples (the workload errs at once) is written and reads back.
no_samples () {
  ! "$cli" record --eval '(error "at once")' -o "$tmp/empty.sbclprof" 2>/dev/null &&
    "$cli" report "$tmp/empty.sbclprof" | grep -q ' 0 samples' &&
    "$cli" export "$tmp/empty.sbclprof" --to speedscope -o "$tmp/empty.json"
}
check "a recording with no samples is written and reads back" no_samples

# SBCL dies mid-recording: what it sent until then is written, and the status (4) says partial.
sbcl_death_keeps_a_partial_profile () {
  "$cli" record --load "$demo" -o "$tmp/dead.sbclprof" \
         --eval '(progn (demo:run 1.5) (sb-ext:exit :abort t))' 2>"$tmp/dead.err"
  local status=$?
  [ $status -eq 4 ] && grep -q 'marked partial' "$tmp/dead.err" &&
    gzip -dc "$tmp/dead.sbclprof" | grep -q '"end_reason": "sbcl-exited"' &&
    "$cli" report "$tmp/dead.sbclprof" | grep -q 'DEMO:FIB'
}

check "SBCL dying mid-recording keeps a partial profile, exit status 4" sbcl_death_keeps_a_partial_profile

check "sbcl not found" fails_with "not an executable program" \
      record --sbcl /nonexistent/sbcl --eval '(+ 1 2)' -o "$tmp/x.sbclprof"
check "a missing output folder is named before recording" fails_with "no-such-dir" \
      record --eval 1 -o "$tmp/no-such-dir/x.sbclprof"
check "unknown mode" fails_with "unknown mode" record --mode fast --eval 1 -o "$tmp/x.sbclprof"
check "eval is required" fails_with "eval FORM" record -o "$tmp/x.sbclprof"
check "deterministic needs names" fails_with "needs --profile" \
      record --mode deterministic --eval 1 -o "$tmp/x.sbclprof"
check "a missing load file is named" fails_with "no-such-file.lisp" \
      record --load "$tmp/no-such-file.lisp" --eval 1 -o "$tmp/x.sbclprof"
check "an unknown package to profile is named" fails_with "NO-SUCH-PKG" \
      record --mode deterministic --profile NO-SUCH-PKG --eval 1 -o "$tmp/x.sbclprof"

form_that_does_not_read () {
  ! "$cli" record --load "$demo" --eval '(demo:run' -o "$tmp/unread.sbclprof" 2>"$tmp/e1" &&
    grep -q 'the form ends too early' "$tmp/e1" && [ ! -e "$tmp/unread.sbclprof" ] &&
  ! "$cli" record --eval '(no-such-package::x)' -o "$tmp/unread.sbclprof" 2>"$tmp/e2" &&
    grep -q 'the form cannot be read: Package NO-SUCH-PACKAGE does not exist' "$tmp/e2" &&
    [ "$(wc -l <"$tmp/e2")" -eq 1 ]
}
check "a form that does not read is refused before recording, with no profile" form_that_does_not_read

finish
