/* wf_fixture.h — shared set-up for the workflow tests (header only; include
 * after test_util.h).  A loaded in-memory database with the demo users plus
 * one user per single role (r_clerk, r_reviewer, r_approver, r_signer,
 * r_specialist, r_station, r_admin), persons inserted with plain SQL, and
 * helpers that put a case into a given state with every guard satisfied. */
#ifndef TD_WF_FIXTURE_H
#define TD_WF_FIXTURE_H

#include "test_util.h"

#include "base/audit.h"
#include "cases/case.h"
#include "workflow/workflow.h"
#include "workflow/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *user;
    unsigned role;
} wf_role_users[] = {
    { "r_clerk", TD_ROLE_CLERK },       { "r_reviewer", TD_ROLE_REVIEWER },
    { "r_approver", TD_ROLE_APPROVER }, { "r_signer", TD_ROLE_SIGNER },
    { "r_specialist", TD_ROLE_SPECIALIST }, { "r_station", TD_ROLE_STATION },
    { "r_admin", TD_ROLE_ADMIN },
};
#define WF_NROLES ((int)(sizeof wf_role_users / sizeof wf_role_users[0]))

static inline void wf_sql(td_db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(td_db_handle(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("SQL: expected SQLITE_OK, got: %s\n%s", msg ? msg : "?", sql);
    }
}

static inline long wf_count(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare: %s", sqlite3_errmsg(td_db_handle(db)));
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static inline void wf_text(td_db *db, const char *sql, char *out, size_t len)
{
    sqlite3_stmt *st;
    out[0] = '\0';
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare: %s", sqlite3_errmsg(td_db_handle(db)));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static inline td_db *wf_db(void)
{
    td_db *db = td_test_db_loaded();
    td_actor admin = td_test_actor(db, "admin");
    td_err err;
    td_err_clear(&err);
    for (int i = 0; i < WF_NROLES; i++) {
        char id[TD_UUID_LEN];
        assert_td_ok(td_user_add(db, &admin, wf_role_users[i].user, wf_role_users[i].user, "CQ",
                                 wf_role_users[i].role == TD_ROLE_SIGNER ? "rsj" : NULL,
                                 wf_role_users[i].role, id, &err),
                     &err);
    }
    return db;
}

/* Inserts a person with plain SQL; returns its id in out. */
static inline void wf_person(td_db *db, char out[TD_UUID_LEN])
{
    static int n;
    char sql[1024];
    n++;
    td_uuid7(out);
    snprintf(sql, sizeof sql,
             "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, updated_at) "
             "VALUES('%s', (SELECT value FROM settings WHERE key = 'local_station'), '测试人%d', "
             "'passport', 'E%08d', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
             out, n, n + 1000);
    wf_sql(db, sql);
}

/* A new case taken in by `clerk` (username) with the given services
 * (NULL-terminated list; default: enterprise_setup). */
static inline td_case wf_case_with(td_db *db, const char *clerk, const char *type,
                                   const char *const *services)
{
    td_actor by = td_test_actor(db, clerk);
    char pid[TD_UUID_LEN];
    wf_person(db, pid);
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = pid;
    a.case_type = type;
    a.specialist = "spec1";
    static const char *const def[] = { "enterprise_setup", NULL };
    if (!services)
        services = def;
    for (int i = 0; services[i] && i < TD_MAX_SERVICES; i++)
        a.services[i] = services[i];
    td_case c;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_case_new(db, &by, &a, &c, &err), &err);
    return c;
}

static inline td_case wf_case(td_db *db, const char *type)
{
    return wf_case_with(db, "clerk1", type, NULL);
}

static inline td_case wf_get(td_db *db, const char *id)
{
    td_case c;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_case_get(db, id, &c, &err), &err);
    return c;
}

/* Forces a case into `state` as if a transition had brought it there
 * (a case_events row from `from`), bypassing the engine: for tests that
 * start in the middle of the workflow. */
static inline void wf_force(td_db *db, const char *case_id, const char *from, const char *state)
{
    char sql[2048], ev[TD_UUID_LEN], now[TD_TS_LEN];
    td_uuid7(ev);
    td_now_utc(now);
    snprintf(sql, sizeof sql,
             "UPDATE cases SET state = '%s', row_version = row_version + 1 WHERE id = '%s';"
             "INSERT INTO case_events(id, case_id, seq, transition, from_state, to_state, at, created_at, "
             "updated_at) VALUES('%s', '%s', (SELECT coalesce(max(seq), 0) + 1 FROM case_events WHERE case_id = '%s'), "
             "'test', '%s', '%s', '%s', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
             state, case_id, ev, case_id, case_id, from, state, now);
    wf_sql(db, sql);
}

static inline void wf_verify_docs(td_db *db, const char *case_id)
{
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE case_documents SET status = 'verified' WHERE case_id = '%s'", case_id);
    wf_sql(db, sql);
}

static inline void wf_score(td_db *db, const char *case_id)
{
    char sql[1024], id[TD_UUID_LEN];
    td_uuid7(id);
    snprintf(sql, sizeof sql,
             "INSERT INTO score_snapshots(id, case_id, person_id, rule_set_id, rule_set_hash, as_of, route, "
             "total, tier_id, inputs_json, ledger_json, created_at, updated_at) "
             "SELECT '%s', id, person_id, 'test', 'x', '2026-03-01', 'points', 90, 'leading', '{}', '[]', "
             "'2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z' FROM cases WHERE id = '%s'",
             id, case_id);
    wf_sql(db, sql);
}

/* Approves every pending sign-off of the case (as if each department signed). */
static inline void wf_sign_all(td_db *db, const char *case_id)
{
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE signoffs SET status = 'approved' WHERE case_id = '%s' AND status = 'pending'",
             case_id);
    wf_sql(db, sql);
}

static inline long wf_audit_rows(td_db *db)
{
    return wf_count(db, "SELECT count(*) FROM audit_log");
}

/* True when s contains a CJK ideograph (a Chinese message). */
static inline int wf_has_cjk(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xE4 && *p <= 0xE9)
            return 1;
    return 0;
}

#endif
