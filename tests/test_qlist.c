/* test_qlist.c — the work queues as screens page them (src/search/qlist.h):
 * every queue statement's EXPLAIN QUERY PLAN goes through the queue's index
 * with no temporary sort and no scan; pages forward and back return exactly
 * the rows of a reference query in order; counts are capped; find-in-list
 * goes through the search indexes restricted to the queue; traditional and
 * simplified names match each other; 𠮷 has pinyin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#include "people/dedupe.h"
#include "people/namefold.h"
#include "people/person.h"
#include "people/pinyin.h"
#include "search/qlist.h"
#include "search/search.h"

typedef struct fx {
    td_db *db;
    td_actor c1, c2;
} fx;

static const char *const names[] = { "张三", "李四", "王伟", "陳大文", "欧阳娜娜", "𠮷然晓", "张伟", "刘芳" };
static const char *const states[] = { "intake", "doc_check", "awaiting_docs", "approval", "closed", "closed",
                                      "rejected", "fulfilment", "withdrawn", "recognition" };
#define NCASES 700
#define TODAY "2026-06-15"

static void exec(fx *f, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(td_db_handle(f->db), sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->db = td_test_db_loaded();
    f->c1 = td_test_actor(f->db, "clerk1");
    f->c2 = td_test_actor(f->db, "reviewer1");
    *state = f;
    sqlite3 *h = td_db_handle(f->db);
    sqlite3_stmt *ps, *cs;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, "
                                        "updated_at) VALUES(?1, ?2, ?3, 'passport', ?4, ?5, ?5)",
                                        -1, &ps, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "INSERT INTO cases(id, case_no, person_id, station_id, case_type, state, "
                                        "intake_by, assignee_id, state_since, due_date, created_at, updated_at) "
                                        "VALUES(?1, ?2, ?3, ?4, 'recognition', ?5, ?6, ?7, ?8, ?9, ?8, ?8)",
                                        -1, &cs, NULL),
                     SQLITE_OK);
    exec(f, "BEGIN");
    for (int i = 0; i < NCASES; i++) {
        char pid[TD_UUID_LEN], cid[TD_UUID_LEN], idno[32], cno[32], ts[TD_TS_LEN], due[TD_DATE_LEN];
        td_uuid7(pid);
        td_uuid7(cid);
        snprintf(idno, sizeof idno, "E%08d", i);
        snprintf(cno, sizeof cno, "CQ-2026-%06d", i + 1);
        /* many ties on updated_at: the rowid breaks them */
        snprintf(ts, sizeof ts, "2026-%02d-%02dT08:00:00.000Z", 1 + (i / 7) % 12, 1 + (i / 3) % 28);
        snprintf(due, sizeof due, "2026-%02d-%02d", 1 + (i * 5) % 12, 1 + (i * 11) % 28);
        sqlite3_bind_text(ps, 1, pid, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 2, f->c1.station_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 3, names[i % 8], -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 4, idno, -1, SQLITE_STATIC);
        sqlite3_bind_text(ps, 5, ts, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(ps), SQLITE_DONE);
        sqlite3_reset(ps);
        /* intake by clerk1 or reviewer1; assigned to either, or nobody */
        const char *in = i % 3 == 2 ? f->c2.user_id : f->c1.user_id;
        const char *as = i % 5 == 0 ? NULL : i % 5 < 3 ? f->c1.user_id : f->c2.user_id;
        sqlite3_bind_text(cs, 1, cid, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 2, cno, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 3, pid, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 4, f->c1.station_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 5, states[i % 10], -1, SQLITE_STATIC);
        sqlite3_bind_text(cs, 6, in, -1, SQLITE_STATIC);
        td_bind_text(cs, 7, as);
        sqlite3_bind_text(cs, 8, ts, -1, SQLITE_STATIC);
        td_bind_text(cs, 9, i % 4 == 0 ? NULL : due);
        assert_int_equal(sqlite3_step(cs), SQLITE_DONE);
        sqlite3_reset(cs);
    }
    /* clerk1 follows some persons as their service specialist (我的案件's
     * third arm: schema 018), also of cases reviewer1 took in */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE cases SET specialist_id = '%s' WHERE rowid %% 7 = 3", f->c1.user_id);
    exec(f, sql);
    exec(f, "COMMIT");
    sqlite3_finalize(ps);
    sqlite3_finalize(cs);
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    td_db_close(f->db);
    free(f);
    return 0;
}

static void plan_of(td_db *db, const char *sql, char *plan, size_t len)
{
    char *q = NULL;
    if (asprintf(&q, "EXPLAIN QUERY PLAN %s", sql) < 0)
        fail();
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(td_db_handle(db)));
    plan[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        strncat(plan, (const char *)sqlite3_column_text(st, 3), len - strlen(plan) - 2);
        strcat(plan, "\n");
    }
    sqlite3_finalize(st);
    free(q);
}

/* A SCAN of a table (not of a LIMITed subquery or a constant row, nor an
 * ordered scan of index `ok` that the LIMIT stops). */
static bool scans_table(const char *plan, const char *ok)
{
    for (const char *l = plan; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        const char *t = l;
        while (*t == ' ')
            t++;
        if (strncmp(t, "SCAN ", 5) == 0 && strncmp(t, "SCAN (subquery", 14) != 0 &&
            strncmp(t, "SCAN CONSTANT ROW", 17) != 0) {
            const char *nl = strchr(t, '\n');
            const char *ix = ok ? strstr(t, ok) : NULL;
            if (!ix || (nl && ix > nl) || !strstr(t, "USING"))
                return true;
        }
    }
    return false;
}

/* The index each queue must page by (its first arm's). */
static const char *const queue_index[] = { "cases_q_mine_intake", "cases_q_state", "cases_q_state",
                                           "cases_q_state", "cases_q_state", "cases_q_state", "cases_q_signoff",
                                           "cases_q_state", "cases_q_overdue", "cases_q_state", "cases_updated" };

static void check_queue_plans(fx *f)
{
    td_err err;
    assert_int_equal(td_qlist_count_queues(), (int)(sizeof queue_index / sizeof queue_index[0]));
    for (int q = 0; q < td_qlist_count_queues(); q++) {
        td_qlist *ql = td_qlist_open(f->db, q, f->c1.user_id, "", TODAY, &err);
        assert_non_null(ql);
        for (int i = 0; i < TD_QLIST_NSQL; i++) {
            const char *sql = td_qlist_sql(ql, i);
            if (!sql)
                break;
            char plan[8192];
            plan_of(f->db, sql, plan, sizeof plan);
            /* the walk of find (its skip and its per-row test) pages the
             * queue's own index like a page; the hit's row comes by rowid */
            bool walk = strstr(sql, "OFFSET ?22") || strstr(sql, "local_person_pinyin y");
            bool row = strstr(sql, "WHERE c.rowid = ?3") != NULL;
            /* find by pinyin initials (schema 026): the initials index in
             * queue order from the anchor, each case by rowid, no sort */
            if (strstr(plan, "BLOOM FILTER"))
                fail_msg("queue %d statement %d builds a Bloom filter:\n%s", q, i, plan);
            if (strstr(sql, "local_case_find")) {
                const char *ix = strstr(sql, "substr(k.name, 1, 1)") ? "local_case_find_name1 (<expr>=? AND updated_at"
                                 : strstr(sql, "substr(k.name, 1, 2)") ? "local_case_find_name2 (<expr>=? AND updated_at"
                                 : q == td_qlist_lookup("Overdue") ? "local_case_find_initials_due (initials=? AND due_open"
                                                                   : "local_case_find_initials (initials=? AND updated_at";
                if (scans_table(plan, NULL) || strstr(plan, "TEMP B-TREE") || !strstr(plan, ix) ||
                    !strstr(plan, "INTEGER PRIMARY KEY"))
                    fail_msg("queue %d statement %d: initials find not through %s:\n%s", q, i, ix, plan);
                continue;
            }
            bool find = !walk && !row && (strstr(sql, "local_person_pinyin") || strstr(sql, "case_no >="));
            if (getenv("QLIST_PLANS"))
                fprintf(stderr, "-- queue %d statement %d\n%s\n", q, i, plan);
            /* a Bloom filter is built by reading a whole table first */
            if (strstr(plan, "BLOOM FILTER"))
                fail_msg("queue %d statement %d builds a Bloom filter:\n%s", q, i, plan);
            if (row) {
                if (scans_table(plan, NULL) || !strstr(plan, "INTEGER PRIMARY KEY"))
                    fail_msg("queue %d statement %d: the hit's row not by rowid:\n%s", q, i, plan);
            } else if (!find) {
                /* pages and counts: the queue's own index, ordered, no scan */
                /* the sign-off queue's index holds the case id after the
                 * key (for its EXISTS probe), so rows tied on updated_at are
                 * put in rowid order by a sort of each tie group alone
                 * ("RIGHT PART"), which the LIMIT stops; never a sort of
                 * the queue */
                const char *tb = strstr(plan, "TEMP B-TREE");
                if (tb && q == td_qlist_lookup("Joint sign-off pending") &&
                    strncmp(tb, "TEMP B-TREE FOR RIGHT PART OF ORDER BY", 38) == 0 &&
                    !strstr(tb + 1, "TEMP B-TREE"))
                    tb = NULL;
                if (scans_table(plan, queue_index[q]) || tb || !strstr(plan, queue_index[q]))
                {
                    fprintf(stderr, "%s\n", plan);
                    fail_msg("queue %d statement %d not through %s", q, i, queue_index[q]);
                }
                if (q == 0 && (!strstr(plan, "cases_q_mine_assignee") || !strstr(plan, "cases_q_mine_specialist")))
                    fail_msg("my cases statement %d misses an arm:\n%s", i, plan);
            } else {
                /* finds: candidates from the search indexes, cases by rowid;
                 * the only sort is over the matches */
                /* the candidates (their number, or their ids), capped */
                bool count = strncmp(sql, "SELECT count(*)", 15) == 0 || strncmp(sql, "SELECT id FROM (", 16) == 0;
                if (scans_table(plan, NULL) || (!count && !strstr(plan, "INTEGER PRIMARY KEY")))
                {
                    fprintf(stderr, "%s\n", plan);
                    fail_msg("queue %d find %d scans", q, i);
                }
                if (strstr(sql, "local_person_pinyin") &&
                    (!strstr(plan, "persons_name") || !strstr(plan, "local_person_pinyin_initials") ||
                     !strstr(plan, "local_person_fold_fold") || (!count && !strstr(plan, "person_id=?"))))
                    fail_msg("queue %d find %d not through the search indexes:\n%s", q, i, plan);
            }
        }
        td_qlist_close(ql);
    }
}

/* Every queue statement through its index, with the fixture's statistics
 * (none), then with those of a database imported and closed (PRAGMA
 * optimize) before its search keys were built: persons and cases of
 * 20,000 rows analyzed, the key tables not. */
static void test_queue_plans(void **state)
{
    fx *f = *state;
    td_err err;
    check_queue_plans(f);
    assert_td_ok(td_db_exec(f->db, "ANALYZE", &err), &err);
    assert_td_ok(td_db_exec(f->db,
                            "DELETE FROM sqlite_stat1 WHERE tbl IN ('local_person_pinyin','local_person_fold',"
                            "'local_case_find');"
                            "UPDATE sqlite_stat1 SET stat = '20000' || substr(stat, instr(stat, ' ')) "
                            "WHERE tbl IN ('persons','cases') AND instr(stat, ' ') > 0;"
                            "ANALYZE sqlite_schema",
                            &err),
                 &err);
    check_queue_plans(f);
}

/* The reference: the same queue by a plain (slow) query. */
static int reference(fx *f, const char *where, const char *order, char (*ids)[TD_UUID_LEN], int max)
{
    char *sql = NULL;
    if (asprintf(&sql, "SELECT c.id FROM cases c WHERE c.deleted_at IS NULL AND (%s) ORDER BY %s", where, order) < 0)
        fail();
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(f->db), sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, f->c1.user_id, -1, SQLITE_STATIC);
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        snprintf(ids[n++], TD_UUID_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    free(sql);
    return n;
}

static void check_queue(fx *f, int q, const char *where, const char *order)
{
    static char want[NCASES][TD_UUID_LEN];
    int nw = reference(f, where, order, want, NCASES);
    assert_true(nw > 10);
    td_err err;
    td_qlist *ql = td_qlist_open(f->db, q, f->c1.user_id, "", TODAY, &err);
    assert_non_null(ql);
    /* forward in pages of 7 */
    td_qlist_row page[7], last;
    int got = 0, n = td_qlist_first(ql, 7, page, &err);
    while (n > 0) {
        for (int i = 0; i < n; i++, got++) {
            assert_true(got < nw);
            if (strcmp(page[i].id, want[got]) != 0)
                fail_msg("queue %d row %d: expected %s, got %s", q, got, want[got], page[i].id);
        }
        last = page[n - 1];
        n = td_qlist_after(ql, &last, false, 7, page, &err);
    }
    assert_int_equal(got, nw);
    /* backward from the end */
    n = td_qlist_last(ql, 7, page, &err);
    int at = nw;
    while (n > 0) {
        for (int i = n - 1; i >= 0; i--) {
            at--;
            if (strcmp(page[i].id, want[at]) != 0)
                fail_msg("queue %d row %d backward: expected %s, got %s", q, at, want[at], page[i].id);
        }
        td_qlist_row first = page[0];
        n = td_qlist_before(ql, &first, 7, page, &err);
    }
    assert_int_equal(at, 0);
    /* counts: capped, and exact under the cap; around a row */
    assert_int_equal(td_qlist_count(ql, 5, &err), 5);
    assert_int_equal(td_qlist_count(ql, 100000, &err), nw);
    td_qlist_row mid;
    n = td_qlist_first(ql, 1, &mid, &err);
    assert_int_equal(td_qlist_count_before(ql, &mid, 100000, &err), 0);
    assert_int_equal(td_qlist_count_after(ql, &mid, 100000, &err), nw - 1);
    /* inclusive "after" rereads from the row itself */
    assert_int_equal(td_qlist_after(ql, &mid, true, 1, page, &err), 1);
    assert_string_equal(page[0].id, mid.id);
    td_qlist_close(ql);
}

#define OPEN_SQL "c.state NOT IN ('closed','rejected','withdrawn')"

static void test_queues_match_reference(void **state)
{
    fx *f = *state;
    check_queue(f, 0, "(c.intake_by = ?1 OR c.assignee_id = ?1 OR c.specialist_id = ?1) AND " OPEN_SQL, "c.updated_at DESC, c.rowid DESC");
    check_queue(f, td_qlist_lookup("Approval"), "c.state = 'approval'", "c.updated_at DESC, c.rowid DESC");
    check_queue(f, td_qlist_lookup("Overdue"), "c.due_date < '" TODAY "' AND " OPEN_SQL,
                "c.due_date ASC, c.rowid ASC");
    check_queue(f, td_qlist_lookup("All cases"), "1", "c.updated_at DESC, c.rowid DESC");
    check_queue(f, td_qlist_lookup("Closed"), "c.state = 'closed'", "c.updated_at DESC, c.rowid DESC");
    /* 联审待签: approval cases with a pending sign-off (two of every three),
     * many tied on updated_at */
    exec(f, "INSERT INTO signoffs(id, case_id, round, transition, department_id, created_at, updated_at) "
            "SELECT 's-' || id, id, 'r1', 'approve', 'rsj', updated_at, updated_at FROM cases "
            "WHERE state = 'approval' AND rowid % 3 <> 0");
    check_queue(f, td_qlist_lookup("Joint sign-off pending"),
                "c.state = 'approval' AND EXISTS (SELECT 1 FROM signoffs s WHERE s.case_id = c.id "
                "AND s.status = 'pending' AND s.deleted_at IS NULL)",
                "c.updated_at DESC, c.rowid DESC");
}

/* Find-in-list: by name, traditional/simplified, pinyin, case number; only
 * rows of the queue; n moves on; nothing found is 0. */
static void test_find_in_queue(void **state)
{
    fx *f = *state;
    td_err err;
    td_qlist *ql = td_qlist_open(f->db, 0, f->c1.user_id, "", TODAY, &err);
    assert_non_null(ql);
    td_qlist_row hit, prev;
    assert_int_equal(td_qlist_find(ql, "陈大文", NULL, +1, &hit, &err), 1); /* registered as 陳大文 */
    assert_string_equal(hit.name, "陳大文");
    /* it is the first 陳大文 of the queue: nothing of that name before it */
    assert_int_equal(td_qlist_find(ql, "陳大文", &hit, -1, &prev, &err), 0);
    int seen = 1;
    prev = hit;
    while (td_qlist_find(ql, "陳大文", &prev, +1, &hit, &err) == 1) {
        assert_string_equal(hit.name, "陳大文");
        assert_true(strcmp(hit.ord, prev.ord) <= 0); /* in display order (newest first) */
        assert_true(strcmp(hit.state, "closed") != 0);
        prev = hit;
        seen++;
    }
    /* as many as the reference query counts */
    static char want[NCASES][TD_UUID_LEN];
    int nw = reference(f,
                       "(c.intake_by = ?1 OR c.assignee_id = ?1 OR c.specialist_id = ?1) AND " OPEN_SQL
                       " AND c.person_id IN (SELECT id FROM persons WHERE name = '陳大文')",
                       "c.rowid", want, NCASES);
    assert_int_equal(seen, nw);
    assert_int_equal(td_qlist_find(ql, "jrx", NULL, +1, &hit, &err), 1); /* 𠮷然晓 by pinyin initials */
    assert_string_equal(hit.name, "𠮷然晓");
    assert_int_equal(td_qlist_find(ql, "ouyang", NULL, +1, &hit, &err), 1);
    assert_string_equal(hit.name, "欧阳娜娜");
    assert_int_equal(td_qlist_find(ql, "cq-2026-000001", NULL, +1, &hit, &err), 1);
    assert_true(strncmp(hit.case_no, "CQ-2026-000001", 14) == 0);
    assert_int_equal(td_qlist_find(ql, "赵六", NULL, +1, &hit, &err), 0);
    /* case 5 is closed: not in 我的案件 */
    assert_int_equal(td_qlist_find(ql, "CQ-2026-000005", NULL, +1, &hit, &err), 0);
    td_qlist_close(ql);
}

/* A text hundreds of persons match takes the bounded walk through the
 * queue's next pages: it finds the same rows in the same order. */
static void test_find_common_text(void **state)
{
    fx *f = *state;
    char sql[512];
    exec(f, "BEGIN");
    for (int i = 0; i < 400; i++) { /* persons named 张… without cases in the queue */
        snprintf(sql, sizeof sql,
                 "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, updated_at) VALUES("
                 "'p-extra-%03d', '%s', '张某%03d', 'passport', 'X%08d', '2026-01-01T00:00:00.000Z', "
                 "'2026-01-01T00:00:00.000Z')",
                 i, f->c1.station_id, i, i);
        exec(f, sql);
    }
    exec(f, "COMMIT");
    static char want[NCASES][TD_UUID_LEN];
    int nw = reference(f,
                       "(c.intake_by = ?1 OR c.assignee_id = ?1 OR c.specialist_id = ?1) AND " OPEN_SQL
                       " AND c.person_id IN (SELECT id FROM persons WHERE name LIKE '张%')",
                       "c.updated_at DESC, c.rowid DESC", want, NCASES);
    assert_true(nw > 20);
    td_err err;
    td_qlist *ql = td_qlist_open(f->db, 0, f->c1.user_id, "", TODAY, &err);
    td_qlist_row hit, at;
    int got = 0;
    const td_qlist_row *from = NULL;
    while (td_qlist_find(ql, "张", from, +1, &hit, &err) == 1) {
        if (got >= nw || strcmp(hit.id, want[got]) != 0)
            fail_msg("find %d: expected %s, got %s", got, got < nw ? want[got] : "(none)", hit.id);
        got++;
        at = hit;
        from = &at;
    }
    assert_int_equal(got, nw);
    /* and backward from the end */
    from = NULL;
    int zs = 0;
    while (td_qlist_find(ql, "zs", from, -1, &hit, &err) == 1) { /* 张三 by initials, many 张某… too */
        assert_string_equal(hit.name, "张三");
        at = hit;
        from = &at;
        zs++;
    }
    nw = reference(f,
                   "(c.intake_by = ?1 OR c.assignee_id = ?1 OR c.specialist_id = ?1) AND " OPEN_SQL
                   " AND c.person_id IN (SELECT id FROM persons WHERE name = '张三')",
                   "c.rowid", want, NCASES);
    assert_true(nw > 5);
    assert_int_equal(zs, nw);
    td_qlist_close(ql);
}

/* The same finds through each plan alone (the walk of the queue's index
 * and the probe of the candidates): the same rows in the same order. */
static void test_find_walk_plan(void **state)
{
    setenv("TALENTDESK_QLIST_FIND", "walk", 1);
    test_find_in_queue(state);
    test_find_common_text(state);
    unsetenv("TALENTDESK_QLIST_FIND");
}

static void test_find_probe_plan(void **state)
{
    setenv("TALENTDESK_QLIST_FIND", "probe", 1);
    test_find_in_queue(state);
    test_find_common_text(state);
    unsetenv("TALENTDESK_QLIST_FIND");
}

/* The membership walk out of budget after 3 rows, handing over to the probe
 * from where it stopped; and the stored-key walk. */
static void test_find_short_and_match_plans(void **state)
{
    setenv("TALENTDESK_QLIST_FIND", "short", 1);
    test_find_in_queue(state);
    test_find_common_text(state);
    setenv("TALENTDESK_QLIST_FIND", "match", 1);
    test_find_in_queue(state);
    unsetenv("TALENTDESK_QLIST_FIND");
}

/* A text that means more persons than find gathers as a set (16,384): 16,500
 * more persons named 张一… (before 张三 in name order, so the persons with
 * cases in the queue come after the first 16,384 gathered).  Every plan, and
 * the default one, finds exactly the reference rows in order, forward and
 * backward. */
static void test_find_past_the_set(void **state)
{
    fx *f = *state;
    char sql[512];
    exec(f, "BEGIN");
    for (int i = 0; i < 16500; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, updated_at) VALUES("
                 "'p-many-%05d', '%s', '张一%05d', 'passport', 'M%08d', '2026-01-01T00:00:00.000Z', "
                 "'2026-01-01T00:00:00.000Z')",
                 i, f->c1.station_id, i, i);
        exec(f, sql);
    }
    exec(f, "COMMIT");
    static char want[NCASES][TD_UUID_LEN];
    int nw = reference(f,
                       "(c.intake_by = ?1 OR c.assignee_id = ?1 OR c.specialist_id = ?1) AND " OPEN_SQL
                       " AND c.person_id IN (SELECT id FROM persons WHERE name LIKE '张%')",
                       "c.updated_at DESC, c.rowid DESC", want, NCASES);
    assert_true(nw > 20);
    static const char *const force[] = { NULL, "probe", "walk", "short", "match" };
    for (size_t k = 0; k < sizeof force / sizeof *force; k++) {
        if (force[k])
            setenv("TALENTDESK_QLIST_FIND", force[k], 1);
        else
            unsetenv("TALENTDESK_QLIST_FIND");
        td_err err;
        td_qlist *ql = td_qlist_open(f->db, 0, f->c1.user_id, "", TODAY, &err);
        assert_non_null(ql);
        td_qlist_row hit, at;
        int got = 0;
        const td_qlist_row *from = NULL;
        while (td_qlist_find(ql, "张", from, +1, &hit, &err) == 1) {
            if (got >= nw || strcmp(hit.id, want[got]) != 0)
                fail_msg("plan %s, find %d: expected %s, got %s", force[k] ? force[k] : "default", got,
                         got < nw ? want[got] : "(none)", hit.id);
            got++;
            at = hit;
            from = &at;
        }
        assert_int_equal(got, nw);
        from = NULL; /* backward from the end: the same rows reversed */
        while (td_qlist_find(ql, "张", from, -1, &hit, &err) == 1) {
            got--;
            if (got < 0 || strcmp(hit.id, want[got]) != 0)
                fail_msg("plan %s, backward: expected %s, got %s", force[k] ? force[k] : "default",
                         got >= 0 ? want[got] : "(none)", hit.id);
            at = hit;
            from = &at;
        }
        assert_int_equal(got, 0);
        td_qlist_close(ql);
    }
    unsetenv("TALENTDESK_QLIST_FIND");
}

static int count_hits(const td_search_hit *h, void *ud)
{
    (void)h;
    (*(int *)ud)++;
    return 0;
}

static const char *const plans[] = { NULL, "probe", "walk", "short", "match" };

/* Every find of text in queue 0 from the top, in order, as case ids. */
static int find_all(fx *f, const char *text, char (*ids)[TD_UUID_LEN], int max)
{
    td_err err;
    td_qlist *ql = td_qlist_open(f->db, 0, f->c1.user_id, "", TODAY, &err);
    assert_non_null(ql);
    td_qlist_row hit, at;
    const td_qlist_row *from = NULL;
    int n = 0;
    while (n < max && td_qlist_find(ql, text, from, +1, &hit, &err) == 1) {
        snprintf(ids[n++], TD_UUID_LEN, "%s", hit.id);
        at = hit;
        from = &at;
    }
    td_qlist_close(ql);
    return n;
}

/* What find must answer in queue 0: the rows of live persons matching
 * person_where (over persons p), in queue order. */
static int find_reference(fx *f, const char *person_where, char (*ids)[TD_UUID_LEN], int max)
{
    char where[1024];
    snprintf(where, sizeof where,
             "(c.intake_by = ?1 OR c.assignee_id = ?1 OR c.specialist_id = ?1) AND " OPEN_SQL
             " AND c.person_id IN (SELECT p.id FROM persons p WHERE p.deleted_at IS NULL AND (%s))",
             person_where);
    return reference(f, where, "c.updated_at DESC, c.rowid DESC", ids, max);
}

static void expect_finds(fx *f, const char *text, const char *person_where, int at_least)
{
    static char want[NCASES][TD_UUID_LEN], got[NCASES][TD_UUID_LEN];
    int nw = find_reference(f, person_where, want, NCASES);
    assert_true(nw >= at_least);
    for (size_t p = 0; p < sizeof plans / sizeof plans[0]; p++) {
        if (plans[p])
            setenv("TALENTDESK_QLIST_FIND", plans[p], 1);
        else
            unsetenv("TALENTDESK_QLIST_FIND");
        int ng = find_all(f, text, got, NCASES);
        for (int i = 0; i < nw && i < ng; i++)
            if (strcmp(got[i], want[i]) != 0)
                fail_msg("find %s (plan %s) %d: expected %s, got %s", text, plans[p] ? plans[p] : "auto", i,
                         want[i], got[i]);
        if (ng != nw)
            fail_msg("find %s (plan %s): %d rows, expected %d", text, plans[p] ? plans[p] : "auto", ng, nw);
    }
    unsetenv("TALENTDESK_QLIST_FIND");
}

/* A case whose person was deleted (merged away) is no hit, and does not
 * hide the next one: deleting the person of the first 刘芳 of the queue
 * leaves the others found, by every plan. */
static void test_find_deleted_person(void **state)
{
    fx *f = *state;
    td_err err;
    td_qlist *ql = td_qlist_open(f->db, 0, f->c1.user_id, "", TODAY, &err);
    td_qlist_row hit;
    assert_int_equal(td_qlist_find(ql, "刘芳", NULL, +1, &hit, &err), 1);
    td_qlist_close(ql);
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE persons SET deleted_at = '2026-06-01T00:00:00.000Z' WHERE id = "
             "(SELECT person_id FROM cases WHERE id = '%s')",
             hit.id);
    exec(f, sql);
    /* and a second one further down */
    exec(f, "UPDATE persons SET deleted_at = '2026-06-01T00:00:00.000Z' WHERE id = (SELECT p.id FROM persons p "
            "JOIN cases c ON c.person_id = p.id WHERE p.name = '刘芳' AND p.deleted_at IS NULL "
            "ORDER BY c.updated_at DESC, c.rowid DESC LIMIT 1 OFFSET 3)");
    expect_finds(f, "刘芳", "p.name = '刘芳'", 5);
    expect_finds(f, "lf", "p.name = '刘芳'", 5);
}

/* n and N find the same text again from the candidates the first find
 * gathered, until the database changes: a person renamed between two finds
 * of one queue is no longer found by the old name's pinyin, and a new one
 * is found at once. */
static void find_again_after_change(fx *f);

static void test_find_again_after_change(void **state)
{
    /* the membership walk is the plan that tests rows against the kept
     * candidates (the peek of a pinyin text decides first in this fixture) */
    setenv("TALENTDESK_QLIST_FIND", "walk", 1);
    find_again_after_change(*state);
    unsetenv("TALENTDESK_QLIST_FIND");
}

static void find_again_after_change(fx *f)
{
    td_err err;
    assert_int_equal(td_search_refresh_pinyin(f->db, NULL, &err), TD_OK);
    td_qlist *ql = td_qlist_open(f->db, 0, f->c1.user_id, "", TODAY, &err);
    td_qlist_row hit, again, next;
    assert_int_equal(td_qlist_find(ql, "ls", NULL, +1, &hit, &err), 1);
    assert_int_equal(td_qlist_find(ql, "ls", &hit, +1, &next, &err), 1); /* n */
    assert_string_not_equal(next.id, hit.id);
    assert_int_equal(td_qlist_find(ql, "ls", &next, -1, &again, &err), 1); /* N */
    assert_string_equal(again.id, hit.id);
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE persons SET name = '赵六' WHERE id = (SELECT person_id FROM cases WHERE id = '%s')", hit.id);
    exec(f, sql);
    assert_int_equal(td_qlist_find(ql, "ls", NULL, +1, &again, &err), 1);
    assert_string_equal(again.id, next.id);
    assert_int_equal(td_qlist_find(ql, "zl", NULL, +1, &again, &err), 1);
    assert_string_equal(again.id, hit.id);
    td_qlist_close(ql);
    /* a change committed by another connection (another counter's TUI) */
    char *path = td_test_tmpfile(".db");
    snprintf(sql, sizeof sql, "VACUUM INTO '%s'", path);
    exec(f, sql);
    td_db *mine, *other;
    assert_int_equal(td_db_open(path, &mine, &err), TD_OK);
    assert_int_equal(td_db_open(path, &other, &err), TD_OK);
    ql = td_qlist_open(mine, 0, f->c1.user_id, "", TODAY, &err);
    assert_int_equal(td_qlist_find(ql, "zl", NULL, +1, &again, &err), 1);
    assert_string_equal(again.id, hit.id);
    assert_int_equal(td_qlist_find(ql, "ls", NULL, +1, &again, &err), 1);
    assert_string_equal(again.id, next.id);
    snprintf(sql, sizeof sql,
             "UPDATE persons SET name = '李四' WHERE id = (SELECT person_id FROM cases WHERE id = '%s')", hit.id);
    assert_int_equal(sqlite3_exec(td_db_handle(other), sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(td_qlist_find(ql, "ls", NULL, +1, &again, &err), 1);
    assert_string_equal(again.id, hit.id);
    td_qlist_close(ql);
    td_db_close(other);
    td_db_close(mine);
    unlink(path);
    free(path);
}

/* A mobile number finds its person's cases (the whole number, as
 * `talentdesk search` takes it, with or without +86, spaces, dashes). */
static void test_find_phone(void **state)
{
    fx *f = *state;
    exec(f, "UPDATE persons SET phone = '13800138000' WHERE name = '王伟' AND rowid % 3 = 0");
    expect_finds(f, "13800138000", "p.phone = '13800138000'", 3);
    expect_finds(f, "+86 138-0013-8000", "p.phone = '13800138000'", 3);
    static char got[NCASES][TD_UUID_LEN];
    assert_int_equal(find_all(f, "13800138001", got, NCASES), 0);
}

/* A renamed person is found by the new name's pinyin, no longer by the
 * old one's — renamed through the person form (td_person_update) or by a
 * plain UPDATE of the name, as a sync bundle applies a field. */
static void test_find_after_rename(void **state)
{
    fx *f = *state;
    td_err err;
    assert_int_equal(td_search_refresh_pinyin(f->db, NULL, &err), TD_OK);
    /* the first 李四 of the queue, renamed 赵六 through the person form */
    td_qlist *ql = td_qlist_open(f->db, 0, f->c1.user_id, "", TODAY, &err);
    td_qlist_row hit;
    assert_int_equal(td_qlist_find(ql, "ls", NULL, +1, &hit, &err), 1);
    assert_string_equal(hit.name, "李四");
    char sql[512], pid[TD_UUID_LEN];
    snprintf(sql, sizeof sql, "SELECT person_id FROM cases WHERE id = '%s'", hit.id);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(f->db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(pid, sizeof pid, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    td_person p;
    assert_int_equal(td_person_get(f->db, pid, &p, &err), TD_OK);
    snprintf(p.name, sizeof p.name, "%s", "赵六");
    if (td_person_update(f->db, &f->c1, &p, &err) != TD_OK)
        fail_msg("rename: %s", err.msg);
    td_qlist_row hit2;
    assert_int_equal(td_qlist_find(ql, "zl", NULL, +1, &hit2, &err), 1);
    assert_string_equal(hit2.name, "赵六");
    assert_string_equal(hit2.id, hit.id);
    assert_int_equal(td_qlist_find(ql, "zhaoliu", NULL, +1, &hit2, &err), 1);
    assert_string_equal(hit2.id, hit.id);
    td_qlist_close(ql);
    expect_finds(f, "ls", "p.name = '李四'", 5);
    /* another 李四 renamed by a plain UPDATE (a sync bundle's field) */
    snprintf(sql, sizeof sql,
             "UPDATE persons SET name = '钱七' WHERE id = (SELECT p.id FROM persons p JOIN cases c ON "
             "c.person_id = p.id WHERE p.name = '李四' AND c.intake_by = '%s' AND " OPEN_SQL
             " ORDER BY c.rowid LIMIT 1)",
             f->c1.user_id);
    exec(f, sql);
    expect_finds(f, "qq", "p.name = '钱七'", 1);
    expect_finds(f, "qianqi", "p.name = '钱七'", 1);
    expect_finds(f, "ls", "p.name = '李四'", 5);
    /* and the search screen too */
    int n = 0;
    assert_int_equal(td_search(f->db, "zl", TD_SEARCH_NAME, 50, count_hits, &n, NULL, &err), TD_OK);
    assert_int_equal(n, 1);
    n = 0;
    assert_int_equal(td_search(f->db, "qq", TD_SEARCH_NAME, 50, count_hits, &n, NULL, &err), TD_OK);
    assert_int_equal(n, 1);
}

/* Every find of text in ql from the top (dir > 0) or the end (dir < 0),
 * in order, as case ids. */
static int find_all_in(td_qlist *ql, const char *text, int dir, char (*ids)[TD_UUID_LEN], int max)
{
    td_err err;
    td_qlist_row hit, at;
    const td_qlist_row *from = NULL;
    int n = 0, f = 0;
    while (n < max && (f = td_qlist_find(ql, text, from, dir, &hit, &err)) == 1) {
        snprintf(ids[n++], TD_UUID_LEN, "%s", hit.id);
        at = hit;
        from = &at;
    }
    if (f < 0)
        fail_msg("find %s: %s", text, err.msg);
    return n;
}

/* Pinyin texts: initials alone, initials that are also the start of a
 * full pinyin (zhang), full pinyin, and initials nobody has. */
static const char *const pinyin_texts[] = { "zs", "ls", "ww", "zw", "jrx", "oynn", "cdw", "lf", "zhang",
                                            "wangwei", "qq", "xyz", "wan" };

/* The default plan (initials through local_case_find) finds exactly what
 * the probe of the candidates finds, in every queue, plain and scoped to
 * the actor, forward from the top and backward from the end; returns the
 * number of hits seen. */
static long expect_as_probe(fx *f, const char *const *texts, size_t ntexts);

static long expect_pinyin_as_probe(fx *f)
{
    return expect_as_probe(f, pinyin_texts, sizeof pinyin_texts / sizeof pinyin_texts[0]);
}

/* Names: one character, two, a whole name, traditional and simplified,
 * a compound surname, 𠮷 (outside the BMP), a name nobody has. */
static const char *const name_texts[] = { "张", "张三", "王伟", "陈大文", "陳大文", "陳", "欧阳", "欧阳娜娜", "𠮷",
                                          "𠮷然", "刘芳", "赵六", "王爱娜" };

static long expect_as_probe(fx *f, const char *const *texts, size_t ntexts)
{
    static char got[NCASES][TD_UUID_LEN], want[NCASES][TD_UUID_LEN];
    long total = 0;
    td_err err;
    for (int q = 0; q < td_qlist_count_queues(); q++)
        for (int scoped = 0; scoped < 2; scoped++) {
            td_qlist *ql = scoped ? td_qlist_open_as(f->db, q, &f->c1, TODAY, &err)
                                  : td_qlist_open(f->db, q, f->c1.user_id, "", TODAY, &err);
            assert_non_null(ql);
            for (size_t t = 0; t < ntexts; t++)
                for (int dir = -1; dir <= 1; dir += 2) {
                    unsetenv("TALENTDESK_QLIST_FIND");
                    int ng = find_all_in(ql, texts[t], dir, got, NCASES);
                    setenv("TALENTDESK_QLIST_FIND", "probe", 1);
                    int nw = find_all_in(ql, texts[t], dir, want, NCASES);
                    unsetenv("TALENTDESK_QLIST_FIND");
                    for (int i = 0; i < ng && i < nw; i++)
                        if (strcmp(got[i], want[i]) != 0)
                            fail_msg("queue %d%s find %s dir %d, hit %d: %s, the probe %s", q, scoped ? " (scoped)" : "",
                                     texts[t], dir, i, got[i], want[i]);
                    if (ng != nw)
                        fail_msg("queue %d%s find %s dir %d: %d hits, the probe %d", q, scoped ? " (scoped)" : "",
                                 texts[t], dir, ng, nw);
                    total += ng;
                }
            td_qlist_close(ql);
        }
    return total;
}

/* local_case_find holds exactly what its definition says (schema 026):
 * one row per live case, its person's initials and name, and its queue
 * keys. */
static void expect_case_keys(fx *f)
{
    static const char *const sql =
        "SELECT count(*) FROM ("
        "SELECT * FROM (SELECT c.rowid, COALESCE((SELECT y.initials FROM local_person_pinyin y "
        "WHERE y.person_id = c.person_id), ''), c.updated_at, CASE WHEN c.state NOT IN "
        "('closed','rejected','withdrawn') THEN c.due_date END, (SELECT p.name FROM persons p WHERE p.id = c.person_id) "
        "FROM cases c WHERE c.deleted_at IS NULL "
        "EXCEPT SELECT case_rowid, initials, updated_at, due_open, name FROM local_case_find) UNION ALL "
        "SELECT * FROM (SELECT case_rowid, initials, updated_at, due_open, name FROM local_case_find EXCEPT "
        "SELECT c.rowid, COALESCE((SELECT y.initials FROM local_person_pinyin y WHERE y.person_id = c.person_id), ''), "
        "c.updated_at, CASE WHEN c.state NOT IN ('closed','rejected','withdrawn') THEN c.due_date END, "
        "(SELECT p.name FROM persons p WHERE p.id = c.person_id) FROM cases c WHERE c.deleted_at IS NULL))";
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(f->db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int off = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (off)
        fail_msg("local_case_find: %d rows differ from cases and their persons' initials", off);
}

/* Find by initials in every queue answers what the probe answers (the
 * sign-off queue with pending sign-offs, the overdue queue by due date). */
static void test_find_initials_every_queue(void **state)
{
    fx *f = *state;
    td_err err;
    /* "wan": the initials of 王爱娜 and 吴安宁, and the start of 王伟's
     * full pinyin (wangwei): both meanings hit, interleaved in every queue */
    char sql[1024];
    exec(f, "BEGIN");
    for (int i = 0; i < 60; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, updated_at) VALUES("
                 "'p-wan-%02d', '%s', '%s', 'passport', 'W%07d', '2026-01-01T00:00:00.000Z', "
                 "'2026-01-01T00:00:00.000Z');"
                 "INSERT INTO cases(id, case_no, person_id, station_id, case_type, state, intake_by, state_since, "
                 "due_date, created_at, updated_at) VALUES('c-wan-%02d', 'CQ-2026-8%05d', 'p-wan-%02d', '%s', "
                 "'recognition', '%s', '%s', '2026-01-01T00:00:00.000Z', '2026-%02d-%02d', "
                 "'2026-01-01T00:00:00.000Z', '2026-%02d-%02dT08:00:00.000Z')",
                 i, f->c1.station_id, i % 2 ? "王爱娜" : "吴安宁", i, i, i, i, f->c1.station_id, states[i % 10],
                 f->c1.user_id, 1 + i % 12, 1 + i % 28, 1 + (i / 5) % 12, 1 + i % 28);
        exec(f, sql);
    }
    exec(f, "COMMIT");
    assert_int_equal(td_search_refresh_pinyin(f->db, NULL, &err), TD_OK);
    exec(f, "INSERT INTO signoffs(id, case_id, round, transition, department_id, created_at, updated_at) "
            "SELECT 's-' || id, id, 'r1', 'approve', 'rsj', updated_at, updated_at FROM cases "
            "WHERE state = 'approval' AND rowid % 3 <> 0");
    expect_case_keys(f);
    assert_true(expect_pinyin_as_probe(f) > 500);
    assert_true(expect_as_probe(f, name_texts, sizeof name_texts / sizeof name_texts[0]) > 500);
}

/* The triggers of schema 026 keep local_case_find in step with every
 * write — a case taken in before its person is keyed, renamed persons,
 * state, due date and updated_at changes, a case deleted and undeleted, a
 * case moved to another person — and find answers from it (emptied, the
 * default plan finds nothing; rebuilt, it agrees with the probe again). */
static void test_find_initials_follow_writes(void **state)
{
    fx *f = *state;
    td_err err;
    assert_int_equal(td_search_refresh_pinyin(f->db, NULL, &err), TD_OK);
    expect_case_keys(f);
    /* a new person and case, written before the person is keyed */
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, updated_at) VALUES("
             "'p-new', '%s', '祁琦', 'passport', 'N0000001', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z');"
             "INSERT INTO cases(id, case_no, person_id, station_id, case_type, state, intake_by, state_since, "
             "created_at, updated_at) VALUES('c-new', 'CQ-2026-900001', 'p-new', '%s', 'recognition', 'intake', "
             "'%s', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z')",
             f->c1.station_id, f->c1.station_id, f->c1.user_id);
    exec(f, sql);
    expect_case_keys(f); /* initials '' until keyed */
    static char got[NCASES][TD_UUID_LEN];
    assert_int_equal(find_all(f, "qq", got, NCASES), 1); /* find keys it first */
    assert_string_equal(got[0], "c-new");
    expect_case_keys(f);
    /* renamed: 李四 → 钱七 for every third 李四 */
    exec(f, "UPDATE persons SET name = '钱七' WHERE name = '李四' AND rowid % 3 = 0");
    expect_case_keys(f); /* the name at once; initials keyed by the next refresh */
    assert_int_equal(td_search_refresh_pinyin(f->db, NULL, &err), TD_OK);
    expect_case_keys(f);
    /* state, due date, updated_at; deleted and undeleted; moved */
    exec(f, "UPDATE cases SET state = 'closed' WHERE rowid % 11 = 1");
    exec(f, "UPDATE cases SET due_date = '2026-01-02' WHERE rowid % 13 = 2");
    exec(f, "UPDATE cases SET updated_at = '2026-12-01T00:00:00.000Z' WHERE rowid % 17 = 3");
    exec(f, "UPDATE cases SET deleted_at = '2026-06-01T00:00:00.000Z' WHERE rowid % 19 = 4");
    exec(f, "UPDATE cases SET deleted_at = NULL WHERE rowid % 38 = 4");
    exec(f, "UPDATE cases SET person_id = 'p-new' WHERE rowid % 23 = 5");
    expect_case_keys(f);
    assert_true(expect_pinyin_as_probe(f) > 500);
    assert_true(expect_as_probe(f, name_texts, sizeof name_texts / sizeof name_texts[0]) > 500);
    /* the default plan answers from the table: emptied, nothing by
     * initials, nor by a name of many persons */
    exec(f, "UPDATE local_case_find SET initials = '', name = ''");
    assert_int_equal(find_all(f, "zs", got, NCASES), 0);
    assert_int_equal(find_all(f, "张三", got, NCASES), 0);
    setenv("TALENTDESK_QLIST_FIND", "probe", 1);
    assert_true(find_all(f, "zs", got, NCASES) > 5);
    assert_true(find_all(f, "张三", got, NCASES) > 5);
    unsetenv("TALENTDESK_QLIST_FIND");
    assert_int_equal(td_search_rebuild_case_keys(f->db, &err), TD_OK);
    expect_case_keys(f);
    assert_true(expect_pinyin_as_probe(f) > 500);
    assert_true(expect_as_probe(f, name_texts, sizeof name_texts / sizeof name_texts[0]) > 500);
}

static int collect(const td_search_hit *h, void *ud)
{
    int *n = ud;
    (*n) += strcmp(h->name, "陳大文") == 0 ? 1 : 100;
    return 0;
}

/* ICU's Traditional-Simplified folding for matching, the legal name kept. */
static void test_traditional_simplified(void **state)
{
    fx *f = *state;
    char out[64];
    assert_true(td_name_fold("陳大文", out, sizeof out));
    assert_string_equal(out, "陈大文");
    assert_false(td_name_fold("陈大文", out, sizeof out));
    assert_false(td_name_fold("𠮷然晓", out, sizeof out));
    assert_string_equal(out, "𠮷然晓");
    td_err err;
    int n = 0;
    assert_td_ok(td_search(f->db, "陈大文", TD_SEARCH_AUTO, 500, collect, &n, NULL, &err), &err);
    assert_true(n > 0 && n < 100); /* only 陳大文, found by its folded key */
    /* the stored name is untouched */
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(f->db), "SELECT count(*) FROM persons WHERE name = '陈大文'", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
}

/* Duplicate detection at intake and import folds the same way: 陈大文 born
 * the same day as a registered 陳大文 is a probable duplicate. */
static void test_dedupe_folds(void **state)
{
    fx *f = *state;
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", "陳小明");
    snprintf(p.id_type, sizeof p.id_type, "%s", "passport");
    snprintf(p.id_no, sizeof p.id_no, "%s", "E99990001");
    snprintf(p.birth_date, sizeof p.birth_date, "%s", "1990-02-03");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(f->db, &f->c1, &p, &err), &err);
    td_person q = p;
    memset(q.id, 0, sizeof q.id);
    snprintf(q.name, sizeof q.name, "%s", "陈小明");
    snprintf(q.id_no, sizeof q.id_no, "%s", "E99990002");
    td_dup_match m[TD_DUP_MAX];
    int n = 0;
    assert_td_ok(td_dupe_find_probable(f->db, &q, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].name, "陳小明");
    /* and the other way round */
    memset(&q, 0, sizeof q);
    snprintf(q.name, sizeof q.name, "%s", "陈小红");
    snprintf(q.id_type, sizeof q.id_type, "%s", "passport");
    snprintf(q.id_no, sizeof q.id_no, "%s", "E99990003");
    snprintf(q.birth_date, sizeof q.birth_date, "%s", "1991-02-03");
    assert_td_ok(td_person_add(f->db, &f->c1, &q, &err), &err);
    td_person r = q;
    memset(r.id, 0, sizeof r.id);
    snprintf(r.name, sizeof r.name, "%s", "陳小紅");
    snprintf(r.id_no, sizeof r.id_no, "%s", "E99990004");
    assert_td_ok(td_dupe_find_probable(f->db, &r, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].name, "陈小红");
    /* unrelated names are not matched */
    snprintf(r.name, sizeof r.name, "%s", "陳大明");
    assert_td_ok(td_dupe_find_probable(f->db, &r, m, TD_DUP_MAX, &n, &err), &err);
    assert_int_equal(n, 0);
}

/* The search screen's case counts: one query for every hit. */
static void test_case_counts(void **state)
{
    fx *f = *state;
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(f->db), "SELECT id FROM persons WHERE name = '张三' LIMIT 2", -1, &st, NULL);
    char ids[3][TD_UUID_LEN] = { "", "", "nobody" };
    for (int i = 0; i < 2 && sqlite3_step(st) == SQLITE_ROW; i++)
        snprintf(ids[i], TD_UUID_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    exec(f, "UPDATE cases SET person_id = (SELECT id FROM persons WHERE name = '张三' LIMIT 1) "
            "WHERE case_no = 'CQ-2026-000002'");
    const char *pids[3] = { ids[0], ids[1], ids[2] };
    long counts[3];
    td_err err;
    assert_td_ok(td_search_case_counts(f->db, pids, 3, counts, &err), &err);
    assert_int_equal(counts[0], 2);
    assert_int_equal(counts[1], 1);
    assert_int_equal(counts[2], 0);
}

typedef struct order {
    char first[8][32];
    int n;
} order;

static int note_order(const td_person *p, void *ud)
{
    order *o = ud;
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->first[i], p->name) == 0)
            return 0;
    if (o->n < 8)
        snprintf(o->first[o->n++], sizeof o->first[0], "%s", p->name);
    return 0;
}

static int pos(const order *o, const char *name)
{
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->first[i], name) == 0)
            return i;
    fail_msg("%s not listed", name);
    return -1;
}

/* Lists sorted by name are in pinyin order (ICU zh), not code-point order:
 * 陳 chen, 李 li, 刘 liu, 欧阳 ouyang, 王 wang, 张 zhang. */
static void test_pinyin_order(void **state)
{
    fx *f = *state;
    order o = { .n = 0 };
    td_person_query q = { .limit = 2000 };
    td_err err;
    assert_td_ok(td_person_list(f->db, &q, note_order, &o, &err), &err);
    assert_int_equal(o.n, 8);
    assert_true(pos(&o, "陳大文") < pos(&o, "李四"));
    assert_true(pos(&o, "李四") < pos(&o, "刘芳"));
    assert_true(pos(&o, "刘芳") < pos(&o, "欧阳娜娜"));
    assert_true(pos(&o, "欧阳娜娜") < pos(&o, "王伟"));
    assert_true(pos(&o, "王伟") < pos(&o, "张三"));
    assert_true(pos(&o, "张三") < pos(&o, "张伟"));
    unsigned char a[64], b[64];
    assert_true(td_name_sort_key("李四", a, sizeof a) > 0 && td_name_sort_key("张三", b, sizeof b) > 0);
    assert_true(memcmp(a, b, 2) < 0);
}

/* 𠮷 (U+20BB7) has no reading in ICU: it is read as 吉 (issue 16). */
static void test_pinyin_of_variant(void **state)
{
    (void)state;
    char full[64], ini[16];
    assert_true(td_pinyin("𠮷然晓", full, sizeof full, ini, sizeof ini));
    assert_string_equal(ini, "jrx");
    assert_string_equal(full, "jiranxiao");
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_queue_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queues_match_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_in_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_traditional_simplified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_common_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_walk_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_probe_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_short_and_match_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_past_the_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_deleted_person, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_again_after_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_phone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_after_rename, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_initials_every_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_initials_follow_writes, setup, teardown),
        cmocka_unit_test(test_pinyin_of_variant),
        cmocka_unit_test_setup_teardown(test_dedupe_folds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pinyin_order, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
