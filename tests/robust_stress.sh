#!/usr/bin/env bash
# Short versions of the stress scripts under tests/stress/ (make stress runs
# the long ones): each prints its figures and fails on a lost row, a busy
# error, a crash or a raw control byte.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export STRESS_RUNS=6 STRESS_WRITES=4 STRESS_IMPORT=600 STRESS_FULL=60
rc=0
for s in kill_writes concurrent tamper readonly fulldisk; do
  bash "$here/stress/$s.sh" || { echo "FAIL: stress/$s.sh"; rc=1; }
done
exit $rc
