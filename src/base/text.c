/* text.c — see text.h.
 *
 * Visible replacement forms used by td_text_sanitize (and counted by every
 * width function, so that td_text_width(s) is always the width of the
 * sanitised string):
 *
 *   C0 controls U+0000–U+001F   caret notation, 2 columns: ESC -> "^[",
 *                               TAB -> "^I", LF -> "^J" (kept as a line
 *                               break by the *_multiline variant), NUL -> "^@"
 *   DEL U+007F                  "^?" (2 columns)
 *   C1 controls U+0080–U+009F,  "<U+XXXX>" with 4 (or 5–6) upper-case hex
 *   bidi controls, zero-width   digits, e.g. "<U+202E>", "<U+009B>",
 *   and other format (Cf)       "<U+E0041>": 8–10 columns, pure ASCII, so a
 *   characters, line/paragraph  clerk sees that something invisible is in
 *   separators, invisible       the field and support can tell which.
 *   fillers (Default_Ignorable
 *   that are not combining
 *   marks, e.g. U+3164),
 *   noncharacters, and code
 *   points the C library cannot
 *   display (wcwidth() == -1,
 *   e.g. unassigned)
 *   invalid UTF-8               U+FFFD "�" for each invalid byte (1 column,
 *                               or 2 when ambiwidth is 2: U+FFFD is East
 *                               Asian Ambiguous)
 *   a combining mark at the     preceded by one space (so it cannot merge
 *   very start of the text      with whatever the terminal shows before it)
 *
 * Everything else passes through unchanged and is measured with wcwidth()
 * (ncursesw's own measure), East Asian Ambiguous characters of width 1
 * counted as td_text_ambiwidth().  When LC_CTYPE is not UTF-8 (wcwidth()
 * useless) the width and printability come from ICU's character properties.
 */
#include "text.h"
#include "i18n.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

static int g_ambiwidth = 1;

void td_text_set_ambiwidth(int w)
{
    g_ambiwidth = (w == 2) ? 2 : 1;
}

int td_text_ambiwidth(void)
{
    return g_ambiwidth;
}

/* ---------------------------------------------------------------- UTF-8 */

int td_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len == 0) {
        *cp = 0;
        return 0;
    }
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        *cp = 0xFFFD; /* continuation byte, C0/C1 overlong lead, F5..FF */
        return 1;
    }
    if (len < (size_t)n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD; /* overlong, beyond Unicode, or a surrogate */
        return 1;
    }
    *cp = v;
    return n;
}

int td_utf8_encode(uint32_t cp, char out[4])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* True for an invalid sequence as reported by td_utf8_decode (a real U+FFFD
 * in the input takes 3 bytes). */
static bool decode_failed(uint32_t cp, int n)
{
    return cp == 0xFFFD && n == 1;
}

/* -------------------------------------------------- character classes */

static bool utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && strcmp(cs, "UTF-8") == 0;
}

/* The characters text.h names explicitly (kept independent of the ICU data,
 * which classifies all of them as Cf anyway). */
static bool explicit_unsafe(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x00AD || cp == 0x061C ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029;
}

static bool noncharacter(uint32_t cp)
{
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

/* Invisible characters that are not combining marks: format characters,
 * line/paragraph separators, fillers such as U+3164. */
static bool invisible(uint32_t cp)
{
    int8_t t = u_charType((UChar32)cp);
    if (t == U_FORMAT_CHAR || t == U_LINE_SEPARATOR || t == U_PARAGRAPH_SEPARATOR ||
        t == U_CONTROL_CHAR)
        return true;
    return t != U_NON_SPACING_MARK &&
           u_hasBinaryProperty((UChar32)cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

bool td_text_cp_unsafe(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || explicit_unsafe(cp) || noncharacter(cp) || invisible(cp);
}

/* Width from ICU alone (used when wcwidth() cannot help); -1 when not
 * displayable. */
static int icu_width(uint32_t cp)
{
    int8_t t = u_charType((UChar32)cp);
    if (t == U_UNASSIGNED || t == U_CONTROL_CHAR || t == U_SURROGATE)
        return -1;
    if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_FORMAT_CHAR)
        return 0;
    int hst = u_getIntPropertyValue((UChar32)cp, UCHAR_HANGUL_SYLLABLE_TYPE);
    if (hst == U_HST_VOWEL_JAMO || hst == U_HST_TRAILING_JAMO)
        return 0;
    int ea = u_getIntPropertyValue((UChar32)cp, UCHAR_EAST_ASIAN_WIDTH);
    if (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH)
        return 2;
    return 1;
}

/* Width of a printable, non-ASCII code point, or -1 when the terminal
 * library could not display it. */
static int printable_width(uint32_t cp, bool u8)
{
    int w = -1;
    if (u8)
        w = wcwidth((wchar_t)cp);
    else
        w = icu_width(cp);
    if (w < 0)
        return -1;
    if (w == 1 && g_ambiwidth == 2 &&
        u_getIntPropertyValue((UChar32)cp, UCHAR_EAST_ASIAN_WIDTH) == U_EA_AMBIGUOUS)
        w = 2;
    return w;
}

/* ------------------------------------------------------------ the units
 *
 * Every function below walks the input as a sequence of units: one source
 * character (or one invalid byte) and the bytes/width it is displayed as. */

typedef struct unit {
    size_t off, len; /* source bytes */
    char buf[16];    /* display bytes (not NUL-terminated) */
    size_t blen;
    int w;           /* display columns */
    bool changed;    /* display bytes differ from the source */
    bool unsafe;     /* changed for a reason other than the C library not
                        knowing an assigned character (see is_clean) */
    bool newline;    /* a kept '\n' (multiline mode only) */
} unit;

typedef struct walker {
    const char *s;
    size_t len, pos;
    bool multiline, u8, have_base;
    uint32_t prev_cp;   /* the previous code point, 0 at the start */
} walker;

static bool is_joiner(uint32_t cp);
static bool joins_next(const char *s, size_t len, size_t i);

static void walk_init_n(walker *it, const char *s, size_t len, bool multiline)
{
    it->s = s;
    it->len = len;
    it->pos = 0;
    it->multiline = multiline;
    it->prev_cp = 0;
    it->u8 = utf8_locale();
    it->have_base = false;
}

static void walk_init(walker *it, const char *s, bool multiline)
{
    s = s ? s : "";
    walk_init_n(it, s, strlen(s), multiline);
}

static void set_escape(unit *u, uint32_t cp)
{
    int n = snprintf(u->buf, sizeof u->buf, "<U+%04X>", (unsigned)cp);
    u->blen = (size_t)n;
    u->w = n;
    u->changed = true;
    u->unsafe = true;
}

/* Classifies cp (already decoded, valid) into u's display form. */
static void classify(unit *u, uint32_t cp, bool u8)
{
    u->changed = false;
    u->unsafe = false;
    u->newline = false;
    if (cp < 0x20 || cp == 0x7F) {
        u->buf[0] = '^';
        u->buf[1] = (char)(cp == 0x7F ? '?' : cp + 0x40);
        u->blen = 2;
        u->w = 2;
        u->changed = true;
        u->unsafe = true;
        return;
    }
    if (cp < 0x7F) {
        u->buf[0] = (char)cp;
        u->blen = 1;
        u->w = 1;
        return;
    }
    if (explicit_unsafe(cp) || noncharacter(cp) || invisible(cp)) {
        set_escape(u, cp);
        return;
    }
    int w = printable_width(cp, u8);
    if (w < 0) {
        set_escape(u, cp);
        /* assigned (ICU) but beyond the C library's tables, e.g. CJK
         * Extension H on glibc 2.36: shown escaped, yet a legal name may
         * hold it, so it does not make the text unclean */
        u->unsafe = u_charType((UChar32)cp) == U_UNASSIGNED;
        return;
    }
    u->blen = (size_t)td_utf8_encode(cp, u->buf);
    u->w = w;
}

static bool walk_next(walker *it, unit *u)
{
    if (it->pos >= it->len)
        return false;
    uint32_t cp;
    const char *p = it->s + it->pos;
    int n = td_utf8_decode(p, it->len - it->pos, &cp);
    u->off = it->pos;
    u->len = (size_t)n;
    it->pos += (size_t)n;
    if (it->multiline && (cp == '\n' || (cp == '\r' && it->pos < it->len && it->s[it->pos] == '\n'))) {
        if (cp == '\r') { /* CR LF -> LF */
            it->pos++;
            u->len = 2;
        }
        u->buf[0] = '\n';
        u->blen = 1;
        u->w = 0;
        u->changed = (cp == '\r');
        u->unsafe = u->changed;
        u->newline = true;
        it->have_base = false;
        return true;
    }
    uint32_t prev = it->prev_cp;
    it->prev_cp = cp;
    if (is_joiner(cp) && it->have_base && prev > ' ' && !is_joiner(prev) && joins_next(it->s, it->len, it->pos)) {
        /* ZWNJ/ZWJ inside a word: spelling, harmless to a terminal */
        u->blen = (size_t)td_utf8_encode(cp, u->buf);
        u->w = 0;
        u->changed = u->unsafe = u->newline = false;
        return true;
    }
    if (decode_failed(cp, n)) {
        classify(u, 0xFFFD, it->u8);
        u->changed = true;
        u->unsafe = true;
    } else {
        classify(u, cp, it->u8);
    }
    if (u->w == 0 && !it->have_base) {
        /* a combining mark with nothing of ours to sit on */
        memmove(u->buf + 1, u->buf, u->blen);
        u->buf[0] = ' ';
        u->blen++;
        u->w = 1;
        u->changed = true;
        u->unsafe = true;
    }
    if (u->w > 0)
        it->have_base = true;
    return true;
}

/* ------------------------------------------------------------ measuring */

int td_text_cp_width(uint32_t cp)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    unit u;
    classify(&u, cp, utf8_locale());
    return u.w;
}

int td_text_width(const char *s)
{
    walker it;
    unit u;
    int w = 0;
    walk_init(&it, s, false);
    while (walk_next(&it, &u))
        w += u.w;
    return w;
}

int td_text_width_n(const char *s, size_t len)
{
    walker it;
    unit u;
    int w = 0;
    if (!s)
        return 0;
    size_t n = strnlen(s, len);
    walk_init_n(&it, s, n, false);
    while (walk_next(&it, &u))
        w += u.w;
    return w;
}

/* True when the character at s[off] (valid, printable) has width 0. */
static bool zero_width_at(const char *s, size_t len, size_t off, bool u8, size_t *next)
{
    uint32_t cp;
    int k = td_utf8_decode(s + off, len - off, &cp);
    *next = off + (size_t)k;
    if (decode_failed(cp, k) || cp < 0x80)
        return false;
    unit u;
    classify(&u, cp, u8);
    return !u.changed && u.w == 0;
}

size_t td_text_next_char(const char *s, size_t off)
{
    if (!s)
        return 0;
    size_t len = strlen(s);
    if (off >= len)
        return len;
    bool u8 = utf8_locale();
    uint32_t cp;
    /* inside a multi-byte character: start from its first byte */
    for (size_t back = 1; back <= 3 && back <= off; back++) {
        if (((unsigned char)s[off - back + 1] & 0xC0) != 0x80)
            break;
        size_t start = off - back;
        if (((unsigned char)s[start] & 0xC0) == 0x80)
            continue;
        int k = td_utf8_decode(s + start, len - start, &cp);
        if (start + (size_t)k > off)
            off = start;
        break;
    }
    size_t pos = off + (size_t)td_utf8_decode(s + off, len - off, &cp);
    while (pos < len) {
        size_t nx;
        if (!zero_width_at(s, len, pos, u8, &nx))
            break;
        pos = nx;
    }
    return pos;
}

/* Start of the code point (or invalid byte) that ends at off. */
static size_t prev_cp(const char *s, size_t off)
{
    for (size_t back = 2; back <= 4 && back <= off; back++) {
        size_t start = off - back;
        if (((unsigned char)s[start] & 0xC0) == 0x80)
            continue;
        uint32_t cp;
        int k = td_utf8_decode(s + start, back, &cp);
        if ((size_t)k == back)
            return start;
        break;
    }
    return off - 1;
}

size_t td_text_prev_char(const char *s, size_t off)
{
    if (!s)
        return 0;
    size_t len = strlen(s);
    if (off > len)
        off = len;
    bool u8 = utf8_locale();
    while (off > 0) {
        size_t start = prev_cp(s, off), nx;
        if (start == 0 || !zero_width_at(s, len, start, u8, &nx))
            return start;
        off = start;
    }
    return 0;
}

size_t td_text_length(const char *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len; n++) {
        uint32_t cp;
        i += (size_t)td_utf8_decode(s + i, len - i, &cp);
    }
    return n;
}

bool td_text_is_clean(const char *s)
{
    walker it;
    unit u;
    walk_init(&it, s, false);
    while (walk_next(&it, &u))
        if (u.unsafe)
            return false;
    return true;
}

size_t td_text_offset_for_col(const char *s, int col)
{
    walker it;
    unit u;
    int c = 0;
    walk_init(&it, s, false);
    while (walk_next(&it, &u)) {
        if (u.w > 0 && c >= col)
            return u.off;
        c += u.w;
    }
    return it.len;
}

/* ------------------------------------------------------------- writing */

typedef struct outbuf {
    char *p;
    size_t cap, n; /* cap includes the NUL */
    bool full;
} outbuf;

static bool out_put(outbuf *o, const char *b, size_t len)
{
    if (o->full || o->cap == 0 || o->n + len + 1 > o->cap) {
        o->full = true;
        return false;
    }
    memcpy(o->p + o->n, b, len);
    o->n += len;
    o->p[o->n] = '\0';
    return true;
}

static void out_init(outbuf *o, char *p, size_t cap)
{
    o->p = p;
    o->cap = p ? cap : 0;
    o->n = 0;
    o->full = false;
    if (o->cap)
        p[0] = '\0';
}

static int out_spaces(outbuf *o, int n)
{
    int done = 0;
    while (done < n && out_put(o, " ", 1))
        done++;
    return done;
}

static size_t sanitize(const char *s, char *out, size_t outlen, bool multiline)
{
    walker it;
    unit u;
    outbuf o;
    out_init(&o, out, outlen);
    walk_init(&it, s, multiline);
    while (walk_next(&it, &u))
        if (!out_put(&o, u.buf, u.blen))
            break;
    return o.n;
}

size_t td_text_sanitize(const char *s, char *out, size_t outlen)
{
    return sanitize(s, out, outlen, false);
}

size_t td_text_sanitize_multiline(const char *s, char *out, size_t outlen)
{
    return sanitize(s, out, outlen, true);
}

size_t td_text_sanitized_size(const char *s, bool multiline)
{
    walker it;
    unit u;
    size_t n = 1;
    walk_init(&it, s, multiline);
    while (walk_next(&it, &u))
        n += u.blen;
    return n;
}

/* Writes the units of s that fit in `cols` columns (a unit that would cross
 * the edge ends the text; the width-0 marks after the last unit written go
 * with it), keeping room in o for the spaces that will pad the rest of the
 * `cols` columns plus `tail` more bytes: text that would not leave that room
 * is cut (at a unit boundary) so that the padding always fits.  Returns the
 * columns written. */
static int put_prefix(outbuf *o, const char *s, int cols, size_t tail)
{
    walker it;
    unit u;
    int used = 0;
    size_t joiner_at = (size_t)-1; /* where a just written ZWNJ/ZWJ starts */
    bool cut = false;
    walk_init(&it, s, false);
    while (walk_next(&it, &u)) {
        if (u.w > cols - used || o->n + u.blen + (size_t)(cols - used - u.w) + tail > o->cap) {
            cut = true;
            break;
        }
        size_t at = o->n;
        if (!out_put(o, u.buf, u.blen)) {
            cut = true;
            break;
        }
        joiner_at = (u.w == 0 && u.blen == 3 && (unsigned char)u.buf[0] == 0xE2 && (unsigned char)u.buf[1] == 0x80 &&
                     ((unsigned char)u.buf[2] == 0x8C || (unsigned char)u.buf[2] == 0x8D)) ? at : (size_t)-1;
        used += u.w;
    }
    if (cut && joiner_at != (size_t)-1) { /* a joiner is never left dangling at a cut */
        o->n = joiner_at;
        o->p[o->n] = '\0';
    }
    return used;
}

/* Columns of the text fit_right shows: what fits in cols columns and, with
 * the padding to cols and the NUL, in cap bytes. */
static int prefix_width(const char *s, int cols, size_t cap)
{
    walker it;
    unit u;
    int used = 0;
    size_t bytes = 0;
    walk_init(&it, s, false);
    while (walk_next(&it, &u)) {
        if (u.w > cols - used)
            break;
        if (bytes + u.blen + (size_t)(cols - used - u.w) + 1 > cap)
            break;
        bytes += u.blen;
        used += u.w;
    }
    return used;
}

int td_text_fit(const char *s, int cols, bool ellipsis, char *out, size_t outlen)
{
    outbuf o;
    out_init(&o, out, outlen);
    if (cols <= 0 || o.cap == 0)
        return 0;
    int used;
    if (ellipsis && td_text_width(s) > cols) {
        /* "…" is East Asian Ambiguous: when it may take 2 columns use "~" */
        const char *ell = g_ambiwidth == 2 ? "~" : "\xe2\x80\xa6";
        used = put_prefix(&o, s, cols - 1, strlen(ell) + 1);
        if (out_put(&o, ell, strlen(ell)))
            used++;
    } else {
        used = put_prefix(&o, s, cols, 1);
    }
    return used + out_spaces(&o, cols - used);
}

int td_text_fit_right(const char *s, int cols, char *out, size_t outlen)
{
    outbuf o;
    out_init(&o, out, outlen);
    if (cols <= 0 || o.cap == 0)
        return 0;
    int w = prefix_width(s, cols, o.cap);
    int pad = out_spaces(&o, cols - w);
    if (o.full)
        return pad;
    return pad + put_prefix(&o, s, w, 1);
}

/* ------------------------------------------------------------ normalise */

static bool is_space_cp(uint32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || u_isUWhiteSpace((UChar32)cp);
}

/* U+200C ZERO WIDTH NON-JOINER / U+200D ZERO WIDTH JOINER are spelling inside
 * a word (Persian مهدی‌زاده, Indic conjuncts, emoji sequences): kept when they
 * sit between two visible characters, dropped elsewhere. */
static bool is_joiner(uint32_t cp)
{
    return cp == 0x200C || cp == 0x200D;
}

static bool joins_next(const char *s, size_t len, size_t i)
{
    uint32_t cp;
    if (i >= len)
        return false;
    int k = td_utf8_decode(s + i, len - i, &cp);
    if (decode_failed(cp, k) || is_space_cp(cp) || is_joiner(cp) || cp < 0x21)
        return false;
    return !(explicit_unsafe(cp) || invisible(cp) || noncharacter(cp));
}

char *td_text_normalize(const char *s)
{
    return td_text_normalize_ex(s, NULL);
}

char *td_text_normalize_ex(const char *s, unsigned *changes)
{
    unsigned ch = 0;
    if (changes)
        *changes = 0;
    if (!s)
        return NULL;
    size_t len = strlen(s);
    /* 1. validate, drop invisible characters, fold and collapse spaces */
    char *tmp = malloc(len + 1);
    if (!tmp)
        abort();
    size_t n = 0;
    bool pending_space = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = td_utf8_decode(s + i, len - i, &cp);
        if (decode_failed(cp, k)) {
            free(tmp);
            return NULL;
        }
        i += (size_t)k;
        if (is_space_cp(cp)) {
            if (cp != ' ' || pending_space || n == 0)
                ch |= TD_TN_SPACE;
            pending_space = n > 0;
            continue;
        }
        if (u_charType((UChar32)cp) == U_CONTROL_CHAR) {
            free(tmp);
            return NULL;
        }
        if (is_joiner(cp) && n > 0 && !pending_space && joins_next(s, len, i)) {
            uint32_t prev;
            size_t pb = n;
            while (pb > 0 && ((unsigned char)tmp[pb - 1] & 0xC0) == 0x80)
                pb--;
            if (pb > 0)
                pb--;
            td_utf8_decode(tmp + pb, n - pb, &prev);
            if (!is_joiner(prev)) {
                n += (size_t)td_utf8_encode(cp, tmp + n);
                continue;
            }
        }
        if (explicit_unsafe(cp) || invisible(cp)) {
            ch |= TD_TN_INVISIBLE;
            continue;
        }
        if (pending_space) {
            tmp[n++] = ' ';
            pending_space = false;
        }
        n += (size_t)td_utf8_encode(cp, tmp + n);
    }
    tmp[n] = '\0';
    if (pending_space)
        ch |= TD_TN_SPACE;
    if (changes)
        *changes = ch;

    /* 2. NFC through ICU (UTF-16 round trip) */
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        return tmp; /* no ICU data: keep the cleaned text as it is */
    int32_t ulen = 0;
    u_strFromUTF8(NULL, 0, &ulen, tmp, (int32_t)n, &st);
    st = U_ZERO_ERROR;
    UChar *u16 = malloc(sizeof(UChar) * ((size_t)ulen + 1));
    if (!u16)
        abort();
    u_strFromUTF8(u16, ulen + 1, NULL, tmp, (int32_t)n, &st);
    if (U_FAILURE(st)) {
        free(u16);
        return tmp;
    }
    if (unorm2_isNormalized(nfc, u16, ulen, &st) && U_SUCCESS(st)) {
        free(u16);
        return tmp;
    }
    st = U_ZERO_ERROR;
    int32_t nlen = unorm2_normalize(nfc, u16, ulen, NULL, 0, &st);
    st = U_ZERO_ERROR;
    UChar *norm = malloc(sizeof(UChar) * ((size_t)nlen + 1));
    if (!norm)
        abort();
    unorm2_normalize(nfc, u16, ulen, norm, nlen + 1, &st);
    free(u16);
    if (U_FAILURE(st)) {
        free(norm);
        return tmp;
    }
    int32_t blen = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &blen, norm, nlen, &st);
    st = U_ZERO_ERROR;
    char *res = malloc((size_t)blen + 1);
    if (!res)
        abort();
    u_strToUTF8(res, blen + 1, NULL, norm, nlen, &st);
    free(norm);
    if (U_FAILURE(st)) {
        free(res);
        return tmp;
    }
    free(tmp);
    if (changes) /* only text that was not in NFC gets here */
        *changes |= TD_TN_NFC;
    return res;
}

const char *td_text_describe_changes(unsigned changes, char *buf, size_t len)
{
    if (!len)
        return buf;
    buf[0] = '\0';
    size_t o = 0;
    const char *parts[3];
    int np = 0;
    if (changes & TD_TN_INVISIBLE)
        parts[np++] = _("invisible characters (zero-width, format or bidi controls) were removed: they cannot be "
                        "seen and would make the same name differ in searches and duplicate checks");
    if (changes & TD_TN_SPACE)
        parts[np++] = _("spaces were trimmed and runs of white space made one space");
    if (changes & TD_TN_NFC)
        parts[np++] = _("characters were composed to the standard Unicode form (NFC), so that the same name "
                        "typed on different keyboards is stored alike; it looks the same");
    for (int i = 0; i < np && o + 1 < len; i++) {
        int w = snprintf(buf + o, len - o, "%s%s", i ? _("; ") : "", parts[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

/* ----------------------------------------------------------------- wrap */

typedef struct wrapper {
    int cols;
    int (*cb)(const char *line, size_t len, void *ud);
    void *ud;
    int lines;
    bool stop;
    UBreakIterator *bi;
} wrapper;

static bool joiner_bytes(const char *p)
{
    return (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
           ((unsigned char)p[2] == 0x8C || (unsigned char)p[2] == 0x8D);
}

static void emit_line(wrapper *w, const char *p, size_t len)
{
    /* a hard break inside a word may leave a ZWNJ/ZWJ at either end: drop it */
    while (len >= 3 && joiner_bytes(p)) {
        p += 3;
        len -= 3;
    }
    while (len > 0 && (p[len - 1] == ' ' || (len >= 3 && joiner_bytes(p + len - 3)))) {
        len -= p[len - 1] == ' ' ? 1 : 3;
    }
    w->lines++;
    if (w->cb && w->cb(p, len, w->ud) != 0)
        w->stop = true;
}

/* Next line-break opportunity after `from` in text[0..n), or n. */
static size_t next_break(wrapper *w, size_t n, size_t from, bool first)
{
    if (w->bi) {
        int32_t b = first ? ubrk_following(w->bi, (int32_t)from) : ubrk_next(w->bi);
        return (b == UBRK_DONE || (size_t)b > n) ? n : (size_t)b;
    }
    /* without ICU's break data: no opportunities, lines are cut by width */
    return n;
}

/* True when the character at text[pos] is a zero-width (combining) one:
 * no line may start with it. */
static bool mark_at(const char *text, size_t n, size_t pos)
{
    if (pos >= n)
        return false;
    uint32_t cp;
    int k = td_utf8_decode(text + pos, n - pos, &cp);
    if (decode_failed(cp, k) || cp < 0x80)
        return false;
    return printable_width(cp, utf8_locale()) == 0;
}

/* Wraps one paragraph (sanitised, no '\n'). */
static void wrap_para(wrapper *w, const char *text, size_t n)
{
    if (n == 0) {
        emit_line(w, text, 0);
        return;
    }
    UText *ut = NULL;
    if (w->bi) {
        UErrorCode st = U_ZERO_ERROR;
        ut = utext_openUTF8(NULL, text, (int64_t)n, &st);
        if (U_SUCCESS(st))
            ubrk_setUText(w->bi, ut, &st);
        if (U_FAILURE(st)) {
            if (ut)
                utext_close(ut);
            ut = NULL;
            w->bi = NULL; /* fall back to the simple rule from now on */
        }
    }
    size_t start = 0;
    int emitted = 0;
    while (start < n && !w->stop) {
        walker it;
        unit u;
        walk_init_n(&it, text, n, false);
        it.pos = start;
        it.have_base = true; /* already sanitised: no space to insert */
        int cw = 0, cw_ns = 0;
        bool nonspace = false, have = false;
        size_t best = start;
        size_t b = next_break(w, n, start, true);
        for (;;) {
            while (it.pos < b && walk_next(&it, &u)) {
                cw += u.w;
                if (!(u.blen == 1 && u.buf[0] == ' ')) {
                    cw_ns = cw;
                    nonspace = true;
                }
            }
            if (cw_ns > w->cols)
                break;
            if (nonspace && !mark_at(text, n, b)) {
                best = b;
                have = true;
            }
            if (b >= n)
                break;
            b = next_break(w, n, b, false);
        }
        if (!have && !nonspace) { /* only spaces left */
            if (emitted == 0)
                emit_line(w, text + start, 0);
            break;
        }
        if (!have) {
            /* no break opportunity in reach: cut at a character boundary */
            walk_init_n(&it, text, n, false);
            it.pos = start;
            it.have_base = true;
            int used = 0;
            size_t end = start;
            while (it.pos < n) {
                size_t at = it.pos;
                walk_next(&it, &u);
                if (u.w > 0 && used + u.w > w->cols && end > start) {
                    it.pos = at;
                    break;
                }
                used += u.w;
                end = it.pos;
            }
            best = end;
        }
        emit_line(w, text + start, best - start);
        emitted++;
        start = best;
        while (start < n && text[start] == ' ' && !mark_at(text, n, start + 1))
            start++;
    }
    if (ut)
        utext_close(ut); /* the iterator keeps a shallow clone */
}

int td_text_wrap(const char *s, int cols, int (*line_cb)(const char *line, size_t len, void *ud),
                 void *ud)
{
    wrapper w = { .cols = cols < 1 ? 1 : cols, .cb = line_cb, .ud = ud };
    size_t cap = td_text_sanitized_size(s, true);
    if (cap <= 1)
        return 0;
    char *buf = malloc(cap);
    if (!buf)
        abort();
    size_t total = sanitize(s, buf, cap, true);
    UErrorCode st = U_ZERO_ERROR;
    w.bi = ubrk_open(UBRK_LINE, "zh", NULL, 0, &st);
    if (U_FAILURE(st))
        w.bi = NULL;
    UBreakIterator *bi = w.bi;
    size_t p = 0;
    while (!w.stop) {
        char *nl = memchr(buf + p, '\n', total - p);
        size_t end = nl ? (size_t)(nl - buf) : total;
        wrap_para(&w, buf + p, end - p);
        if (!nl)
            break;
        p = end + 1;
        if (p >= total)
            break; /* a final '\n' ends the last line, it starts none */
    }
    if (bi)
        ubrk_close(bi);
    free(buf);
    return w.lines;
}
