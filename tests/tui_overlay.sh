#!/usr/bin/env bash
# tui_overlay.sh — no damaged character after a pick list closes, and Ctrl-L
# repairs a form (issue 12, item 1), in a real pseudo-terminal (tmux) at
# 80x24 and 160x45 with TERM=xterm-256color and tmux-256color.
#
# At 80 columns the service list opens with its left edge on the second cell
# of 证 (居民身份证) and inside 人才认定（目录+计分）; when it closes, curses
# must send the whole wide characters again, not only the cells it believes
# changed.  The score screen's fact list covers the ledger's 学历或技能等级 the
# same way.  Ctrl-L: the pane's terminal is scribbled on behind the program's
# back, and Ctrl-L in the form puts every character back.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
command -v tmux >/dev/null || { echo "tmux is required (make deps)"; exit 1; }
tmp=$(mktemp -d)
sock="td-ovl-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
tmux -L "$sock" new-session -d -s keep -x 80 -y 24 "sleep 600"
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC XDG_STATE_HOME=$tmp/state TALENTDESK_NOW=2026-06-02T09:00:00Z
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
drafts=$tmp/state/talentdesk/drafts

fail() { echo "FAIL: $*"; echo "--- screen:"; tmux -L "$sock" capture-pane -p -t td 2>/dev/null || true; exit 1; }
screen() { tmux -L "$sock" capture-pane -p -t td; }
wait_for() {
  for _ in $(seq 200); do screen | grep -sF -- "$1" >/dev/null && return 0; sleep 0.05; done
  fail "screen never showed '$1'"
}
wait_gone() {
  for _ in $(seq 200); do screen | grep -sF -- "$1" >/dev/null || return 0; sleep 0.05; done
  fail "screen still shows '$1'"
}
start() { # start COLS ROWS TERM
  tmux -L "$sock" kill-session -t td 2>/dev/null || true
  tmux -L "$sock" new-session -d -s td -x "$1" -y "$2" \
    "env HOME=$HOME XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR LC_ALL=C.UTF-8 TZ=UTC TERM=$3 TALENTDESK_NOW=$TALENTDESK_NOW XDG_STATE_HOME=$XDG_STATE_HOME $BIN --db $db --user clerk1 tui"
  wait_for "工作队列"
}
send() { tmux -L "$sock" send-keys -t td "$@"; sleep 0.05; }
intact() { # intact TEXT...: each text is on the screen whole
  for t in "$@"; do screen | grep -sF -- "$t" >/dev/null || fail "'$t' damaged"; done
}
draft() { # an intake form as a clerk leaves it: cursor on the second service
  mkdir -p "$drafts"
  printf '%s' '{"name":"张三","name_latin":"","id_type":"resident","id_no":"11010519491231002X","gender":"","birth_date":"","nationality":"CHN","phone":"","email":"","category":"","employer":"","field":"","notes":"","case_type":"recognition","service1":"talent_recognition","service2":"","_cursor":15}' \
    > "$drafts/clerk1-intake.json"
}

# a case with a degree fact, for the ledger
"$BIN" --db "$db" --user clerk1 person add --name 李四 --id-no 440524188001010014 >/dev/null
case_no=$("$BIN" --db "$db" --user clerk1 --json case new 440524188001010014 --service talent_recognition |
  sed -n 's/.*"case_no": *"\([^"]*\)".*/\1/p')
[ -n "$case_no" ] || { echo "FAIL: no case"; exit 1; }

for term in xterm-256color tmux-256color; do
  for size in "80 24" "160 45"; do
    set -- $size
    draft
    start "$1" "$2" "$term"
    send F2; wait_for "已恢复未保存的受理草稿"
    intact "居民身份证" "人才认定（目录+计分）"
    send F4; wait_for "回车：选择   Esc：取消"
    send Escape; wait_gone "回车：选择   Esc：取消"
    sleep 0.2
    intact "居民身份证" "人才认定（目录+计分）"
    # choose a second service and close the list with Enter: same again
    send F4; wait_for "回车：选择   Esc：取消"
    send Down Enter; wait_gone "回车：选择   Esc：取消"
    sleep 0.2
    intact "居民身份证" "人才认定（目录+计分）"

    # Ctrl-L repairs a form whose terminal picture was spoiled
    tty=$(tmux -L "$sock" display -p -t td '#{pane_tty}')
    printf '\033[5;17H####\033[17;18H@@@@' > "$tty"
    for _ in $(seq 100); do screen | grep -sF "####" >/dev/null && break; sleep 0.05; done
    screen | grep -sF "居民身份证" >/dev/null && fail "the scribble did not land"
    send C-l; wait_gone "####"
    sleep 0.2
    intact "居民身份证" "人才认定（目录+计分）"
    screen | grep -sF "@@" >/dev/null && fail "Ctrl-L left the scribble"
    send Escape; wait_for "放弃本表中已输入的内容"
    send y; wait_for "工作队列"

    # the score screen: the fact list over the ledger
    send F7; wait_for "查找"
    send -l "$case_no"; send Enter; sleep 0.3; send Enter
    wait_for "$case_no"
    send F2; wait_for "学历或技能等级"
    send F4; wait_for "留空则从列表选择"
    send Enter; wait_for "回车：选择   Esc：取消"
    send Escape; wait_gone "回车：选择   Esc：取消"
    sleep 0.2
    intact "学历或技能等级"
  done
done
echo "tui_overlay: ok"
