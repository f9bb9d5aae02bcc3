#!/usr/bin/env bash
# Issue 10: who may do what is policy data (data/roles.tdp), not C code:
# `policy check` and `policy load` refuse broken copies naming file and line
# (load writes nothing), the file is a version of kind "roles", and a changed
# copy takes effect only once it is loaded — for the roles of an action and
# for a role's default record scope.
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
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local r=$?; set -e; echo $r; }

as admin --json policy list >"$tmp/v0.json"
json "$tmp/v0.json" '
k=[v for v in d if v["kind"]=="roles"]
assert [(v["name"],v["current"]) for v in k]==[("roles.tdp",True)], k' \
  || fail "init did not version roles.tdp: $(cat "$tmp/v0.json")"

# broken WHAT PATTERN|append TEXT EXPECTED: a copy of data/ with roles.tdp
# broken is refused by check and load (exit 8) naming roles.tdp and the line
# (the changed line; the appended section; for a missing action the last section)
broken() {
  local what=$1 file=roles.tdp how=$2 text=$3 want=$4 line
  rm -rf "$tmp/d"; cp -r "$src/data" "$tmp/d"
  if [ "$how" = append ]; then
    printf '%b' "$text" >>"$tmp/d/$file"
    line=$(grep -n '^\[' "$tmp/d/$file" | tail -1 | cut -d: -f1) # the appended section's header
  elif [ "$how" = delete ]; then # delete the section PATTERN=text and its roles line
    sed -i "/^\\[action $text\\]\$/,+1d" "$tmp/d/$file"
    line=$(grep -n '^\[' "$tmp/d/$file" | tail -1 | cut -d: -f1)
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
broken "unknown role" '^roles = clerk, station, admin$' 'roles = clerk, boss' "boss"
broken "unknown action" '^\[action rate\]$' '[action rat]' "rat"
broken "empty roles" '^roles = admin$' 'roles =' "none"
broken "unknown key" '^roles = signer$' 'role = signer' "role"
broken "admin dropped from policy.load" '^roles = admin$' 'roles = clerk' "admin"
broken "action given twice" append '\n[action signoff]\nroles = signer\n' "signoff"
broken "unknown scope" '^scope = station$' 'scope = everywhere' "own"
broken "unknown section" append '\n[group x]\n' "group"
broken "missing action" delete 'dupes.scan' "dupes.scan"

# A changed copy: clerks may no longer add persons; station operators see all
# cases by default.  Nothing changes until it is loaded.
rm -rf "$tmp/d"; cp -r "$src/data" "$tmp/d"
python3 - "$tmp/d/roles.tdp" <<'PY'
import sys
p=sys.argv[1]; s=open(p).read()
s=s.replace("[action person.add]\nroles = clerk, station, admin","[action person.add]\nroles = station, admin")
s=s.replace("[role station]\nscope = station","[role station]\nscope = all")
open(p,"w").write(s)
PY
as admin policy check "$tmp/d" >/dev/null || fail "the changed copy is valid"
as admin --json user list >"$tmp/u.json"
op=$(json "$tmp/u.json" 'print([x["username"] for x in d if x["roles"]=="station"][0])')
json "$tmp/u.json" "u={x['username']:x for x in d}; assert u['$op']['scope']=='station', u['$op']" ||
  fail "before the load the station operator's default scope is station"
[ "$(rc as clerk1 person add --name 赵六 --id-no 110105198001010016)" -eq 0 ] || fail "clerk1 person add: $(cat "$tmp/err")"
export TALENTDESK_DATA=$tmp/d # the file on disk alone changes nothing: the version loaded is in force
[ "$(rc as clerk1 person add --name 赵七 --id-no 110105198001010024)" -eq 0 ] ||
  fail "a changed roles.tdp took effect before it was loaded: $(cat "$tmp/err")"
export TALENTDESK_NOW=2026-03-16T02:10:00Z # (versions are ordered by time)
as admin policy load "$tmp/d" >/dev/null || fail "policy load of the changed copy"
[ "$(rc as clerk1 person add --name 赵八 --id-no 110105198001010032)" -eq 4 ] ||
  fail "after the load a clerk must be refused person add (exit 4), got: $(cat "$tmp/err")"
grep -q '权限' "$tmp/err" || fail "the refusal is in Chinese: $(cat "$tmp/err")"
as admin --json user list >"$tmp/u.json"
json "$tmp/u.json" "u={x['username']:x for x in d}; assert u['$op']['scope']=='all', u['$op']" ||
  fail "after the load the station operator's default scope is all"
[ "$(rc as admin --json policy list)" -eq 0 ] || fail "policy list"
json "$tmp/out" 'k=[v for v in d if v["kind"]=="roles"]; assert len(k)==2 and sum(v["current"] for v in k)==1, k' ||
  fail "the loaded copy is a second version of kind roles"
# loading the shipped file again puts the shipped table back
unset TALENTDESK_DATA
export TALENTDESK_NOW=2026-03-16T02:20:00Z
as admin policy load >/dev/null || fail "policy load of data/"
[ "$(rc as clerk1 person add --name 赵九 --id-no 110105198001010040)" -eq 0 ] || fail "clerk1 person add again: $(cat "$tmp/err")"
echo "policy_roles: ok"
