/* talentcode.h — the 人才服务码 (talent service code) and its QR code.
 *
 * A code is issued when a recognition is approved, and is shown by the talent
 * for every later service.  Its shape:
 *     <STATION>-XXXX-XXXC        e.g. CQ-7KQ4-M9XD
 * STATION is the issuing station's code (so offline stations never collide),
 * the X are 7 random characters from an alphabet without look-alikes
 * (23456789ABCDEFGHJKMNPQRSTUVWXYZ: no 0/O, 1/I/L), and C is an ISO/IEC 7064
 * MOD 37-2 check character computed over STATION and the X (separators
 * ignored).  MOD 37-2 detects every single mistyped character and every
 * transposition of two adjacent characters; codes whose check character would
 * be '*' or a look-alike are never issued, so every character of the random
 * part and the check is readable aloud.  Typed codes are normalised (case,
 * full-width forms, spaces and dashes) and validated everywhere they are
 * entered (td_talent_code_validate).
 *
 * QR rendering (libqrencode) is produced here as data — a module matrix, the
 * text of a half-block terminal rendering, PNG (libpng) and SVG files — and
 * drawn by the front ends.
 */
#ifndef TD_TALENTCODE_H
#define TD_TALENTCODE_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/uuid.h"

#include <stdbool.h>
#include <stddef.h>

#define TD_TALENT_CODE_LEN 32

/* The alphabet of the random part (31 characters). */
extern const char td_talent_code_alphabet[];

/* ISO/IEC 7064 MOD 37-2 check character ('0'–'9', 'A'–'Z' or '*') of s, which
 * must consist of 0-9 and A-Z only; '\0' when it does not. */
char td_mod37_2_check(const char *s);

/* Normalises a typed code: full-width forms folded, lower case raised,
 * spaces, dashes (ASCII and full-width/CJK) removed.  Returns false when the
 * result is empty, too long, or holds a character outside 0-9A-Z. */
bool td_talent_code_normalize(const char *typed, char out[TD_TALENT_CODE_LEN]);

/* Validates a typed code: shape (station 2–8 characters + 8) and check
 * character.  On success out (may be NULL) gets the normalised form.
 * TD_EINVALID with a clear Chinese message otherwise ("人才服务码校验位不符，
 * 请核对后重新输入"). */
td_status td_talent_code_validate(const char *typed, char out[TD_TALENT_CODE_LEN], td_err *err);

/* Display form "CQ-7KQ4-M9XD" of a normalised code. */
void td_talent_code_format(const char *norm, char out[TD_TALENT_CODE_LEN + 4]);

/* Makes a fresh random code for station_code (normalised form; not stored).
 * TD_EINVALID when the station code is not 2–8 characters of A-Z0-9. */
td_status td_talent_code_make(const char *station_code, char out[TD_TALENT_CODE_LEN], td_err *err);

/* The approval effect: issues the case's 人才服务码.  MUST be called inside
 * the caller's open write transaction (it neither begins nor commits).  The
 * acting user must be an approver or admin.  Takes the tier from the case's
 * latest score snapshot (TD_EINVALID when the case was never scored, or its
 * tier is "none" or not a 金凤凰 tier of the tiers table), stores the code in
 * talent_codes (unique; retried on the rare collision), sets cases.talent_code
 * and cases.tier_id (updated_at, row_version + 1 — call it after the
 * transition's own guarded UPDATE of the case), and audits
 * "talent_code.issue".  When the case already has a code, returns TD_OK with
 * that code and changes nothing.  code_out gets the display form. */
td_status td_talent_code_issue(td_db *db, const td_actor *by, const char *case_id, char code_out[32],
                               td_err *err);

typedef struct td_talent_code_info {
    char code[TD_TALENT_CODE_LEN + 4];   /* display form */
    char case_id[TD_UUID_LEN];
    char case_no[32];
    char person_id[TD_UUID_LEN];
    char person_name[256];
    char tier_id[16];
    char tier_name[64];
    char snapshot_id[TD_UUID_LEN];
    char issued_at[25];
    bool revoked;
} td_talent_code_info;

/* Validates a typed code and looks it up.  TD_EINVALID for a mistyped code,
 * TD_ENOTFOUND for a well-formed code this database does not know. */
td_status td_talent_code_lookup(td_db *db, const char *typed, td_talent_code_info *out, td_err *err);

/* The code issued for a case (by id or case number).  TD_ENOTFOUND when none.
 * Internal to the core: front ends call td_talent_code_of_case_as. */
td_status td_talent_code_of_case(td_db *db, const char *case_key, td_talent_code_info *out,
                                 td_err *err);

/* td_talent_code_of_case for the signed-in user a (role and record scope of
 * the case first: TD_EDENIED, audited). */
td_status td_talent_code_of_case_as(td_db *db, const td_actor *a, const char *case_key,
                                    td_talent_code_info *out, td_err *err);

/* ---- QR ---------------------------------------------------------------- */

typedef struct td_qr {
    int width;               /* modules per side (21 + 4 × (version − 1)) */
    int version;
    unsigned char *dark;     /* width × width, 1 = dark module (owned) */
} td_qr;

/* Encodes text (error-correction level M).  TD_EINVALID when too long. */
td_status td_qr_make(const char *text, td_qr *out, td_err *err);
void td_qr_free(td_qr *qr);

/* Half-block rendering with a 2-module quiet zone: each text line shows two
 * module rows with ' ', '▀', '▄', '█'.  By default the blocks draw the light
 * modules (for the usual light-on-dark terminal); invert draws the dark ones.
 * Returns a malloc'd UTF-8 string of lines ending in '\n' (caller frees). */
char *td_qr_halfblock(const td_qr *qr, bool invert);

/* Writes a PNG (8-bit grey, `scale` pixels per module, 4-module quiet zone)
 * or an SVG file.  TD_EIO when the file cannot be written. */
td_status td_qr_write_png(const td_qr *qr, const char *path, int scale, td_err *err);
td_status td_qr_write_svg(const td_qr *qr, const char *path, int scale, td_err *err);

#endif
