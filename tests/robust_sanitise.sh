#!/usr/bin/env bash
# Issue 14.7/14.9: over a database whose every text column carries terminal
# escapes, C1 controls and bidi overrides (and a tampered audit row id), no
# command's stdout or stderr, text or --json, contains a raw control byte.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$tmp/x.db"
"$bin" --db "$db" init --demo >/dev/null || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
pid=$(sqlite3 "$db" "SELECT id FROM persons WHERE deleted_at IS NULL ORDER BY rowid LIMIT 1")
case_no=$(sqlite3 "$db" "SELECT case_no FROM cases ORDER BY rowid LIMIT 1")
notice_case=$("$bin" --db "$db" --json case list | python3 -c '
import json,sys
for c in json.load(sys.stdin):
    if c["state"] == "awaiting_docs": print(c["case_no"]); break')

# a tamperer drops the guarding triggers first
sqlite3 "$db" "SELECT 'DROP TRIGGER \"' || name || '\";' FROM sqlite_schema WHERE type = 'trigger'" >"$tmp/drop.sql"
sqlite3 "$db" <"$tmp/drop.sql"
# ESC [2J, OSC 52 ... BEL, CSI as C1 (U+009B), RLO (U+202E), a bare CR and BS
evil="char(27)||'[2J'||char(27)||']52;c;QUJD'||char(7)||char(155)||'1m'||char(8238)||char(13)||char(8)"
sqlite3 "$db" "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p
               WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '%fts%'
                 AND upper(p.type) = 'TEXT' AND p.pk = 0 AND p.name NOT LIKE '%\_id' ESCAPE '\'
                 AND p.name NOT IN ('id', 'case_no', 'created_at', 'updated_at', 'deleted_at', 'state',
                                    'status', 'kind', 'id_type', 'roles', 'username', 'code')" |
while IFS='|' read -r t col; do
  echo "UPDATE \"$t\" SET \"$col\" = COALESCE(\"$col\", '') || $evil WHERE rowid % 2 = 1;"
done >"$tmp/evil.sql"
sqlite3 "$db" <"$tmp/evil.sql" 2>/dev/null || true
# a tampered audit row id (the case that reached a terminal before)
sqlite3 "$db" "UPDATE audit_log SET id = id || $evil WHERE rowid = 1" 2>/dev/null || true

cmds=(
  "person list" "person show $pid" "case list" "case show $case_no" "case history $case_no"
  "case actions $case_no" "search 张" "search a" "audit verify" "audit log $case_no" "dupes list"
  "docs $case_no" "notice $notice_case" "service list" "policy list" "user list" "facts list $pid"
  "entitlements $pid" "queue mine" "queue overdue" "queue awaiting" "queue signoff" "task list $case_no"
  "rules list" "calendar is 2026-03-16" "score $case_no" "export persons $tmp/exp.csv"
)
runs=0 raw=0
for c in "${cmds[@]}"; do
  for j in "" "--json"; do
    # shellcheck disable=SC2086
    "$bin" --db "$db" --user admin $j $c >"$tmp/out" 2>&1 || true
    runs=$((runs + 1))
    # C0 except newline and tab, DEL, C1 as UTF-8, bidi overrides and isolates
    if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$tmp/out"; then
      raw=$((raw + 1))
      echo "raw control bytes from: talentdesk $j $c" >&2
      LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]' "$tmp/out" | head -2 | cat -v >&2
    fi
  done
done
echo "sanitise: runs=$runs raw_control_outputs=$raw"
[ "$raw" -eq 0 ] || fail "$raw outputs carried raw control bytes"
