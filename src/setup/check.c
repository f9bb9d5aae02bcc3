/* check.c — see check.h.  To add a check: write a td_check_fn and add one
 * line to td_checks[] below. */
#include "check.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "workflow/reconcile.h"
#include "workflow/wf_due.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Runs a PRAGMA returning "ok" or rows of problems. */
static td_status pragma_ok(td_db *db, const char *sql, bool *ok, char *detail, size_t len, td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("checking"), err);
    int rc, n = 0;
    *ok = true;
    detail[0] = '\0';
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (r && strcmp(r, "ok") == 0)
            continue;
        *ok = false;
        if (n++ == 0)
            snprintf(detail, len, "%s", r ? r : "?");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *ok = false;
        snprintf(detail, len, "%s", sqlite3_errmsg(td_db_handle(db)));
    } else if (n > 1) {
        size_t l = strlen(detail);
        snprintf(detail + l, len - l, _(" (and %d more)"), n - 1);
    } else if (n == 0) {
        snprintf(detail, len, "ok");
    }
    return TD_OK;
}

static td_status check_integrity(td_db *db, bool *ok, char *detail, size_t len, td_err *err)
{
    return pragma_ok(db, "PRAGMA integrity_check(20)", ok, detail, len, err);
}

static td_status check_foreign_keys(td_db *db, bool *ok, char *detail, size_t len, td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("checking"), err);
    long n = 0;
    char first[200] = "";
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0)
            snprintf(first, sizeof first, _("%s row %lld points to a missing %s row"),
                     (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1),
                     (const char *)sqlite3_column_text(st, 2));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("checking"), err);
    *ok = n == 0;
    if (n)
        snprintf(detail, len, _("%ld broken reference(s); the first: %s"), n, first);
    else
        snprintf(detail, len, "%s", _("every reference points to an existing row"));
    return TD_OK;
}

static td_status check_audit(td_db *db, bool *ok, char *detail, size_t len, td_err *err)
{
    td_audit_report rep;
    td_err e2;
    td_err_clear(&e2);
    td_status s = td_audit_verify(db, &rep, &e2);
    if (s == TD_OK) {
        *ok = true;
        snprintf(detail, len, _("%ld rows in %d chain(s), intact"), rep.rows, rep.chains);
        return TD_OK;
    }
    if (s == TD_ECONFLICT) {
        *ok = false;
        snprintf(detail, len, "%s", e2.msg);
        return TD_OK;
    }
    *err = e2;
    return s;
}

/* Every number handed out (case and notice numbers) lies below its counter,
 * so the next one cannot repeat an existing number. */
static td_status check_counters(td_db *db, bool *ok, char *detail, size_t len, td_err *err)
{
    static const char *const sql =
        "SELECT x.kind, x.station_id, x.y, x.m, IFNULL(k.next, 0) FROM ("
        "  SELECT 'case' AS kind, station_id, CAST(substr(case_no, length(case_no) - 10, 4) AS INTEGER) AS y, "
        "         max(CAST(substr(case_no, length(case_no) - 5) AS INTEGER)) AS m FROM cases GROUP BY 1, 2, 3"
        ") x LEFT JOIN counters k ON k.station_id = x.station_id AND k.year = x.y AND k.kind = x.kind "
        "WHERE k.next IS NULL OR k.next <= x.m";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("checking"), err);
    long n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0)
            snprintf(detail, len, _("the %s counter of %d is at %lld but number %lld is already used"),
                     (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 2),
                     (long long)sqlite3_column_int64(st, 4), (long long)sqlite3_column_int64(st, 3));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("checking"), err);
    *ok = n == 0;
    if (!n)
        snprintf(detail, len, "%s", _("every counter is above the numbers already used"));
    return TD_OK;
}

/* Every stored policy version still has the content its hash names. */
static td_status check_policy_versions(td_db *db, bool *ok, char *detail, size_t len, td_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(td_db_handle(db), "SELECT kind, name, sha256, content FROM policy_versions", -1, &st,
                           NULL) != SQLITE_OK)
        return td_db_fail(db, _("checking"), err);
    long n = 0, bad = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        const unsigned char *c = sqlite3_column_text(st, 3);
        int cl = sqlite3_column_bytes(st, 3);
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[65];
        crypto_hash_sha256(h, c ? c : (const unsigned char *)"", (unsigned long long)cl);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        const char *want = (const char *)sqlite3_column_text(st, 2);
        if (!want || strcmp(hex, want) != 0) {
            if (bad++ == 0)
                snprintf(detail, len, _("policy version %s (%s) does not match its hash: its text was changed"),
                         (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 0));
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("checking"), err);
    *ok = bad == 0;
    if (!bad)
        snprintf(detail, len, _("%ld policy version(s), each matching its hash"), n);
    return TD_OK;
}

/* The domain tables say what the audit log says (workflow/reconcile.h):
 * catches a case state or person field changed behind the program's back. */
static td_status check_audit_domain(td_db *db, bool *ok, char *detail, size_t len, td_err *err)
{
    td_reconcile_report rep;
    td_err e;
    td_err_clear(&e);
    td_status s = td_reconcile(db, &rep, &e);
    if (s == TD_ECONFLICT) {
        *ok = false;
        snprintf(detail, len, "%s", e.msg);
        return TD_OK;
    }
    if (s) {
        if (err)
            *err = e;
        return s;
    }
    *ok = true;
    snprintf(detail, len, _("%ld case(s) and %ld person(s) match the audit log"), rep.cases, rep.persons);
    return TD_OK;
}

/* No due-date move planned by a `policy load` is still unwritten (a kill
 * during the recount leaves some: the next write command finishes them). */
static td_status check_due_recount(td_db *db, bool *ok, char *detail, size_t len, td_err *err)
{
    long n;
    td_status s = td_due_pending(db, &n, err);
    if (s)
        return s;
    *ok = n == 0;
    if (n)
        snprintf(detail, len,
                 _("%ld due date(s) still to be moved under the new holiday calendar (a policy load was "
                   "interrupted): the next write command or `talentdesk policy load` finishes them"),
                 n);
    else
        snprintf(detail, len, "%s", _("every due date is counted under the calendar in force"));
    return TD_OK;
}

const td_check td_checks[] = {
    { "integrity", N_("SQLite integrity check"), check_integrity },
    { "foreign_keys", N_("References between tables"), check_foreign_keys },
    { "audit_chains", N_("Audit log hash chains"), check_audit },
    { "counters", N_("Case number counters"), check_counters },
    { "policy_versions", N_("Stored policy versions"), check_policy_versions },
    { "audit_domain", N_("Audit log against the records"), check_audit_domain },
    { "due_recount", N_("Due dates under the holiday calendar"), check_due_recount },
    /* more checks: one line each */
    { NULL, NULL, NULL },
};

td_status td_check_run(td_db *db, const char *only,
                       void (*cb)(const td_check *c, bool ok, const char *detail, void *ud), void *ud, int *failed,
                       td_err *err)
{
    *failed = 0;
    bool any = false;
    for (const td_check *c = td_checks; c->name; c++) {
        if (only && strcmp(only, c->name) != 0)
            continue;
        any = true;
        bool ok = false;
        char detail[600] = "";
        td_err e;
        td_err_clear(&e);
        if (c->fn(db, &ok, detail, sizeof detail, &e) != TD_OK) {
            ok = false;
            snprintf(detail, sizeof detail, "%s", e.msg);
        }
        if (!ok)
            (*failed)++;
        if (cb)
            cb(c, ok, detail, ud);
    }
    if (!any)
        return td_err_set(err, TD_ENOTFOUND, _("no check named '%s'"), only ? only : "");
    return TD_OK;
}
