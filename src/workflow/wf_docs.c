/* wf_docs.c — document checklist, marking, and the one-pass check that
 * issues the 一次性告知书 (see wf_docs.h). */
#include "wf_docs.h"
#include "auth/access.h"

#include "base/audit.h"
#include "base/i18n.h"
#include "base/text.h"
#include "wf_internal.h"
#include "wf_notice_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checklist rows in checklist order: first requested service first, then
 * the service's own document order. */
#define DOCS_SQL                                                                                   \
    "SELECT d.id, d.doc_type_id, coalesce(t.name, d.doc_type_id), d.status, d.note, "             \
    "coalesce((SELECT group_concat(name, '、') FROM (SELECT DISTINCT s.name AS name "              \
    "  FROM service_requests r JOIN service_docs sd ON sd.service_id = r.service_id "              \
    "  AND sd.doc_type_id = d.doc_type_id AND sd.deleted_at IS NULL "                              \
    "  JOIN services s ON s.id = r.service_id WHERE r.case_id = d.case_id "                        \
    "  AND r.deleted_at IS NULL ORDER BY r.created_at, r.id)), ''), "                              \
    "coalesce(u.username, ''), coalesce(d.checked_at, ''), d.row_version, "                        \
    "coalesce((SELECT min(printf('%s|%s|%06d', r.created_at, r.id, sd.sort)) "                     \
    "  FROM service_requests r JOIN service_docs sd ON sd.service_id = r.service_id "              \
    "  AND sd.doc_type_id = d.doc_type_id WHERE r.case_id = d.case_id), '~') AS ord "              \
    "FROM case_documents d LEFT JOIN doc_types t ON t.id = d.doc_type_id "                         \
    "LEFT JOIN users u ON u.id = d.checked_by "                                                    \
    "WHERE d.case_id = ? AND d.deleted_at IS NULL ORDER BY ord, d.doc_type_id"

static td_status read_docs(td_db *db, const char *case_id, td_wf_doc **out, int *n, td_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = td_db_prepare(db, DOCS_SQL, err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            td_wf_doc *m = realloc(*out, sizeof *m * (size_t)cap);
            if (!m)
                abort();
            *out = m;
        }
        td_wf_doc *d = &(*out)[(*n)++];
        memset(d, 0, sizeof *d);
        td_col_copy(st, 0, d->id, sizeof d->id);
        td_col_copy(st, 1, d->doc_type_id, sizeof d->doc_type_id);
        td_col_copy(st, 2, d->name, sizeof d->name);
        td_col_copy(st, 3, d->status, sizeof d->status);
        td_col_copy(st, 4, d->note, sizeof d->note);
        td_col_copy(st, 5, d->services, sizeof d->services);
        td_col_copy(st, 6, d->checked_by, sizeof d->checked_by);
        td_col_copy(st, 7, d->checked_at, sizeof d->checked_at);
        d->row_version = sqlite3_column_int64(st, 8);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return td_db_fail(db, _("reading the document checklist"), err);
    }
    return TD_OK;
}

td_status td_wf_docs_each(td_db *db, const char *case_key,
                          int (*cb)(const td_wf_doc *d, void *ud), void *ud, td_err *err)
{
    td_case c;
    td_status s = td_case_get(db, case_key, &c, err);
    if (s)
        return s;
    td_wf_doc *docs;
    int n;
    if ((s = read_docs(db, c.id, &docs, &n, err)))
        return s;
    for (int i = 0; i < n; i++)
        if (cb(&docs[i], ud))
            break;
    free(docs);
    return TD_OK;
}

static bool known_status(const char *s)
{
    return !strcmp(s, "missing") || !strcmp(s, "received") || !strcmp(s, "verified") ||
           !strcmp(s, "invalid");
}

td_status td_wf_doc_mark(td_db *db, const td_actor *a, const char *case_key, const char *doc,
                         const char *status, const char *note, long expected_version,
                         bool *returned, td_err *err)
{
    if (returned)
        *returned = false;
    if (!status || !known_status(status))
        return td_err_set(err, TD_EINVALID,
                          _("Unknown document status '%s' (received, verified, invalid or missing)"),
                          status ? status : "");
    char *nt = NULL;
    td_status s = wf_clean_text(note, &nt, err);
    if (s)
        return s;
    if (!strcmp(status, "invalid") && (!nt || !*nt)) {
        free(nt);
        return td_err_set(err, TD_EINVALID, "%s", _("Say why the document is invalid (a note is required)"));
    }
    if ((s = td_db_begin(db, err))) {
        free(nt);
        return s;
    }
    wf_ctx x;
    td_wf_doc *docs = NULL;
    int n = 0;
    if ((s = wf_ctx_open(&x, db, a, case_key, 0, err)))
        goto out;
    if ((s = td_access_require(db, a, TD_ACT_DOCS_MARK, err)))
        goto out;
    int k = wf_state_index(x.wf, x.c.state);
    if (k < 0 || !x.wf->states[k].docs_editable) {
        s = td_err_set(err, TD_EDENIED, _("Documents cannot be changed while the case is at %s"),
                       td_wf_state_label(x.wf, x.c.state));
        goto out;
    }
    if ((s = read_docs(db, x.c.id, &docs, &n, err)))
        goto out;
    td_wf_doc *d = NULL;
    for (int i = 0; i < n && !d; i++)
        if (!strcmp(docs[i].doc_type_id, doc) || !strcmp(docs[i].name, doc))
            d = &docs[i];
    if (!d) {
        s = td_err_set(err, TD_ENOTFOUND, _("The case has no document '%s' on its checklist"), doc);
        goto out;
    }
    if (expected_version > 0 && d->row_version != expected_version) {
        s = wf_conflict(err);
        goto out;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(
        db, "UPDATE case_documents SET status = ?, note = ?, checked_by = ?, checked_at = ?, "
            "updated_at = ?, row_version = row_version + 1 WHERE id = ? AND row_version = ?", err);
    if (!st) {
        s = TD_EDB;
        goto out;
    }
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, nt ? nt : "", -1, SQLITE_STATIC);
    td_bind_text(st, 3, a->user_id[0] ? a->user_id : NULL);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, d->row_version);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("saving the document check"), err);
        goto out;
    }
    if (sqlite3_changes(td_db_handle(db)) != 1) {
        s = wf_conflict(err);
        goto out;
    }
    if ((s = td_audit(db, a, x.c.id, "doc.mark", "case_documents", d->id, "status", d->status, status,
                      nt, err)) ||
        (s = wf_touch_case(db, x.c.id, err)) || (s = td_case_get(db, x.c.id, &x.c, err)))
        goto out;

    /* A supplied document sends a waiting case back to checking. */
    int ts = x.wf->on_docs_supplied;
    if (ts >= 0 && (x.wf->trans[ts].from >> k & 1) &&
        (!strcmp(status, "received") || !strcmp(status, "verified"))) {
        const wf_trans *t = &x.wf->trans[ts];
        td_err why;
        td_err_clear(&why);
        if (wf_check(&x, t, _("documents supplied"), false, &why) == TD_OK) {
            if ((s = wf_apply(&x, t, _("documents supplied"), NULL, err)))
                goto out;
            if (returned)
                *returned = true;
        }
    }
    s = td_db_commit(db, err);
out:
    if (s)
        td_db_rollback(db);
    wf_ctx_done(&x);
    free(docs);
    free(nt);
    return s;
}

/* One integer or text answer of a query with up to two text parameters. */
static long q_int(td_db *db, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st = td_db_prepare(db, sql, NULL);
    if (!st)
        return 0;
    td_bind_text(st, 1, a);
    td_bind_text(st, 2, b);
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return v;
}

static void q_text(td_db *db, const char *sql, const char *a, char *out, size_t len)
{
    out[0] = '\0';
    sqlite3_stmt *st = td_db_prepare(db, sql, NULL);
    if (!st)
        return;
    td_bind_text(st, 1, a);
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, out, len);
    sqlite3_reset(st);
}

/* What earlier notices of the case listed: the number each document got
 * first (kept on later notices), and the latest notice's problem for it. */
typedef struct prev_item {
    char doc[48];
    int n;
    char last_problem[16];   /* "" when the latest notice did not list it */
} prev_item;

static int read_prev(td_db *db, const char *case_id, prev_item *out, int max, int *maxn)
{
    *maxn = 0;
    int np = 0;
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT i.doc_type_id, i.n, i.problem, n.id = (SELECT m.id FROM notices m WHERE m.case_id = ?1 "
            "AND m.deleted_at IS NULL ORDER BY m.created_at DESC, m.id DESC LIMIT 1) FROM notice_items i "
            "JOIN notices n ON n.id = i.notice_id WHERE n.case_id = ?1 AND n.deleted_at IS NULL "
            "AND i.deleted_at IS NULL ORDER BY n.created_at, n.id, i.n", NULL);
    if (!st)
        return 0;
    td_bind_text(st, 1, case_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *doc = (const char *)sqlite3_column_text(st, 0);
        int n = sqlite3_column_int(st, 1);
        if (n > *maxn)
            *maxn = n;
        int k = 0;
        while (k < np && strcmp(out[k].doc, doc ? doc : ""))
            k++;
        if (k == np && np < max) {
            memset(&out[np], 0, sizeof out[np]);
            snprintf(out[np].doc, sizeof out[np].doc, "%s", doc ? doc : "");
            out[np].n = n;
            np++;
        }
        if (k < np && sqlite3_column_int(st, 3))
            td_col_copy(st, 2, out[k].last_problem, sizeof out[k].last_problem);
    }
    sqlite3_reset(st);
    return np;
}

static td_status insert_notice(wf_ctx *x, const td_wf_doc *docs, const bool *skip, int n, int nitems,
                               const wf_notice_rules *nr, td_wf_check_result *res, td_err *err)
{
    td_calendar *cal;
    td_status s = wf_ctx_calendar(x, &cal, err);
    if (s)
        return s;
    td_date today = td_today();
    /* §32: the office notifies within office_days working days of receipt */
    char received[TD_DATE_LEN], office_due[TD_DATE_LEN];
    q_text(x->db, "SELECT date(created_at, '+8 hours') FROM cases WHERE id = ?1", x->c.id, received,
           sizeof received);
    td_date rd;
    if (!td_date_parse(received, &rd))
        rd = today;
    td_date_format(rd, received);
    td_date od = td_calendar_add_workdays(cal, rd, nr->office_days, NULL);
    td_date_format(od, office_due);
    bool late = td_date_cmp(today, od) > 0;
    /* the applicant's period: never shorter than the longest time limit of a
     * service a listed document is needed for */
    int supply = nr->supply_days;
    for (int i = 0; i < n; i++) {
        if (skip[i] || (strcmp(docs[i].status, "missing") && strcmp(docs[i].status, "invalid")))
            continue;
        long d = q_int(x->db,
                       "SELECT max(coalesce(r.days, s.days, 0)) FROM service_requests r JOIN service_docs sd "
                       "ON sd.service_id = r.service_id AND sd.doc_type_id = ?2 AND sd.deleted_at IS NULL "
                       "JOIN services s ON s.id = r.service_id WHERE r.case_id = ?1 AND r.deleted_at IS NULL",
                       x->c.id, docs[i].doc_type_id);
        if (d > supply)
            supply = (int)d;
    }
    bool approx = false;
    td_date dl = td_calendar_add_workdays(cal, today, supply, &approx);
    char issued[TD_DATE_LEN];
    td_date_format(today, issued);
    td_date_format(dl, res->deadline);
    long seq;
    do { /* a number this database already holds (see td_number_taken) is skipped */
        if ((s = td_counter_next(x->db, x->actor->station_id, today.y, "notice", &seq, err)))
            return s;
        snprintf(res->notice_no, sizeof res->notice_no, "%s-%04d-N%06ld", x->actor->station_code,
                 today.y, seq);
    } while (td_number_taken(x->db, "notice", res->notice_no));
    prev_item prev[64];
    int maxn = 0;
    int np = read_prev(x->db, x->c.id, prev, 64, &maxn);
    td_uuid7(res->notice_id);
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(
        x->db, "INSERT INTO notices(id, case_id, notice_no, issued_on, deadline, deadline_approx, "
               "clerk_id, item_count, created_at, updated_at, received_on, office_due, late, contact) "
               "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, res->notice_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, x->c.id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, res->notice_no, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, issued, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, res->deadline, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, approx);
    sqlite3_bind_text(st, 7, x->actor->user_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, nitems);
    sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, received, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, office_due, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 13, late);
    sqlite3_bind_text(st, 14, nr->contact, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(x->db, _("saving the notice"), err);
    for (int i = 0; i < n; i++) {
        const td_wf_doc *d = &docs[i];
        if (skip[i] || (strcmp(d->status, "missing") != 0 && strcmp(d->status, "invalid") != 0))
            continue;
        /* a document an earlier notice listed keeps its number; it is new
         * unless the latest notice listed it with the same problem */
        int no = 0;
        bool is_new = true;
        for (int k = 0; k < np; k++) {
            if (!strcmp(prev[k].doc, d->doc_type_id)) {
                no = prev[k].n;
                is_new = strcmp(prev[k].last_problem, d->status) != 0;
            }
        }
        if (!no)
            no = ++maxn;
        char iid[TD_UUID_LEN];
        td_uuid7(iid);
        st = td_db_prepare(x->db,
                           "INSERT INTO notice_items(id, notice_id, n, doc_type_id, doc_name, problem, "
                           "note, services, created_at, updated_at, is_new) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                           err);
        if (!st)
            return TD_EDB;
        sqlite3_bind_text(st, 1, iid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, res->notice_id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, no);
        sqlite3_bind_text(st, 4, d->doc_type_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, d->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, d->status, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, d->note, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, d->services, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 11, is_new);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return td_db_fail(x->db, _("saving the notice"), err);
    }
    char items[32], why[160];
    snprintf(items, sizeof items, "%d", nitems);
    snprintf(why, sizeof why, "%s%s%s", res->notice_no, late ? " late; office due " : "", late ? office_due : "");
    return td_audit(x->db, x->actor, x->c.id, "notice.issue", "notices", res->notice_id, "item_count",
                    NULL, items, why, err);
}

/* Marks the rows a notice never asks for: what this case produces itself,
 * and the holder's identity document twice (a passport holder's "identity"
 * is the passport). */
static void omitted(td_db *db, const wf_notice_rules *nr, const td_case *c, const td_wf_doc *docs, int n,
                    bool *skip)
{
    char id_type[16];
    q_text(db, "SELECT id_type FROM persons WHERE id = ?1", c->person_id, id_type, sizeof id_type);
    const char *same = wf_notice_identity_is(nr, id_type);
    bool have_same = false;
    for (int i = 0; same && i < n; i++)
        have_same |= !strcmp(docs[i].doc_type_id, same);
    for (int i = 0; i < n; i++)
        skip[i] = wf_notice_produced(nr, c->case_type, docs[i].doc_type_id) ||
                  (have_same && !strcmp(docs[i].doc_type_id, "identity"));
}

td_status td_wf_notice_omits(td_db *db, const char *case_key, const char *station_code, char *out, size_t len,
                             td_err *err)
{
    out[0] = '\0';
    td_case c;
    td_status s = td_case_get(db, case_key, &c, err);
    if (s)
        return s;
    wf_notice_rules nr;
    if ((s = wf_notice_rules_load(db, &nr, station_code, 5, err)))
        return s;
    td_wf_doc *docs = NULL;
    int n = 0;
    if ((s = read_docs(db, c.id, &docs, &n, err)))
        return s;
    bool *skip = calloc((size_t)n + 1, sizeof *skip);
    if (!skip) {
        free(docs);
        return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
    }
    omitted(db, &nr, &c, docs, n, skip);
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        if (!skip[i])
            continue;
        int w = snprintf(out + o, len - o, "%s%s,", o ? "" : ",", docs[i].doc_type_id);
        if (w < 0 || (size_t)w >= len - o)
            break;
        o += (size_t)w;
    }
    free(skip);
    free(docs);
    return TD_OK;
}

td_status td_wf_docs_check(td_db *db, const td_actor *a, const char *case_key,
                           long expected_version, td_wf_check_result *res, td_err *err)
{
    td_wf_check_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    wf_ctx x;
    td_wf_doc *docs = NULL;
    bool *skip = NULL;
    int n = 0;
    if ((s = wf_ctx_open(&x, db, a, case_key, expected_version, err)))
        goto out;
    if ((s = td_access_require(db, a, TD_ACT_DOCS_CHECK, err)))
        goto out;
    const wf_trans *t = x.wf->on_docs_incomplete >= 0 ? &x.wf->trans[x.wf->on_docs_incomplete] : NULL;
    int k = wf_state_index(x.wf, x.c.state);
    if (t && (k < 0 || !(t->from >> k & 1))) {
        int from = 0;
        while (from < x.wf->nstates && !(t->from >> from & 1))
            from++;
        s = td_err_set(err, TD_EDENIED, _("Documents are checked at %s; the case is at %s"),
                       from < x.wf->nstates ? td_wf_state_label(x.wf, x.wf->states[from].code) : "?",
                       td_wf_state_label(x.wf, x.c.state));
        goto out;
    }
    wf_notice_rules nr;
    if ((s = wf_notice_rules_load(db, &nr, a->station_code, x.wf->notice_days, err)))
        goto out;
    if ((s = read_docs(db, x.c.id, &docs, &n, err)))
        goto out;
    skip = calloc((size_t)n + 1, sizeof *skip);
    if (!skip) {
        s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
        goto out;
    }
    omitted(db, &nr, &x.c, docs, n, skip);
    for (int i = 0; i < n; i++) {
        if (skip[i])
            continue;
        res->missing += !strcmp(docs[i].status, "missing");
        res->invalid += !strcmp(docs[i].status, "invalid");
        res->unverified += !strcmp(docs[i].status, "received");
    }
    if (res->missing + res->invalid == 0) {
        res->complete = res->unverified == 0;
        snprintf(res->state, sizeof res->state, "%s", x.c.state);
        td_db_rollback(db); /* nothing was written */
        goto out;
    }
    /* a notice lists everything at once: nothing may still wait to be checked */
    for (int i = 0; i < n; i++) {
        if (!skip[i] && !strcmp(docs[i].status, "received")) {
            s = td_err_set(err, TD_EINVALID,
                           _("%s was received but not checked yet: mark it verified or invalid, then issue the "
                             "one-time notice"),
                           docs[i].name);
            goto out;
        }
    }
    if ((s = insert_notice(&x, docs, skip, n, res->missing + res->invalid, &nr, res, err)))
        goto out;
    if (t) {
        if ((s = wf_check(&x, t, NULL, false, err)) ||
            (s = wf_apply(&x, t, _("one-time notice issued"), NULL, err)))
            goto out;
    }
    snprintf(res->state, sizeof res->state, "%s", x.c.state);
    s = td_db_commit(db, err);
out:
    if (s)
        td_db_rollback(db);
    wf_ctx_done(&x);
    free(docs);
    free(skip);
    return s;
}
