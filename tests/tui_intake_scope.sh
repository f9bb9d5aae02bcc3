#!/usr/bin/env bash
# Issue 10 item 5 in the TUI (headless key scripts, 80×24 and 160×45): a
# station operator typing the identity number of a person registered in
# Chongqing at intake is offered nothing and told the number lies outside
# the record scope — no name, no birth date, no "open the latest case" —
# and saving registers no second person and takes no case in.  A Chongqing
# clerk typing the same number is offered the person (tests/tui_counter.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
fail() { echo "FAIL [$size]: $1"; echo "--- screen:"; cat "${2:-/dev/null}" 2>/dev/null; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: screen lacks '$2'" "$1"; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: screen shows '$2'" "$1"; fi; }

for size in 24x80 45x160; do
  tmp=$top/$size
  mkdir -p "$tmp"
  export HOME=$tmp TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
  db=$tmp/td.db
  "$BIN" --db "$db" init --demo >/dev/null
  # shellcheck source=/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
  q() { sqlite3 "$db" "$1"; }
  read -r pid name idno < <(q "SELECT p.id, p.name, p.id_no FROM persons p JOIN cases c ON c.person_id = p.id
     JOIN stations s ON s.id = c.station_id WHERE s.code = 'CQ' AND p.id_type = 'resident' ORDER BY p.id LIMIT 1" |
     tr '|' ' ')
  [ -n "$idno" ] || fail "no CQ person"
  ncases=$(q "SELECT count(*) FROM cases")
  d0=$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'")
  cat >"$tmp/s" <<KEYS
<F2><Tab><Tab><Tab>$idno<Tab>
:dump $tmp/offer.txt
<F2>
:dump $tmp/saved.txt
KEYS
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user station1 tui --script "$tmp/s"
  lacks "$tmp/offer.txt" "已登记：" "no offer of a person outside the scope"
  lacks "$tmp/offer.txt" "$name" "the person's name"
  lacks "$tmp/offer.txt" "打开此人最近的案件" "no way to the person's case"
  has "$tmp/offer.txt" "不在您的查看范围内" "the status line says why"
  lacks "$tmp/saved.txt" "$name" "the person's name after F2"
  [ "$(q "SELECT count(*) FROM persons WHERE id_no = '$idno'")" = 1 ] || fail "a second person was registered"
  [ "$(q "SELECT count(*) FROM cases")" = "$ncases" ] || fail "a case was taken in"
  [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'")" -gt "$d0" ] || fail "refusal not audited"
done
echo "tui_intake_scope: ok"
