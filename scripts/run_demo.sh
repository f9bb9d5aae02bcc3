#!/usr/bin/env bash
# make run: opens the TUI on a demo database (made on first use).
set -euo pipefail
dir="${XDG_DATA_HOME:-$HOME/.local/share}/talentdesk"
db="$dir/demo.db"
mkdir -p "$dir"
if [ ! -s "$db" ]; then
  ./talentdesk --db "$db" init --demo
fi
user=${TALENTDESK_USER:-clerk1}
# The demo users' documented password (README); a live session is reused.
./talentdesk --db "$db" --user "$user" whoami >/dev/null 2>&1 ||
  ./talentdesk --db "$db" -q login "$user"
exec ./talentdesk --db "$db" --user "$user" tui
