#!/usr/bin/env bash
# tui_counter.sh — issue 12 item 8, the counter's speed, as a clerk meets it,
# at 80×24 and 160×45 with Chinese data (headless key scripts):
#  1. a registered ID number typed in the intake offers that person at once
#     (new case for them, or open their case): no second person;
#     a new case for a person from search (F2) and from a case (c);
#  2. the last intake's ID type, category, services and channel are offered
#     again, per user;
#  3. digits and a queue menu jump to a queue; each role starts on its queue,
#     also after switching user (F8);
#  4. the 审批 tab names the departments still to sign (联审);
#  5. a task's permission is checked before the result is typed; 承办人 is
#     filled in when a specialist works an unassigned task;
#  6. drafts per window: two windows of one clerk keep their own drafts;
#  7. "mark all received" on the checklist (and `docs CASE mark-all`);
#  8. the person tab shows the nationality by name (中国香港), not HKG; the
#     intake's nationality has a list (F4) and shows the name of the code.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/clean_env.sh"  # no caller environment leaks in
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
fail() { echo "FAIL [$size]: $1"; echo "--- screen:"; cat "${2:-/dev/null}" 2>/dev/null; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: screen lacks '$2'" "$1"; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: screen shows '$2'" "$1"; fi; }
row() { sed -n "${2}p" "$1"; }

run_size() { # ROWSxCOLS
  size=$1
  tmp=$top/$size
  mkdir -p "$tmp"
  export HOME=$tmp TALENTDESK_NOW=2026-03-16T02:00:00Z XDG_STATE_HOME=$tmp/state
  unset TALENTDESK_QUEUE NO_COLOR
  db=$tmp/td.db
  "$BIN" --db "$db" init --demo >/dev/null
  # shellcheck source=/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
  tui() { TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user "$1" tui --script "$2"; }
  q() { sqlite3 "$db" "$1"; }

  # ---- 1. a registered ID number at the ID field -------------------------
  read -r pid name idno < <(q "SELECT id, name, id_no FROM persons WHERE id_type='resident' ORDER BY id LIMIT 1" |
    tr '|' ' ')
  ncases=$(q "SELECT count(*) FROM cases WHERE person_id='$pid'")
  cat >"$tmp/s1" <<KEYS
<F2><Tab><Tab><Tab>$idno<Tab>
:dump $tmp/offer.txt
<Enter>
:dump $tmp/filled.txt
<Enter>人才<Enter>
<F2>
:dump $tmp/saved.txt
KEYS
  tui clerk1 "$tmp/s1"
  has "$tmp/offer.txt" "已登记：$name" "the registered person is offered at the ID field"
  has "$tmp/offer.txt" "为此人新建案件" "the offer: a new case for this person"
  has "$tmp/offer.txt" "打开此人最近的案件" "the offer: open their case"
  has "$tmp/filled.txt" "姓名*           $name" "the person's details come from the register"
  has "$tmp/saved.txt" "已受理：案件" "the case was taken in"
  has "$tmp/saved.txt" "$name" "the case is the person's"
  lacks "$tmp/saved.txt" "可能重复" "no duplicate question for the same person"
  [ "$(q "SELECT count(*) FROM persons WHERE id_no='$idno'")" = 1 ] || fail "a second person was registered"
  [ "$(q "SELECT count(*) FROM cases WHERE person_id='$pid'")" = $((ncases + 1)) ] || fail "no new case for the person"

  # "open this person's latest case" opens it over the form
  cat >"$tmp/s1b" <<KEYS
<F2><Tab><Tab><Tab>$idno<Tab><Down><Enter>
:dump $tmp/opened.txt
KEYS
  tui clerk2 "$tmp/s1b"
  has "$tmp/opened.txt" "案件 " "the person's case opened"
  has "$tmp/opened.txt" "$name" "the person's case opened"
  rm -rf "$XDG_STATE_HOME/talentdesk/drafts"
  # "keep typing" leaves the form as typed, and the offer is not repeated
  cat >"$tmp/s1c" <<KEYS
<F2><Tab><Tab><Tab>$idno<Tab><Down><Down><Enter>
:dump $tmp/kept.txt
<S-Tab><Tab>
:dump $tmp/kept2.txt
KEYS
  tui clerk2 "$tmp/s1c"
  has "$tmp/kept.txt" "$idno" "keep typing keeps the number"
  lacks "$tmp/kept.txt" "已登记：" "keep typing closes the offer"
  lacks "$tmp/kept2.txt" "已登记：" "the same number is not offered twice"
  rm -rf "$XDG_STATE_HOME/talentdesk/drafts"

  # a new case from search (F2) and from a case (c)
  before=$(q "SELECT count(*) FROM cases WHERE person_id='$pid'")
  cat >"$tmp/s1d" <<KEYS
<F7>$idno<Enter><F2>
:dump $tmp/fromsearch.txt
<Enter><Enter>人才<Enter><F2>
:dump $tmp/fromsearch2.txt
c
:dump $tmp/fromcase.txt
KEYS
  tui clerk1 "$tmp/s1d"
  has "$tmp/fromsearch.txt" "为 $name 受理新案件" "F2 in search takes a case in for the person"
  has "$tmp/fromsearch.txt" "$idno" "the intake is filled in from the register"
  has "$tmp/fromsearch2.txt" "已受理：案件" "saved from search"
  has "$tmp/fromcase.txt" "为 $name 受理新案件" "c on a case takes another case in for the person"
  [ "$(q "SELECT count(*) FROM cases WHERE person_id='$pid'")" = $((before + 1)) ] || fail "no case from search"
  [ "$(q "SELECT count(*) FROM persons WHERE id_no='$idno'")" = 1 ] || fail "a second person from search"
  rm -rf "$XDG_STATE_HOME/talentdesk/drafts"

  # ---- 2. remembered defaults, per user -----------------------------------
  # clerk2 takes a passport holder in with a chosen category, a second service
  # and the airport channel; the next intake offers them again
  cat >"$tmp/s2" <<KEYS
<F2>戴维斯<Tab>DAVIS JOHN<Tab>护照<Enter><Tab>E9876543<Tab><Tab>19850102<Tab><C-u>USA<Tab><Tab><Tab>外<Enter>
<Tab><Tab><Tab><Tab><Tab>人才<Enter><Tab>子女<Enter><Tab>机场<Enter>
<F2>y
:dump $tmp/d_saved.txt
<Esc><F2>
:dump $tmp/d_next.txt
KEYS
  tui clerk2 "$tmp/s2"
  has "$tmp/d_saved.txt" "已受理：案件" "the passport intake was saved"
  has "$tmp/d_next.txt" "按您上次受理填入" "the next intake says it offers the last values"
  has "$tmp/d_next.txt" "护照" "the last ID type is offered"
  has "$tmp/d_next.txt" "子女入学" "the last second service is offered"
  has "$tmp/d_next.txt" "机场入境服务中心" "the last channel is offered"
  has "$tmp/d_next.txt" "USA" "the last nationality is offered"
  lacks "$tmp/d_next.txt" "戴维斯" "the person's own data is not carried over"
  cat >"$tmp/s2b" <<KEYS
<F2>
:dump $tmp/d_other.txt
KEYS
  tui clerk1 "$tmp/s2b"
  lacks "$tmp/d_other.txt" "机场入境服务中心" "another clerk does not get clerk2's defaults"
  lacks "$tmp/d_other.txt" "子女入学" "another clerk does not get clerk2's defaults"
  rm -rf "$XDG_STATE_HOME/talentdesk/drafts"

  # ---- 3. queue jumps and each role's queue -------------------------------
  for u in clerk1:我的案件 approver1:审批 signer_rsj:待联审会签 spec1:服务办理 reviewer1:人才认定 admin:全部案件; do
    printf ':dump %s\n' "$tmp/q_${u%%:*}.txt" >"$tmp/s3"
    tui "${u%%:*}" "$tmp/s3"
    [[ $(row "$tmp/q_${u%%:*}.txt" 2) == *"队列：${u#*:}（"* ]] || fail "${u%%:*} starts on ${u#*:}" "$tmp/q_${u%%:*}.txt"
  done
  cat >"$tmp/s3b" <<KEYS
5
:dump $tmp/q5.txt
0
:dump $tmp/q0.txt
m
:dump $tmp/qmenu.txt
<Up><Enter>
:dump $tmp/qpick.txt
<F8>approver1<Enter>$TD_DEMO_PASSWORD<Enter>
:dump $tmp/qswitch.txt
KEYS
  tui clerk1 "$tmp/s3b"
  [[ $(row "$tmp/q5.txt" 2) == *"（5/11）"* ]] || fail "5 jumps to the fifth queue" "$tmp/q5.txt"
  [[ $(row "$tmp/q0.txt" 2) == *"（10/11）"* ]] || fail "0 jumps to the tenth queue" "$tmp/q0.txt"
  has "$tmp/qmenu.txt" "工作队列" "m opens the queue menu"
  has "$tmp/qmenu.txt" "7  待联审会签" "the menu shows each queue's digit"
  has "$tmp/qmenu.txt" "全部案件" "the menu reaches the eleventh queue"
  [[ $(row "$tmp/qpick.txt" 2) == *"（9/11）"* ]] || fail "the menu picks a queue" "$tmp/qpick.txt"
  [[ $(row "$tmp/qswitch.txt" 2) == *"队列：审批（"* ]] || fail "after F8 the approver is on 审批" "$tmp/qswitch.txt"

  # ---- 4. the 审批 tab names who still has to sign --------------------------
  sc=$(q "SELECT c.case_no FROM cases c WHERE c.state='approval' AND EXISTS (SELECT 1 FROM signoffs s
          WHERE s.case_id=c.id AND s.status='pending') LIMIT 1")
  [ -n "$sc" ] || fail "no demo case awaiting sign-off"
  cat >"$tmp/s4" <<KEYS
<F7>$sc<Enter><Enter><Tab><Tab><Tab>
:dump $tmp/ap1.txt
KEYS
  tui approver1 "$tmp/s4"
  has "$tmp/ap1.txt" "联审：2 个部门中还有 2 个未会签：" "the tab counts the departments still to sign"
  has "$tmp/ap1.txt" "重庆市科学技术局" "the tab names kjj"
  has "$tmp/ap1.txt" "重庆市人力资源和社会保障局" "the tab names rsj"
  "$BIN" --db "$db" --user signer_rsj signoff "$sc" approve >/dev/null
  tui approver1 "$tmp/s4"
  has "$tmp/ap1.txt" "联审：2 个部门中还有 1 个未会签：重庆市科学技术局" "after rsj signed only kjj is left"
  has "$tmp/ap1.txt" "已会签同意" "rsj shows as signed"

  # ---- 5. a task: permission first, then the result; 承办人 filled in -------
  fc=$(q "SELECT c.case_no FROM cases c JOIN service_requests r ON r.case_id=c.id WHERE c.state='fulfilment'
          AND r.assignee_id IS NULL AND r.status='pending' ORDER BY c.case_no LIMIT 1")
  [ -n "$fc" ] || fail "no fulfilment case with an unassigned task"
  cat >"$tmp/s5" <<KEYS
<F7>$fc<Enter><Enter><F7><Enter><Down><Enter>
:dump $tmp/t_refused.txt
KEYS
  tui clerk1 "$tmp/s5"
  has "$tmp/t_refused.txt" "您没有执行此操作的权限" "a clerk is refused before typing a result"
  lacks "$tmp/t_refused.txt" "办理结果：" "no result is asked of a clerk"
  cat >"$tmp/s5b" <<KEYS
<F7>$fc<Enter><Enter><F7><Enter><Down><Enter>
:dump $tmp/t_asked.txt
已办结，材料齐全<Enter>y
:dump $tmp/t_done.txt
KEYS
  tui spec1 "$tmp/s5b"
  has "$tmp/t_asked.txt" "办理结果：" "a specialist is asked for the result"
  has "$tmp/t_done.txt" "已办结" "the task is done"
  has "$tmp/t_done.txt" "spec1" "承办人 is the specialist who finished the task"
  [ "$(q "SELECT count(*) FROM service_requests r JOIN cases c ON c.id=r.case_id JOIN users u ON u.id=r.assignee_id
          WHERE c.case_no='$fc' AND r.status='done' AND u.username='spec1'")" = 1 ] || fail "承办人 not stored"
  [ "$(q "SELECT count(*) FROM audit_log a JOIN cases c ON c.id=a.case_id WHERE c.case_no='$fc'
          AND a.action='task.assign'")" -ge 1 ] || fail "the filled-in 承办人 is not audited"

  # ---- 6. drafts per window -------------------------------------------------
  rm -rf "$XDG_STATE_HOME/talentdesk/drafts"
  printf '<F2>\n:dump %s\n李四窗二\n:quit\n' "$tmp/w2.txt" >"$tmp/s6b"
  cat >"$tmp/s6a" <<KEYS
<F2>张三窗一
:!TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user clerk1 tui --script "$tmp/s6b"
:dump $tmp/w1.txt
:quit
KEYS
  tui clerk1 "$tmp/s6a"
  has "$tmp/w1.txt" "张三窗一" "the first window keeps its form"
  lacks "$tmp/w2.txt" "张三窗一" "the second window does not take the first one's draft"
  printf '<F2>\n:dump %s\n' "$tmp/w_restored.txt" >"$tmp/s6c"
  tui clerk1 "$tmp/s6c"
  grep -qx '姓名\*  *张三窗一' "$tmp/w_restored.txt" ||
    fail "the first window's draft survived the second window" "$tmp/w_restored.txt"
  has "$tmp/w_restored.txt" "已恢复未保存的受理草稿" "the draft is restored"
  grep -rqF "李四窗二" "$XDG_STATE_HOME/talentdesk/drafts" || fail "the second window's draft was not kept"
  rm -rf "$XDG_STATE_HOME/talentdesk/drafts"

  # ---- 7. mark all received -------------------------------------------------
  read -r dc nmiss < <(q "SELECT c.case_no, count(*) FROM cases c JOIN case_documents d ON d.case_id=c.id
      WHERE c.state='doc_check' AND d.status='missing' GROUP BY c.id HAVING count(*) >= 2 ORDER BY 2 DESC LIMIT 1" |
    tr '|' ' ')
  [ -n "$dc" ] || fail "no demo case with missing documents"
  cat >"$tmp/s7" <<KEYS
<F7>$dc<Enter><Enter><F6>a
:dump $tmp/m_ask.txt
n
<F10>
KEYS
  tui approver1 "$tmp/s7" || true
  cat >"$tmp/s7b" <<KEYS
<F7>$dc<Enter><Enter><F6>ay
:dump $tmp/m_denied.txt
KEYS
  tui approver1 "$tmp/s7b"
  has "$tmp/m_denied.txt" "您没有执行此操作的权限" "an approver may not mark documents"
  [ "$(q "SELECT count(*) FROM case_documents d JOIN cases c ON c.id=d.case_id WHERE c.case_no='$dc'
          AND d.status='missing'")" = "$nmiss" ] || fail "a refused mark-all changed something"
  cat >"$tmp/s7c" <<KEYS
<F7>$dc<Enter><Enter><F6>a
:dump $tmp/m_ask.txt
y
:dump $tmp/m_done.txt
KEYS
  tui clerk1 "$tmp/s7c"
  has "$tmp/m_ask.txt" "缺少的 $nmiss 份材料全部标为已收到" "mark-all asks first, with the count"
  has "$tmp/m_done.txt" "已将 $nmiss 份材料标为已收到" "mark-all says how many"
  lacks "$tmp/m_done.txt" "缺少 " "no row is left missing"
  [ "$(q "SELECT count(*) FROM case_documents d JOIN cases c ON c.id=d.case_id WHERE c.case_no='$dc'
          AND d.status='missing'")" = 0 ] || fail "documents left missing"
  [ "$(q "SELECT count(*) FROM audit_log a JOIN cases c ON c.id=a.case_id WHERE c.case_no='$dc'
          AND a.action='doc.mark'")" -ge "$nmiss" ] || fail "each marked document is audited"
  # the CLI does the same
  dc2=$(q "SELECT c.case_no FROM cases c JOIN case_documents d ON d.case_id=c.id WHERE c.state IN ('doc_check','awaiting_docs')
           AND d.status='missing' AND c.case_no <> '$dc' LIMIT 1")
  out=$("$BIN" --db "$db" --user clerk1 --json docs "$dc2" mark-all)
  [[ $out == *'"marked"'* ]] || fail "docs mark-all --json: $out"
  [ "$(q "SELECT count(*) FROM case_documents d JOIN cases c ON c.id=d.case_id WHERE c.case_no='$dc2'
          AND d.status='missing'")" = 0 ] || fail "docs mark-all left documents missing"

  # the nationality field: F4 lists the matching countries by name, the code
  # goes into the field and its name is shown beside it
  cat >"$tmp/s8n" <<KEYS
<F2><Tab><Tab><Tab><Tab><Tab><Tab><C-u>香港<F4>
:dump $tmp/nat_list.txt
<Enter>
:dump $tmp/nat_set.txt
<Esc>y
KEYS
  tui clerk1 "$tmp/s8n"
  has "$tmp/nat_list.txt" "中国香港  HKG" "F4 on the nationality lists the countries by name"
  grep -q '^国籍  *HKG  *中国香港' "$tmp/nat_set.txt" || fail "the chosen code and its name" "$tmp/nat_set.txt"
  rm -rf "$XDG_STATE_HOME/talentdesk/drafts"

  # ---- 8. nationality by name -----------------------------------------------
  hc=$(q "SELECT c.case_no FROM cases c JOIN persons p ON p.id=c.person_id WHERE p.nationality='HKG' LIMIT 1")
  [ -n "$hc" ] || fail "no demo person from Hong Kong"
  printf '<F7>%s<Enter><Enter>\n:dump %s\n' "$hc" "$tmp/hkg.txt" >"$tmp/s8"
  tui clerk1 "$tmp/s8"
  has "$tmp/hkg.txt" "中国香港" "the nationality is shown by name"
  lacks "$tmp/hkg.txt" "HKG" "not as the ISO code"
}

run_size 24x80
run_size 45x160
echo "tui_counter: ok"
