# clean_env.sh — sourced first by every tests/*.sh: the caller's environment
# must not change a test's outcome.  Clears every XDG_*, TALENTDESK_*, locale
# and terminal variable the program or its libraries read, then sets the ones
# the tests rely on (C.UTF-8, UTC, a known TERM).  HOME is $TD_TEST_HOME
# (scripts/run_tests.sh makes one per run) or a path that does not exist, so
# nothing of the caller's ~/.config is read; a test that needs a home sets
# HOME=$tmp itself, and exports what else it needs (XDG_CONFIG_HOME=...,
# TALENTDESK_NOW=...) after sourcing this.
for td_env_name in $(compgen -e); do
  case $td_env_name in
    XDG_* | TALENTDESK_* | LC_*) unset "$td_env_name" 2>/dev/null || true ;;
  esac
done
unset td_env_name LANG LANGUAGE NO_COLOR COLUMNS LINES TMUX TMUX_PANE TERMINFO TERMINFO_DIRS ESCDELAY \
  2>/dev/null || true
export LC_ALL=C.UTF-8 TZ=UTC TERM=xterm-256color
export HOME=${TD_TEST_HOME:-/nonexistent/talentdesk-test-home}

# The sqlite3 shell of a test waits for a lock held by the program under test
# (a TUI in tmux writing, a connection checkpointing as it closes) instead of
# failing at once with "database is locked": a condition, bounded only so a
# broken run cannot hang.
sqlite3() { command sqlite3 -cmd ".timeout ${TD_SQLITE_WAIT_MS:-120000}" "$@"; }
