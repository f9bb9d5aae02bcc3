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

#include "base/err.h"

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

#endif
