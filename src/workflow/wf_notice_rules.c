/* wf_notice_rules.c — see wf_notice_rules.h and notice_policy.h. */
#include "wf_notice_rules.h"
#include "notice_policy.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "people/idcheck.h"
#include "policy/policyfile.h"
#include "policy/pversion.h"
#include "base/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static td_status days(const td_pf *pf, const td_pf_section *sec, const char *key, int *out, td_err *err)
{
    const td_pf_entry *e = td_pf_find(sec, key);
    if (!e)
        return TD_OK;
    char *end;
    long v = strtol(e->value, &end, 10);
    if (*end || end == e->value || v < 1 || v > 365)
        return td_pf_error(pf, e->line, err, _("%s must be a number of working days (1 to 365)"), key);
    *out = (int)v;
    return TD_OK;
}

/* A key that may appear once, given twice: the second line. */
static td_status once(const td_pf *pf, const td_pf_section *sec, const char *const *keys, td_err *err)
{
    for (const char *const *k = keys; *k; k++) {
        int seen = 0;
        for (size_t e = 0; e < sec->n; e++)
            if (!strcmp(sec->entries[e].key, *k) && ++seen > 1)
                return td_pf_error(pf, sec->entries[e].line, err, _("'%s' is given twice"), *k);
    }
    return TD_OK;
}

/* Does the live document type exist?  Without a database (or before the
 * reference data is there) every code passes. */
static bool doc_known(td_db *db, const char *code)
{
    if (!db)
        return true;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT count(*), sum(id = ?) FROM doc_types WHERE deleted_at IS NULL",
                                     NULL);
    if (!st)
        return true;
    td_bind_text(st, 1, code);
    bool ok = true;
    if (sqlite3_step(st) == SQLITE_ROW)
        ok = sqlite3_column_int(st, 0) == 0 || sqlite3_column_int(st, 1) > 0;
    sqlite3_reset(st);
    return ok;
}

/* Validates pf as notice.tdp and fills r (r already holds the defaults). */
static td_status parse(const td_pf *pf, td_db *db, const char *station_code, wf_notice_rules *r, td_err *err)
{
    td_status s = TD_OK;
    int nnotice = 0;
    for (size_t i = 0; !s && i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        for (size_t j = 0; j < i && strcmp(sec->type, "notice"); j++)
            if (!strcmp(pf->secs[j].type, sec->type) && !strcmp(pf->secs[j].id, sec->id))
                return td_pf_error(pf, sec->line, err, _("[%s %s] is defined twice"), sec->type, sec->id);
        if (!strcmp(sec->type, "notice")) {
            static const char *const known[] = { "office_days", "supply_days", "contact", NULL };
            if (nnotice++)
                return td_pf_error(pf, sec->line, err, "%s", _("only one [notice] section is allowed"));
            if (sec->id[0])
                return td_pf_error(pf, sec->line, err, "%s", _("[notice] takes no code"));
            if (!(s = td_pf_check_keys(pf, sec, known, err)) && !(s = once(pf, sec, known, err)) &&
                !(s = days(pf, sec, "office_days", &r->office_days, err)))
                s = days(pf, sec, "supply_days", &r->supply_days, err);
            const char *c = td_pf_get(sec, "contact");
            if (!s && c && !r->contact[0])
                snprintf(r->contact, sizeof r->contact, "%s", c);
        } else if (!strcmp(sec->type, "office")) {
            static const char *const known[] = { "contact", NULL };
            if (!sec->id[0])
                return td_pf_error(pf, sec->line, err, "%s", _("[office] needs a station code"));
            if (!(s = td_pf_check_keys(pf, sec, known, err)) && !(s = once(pf, sec, known, err)) &&
                !td_pf_get(sec, "contact"))
                s = td_pf_error(pf, sec->line, err, _("[office %s] lacks 'contact'"), sec->id);
            const char *c = td_pf_get(sec, "contact");
            if (!s && c && station_code && !strcmp(sec->id, station_code))
                snprintf(r->contact, sizeof r->contact, "%s", c);
        } else if (!strcmp(sec->type, "produces") || !strcmp(sec->type, "holder")) {
            bool prod = !strcmp(sec->type, "produces");
            static const char *const kp[] = { "doc", NULL }, *const kh[] = { "identity_is", NULL };
            if ((s = td_pf_check_keys(pf, sec, prod ? kp : kh, err)))
                break;
            td_id_type idt;
            if (prod && strcmp(sec->id, "recognition") && strcmp(sec->id, "service"))
                return td_pf_error(pf, sec->line, err, _("unknown case type '%s' (recognition, service)"), sec->id);
            if (!prod && !td_id_type_parse(sec->id, &idt))
                return td_pf_error(pf, sec->line, err,
                                   _("unknown identity document type '%s' (resident, hmt_permit, foreign_pr, "
                                     "hkmo_pass, passport)"),
                                   sec->id);
            if (!prod && (s = once(pf, sec, kh, err)))
                break;
            if (!sec->n)
                return td_pf_error(pf, sec->line, err, _("[%s %s] lists nothing"), sec->type, sec->id);
            for (size_t k = 0; !s && k < sec->n; k++) {
                int *n = prod ? &r->nproduces : &r->nholder;
                char(*t)[2][48] = prod ? r->produces : r->holder;
                if (*n >= WF_NR_MAX) {
                    s = td_pf_error(pf, sec->entries[k].line, err, "%s", _("too many entries"));
                    break;
                }
                if (!doc_known(db, sec->entries[k].value)) {
                    s = td_pf_error(pf, sec->entries[k].line, err, _("unknown document type '%s' (not in doc_types.tdp)"),
                                    sec->entries[k].value);
                    break;
                }
                snprintf(t[*n][0], sizeof t[*n][0], "%s", sec->id);
                snprintf(t[*n][1], sizeof t[*n][1], "%s", sec->entries[k].value);
                (*n)++;
            }
        } else {
            s = td_pf_error(pf, sec->line, err, _("unknown section [%s] (notice, office, produces, holder)"), sec->type);
        }
    }
    if (!s && !nnotice)
        s = td_pf_error(pf, 1, err, "%s", _("no [notice] section"));
    return s;
}

static void defaults(wf_notice_rules *r, int default_days)
{
    memset(r, 0, sizeof *r);
    r->office_days = r->supply_days = default_days > 0 ? default_days : 5;
}

td_status wf_notice_rules_load(td_db *db, wf_notice_rules *r, const char *station_code, int default_days,
                               td_err *err)
{
    defaults(r, default_days);
    td_pf *pf = NULL;
    td_err ignore;
    /* The version in force is the one loaded into the database; the file
     * under data/ only until a first `policy load`. */
    td_status s = db ? td_pversion_current(db, "notice", &pf, &ignore) : TD_ENOTFOUND;
    if (s == TD_ENOTFOUND) {
        char path[4096];
        snprintf(path, sizeof path, "%s/notice.tdp", td_data_dir());
        s = td_pf_load(path, &pf, err);
        if (s == TD_ENOTFOUND)
            return TD_OK;
    } else if (s) {
        *err = ignore;
    }
    if (s)
        return s;
    s = parse(pf, NULL, station_code, r, err);
    td_pf_free(pf);
    return s;
}

td_status td_notice_policy_load_dir(td_db *db, const char *dir, const char *user_id, td_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/notice.tdp", dir);
    td_pf *pf = NULL;
    td_status s = td_pf_load(path, &pf, err);
    if (s == TD_ENOTFOUND)
        return TD_OK; /* optional: the built-in defaults (5 working days, no contact) apply */
    if (s)
        return s;
    wf_notice_rules r;
    defaults(&r, 5);
    if (!(s = parse(pf, db, NULL, &r, err))) {
        char now[TD_TS_LEN];
        td_now_utc(now);
        if (!(s = td_db_begin(db, err))) {
            s = td_pversion_put(db, "notice", pf, user_id, now, NULL, err);
            if (s)
                td_db_rollback(db);
            else
                s = td_db_commit(db, err);
        }
    }
    td_pf_free(pf);
    return s;
}

bool wf_notice_produced(const wf_notice_rules *r, const char *case_type, const char *doc)
{
    for (int i = 0; i < r->nproduces; i++)
        if (!strcmp(r->produces[i][0], case_type) && !strcmp(r->produces[i][1], doc))
            return true;
    return false;
}

const char *wf_notice_identity_is(const wf_notice_rules *r, const char *id_type)
{
    for (int i = 0; i < r->nholder; i++)
        if (!strcmp(r->holder[i][0], id_type))
            return r->holder[i][1];
    return NULL;
}
