/* timeutil.h — UTC timestamps for rows, local (Asia/Shanghai, UTC+8, no DST)
 * calendar dates for deadlines, and date parsing as clerks type dates.
 *
 * "Now" can be pinned for tests and demos with TALENTDESK_NOW=2026-03-15 or
 * TALENTDESK_NOW=2026-03-15T09:30:00Z; everything here honours it.
 */
#ifndef TD_TIMEUTIL_H
#define TD_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TD_TS_LEN 25   /* "2026-11-22T01:43:45.123Z" + NUL */
#define TD_DATE_LEN 11 /* "2026-11-22" + NUL */

typedef struct td_date {
    int y, m, d;
} td_date;

/* Milliseconds since the Unix epoch (pinned by TALENTDESK_NOW when set). */
int64_t td_now_ms(void);

/* Writes the current UTC time as ISO 8601 with milliseconds and 'Z'. */
void td_now_utc(char out[TD_TS_LEN]);

/* Today's date in China (UTC+8). */
td_date td_today(void);

/* True when y-m-d is a real Gregorian date in 1800..9999. */
bool td_date_valid(int y, int m, int d);

/* Parses "20260315", "2026-03-15" or "2026/03/15" (full-width digits and
 * separators are accepted).  Returns true and fills *out only for a date that
 * exists; false otherwise (*out untouched). */
bool td_date_parse(const char *s, td_date *out);

/* Formats as "YYYY-MM-DD" into out (TD_DATE_LEN bytes). */
void td_date_format(td_date d, char out[TD_DATE_LEN]);

/* Days since 1970-01-01 for a valid date, and back. */
int32_t td_date_to_days(td_date d);
td_date td_date_from_days(int32_t days);

/* Day of week, 0 = Monday … 6 = Sunday. */
int td_date_weekday(td_date d);

/* Compares two dates: <0, 0, >0. */
int td_date_cmp(td_date a, td_date b);

/* Whole years between birth and on (age on that date). */
int td_age_on(td_date birth, td_date on);

/* An ISO 8601 UTC timestamp ("2026-03-02T01:05:00.000Z") as local time of
 * the process's time zone into out: "2026-03-02 09:05".  With TZ unset or
 * empty it is China time (UTC+8), as td_today, whatever the system zone is;
 * an overseas station sets TZ (e.g. TZ=Europe/London) to see its own.  A string that does not parse is copied as it is
 * (truncated to 16 characters). */
void td_ts_local(const char *utc, char *out, size_t len);

#endif
