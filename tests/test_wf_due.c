/* test_wf_due.c — due dates counted into a year without a holiday calendar
 * are stored as approximate; loading that year's calendar recounts every open
 * task's and case's due date, audited, and says how many changed. */
#include "wf_fixture.h"

#include "setup/policy_load.h"
#include "workflow/wf_due.h"

#include <stdlib.h>

static td_case fulfilled(td_db *db, const char *now, const char *const *services)
{
    setenv("TALENTDESK_NOW", now, 1);
    td_case c = wf_case_with(db, "clerk1", "service", services);
    td_actor clerk = td_test_actor(db, "clerk1"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    wf_verify_docs(db, c.id);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok_service", NULL, 0, NULL, &err), &err);
    td_wf_result res;
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve_service", NULL, 0, &res, &err), &err);
    assert_string_equal(res.to, "fulfilment");
    return wf_get(db, c.id);
}

/* data/ plus the test's 2027 calendar, in a directory of its own. */
static char *data_with_2027(void)
{
    char *dir = td_test_tmpfile(".data");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp -r '%s/data/.' '%s/' && cp '%s/tests/fixtures/calendar-2027.tdp' '%s/'",
             dir, td_test_src_dir(), dir, td_test_src_dir(), dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

static void test_load_2027_moves_open_due_dates(void **state)
{
    (void)state;
    td_db *db = wf_db();
    /* Mon 28 Dec 2026 + 5 working days: 29, 30, 31 Dec, then 2027 unknown →
     * Fri 1 Jan and Mon 4 Jan counted Monday to Friday: 2027-01-04, approximate. */
    const char *svc[] = { "competition_entry", NULL };
    td_case c = fulfilled(db, "2026-12-28", svc);
    /* a task that is finished is not open: its date stays */
    td_case done = fulfilled(db, "2026-12-28", svc);
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE service_requests SET status = 'done' WHERE case_id = '%s'", done.id);
    wf_sql(db, sql);
    /* a task entirely within 2026 is exact and does not move */
    td_case early = fulfilled(db, "2026-11-02", svc);
    char due[32];
    snprintf(sql, sizeof sql, "SELECT due_date || '/' || due_approx FROM service_requests WHERE case_id = '%s'", c.id);
    wf_text(db, sql, due, sizeof due);
    assert_string_equal(due, "2027-01-04/1");
    snprintf(sql, sizeof sql, "SELECT due_date || '/' || due_approx FROM service_requests WHERE case_id = '%s'",
             early.id);
    wf_text(db, sql, due, sizeof due);
    assert_string_equal(due, "2026-11-09/0");

    char *dir = data_with_2027();
    td_actor admin = td_test_actor(db, "admin");
    td_due_report rep;
    td_err err;
    td_err_clear(&err);
    setenv("TALENTDESK_NOW", "2026-12-29", 1);
    assert_td_ok(td_policy_load_as(db, &admin, dir, &rep, &err), &err);
    assert_int_equal(rep.tasks, 1);
    assert_int_equal(rep.changed, rep.tasks + rep.cases + rep.notices);
    /* only dates on or after 2027-01-01 (the first day the calendars differ) were read: not early's */
    assert_int_equal(rep.examined, rep.changed);
    /* 1–3 Jan 2027 are holidays now: 29, 30, 31 Dec, 4, 5 Jan */
    snprintf(sql, sizeof sql, "SELECT due_date || '/' || due_approx FROM service_requests WHERE case_id = '%s'", c.id);
    wf_text(db, sql, due, sizeof due);
    assert_string_equal(due, "2027-01-05/0");
    snprintf(sql, sizeof sql, "SELECT due_date FROM service_requests WHERE case_id = '%s'", done.id);
    wf_text(db, sql, due, sizeof due);
    assert_string_equal(due, "2027-01-04");
    snprintf(sql, sizeof sql, "SELECT due_date FROM service_requests WHERE case_id = '%s'", early.id);
    wf_text(db, sql, due, sizeof due);
    assert_string_equal(due, "2026-11-09");
    /* audited: old and new date, approximate marked with ~ */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE action = 'due.recompute' AND case_id = '%s' "
             "AND entity = 'service_requests' AND old_value = '2027-01-04~' AND new_value = '2027-01-05' AND reason = 'calendar'",
             c.id);
    assert_int_equal(wf_count(db, sql), 1);
    /* the open case's own due date (fulfilment: 5 working days) was recounted too */
    snprintf(sql, sizeof sql, "SELECT IFNULL(due_date, '') || '/' || due_approx FROM cases WHERE id = '%s'", c.id);
    wf_text(db, sql, due, sizeof due);
    assert_string_equal(due, "2027-01-05/0");
    assert_int_equal(rep.cases, 2); /* c and done (its task finished, the case still open); not early */
    /* loading again changes nothing, and with the calendar unchanged reads no due date at all */
    assert_td_ok(td_policy_load_as(db, &admin, dir, &rep, &err), &err);
    assert_int_equal(rep.changed, 0);
    assert_int_equal(rep.examined, 0);
    /* only administrators load policy */
    td_actor clerk = td_test_actor(db, "clerk1");
    assert_int_equal(td_policy_load_as(db, &clerk, dir, &rep, &err), TD_EDENIED);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
    unsetenv("TALENTDESK_NOW");
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_2027_moves_open_due_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
