#!/usr/bin/env bash
# Issue 13: data/entitlements.tdp (政策匹配's benefits, amounts and terms) is a
# policy file like the others: `policy check` and `policy load` refuse a
# broken copy naming file and line (and load writes nothing), each loaded file
# is a version of kind "entitlements" in policy_versions, and the version
# loaded — not the file on disk — is the one `entitlements` and
# `entitlements terms` use.
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
as clerk1 person add --name 王五 --id-no 11010519491231002x --phone 13800138001 >/dev/null || fail "person add"
P=11010519491231002X

# entitlements.tdp is a version after init
as admin --json policy list >"$tmp/v0.json"
json "$tmp/v0.json" '
k=[v for v in d if v["kind"]=="entitlements"]
assert [(v["name"],v["current"]) for v in k]==[("entitlements.tdp",True)], k' \
  || fail "init did not version entitlements.tdp: $(cat "$tmp/v0.json")"

# award TITLE AMOUNT_FEN: what `entitlements` says of honghyan-award
award() {
  as clerk1 --json entitlements "$P" >"$tmp/e.json" || fail "entitlements $P"
  python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
e={x['id']:x for x in d['entitlements']}['honghyan-award']
assert (e['title'],e['amount_fen'])==(sys.argv[2],int(sys.argv[3])), e" "$tmp/e.json" "$1" "$2" \
    || fail "honghyan-award is not '$1' $2: $(cat "$tmp/e.json")"
}
# terms4 RC: `entitlements terms office-space --years 4` exits RC
terms4() {
  local r
  set +e; as clerk1 entitlements terms office-space --years 4 >/dev/null 2>&1; r=$?; set -e
  [ "$r" -eq "$1" ] || fail "entitlements terms office-space --years 4: exit $r, not $1"
}
title0='"鸿雁计划"人才奖励'
award "$title0" 200000000
terms4 6

# broken NAME PATTERN|append|append-hdr TEXT EXPECTED: a copy of data/ with
# entitlements.tdp broken (the line matching PATTERN replaced by TEXT, or TEXT
# appended) is refused by check and by load (exit 8) naming the file and the
# line (the changed line; the last line, or for append-hdr the last section
# header), and load adds no version
broken() {
  local what=$1 file=entitlements.tdp how=$2 text=$3 want=$4 line
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
broken "amount not a form" '^amount = max 2000000' 'amount = max lots' 'max lots'
broken "unknown key" '^max_years = 3' 'max_yeers = 3' 'max_yeers'
broken "years not above 0" '^max_years = 3' 'max_years = 0' 'max_years'
broken "unknown fact" '^when = offshore_talent = yes' 'when = no_such_fact = yes' 'no_such_fact'
broken "percent of a fact not money" '^amount = percent 500 of annual_salary' 'amount = percent 500 of offshore_talent' 'offshore_talent'
broken "unknown section" append-hdr '\n[perk x]\ntitle = x\n' 'perk'
broken "benefit twice" append-hdr '\n[benefit office-space]\ntitle = x\nsource = y\namount = none\nwhen = returnee = yes\n' 'office-space'
broken "no when nor tiers" append-hdr '\n[benefit lone]\ntitle = x\nsource = y\namount = none\n' 'lone'

# the version in force is the one loaded, not the file on disk
rm -rf "$tmp/d"; cp -r "$src/data" "$tmp/d"
sed -i 's/^title = "鸿雁计划"人才奖励$/title = 测试奖励/; s/^amount = max 2000000$/amount = max 3000000/; s/^max_years = 3$/max_years = 4/' \
  "$tmp/d/entitlements.tdp"
grep -qx 'title = 测试奖励' "$tmp/d/entitlements.tdp" && grep -qx 'amount = max 3000000' "$tmp/d/entitlements.tdp" \
  || fail "the test's edit of entitlements.tdp did not apply"
as admin policy check "$tmp/d" >/dev/null || fail "policy check of the changed copy"
award "$title0" 200000000   # checking loads nothing
export TALENTDESK_NOW=2026-03-16T02:10:00Z
as admin policy load "$tmp/d" >/dev/null || fail "policy load of the changed copy"
as admin --json policy list >"$tmp/v1.json"
json "$tmp/v1.json" '
k=[v for v in d if v["kind"]=="entitlements"]
assert len(k)==2 and sum(v["current"] for v in k)==1, k' || fail "the changed file is not a new version: $(cat "$tmp/v1.json")"
award 测试奖励 300000000
terms4 0
# back to the shipped file: its first version is current again
export TALENTDESK_NOW=2026-03-16T02:20:00Z
as admin policy load "$src/data" >/dev/null || fail "policy load of data/"
as admin --json policy list >"$tmp/v2.json"
python3 - "$tmp/v0.json" "$tmp/v2.json" <<'PY' || fail "returning to data/ did not make the first version current"
import json, sys
a = {v["sha256"] for v in json.load(open(sys.argv[1])) if v["kind"] == "entitlements"}
d = [v for v in json.load(open(sys.argv[2])) if v["kind"] == "entitlements"]
cur = {v["sha256"] for v in d if v["current"]}
assert cur == a and len(d) == 2, (cur, a, d)
PY
award "$title0" 200000000
terms4 6
echo "policy_entitlements: ok"
