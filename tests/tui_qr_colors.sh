#!/usr/bin/env bash
# tui_qr_colors.sh — the 人才服务码 QR code scans on a light terminal too
# (issue 12, item 8): in tmux with colours it is painted white and black
# explicitly (background 47 and 40), not "reverse video" against whatever
# the terminal's background is; without colours (NO_COLOR) reverse video
# and F6 (反色) remain.  At 80x24 and 160x45.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
command -v tmux >/dev/null || { echo "tmux is required (make deps)"; exit 1; }
tmp=$(mktemp -d)
sock="td-qr-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
tmux -L "$sock" new-session -d -s keep -x 80 -y 24 "sleep 600"
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC XDG_STATE_HOME=$tmp/state TALENTDESK_NOW=2026-06-01T02:00:00Z
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
coded=$(sqlite3 "$db" "SELECT c.case_no FROM talent_codes t JOIN cases c ON c.id=t.case_id ORDER BY c.case_no LIMIT 1")
fail() { echo "FAIL: $*"; tmux -L "$sock" capture-pane -p -t td 2>/dev/null || true; exit 1; }
screen() { tmux -L "$sock" capture-pane -p -t td; }
wait_for() {
  for _ in $(seq 200); do screen | grep -sF -- "$1" >/dev/null && return 0; sleep 0.05; done
  fail "screen never showed '$1'"
}
send() { tmux -L "$sock" send-keys -t td "$@"; sleep 0.05; }
for size in "80 45" "160 45"; do
  set -- $size
  tmux -L "$sock" kill-session -t td 2>/dev/null || true
  tmux -L "$sock" new-session -d -s td -x "$1" -y "$2" \
    "env HOME=$HOME XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR LC_ALL=C.UTF-8 TERM=tmux-256color TALENTDESK_NOW=$TALENTDESK_NOW XDG_STATE_HOME=$XDG_STATE_HOME $BIN --db $db --user clerk1 tui"
  wait_for "工作队列"
  send F7; send -l "$coded"; send Enter; sleep 0.3; send Enter; wait_for "案件 $coded"
  send F9; wait_for "人才服务码"
  sleep 0.3
  esc=$(tmux -L "$sock" capture-pane -e -p -t td | grep '█')   # the QR lines only
  echo "$esc" | grep -qE $'\e\\[([0-9;]*;)?37[;m]' || fail "no white foreground in the QR code ($1x$2)"
  echo "$esc" | grep -qE $'\e\\[([0-9;]*;)?40[;m]' || fail "no black background in the QR code ($1x$2)"
  [ "$(echo "$esc" | wc -l)" -gt 10 ] || fail "no QR code on the screen ($1x$2)"
done
echo "tui_qr_colors: ok"
