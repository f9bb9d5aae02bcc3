/* idcheck.c — see idcheck.h.
 *
 * Every validator works on a normalised copy of what was typed (see
 * normalise()): whitespace of any kind dropped, full-width digits and letters
 * folded to ASCII, letters upper-cased, anything else kept as one "character"
 * so that positions in messages match what the clerk sees.  Invalid UTF-8 and
 * control characters become '?' so that norm never carries them.
 */
#include "idcheck.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- normalisation ------------------------------------------------------ */

typedef struct idnorm {
    char s[TD_IDNO_LEN]; /* normalised text, cut on a character boundary */
    size_t bytes;        /* strlen(s) */
    int nchars;          /* characters after normalisation (all of them, even past s) */
    char ascii[TD_IDNO_LEN]; /* one byte per character: [0-9A-Z] or '?' for anything else */
} idnorm;

/* Length in bytes of the UTF-8 sequence starting at p (1 for an invalid
 * byte), and whether it is a valid, non-control character. */
static size_t utf8_len(const unsigned char *p, bool *ok)
{
    *ok = true;
    if (p[0] < 0x80) {
        if (p[0] < 0x20 || p[0] == 0x7F)
            *ok = false;
        return 1;
    }
    size_t n;
    unsigned min;
    unsigned cp;
    if ((p[0] & 0xE0) == 0xC0) {
        n = 2, cp = p[0] & 0x1Fu, min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        n = 3, cp = p[0] & 0x0Fu, min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        n = 4, cp = p[0] & 0x07u, min = 0x10000;
    } else {
        *ok = false;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *ok = false;
            return 1;
        }
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0)) {
        *ok = false;
        return 1;
    }
    return n;
}

/* Whitespace and invisible characters that copy and paste bring along. */
static size_t space_len(const unsigned char *p)
{
    if (p[0] == ' ' || p[0] == '\t' || p[0] == '\n' || p[0] == '\r' || p[0] == '\v' || p[0] == '\f')
        return 1;
    if (p[0] == 0xC2 && p[1] == 0xA0) /* U+00A0 no-break space */
        return 2;
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) /* U+3000 ideographic space */
        return 3;
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x8B || p[2] == 0x8C || p[2] == 0x8D))
        return 3; /* U+200B..200D zero-width space / joiners */
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0xA0) /* U+2060 word joiner */
        return 3;
    if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) /* U+FEFF BOM */
        return 3;
    return 0;
}

/* Dashes an input method produces for '-' (U+2010..2015, U+2212). */
static bool is_dash(const unsigned char *p)
{
    return (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95) ||
           (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92);
}

/* Folds one full-width ASCII character (U+FF01..FF5E) to ASCII; 0 if p is
 * not one. */
static char fold_fullwidth(const unsigned char *p)
{
    if (p[0] != 0xEF)
        return 0;
    if (p[1] == 0xBC && p[2] >= 0x81 && p[2] <= 0xBF)
        return (char)(0x21 + (p[2] - 0x81)); /* U+FF01..FF3F */
    if (p[1] == 0xBD && p[2] >= 0x80 && p[2] <= 0x9E)
        return (char)(0x60 + (p[2] - 0x80)); /* U+FF40..FF5E */
    return 0;
}

static void append(idnorm *n, const char *bytes, size_t len, char ascii)
{
    if (n->bytes + len < sizeof n->s) {
        memcpy(n->s + n->bytes, bytes, len);
        n->bytes += len;
        n->s[n->bytes] = '\0';
    }
    if ((size_t)n->nchars < sizeof n->ascii - 1) {
        n->ascii[n->nchars] = ascii;
        n->ascii[n->nchars + 1] = '\0';
    }
    n->nchars++;
}

/* Normalises input (NULL counts as empty).  When keep_punct is true, the
 * characters "+-" (and the dashes of is_dash) are kept as such in ascii[]
 * (for phone numbers);
 * otherwise every character outside [0-9A-Z] maps to '?' there. */
static void normalise(const char *input, idnorm *n, bool keep_punct)
{
    memset(n, 0, sizeof *n);
    if (!input)
        return;
    const unsigned char *p = (const unsigned char *)input;
    while (*p) {
        size_t sp = space_len(p);
        if (sp) {
            p += sp;
            continue;
        }
        char c = fold_fullwidth(p);
        size_t len;
        bool ok = true;
        if (c) {
            len = 3;
        } else if (keep_punct && is_dash(p)) {
            c = '-';
            len = 3;
        } else {
            len = utf8_len(p, &ok);
            c = len == 1 && ok ? (char)p[0] : 0;
        }
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c) {
            bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                         (keep_punct && (c == '+' || c == '-'));
            append(n, &c, 1, plain ? c : '?');
        } else if (!ok) {
            append(n, "?", 1, '?');
        } else {
            append(n, (const char *)p, len, '?');
        }
        p += len;
    }
}

static void copy_norm(char norm[TD_IDNO_LEN], const char *s)
{
    if (!norm)
        return;
    snprintf(norm, TD_IDNO_LEN, "%s", s);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* ---- types ------------------------------------------------------------- */

static const struct {
    const char *code;
    const char *name;      /* English msgid */
    const char *aliases[4]; /* Chinese names and common short forms accepted by parse */
} TYPES[TD_ID_COUNT] = {
    [TD_ID_RESIDENT] = { "resident", N_("Resident ID card"), { "居民身份证", "身份证", "公民身份号码", NULL } },
    [TD_ID_HMT_PERMIT] = { "hmt_permit", N_("HK/Macau/Taiwan residence permit"),
                           { "港澳台居民居住证", "港澳台居住证", NULL, NULL } },
    [TD_ID_FOREIGN_PR] = { "foreign_pr", N_("Foreigner permanent residence ID"),
                           { "外国人永久居留身份证", "外国人永久居留证", "永居证", NULL } },
    [TD_ID_HKMO_PASS] = { "hkmo_pass", N_("Mainland travel permit for HK/Macau residents"),
                          { "港澳居民来往内地通行证", "回乡证", NULL, NULL } },
    [TD_ID_PASSPORT] = { "passport", N_("Passport (Chinese or foreign)"), { "护照", NULL, NULL, NULL } },
};

const char *td_id_type_code(td_id_type t)
{
    if ((int)t < 0 || t >= TD_ID_COUNT)
        return "";
    return TYPES[t].code;
}

const char *td_id_type_name(td_id_type t)
{
    if ((int)t < 0 || t >= TD_ID_COUNT)
        return _("Unknown kind of identity document");
    return _(TYPES[t].name);
}

bool td_id_type_parse(const char *code, td_id_type *out)
{
    if (!code)
        return false;
    while (*code == ' ')
        code++;
    size_t len = strlen(code);
    while (len && code[len - 1] == ' ')
        len--;
    if (len == 0)
        return false;
    for (int t = 0; t < TD_ID_COUNT; t++) {
        const char *cands[8] = { TYPES[t].code, TYPES[t].name, _(TYPES[t].name) };
        int nc = 3;
        for (int a = 0; a < 4 && TYPES[t].aliases[a]; a++)
            cands[nc++] = TYPES[t].aliases[a];
        for (int i = 0; i < nc; i++) {
            if (strlen(cands[i]) == len && strncasecmp(cands[i], code, len) == 0) {
                if (out)
                    *out = (td_id_type)t;
                return true;
            }
        }
    }
    return false;
}

/* ---- GB 11643 ------------------------------------------------------------ */

char td_id_check_char(const char *first17)
{
    static const int W[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    if (!first17)
        return '\0';
    int s = 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(first17[i]))
            return '\0';
        s += (first17[i] - '0') * W[i];
    }
    return "10X98765432"[s % 11];
}

/* Province-level area codes of GB/T 2260 (first two digits). */
static bool province_ok(int code, bool allow_hmt)
{
    if ((code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
        (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
        code == 71)
        return true;
    return allow_hmt && (code == 81 || code == 82 || code == 83);
}

static bool is_hmt_area(const char *s)
{
    return (s[0] == '8' && (s[1] == '1' || s[1] == '2' || s[1] == '3')) && memcmp(s + 2, "0000", 4) == 0;
}

enum kind {
    K_ANY,    /* td_id_resident: any number in the 18-character format */
    K_RES,    /* resident ID proper */
    K_HMT,    /* HK/Macau/Taiwan residence permit */
    K_PR_NEW, /* 2023 foreigner permanent residence ID */
};

static const char *noun(enum kind k)
{
    switch (k) {
    case K_HMT: return _("The residence permit number");
    case K_PR_NEW: return _("The permanent residence ID number");
    default: return _("The ID number");
    }
}

static int d2(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

/* Validates the 18-character format (GB 11643 shape, optionally upgraded
 * from 15 digits) for the given kind.  n is the normalised input. */
static td_status check18(enum kind k, const idnorm *n, char norm[TD_IDNO_LEN], td_date *birth, bool *male,
                         td_err *err)
{
    copy_norm(norm, n->s);
    const char *what = noun(k);
    if (n->nchars == 0)
        return td_err_set(err, TD_EINVALID, _("%s has not been entered"), what);
    bool allow15 = (k == K_ANY || k == K_RES);
    if (n->nchars != 18 && !(allow15 && n->nchars == 15)) {
        if (allow15)
            return td_err_set(err, TD_EINVALID,
                              _("%s must have 18 characters (or 15 for an old number), got %d"), what,
                              n->nchars);
        return td_err_set(err, TD_EINVALID, _("%s must have 18 characters, got %d"), what, n->nchars);
    }
    const char *a = n->ascii;
    int ndig = n->nchars == 18 ? 17 : 15;
    for (int i = 0; i < ndig; i++)
        if (!is_digit(a[i]))
            return td_err_set(err, TD_EINVALID, _("%s: character %d must be a digit"), what, i + 1);
    if (n->nchars == 18 && !is_digit(a[17]) && a[17] != 'X')
        return td_err_set(err, TD_EINVALID, _("%s: the last character must be a digit or X"), what);

    char s[19];
    if (n->nchars == 15) {
        memcpy(s, a, 6);
        memcpy(s + 6, "19", 2);
        memcpy(s + 8, a + 6, 9);
        s[17] = td_id_check_char(s);
        s[18] = '\0';
    } else {
        memcpy(s, a, 18);
        s[18] = '\0';
    }

    /* Area. */
    switch (k) {
    case K_HMT:
        if (!is_hmt_area(s))
            return td_err_set(err, TD_EINVALID,
                              _("A Hong Kong/Macau/Taiwan residence permit number must begin with 810000 "
                                "(Hong Kong), 820000 (Macau) or 830000 (Taiwan)"));
        break;
    case K_PR_NEW:
        if (s[0] != '9')
            return td_err_set(err, TD_EINVALID,
                              _("A permanent residence ID number in the 2023 format must begin with 9"));
        break;
    case K_RES:
        if (s[0] == '9' && n->nchars == 18)
            return td_err_set(err, TD_EINVALID,
                              _("This is a foreigner permanent residence ID number; choose that document "
                                "type"));
        if (is_hmt_area(s) && n->nchars == 18)
            return td_err_set(err, TD_EINVALID,
                              _("This is a Hong Kong/Macau/Taiwan residence permit number; choose that "
                                "document type"));
        if (!province_ok(d2(s), false))
            return td_err_set(err, TD_EINVALID,
                              _("%s: the first two digits %.2s are not a province code"), what, s);
        break;
    case K_ANY:
        if (s[0] == '9' && n->nchars == 18)
            break; /* 2023 permanent residence ID */
        if (!province_ok(d2(s), n->nchars == 18))
            return td_err_set(err, TD_EINVALID,
                              _("%s: the first two digits %.2s are not a province code"), what, s);
        break;
    }

    /* Birth date. */
    int y = d2(s + 6) * 100 + d2(s + 8), m = d2(s + 10), d = d2(s + 12);
    if (y < 1800)
        return td_err_set(err, TD_EINVALID, _("%s: birth year %d is too early"), what, y);
    if (!td_date_valid(y, m, d))
        return td_err_set(err, TD_EINVALID, _("%s: birth date %04d-%02d-%02d does not exist"), what, y,
                          m, d);
    td_date bd = { y, m, d };
    if (td_date_cmp(bd, td_today()) > 0)
        return td_err_set(err, TD_EINVALID, _("%s: birth date %04d-%02d-%02d is in the future"), what,
                          y, m, d);

    /* Check character. */
    char want = td_id_check_char(s);
    if (s[17] != want)
        return td_err_set(err, TD_EINVALID,
                          _("%s: wrong check character: the last character should be %c"), what, want);

    copy_norm(norm, s);
    if (birth)
        *birth = bd;
    if (male)
        *male = (s[16] - '0') % 2 == 1;
    td_err_clear(err);
    return TD_OK;
}

td_status td_id_resident(const char *input, char norm[TD_IDNO_LEN], td_date *birth, bool *male, td_err *err)
{
    idnorm n;
    normalise(input, &n, false);
    return check18(K_ANY, &n, norm, birth, male, err);
}

/* ---- other documents ------------------------------------------------------- */

static td_status foreign_pr(const idnorm *n, char norm[TD_IDNO_LEN], td_err *err)
{
    copy_norm(norm, n->s);
    if (n->nchars == 0)
        return td_err_set(err, TD_EINVALID, _("%s has not been entered"), noun(K_PR_NEW));
    if (is_upper(n->ascii[0])) {
        /* Old card (2004/2017): 3 letters (nationality) + 12 digits. */
        bool shape = n->nchars == 15;
        for (int i = 0; shape && i < 15; i++)
            shape = i < 3 ? is_upper(n->ascii[i]) : is_digit(n->ascii[i]);
        if (!shape)
            return td_err_set(err, TD_EINVALID,
                              _("An old permanent residence ID number must be 3 letters followed by 12 "
                                "digits (15 characters), got %d characters"),
                              n->nchars);
        td_err_clear(err);
        return TD_OK;
    }
    if (n->nchars != 18)
        return td_err_set(err, TD_EINVALID,
                          _("A permanent residence ID number must have 18 characters beginning with 9 (old "
                            "cards: 3 letters followed by 12 digits), got %d"),
                          n->nchars);
    return check18(K_PR_NEW, n, norm, NULL, NULL, err);
}

static td_status hkmo_pass(const idnorm *n, char norm[TD_IDNO_LEN], td_err *err)
{
    copy_norm(norm, n->s);
    const char *what = _("The travel permit number");
    if (n->nchars == 0)
        return td_err_set(err, TD_EINVALID, _("%s has not been entered"), what);
    if (n->ascii[0] != 'H' && n->ascii[0] != 'M')
        return td_err_set(err, TD_EINVALID,
                          _("A Mainland travel permit number must begin with H (Hong Kong) or M (Macau)"));
    if (n->nchars != 9 && n->nchars != 11)
        return td_err_set(err, TD_EINVALID,
                          _("A Mainland travel permit number must be H or M followed by 8 digits (and "
                            "optionally a 2-digit reissue count), got %d characters"),
                          n->nchars);
    for (int i = 1; i < n->nchars; i++)
        if (!is_digit(n->ascii[i]))
            return td_err_set(err, TD_EINVALID, _("%s: character %d must be a digit"), what, i + 1);
    td_err_clear(err);
    return TD_OK;
}

static td_status passport(const idnorm *n, char norm[TD_IDNO_LEN], td_err *err)
{
    copy_norm(norm, n->s);
    const char *what = _("The passport number");
    if (n->nchars == 0)
        return td_err_set(err, TD_EINVALID, _("%s has not been entered"), what);
    if (n->nchars < 5 || n->nchars > 17)
        return td_err_set(err, TD_EINVALID,
                          _("A passport number must have 5 to 17 letters and digits, got %d"), n->nchars);
    bool digit = false;
    for (int i = 0; i < n->nchars; i++) {
        char c = n->ascii[i];
        if (!is_digit(c) && !is_upper(c))
            return td_err_set(err, TD_EINVALID, _("%s: character %d must be a letter or digit"), what,
                              i + 1);
        digit |= is_digit(c);
    }
    if (!digit)
        return td_err_set(err, TD_EINVALID, _("A passport number must contain digits"));
    td_err_clear(err);
    return TD_OK;
}

td_status td_id_validate(td_id_type type, const char *input, char norm[TD_IDNO_LEN], td_err *err)
{
    idnorm n;
    normalise(input, &n, false);
    switch (type) {
    case TD_ID_RESIDENT: return check18(K_RES, &n, norm, NULL, NULL, err);
    case TD_ID_HMT_PERMIT: return check18(K_HMT, &n, norm, NULL, NULL, err);
    case TD_ID_FOREIGN_PR: return foreign_pr(&n, norm, err);
    case TD_ID_HKMO_PASS: return hkmo_pass(&n, norm, err);
    case TD_ID_PASSPORT: return passport(&n, norm, err);
    default:
        copy_norm(norm, n.s);
        return td_err_set(err, TD_EINVALID, _("Unknown kind of identity document"));
    }
}

/* ---- guessing ------------------------------------------------------------ */

static bool all_digits(const char *s, int from, int to)
{
    for (int i = from; i < to; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

bool td_id_guess_type(const char *input, td_id_type *out)
{
    idnorm n;
    normalise(input, &n, false);
    const char *a = n.ascii;
    td_id_type t;
    if (n.nchars == 18 && all_digits(a, 0, 17) && (is_digit(a[17]) || a[17] == 'X')) {
        if (a[0] == '9')
            t = TD_ID_FOREIGN_PR;
        else if (a[0] == '8' && (a[1] == '1' || a[1] == '2' || a[1] == '3'))
            t = TD_ID_HMT_PERMIT;
        else
            t = TD_ID_RESIDENT;
    } else if (n.nchars == 15 && all_digits(a, 0, 15)) {
        t = TD_ID_RESIDENT;
    } else if (n.nchars == 15 && is_upper(a[0]) && is_upper(a[1]) && is_upper(a[2]) && all_digits(a, 3, 15)) {
        t = TD_ID_FOREIGN_PR;
    } else if ((n.nchars == 9 || n.nchars == 11) && (a[0] == 'H' || a[0] == 'M') &&
               all_digits(a, 1, n.nchars)) {
        t = TD_ID_HKMO_PASS;
    } else if (n.nchars >= 10 && all_digits(a, 0, n.nchars - 1) &&
               (is_digit(a[n.nchars - 1]) || a[n.nchars - 1] == 'X')) {
        /* Only digits, too long for a usual passport: most likely a resident
         * ID with a digit missing or doubled (13..20 characters), which the
         * validator will then report; anything else is left to the clerk. */
        if (n.nchars < 13 || n.nchars > 20)
            return false;
        t = TD_ID_RESIDENT;
    } else if (n.nchars >= 5 && n.nchars <= 17) {
        bool digit = false;
        for (int i = 0; i < n.nchars; i++) {
            if (!is_digit(a[i]) && !is_upper(a[i]))
                return false;
            digit |= is_digit(a[i]);
        }
        if (!digit)
            return false;
        t = TD_ID_PASSPORT;
    } else {
        return false;
    }
    if (out)
        *out = t;
    return true;
}

/* ---- phone ----------------------------------------------------------------- */

td_status td_phone_validate(const char *input, char norm[TD_IDNO_LEN], td_err *err)
{
    idnorm n;
    normalise(input, &n, true);
    copy_norm(norm, n.s);
    if (n.nchars == 0)
        return td_err_set(err, TD_EINVALID, _("The mobile number is empty"));
    /* Drop dashes (spaces are gone already), then the country prefix. */
    char d[TD_IDNO_LEN];
    int nd = 0;
    for (int i = 0; i < n.nchars && i < TD_IDNO_LEN - 1; i++)
        if (n.ascii[i] != '-')
            d[nd++] = n.ascii[i];
    d[nd] = '\0';
    const char *p = d;
    if (d[0] == '+') {
        if (strncmp(d, "+86", 3) != 0)
            return td_err_set(err, TD_EINVALID, _("Only mainland China mobile numbers (+86) are accepted"));
        p += 3;
    } else if (strncmp(d, "00", 2) == 0) {
        if (strncmp(d, "0086", 4) != 0)
            return td_err_set(err, TD_EINVALID, _("Only mainland China mobile numbers (+86) are accepted"));
        p += 4;
    }
    int len = (int)strlen(p);
    if (n.nchars >= TD_IDNO_LEN - 1)
        len = n.nchars; /* far too long: report the length typed */
    for (int i = 0; p[i]; i++)
        if (!is_digit(p[i]))
            return td_err_set(err, TD_EINVALID,
                              _("A mobile number may contain only digits, spaces, dashes and a +86 prefix"));
    if (len != 11)
        return td_err_set(err, TD_EINVALID, _("A mobile number must have 11 digits, got %d"), len);
    if (p[0] != '1' || p[1] < '3')
        return td_err_set(err, TD_EINVALID, _("A mainland mobile number must begin with 13 to 19"));
    copy_norm(norm, p);
    td_err_clear(err);
    return TD_OK;
}

/* ---- ICAO 9303 ------------------------------------------------------------- */

int td_icao_check_digit(const char *s)
{
    static const int W[3] = { 7, 3, 1 };
    if (!s)
        return -1;
    int sum = 0;
    for (size_t i = 0; s[i]; i++) {
        int v;
        char c = s[i];
        if (is_digit(c))
            v = c - '0';
        else if (is_upper(c))
            v = c - 'A' + 10;
        else if (c == '<')
            v = 0;
        else
            return -1;
        sum = (sum + v * W[i % 3]) % 10;
    }
    return sum;
}

/* ---- masking --------------------------------------------------------------- */

/* Beyond the header's rule: 15-digit first-generation IDs keep 3 + 4 like
 * 18-character ones; other numbers shorter than 7 characters keep only the
 * first (3..6 characters) or nothing (under 3), so that at least half is
 * hidden.  Anything not [0-9A-Z] is shown as '*', so the result is plain ASCII
 * of the same number of characters (at most TD_IDNO_LEN - 1). */
void td_id_mask(const char *norm, char out[TD_IDNO_LEN])
{
    out[0] = '\0';
    if (!norm)
        return;
    idnorm n;
    normalise(norm, &n, false);
    int len = n.nchars < TD_IDNO_LEN - 1 ? n.nchars : TD_IDNO_LEN - 1;
    const char *a = n.ascii;
    int head, tail;
    if (len == 18 && all_digits(a, 0, 17) && (is_digit(a[17]) || a[17] == 'X'))
        head = 3, tail = 4;
    else if (len == 15 && all_digits(a, 0, 15))
        head = 3, tail = 4; /* first-generation resident ID */
    else if (len >= 7)
        head = 2, tail = 2;
    else if (len >= 3)
        head = 1, tail = 0;
    else
        head = 0, tail = 0;
    for (int i = 0; i < len; i++) {
        bool keep = i < head || i >= len - tail;
        /* '?' stands for anything unusual, which is never shown */
        out[i] = keep && a[i] != '?' ? a[i] : '*';
    }
    out[len] = '\0';
}

/* ---- 统一社会信用代码 (GB 32100-2015) ------------------------------------- */

static const char USCC_CHARS[] = "0123456789ABCDEFGHJKLMNPQRTUWXY"; /* no I, O, S, V, Z */

char td_uscc_check_char(const char *first17)
{
    static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        const char *p = first17[i] ? strchr(USCC_CHARS, first17[i]) : NULL;
        if (!p)
            return '\0';
        sum += (int)(p - USCC_CHARS) * w[i];
    }
    int c = 31 - sum % 31;
    return USCC_CHARS[c == 31 ? 0 : c];
}

td_status td_uscc_validate(const char *input, char norm[TD_USCC_LEN], td_err *err)
{
    if (norm)
        norm[0] = '\0';
    idnorm n;
    normalise(input, &n, false);
    if (n.nchars == 0)
        return td_err_set(err, TD_EINVALID, "%s", _("the unified social credit code is required"));
    if (n.nchars != 18)
        return td_err_set(err, TD_EINVALID,
                          _("a unified social credit code has 18 characters, this one has %d"), n.nchars);
    for (int i = 0; i < 18; i++) {
        if (n.ascii[i] == '?' || !strchr(USCC_CHARS, n.ascii[i]))
            return td_err_set(err, TD_EINVALID,
                              _("character %d of the unified social credit code is not allowed "
                                "(digits and capital letters except I, O, S, V, Z)"),
                              i + 1);
    }
    if (!all_digits(n.ascii, 2, 8))
        return td_err_set(err, TD_EINVALID, "%s",
                          _("characters 3 to 8 of the unified social credit code must be the area code (digits)"));
    char c = td_uscc_check_char(n.ascii);
    if (c != n.ascii[17])
        return td_err_set(err, TD_EINVALID,
                          _("the check character of the unified social credit code is wrong (GB 32100): "
                            "please check the code"));
    if (norm)
        memcpy(norm, n.ascii, 19);
    return TD_OK;
}
