#!/usr/bin/env bash
# Issue 15.6: a backup taken while another process writes is consistent and
# verified, and restores to the same data; restore refuses a newer schema and
# a non-backup, keeps the current database aside, and replaces a database too
# damaged to open; check names each check and fails on a tampered policy text.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$tmp/x.db"
"$bin" --db "$db" init --demo >/dev/null || fail "init --demo"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$db"
"$bin" --db "$db" check >"$tmp/check" || fail "check on a fresh demo: $(cat "$tmp/check")"
for n in integrity foreign_keys audit_chains counters policy_versions; do
  grep -q "$n" "$tmp/check" || fail "check lacks $n"
done

# a writer beside the backup
( for i in $(seq 1 30); do
    "$bin" --db "$db" --user clerk1 person add --name "备份$i" --id-type passport --id-no "$(printf 'E%08d' "$i")" \
      >/dev/null 2>&1 || echo "write $i failed" >>"$tmp/wfail"
  done ) &
w=$!
sleep 0.2
"$bin" --db "$db" --user admin backup "$tmp/b.db" >"$tmp/bout" || fail "backup: $(cat "$tmp/bout")"
wait $w
[ ! -s "$tmp/wfail" ] || fail "writes failed beside the backup: $(cat "$tmp/wfail")"
[ "$(sqlite3 "$tmp/b.db" 'PRAGMA integrity_check')" = ok ] || fail "backup integrity"
[ "$(stat -c %a "$tmp/b.db.key")" = 600 ] || fail "the station key is backed up owner-only beside the copy"
"$bin" --db "$tmp/b.db" check >/dev/null || fail "check of the backup"
[ -z "$(ls -A "$tmp" | grep '^\.')" ] || fail "temporary left: $(ls -A "$tmp")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'db.backup'")" = 1 ] || fail "backup not audited"
"$bin" --db "$db" --user clerk1 backup "$tmp/c.db" >/dev/null 2>&1 && fail "a clerk took a backup"

# restore: the data of the backup, the current database kept aside
before=$(sqlite3 "$tmp/b.db" "SELECT group_concat(id || name, ',') FROM (SELECT id, name FROM persons ORDER BY id)")
"$bin" --db "$db" --user admin restore "$tmp/b.db" >"$tmp/rout" || fail "restore: $(cat "$tmp/rout")"
after=$(sqlite3 "$db" "SELECT group_concat(id || name, ',') FROM (SELECT id, name FROM persons ORDER BY id)")
[ "$before" = "$after" ] || fail "restored persons differ from the backup"
aside=$(ls "$tmp" | grep 'x.db.before-restore-' | head -1)
[ -n "$aside" ] || fail "current database not kept aside"
[ "$(sqlite3 "$tmp/$aside" "SELECT count(*) FROM persons WHERE name = '备份30'")" = 1 ] || fail "aside copy incomplete"
"$bin" --db "$db" check >/dev/null || fail "check after restore"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'db.restore'")" = 1 ] || fail "restore not audited"

# refusals leave the database as it was
sum=$(sqlite3 "$db" "SELECT count(*) FROM persons")
cp "$tmp/b.db" "$tmp/new.db"; sqlite3 "$tmp/new.db" "PRAGMA user_version = 99"
set +e
"$bin" --db "$db" --user admin restore "$tmp/new.db" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 5 ] || fail "restore of a newer schema: exit $rc"
echo "not a database" >"$tmp/junk.db"
set +e
"$bin" --db "$db" --user admin restore "$tmp/junk.db" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 7 ] || fail "restore of junk: exit $rc"
[ "$(sqlite3 "$db" "SELECT count(*) FROM persons")" = "$sum" ] || fail "a refused restore changed the database"

# a database too damaged to open is replaced as a file
head -c 8192 /dev/urandom >"$tmp/dead.db"
"$bin" --db "$tmp/dead.db" --user admin restore "$tmp/b.db" >/dev/null || fail "restore over a dead file"
"$bin" --db "$tmp/dead.db" check >/dev/null || fail "check after replacing a dead file"

# check fails on a tampered policy text
sqlite3 "$db" "UPDATE policy_versions SET content = content || ' ' WHERE rowid = 1"
set +e
"$bin" --db "$db" --json check >"$tmp/cj"; rc=$?
set -e
[ "$rc" -eq 7 ] || fail "check of a tampered policy: exit $rc"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); c={x["name"]:x["ok"] for x in j["checks"]}; assert c["policy_versions"] is False and c["integrity"] is True, c' \
  "$tmp/cj" || fail "check --json"
# the sync keys (.keys) travel with a backup and come back with a restore:
# a station restored from its backup can still sign and open bundles
y="$tmp/y.db"
"$bin" --db "$y" init --demo >/dev/null || fail "init --demo (y)"
td_login_demo_users "$bin" "$y"
"$bin" --db "$y" --user admin sync keys >/dev/null || fail "sync keys"
[ -s "$y.keys" ] || fail "sync keys wrote no $y.keys"
"$bin" --db "$y" --user admin backup "$tmp/yb.db" >/dev/null || fail "backup (y)"
cmp -s "$y.keys" "$tmp/yb.db.keys" || fail "the backup has no copy of the sync keys"
[ "$(stat -c %a "$tmp/yb.db.keys")" = 600 ] || fail "the copied sync keys are not owner-only"
cp "$y.keys" "$tmp/keys.orig"
rm -f "$y.keys"
"$bin" --db "$y" --user admin restore "$tmp/yb.db" >/dev/null 2>"$tmp/rerr" || fail "restore (y): $(cat "$tmp/rerr")"
cmp -s "$y.keys" "$tmp/keys.orig" || fail "restore did not bring back the sync keys"
td_login_demo_users "$bin" "$y"
"$bin" --db "$y" --user admin sync card "$tmp/y.card" >/dev/null || fail "sync card after restore"
echo "robust_backup: ok"
