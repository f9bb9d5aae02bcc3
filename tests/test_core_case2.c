/* test_core_case2.c — case intake: duplicate services, channel defaults by
 * role, specialists, roles, counters across a year change, case numbers of
 * two stations. */
#include "test_util.h"
#include "cases/case.h"
#include "people/person.h"
#include "workflow/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t q_int(td_db *db, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void person(td_db *db, const td_actor *by, td_person *p)
{
    memset(p, 0, sizeof *p);
    strcpy(p->name, "测试人");
    const char *f17 = "50010319900307123";
    memcpy(p->id_no, f17, 17);
    p->id_no[17] = td_id_check_char(f17);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(db, by, p, &err), &err);
}

static void args_for(td_case_new_args *a, const char *pid, const char *svc)
{
    memset(a, 0, sizeof *a);
    a->person_id = pid;
    a->services[0] = svc;
}

static void duplicate_services_collapse(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor c1 = td_test_actor(db, "clerk1");
    td_person p;
    person(db, &c1, &p);
    td_case_new_args a;
    args_for(&a, p.id, "talent_recognition");
    a.services[1] = "talent_recognition";
    a.services[2] = "startup_funding";
    a.services[3] = "talent_recognition";
    td_case k;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_case_new(db, &c1, &a, &k, &err), &err);
    assert_int_equal(q_int(db, "SELECT count(*) FROM service_requests WHERE case_id = ?", k.id), 2);
    /* every slot filled with the same service: one request, no overrun */
    td_case_new_args full;
    memset(&full, 0, sizeof full);
    full.person_id = p.id;
    for (int i = 0; i < TD_MAX_SERVICES; i++)
        full.services[i] = "startup_funding";
    assert_td_ok(td_case_new(db, &c1, &full, &k, &err), &err);
    assert_int_equal(q_int(db, "SELECT count(*) FROM service_requests WHERE case_id = ?", k.id), 1);
    /* no service, an unknown service: refused, nothing written */
    int64_t cases = q_int(db, "SELECT count(*) FROM cases", NULL);
    args_for(&a, p.id, NULL);
    assert_int_equal(td_case_new(db, &c1, &a, &k, &err), TD_EINVALID);
    args_for(&a, p.id, "no_such_service");
    a.services[1] = "talent_recognition";
    assert_int_not_equal(td_case_new(db, &c1, &a, &k, &err), TD_OK);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cases", NULL), cases);
    td_db_close(db);
}

static void channels_roles_specialists(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor c1 = td_test_actor(db, "clerk1");
    /* a person registered in Chongqing is outside a station operator's
     * default scope (intake refuses it, tests/test_access_reads.c): this
     * operator is given scope all, the channel and numbering are the test */
    td_err serr;
    td_err_clear(&serr);
    td_actor adm = td_test_actor(db, "admin");
    assert_td_ok(td_user_set_scope(db, &adm, "station1", TD_SCOPE_ALL, &serr), &serr);
    td_actor st1 = td_test_actor(db, "station1");
    td_actor rev = td_test_actor(db, "reviewer1");
    td_person p;
    person(db, &c1, &p);
    td_case_new_args a;
    td_case k;
    td_err err;
    td_err_clear(&err);
    args_for(&a, p.id_no, "talent_recognition"); /* by identity number */
    assert_td_ok(td_case_new(db, &c1, &a, &k, &err), &err);
    assert_string_equal(k.channel, "window");
    assert_string_equal(k.case_type, "recognition");
    assert_string_equal(k.state, "intake");
    assert_td_ok(td_case_new(db, &st1, &a, &k, &err), &err);
    assert_string_equal(k.channel, "overseas");
    assert_int_equal(strncmp(k.case_no, "LDN-", 4), 0);
    a.channel = "airport";
    assert_td_ok(td_case_new(db, &c1, &a, &k, &err), &err);
    assert_string_equal(k.channel, "airport");
    a.channel = "mail";
    assert_int_equal(td_case_new(db, &c1, &a, &k, &err), TD_EINVALID);
    a.channel = NULL;
    a.case_type = "other";
    assert_int_equal(td_case_new(db, &c1, &a, &k, &err), TD_EINVALID);
    a.case_type = "service";
    assert_td_ok(td_case_new(db, &c1, &a, &k, &err), &err);
    assert_string_equal(k.case_type, "service");
    a.case_type = NULL;
    /* a reviewer does not take in cases */
    assert_int_equal(td_case_new(db, &rev, &a, &k, &err), TD_EDENIED);
    /* the specialist must hold the role */
    a.specialist = "clerk1";
    assert_int_equal(td_case_new(db, &c1, &a, &k, &err), TD_ENOTFOUND);
    a.specialist = "nobody";
    assert_int_equal(td_case_new(db, &c1, &a, &k, &err), TD_ENOTFOUND);
    a.specialist = "spec1";
    assert_td_ok(td_case_new(db, &c1, &a, &k, &err), &err);
    td_actor sp = td_test_actor(db, "spec1");
    assert_string_equal(k.specialist_id, sp.user_id);
    /* an unknown person */
    args_for(&a, "nobody-at-all", "talent_recognition");
    assert_int_equal(td_case_new(db, &c1, &a, &k, &err), TD_ENOTFOUND);
    td_db_close(db);
}

static void counters_across_year(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor c1 = td_test_actor(db, "clerk1");
    /* a person registered in Chongqing is outside a station operator's
     * default scope (intake refuses it, tests/test_access_reads.c): this
     * operator is given scope all, the channel and numbering are the test */
    td_err serr;
    td_err_clear(&serr);
    td_actor adm = td_test_actor(db, "admin");
    assert_td_ok(td_user_set_scope(db, &adm, "station1", TD_SCOPE_ALL, &serr), &serr);
    td_actor st1 = td_test_actor(db, "station1");
    td_person p;
    person(db, &c1, &p);
    td_case_new_args a;
    args_for(&a, p.id, "talent_recognition");
    td_case k;
    td_err err;
    td_err_clear(&err);
    char cq[TD_CASE_NO_LEN + 8], ldn[TD_CASE_NO_LEN + 8];
    setenv("TALENTDESK_NOW", "2026-12-31T15:00:00Z", 1);
    assert_td_ok(td_case_new(db, &c1, &a, &k, &err), &err);
    snprintf(cq, sizeof cq, "%s-2026-000001", c1.station_code);
    assert_string_equal(k.case_no, cq);
    assert_td_ok(td_case_new(db, &c1, &a, &k, &err), &err);
    snprintf(cq, sizeof cq, "%s-2026-000002", c1.station_code);
    assert_string_equal(k.case_no, cq);
    assert_td_ok(td_case_new(db, &st1, &a, &k, &err), &err);
    snprintf(ldn, sizeof ldn, "%s-2026-000001", st1.station_code);
    assert_string_equal(k.case_no, ldn);
    setenv("TALENTDESK_NOW", "2027-01-01", 1);
    assert_td_ok(td_case_new(db, &c1, &a, &k, &err), &err);
    snprintf(cq, sizeof cq, "%s-2027-000001", c1.station_code);
    assert_string_equal(k.case_no, cq);
    assert_td_ok(td_case_new(db, &st1, &a, &k, &err), &err);
    snprintf(ldn, sizeof ldn, "%s-2027-000001", st1.station_code);
    assert_string_equal(k.case_no, ldn);
    /* back in 2026 (a clock set right): the 2026 counter continues */
    setenv("TALENTDESK_NOW", "2026-12-31", 1);
    assert_td_ok(td_case_new(db, &c1, &a, &k, &err), &err);
    snprintf(cq, sizeof cq, "%s-2026-000003", c1.station_code);
    assert_string_equal(k.case_no, cq);
    assert_int_equal(q_int(db, "SELECT count(*) - count(DISTINCT case_no) FROM cases", NULL), 0);
    /* every case found again by its number */
    td_case g;
    assert_td_ok(td_case_get(db, cq, &g, &err), &err);
    assert_string_equal(g.id, k.id);
    unsetenv("TALENTDESK_NOW");
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(duplicate_services_collapse),
        cmocka_unit_test(channels_roles_specialists),
        cmocka_unit_test(counters_across_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
