/* test_ui_field_model.c — the field editor (ui/field.c) against a simple
 * model: thousands of deterministic pseudo-random edits (insert at every
 * position, Left/Right/Home/End, Backspace/Delete, Ctrl-K/Ctrl-U) over mixed
 * ASCII, CJK, emoji, full-width and combining marks.  After every key the text
 * and cursor equal the model's, the cursor column is the display width of the
 * text before the cursor, the length never passes the limit, `changed` is set
 * exactly when the text changed, control / bidi characters are never taken,
 * and the scrolled view of every box width holds the cursor, fits the box and
 * is a whole-character slice of the text. */
#include "field.h"
#include "base/text.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

/* printable characters a clerk may type */
static const uint32_t pool[] = {
    'a', 'Z', '7', ' ', '-', 0x5F20 /* 张 */, 0x4E09 /* 三 */, 0x00E9 /* é */, 0x0301 /* combining acute */,
    0xFF10 /* full-width 0 */, 0x1F600 /* emoji */, 0x00B7 /* middle dot (ambiguous) */, 0x3000 /* ideographic space */,
};
/* never inserted */
static const uint32_t bad[] = { 0x07, 0x1B, 0x7F, 0x9B, 0x202E, 0x2066, 0x200F, 0x0A, 0x0D, 0x09 };

typedef struct model {
    uint32_t t[UI_FIELD_MAX + 1];
    int len, cur, max;
} model;

static uint64_t g_rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return (uint32_t)(g_rng % n);
}

/* the model's characters: a code point with the U+0301 marks after it */
static bool m_joins(const model *m, int i)
{
    return i > 0 && i < m->len && m->t[i] == 0x0301;
}
static int m_prev(const model *m, int i)
{
    if (i > 0)
        i--;
    while (m_joins(m, i))
        i--;
    return i;
}
static int m_next(const model *m, int i)
{
    if (i < m->len)
        i++;
    while (m_joins(m, i))
        i++;
    return i;
}
static void m_delete(model *m, int from, int to)
{
    memmove(m->t + from, m->t + to, (size_t)(m->len - to) * sizeof m->t[0]);
    m->len -= to - from;
}

/* whole characters of UTF-8 s, as the text module counts them */
static int count_chars(const char *s)
{
    int n = 0;
    for (size_t o = 0; s[o]; o = td_text_next_char(s, o))
        n++;
    return n;
}

static void encode(const uint32_t *t, int from, int to, char *out, size_t outlen)
{
    size_t o = 0;
    for (int i = from; i < to; i++) {
        char b[4];
        int k = td_utf8_encode(t[i], b);
        assert_true(o + (size_t)k < outlen);
        memcpy(out + o, b, (size_t)k);
        o += (size_t)k;
    }
    out[o] = 0;
}

static void check(ui_field *f, const model *m, bool changed_expected)
{
    assert_int_equal(f->len, m->len);
    assert_int_equal(f->cursor, m->cur);
    assert_true(f->len <= m->max);
    for (int i = 0; i < m->len; i++)
        assert_int_equal((uint32_t)f->text[i], m->t[i]);
    assert_int_equal(f->text[f->len], 0);
    char want[UI_FIELD_MAX * 4 + 1], got[UI_FIELD_MAX * 4 + 1];
    encode(m->t, 0, m->len, want, sizeof want);
    ui_field_get(f, got, sizeof got);
    assert_string_equal(got, want);
    /* cursor column = display width of the text before the cursor */
    char before[UI_FIELD_MAX * 4 + 1];
    encode(m->t, 0, m->cur, before, sizeof before);
    assert_int_equal(ui_field_cursor_col(f), td_text_width(before));
    if (changed_expected)
        assert_true(f->changed);
    /* views of every width: a slice [scroll, end) holding the cursor */
    for (int cols = 2; cols <= 12; cols++) {
        char view[UI_FIELD_MAX * 4 + 1];
        int cc = -1;
        ui_field_view(f, cols, view, sizeof view, &cc);
        assert_true(f->scroll >= 0 && f->scroll <= f->cursor);
        assert_true(td_text_width(view) <= cols);
        assert_true(cc >= 0 && cc <= cols - 1);
        char pre[UI_FIELD_MAX * 4 + 1];
        encode(m->t, f->scroll, m->cur, pre, sizeof pre);
        assert_int_equal(cc, td_text_width(pre));
        /* the view starts at character `scroll` of the text */
        char from_scroll[UI_FIELD_MAX * 4 + 1];
        encode(m->t, f->scroll, m->len, from_scroll, sizeof from_scroll);
        assert_memory_equal(view, from_scroll, strlen(view));
        /* it reaches at least to the cursor */
        assert_true(strlen(view) >= strlen(pre));
        /* and stops only where the next character would not fit */
        if (strlen(view) < strlen(from_scroll)) {
            size_t next = td_text_next_char(from_scroll, strlen(view));
            char more[UI_FIELD_MAX * 4 + 1];
            memcpy(more, from_scroll, next);
            more[next] = 0;
            assert_true(td_text_width(more) > cols);
        }
    }
}

static void run_model(int max, int steps)
{
    ui_field f;
    ui_field_init(&f, max);
    model m = { .max = max };
    for (int s = 0; s < steps; s++) {
        uint32_t op = rnd(20);
        bool changed = false;
        f.changed = false;
        if (op < 9) { /* type a printable character */
            uint32_t c = pool[rnd(sizeof pool / sizeof pool[0])];
            bool ok = ui_field_key(&f, UI_ACT_NONE, (ui_key)c);
            /* a combining mark alone at the start is refused; after any
             * character it joins that character */
            if (c == 0x0301 && m.cur == 0) {
                assert_false(ok);
            } else if (!ok) {
                fail_msg("U+%04X refused after U+%04X", c, m.cur ? m.t[m.cur - 1] : 0);
            }
            if (ok && m.len < m.max) {
                memmove(m.t + m.cur + 1, m.t + m.cur, (size_t)(m.len - m.cur) * sizeof m.t[0]);
                m.t[m.cur++] = c;
                m.len++;
                changed = true;
            }
        } else if (op == 9) { /* a control / bidi character is refused */
            uint32_t c = bad[rnd(sizeof bad / sizeof bad[0])];
            assert_false(ui_field_key(&f, UI_ACT_NONE, (ui_key)c));
            assert_false(f.changed);
        } else if (op == 10 || op == 11) {
            assert_true(ui_field_key(&f, UI_ACT_ED_LEFT, 0));
            m.cur = m_prev(&m, m.cur);
        } else if (op == 12 || op == 13) {
            assert_true(ui_field_key(&f, UI_ACT_ED_RIGHT, 0));
            m.cur = m_next(&m, m.cur);
        } else if (op == 14) {
            bool home = rnd(2);
            assert_true(ui_field_key(&f, home ? UI_ACT_ED_HOME : UI_ACT_ED_END, 0));
            m.cur = home ? 0 : m.len;
        } else if (op == 15 || op == 16) {
            assert_true(ui_field_key(&f, UI_ACT_ED_BS, 0));
            if (m.cur > 0) {
                int from = m_prev(&m, m.cur);
                m_delete(&m, from, m.cur);
                m.cur = from;
                changed = true;
            }
        } else if (op == 17) {
            assert_true(ui_field_key(&f, UI_ACT_ED_DEL, 0));
            if (m.cur < m.len) {
                m_delete(&m, m.cur, m_next(&m, m.cur));
                changed = true;
            }
        } else if (op == 18) {
            if (rnd(4) == 0) {
                assert_true(ui_field_key(&f, UI_ACT_ED_KILL, 0));
                changed = m.cur < m.len;
                m.len = m.cur;
            } else { /* mostly move instead, so the text grows */
                assert_true(ui_field_key(&f, UI_ACT_ED_HOME, 0));
                m.cur = 0;
            }
        } else {
            if (rnd(8) == 0) {
                assert_true(ui_field_key(&f, UI_ACT_ED_CLEAR, 0));
                changed = m.len > 0;
                m.len = m.cur = 0;
            } else {
                assert_true(ui_field_key(&f, UI_ACT_ED_END, 0));
                m.cur = m.len;
            }
        }
        check(&f, &m, changed);
        if (!changed)
            assert_false(f.changed);
    }
}

static void test_model_long_field(void **st)
{
    (void)st;
    run_model(40, 4000);
}

static void test_model_short_field(void **st)
{
    (void)st;
    run_model(5, 3000);
}

static void test_model_full_size(void **st)
{
    (void)st;
    run_model(UI_FIELD_MAX, 3000);
}

/* Insert a CJK character and an ASCII letter at every position of a mixed
 * text: the cursor lands after the inserted character, at the right column. */
static void test_insert_at_every_position(void **st)
{
    (void)st;
    const char *base = "张a三é\xCC\x81" "b😀";
    const uint32_t ins[] = { 0x674E /* 李 */, 'x', 0x0301 };
    for (size_t w = 0; w < sizeof ins / sizeof ins[0]; w++) {
        ui_field f;
        ui_field_init(&f, 50);
        ui_field_set(&f, base);
        int n = f.len;
        int chars = count_chars(base); /* whole characters */
        assert_int_equal(chars, n - 1);          /* é + U+0301 is one */
        for (int pos = 0; pos <= chars; pos++) {
            ui_field_set(&f, base);
            assert_true(ui_field_key(&f, UI_ACT_ED_HOME, 0));
            for (int i = 0; i < pos; i++)
                assert_true(ui_field_key(&f, UI_ACT_ED_RIGHT, 0));
            int at = f.cursor;
            if (ins[w] == 0x0301 && pos == 0) { /* nothing to join */
                assert_false(ui_field_key(&f, UI_ACT_NONE, (ui_key)ins[w]));
                continue;
            }
            assert_true(ui_field_key(&f, UI_ACT_NONE, (ui_key)ins[w]));
            assert_int_equal(f.len, n + 1);
            assert_int_equal(f.cursor, at + 1);
            assert_int_equal((uint32_t)f.text[at], ins[w]);
            assert_true(f.changed);
            char all[256];
            ui_field_get(&f, all, sizeof all);
            /* the text before the cursor is base's first pos characters + ins */
            size_t off = 0;
            for (int i = 0; i < pos; i++)
                off = td_text_next_char(base, off);
            char b[4];
            int k = td_utf8_encode(ins[w], b);
            char want[256];
            memcpy(want, base, off);
            memcpy(want + off, b, (size_t)k);
            strcpy(want + off + (size_t)k, base + off);
            assert_string_equal(all, want);
            want[off + (size_t)k] = 0;
            assert_int_equal(ui_field_cursor_col(&f), td_text_width(want));
            /* Backspace undoes it exactly (a joined mark goes with its base) */
            if (ins[w] != 0x0301) {
                assert_true(ui_field_key(&f, UI_ACT_ED_BS, 0));
                ui_field_get(&f, all, sizeof all);
                assert_string_equal(all, base);
                assert_int_equal(f.cursor, at);
            }
        }
    }
}

/* Delete at every position: the character under the cursor goes, the cursor
 * stays, at the end Delete does nothing. */
static void test_delete_at_every_position(void **st)
{
    (void)st;
    const char *base = "a张😀b\xCC\x81三";
    ui_field f;
    ui_field_init(&f, 50);
    ui_field_set(&f, base);
    int chars = count_chars(base);
    assert_int_equal(chars, 5); /* b + U+0301 is one character */
    for (int pos = 0; pos <= chars; pos++) {
        ui_field_set(&f, base);
        assert_true(ui_field_key(&f, UI_ACT_ED_HOME, 0));
        for (int i = 0; i < pos; i++)
            assert_true(ui_field_key(&f, UI_ACT_ED_RIGHT, 0));
        int at = f.cursor, col = ui_field_cursor_col(&f);
        assert_true(ui_field_key(&f, UI_ACT_ED_DEL, 0));
        assert_int_equal(f.cursor, at);
        assert_int_equal(ui_field_cursor_col(&f), col);
        char got[64];
        ui_field_get(&f, got, sizeof got);
        assert_int_equal(count_chars(got), pos < chars ? chars - 1 : chars);
        assert_int_equal(f.changed, pos < chars);
    }
    /* Delete before b + U+0301 takes both; Backspace after it too */
    ui_field_set(&f, "xb\xCC\x81y");
    assert_true(ui_field_key(&f, UI_ACT_ED_LEFT, 0));
    assert_int_equal(f.cursor, 3); /* before y */
    assert_true(ui_field_key(&f, UI_ACT_ED_LEFT, 0));
    assert_int_equal(f.cursor, 1); /* before b, never between b and the mark */
    assert_int_equal(ui_field_cursor_col(&f), 1);
    assert_true(ui_field_key(&f, UI_ACT_ED_DEL, 0));
    char got[64];
    ui_field_get(&f, got, sizeof got);
    assert_string_equal(got, "xy");
    ui_field_set(&f, "xb\xCC\x81");
    assert_true(ui_field_key(&f, UI_ACT_ED_BS, 0));
    ui_field_get(&f, got, sizeof got);
    assert_string_equal(got, "x");
}

/* Typing at the limit is swallowed (the key is used, nothing changes); a
 * text set longer than the limit is cut at a character boundary. */
static void test_limit_with_wide_characters(void **st)
{
    (void)st;
    ui_field f;
    ui_field_init(&f, 3);
    ui_field_set(&f, "张三李四王");
    assert_int_equal(f.len, 3);
    char buf[64];
    ui_field_get(&f, buf, sizeof buf);
    assert_string_equal(buf, "张三李");
    assert_true(ui_field_key(&f, UI_ACT_NONE, 'x'));
    assert_false(f.changed);
    ui_field_get(&f, buf, sizeof buf);
    assert_string_equal(buf, "张三李");
    /* ui_field_get with a small buffer never cuts inside a character */
    char small[5];
    ui_field_get(&f, small, sizeof small);
    assert_string_equal(small, "张");
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_long_field),       cmocka_unit_test(test_model_short_field),
        cmocka_unit_test(test_model_full_size),        cmocka_unit_test(test_insert_at_every_position),
        cmocka_unit_test(test_delete_at_every_position), cmocka_unit_test(test_limit_with_wide_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
