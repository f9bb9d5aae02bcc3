#!/usr/bin/env bash
# tui_limits.sh — issue 12, item 8 (some of "slower than it should be"),
# headless at 80x24 and 160x45: a full 姓名 / 备注 says so instead of cutting
# the typing silently; with --lang en the F-key labels never run together
# ("3Full ID4Edit"); pick lists have a border, scroll marks and type-ahead
# on more than the first character.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && { echo "--- $2:"; cat "$2"; }; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: lacks '$2'" "$1"; }
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
cno=$(sqlite3 "$db" "SELECT case_no FROM cases ORDER BY case_no LIMIT 1")
long=$(printf '长%.0s' $(seq 51))
for size in 24x80 45x160; do
  rm -rf "$tmp/state"
  cat >"$tmp/s" <<KEYS
<F2>$long
:dump $tmp/name.txt
KEYS
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user clerk1 tui --script "$tmp/s"
  has "$tmp/name.txt" "姓名最多 50 个字符" "a full name field says so ($size)"
  cat >"$tmp/s" <<KEYS
<F7>$cno<Enter><Enter>
:dump $tmp/en.txt
KEYS
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user clerk1 --lang en tui --script "$tmp/s"
  bar=$(tail -n 1 "$tmp/en.txt")
  if echo "$bar" | grep -qE '[A-Za-z][0-9]'; then fail "F-key labels run together ($size): $bar"; fi
  echo "$bar" | grep -qF "Full ID" || fail "label cut ($size): $bar"
done
# pick lists: border, scroll mark, type-ahead that narrows; typing into a pick field opens it
drafts=$tmp/state/talentdesk/drafts
for size in 24x80 45x160; do
  rm -rf "$tmp/state"; mkdir -p "$drafts"
  printf '%s' '{"name":"张三","id_type":"resident","id_no":"11010519491231002X","nationality":"CHN","case_type":"recognition","service1":"","service2":"","_cursor":14}' \
    >"$drafts/clerk1-intake.json"
  cat >"$tmp/s" <<KEYS
<F2><F4>
:dump $tmp/list.txt
<Esc>人才
:dump $tmp/typed.txt
<BS>
:dump $tmp/wider.txt
<Esc><Esc>人才认定（<Enter>
:dump $tmp/chosen.txt
KEYS
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user clerk1 tui --script "$tmp/s"
  grep -qF '+ 服务事项' "$tmp/list.txt" || fail "no border on the pick list ($size)" "$tmp/list.txt"
  grep -qE 'v *$' "$tmp/list.txt" || fail "no scroll mark on the 60 services ($size)" "$tmp/list.txt"
  has "$tmp/typed.txt" "人才：1/" "type-ahead shown ($size)"
  if grep -q "创业创新项目资助" "$tmp/typed.txt"; then fail "typing did not narrow the list ($size)" "$tmp/typed.txt"; fi
  has "$tmp/chosen.txt" "服务事项*       人才认定（目录+计分）" "typed into the pick field, chosen ($size)"
done
echo "tui_limits: ok"
