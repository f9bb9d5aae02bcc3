#!/usr/bin/env bash
# cli_help.sh — every command of cli/commands.def and every sub-command of
# cli/help.def prints its usage with --help, and `talentdesk help CMD [SUB]`
# does too: exit 0, usage text in Chinese (default) and English, and no
# database is opened or created (TALENTDESK_DB names a file that must not
# appear).  The man page names every command.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TD_BIN:-$SRC/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset TALENTDESK_USER TALENTDESK_LANG TALENTDESK_DATA LANGUAGE LANG
export HOME=$tmp/home LC_ALL=C.UTF-8 TZ=UTC XDG_DATA_HOME=$tmp/xdg-data XDG_CONFIG_HOME=$tmp/xdg-config \
  XDG_STATE_HOME=$tmp/xdg-state TALENTDESK_DB=$tmp/never.db
fail() { echo "FAIL: $*" >&2; exit 1; }

# run_help WHAT ARGS...: exit 0 and a usage line naming WHAT, in both languages
run_help() {
  local what=$1; shift
  local rc=0
  "$BIN" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  [ "$rc" -eq 0 ] || fail "talentdesk $*: expected exit 0, got $rc: $(cat "$tmp/err")"
  grep -qF "用法：talentdesk $what" "$tmp/out" ||
    fail "talentdesk $*: expected a Chinese usage line '用法：talentdesk $what', got: $(cat "$tmp/out")"
  rc=0
  "$BIN" --lang en "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  [ "$rc" -eq 0 ] || fail "talentdesk --lang en $*: expected exit 0, got $rc: $(cat "$tmp/err")"
  grep -qF "usage: talentdesk $what" "$tmp/out" ||
    fail "talentdesk --lang en $*: expected 'usage: talentdesk $what', got: $(cat "$tmp/out")"
  [ ! -e "$TALENTDESK_DB" ] || fail "talentdesk $*: created the database $TALENTDESK_DB"
  [ ! -e "$XDG_DATA_HOME" ] || fail "talentdesk $*: created $XDG_DATA_HOME"
}

mapfile -t cmds < <(sed -n 's/^CMD("\([^"]*\)".*/\1/p' "$SRC/cli/commands.def")
[ "${#cmds[@]}" -ge 20 ] || fail "expected at least 20 commands in cli/commands.def, got ${#cmds[@]}"
"$BIN" --help >"$tmp/all"
n=0
for c in "${cmds[@]}"; do
  grep -q "^  $c " "$tmp/all" || fail "talentdesk --help: expected command '$c' listed"
  grep -q "^HELP(\"$c\"," "$SRC/cli/help.def" || fail "cli/help.def: expected a HELP line for command '$c'"
  first=$(sed -n "s/^HELP(\"$c\", *\"\", *N_(\"usage: talentdesk \([^ \"]*\).*/\1/p" "$SRC/cli/help.def" | head -1)
  [ -n "$first" ] || fail "cli/help.def: expected an overview line (sub-command \"\") for '$c'"
  run_help "$c" "$c" --help
  run_help "$c" help "$c"
  n=$((n + 1))
done

# every sub-command: CMD SUB --help, CMD ARG SUB --help, help CMD SUB
m=0
while IFS='|' read -r c s; do
  run_help "$c" "$c" "$s" --help
  grep -F "talentdesk $c" "$tmp/out" | grep -qw -- "$s" || fail "talentdesk $c $s --help: expected '$s' in the usage, got: $(cat "$tmp/out")"
  run_help "$c" help "$c" "$s"
  m=$((m + 1))
done < <(sed -n 's/^HELP("\([^"]*\)", *"\([^"][^"]*\)".*/\1|\2/p' "$SRC/cli/help.def")
[ "$m" -ge 40 ] || fail "expected at least 40 sub-commands in cli/help.def, got $m"

# -h is --help; a sub-command after a positional argument (docs CASE mark) is found
run_help score score -h
run_help docs docs CQ-2026-000001 mark --help
grep -q '^talentdesk docs mark ' "$tmp/out" || fail "docs CASE mark --help: expected the 'docs mark' usage, got: $(cat "$tmp/out")"

# JSON help is one document naming the command
"$BIN" --json score --help | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["command"] == "score" and d["usage"], d' || fail "--json score --help: expected a JSON object with usage"

# an unknown command asks for help with exit 2 (usage), still no database
rc=0; "$BIN" help no-such-command >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "help no-such-command: expected exit 2, got $rc"
[ ! -e "$TALENTDESK_DB" ] || fail "help no-such-command created the database"

# the man page names every command (as a .B heading of its COMMANDS section)
for c in "${cmds[@]}"; do
  grep -qx "\.B $c" "$SRC/man/talentdesk.1" || fail "man/talentdesk.1: expected '.B $c' under COMMANDS"
done
echo "cli_help: $n commands, $m sub-commands"
