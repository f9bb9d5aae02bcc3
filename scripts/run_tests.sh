#!/usr/bin/env bash
# Runs every cmocka test binary given as arguments, then every tests/*.sh, and
# prints a closing line "tests: N passed, M failed".  Exit status 1 on failure.
# TD_BIN (the talentdesk binary) and TD_BUILD are exported for shell tests.
set -uo pipefail
export LC_ALL=C.UTF-8 TZ=UTC
passed=0
failed=0
failed_names=()
log=$(mktemp)
for t in "$@"; do
  name=$(basename "$t")
  if "$t" >"$log" 2>&1; then
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
  if bash "$s" >"$log" 2>&1; then
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
