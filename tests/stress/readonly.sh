#!/usr/bin/env bash
# Read-only mount: every reading command works on a database on a read-only
# mount, every writing command is refused with exit 7 and a message, and the
# file is byte-for-byte unchanged.  Prints: reads ok, writes refused.
set -uo pipefail
bin=${TD_BIN:-./talentdesk}
if ! unshare -rm true 2>/dev/null; then echo "read-only mount: skipped (no mount namespaces)"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
mkdir "$tmp/ro"
"$bin" --db "$tmp/ro/x.db" init --demo >/dev/null || { echo "FAIL: init"; exit 1; }
source "$(dirname "$0")/../lib/session.sh"; td_login_demo_users "$bin" "$tmp/ro/x.db"
case_no=$(sqlite3 "$tmp/ro/x.db" "SELECT case_no FROM cases ORDER BY rowid LIMIT 1")
sum=$(sha256sum "$tmp/ro/x.db" | cut -c1-64)
unshare -rm bash -s "$tmp/ro" "$bin" "$case_no" "$sum" <<'INNER'
ro=$1 bin=$2 case_no=$3 sum=$4
mount --bind "$ro" "$ro" && mount -o remount,bind,ro "$ro" || { echo "read-only mount: skipped"; exit 0; }
db="$ro/x.db" reads=0 rok=0 writes=0 wref=0
for c in "person list" "case list" "case show $case_no" "search 张" "queue mine" "audit verify" "check" \
         "dupes list" "policy list" "user list"; do
  reads=$((reads + 1))
  $bin --db "$db" --user admin $c >/dev/null 2>&1 && rok=$((rok + 1)) || echo "read failed: $c" >&2
done
out=$(mktemp)
for c in "person add --name 只读 --id-no 11010519491231002X" "dupes scan" "export persons $out" \
         "case act $case_no withdraw --reason x"; do
  writes=$((writes + 1))
  $bin --db "$db" --user admin $c >/dev/null 2>/tmp/ro_err.$$; rc=$?
  { [ $rc -eq 7 ] && grep -q '只读' /tmp/ro_err.$$; } && wref=$((wref + 1)) || echo "write: $c -> $rc $(cat /tmp/ro_err.$$)" >&2
done
rm -f /tmp/ro_err.$$ "$out"
now=$(sha256sum "$db" | cut -c1-64)
same=$([ "$now" = "$sum" ] && echo yes || echo no)
echo "read-only mount: reads=$reads/$rok ok writes=$writes refused=$wref file_unchanged=$same"
[ "$rok" -eq "$reads" ] && [ "$same" = yes ]
INNER
