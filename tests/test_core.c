/* test_core.c — actors and roles, persons, cases and the audit chain, over
 * the real policy data with the demo users (td_test_db_loaded). */
#include "test_util.h"
#include "base/actor.h"
#include "base/audit.h"
#include "cases/case.h"
#include "people/person.h"
#include "setup/setup.h"
#include "workflow/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t q_int(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *first_service(td_db *db)
{
    static char id[64];
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db),
                                        "SELECT s.id FROM services s WHERE EXISTS (SELECT 1 FROM "
                                        "service_docs d WHERE d.service_id = s.id) ORDER BY sort, id LIMIT 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(id, sizeof id, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return id;
}

static td_person zhang(void)
{
    td_person p;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "张三");
    strcpy(p.id_no, "11010519491231002x"); /* lower-case x, typed */
    strcpy(p.phone, "+86 138-0013-8000");
    return p;
}

static void roles_parse_and_require(void **state)
{
    (void)state;
    unsigned m;
    td_err err;
    td_err_clear(&err);
    assert_true(td_roles_parse("clerk,approver", &m, &err));
    assert_int_equal(m, TD_ROLE_CLERK | TD_ROLE_APPROVER);
    assert_false(td_roles_parse("clerk,boss", &m, &err));
    assert_non_null(strstr(err.msg, "boss"));
    char buf[64];
    td_roles_format(TD_ROLE_SIGNER | TD_ROLE_ADMIN, buf, sizeof buf);
    assert_string_equal(buf, "signer,admin");
    td_actor a = { .roles = TD_ROLE_CLERK };
    assert_int_equal(td_actor_require(&a, TD_ROLE_APPROVER, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "审批"));
    assert_int_equal(td_actor_require(&a, TD_ROLE_CLERK, &err), TD_OK);
    assert_int_equal(td_role_parse("人才服务专员"), TD_ROLE_SPECIALIST);
}

static void demo_users_loaded(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor a = td_test_actor(db, "signer_rsj");
    assert_true(td_actor_has(&a, TD_ROLE_SIGNER));
    assert_false(td_actor_has(&a, TD_ROLE_CLERK));
    assert_string_equal(a.department_id, "rsj");
    assert_string_equal(a.station_code, "CQ");
    td_actor s = td_test_actor(db, "station1");
    assert_string_equal(s.station_code, "LDN");
    td_err err;
    td_actor none;
    assert_int_equal(td_actor_load(db, "nobody", &none, &err), TD_ENOTFOUND);
    /* only an admin adds users */
    td_actor clerk = td_test_actor(db, "clerk1");
    assert_int_equal(td_user_add(db, &clerk, "x1", "某人", NULL, NULL, TD_ROLE_CLERK, NULL, &err), TD_EDENIED);
    td_actor admin = td_test_actor(db, "admin");
    assert_int_equal(td_user_add(db, &admin, "Bad Name", "某人", NULL, NULL, TD_ROLE_CLERK, NULL, &err),
                     TD_EINVALID);
    assert_int_equal(td_user_add(db, &admin, "clerk1", "某人", NULL, NULL, TD_ROLE_CLERK, NULL, &err),
                     TD_ECONFLICT);
    assert_int_equal(td_user_add(db, &admin, "x2", "某人", "ZZ", NULL, TD_ROLE_CLERK, NULL, &err),
                     TD_ENOTFOUND);
    assert_td_ok(td_user_add(db, &admin, "x3", "某人", NULL, "kjj", TD_ROLE_SIGNER, NULL, &err), &err);
    assert_int_equal(td_setup_local_station(db, "XX", "x", "hq", &err), TD_ECONFLICT);
    td_db_close(db);
}

static void person_add_normalises(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_person p = zhang();
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(db, &clerk, &p, &err), &err);
    assert_true(td_uuid_valid(p.id));
    assert_string_equal(p.id_no, "11010519491231002X");
    assert_string_equal(p.id_type, "resident");
    assert_string_equal(p.birth_date, "1949-12-31");
    assert_string_equal(p.gender, "F"); /* sequence 002: even */
    assert_string_equal(p.phone, "13800138000");
    td_person got;
    assert_td_ok(td_person_get(db, "11010519491231002x", &got, &err), &err);
    assert_string_equal(got.name, "张三");
    assert_td_ok(td_person_get(db, "13800138000", &got, &err), &err);
    assert_td_ok(td_person_get(db, p.id, &got, &err), &err);
    assert_int_equal(got.row_version, 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'person.add'"), 1);
    td_db_close(db);
}

static void person_rejects(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    const char *field = NULL;

    td_person p = zhang();
    strcpy(p.name, "  ");
    assert_int_equal(td_person_validate(db, &p, &field, &err), TD_EINVALID);
    assert_string_equal(field, "name");
    assert_non_null(strstr(err.msg, "姓名"));

    p = zhang();
    strcpy(p.name, "张\x1b[2J三");
    assert_int_equal(td_person_add(db, &clerk, &p, &err), TD_EINVALID);

    p = zhang();
    strcpy(p.id_no, "110105194912310021"); /* bad check character */
    assert_int_equal(td_person_validate(db, &p, &field, &err), TD_EINVALID);
    assert_string_equal(field, "id_no");

    p = zhang();
    strcpy(p.birth_date, "1950-01-01"); /* the ID says 1949-12-31 */
    assert_int_equal(td_person_validate(db, &p, &field, &err), TD_EINVALID);
    assert_string_equal(field, "birth_date");

    p = zhang();
    strcpy(p.phone, "12345");
    assert_int_equal(td_person_validate(db, &p, &field, &err), TD_EINVALID);
    assert_string_equal(field, "phone");

    p = zhang();
    strcpy(p.email, "a@@b");
    assert_int_equal(td_person_validate(db, &p, &field, &err), TD_EINVALID);
    assert_string_equal(field, "email");

    p = zhang();
    strcpy(p.category_id, "no-such-category");
    assert_int_equal(td_person_validate(db, &p, &field, &err), TD_EINVALID);
    assert_string_equal(field, "category");

    p = zhang();
    for (int i = 0; i < 51; i++)
        strcat(p.name, "张");
    memmove(p.name, p.name + 6, strlen(p.name + 6) + 1);
    assert_int_equal(td_person_validate(db, &p, &field, &err), TD_EINVALID);
    assert_string_equal(field, "name");

    /* a reviewer cannot take a person in */
    td_actor rev = td_test_actor(db, "reviewer1");
    p = zhang();
    assert_int_equal(td_person_add(db, &rev, &p, &err), TD_EDENIED);
    assert_int_equal(q_int(db, "SELECT count(*) FROM persons"), 0);
    td_db_close(db);
}

static void person_duplicate_id(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_person a = zhang(), b = zhang();
    strcpy(b.name, "李四");
    assert_td_ok(td_person_add(db, &clerk, &a, &err), &err);
    assert_int_equal(td_person_add(db, &clerk, &b, &err), TD_ECONFLICT);
    assert_non_null(strstr(err.msg, "张三"));
    assert_null(strstr(err.msg, "11010519491231002X")); /* masked */
    assert_int_equal(q_int(db, "SELECT count(*) FROM persons"), 1);
    td_db_close(db);
}

static void person_update_stale(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor clerk = td_test_actor(db, "clerk1"), clerk2 = td_test_actor(db, "clerk2");
    td_err err;
    td_person p = zhang();
    assert_td_ok(td_person_add(db, &clerk, &p, &err), &err);
    td_person mine = p, theirs = p;
    strcpy(theirs.employer, "重庆大学");
    assert_td_ok(td_person_update(db, &clerk2, &theirs, &err), &err);
    assert_int_equal(theirs.row_version, 2);
    strcpy(mine.employer, "重庆邮电大学");
    assert_int_equal(td_person_update(db, &clerk, &mine, &err), TD_ECONFLICT);
    assert_non_null(strstr(err.msg, "此记录已被他人修改，请刷新后重试"));
    td_person got;
    assert_td_ok(td_person_get(db, p.id, &got, &err), &err);
    assert_string_equal(got.employer, "重庆大学");
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'person.update' AND "
                               "field = 'employer' AND old_value = '' AND new_value = '重庆大学'"),
                     1);
    td_db_close(db);
}

static void person_list_prefix(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    const char *names[] = { "张三", "张三丰", "张伟", "李四" };
    const char *ids[] = { "11010519491231002X", "440524188001010014", "500103199001011234", "500103198502023456" };
    for (int i = 0; i < 4; i++) {
        td_person p;
        memset(&p, 0, sizeof p);
        strcpy(p.name, names[i]);
        strcpy(p.id_no, ids[i]);
        if (i >= 2) { /* fix the check character of the made-up numbers */
            char first17[18];
            memcpy(first17, ids[i], 17);
            first17[17] = '\0';
            p.id_no[17] = td_id_check_char(first17);
        }
        assert_td_ok(td_person_add(db, &clerk, &p, &err), &err);
    }
    int n = 0;
    td_person_query q = { .name_prefix = "张" };
    int count_cb(const td_person *p, void *ud);
    assert_td_ok(td_person_list(db, &q, count_cb, &n, &err), &err);
    assert_int_equal(n, 3);
    n = 0;
    q.name_prefix = "张三";
    assert_td_ok(td_person_list(db, &q, count_cb, &n, &err), &err);
    assert_int_equal(n, 2);
    n = 0;
    q.name_prefix = NULL;
    q.limit = 2;
    assert_td_ok(td_person_list(db, &q, count_cb, &n, &err), &err);
    assert_int_equal(n, 2);
    /* the name prefix query uses the index */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db),
                                        "EXPLAIN QUERY PLAN SELECT id FROM persons WHERE name >= '张' "
                                        "AND name < '张\xF4\x8F\xBF\xBF' AND deleted_at IS NULL",
                                        -1, &st, NULL),
                     SQLITE_OK);
    bool uses_index = false;
    while (sqlite3_step(st) == SQLITE_ROW)
        uses_index |= strstr((const char *)sqlite3_column_text(st, 3), "persons_name") != NULL;
    sqlite3_finalize(st);
    assert_true(uses_index);
    td_db_close(db);
}

int count_cb(const td_person *p, void *ud)
{
    (void)p;
    (*(int *)ud)++;
    return 0;
}

static void case_new_numbers_and_checklist(void **state)
{
    (void)state;
    setenv("TALENTDESK_NOW", "2026-03-16", 1);
    td_db *db = td_test_db_loaded();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_person p = zhang();
    assert_td_ok(td_person_add(db, &clerk, &p, &err), &err);
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = "11010519491231002X";
    a.services[0] = first_service(db);
    a.specialist = "spec1";
    td_case c1, c2;
    assert_td_ok(td_case_new(db, &clerk, &a, &c1, &err), &err);
    assert_string_equal(c1.case_no, "CQ-2026-000001");
    assert_string_equal(c1.state, "intake");
    assert_string_equal(c1.intake_by, clerk.user_id);
    assert_td_ok(td_case_new(db, &clerk, &a, &c2, &err), &err);
    assert_string_equal(c2.case_no, "CQ-2026-000002");
    /* one service request, one checklist row per required document */
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM service_requests WHERE case_id = '%s'", c1.id);
    assert_int_equal(q_int(db, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM case_documents WHERE case_id = '%s' AND status = 'missing') = "
             "(SELECT count(DISTINCT doc_type_id) FROM service_docs WHERE service_id = '%s' AND required = 1)",
             c1.id, a.services[0]);
    assert_int_equal(q_int(db, sql), 1);
    /* an overseas station numbers its own cases: never the same number */
    td_actor st = td_test_actor(db, "station1");
    td_case c3;
    /* (a person registered in Chongqing is outside the station's record
     * scope: the station takes in a person it registered itself) */
    assert_int_equal(td_case_new(db, &st, &a, &c3, &err), TD_EDENIED);
    td_person lp;
    memset(&lp, 0, sizeof lp);
    snprintf(lp.name, sizeof lp.name, "伦敦人");
    snprintf(lp.id_type, sizeof lp.id_type, "passport");
    snprintf(lp.id_no, sizeof lp.id_no, "E70000001");
    assert_td_ok(td_person_add(db, &st, &lp, &err), &err);
    a.person_id = lp.id;
    assert_td_ok(td_case_new(db, &st, &a, &c3, &err), &err);
    assert_string_equal(c3.case_no, "LDN-2026-000001");
    assert_string_equal(c3.channel, "overseas");
    td_case got;
    assert_td_ok(td_case_get(db, "cq-2026-000002", &got, &err), &err);
    assert_string_equal(got.id, c2.id);
    assert_string_equal(got.person_name, "张三");
    long n = 0;
    td_case_query q = { .state = "intake" };
    assert_td_ok(td_case_count(db, &q, &n, &err), &err);
    assert_int_equal(n, 3);
    unsetenv("TALENTDESK_NOW");
    td_db_close(db);
}

static void case_new_rejects(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor clerk = td_test_actor(db, "clerk1"), appr = td_test_actor(db, "approver1");
    td_err err;
    td_person p = zhang();
    assert_td_ok(td_person_add(db, &clerk, &p, &err), &err);
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = p.id;
    td_case c;
    assert_int_equal(td_case_new(db, &clerk, &a, &c, &err), TD_EINVALID); /* no service */
    a.services[0] = "no_such_service";
    assert_int_equal(td_case_new(db, &clerk, &a, &c, &err), TD_ENOTFOUND);
    a.services[0] = first_service(db);
    a.case_type = "holiday";
    assert_int_equal(td_case_new(db, &clerk, &a, &c, &err), TD_EINVALID);
    a.case_type = NULL;
    a.specialist = "clerk2"; /* not a specialist */
    assert_int_equal(td_case_new(db, &clerk, &a, &c, &err), TD_ENOTFOUND);
    a.specialist = NULL;
    assert_int_equal(td_case_new(db, &appr, &a, &c, &err), TD_EDENIED);
    a.person_id = "nobody";
    assert_int_equal(td_case_new(db, &clerk, &a, &c, &err), TD_ENOTFOUND);
    assert_int_equal(q_int(db, "SELECT count(*) FROM cases"), 0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM service_requests"), 0);
    td_db_close(db);
}

static void audit_chain_verifies_and_detects(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_person p = zhang();
    assert_td_ok(td_person_add(db, &clerk, &p, &err), &err);
    td_audit_report rep;
    assert_td_ok(td_audit_verify(db, &rep, &err), &err);
    assert_true(rep.rows >= 3);
    assert_int_equal(rep.chains, 1);
    assert_string_equal(rep.bad_id, "");
    /* tamper with one row (the trigger must be dropped first) */
    assert_td_ok(td_db_exec(db,
                            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET new_value = '李四' "
                            "WHERE action = 'person.add'",
                            &err),
                 &err);
    assert_int_equal(td_audit_verify(db, &rep, &err), TD_ECONFLICT);
    assert_true(rep.bad_seq > 0);
    assert_non_null(strstr(err.msg, rep.bad_id));
    assert_non_null(strstr(rep.problem, "篡改"));
    td_db_close(db);
}

static void audit_chain_detects_removal(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_err err;
    td_audit_report rep;
    assert_td_ok(td_db_exec(db,
                            "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2",
                            &err),
                 &err);
    assert_int_equal(td_audit_verify(db, &rep, &err), TD_ECONFLICT);
    assert_int_equal(rep.bad_seq, 3);
    td_db_close(db);
}

static void audit_refuses_update(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_err err;
    assert_int_equal(td_db_exec(db, "UPDATE audit_log SET reason = 'x'", &err), TD_EDB);
    assert_int_equal(td_db_exec(db, "DELETE FROM audit_log", &err), TD_EDB);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_parse_and_require),
        cmocka_unit_test(demo_users_loaded),
        cmocka_unit_test(person_add_normalises),
        cmocka_unit_test(person_rejects),
        cmocka_unit_test(person_duplicate_id),
        cmocka_unit_test(person_update_stale),
        cmocka_unit_test(person_list_prefix),
        cmocka_unit_test(case_new_numbers_and_checklist),
        cmocka_unit_test(case_new_rejects),
        cmocka_unit_test(audit_chain_verifies_and_detects),
        cmocka_unit_test(audit_chain_detects_removal),
        cmocka_unit_test(audit_refuses_update),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
