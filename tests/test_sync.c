/* test_sync.c — HQ and two stations in one process (database files in a
 * temporary directory), exchanging bundles: merge of different fields, the
 * conflict queue for the same field, resolution and convergence, replays,
 * gaps held and filled, edit against delete, and bundles that are tampered
 * with, cut short, addressed elsewhere, signed by the wrong key or sent by a
 * revoked station — refused with a Chinese message, nothing applied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "base/audit.h"
#include "people/person.h"
#include "search/search.h"
#include "setup/demo.h"
#include "setup/policy_load.h"
#include "setup/setup.h"
#include "sync/bundle.h"
#include "sync/conflicts.h"
#include "sync/enrol.h"
#include "sync/keys.h"
#include "sync/sync.h"
#include "workflow/intake.h"

#include <sodium.h>

typedef struct place {
    td_db *db;
    char code[12];
    td_actor clerk;
} place;

typedef struct world {
    char dir[4096];
    place hq, ldn, sfo;
    int nfile;
} world;

static char *path_in(world *w, const char *name)
{
    static char buf[8][4200];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 4200, "%s/%s", w->dir, name);
    return p;
}

static td_db *open_db(world *w, const char *name)
{
    td_db *db = NULL;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_open(path_in(w, name), &db, &err), &err);
    return db;
}

static void data_dir(char *buf, size_t len)
{
    snprintf(buf, len, "%s/data", td_test_src_dir());
}

/* A station made from HQ's join file, with a clerk, enrolled at HQ. */
static void make_station(world *w, place *st, const char *code, const char *name)
{
    td_err err;
    td_err_clear(&err);
    td_actor admin = td_test_actor(w->hq.db, "admin");
    char join[64], card[64], got[12], dir[4096];
    snprintf(join, sizeof join, "%s.join", code);
    snprintf(card, sizeof card, "%s.card", code);
    assert_td_ok(td_sync_enrol_station(w->hq.db, &admin, code, name, "overseas", path_in(w, join), &err), &err);
    char dbname[32];
    snprintf(dbname, sizeof dbname, "%s.db", code);
    st->db = open_db(w, dbname);
    data_dir(dir, sizeof dir);
    assert_td_ok(td_policy_load_all(st->db, dir, NULL, &err), &err);
    assert_td_ok(td_sync_join(st->db, path_in(w, join), got, &err), &err);
    assert_string_equal(got, code);
    snprintf(st->code, sizeof st->code, "%s", code);
    char uid[TD_UUID_LEN], uname[32];
    snprintf(uname, sizeof uname, "clerk_%c%c%c", code[0] + 32, code[1] + 32, code[2] + 32);
    assert_td_ok(td_user_add(st->db, NULL, uname, "站点职员", NULL, NULL, TD_ROLE_CLERK | TD_ROLE_STATION, uid, &err),
                 &err);
    st->clerk = td_test_actor(st->db, uname);
    assert_td_ok(td_sync_card_write(st->db, path_in(w, card), &err), &err);
    assert_td_ok(td_sync_peer_add(w->hq.db, path_in(w, card), got, &err), &err);
    /* secret keys beside the database, owner-only */
    char keys[4200];
    assert_true(td_sync_keys_path(st->db, keys, sizeof keys));
    struct stat sb;
    assert_int_equal(stat(keys, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    snprintf(w->dir, sizeof w->dir, "%s/tdsync.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(w->dir));
    td_err err;
    td_err_clear(&err);
    char dir[4096];
    data_dir(dir, sizeof dir);
    w->hq.db = open_db(w, "hq.db");
    assert_td_ok(td_policy_load_all(w->hq.db, dir, NULL, &err), &err);
    assert_td_ok(td_setup_local_station(w->hq.db, "CQ", "重庆市留学回国人员一站式服务窗口", "hq", &err), &err);
    assert_td_ok(td_demo_users(w->hq.db, &err), &err);
    snprintf(w->hq.code, sizeof w->hq.code, "CQ");
    w->hq.clerk = td_test_actor(w->hq.db, "clerk1");
    assert_td_ok(td_sync_keys_create(w->hq.db, &err), &err);
    make_station(w, &w->ldn, "LDN", "伦敦工作站");
    make_station(w, &w->sfo, "SFO", "旧金山工作站");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    td_db_close(w->hq.db);
    td_db_close(w->ldn.db);
    td_db_close(w->sfo.db);
    char cmd[4200 + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->dir);
    assert_int_equal(system(cmd), 0);
    free(w);
    return 0;
}

/* Makes a bundle from a to b; returns its path. */
static char *send(world *w, place *a, place *b, bool new_only)
{
    char name[64];
    snprintf(name, sizeof name, "b%02d-%s-%s.tdsb", ++w->nfile, a->code, b->code);
    char *p = path_in(w, name);
    td_sync_export_report rep;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_sync_export(a->db, b->code, p, new_only, &rep, &err), &err);
    return p;
}

static td_sync_outcome receive(place *b, const char *path)
{
    td_sync_import_report rep;
    td_err err;
    td_err_clear(&err);
    td_actor admin = td_test_actor(b->db, "admin");
    assert_td_ok(td_sync_import(b->db, &admin, path, &rep, &err), &err);
    return rep.outcome;
}

/* A digest of every table's content (local bookkeeping included). */
static void digest(td_db *db, char out[65])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    sqlite3_stmt *t;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                                                          "name NOT LIKE 'sqlite_%' ORDER BY name", -1, &t, NULL),
                     SQLITE_OK);
    while (sqlite3_step(t) == SQLITE_ROW) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", (const char *)sqlite3_column_text(t, 0));
        sqlite3_stmt *r;
        assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &r, NULL), SQLITE_OK);
        while (sqlite3_step(r) == SQLITE_ROW)
            for (int c = 0; c < sqlite3_column_count(r); c++) {
                const unsigned char *v = sqlite3_column_text(r, c);
                crypto_generichash_update(&h, v ? v : (const unsigned char *)"\x01NULL", v ? strlen((const char *)v) + 1 : 6);
            }
        sqlite3_finalize(r);
    }
    sqlite3_finalize(t);
    unsigned char bin[32];
    crypto_generichash_final(&h, bin, sizeof bin);
    sodium_bin2hex(out, 65, bin, sizeof bin);
}

static void person_field(td_db *db, const char *id, const char *col, char *out, size_t len)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT %s FROM persons WHERE id = ?", col);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static long q_long(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* A person with a case registered at station st; returns the person id. */
static void intake(place *st, const char *name, const char *idno, const char *phone, char id[TD_UUID_LEN])
{
    td_err err;
    td_err_clear(&err);
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.id_type, sizeof p.id_type, "passport");
    snprintf(p.id_no, sizeof p.id_no, "%s", idno);
    snprintf(p.phone, sizeof p.phone, "%s", phone);
    assert_td_ok(td_person_add(st->db, &st->clerk, &p, &err), &err);
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = p.id;
    a.services[0] = "talent_recognition";
    td_case k;
    assert_td_ok(td_case_new(st->db, &st->clerk, &a, &k, &err), &err);
    snprintf(id, TD_UUID_LEN, "%s", p.id);
}

static void update_person(place *st, const char *id, const char *phone, const char *email, const char *employer)
{
    td_err err;
    td_err_clear(&err);
    td_person p;
    assert_td_ok(td_person_get(st->db, id, &p, &err), &err);
    if (phone)
        snprintf(p.phone, sizeof p.phone, "%s", phone);
    if (email)
        snprintf(p.email, sizeof p.email, "%s", email);
    if (employer)
        snprintf(p.employer, sizeof p.employer, "%s", employer);
    assert_td_ok(td_person_update(st->db, &st->clerk, &p, &err), &err);
}

static int count_hit(const td_search_hit *h, void *ud)
{
    (void)h;
    (*(int *)ud)++;
    return 0;
}

/* Persons td_search finds at place st for pinyin text q. */
static int pinyin_hits(place *st, const char *q)
{
    td_err err;
    td_err_clear(&err);
    int n = 0;
    assert_td_ok(td_search(st->db, q, TD_SEARCH_NAME, 50, count_hit, &n, NULL, &err), &err);
    return n;
}

/* A rename applied from a bundle (a field written by the applier, not by
 * the person form) gives the person the new name's search keys at the
 * receiving place (schema 019), and takes the old ones away. */
static void a_rename_from_a_bundle_rekeys_the_person(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN];
    intake(&w->ldn, "林小雨", "E22345678", "13800000011", pid);
    assert_int_equal(receive(&w->hq, send(w, &w->ldn, &w->hq, false)), TD_SYNC_APPLIED);
    assert_int_equal(pinyin_hits(&w->hq, "lxy"), 1);
    td_err err;
    td_err_clear(&err);
    td_person p;
    assert_td_ok(td_person_get(w->ldn.db, pid, &p, &err), &err);
    snprintf(p.name, sizeof p.name, "%s", "王雨桐");
    assert_td_ok(td_person_update(w->ldn.db, &w->ldn.clerk, &p, &err), &err);
    assert_int_equal(receive(&w->hq, send(w, &w->ldn, &w->hq, true)), TD_SYNC_APPLIED);
    char v[256];
    person_field(w->hq.db, pid, "name", v, sizeof v);
    assert_string_equal(v, "王雨桐");
    assert_int_equal(pinyin_hits(&w->hq, "wyt"), 1);
    assert_int_equal(pinyin_hits(&w->hq, "wangyutong"), 1);
    assert_int_equal(pinyin_hits(&w->hq, "lxy"), 0);
}

/* The station's person reaches HQ; both then edit it offline. */
static void same_field_goes_to_the_queue_different_fields_merge(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN], v[256];
    intake(&w->ldn, "林小雨", "E12345678", "13800000001", pid);
    assert_int_equal(receive(&w->hq, send(w, &w->ldn, &w->hq, false)), TD_SYNC_APPLIED);
    assert_int_equal(receive(&w->ldn, send(w, &w->hq, &w->ldn, false)), TD_SYNC_APPLIED);
    person_field(w->hq.db, pid, "name", v, sizeof v);
    assert_string_equal(v, "林小雨");
    /* the station took HQ's policy data without a single conflict */
    assert_int_equal(td_sync_conflicts_open(w->ldn.db), 0);
    assert_int_equal(td_sync_conflicts_open(w->hq.db), 0);

    update_person(&w->ldn, pid, "13800000002", "lin@example.com", NULL);
    update_person(&w->hq, pid, "13800000003", NULL, "重庆大学");
    char *to_hq = send(w, &w->ldn, &w->hq, false);
    char *to_ldn = send(w, &w->hq, &w->ldn, false);
    assert_int_equal(receive(&w->ldn, to_ldn), TD_SYNC_APPLIED);
    assert_int_equal(receive(&w->hq, to_hq), TD_SYNC_APPLIED);

    /* different fields merged at both places */
    person_field(w->hq.db, pid, "email", v, sizeof v);
    assert_string_equal(v, "lin@example.com");
    person_field(w->ldn.db, pid, "employer", v, sizeof v);
    assert_string_equal(v, "重庆大学");
    /* the same field: each place keeps its value and queues the other one */
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13800000003");
    person_field(w->ldn.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13800000002");
    assert_int_equal(td_sync_conflicts_open(w->hq.db), 1);
    assert_int_equal(td_sync_conflicts_open(w->ldn.db), 1);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM local_sync_conflicts WHERE status = 'open' AND col = "
                                      "'phone' AND mine = '13800000003' AND theirs = '13800000002' AND base = "
                                      "'13800000001'"),
                     1);

    /* HQ resolves: take the station's value; the next bundles converge */
    td_sync_conflict c;
    char id[TD_UUID_LEN];
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(w->hq.db), "SELECT id FROM local_sync_conflicts", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_sync_conflict_get(w->hq.db, id, &c, &err), &err);
    assert_string_equal(c.station, "LDN");
    assert_string_equal(c.kind, "field");
    assert_true(c.case_no[0] != '\0');
    td_actor approver = td_test_actor(w->hq.db, "approver1");
    assert_td_ok(td_sync_conflict_resolve(w->hq.db, &approver, id, TD_RESOLVE_TAKE, NULL, "站点核实过", &err), &err);
    assert_int_equal(td_sync_conflict_resolve(w->hq.db, &approver, id, TD_RESOLVE_KEEP, NULL, NULL, &err),
                     TD_ECONFLICT);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM audit_log WHERE action = 'sync.resolve.taken'"), 1);
    assert_int_equal(receive(&w->ldn, send(w, &w->hq, &w->ldn, false)), TD_SYNC_APPLIED);
    assert_int_equal(receive(&w->hq, send(w, &w->ldn, &w->hq, false)), TD_SYNC_APPLIED);
    const char *cols[] = { "phone", "email", "employer", "name" };
    for (int i = 0; i < 4; i++) {
        char a[256], b[256];
        person_field(w->hq.db, pid, cols[i], a, sizeof a);
        person_field(w->ldn.db, pid, cols[i], b, sizeof b);
        assert_string_equal(a, b);
    }
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13800000002");
    assert_int_equal(td_sync_conflicts_open(w->hq.db), 0);
    assert_int_equal(td_sync_conflicts_open(w->ldn.db), 0);

    /* SFO never sees LDN's person */
    assert_int_equal(receive(&w->sfo, send(w, &w->hq, &w->sfo, false)), TD_SYNC_APPLIED);
    person_field(w->sfo.db, pid, "name", v, sizeof v);
    assert_string_equal(v, "");
    assert_int_equal(q_long(w->sfo.db, "SELECT count(*) FROM persons"), 0);
    assert_int_equal(q_long(w->sfo.db, "SELECT count(*) FROM audit_log a JOIN stations s ON s.id = a.station_id "
                                       "WHERE s.code = 'LDN'"),
                     0);
}

/* Keep ours / edit: the other place takes the chosen value. */
static void keep_and_edit_converge(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN], a[256], b[256];
    intake(&w->sfo, "周宁", "E22345678", "13900000001", pid);
    receive(&w->hq, send(w, &w->sfo, &w->hq, false));
    receive(&w->sfo, send(w, &w->hq, &w->sfo, false));
    update_person(&w->sfo, pid, "13900000002", NULL, "甲");
    update_person(&w->hq, pid, "13900000003", NULL, "乙");
    receive(&w->hq, send(w, &w->sfo, &w->hq, false));
    receive(&w->sfo, send(w, &w->hq, &w->sfo, false));
    assert_int_equal(td_sync_conflicts_open(w->sfo.db), 2);
    td_err err;
    td_err_clear(&err);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(w->sfo.db), "SELECT id, col FROM local_sync_conflicts WHERE "
                                                                 "status = 'open' ORDER BY col", -1, &st, NULL),
                     SQLITE_OK);
    char ids[2][TD_UUID_LEN];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(ids[i], sizeof ids[i], "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    /* employer: keep ours; phone: a third value */
    assert_td_ok(td_sync_conflict_resolve(w->sfo.db, &w->sfo.clerk, ids[0], TD_RESOLVE_KEEP, NULL, NULL, &err), &err);
    assert_int_equal(td_sync_conflict_resolve(w->sfo.db, &w->sfo.clerk, ids[1], TD_RESOLVE_EDIT, NULL, NULL, &err),
                     TD_EINVALID);
    assert_td_ok(td_sync_conflict_resolve(w->sfo.db, &w->sfo.clerk, ids[1], TD_RESOLVE_EDIT, "13900000009", "电话核实",
                                          &err),
                 &err);
    receive(&w->hq, send(w, &w->sfo, &w->hq, false));
    receive(&w->sfo, send(w, &w->hq, &w->sfo, false));
    person_field(w->hq.db, pid, "phone", a, sizeof a);
    assert_string_equal(a, "13900000009");
    person_field(w->hq.db, pid, "employer", a, sizeof a);
    assert_string_equal(a, "甲");
    person_field(w->sfo.db, pid, "employer", b, sizeof b);
    assert_string_equal(b, "甲");
    assert_int_equal(td_sync_conflicts_open(w->hq.db), 0);
    assert_int_equal(td_sync_conflicts_open(w->sfo.db), 0);
}

/* The same bundle twice, and an overlapping re-export: nothing changes. */
static void replays_change_nothing(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN], d1[65], d2[65];
    intake(&w->ldn, "高原", "E32345678", "13700000001", pid);
    char *b1 = send(w, &w->ldn, &w->hq, false);
    update_person(&w->ldn, pid, "13700000002", NULL, NULL);
    char *b2 = send(w, &w->ldn, &w->hq, false); /* overlaps b1: nothing acknowledged yet */
    const char *mine = "SELECT count(*) FROM local_sync_ops WHERE origin = (SELECT value FROM settings WHERE key = "
                       "'local_station')";
    long own = q_long(w->hq.db, mine);
    assert_int_equal(receive(&w->hq, b2), TD_SYNC_APPLIED);
    /* applying is not captured as edits made here: only the import's audit entry is */
    assert_int_equal(q_long(w->hq.db, mine) - own, 1);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM local_sync_ops WHERE origin = (SELECT value FROM "
                                      "settings WHERE key = 'local_station') AND tbl = 'audit_log' AND seq = (SELECT "
                                      "max(seq) FROM local_sync_ops WHERE origin = (SELECT value FROM settings WHERE "
                                      "key = 'local_station'))"),
                     1);
    digest(w->hq.db, d1);
    assert_int_equal(receive(&w->hq, b2), TD_SYNC_DUPLICATE);
    assert_int_equal(receive(&w->hq, b1), TD_SYNC_DUPLICATE);
    digest(w->hq.db, d2);
    assert_string_equal(d1, d2);
    char v[64];
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13700000002");
}

/* Out of order: a bundle after a gap is held and applied when the gap fills. */
static void gaps_are_held_until_filled(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN], v[64];
    intake(&w->ldn, "孟凡", "E42345678", "13600000001", pid);
    char *b1 = send(w, &w->ldn, &w->hq, true);
    update_person(&w->ldn, pid, "13600000002", NULL, NULL);
    char *b2 = send(w, &w->ldn, &w->hq, true);
    update_person(&w->ldn, pid, "13600000003", "meng@example.com", NULL);
    char *b3 = send(w, &w->ldn, &w->hq, true);
    assert_int_equal(receive(&w->hq, b3), TD_SYNC_HELD);
    assert_int_equal(receive(&w->hq, b3), TD_SYNC_HELD); /* still held, reported again */
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "");
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM local_sync_bundles WHERE status = 'held'"), 1);
    assert_int_equal(receive(&w->hq, b1), TD_SYNC_APPLIED);
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13600000001");
    assert_int_equal(receive(&w->hq, b1), TD_SYNC_DUPLICATE);
    assert_int_equal(receive(&w->hq, b2), TD_SYNC_APPLIED); /* …and releases b3 */
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13600000003");
    person_field(w->hq.db, pid, "email", v, sizeof v);
    assert_string_equal(v, "meng@example.com");
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM local_sync_bundles WHERE status = 'held'"), 0);
    assert_int_equal(td_sync_conflicts_open(w->hq.db), 0);
}

/* An edit of a record deleted at the other place is a conflict. */
static void edit_against_delete_is_a_conflict(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN], v[64];
    intake(&w->ldn, "沈默", "E52345678", "13500000001", pid);
    receive(&w->hq, send(w, &w->ldn, &w->hq, false));
    receive(&w->ldn, send(w, &w->hq, &w->ldn, false));
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE persons SET deleted_at = '2026-03-16T00:00:00.000Z' WHERE id = '%s'", pid);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_begin(w->hq.db, &err), &err);
    assert_td_ok(td_db_exec(w->hq.db, sql, &err), &err);
    assert_td_ok(td_db_commit(w->hq.db, &err), &err);
    update_person(&w->ldn, pid, "13500000002", NULL, NULL);
    receive(&w->hq, send(w, &w->ldn, &w->hq, false));
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM local_sync_conflicts WHERE status = 'open' AND "
                                      "kind = 'deleted' AND col = 'phone'"),
                     1);
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13500000001");
}

/* Refused as a whole, with a Chinese message; the database is unchanged. */
static void expect_refused(place *p, const char *path, const char *words)
{
    char d1[65], d2[65];
    digest(p->db, d1);
    td_sync_import_report rep;
    td_err err;
    td_err_clear(&err);
    td_actor admin = td_test_actor(p->db, "admin");
    assert_int_not_equal(td_sync_import(p->db, &admin, path, &rep, &err), TD_OK);
    if (!strstr(err.msg, words))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, words);
    digest(p->db, d2);
    assert_string_equal(d1, d2);
}

static char *copy_file(world *w, const char *src, const char *name, long cut, long flip)
{
    FILE *in = fopen(src, "rb");
    assert_non_null(in);
    static unsigned char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    if (flip >= 0)
        buf[flip < 0 ? 0 : (size_t)flip % n] ^= 0x10;
    if (cut > 0 && (size_t)cut < n)
        n = (size_t)cut;
    char *p = path_in(w, name);
    FILE *out = fopen(p, "wb");
    assert_non_null(out);
    fwrite(buf, 1, n, out);
    fclose(out);
    return p;
}

static long file_size(const char *p)
{
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    return (long)sb.st_size;
}

static void bad_bundles_are_refused(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN];
    intake(&w->ldn, "秦川", "E62345678", "13400000001", pid);
    char *good = send(w, &w->ldn, &w->hq, false);
    long n = file_size(good);
    /* a flipped bit: in the header, the encrypted payload, the signature */
    expect_refused(&w->hq, copy_file(w, good, "flip1.tdsb", 0, 20), "未导入");
    expect_refused(&w->hq, copy_file(w, good, "flip2.tdsb", 0, n / 2), "签名");
    expect_refused(&w->hq, copy_file(w, good, "flip3.tdsb", 0, n - 3), "签名");
    /* cut short */
    expect_refused(&w->hq, copy_file(w, good, "cut1.tdsb", n - 70, -1), "未导入");
    expect_refused(&w->hq, copy_file(w, good, "cut2.tdsb", 40, -1), "未导入");
    expect_refused(&w->hq, copy_file(w, good, "cut3.tdsb", 3, -1), "不是");
    /* addressed to another station */
    char *to_sfo = send(w, &w->hq, &w->sfo, false);
    expect_refused(&w->ldn, to_sfo, "SFO");
    /* signed by another key than the one enrolled for the sender */
    char sfo_pk[80];
    assert_true(td_db_setting_get(w->sfo.db, "sync_sign_pk", sfo_pk, sizeof sfo_pk));
    char sql[300];
    snprintf(sql, sizeof sql, "UPDATE local_sync_peers SET sign_pk = '%s' WHERE code = 'LDN'", sfo_pk);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_exec(w->hq.db, sql, &err), &err);
    expect_refused(&w->hq, good, "签名");
    /* a revoked station */
    assert_td_ok(td_sync_peer_revoke(w->hq.db, "SFO", &err), &err);
    char *from_sfo = send(w, &w->sfo, &w->hq, false);
    expect_refused(&w->hq, from_sfo, "撤销");
    /* not a bundle at all */
    FILE *f = fopen(path_in(w, "junk.tdsb"), "w");
    fputs("hello", f);
    fclose(f);
    expect_refused(&w->hq, path_in(w, "junk.tdsb"), "不是");
}


/* Every delivery order of five bundles (three from LDN, two from SFO), each
 * with one re-delivery at a random point: the replay changes nothing, and
 * every order ends in the same state — the fields merged, HQ's clashing
 * value kept with the station's latest value in the queue (no value lost). */
static void next_perm(int *a, int n, bool *more)
{
    int i = n - 2;
    while (i >= 0 && a[i] > a[i + 1])
        i--;
    if (i < 0) {
        *more = false;
        return;
    }
    int j = n - 1;
    while (a[j] < a[i])
        j--;
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
    for (int l = i + 1, r = n - 1; l < r; l++, r--) {
        t = a[l];
        a[l] = a[r];
        a[r] = t;
    }
}

static void state_digest(td_db *db, const char *p1, const char *p2, char out[65])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db),
                                        "SELECT id || phone || email || name_latin || employer || notes FROM persons "
                                        "WHERE id IN (?1, ?2) UNION ALL SELECT * FROM (SELECT tbl || row_id || col || "
                                        "quote(base) || quote(mine) || quote(theirs) || status FROM "
                                        "local_sync_conflicts ORDER BY 1) UNION ALL SELECT group_concat(status) FROM "
                                        "local_sync_bundles",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p2, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        if (v)
            crypto_generichash_update(&h, v, strlen((const char *)v) + 1);
    }
    sqlite3_finalize(st);
    unsigned char bin[32];
    crypto_generichash_final(&h, bin, sizeof bin);
    sodium_bin2hex(out, 65, bin, sizeof bin);
}

static void copy_path(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static void every_delivery_order_converges(void **state)
{
    world *w = *state;
    char p1[TD_UUID_LEN], p2[TD_UUID_LEN], v[256];
    intake(&w->ldn, "韩冰", "E72345678", "13300000001", p1);
    intake(&w->sfo, "罗杰", "E82345678", "13200000001", p2);
    receive(&w->hq, send(w, &w->ldn, &w->hq, false));
    receive(&w->hq, send(w, &w->sfo, &w->hq, false));
    update_person(&w->hq, p1, "13300000009", NULL, NULL); /* clashes with LDN's phone edits */
    td_person hp;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_get(w->hq.db, p2, &hp, &err), &err);
    snprintf(hp.notes, sizeof hp.notes, "总部备注");
    assert_td_ok(td_person_update(w->hq.db, &w->hq.clerk, &hp, &err), &err);

    char *b[5];
    update_person(&w->ldn, p1, "13300000002", NULL, NULL);
    b[0] = strdup(send(w, &w->ldn, &w->hq, true));
    update_person(&w->ldn, p1, NULL, "han@example.com", NULL);
    b[1] = strdup(send(w, &w->ldn, &w->hq, true));
    td_person lp;
    assert_td_ok(td_person_get(w->ldn.db, p1, &lp, &err), &err);
    snprintf(lp.phone, sizeof lp.phone, "13300000003");
    snprintf(lp.name_latin, sizeof lp.name_latin, "HAN BING");
    assert_td_ok(td_person_update(w->ldn.db, &w->ldn.clerk, &lp, &err), &err);
    b[2] = strdup(send(w, &w->ldn, &w->hq, true));
    update_person(&w->sfo, p2, NULL, NULL, "甲公司");
    b[3] = strdup(send(w, &w->sfo, &w->hq, true));
    update_person(&w->sfo, p2, NULL, NULL, "乙公司");
    b[4] = strdup(send(w, &w->sfo, &w->hq, true));

    char snap[4200], snapkeys[4200], keys[4200];
    snprintf(snap, sizeof snap, "%s", path_in(w, "hq-snapshot.db"));
    snprintf(snapkeys, sizeof snapkeys, "%s.keys", snap);
    assert_td_ok(td_db_exec(w->hq.db, "PRAGMA wal_checkpoint(TRUNCATE)", &err), &err);
    assert_true(td_sync_keys_path(w->hq.db, keys, sizeof keys));
    copy_path(sqlite3_db_filename(td_db_handle(w->hq.db), "main"), snap);
    char hqkey[4200], snapkey[4300];
    snprintf(hqkey, sizeof hqkey, "%s.key", sqlite3_db_filename(td_db_handle(w->hq.db), "main"));
    snprintf(snapkey, sizeof snapkey, "%s.key", snap); /* the audit key travels with a copy */
    copy_path(hqkey, snapkey);

    int order[5] = { 0, 1, 2, 3, 4 };
    bool more = true;
    int runs = 0;
    char first[65] = "";
    srand(11);
    while (more) {
        char run[4200], runkeys[4200];
        snprintf(run, sizeof run, "%s/run.db", w->dir);
        snprintf(runkeys, sizeof runkeys, "%s.keys", run);
        unlink(run);
        char wal[4300];
        snprintf(wal, sizeof wal, "%s-wal", run);
        unlink(wal);
        copy_path(snap, run);
        copy_path(keys, runkeys);
        chmod(runkeys, 0600);
        char runkey[4300];
        snprintf(runkey, sizeof runkey, "%s.key", run);
        copy_path(snapkey, runkey);
        chmod(runkey, 0600);
        place hq = { .code = "CQ" };
        td_db *db = NULL;
        assert_td_ok(td_db_open(run, &db, &err), &err);
        assert_td_ok(td_db_exec(db, "PRAGMA synchronous = OFF", &err), &err);
        hq.db = db;
        int again = rand() % 5, when = rand() % 5; /* bundle b[again], re-sent after the when-th delivery */
        for (int k = 0; k < 5; k++) {
            receive(&hq, b[order[k]]);
            if (k == when) { /* a courier delivers one bundle twice */
                char d1[65], d2[65];
                state_digest(db, p1, p2, d1);
                bool delivered = false;
                for (int j = 0; j <= k; j++)
                    delivered |= order[j] == again;
                td_sync_outcome o = receive(&hq, b[again]);
                state_digest(db, p1, p2, d2);
                if (delivered) { /* a replay: held again or already here, nothing changes */
                    assert_true(o == TD_SYNC_DUPLICATE || o == TD_SYNC_HELD);
                    assert_string_equal(d1, d2);
                }
            }
        }
        /* merged fields, HQ's value kept, LDN's latest value in the queue */
        person_field(db, p1, "phone", v, sizeof v);
        assert_string_equal(v, "13300000009");
        person_field(db, p1, "email", v, sizeof v);
        assert_string_equal(v, "han@example.com");
        person_field(db, p1, "name_latin", v, sizeof v);
        assert_string_equal(v, "HAN BING");
        person_field(db, p2, "employer", v, sizeof v);
        assert_string_equal(v, "乙公司");
        person_field(db, p2, "notes", v, sizeof v);
        assert_string_equal(v, "总部备注");
        assert_int_equal(q_long(db, "SELECT count(*) FROM local_sync_conflicts WHERE status = 'open'"), 1);
        assert_int_equal(q_long(db, "SELECT count(*) FROM local_sync_conflicts WHERE status = 'open' AND col = "
                                    "'phone' AND theirs = '13300000003' AND mine = '13300000009'"),
                         1);
        assert_int_equal(q_long(db, "SELECT count(*) FROM local_sync_bundles WHERE status = 'held'"), 0);
        char d[65];
        state_digest(db, p1, p2, d);
        if (!first[0])
            snprintf(first, sizeof first, "%s", d);
        assert_string_equal(first, d);
        td_db_close(db);
        runs++;
        next_perm(order, 5, &more);
    }
    assert_int_equal(runs, 120);
    for (int i = 0; i < 5; i++)
        free(b[i]);
    unlink(snapkeys);
}

/* Imports path at p expecting outcome o; returns the report. */
static td_sync_import_report import_rep(place *p, const char *path, td_status want, td_err *err)
{
    td_sync_import_report rep;
    td_err_clear(err);
    td_actor admin = td_test_actor(p->db, "admin");
    assert_int_equal(td_sync_import(p->db, &admin, path, &rep, err), want);
    return rep;
}

static void copy_db(world *w, td_db *db, const char *to)
{
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", &err), &err);
    const char *from = sqlite3_db_filename(td_db_handle(db), "main");
    char a[4300], b[4300];
    copy_path(from, path_in(w, to));
    snprintf(a, sizeof a, "%s.keys", from);
    snprintf(b, sizeof b, "%s.keys", path_in(w, to));
    copy_path(a, b);
    chmod(b, 0600);
    snprintf(a, sizeof a, "%s.key", from);
    snprintf(b, sizeof b, "%s.key", path_in(w, to));
    copy_path(a, b);
    chmod(b, 0600);
}

static int forked_cb(const td_sync_peer_status *p, void *ud)
{
    if (strcmp(p->code, "LDN") == 0)
        *(long *)ud = p->forked;
    return 0;
}

/* A station restored from an old copy reuses its sequence numbers for new
 * changes: its bundles contradict what HQ has, are held as a fork with a
 * Chinese message and never applied (again on a second try, and for a full
 * re-export too). */
static void a_restored_station_is_a_fork(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN], v[64], d1[65], d2[65];
    td_err err;
    intake(&w->ldn, "钱多多", "E92345678", "13100000001", pid);
    receive(&w->hq, send(w, &w->ldn, &w->hq, false));
    receive(&w->ldn, send(w, &w->hq, &w->ldn, false));
    copy_db(w, w->ldn.db, "ldn-old.db"); /* the laptop's backup */
    update_person(&w->ldn, pid, "13100000002", NULL, NULL);
    assert_int_equal(receive(&w->hq, send(w, &w->ldn, &w->hq, true)), TD_SYNC_APPLIED);
    td_db_close(w->ldn.db); /* … restored from it */
    w->ldn.db = open_db(w, "ldn-old.db");
    update_person(&w->ldn, pid, "13100000003", NULL, NULL);
    char *f = send(w, &w->ldn, &w->hq, true);
    td_sync_import_report rep = import_rep(&w->hq, f, TD_ECONFLICT, &err);
    assert_int_equal(rep.outcome, TD_SYNC_FORKED);
    assert_true(rep.fork_seq > 0);
    if (!strstr(err.msg, "旧副本恢复"))
        fail_msg("fork message: %s", err.msg);
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13100000002");
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM local_sync_bundles WHERE status = 'held' AND note = 'fork'"), 1);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM audit_log WHERE action = 'sync.fork'"), 1);
    digest(w->hq.db, d1);
    rep = import_rep(&w->hq, f, TD_ECONFLICT, &err); /* again: the same answer, nothing changes */
    assert_int_equal(rep.outcome, TD_SYNC_FORKED);
    digest(w->hq.db, d2);
    assert_string_equal(d1, d2);
    rep = import_rep(&w->hq, send(w, &w->ldn, &w->hq, false), TD_ECONFLICT, &err);
    assert_int_equal(rep.outcome, TD_SYNC_FORKED);
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13100000002");
    /* an edit at HQ afterwards releases nothing of the fork; status says so */
    update_person(&w->hq, pid, NULL, "qian@example.com", NULL);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM local_sync_bundles WHERE status = 'held' AND note = 'fork'"), 2);
    long forked = -1;
    assert_td_ok(td_sync_status_each(w->hq.db, forked_cb, &forked, &err), &err);
    assert_int_equal(forked, 2);
}

/* Each bundle names the one it follows: a bundle after a lost one is held
 * and names the missing bundle; a full re-export follows the last bundle the
 * receiver acknowledged, so it is applied and releases the held one. */
static void the_chain_names_a_missing_bundle(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN], v[64], lost[65] = "";
    td_err err;
    intake(&w->ldn, "周全", "E62345679", "13000000001", pid);
    receive(&w->hq, send(w, &w->ldn, &w->hq, false));
    receive(&w->ldn, send(w, &w->hq, &w->ldn, false)); /* HQ's acknowledgement */
    update_person(&w->ldn, pid, "13000000002", NULL, NULL);
    send(w, &w->ldn, &w->hq, true); /* lost on the way */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(w->ldn.db), "SELECT sent_hash FROM local_sync_peers WHERE code = 'CQ'",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(lost, sizeof lost, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    update_person(&w->ldn, pid, NULL, "zhou@example.com", NULL);
    char *b2 = strdup(send(w, &w->ldn, &w->hq, true));
    td_sync_import_report rep = import_rep(&w->hq, b2, TD_OK, &err);
    assert_int_equal(rep.outcome, TD_SYNC_HELD);
    assert_string_equal(rep.missing, lost);
    assert_true(rep.gap_lo <= rep.gap_hi);
    rep = import_rep(&w->hq, send(w, &w->ldn, &w->hq, false), TD_OK, &err); /* everything not acknowledged */
    assert_int_equal(rep.outcome, TD_SYNC_APPLIED);
    assert_string_equal(rep.missing, "");
    assert_int_equal(rep.released, 1);
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13000000002");
    person_field(w->hq.db, pid, "email", v, sizeof v);
    assert_string_equal(v, "zhou@example.com");
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM local_sync_bundles WHERE status = 'held'"), 0);
    free(b2);
}

static td_status verify(td_db *db, td_audit_report *r, td_err *err)
{
    td_err_clear(err);
    return td_audit_verify(db, r, err);
}

static void exec_ok(td_db *db, const char *sql)
{
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_exec(db, sql, &err), &err);
}

/* Audit across places: after bundles both ways every chain verifies at both
 * places (HQ recomputes the station's chain with the station's key, which
 * its bundles carry; the station checks the links of HQ's rows it holds).  A
 * station row altered at HQ, or the station's newest rows removed at HQ
 * (below the anchor its last bundle carried), are found by audit verify; a
 * bundle whose audit rows do not verify is refused and changes nothing. */
static void audit_chains_verify_across_places(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN], d1[65], d2[65], sql[600];
    td_err err;
    td_audit_report r;
    intake(&w->ldn, "陶然", "E11223344", "13900000001", pid);
    update_person(&w->ldn, pid, "13900000002", NULL, "伦敦大学学院");
    receive(&w->hq, send(w, &w->ldn, &w->hq, false));
    update_person(&w->hq, pid, NULL, "tao@example.com", NULL);
    receive(&w->ldn, send(w, &w->hq, &w->ldn, false));
    assert_td_ok(verify(w->hq.db, &r, &err), &err);
    assert_int_equal(r.unverified, 0); /* LDN's chain recomputed with its key */
    assert_td_ok(verify(w->ldn.db, &r, &err), &err);
    assert_int_equal(r.unverified, 1); /* HQ's rows at the station: links only */
    char ldn_id[TD_UUID_LEN];
    assert_td_ok(td_local_station(w->ldn.db, ldn_id, NULL, &err), &err);

    /* a station row altered at HQ */
    exec_ok(w->hq.db, "DROP TRIGGER audit_log_no_update");
    snprintf(sql, sizeof sql, "UPDATE audit_log SET reason = '改过' WHERE station_id = '%s' AND seq = 2", ldn_id);
    exec_ok(w->hq.db, sql);
    assert_int_equal(verify(w->hq.db, &r, &err), TD_ECONFLICT);
    snprintf(sql, sizeof sql, "UPDATE audit_log SET reason = '' WHERE station_id = '%s' AND seq = 2", ldn_id);
    exec_ok(w->hq.db, sql);
    assert_td_ok(verify(w->hq.db, &r, &err), &err);
    /* the station's newest row removed at HQ: below the anchor */
    exec_ok(w->hq.db, "DROP TRIGGER audit_log_no_delete");
    snprintf(sql, sizeof sql, "DELETE FROM audit_log WHERE station_id = '%s' AND seq = (SELECT max(seq) FROM "
                              "audit_log WHERE station_id = '%s')", ldn_id, ldn_id);
    exec_ok(w->hq.db, "BEGIN");
    exec_ok(w->hq.db, sql);
    assert_int_equal(verify(w->hq.db, &r, &err), TD_ECONFLICT);
    if (!strstr(err.msg, "LDN"))
        fail_msg("message names no station: %s", err.msg);
    exec_ok(w->hq.db, "ROLLBACK");
    assert_td_ok(verify(w->hq.db, &r, &err), &err);

    /* the station's database edited behind its back: an audit row's content
     * changed in what it sends, without the key to re-hash it */
    update_person(&w->ldn, pid, "13900000003", NULL, NULL);
    snprintf(sql, sizeof sql, "UPDATE local_sync_ops SET new = json_set(new, '$.new_value', '13900000009') WHERE "
                              "tbl = 'audit_log' AND kind = 'I' AND origin = '%s' AND seq = (SELECT max(seq) FROM "
                              "local_sync_ops WHERE tbl = 'audit_log' AND origin = '%s')", ldn_id, ldn_id);
    exec_ok(w->ldn.db, sql);
    char *bad = send(w, &w->ldn, &w->hq, true);
    digest(w->hq.db, d1);
    td_sync_import_report rep = import_rep(&w->hq, bad, TD_ECONFLICT, &err);
    (void)rep;
    if (!strstr(err.msg, "审计日志"))
        fail_msg("message: %s", err.msg);
    digest(w->hq.db, d2);
    assert_string_equal(d1, d2);
    char v[64];
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13900000002");
}

/* The same person (same passport) registered at two stations: HQ holds both
 * and lists the pair in the duplicates queue (exact), with no sync conflict;
 * neither station sees the other's person; a replay adds nothing. */
static void same_person_at_two_stations_goes_to_duplicates(void **state)
{
    world *w = *state;
    char p1[TD_UUID_LEN], p2[TD_UUID_LEN];
    td_err err;
    intake(&w->ldn, "欧阳明", "E77777777", "13811111111", p1);
    intake(&w->sfo, "欧阳明", "E77777777", "13822222222", p2);
    receive(&w->hq, send(w, &w->ldn, &w->hq, false));
    char *b = send(w, &w->sfo, &w->hq, false);
    td_sync_import_report rep = import_rep(&w->hq, b, TD_OK, &err);
    assert_int_equal(rep.outcome, TD_SYNC_APPLIED);
    assert_int_equal(rep.duplicates, 1);
    assert_int_equal(rep.conflicts, 0);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM persons WHERE id_no = 'E77777777' AND deleted_at IS NULL"), 2);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM dupe_candidates WHERE kind = 'exact' AND status = 'open'"), 1);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM local_sync_conflicts"), 0);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM audit_log WHERE action = 'dupe.found'"), 1);
    assert_int_equal(receive(&w->hq, b), TD_SYNC_DUPLICATE);
    assert_int_equal(q_long(w->hq.db, "SELECT count(*) FROM dupe_candidates"), 1);
    /* HQ still refuses a third registration of that passport by its own clerk */
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "欧阳明");
    snprintf(p.id_type, sizeof p.id_type, "passport");
    snprintf(p.id_no, sizeof p.id_no, "E77777777");
    td_err_clear(&err);
    assert_int_equal(td_person_add(w->hq.db, &w->hq.clerk, &p, &err), TD_ECONFLICT);
    /* each station sees only its own */
    receive(&w->ldn, send(w, &w->hq, &w->ldn, false));
    receive(&w->sfo, send(w, &w->hq, &w->sfo, false));
    assert_int_equal(q_long(w->ldn.db, "SELECT count(*) FROM persons WHERE id_no = 'E77777777'"), 1);
    assert_int_equal(q_long(w->sfo.db, "SELECT count(*) FROM persons WHERE id_no = 'E77777777'"), 1);
}

/* Bundles are compressed (zlib) before they are encrypted: a bundle of many
 * similar changes is several times smaller than its operations, and still
 * applies. */
static void bundles_are_compressed(void **state)
{
    world *w = *state;
    char pid[TD_UUID_LEN], v[64];
    td_err err;
    td_err_clear(&err);
    intake(&w->ldn, "孔明", "E13572468", "13600000000", pid);
    for (int i = 1; i <= 40; i++) {
        char phone[16], note[64];
        snprintf(phone, sizeof phone, "136%08d", i);
        snprintf(note, sizeof note, "第 %d 次电话回访：本人表示下月回国", i);
        td_person p;
        assert_td_ok(td_person_get(w->ldn.db, pid, &p, &err), &err);
        snprintf(p.phone, sizeof p.phone, "%s", phone);
        snprintf(p.notes, sizeof p.notes, "%s", note);
        assert_td_ok(td_person_update(w->ldn.db, &w->ldn.clerk, &p, &err), &err);
    }
    char *b = send(w, &w->ldn, &w->hq, false);
    td_bundle_file bf;
    assert_td_ok(td_bundle_read(b, &bf, &err), &err);
    assert_string_equal(bf.hdr.compress, "zlib");
    assert_true(bf.hdr.plain_len > 0);
    if ((long)bf.len * 3 > bf.hdr.plain_len)
        fail_msg("bundle of %zu bytes for %ld bytes of operations: not compressed", bf.len, bf.hdr.plain_len);
    td_bundle_free(&bf);
    assert_int_equal(receive(&w->hq, b), TD_SYNC_APPLIED);
    person_field(w->hq.db, pid, "phone", v, sizeof v);
    assert_string_equal(v, "13600000040");
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(same_field_goes_to_the_queue_different_fields_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(a_rename_from_a_bundle_rekeys_the_person, setup, teardown),
        cmocka_unit_test_setup_teardown(keep_and_edit_converge, setup, teardown),
        cmocka_unit_test_setup_teardown(replays_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(gaps_are_held_until_filled, setup, teardown),
        cmocka_unit_test_setup_teardown(edit_against_delete_is_a_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_bundles_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(every_delivery_order_converges, setup, teardown),
        cmocka_unit_test_setup_teardown(a_restored_station_is_a_fork, setup, teardown),
        cmocka_unit_test_setup_teardown(the_chain_names_a_missing_bundle, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_chains_verify_across_places, setup, teardown),
        cmocka_unit_test_setup_teardown(same_person_at_two_stations_goes_to_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(bundles_are_compressed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
