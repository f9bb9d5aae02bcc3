/* country.h — countries and regions (ISO 3166-1) by code or by name.
 *
 * The list and the English names come from Debian's iso-codes
 * (/usr/share/iso-codes/json/iso_3166-1.json), the Chinese names from its
 * zh_CN catalogue (/usr/share/locale/zh_CN/LC_MESSAGES/iso_3166-1.mo, read
 * directly so that lookups do not depend on the process locale).  Names the
 * catalogue lacks (中国香港, 中国台湾, 韩国 …) and which codes are regions of
 * China rather than countries (HKG, MAC, TWN) are data: data/countries.tdp.
 * Loaded once, on first use; read-only afterwards (safe from any thread).
 */
#ifndef TD_COUNTRY_H
#define TD_COUNTRY_H

#include "base/db.h"
#include "base/err.h"
#include "policy/policyfile.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct td_country {
    char alpha3[4];
    char alpha2[3];
    const char *name_en;   /* iso-codes "name" */
    const char *name_zh;   /* display name in Chinese: the data file's `display`, else the catalogue's */
    bool region;           /* a region of China (Hong Kong, Macau, Taiwan), not a country */
} td_country;

/* Resolves what a clerk or a spreadsheet wrote — "CHN", "cn", "156", "中国",
 * "中华人民共和国", "China", "People's Republic of China", "中国香港" — to the
 * alpha-3 code in out (4 bytes).  Case, surrounding spaces (also U+3000)
 * and a trailing "（…）" remark are ignored.  TD_EINVALID with a Chinese
 * message naming the value when it is unknown; TD_ENOTFOUND-free: when the
 * iso-codes files are missing, only well-formed alpha-3 codes are accepted
 * (and the message says that iso-codes is missing). */
td_status td_country_resolve(const char *input, char out[4], td_err *err);

/* The entry for an alpha-3 code (upper case), or NULL.  Static storage. */
const td_country *td_country_find(const char *alpha3);

/* All entries in iso-codes order; *n gets the count (0 when iso-codes is
 * missing).  Static storage. */
const td_country *td_country_all(size_t *n);

/* Up to max entries whose code, English or Chinese name contains query
 * (case-insensitive; "" matches all), China and its regions first.
 * Returns the number written to out. */
size_t td_country_search(const char *query, const td_country **out, size_t max);

/* Chinese display name for a code ("中国", "中国香港"), or the code itself
 * when unknown.  Static storage. */
const char *td_country_display(const char *alpha3);

/* Validates pf as countries.tdp: only [country CODE] sections, CODE a
 * 3-letter code iso-codes knows (any case; any 3 letters when iso-codes is
 * missing), not given twice; keys alias (repeatable), display and region
 * (yes|no, once each), none empty; no name that iso-codes already gives to
 * another code (alias = 美国 under [country gbr]) and no name given to two
 * codes in the file.  TD_OK, or TD_EPOLICY "countries.tdp:LINE: …". */
td_status td_country_data_check(const td_pf *pf, td_err *err);

/* Validates DIR/countries.tdp (td_country_data_check) and records it in
 * policy_versions (kind "countries"; the same content twice changes
 * nothing; a new version is audited on a station) in its own transaction
 * (the caller must not hold one).  A missing file is not an error. */
td_status td_countries_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err);

/* Makes the countries.tdp version in force in db the one the table is built
 * from (unless $TALENTDESK_COUNTRIES names a file).  Must come before the
 * first lookup of the process: returns false, changing nothing, when the
 * table was already built, when a version was already taken, or when db has
 * none (then the file under the data directory is used). */
bool td_country_use_db(td_db *db);

#endif
