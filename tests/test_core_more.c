/* test_core_more.c — queries, counters, stations, multi-station audit
 * chains, error messages, languages, the statement cache and the demo. */
#include "test_util.h"
#include "base/actor.h"
#include "base/audit.h"
#include "cases/case.h"
#include "setup/demo.h"
#include "base/i18n.h"
#include "people/person.h"
#include "workflow/workflow.h"
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

static void add_person(td_db *db, const td_actor *by, const char *name, const char *first17, const char *phone,
                       td_person *out)
{
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    memcpy(p.id_no, first17, 17);
    p.id_no[17] = td_id_check_char(first17);
    p.id_no[18] = '\0';
    if (phone)
        snprintf(p.phone, sizeof p.phone, "%s", phone);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(db, by, &p, &err), &err);
    if (out)
        *out = p;
}

static int count_case(const td_case *c, void *ud)
{
    (void)c;
    (*(int *)ud)++;
    return 0;
}

typedef struct {
    char nos[16][TD_CASE_NO_LEN];
    int n;
} nolist;

static int collect_case(const td_case *c, void *ud)
{
    nolist *l = ud;
    if (l->n < 16)
        snprintf(l->nos[l->n++], TD_CASE_NO_LEN, "%s", c->case_no);
    return 0;
}

static void case_queries(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor c1 = td_test_actor(db, "clerk1"), c2 = td_test_actor(db, "clerk2");
    td_err err;
    td_person a, b;
    add_person(db, &c1, "甲一", "50010319900101123", NULL, &a);
    add_person(db, &c1, "乙二", "50010319910202234", NULL, &b);
    td_case_new_args args;
    memset(&args, 0, sizeof args);
    args.services[0] = "talent_recognition";
    td_case k;
    for (int i = 0; i < 5; i++) {
        args.person_id = i < 3 ? a.id : b.id;
        assert_td_ok(td_case_new(db, i % 2 ? &c2 : &c1, &args, &k, &err), &err);
    }
    int n = 0;
    td_case_query q = { .person_id = a.id };
    assert_td_ok(td_case_list(db, &q, count_case, &n, &err), &err);
    assert_int_equal(n, 3);
    n = 0;
    q = (td_case_query){ .intake_by = c2.user_id };
    assert_td_ok(td_case_list(db, &q, count_case, &n, &err), &err);
    assert_int_equal(n, 2);
    n = 0;
    q = (td_case_query){ .assignee_id = c1.user_id, .state = "intake" };
    assert_td_ok(td_case_list(db, &q, count_case, &n, &err), &err);
    assert_int_equal(n, 3);
    long cnt = 0;
    q = (td_case_query){ .person_id = b.id };
    assert_td_ok(td_case_count(db, &q, &cnt, &err), &err);
    assert_int_equal(cnt, 2);
    /* newest first, pages do not overlap */
    nolist p1 = { .n = 0 }, p2 = { .n = 0 };
    q = (td_case_query){ .limit = 3 };
    assert_td_ok(td_case_list(db, &q, collect_case, &p1, &err), &err);
    q.offset = 3;
    assert_td_ok(td_case_list(db, &q, collect_case, &p2, &err), &err);
    assert_int_equal(p1.n, 3);
    assert_int_equal(p2.n, 2);
    for (int i = 0; i < p1.n; i++)
        for (int j = 0; j < p2.n; j++)
            assert_string_not_equal(p1.nos[i], p2.nos[j]);
    /* the state filter uses the state index, never a scan */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db),
                                        "EXPLAIN QUERY PLAN SELECT c.id FROM cases c WHERE c.state = 'intake' AND "
                                        "c.deleted_at IS NULL ORDER BY c.updated_at DESC LIMIT 5",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        assert_null(strstr((const char *)sqlite3_column_text(st, 3), "SCAN c"));
    sqlite3_finalize(st);
    td_db_close(db);
}

static void person_lookups(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor c1 = td_test_actor(db, "clerk1");
    td_err err;
    td_person a;
    add_person(db, &c1, "丙三", "50010319920303345", "13912345678", &a);
    int n = 0;
    int cb(const td_person *p, void *ud);
    td_person_query q = { .phone = "13912345678" };
    assert_td_ok(td_person_list(db, &q, cb, &n, &err), &err);
    assert_int_equal(n, 1);
    n = 0;
    q = (td_person_query){ .id_no = a.id_no };
    assert_td_ok(td_person_list(db, &q, cb, &n, &err), &err);
    assert_int_equal(n, 1);
    n = 0;
    q = (td_person_query){ .name_prefix = "丁" };
    assert_td_ok(td_person_list(db, &q, cb, &n, &err), &err);
    assert_int_equal(n, 0);
    td_person got;
    assert_int_equal(td_person_get(db, "", &got, &err), TD_ENOTFOUND);
    assert_int_equal(td_person_get(db, "13900000000", &got, &err), TD_ENOTFOUND);
    assert_non_null(strstr(err.msg, "13900000000"));
    td_db_close(db);
}

int cb(const td_person *p, void *ud)
{
    (void)p;
    (*(int *)ud)++;
    return 0;
}

static void update_refuses_duplicate_document(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor c1 = td_test_actor(db, "clerk1");
    td_err err;
    td_person a, b;
    add_person(db, &c1, "丁四", "50010319930404456", NULL, &a);
    add_person(db, &c1, "戊五", "50010319940505567", NULL, &b);
    snprintf(b.id_no, sizeof b.id_no, "%s", a.id_no);
    b.birth_date[0] = '\0';
    b.gender[0] = '\0';
    assert_int_equal(td_person_update(db, &c1, &b, &err), TD_ECONFLICT);
    assert_non_null(strstr(err.msg, "丁四"));
    td_person again;
    assert_td_ok(td_person_get(db, b.id, &again, &err), &err);
    assert_string_not_equal(again.id_no, a.id_no);
    assert_int_equal(again.row_version, 1);
    td_db_close(db);
}

static void counters_are_per_station_and_year(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_err err;
    long n;
    assert_int_equal(td_counter_next(db, "s1", 2026, "case", &n, &err), TD_ERR); /* outside a transaction */
    assert_td_ok(td_db_begin(db, &err), &err);
    assert_td_ok(td_counter_next(db, "s1", 2026, "case", &n, &err), &err);
    assert_int_equal(n, 1);
    assert_td_ok(td_counter_next(db, "s1", 2026, "case", &n, &err), &err);
    assert_int_equal(n, 2);
    assert_td_ok(td_counter_next(db, "s1", 2027, "case", &n, &err), &err);
    assert_int_equal(n, 1);
    assert_td_ok(td_counter_next(db, "s2", 2026, "case", &n, &err), &err);
    assert_int_equal(n, 1);
    assert_td_ok(td_counter_next(db, "s1", 2026, "notice", &n, &err), &err);
    assert_int_equal(n, 1);
    td_db_rollback(db);
    td_db_close(db);
}

static void stations_validated(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor admin = td_test_actor(db, "admin"), c1 = td_test_actor(db, "clerk1");
    td_err err;
    const char *bad_codes[] = { "c", "cq", "1CQ", "CQ-1", "TOOLONGCODE", "", "重庆" };
    for (size_t i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++)
        assert_int_equal(td_station_add(db, &admin, bad_codes[i], "某站", "window", NULL, &err), TD_EINVALID);
    assert_int_equal(td_station_add(db, &admin, "SYD", "悉尼站", "embassy", NULL, &err), TD_EINVALID);
    assert_int_equal(td_station_add(db, &admin, "SYD", "", "overseas", NULL, &err), TD_EINVALID);
    assert_int_equal(td_station_add(db, &admin, "SYD", "悉\x1b[2J尼", "overseas", NULL, &err), TD_EINVALID);
    assert_int_equal(td_station_add(db, &c1, "SYD", "悉尼站", "overseas", NULL, &err), TD_EDENIED);
    char id[TD_UUID_LEN];
    assert_td_ok(td_station_add(db, &admin, "SYD", "悉尼海外人才服务站", "overseas", id, &err), &err);
    assert_true(td_uuid_valid(id));
    assert_int_equal(td_station_add(db, &admin, "SYD", "重复", "overseas", NULL, &err), TD_ECONFLICT);
    assert_non_null(strstr(err.msg, "SYD"));
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'station.add'"), 1);
    td_db_close(db);
}

/* Rows synchronised from another station keep their own chain: both verify,
 * and tampering in the second is named with that station. */
static void audit_two_chains(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor admin = td_test_actor(db, "admin");
    td_err err;
    char here[TD_UUID_LEN], ldn[TD_UUID_LEN];
    assert_td_ok(td_local_station(db, here, NULL, &err), &err);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), "SELECT id FROM stations WHERE code = 'LDN'", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(ldn, sizeof ldn, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    /* write three rows as the London laptop would */
    assert_td_ok(td_db_setting_set(db, "local_station", ldn, &err), &err);
    for (int i = 0; i < 3; i++) {
        assert_td_ok(td_db_begin(db, &err), &err);
        assert_td_ok(td_audit(db, &admin, NULL, "test.row", "x", "y", "f", "a", "b", "伦敦", &err), &err);
        assert_td_ok(td_db_commit(db, &err), &err);
    }
    assert_td_ok(td_db_setting_set(db, "local_station", here, &err), &err);
    assert_td_ok(td_db_begin(db, &err), &err);
    assert_td_ok(td_audit(db, &admin, NULL, "test.row", "x", "y", "f", "a", "b", "重庆", &err), &err);
    assert_td_ok(td_db_commit(db, &err), &err);
    td_audit_report rep;
    assert_td_ok(td_audit_verify(db, &rep, &err), &err);
    assert_int_equal(rep.chains, 2);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT max(seq) FROM audit_log WHERE station_id = '%s'", ldn);
    assert_int_equal(q_int(db, sql), 3);
    snprintf(sql, sizeof sql,
             "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = '篡改' WHERE station_id = '%s' AND "
             "seq = 2",
             ldn);
    assert_td_ok(td_db_exec(db, sql, &err), &err);
    assert_int_equal(td_audit_verify(db, &rep, &err), TD_ECONFLICT);
    assert_string_equal(rep.bad_station, "LDN");
    assert_int_equal(rep.bad_seq, 2);
    td_db_close(db);
}

static void audit_needs_transaction_and_station(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_actor a;
    memset(&a, 0, sizeof a);
    assert_int_equal(td_audit(db, &a, NULL, "x", NULL, NULL, NULL, NULL, NULL, NULL, &err), TD_ERR);
    assert_td_ok(td_db_begin(db, &err), &err);
    assert_int_equal(td_audit(db, &a, NULL, "x", NULL, NULL, NULL, NULL, NULL, NULL, &err), TD_ENOTFOUND);
    assert_non_null(strstr(err.msg, "init"));
    td_db_rollback(db);
    td_db_close(db);
}

static void error_messages(void **state)
{
    (void)state;
    td_err e;
    td_err_clear(&e);
    assert_int_equal(td_err_set(&e, TD_EINVALID, "%s", "姓名不能为空"), TD_EINVALID);
    assert_int_equal(e.code, TD_EINVALID);
    td_err_prefix(&e, "%s:%d: ", "services.tdp", 42);
    assert_string_equal(e.msg, "services.tdp:42: 姓名不能为空");
    /* a long message is cut at a character boundary, never inside one */
    char big[2000] = "";
    for (int i = 0; i < 400; i++)
        strcat(big, "中");
    td_err_set(&e, TD_ERR, "%s", big);
    size_t len = strlen(e.msg);
    assert_true(len < sizeof e.msg);
    assert_int_equal(len % 3, 0);
    td_err_prefix(&e, "%s", "前缀：");
    assert_int_equal(strlen(e.msg) % 3, 0);
    assert_int_equal(td_err_set(NULL, TD_EDB, "x"), TD_EDB); /* NULL err is allowed */
    td_err_clear(NULL);
    assert_string_equal(td_status_name(TD_EDENIED), "无权限");
    assert_string_equal(td_status_name(TD_ECONFLICT), "冲突");
}

static void languages(void **state)
{
    (void)state;
    assert_string_equal(td_i18n_lang(), "zh_CN");
    assert_string_equal(_("Name is required"), "姓名不能为空");
    char loc[4096];
    snprintf(loc, sizeof loc, "%s/locale", td_test_build_dir());
    td_i18n_init("en", loc);
    assert_string_equal(td_i18n_lang(), "en");
    assert_string_equal(_("Name is required"), "Name is required");
    td_i18n_init("zh", loc);
    assert_string_equal(_("Name is required"), "姓名不能为空");
    assert_string_equal(td_state_name("awaiting_docs"), "待补正");
    assert_string_equal(td_state_name("no_such_state"), "no_such_state");
    assert_string_equal(td_request_status_name("in_progress"), "办理中");
}

static void statement_cache_eviction(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    /* more distinct statements than the cache holds: each still works */
    static char sql[100][40];
    for (int i = 0; i < 100; i++) {
        snprintf(sql[i], sizeof sql[i], "SELECT %d", i);
        sqlite3_stmt *st = td_db_prepare(db, sql[i], &err);
        assert_non_null(st);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i);
        sqlite3_reset(st);
    }
    /* the same pointer reuses the cached statement, reset and unbound */
    static const char *q = "SELECT ?1";
    sqlite3_stmt *a = td_db_prepare(db, q, &err);
    sqlite3_bind_int(a, 1, 7);
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    sqlite3_stmt *b = td_db_prepare(db, q, &err);
    assert_ptr_equal(a, b);
    assert_int_equal(sqlite3_step(b), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(b, 0), SQLITE_NULL);
    sqlite3_reset(b);
    assert_null(td_db_prepare(db, "SELEC nonsense", &err));
    assert_int_equal(err.code, TD_EDB);
    td_db_close(db);
}

static void demo_population(void **state)
{
    (void)state;
    setenv("TALENTDESK_NOW", "2026-06-15", 1);
    td_db *db = td_test_db_loaded();
    td_err err;
    assert_td_ok(td_demo_populate(db, 60, 7, &err), &err);
    assert_true(q_int(db, "SELECT count(*) FROM persons") >= 55);
    assert_true(q_int(db, "SELECT count(DISTINCT state) FROM cases") >= 8);
    /* every case in a later state got there through the engine: it has history */
    assert_int_equal(q_int(db, "SELECT count(*) FROM cases c WHERE c.state <> 'intake' AND NOT EXISTS "
                               "(SELECT 1 FROM case_events e WHERE e.case_id = c.id)"),
                     0);
    /* approved recognition cases carry a score and a talent code */
    assert_int_equal(q_int(db, "SELECT count(*) FROM cases WHERE state IN ('fulfilment','closed') AND "
                               "case_type = 'recognition' AND NOT EXISTS (SELECT 1 FROM score_snapshots s "
                               "WHERE s.case_id = cases.id)"),
                     0);
    td_audit_report rep;
    assert_td_ok(td_audit_verify(db, &rep, &err), &err);
    assert_true(rep.rows > 100);
    /* the same seed gives the same names */
    td_rng r1 = { 42 }, r2 = { 42 };
    char n1[64], n2[64], id1[19], id2[19];
    td_demo_name(&r1, n1, sizeof n1);
    td_demo_name(&r2, n2, sizeof n2);
    assert_string_equal(n1, n2);
    td_demo_resident_id(&r1, id1);
    td_demo_resident_id(&r2, id2);
    assert_string_equal(id1, id2);
    char norm[TD_IDNO_LEN];
    assert_td_ok(td_id_validate(TD_ID_RESIDENT, id1, norm, &err), &err);
    char mob[12];
    td_demo_mobile(&r1, mob);
    assert_td_ok(td_phone_validate(mob, norm, &err), &err);
    unsetenv("TALENTDESK_NOW");
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(case_queries),
        cmocka_unit_test(person_lookups),
        cmocka_unit_test(update_refuses_duplicate_document),
        cmocka_unit_test(counters_are_per_station_and_year),
        cmocka_unit_test(stations_validated),
        cmocka_unit_test(audit_two_chains),
        cmocka_unit_test(audit_needs_transaction_and_station),
        cmocka_unit_test(error_messages),
        cmocka_unit_test(languages),
        cmocka_unit_test(statement_cache_eviction),
        cmocka_unit_test(demo_population),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
