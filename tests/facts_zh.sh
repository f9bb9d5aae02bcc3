#!/usr/bin/env bash
# facts_zh.sh — facts in Chinese (issue 12, item 6): the CLI takes Chinese
# fact names and values (学位=博士, degree=博士, 年薪=45万, 工作经历=…至…) and
# scores them exactly as the codes; the ledger speaks Chinese (学位：博士),
# English with --lang en; in the TUI the fact form offers the fact, then its
# allowed values in Chinese (博士/硕士/学士…) from pick lists, headless at
# 80x24 and 160x45.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-06-01T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT TALENTDESK_LANG
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && { echo "--- $2:"; cat "$2"; }; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: lacks '$2'" "$1"; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: shows '$2'" "$1"; fi; }
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
T() { "$BIN" --db "$db" "$@"; }

codes=(--fact annual_salary=450000 --fact degree=doctorate --fact employment=2018-01-01..2024-12-31
       --fact months_in_china=12 --fact hsk_level=4 --fact work_region=western
       --fact birth_date=1990-01-15 --fact top_university_graduate=yes)
zh=(--fact 年薪=45万 --fact 学位=博士 --fact 工作经历=20180101至20241231
    --fact months_in_china=12 --fact hsk_level=4 --fact work_region=西部地区
    --fact 出生日期=19900115 --fact top_university_graduate=是)
T --json score "${codes[@]}" --rules cn-work-permit-2017 --as-of 2025-06-01 | grep -o '"total": [0-9]*' >"$tmp/a"
T --json score "${zh[@]}" --rules cn-work-permit-2017 --as-of 2025-06-01 | grep -o '"total": [0-9]*' >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "Chinese facts score differently: $(cat "$tmp/a") vs $(cat "$tmp/b")"
T score --fact degree=博士 --fact 年薪=45万 --rules cn-work-permit-2017 --as-of 2025-06-01 >"$tmp/zh.txt"
has "$tmp/zh.txt" "学位：博士" "Chinese ledger"
lacks "$tmp/zh.txt" "degree=doctorate" "Chinese ledger"
T --lang en score --fact degree=博士 --rules cn-work-permit-2017 --as-of 2025-06-01 >"$tmp/en.txt"
has "$tmp/en.txt" "academic degree=doctorate" "English ledger"
# a bad value names the choices, in Chinese
if T score --fact 学位=博士后 --rules cn-work-permit-2017 >"$tmp/bad.txt" 2>&1; then fail "博士后 accepted as a degree"; fi
# stored facts: added in Chinese, listed as codes
pid=$(sqlite3 "$db" "SELECT id_no FROM persons ORDER BY id_no LIMIT 1")
T --user reviewer1 facts "$pid" add 学位=硕士 --verified --evidence 学位证书 >/dev/null
[ "$(sqlite3 "$db" "SELECT value FROM facts WHERE name='degree' AND value='master' AND deleted_at IS NULL" | head -1)" = master ] ||
  fail "学位=硕士 not stored as degree=master"

# the TUI fact form: fact from the list, then its values in Chinese
rec=$(sqlite3 "$db" "SELECT case_no FROM cases WHERE state='recognition' ORDER BY case_no LIMIT 1")
for size in 24x80 45x160; do
  cat >"$tmp/s" <<KEYS
<F7>$rec<Enter><Enter><F2><F4><Enter><Down>
:dump $tmp/facts.txt
<Enter>
:dump $tmp/values.txt
<Down><Enter>n
:dump $tmp/done.txt
<F4><Enter>/
:dump $tmp/x.txt
KEYS
  # the list of facts, then the values of 学位; 硕士 chosen, not verified
  sed -i 's|^<F4><Enter>/$||' "$tmp/s"
  TALENTDESK_TUI_SIZE=$size T --user reviewer1 tui --script "$tmp/s"
  has "$tmp/facts.txt" "学位 (degree)" "fact list"
  for v in 博士 硕士 学士; do has "$tmp/values.txt" "$v" "degree values in Chinese"; done
  lacks "$tmp/values.txt" "doctorate" "degree values in Chinese"
  has "$tmp/done.txt" "已记录条件：学位 = 硕士" "fact recorded in Chinese"
done
echo "facts_zh: ok"
