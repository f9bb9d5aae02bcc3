/* pinyin.c — see pinyin.h.
 *
 * ICU transliteration costs tens of microseconds per call, too slow for a
 * million names, so each character is transliterated once and cached: the
 * first character with "Han-Latin/Names" (surname readings), the others with
 * "Han-Latin".  (ICU's Han-Latin reads characters one by one anyway.) */
#include "pinyin.h"

#include <stdint.h>
#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#define CACHE_SIZE 16384 /* per position kind; open addressing */

typedef struct entry {
    uint32_t cp;         /* 0 = empty */
    char syl[11];        /* toneless lower-case syllable, "" when none */
} entry;

static entry cache[2][CACHE_SIZE];

static UTransliterator *translit(int surname)
{
    static UTransliterator *t[2];
    static bool tried[2];
    if (!tried[surname]) {
        tried[surname] = true;
        UErrorCode e = U_ZERO_ERROR;
        UChar id[64];
        u_uastrcpy(id, surname ? "Han-Latin/Names; Latin-ASCII; Lower" : "Han-Latin; Latin-ASCII; Lower");
        t[surname] = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
        if (U_FAILURE(e))
            t[surname] = NULL;
    }
    return t[surname];
}

static bool is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

/* Variant forms ICU's Han-Latin has no reading for, read as the character
 * they are a variant of (Unihan kZVariant / kSemanticVariant).  A short
 * hand-kept list: ICU ships no variant transform and Debian no Unihan
 * package; 𠮷 (U+20BB7, the "tsuchiyoshi" 吉) is a common surname. */
static const struct { uint32_t cp, as; } variants[] = {
    { 0x20BB7, 0x5409 }, /* 𠮷 → 吉 jí */
};

/* The syllable of cp (cached); NULL when ICU has none. */
static const char *syllable(uint32_t cp, int surname)
{
    uint32_t h = (cp * 2654435761u) & (CACHE_SIZE - 1);
    for (int probe = 0; probe < 32; probe++) {
        entry *e = &cache[surname][(h + (uint32_t)probe) & (CACHE_SIZE - 1)];
        if (e->cp == cp)
            return e->syl[0] ? e->syl : NULL;
        if (e->cp == 0) {
            UTransliterator *t = translit(surname);
            if (!t)
                return NULL;
            UChar buf[64];
            int32_t len = 0;
            UErrorCode err = U_ZERO_ERROR;
            UChar32 c = (UChar32)cp;
            U16_APPEND_UNSAFE(buf, len, c);
            int32_t limit = len;
            utrans_transUChars(t, buf, &len, 64, 0, &limit, &err);
            for (size_t v = 0; U_SUCCESS(err) && v < sizeof variants / sizeof variants[0]; v++) {
                if (variants[v].cp != cp)
                    continue;
                len = 0; /* no reading of its own: read the variant's */
                U16_APPEND_UNSAFE(buf, len, (UChar32)variants[v].as);
                limit = len;
                utrans_transUChars(t, buf, &len, 64, 0, &limit, &err);
            }
            char out[64];
            u_strToUTF8(out, sizeof out, NULL, buf, len, &err);
            size_t n = 0;
            if (U_SUCCESS(err))
                for (const char *p = out; *p && n + 1 < sizeof e->syl; p++)
                    if (*p >= 'a' && *p <= 'z')
                        e->syl[n++] = *p;
            e->syl[n] = '\0';
            e->cp = cp;
            return n ? e->syl : NULL;
        }
    }
    return NULL; /* cache neighbourhood full: treat as no reading */
}

bool td_pinyin(const char *name, char *full, size_t full_len, char *initials, size_t ini_len)
{
    if (full_len)
        full[0] = '\0';
    if (ini_len)
        initials[0] = '\0';
    if (!name || full_len < 2 || ini_len < 2)
        return false;
    size_t f = 0, i = 0;
    bool any_han = false, first = true;
    const unsigned char *p = (const unsigned char *)name;
    while (*p) {
        uint32_t cp;
        int n;
        if (p[0] < 0x80) {
            cp = p[0];
            n = 1;
        } else if ((p[0] & 0xE0) == 0xC0 && p[1]) {
            cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
            n = 2;
        } else if ((p[0] & 0xF0) == 0xE0 && p[1] && p[2]) {
            cp = ((p[0] & 0xFu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
            n = 3;
        } else if ((p[0] & 0xF8) == 0xF0 && p[1] && p[2] && p[3]) {
            cp = ((p[0] & 7u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
            n = 4;
        } else {
            return false; /* not UTF-8 */
        }
        p += n;
        if (!is_han(cp)) {
            first = false;
            continue;
        }
        any_han = true;
        const char *s = syllable(cp, first ? 1 : 0);
        first = false;
        if (!s)
            continue;
        if (i + 1 < ini_len)
            initials[i++] = s[0];
        for (; *s && f + 1 < full_len; s++)
            full[f++] = *s;
    }
    full[f] = '\0';
    initials[i] = '\0';
    return any_han && f > 0;
}
