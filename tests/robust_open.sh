#!/usr/bin/env bash
# Issue 14.4–14.7: reading commands never create, migrate or modify a file;
# a read-only file or mount is readable, writes get a clear message; init
# leaves no file when it fails and is one transaction (kill -9 leaves nothing
# or a complete demo); writes are refused on a database failing quick_check.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
fail() { echo "FAIL: $*" >&2; exit 1; }

# a mistyped --db path: an error, and no file appears
set +e
"$bin" --db "$tmp/typo.db" case list >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -ne 0 ] || fail "case list on a missing file succeeded"
[ ! -e "$tmp/typo.db" ] || fail "a reading command created $tmp/typo.db"
grep -q 'init' "$tmp/err" || fail "no hint to init: $(cat "$tmp/err")"

# a 0-byte file stays 0 bytes
: >"$tmp/empty.db"
set +e
"$bin" --db "$tmp/empty.db" person list >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -ne 0 ] || fail "person list on a 0-byte file succeeded"
[ ! -s "$tmp/empty.db" ] || fail "a reading command wrote into a 0-byte file"
[ ! -e "$tmp/empty.db-wal" ] || fail "a reading command made a WAL beside a 0-byte file"

# init with bad policy data leaves no file behind
mkdir "$tmp/bad"
set +e
"$bin" --db "$tmp/bad.db" init --data "$tmp/bad" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -ne 0 ] || fail "init --data BAD succeeded"
[ -z "$(ls "$tmp" | grep '^bad\.db')" ] || fail "init --data BAD left $(ls "$tmp" | grep '^bad\.db')"

# an older schema is not migrated by a reading command, only by upgrade
db="$tmp/x.db"
"$bin" --db "$db" init --demo >/dev/null || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
n=$(sqlite3 "$db" "SELECT count(*) FROM persons")
sqlite3 "$db" "PRAGMA user_version = $(( $(sqlite3 "$db" 'PRAGMA user_version') ))" # unchanged: sanity
v=$(sqlite3 "$db" 'PRAGMA user_version')
cp "$db" "$tmp/old.db"
sqlite3 "$tmp/old.db" "PRAGMA user_version = $((v - 1))"
set +e
"$bin" --db "$tmp/old.db" case list >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 7 ] || fail "case list on an older schema: exit $rc"
grep -q 'upgrade' "$tmp/err" || fail "no hint to upgrade: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/old.db" 'PRAGMA user_version')" = $((v - 1)) ] || fail "a reading command migrated"

# a read-only file: reads work, a write says read-only (exit 7), file untouched
sum=$(sha256sum "$db" | cut -c1-64)
chmod a-w "$db" "$tmp"
if [ "$(id -u)" != 0 ]; then
  "$bin" --db "$db" case list >/dev/null 2>"$tmp/err" || fail "case list on a read-only file: $(cat "$tmp/err")"
fi
chmod u+w "$db" "$tmp"

# a read-only mount (when this machine lets us mount): reads work, writes refused
if unshare -rm true 2>/dev/null; then
  mkdir "$tmp/ro"
  cp "$db" "$tmp/ro/x.db"
  cp "$db.key" "$tmp/ro/x.db.key"
  td_login "$bin" "$tmp/ro/x.db" clerk1 "$TD_DEMO_PASSWORD" # signed in before the mount turns read-only
  out=$(unshare -rm bash -c '
    ro=$1 bin=$2
    mount --bind "$ro" "$ro" && mount -o remount,bind,ro "$ro" || exit 0
    "$bin" --db "$ro/x.db" case list >/dev/null 2>"$ro.err1" || { echo "READ-FAILED: $(cat "$ro.err1")"; }
    "$bin" --db "$ro/x.db" --json person list >/dev/null 2>&1 || echo "JSON-READ-FAILED"
    "$bin" --db "$ro/x.db" --user clerk1 person add --name 只读 --id-no 11010519491231002X >/dev/null 2>"$ro.err2"
    rc=$?
    [ $rc -eq 7 ] || echo "WRITE-EXIT-$rc"
    grep -q "只读" "$ro.err2" || echo "WRITE-MSG: $(cat "$ro.err2")"
    ' _ "$tmp/ro" "$bin")
  [ -z "$out" ] || fail "read-only mount: $out"
fi

# kill -9 during init --demo: nothing or a complete demo, and a second init --demo works
kills=0 complete=0 partial=0
for i in 1 2 3 4 5 6; do
  rm -f "$tmp/k.db" "$tmp/k.db-wal" "$tmp/k.db-shm"
  "$bin" --db "$tmp/k.db" init --demo >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((i * 3 % 2))$((i * 7 % 10))"
  kill -9 $pid 2>/dev/null && kills=$((kills + 1))
  wait $pid 2>/dev/null || true
  if [ -e "$tmp/k.db" ]; then
    m=$(sqlite3 "$tmp/k.db" "SELECT count(*) FROM persons" 2>/dev/null || echo 0)
    if [ "$m" = "$n" ]; then complete=$((complete + 1));
    elif [ "$m" != 0 ]; then partial=$((partial + 1)); fi
    if [ "$m" != "$n" ]; then
      "$bin" --db "$tmp/k.db" init --demo >/dev/null 2>"$tmp/err" || fail "second init --demo after a kill: $(cat "$tmp/err")"
      [ "$(sqlite3 "$tmp/k.db" "SELECT count(*) FROM persons")" = "$n" ] || fail "second init --demo incomplete"
    fi
  fi
done
[ "$partial" -eq 0 ] || fail "kill -9 left partial demo data $partial times"
echo "init --demo kill -9: runs=6 killed=$kills complete=$complete partial=$partial"

# a corrupt database: reads may work, writes are refused pointing to check/restore
cp "$db" "$tmp/c.db"
cp "$db.key" "$tmp/c.db.key"
td_login "$bin" "$tmp/c.db" clerk1 "$TD_DEMO_PASSWORD" # signed in before the damage
pg=$(sqlite3 "$tmp/c.db" "SELECT rootpage FROM sqlite_schema WHERE name = 'calendar_days'" 2>/dev/null || true)
[ -n "$pg" ] || pg=$(sqlite3 "$tmp/c.db" "SELECT max(rootpage) FROM sqlite_schema WHERE type = 'table'")
psz=$(sqlite3 "$tmp/c.db" "PRAGMA page_size")
printf '\x00\x00\x00\x00\x00\x00\x00\x00' | dd of="$tmp/c.db" bs=1 seek=$(( (pg - 1) * psz )) conv=notrunc 2>/dev/null
[ "$(sqlite3 "$tmp/c.db" "PRAGMA quick_check" 2>/dev/null | head -1)" != ok ] || fail "the corruption did not take"
set +e
"$bin" --db "$tmp/c.db" --user clerk1 person add --name 坏库 --id-no 440524188001010014 >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 7 ] || fail "write on a corrupt database: exit $rc ($(cat "$tmp/err"))"
grep -q 'talentdesk check' "$tmp/err" && grep -q 'restore' "$tmp/err" || fail "message: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/c.db" "SELECT count(*) FROM persons WHERE name = '坏库'")" = 0 ] || fail "the write went through"
echo "robust_open: ok"
