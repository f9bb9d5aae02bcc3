/* namefold.c — see namefold.h.  Characters are folded one at a time and
 * cached (ICU transliteration costs tens of microseconds a call; a million
 * names at import would otherwise take minutes).  ICU's
 * Traditional-Simplified rules are per character for names. */
#include "namefold.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#define CACHE_SIZE 16384 /* open addressing */

typedef struct entry {
    uint32_t cp;  /* 0 = empty */
    uint32_t to;  /* folded code point (cp itself when unchanged) */
} entry;

static entry cache[CACHE_SIZE];

static UTransliterator *translit(void)
{
    static UTransliterator *t;
    static bool tried;
    if (!tried) {
        tried = true;
        UErrorCode e = U_ZERO_ERROR;
        UChar id[64];
        u_uastrcpy(id, "Traditional-Simplified");
        t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
        if (U_FAILURE(e))
            t = NULL;
    }
    return t;
}

static bool is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

static uint32_t fold_cp(uint32_t cp)
{
    if (!is_han(cp))
        return cp;
    uint32_t h = (cp * 2654435761u) & (CACHE_SIZE - 1);
    for (int probe = 0; probe < 32; probe++) {
        entry *e = &cache[(h + (uint32_t)probe) & (CACHE_SIZE - 1)];
        if (e->cp == cp)
            return e->to;
        if (e->cp == 0) {
            UTransliterator *t = translit();
            uint32_t to = cp;
            if (t) {
                UChar buf[16];
                int32_t n = 0;
                UErrorCode err = U_ZERO_ERROR;
                U16_APPEND_UNSAFE(buf, n, (UChar32)cp);
                int32_t limit = n;
                utrans_transUChars(t, buf, &n, 16, 0, &limit, &err);
                if (U_SUCCESS(err) && n > 0) {
                    UChar32 c;
                    int32_t i = 0;
                    U16_NEXT(buf, i, n, c);
                    if (i == n) /* one character in, one out */
                        to = (uint32_t)c;
                }
            }
            e->cp = cp;
            e->to = to;
            return to;
        }
    }
    return cp;
}

static int utf8_put(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool td_name_fold(const char *name, char *out, size_t len)
{
    if (!len)
        return false;
    out[0] = '\0';
    if (!name)
        return false;
    size_t o = 0;
    bool changed = false;
    const unsigned char *p = (const unsigned char *)name;
    while (*p) {
        uint32_t cp;
        int n;
        if (p[0] < 0x80) {
            cp = p[0], n = 1;
        } else if ((p[0] & 0xE0) == 0xC0 && p[1]) {
            cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu), n = 2;
        } else if ((p[0] & 0xF0) == 0xE0 && p[1] && p[2]) {
            cp = ((p[0] & 0xFu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu), n = 3;
        } else if ((p[0] & 0xF8) == 0xF0 && p[1] && p[2] && p[3]) {
            cp = ((p[0] & 7u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu), n = 4;
        } else { /* not UTF-8: copy the rest as it is */
            snprintf(out, len, "%s", name);
            return false;
        }
        uint32_t to = fold_cp(cp);
        char enc[4];
        int m = to == cp ? n : utf8_put(to, enc);
        if (o + (size_t)m + 1 > len)
            break;
        memcpy(out + o, to == cp ? (const char *)p : enc, (size_t)m);
        o += (size_t)m;
        changed |= to != cp;
        p += n;
    }
    out[o] = '\0';
    return changed;
}
