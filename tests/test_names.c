/* test_names.c — issue 14.3: names keep what the person typed except what can
 * harm a terminal or a comparison.  One table: input → stored (what
 * td_text_normalize_ex keeps; NULL = refused with a message) → shown (what
 * td_text_sanitize prints) → what the clerk is told (the change flags). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "base/text.h"

#define ZWNJ "\xe2\x80\x8c"
#define ZWJ "\xe2\x80\x8d"

typedef struct name_case {
    const char *what;
    const char *input;
    const char *stored; /* NULL: refused */
    const char *shown;  /* NULL: same as stored */
    unsigned changes;
} name_case;

static const name_case cases[] = {
    /* spelling that must survive */
    { "Persian with ZWNJ", "\xd9\x85\xd9\x87\xd8\xaf\xdb\x8c" ZWNJ "\xd8\xb2\xd8\xa7\xd8\xaf\xd9\x87",
      "\xd9\x85\xd9\x87\xd8\xaf\xdb\x8c" ZWNJ "\xd8\xb2\xd8\xa7\xd8\xaf\xd9\x87", NULL, 0 },
    { "Hindi conjunct with ZWJ", "\xe0\xa4\x95\xe0\xa5\x8d" ZWJ "\xe0\xa4\xb7",
      "\xe0\xa4\x95\xe0\xa5\x8d" ZWJ "\xe0\xa4\xb7", NULL, 0 },
    { "Malayalam chillu with ZWJ", "\xe0\xb4\xa8\xe0\xb5\x8d" ZWJ "\xe0\xb4\xae", "\xe0\xb4\xa8\xe0\xb5\x8d" ZWJ "\xe0\xb4\xae",
      NULL, 0 },
    { "Bengali with ZWNJ", "\xe0\xa6\x95\xe0\xa7\x8d" ZWNJ "\xe0\xa6\xb7", "\xe0\xa6\x95\xe0\xa7\x8d" ZWNJ "\xe0\xa6\xb7",
      NULL, 0 },
    { "emoji family ZWJ sequence", "\xf0\x9f\x91\xa8" ZWJ "\xf0\x9f\x91\xa9" ZWJ "\xf0\x9f\x91\xa7",
      "\xf0\x9f\x91\xa8" ZWJ "\xf0\x9f\x91\xa9" ZWJ "\xf0\x9f\x91\xa7", NULL, 0 },
    { "Chinese", "\xe5\xbc\xa0\xe4\xb8\x89", "\xe5\xbc\xa0\xe4\xb8\x89", NULL, 0 },
    { "supplementary-plane CJK", "\xf0\xa0\xae\xb7\xe9\x87\x8e", "\xf0\xa0\xae\xb7\xe9\x87\x8e", NULL, 0 },
    { "middle dot of minority names", "\xe9\x98\xbf\xe4\xb8\x8d\xc2\xb7\xe5\x8a\xa0", "\xe9\x98\xbf\xe4\xb8\x8d\xc2\xb7\xe5\x8a\xa0",
      NULL, 0 },
    { "full-width letters stay", "\xef\xbc\xa1\xef\xbc\xa2", "\xef\xbc\xa1\xef\xbc\xa2", NULL, 0 },
    { "Latin with apostrophe and hyphen", "O'Brien-Smith", "O'Brien-Smith", NULL, 0 },
    { "Arabic name", "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", NULL, 0 },
    { "Thai with combining vowel", "\xe0\xb8\xaa\xe0\xb8\xa1\xe0\xb8\x8a\xe0\xb8\xb2\xe0\xb8\xa2",
      "\xe0\xb8\xaa\xe0\xb8\xa1\xe0\xb8\x8a\xe0\xb8\xb2\xe0\xb8\xa2", NULL, 0 },
    { "SQL-looking text is data", "Robert'); DROP TABLE persons;--", "Robert'); DROP TABLE persons;--", NULL, 0 },
    { "HTML-looking text is data", "<script>alert(1)</script>", "<script>alert(1)</script>", NULL, 0 },
    { "format string is data", "%s%n%x", "%s%n%x", NULL, 0 },
    /* composed (NFC): looks the same, told */
    { "decomposed e-acute", "Jose\xcc\x81", "Jos\xc3\xa9", NULL, TD_TN_NFC },
    { "decomposed Hangul", "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", "\xed\x95\x9c", NULL, TD_TN_NFC },
    /* white space: folded, told */
    { "trailing space", "\xe5\xbc\xa0\xe4\xb8\x89 ", "\xe5\xbc\xa0\xe4\xb8\x89", NULL, TD_TN_SPACE },
    { "leading space", "  John", "John", NULL, TD_TN_SPACE },
    { "double inner space", "John  Smith", "John Smith", NULL, TD_TN_SPACE },
    { "ideographic space", "\xe5\xbc\xa0\xe3\x80\x80\xe4\xb8\x89", "\xe5\xbc\xa0 \xe4\xb8\x89", NULL, TD_TN_SPACE },
    { "tab", "John\tSmith", "John Smith", NULL, TD_TN_SPACE },
    { "newline", "John\nSmith", "John Smith", NULL, TD_TN_SPACE },
    { "no-break space", "John\xc2\xa0Smith", "John Smith", NULL, TD_TN_SPACE },
    /* invisible characters that only break comparisons or terminals: removed, told */
    { "zero-width space", "\xe5\xbc\xa0\xe2\x80\x8b\xe4\xb8\x89", "\xe5\xbc\xa0\xe4\xb8\x89", NULL, TD_TN_INVISIBLE },
    { "BOM at the start", "\xef\xbb\xbf\xe5\xbc\xa0\xe4\xb8\x89", "\xe5\xbc\xa0\xe4\xb8\x89", NULL, TD_TN_INVISIBLE },
    { "soft hyphen", "Jo\xc2\xadhn", "John", NULL, TD_TN_INVISIBLE },
    { "right-to-left override", "\xe2\x80\xae" "abc", "abc", NULL, TD_TN_INVISIBLE },
    { "bidi isolate", "a\xe2\x81\xa6" "b\xe2\x81\xa9", "ab", NULL, TD_TN_INVISIBLE },
    { "left-to-right mark", "a\xe2\x80\x8e" "b", "ab", NULL, TD_TN_INVISIBLE },
    { "word joiner", "a\xe2\x81\xa0" "b", "ab", NULL, TD_TN_INVISIBLE },
    { "ZWJ at the start", ZWJ "\xe5\xbc\xa0", "\xe5\xbc\xa0", NULL, TD_TN_INVISIBLE },
    { "ZWNJ at the end", "\xe5\xbc\xa0" ZWNJ, "\xe5\xbc\xa0", NULL, TD_TN_INVISIBLE },
    { "ZWJ next to a space", "a " ZWJ "b", "a b", NULL, TD_TN_INVISIBLE },
    { "two joiners in a row", "a" ZWJ ZWJ "b", "a" ZWJ "b", NULL, TD_TN_INVISIBLE },
    { "Hangul filler", "\xe3\x85\xa4", "", NULL, TD_TN_INVISIBLE },
    /* refused with a message (nothing stored) */
    { "ESC sequence", "\x1b[2Jx", NULL, NULL, 0 },
    { "OSC 52 clipboard", "\x1b]52;c;QUJD\x07", NULL, NULL, 0 },
    { "C1 CSI", "a\xc2\x9b" "1m", NULL, NULL, 0 },
    { "backspace", "ab\x08", NULL, NULL, 0 },
    { "DEL", "ab\x7f", NULL, NULL, 0 },
    { "invalid UTF-8", "\xf4\x90\x80\x80", NULL, NULL, 0 },
    { "lone continuation byte", "a\x80", NULL, NULL, 0 },
    { "overlong slash", "\xc0\xaf", NULL, NULL, 0 },
    { "surrogate half", "\xed\xa0\x80", NULL, NULL, 0 },
};

static void names_table(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const name_case *c = &cases[i];
        unsigned ch = 99;
        char *got = td_text_normalize_ex(c->input, &ch);
        if (!c->stored) {
            if (got) {
                fprintf(stderr, "%s: stored '%s', expected refusal\n", c->what, got);
                bad++;
            }
            free(got);
            continue;
        }
        if (!got || strcmp(got, c->stored) != 0) {
            fprintf(stderr, "%s: stored '%s', expected '%s'\n", c->what, got ? got : "(refused)", c->stored);
            bad++;
            free(got);
            continue;
        }
        if (ch != c->changes) {
            fprintf(stderr, "%s: changes %u, expected %u\n", c->what, ch, c->changes);
            bad++;
        }
        /* told: a sentence exactly when something changed */
        char msg[600];
        td_text_describe_changes(ch, msg, sizeof msg);
        if ((ch != 0) != (msg[0] != '\0')) {
            fprintf(stderr, "%s: message '%s' for changes %u\n", c->what, msg, ch);
            bad++;
        }
        /* shown: sanitising what is stored shows it as stored (nothing escaped) */
        char shown[1024];
        td_text_sanitize(got, shown, sizeof shown);
        const char *want = c->shown ? c->shown : c->stored;
        if (strcmp(shown, want) != 0) {
            fprintf(stderr, "%s: shown '%s', expected '%s'\n", c->what, shown, want);
            bad++;
        }
        if (!td_text_is_clean(got)) {
            fprintf(stderr, "%s: stored text not clean\n", c->what);
            bad++;
        }
        /* idempotent: normalising again changes nothing */
        unsigned ch2 = 99;
        char *again = td_text_normalize_ex(got, &ch2);
        if (!again || strcmp(again, got) != 0 || ch2 != 0) {
            fprintf(stderr, "%s: not idempotent\n", c->what);
            bad++;
        }
        free(again);
        free(got);
    }
    assert_int_equal(bad, 0);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = { cmocka_unit_test(names_table) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
