/* idcheck.h — identity document numbers met at the counter.
 *
 * Each validator normalises what a clerk typed (trims spaces, folds
 * full-width digits and letters typed through an input method, upper-cases
 * letters) into `norm` and returns TD_OK, or TD_EINVALID with a clear Chinese
 * message in err naming what is wrong ("校验位错误，应为 X", "出生日期不存在",
 * …).  norm must have room for TD_IDNO_LEN bytes; on error it holds the
 * normalised attempt.  Reference: ../shared/docs/pitfalls.md "Identity
 * numbers", GB 11643-1999, ICAO 9303.
 */
#ifndef TD_IDCHECK_H
#define TD_IDCHECK_H

#include "base/err.h"
#include "base/timeutil.h"

#include <stdbool.h>

#define TD_IDNO_LEN 40

typedef enum td_id_type {
    TD_ID_RESIDENT = 0,  /* 居民身份证 (GB 11643), 18 chars; 15-digit upgraded */
    TD_ID_HMT_PERMIT,    /* 港澳台居民居住证: area 810000/820000/830000 */
    TD_ID_FOREIGN_PR,    /* 外国人永久居留身份证: 2023 format (9…) or old (3 letters+12 digits) */
    TD_ID_HKMO_PASS,     /* 港澳居民来往内地通行证: H/M + 8 digits (+2) */
    TD_ID_PASSPORT,      /* passport (Chinese E + 8, or foreign shape) */
    TD_ID_COUNT
} td_id_type;

/* Code stored in persons.id_type ("resident", "hmt_permit", "foreign_pr",
 * "hkmo_pass", "passport") and its translated display name.  Static storage. */
const char *td_id_type_code(td_id_type t);
const char *td_id_type_name(td_id_type t);

/* Parses a code as stored (also accepts the Chinese display name).  Returns
 * false for an unknown code. */
bool td_id_type_parse(const char *code, td_id_type *out);

/* The ISO 7064 MOD 11-2 check character for the first 17 characters of an
 * 18-character number ('0'..'9' or 'X'), or '\0' when they are not digits. */
char td_id_check_char(const char *first17);

/* Validates a number of the given type (see above).  */
td_status td_id_validate(td_id_type type, const char *input, char norm[TD_IDNO_LEN], td_err *err);

/* Resident ID (also used for residence permits and the 2023 PR card, which
 * share the 18-character format).  A 15-digit first-generation number is
 * upgraded to 18 (century 19, check character added).  On success fills
 * *birth and *male when those pointers are not NULL. */
td_status td_id_resident(const char *input, char norm[TD_IDNO_LEN], td_date *birth, bool *male,
                         td_err *err);

/* Guesses the type of a number from its shape (18 digits with area 81/82/83 →
 * HMT permit, leading 9 → foreign PR, H/M + 8 digits → HK/MO pass, …).
 * Returns false when nothing fits. */
bool td_id_guess_type(const char *input, td_id_type *out);

/* Mainland mobile number: strips spaces, dashes and a +86 / 0086 prefix,
 * requires 1[3-9] + 9 digits.  norm gets the 11 digits. */
td_status td_phone_validate(const char *input, char norm[TD_IDNO_LEN], td_err *err);

/* ICAO 9303 check digit (weights 7-3-1; '<' = 0, A=10 … Z=35) of s;
 * -1 when s holds a character outside [0-9A-Z<]. */
int td_icao_check_digit(const char *s);

/* ---- units: 统一社会信用代码 (GB 32100-2015) ---- */
#define TD_USCC_LEN 19

/* The check character (GB 32100: weights 3^i mod 31 over the 31-character set
 * 0-9 A-H J-N P-R T U W-Y) for the first 17 characters, or '\0' when one is
 * outside the set. */
char td_uscc_check_char(const char *first17);

/* Validates a unified social credit code as typed (spaces dropped,
 * full-width and lower-case folded): 18 characters of the set, characters
 * 3–8 digits (the area), the check character right.  norm (may be NULL) gets
 * the 18 characters.  TD_EINVALID with a Chinese message otherwise. */
td_status td_uscc_validate(const char *input, char norm[TD_USCC_LEN], td_err *err);

/* Masks a number for display: keeps the first 3 and last 4 characters of a
 * resident ID ("110***********002X"), the first and last 2 of others.  out has
 * room for TD_IDNO_LEN bytes. */
void td_id_mask(const char *norm, char out[TD_IDNO_LEN]);

#endif
