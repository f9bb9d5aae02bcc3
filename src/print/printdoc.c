/* printdoc.c — see printdoc.h. */
#include "printdoc.h"
#include "base/i18n.h"
#include "base/text.h"
#include "base/timeutil.h"
#include "cases/case.h"
#include "cases/scope.h"
#include "people/person.h"
#include "policy/calendar.h"
#include "recognition/talentcode.h"
#include "workflow/wf_docs.h"
#include "workflow/wf_tasks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_die(const char *s)
{
    char *r = strdup(s ? s : "");
    if (!r)
        abort();
    return r;
}

void td_printdoc_add(td_printdoc *d, td_pblock_kind kind, const char *label, const char *text)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        td_pblock *b = realloc(d->b, cap * sizeof *b);
        if (!b)
            abort();
        d->b = b;
        d->cap = cap;
    }
    td_pblock *b = &d->b[d->n++];
    b->kind = kind;
    b->label = dup_or_die(label);
    b->text = dup_or_die(text);
}

void td_printdoc_free(td_printdoc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->b[i].label);
        free(d->b[i].text);
    }
    free(d->b);
    memset(d, 0, sizeof *d);
}

static void addf(td_printdoc *d, td_pblock_kind kind, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void addf(td_printdoc *d, td_pblock_kind kind, const char *label, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    td_printdoc_add(d, kind, label, buf);
}

static void start(td_printdoc *d, const char *kind, const char *case_no)
{
    memset(d, 0, sizeof *d);
    snprintf(d->kind, sizeof d->kind, "%s", kind);
    snprintf(d->case_no, sizeof d->case_no, "%s", case_no);
}

/* One text column of a row: station name, a user's display name. */
static void lookup(td_db *db, const char *sql, const char *key, char *out, size_t len)
{
    out[0] = 0;
    sqlite3_stmt *st = td_db_prepare(db, sql, NULL);
    if (!st)
        return;
    td_bind_text(st, 1, key);
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, out, len);
    sqlite3_reset(st);
}

typedef struct receipt_ud {
    td_printdoc *d;
    const td_calendar *cal;
    td_date from;
    int n;
} receipt_ud;

static int service_cb(const td_wf_task *t, void *ud)
{
    receipt_ud *r = ud;
    char due[TD_DATE_LEN] = "";
    if (t->due_date[0]) {
        snprintf(due, sizeof due, "%s", t->due_date);
    } else if (t->days > 0 && r->cal) {
        td_date_format(td_calendar_add_workdays(r->cal, r->from, t->days, NULL), due);
    }
    if (due[0])
        addf(r->d, TD_PB_ITEM, "", _("%d. %s: promised within %d working days, by %s"), ++r->n, t->service_name,
             t->days, due);
    else
        addf(r->d, TD_PB_ITEM, "", _("%d. %s"), ++r->n, t->service_name);
    return 0;
}

static int doc_cb(const td_wf_doc *doc, void *ud)
{
    receipt_ud *r = ud;
    if (strcmp(doc->status, "received") == 0 || strcmp(doc->status, "verified") == 0)
        addf(r->d, TD_PB_ITEM, "", "%d. %s%s", ++r->n, doc->name,
             strcmp(doc->status, "verified") == 0 ? _(" (original seen)") : "");
    return 0;
}

td_status td_print_receipt(td_db *db, const char *case_key, td_printdoc *out, td_err *err)
{
    td_case c;
    td_status s = td_case_get(db, case_key, &c, err);
    if (s != TD_OK)
        return s;
    start(out, "receipt", c.case_no);
    char station[256], clerk[256];
    lookup(db, "SELECT name FROM stations WHERE id = ?", c.station_id, station, sizeof station);
    lookup(db, "SELECT coalesce(nullif(display_name, ''), username) FROM users WHERE id = ?", c.intake_by, clerk,
           sizeof clerk);
    td_person p;
    memset(&p, 0, sizeof p);
    td_person_get(db, c.person_id, &p, NULL);
    char taken[TD_DATE_LEN];
    snprintf(taken, sizeof taken, "%.10s", c.created_at);
    if (station[0])
        td_printdoc_add(out, TD_PB_SUBTITLE, NULL, station);
    td_printdoc_add(out, TD_PB_TITLE, NULL, _("ACKNOWLEDGEMENT OF RECEIPT"));
    td_printdoc_add(out, TD_PB_FIELD, _("Case no."), c.case_no);
    td_printdoc_add(out, TD_PB_FIELD, _("Applicant"), p.name[0] ? p.name : c.person_name);
    td_printdoc_add(out, TD_PB_FIELD, _("Received on"), taken);
    td_printdoc_add(out, TD_PB_HEADING, NULL, _("Services applied for"));
    td_calendar *cal = NULL;
    td_calendar_load(db, &cal, NULL);
    receipt_ud r = { out, cal, { 0 }, 0 };
    if (!td_date_parse(taken, &r.from))
        r.from = td_today();
    s = td_wf_tasks_each(db, c.id, service_cb, &r, err);
    td_calendar_free(cal);
    if (s != TD_OK) {
        td_printdoc_free(out);
        return s;
    }
    td_printdoc_add(out, TD_PB_HEADING, NULL, _("Documents received"));
    r.n = 0;
    s = td_wf_docs_each(db, c.id, doc_cb, &r, err);
    if (s != TD_OK) {
        td_printdoc_free(out);
        return s;
    }
    if (r.n == 0)
        td_printdoc_add(out, TD_PB_ITEM, NULL, _("(none yet)"));
    td_printdoc_add(out, TD_PB_TEXT, NULL,
                    _("Keep this receipt: quote the case number, or scan the code, to ask how the case stands."));
    td_printdoc_add(out, TD_PB_FIELD, _("Clerk"), clerk);
    td_printdoc_add(out, TD_PB_FIELD, _("Receiving station"), station);
    td_printdoc_add(out, TD_PB_QR, _("Case no."), c.case_no);
    return TD_OK;
}

td_status td_print_notice(td_db *db, const char *key, td_printdoc *out, td_err *err)
{
    td_notice n;
    memset(&n, 0, sizeof n);
    td_status s = td_notice_get(db, key, &n, err);
    if (s != TD_OK)
        return s;
    start(out, "notice", n.case_no);
    /* the wording is the notice's own (td_notice_render): one place */
    char *text = td_notice_render(&n);
    bool first = true;
    for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (first && n.station_name[0]) {
            td_printdoc_add(out, TD_PB_SUBTITLE, NULL, line);
        } else if (strcmp(line, _("ONE-TIME NOTICE OF DOCUMENTS TO SUPPLEMENT")) == 0) {
            td_printdoc_add(out, TD_PB_TITLE, NULL, line);
        } else {
            td_printdoc_add(out, TD_PB_TEXT, NULL, line);
        }
        first = false;
    }
    free(text);
    td_printdoc_add(out, TD_PB_QR, _("Case no."), n.case_no);
    td_notice_free(&n);
    return TD_OK;
}

td_status td_print_decision(td_db *db, const char *case_key, td_printdoc *out, td_err *err)
{
    td_case c;
    td_status s = td_case_get(db, case_key, &c, err);
    if (s != TD_OK)
        return s;
    td_talent_code_info info;
    memset(&info, 0, sizeof info);
    s = td_talent_code_of_case(db, c.id, &info, err);
    if (s != TD_OK)
        return s;
    start(out, "decision", c.case_no);
    char station[256];
    lookup(db, "SELECT name FROM stations WHERE id = ?", c.station_id, station, sizeof station);
    if (station[0])
        td_printdoc_add(out, TD_PB_SUBTITLE, NULL, station);
    td_printdoc_add(out, TD_PB_TITLE, NULL, _("NOTICE OF THE TALENT RECOGNITION DECISION"));
    td_printdoc_add(out, TD_PB_FIELD, _("Case no."), c.case_no);
    td_printdoc_add(out, TD_PB_FIELD, _("Applicant"), info.person_name[0] ? info.person_name : c.person_name);
    td_printdoc_add(out, TD_PB_FIELD, _("Recognised tier"), info.tier_name[0] ? info.tier_name : info.tier_id);
    td_printdoc_add(out, TD_PB_FIELD, _("Talent service code"), info.code);
    char issued[TD_DATE_LEN];
    snprintf(issued, sizeof issued, "%.10s", info.issued_at);
    td_printdoc_add(out, TD_PB_FIELD, _("Issued on"), issued);
    if (info.revoked)
        td_printdoc_add(out, TD_PB_TEXT, NULL, _("This talent service code has been revoked."));
    else
        td_printdoc_add(out, TD_PB_TEXT, NULL,
                        _("After review you are recognised in the tier above. Show the talent service code to "
                          "claim the services and benefits of your tier."));
    td_printdoc_add(out, TD_PB_QR, _("Talent service code"), info.code);
    return TD_OK;
}

td_status td_print_build(td_db *db, const char *kind, const char *key, td_printdoc *out, td_err *err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(kind, "receipt") == 0)
        return td_print_receipt(db, key, out, err);
    if (strcmp(kind, "notice") == 0)
        return td_print_notice(db, key, out, err);
    if (strcmp(kind, "decision") == 0)
        return td_print_decision(db, key, out, err);
    return td_err_set(err, TD_EINVALID, _("unknown document '%s' (receipt, notice or decision)"), kind);
}

char *td_printdoc_text(const td_printdoc *d)
{
    size_t cap = 256;
    for (size_t i = 0; i < d->n; i++)
        cap += strlen(d->b[i].label) * 2 + strlen(d->b[i].text) * 2 + 32;
    char *out = malloc(cap);
    if (!out)
        abort();
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < d->n; i++) {
        const td_pblock *b = &d->b[i];
        char t[4096], l[512];
        td_text_sanitize(b->text, t, sizeof t);
        td_text_sanitize(b->label, l, sizeof l);
        int k = 0;
        switch (b->kind) {
        case TD_PB_FIELD:
            k = snprintf(out + o, cap - o, "%s%s%s\n", l, _(": "), t);
            break;
        case TD_PB_ITEM:
            k = snprintf(out + o, cap - o, "  %s\n", t);
            break;
        case TD_PB_HEADING:
        case TD_PB_TITLE:
            k = snprintf(out + o, cap - o, "\n%s\n", t);
            break;
        case TD_PB_QR:
            k = snprintf(out + o, cap - o, "[%s%s%s]\n", l, _(": "), t);
            break;
        default:
            k = snprintf(out + o, cap - o, "%s\n", t);
        }
        if (k > 0 && (size_t)k < cap - o)
            o += (size_t)k;
    }
    return out;
}

td_status td_print_build_as(td_db *db, const td_actor *a, const char *kind, const char *key, td_printdoc *out,
                            td_err *err)
{
    memset(out, 0, sizeof *out);
    td_status s = td_read_check(db, a, key, err);
    if (s || (s = td_print_build(db, kind, key, out, err)))
        return s;
    if ((s = td_read_check(db, a, out->case_no, err))) /* a notice number names no case itself */
        td_printdoc_free(out);
    return s;
}
