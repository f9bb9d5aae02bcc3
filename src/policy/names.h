/* names.h — display names of reference rows that screens show beside an id
 * (a station, a tier, the talent categories), so that ui/ asks the core
 * instead of writing SQL itself. */
#ifndef TD_NAMES_H
#define TD_NAMES_H

#include "base/db.h"

#include <stddef.h>

/* Copies the name of station / tier `id` into buf (len bytes, never cut
 * inside a UTF-8 sequence).  Returns true when found; buf is left as it was
 * otherwise (callers pre-fill a fallback). */
bool td_station_name(td_db *db, const char *id, char *buf, size_t len);
bool td_tier_name(td_db *db, const char *id, char *buf, size_t len);

/* Calls cb(id, name, ud) for each live talent category in display order
 * (borrowed strings, valid during the call); stops when cb returns non-zero.
 * Returns the number of categories passed to cb. */
int td_categories_each(td_db *db, int (*cb)(const char *id, const char *name, void *ud), void *ud);

#endif
