/* field.c — see field.h. */
#include "field.h"
#include "base/text.h"

#include <string.h>
#include <wctype.h>

void ui_field_init(ui_field *f, int max_chars)
{
    memset(f, 0, sizeof *f);
    f->max_chars = (max_chars <= 0 || max_chars > UI_FIELD_MAX) ? UI_FIELD_MAX : max_chars;
}

void ui_field_set(ui_field *f, const char *s)
{
    f->len = 0;
    size_t n = s ? strlen(s) : 0, i = 0;
    while (i < n && f->len < f->max_chars) {
        uint32_t cp;
        int k = td_utf8_decode(s + i, n - i, &cp);
        if (k <= 0)
            break;
        f->text[f->len++] = (wchar_t)cp;
        i += (size_t)k;
    }
    f->text[f->len] = 0;
    f->cursor = f->len;
    f->scroll = 0;
    f->changed = false;
}

/* UTF-8 of characters [from, to). */
static void encode_range(const ui_field *f, int from, int to, char *out, size_t outlen)
{
    size_t o = 0;
    if (outlen == 0)
        return;
    for (int i = from; i < to; i++) {
        char b[4];
        int k = td_utf8_encode((uint32_t)f->text[i], b);
        if (o + (size_t)k + 1 > outlen)
            break;
        memcpy(out + o, b, (size_t)k);
        o += (size_t)k;
    }
    out[o] = 0;
}

void ui_field_get(const ui_field *f, char *out, size_t outlen)
{
    encode_range(f, 0, f->len, out, outlen);
}

static int width_range(const ui_field *f, int from, int to)
{
    char buf[UI_FIELD_MAX * 4 + 1];
    encode_range(f, from, to, buf, sizeof buf);
    return td_text_width(buf);
}

int ui_field_cursor_col(const ui_field *f)
{
    return width_range(f, 0, f->cursor);
}

/* True when character i is a zero-width mark joined to the character before
 * it (e + U+0301): the text module's definition of one character, so the
 * cursor never lands between them (text.h, td_text_next_char). */
static bool joins(const ui_field *f, int i)
{
    if (i <= 0 || i >= f->len)
        return false;
    char buf[16];
    encode_range(f, i - 1, i + 1, buf, sizeof buf);
    return td_text_next_char(buf, 0) == strlen(buf);
}

static int prev_char(const ui_field *f, int i)
{
    if (i > 0)
        i--;
    while (i > 0 && joins(f, i))
        i--;
    return i;
}

static int next_char(const ui_field *f, int i)
{
    if (i < f->len)
        i++;
    while (i < f->len && joins(f, i))
        i++;
    return i;
}

static void delete_range(ui_field *f, int from, int to)
{
    if (to <= from)
        return;
    memmove(f->text + from, f->text + to, (size_t)(f->len - to + 1) * sizeof(wchar_t));
    f->len -= to - from;
    f->changed = true;
}

/* Characters a clerk may type into a field: printable, not a control, bidi
 * or format character (the text module decides what is clean). */
static bool insertable(const ui_field *f, ui_key key)
{
    if (key < 32 || UI_KEY_IS_CODE(key) || key == 127 || key > 0x10FFFF)
        return false;
    if (key >= 0xD800 && key <= 0xDFFF)
        return false;
    char b[16] = { 0 };
    int k = td_utf8_encode((uint32_t)key, b);
    if (td_text_is_clean(b))
        return true;
    /* a combining mark is clean after the character it joins (e + U+0301) */
    if (f->cursor == 0)
        return false;
    char pair[UI_FIELD_MAX * 4 + 8];
    encode_range(f, prev_char(f, f->cursor), f->cursor, pair, sizeof pair - 8);
    size_t p = strlen(pair);
    memcpy(pair + p, b, (size_t)k + 1);
    return td_text_is_clean(pair) && td_text_next_char(pair, 0) == strlen(pair);
}

bool ui_field_key(ui_field *f, ui_action action, ui_key key)
{
    switch (action) {
    case UI_ACT_ED_LEFT:
        f->cursor = prev_char(f, f->cursor);
        return true;
    case UI_ACT_ED_RIGHT:
        f->cursor = next_char(f, f->cursor);
        return true;
    case UI_ACT_ED_HOME:
        f->cursor = 0;
        return true;
    case UI_ACT_ED_END:
        f->cursor = f->len;
        return true;
    case UI_ACT_ED_BS: {
        int from = prev_char(f, f->cursor);
        delete_range(f, from, f->cursor);
        f->cursor = from;
        return true;
    }
    case UI_ACT_ED_DEL:
        delete_range(f, f->cursor, next_char(f, f->cursor));
        return true;
    case UI_ACT_ED_KILL:
        if (f->cursor < f->len) {
            f->len = f->cursor;
            f->text[f->len] = 0;
            f->changed = true;
        }
        return true;
    case UI_ACT_ED_CLEAR:
        if (f->len) {
            f->len = f->cursor = 0;
            f->text[0] = 0;
            f->changed = true;
        }
        return true;
    case UI_ACT_NONE:
        break;
    default:
        return false;
    }
    f->full_hit = false;
    if (!insertable(f, key))
        return false;
    if (f->len >= f->max_chars) {
        f->full_hit = true; /* full: the key is refused, and the form says so */
        return true;
    }
    memmove(f->text + f->cursor + 1, f->text + f->cursor,
            (size_t)(f->len - f->cursor + 1) * sizeof(wchar_t));
    f->text[f->cursor++] = (wchar_t)key;
    f->len++;
    f->changed = true;
    return true;
}

void ui_field_view(ui_field *f, int cols, char *out, size_t outlen, int *cursor_col)
{
    if (cols < 1)
        cols = 1;
    if (f->scroll > f->cursor)
        f->scroll = f->cursor;
    /* keep one column free after the cursor for the cursor itself */
    while (f->scroll < f->cursor && width_range(f, f->scroll, f->cursor) > cols - 1)
        f->scroll = next_char(f, f->scroll); /* never starts at a joined mark */
    if (f->scroll > f->cursor)
        f->scroll = f->cursor;
    int end = f->scroll;
    while (end < f->len && width_range(f, f->scroll, end + 1) <= cols)
        end++;
    encode_range(f, f->scroll, end, out, outlen);
    if (cursor_col)
        *cursor_col = width_range(f, f->scroll, f->cursor);
}
