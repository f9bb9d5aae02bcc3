#!/usr/bin/env bash
# Issue 10 item 5 through the CLI: a station operator's report totals count
# only his station (another station asked for: exit 4, Chinese, audited);
# salaries are masked for a clerk in `facts list`, the score ledger (text,
# JSON, what-if) and a stored snapshot, shown to a reviewer.
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
js() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

T init --demo --persons 6 >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
T --user station1 person add --name 李雷 --id-no 440524188001010014 >/dev/null
T --user station1 case new 440524188001010014 --service talent_recognition >/dev/null

# report totals
all=$(T --user admin --json report summary | js 'd["summary"]["cases"]')
ldn=$(q "SELECT count(*) FROM cases c JOIN stations s ON s.id = c.station_id WHERE s.code = 'LDN'")
mine=$(T --user station1 --json report summary | js 'd["summary"]["cases"]')
[ "$mine" -eq "$ldn" ] || fail "station1's summary counts $mine cases, its station has $ldn"
[ "$all" -gt "$mine" ] || fail "admin's summary ($all) not above station1's ($mine)"
T --user station1 --json report services | python3 -c '
import json,sys; d=json.load(sys.stdin)
st=[t for t in d["tables"] if t.get("id")=="cases.station"]
assert not st or len(st[0]["rows"])==1, st' || fail "station1 sees other stations in cases.station"
d0=$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'")
r=$(rc T --user station1 report summary --station CQ)
[ "$r" -eq 4 ] || fail "station1 report --station CQ exits $r (want 4)"
grep -qP '[\x{4e00}-\x{9fff}]{2,}' "$tmp/err" || fail "no Chinese message: $(cat "$tmp/err")"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'")" -eq $((d0 + 1)) ] || fail "refusal not audited once"

# salaries
P=440524188001010014
cq=$(q "SELECT p.id_no FROM persons p JOIN cases c ON c.person_id = p.id JOIN stations s ON s.id = c.station_id
        WHERE s.code = 'CQ' AND c.case_type = 'recognition' ORDER BY c.case_no LIMIT 1")
case_no=$(q "SELECT c.case_no FROM cases c JOIN persons p ON p.id = c.person_id WHERE p.id_no = '$cq'
             AND c.case_type = 'recognition' ORDER BY c.case_no LIMIT 1")
T --user clerk1 facts "$cq" add annual_salary=654321 --verified --evidence 劳动合同 >/dev/null
T --user clerk1 facts "$cq" list | grep -q 654321 && fail "clerk sees the salary in facts list"
T --user reviewer1 facts "$cq" list | grep -q 654321 || fail "reviewer does not see the salary"
for fmt in "" --json; do
  # shellcheck disable=SC2086
  T --user clerk1 $fmt score "$case_no" --rules cq-recognition-sample >"$tmp/s" || fail "score $fmt"
  grep -q 654321 "$tmp/s" && fail "clerk sees the salary in the ledger ($fmt)"
  # shellcheck disable=SC2086
  T --user clerk1 $fmt score "$case_no" --rules cq-recognition-sample --what-if annual_salary=876543 >"$tmp/w" ||
    fail "what-if $fmt"
  grep -q 876543 "$tmp/w" && fail "clerk sees the what-if salary ($fmt)"
done
T --user reviewer1 score "$case_no" --rules cq-recognition-sample | grep -q 654321 || fail "reviewer ledger masked"
sid=$(T --user reviewer1 --json score "$case_no" --rules cq-recognition-sample --save | js 'd["snapshot_id"]')
T --user clerk1 --json score --snapshot "$sid" >"$tmp/snap" || fail "score --snapshot"
grep -q 654321 "$tmp/snap" && fail "clerk sees the salary in a stored snapshot"
grep -q '"reproduced_identical": true' "$tmp/snap" || fail "snapshot not reproduced: $(cat "$tmp/snap")"
T --user reviewer1 --json score --snapshot "$sid" | grep -q 654321 || fail "reviewer snapshot masked"
echo "auth_report_mask: ok"
