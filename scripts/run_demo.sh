#!/usr/bin/env bash
# make run: opens the TUI on a demo database (made on first use).
set -euo pipefail
dir="${XDG_DATA_HOME:-$HOME/.local/share}/talentdesk"
db="$dir/demo.db"
mkdir -p "$dir"
if [ ! -s "$db" ]; then
  ./talentdesk --db "$db" init --demo
fi
exec ./talentdesk --db "$db" --user "${TALENTDESK_USER:-clerk1}" tui
