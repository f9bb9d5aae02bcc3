/* test_due_resume.c — a new holiday calendar's due-date moves are written in
 * short transactions after the policy commits (src/workflow/wf_due.h): a
 * kill -9 between two of them leaves the new policy and the rest of the plan,
 * `talentdesk check` says so, and the next load (or td_due_resume) finishes
 * it — each move exactly once, audited, captured for sync, and the result the
 * same as a recount that was never interrupted (on a copy of the database). */
#include "wf_fixture.h"

#include "setup/check.h"
#include "setup/demo.h"
#include "setup/policy_load.h"
#include "setup/setup.h"
#include "workflow/wf_due.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define NCASES 12

/* A file database like wf_db(): data/ loaded, station CQ, the demo users. */
static td_db *file_db(const char *path)
{
    td_db *db;
    td_err err;
    td_err_clear(&err);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data", td_test_src_dir());
    assert_td_ok(td_db_open(path, &db, &err), &err);
    assert_td_ok(td_policy_load_all(db, dir, NULL, &err), &err);
    assert_td_ok(td_setup_local_station(db, "CQ", "重庆市留学回国人员一站式服务窗口", "hq", &err), &err);
    assert_td_ok(td_demo_users(db, &err), &err);
    td_actor admin = td_test_actor(db, "admin");
    for (int i = 0; i < WF_NROLES; i++) {
        char id[TD_UUID_LEN];
        assert_td_ok(td_user_add(db, &admin, wf_role_users[i].user, wf_role_users[i].user, "CQ",
                                 wf_role_users[i].role == TD_ROLE_SIGNER ? "rsj" : NULL, wf_role_users[i].role, id,
                                 &err),
                     &err);
    }
    return db;
}

/* An open case in fulfilment since `now` with one task: both due in 2027
 * (approximate) when taken in late December 2026. */
static void fulfilled(td_db *db, const char *now)
{
    setenv("TALENTDESK_NOW", now, 1);
    const char *svc[] = { "competition_entry", NULL };
    td_case c = wf_case_with(db, "clerk1", "service", svc);
    td_actor clerk = td_test_actor(db, "clerk1"), ap = td_test_actor(db, "approver1");
    td_err err;
    td_err_clear(&err);
    wf_verify_docs(db, c.id);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "submit", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &clerk, c.id, "docs_ok_service", NULL, 0, NULL, &err), &err);
    assert_td_ok(td_wf_act(db, &ap, c.id, "approve_service", NULL, 0, NULL, &err), &err);
}

static char *data_with_2027(void)
{
    char *dir = td_test_tmpfile(".data");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp -r '%s/data/.' '%s/' && cp '%s/tests/fixtures/calendar-2027.tdp' '%s/'",
             dir, td_test_src_dir(), dir, td_test_src_dir(), dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

/* Every row of sql, one per line, as text (for comparing two databases). */
static char *dump(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(cap, 1);
    assert_non_null(out);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            size_t need = len + (v ? strlen(v) : 4) + 4;
            if (need >= cap) {
                cap = need * 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            len += (size_t)snprintf(out + len, cap - len, "%s%s", v ? v : "NULL", i + 1 < sqlite3_column_count(st) ? "|" : "\n");
        }
    }
    sqlite3_finalize(st);
    return out;
}

static void cp_db(const char *from, const char *to)
{
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && cp '%s.key' '%s.key'", from, to, from, to);
    assert_int_equal(system(cmd), 0);
}

static void rm_db(const char *p)
{
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm' '%s.key' '%s.checked'", p, p, p, p, p);
    assert_int_equal(system(cmd), 0);
}

static void killed(long batch)
{
    if (batch == 2)
        raise(SIGKILL);
}

static const char *const DUES =
    "SELECT 'c', id, due_date, due_approx, row_version FROM cases "
    "UNION ALL SELECT 'r', id, due_date, due_approx, row_version FROM service_requests "
    "UNION ALL SELECT 'n', id, deadline, deadline_approx, row_version FROM notices ORDER BY 1, 2";
static const char *const MOVES =
    "SELECT entity, entity_id, case_id, field, old_value, new_value, reason, user_id FROM audit_log "
    "WHERE action = 'due.recompute' ORDER BY entity, entity_id";
/* the sync operations of the moves, each with the audit entry of its act */
static const char *const OPS =
    "SELECT o.tbl, o.row_id, o.col, o.kind, quote(o.base), quote(o.new), o.user_id, a.action, a.entity_id = o.row_id "
    "FROM local_sync_ops o LEFT JOIN audit_log a ON a.id = o.audit_id "
    "WHERE o.col IN ('due_date', 'due_approx', 'deadline', 'deadline_approx') ORDER BY o.tbl, o.row_id, o.col, o.seq";

static void kill_mid_recount_completes_once(void **state)
{
    (void)state;
    char *pa = td_test_tmpfile(".db"), *pb = td_test_tmpfile(".db");
    td_db *db = file_db(pa);
    for (int i = 0; i < NCASES; i++)
        fulfilled(db, i % 2 ? "2026-12-28" : "2026-12-29");
    td_db_close(db);
    cp_db(pa, pb);
    char *dir = data_with_2027();
    setenv("TALENTDESK_NOW", "2026-12-30", 1);
    long ops_before;
    {
        td_err err;
        td_err_clear(&err);
        assert_td_ok(td_db_open(pa, &db, &err), &err);
        ops_before = wf_count(db, "SELECT count(*) FROM local_sync_ops");
        td_db_close(db);
    }

    /* the reference: the same database, the recount never interrupted */
    td_err err;
    td_err_clear(&err);
    td_db *ref;
    assert_td_ok(td_db_open(pb, &ref, &err), &err);
    td_actor admin = td_test_actor(ref, "admin");
    td_due_report rep;
    assert_td_ok(td_policy_load_as(ref, &admin, dir, &rep, &err), &err);
    assert_int_equal(rep.changed, 2 * NCASES); /* each case and its task */
    assert_true(rep.changed > 3 * 5);          /* more than the killed child's two batches */

    /* killed (SIGKILL: no cleanup) after the second batch of five moves */
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        td_db *c;
        td_err e;
        td_err_clear(&e);
        if (td_db_open(pa, &c, &e))
            _exit(3);
        td_actor a = td_test_actor(c, "admin");
        td_due_set_batch(5, killed);
        td_due_report r;
        td_policy_load_as(c, &a, dir, &r, &e);
        _exit(4); /* not reached: killed in the second batch's aftermath */
    }
    int ws;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    assert_true(WIFSIGNALED(ws));
    assert_int_equal(WTERMSIG(ws), SIGKILL);

    assert_td_ok(td_db_open(pa, &db, &err), &err);
    /* the new calendar is in force; two batches written, the rest planned */
    assert_int_equal(wf_count(db, "SELECT count(*) FROM calendar_days WHERE id LIKE '2027-%'"),
                     wf_count(ref, "SELECT count(*) FROM calendar_days WHERE id LIKE '2027-%'"));
    assert_true(wf_count(db, "SELECT count(*) FROM calendar_days WHERE id LIKE '2027-%'") > 0);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'due.recompute'"), 10);
    long left;
    assert_td_ok(td_due_pending(db, &left, &err), &err);
    assert_int_equal(left, rep.changed - 10);
    /* `talentdesk check` says so */
    bool ok = true;
    char detail[600];
    assert_td_ok(td_check_run(db, "due_recount", NULL, NULL, &(int){ 0 }, &err), &err);
    for (const td_check *c = td_checks; c->name; c++)
        if (strcmp(c->name, "due_recount") == 0)
            assert_td_ok(c->fn(db, &ok, detail, sizeof detail, &err), &err);
    assert_false(ok);
    assert_non_null(strstr(detail, "policy load"));

    /* the next load (calendar unchanged now) finishes the moves first */
    admin = td_test_actor(db, "admin");
    td_due_report again;
    assert_td_ok(td_policy_load_as(db, &admin, dir, &again, &err), &err);
    assert_int_equal(again.examined, 0);
    assert_td_ok(td_due_pending(db, &left, &err), &err);
    assert_int_equal(left, 0);
    for (const td_check *c = td_checks; c->name; c++)
        if (strcmp(c->name, "due_recount") == 0)
            assert_td_ok(c->fn(db, &ok, detail, sizeof detail, &err), &err);
    assert_true(ok);

    /* exactly once each, and the same dates, audit entries and sync
     * operations as the uninterrupted recount */
    assert_int_equal(wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'due.recompute'"), rep.changed);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM (SELECT entity_id FROM audit_log WHERE action = "
                                  "'due.recompute' GROUP BY entity_id HAVING count(*) > 1)"),
                     0);
    char *a = dump(db, DUES), *b = dump(ref, DUES);
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = dump(db, MOVES);
    b = dump(ref, MOVES);
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = dump(db, OPS);
    b = dump(ref, OPS);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* every move's operations belong to its own audited act */
    assert_int_equal(wf_count(db, "SELECT count(*) FROM local_sync_ops o JOIN audit_log a ON a.id = o.audit_id "
                                  "WHERE a.action = 'due.recompute' AND a.entity_id = o.row_id AND o.col = 'due_date'"),
                     rep.changed);
    assert_true(wf_count(db, "SELECT count(*) FROM local_sync_ops") > ops_before);
    /* and the audit chain still verifies */
    td_audit_report ar;
    assert_td_ok(td_audit_verify(db, &ar, &err), &err);
    assert_string_equal(ar.bad_id, "");

    td_db_close(db);
    td_db_close(ref);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    rm_db(pa);
    rm_db(pb);
    free(pa);
    free(pb);
    free(dir);
    unsetenv("TALENTDESK_NOW");
}

/* A date a clerk changed after the plan (under the new calendar) is left as
 * the clerk set it: the planned move is dropped, not written over it. */
static void a_date_changed_since_the_plan_is_left(void **state)
{
    (void)state;
    td_db *db = wf_db();
    for (int i = 0; i < 3; i++)
        fulfilled(db, "2026-12-28");
    char *dir = data_with_2027();
    setenv("TALENTDESK_NOW", "2026-12-30", 1);
    td_actor admin = td_test_actor(db, "admin");
    td_err err;
    td_err_clear(&err);
    /* a plan without its writing: the policy transaction alone */
    td_calendar *old_cal, *new_cal;
    assert_td_ok(td_calendar_load(db, &old_cal, &err), &err);
    assert_td_ok(td_policy_load_all(db, dir, admin.user_id, &err), &err);
    assert_td_ok(td_calendar_load(db, &new_cal, &err), &err);
    assert_td_ok(td_db_begin(db, &err), &err);
    td_due_report rep;
    assert_td_ok(td_due_plan(db, &admin, old_cal, new_cal, &rep, &err), &err);
    assert_td_ok(td_db_commit(db, &err), &err);
    td_calendar_free(old_cal);
    td_calendar_free(new_cal);
    assert_int_equal(rep.changed, 6);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'due.recompute'"), 0);
    /* a clerk sets one task's date meanwhile */
    wf_sql(db, "UPDATE service_requests SET due_date = '2027-02-01', due_approx = 0, row_version = row_version + 1 "
               "WHERE id = (SELECT row_id FROM local_due_pending WHERE entity = 'service_requests' ORDER BY seq LIMIT 1)");
    long applied;
    assert_td_ok(td_due_resume(db, &applied, &err), &err);
    assert_int_equal(applied, 5);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM service_requests WHERE due_date = '2027-02-01'"), 1);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM audit_log WHERE action = 'due.recompute'"), 5);
    assert_int_equal(wf_count(db, "SELECT count(*) FROM local_due_pending"), 0);
    /* nothing left: a second call writes nothing */
    assert_td_ok(td_due_resume(db, &applied, &err), &err);
    assert_int_equal(applied, 0);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
    unsetenv("TALENTDESK_NOW");
    td_db_close(db);
}

/* Killed mid-recount, then a load of another calendar change (1–5 January
 * off): the load first writes the moves left, then counts from the dates as
 * they then stand — the same dates and audit entries as the two loads
 * uninterrupted. */
static void a_second_calendar_after_a_kill(void **state)
{
    (void)state;
    char *pa = td_test_tmpfile(".db"), *pb = td_test_tmpfile(".db");
    td_db *db = file_db(pa);
    for (int i = 0; i < NCASES; i++)
        fulfilled(db, i % 2 ? "2026-12-28" : "2026-12-29");
    td_db_close(db);
    cp_db(pa, pb);
    char *dir = data_with_2027(), *dir2 = data_with_2027();
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "sed -i 's/^off = 2027-01-01..2027-01-03$/off = 2027-01-01..2027-01-05/' "
                              "'%s/calendar-2027.tdp' && grep -q '01-05$' '%s/calendar-2027.tdp'",
             dir2, dir2);
    assert_int_equal(system(cmd), 0);
    setenv("TALENTDESK_NOW", "2026-12-30", 1);
    td_err err;
    td_err_clear(&err);
    td_db *ref;
    assert_td_ok(td_db_open(pb, &ref, &err), &err);
    td_actor admin = td_test_actor(ref, "admin");
    td_due_report rep;
    assert_td_ok(td_policy_load_as(ref, &admin, dir, &rep, &err), &err);
    assert_td_ok(td_policy_load_as(ref, &admin, dir2, &rep, &err), &err);
    assert_true(rep.changed > 0);

    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        td_db *c;
        td_err e;
        td_err_clear(&e);
        if (td_db_open(pa, &c, &e))
            _exit(3);
        td_actor a = td_test_actor(c, "admin");
        td_due_set_batch(5, killed);
        td_due_report r;
        td_policy_load_as(c, &a, dir, &r, &e);
        _exit(4);
    }
    int ws;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    assert_true(WIFSIGNALED(ws));
    assert_td_ok(td_db_open(pa, &db, &err), &err);
    long left;
    assert_td_ok(td_due_pending(db, &left, &err), &err);
    assert_true(left > 0);
    admin = td_test_actor(db, "admin");
    assert_td_ok(td_policy_load_as(db, &admin, dir2, &rep, &err), &err);
    assert_td_ok(td_due_pending(db, &left, &err), &err);
    assert_int_equal(left, 0);
    char *a = dump(db, DUES), *b = dump(ref, DUES);
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = dump(db, MOVES);
    b = dump(ref, MOVES);
    assert_string_equal(a, b);
    free(a);
    free(b);
    td_db_close(db);
    td_db_close(ref);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", dir, dir2);
    assert_int_equal(system(cmd), 0);
    rm_db(pa);
    rm_db(pb);
    free(pa);
    free(pb);
    free(dir);
    free(dir2);
    unsetenv("TALENTDESK_NOW");
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kill_mid_recount_completes_once),
        cmocka_unit_test(a_date_changed_since_the_plan_is_left),
        cmocka_unit_test(a_second_calendar_after_a_kill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
