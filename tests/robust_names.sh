#!/usr/bin/env bash
# Issue 14.3 end to end: a Persian name keeps its ZWNJ through person add,
# search and show; a name with a zero-width space is stored without it and
# the clerk is told what was changed and why (text and --json).
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$tmp/x.db"
source "$(dirname "$0")/lib/session.sh"; td_init "$bin" "$db" >/dev/null || fail "init"
fa=$(printf 'مهدی\xe2\x80\x8cزاده')
"$bin" --db "$db" person add --name "$fa" --id-type passport --id-no E1234567 --nationality IRN --gender 男 \
  --birth 1990-01-01 >"$tmp/out" || fail "person add (Persian)"
[ "$(sqlite3 "$db" "SELECT hex(name) FROM persons WHERE id_no = 'E1234567'")" = \
  "$(printf '%s' "$fa" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" ] || fail "ZWNJ lost in storage"
grep -q '调整\|adjusted' "$tmp/out" && fail "an unchanged name was reported as adjusted"
"$bin" --db "$db" person show E1234567 >"$tmp/show" 2>&1 || "$bin" --db "$db" person list >"$tmp/show"
grep -qF "$fa" "$tmp/show" || fail "the name is not shown as typed"

"$bin" --db "$db" person add --name "$(printf '张\xe2\x80\x8b三 ')" --id-no 11010519491231002X >"$tmp/out2" \
  || fail "person add (zero-width space)"
[ "$(sqlite3 "$db" "SELECT name FROM persons WHERE id_no = '11010519491231002X'")" = 张三 ] || fail "stored"
grep -q '姓名' "$tmp/out2" && grep -q '零宽' "$tmp/out2" || fail "clerk not told: $(cat "$tmp/out2")"
"$bin" --db "$db" --json person add --name "$(printf 'Jose\xcc\x81')" --id-no 440524188001010014 >"$tmp/j" \
  || fail "person add --json"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); a=j["adjusted"]; assert len(a)==1 and "NFC" in a[0]["why"], a' \
  "$tmp/j" || fail "JSON adjusted: $(cat "$tmp/j")"
echo "robust_names: ok"
