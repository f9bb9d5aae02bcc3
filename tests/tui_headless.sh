#!/usr/bin/env bash
# tui_headless.sh — the real binary in scripted headless mode (as tig tests
# itself): keys from a script, screens saved as text and compared.  Covers
# the queue, opening a case, search by case number / ID / name, and stale
# data: another clerk changes the case (or the person being edited) while the
# screen is open → the screen says so and reloads; typed text is kept.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
fail() { echo "FAIL: $*"; echo "--- screen:"; cat "${2:-/dev/null}" 2>/dev/null; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: screen lacks '$2'" "$1"; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: screen shows '$2'" "$1"; fi; }
tui() { # tui USER SCRIPT [SIZE]
  TALENTDESK_TUI_SIZE=${3:-24x80} "$BIN" --db "$db" --user "$1" tui --script "$2"
}

# a case of clerk1 and its person
read -r case_no name idno < <(sqlite3 -separator ' ' "$db" \
  "SELECT c.case_no, p.name, p.id_no FROM cases c JOIN persons p ON p.id=c.person_id
   JOIN users u ON u.id=c.intake_by WHERE u.username='clerk1' AND p.id_type='resident'
   ORDER BY c.updated_at DESC LIMIT 1")
[ -n "$case_no" ] || fail "no demo case for clerk1"

# 1. search by case number opens the case; tabs switch
cat >"$tmp/s1" <<KEYS
<F7>$case_no<Enter>
:dump $tmp/search.txt
<Enter>
:dump $tmp/case.txt
<Tab>
:dump $tmp/docs.txt
<S-Tab><S-Tab>
:dump $tmp/hist.txt
KEYS
tui clerk1 "$tmp/s1"
has "$tmp/search.txt" "$name" "search by case number"
has "$tmp/search.txt" "找到 1 人" "search by case number"
has "$tmp/case.txt" "案件 $case_no" "case header"
has "$tmp/case.txt" "证件号码" "person tab"
lacks "$tmp/case.txt" "$idno" "the full ID number is masked"
has "$tmp/docs.txt" "核验人" "documents tab"
has "$tmp/hist.txt" "受理登记" "history tab"

# 1b. the full ID number is shown only with a purpose, and the view is audited
cat >"$tmp/s1b" <<KEYS
<F7>$case_no<Enter><Enter><F3>
:dump $tmp/purpose.txt
核对身份<Enter>
:dump $tmp/full.txt
KEYS
tui clerk1 "$tmp/s1b"
has "$tmp/purpose.txt" "用途" "reveal asks the purpose"
lacks "$tmp/purpose.txt" "$idno" "not shown before the purpose"
has "$tmp/full.txt" "$idno" "full ID shown"
views=$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action='person.view_id' AND reason LIKE '%核对身份%'")
[ "$views" -ge 1 ] || fail "the view of the ID number was not audited"

# 2. search by ID number and by name prefix
surname=$(printf '%s' "$name" | cut -c1-3)
cat >"$tmp/s2" <<KEYS
<F7>$idno<Enter>
:dump $tmp/byid.txt
<C-u>$surname<Enter>
:dump $tmp/byname.txt
KEYS
tui clerk1 "$tmp/s2"
has "$tmp/byid.txt" "$name" "search by ID"
has "$tmp/byname.txt" "$name" "search by surname"

# 3. stale data: another clerk changes the case while it is on screen
cat >"$tmp/s3" <<KEYS
<F7>$case_no<Enter><Enter>
:dump $tmp/before.txt
:!sqlite3 "$db" "UPDATE cases SET row_version = row_version + 1, due_date = '2026-12-31' WHERE case_no = '$case_no'"
x
:dump $tmp/after.txt
KEYS
tui clerk1 "$tmp/s3"
lacks "$tmp/before.txt" "2026-12-31" "before the change"
has "$tmp/after.txt" "已被他人修改" "stale case notice"
has "$tmp/after.txt" "2026-12-31" "reloaded case"

# 4. stale person in the edit form: the other clerk's save wins, what was
#    typed stays on screen, and a second F2 saves on top of the new version
cat >"$tmp/s4" <<KEYS
<F7>$case_no<Enter><Enter><F4>
<Down><C-u>Zhang Test<Tab>
:!"$BIN" --db "$db" --user clerk2 person update "$idno" --employer "别人改的单位" >/dev/null
<F2>
:dump $tmp/conflict.txt
<F2>
:dump $tmp/saved.txt
KEYS
tui clerk1 "$tmp/s4"
has "$tmp/conflict.txt" "已被他人修改" "person conflict"
has "$tmp/conflict.txt" "Zhang Test" "typed text kept"
has "$tmp/saved.txt" "已保存" "second save"
latin=$(sqlite3 "$db" "SELECT name_latin FROM persons WHERE id_no='$idno'")
[ "$latin" = "Zhang Test" ] || fail "latin name not saved: $latin"
employer=$(sqlite3 "$db" "SELECT employer FROM persons WHERE id_no='$idno'")
[ "$employer" = "别人改的单位" ] || fail "the other clerk's change was overwritten: $employer"

# 5. 120x40 reflows: wider columns, same key bar
cat >"$tmp/s5" <<KEYS
:dump $tmp/wide.txt
KEYS
tui clerk1 "$tmp/s5" 40x120
[ "$(wc -l <"$tmp/wide.txt")" -eq 40 ] || fail "40 rows expected" "$tmp/wide.txt"
sed -n 40p "$tmp/wide.txt" | grep -sF "10退出" >/dev/null || fail "key bar on row 40" "$tmp/wide.txt"

# 6. ambiguous width from the config file and from --ambiwidth: the title's
#    ellipsis (an ambiguous character) is not used when it counts 2
printf ':dump %s\n' "$tmp/amb1.txt" >"$tmp/s6"
tui clerk1 "$tmp/s6"
head -1 "$tmp/amb1.txt" | grep -sF "…" >/dev/null || fail "expected an ellipsis with ambiwidth 1" "$tmp/amb1.txt"
mkdir -p "$HOME/.config/talentdesk"
echo "ambiwidth = 2" >"$HOME/.config/talentdesk/config"
printf ':dump %s\n' "$tmp/amb2.txt" >"$tmp/s6"
tui clerk1 "$tmp/s6"
if head -1 "$tmp/amb2.txt" | grep -sF "…" >/dev/null; then fail "config ambiwidth = 2 ignored" "$tmp/amb2.txt"; fi
rm "$HOME/.config/talentdesk/config"
printf ':dump %s\n' "$tmp/amb3.txt" >"$tmp/s6"
TALENTDESK_TUI_SIZE=24x80 "$BIN" --db "$db" --user clerk1 tui --ambiwidth 2 --script "$tmp/s6"
if head -1 "$tmp/amb3.txt" | grep -sF "…" >/dev/null; then fail "--ambiwidth 2 ignored" "$tmp/amb3.txt"; fi

# 7. F8 on the queue: sign out, another user signs in with a password
cat >"$tmp/s7" <<KEYS
<F8>reviewer1<Enter>talentdesk-demo<Enter>
:dump $tmp/user.txt
<F8>nobody<Enter>whatever1<Enter>
:dump $tmp/nouser.txt
KEYS
tui clerk1 "$tmp/s7"
has "$tmp/user.txt" "赵敏" "title shows the new user"
has "$tmp/user.txt" "已登录" "status says who signed in"
has "$tmp/nouser.txt" "用户名或密码错误" "an unknown user is refused"
if grep -sF "CQ-2026-" "$tmp/nouser.txt" >/dev/null; then fail "the sign-in screen shows the previous user's cases" "$tmp/nouser.txt"; fi

# 8. a non-UTF-8 terminal is refused with a clear message
if LC_ALL=C LANG=C "$BIN" --db "$db" --user clerk1 tui 2>"$tmp/err.txt" </dev/null; then
  fail "started in a C locale"
fi
grep -qF "UTF-8" "$tmp/err.txt" || fail "no UTF-8 message" "$tmp/err.txt"
# a status message belongs to its screen: "N found" on the search screen is gone
# once Enter opened the case (nothing new was said there)
cat >"$tmp/s9" <<KEYS
<F7>$case_no<Enter>
:dump $tmp/found.txt
<Enter>
:dump $tmp/opened.txt
KEYS
tui clerk1 "$tmp/s9"
has "$tmp/found.txt" "找到" "search result message"
lacks "$tmp/opened.txt" "找到" "stale search message on the case screen"
echo "tui_headless: ok"
