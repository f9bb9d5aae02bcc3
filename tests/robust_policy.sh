#!/usr/bin/env bash
# Issue 14.8: `policy check` refuses exactly what `policy load` refuses (a
# broken rules file included), and the loader refuses invalid UTF-8, a CR
# inside a line, zero-width and bidi characters, naming file and line.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16 TALENTDESK_LANG=en
fail() { echo "FAIL: $*" >&2; exit 1; }
src=$(cd "$(dirname "$0")/.." && pwd)
db="$tmp/x.db"
source "$(dirname "$0")/lib/session.sh"; td_init "$bin" "$db" --data "$src/data" >/dev/null || fail "init"
rules=$(ls "$src/data/rules/"*.tdp | head -1)
rname=$(basename "$rules")

# try NAME FILE-RELATIVE BYTES: append BYTES as a new last line to a copy of data/
try() {
  local what=$1 rel=$2 bytes=$3
  rm -rf "$tmp/d"; cp -r "$src/data" "$tmp/d"
  printf '%b' "$bytes" >>"$tmp/d/$rel"
  local line; line=$(awk 'END {print NR}' "$tmp/d/$rel")
  local rc1 rc2
  set +e
  "$bin" --db "$db" policy check "$tmp/d" >/dev/null 2>"$tmp/e1"; rc1=$?
  "$bin" --db "$db" policy load "$tmp/d" >/dev/null 2>"$tmp/e2"; rc2=$?
  set -e
  [ "$rc2" -eq 8 ] || fail "$what: policy load exit $rc2 ($(cat "$tmp/e2"))"
  [ "$rc1" -eq "$rc2" ] || fail "$what: policy check exit $rc1, policy load exit $rc2"
  grep -q "$(basename "$rel"):$line:" "$tmp/e1" || fail "$what: no file:line in '$(cat "$tmp/e1")'"
}
try "broken rules file" "rules/$rname" '\n[[[ broken\n'
try "invalid UTF-8 F4 90" services.tdp '\n# \xf4\x90\x80\x80 beyond U+10FFFF\n'
try "CR inside a line" services.tdp '\n# a\rb\n'
try "zero-width space" services.tdp '\n# a\xe2\x80\x8bb\n'
try "zero-width joiner" services.tdp '\n# a\xe2\x80\x8db\n'
try "BOM inside the file" services.tdp '\n# a\xef\xbb\xbfb\n'
try "bidi override" services.tdp '\n# a\xe2\x80\xaeb\n'
try "bidi isolate" services.tdp '\n# a\xe2\x81\xa6b\n'
try "right-to-left mark" services.tdp '\n# a\xe2\x80\x8fb\n'

# CRLF line endings stay fine
rm -rf "$tmp/d"; cp -r "$src/data" "$tmp/d"
sed -i 's/$/\r/' "$tmp/d/services.tdp"
"$bin" --db "$db" policy check "$tmp/d" >/dev/null || fail "CRLF file refused by check"
echo "robust_policy: ok"
