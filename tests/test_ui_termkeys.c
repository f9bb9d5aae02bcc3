/* test_ui_termkeys.c — the key sequences of common terminals (ui/termkeys.c):
 * the lookup table with xterm modifiers, and the reader after an ESC fed from
 * a byte list with gaps: a known sequence is its key, a bare ESC is Esc, a
 * fragment or an unknown sequence is swallowed (never Esc), Alt-x gives the
 * x back. */
#include "termkeys.h"
#include "test_util.h"

#include <string.h>

typedef struct feed {
    int bytes[16]; /* -1 = nothing arrives in time */
    int n, pos;
    int back[4], nback;
} feed;

static int f_next(void *ud, int timeout_ms)
{
    (void)timeout_ms;
    feed *f = ud;
    if (f->nback)
        return f->back[--f->nback];
    return f->pos < f->n ? f->bytes[f->pos++] : -1;
}

static void f_back(void *ud, int c)
{
    feed *f = ud;
    f->back[f->nback++] = c;
}

/* parse "TEXT" (the bytes after ESC; '|' = a gap with nothing in time) */
static ui_key parse(const char *s, feed *f)
{
    memset(f, 0, sizeof *f);
    for (; *s; s++)
        f->bytes[f->n++] = *s == '|' ? -1 : (unsigned char)*s;
    return ui_termkeys_after_esc(f_next, f_back, f);
}

static void test_lookup(void **st)
{
    (void)st;
    static const struct {
        const char *seq;
        ui_key key;
    } v[] = {
        { "\033[1~", UK(KEY_HOME) },     { "\033[4~", UK(KEY_END) },     { "\033[7~", UK(KEY_HOME) },
        { "\033[8~", UK(KEY_END) },      { "\033[H", UK(KEY_HOME) },     { "\033[F", UK(KEY_END) },
        { "\033OH", UK(KEY_HOME) },      { "\033OF", UK(KEY_END) },      { "\033[1;5H", UK(KEY_HOME) },
        { "\033[1;2F", UK(KEY_END) },    { "\033[3;5~", UK(KEY_DC) },    { "\033[[A", UK(KEY_F(1)) },
        { "\033[11~", UK(KEY_F(1)) },    { "\033OP", UK(KEY_F(1)) },     { "\033[17~", UK(KEY_F(6)) },
        { "\033[17;2~", UK(KEY_F(18)) }, { "\033[29~", UK(KEY_F(18)) },  { "\033[Z", UK(KEY_BTAB) },
        { "\033[1;3A", UK(KEY_UP) },     { "\033[21~", UK(KEY_F(10)) },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_int_equal(ui_termkeys_lookup(v[i].seq, strlen(v[i].seq)), v[i].key);
    assert_int_equal(ui_termkeys_lookup("\033[99~", 5), UI_KEY_NONE);
}

static void test_after_esc(void **st)
{
    (void)st;
    feed f;
    assert_int_equal(parse("[1~", &f), UK(KEY_HOME));
    assert_int_equal(parse("[4~", &f), UK(KEY_END));
    assert_int_equal(parse("OH", &f), UK(KEY_HOME));
    assert_int_equal(parse("[[B", &f), UK(KEY_F(2)));
    assert_int_equal(parse("[1;5F", &f), UK(KEY_END));
    /* a bare Esc */
    assert_int_equal(parse("", &f), 27);
    assert_int_equal(parse("|[1~", &f), 27);
    /* a fragment cut short is dropped, never Esc */
    assert_int_equal(parse("[1|~", &f), UI_KEY_NONE);
    /* an unknown, well-formed sequence is swallowed whole */
    assert_int_equal(parse("[99;9~x", &f), UI_KEY_NONE);
    assert_int_equal(f_next(&f, 0), 'x');
    /* Alt-x: Esc, then x again */
    assert_int_equal(parse("x", &f), 27);
    assert_int_equal(f_next(&f, 0), 'x');
    /* ESC [ alone (Alt-[): Esc, then [ */
    assert_int_equal(parse("[", &f), 27);
    assert_int_equal(f_next(&f, 0), '[');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_after_esc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
