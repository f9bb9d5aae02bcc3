#!/usr/bin/env bash
# print.sh — talentdesk print (issue 12, item 5): the 受理回执, the 一次性告知书
# and the decision notice as PDF with an embedded CJK font.  pdftotext finds
# the Chinese text and the case number; the QR code, rendered by pdftoppm,
# decodes (zbarimg) to the case number / the 人才服务码; every print is kept
# beside the case; with a (fake) CUPS default destination it goes to lp, and
# --printer names another; the GB18030 text receipt converts back.  The TUI's
# print key (p) on the case, documents and code screens does the same.
set -euo pipefail
BIN=${TD_BIN:-$(pwd)/build/talentdesk}
for t in pdftotext pdftoppm pdffonts; do
  command -v $t >/dev/null || { echo "print.sh: $t is required (make deps: poppler-utils)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LC_ALL=C.UTF-8 TZ=UTC TALENTDESK_NOW=2026-06-01T02:00:00Z XDG_STATE_HOME=$tmp/state
unset TALENTDESK_QUEUE NO_COLOR TALENTDESK_TUI_SCRIPT
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && { echo "--- $2:"; cat "$2"; }; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$3: lacks '$2'" "$1"; }
db=$tmp/td.db
"$BIN" --db "$db" init --demo >/dev/null
  source "$(dirname "$0")/lib/session.sh"; td_login_demo_users "$BIN" "$db"
q() { sqlite3 "$db" "$1"; }
# no printer on this machine unless the test provides one
mkdir -p "$tmp/bin"
printf '#!/bin/sh\necho "no system default destination"\n' >"$tmp/bin/lpstat"
printf '#!/bin/sh\necho "$@" >>"%s/lp.log"\n' "$tmp" >"$tmp/bin/lp"
chmod +x "$tmp/bin/lpstat" "$tmp/bin/lp"
export PATH="$tmp/bin:$PATH"
TD() { "$BIN" --db "$db" --user clerk1 "$@"; }

coded=$(q "SELECT c.case_no FROM talent_codes t JOIN cases c ON c.id=t.case_id ORDER BY c.case_no LIMIT 1")
code=$(q "SELECT t.code FROM talent_codes t JOIN cases c ON c.id=t.case_id WHERE c.case_no='$coded'")
cname=$(q "SELECT p.name FROM cases c JOIN persons p ON p.id=c.person_id WHERE c.case_no='$coded'")
[ -n "$coded" ] && [ -n "$code" ] || fail "the demo has no case with a talent service code"

qr() { # qr PDF: the text of the QR code on its first page
  pdftoppm -r 150 -f 1 -l 1 -png "$1" "$tmp/page" >/dev/null
  zbarimg -q --raw "$tmp"/page*.png 2>/dev/null | head -1
  rm -f "$tmp"/page*.png
}
embedded() { # every font of the PDF is embedded
  pdffonts "$1" | sed -n '3,$p' >"$tmp/fonts.txt"
  [ -s "$tmp/fonts.txt" ] || fail "no fonts in $1"
  awk '{ if ($(NF-4) != "yes") bad=1 } END { exit bad }' "$tmp/fonts.txt" || fail "a font is not embedded" "$tmp/fonts.txt"
}

# 1. the receipt
TD print receipt "$coded" --pdf "$tmp/r.pdf" >"$tmp/out.txt"
has "$tmp/out.txt" "没有打印机：文书仅已保存" "no printer said"
pdftotext -enc UTF-8 "$tmp/r.pdf" "$tmp/r.txt"
for t in 受理回执 "$coded" "$cname" 申请事项 已收材料 受理人 受理站点 个工作日; do has "$tmp/r.txt" "$t" "receipt"; done
embedded "$tmp/r.pdf"
if command -v zbarimg >/dev/null; then
  [ "$(qr "$tmp/r.pdf")" = "$coded" ] || fail "the receipt's QR does not decode to $coded"
fi
kept="$db.prints/$coded/$coded-receipt.pdf"
[ -s "$kept" ] || fail "the receipt is not kept beside the case ($kept)"
cmp -s "$kept" "$tmp/r.pdf" || true
ls -a "$db.prints/$coded" | grep -q '^\.[^.]' && fail "a temporary was left beside the case"

# 2. the decision with the 人才服务码
TD print decision "$coded" --pdf "$tmp/d.pdf" >/dev/null
pdftotext -enc UTF-8 "$tmp/d.pdf" "$tmp/d.txt"
for t in 人才认定决定通知书 "$coded" 人才服务码 认定层次 "$cname"; do has "$tmp/d.txt" "$t" "decision"; done
embedded "$tmp/d.pdf"
if command -v zbarimg >/dev/null; then
  [ "$(qr "$tmp/d.pdf" | tr -d -)" = "$code" ] || fail "the decision's QR does not decode to the code $code"
fi

# 3. the one-time notice (issue one first)
dc=$(q "SELECT c.case_no FROM cases c WHERE c.state='doc_check' AND EXISTS
        (SELECT 1 FROM case_documents d WHERE d.case_id=c.id AND d.status='missing') ORDER BY c.case_no LIMIT 1")
"$BIN" --db "$db" --user reviewer1 docs "$dc" check >/dev/null
TD print notice "$dc" --pdf "$tmp/n.pdf" >/dev/null
pdftotext -enc UTF-8 "$tmp/n.pdf" "$tmp/n.txt"
for t in 一次性告知书 "$dc" 补正; do has "$tmp/n.txt" "$t" "notice"; done
embedded "$tmp/n.pdf"

# 4. to the printer: the default destination, or --printer
printf '#!/bin/sh\necho "system default destination: Office"\n' >"$tmp/bin/lpstat"
TD print receipt "$coded" >"$tmp/out2.txt"
has "$tmp/out2.txt" "已送打印机 Office" "sent to the default printer"
has "$tmp/lp.log" "-d Office -- $kept" "lp got the kept file"
TD print receipt "$coded" --printer Counter2 >/dev/null
has "$tmp/lp.log" "-d Counter2 -- $kept" "--printer"
printf '#!/bin/sh\nexit 1\n' >"$tmp/bin/lp"
if TD print receipt "$coded" --printer Broken >"$tmp/out3.txt" 2>&1; then fail "a refusing lp was not reported"; fi
has "$tmp/out3.txt" "拒绝打印" "lp refusal said"
printf '#!/bin/sh\necho "$@" >>"%s/lp.log"\n' "$tmp" >"$tmp/bin/lp"
printf '#!/bin/sh\necho "no system default destination"\n' >"$tmp/bin/lpstat"

# 5. the plain-text GB18030 receipt
TD print receipt "$coded" --text - --encoding gb18030 >"$tmp/r.gb"
iconv -f GB18030 -t UTF-8 "$tmp/r.gb" >"$tmp/r.utf8" || fail "not GB18030"
has "$tmp/r.utf8" "受理回执" "GB18030 receipt"
has "$tmp/r.utf8" "$coded" "GB18030 receipt"
if iconv -f UTF-8 -t UTF-8 "$tmp/r.gb" >/dev/null 2>&1; then fail "the GB18030 receipt is UTF-8"; fi

# 6. the TUI's print key: case (menu), documents (notice), code (decision)
rm -rf "$db.prints"
for size in 24x80 45x160; do
  cat >"$tmp/s" <<KEYS
<F7>$coded<Enter><Enter>p
:dump $tmp/menu.txt
<Enter>
:dump $tmp/case.txt
<F9>p
:dump $tmp/code.txt
<Esc><Esc><Esc><F7>$dc<Enter><Enter><F6>p
:dump $tmp/docs.txt
KEYS
  TALENTDESK_TUI_SIZE=$size "$BIN" --db "$db" --user clerk1 tui --script "$tmp/s"
  has "$tmp/menu.txt" "受理回执" "print menu"
  has "$tmp/case.txt" "没有打印机：已保存为" "case print said"
  has "$tmp/code.txt" "没有打印机：已保存为" "code print said"
  has "$tmp/docs.txt" "没有打印机：已保存为" "notice print said"
  for k in receipt decision; do [ -s "$db.prints/$coded/$coded-$k.pdf" ] || fail "TUI $k not kept"; done
  [ -s "$db.prints/$dc/$dc-notice.pdf" ] || fail "TUI notice not kept"
done
echo "print: ok"
