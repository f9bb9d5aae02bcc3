/* wf_notice_rules.c — see wf_notice_rules.h. */
#include "wf_notice_rules.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "policy/policyfile.h"

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

td_status wf_notice_rules_load(wf_notice_rules *r, const char *station_code, int default_days, td_err *err)
{
    memset(r, 0, sizeof *r);
    r->office_days = r->supply_days = default_days > 0 ? default_days : 5;
    char path[4096];
    snprintf(path, sizeof path, "%s/notice.tdp", td_data_dir());
    td_pf *pf = NULL;
    td_status s = td_pf_load(path, &pf, err);
    if (s == TD_ENOTFOUND)
        return TD_OK;
    if (s)
        return s;
    for (size_t i = 0; !s && i < pf->n; i++) {
        const td_pf_section *sec = &pf->secs[i];
        if (!strcmp(sec->type, "notice")) {
            static const char *const known[] = { "office_days", "supply_days", "contact", NULL };
            if (!(s = td_pf_check_keys(pf, sec, known, err)) && !(s = days(pf, sec, "office_days", &r->office_days, err)))
                s = days(pf, sec, "supply_days", &r->supply_days, err);
            const char *c = td_pf_get(sec, "contact");
            if (!s && c && !r->contact[0])
                snprintf(r->contact, sizeof r->contact, "%s", c);
        } else if (!strcmp(sec->type, "office")) {
            static const char *const known[] = { "contact", NULL };
            s = td_pf_check_keys(pf, sec, known, err);
            const char *c = td_pf_get(sec, "contact");
            if (!s && c && station_code && !strcmp(sec->id, station_code))
                snprintf(r->contact, sizeof r->contact, "%s", c);
        } else if (!strcmp(sec->type, "produces") || !strcmp(sec->type, "holder")) {
            bool prod = !strcmp(sec->type, "produces");
            static const char *const kp[] = { "doc", NULL }, *const kh[] = { "identity_is", NULL };
            s = td_pf_check_keys(pf, sec, prod ? kp : kh, err);
            for (size_t k = 0; !s && k < sec->n; k++) {
                int *n = prod ? &r->nproduces : &r->nholder;
                char(*t)[2][48] = prod ? r->produces : r->holder;
                if (*n >= WF_NR_MAX) {
                    s = td_pf_error(pf, sec->entries[k].line, err, "%s", _("too many entries"));
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
