#!/bin/sh
# Installs the shared-mime-info XML given as $1 into a private data dir and checks that GIO
# reports application/x-sbcl-profile for a gzip-compressed *.sbclprof file, and does not for a
# gzip file with another name.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/mime/packages"
cp "$1" "$tmp/mime/packages/"
cp -r /usr/share/mime/packages/freedesktop.org.xml "$tmp/mime/packages/" 2>/dev/null || true
update-mime-database "$tmp/mime"
echo '{"format": "sbcl-profiler"}' | gzip > "$tmp/test.sbclprof"
echo '{"format": "sbcl-profiler"}' | gzip > "$tmp/test.gz"
export XDG_DATA_HOME="$tmp" XDG_DATA_DIRS="$tmp"
type=$(gio info -a standard::content-type "$tmp/test.sbclprof" | sed -n 's/.*content-type: //p')
echo "test.sbclprof: $type"
[ "$type" = "application/x-sbcl-profile" ]
other=$(gio info -a standard::content-type "$tmp/test.gz" | sed -n 's/.*content-type: //p')
echo "test.gz: $other"
[ "$other" != "application/x-sbcl-profile" ]
