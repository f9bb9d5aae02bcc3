#!/usr/bin/env bash
# cli_refdata.sh — the policy, service and calendar commands end to end:
# exit codes, Chinese output, --json, and a malformed data directory that is
# reported with file and line and leaves the database as it was.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-./talentdesk}
SRC=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB="$T/t.db"
export TALENTDESK_LANG=zh_CN TALENTDESK_DATA="$SRC/data"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() { local want=$1; shift; set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e
  [ "$rc" -eq "$want" ] || { cat "$T/out" "$T/err" >&2; fail "rc $rc (want $want): $*"; }; }

expect_rc 0 "$BIN" --db "$DB" init --demo
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$DB"
expect_rc 0 "$BIN" policy check "$SRC/data"
grep -q "校验通过" "$T/out" || fail "policy check output"

# services
expect_rc 0 "$BIN" --db "$DB" service list
n=$(grep -c '\*' "$T/out") ; [ "$n" -ge 38 ] || fail "service list: $n rows"
expect_rc 0 "$BIN" --db "$DB" --json service list --area 金融服务
grep -q '"code": "haichuang_loan"' "$T/out" || fail "service list --area json"
grep -q '"code": "legal_aid"' "$T/out" && fail "--area did not filter"
expect_rc 0 "$BIN" --db "$DB" service show 企业开办
grep -q "所需材料" "$T/out" || fail "service show checklist"
grep -q "enterprise_setup" "$T/out" || fail "service show by Chinese name"
expect_rc 3 "$BIN" --db "$DB" service show no_such_service
grep -q "没有这项服务" "$T/err" || fail "service show not found message"
expect_rc 2 "$BIN" --db "$DB" service frobnicate

# calendar
expect_rc 0 "$BIN" --db "$DB" calendar add 2026-02-13 5
grep -q "2026-02-27 星期五" "$T/out" || fail "calendar add: $(cat "$T/out")"
expect_rc 0 "$BIN" --db "$DB" --json calendar add 2026-02-13 1
grep -q '"date": "2026-02-14"' "$T/out" || fail "calendar add json"
grep -q '"approx": false' "$T/out" || fail "calendar add approx"
expect_rc 0 "$BIN" --db "$DB" calendar is 2026-02-28
grep -q "工作日（春节调休上班）" "$T/out" || fail "calendar is 28 Feb: $(cat "$T/out")"
expect_rc 0 "$BIN" --db "$DB" --json calendar is 2026-10-05
grep -q '"workday": false' "$T/out" || fail "calendar is 5 Oct"
grep -q '"holiday": "国庆节"' "$T/out" || fail "calendar is 5 Oct name"
expect_rc 0 "$BIN" --db "$DB" --json calendar add 2027-03-01 3
grep -q '"approx": true' "$T/out" || fail "2027 must be approximate"
expect_rc 0 "$BIN" --db "$DB" calendar between 2025-12-31 2026-12-31
grep -q "248" "$T/out" || fail "2026 has 248 working days: $(cat "$T/out")"
expect_rc 2 "$BIN" --db "$DB" calendar add 2026-02-30 1
expect_rc 2 "$BIN" --db "$DB" calendar add 2026-02-13 x

# policy load: administrators only
expect_rc 4 "$BIN" --db "$DB" --user clerk1 policy load
expect_rc 0 "$BIN" --db "$DB" policy load
expect_rc 0 "$BIN" --db "$DB" --json policy list
[ "$(grep -c '"current": true' "$T/out")" -eq 15 ] || fail "policy list: 15 current versions (6 reference files + workflow + 2 rule sets + targets + ratings + notice + countries + entitlements + roles)"

# a broken copy: reported with file and line, nothing written
mkdir "$T/data"
cp "$SRC"/data/*.tdp "$T/data/"
sed -i 's/^doc = archive_letter$/doc = foo/' "$T/data/services.tdp"
line=$(grep -n '^doc = foo$' "$T/data/services.tdp" | cut -d: -f1)
before=$(sqlite3 "$DB" "SELECT count(*) FROM policy_versions" 2>/dev/null || echo skip)
expect_rc 8 "$BIN" --db "$DB" policy check "$T/data"
grep -q "services.tdp:$line: 未知的材料类型“foo”" "$T/err" || fail "check message: $(cat "$T/err")"
expect_rc 8 "$BIN" --db "$DB" policy load "$T/data"
grep -q "services.tdp:$line:" "$T/err" || fail "load message"
if [ "$before" != skip ]; then
  [ "$(sqlite3 "$DB" "SELECT count(*) FROM policy_versions")" = "$before" ] || fail "policy_versions changed"
fi
# a changed time limit is loaded as a new version
sed -i 's/^doc = foo$/doc = archive_letter/' "$T/data/services.tdp"
sed -i '/^\[service archive_transfer\]/,/^$/ s/^days = 5$/days = 4/' "$T/data/services.tdp"
expect_rc 0 "$BIN" --db "$DB" policy load "$T/data"
expect_rc 0 "$BIN" --db "$DB" --json service show archive_transfer
grep -q '"days": 4' "$T/out" || fail "changed days not loaded"
expect_rc 0 "$BIN" --db "$DB" policy list
[ "$(grep -c 'services.tdp' "$T/out")" -eq 2 ] || fail "two versions of services.tdp expected"
echo ok
