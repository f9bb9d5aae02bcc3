#!/usr/bin/env bash
# Sign-in from the command line: init asks the admin's password (stdin here),
# login/whoami/logout, sessions per user selected by --user, token file 0600
# in $XDG_RUNTIME_DIR with only its hash in the database, wrong password,
# lock after N failures and unlock, forced change at first sign-in, expired
# session, --user without a session refused (exit 4, Chinese), every refusal
# and sign-in event audited, no password in the audit log.
set -euo pipefail
bin=${TD_BIN:-./talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TALENTDESK_NOW=2026-06-15T02:00:00Z LC_ALL=C.UTF-8
unset TALENTDESK_USER TALENTDESK_DB TALENTDESK_LANG
export XDG_RUNTIME_DIR=$tmp/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local r=$?; set -e; echo $r; }
db="$tmp/a.db"
T() { "$bin" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
chinese() { grep -qP '[\x{4e00}-\x{9fff}]{2,}' "$tmp/err" || fail "$1: message not Chinese: $(cat "$tmp/err")"; }

# init without a terminal and without --admin-password-stdin: refused, nothing made
[ "$(rc T init </dev/null)" -eq 2 ] || fail "init without a password source"
[ "$(q "SELECT count(*) FROM stations" 2>/dev/null || echo 0)" -eq 0 ] || fail "init made a station without a password"
[ "$(printf 'short\n' | rc T init --admin-password-stdin)" -eq 6 ] || fail "short admin password"
printf 'admin-pass-1\n' | T init --admin-password-stdin >/dev/null || fail "init"
q "SELECT password_hash FROM users WHERE username='admin'" | grep -q '^\$argon2id\$' || fail "argon2id hash"

# nobody signed in: case data refused with exit 4, in Chinese, audited
[ "$(rc T person list)" -eq 4 ] || fail "person list without a session"
chinese "no session"
grep -q 'talentdesk login' "$tmp/err" || fail "message says how to sign in"
[ "$(rc T --user admin case list)" -eq 4 ] || fail "--user without a session"
grep -q 'admin' "$tmp/err" || fail "message names the user"
[ "$(q "SELECT count(*) FROM audit_log WHERE action='auth.denied'")" -eq 2 ] || fail "refusals audited"

# wrong password: exit 4, audited, no session
[ "$(printf 'nope-nope\n' | rc T login admin --password-stdin)" -eq 4 ] || fail "wrong password"
chinese "wrong password"
[ "$(q "SELECT count(*) FROM audit_log WHERE action='auth.login_failed'")" -eq 1 ] || fail "failure audited"
[ "$(printf 'whatever1\n' | rc T login ghost --password-stdin)" -eq 4 ] || fail "unknown user"
cp "$tmp/err" "$tmp/err.ghost"
printf 'nope-nope\n' | T login admin --password-stdin 2>"$tmp/err.admin" || true
cmp -s "$tmp/err.ghost" "$tmp/err.admin" || fail "unknown user and wrong password must read the same"

# right password: session, token file 0600 in the runtime dir, only its hash stored
printf 'admin-pass-1\n' | T login admin --password-stdin >"$tmp/out" || fail "login"
grep -q '已登录' "$tmp/out" || fail "login message"
tok=$(find "$XDG_RUNTIME_DIR/talentdesk" -type f -name admin)
[ -n "$tok" ] || fail "no token file"
[ "$(stat -c %a "$tok")" = 600 ] || fail "token file mode $(stat -c %a "$tok")"
[ "$(stat -c %a "$(dirname "$tok")")" = 700 ] || fail "token dir mode"
[ "$(q "SELECT count(*) FROM auth_sessions WHERE token_hash = '$(cat "$tok")'")" -eq 0 ] || fail "token stored in clear"
[ "$(q "SELECT count(*) FROM auth_sessions WHERE ended_at IS NULL")" -eq 1 ] || fail "one live session"
T whoami | grep -q '^admin' || fail "whoami"
T --json whoami | python3 -c 'import json,sys; assert json.load(sys.stdin)["roles"]=="admin"' || fail "whoami JSON"

# a new user: first password from stdin, must change it at the first sign-in
printf 'first-pass-1\n' | T user add wangwu --name 王五 --roles clerk --password-stdin >/dev/null || fail "user add"
[ "$(q "SELECT must_change_password FROM users WHERE username='wangwu'")" -eq 1 ] || fail "must change"
T user add lisi --name 李四 --roles clerk >"$tmp/out" || fail "user add with a made-up password"
grep -q '初始密码' "$tmp/out" || fail "made-up password shown"
[ "$(printf 'first-pass-1\n' | rc T login wangwu --password-stdin)" -ne 0 ] || fail "first login without a new password"
[ "$(printf 'first-pass-1\nwangwu\n' | rc T login wangwu --password-stdin)" -eq 6 ] || fail "new password = user name"
printf 'first-pass-1\nsecond-pass-2\n' | T -q login wangwu --password-stdin || fail "first login with change"
[ "$(q "SELECT must_change_password FROM users WHERE username='wangwu'")" -eq 0 ] || fail "change cleared the flag"

# two sessions at once, --user selects; without --user the last one signed in
T whoami | grep -q '^wangwu' || fail "current is the last signed in"
T --user admin whoami | grep -q '^admin' || fail "--user admin"
[ "$(rc T --user wangwu user add x1 --name 某 --roles clerk)" -eq 4 ] || fail "clerk adds a user"
[ "$(q "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")" = auth.denied ] || fail "role refusal audited"

# own password change (old + new on stdin), then the old one no longer works
printf 'second-pass-2\nthird-pass-3\n' | T user passwd wangwu --password-stdin >/dev/null || fail "passwd"
[ "$(printf 'second-pass-2\n' | rc T login wangwu --password-stdin)" -eq 4 ] || fail "old password still works"

# lock after N failures (configurable), refused even with the right password, admin unlock
T --user admin user config lock_after 3 >/dev/null || fail "config"
[ "$(rc T --user wangwu user config lock_after 9)" -eq 4 ] || fail "clerk changes settings"
for i in 1 2; do printf 'bad-bad-%s\n' $i | T login wangwu --password-stdin 2>/dev/null && fail "bad login $i"; done
[ "$(q "SELECT locked_at IS NOT NULL FROM users WHERE username='wangwu'")" -eq 1 ] || fail "not locked after 3"
[ "$(q "SELECT count(*) FROM audit_log WHERE action='auth.lock'")" -eq 1 ] || fail "lock audited"
[ "$(printf 'third-pass-3\n' | rc T login wangwu --password-stdin)" -eq 4 ] || fail "locked account signs in"
grep -q '锁定' "$tmp/err" || fail "locked message"
[ "$(rc T --user wangwu whoami)" -eq 4 ] || fail "a locked user's session still works"
[ "$(rc T --user wangwu user unlock wangwu)" -eq 4 ] || fail "self unlock"
T --user admin user unlock wangwu >/dev/null || fail "unlock"
[ "$(q "SELECT count(*) FROM audit_log WHERE action='auth.unlock'")" -eq 1 ] || fail "unlock audited"
printf 'third-pass-3\n' | T -q login wangwu --password-stdin || fail "login after unlock"

# admin reset: the user must change it again
printf 'reset-pass-4\n' | T --user admin user passwd wangwu --password-stdin >/dev/null || fail "reset"
[ "$(q "SELECT must_change_password FROM users WHERE username='wangwu'")" -eq 1 ] || fail "reset forces a change"

# expiry: session_minutes later the session is refused (exit 4) and audited
T --user admin user config session_minutes 60 >/dev/null
printf 'admin-pass-1\n' | T -q login admin --password-stdin
[ "$(TALENTDESK_NOW=2026-06-15T02:59:00Z rc T --user admin whoami)" -eq 0 ] || fail "session ended early"
[ "$(TALENTDESK_NOW=2026-06-15T03:01:00Z rc T --user admin whoami)" -eq 4 ] || fail "expired session accepted"
grep -q '过期' "$tmp/err" || fail "expired message"
[ "$(q "SELECT count(*) FROM audit_log WHERE action='auth.session_expired'")" -eq 1 ] || fail "expiry audited"

# logout ends the session in the database and removes the file
printf 'admin-pass-1\n' | T -q login admin --password-stdin
T logout admin >/dev/null || fail "logout"
[ ! -e "$tok" ] || fail "token file left"
[ "$(rc T --user admin whoami)" -eq 4 ] || fail "session after logout"
[ "$(q "SELECT count(*) FROM audit_log WHERE action='auth.session_end'")" -ge 1 ] || fail "logout audited"

# every kind of sign-in event is in the log; no password anywhere in it
for a in auth.login auth.login_failed auth.lock auth.login_locked auth.unlock auth.session_start \
         auth.session_end auth.password_change auth.password_reset auth.denied auth.settings; do
  [ "$(q "SELECT count(*) FROM audit_log WHERE action='$a'")" -ge 1 ] || fail "no $a in the audit log"
done
for pw in admin-pass-1 first-pass-1 second-pass-2 third-pass-3 reset-pass-4 bad-bad-1 nope-nope; do
  [ "$(q "SELECT count(*) FROM audit_log WHERE instr(IFNULL(old_value,'')||IFNULL(new_value,'')||reason, '$pw') > 0")" -eq 0 ] \
    || fail "password $pw in the audit log"
done
T audit verify >/dev/null 2>&1 || [ "$(rc T audit verify)" -eq 4 ] || fail "audit chain"
echo "auth_cli: ok"
