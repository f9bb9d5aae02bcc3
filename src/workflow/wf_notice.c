/* wf_notice.c — reading, rendering and encoding the 一次性告知书
 * (see wf_docs.h). */
#include "wf_docs.h"

#include "cases/case.h"
#include "base/i18n.h"
#include "base/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void td_notice_free(td_notice *n)
{
    if (!n)
        return;
    free(n->items);
    n->items = NULL;
    n->nitems = 0;
}

#define NOTICE_SQL                                                                                 \
    "SELECT n.id, n.notice_no, n.case_id, c.case_no, coalesce(p.name, ''), n.issued_on, "          \
    "n.deadline, n.deadline_approx, coalesce(u.display_name, ''), coalesce(s.name, ''), "          \
    "coalesce(n.received_on, ''), coalesce(n.office_due, ''), n.late, n.contact "                  \
    "FROM notices n JOIN cases c ON c.id = n.case_id LEFT JOIN persons p ON p.id = c.person_id "   \
    "LEFT JOIN users u ON u.id = n.clerk_id LEFT JOIN stations s ON s.id = u.station_id "

static bool load_head(td_db *db, const char *sql, const char *key, td_notice *out)
{
    sqlite3_stmt *st = td_db_prepare(db, sql, NULL);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    bool found = false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        found = true;
        td_col_copy(st, 0, out->id, sizeof out->id);
        td_col_copy(st, 1, out->notice_no, sizeof out->notice_no);
        td_col_copy(st, 2, out->case_id, sizeof out->case_id);
        td_col_copy(st, 3, out->case_no, sizeof out->case_no);
        td_col_copy(st, 4, out->person_name, sizeof out->person_name);
        td_col_copy(st, 5, out->issued_on, sizeof out->issued_on);
        td_col_copy(st, 6, out->deadline, sizeof out->deadline);
        out->deadline_approx = sqlite3_column_int(st, 7) != 0;
        td_col_copy(st, 8, out->clerk_name, sizeof out->clerk_name);
        td_col_copy(st, 9, out->station_name, sizeof out->station_name);
        td_col_copy(st, 10, out->received_on, sizeof out->received_on);
        td_col_copy(st, 11, out->office_due, sizeof out->office_due);
        out->late = sqlite3_column_int(st, 12) != 0;
        td_col_copy(st, 13, out->contact, sizeof out->contact);
    }
    sqlite3_reset(st);
    return found;
}

td_status td_notice_get(td_db *db, const char *key, td_notice *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    bool found = load_head(db, NOTICE_SQL "WHERE (n.id = ?1 OR n.notice_no = ?1) AND n.deleted_at IS NULL",
                           key, out);
    if (!found) {
        td_case c;
        td_err e2;
        if (td_case_get(db, key, &c, &e2) == TD_OK)
            found = load_head(db,
                              NOTICE_SQL "WHERE n.case_id = ?1 AND n.deleted_at IS NULL "
                                         "ORDER BY n.created_at DESC, n.id DESC LIMIT 1",
                              c.id, out);
    }
    if (!found)
        return td_err_set(err, TD_ENOTFOUND, _("No one-time notice found for '%s'"), key);
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT count(*) FROM notices WHERE case_id = ?1 AND deleted_at IS NULL AND "
            "(created_at, id) < (SELECT created_at, id FROM notices WHERE id = ?2)", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, out->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, out->id, -1, SQLITE_STATIC);
    out->followup = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_reset(st);
    st = td_db_prepare(
        db, "SELECT n, doc_type_id, doc_name, problem, note, services, is_new FROM notice_items "
            "WHERE notice_id = ? AND deleted_at IS NULL ORDER BY n", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, out->id, -1, SQLITE_STATIC);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->nitems == cap) {
            cap = cap ? cap * 2 : 8;
            td_notice_item *m = realloc(out->items, sizeof *m * (size_t)cap);
            if (!m)
                abort();
            out->items = m;
        }
        td_notice_item *it = &out->items[out->nitems++];
        memset(it, 0, sizeof *it);
        it->n = sqlite3_column_int(st, 0);
        td_col_copy(st, 1, it->doc_type_id, sizeof it->doc_type_id);
        td_col_copy(st, 2, it->doc_name, sizeof it->doc_name);
        td_col_copy(st, 3, it->problem, sizeof it->problem);
        td_col_copy(st, 4, it->note, sizeof it->note);
        td_col_copy(st, 5, it->services, sizeof it->services);
        it->is_new = sqlite3_column_int(st, 6) != 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        td_notice_free(out);
        return td_db_fail(db, _("reading the notice"), err);
    }
    return TD_OK;
}

/* A growing string. */
typedef struct {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            abort();
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t ncap = (b->cap ? b->cap * 2 : 1024) + (size_t)n;
        char *m = realloc(b->s, ncap);
        if (!m)
            abort();
        b->s = m;
        b->cap = ncap;
    }
}

/* Stored text made safe for a printer or terminal (one line). */
static const char *safe(const char *s, char *buf, size_t len)
{
    td_text_sanitize(s, buf, len);
    return buf;
}

char *td_notice_render(const td_notice *n)
{
    sbuf b = { 0 };
    char t1[1024], t2[1024], t3[2048];
    if (n->station_name[0])
        sb_add(&b, "%s\n", safe(n->station_name, t1, sizeof t1));
    sb_add(&b, "%s\n", _("ONE-TIME NOTICE OF DOCUMENTS TO SUPPLEMENT"));
    sb_add(&b, _("Notice no.: %s"), safe(n->notice_no, t1, sizeof t1));
    sb_add(&b, "\n");
    sb_add(&b, _("Applicant: %s    Case no.: %s"), safe(n->person_name, t1, sizeof t1),
           safe(n->case_no, t2, sizeof t2));
    sb_add(&b, "\n");
    if (n->received_on[0]) {
        sb_add(&b, _("Application received: %s"), n->received_on);
        sb_add(&b, "\n");
    }
    sb_add(&b, "\n");
    sb_add(&b, _("Your application materials are incomplete or not in the legal form. Under article 32 "
                 "of the Administrative Licensing Law, everything that must be supplemented is listed "
                 "below at once (%d item(s)):"),
           n->nitems);
    sb_add(&b, "\n");
    for (int i = 0; i < n->nitems; i++) {
        const td_notice_item *it = &n->items[i];
        safe(it->doc_name, t1, sizeof t1);
        if (!strcmp(it->problem, "invalid")) {
            char why[1100];
            snprintf(why, sizeof why, _("does not meet the requirements: %s"),
                     safe(it->note, t2, sizeof t2));
            sb_add(&b, "  %d. %s（%s）", it->n, t1, why);
        } else {
            sb_add(&b, "  %d. %s（%s）", it->n, t1, _("document missing"));
        }
        /* on a later notice, the items the previous one did not ask for */
        if (n->followup && it->is_new)
            sb_add(&b, " %s", _("[new]"));
        if (it->services[0]) {
            sb_add(&b, "\n     ");
            sb_add(&b, _("needed for: %s"), safe(it->services, t3, sizeof t3));
        }
        sb_add(&b, "\n");
    }
    sb_add(&b, "\n");
    sb_add(&b, _("Please supply all of the above by %s."), n->deadline);
    if (n->deadline_approx) {
        sb_add(&b, " ");
        sb_add(&b, "%s", _("(The deadline is approximate: the holiday calendar does not cover it.)"));
    }
    sb_add(&b, "\n");
    sb_add(&b, _("Clerk: %s    Date: %s"), safe(n->clerk_name, t1, sizeof t1), n->issued_on);
    sb_add(&b, "\n");
    if (n->station_name[0] || n->contact[0]) {
        sb_add(&b, _("Issuing office: %s    Contact: %s"), safe(n->station_name, t1, sizeof t1),
               safe(n->contact, t2, sizeof t2));
        sb_add(&b, "\n");
    }
    if (n->late) {
        sb_add(&b, _("Note: this notice was issued after %s, the fifth working day after receipt."),
               n->office_due);
        sb_add(&b, "\n");
    }
    return b.s;
}

td_status td_to_gb18030(const char *utf8, char **out, size_t *outlen, td_err *err)
{
    *out = NULL;
    *outlen = 0;
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1)
        return td_err_set(err, TD_ERR, "%s", _("GB18030 conversion is not available on this system"));
    size_t inleft = strlen(utf8);
    size_t cap = inleft * 2 + 16;
    char *buf = malloc(cap);
    if (!buf)
        abort();
    char *in = (char *)utf8, *o = buf;
    size_t oleft = cap - 1;
    td_status s = TD_OK;
    while (inleft > 0) {
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        if (r != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            size_t used = (size_t)(o - buf);
            cap *= 2;
            char *m = realloc(buf, cap);
            if (!m)
                abort();
            buf = m;
            o = buf + used;
            oleft = cap - used - 1;
        } else {
            s = td_err_set(err, TD_EINVALID,
                           _("Text cannot be converted to GB18030 at byte %zu"), (size_t)(in - utf8));
            break;
        }
    }
    iconv_close(cd);
    if (s) {
        free(buf);
        return s;
    }
    *o = '\0';
    *out = buf;
    *outlen = (size_t)(o - buf);
    return TD_OK;
}
