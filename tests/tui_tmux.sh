#!/usr/bin/env bash
# tui_tmux.sh — the interface in a real pseudo-terminal (tmux), without the
# workflow screens: start-up at 80x24 and 120x40 with the F-key bar, the
# pitfall test 张三abc ←←← Backspace → 张abc with the terminal cursor after 张,
# help from F1, resize reflow, and a draft surviving a dropped session (the
# tmux session is killed: the program gets SIGHUP) — restored on the next start.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
command -v tmux >/dev/null || { echo "tmux is required (make deps)"; exit 1; }
tmp=$(mktemp -d)
sock="td-tmux-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
# a session that outlives the others, so killing one never ends the server
tmux -L "$sock" new-session -d -s keep -x 80 -y 24 "sleep 600"
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"

fail() { echo "FAIL: $*"; echo "--- screen:"; tmux -L "$sock" capture-pane -p -t td 2>/dev/null || true; exit 1; }
screen() { tmux -L "$sock" capture-pane -p -t td; }
# wait_for TEXT: until the screen shows TEXT (a condition; the bound,
# TD_TUI_WAIT default 180 s, only stops a broken run from hanging)
wait_for() {
  local end=$((SECONDS + ${TD_TUI_WAIT:-180}))
  while [ "$SECONDS" -lt "$end" ]; do screen | grep -sF -- "$1" >/dev/null && return 0; sleep 0.05; done
  fail "screen never showed '$1'"
}
wait_gone() {
  local end=$((SECONDS + ${TD_TUI_WAIT:-180}))
  while [ "$SECONDS" -lt "$end" ]; do screen | grep -sF -- "$1" >/dev/null || return 0; sleep 0.05; done
  fail "screen still shows '$1'"
}
start() { # start COLS ROWS [ENV=VALUE]
  tmux -L "$sock" kill-session -t td 2>/dev/null || true
  tmux -L "$sock" new-session -d -s td -x "$1" -y "$2" \
    "env HOME=$HOME LC_ALL=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$XDG_STATE_HOME XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR ${3:-} $BIN --db $db --user clerk1 tui"
  wait_for "工作队列"
}
send() { tmux -L "$sock" send-keys -t td "$@"; }

for size in "80 24" "120 40"; do
  set -- $size
  start "$1" "$2"
  [ "$(screen | wc -l)" -eq "$2" ] || fail "expected $2 rows"
  screen | tail -1 | grep -sF "1帮助" >/dev/null || fail "key bar not on the last row"
  screen | tail -1 | grep -sF "10退出" >/dev/null || fail "F10 missing"
  screen | head -1 | grep -sF "王芳" >/dev/null || fail "user not in the title"
done

# colours, and none with NO_COLOR (attributes only: reverse, bold, underline)
colours() { tmux -L "$sock" capture-pane -e -p -t td | grep -cE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)[;m]' || true; }
[ "$(colours)" -gt 0 ] || fail "no colours on a colour terminal"
start 80 24 NO_COLOR=1
[ "$(colours)" -eq 0 ] || fail "colours despite NO_COLOR"
tmux -L "$sock" capture-pane -e -p -t td | grep -sE $'\e\\[([0-9;]*;)?7[;m]' >/dev/null || fail "no reverse video without colours"
start 80 24

# the field editor in a real terminal: the cursor is after 张 (column 16 + 2)
send F2; wait_for "受理登记"
send -l "张三abc"; wait_for "张三abc"
send Left Left Left BSpace; wait_for "张abc"
screen | grep -sF "张三" >/dev/null && fail "三 not deleted"
cx=$(tmux -L "$sock" display -p -t td '#{cursor_x}')
cy=$(tmux -L "$sock" display -p -t td '#{cursor_y}')
[ "$cx" = 18 ] && [ "$cy" = 2 ] || fail "cursor at $cx,$cy, expected 18,2"

# help for the form comes from the key table
send F1; wait_for "保存本表"
send Escape; wait_gone "保存本表"; wait_for "受理登记"

# resize: smaller than 80x24 says so, larger reflows
tmux -L "$sock" resize-window -t td -x 70 -y 20; wait_for "至少需要 80×24"
tmux -L "$sock" resize-window -t td -x 120 -y 40; wait_for "受理登记"
[ "$(screen | wc -l)" -eq 40 ] || fail "no reflow to 40 rows"

# a dropped session: SIGHUP; the draft is restored on the next start
# (the draft is written on every change: wait until it holds the typed text)
end=$((SECONDS + ${TD_TUI_WAIT:-180}))
until grep -rqsF "张abc" "$XDG_STATE_HOME"; do
  [ "$SECONDS" -lt "$end" ] || fail "no draft with the typed text under $XDG_STATE_HOME"
  sleep 0.05
done
tmux -L "$sock" kill-session -t td
start 80 24
send F2; wait_for "已恢复未保存的受理草稿"
screen | grep -sF "张abc" >/dev/null || fail "draft lost"
echo "tui_tmux: ok"
