#!/usr/bin/env bash
# The layering check (scripts/check_layering.sh, src/LAYERS) passes on the
# tree and refuses, naming file and line, each kind of violation planted in a
# copy: a lower folder including a higher one, another folder's header by bare
# name, curses, a front end's header, a file left in src/ itself, a folder not
# listed in src/LAYERS.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

fresh() {
  rm -rf "$tmp/t"; mkdir -p "$tmp/t/scripts"
  cp -r "$root/src" "$tmp/t/src"
  cp "$root/scripts/check_layering.sh" "$tmp/t/scripts/"
}
expect_refused() { # what, expected text
  if bash "$tmp/t/scripts/check_layering.sh" >"$tmp/out" 2>&1; then
    fail "$1: accepted"; fi
  grep -qF -- "$2" "$tmp/out" || { cat "$tmp/out"; fail "$1: expected '$2'"; }
}

fresh
bash "$tmp/t/scripts/check_layering.sh" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "tree refused"; }

fresh; sed -i '1a #include "workflow/workflow.h"' "$tmp/t/src/base/err.c"
expect_refused "base includes workflow" "src/base/err.c:2: src/base may not include src/workflow"

fresh; sed -i '1a #include "recognition/score.h"' "$tmp/t/src/cases/case.c"
expect_refused "cases includes recognition" "src/cases/case.c:2: src/cases may not include src/recognition"

fresh; sed -i '1a #include "person.h"' "$tmp/t/src/policy/calendar.c"
expect_refused "bare name of another folder" "src/policy/calendar.c:2: \"person.h\" is not in src/policy/"

fresh; sed -i '1a #include <ncursesw/curses.h>' "$tmp/t/src/io/csv.c"
expect_refused "curses in the core" "src/io/csv.c:2: the core never draws"

fresh; sed -i '1a #include "ui/ui.h"' "$tmp/t/src/setup/demo.c"
expect_refused "front end in the core" "the core may not include the front ends"

fresh; echo 'int x;' >"$tmp/t/src/stray.c"
expect_refused "file in src/" "src/stray.c: core files live in a subsystem folder"

fresh; mkdir "$tmp/t/src/newsub"; echo 'int y;' >"$tmp/t/src/newsub/a.c"
expect_refused "unlisted folder" "src/newsub/: folder not listed in src/LAYERS"

fresh; sed -i '1a #include "base/db.h"' "$tmp/t/src/base/err.c"
expect_refused "own folder by path" "include a header of the same folder by its bare name"
echo "layering: ok"
