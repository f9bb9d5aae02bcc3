#!/usr/bin/env bash
# Runs every cmocka test binary given as arguments, then every tests/*.sh, and
# prints a closing line "tests: N passed, M failed".  Exit status 1 on failure.
# TD_BIN (the talentdesk binary) and TD_BUILD are exported for shell tests.
# Every test runs in a clean environment (env -i): only PATH, a fresh HOME per test,
# LC_ALL=C.UTF-8, TZ=UTC, TERM, TMPDIR, the sanitizer options and TD_* pass;
# no XDG_*, TALENTDESK_*, LANG/LC_*, NO_COLOR of the caller reaches a test
# (tests/env_hostile.sh checks the shell tests also isolate themselves).
set -uo pipefail
export LC_ALL=C.UTF-8 TZ=UTC
clean() { # clean CMD...: CMD in the clean environment with its own empty HOME
  local h rc
  h=$(mktemp -d)
  env -i PATH="$PATH" HOME="$h" TD_TEST_HOME="$h" LC_ALL=C.UTF-8 TZ=UTC \
    TERM=xterm-256color ${TMPDIR:+TMPDIR="$TMPDIR"} ${TD_BIN:+TD_BIN="$TD_BIN"} ${TD_BUILD:+TD_BUILD="$TD_BUILD"} \
    ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
    LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$lsan_supp}" "$@"
  rc=$?
  rm -rf "$h"
  return "$rc"
}
# libraries' process-lifetime caches (fontconfig, pango) are not our leaks
lsan_supp=$(cd "$(dirname "$0")/.." && pwd)/tests/lsan.supp
passed=0
failed=0
failed_names=()
log=$(mktemp)
for t in "$@"; do
  name=$(basename "$t")
  if clean "$t" >"$log" 2>&1; then
    n=$(grep -oE '\[  PASSED  \] [0-9]+' "$log" | awk '{s+=$4} END {print s+0}')
    passed=$((passed + n))
    echo "ok   $name ($n)"
  else
    n_ok=$(grep -oE '\[  PASSED  \] [0-9]+' "$log" | awk '{s+=$4} END {print s+0}')
    n_bad=$(grep -oE '\[  FAILED  \] [0-9]+' "$log" | awk '{s+=$4} END {print s+0}')
    [ "$n_bad" -eq 0 ] && n_bad=1
    passed=$((passed + n_ok)); failed=$((failed + n_bad))
    failed_names+=("$name")
    echo "FAIL $name"
    sed 's/^/     /' "$log" | tail -40
  fi
done
for s in tests/*.sh; do
  [ -e "$s" ] || continue
  name=$(basename "$s")
  if clean bash "$s" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    failed_names+=("$name")
    echo "FAIL $name"
    sed 's/^/     /' "$log" | tail -40
  fi
done
rm -f "$log"
[ ${#failed_names[@]} -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
