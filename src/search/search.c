/* search.c — see search.h. */
#include "search.h"
#include "cases/scope.h"
#include "people/mask.h"
#include "base/i18n.h"
#include "people/namefold.h"
#include "people/pinyin.h"
#include "base/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERSON_HIT_COLS "p.id, p.name, p.id_type, p.id_no, p.phone, IFNULL(p.birth_date,'')"

static const char SQL_NAME_EXACT[] =
    "SELECT " PERSON_HIT_COLS " FROM persons p INDEXED BY persons_name WHERE p.name = ?1 "
    "AND p.deleted_at IS NULL LIMIT ?3";
static const char SQL_NAME_PREFIX[] =
    "SELECT " PERSON_HIT_COLS " FROM persons p INDEXED BY persons_name WHERE p.name > ?1 AND p.name < ?2 "
    "AND p.deleted_at IS NULL LIMIT ?3";
static const char SQL_ID_EXACT[] =
    "SELECT " PERSON_HIT_COLS " FROM persons p INDEXED BY persons_id_no WHERE p.id_no = ?1 "
    "AND p.deleted_at IS NULL LIMIT ?3";
static const char SQL_ID_PREFIX[] =
    "SELECT " PERSON_HIT_COLS " FROM persons p INDEXED BY persons_id_no WHERE p.id_no > ?1 AND p.id_no < ?2 "
    "AND p.deleted_at IS NULL ORDER BY p.id_no LIMIT ?3";
static const char SQL_PHONE[] =
    "SELECT " PERSON_HIT_COLS " FROM persons p INDEXED BY persons_phone WHERE p.phone = ?1 AND p.phone <> '' "
    "AND p.deleted_at IS NULL LIMIT ?3";
static const char SQL_CASE_EXACT[] =
    "SELECT " PERSON_HIT_COLS ", c.id, c.case_no, c.state FROM cases c JOIN persons p ON p.id = c.person_id "
    "WHERE c.case_no = ?1 AND c.deleted_at IS NULL LIMIT ?3";
static const char SQL_CASE_PREFIX[] =
    "SELECT " PERSON_HIT_COLS ", c.id, c.case_no, c.state FROM cases c JOIN persons p ON p.id = c.person_id "
    "WHERE c.case_no > ?1 AND c.case_no < ?2 AND c.deleted_at IS NULL ORDER BY c.case_no LIMIT ?3";
/* The key tables join persons by its primary key, never behind a Bloom
 * filter (which reads every person on each search).  Without statistics
 * for the key tables (a database closed — PRAGMA optimize — before its keys
 * were built) the planner guessed a prefix range to hold thousands of rows
 * and chose one; likelihood() says a prefix is selective, and "+p.name"
 * keeps it from joining by (name, id) instead of the key.  Checked with
 * several statistics in tests/test_search.c
 * (test_explain_key_tables_without_their_statistics). */
static const char SQL_PINYIN_INITIALS[] =
    "SELECT " PERSON_HIT_COLS " FROM local_person_pinyin k INDEXED BY local_person_pinyin_initials "
    "JOIN persons p ON p.id = k.person_id WHERE k.initials = ?1 AND +p.name = k.name AND p.deleted_at IS NULL "
    "LIMIT ?3";
static const char SQL_PINYIN_FULL[] =
    "SELECT " PERSON_HIT_COLS " FROM local_person_pinyin k INDEXED BY local_person_pinyin_full "
    "JOIN persons p ON p.id = k.person_id WHERE likelihood(k.full >= ?1, 0.01) AND likelihood(k.full < ?2, 0.01) AND +p.name = k.name "
    "AND p.deleted_at IS NULL ORDER BY k.full LIMIT ?3";
static const char SQL_NAME_FOLD[] =
    "SELECT " PERSON_HIT_COLS " FROM local_person_fold k INDEXED BY local_person_fold_fold "
    "JOIN persons p ON p.id = k.person_id WHERE likelihood(k.fold >= ?1, 0.01) AND likelihood(k.fold < ?2, 0.01) AND +p.name = k.name "
    "AND p.deleted_at IS NULL ORDER BY k.fold LIMIT ?3";
const char *td_search_fold_sql(void) { return SQL_NAME_FOLD; }

/* schema 026's backfill, the same statement: every live case with its
 * person's initials and its queue keys */
#define SQL_CASE_KEYS                                                                                      \
    "DELETE FROM local_case_find; "                                                                        \
    "INSERT INTO local_case_find(case_rowid, initials, updated_at, due_open, name) "                       \
    "SELECT c.rowid, COALESCE((SELECT y.initials FROM local_person_pinyin y WHERE y.person_id = c.person_id), ''), " \
    "c.updated_at, CASE WHEN c.state NOT IN ('closed','rejected','withdrawn') THEN c.due_date END, "         \
    "COALESCE((SELECT p.name FROM persons p WHERE p.id = c.person_id), '') "                                \
    "FROM cases c WHERE c.deleted_at IS NULL;"

const char *td_search_case_keys_sql(void) { return SQL_CASE_KEYS; }

td_status td_search_rebuild_case_keys(td_db *db, td_err *err)
{
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    if ((s = td_db_exec(db, SQL_CASE_KEYS, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

const char *td_search_sql(td_search_kind kind, bool prefix)
{
    switch (kind) {
    case TD_SEARCH_NAME: return prefix ? SQL_NAME_PREFIX : SQL_NAME_EXACT;
    case TD_SEARCH_ID: return prefix ? SQL_ID_PREFIX : SQL_ID_EXACT;
    case TD_SEARCH_PHONE: return SQL_PHONE;
    case TD_SEARCH_CASE: return prefix ? SQL_CASE_PREFIX : SQL_CASE_EXACT;
    default: return NULL;
    }
}

const char *td_search_pinyin_sql(bool initials) { return initials ? SQL_PINYIN_INITIALS : SQL_PINYIN_FULL; }

/* Folds full-width ASCII (U+FF01–FF5E) and the ideographic space, drops
 * spaces and dashes when `compact`, upper-cases when `upper`. */
static void fold(const char *in, char *out, size_t len, bool compact, bool upper)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (*p && o + 4 < len) {
        unsigned c = *p;
        if (c == 0xEF && (p[1] == 0xBC || p[1] == 0xBD) && p[2]) {
            unsigned cp = ((c & 0xFu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                c = cp - 0xFEE0;
                p += 3;
                goto ascii;
            }
        }
        if (c == 0xE3 && p[1] == 0x80 && p[2] == 0x80) { /* U+3000 */
            c = ' ';
            p += 3;
            goto ascii;
        }
        if (c >= 0x80) {
            out[o++] = (char)*p++;
            continue;
        }
        p++;
    ascii:
        if (compact && (c == ' ' || c == '-' || c == '\t'))
            continue;
        out[o++] = (char)(upper ? toupper((int)c) : (int)c);
    }
    out[o] = '\0';
}

/* Trims ASCII spaces at both ends into out. */
static void trim(const char *in, char *out, size_t len)
{
    while (*in == ' ' || *in == '\t')
        in++;
    snprintf(out, len, "%s", in);
    size_t n = strlen(out);
    while (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        out[--n] = '\0';
}

static bool mobile_of(const char *q, char out[16])
{
    char f[64];
    fold(q, f, sizeof f, true, false);
    const char *s = f;
    if (strncmp(s, "+86", 3) == 0)
        s += 3;
    else if (strncmp(s, "0086", 4) == 0)
        s += 4;
    if (strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
        return false;
    for (int i = 0; i < 11; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    memcpy(out, s, 12);
    return true;
}

td_search_kind td_search_classify(const char *q)
{
    char f[128], m[16];
    fold(q, f, sizeof f, true, true);
    if (!*f)
        return TD_SEARCH_NAME;
    if (mobile_of(q, m))
        return TD_SEARCH_PHONE;
    size_t n = strlen(f), digits = 0, letters = 0, dashes = 0, other = 0;
    char t[128];
    fold(q, t, sizeof t, false, true);
    for (const char *p = t; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (isupper((unsigned char)*p))
            letters++;
        else if (*p == '-')
            dashes++;
        else if (*p != ' ')
            other++;
    }
    if (other == 0 && dashes > 0 && letters > 0 && digits > 0 && isupper((unsigned char)t[0]))
        return TD_SEARCH_CASE;
    if (other == 0 && dashes == 0 && n >= 8 && digits >= 6)
        return TD_SEARCH_ID;
    if (other == 0 && dashes == 0 && (f[0] == 'H' || f[0] == 'M' || f[0] == 'E') && n >= 9 && digits == n - 1)
        return TD_SEARCH_ID;
    return TD_SEARCH_NAME;
}

static void read_hit(sqlite3_stmt *st, td_search_hit *h, bool is_case)
{
    memset(h, 0, sizeof *h);
    char idno[TD_IDNO_LEN];
    td_col_copy(st, 0, h->person_id, sizeof h->person_id);
    td_col_copy(st, 1, h->name, sizeof h->name);
    td_col_copy(st, 2, h->id_type, sizeof h->id_type);
    td_col_copy(st, 3, idno, sizeof idno);
    td_id_mask(idno, h->id_no_masked);
    td_col_copy(st, 4, h->phone, sizeof h->phone);
    td_col_copy(st, 5, h->birth_date, sizeof h->birth_date);
    if (is_case) {
        h->is_case = true;
        td_col_copy(st, 6, h->case_id, sizeof h->case_id);
        td_col_copy(st, 7, h->case_no, sizeof h->case_no);
        td_col_copy(st, 8, h->state, sizeof h->state);
    }
}

/* Person ids already delivered by an earlier stage of one search. */
typedef struct seen_set {
    int n;
    char ids[64][TD_UUID_LEN];
} seen_set;

static bool seen_add(seen_set *s, const char *id)
{
    if (!s)
        return true;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->ids[i], id) == 0)
            return false;
    if (s->n < 64)
        snprintf(s->ids[s->n++], TD_UUID_LEN, "%s", id);
    return true;
}

/* Runs one statement; returns the number of hits delivered, or -1 on error;
 * *stop set when cb asked to stop.  Hits already in `seen` are skipped. */
static int run(td_db *db, const char *sql, const char *a1, const char *a2, int limit, bool is_case,
               seen_set *seen, int (*cb)(const td_search_hit *, void *), void *ud, bool *stop, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, sql, err);
    if (!st)
        return -1;
    td_bind_text(st, 1, a1);
    if (a2)
        td_bind_text(st, 2, a2);
    sqlite3_bind_int(st, 3, limit);
    int rc, n = 0;
    td_search_hit h;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_hit(st, &h, is_case);
        if (!is_case && !seen_add(seen, h.person_id))
            continue;
        n++;
        if (cb(&h, ud)) {
            *stop = true;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        td_db_fail(db, _("searching"), err);
        return -1;
    }
    return n;
}

/* The keys of the persons renamed since the last refresh (local_person_rekey,
 * filled by a trigger of schema 019 on every write of persons.name): pinyin,
 * folded name and sort key of the name they have now.  Own transaction;
 * cheap when nobody was renamed. */
static td_status rekey_renamed(td_db *db, long *added, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db, "SELECT 1 FROM local_person_rekey LIMIT 1", err);
    if (!st)
        return TD_EDB;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return TD_OK;
    if (rc != SQLITE_ROW)
        return td_db_fail(db, _("indexing names for pinyin search"), err);
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    st = td_db_prepare(db, "SELECT k.person_id, p.name FROM local_person_rekey k JOIN persons p ON p.id = k.person_id",
                       err);
    sqlite3_stmt *ins = td_db_prepare(db,
                                      "INSERT OR REPLACE INTO local_person_pinyin(person_id, name, initials, full) "
                                      "VALUES(?,?,?,?)",
                                      err);
    if (!st || !ins) {
        td_db_rollback(db);
        return TD_EDB;
    }
    while (s == TD_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char id[TD_UUID_LEN], name[400], full[256], ini[64];
        td_col_copy(st, 0, id, sizeof id);
        td_col_copy(st, 1, name, sizeof name);
        if (td_pinyin(name, full, sizeof full, ini, sizeof ini)) {
            sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 3, ini, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 4, full, -1, SQLITE_TRANSIENT);
            int r2 = sqlite3_step(ins);
            sqlite3_reset(ins);
            if (r2 != SQLITE_DONE)
                s = td_db_fail(db, _("indexing names for pinyin search"), err);
            else if (added)
                (*added)++;
        }
        if (s == TD_OK)
            s = td_name_fold_store(db, id, name, err);
    }
    sqlite3_reset(st);
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td_db_fail(db, _("indexing names for pinyin search"), err);
    if (s == TD_OK && td_db_exec(db, "DELETE FROM local_person_rekey", err) != TD_OK)
        s = TD_EDB;
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_search_refresh_pinyin(td_db *db, long *added, td_err *err)
{
    if (added)
        *added = 0;
    if (td_db_in_tx(db))
        return TD_OK;
    td_status fs = td_name_fold_backfill(db, err); /* persons from before schema 009 */
    if (fs)
        return fs;
    if ((fs = rekey_renamed(db, added, err)))
        return fs;
    char wm[32] = "0";
    td_db_setting_get(db, "pinyin_rowid", wm, sizeof wm);
    long long from = atoll(wm), last = from;
    /* cheap check first: nothing new, no write transaction */
    sqlite3_stmt *st = td_db_prepare(db, "SELECT max(rowid) FROM persons", err);
    if (!st)
        return TD_EDB;
    long long top = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (top <= from)
        return TD_OK;
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    st = td_db_prepare(db, "SELECT rowid, id, name FROM persons WHERE rowid > ? ORDER BY rowid", err);
    sqlite3_stmt *ins = td_db_prepare(db,
                                      "INSERT OR REPLACE INTO local_person_pinyin(person_id, name, initials, full) "
                                      "VALUES(?,?,?,?)",
                                      err);
    if (!st || !ins) {
        td_db_rollback(db);
        return TD_EDB;
    }
    sqlite3_bind_int64(st, 1, from);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 2);
        char full[256], ini[64];
        if (!td_pinyin(name, full, sizeof full, ini, sizeof ini))
            continue;
        sqlite3_bind_text(ins, 1, (const char *)sqlite3_column_text(st, 1), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, ini, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, full, -1, SQLITE_TRANSIENT);
        int r2 = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (r2 != SQLITE_DONE) {
            sqlite3_reset(st);
            s = td_db_fail(db, _("indexing names for pinyin search"), err);
            td_db_rollback(db);
            return s;
        }
        if (added)
            (*added)++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("indexing names for pinyin search"), err);
        td_db_rollback(db);
        return s;
    }
    snprintf(wm, sizeof wm, "%lld", last);
    if ((s = td_db_setting_set(db, "pinyin_rowid", wm, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

/* "zs", "Zhang San", "zhangsan": ASCII letters (and spaces) only. */
static bool pinyin_query(const char *q, char *out, size_t len)
{
    size_t o = 0;
    for (const char *p = q; *p; p++) {
        char c = *p;
        if (c == ' ')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z' || o + 1 >= len)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return o >= 2;
}

td_status td_search(td_db *db, const char *q, td_search_kind kind, int limit,
                    int (*cb)(const td_search_hit *h, void *ud), void *ud, td_search_kind *kind_out, td_err *err)
{
    if (limit <= 0)
        limit = 50;
    char t[300];
    trim(q ? q : "", t, sizeof t);
    if (kind == TD_SEARCH_AUTO)
        kind = td_search_classify(t);
    if (kind_out)
        *kind_out = kind;
    if (!t[0])
        return TD_OK;
    bool stop = false;
    char key[300], upper[310];
    int n = 0, m;
    switch (kind) {
    case TD_SEARCH_PHONE: {
        char mob[16];
        if (!mobile_of(t, mob))
            snprintf(mob, sizeof mob, "%.15s", t);
        m = run(db, SQL_PHONE, mob, NULL, limit, false, NULL, cb, ud, &stop, err);
        return m < 0 ? TD_EDB : TD_OK;
    }
    case TD_SEARCH_ID:
        fold(t, key, sizeof key, true, true);
        break;
    case TD_SEARCH_CASE:
        fold(t, key, sizeof key, true, true);
        /* keep the dashes of a case number */
        fold(t, key, sizeof key, false, true);
        {
            char k2[300];
            size_t o = 0;
            for (const char *p = key; *p && o + 1 < sizeof k2; p++)
                if (*p != ' ')
                    k2[o++] = *p;
            k2[o] = '\0';
            snprintf(key, sizeof key, "%s", k2);
        }
        break;
    default: {
        char *norm = td_text_normalize(t);
        snprintf(key, sizeof key, "%s", norm ? norm : t);
        free(norm);
        break;
    }
    }
    /* exact first, then the prefix range (key, key + U+10FFFF) */
    snprintf(upper, sizeof upper, "%s\xF4\x8F\xBF\xBF", key);
    const char *exact = kind == TD_SEARCH_NAME ? SQL_NAME_EXACT : kind == TD_SEARCH_ID ? SQL_ID_EXACT : SQL_CASE_EXACT;
    const char *prefix = kind == TD_SEARCH_NAME ? SQL_NAME_PREFIX : kind == TD_SEARCH_ID ? SQL_ID_PREFIX : SQL_CASE_PREFIX;
    bool is_case = kind == TD_SEARCH_CASE;
    seen_set *seen = is_case ? NULL : calloc(1, sizeof *seen);
    td_status s = TD_OK;
    m = run(db, exact, key, NULL, limit, is_case, seen, cb, ud, &stop, err);
    if (m < 0) {
        s = TD_EDB;
        goto out;
    }
    n += m;
    if (stop || n >= limit)
        goto out;
    /* identity-number prefixes need 6 characters (an area code) to be useful */
    if (kind == TD_SEARCH_ID && strlen(key) < 6)
        goto out;
    m = run(db, prefix, key, upper, limit - n, is_case, seen, cb, ud, &stop, err);
    if (m < 0) {
        s = TD_EDB;
        goto out;
    }
    n += m;
    /* traditional/simplified folded: 陈大文 finds 陳大文 and 陳大文 finds 陈大文 */
    if (kind == TD_SEARCH_NAME && !stop && n < limit) {
        char fk[300], fup[310];
        bool differs = td_name_fold(key, fk, sizeof fk);
        snprintf(fup, sizeof fup, "%s\xF4\x8F\xBF\xBF", fk);
        td_err rerr;
        (void)td_search_refresh_pinyin(db, NULL, &rerr); /* busy: search what is indexed */
        if (differs) {
            m = run(db, SQL_NAME_EXACT, fk, NULL, limit - n, false, seen, cb, ud, &stop, err);
            if (m > 0)
                n += m;
            if (m >= 0 && !stop && n < limit)
                m = run(db, SQL_NAME_PREFIX, fk, fup, limit - n, false, seen, cb, ud, &stop, err);
            if (m < 0) {
                s = TD_EDB;
                goto out;
            }
            n += m;
        }
        if (!stop && n < limit) {
            m = run(db, SQL_NAME_FOLD, fk, fup, limit - n, false, seen, cb, ud, &stop, err);
            if (m < 0) {
                s = TD_EDB;
                goto out;
            }
            n += m;
        }
    }
    /* pinyin: "zs" → 张三 (initials), "zhang" / "zhangsan" → 张… (full prefix) */
    char py[128], pyup[136];
    if (kind == TD_SEARCH_NAME && !stop && n < limit && pinyin_query(t, py, sizeof py)) {
        td_err rerr;
        (void)td_search_refresh_pinyin(db, NULL, &rerr); /* busy: search what is indexed */
        m = run(db, SQL_PINYIN_INITIALS, py, NULL, limit - n, false, seen, cb, ud, &stop, err);
        if (m < 0) {
            s = TD_EDB;
            goto out;
        }
        n += m;
        snprintf(pyup, sizeof pyup, "%s{", py);
        if (!stop && n < limit && strlen(py) >= 3) {
            m = run(db, SQL_PINYIN_FULL, py, pyup, limit - n, false, seen, cb, ud, &stop, err);
            if (m < 0)
                s = TD_EDB;
        }
    }
out:
    free(seen);
    return s;
}

td_status td_search_case_counts(td_db *db, const char *const *person_ids, int n, long *counts, td_err *err)
{
    for (int i = 0; i < n; i++)
        counts[i] = 0;
    if (n <= 0)
        return TD_OK;
    /* the ids as a JSON array (UUIDs: nothing to escape) */
    size_t cap = (size_t)n * (TD_UUID_LEN + 3) + 3, o = 0;
    char *arr = malloc(cap);
    if (!arr)
        return td_err_set(err, TD_ENOMEM, "%s", _("out of memory"));
    arr[o++] = '[';
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(arr + o, cap - o, "%s\"%.*s\"", i ? "," : "", TD_UUID_LEN - 1, person_ids[i]);
    snprintf(arr + o, cap - o, "]");
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT c.person_id, count(*) FROM cases c INDEXED BY cases_person "
                                     "WHERE c.person_id IN (SELECT value FROM json_each(?1)) AND c.deleted_at IS NULL "
                                     "GROUP BY c.person_id",
                                     err);
    if (!st) {
        free(arr);
        return TD_EDB;
    }
    sqlite3_bind_text(st, 1, arr, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *pid = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; pid && i < n; i++)
            if (strcmp(person_ids[i], pid) == 0)
                counts[i] = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    free(arr);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("searching"), err);
}

typedef struct scoped_search {
    td_db *db;
    const td_actor *a;
    int (*cb)(const td_search_hit *h, void *ud);
    void *ud;
} scoped_search;

static int scoped_hit(const td_search_hit *h, void *ud)
{
    scoped_search *x = ud;
    td_search_hit m = *h; /* the mobile as the user may see it (people/mask.h) */
    char ph[sizeof m.phone];
    snprintf(m.phone, sizeof m.phone, "%s", td_pii_view(x->a, TD_PII_PHONE, h->phone, ph, sizeof ph));
    if (td_actor_scope(x->a) == TD_SCOPE_ALL)
        return x->cb(&m, x->ud);
    if (h->is_case) {
        td_case c;
        if (td_case_get(x->db, h->case_id, &c, NULL) != TD_OK || td_case_in_scope(x->db, x->a, &c, NULL) != TD_OK)
            return 0;
    } else if (td_person_in_scope(x->db, x->a, h->person_id, NULL) != TD_OK) {
        return 0;
    }
    return x->cb(&m, x->ud);
}

td_status td_search_as(td_db *db, const td_actor *a, const char *q, td_search_kind kind, int limit,
                       int (*cb)(const td_search_hit *h, void *ud), void *ud, td_search_kind *kind_out,
                       td_err *err)
{
    scoped_search x = { db, a, cb, ud };
    return td_search(db, q, kind, limit, scoped_hit, &x, kind_out, err);
}
