#!/usr/bin/env bash
# Issue 14.2: a `policy load` killed while it writes the due dates a new
# holiday calendar moves leaves the rest planned (local_due_pending, written
# in the transaction that committed the calendar).  Here such a plan is put in
# place by hand: `talentdesk check` reports it, a reading command leaves it
# (reading commands never write), and the next write command finishes it —
# the date moved once, audited as the loader, captured for sync.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16T02:00:00Z TALENTDESK_LANG=en
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$tmp/x.db"
source "$(dirname "$0")/lib/session.sh"
"$bin" --db "$db" init --demo --persons 6 >/dev/null || fail "init --demo"
td_login_demo_users "$bin" "$db" || fail "login"
q() { sqlite3 "$db" "$1"; }

sr=$(q "SELECT id FROM service_requests WHERE status IN ('pending','in_progress') AND due_date IS NOT NULL ORDER BY id LIMIT 1")
[ -n "$sr" ] || fail "no open task in the demo data"
old=$(q "SELECT due_date || '|' || due_approx || '|' || case_id FROM service_requests WHERE id = '$sr'")
due=${old%%|*}; rest=${old#*|}; approx=${rest%%|*}; case_id=${rest#*|}
admin=$(q "SELECT id FROM users WHERE username = 'admin'")
q "INSERT INTO local_due_pending(entity, row_id, case_id, old_due, old_approx, new_due, new_approx, user_id, planned_at)
   VALUES ('service_requests', '$sr', '$case_id', '$due', $approx, '2027-06-30', 0, '$admin', '2026-03-16T01:00:00.000Z')"

set +e
"$bin" --db "$db" check >"$tmp/c1" 2>&1; rc=$?
set -e
[ "$rc" -ne 0 ] || fail "check passed with a due date still to be moved"
grep -q "1 due date(s) still to be moved" "$tmp/c1" || fail "check does not say so: $(cat "$tmp/c1")"

# a reading command leaves it
"$bin" --db "$db" --user clerk1 person list >/dev/null || fail "person list"
[ "$(q "SELECT count(*) FROM local_due_pending")" = 1 ] || fail "a reading command wrote the due date"

# the next write command finishes it
"$bin" --db "$db" --user clerk1 person add --name 李四 --id-no 11010519491231002x --phone 13800138001 >/dev/null \
  || fail "person add"
[ "$(q "SELECT count(*) FROM local_due_pending")" = 0 ] || fail "the write command left the move"
[ "$(q "SELECT due_date || '/' || due_approx FROM service_requests WHERE id = '$sr'")" = "2027-06-30/0" ] \
  || fail "due date not moved"
n=$(q "SELECT count(*) FROM audit_log WHERE action = 'due.recompute' AND entity_id = '$sr' AND user_id = '$admin'
       AND new_value = '2027-06-30' AND reason = 'calendar'")
[ "$n" = 1 ] || fail "moved $n times in the audit log"
n=$(q "SELECT count(*) FROM local_sync_ops o JOIN audit_log a ON a.id = o.audit_id
       WHERE o.tbl = 'service_requests' AND o.row_id = '$sr' AND o.col = 'due_date' AND o.new = '2027-06-30'
       AND a.action = 'due.recompute'")
[ "$n" = 1 ] || fail "the move has $n sync operations"
"$bin" --db "$db" check >"$tmp/c2" 2>&1 || fail "check after the move: $(cat "$tmp/c2")"
"$bin" --db "$db" audit verify >/dev/null || fail "audit chain"
echo "robust_due_resume: ok"
