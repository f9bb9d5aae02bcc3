/* test_access_report.c — issue 10 item 5: report totals honour the record
 * scope by station (report/stats.h td_report_filter_scope).  A station
 * operator's summary, tables, targets and workbook count only the cases of
 * his station; asking for another station is refused (audited once); users
 * of scope own or department are refused; scope all sees every station. */
#include "test_util.h"
#include "wf_fixture.h"

#include "auth/access.h"
#include "people/person.h"
#include "report/report_xlsx.h"
#include "report/stats.h"
#include "report/targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long denied_rows(td_db *db)
{
    return wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'");
}

static void test_report_scope(void **state)
{
    (void)state;
    td_db *db = wf_db();
    td_err err;
    td_err_clear(&err);
    td_actor station = td_test_actor(db, "station1"), admin = td_test_actor(db, "admin");
    /* three cases in Chongqing, one in London */
    for (int i = 0; i < 3; i++)
        wf_case(db, "service");
    td_person lp;
    memset(&lp, 0, sizeof lp);
    snprintf(lp.name, sizeof lp.name, "伦敦人");
    snprintf(lp.id_type, sizeof lp.id_type, "passport");
    snprintf(lp.id_no, sizeof lp.id_no, "E70000009");
    assert_td_ok(td_person_add(db, &station, &lp, &err), &err);
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = lp.id;
    a.services[0] = "enterprise_setup";
    td_case lc;
    assert_td_ok(td_case_new(db, &station, &a, &lc, &err), &err);

    td_report_summary all, mine;
    assert_td_ok(td_report_summary_get_as(db, &admin, NULL, &all, &err), &err);
    assert_int_equal(all.cases, 4);
    assert_td_ok(td_report_summary_get_as(db, &station, NULL, &mine, &err), &err);
    assert_int_equal(mine.cases, 1);
    assert_td_ok(td_report_headline_as(db, &station, NULL, &mine, &err), &err);
    assert_int_equal(mine.cases, 1);

    /* a table: only the station's own row */
    td_stat_table t;
    assert_td_ok(td_report_table_as(db, &station, "cases.station", NULL, &t, &err), &err);
    assert_int_equal(t.nrows, 1);
    assert_int_equal((long)t.rows[0].v[0], 1);
    td_stat_table_free(&t);
    assert_td_ok(td_report_table_as(db, &admin, "cases.station", NULL, &t, &err), &err);
    assert_int_equal(t.nrows, 2);
    td_stat_table_free(&t);

    /* targets: the station's progress, not the whole city's */
    td_target_progress *tp = NULL, *tl = NULL;
    int n = 0, nl = 0;
    assert_td_ok(td_targets_progress_as(db, &station, "", &tp, &n, &err), &err);
    assert_td_ok(td_targets_progress(db, station.station_id, &tl, &nl, &err), &err);
    assert_int_equal(n, nl);
    for (int i = 0; i < n; i++)
        assert_int_equal(tp[i].done, tl[i].done);
    free(tp);
    free(tl);

    /* another station asked for: refused, audited once, nothing written */
    td_report_filter f;
    assert_td_ok(td_report_filter_make(db, NULL, NULL, "CQ", &f, &err), &err);
    long d0 = denied_rows(db);
    td_err_clear(&err);
    assert_int_equal(td_report_summary_get_as(db, &station, &f, &mine, &err), TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    td_access_denied(db, &station, NULL, &err); /* a front end showing it again */
    assert_int_equal(denied_rows(db), d0 + 1);
    char *xlsx = td_test_tmpfile(".xlsx");
    static const char *const ids[] = { "cases.state" };
    td_err_clear(&err);
    assert_int_equal(td_report_xlsx_as(db, &station, ids, 1, &f, xlsx, NULL, NULL, &err), TD_EDENIED);
    FILE *fp = fopen(xlsx, "rb");
    assert_null(fp);
    free(xlsx);
    td_err_clear(&err);
    assert_int_equal(td_report_table_as(db, &station, "cases.state", &f, &t, &err), TD_EDENIED);
    td_err_clear(&err);
    assert_int_equal(td_targets_progress_as(db, &station, f.station_id, &tp, &n, &err), TD_EDENIED);

    /* scope own: no station totals at all */
    assert_td_ok(td_user_set_scope(db, &admin, "reviewer1", TD_SCOPE_OWN, &err), &err);
    td_actor own = td_test_actor(db, "reviewer1");
    td_err_clear(&err);
    assert_int_equal(td_report_summary_get_as(db, &own, NULL, &mine, &err), TD_EDENIED);
    assert_true(wf_has_cjk(err.msg));
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
