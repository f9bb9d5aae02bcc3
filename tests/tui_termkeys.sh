#!/usr/bin/env bash
# tui_termkeys.sh — Home/End (and F-keys, arrows) as the common terminals send
# them, whatever terminfo says (issue 12, item 4), in tmux at 80x24 and
# 160x45 with TERM=xterm-256color and tmux-256color.  Each Home sequence puts
# the cursor before 张三abc (the typed X lands first), each End sequence after
# it; none closes the form as Esc would.  A sequence split in two by a slow
# link (ESC, a pause longer than curses' ESCDELAY, then "[1~") is still Home,
# and an unknown sequence is swallowed, never Esc.  A bare Esc still cancels.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
command -v tmux >/dev/null || { echo "tmux is required (make deps)"; exit 1; }
tmp=$(mktemp -d)
sock="td-keys-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
tmux -L "$sock" new-session -d -s keep -x 80 -y 24 "sleep 600"
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC XDG_STATE_HOME=$tmp/state TALENTDESK_NOW=2026-03-16T02:00:00Z
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"

fail() { echo "FAIL: $*"; echo "--- screen:"; tmux -L "$sock" capture-pane -p -t td 2>/dev/null || true; exit 1; }
screen() { tmux -L "$sock" capture-pane -p -t td; }
wait_for() {
  for _ in $(seq 200); do screen | grep -sF -- "$1" >/dev/null && return 0; sleep 0.05; done
  fail "screen never showed '$1'"
}
start() { # start COLS ROWS TERM
  tmux -L "$sock" kill-session -t td 2>/dev/null || true
  rm -rf "$XDG_STATE_HOME"
  tmux -L "$sock" new-session -d -s td -x "$1" -y "$2" \
    "env HOME=$HOME XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR LC_ALL=C.UTF-8 TZ=UTC TERM=$3 TALENTDESK_NOW=$TALENTDESK_NOW XDG_STATE_HOME=$XDG_STATE_HOME $BIN --db $db --user clerk1 tui"
  wait_for "工作队列"
}
send() { tmux -L "$sock" send-keys -t td "$@"; sleep 0.05; }
hex() { # hex 'ESC[1~' → 1b 5b 31 7e
  printf '%s' "$1" | sed 's/ESC/\x1b/g' | od -An -tx1 | tr -s ' \n' ' '
}
seqkey() { send -H $(hex "$1"); }
split() { # split A B: A, a pause of 40 ms (longer than curses' ESCDELAY of 25), B
  tmux -L "$sock" send-keys -t td -H $(hex "$1") \; run-shell "sleep 0.04" \; send-keys -t td -H $(hex "$2")
  sleep 0.05
}
name_is() { # the name field shows exactly TEXT
  for _ in $(seq 100); do
    [ "$(screen | sed -n 3p | sed 's/^姓名\* *//; s/ *$//')" = "$1" ] && return 0; sleep 0.05
  done
  fail "name field is not '$1' (after $2)"
}

for term in xterm-256color tmux-256color; do
  for size in "80 24" "160 45"; do
    set -- $size
    start "$1" "$2" "$term"
    send F2; wait_for "受理登记"
    send -l "张三abc"; name_is "张三abc" "typing"
    for home in 'ESC[1~' 'ESC[7~' 'ESC[H' 'ESCOH' 'ESC[1;5H'; do
      seqkey "$home"; send -l "X"; name_is "X张三abc" "$home"
      send BSpace; name_is "张三abc" "$home BS"
      seqkey 'ESC[4~'; send -l "Z"; name_is "张三abcZ" "End"
      send BSpace; name_is "张三abc" "End BS"
    done
    for end in 'ESC[4~' 'ESC[8~' 'ESC[F' 'ESCOF' 'ESC[1;2F'; do
      seqkey 'ESC[1~'; seqkey "$end"; send -l "Y"; name_is "张三abcY" "$end"
      send BSpace; name_is "张三abc" "$end BS"
    done
    # split by a slow link: ESC, then (past ESCDELAY) the rest
    split 'ESC' '[1~'; send -l "W"; name_is "W张三abc" "split ESC [1~"
    split 'ESC[' '4~'; send -l "V"; name_is "W张三abcV" "split ESC[ 4~"
    # an unknown sequence is swallowed whole
    seqkey 'ESC[99;9~'; send -l "U"; name_is "W张三abcVU" "unknown sequence"
    screen | grep -sF "放弃本表" >/dev/null && fail "a sequence was read as Esc"
    # the F-keys of PuTTY/rxvt (ESC[11~ = F1) and the Linux console (ESC[[A = F1)
    seqkey 'ESC[11~'; wait_for "保存本表"; send Escape; sleep 0.3; wait_for "受理登记"
    seqkey 'ESC[[A'; wait_for "保存本表"; send Escape; sleep 0.3; wait_for "受理登记"
    # a bare Esc still means Esc: the form asks before throwing text away
    send Escape; wait_for "放弃本表"
    send y; wait_for "工作队列"
  done
done
echo "tui_termkeys: ok"
