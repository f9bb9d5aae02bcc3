#!/usr/bin/env bash
# tui_own_edits.sh — no stale warning after one's own edits (issue 12, item
# 8), headless at 80x24 and 160x45: issuing the notice from the documents
# screen moves the case to 待补正; back on the case screen it is reloaded
# without "此案件已被他人修改" (which would teach clerks to ignore the real
# warning) — while a change by another clerk still says so.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && { echo "--- $2:"; cat "$2"; }; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: lacks '$2'" "$1"; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: shows '$2'" "$1"; fi; }
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
q() { sqlite3 "$db" "$1"; }
for size in 24x80 45x160; do
  dc=$(q "SELECT c.case_no FROM cases c WHERE c.state='doc_check' AND EXISTS
          (SELECT 1 FROM case_documents d WHERE d.case_id=c.id AND d.status='missing') ORDER BY c.case_no LIMIT 1")
  [ -n "$dc" ] || fail "no case in doc_check left"
  cat >"$tmp/s" <<KEYS
<F7>$dc<Enter><Enter><F6><F6>y<Esc><Esc>
:dump $tmp/own.txt
:!sqlite3 "$db" "UPDATE cases SET row_version = row_version + 1 WHERE case_no = '$dc'"
x
:dump $tmp/other.txt
KEYS
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user reviewer1 tui --script "$tmp/s"
  has "$tmp/own.txt" "案件 $dc" "back on the case ($size)"
  has "$tmp/own.txt" "待补正" "reloaded after the notice ($size)"
  lacks "$tmp/own.txt" "已被他人修改" "no warning after one's own edit ($size)"
  has "$tmp/other.txt" "已被他人修改" "another clerk's change is still said ($size)"
done
echo "tui_own_edits: ok"
