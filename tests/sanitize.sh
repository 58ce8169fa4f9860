#!/usr/bin/env bash
# The test suite in an ASan+UBSan build (BUILDDIR, gcc), with leak detection: fails on any
# sanitizer report, from a test or from any program a test runs (reports are also written to
# files, so that one from `sbcl-profiler` run by a shell test with stderr discarded still counts).
# GLib criticals and warnings are fatal (G_DEBUG in tests/meson.build).  Leaks inside system
# libraries only are suppressed (tests/lsan.supp).
# Usage: sanitize.sh SOURCEDIR BUILDDIR [MESON TEST ARGS…]; ends with "N passed, N failed".
set -uo pipefail

top=$1
builddir=$2
shift 2

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dwerror=false >/dev/null || exit 1
fi
ninja -C "$builddir" >/dev/null || ninja -C "$builddir" || exit 1

reports=$builddir/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
# fast_unwind_on_malloc=0: whole stacks through GLib (built without frame pointers), so that a
# report says where, and a suppression can name a system library's frame;
# intercept_strstr=0: GLib's g_strsplit() calls strstr() on the rest of the text for each piece,
# and ASan's strstr() measures all of that rest every time (3 minutes to split 20 000 lines)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:intercept_strstr=0:fast_unwind_on_malloc=0:detect_stack_use_after_return=0:log_path=$reports/asan:log_exe_name=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$reports/ubsan:log_exe_name=1"
# GTK under the sanitizers: software rendering and no GL at all (Mesa's driver leaks, and is
# unloaded before the leak check, so that no suppression can name it)
export GSK_RENDERER=cairo GDK_DEBUG=gl-disable

status=0
xvfb-run -a -s "-screen 0 1600x1000x24" \
  meson test -C "$builddir" --print-errorlogs --num-processes 2 --timeout-multiplier 3 "$@" ||
  status=$?

# sbcl is no sanitized program: only ours write reports
if compgen -G "$reports/*" >/dev/null; then
  echo "Sanitizer reports:"
  for f in "$reports"/*; do
    echo "== $f"
    head -60 "$f"
  done
  status=1
fi
"$top/dev.sh" summarize "$builddir" || status=1
exit $status
