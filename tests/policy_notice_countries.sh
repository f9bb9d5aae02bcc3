#!/usr/bin/env bash
# Issue 13: data/notice.tdp (一次性告知书 rules) and data/countries.tdp (names
# iso-codes lacks) are policy files like the others: `policy check` and
# `policy load` refuse a broken copy naming file and line (and load writes
# nothing), each loaded file is a version in policy_versions, and the version
# loaded — not the file on disk — is the one notices and country lookups use.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16T02:00:00Z LC_ALL=C.UTF-8
fail() { echo "FAIL: $*" >&2; exit 1; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }
src=$(cd "$(dirname "$0")/.." && pwd)
db=$tmp/x.db
"$bin" --db "$db" init --demo >/dev/null || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
as() { local u=$1; shift; "$bin" --db "$db" --user "$u" "$@"; }

# both files are versions after init
as admin --json policy list >"$tmp/v0.json"
json "$tmp/v0.json" '
k=[v for v in d if v["kind"] in ("notice","countries")]
assert sorted((v["kind"],v["name"],v["current"]) for v in k)==[("countries","countries.tdp",True),("notice","notice.tdp",True)], k' \
  || fail "init did not version notice.tdp and countries.tdp: $(cat "$tmp/v0.json")"

# broken NAME FILE PATTERN|append|append-hdr TEXT EXPECTED: a copy of data/ with
# FILE broken (the line matching PATTERN replaced by TEXT, or TEXT appended) is
# refused by check and by load (exit 8) naming FILE and the line (the changed
# line; the last line, or for append-hdr the last section header), and load
# adds no version
broken() {
  local what=$1 file=$2 how=$3 text=$4 want=$5 line
  rm -rf "$tmp/d"; cp -r "$src/data" "$tmp/d"
  if [ "$how" = append ] || [ "$how" = append-hdr ]; then
    printf '%b' "$text" >>"$tmp/d/$file"
    line=$(awk 'END {print NR}' "$tmp/d/$file")
    [ "$how" = append ] || line=$(grep -n '^\[' "$tmp/d/$file" | tail -1 | cut -d: -f1)
  else
    line=$(grep -n -m1 -- "$how" "$tmp/d/$file" | cut -d: -f1)
    [ -n "$line" ] || fail "$what: no line matching '$how' in $file"
    sed -i "${line}s/.*/$text/" "$tmp/d/$file"
  fi
  local rc1 rc2
  set +e
  as admin policy check "$tmp/d" >/dev/null 2>"$tmp/e1"; rc1=$?
  as admin policy load "$tmp/d" >/dev/null 2>"$tmp/e2"; rc2=$?
  set -e
  [ "$rc1" -eq 8 ] || fail "$what: policy check exit $rc1 ($(cat "$tmp/e1"))"
  [ "$rc2" -eq 8 ] || fail "$what: policy load exit $rc2 ($(cat "$tmp/e2"))"
  grep -qF "$file:$line:" "$tmp/e1" || fail "$what: check names no $file:$line: '$(cat "$tmp/e1")'"
  grep -qF "$file:$line:" "$tmp/e2" || fail "$what: load names no $file:$line: '$(cat "$tmp/e2")'"
  grep -qF -- "$want" "$tmp/e1" || fail "$what: message lacks '$want': '$(cat "$tmp/e1")'"
  as admin --json policy list >"$tmp/v.json"
  cmp -s <(json "$tmp/v0.json" 'print(len(d))') <(json "$tmp/v.json" 'print(len(d))') \
    || fail "$what: a refused load recorded a version"
}
broken "office days out of range" notice.tdp '^office_days' 'office_days = 500' 'office_days'
broken "supply days not a number" notice.tdp '^supply_days' 'supply_days = five' 'supply_days'
broken "unknown key in [notice]" notice.tdp '^contact' 'contakt = x' 'contakt'
broken "second [notice]" notice.tdp append-hdr '\n[notice]\n' '[notice]'
broken "unknown document produced" notice.tdp append '\n[produces service]\ndoc = no_such_doc\n' 'no_such_doc'
broken "unknown case type" notice.tdp append-hdr '\n[produces visit]\ndoc = photo\n' 'visit'
broken "unknown holder id type" notice.tdp append-hdr '\n[holder laissez_passer]\nidentity_is = passport\n' 'laissez_passer'
broken "unknown section in notice" notice.tdp append-hdr '\n[office_hours x]\n' 'office_hours'
broken "alias taken by iso-codes" countries.tdp append '\n[country fra]\nalias = 美国\n' 'USA'
broken "alias for two codes" countries.tdp append '\n[country fra]\nalias = 南韩\n' 'KOR'
broken "unknown code" countries.tdp append-hdr '\n[country xqz]\nalias = 某国\n' 'xqz'
broken "not a code" countries.tdp append-hdr '\n[country france]\nalias = 法兰西\n' 'france'
broken "region not yes or no" countries.tdp '^region = yes' 'region = maybe' 'region'
broken "unknown key in countries" countries.tdp '^display = 中国香港' 'displai = 中国香港' 'displai'
broken "country given twice" countries.tdp append-hdr '\n[country chn]\nalias = 华夏\n' 'chn'

# the version in force is the one loaded, not the file on disk
rm -rf "$tmp/d"; cp -r "$src/data" "$tmp/d"
sed -i 's/^contact = .*/contact = 测试窗口 023-12345678/' "$tmp/d/notice.tdp"
printf '\n[country fra]\nalias = 高卢\n' >>"$tmp/d/countries.tdp"
set +e; as clerk1 person add --name 贝尔纳 --id-no E12345678 --id-type passport --nationality 高卢 >/dev/null 2>"$tmp/e"; r=$?; set -e
[ "$r" -ne 0 ] && grep -qF "高卢" "$tmp/e" || fail "高卢 accepted before the new countries.tdp was loaded"
export TALENTDESK_NOW=2026-03-16T02:10:00Z
as admin policy load "$tmp/d" >/dev/null || fail "policy load of the changed copy"
as admin --json policy list >"$tmp/v1.json"
json "$tmp/v1.json" '
for kind in ("notice","countries"):
    k=[v for v in d if v["kind"]==kind]
    assert len(k)==2 and sum(v["current"] for v in k)==1, k' || fail "changed files are not new versions: $(cat "$tmp/v1.json")"
# data/ on disk is unchanged: the database version speaks
as clerk1 --json person add --name 贝尔纳 --id-no E12345678 --id-type passport --nationality 高卢 >"$tmp/p.json" \
  || fail "高卢 refused after loading a countries.tdp that names it"
json "$tmp/p.json" 'assert d["nationality"]=="FRA", d' || fail "高卢 is not FRA: $(cat "$tmp/p.json")"
as clerk1 --json case new E12345678 --service enterprise_setup --type service >"$tmp/c.json" || fail "case new"
c=$(json "$tmp/c.json" 'print(d["case_no"])')
as clerk1 case act "$c" submit >/dev/null || fail "submit"
as clerk1 docs "$c" check >/dev/null || fail "docs check"
as clerk1 notice "$c" >"$tmp/n.txt" || fail "notice"
grep -qF "测试窗口 023-12345678" "$tmp/n.txt" || fail "the notice does not carry the loaded contact: $(cat "$tmp/n.txt")"
# back to the shipped files: their first versions are current again
export TALENTDESK_NOW=2026-03-16T02:20:00Z
as admin policy load "$src/data" >/dev/null || fail "policy load of data/"
as admin --json policy list >"$tmp/v2.json"
python3 - "$tmp/v0.json" "$tmp/v2.json" <<'PY' || fail "returning to data/ did not make the first versions current"
import json, sys
a = {(v["kind"], v["sha256"]) for v in json.load(open(sys.argv[1])) if v["kind"] in ("notice", "countries")}
d = json.load(open(sys.argv[2]))
cur = {(v["kind"], v["sha256"]) for v in d if v["kind"] in ("notice", "countries") and v["current"]}
assert cur == a and len([v for v in d if v["kind"] in ("notice", "countries")]) == 4, (cur, a)
PY
echo "policy_notice_countries: ok"
