#!/usr/bin/env bash
# One entry point for developers and CI:
#   ./dev.sh run [ARGS]   install what is missing, build, launch the app
#   ./dev.sh test         install what is missing, build, run every test
#   ./dev.sh bench        build, run the benchmarks (prints figures and ratios)
#   ./dev.sh build        install what is missing and build
#   ./dev.sh cli ARGS     build, run the command line tool (sbcl-profiler ARGS)
#   ./dev.sh asan [ARGS]  the test suite in an ASan+UBSan build (build-asan/), leaks detected
#   ./dev.sh fuzz [SECS]  build the libFuzzer targets with clang (build-fuzz/), run each SECS s
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
builddir="$top/build"

packages=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libjson-glib-dev librsvg2-dev
  desktop-file-utils appstream libgtk-4-bin shared-mime-info locales
  xvfb xauth dbus-daemon python3
  sbcl cl-swank fonts-cantarell
)
# only for ./dev.sh fuzz: clang and its libFuzzer
fuzz_packages=(clang)

install_missing () {
  local missing=()
  for p in "${packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build () {
  install_missing
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$top" >/dev/null
  fi
  ninja -C "$builddir" >/dev/null || ninja -C "$builddir"
}

# Settings and sessions are saved through D-Bus (dconf): without a session bus (a fresh machine,
# a plain ssh) the app runs under a private one.
run_with_bus () {
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    exec dbus-run-session -- "$@"
  fi
  exec "$@"
}

# meson's own summary is not what CI reads: count TAP subtests (or whole tests without TAP)
# from the test log and print one plain line.
summarize () {
  python3 - "${1:-$builddir}/meson-logs/testlog.json" <<'PY'
import json, re, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    out = t.get("stdout") or ""
    oks = len(re.findall(r"^ok ", out, re.M))
    bad = len(re.findall(r"^not ok ", out, re.M))
    skips = len(re.findall(r"^ok .*# ?SKIP", out, re.M | re.I))
    if oks + bad == 0:
        if t["result"] in ("OK", "EXPECTEDFAIL"): passed += 1
        elif t["result"] == "SKIP": skipped += 1
        else: failed += 1
        continue
    passed += oks - skips
    skipped += skips
    failed += bad
    if bad == 0 and t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP"):
        failed += 1   # crashed or timed out after its last subtest
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
  build)
    build
    ;;
  run)
    build
    # uninstalled: the settings schema is the one just compiled in the build folder
    export GSETTINGS_SCHEMA_DIR="$builddir/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
    export SP_LOCALEDIR="$builddir/po"
    run_with_bus "$builddir/app/sbcl-profiler" "$@"
    ;;
  cli)
    build
    export SP_LOCALEDIR="$builddir/po"
    exec "$builddir/app/sbcl-profiler" "$@"
    ;;
  asan)
    install_missing
    exec "$top/tests/sanitize.sh" "$top" "$top/build-asan" "$@"
    ;;
  summarize)
    summarize "$@"
    ;;
  fuzz)
    install_missing "${fuzz_packages[@]}"
    exec "$top/tests/fuzz/run-fuzzers.sh" "$top" "$top/build-fuzz" "${1:-60}"
    ;;
  test)
    build
    status=0
    xvfb-run -a -s "-screen 0 1600x1000x24" \
      meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@" || status=$?
    summarize || status=1
    exit $status
    ;;
  bench)
    build
    "$top/bench/run-benchmarks.sh" "$builddir"
    ;;
  *)
    echo "usage: ./dev.sh run|test|bench|build|cli|asan|fuzz" >&2
    exit 2
    ;;
esac
