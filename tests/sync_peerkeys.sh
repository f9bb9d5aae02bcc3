#!/usr/bin/env bash
# The audit keys HQ receives in its stations' bundles are kept in the
# database (local_peer_keys, migration 022), not in a file beside it: a sync
# import makes no "<db>.peerkeys", the station's chain is then checked with
# the key, a different key from the same station is refused, and a
# database that still has an old .peerkeys file gets its keys moved into the
# table when it is opened (the file goes).  Backup and restore keep them.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
fail() { echo "FAIL: $*" >&2; exit 1; }
hq() { "$bin" --db "$tmp/hq.db" "$@"; }
st() { "$bin" --db "$tmp/ldn.db" "$@"; }
unverified() { hq --json audit verify >"$tmp/v.json" || fail "audit verify: $(cat "$tmp/v.json")"
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["unverified"])' "$tmp/v.json"; }

hq init --demo >/dev/null || fail "init HQ"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$tmp/hq.db"
hq sync keys >/dev/null || fail "sync keys"
hq sync enrol-station LDN --name 伦敦工作站 --out "$tmp/ldn.join" >/dev/null || fail "enrol-station"
printf '%s\n' "$TD_TEST_PASSWORD" | st sync join "$tmp/ldn.join" --password-stdin >/dev/null || fail "join"
td_login "$bin" "$tmp/ldn.db" admin || fail "station admin login"
st sync card "$tmp/ldn.card" >/dev/null || fail "card"
hq sync enrol "$tmp/ldn.card" >/dev/null || fail "enrol"
st person add --name 林小雨 --id-type passport --id-no E12345678 >/dev/null || fail "person add at the station"
st sync export --to CQ "$tmp/s1.tdsb" >/dev/null || fail "export station → HQ"
hq sync import "$tmp/s1.tdsb" >/dev/null || fail "import at HQ"
[ ! -e "$tmp/hq.db.peerkeys" ] || fail "the station's audit key went to a file beside the database"
[ "$(sqlite3 "$tmp/hq.db" 'SELECT count(*) FROM local_peer_keys')" = 1 ] || fail "the key is not in local_peer_keys"
[ "$(unverified)" = 0 ] || fail "the station's chain is not checked with its key: $(cat "$tmp/v.json")"

# a backup keeps the key, and a restore brings it back
hq backup "$tmp/b.db" >/dev/null || fail "backup"
[ "$(sqlite3 "$tmp/b.db" 'SELECT count(*) FROM local_peer_keys')" = 1 ] || fail "the backup lacks the key"

# an old database: the key in a .peerkeys file, not in the table
sid=$(sqlite3 "$tmp/hq.db" 'SELECT station_id FROM local_peer_keys')
hex=$(sqlite3 "$tmp/hq.db" 'SELECT key_hex FROM local_peer_keys')
sqlite3 "$tmp/hq.db" 'DELETE FROM local_peer_keys'
[ "$(unverified)" = 1 ] || fail "(test) without its key the chain is unverified"
printf '%s %s\n' "$sid" "$hex" >"$tmp/hq.db.peerkeys"
chmod 600 "$tmp/hq.db.peerkeys"
[ "$(unverified)" = 0 ] || fail "the old .peerkeys file's key is not used"
[ ! -e "$tmp/hq.db.peerkeys" ] || fail "the old .peerkeys file was not moved into the database"
[ "$(sqlite3 "$tmp/hq.db" "SELECT key_hex FROM local_peer_keys WHERE station_id = '$sid'")" = "$hex" ] ||
  fail "the moved key differs"

# another key for the same station: refused, nothing replaced
sqlite3 "$tmp/hq.db" "UPDATE local_peer_keys SET key_hex = '$(printf '%064d' 7)'"
st person add --name 林小雪 --id-type passport --id-no E12345679 >/dev/null || fail "person add at the station (2)"
st sync export --to CQ "$tmp/s2.tdsb" >/dev/null || fail "export station → HQ (2)"
set +e; hq sync import "$tmp/s2.tdsb" >/dev/null 2>"$tmp/err"; r=$?; set -e
[ "$r" -eq 5 ] || fail "a bundle with another audit key: exit $r, not 5: $(cat "$tmp/err")"
grep -q '审计密钥' "$tmp/err" || fail "the refusal names the audit key: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/hq.db" 'SELECT key_hex FROM local_peer_keys')" = "$(printf '%064d' 7)" ] || fail "the kept key was replaced"
echo "sync_peerkeys: ok"
