#!/usr/bin/env bash
# The audit log an attacker with sqlite3 (guard triggers dropped) but without
# the station key (<db>.key) cannot rewrite: deleting the newest row, the
# newest 50 or every row, forging the head record, editing a row (also with the
# whole chain recomputed as plain SHA-256), appending forged rows, marking a
# row deleted (issue 9 item 5) — `audit verify` exits 5 for each; an anchor
# from `audit anchor` catches a chain cut short with its head record; a
# missing key is an error; changing cases.state or a person's field without an
# audit row is found by `audit reconcile`.
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

T init --demo --persons 8 >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
[ "$(stat -c %a "$db.key")" = 600 ] || fail "key file mode $(stat -c %a "$db.key")"
[ "$(stat -c %a "$db")" = 600 ] || fail "database mode $(stat -c %a "$db")"
T audit verify >/dev/null || fail "fresh log does not verify: $(T audit verify 2>&1)"
T audit reconcile >/dev/null || fail "fresh data does not reconcile: $(T audit reconcile 2>&1)"
q "SELECT count(*) FROM audit_log WHERE hash NOT LIKE 'k1:%'" | grep -qx 0 || fail "unauthenticated rows written"
T audit anchor >"$tmp/anchor"
grep -qE '^CQ [0-9]+ k1:[0-9a-f]{64}$' "$tmp/anchor" || fail "anchor format: $(cat "$tmp/anchor")"
n=$(q "SELECT max(seq) FROM audit_log")
[ "$n" -gt 60 ] || fail "too few rows for the test ($n)"
q "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$db" "$tmp/pristine.db"

restore() { rm -f "$db" "$db-wal" "$db-shm"; cp "$tmp/pristine.db" "$db"; }
tamper() { q "DROP TRIGGER IF EXISTS audit_log_no_delete; DROP TRIGGER IF EXISTS audit_log_no_update; $1"; }
expect_broken() { # NAME [verify options]
  local name=$1; shift
  local r; r=$(rc T audit verify "$@")
  [ "$r" -eq 5 ] || fail "$name: audit verify exits $r (want 5): $(cat "$tmp/out" "$tmp/err")"
  grep -qP '[\x{4e00}-\x{9fff}]{2,}' "$tmp/err" || fail "$name: no Chinese message"
}

restore; tamper "DELETE FROM audit_log WHERE seq = $n"
expect_broken "newest row deleted"
grep -q '截断\|缺少' "$tmp/err" || fail "cut-short message: $(cat "$tmp/err")"
restore; tamper "DELETE FROM audit_log WHERE seq > $((n - 50))"
expect_broken "newest 50 rows deleted"
restore; tamper "DELETE FROM audit_log"
expect_broken "every row deleted"
# the head record moved back to the new last row, without the key
restore; tamper "DELETE FROM audit_log WHERE seq = $n;
  UPDATE settings SET value = (SELECT seq || ' ' || hash || ' ' || substr(value, -64) FROM audit_log, settings
    WHERE key = 'audit.head' AND seq = $((n - 1))) WHERE key = 'audit.head'"
expect_broken "head record forged"
# the head record removed as well: seen without anchor, and with it
restore; tamper "DELETE FROM audit_log WHERE seq > $((n - 3)); DELETE FROM settings WHERE key = 'audit.head'"
expect_broken "rows and head removed"
expect_broken "rows and head removed, anchor file" --anchor "$tmp/anchor"
expect_broken "rows and head removed, anchor hash" --anchor "$(awk '/^CQ/ {print $3}' "$tmp/anchor")"
# an edited row keeping its hash
restore; tamper "UPDATE audit_log SET reason = '篡改' WHERE seq = 5"
expect_broken "edited row"
grep -q ' 5' "$tmp/err" || fail "edited row not named: $(cat "$tmp/err")"
# an edited row with the whole chain recomputed as plain SHA-256 (the old format)
restore; tamper "UPDATE audit_log SET new_value = 'closed' WHERE seq = 7"
python3 - "$db" <<'PY'
import hashlib, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
prev = "0" * 64
rows = c.execute("SELECT id, station_id, seq, at, user_id, case_id, action, entity, entity_id, field, "
                 "old_value, new_value, reason FROM audit_log ORDER BY seq").fetchall()
for r in rows:
    f = [("\x1e" if v is None else str(v)) for v in r]
    h = hashlib.sha256((prev + "\n" + "\x1f".join(f)).encode()).hexdigest()
    c.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, r[0]))
    prev = h
c.execute("DELETE FROM settings WHERE key = 'audit.head'")
c.commit()
PY
expect_broken "chain recomputed without the key"
# forged rows appended: authenticated-looking and old-format
restore; tamper "INSERT INTO audit_log(id, station_id, seq, at, user_id, action, prev_hash, hash, created_at, updated_at)
  SELECT 'forged', station_id, seq + 1, at, user_id, 'case.transition', hash,
         'k1:' || lower(hex(randomblob(32))), at, at FROM audit_log WHERE seq = $n"
expect_broken "forged keyed row appended"
restore; tamper "INSERT INTO audit_log(id, station_id, seq, at, user_id, action, prev_hash, hash, created_at, updated_at)
  SELECT 'forged', station_id, seq + 1, at, user_id, 'case.transition', hash,
         lower(hex(randomblob(32))), at, at FROM audit_log WHERE seq = $n"
expect_broken "forged plain row appended"
# a row marked deleted (issue 9 item 5), also in the middle
restore; tamper "UPDATE audit_log SET deleted_at = at WHERE seq = $((n / 2))"
expect_broken "row marked deleted"
grep -q '删除' "$tmp/err" || fail "deleted message: $(cat "$tmp/err")"
# row_version bumped
restore; tamper "UPDATE audit_log SET row_version = 2 WHERE seq = 3"
expect_broken "row_version edited"
# no key: an error, not OK
restore; mv "$db.key" "$tmp/key.bak"
r=$(rc T audit verify); [ "$r" -ne 0 ] || fail "verify without the key said OK"
r=$(rc T --user clerk1 person add --name 李雷 --id-no 440524188001010014); [ "$r" -ne 0 ] || fail "wrote audit rows without the key"
mv "$tmp/key.bak" "$db.key"
# the untouched copy still verifies with its anchor
restore; T audit verify --anchor "$tmp/anchor" >/dev/null || fail "anchor check of the intact log"

# domain changed behind the log's back: the chain holds, reconcile does not
restore; q "UPDATE cases SET state = 'closed' WHERE case_no = (SELECT min(case_no) FROM cases WHERE state <> 'closed')"
T audit verify >/dev/null || fail "verify should still pass"
r=$(rc T audit reconcile); [ "$r" -eq 5 ] || fail "reconcile missed a state change ($r)"
grep -q 'CQ-2026-' "$tmp/err" || fail "reconcile does not name the case: $(cat "$tmp/err")"
restore; q "UPDATE persons SET name = '冒名' WHERE id = (SELECT min(id) FROM persons)"
r=$(rc T audit reconcile); [ "$r" -eq 5 ] || fail "reconcile missed a name change ($r)"
restore; q "UPDATE persons SET row_version = row_version + 5 WHERE id = (SELECT min(id) FROM persons)"
r=$(rc T audit reconcile); [ "$r" -eq 5 ] || fail "reconcile missed a row_version change ($r)"
restore; q "INSERT INTO persons(id, name, id_type, id_no, created_at, updated_at)
  SELECT '0190aaaa-0000-7000-8000-000000000000', '幽灵', id_type, '110105194912310029', created_at, updated_at
  FROM persons LIMIT 1" 2>/dev/null || true
if [ "$(q "SELECT count(*) FROM persons WHERE name = '幽灵'")" -eq 1 ]; then
  r=$(rc T audit reconcile); [ "$r" -eq 5 ] || fail "reconcile missed an unaudited person ($r)"
fi
echo "audit_tamper: ok"
