#!/usr/bin/env bash
# scoring_cli_code.sh — 人才服务码 and entitlements from the CLI on a demo
# database.  An independent MOD 37-2 implementation (Python) makes codes: a
# well-formed unknown code is "not found" (3), a mistyped one "invalid" (6);
# a code recorded for a case is verified and shown as a QR code (half-blocks,
# PNG, SVG; decoded with zbarimg when installed).  Also: tech-transfer reward
# computed and granted up to the unit's yearly cap, facts names, rules show.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_DATA="$PWD/data" TALENTDESK_LANG=en TALENTDESK_NOW=2026-06-15
db="$tmp/x.db"
fail() { echo "FAIL: $*" >&2; exit 1; }
T() { "$BIN" --db "$db" "$@"; }

mod37() { # prints BODY + check character (ISO/IEC 7064 MOD 37-2)
  python3 - "$1" <<'PY'
import sys
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
b = sys.argv[1]; p = 0
for ch in b:
    p = ((p + A.index(ch)) * 2) % 37
print(b + A[(38 - p) % 37])
PY
}

T init --demo >/dev/null || fail "init"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
code=$(mod37 CQ7KQ4M9X)
[ "${code:9:1}" != "*" ] || code=$(mod37 CQ7KQ4M9Y)
disp="${code:0:2}-${code:2:4}-${code:6:4}"

set +e
T --user clerk1 code verify "$disp" >/dev/null 2>&1; rc=$?
bad="${disp:0:4}$( [ "${disp:4:1}" = 2 ] && echo 3 || echo 2 )${disp:5}"
T --user clerk1 code verify "$bad" >/dev/null 2>&1; rc2=$?
swapped="${disp:0:3}${disp:4:1}${disp:3:1}${disp:5}"
T --user clerk1 code verify "$swapped" >/dev/null 2>&1; rc3=$?
set -e
[ "$rc" -eq 3 ] || fail "well-formed unknown code: exit $rc"
[ "$rc2" -eq 6 ] || fail "mistyped code $bad: exit $rc2"
if [ "${disp:3:1}" != "${disp:4:1}" ]; then [ "$rc3" -eq 6 ] || fail "swapped code $swapped: exit $rc3"; fi

# record the code for a demo case, as the approval step would
case_id=$(sqlite3 "$db" "SELECT id FROM cases ORDER BY case_no LIMIT 1")
case_no=$(sqlite3 "$db" "SELECT case_no FROM cases WHERE id = '$case_id'")
person=$(sqlite3 "$db" "SELECT person_id FROM cases WHERE id = '$case_id'")
station=$(sqlite3 "$db" "SELECT id FROM stations WHERE code = 'CQ'")
sqlite3 "$db" "INSERT INTO talent_codes (id, code, case_id, person_id, tier_id, station_id, created_at, updated_at)
               VALUES ('00000000-0000-7000-8000-000000000001', '$code', '$case_id', '$person', 'young', '$station',
                       '2026-06-15T02:00:00.000Z', '2026-06-15T02:00:00.000Z')"
out=$(T --user clerk1 --json code verify "$(echo "$disp" | tr 'A-Z' 'a-z')") || fail "code verify (lower case)"
echo "$out" | grep -s '"valid": true' >/dev/null || fail "verify JSON: $out"
echo "$out" | grep -s "\"case_no\": \"$case_no\"" >/dev/null || fail "verify case"
out=$(T --user clerk1 code show "$case_no" --png "$tmp/q.png" --svg "$tmp/q.svg") || fail "code show"
echo "$out" | grep -s '█' >/dev/null || fail "half-block QR in the terminal"
echo "$out" | grep -s "$disp" >/dev/null || fail "code printed under the QR"
head -c 8 "$tmp/q.png" | od -An -c | grep -s 'P   N   G' >/dev/null || fail "PNG signature"
grep -q '<svg' "$tmp/q.svg" || fail "SVG"
if command -v zbarimg >/dev/null 2>&1; then
  got=$(zbarimg --quiet --raw "$tmp/q.png" 2>/dev/null | tr -d '\r\n')
  [ "$got" = "$disp" ] || fail "QR decodes to '$got', expected $disp"
fi
out=$(T --user clerk1 --json code show "$case_no")
echo "$out" | grep -s '"modules": ' >/dev/null || fail "code show JSON"

# tech-transfer rewards: 2%, ≤ ¥200,000 a contract, ≤ ¥1,000,000 a unit a year; the unit by its
# 统一社会信用代码 (GB 32100), the talent a verified offshore talent, each contract rewarded once
unit=125000004500000015
set +e
T --user clerk1 entitlements reward $unit 10000000 --contract HT-1 --date 2026-01-01 --person "$person" --grant \
  >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -ne 0 ] || fail "granted to a person who is not a verified offshore talent"
T --user clerk1 facts "$person" add offshore_talent=yes --verified --evidence "离岸人才认定文件" >/dev/null \
  || fail "offshore fact"
for i in 1 2 3 4; do
  T --user clerk1 entitlements reward $unit 10000000 --unit-name "某研究院 " --contract "HT-$i" \
    --date 2026-0$i-01 --person "$person" --grant >/dev/null || fail "grant $i"
done
set +e
T --user clerk1 entitlements reward $unit 10000000 --contract HT-4 --date 2026-05-01 --person "$person" --grant \
  >/dev/null 2>&1; rc=$?
T --user clerk1 entitlements reward 某研究院 10000000 --contract HT-7 >/dev/null 2>&1; rc2=$?
set -e
[ "$rc" -ne 0 ] || fail "contract HT-4 rewarded twice"
[ "$rc2" -ne 0 ] || fail "a unit name accepted instead of its credit code"
out=$(T --user clerk1 --json entitlements reward $unit 30000000 --contract HT-5 --date 2026-09-01 --person "$person" \
  --grant)
echo "$out" | grep -s '"amount_fen": 20000000' >/dev/null || fail "fifth grant reaches the cap: $out"
out=$(T --user clerk1 --json entitlements reward $unit 30000000 --date 2026-10-01)
echo "$out" | grep -s '"amount_fen": 0' >/dev/null || fail "cap reached: $out"
echo "$out" | grep -s '"granted_before_fen": 100000000' >/dev/null || fail "granted before: $out"
set +e
T --user clerk1 entitlements reward $unit abc >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "bad amount: exit $rc"

out=$(T --json facts names)
echo "$out" | grep -s '"name": "hsk_level"' >/dev/null || fail "facts names"
out=$(T rules show cn-work-permit-2017)
echo "$out" | grep -s '\[450000, )' >/dev/null || fail "rules show bands: $out"
echo "scoring_cli_code: ok"
