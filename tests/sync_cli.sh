#!/usr/bin/env bash
# The README's walk for offline stations: HQ enrols a station, the station is
# made from the join file, both edit the same person's mobile offline,
# bundles go both ways, the clash is in both queues side by side, HQ
# resolves, and both databases hold the same values.  Replays change
# nothing; a tampered bundle is refused in Chinese.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-03-16
fail() { echo "FAIL: $*" >&2; exit 1; }
hq() { "$bin" --db "$tmp/hq.db" "$@"; }
st() { "$bin" --db "$tmp/ldn.db" "$@"; }

hq init --demo >/dev/null || fail "init HQ"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$tmp/hq.db"
hq sync keys >/dev/null || fail "sync keys"
hq sync keys 2>"$tmp/err" && fail "second sync keys must be refused"
grep -q '已有同步密钥' "$tmp/err" || fail "second sync keys message"
hq sync enrol-station LDN --name 伦敦工作站 --out "$tmp/ldn.join" >/dev/null || fail "enrol-station"
# join asks the station administrator's password itself: without a terminal
# and without --password-stdin it refuses and makes nothing; a too short one
# is refused; then the password comes from standard input
st sync join "$tmp/ldn.join" </dev/null >/dev/null 2>"$tmp/err" && fail "join without a password"
[ -e "$tmp/ldn.db" ] && fail "join without a password made a database"
printf 'abc\n' | st sync join "$tmp/ldn.join" --password-stdin >/dev/null 2>"$tmp/err" && fail "short password taken"
[ -e "$tmp/ldn.db" ] && fail "a refused password made a database"
printf '%s\n' "$TD_TEST_PASSWORD" | st sync join "$tmp/ldn.join" --password-stdin >"$tmp/out" || fail "join"
grep -q 'LDN' "$tmp/out" || fail "join message"
td_login "$bin" "$tmp/ldn.db" admin || fail "station admin login with the password given to join"
[ "$(stat -c %a "$tmp/ldn.db.keys")" = 600 ] || fail "station keys not owner-only"
[ "$(stat -c %a "$tmp/hq.db.keys")" = 600 ] || fail "HQ keys not owner-only"
st sync card "$tmp/ldn.card" >/dev/null || fail "card"
hq sync enrol "$tmp/ldn.card" >/dev/null || fail "enrol"
td_user_add "$bin" "$tmp/ldn.db" ldnclerk --name 站点职员 --roles clerk,station || fail "station user"

# the station takes a person in; HQ and the station exchange
st --user ldnclerk person add --name 林小雨 --id-type passport --id-no E12345678 --phone 13800000001 >/dev/null \
  || fail "person add at the station"
pid=$(st --json person list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
st sync export --to CQ "$tmp/s1.tdsb" >/dev/null || fail "export station → HQ"
hq sync import "$tmp/s1.tdsb" >"$tmp/out" || fail "import at HQ"
grep -q '已导入' "$tmp/out" || fail "import message"
hq sync export --to LDN "$tmp/h1.tdsb" >/dev/null || fail "export HQ → station"
st sync import "$tmp/h1.tdsb" >/dev/null || fail "import at the station"

# the same bundle again: nothing changes
before=$(sqlite3 "$tmp/hq.db" .dump | sha256sum)
hq sync import "$tmp/s1.tdsb" >"$tmp/out" || fail "re-import"
grep -q '已导入过，未作更改' "$tmp/out" || fail "re-import message: $(cat "$tmp/out")"
[ "$(sqlite3 "$tmp/hq.db" .dump | sha256sum)" = "$before" ] || fail "re-import changed the database"

# both edit the mobile offline (and different fields)
hq --user clerk1 person update "$pid" --phone 13800000003 --employer 重庆大学 >/dev/null || fail "update at HQ"
st --user ldnclerk person update "$pid" --phone 13800000002 --email lin@example.com >/dev/null \
  || fail "update at the station"
hq sync export --to LDN "$tmp/h2.tdsb" >/dev/null
st sync export --to CQ "$tmp/s2.tdsb" >/dev/null
st sync import "$tmp/h2.tdsb" >/dev/null || fail "h2"
hq sync import "$tmp/s2.tdsb" >"$tmp/out" || fail "s2"
grep -q '1 项冲突' "$tmp/out" || fail "s2 message: $(cat "$tmp/out")"

hq --json sync conflicts >"$tmp/c.json" || fail "conflicts --json"
cid=$(python3 - "$tmp/c.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
assert len(c) == 1, c
c = c[0]
assert c["field"] == "phone" and c["ours"] == "13800000003" and c["theirs"] == "13800000002", c
assert c["base"] == "13800000001" and c["station"] == "LDN", c
print(c["id"])
PY
) || fail "conflict content"
hq sync conflicts show "$cid" >"$tmp/show" || fail "show"
grep -q '13800000001' "$tmp/show" && grep -q '13800000002' "$tmp/show" && grep -q '13800000003' "$tmp/show" \
  || fail "show lacks the three values"
st --json sync status | python3 -c 'import json,sys; s=json.load(sys.stdin); assert s[0]["open_conflicts"]==1, s' \
  || fail "station status"
hq --user clerk1 sync conflicts resolve "$cid" 2>/dev/null && fail "resolve without a choice"
hq --user clerk1 sync conflicts resolve "$cid" --keep theirs --reason 站点已核实 >/dev/null || fail "resolve"
hq sync export --to LDN "$tmp/h3.tdsb" >/dev/null
st sync import "$tmp/h3.tdsb" >/dev/null
st sync export --to CQ "$tmp/s3.tdsb" >/dev/null
hq sync import "$tmp/s3.tdsb" >/dev/null
for f in phone email employer name; do
  a=$(sqlite3 "$tmp/hq.db" "SELECT $f FROM persons WHERE id = '$pid'")
  b=$(sqlite3 "$tmp/ldn.db" "SELECT $f FROM persons WHERE id = '$pid'")
  [ "$a" = "$b" ] || fail "$f differs: $a / $b"
done
[ "$(sqlite3 "$tmp/hq.db" "SELECT phone FROM persons WHERE id = '$pid'")" = 13800000002 ] || fail "resolved value"
[ "$(hq --json sync conflicts | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ] || fail "HQ queue"
[ "$(st --json sync conflicts | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ] || fail "station queue"

# out of order: the later bundle is held until the earlier one arrives; one
# held too long is reported
st --user ldnclerk person update "$pid" --notes 第一次 >/dev/null
st sync export --new --to CQ "$tmp/g1.tdsb" >/dev/null
st --user ldnclerk person update "$pid" --notes 第二次 >/dev/null
st sync export --new --to CQ "$tmp/g2.tdsb" >/dev/null
hq sync import "$tmp/g2.tdsb" >"$tmp/out" || fail "held import"
grep -q '已暂存' "$tmp/out" || fail "held message: $(cat "$tmp/out")"
hq --json sync status | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]; assert s["held"]==1 and s["held_overdue"]==0, s' \
  || fail "status: held"
TALENTDESK_NOW=2026-03-25 "$bin" --db "$tmp/hq.db" sync status >"$tmp/out" || fail "status later"
grep -q '暂存超过 5 天' "$tmp/out" || fail "overdue hold not reported: $(cat "$tmp/out")"
hq sync import "$tmp/g1.tdsb" >"$tmp/out" || fail "gap filled"
grep -q '1 个暂存数据包已应用' "$tmp/out" || fail "release message: $(cat "$tmp/out")"
[ "$(sqlite3 "$tmp/hq.db" "SELECT notes FROM persons WHERE id = '$pid'")" = 第二次 ] || fail "held bundle applied last"

# a flipped byte: refused in Chinese, exit code 6, nothing changed
python3 - "$tmp/s3.tdsb" "$tmp/bad.tdsb" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 2] ^= 1
open(sys.argv[2], "wb").write(b)
PY
before=$(sqlite3 "$tmp/hq.db" .dump | sha256sum)
set +e
hq sync import "$tmp/bad.tdsb" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 6 ] || fail "tampered bundle exit code $rc"
grep -q '签名' "$tmp/err" || fail "tampered bundle message: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/hq.db" .dump | sha256sum)" = "$before" ] || fail "tampered bundle changed the database"

# a revoked station is refused
st --user ldnclerk person update "$pid" --notes 再次修改 >/dev/null
st sync export --to CQ "$tmp/s4.tdsb" >/dev/null
hq sync revoke LDN >/dev/null || fail "revoke"
hq sync import "$tmp/s4.tdsb" >/dev/null 2>"$tmp/err" && fail "revoked station's bundle applied"
grep -q '已被撤销' "$tmp/err" || fail "revoked message"
echo "sync_cli: ok"
