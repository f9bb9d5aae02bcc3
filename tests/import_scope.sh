#!/usr/bin/env bash
# Issue 10: import follows the record scope.  A station operator's import
# creates persons of the operator's station; a row naming a person stored
# outside the operator's scope (another station's) is rejected into the
# reject report with a Chinese reason that names nothing of the stored record,
# never applied, never counted as "already there"; a user with scope all
# importing the same rows finds them present.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16T02:00:00Z LC_ALL=C.UTF-8
fail() { echo "FAIL: $*" >&2; exit 1; }
db=$tmp/x.db
"$bin" --db "$db" init --demo >/dev/null || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
as() { local u=$1; shift; "$bin" --db "$db" --user "$u" "$@"; }
A=110105198001010016 B=110105198001010024
as clerk1 person add --name 王一 --id-no $A --gender M --birth 1980-01-01 >/dev/null || fail "clerk1 person add"
as station1 --json whoami >/dev/null || fail "station1 signed in"
# the same person as stored, the same with other details, and a new one
printf '姓名,证件类型,证件号码,性别,出生日期\r\n王一,居民身份证,%s,男,1980-01-01\r\n王二改,居民身份证,%s,男,1980-01-01\r\n李新,居民身份证,%s,女,1980-01-01\r\n' \
  $A $A $B >"$tmp/in.csv"
as station1 --json import persons "$tmp/in.csv" >"$tmp/imp.json" || fail "station1 import"
python3 - "$tmp/imp.json" <<'PY' || fail "station1's import: $(cat "$tmp/imp.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert (r["rows"], r["added"], r["skipped"], r["rejected"]) == (3, 1, 0, 2), r
PY
python3 - "$tmp/in.csv.rejects.csv" <<'PY' || fail "reject report: $(cat "$tmp/in.csv.rejects.csv")"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
body = rows[1:]
assert [r[0] for r in body] == ["2", "3"], body
for r in body:
    assert "记录范围之外" in r[1], r[1]
    assert "王一" not in r[1], r[1]   # nothing of the stored record
    assert "110105198001010016" not in r[1], r[1]   # the number is masked
PY
# nothing of the stored person changed
as clerk1 --json person show $A | python3 -c '
import json,sys; p=json.load(sys.stdin); assert p["name"]=="王一" and p["row_version"]==1, p' ||
  fail "the stored person changed"
# the new person belongs to the operator's station
[ "$(sqlite3 "$db" "SELECT s.code FROM persons p JOIN stations s ON s.id = p.station_id WHERE p.id_no = '$B'")" = LDN ] ||
  fail "the imported person is not station LDN's"
as station1 --json person show $B >/dev/null || fail "station1 sees the person it imported"
# a user with scope all finds both persons present
as clerk1 --json import persons "$tmp/in.csv" >"$tmp/imp2.json" || fail "clerk1 import"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert (r["added"], r["skipped"], r["rejected"])==(0,2,1), r' \
  "$tmp/imp2.json" || fail "clerk1's import: $(cat "$tmp/imp2.json")"
echo "import_scope: ok"
