/* dedupe.c — see dedupe.h. */
#include "dedupe.h"
#include "auth/access.h"
#include "namefold.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "base/timeutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const kind_codes[] = { "", "exact", "name_birth", "name_phone" };
static const char *const kind_names[] = { "", N_("same identity document"), N_("same name and birth date"),
                                          N_("same name and mobile") };

const char *td_dup_kind_code(td_dup_kind k)
{
    return (k >= TD_DUP_EXACT && k <= TD_DUP_NAME_PHONE) ? kind_codes[k] : "";
}

const char *td_dup_kind_name(td_dup_kind k)
{
    return (k >= TD_DUP_EXACT && k <= TD_DUP_NAME_PHONE) ? _(kind_names[k]) : "";
}

static td_dup_kind kind_parse(const char *s)
{
    for (int k = TD_DUP_EXACT; k <= TD_DUP_NAME_PHONE; k++)
        if (strcmp(s, kind_codes[k]) == 0)
            return (td_dup_kind)k;
    return TD_DUP_NAME_BIRTH;
}

#define MATCH_COLS "id, name, id_type, id_no, IFNULL(birth_date,''), phone"
/* the same of persons p joined to its fold key (one per person: a join, not
 * IN (SELECT …), so that no temporary index is built per lookup) */
#define MATCH_P_COLS "p.id, p.name, p.id_type, p.id_no, IFNULL(p.birth_date,''), p.phone"

static void read_match(sqlite3_stmt *st, int col, td_dup_match *m)
{
    char idno[TD_IDNO_LEN];
    td_col_copy(st, col + 0, m->person_id, sizeof m->person_id);
    td_col_copy(st, col + 1, m->name, sizeof m->name);
    td_col_copy(st, col + 2, m->id_type, sizeof m->id_type);
    td_col_copy(st, col + 3, idno, sizeof idno);
    td_id_mask(idno, m->id_no_masked);
    td_col_copy(st, col + 4, m->birth_date, sizeof m->birth_date);
    td_col_copy(st, col + 5, m->phone, sizeof m->phone);
}

/* Runs one lookup and appends new matches. */
static td_status collect(td_db *db, sqlite3_stmt *st, td_dup_kind kind, const char *self, td_dup_match *out,
                         int max, int *n, td_err *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        td_dup_match m;
        memset(&m, 0, sizeof m);
        read_match(st, 0, &m);
        m.kind = kind;
        if (self && strcmp(m.person_id, self) == 0)
            continue;
        bool seen = false;
        for (int i = 0; i < *n; i++)
            if (strcmp(out[i].person_id, m.person_id) == 0)
                seen = true;
        if (!seen)
            out[(*n)++] = m;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(db, _("looking for duplicates"), err);
    return TD_OK;
}

static td_status find(td_db *db, const td_person *p, bool exact, td_dup_match *out, int max, int *n, td_err *err)
{
    *n = 0;
    if (max > TD_DUP_MAX)
        max = TD_DUP_MAX;
    const char *self = p->id[0] ? p->id : NULL;
    td_status s;
    sqlite3_stmt *st;
    if (!exact)
        goto probable;
    st = td_db_prepare(db,
                                     "SELECT " MATCH_COLS " FROM persons WHERE id_type = ? AND id_no = ? "
                                     "AND deleted_at IS NULL",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, p->id_type);
    td_bind_text(st, 2, p->id_no);
    if ((s = collect(db, st, TD_DUP_EXACT, self, out, max, n, err)))
        return s;
probable:;
    /* names compare traditional/simplified folded (陳大文 = 陈大文): the name
     * as given, its folded form, and stored names whose folded key is it */
    char fk[sizeof p->name];
    bool folds = td_name_fold(p->name, fk, sizeof fk);
    if (p->birth_date[0]) {
        for (int pass = 0; pass < (folds ? 2 : 1); pass++) {
            st = td_db_prepare(db,
                               "SELECT " MATCH_COLS " FROM persons WHERE name = ? AND birth_date = ? "
                               "AND deleted_at IS NULL LIMIT 20",
                               err);
            if (!st)
                return TD_EDB;
            td_bind_text(st, 1, pass ? fk : p->name);
            td_bind_text(st, 2, p->birth_date);
            if ((s = collect(db, st, TD_DUP_NAME_BIRTH, self, out, max, n, err)))
                return s;
        }
        st = td_db_prepare(db,
                           "SELECT " MATCH_P_COLS " FROM local_person_fold k JOIN persons p ON p.id = "
                           "k.person_id WHERE k.fold = ?1 AND p.birth_date = ?2 AND p.deleted_at IS NULL LIMIT 20",
                           err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, fk);
        td_bind_text(st, 2, p->birth_date);
        if ((s = collect(db, st, TD_DUP_NAME_BIRTH, self, out, max, n, err)))
            return s;
    }
    if (p->phone[0]) {
        for (int pass = 0; pass < (folds ? 2 : 1); pass++) {
            st = td_db_prepare(db,
                               "SELECT " MATCH_COLS " FROM persons INDEXED BY persons_phone WHERE phone = ? "
                               "AND phone <> '' AND name = ? AND deleted_at IS NULL LIMIT 20",
                               err);
            if (!st)
                return TD_EDB;
            td_bind_text(st, 1, p->phone);
            td_bind_text(st, 2, pass ? fk : p->name);
            if ((s = collect(db, st, TD_DUP_NAME_PHONE, self, out, max, n, err)))
                return s;
        }
        st = td_db_prepare(db,
                           "SELECT " MATCH_P_COLS " FROM local_person_fold k JOIN persons p ON p.id = "
                           "k.person_id WHERE k.fold = ?2 AND p.phone = ?1 AND p.deleted_at IS NULL LIMIT 20",
                           err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, p->phone);
        td_bind_text(st, 2, fk);
        if ((s = collect(db, st, TD_DUP_NAME_PHONE, self, out, max, n, err)))
            return s;
    }
    return TD_OK;
}

td_status td_dupe_find(td_db *db, const td_person *p, td_dup_match *out, int max, int *n, td_err *err)
{
    return find(db, p, true, out, max, n, err);
}

td_status td_dupe_find_probable(td_db *db, const td_person *p, td_dup_match *out, int max, int *n, td_err *err)
{
    return find(db, p, false, out, max, n, err);
}

td_status td_dupe_check(td_db *db, const td_person *p, td_dup_match *out, int max, int *n, td_err *err)
{
    *n = 0;
    td_person *copy = malloc(sizeof *copy);
    if (!copy)
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    *copy = *p;
    td_status s = td_person_validate(db, copy, NULL, err);
    if (s == TD_OK)
        s = td_dupe_find(db, copy, out, max, n, err);
    free(copy);
    return s;
}

td_status td_dupe_record(td_db *db, const td_actor *by, const char *a, const char *b, td_dup_kind kind,
                         const char *source, bool *added, td_err *err)
{
    if (added)
        *added = false;
    if (strcmp(a, b) == 0)
        return TD_OK;
    if (strcmp(a, b) > 0) {
        const char *t = a;
        a = b;
        b = t;
    }
    char id[TD_UUID_LEN], now[TD_TS_LEN];
    td_uuid7(id);
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "INSERT OR IGNORE INTO dupe_candidates(id, person_a, person_b, kind, source, "
                                     "created_at, updated_at) VALUES(?,?,?,?,?,?,?)",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, a);
    td_bind_text(st, 3, b);
    td_bind_text(st, 4, td_dup_kind_code(kind));
    td_bind_text(st, 5, source);
    td_bind_text(st, 6, now);
    td_bind_text(st, 7, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("recording a duplicate candidate"), err);
    if (sqlite3_changes(td_db_handle(db)) == 0)
        return TD_OK;
    if (added)
        *added = true;
    char val[160];
    snprintf(val, sizeof val, "%s %s %s", a, b, td_dup_kind_code(kind));
    return td_audit(db, by, NULL, "dupe.found", "dupe_candidates", id, "kind", NULL, val, source, err);
}

static td_status load_person(td_db *db, const char *id, td_person *p, bool *merged, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT id, name, id_type, id_no, IFNULL(birth_date,''), phone, "
                                     "merged_into IS NOT NULL OR deleted_at IS NOT NULL FROM persons WHERE id = ?",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(p, 0, sizeof *p);
        td_col_copy(st, 0, p->id, sizeof p->id);
        td_col_copy(st, 1, p->name, sizeof p->name);
        td_col_copy(st, 2, p->id_type, sizeof p->id_type);
        td_col_copy(st, 3, p->id_no, sizeof p->id_no);
        td_col_copy(st, 4, p->birth_date, sizeof p->birth_date);
        td_col_copy(st, 5, p->phone, sizeof p->phone);
        if (merged)
            *merged = sqlite3_column_int(st, 6) != 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the person"), err);
    return td_err_set(err, TD_ENOTFOUND, _("No person found for '%s'"), id);
}

td_status td_dupe_note(td_db *db, const td_actor *by, const char *person_id, const char *source, int *found,
                       td_err *err)
{
    if (found)
        *found = 0;
    td_status s = td_access_require(db, by, TD_ACT_PERSON_ADD, err);
    if (s)
        return s;
    bool own = !td_db_in_tx(db);
    if (own && (s = td_db_begin(db, err)))
        return s;
    td_person *p = malloc(sizeof *p);
    if (!p) {
        if (own)
            td_db_rollback(db);
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    }
    td_dup_match m[TD_DUP_MAX];
    int n = 0;
    if ((s = load_person(db, person_id, p, NULL, err)) == TD_OK)
        s = td_dupe_find(db, p, m, TD_DUP_MAX, &n, err);
    for (int i = 0; s == TD_OK && i < n; i++) {
        bool added;
        s = td_dupe_record(db, by, p->id, m[i].person_id, m[i].kind, source, &added, err);
        if (added && found)
            (*found)++;
    }
    free(p);
    if (own) {
        if (s) {
            td_db_rollback(db);
            return s;
        }
        return td_db_commit(db, err);
    }
    return s;
}

/* ---- scan: blocking keys, short batches, incremental ---------------------
 * Persons are grouped by a blocking key (name + birth date, name + mobile,
 * identity document); each member of a group is paired with the group's
 * oldest member, so a group of k namesakes gives k - 1 candidates, not
 * k(k-1)/2.  The groups to look at are read first (no write lock); candidates
 * are then written in transactions of at most `batch` pairs with a pause
 * between them, so clerks' writes get in.  An incremental scan only looks at
 * the groups of persons changed since the last scan (setting dupes_scan_at). */

typedef struct scan_key {
    int kind;
    char *k1, *k2;
} scan_key;

typedef struct scan_keys {
    scan_key *v;
    size_t n, cap;
} scan_keys;

static void keys_free(scan_keys *ks)
{
    for (size_t i = 0; i < ks->n; i++) {
        free(ks->v[i].k1);
        free(ks->v[i].k2);
    }
    free(ks->v);
    memset(ks, 0, sizeof *ks);
}

static td_status keys_collect(td_db *db, const char *sql, const char *since, int kind, scan_keys *ks, td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("looking for duplicates"), err);
    td_bind_text(st, 1, since);
    int rc;
    td_status s = TD_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (ks->n == ks->cap) {
            size_t nc = ks->cap ? ks->cap * 2 : 256;
            scan_key *nv = realloc(ks->v, nc * sizeof *nv);
            if (!nv) {
                s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
                break;
            }
            ks->v = nv;
            ks->cap = nc;
        }
        scan_key *k = &ks->v[ks->n];
        k->kind = kind;
        k->k1 = strdup((const char *)sqlite3_column_text(st, 0));
        k->k2 = strdup((const char *)sqlite3_column_text(st, 1));
        if (!k->k1 || !k->k2) {
            free(k->k1);
            free(k->k2);
            s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
            break;
        }
        ks->n++;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td_db_fail(db, _("looking for duplicates"), err);
    sqlite3_finalize(st);
    return s;
}

/* Groups with more than one live member; ?1 = changed since (NULL = all). */
static const char *const group_sql[] = {
    "SELECT name, birth_date FROM persons INDEXED BY persons_name_birth WHERE deleted_at IS NULL AND "
    "birth_date IS NOT NULL AND (?1 IS NULL OR (name, birth_date) IN (SELECT name, birth_date FROM persons "
    "WHERE updated_at >= ?1)) GROUP BY name, birth_date HAVING count(*) > 1",
    "SELECT name, phone FROM persons WHERE deleted_at IS NULL AND phone <> '' AND (?1 IS NULL OR "
    "(name, phone) IN (SELECT name, phone FROM persons WHERE updated_at >= ?1)) GROUP BY name, phone "
    "HAVING count(*) > 1",
    "SELECT id_type, id_no FROM persons WHERE deleted_at IS NULL AND (?1 IS NULL OR (id_type, id_no) IN "
    "(SELECT id_type, id_no FROM persons WHERE updated_at >= ?1)) GROUP BY id_type, id_no HAVING count(*) > 1",
};
static const int group_kind[] = { TD_DUP_NAME_BIRTH, TD_DUP_NAME_PHONE, TD_DUP_EXACT };

/* Members of one group, oldest first (indexed lookups). */
static const char *const member_sql[] = {
    "SELECT id FROM persons INDEXED BY persons_name_birth WHERE name = ? AND birth_date = ? AND "
    "deleted_at IS NULL ORDER BY created_at, id",
    "SELECT id FROM persons INDEXED BY persons_phone WHERE phone = ?2 AND phone <> '' AND name = ?1 AND "
    "deleted_at IS NULL ORDER BY created_at, id",
    "SELECT id FROM persons INDEXED BY persons_id_no WHERE id_type = ? AND id_no = ? AND deleted_at IS NULL "
    "ORDER BY created_at, id",
};

static void pause_ms(int ms)
{
    struct timespec ts = { 0, (long)ms * 1000000L };
    nanosleep(&ts, NULL);
}

td_status td_dupe_scan_ex(td_db *db, const td_actor *by, const td_dupe_scan_opts *o, long *found, td_err *err)
{
    static const td_dupe_scan_opts defaults = { 0 };
    if (!o)
        o = &defaults;
    if (found)
        *found = 0;
    td_status s = td_access_require(db, by, TD_ACT_DUPES_MERGE, err);
    if (s)
        return s;
    if (td_db_in_tx(db))
        return td_err_set(err, TD_ERR, "%s", _("internal error: nested transaction"));
    int batch = o->batch > 0 ? o->batch : 200;
    char since[TD_TS_LEN] = "", started[TD_TS_LEN];
    td_now_utc(started);
    bool incr = o->incremental && td_db_setting_get(db, "dupes_scan_at", since, sizeof since) && since[0];
    scan_keys ks = { 0 };
    for (size_t q = 0; q < sizeof group_sql / sizeof group_sql[0] && s == TD_OK; q++)
        s = keys_collect(db, group_sql[q], incr ? since : NULL, group_kind[q], &ks, err);
    bool in_tx = false;
    long pending = 0;
    for (size_t i = 0; s == TD_OK && i < ks.n; i++) {
        size_t q = ks.v[i].kind == TD_DUP_NAME_BIRTH ? 0 : ks.v[i].kind == TD_DUP_NAME_PHONE ? 1 : 2;
        if (!in_tx) {
            if ((s = td_db_begin(db, err)))
                break;
            in_tx = true;
        }
        sqlite3_stmt *st = td_db_prepare(db, member_sql[q], err);
        if (!st) {
            s = TD_EDB;
            break;
        }
        td_bind_text(st, 1, ks.v[i].k1);
        td_bind_text(st, 2, ks.v[i].k2);
        char first[TD_UUID_LEN] = "";
        char (*ids)[TD_UUID_LEN] = NULL;
        size_t nids = 0, cap = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (nids == cap) {
                cap = cap ? cap * 2 : 16;
                void *nv = realloc(ids, cap * sizeof *ids);
                if (!nv)
                    break;
                ids = nv;
            }
            td_col_copy(st, 0, ids[nids], sizeof ids[nids]);
            nids++;
        }
        sqlite3_reset(st);
        if (nids)
            memcpy(first, ids[0], sizeof first);
        for (size_t j = 1; s == TD_OK && j < nids; j++) {
            bool added;
            s = td_dupe_record(db, by, first, ids[j], (td_dup_kind)ks.v[i].kind, "scan", &added, err);
            if (added && found)
                (*found)++;
            pending++;
        }
        free(ids);
        if (s)
            break;
        if (pending >= batch || i + 1 == ks.n) {
            if ((s = td_db_commit(db, err))) {
                in_tx = false;
                break;
            }
            in_tx = false;
            pending = 0;
            if (o->progress)
                o->progress(o->progress_ud, (long)i + 1, (long)ks.n);
            if (i + 1 < ks.n)
                pause_ms(o->pause_ms > 0 ? o->pause_ms : 5); /* let waiting clerks in */
        }
    }
    if (in_tx) {
        if (s)
            td_db_rollback(db);
        else if ((s = td_db_commit(db, err)))
            in_tx = false;
    }
    keys_free(&ks);
    if (s)
        return s;
    if (o->progress && ks.n == 0)
        o->progress(o->progress_ud, 0, 0);
    /* the next incremental scan starts where this one started */
    if ((s = td_db_begin(db, err)))
        return s;
    if ((s = td_db_setting_set(db, "dupes_scan_at", started, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_dupe_scan(td_db *db, const td_actor *by, long *found, td_err *err)
{
    return td_dupe_scan_ex(db, by, NULL, found, err);
}

td_status td_dupe_list(td_db *db, const char *status, int (*cb)(const td_dupe_candidate *c, void *ud), void *ud,
                       td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT c.id, c.kind, c.source, c.status, c.created_at, "
        "a.id, a.name, a.id_type, a.id_no, IFNULL(a.birth_date,''), a.phone, "
        "b.id, b.name, b.id_type, b.id_no, IFNULL(b.birth_date,''), b.phone "
        "FROM dupe_candidates c JOIN persons a ON a.id = c.person_a JOIN persons b ON b.id = c.person_b "
        "WHERE c.deleted_at IS NULL AND (?1 IS NULL OR c.status = ?1) ORDER BY c.created_at, c.id",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, status && *status ? status : NULL);
    int rc;
    td_dupe_candidate c;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&c, 0, sizeof c);
        td_col_copy(st, 0, c.id, sizeof c.id);
        char kind[16];
        td_col_copy(st, 1, kind, sizeof kind);
        c.kind = kind_parse(kind);
        td_col_copy(st, 2, c.source, sizeof c.source);
        td_col_copy(st, 3, c.status, sizeof c.status);
        td_col_copy(st, 4, c.created_at, sizeof c.created_at);
        read_match(st, 5, &c.a);
        read_match(st, 11, &c.b);
        if (cb(&c, ud))
            break;
    }
    sqlite3_reset(st);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? TD_OK : td_db_fail(db, _("listing duplicates"), err);
}

/* Sets the status of candidates; pair NULL = by candidate id. */
static td_status set_status(td_db *db, const td_actor *by, const char *cand_id, const char *a, const char *b,
                            const char *from, const char *to, const char *reason, int *changed, td_err *err)
{
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT id, status FROM dupe_candidates WHERE deleted_at IS NULL AND status = ?3 "
                                     "AND (id = ?1 OR (person_a = min(?2, ?4) AND person_b = max(?2, ?4)))",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, cand_id ? cand_id : "");
    td_bind_text(st, 2, a ? a : "");
    td_bind_text(st, 3, from);
    td_bind_text(st, 4, b ? b : "");
    char ids[8][TD_UUID_LEN];
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 8)
        td_col_copy(st, 0, ids[n++], sizeof ids[0]);
    sqlite3_reset(st);
    if (changed)
        *changed = n;
    for (int i = 0; i < n; i++) {
        st = td_db_prepare(db,
                           "UPDATE dupe_candidates SET status = ?, decided_by = ?, decided_at = ?, updated_at = ?, "
                           "row_version = row_version + 1 WHERE id = ?",
                           err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, to);
        td_bind_text(st, 2, by->user_id);
        td_bind_text(st, 3, now);
        td_bind_text(st, 4, now);
        td_bind_text(st, 5, ids[i]);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return td_db_fail(db, _("updating a duplicate candidate"), err);
        td_status s = td_audit(db, by, NULL, "dupe.status", "dupe_candidates", ids[i], "status", from, to, reason,
                               err);
        if (s)
            return s;
    }
    return TD_OK;
}

td_status td_dupe_dismiss(td_db *db, const td_actor *by, const char *candidate_id, const char *reason,
                          td_err *err)
{
    td_status s = td_access_require(db, by, TD_ACT_DUPES_MERGE, err);
    if (s)
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    int n = 0;
    s = set_status(db, by, candidate_id, NULL, NULL, "open", "dismissed", reason, &n, err);
    if (s == TD_OK && n == 0)
        s = td_err_set(err, TD_ENOTFOUND, _("No open duplicate candidate '%s'"), candidate_id);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

static td_status exec_bind(td_db *db, const char *sql, const char *const *args, int nargs, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, sql, err);
    if (!st)
        return TD_EDB;
    for (int i = 0; i < nargs; i++)
        td_bind_text(st, i + 1, args[i]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("merging persons"), err);
    return TD_OK;
}

td_status td_dupe_merge(td_db *db, const td_actor *by, const char *kept_id, const char *merged_id,
                        const char *reason, char merge_id[TD_UUID_LEN], td_err *err)
{
    merge_id[0] = '\0';
    td_status s = td_access_require(db, by, TD_ACT_DUPES_MERGE, err);
    if (s)
        return s;
    if (!kept_id || !merged_id || strcmp(kept_id, merged_id) == 0)
        return td_err_set(err, TD_EINVALID, "%s", _("Choose two different persons to merge"));
    if ((s = td_db_begin(db, err)))
        return s;
    td_person *kept = malloc(sizeof *kept), *gone = malloc(sizeof *gone);
    json_t *moved = json_array();
    char *moved_s = NULL;
    if (!kept || !gone || !moved) {
        s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
        goto out;
    }
    bool kept_merged = false, gone_merged = false;
    if ((s = load_person(db, kept_id, kept, &kept_merged, err)) || (s = load_person(db, merged_id, gone, &gone_merged, err)))
        goto out;
    if (kept_merged || gone_merged) {
        s = td_err_set(err, TD_EINVALID, _("%s has already been merged into another person"),
                       kept_merged ? kept->name : gone->name);
        goto out;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    /* the cases that move */
    sqlite3_stmt *st = td_db_prepare(db, "SELECT id FROM cases WHERE person_id = ? ORDER BY id", err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    td_bind_text(st, 1, gone->id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(moved, json_string((const char *)sqlite3_column_text(st, 0)));
    sqlite3_reset(st);
    size_t i;
    json_t *v;
    json_array_foreach(moved, i, v)
    {
        const char *cid = json_string_value(v);
        const char *args[] = { kept->id, now, cid };
        if ((s = exec_bind(db,
                           "UPDATE cases SET person_id = ?, updated_at = ?, row_version = row_version + 1 "
                           "WHERE id = ?",
                           args, 3, err)) ||
            (s = td_audit(db, by, cid, "case.person", "cases", cid, "person_id", gone->id, kept->id, reason, err)))
            goto out;
    }
    {
        const char *args[] = { kept->id, now, now, gone->id };
        if ((s = exec_bind(db,
                           "UPDATE persons SET merged_into = ?, deleted_at = ?, updated_at = ?, "
                           "row_version = row_version + 1 WHERE id = ?",
                           args, 4, err)))
            goto out;
    }
    moved_s = json_dumps(moved, JSON_COMPACT);
    td_uuid7(merge_id);
    {
        sqlite3_stmt *ins = td_db_prepare(db,
                                          "INSERT INTO person_merges(id, kept_id, merged_id, moved_cases, reason, "
                                          "merged_by, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?)",
                                          err);
        if (!ins) {
            s = TD_EDB;
            goto out;
        }
        td_bind_text(ins, 1, merge_id);
        td_bind_text(ins, 2, kept->id);
        td_bind_text(ins, 3, gone->id);
        td_bind_text(ins, 4, moved_s ? moved_s : "[]");
        td_bind_text(ins, 5, reason ? reason : "");
        td_bind_text(ins, 6, by->user_id);
        td_bind_text(ins, 7, now);
        td_bind_text(ins, 8, now);
        int rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(db, _("merging persons"), err);
            goto out;
        }
    }
    if ((s = td_audit(db, by, NULL, "person.merge", "persons", gone->id, "merged_into", NULL, kept->id, reason,
                      err)) ||
        (s = set_status(db, by, NULL, kept->id, gone->id, "open", "merged", reason, NULL, err)))
        goto out;
out:
    free(moved_s);
    json_decref(moved);
    free(kept);
    free(gone);
    if (s) {
        merge_id[0] = '\0';
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_dupe_unmerge(td_db *db, const td_actor *by, const char *merge_id, const char *reason, td_err *err)
{
    td_status s = td_access_require(db, by, TD_ACT_DUPES_MERGE, err);
    if (s)
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    char kept[TD_UUID_LEN], gone[TD_UUID_LEN], rev[TD_TS_LEN];
    json_t *moved = NULL;
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT kept_id, merged_id, moved_cases, IFNULL(reversed_at,'') FROM person_merges WHERE id = ?", err);
    if (!st) {
        td_db_rollback(db);
        return TD_EDB;
    }
    td_bind_text(st, 1, merge_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        td_col_copy(st, 0, kept, sizeof kept);
        td_col_copy(st, 1, gone, sizeof gone);
        moved = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
        td_col_copy(st, 3, rev, sizeof rev);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        td_db_rollback(db);
        return td_err_set(err, TD_ENOTFOUND, _("No merge '%s'"), merge_id);
    }
    if (rev[0]) {
        json_decref(moved);
        td_db_rollback(db);
        return td_err_set(err, TD_ECONFLICT, _("This merge was already reversed at %s"), rev);
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    size_t i;
    json_t *v;
    json_array_foreach(moved, i, v)
    {
        const char *cid = json_string_value(v);
        if (!cid)
            continue;
        const char *args[] = { gone, now, cid, kept };
        if ((s = exec_bind(db,
                           "UPDATE cases SET person_id = ?, updated_at = ?, row_version = row_version + 1 "
                           "WHERE id = ? AND person_id = ?",
                           args, 4, err)))
            goto out;
        if (sqlite3_changes(td_db_handle(db)) &&
            (s = td_audit(db, by, cid, "case.person", "cases", cid, "person_id", kept, gone, reason, err)))
            goto out;
    }
    {
        const char *args[] = { now, gone };
        s = exec_bind(db,
                      "UPDATE persons SET merged_into = NULL, deleted_at = NULL, updated_at = ?, "
                      "row_version = row_version + 1 WHERE id = ?",
                      args, 2, err);
        if (s == TD_ECONFLICT || s == TD_EDB) {
            s = td_err_set(err, TD_ECONFLICT, "%s",
                           _("Cannot undo the merge: a live person now holds the same identity document"));
            goto out;
        }
        if (s)
            goto out;
    }
    {
        const char *args[] = { now, by->user_id, reason ? reason : "", now, merge_id };
        if ((s = exec_bind(db,
                           "UPDATE person_merges SET reversed_at = ?, reversed_by = ?, reverse_reason = ?, "
                           "updated_at = ?, row_version = row_version + 1 WHERE id = ?",
                           args, 5, err)))
            goto out;
    }
    if ((s = td_audit(db, by, NULL, "person.unmerge", "persons", gone, "merged_into", kept, NULL, reason, err)) ||
        (s = set_status(db, by, NULL, kept, gone, "merged", "open", reason, NULL, err)))
        goto out;
out:
    json_decref(moved);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}
