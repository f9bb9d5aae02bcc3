#!/usr/bin/env bash
# Tampering: a changed, inserted or removed audit row, a changed policy text
# and a corrupted page are each found by `audit verify` / `talentdesk check`
# (exit 5 / 7), and the report reaches the terminal sanitised.
# Prints: cases, detected.
set -uo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
base="$tmp/base.db"
"$bin" --db "$base" init --demo >/dev/null || { echo "FAIL: init"; exit 1; }
source "$(dirname "$0")/../lib/session.sh"; td_login_demo_users "$bin" "$base"
"$bin" --db "$base" check >/dev/null || { echo "FAIL: a fresh demo database fails check"; exit 1; }
cases=0 detected=0 raw=0
tamper() { # NAME SQL CHECK-ARGS
  cases=$((cases + 1))
  rm -f "$tmp/t.db" "$tmp/t.db-wal" "$tmp/t.db-shm"; cp "$base" "$tmp/t.db"
  # the drops are read first, then run: a reader in the same pipeline would
  # hold the database while the writer drops (database is locked)
  sqlite3 "$tmp/t.db" "SELECT 'DROP TRIGGER \"' || name || '\";' FROM sqlite_schema WHERE type = 'trigger'" >"$tmp/drops.sql"
  sqlite3 "$tmp/t.db" <"$tmp/drops.sql" || { echo "FAIL: could not drop the triggers for: $1"; exit 1; }
  sqlite3 "$tmp/t.db" "$2" || { echo "FAIL: could not tamper: $1"; exit 1; }
  "$bin" --db "$tmp/t.db" $3 >"$tmp/out" 2>&1; rc=$?
  if [ "$rc" -ne 0 ]; then detected=$((detected + 1)); else echo "not detected: $1" >&2; fi
  LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]' "$tmp/out" && { raw=$((raw + 1)); echo "raw bytes: $1" >&2; }
}
e="char(27)||'[2J'"
tamper "audit value changed" "UPDATE audit_log SET new_value = 'x' WHERE rowid = 5" "audit verify"
tamper "audit id with ESC" "UPDATE audit_log SET id = id || $e WHERE rowid = 1" "--json audit verify"
tamper "audit row removed" "DELETE FROM audit_log WHERE rowid = 7" "audit verify"
tamper "audit row inserted" "INSERT INTO audit_log SELECT id || 'x', station_id, seq + 100000, at, user_id, case_id, action, entity, entity_id, field, old_value, new_value, reason, prev_hash, hash, created_at, updated_at, row_version, deleted_at FROM audit_log WHERE rowid = 3" "check"
tamper "policy text changed" "UPDATE policy_versions SET content = content || ' ' WHERE rowid = 1" "check"
tamper "counter rolled back" "UPDATE counters SET next = 1 WHERE kind = 'case'" "check"
tamper "dangling reference" "PRAGMA foreign_keys = OFF; UPDATE cases SET person_id = 'nobody' WHERE rowid = 1" "check"
cases=$((cases + 1))
cp "$base" "$tmp/t.db"
pg=$(sqlite3 "$tmp/t.db" "SELECT rootpage FROM sqlite_schema WHERE name = 'calendar_days'")
printf '\x00\x00\x00\x00' | dd of="$tmp/t.db" bs=1 seek=$(( (pg - 1) * 4096 )) conv=notrunc 2>/dev/null
"$bin" --db "$tmp/t.db" check >/dev/null 2>&1 || detected=$((detected + 1))
echo "tampering: cases=$cases detected=$detected raw_control_outputs=$raw"
[ "$detected" -eq "$cases" ] && [ "$raw" -eq 0 ]
