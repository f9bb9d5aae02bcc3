#!/usr/bin/env bash
# CLI end-to-end: init --demo, list/show in both languages and JSON, exit
# codes and Chinese errors on stderr, nothing raw reaching the terminal.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/x.db"
export TALENTDESK_NOW=2026-03-16

fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" --version | grep -s '^talentdesk [0-9]' >/dev/null || fail "--version"
"$bin" --help | grep -s '用法' >/dev/null || fail "--help in Chinese by default"
"$bin" --lang en --help | grep -s 'Usage' >/dev/null || fail "--help in English"

"$bin" --db "$db" init --demo >"$tmp/init.out" || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
grep -q '数据库已就绪' "$tmp/init.out" || fail "init message in Chinese"

# the demo cases as JSON: a non-empty array with case numbers of this station/year
"$bin" --db "$db" --json case list >"$tmp/cases.json" || fail "case list --json"
python3 - "$tmp/cases.json" <<'PY' || fail "case list JSON"
import json, sys
cases = json.load(open(sys.argv[1]))
assert len(cases) >= 30, len(cases)
assert all(c["case_no"].split("-")[1] == "2026" for c in cases)
states = {c["state"] for c in cases}
assert len(states) >= 6, states
PY

# every synchronised table is keyed by a TEXT NOT NULL primary key
for t in stations users persons cases service_requests case_documents audit_log services; do
  sqlite3 "$db" "SELECT type, \"notnull\", pk FROM pragma_table_info('$t') WHERE name = 'id'" | grep -sx 'TEXT|1|1' >/dev/null \
    || fail "table $t lacks id TEXT NOT NULL PRIMARY KEY"
done

# add a person and a case as clerk1, then read them back
"$bin" --db "$db" --user clerk1 person add --name 张三 --id-no 11010519491231002x --phone 13800138000 >"$tmp/p.out" \
  || fail "person add"
grep -q '已新增人员' "$tmp/p.out" || fail "person add message"
svc=$(sqlite3 "$db" "SELECT id FROM services ORDER BY sort LIMIT 1")
"$bin" --db "$db" --user clerk1 --json case new 11010519491231002X --service "$svc" >"$tmp/c.json" || fail "case new"
case_no=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["case_no"])' "$tmp/c.json")
[[ "$case_no" == CQ-2026-* ]] || fail "case number $case_no"
"$bin" --db "$db" case show "$case_no" | grep -s '张三' >/dev/null || fail "case show"

# errors: Chinese on stderr, documented exit codes, nothing changed
set +e
"$bin" --db "$db" --user clerk1 person add --name 李四 --id-no 110105194912310021 2>"$tmp/err" >/dev/null
rc=$?
set -e
[ "$rc" -eq 6 ] || fail "invalid ID exit code $rc (want 6)"
grep -q '校验' "$tmp/err" || fail "Chinese message for a bad check character: $(cat "$tmp/err")"
set +e
"$bin" --db "$db" --user reviewer1 person add --name 李四 --id-no 440524188001010014 2>"$tmp/err" >/dev/null
rc=$?
"$bin" --db "$db" nosuchcommand 2>/dev/null; rc2=$?
"$bin" --db "$db" case show CQ-2026-999999 2>/dev/null; rc3=$?
set -e
[ "$rc" -eq 4 ] || fail "denied exit code $rc (want 4)"
grep -q '权限' "$tmp/err" || fail "Chinese permission message"
[ "$rc2" -eq 2 ] || fail "usage exit code $rc2"
[ "$rc3" -eq 3 ] || fail "not-found exit code $rc3"
[ "$(sqlite3 "$db" "SELECT count(*) FROM persons WHERE name = '李四'")" = 0 ] || fail "denied action changed data"

# stored text with escape sequences never reaches the terminal raw
sqlite3 "$db" "UPDATE persons SET name = '王'||char(27)||'[2J五'||char(8238) WHERE name = '张三'" 2>/dev/null || true
"$bin" --db "$db" case show "$case_no" >"$tmp/show.out"
"$bin" --db "$db" --json case show "$case_no" >"$tmp/show.json"
if LC_ALL=C grep -q $'\x1b' "$tmp/show.out" "$tmp/show.json"; then fail "raw ESC reached the terminal"; fi
if grep -q $'\u202e' "$tmp/show.out" "$tmp/show.json"; then fail "raw RLO reached the terminal"; fi

# audit chain intact
sqlite3 "$db" "SELECT count(*) FROM audit_log" | grep -sv '^0$' >/dev/null || fail "no audit rows"
echo "cli_basic: ok"
