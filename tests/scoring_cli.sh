#!/usr/bin/env bash
# scoring_cli.sh — the scoring commands end to end, without reference data:
# the worked example scores 99 → A from --fact arguments and from a JSON file,
# a what-if is shown and not saved, rule files are listed, shown and checked
# (a malformed one is rejected naming its line), and a mistyped 人才服务码 is
# refused with exit code 6.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_DATA="$PWD/data" TALENTDESK_DB="$tmp/t.db" TALENTDESK_LANG=en
fail() { echo "FAIL: $*" >&2; exit 1; }
# reading commands never create a database (issue 14.5): make it first
source "$(dirname "$0")/lib/session.sh"; td_init "$BIN" "$TALENTDESK_DB" >/dev/null || fail "init"

facts=(--fact annual_salary=450000 --fact degree=doctorate --fact employment=2018-01-01..2024-12-31
       --fact months_in_china=12 --fact hsk_level=4 --fact work_region=western
       --fact birth_date=1990-01-15 --fact top_university_graduate=yes)

out=$("$BIN" --json score "${facts[@]}" --rules cn-work-permit-2017 --as-of 2025-06-01)
echo "$out" | grep -s '"total": 99' >/dev/null || fail "worked example total: $out"
echo "$out" | grep -s '"tier": "A"' >/dev/null || fail "worked example tier"
echo "$out" | grep -s '"route": "points"' >/dev/null || fail "worked example route"

text=$("$BIN" score "${facts[@]}" --rules cn-work-permit-2017 --as-of 2025-06-01 --what-if hsk_level=6)
echo "$text" | grep -s "99 / 120" >/dev/null || fail "ledger total line: $text"
echo "$text" | grep -s "99 -> 100" >/dev/null || fail "what-if difference"

cat > "$tmp/f.json" <<'J'
{"annual_salary": 450000, "degree": "doctorate", "employment": "2018-01-01..2024-12-31",
 "months_in_china": 12, "hsk_level": 4, "work_region": "western", "birth_date": "1990-01-15",
 "top_university_graduate": true}
J
out=$("$BIN" --json score --facts "$tmp/f.json" --rules cn-work-permit-2017 --as-of 2025-06-01)
echo "$out" | grep -s '"total": 99' >/dev/null || fail "JSON facts file"

# catalogue route: a Nobel laureate is A whatever the points
out=$("$BIN" --json score --fact award=nobel --rules cn-work-permit-2017 --as-of 2025-06-01)
echo "$out" | grep -s '"route": "catalogue"' >/dev/null || fail "catalogue route"

# --save needs a case
set +e
"$BIN" score --fact award=nobel --save >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "--save without a case should be a usage error, got $rc"

out=$("$BIN" rules list)
echo "$out" | grep -s cn-work-permit-2017 >/dev/null || fail "rules list"
out=$("$BIN" --json rules show cn-work-permit-2017)
echo "$out" | grep -s '"max_points": 120' >/dev/null || fail "rules show"
"$BIN" rules check data/rules >/dev/null || fail "rules check dir"

printf '[ruleset bad]\ntitle = x\nbasis = y\neffective_from = 2020-01-01\nsample = no\n[tier A]\nname = A\nrank = 1\n[factor f]\ntitle = F\ncap = 5\naggregate = max\ninput = hsk_level\nband = [1,2) 1\nband = [3,) 2\n' > "$tmp/bad.tdp"
set +e
err=$("$BIN" rules check "$tmp/bad.tdp" 2>&1 >/dev/null); rc=$?
"$BIN" code verify CQ-7KQ4-M9XE >/dev/null 2>&1; rc2=$?
set -e
[ "$rc" -eq 8 ] || fail "malformed rule file exit code $rc"
echo "$err" | grep -s "bad.tdp:15:" >/dev/null || fail "malformed rule file line: $err"
[ "$rc2" -eq 6 ] || fail "mistyped talent code exit code $rc2"

# End to end on a demo database: facts, a saved score (twice: linked), entitlements.
export TALENTDESK_NOW=2026-06-15
db="$tmp/e2e.db"
"$BIN" --db "$db" init --demo >/dev/null || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
"$BIN" --db "$db" --user clerk1 person add --name 王五 --id-no 11010519491231002x --phone 13800138001 >/dev/null \
  || fail "person add"
svc=$(sqlite3 "$db" "SELECT id FROM services ORDER BY sort LIMIT 1")
"$BIN" --db "$db" --user clerk1 --json case new 11010519491231002X --service "$svc" >"$tmp/c.json" || fail "case new"
case_no=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["case_no"])' "$tmp/c.json")
P=11010519491231002X
"$BIN" --db "$db" --user clerk1 facts $P add programme=honghyan --verified --evidence "入选文件" >/dev/null || fail "facts add"
"$BIN" --db "$db" --user clerk1 facts $P add annual_salary=800000 --verified --evidence "劳动合同" >/dev/null || fail "facts add 2"
"$BIN" --db "$db" --user clerk1 facts $P add offshore_talent=yes >/dev/null || fail "facts add claimed"
out=$("$BIN" --db "$db" --user clerk1 --json facts $P list)
echo "$out" | grep -s '"status": "claimed"' >/dev/null || fail "claimed fact listed: $out"
out=$("$BIN" --db "$db" --user reviewer1 --json score "$case_no" --rules cq-recognition-sample --save)
echo "$out" | grep -s '"tier": "leading"' >/dev/null || fail "case score tier: $out"
echo "$out" | grep -s '"snapshot_id": "' >/dev/null || fail "snapshot id"
"$BIN" --db "$db" --user reviewer1 score "$case_no" --rules cq-recognition-sample --save >/dev/null || fail "rescore"
n=$(sqlite3 "$db" "SELECT count(*) FROM score_snapshots WHERE prev_id IS NOT NULL")
[ "$n" -eq 1 ] || fail "re-score should link to the previous snapshot ($n)"
out=$("$BIN" --db "$db" --user clerk1 --json score --history "$case_no")
sid=$(echo "$out" | python3 -c 'import json,sys; h=json.load(sys.stdin); assert len(h)==2 and h[0]["prev_id"]==h[1]["id"]; print(h[1]["id"])') \
  || fail "score --history"
"$BIN" --db "$db" --user clerk1 facts $P add patent=ZL2025001 --verified --evidence "证书" >/dev/null
out=$("$BIN" --db "$db" --user clerk1 score --snapshot "$sid") || fail "score --snapshot"
echo "$out" | grep -s "identical" >/dev/null || fail "snapshot reproduced: $out"
out=$("$BIN" --db "$db" --user clerk1 --json entitlements "$case_no")
echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
e = {x["id"]: x for x in d["entitlements"]}
assert d["tier"] == "leading", d["tier"]
assert e["honghyan-award"]["status"] == "eligible"
assert e["honghyan-employer-subsidy"]["amount_fen"] == 4000000, e["honghyan-employer-subsidy"]
assert e["talent-housing"]["status"] == "unverified"   # offshore_talent only claimed
' || fail "entitlements JSON"
set +e
"$BIN" --db "$db" --user clerk1 code show "$case_no" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 3 ] || fail "code show before approval should be not-found, got $rc"
echo "scoring_cli: ok"
