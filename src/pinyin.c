/* pinyin.c — see pinyin.h. */
#include "pinyin.h"

#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

static UTransliterator *translit(void)
{
    static UTransliterator *t;
    static bool tried;
    if (!tried) {
        tried = true;
        UErrorCode e = U_ZERO_ERROR;
        UChar id[64];
        u_uastrcpy(id, "Han-Latin/Names; Latin-ASCII; Lower");
        t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
        if (U_FAILURE(e))
            t = NULL;
    }
    return t;
}

static bool has_han(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        /* U+3400–U+9FFF start with E3 90 … E9 BF; supplementary ideographs with F0 A0–F0 B3 */
        if ((p[0] >= 0xE4 && p[0] <= 0xE9) || (p[0] == 0xE3 && p[1] >= 0x90) || (p[0] == 0xF0 && p[1] >= 0xA0))
            return true;
    }
    return false;
}

bool td_pinyin(const char *name, char *full, size_t full_len, char *initials, size_t ini_len)
{
    if (full_len)
        full[0] = '\0';
    if (ini_len)
        initials[0] = '\0';
    if (!name || !has_han(name) || full_len < 2 || ini_len < 2)
        return false;
    UTransliterator *t = translit();
    if (!t)
        return false;
    UChar buf[512];
    int32_t len = 0;
    UErrorCode e = U_ZERO_ERROR;
    u_strFromUTF8(buf, 256, &len, name, -1, &e);
    if (U_FAILURE(e))
        return false;
    int32_t limit = len;
    utrans_transUChars(t, buf, &len, 512, 0, &limit, &e);
    if (U_FAILURE(e))
        return false;
    char out[1024];
    u_strToUTF8(out, sizeof out, NULL, buf, len, &e);
    if (U_FAILURE(e))
        return false;
    /* syllables are separated by spaces; keep the ASCII letters of each */
    size_t f = 0, i = 0;
    bool start = true;
    for (const char *p = out; *p; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z') {
            if (start && i + 1 < ini_len)
                initials[i++] = c;
            if (f + 1 < full_len)
                full[f++] = c;
            start = false;
        } else {
            start = true;
        }
    }
    full[f] = '\0';
    initials[i] = '\0';
    return f > 0;
}
