/* fuzz_idcheck.c — libFuzzer target: the identity-number and mobile
 * validators (src/people/idcheck.h) on arbitrary text.  Checks, beyond "no crash":
 *  - a number accepted is accepted again in its normalised form, unchanged
 *    (normalisation is idempotent);
 *  - an accepted resident ID has 18 characters whose last one is the
 *    GB 11643 check character of the first 17, and a real birth date;
 *  - an accepted mobile is 11 digits 1[3-9]…. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "people/idcheck.h"
#include "base/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    td_err err;
    char norm[TD_IDNO_LEN], again[TD_IDNO_LEN];
    for (int t = 0; t < TD_ID_COUNT; t++) {
        if (td_id_validate((td_id_type)t, s, norm, &err) == TD_OK) {
            if (td_id_validate((td_id_type)t, norm, again, &err) != TD_OK || strcmp(norm, again) != 0)
                abort();
            char masked[TD_IDNO_LEN];
            td_id_mask(norm, masked);
            if (strlen(masked) != strlen(norm))
                abort();
        }
    }
    td_date birth;
    bool male;
    if (td_id_resident(s, norm, &birth, &male, &err) == TD_OK) {
        if (strlen(norm) != 18 || td_id_check_char(norm) != norm[17])
            abort();
        if (!td_date_valid(birth.y, birth.m, birth.d))
            abort();
        if (((norm[16] - '0') % 2 == 1) != male)
            abort();
    }
    if (td_phone_validate(s, norm, &err) == TD_OK) {
        if (strlen(norm) != 11 || norm[0] != '1' || norm[1] < '3' || norm[1] > '9')
            abort();
    }
    td_id_type guess;
    (void)td_id_guess_type(s, &guess);
    (void)td_icao_check_digit(s);
    if (size >= 17)
        (void)td_id_check_char(s);
    free(s);
    return 0;
}
