#!/usr/bin/env bash
# scoring_cli_edges.sh — scoring from the CLI at its edges: a rule set not yet
# in force is refused naming the date (exit 6); salary-multiple routes with
# the dated sample wage; each kind of rule-file mistake rejected naming its
# line (exit 8); on a demo case, a claimed fact is shown and not counted, and
# a what-if asked to --save writes no snapshot, fact or audit row.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_DATA="$PWD/data" TALENTDESK_DB="$tmp/t.db" TALENTDESK_LANG=en
fail() { echo "FAIL: $*" >&2; exit 1; }
# reading commands never create a database (issue 14.5): make it first
source "$(dirname "$0")/lib/session.sh"; td_init "$BIN" "$TALENTDESK_DB" >/dev/null || fail "init"
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[k]
print(d)' "$1"; }

# --- in force: the 2017 table starts 2017-04-01 ----------------------------
set +e
err=$("$BIN" score --fact award=nobel --rules cn-work-permit-2017 --as-of 2017-03-31 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" -eq 6 ] || fail "score before the rule set is in force: exit $rc"
echo "$err" | grep -s "2017-03-31" >/dev/null || fail "message should name the date: $err"
out=$("$BIN" --json score --fact award=nobel --rules cn-work-permit-2017 --as-of 2017-04-01)
[ "$(echo "$out" | jget tier)" = A ] || fail "in force on its first day: $out"

# --- salary multiples against the dated sample wage (120,000) ---------------
for pair in 720000:A:salary-6x 719999:B:salary-4x 480000:B:salary-4x; do
  IFS=: read -r sal tier item <<<"$pair"
  out=$("$BIN" --json score --fact annual_salary="$sal" --rules cn-work-permit-2017 --as-of 2026-06-01)
  [ "$(echo "$out" | jget tier)" = "$tier" ] || fail "salary $sal: tier $(echo "$out" | jget tier)"
  [ "$(echo "$out" | jget catalogue_item)" = "$item" ] || fail "salary $sal: item"
  [ "$(echo "$out" | jget wage.annual_yuan)" = 120000 ] || fail "salary $sal: wage"
done
out=$("$BIN" --json score --fact annual_salary=479999 --rules cn-work-permit-2017 --as-of 2026-06-01)
[ "$(echo "$out" | jget tier)" = C ] || fail "salary 479999 should be C"

# --- rule-file mistakes, each naming its line -------------------------------
head='[ruleset r]\ntitle = x\nbasis = y\neffective_from = 2020-01-01\nsample = no\n[tier A]\nname = A\nrank = 1\n'
check_bad() { # NAME TAIL LINE WHAT
  printf "${head}$2" > "$tmp/r.tdp"
  set +e
  local e; e=$("$BIN" rules check "$tmp/r.tdp" 2>&1 >/dev/null); local rc=$?
  set -e
  [ "$rc" -eq 8 ] || fail "$1: exit $rc ($e)"
  echo "$e" | grep -s "r.tdp:$3:" >/dev/null || fail "$1: want line $3 in: $e"
  [ -z "$4" ] || echo "$e" | grep -s -- "$4" >/dev/null || fail "$1: want '$4' in: $e"
}
f='[factor f]\ntitle = F\ncap = 5\naggregate = max\ninput = hsk_level\n'
check_bad gap      "${f}band = [1,2) 1\nband = [3,) 2\n" 15 ""
check_bad overlap  "${f}band = [1,3] 1\nband = [3,) 2\n" 15 ""
check_bad fact     '[factor f]\ntitle = F\ncap = 5\naggregate = max\nmatch = nosuch=yes 5\n' 13 nosuch
check_bad input    '[factor f]\ntitle = F\ncap = 5\naggregate = max\ninput = shoe_size\nband = [0,) 1\n' 13 shoe_size
check_bad title    '[factor f]\ncap = 5\naggregate = max\nmatch = returnee=yes 5\n' 9 title
check_bad group    '[group g]\ntitle = G\ncap = 5\nfactors = ghost\n' 12 ghost
check_bad tier     '[catalogue c]\ntitle = C\ntier = Z\nwhen = award = nobel\n' 11 Z
check_bad overcap  "${f}band = [1,) 9\n" 14 ""
# and a correct file passes
printf "${head}${f}band = [1,3) 1\nband = [3,) 2\n" > "$tmp/r.tdp"
"$BIN" rules check "$tmp/r.tdp" >/dev/null || fail "a valid rule file was rejected"

# --- a demo case: claimed shown, what-if writes nothing ---------------------
export TALENTDESK_NOW=2026-06-15
db="$tmp/e2e.db"
T() { "$BIN" --db "$db" "$@"; }
T init --demo >/dev/null || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
T --user clerk1 person add --name 赵六 --id-no 11010519491231002x --phone 13800138002 >/dev/null || fail "person add"
svc=$(sqlite3 "$db" "SELECT id FROM services ORDER BY sort LIMIT 1")
T --user clerk1 --json case new 11010519491231002X --service "$svc" >"$tmp/c.json" || fail "case new"
case_no=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["case_no"])' "$tmp/c.json")
P=11010519491231002X
T --user clerk1 facts $P add annual_salary=450000 --verified --evidence "合同" >/dev/null || fail "facts add"
T --user clerk1 facts $P add work_region=western --verified --evidence "合同" >/dev/null || fail "facts add"
T --user clerk1 facts $P add degree=doctorate >/dev/null || fail "facts add claimed"
out=$(T --user reviewer1 --json score "$case_no" --rules cn-work-permit-2017 --save)
[ "$(echo "$out" | jget total)" = 30 ] || fail "verified only: $(echo "$out" | jget total)"
echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
row = {r["factor"]: r for r in d["ledger"]}
assert row["education"]["final"] == 0, row["education"]
assert row["education"]["claimed_not_counted"]["points"] == 20, row["education"]
assert row["salary"]["claimed_not_counted"] is None
' || fail "claimed doctorate in the ledger JSON"
text=$(T --user reviewer1 score "$case_no" --rules cn-work-permit-2017)
echo "$text" | grep -s "Claimed, not counted" >/dev/null || fail "ledger column for claimed facts"
echo "$text" | grep -s "20 points" >/dev/null || fail "claimed points shown: $text"

count() { sqlite3 "$db" "SELECT (SELECT count(*) FROM score_snapshots) || '/' || (SELECT count(*) FROM facts) || '/' || (SELECT count(*) FROM audit_log)"; }
before=$(count)
text=$(T --user reviewer1 score "$case_no" --rules cn-work-permit-2017 --what-if hsk_level=6 --what-if award=nobel --save)
echo "$text" | grep -s "Not saved" >/dev/null || fail "what-if --save should say it is not saved: $text"
echo "$text" | grep -s "30 -> 35" >/dev/null || fail "what-if total difference: $text"
after=$(count)
[ "$before" = "$after" ] || fail "what-if wrote rows: $before -> $after"
out=$(T --user reviewer1 --json score "$case_no" --rules cn-work-permit-2017 --what-if award=nobel)
[ "$(echo "$out" | jget what_if.result.tier)" = A ] || fail "what-if Nobel tier"
[ "$(echo "$out" | jget what_if.diff.total.delta)" = 0 ] || fail "what-if Nobel adds no points"
[ "$(echo "$out" | jget snapshot_id)" = None ] || fail "what-if has no snapshot id"
[ "$(count)" = "$after" ] || fail "JSON what-if wrote rows"
echo "scoring_cli_edges: ok"
