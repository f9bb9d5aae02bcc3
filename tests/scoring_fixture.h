/* scoring_fixture.h — a small database for the scoring tests: station CQ,
 * admin plus users clerk_s (clerk), rev_s (reviewer), appr_s (approver),
 * spec_s (specialist), one person and one recognition case inserted
 * directly (so these tests do not depend on reference data), and the 金凤凰
 * tiers.  Header-only; include after test_util.h. */
#ifndef TD_SCORING_FIXTURE_H
#define TD_SCORING_FIXTURE_H

#include "base/actor.h"
#include "base/db.h"
#include "recognition/facts.h"
#include "setup/setup.h"
#include "base/uuid.h"

#include <stdio.h>
#include <string.h>

typedef struct fx {
    td_db *db;
    td_actor admin, clerk, reviewer, approver, specialist;
    char person_id[TD_UUID_LEN];
    char case_id[TD_UUID_LEN];
} fx;

static __attribute__((unused)) void fx_exec(td_db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(td_db_handle(db), sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* Inserts a person and a case; writes their ids. */
static __attribute__((unused)) void fx_person_case(fx *f, const char *name, char pid[TD_UUID_LEN], char cid[TD_UUID_LEN])
{
    static int seq;
    char sql[2048];
    td_uuid7(pid);
    td_uuid7(cid);
    seq++;
    snprintf(sql, sizeof sql,
             "INSERT INTO persons (id, station_id, name, id_type, id_no, birth_date, created_at,"
             " updated_at) VALUES ('%s', '%s', '%s', 'passport', 'P%07d', '1990-06-01',"
             " '2026-06-01T02:00:00.000Z', '2026-06-01T02:00:00.000Z');"
             "INSERT INTO cases (id, case_no, person_id, station_id, case_type, state, intake_by,"
             " state_since, created_at, updated_at) VALUES ('%s', 'CQ-2026-%06d', '%s', '%s',"
             " 'recognition', 'scoring', '%s', '2026-06-01T02:00:00.000Z',"
             " '2026-06-01T02:00:00.000Z', '2026-06-01T02:00:00.000Z');",
             pid, f->admin.station_id, name, seq, cid, seq, pid, f->admin.station_id,
             f->clerk.user_id);
    fx_exec(f->db, sql);
}

static __attribute__((unused)) void fx_setup(fx *f)
{
    memset(f, 0, sizeof *f);
    f->db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_setup_local_station(f->db, "CQ", "测试窗口", "hq", &err), &err);
    f->admin = td_test_actor(f->db, "admin");
    char id[TD_UUID_LEN];
    assert_td_ok(td_user_add(f->db, &f->admin, "clerk_s", "Clerk", "CQ", NULL, TD_ROLE_CLERK, id, &err),
                 &err);
    assert_td_ok(td_user_add(f->db, &f->admin, "rev_s", "Reviewer", "CQ", NULL, TD_ROLE_REVIEWER, id,
                             &err),
                 &err);
    assert_td_ok(td_user_add(f->db, &f->admin, "appr_s", "Approver", "CQ", NULL, TD_ROLE_APPROVER, id,
                             &err),
                 &err);
    assert_td_ok(td_user_add(f->db, &f->admin, "spec_s", "Specialist", "CQ", NULL,
                             TD_ROLE_SPECIALIST, id, &err),
                 &err);
    f->clerk = td_test_actor(f->db, "clerk_s");
    f->reviewer = td_test_actor(f->db, "rev_s");
    f->approver = td_test_actor(f->db, "appr_s");
    f->specialist = td_test_actor(f->db, "spec_s");
    fx_exec(f->db,
            "INSERT OR IGNORE INTO tiers (id, name, rank, created_at, updated_at) VALUES"
            " ('top','顶尖人才',1,'x','x'), ('outstanding','杰出人才',2,'x','x'),"
            " ('leading','领军人才',3,'x','x'), ('young','青年人才',4,'x','x'),"
            " ('basic','基础人才',5,'x','x')");
    fx_person_case(f, "测试人", f->person_id, f->case_id);
}

static __attribute__((unused)) void fx_teardown(fx *f)
{
    td_db_close(f->db);
}

/* Adds a stored fact "name=value[@date]" for the person, verified or not. */
static __attribute__((unused)) void fx_fact(fx *f, const char *person_id, const char *kv, bool verified)
{
    td_fact fact;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_fact_parse_kv(kv, verified, &fact, &err), &err);
    snprintf(fact.person_id, sizeof fact.person_id, "%s", person_id);
    if (verified)
        snprintf(fact.evidence, sizeof fact.evidence, "original seen");
    assert_td_ok(td_fact_add(f->db, verified ? &f->reviewer : &f->clerk, &fact, &err), &err);
}

#endif
