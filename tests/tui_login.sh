#!/usr/bin/env bash
# Signing in on the terminal: without a session the login screen comes first
# (user name, hidden password, Chinese); a wrong password keeps the screen;
# F8 signs out and lets another user sign in with a password; the title shows
# who is signed in.  Then, in tmux, the idle lock (a short --idle-lock for the
# test): type into the intake form, wait for the lock screen (which hides the
# form), type the password, and the typed text is still there.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
sock="td-login-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_USER TALENTDESK_DB TALENTDESK_LANG TALENTDESK_TUI_SCRIPT NO_COLOR XDG_CONFIG_HOME
export XDG_RUNTIME_DIR=$tmp/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
fail() { echo "FAIL: $*" >&2; exit 1; }
db=$tmp/td.db
"$BIN" --db "$db" init --demo --persons 6 >/dev/null
has() { grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "$3: '$2' missing"; }; }
lacks() { ! grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "$3: '$2' shown"; }; }
q() { sqlite3 "$db" "$1"; }

# 1. no session: the login screen first; wrong password, then the right one
cat >"$tmp/s1" <<'KEYS'
:dump SCR/login.txt
clerk1<Enter>wrong-password<Enter>
:dump SCR/wrong.txt
clerk1<Enter>talentdesk-demo
:dump SCR/typed.txt
<Enter>
:dump SCR/queue.txt
<F8>
:dump SCR/f8.txt
approver1<Enter>talentdesk-demo<Enter>
:dump SCR/other.txt
KEYS
sed -i "s|SCR|$tmp|g" "$tmp/s1"
"$BIN" --db "$db" tui --script "$tmp/s1" || fail "tui script"
has "$tmp/login.txt" "登录" "login screen"
has "$tmp/login.txt" "用户名" "user name asked"
has "$tmp/wrong.txt" "用户名或密码错误" "wrong password message"
lacks "$tmp/wrong.txt" "工作队列" "queue shown after a wrong password"
has "$tmp/typed.txt" "***************" "password hidden"
lacks "$tmp/typed.txt" "talentdesk-demo" "password on screen"
has "$tmp/queue.txt" "工作队列" "queue after sign-in"
head -1 "$tmp/queue.txt" | grep -qF "王芳" || fail "title does not show clerk1"
has "$tmp/f8.txt" "用户名" "F8 asks who signs in"
head -1 "$tmp/other.txt" | grep -qF "陈静" || fail "title does not show approver1 after F8"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed'")" -eq 1 ] || fail "failure not audited"
[ "$(q "SELECT count(*) FROM auth_sessions WHERE kind = 'tui'")" -eq 2 ] || fail "TUI sessions not recorded"
[ "$(q "SELECT count(*) FROM auth_sessions WHERE kind = 'tui' AND ended_at IS NULL")" -eq 0 ] || fail "TUI sessions not ended"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.session_end'")" -eq 2 ] || fail "sign-out not audited"

# 2. idle lock in a real terminal (and it outlives the process)
command -v tmux >/dev/null || fail "tmux is required (make deps)"
printf 'talentdesk-demo\n' | "$BIN" --db "$db" -q login clerk1 --password-stdin
tmux -L "$sock" new-session -d -s td -x 80 -y 24 \
  "env HOME=$HOME LC_ALL=C.UTF-8 TERM=screen XDG_STATE_HOME=$XDG_STATE_HOME XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR TALENTDESK_NOW=$TALENTDESK_NOW $BIN --db $db --user clerk1 tui --idle-lock 3"
screen() { tmux -L "$sock" capture-pane -p -t td; }
wait_for() {
  for _ in $(seq 400); do screen | grep -sF -- "$1" >/dev/null && return 0; sleep 0.05; done
  screen; fail "screen never showed '$1'"
}
wait_gone() {
  for _ in $(seq 400); do screen | grep -sF -- "$1" >/dev/null || return 0; sleep 0.05; done
  screen; fail "screen still shows '$1'"
}
send() { tmux -L "$sock" send-keys -t td "$@"; }
wait_for "工作队列"
send F2; wait_for "受理登记"
send -l "张三abc"; wait_for "张三abc"
wait_for "屏幕已锁定"                 # the lock comes by itself, no keys sent
screen | grep -sF "张三abc" >/dev/null && fail "the locked screen shows the form"
# running the program again is no way past the lock: clerk1's session does
# not resume until the password is typed (auth/idlelock.h)
set +e; "$BIN" --db "$db" --user clerk1 whoami >/dev/null 2>"$tmp/idle.err"; r=$?; set -e
[ "$r" -eq 4 ] || fail "while the screen is locked clerk1's session resumed (exit $r)"
grep -qF "闲置已锁定" "$tmp/idle.err" || fail "the refusal names the lock: $(cat "$tmp/idle.err")"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'auth.idle_lock'")" -eq 1 ] || fail "the idle lock is not audited"
send -l "wrong-password"; send Enter; wait_for "用户名或密码错误"
screen | grep -sF "屏幕已锁定" >/dev/null || fail "a wrong password unlocked"
send -l "talentdesk-demo"; send Enter
wait_gone "屏幕已锁定"
wait_for "张三abc"                    # nothing typed was lost
send -l "d"; wait_for "张三abcd"       # and the form still takes keys
"$BIN" --db "$db" --user clerk1 whoami >/dev/null || fail "after the unlock clerk1's session resumes"
echo "tui_login: ok"
