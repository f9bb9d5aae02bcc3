/* test_report.c — statistics (src/report/) against a small database built
 * here and counted by hand (the counts are in the comments), the counters
 * kept by 007's triggers against a rebuild, targets with pace, and ratings
 * with their 整改 tasks.
 *
 * Today is pinned to Tuesday 2026-06-30 (China).  2026 holidays that matter:
 * 端午 19–21 June (Fri–Sun).
 *
 *   case  intake (China)        station channel  person cat.   state       closed (China)  working days
 *   C1    2026-06-18 Thu        CQ      window   P1 returnee   closed      2026-06-23 Tue  2  (22, 23; 19 is 端午)
 *   C2    2026-06-01 Mon        CQ      window   P2 graduate   closed      2026-06-08 Mon  5  (2,3,4,5,8)
 *   C3    2026-06-10 Wed        CQ      online   P1 returnee   closed      2026-06-12 Fri  2  (11, 12)
 *         (created 2026-06-09T17:30Z: the 9th in UTC, the 10th in China)
 *   C4    2026-06-12 Fri        LDN     overseas P3 foreign    doc_check   -
 *   C5    2026-03-10 Tue        CQ      airport  P2 graduate   fulfilment  -
 *   C1 is moved to tier 'young' after intake.
 *
 *   service request           case status       due         finished (China)   SLA
 *   free_workstation          C1   done         2026-06-24  2026-06-23         on time
 *   internship                C1   done         2026-06-22  2026-06-23         late
 *   startup_funding           C2   done         2026-06-04  2026-06-05 (20:00Z on the 4th)  late
 *   archive_transfer          C3   done         2026-06-12  2026-06-12         on time
 *   degree_verification (jw)  C4   pending      2026-06-26  -                  open overdue
 *   free_workstation          C4   in_progress  2026-07-03  -                  open, not yet due
 *   archive_transfer (rsj)    C5   in_progress  2026-06-01  -                  open overdue
 *   first_insurance           C5   cancelled    -           2026-03-20         (not counted)
 *
 *   notices: C2 issued 2026-06-02, supplied 2026-06-03; C4 issued 2026-06-12.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "base/i18n.h"
#include "report/rating.h"
#include "report/stats.h"
#include "report/targets.h"

static td_db *DB;

static void exec(const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(td_db_handle(DB), sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static long q_long(const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(DB), sql, -1, &st, NULL), SQLITE_OK);
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static void person(const char *id, const char *cat)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO persons(id, station_id, name, id_type, id_no, category_id, created_at, updated_at) "
             "SELECT '%s', id, '人员%s', 'passport', 'X%s', '%s', '2026-01-01T00:00:00.000Z', "
             "'2026-01-01T00:00:00.000Z' FROM stations WHERE code = 'CQ'",
             id, id, id, cat);
    exec(sql);
}

/* A case taken in at `created` (UTC) in state intake, then moved to `state`
 * (closing at `closed` UTC when given) — through the update triggers. */
static void kase(const char *id, const char *pid, const char *st_code, const char *channel, const char *created,
                 const char *state, const char *closed)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO cases(id, case_no, person_id, station_id, case_type, channel, state, intake_by, "
             "state_since, created_at, updated_at) SELECT '%s', '%s-NO', '%s', s.id, 'service', '%s', 'intake', "
             "(SELECT id FROM users WHERE username = 'clerk1'), '%s', '%s', '%s' FROM stations s WHERE s.code = '%s'",
             id, id, pid, channel, created, created, created, st_code);
    exec(sql);
    if (closed)
        snprintf(sql, sizeof sql,
                 "UPDATE cases SET state = '%s', state_since = '%s', closed_at = '%s', updated_at = '%s' "
                 "WHERE id = '%s'",
                 state, closed, closed, closed, id);
    else
        snprintf(sql, sizeof sql, "UPDATE cases SET state = '%s' WHERE id = '%s'", state, id);
    exec(sql);
}

static void req(const char *case_id, const char *svc, const char *status, const char *due, const char *finished)
{
    static int n;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO service_requests(id, case_id, service_id, status, due_date, created_at, updated_at) "
             "SELECT 'r%d', '%s', '%s', 'pending', %s%s%s, created_at, created_at FROM cases WHERE id = '%s'",
             ++n, case_id, svc, due ? "'" : "", due ? due : "NULL", due ? "'" : "", case_id);
    exec(sql);
    if (strcmp(status, "pending") != 0) {
        snprintf(sql, sizeof sql,
                 "UPDATE service_requests SET status = '%s', finished_at = %s%s%s WHERE id = 'r%d'", status,
                 finished ? "'" : "", finished ? finished : "NULL", finished ? "'" : "", n);
        exec(sql);
    }
}

static void fixture(void)
{
    setenv("TALENTDESK_NOW", "2026-06-30T04:00:00Z", 1);
    DB = td_test_db_loaded();
    person("p1", "returnee");
    person("p2", "graduate");
    person("p3", "foreign");
    kase("c1", "p1", "CQ", "window", "2026-06-18T02:00:00.000Z", "closed", "2026-06-23T03:00:00.000Z");
    kase("c2", "p2", "CQ", "window", "2026-06-01T02:00:00.000Z", "closed", "2026-06-08T02:00:00.000Z");
    kase("c3", "p1", "CQ", "online", "2026-06-09T17:30:00.000Z", "closed", "2026-06-12T02:00:00.000Z");
    kase("c4", "p3", "LDN", "overseas", "2026-06-12T02:00:00.000Z", "doc_check", NULL);
    kase("c5", "p2", "CQ", "airport", "2026-03-10T02:00:00.000Z", "fulfilment", NULL);
    exec("UPDATE cases SET tier_id = 'young' WHERE id = 'c1'");
    req("c1", "free_workstation", "done", "2026-06-24", "2026-06-23T08:00:00.000Z");
    req("c1", "internship", "done", "2026-06-22", "2026-06-23T01:00:00.000Z");
    req("c2", "startup_funding", "done", "2026-06-04", "2026-06-04T20:00:00.000Z");
    req("c3", "archive_transfer", "done", "2026-06-12", "2026-06-12T01:00:00.000Z");
    req("c4", "degree_verification", "pending", "2026-06-26", NULL);
    req("c4", "free_workstation", "in_progress", "2026-07-03", NULL);
    req("c5", "archive_transfer", "in_progress", "2026-06-01", NULL);
    req("c5", "first_insurance", "cancelled", NULL, "2026-03-20T02:00:00.000Z");
    exec("INSERT INTO notices(id, case_id, notice_no, issued_on, deadline, clerk_id, item_count, created_at, "
         "updated_at) SELECT 'n1', 'c2', 'N1', '2026-06-02', '2026-06-09', id, 1, '2026-06-02T02:00:00.000Z', "
         "'2026-06-02T02:00:00.000Z' FROM users WHERE username = 'clerk1';"
         "INSERT INTO notices(id, case_id, notice_no, issued_on, deadline, clerk_id, item_count, created_at, "
         "updated_at) SELECT 'n2', 'c4', 'N2', '2026-06-12', '2026-06-19', id, 2, '2026-06-12T02:00:00.000Z', "
         "'2026-06-12T02:00:00.000Z' FROM users WHERE username = 'clerk1';"
         "INSERT INTO case_events(id, case_id, seq, transition, from_state, to_state, at, created_at, updated_at) "
         "VALUES('e1', 'c2', 1, 'supply', 'awaiting_docs', 'doc_check', '2026-06-03T02:00:00.000Z', "
         "'2026-06-03T02:00:00.000Z', '2026-06-03T02:00:00.000Z');");
}

static int setup(void **state)
{
    (void)state;
    fixture();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    td_db_close(DB);
    DB = NULL;
    unsetenv("TALENTDESK_NOW");
    return 0;
}

static const td_stat_row *row(const td_stat_table *t, const char *key)
{
    for (int i = 0; i < t->nrows; i++)
        if (strcmp(t->rows[i].key, key) == 0)
            return &t->rows[i];
    return NULL;
}

static double val(const char *id, const td_report_filter *f, const char *key, int col)
{
    td_stat_table t;
    td_err err;
    assert_td_ok(td_report_table(DB, id, f, &t, &err), &err);
    const td_stat_row *r = row(&t, key);
    double v = r ? r->v[col] : 0;
    td_stat_table_free(&t);
    return v;
}

static void summary_all_time(void **state)
{
    (void)state;
    td_report_summary s;
    td_err err;
    assert_td_ok(td_report_summary_get(DB, NULL, &s, &err), &err);
    assert_int_equal(s.cases, 5);        /* C1–C5 */
    assert_int_equal(s.open_cases, 2);   /* C4 doc_check, C5 fulfilment */
    assert_int_equal(s.closed, 3);       /* C1, C2, C3 */
    assert_int_equal(s.services, 8);     /* eight requests */
    assert_int_equal(s.renci, 4);        /* four done: one 人次 each */
    assert_int_equal(s.ontime, 2);       /* C1 free_workstation, C3 archive_transfer */
    assert_int_equal(s.late, 2);         /* C1 internship, C2 startup_funding (China day 06-05 > 06-04) */
    assert_int_equal(s.overdue_open, 2); /* C4 degree_verification, C5 archive_transfer */
    /* working days [2, 5, 2] → sorted 2 2 5: median rank ceil(1.5)=2 → 2; p90 rank ceil(2.7)=3 → 5 */
    assert_true(s.median_days == 2);
    assert_true(s.p90_days == 5);
    assert_int_equal(s.notices, 2);
    assert_int_equal(s.supplied, 1);
    assert_int_equal(s.ratings, 0);
}

static void by_dimension_and_period(void **state)
{
    (void)state;
    td_report_filter f;
    td_err err;
    /* May–June: C5 (March) drops out → C1–C4 */
    assert_td_ok(td_report_filter_make(DB, "2026-05-01", "2026-06-30", NULL, &f, &err), &err);
    assert_true(val("cases.state", &f, "closed", 0) == 3);
    assert_true(val("cases.state", &f, "doc_check", 0) == 1);
    assert_true(val("cases.state", &f, "fulfilment", 0) == 0);
    assert_true(val("cases.channel", &f, "window", 0) == 2);
    assert_true(val("cases.channel", &f, "online", 0) == 1);
    assert_true(val("cases.channel", &f, "overseas", 0) == 1);
    assert_true(val("cases.category", &f, "returnee", 0) == 2); /* C1, C3 (P1) */
    assert_true(val("cases.category", &f, "graduate", 0) == 1); /* C2 */
    assert_true(val("cases.tier", &f, "young", 0) == 1);
    assert_true(val("cases.tier", &f, "", 0) == 3);
    assert_true(val("cases.month", &f, "2026-06", 0) == 4);
    assert_true(val("cases.month", &f, "2026-06", 1) == 3);     /* closed in June */
    /* share: closed 3 of 4 */
    assert_true(val("cases.state", &f, "closed", 1) == 0.75);
    /* C3 was created on the 9th UTC but the 10th in China: a period starting on the 10th keeps it */
    assert_td_ok(td_report_filter_make(DB, "2026-06-10", "2026-06-10", NULL, &f, &err), &err);
    assert_true(val("cases.channel", &f, "online", 0) == 1);
    assert_td_ok(td_report_filter_make(DB, "2026-06-09", "2026-06-09", NULL, &f, &err), &err);
    assert_true(val("cases.channel", &f, "online", 0) == 0);
    /* station LDN: C4 only; its overdue task only */
    assert_td_ok(td_report_filter_make(DB, NULL, NULL, "LDN", &f, &err), &err);
    td_report_summary s;
    assert_td_ok(td_report_summary_get(DB, &f, &s, &err), &err);
    assert_int_equal(s.cases, 1);
    assert_int_equal(s.overdue_open, 1);
    assert_int_equal(s.renci, 0);
    assert_int_equal(s.notices, 1);
    assert_true(val("cases.station", NULL, f.station_id, 0) == 1);
    /* bad input */
    assert_int_equal(td_report_filter_make(DB, "2026-13-01", NULL, NULL, &f, &err), TD_EINVALID);
    assert_int_equal(td_report_filter_make(DB, "2026-06-30", "2026-06-01", NULL, &f, &err), TD_EINVALID);
    assert_int_equal(td_report_filter_make(DB, NULL, NULL, "ZZ", &f, &err), TD_EINVALID);
}

static void sla_by_service_and_department(void **state)
{
    (void)state;
    /* columns: done, on time, late, rate, open overdue */
    assert_true(val("sla.service", NULL, "free_workstation", 0) == 1);
    assert_true(val("sla.service", NULL, "free_workstation", 1) == 1);
    assert_true(val("sla.service", NULL, "startup_funding", 2) == 1);
    assert_true(val("sla.service", NULL, "archive_transfer", 0) == 1);
    assert_true(val("sla.service", NULL, "archive_transfer", 4) == 1); /* C5's, overdue */
    assert_true(val("sla.service", NULL, "degree_verification", 4) == 1);
    /* departments: free_workstation, internship, startup_funding, archive_transfer are rsj;
     * degree_verification is jw → rsj: done 4, on time 2, late 2, rate 0.5, overdue 1; jw: overdue 1 */
    assert_true(val("sla.department", NULL, "rsj", 0) == 4);
    assert_true(val("sla.department", NULL, "rsj", 1) == 2);
    assert_true(val("sla.department", NULL, "rsj", 2) == 2);
    assert_true(val("sla.department", NULL, "rsj", 3) == 0.5);
    assert_true(val("sla.department", NULL, "rsj", 4) == 1);
    assert_true(val("sla.department", NULL, "jw", 4) == 1);
    assert_true(val("sla.department", NULL, "jw", 0) == 0);
    /* the dashboard's overdue by department: jw 1, rsj 1 */
    assert_true(val("overdue.department", NULL, "jw", 0) == 1);
    assert_true(val("overdue.department", NULL, "rsj", 0) == 1);
    /* the headline figures skip the percentiles */
    td_report_summary h;
    td_err err;
    assert_td_ok(td_report_headline(DB, NULL, &h, &err), &err);
    assert_int_equal(h.renci, 4);
    assert_true(h.median_days == -1);
    /* services by status: done 4, pending 1, in_progress 2, cancelled 1 */
    assert_true(val("services.status", NULL, "done", 0) == 4);
    assert_true(val("services.status", NULL, "pending", 0) == 1);
    assert_true(val("services.status", NULL, "in_progress", 0) == 2);
    assert_true(val("services.status", NULL, "cancelled", 0) == 1);
    /* requested by service: free_workstation 2 (C1, C4), done 1 */
    assert_true(val("services.service", NULL, "free_workstation", 0) == 2);
    assert_true(val("services.service", NULL, "free_workstation", 1) == 1);
    /* notices by month: June issued 2, supplied 1 */
    assert_true(val("notices", NULL, "2026-06", 0) == 2);
    assert_true(val("notices", NULL, "2026-06", 1) == 1);
    /* duration by closing month: June, 3 cases, median 2, p90 5 */
    assert_true(val("duration", NULL, "2026-06", 0) == 3);
    assert_true(val("duration", NULL, "2026-06", 1) == 2);
    assert_true(val("duration", NULL, "2026-06", 2) == 5);
}

static void targets_progress_and_pace(void **state)
{
    (void)state;
    td_target_progress *tp;
    int n;
    td_err err;
    assert_td_ok(td_targets_progress(DB, "", &tp, &n, &err), &err);
    assert_true(n >= 8);
    const td_target_progress *s100k = NULL, *ws = NULL, *fund = NULL, *intern = NULL, *top = NULL;
    for (int i = 0; i < n; i++) {
        if (!strcmp(tp[i].id, "services_100k"))
            s100k = &tp[i];
        if (!strcmp(tp[i].id, "free_workstations"))
            ws = &tp[i];
        if (!strcmp(tp[i].id, "funded_projects"))
            fund = &tp[i];
        if (!strcmp(tp[i].id, "internship_posts"))
            intern = &tp[i];
        if (!strcmp(tp[i].id, "tier_top"))
            top = &tp[i];
    }
    assert_non_null(s100k);
    assert_non_null(ws);
    assert_non_null(fund);
    assert_non_null(intern);
    assert_non_null(top);
    /* 10万人次 from 2026-05-26: all four done services finished in June → 4 */
    assert_int_equal(s100k->done, 4);
    assert_int_equal(s100k->remaining, 99996);
    /* 549 days to 2027-12-31 → (549+29)/30 = 19 months; ceil(99996/19) = 5263 */
    assert_int_equal(s100k->days_left, 549);
    assert_int_equal(s100k->per_month_needed, 5263);
    /* 4 in 36 days of a 585-day window → 65 */
    assert_int_equal(s100k->projected, 65);
    assert_true(strstr(s100k->source, "seed 003 §2") != NULL);
    /* workstations this year (from 05-26): C1's → 1; 184 days left → 7 months; ceil(999/7) = 143 */
    assert_int_equal(ws->done, 1);
    assert_string_equal(ws->period_end, "2026-12-31");
    assert_int_equal(ws->per_month_needed, 143);
    assert_int_equal(fund->done, 1);
    assert_int_equal(intern->done, 1);
    /* seed 001's tiers ended in 2025 */
    assert_true(top->ended);
    assert_int_equal(top->done, 0);
    assert_int_equal(top->per_month_needed, 0);
    free(tp);
    /* station LDN: nothing done there */
    td_report_filter f;
    assert_td_ok(td_report_filter_make(DB, NULL, NULL, "LDN", &f, &err), &err);
    assert_true(val("targets", &f, "services_100k", 0) == 0);
    assert_true(val("targets", NULL, "services_100k", 0) == 4);
}

static void ratings_and_rectification(void **state)
{
    (void)state;
    td_err err;
    td_actor clerk = td_test_actor(DB, "clerk1");
    td_rating r;
    /* C4 is not closed */
    assert_int_equal(td_rate_case(DB, &clerk, "c4", 5, NULL, &r, &err), TD_EINVALID);
    /* C2 closed 06-08: 22 days > 15 → too late */
    assert_int_equal(td_rate_case(DB, &clerk, "c2", 5, NULL, &r, &err), TD_EINVALID);
    assert_int_equal(td_rate_case(DB, &clerk, "c1", 6, NULL, &r, &err), TD_EINVALID);
    /* C3, rated on 06-13 (one day after closing): 1 = bad → a 整改 task for CQ's admin */
    setenv("TALENTDESK_NOW", "2026-06-13T04:00:00Z", 1);
    assert_td_ok(td_rate_case(DB, &clerk, "c3", 1, "等了很久", &r, &err), &err);
    assert_string_equal(r.rated_on, "2026-06-13");
    assert_true(r.rectification_id[0] != '\0');
    assert_string_equal(r.rectification_status, "open");
    setenv("TALENTDESK_NOW", "2026-06-30T04:00:00Z", 1);
    assert_td_ok(td_rate_case(DB, &clerk, "c1", 5, NULL, &r, &err), &err);
    assert_true(r.rectification_id[0] == '\0');
    /* once only */
    assert_int_equal(td_rate_case(DB, &clerk, "c1", 4, NULL, &r, &err), TD_ECONFLICT);
    assert_int_equal(q_long("SELECT count(*) FROM rectifications"), 1);
    assert_int_equal(q_long("SELECT count(*) FROM rectifications x JOIN users u ON u.id = x.assignee_id "
                            "WHERE u.username = 'admin' AND x.due_date = '2026-06-22'"),
                     1); /* 5 working days after Sat 06-13: 15,16,17,18,22 (19–21 端午) */
    td_report_summary s;
    assert_td_ok(td_report_summary_get(DB, NULL, &s, &err), &err);
    assert_int_equal(s.ratings, 2);
    assert_int_equal(s.bad_ratings, 1);
    assert_int_equal(s.satisfied, 1);
    assert_true(s.rating_avg == 3.0);
    assert_true(val("ratings", NULL, "1", 0) == 1);
    assert_true(val("ratings", NULL, "5", 1) == 0.5);
    /* the lead closes it; a clerk may not */
    char id[64];
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(DB), "SELECT id FROM rectifications", -1, &st, NULL);
    sqlite3_step(st);
    snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_int_equal(td_rectification_done(DB, &clerk, id, "已回访致歉", &err), TD_EDENIED);
    td_actor admin = td_test_actor(DB, "admin");
    assert_int_equal(td_rectification_done(DB, &admin, id, "", &err), TD_EINVALID);
    assert_td_ok(td_rectification_done(DB, &admin, id, "已回访致歉", &err), &err);
    assert_int_equal(q_long("SELECT count(*) FROM audit_log WHERE action IN ('case.rate','rectification.open',"
                            "'rectification.done')"),
                     4);
}

/* The triggers' counters equal a rebuild from the rows (zero rows aside). */
static void counters_equal_rebuild(void **state)
{
    (void)state;
    td_err err;
    td_actor clerk = td_test_actor(DB, "clerk1");
    td_rating r;
    assert_td_ok(td_rate_case(DB, &clerk, "c1", 2, NULL, &r, &err), &err);
    /* a task reset out of done, a state change back, a tier change */
    exec("UPDATE service_requests SET status = 'pending', finished_at = NULL WHERE service_id = 'startup_funding';"
         "UPDATE cases SET state = 'fulfilment' WHERE id = 'c2';"
         "UPDATE cases SET tier_id = 'leading' WHERE id = 'c1';"
         /* a 人才服务码 issued on 3 March, the case edited again on 25 March:
          * the code counts on the day it was issued, in the triggers and in
          * a rebuild alike */
         "INSERT INTO talent_codes(id, code, case_id, person_id, tier_id, station_id, created_at, updated_at) "
         "SELECT 'tc2', 'CODE2', id, person_id, coalesce(tier_id, 'leading'), station_id, '2026-03-03T02:00:00Z', "
         "'2026-03-03T02:00:00Z' FROM cases WHERE id = 'c2';"
         "UPDATE cases SET talent_code = 'CODE2', updated_at = '2026-03-03T02:00:00Z' WHERE id = 'c2';"
         "UPDATE cases SET updated_at = '2026-03-25T02:00:00Z' WHERE id = 'c2';"
         "CREATE TEMP TABLE before AS SELECT * FROM local_stats WHERE n <> 0;");
    assert_int_equal(q_long("SELECT count(*) FROM before WHERE dim = 'code.tier' AND day = '2026-03-03'"), 1);
    td_report_summary s;
    assert_td_ok(td_report_summary_get(DB, NULL, &s, &err), &err);
    assert_int_equal(s.renci, 3);  /* startup_funding no longer done */
    assert_int_equal(s.late, 1);
    assert_int_equal(s.closed, 2); /* C2 reopened */
    assert_td_ok(td_stats_rebuild(DB, &err), &err);
    assert_int_equal(q_long("SELECT count(*) FROM (SELECT * FROM before EXCEPT SELECT * FROM local_stats "
                            "WHERE n <> 0)"),
                     0);
    assert_int_equal(q_long("SELECT count(*) FROM (SELECT * FROM local_stats WHERE n <> 0 EXCEPT "
                            "SELECT * FROM before)"),
                     0);
    assert_true(q_long("SELECT count(*) FROM before") > 20);
}

static void percentile_rule(void **state)
{
    (void)state;
    int d[] = { 5, 1, 3 };
    long w[] = { 1, 1, 2 }; /* sample 1 3 3 5 */
    assert_true(td_stats_percentile(d, w, 3, 50) == 3);  /* rank 2 */
    assert_true(td_stats_percentile(d, w, 3, 90) == 5);  /* rank ceil(3.6) = 4 */
    assert_true(td_stats_percentile(d, w, 3, 25) == 1);  /* rank 1 */
    assert_true(td_stats_percentile(d, w, 0, 50) == -1);
}

static char got[8][64];
static int n;
static int cb(const char *id, void *ud)
{
    (void)ud;
    snprintf(got[n++], sizeof got[0], "%s", id);
    return n >= 8;
}

static void drill_down(void **state)
{
    (void)state;
    n = 0;
    td_err err;
    assert_td_ok(td_report_cases(DB, "state", "closed", NULL, 10, cb, NULL, &err), &err);
    assert_int_equal(n, 3);
    n = 0;
    assert_td_ok(td_report_cases(DB, "overdue.department", "jw", NULL, 10, cb, NULL, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(got[0], "c4");
    n = 0;
    assert_int_equal(td_report_cases(DB, "nope", "x", NULL, 10, cb, NULL, &err), TD_EINVALID);
}

static void targets_file_errors(void **state)
{
    (void)state;
    char *dir = td_test_tmpfile("");
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s && cp %s/data/ratings.tdp %s/ && printf '[target a]\\nname = x\\nmetric = services_done\\n"
             "target = 0\\nperiod = total\\nstart = 2026-01-01\\nend = 2026-12-31\\nsource = s\\n' > %s/targets.tdp",
             dir, TD_SOURCE_DIR, dir, dir);
    assert_int_equal(system(cmd), 0);
    td_err err;
    assert_int_equal(td_targets_check_dir(dir, &err), TD_EPOLICY);
    assert_true(strstr(err.msg, "targets.tdp:4") != NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(summary_all_time, setup, teardown),
        cmocka_unit_test_setup_teardown(by_dimension_and_period, setup, teardown),
        cmocka_unit_test_setup_teardown(sla_by_service_and_department, setup, teardown),
        cmocka_unit_test_setup_teardown(targets_progress_and_pace, setup, teardown),
        cmocka_unit_test_setup_teardown(ratings_and_rectification, setup, teardown),
        cmocka_unit_test_setup_teardown(counters_equal_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(drill_down, setup, teardown),
        cmocka_unit_test(percentile_rule),
        cmocka_unit_test(targets_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
