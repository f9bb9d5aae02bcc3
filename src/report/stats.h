/* stats.h — the one query layer of the reports (TUI, CLI, .xlsx).
 *
 * Every figure is read from the counters in local_stats (kept by the triggers
 * of src/schema/007_report.sql in the writing transaction), never by scanning
 * cases (open overdue tasks too: open requests are counted by due date).
 * Counting rules: src/report/README.md and
 * README.md ("统计口径").
 *
 * A report is a td_stat_table: rows of a key (a code), a label (display
 * name) and up to TD_STAT_COLS numbers, with column names and kinds, so that
 * every front end draws, prints or writes the same thing.
 */
#ifndef TD_REPORT_STATS_H
#define TD_REPORT_STATS_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#define TD_STAT_COLS 8

/* Period and station of a report.  from/to are China dates 'YYYY-MM-DD'
 * (inclusive); "" means the beginning of time / today.  station_id "" means
 * every station. */
typedef struct td_report_filter {
    char from[TD_DATE_LEN];
    char to[TD_DATE_LEN];
    char station_id[TD_UUID_LEN];
} td_report_filter;

typedef enum td_stat_kind { TD_SK_INT, TD_SK_PCT, TD_SK_DAYS, TD_SK_TEXT } td_stat_kind;

typedef struct td_stat_row {
    char key[64];      /* code: state, service, department, 'YYYY-MM', score … */
    char label[256];   /* display name (from reference data or translated) */
    double v[TD_STAT_COLS];
    char text[96];     /* the TD_SK_TEXT column, if any (e.g. a date) */
} td_stat_row;

typedef struct td_stat_table {
    char id[32];                     /* report id, e.g. "cases.state" */
    const char *title;               /* translated, static */
    int ncols;
    const char *cols[TD_STAT_COLS];  /* translated column names, static */
    td_stat_kind kinds[TD_STAT_COLS];
    td_stat_row *rows;               /* owned */
    int nrows;
    char drill[32];                  /* drill-down kind for td_report_cases, "" = none */
} td_stat_table;

/* Report ids, in the order `report services` and the .xlsx list them. */
extern const char *const td_report_ids[];

/* Fills *out with the report `id` (one of td_report_ids, or
 * "overdue.department": open overdue tasks by department only) for filter f (NULL = all time,
 * all stations).  The caller frees it with td_stat_table_free.  TD_EINVALID
 * for an unknown id or a bad date; TD_EDB otherwise. */
td_status td_report_table(td_db *db, const char *id, const td_report_filter *f, td_stat_table *out,
                          td_err *err);
void td_stat_table_free(td_stat_table *t);

/* Headline figures for the dashboard and `report summary`. */
typedef struct td_report_summary {
    long cases;            /* taken in during the period */
    long open_cases;       /* of those, not in a terminal state */
    long closed;           /* closed (办结) during the period */
    long services;         /* service requests made during the period */
    long renci;            /* 人次: service requests done during the period */
    long ontime, late;     /* of those, finished by / after their due date */
    long overdue_open;     /* open tasks past their due date today (any period) */
    double median_days;    /* working days intake → closed, nearest rank; -1 when none */
    double p90_days;
    long notices, supplied;
    long ratings, bad_ratings;  /* bad = score at most the ratings.tdp threshold */
    double rating_avg;     /* 0 when none */
    long satisfied;        /* scores 4 and 5 */
} td_report_summary;

td_status td_report_summary_get(td_db *db, const td_report_filter *f, td_report_summary *out,
                                td_err *err);

/* The same without the working-day percentiles and the open overdue count
 * (median_days = p90_days = -1, overdue_open = 0): what the dashboard's
 * "this month against last" needs, at a fraction of the cost. */
td_status td_report_headline(td_db *db, const td_report_filter *f, td_report_summary *out, td_err *err);

/* Fills f from optional strings (NULL or "" = unset): dates in any format
 * td_date_parse accepts, a station code.  TD_EINVALID with a Chinese
 * message for a bad date, from > to, or an unknown station. */
td_status td_report_filter_make(td_db *db, const char *from, const char *to, const char *station_code,
                                td_report_filter *f, td_err *err);

/* The filter of one calendar month of today's year offset by `back` months
 * (0 = this month, 1 = last month), keeping f's station. */
void td_report_month(const td_report_filter *base, int back, td_report_filter *out);

/* The cases behind a figure: calls cb with each case id (newest first, at
 * most limit) of drill kind `drill` (a table's drill field) and row key.
 * Reads cases, not counters (drill-downs are small lists).  TD_EINVALID for
 * an unknown drill kind. */
td_status td_report_cases(td_db *db, const char *drill, const char *key, const td_report_filter *f,
                          int limit, int (*cb)(const char *case_id, void *ud), void *ud, td_err *err);

/* td_report_cases for the signed-in user a: only the cases in a's record
 * scope (cases/scope.h) are passed on; limit counts them before the filter. */
td_status td_report_cases_as(td_db *db, const td_actor *a, const char *drill, const char *key,
                             const td_report_filter *f, int limit, int (*cb)(const char *case_id, void *ud),
                             void *ud, td_err *err);

/* ── reports for a signed-in user (issue 10 item 5) ─────────────────────
 * Totals come from counters kept per station, so a report honours the
 * record scope by station: a user of scope all sees what f asks for; a
 * station-scoped user only the figures of his own station (f's station is
 * set to it; asking for another station is refused); users of scope own or
 * department are refused (station counters cannot give their totals, and
 * a partial total would mislead).  Refusals are TD_EDENIED with a Chinese
 * message, audited once.  Front ends call these; the functions above are
 * internal to the core. */

/* Copies f (NULL = all time) into *out limited to what a may see, as
 * above.  TD_OK, or TD_EDENIED (audited). */
td_status td_report_filter_scope(td_db *db, const td_actor *a, const td_report_filter *f, td_report_filter *out,
                                 td_err *err);

/* td_report_table, td_report_summary_get and td_report_headline for a. */
td_status td_report_table_as(td_db *db, const td_actor *a, const char *id, const td_report_filter *f,
                             td_stat_table *out, td_err *err);
td_status td_report_summary_get_as(td_db *db, const td_actor *a, const td_report_filter *f, td_report_summary *out,
                                   td_err *err);
td_status td_report_headline_as(td_db *db, const td_actor *a, const td_report_filter *f, td_report_summary *out,
                                td_err *err);

/* Recomputes local_stats from the synchronised rows in one transaction
 * (after a synchronisation or an import; also done once automatically the
 * first time a report is read).  The caller must not hold a transaction. */
td_status td_stats_rebuild(td_db *db, td_err *err);

/* Rebuilds when the database has never been counted (settings
 * 'stats_built'); TD_OK when nothing needed doing. */
td_status td_stats_ensure(td_db *db, td_err *err);

/* Working days from intake day to closing day — Nearest-rank percentile
 * (p in 0..100) of a weighted sample; exposed for tests.  days[i] occurs
 * w[i] times; returns -1 when the total weight is 0. */
double td_stats_percentile(const int *days, const long *w, int n, double p);

/* Translated name of a case channel ("window" → "服务窗口"), or the code. */
const char *td_channel_name(const char *channel);

#endif
