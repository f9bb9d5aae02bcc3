#!/usr/bin/env bash
# Record scope and masking (issue 10 item 5, first part): a station operator
# (station1 at LDN) lists and opens only LDN cases — every command that takes
# another station's case refuses with exit 4 in Chinese, audited; mobile
# numbers are masked for roles without need (reviewer) in text and JSON, shown
# to clerks.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-06-15 LC_ALL=C.UTF-8
unset TALENTDESK_USER TALENTDESK_DB TALENTDESK_LANG
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local r=$?; set -e; echo $r; }
db="$tmp/x.db"
T() { "$bin" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }

T init --demo --persons 6 >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
T --user station1 person add --name 李雷 --id-no 440524188001010014 --phone 13912345678 >/dev/null
ldn=$(T --user station1 --json case new 440524188001010014 --service talent_recognition |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["case_no"])')
case "$ldn" in LDN-*) ;; *) fail "station case number $ldn" ;; esac
cq=$(q "SELECT case_no FROM cases WHERE case_no LIKE 'CQ-%' ORDER BY case_no LIMIT 1")
[ -n "$cq" ] || fail "no CQ case"

# lists: only LDN cases for station1, all for a clerk
T --user station1 --json case list | python3 -c '
import json,sys; l=json.load(sys.stdin); assert l and all(c["case_no"].startswith("LDN-") for c in l), l' \
  || fail "station1 lists other stations' cases"
[ "$(T --user clerk1 --json case list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -gt 1 ] \
  || fail "clerk1 list restricted"

# every way in to a CQ case is refused for station1
T --user station1 case show "$ldn" >/dev/null || fail "own station's case"
denied0=$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'")
n=0
for cmd in "case show $cq" "case actions $cq" "case act $cq submit" "case history $cq" "docs $cq list" \
           "task list $cq" "signoff $cq list" "audit log $cq"; do
  # shellcheck disable=SC2086
  r=$(rc T --user station1 $cmd)
  [ "$r" -eq 4 ] || fail "station1 '$cmd' exits $r (want 4): $(cat "$tmp/err")"
  grep -qP '[\x{4e00}-\x{9fff}]{2,}' "$tmp/err" || fail "'$cmd': no Chinese message"
  n=$((n + 1))
done
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'")" -eq $((denied0 + n)) ] ||
  fail "scope refusals not all audited"

# mobile numbers: masked for a reviewer (text and JSON), full for a clerk
T --user reviewer1 --json person show 440524188001010014 | python3 -c '
import json,sys; p=json.load(sys.stdin); assert p["phone"]=="139****5678", p' || fail "reviewer sees the full phone (JSON)"
T --user reviewer1 person show 440524188001010014 >"$tmp/p.txt"
grep -q '13912345678' "$tmp/p.txt" && fail "reviewer sees the full phone (text)"
grep -q '139\*\*\*\*5678' "$tmp/p.txt" || fail "masked phone not shown"
T --user clerk1 --json person show 440524188001010014 | python3 -c '
import json,sys; p=json.load(sys.stdin); assert p["phone"]=="13912345678", p' || fail "clerk cannot see the phone"
echo "auth_scope: ok"
