/* termkeys.c — see termkeys.h.  Hand-written on purpose: a key table and a
 * small CSI/SS3 reader (ECMA-48 §5.4 syntax: parameters 0x30–0x3F,
 * intermediates 0x20–0x2F, a final byte 0x40–0x7E).  curses' own reader
 * knows only what terminfo lists; libtermkey (Debian: libtermkey-dev) would
 * take over the whole input path from curses, too much for one table. */
#include "termkeys.h"

#include <stdio.h>
#include <string.h>

typedef struct seq_key {
    const char *seq;
    ui_key key;
} seq_key;

/* xterm (normal and application mode), VT220 / tmux / screen / PuTTY (the
 * ESC[n~ family), rxvt (ESC[7~ ESC[8~, its F-keys and shifted F-keys),
 * Linux console (ESC[[A … ESC[[E for F1–F5). */
static const seq_key table[] = {
    /* Home / End */
    { "\033[1~", UK(KEY_HOME) }, { "\033[4~", UK(KEY_END) }, { "\033[7~", UK(KEY_HOME) },
    { "\033[8~", UK(KEY_END) },  { "\033[H", UK(KEY_HOME) }, { "\033[F", UK(KEY_END) },
    { "\033OH", UK(KEY_HOME) },  { "\033OF", UK(KEY_END) },  { "\033[1H", UK(KEY_HOME) },
    { "\033[4F", UK(KEY_END) },  { "\033Ow", UK(KEY_END) },  { "\033Oq", UK(KEY_END) },
    /* editing keypad */
    { "\033[2~", UK(KEY_IC) },   { "\033[3~", UK(KEY_DC) },  { "\033[5~", UK(KEY_PPAGE) },
    { "\033[6~", UK(KEY_NPAGE) },
    /* arrows */
    { "\033[A", UK(KEY_UP) },    { "\033[B", UK(KEY_DOWN) }, { "\033[C", UK(KEY_RIGHT) },
    { "\033[D", UK(KEY_LEFT) },  { "\033OA", UK(KEY_UP) },   { "\033OB", UK(KEY_DOWN) },
    { "\033OC", UK(KEY_RIGHT) }, { "\033OD", UK(KEY_LEFT) },
    /* Shift-Tab, keypad Enter */
    { "\033[Z", UK(KEY_BTAB) },  { "\033OM", '\r' },
    /* F1–F4: xterm, VT100/PuTTY-ESC[n~, Linux console */
    { "\033OP", UK(KEY_F(1)) },  { "\033OQ", UK(KEY_F(2)) }, { "\033OR", UK(KEY_F(3)) },
    { "\033OS", UK(KEY_F(4)) },  { "\033[11~", UK(KEY_F(1)) }, { "\033[12~", UK(KEY_F(2)) },
    { "\033[13~", UK(KEY_F(3)) }, { "\033[14~", UK(KEY_F(4)) }, { "\033[[A", UK(KEY_F(1)) },
    { "\033[[B", UK(KEY_F(2)) }, { "\033[[C", UK(KEY_F(3)) }, { "\033[[D", UK(KEY_F(4)) },
    { "\033[[E", UK(KEY_F(5)) },
    /* F5–F12 */
    { "\033[15~", UK(KEY_F(5)) }, { "\033[17~", UK(KEY_F(6)) }, { "\033[18~", UK(KEY_F(7)) },
    { "\033[19~", UK(KEY_F(8)) }, { "\033[20~", UK(KEY_F(9)) }, { "\033[21~", UK(KEY_F(10)) },
    { "\033[23~", UK(KEY_F(11)) }, { "\033[24~", UK(KEY_F(12)) },
    /* shifted F-keys: rxvt / Linux console (ESC[25~ = Shift-F3 … ESC[34~ =
     * Shift-F10); xterm's ESC[17;2~ comes through the modifier rule below */
    { "\033[25~", UK(KEY_F(15)) }, { "\033[26~", UK(KEY_F(16)) }, { "\033[28~", UK(KEY_F(17)) },
    { "\033[29~", UK(KEY_F(18)) }, { "\033[31~", UK(KEY_F(19)) }, { "\033[32~", UK(KEY_F(20)) },
    { "\033[33~", UK(KEY_F(21)) }, { "\033[34~", UK(KEY_F(22)) },
    /* xterm with Shift: F1–F4 as ESC[1;2P …, F5–F12 as ESC[n;2~ */
    { "\033[1;2P", UK(KEY_F(13)) }, { "\033[1;2Q", UK(KEY_F(14)) }, { "\033[1;2R", UK(KEY_F(15)) },
    { "\033[1;2S", UK(KEY_F(16)) }, { "\033[15;2~", UK(KEY_F(17)) }, { "\033[17;2~", UK(KEY_F(18)) },
    { "\033[18;2~", UK(KEY_F(19)) }, { "\033[19;2~", UK(KEY_F(20)) }, { "\033[20;2~", UK(KEY_F(21)) },
    { "\033[21;2~", UK(KEY_F(22)) },
};

void ui_termkeys_define(void)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        int code = table[i].key;
        if (!UI_KEY_IS_CODE(code))
            continue; /* keypad Enter stays with curses' own KEY_ENTER */
        define_key(table[i].seq, code - UI_KEYCODE_BASE);
    }
    /* xterm's modified keys (Shift/Alt/Ctrl = 2..8): ESC[1;5H, ESC[3;5~ …
     * terminfo gives them codes of their own (kHOM5 …) that no screen
     * knows; they are the plain key here, as in ui_termkeys_lookup */
    static const struct {
        char fin;
        int code;
    } csi1[] = { { 'A', KEY_UP }, { 'B', KEY_DOWN }, { 'C', KEY_RIGHT }, { 'D', KEY_LEFT },
                 { 'H', KEY_HOME }, { 'F', KEY_END } };
    static const struct {
        int n, code;
    } tilde[] = { { 1, KEY_HOME }, { 2, KEY_IC }, { 3, KEY_DC }, { 4, KEY_END }, { 5, KEY_PPAGE }, { 6, KEY_NPAGE } };
    for (int m = 2; m <= 8; m++) {
        char seq[16];
        for (size_t i = 0; i < sizeof csi1 / sizeof csi1[0]; i++) {
            snprintf(seq, sizeof seq, "\033[1;%d%c", m, csi1[i].fin);
            define_key(seq, csi1[i].code);
        }
        for (size_t i = 0; i < sizeof tilde / sizeof tilde[0]; i++) {
            snprintf(seq, sizeof seq, "\033[%d;%d~", tilde[i].n, m);
            define_key(seq, tilde[i].code);
        }
    }
}

static ui_key exact(const char *seq, size_t len)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strlen(table[i].seq) == len && memcmp(table[i].seq, seq, len) == 0)
            return table[i].key;
    return UI_KEY_NONE;
}

ui_key ui_termkeys_lookup(const char *seq, size_t len)
{
    ui_key k = exact(seq, len);
    if (k != UI_KEY_NONE || len < 4)
        return k;
    /* xterm modifiers: ESC[1;5H (Ctrl-Home), ESC[3;5~ (Ctrl-Del), ESC[1;3A:
     * the plain key (Shift-F-keys are in the table: they are other keys) */
    const char *semi = memchr(seq, ';', len);
    if (!semi || seq[1] != '[')
        return UI_KEY_NONE;
    char plain[16];
    size_t head = (size_t)(semi - seq);
    char fin = seq[len - 1];
    if (head + 2 > sizeof plain)
        return UI_KEY_NONE;
    memcpy(plain, seq, head);
    if (fin == '~') {
        plain[head] = '~';
        return exact(plain, head + 1);
    }
    /* ESC[1;5H → ESC[H, ESC[1;2P → ESC OP */
    if (head == 3 && seq[2] == '1') {
        char p2[4] = { '\033', (fin >= 'P' && fin <= 'S') ? 'O' : '[', fin, 0 };
        return exact(p2, 3);
    }
    return UI_KEY_NONE;
}

ui_key ui_termkeys_after_esc(int (*next)(void *ud, int timeout_ms), void (*back)(void *ud, int c), void *ud)
{
    int c = next(ud, UI_TERMKEYS_WAIT_MS);
    if (c < 0)
        return 27;
    if (c != '[' && c != 'O') {
        back(ud, c);
        return 27;
    }
    char seq[32];
    size_t n = 0;
    seq[n++] = '\033';
    seq[n++] = (char)c;
    bool ss3 = c == 'O';
    for (;;) {
        int d = next(ud, UI_TERMKEYS_WAIT_MS);
        if (d < 0) {
            /* cut short: ESC O alone is Alt-O and ESC [ alone Alt-[; a
             * longer fragment was a sequence and is dropped, never Esc */
            if (n == 2) {
                back(ud, c);
                return 27;
            }
            return UI_KEY_NONE;
        }
        if (d > 0x7e) /* not a sequence byte: give it back, drop the rest */ {
            back(ud, d);
            return UI_KEY_NONE;
        }
        if (n < sizeof seq - 1)
            seq[n++] = (char)d;
        /* Linux console F1–F5: ESC [ [ A */
        if (!ss3 && n == 3 && d == '[')
            continue;
        if (ss3 || (d >= 0x40 && d <= 0x7e))
            break;
        if (d < 0x20) { /* a control character: not part of a sequence */
            back(ud, d);
            return UI_KEY_NONE;
        }
    }
    seq[n] = 0;
    return ui_termkeys_lookup(seq, n);
}
