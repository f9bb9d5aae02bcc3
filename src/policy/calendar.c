/* calendar.c — see calendar.h.  The calendar is small (a few dozen rows a
 * year), so it lives in memory as a sorted array searched by bisection. */
#include "calendar.h"
#include "base/i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int32_t day;   /* days since 1970-01-01 */
    bool work;     /* true: a weekend day worked; false: a holiday */
    char name[64];
} cal_day;

struct td_calendar {
    cal_day *days;
    size_t n;
    int *years;
    size_t nyears;
};

static int cmp_day(const void *a, const void *b)
{
    int32_t x = ((const cal_day *)a)->day, y = ((const cal_day *)b)->day;
    return (x > y) - (x < y);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

td_status td_calendar_load(td_db *db, td_calendar **out, td_err *err)
{
    *out = NULL;
    td_calendar *cal = calloc(1, sizeof *cal);
    if (!cal)
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    sqlite3_stmt *st =
        td_db_prepare(db, "SELECT id, kind, name FROM calendar_days WHERE deleted_at IS NULL", err);
    if (!st) {
        free(cal);
        return TD_EDB;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        td_date d;
        if (!id || !kind || !td_date_parse(id, &d))
            continue; /* the loader never writes such a row */
        cal_day *nd = realloc(cal->days, sizeof *nd * (cal->n + 1));
        if (!nd)
            abort();
        cal->days = nd;
        cal_day *c = &cal->days[cal->n++];
        c->day = td_date_to_days(d);
        c->work = strcmp(kind, "work") == 0;
        td_col_copy(st, 2, c->name, sizeof c->name);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        td_calendar_free(cal);
        return td_db_fail(db, _("reading the calendar"), err);
    }
    st = td_db_prepare(db, "SELECT year FROM calendar_years", err);
    if (!st) {
        td_calendar_free(cal);
        return TD_EDB;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int *ny = realloc(cal->years, sizeof *ny * (cal->nyears + 1));
        if (!ny)
            abort();
        cal->years = ny;
        cal->years[cal->nyears++] = sqlite3_column_int(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        td_calendar_free(cal);
        return td_db_fail(db, _("reading the calendar"), err);
    }
    if (cal->n)
        qsort(cal->days, cal->n, sizeof *cal->days, cmp_day);
    if (cal->nyears)
        qsort(cal->years, cal->nyears, sizeof *cal->years, cmp_int);
    *out = cal;
    return TD_OK;
}

void td_calendar_free(td_calendar *cal)
{
    if (!cal)
        return;
    free(cal->days);
    free(cal->years);
    free(cal);
}

bool td_calendar_covers(const td_calendar *cal, int year)
{
    if (!cal || !cal->nyears)
        return false;
    return bsearch(&year, cal->years, cal->nyears, sizeof *cal->years, cmp_int) != NULL;
}

static const cal_day *find(const td_calendar *cal, int32_t day)
{
    if (!cal || !cal->n)
        return NULL;
    cal_day key = { .day = day };
    return bsearch(&key, cal->days, cal->n, sizeof *cal->days, cmp_day);
}

/* 1970-01-01 was a Thursday; 0 = Monday … 6 = Sunday. */
static int weekday(int32_t day) { return (int)(((day % 7) + 7 + 3) % 7); }

static bool workday(const td_calendar *cal, int32_t day)
{
    const cal_day *c = find(cal, day);
    if (c)
        return c->work;
    return weekday(day) < 5;
}

bool td_calendar_is_workday(const td_calendar *cal, td_date d)
{
    return workday(cal, td_date_to_days(d));
}

td_date td_calendar_add_workdays(const td_calendar *cal, td_date start, int n, bool *approx)
{
    bool ap = false;
    int32_t day = td_date_to_days(start);
    int last_year = 0;
    bool last_cov = true;
    while (n > 0) {
        day++;
        td_date d = td_date_from_days(day);
        if (d.y != last_year) {
            last_year = d.y;
            last_cov = td_calendar_covers(cal, d.y);
        }
        if (!last_cov)
            ap = true;
        if (workday(cal, day))
            n--;
    }
    if (approx)
        *approx = ap;
    return td_date_from_days(day);
}

/* Index of the first calendar row after day (cal->n when none). */
static size_t first_after(const td_calendar *cal, int32_t day)
{
    size_t lo = 0, hi = cal ? cal->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->days[mid].day <= day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Monday–Friday count by whole weeks, then corrected by the calendar rows
 * inside (a, b]: a holiday on a weekday removes one, a worked weekend day
 * adds one.  O(log n + rows in range), so it is cheap for long spans. */
int td_calendar_workdays_between(const td_calendar *cal, td_date a, td_date b)
{
    int32_t x = td_date_to_days(a), y = td_date_to_days(b);
    if (y <= x)
        return 0;
    int32_t span = y - x;
    long count = (long)(span / 7) * 5;
    for (int32_t day = x + (span / 7) * 7 + 1; day <= y; day++)
        count += weekday(day) < 5;
    for (size_t i = first_after(cal, x); cal && i < cal->n && cal->days[i].day <= y; i++) {
        bool weekend = weekday(cal->days[i].day) >= 5;
        if (cal->days[i].work && weekend)
            count++;
        else if (!cal->days[i].work && !weekend)
            count--;
    }
    return count > INT32_MAX ? INT32_MAX : (int)count;
}

const char *td_calendar_day_name(const td_calendar *cal, td_date d)
{
    const cal_day *c = find(cal, td_date_to_days(d));
    return c ? c->name : "";
}
