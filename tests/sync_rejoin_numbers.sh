#!/usr/bin/env bash
# sync_rejoin_numbers.sh — a station made anew from a join file (a replaced
# laptop, a code enrolled again: here LDN, whose cases the demo HQ already
# holds) never issues a case number HQ already has: the join file carries
# the numbers HQ knows for the station, and a number the database already
# holds is skipped at issue.  Before, the station's first case was
# LDN-2026-000001, which HQ already had, and its bundle could not be applied.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"
bin=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
fail() { echo "FAIL: $*" >&2; exit 1; }
hq() { "$bin" --db "$tmp/hq.db" "$@"; }
st() { "$bin" --db "$tmp/ldn.db" "$@"; }

hq init --demo >/dev/null || fail "init HQ"
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$bin" "$tmp/hq.db"
held=$(sqlite3 "$tmp/hq.db" "SELECT count(*) FROM cases WHERE case_no LIKE 'LDN-2026-%'")
[ "$held" -ge 1 ] || fail "the demo HQ holds no LDN case to clash with"
hq sync keys >/dev/null || fail "sync keys"
hq sync enrol-station LDN --out "$tmp/ldn.join" >/dev/null || fail "enrol-station LDN"
top=$(sqlite3 "$tmp/hq.db" "SELECT max(CAST(substr(case_no, 10) AS INTEGER)) FROM cases WHERE case_no LIKE 'LDN-2026-%'")
grep -qx "counter 2026 case $((top + 1))" "$tmp/ldn.join" \
  || fail "the join file does not carry LDN's next case number $((top + 1)): $(grep counter "$tmp/ldn.join" || echo none)"

printf '%s\n' "$TD_TEST_PASSWORD" | st sync join "$tmp/ldn.join" --password-stdin >/dev/null || fail "join"
td_login "$bin" "$tmp/ldn.db" admin || fail "station admin login"
st sync card "$tmp/ldn.card" >/dev/null || fail "card"
hq sync enrol "$tmp/ldn.card" >/dev/null || fail "enrol"
td_user_add "$bin" "$tmp/ldn.db" ldnclerk --name 站点职员 --roles clerk,station || fail "station user"
st --user ldnclerk person add --name 林小雨 --id-type passport --id-no E12345678 --phone 13800000001 >/dev/null \
  || fail "person add at the station"
no=$(st --user ldnclerk --json case new E12345678 --service talent_recognition |
     python3 -c 'import json,sys; print(json.load(sys.stdin)["case_no"])') || fail "case new at the station"
[ "$no" = "LDN-2026-$(printf %06d $((top + 1)))" ] || fail "the station's first case is $no, want the one after HQ's $top"
clash=$(sqlite3 "$tmp/hq.db" "SELECT count(*) FROM cases WHERE case_no = '$no'")
[ "$clash" = 0 ] || fail "HQ already has $no"

# the bundle reaches HQ and applies: HQ now holds the station's case
st sync export --to CQ "$tmp/s1.tdsb" >/dev/null || fail "export station → HQ"
hq sync import "$tmp/s1.tdsb" >"$tmp/out" 2>&1 || fail "import at HQ: $(cat "$tmp/out")"
[ "$(sqlite3 "$tmp/hq.db" "SELECT count(*) FROM cases WHERE case_no = '$no'")" = 1 ] || fail "HQ lacks $no after import"

# a number the database already holds is skipped even when the counter is behind
# (a station restored from an old copy, a hand-edited counter)
sqlite3 "$tmp/ldn.db" "UPDATE counters SET next = $((top + 1)) WHERE kind = 'case'"
st --user ldnclerk person add --name 林小风 --id-type passport --id-no E12345679 >/dev/null || fail "second person"
no2=$(st --user ldnclerk --json case new E12345679 --service talent_recognition |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["case_no"])') || fail "second case at the station"
[ "$no2" = "LDN-2026-$(printf %06d $((top + 2)))" ] || fail "with the counter behind, the second case is $no2"
echo "sync_rejoin_numbers: OK (HQ held $held LDN cases up to $top; the station began at $no)"
