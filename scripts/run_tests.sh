#!/usr/bin/env bash
# Runs every cmocka test binary given as arguments and every tests/*.sh, and
# prints a closing line "tests: N passed, M failed".  Exit status 1 on failure.
# TD_BIN (the talentdesk binary) and TD_BUILD are exported for shell tests.
# Every test runs in a clean environment (env -i): only PATH, a fresh HOME per test,
# LC_ALL=C.UTF-8, TZ=UTC, TERM, TMPDIR, the sanitizer options and TD_* pass;
# no XDG_*, TALENTDESK_*, LANG/LC_*, NO_COLOR of the caller reaches a test
# (tests/env_hostile.sh checks the shell tests also isolate themselves).
# Tests run TD_TEST_JOBS at a time (default: the number of CPUs); each has its own
# temporary directory, database and tmux socket, so running them side by side is
# also the load under which a test that waits a fixed time instead of for a
# condition shows itself.  TD_TEST_JOBS=1 runs them one after another.
set -uo pipefail
export LC_ALL=C.UTF-8 TZ=UTC
root=$(cd "$(dirname "$0")/.." && pwd)
# libraries' process-lifetime caches (fontconfig, pango) are not our leaks
lsan_supp=$root/tests/lsan.supp
jobs=${TD_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
case "$jobs" in '' | *[!0-9]* | 0) jobs=1 ;; esac

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

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# run_one INDEX KIND PATH: runs one test; leaves INDEX.log and INDEX.rc in $out
run_one() {
  local i=$1 kind=$2 t=$3 rc
  if [ "$kind" = bin ]; then clean "$t" >"$out/$i.log" 2>&1; else clean bash "$t" >"$out/$i.log" 2>&1; fi
  rc=$?
  echo "$rc" >"$out/$i.rc.tmp" && mv "$out/$i.rc.tmp" "$out/$i.rc"
}

kinds=() paths=()
for t in "$@"; do kinds+=(bin); paths+=("$t"); done
for s in tests/*.sh; do [ -e "$s" ] && { kinds+=(sh); paths+=("$s"); }; done

passed=0 failed=0 failed_names=()
report() { # report INDEX: prints one test's line and adds it to the counts
  local i=$1 name rc n_ok n_bad
  name=$(basename "${paths[$i]}")
  rc=$(cat "$out/$i.rc")
  if [ "${kinds[$i]}" = bin ]; then
    n_ok=$(grep -oE '\[  PASSED  \] [0-9]+' "$out/$i.log" | awk '{s+=$4} END {print s+0}')
    n_bad=$(grep -oE '\[  FAILED  \] [0-9]+' "$out/$i.log" | awk '{s+=$4} END {print s+0}')
  else
    n_ok=1 n_bad=0
  fi
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + n_ok))
    if [ "${kinds[$i]}" = bin ]; then echo "ok   $name ($n_ok)"; else echo "ok   $name"; fi
  else
    [ "${kinds[$i]}" = sh ] && n_ok=0
    [ "$n_bad" -eq 0 ] && n_bad=1
    passed=$((passed + n_ok)); failed=$((failed + n_bad))
    failed_names+=("$name")
    echo "FAIL $name (exit $rc)"
    sed 's/^/     /' "$out/$i.log" | tail -40
  fi
}

# Start tests while fewer than $jobs run; print each result in the order given,
# as soon as it and every test before it have finished.
next=0 shown=0 running=0 total=${#paths[@]}
while [ "$shown" -lt "$total" ]; do
  while [ "$running" -lt "$jobs" ] && [ "$next" -lt "$total" ]; do
    run_one "$next" "${kinds[$next]}" "${paths[$next]}" &
    next=$((next + 1)) running=$((running + 1))
  done
  if [ "$running" -gt 0 ]; then wait -n; running=$((running - 1)); fi
  while [ "$shown" -lt "$total" ] && [ -e "$out/$shown.rc" ]; do
    report "$shown"; shown=$((shown + 1))
  done
done
wait
[ ${#failed_names[@]} -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
