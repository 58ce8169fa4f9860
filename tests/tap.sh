# tap.sh: sourced by the shell tests. `check NAME COMMAND…` runs one TAP test case, in a
# scratch folder $tmp removed on exit; `finish` prints the plan and exits with the verdict.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

check () {
  local name=$1; shift
  n=$((n + 1))
  if "$@" >"$tmp/out" 2>"$tmp/err"; then
    echo "ok $n $name"
  else
    echo "not ok $n $name"
    sed 's/^/# /' "$tmp/out" "$tmp/err"
    failed=1
  fi
}

finish () {
  echo "1..$n"
  exit $failed
}
