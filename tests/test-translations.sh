#!/usr/bin/env bash
# test-translations.sh: every language of po/LINGUAS is valid and complete for the strings the
# sources have now, and the app speaks it.  TAP output.
set -u
. "$(dirname "$0")/tap.sh"
src=$SP_SOURCE_DIR

# the strings of today's sources, as `ninja sbcl-profiler-pot` would extract them (that target
# writes into the source tree, so the test extracts on its own)
xgettext --directory="$src" --files-from="$src/po/POTFILES.in" --from-code=UTF-8 \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --keyword=ngettext:1,2 --output="$tmp/sources.pot" 2>"$tmp/xgettext.err" ||
  { echo "not ok 1 extract strings"; sed 's/^/# /' "$tmp/xgettext.err"; echo "1..1"; exit 1; }

# Every source file with a marked string is listed, or its strings would never be translated.
all_listed () {
  local missing=0 f
  while read -r f; do
    grep -qx "$f" "$src/po/POTFILES.in" || { echo "not in po/POTFILES.in: $f"; missing=1; }
  done < <(cd "$src" && grep -rlE '\b(N?C?_|g_dngettext) ?\(|translatable="yes"' app --include='*.c' --include='*.ui' | sort)
  return $missing
}

# A warning means a message that cannot be translated as written: a "%" G_GINT64_FORMAT cuts the
# msgid where the macro begins (so the translation never matches), a \r ends up in catalogues.
extracted_whole () {
  cat "$tmp/xgettext.err"
  [ ! -s "$tmp/xgettext.err" ]
}

complete () {
  local po=$src/po/$1.po
  msgfmt --check --output-file=/dev/null "$po" || return 1
  msgmerge --quiet --no-fuzzy-matching "$po" "$tmp/sources.pot" --output-file="$tmp/$1.po" || return 1
  local stats
  stats=$(LC_ALL=C msgfmt --statistics --output-file=/dev/null "$tmp/$1.po" 2>&1)
  echo "$stats"
  # "N translated messages." and nothing untranslated or fuzzy
  [[ $stats != *untranslated* && $stats != *fuzzy* ]]
}

speaks () {
  local lang=$1 word=$2
  # the CLI's usage comes from the same catalogue as the window
  LANGUAGE=$lang LC_ALL=C.UTF-8 "$SP_CLI" help | grep -q "$word"
}

check "po/POTFILES.in lists every file with translatable strings" all_listed
check "every message extracts whole (xgettext warns of nothing)" extracted_whole
while read -r lang; do
  [ -z "$lang" ] && continue
  check "$lang.po is valid and complete" complete "$lang"
done < <(grep -v '^#' "$src/po/LINGUAS")
# In a locale that writes "10,5", an exported SVG keeps C's numbers and speaks the language.
svg_in_comma_locale () {
  localedef -i de_DE -f UTF-8 "$tmp/locale/de_DE.UTF-8" || return 1
  printf 'MAIN;A;B 10 20\nMAIN;A;C 30 10\n' > "$tmp/diff.folded"
  LOCPATH=$tmp/locale LC_ALL=de_DE.UTF-8 LANGUAGE=de "$SP_CLI" export "$tmp/diff.folded" --to svg \
    -o "$tmp/diff.svg" || return 1
  grep -q 'Änderung des Anteils' "$tmp/diff.svg" && grep -q '<rect x="10.00"' "$tmp/diff.svg" &&
    ! grep -qE '(x|y|width|height)="-?[0-9]+,[0-9]' "$tmp/diff.svg"
}

check "German usage with LANGUAGE=de" speaks de "Befehle"
check "French usage with LANGUAGE=fr" speaks fr "Commandes"
mkdir -p "$tmp/locale"
check "an SVG exported in a comma-decimal locale" svg_in_comma_locale
finish
