#!/usr/bin/env bash
# install_group.sh — the shared-server installation (issue 10 item 4) and the
# program's own files (item 6's last sentence, item 7's core dumps).
#
# Any user:  outside the mode every file the program writes is owner-only
#            (database, -wal, -shm, key, session token, export); the process
#            is not dumpable and may not dump core while it waits for a
#            password; `make install-group` run by a non-root user changes
#            nothing and prints what root must do.
# Root only: `make install GROUP_MODE=1` into a DESTDIR with a test group:
#            modes and owners of the program (2755), the state directory
#            (2750) and talentdesk.conf; `talentdesk init` as root makes the
#            database 0660 and its key 0640 for the group; an unprivileged
#            Unix user (useradd, run through setpriv) cannot open the database
#            with sqlite3 nor read the key, but the installed program can, as
#            the TalentDesk user an administrator linked it to; every
#            redirection (--db, TALENTDESK_DB/DATA/LOCALEDIR/NOW, init --data,
#            tui --script) and every administrator's command is refused with
#            exit 4 in Chinese; files the user names are opened with the
#            user's own rights; nothing the clerk's process makes in the state
#            directory, whose quick_check memory is kept in the user's own
#            runtime directory and reused; a sync import by an administrator
#            who is not root keeps the station's audit key in the database;
#            an unsafe talentdesk.conf is refused; ncurses ignores TERMINFO in
#            a set-group-id program.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TD_BIN:-$SRC/build/talentdesk}
BUILD=${TD_BUILD:-$SRC/build}
tmp=$(mktemp -d /tmp/td-install-group.XXXXXX) # /tmp: a root-owned sticky parent, reachable by the test user
grp=tdg$$
clerk=tdc$$
other=tdo$$
adm=tda$$
bg_job=""
cleanup() {
  exec 7>&- 2>/dev/null || true # the waiting login (check_dumpable) gets its end of input
  [ -z "$bg_job" ] || { kill "$bg_job" 2>/dev/null || true; wait "$bg_job" 2>/dev/null || true; }
  if [ "$(id -u)" = 0 ]; then
    id -u "$clerk" >/dev/null 2>&1 && rm -rf "/tmp/talentdesk-$(id -u "$clerk")"
    id -u "$other" >/dev/null 2>&1 && rm -rf "/tmp/talentdesk-$(id -u "$other")"
    userdel "$clerk" 2>/dev/null || true
    userdel "$other" 2>/dev/null || true
    id -u "$adm" >/dev/null 2>&1 && rm -rf "/tmp/talentdesk-$(id -u "$adm")"
    userdel "$adm" 2>/dev/null || true
    groupdel "$grp" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local r=$?; set -e; echo $r; }
mode() { stat -c '%a %U:%G' "$1"; }
chinese() { grep -qP '[\x{4e00}-\x{9fff}]{2,}' "$tmp/err" || fail "$1: message not Chinese: $(cat "$tmp/err")"; }
asan=0
grep -qa __asan_init "$BIN" && asan=1

# ---- Outside the mode: owner-only files ----------------------------------
export TALENTDESK_NOW=2026-06-15T02:00:00Z XDG_RUNTIME_DIR=$tmp/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
db=$tmp/own/a.db
mkdir -p "$tmp/own"
printf 'own-admin-pw-1\n' | "$BIN" --db "$db" init --admin-password-stdin >/dev/null || fail "init (own)"
printf 'own-admin-pw-1\n' | "$BIN" --db "$db" login admin --password-stdin >/dev/null || fail "login (own)"
"$BIN" --db "$db" person add --name 张三 --id-no 11010519491231002X >/dev/null || fail "person add (own)"
"$BIN" --db "$db" export persons "$tmp/own/p.csv" >/dev/null || fail "export (own)"
for f in "$db" "$db-wal" "$db-shm" "$db.key" "$tmp/own/p.csv"; do
  [ -e "$f" ] || continue
  m=$(stat -c %a "$f")
  [ "$m" = 600 ] || fail "outside the shared-server mode $f must be owner-only (600), is $m"
done
tok=$(find "$XDG_RUNTIME_DIR" -type f -name admin | head -1)
[ -n "$tok" ] && [ "$(stat -c %a "$tok")" = 600 ] || fail "session token owner-only"

# Waiting for a password: not dumpable (its /proc files then belong to root,
# not to the user), no core.  A FIFO keeps `login --password-stdin` waiting.
# check_dumpable DB PASSWORD [RUNNER...]: the runner runs it as a non-root user.
check_dumpable() {
  local cdb=$1 cpw=$2; shift 2
  rm -f "$tmp/pw"; mkfifo -m 666 "$tmp/pw"
  "$@" "$BIN" --db "$cdb" login admin --password-stdin <"$tmp/pw" >/dev/null 2>&1 &
  local job=$! pid="" n k
  bg_job=$job
  exec 7>"$tmp/pw"
  # the program: the job itself or a descendant (a shell function runs in a subshell)
  for n in $(seq 1 400); do
    for k in $job $(pgrep -P "$job" 2>/dev/null) $(for c in $(pgrep -P "$job" 2>/dev/null); do pgrep -P "$c"; done); do
      [ "$(readlink "/proc/$k/exe" 2>/dev/null)" = "$(readlink -f "$BIN")" ] && { pid=$k; break; }
    done
    [ -n "$pid" ] && break
    sleep 0.05
  done
  [ -n "$pid" ] || fail "(test) the program waiting for the password was not found"
  grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits" || fail "RLIMIT_CORE is not 0 while a password is read"
  [ "$(stat -c %u "/proc/$pid/environ")" = 0 ] || fail "the process is dumpable while it reads a password"
  printf '%s\n' "$cpw" >&7
  exec 7>&-
  wait || true
}
if [ "$asan" = 1 ]; then
  echo "install_group.sh: AddressSanitizer build: the dumpable check is skipped (LSan needs ptrace)"
elif [ "$(id -u)" != 0 ]; then
  check_dumpable "$db" own-admin-pw-1
fi

# make install-group as a non-root user: prints the steps, installs nothing
if [ "$(id -u)" != 0 ]; then
  out=$(DESTDIR=$tmp/nr PREFIX=/usr/local SYSCONFDIR=/usr/local/etc STATEDIR=/var/lib/talentdesk TD_GROUP=talentdesk \
    bash "$SRC/scripts/install_group.sh")
  grep -q 'chmod 2755' <<<"$out" || fail "install-group as non-root: expected the steps for root"
  [ ! -e "$tmp/nr/var" ] || fail "install-group as non-root made the state directory"
  echo "install_group.sh: SKIP (not root): the set-group-id install, its modes and the clerk's refusals need root"
  exit 0
fi

# ---- Root: the shared-server installation in a DESTDIR ----------------------
for t in useradd groupadd setpriv; do
  command -v $t >/dev/null || { echo "install_group.sh: SKIP: $t is missing"; exit 0; }
done
unset TALENTDESK_NOW XDG_RUNTIME_DIR
chmod 755 "$tmp"
groupadd --system "$grp"
useradd --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$clerk"
useradd --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$other"
useradd --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$adm"
root=$tmp/root
make --no-print-directory -C "$SRC" BUILD="$BUILD" install DESTDIR="$root" PREFIX=/usr/local GROUP_MODE=1 \
  TD_GROUP="$grp" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "make install GROUP_MODE=1"; }
ib=$root/usr/local/bin/talentdesk
conf=$root/usr/local/etc/talentdesk/talentdesk.conf
state=$root/var/lib/talentdesk
[ "$(mode "$ib")" = "2755 root:$grp" ] || fail "installed program: expected 2755 root:$grp, got $(mode "$ib")"
[ "$(mode "$state")" = "2750 root:$grp" ] || fail "state directory: expected 2750 root:$grp, got $(mode "$state")"
[ "$(mode "$conf")" = "644 root:root" ] || fail "talentdesk.conf: expected 644 root:root, got $(mode "$conf")"
grep -q '^db = /var/lib/talentdesk/talentdesk.db$' "$conf" || fail "talentdesk.conf names the database"
grep -q 'talentdesk init' "$tmp/install.log" || fail "make install GROUP_MODE=1 says what to do next"
if [ "$asan" = 1 ]; then # a set-group-id process is not dumpable, and LeakSanitizer needs ptrace
  echo "install_group.sh: AddressSanitizer build: modes checked; the set-group-id runs are skipped"
  exit 0
fi
# The staged root is used where it lies: point the configuration into it.
printf 'db = %s/talentdesk.db\n' "$state" >"$conf"

# as a clerk, through setpriv: real uid/gid of the user, no supplementary groups
as() { local u=$1; shift; setpriv --reuid="$u" --regid="$(id -g "$u")" --clear-groups \
  env -i PATH=/usr/bin:/bin HOME=/nonexistent LC_ALL=C.UTF-8 TZ=UTC TERM=xterm-256color "$@"; }
if ! as "$clerk" "$ib" --version >/dev/null 2>&1; then
  echo "install_group.sh: SKIP: the unprivileged user cannot run $ib (nosuid mount?)"; exit 0
fi

# not dumpable while reading a password: as the unprivileged user, with the
# build's program on a database of the user's own (outside the mode)
# (a checkout in a private directory, /root/… say, is out of the user's reach:
# then only this part is skipped, and said so)
if [ "$asan" = 0 ] && ! as "$clerk" "$BIN" --version >/dev/null 2>&1; then
  echo "install_group.sh: note: $clerk cannot run $BIN (the checkout is in a private directory);" \
    "the not-dumpable check as that user is skipped"
elif [ "$asan" = 0 ]; then
  mkdir -m 700 "$tmp/cl" && chown "$clerk" "$tmp/cl"
  printf 'cl-admin-pw-1\n' | as "$clerk" "$BIN" --db "$tmp/cl/c.db" init --admin-password-stdin >/dev/null ||
    fail "init as the unprivileged user (outside the mode)"
  check_dumpable "$tmp/cl/c.db" cl-admin-pw-1 as "$clerk"
fi

# Root's init: TALENTDESK_NOW is refused in the mode, then it makes the files
[ "$(printf 'grp-admin-pw-1\n' | TALENTDESK_NOW=2026-06-15T02:00:00Z rc "$ib" init --admin-password-stdin)" -eq 4 ] ||
  fail "TALENTDESK_NOW must be refused in the shared-server mode"
chinese "TALENTDESK_NOW"
[ ! -e "$state/talentdesk.db" ] || fail "a refused init made the database"
printf 'grp-admin-pw-1\n' | "$ib" init --admin-password-stdin >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "init as root"; }
db=$state/talentdesk.db
[ "$(mode "$db")" = "660 root:$grp" ] || fail "database: expected 660 root:$grp, got $(mode "$db")"
[ "$(mode "$db.key")" = "640 root:$grp" ] || fail "station key: expected 640 root:$grp, got $(mode "$db.key")"
for f in "$db-wal" "$db-shm"; do
  [ "$(mode "$f")" = "660 root:$grp" ] || fail "$f: expected 660 root:$grp, got $(mode "$f")"
done
export XDG_RUNTIME_DIR=$tmp/rootrun
mkdir -m 700 "$XDG_RUNTIME_DIR"
printf 'grp-admin-pw-1\n' | "$ib" login admin --password-stdin >/dev/null || fail "admin login as root"
"$ib" user add wang --name 王芳 --roles clerk --unix-user "$clerk" >/dev/null || fail "user add --unix-user"

# The clerk's own account cannot open the files …
if command -v sqlite3 >/dev/null; then
  [ "$(rc as "$clerk" sqlite3 "$db" 'SELECT count(*) FROM persons')" -ne 0 ] ||
    fail "the clerk's account opened the database with sqlite3"
fi
[ "$(rc as "$clerk" cat "$db.key")" -ne 0 ] || fail "the clerk's account read the station key"
# … but the installed program can, signed in by the Unix login
[ "$(rc as "$clerk" "$ib" whoami)" -eq 0 ] || fail "whoami as the linked clerk: $(cat "$tmp/err")"
grep -q '^wang ' "$tmp/out" || fail "the Unix user maps to wang: $(cat "$tmp/out")"
[ "$(rc as "$clerk" "$ib" person add --name 李四 --id-no 11010519491231002X)" -eq 0 ] ||
  fail "person add as the clerk: $(cat "$tmp/err")"
[ "$(rc as "$clerk" "$ib" audit verify)" -eq 0 ] || fail "audit verify as the clerk: $(cat "$tmp/err")"
# (root's sqlite3 keeps the -wal/-shm files: it would remove them on closing)
[ "$(sqlite3 -cmd '.filectrl persist_wal 1' "$db" "SELECT count(*) FROM audit_log WHERE action='auth.login_peer'" | tail -1)" -ge 1 ] ||
  fail "the Unix sign-in is audited"
[ -z "$(find "$state" -user "$clerk")" ] || fail "the clerk's process made files in the state directory: $(find "$state" -user "$clerk")"
# The quick_check memory: the clerk's process cannot create files in the
# state directory, so it keeps it in the clerk's own runtime directory; it is
# written, and reused by the next command (the check then does not run again:
# the time it records stays the one given here)
# (root's sqlite3 above changed the file: a write checks it again first)
[ "$(rc as "$clerk" "$ib" person add --name 王五 --id-type passport --id-no E99887766)" -eq 0 ] ||
  fail "person add as the clerk (2): $(cat "$tmp/err")"
memo=$(find "/tmp/talentdesk-$(id -u "$clerk")" -name .checked 2>/dev/null | head -1)
[ -n "$memo" ] || fail "the clerk's process wrote no quick_check memory (.checked in its runtime directory)"
[ "$(stat -c %U "$memo")" = "$clerk" ] || fail "the quick_check memory is not the clerk's: $(stat -c %U "$memo")"
read -r -a m <"$memo"
at=$(( ${m[-1]} - 5 ))
m[-1]=$at
echo "${m[*]}" >"$memo" # (a redirection keeps the file and its owner)
[ "$(rc as "$clerk" "$ib" person add --name 赵六 --id-type passport --id-no E99887767)" -eq 0 ] ||
  fail "person add as the clerk (3): $(cat "$tmp/err")"
read -r -a m <"$memo"
[ "${m[-1]}" = "$at" ] || fail "the clerk's second write checked the database again instead of using the memory"
[ -z "$(find "$state" -name '*.checked')" ] || fail "a quick_check memory in the state directory"
for f in "$db" "$db-wal" "$db-shm"; do
  [ "$(mode "$f")" = "660 root:$grp" ] || fail "after the clerk's writes $f is $(mode "$f")"
done

# Refusals: exit 4, Chinese, nothing done
refuse() { # WHAT CMD...
  local what=$1; shift
  local r; r=$(rc as "$clerk" "$@")
  [ "$r" -eq 4 ] || fail "$what: expected exit 4, got $r: $(cat "$tmp/err")"
  chinese "$what"
}
refuse "--db" "$ib" --db "$tmp/x.db" whoami
refuse "--db=" "$ib" --db="$tmp/x.db" whoami
for v in TALENTDESK_DB TALENTDESK_DATA TALENTDESK_LOCALEDIR TALENTDESK_NOW TALENTDESK_COUNTRIES TALENTDESK_TUI_SCRIPT; do
  refuse "$v" env "$v=$tmp/x" "$ib" whoami
  grep -q "$v" "$tmp/err" || fail "$v: the refusal names the variable"
done
refuse "init --data" "$ib" init --data "$tmp"
refuse "tui --script" "$ib" tui --script /dev/null
for cmd in "init" "upgrade" "backup $tmp/b.db" "restore $tmp/b.db" "sync keys" "sync join $tmp/j"; do
  # shellcheck disable=SC2086
  refuse "$cmd" "$ib" $cmd
done
[ ! -e "$tmp/x.db" ] && [ ! -e "$tmp/b.db" ] || fail "a refused command made a file"
# a file the clerk names is opened with the clerk's rights, not the group's
r=$(rc as "$clerk" "$ib" import persons "$db.key")
[ "$r" -eq 9 ] || fail "import of the key file as the clerk: expected exit 9 (cannot read), got $r"
r=$(rc as "$clerk" "$ib" rules check "$db.key") # before any database is opened
[ "$r" -eq 9 ] || fail "rules check of the key file as the clerk: expected exit 9 (cannot read), got $r"
# A sync import by an administrator who is not root: the station's audit key
# goes into the database (no .peerkeys file, which only root could create)
printf 'st-admin-pw-1\n' >"$tmp/stpw"
"$ib" sync keys >/dev/null || fail "sync keys as root"
"$ib" sync enrol-station LDN --name 伦敦工作站 --out "$tmp/ldn.join" >/dev/null || fail "enrol-station"
mkdir "$tmp/st"
"$BIN" --db "$tmp/st/ldn.db" sync join "$tmp/ldn.join" --password-stdin <"$tmp/stpw" >/dev/null || fail "station join"
"$BIN" --db "$tmp/st/ldn.db" login admin --password-stdin <"$tmp/stpw" >/dev/null || fail "station login"
"$BIN" --db "$tmp/st/ldn.db" sync card "$tmp/ldn.card" >/dev/null || fail "station card"
"$ib" sync enrol "$tmp/ldn.card" >/dev/null || fail "enrol the station card"
"$BIN" --db "$tmp/st/ldn.db" person add --name 林小雨 --id-type passport --id-no E12345678 >/dev/null ||
  fail "person add at the station"
"$BIN" --db "$tmp/st/ldn.db" sync export --to CQ "$tmp/s1.tdsb" >/dev/null || fail "station export"
chmod 644 "$tmp/s1.tdsb"
"$ib" user add hqadm --name 管理员二 --roles admin --unix-user "$adm" >/dev/null || fail "user add hqadm --unix-user"
[ "$(rc as "$adm" "$ib" sync import "$tmp/s1.tdsb")" -eq 0 ] || fail "sync import by a non-root administrator: $(cat "$tmp/err")"
[ ! -e "$db.peerkeys" ] || fail "the station's audit key went to a file in the state directory"
[ "$(sqlite3 -cmd '.filectrl persist_wal 1' "$db" 'SELECT count(*) FROM local_peer_keys' | tail -1)" = 1 ] ||
  fail "the station's audit key is not in the database"
[ "$(rc as "$adm" "$ib" --json audit verify)" -eq 0 ] || fail "audit verify as hqadm: $(cat "$tmp/err")"
grep -q '"unverified": 0' "$tmp/out" || fail "the station's chain is not checked with its key: $(cat "$tmp/out")"
[ -z "$(find "$state" -user "$adm")" ] || fail "hqadm's process made files in the state directory: $(find "$state" -user "$adm")"

# an unlinked Unix user is nobody; after unlinking, the clerk too
[ "$(rc as "$other" "$ib" person list)" -eq 4 ] || fail "an unlinked Unix user must be refused"
chinese "unlinked user"
"$ib" user unix-link wang --clear >/dev/null || fail "user unix-link --clear"
rm -rf "/tmp/talentdesk-$(id -u "$clerk")"
[ "$(rc as "$clerk" "$ib" person list)" -eq 4 ] || fail "an unlinked clerk must be refused"
# when the sqlite3 shell removed -wal/-shm, the clerk is told to ask root
sqlite3 "$db" 'SELECT count(*) FROM persons' >/dev/null
[ ! -e "$db-wal" ] || fail "(test) sqlite3 was expected to remove the -wal file"
r=$(rc as "$clerk" "$ib" person list)
[ "$r" -eq 7 ] && grep -q 'root' "$tmp/err" || fail "missing -wal: expected exit 7 naming root, got $r: $(cat "$tmp/err")"
"$ib" check >/dev/null 2>&1 || true
[ "$(mode "$db-wal")" = "660 root:$grp" ] || fail "root's run makes -wal again: $(mode "$db-wal" 2>&1)"
# root is the administrator: backup works
"$ib" backup "$tmp/root-backup.db" >/dev/null || fail "backup as root"

# An unsafe configuration file is refused
chmod 666 "$conf"
refuse "unsafe talentdesk.conf" "$ib" --version
chmod 644 "$conf"
chown "$clerk" "$conf"
refuse "talentdesk.conf not owned by root" "$ib" whoami
chown root "$conf"

# ncurses ignores TERMINFO in a set-group-id program (the program removes it too)
if command -v cc >/dev/null && command -v tic >/dev/null && pkg-config --exists ncursesw; then
  cat >"$tmp/ti.c" <<'EOF'
#include <curses.h>
#include <term.h>
#include <stdio.h>
int main(void) { int e = 0; printf("%d\n", setupterm(NULL, 1, &e)); return 0; }
EOF
  cc "$tmp/ti.c" -o "$tmp/ti" $(pkg-config --cflags --libs ncursesw)
  printf 'tdfake|test,\n\tcols#80, lines#24,\n' >"$tmp/fake.src"
  tic -o "$tmp/ti.d" "$tmp/fake.src" 2>/dev/null
  chmod -R a+rX "$tmp/ti.d" "$tmp/ti"
  [ "$(as "$clerk" env TERM=tdfake TERMINFO="$tmp/ti.d" "$tmp/ti")" = 0 ] || fail "test terminfo entry not found"
  chgrp "$grp" "$tmp/ti" && chmod 2755 "$tmp/ti"
  [ "$(as "$clerk" env TERM=tdfake TERMINFO="$tmp/ti.d" "$tmp/ti")" = -1 ] ||
    fail "ncurses read TERMINFO in a set-group-id program"
fi
echo "install_group.sh: ok"
