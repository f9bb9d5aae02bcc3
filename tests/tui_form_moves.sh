#!/usr/bin/env bash
# tui_form_moves.sh — an empty or bad required field never traps the cursor
# (issue 12, item 3), headless at 80x24 and 160x45: Tab, Shift-Tab, Up and
# Down leave an empty 证件号码 (the message is said, the field marked); F2 is
# refused, the cursor goes to the first bad field, and nothing typed is lost.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && { echo "--- $2:"; cat "$2"; }; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: screen lacks '$2'" "$1"; }
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
n0=$(sqlite3 "$db" "SELECT count(*) FROM cases")
for size in 24x80 45x160; do
  rm -f "$tmp/cur" && rm -rf "$tmp/state"
  # rows: 姓名 2, 外文姓名 3, 证件类型 4, 证件号码 5, 性别 6, 出生日期 7
  cat >"$tmp/s" <<KEYS
<F2>欧阳娜娜<Tab><Tab><Enter><Enter>
:cursor $tmp/cur
<Tab>
:cursor $tmp/cur
:dump $tmp/left.txt
<S-Tab><Up>
:cursor $tmp/cur
<Down><Down><Down>
:cursor $tmp/cur
手机号<Up><Up><Up><Up><Up><Up>
:cursor $tmp/cur
<F2>
:cursor $tmp/cur
:dump $tmp/save.txt
KEYS
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user clerk1 tui --script "$tmp/s"
  rows=$(cut -d' ' -f1 "$tmp/cur" | tr '\n' ' ')
  # on 证件号码 (5); Tab leaves it (6); S-Tab+Up (4); Down×3 (7); Up×6 (2 = 姓名, top); F2 → 证件号码 (5)
  [ "$rows" = "5 6 4 7 2 5 " ] || fail "$size: cursor rows $rows, want 5 6 4 7 2 5" "$tmp/save.txt"
  has "$tmp/left.txt" "证件号码为必填项" "leaving the empty field says why"
  has "$tmp/save.txt" "证件号码为必填项" "the refused save says why"
  has "$tmp/save.txt" "欧阳娜娜" "typed text kept"
done
[ "$(sqlite3 "$db" "SELECT count(*) FROM cases")" -eq "$n0" ] || fail "a case was saved without an ID number"
echo "tui_form_moves: ok"
