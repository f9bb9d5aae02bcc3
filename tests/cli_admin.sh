#!/usr/bin/env bash
# CLI: users and stations, re-running init, an overseas laptop's database,
# stale updates, English messages, JSON that cannot drive a terminal.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-06-15
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/lib/session.sh"
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local r=$?; set -e; echo $r; }
db="$tmp/hq.db"
T() { "$bin" --db "$db" "$@"; }

td_init "$bin" "$db" >/dev/null
T init >/dev/null || fail "init twice"
[ "$(rc T init --station LDN)" -eq 5 ] || fail "init cannot change the station"
grep -s 'CQ' "$tmp/err" >/dev/null || fail "message names the station"

# users: admin only; roles parsed; duplicates refused; listed
[ "$(rc td_user_add "$bin" "$db" wangwu --name 王五 --roles clerk,approver)" -eq 0 ] || fail "user add"
[ "$(rc T --user wangwu user add zhaoliu --name 赵六 --roles clerk)" -eq 4 ] || fail "non-admin user add"
[ "$(rc T user add wangwu --name 王五 --roles clerk)" -eq 5 ] || fail "duplicate user"
[ "$(rc T user add x --name 某 --roles boss)" -eq 6 ] || fail "unknown role"
grep -s 'boss' "$tmp/err" >/dev/null || fail "unknown role named"
[ "$(rc T user add signer9 --name 某 --roles signer --dept nosuch)" -eq 3 ] || fail "unknown department"
T --json user list | python3 -c '
import json,sys
u={x["username"]:x for x in json.load(sys.stdin)}
assert u["wangwu"]["roles"]=="approver,clerk", u["wangwu"]
assert u["admin"]["roles"]=="admin"' || fail "user list JSON"
# user list shows each record scope: set for the user, or the default of its roles
[ "$(rc td_user_add "$bin" "$db" opx --name 站员 --roles station)" -eq 0 ] || fail "user add station operator"
T user scope wangwu own >/dev/null || fail "user scope"
T --json user list | python3 -c '
import json,sys
u={x["username"]:x for x in json.load(sys.stdin)}
assert u["wangwu"]["scope"]=="own" and u["wangwu"]["scope_default"] is False, u["wangwu"]
assert u["opx"]["scope"]=="station" and u["opx"]["scope_default"] is True, u["opx"]
assert u["admin"]["scope"]=="all" and u["admin"]["scope_default"] is True, u["admin"]' || fail "user list JSON: scopes"
T user list >"$tmp/out"
grep -E '^wangwu .*本人案件' "$tmp/out" | grep -vq '按角色' || fail "user list text: wangwu's own scope: $(cat "$tmp/out")"
grep -E '^opx .*本站.*按角色' "$tmp/out" >/dev/null || fail "user list text: opx's default scope: $(cat "$tmp/out")"
[ "$(rc T user station-add SYD --name 悉尼海外人才服务站 --kind overseas)" -eq 0 ] || fail "station-add"
[ "$(rc T user station-add syd --name x)" -eq 6 ] || fail "lower-case station code"

# an overseas laptop numbers its own cases
ldn="$tmp/ldn.db"
td_init "$bin" "$ldn" --station LDN --station-name 伦敦海外人才服务站 --station-kind overseas >/dev/null
td_user_add "$bin" "$ldn" op --name 郑丽 --roles station
"$bin" --db "$ldn" --user op person add --name 李雷 --id-no 440524188001010014 >/dev/null
c=$("$bin" --db "$ldn" --user op --json case new 440524188001010014 --service talent_recognition |
    python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["case_no"], c["channel"])')
[ "$c" = "LDN-2026-000001 overseas" ] || fail "overseas case number/channel: $c"

# stale update refused with exit 5 and the Chinese message; nothing changed
td_user_add "$bin" "$db" clerk9 --name 窗口九 --roles clerk
T --user clerk9 person add --name 韩梅梅 --id-no 11010519491231002X >/dev/null
T --user clerk9 person update 11010519491231002X --employer 重庆大学 >/dev/null
[ "$(rc T --user clerk9 person update 11010519491231002X --employer 别处 --expect-version 1)" -eq 5 ] || fail "stale update"
grep -s '此记录已被他人修改，请刷新后重试' "$tmp/err" >/dev/null || fail "stale message"
T --json person show 11010519491231002X | python3 -c '
import json,sys; p=json.load(sys.stdin); assert p["employer"]=="重庆大学" and p["row_version"]==2, p' || fail "stale write changed data"

# English on request
[ "$(rc T --lang en case show CQ-2026-999999)" -eq 3 ] || fail "not found"
grep -s 'No case found' "$tmp/err" >/dev/null || fail "English message"

# JSON never carries raw control, C1 or bidi characters
sqlite3 "$db" "UPDATE persons SET name = '韩'||char(27)||'[31m'||char(155)||char(8238)||'梅' WHERE id_no = '11010519491231002X'" \
  2>/dev/null || true
T --json person show 11010519491231002X >"$tmp/p.json"
python3 - "$tmp/p.json" <<'PY' || fail "JSON escaping"
import sys
raw = open(sys.argv[1], 'rb').read()
assert b'\x1b' not in raw, 'raw ESC'
text = raw.decode('utf-8')
for ch in ('\u009b', '\u202e'):
    assert ch not in text, repr(ch)
assert '\\u001b' in text.lower() and '\\u202e' in text and '\\u009b' in text, text
import json; json.loads(text)
PY
echo "cli_admin: ok"
