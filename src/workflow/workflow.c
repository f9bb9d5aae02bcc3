/* workflow.c — loading, validating, storing and caching workflow definitions
 * (data/workflow.tdp).  The engine that uses them is wf_engine.c. */
#include "base/audit.h"
#include "base/i18n.h"
#include "policy/policyfile.h"
#include "base/timeutil.h"
#include "base/uuid.h"
#include "wf_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Guard and effect names as written in the data (indices = enum values). */
static const char *const guard_names[G_COUNT] = {
    "has_services", "docs_complete", "notice_issued", "green", "has_score",
    "four_eyes", "signoffs_complete", "approved", "tasks_finished",
};
static const char *const effect_names[E_COUNT] = {
    "set_step_due", "notice_deadline", "start_tasks", "cancel_tasks",
    "assign_specialist", "stamp_closed", "issue_talent_code", "reset_tasks",
};

static const char *const wf_keys[] = { "name", "initial", "notice_days", "on_docs_incomplete",
                                       "on_docs_supplied", "green_roles", NULL };
static const char *const state_keys[] = { "name", "name_en", "terminal", "due_days",
                                          "docs_editable", NULL };
static const char *const trans_keys[] = {
    "label", "label_en", "from", "to", "roles", "guards", "effects", "case_types",
    "reason_required", "exception", "approval", "signoff", "on_signoff_return", "auto", NULL,
};

int wf_state_index(const td_wf *wf, const char *code)
{
    for (int i = 0; code && i < wf->nstates; i++)
        if (strcmp(wf->states[i].code, code) == 0)
            return i;
    return -1;
}

int wf_trans_index(const td_wf *wf, const char *name)
{
    for (int i = 0; name && i < wf->ntrans; i++)
        if (strcmp(wf->trans[i].name, name) == 0)
            return i;
    return -1;
}

static bool lang_en(void)
{
    return strcmp(td_i18n_lang(), "en") == 0;
}

const char *wf_trans_label(const wf_trans *t)
{
    if (lang_en() && t->label_en && *t->label_en)
        return t->label_en;
    return t->label && *t->label ? t->label : t->name;
}

void td_wf_free(td_wf *wf)
{
    if (!wf)
        return;
    free(wf->file);
    free(wf->name);
    for (int i = 0; i < wf->nstates; i++) {
        free(wf->states[i].name);
        free(wf->states[i].name_en);
    }
    for (int i = 0; i < wf->ntrans; i++) {
        free(wf->trans[i].label);
        free(wf->trans[i].label_en);
    }
    free(wf);
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort(); /* out of memory */
    return d;
}

/* Splits a comma list in place-free fashion: calls fn for each trimmed item. */
typedef td_status (*item_fn)(const char *item, void *ud, td_err *err);
static td_status each_item(const char *list, item_fn fn, void *ud, td_err *err)
{
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        char item[128];
        size_t n = (size_t)(t - p);
        if (n >= sizeof item)
            n = sizeof item - 1;
        memcpy(item, p, n);
        item[n] = '\0';
        td_status s = fn(item, ud, err);
        if (s)
            return s;
        p = e;
    }
    return TD_OK;
}

static int bool_value(const char *v)
{
    if (!v)
        return 0;
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "是"))
        return 1;
    if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "否"))
        return 0;
    return -1;
}

static bool valid_code(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n >= max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return false;
    return isalpha((unsigned char)s[0]) != 0;
}

/* Per-entry parse context for the list callbacks. */
typedef struct {
    const td_pf *pf;
    td_wf *wf;
    wf_trans *t;
    int line;
    unsigned *roles;
} lctx;

static td_status from_item(const char *item, void *ud, td_err *err)
{
    lctx *x = ud;
    if (!strcmp(item, "*")) {
        for (int i = 0; i < x->wf->nstates; i++)
            if (!x->wf->states[i].terminal)
                x->t->from |= (uint64_t)1 << i;
        return TD_OK;
    }
    int i = wf_state_index(x->wf, item);
    if (i < 0)
        return td_pf_error(x->pf, x->line, err, _("unknown state '%s'"), item);
    x->t->from |= (uint64_t)1 << i;
    return TD_OK;
}

static td_status role_item(const char *item, void *ud, td_err *err)
{
    lctx *x = ud;
    unsigned r = td_role_parse(item);
    if (!r)
        return td_pf_error(x->pf, x->line, err, _("unknown role '%s'"), item);
    *x->roles |= r;
    return TD_OK;
}

static td_status guard_item(const char *item, void *ud, td_err *err)
{
    lctx *x = ud;
    for (int g = 0; g < G_COUNT; g++) {
        if (!strcmp(item, guard_names[g])) {
            if (x->t->nguards == WF_MAX_LIST)
                return td_pf_error(x->pf, x->line, err, "%s", _("too many guards"));
            x->t->guards[x->t->nguards++] = g;
            return TD_OK;
        }
    }
    return td_pf_error(x->pf, x->line, err, _("unknown guard '%s'"), item);
}

static td_status effect_item(const char *item, void *ud, td_err *err)
{
    lctx *x = ud;
    for (int e = 0; e < E_COUNT; e++) {
        if (!strcmp(item, effect_names[e])) {
            if (x->t->neffects == WF_MAX_LIST)
                return td_pf_error(x->pf, x->line, err, "%s", _("too many effects"));
            x->t->effects[x->t->neffects++] = e;
            return TD_OK;
        }
    }
    return td_pf_error(x->pf, x->line, err, _("unknown effect '%s'"), item);
}

static td_status ctype_item(const char *item, void *ud, td_err *err)
{
    lctx *x = ud;
    if (!strcmp(item, "recognition"))
        x->t->case_types |= WF_CT_RECOGNITION;
    else if (!strcmp(item, "service"))
        x->t->case_types |= WF_CT_SERVICE;
    else
        return td_pf_error(x->pf, x->line, err, _("unknown case type '%s'"), item);
    return TD_OK;
}

static td_status dept_item(const char *item, void *ud, td_err *err)
{
    lctx *x = ud;
    if (!valid_code(item, sizeof x->t->depts[0]))
        return td_pf_error(x->pf, x->line, err, _("bad department code '%s'"), item);
    for (int i = 0; i < x->t->ndepts; i++)
        if (!strcmp(x->t->depts[i], item))
            return td_pf_error(x->pf, x->line, err, _("department '%s' listed twice"), item);
    if (x->t->ndepts == WF_MAX_DEPTS)
        return td_pf_error(x->pf, x->line, err, "%s", _("too many departments"));
    strcpy(x->t->depts[x->t->ndepts++], item);
    return TD_OK;
}

static td_status parse_bool(const td_pf *pf, const td_pf_section *s, const char *key, bool *out,
                            td_err *err)
{
    const td_pf_entry *e = td_pf_find(s, key);
    *out = false;
    if (!e)
        return TD_OK;
    int b = bool_value(e->value);
    if (b < 0)
        return td_pf_error(pf, e->line, err, _("'%s' must be yes or no"), key);
    *out = b == 1;
    return TD_OK;
}

static td_status parse_state(const td_pf *pf, const td_pf_section *s, td_wf *wf, td_err *err)
{
    td_status st = td_pf_check_keys(pf, s, state_keys, err);
    if (st)
        return st;
    if (!valid_code(s->id, TD_WF_STATE_LEN))
        return td_pf_error(pf, s->line, err, _("bad state code '%s'"), s->id);
    if (wf_state_index(wf, s->id) >= 0)
        return td_pf_error(pf, s->line, err, _("state '%s' defined twice"), s->id);
    if (wf->nstates == WF_MAX_STATES)
        return td_pf_error(pf, s->line, err, "%s", _("too many states"));
    wf_state *x = &wf->states[wf->nstates];
    memset(x, 0, sizeof *x);
    strcpy(x->code, s->id);
    x->line = s->line;
    const char *name = td_pf_get(s, "name");
    if (!name || !*name)
        return td_pf_error(pf, s->line, err, _("state '%s' has no name"), s->id);
    x->name = xstrdup(name);
    x->name_en = xstrdup(td_pf_get(s, "name_en"));
    wf->nstates++;
    if ((st = parse_bool(pf, s, "terminal", &x->terminal, err)) ||
        (st = parse_bool(pf, s, "docs_editable", &x->docs_editable, err)))
        return st;
    const td_pf_entry *d = td_pf_find(s, "due_days");
    if (d) {
        char *end;
        long v = strtol(d->value, &end, 10);
        if (*d->value == '\0' || *end || v < 1 || v > 365)
            return td_pf_error(pf, d->line, err, "%s", _("due_days must be a number of working days from 1 to 365"));
        x->due_days = (int)v;
    }
    return TD_OK;
}

/* First pass over a transition: everything except references to other
 * transitions (on_signoff_return), resolved after all are read. */
static td_status parse_trans(const td_pf *pf, const td_pf_section *s, td_wf *wf, td_err *err)
{
    td_status st = td_pf_check_keys(pf, s, trans_keys, err);
    if (st)
        return st;
    if (!valid_code(s->id, TD_WF_NAME_LEN))
        return td_pf_error(pf, s->line, err, _("bad transition name '%s'"), s->id);
    if (wf_trans_index(wf, s->id) >= 0)
        return td_pf_error(pf, s->line, err, _("transition '%s' defined twice"), s->id);
    if (wf->ntrans == WF_MAX_TRANS)
        return td_pf_error(pf, s->line, err, "%s", _("too many transitions"));
    wf_trans *t = &wf->trans[wf->ntrans++];
    memset(t, 0, sizeof *t);
    strcpy(t->name, s->id);
    t->line = s->line;
    t->on_signoff_return = -1;
    t->label = xstrdup(td_pf_get(s, "label"));
    t->label_en = xstrdup(td_pf_get(s, "label_en"));
    if (!*t->label)
        return td_pf_error(pf, s->line, err, _("transition '%s' has no label"), s->id);
    lctx x = { pf, wf, t, s->line, &t->roles };

    const td_pf_entry *e = td_pf_find(s, "from");
    if (!e)
        return td_pf_error(pf, s->line, err, _("transition '%s' has no 'from'"), s->id);
    for (size_t i = 0; i < s->n; i++) {
        const td_pf_entry *en = &s->entries[i];
        x.line = en->line;
        item_fn fn = NULL;
        if (!strcmp(en->key, "from"))
            fn = from_item;
        else if (!strcmp(en->key, "roles"))
            fn = role_item;
        else if (!strcmp(en->key, "guards"))
            fn = guard_item;
        else if (!strcmp(en->key, "effects"))
            fn = effect_item;
        else if (!strcmp(en->key, "case_types"))
            fn = ctype_item;
        else if (!strcmp(en->key, "signoff")) {
            fn = dept_item;
            t->depts_line = en->line;
        }
        if (fn && (st = each_item(en->value, fn, &x, err)) != TD_OK)
            return st;
    }
    if (!t->from)
        return td_pf_error(pf, e->line, err, _("transition '%s' leaves no state"), s->id);
    e = td_pf_find(s, "to");
    if (!e)
        return td_pf_error(pf, s->line, err, _("transition '%s' has no 'to'"), s->id);
    if (!strcmp(e->value, "@previous")) {
        t->to = -1;
    } else if ((t->to = wf_state_index(wf, e->value)) < 0) {
        return td_pf_error(pf, e->line, err, _("unknown state '%s'"), e->value);
    }
    if (!t->roles)
        return td_pf_error(pf, s->line, err, _("transition '%s' names no roles"), s->id);
    if (!t->case_types)
        t->case_types = WF_CT_RECOGNITION | WF_CT_SERVICE;
    if ((st = parse_bool(pf, s, "reason_required", &t->reason_required, err)) ||
        (st = parse_bool(pf, s, "exception", &t->exception, err)) ||
        (st = parse_bool(pf, s, "approval", &t->approval, err)) ||
        (st = parse_bool(pf, s, "auto", &t->is_auto, err)))
        return st;
    if (t->exception && !t->reason_required)
        return td_pf_error(pf, s->line, err,
                           _("transition '%s': a case-by-case exceptional decision needs reason_required = yes"),
                           s->id);
    for (int g = 0; g < t->nguards; g++)
        if (t->guards[g] == G_SIGNOFFS_COMPLETE && t->ndepts == 0)
            return td_pf_error(pf, s->line, err,
                               _("transition '%s': guard signoffs_complete needs a 'signoff' list"), s->id);
    if (t->ndepts > 0) {
        bool has = false;
        for (int g = 0; g < t->nguards; g++)
            has |= t->guards[g] == G_SIGNOFFS_COMPLETE;
        if (!has)
            return td_pf_error(pf, t->depts_line, err,
                               _("transition '%s': a 'signoff' list needs the guard signoffs_complete"),
                               s->id);
    }
    return TD_OK;
}

static td_status trans_ref(const td_pf *pf, td_wf *wf, const td_pf_section *s, const char *key,
                           int *out, td_err *err)
{
    const td_pf_entry *e = td_pf_find(s, key);
    *out = -1;
    if (!e)
        return TD_OK;
    if ((*out = wf_trans_index(wf, e->value)) < 0)
        return td_pf_error(pf, e->line, err, _("unknown transition '%s'"), e->value);
    return TD_OK;
}

static td_status validate_graph(const td_pf *pf, td_wf *wf, const td_pf_section *wsec, td_err *err)
{
    /* Terminal states have no way out. */
    for (int i = 0; i < wf->ntrans; i++) {
        wf_trans *t = &wf->trans[i];
        for (int k = 0; k < wf->nstates; k++)
            if ((t->from >> k & 1) && wf->states[k].terminal)
                return td_pf_error(pf, t->line, err,
                                   _("transition '%s' leaves the terminal state '%s'"), t->name,
                                   wf->states[k].code);
    }
    /* Every state reachable from the initial one (@previous adds no edge:
     * it returns to a state already reached). */
    uint64_t seen = (uint64_t)1 << wf->initial;
    for (bool grew = true; grew;) {
        grew = false;
        for (int i = 0; i < wf->ntrans; i++) {
            wf_trans *t = &wf->trans[i];
            if ((t->from & seen) && t->to >= 0 && !(seen >> t->to & 1)) {
                seen |= (uint64_t)1 << t->to;
                grew = true;
            }
        }
    }
    for (int k = 0; k < wf->nstates; k++) {
        if (!(seen >> k & 1))
            return td_pf_error(pf, wf->states[k].line, err,
                               _("state '%s' cannot be reached from the initial state"),
                               wf->states[k].code);
        if (!wf->states[k].terminal) {
            bool out = false;
            for (int i = 0; i < wf->ntrans; i++)
                out |= (wf->trans[i].from >> k & 1) != 0;
            if (!out)
                return td_pf_error(pf, wf->states[k].line, err,
                                   _("state '%s' is not terminal but has no transition out"),
                                   wf->states[k].code);
        }
    }
    bool any_terminal = false;
    for (int k = 0; k < wf->nstates; k++)
        any_terminal |= wf->states[k].terminal;
    if (!any_terminal)
        return td_pf_error(pf, wsec->line, err, "%s", _("the workflow has no terminal state"));
    return TD_OK;
}

static td_status build(const td_pf *pf, td_wf *wf, td_err *err)
{
    const td_pf_section *wsec = NULL;
    td_status st;
    for (size_t i = 0; i < pf->n; i++) {
        const td_pf_section *s = &pf->secs[i];
        if (!strcmp(s->type, "workflow")) {
            if (wsec)
                return td_pf_error(pf, s->line, err, "%s", _("more than one [workflow] section"));
            wsec = s;
            if ((st = td_pf_check_keys(pf, s, wf_keys, err)))
                return st;
        } else if (!strcmp(s->type, "state")) {
            if ((st = parse_state(pf, s, wf, err)))
                return st;
        } else if (strcmp(s->type, "transition") != 0) {
            return td_pf_error(pf, s->line, err, _("unknown section type '%s'"), s->type);
        }
    }
    if (!wsec)
        return td_pf_error(pf, 1, err, "%s", _("no [workflow] section"));
    if (wf->nstates == 0)
        return td_pf_error(pf, wsec->line, err, "%s", _("no states defined"));
    for (size_t i = 0; i < pf->n; i++)
        if (!strcmp(pf->secs[i].type, "transition") && (st = parse_trans(pf, &pf->secs[i], wf, err)))
            return st;
    for (size_t i = 0, ti = 0; i < pf->n; i++) {
        if (strcmp(pf->secs[i].type, "transition") != 0)
            continue;
        wf_trans *t = &wf->trans[ti++];
        if ((st = trans_ref(pf, wf, &pf->secs[i], "on_signoff_return", &t->on_signoff_return, err)))
            return st;
        if (t->on_signoff_return >= 0) {
            const wf_trans *r = &wf->trans[t->on_signoff_return];
            if ((r->from & t->from) != t->from)
                return td_pf_error(pf, td_pf_find(&pf->secs[i], "on_signoff_return")->line, err,
                                   _("transition '%s' does not leave every state '%s' leaves"),
                                   r->name, t->name);
        }
    }

    wf->name = xstrdup(td_pf_get(wsec, "name"));
    const td_pf_entry *e = td_pf_find(wsec, "initial");
    if (!e)
        return td_pf_error(pf, wsec->line, err, "%s", _("no 'initial' state"));
    if ((wf->initial = wf_state_index(wf, e->value)) < 0)
        return td_pf_error(pf, e->line, err, _("unknown state '%s'"), e->value);
    if (wf->states[wf->initial].terminal)
        return td_pf_error(pf, e->line, err, "%s", _("the initial state must not be terminal"));
    wf->notice_days = 5;
    if ((e = td_pf_find(wsec, "notice_days"))) {
        char *end;
        long v = strtol(e->value, &end, 10);
        if (!*e->value || *end || v < 1 || v > 60)
            return td_pf_error(pf, e->line, err, "%s", _("notice_days must be a number of working days from 1 to 60"));
        wf->notice_days = (int)v;
    }
    if ((st = trans_ref(pf, wf, wsec, "on_docs_incomplete", &wf->on_docs_incomplete, err)) ||
        (st = trans_ref(pf, wf, wsec, "on_docs_supplied", &wf->on_docs_supplied, err)))
        return st;
    if ((e = td_pf_find(wsec, "green_roles"))) {
        lctx x = { pf, wf, NULL, e->line, &wf->green_roles };
        if ((st = each_item(e->value, role_item, &x, err)))
            return st;
    }
    return validate_graph(pf, wf, wsec, err);
}

td_status td_wf_parse(const char *name, const char *text, size_t len, td_wf **out, td_err *err)
{
    *out = NULL;
    td_pf *pf = NULL;
    td_status st = td_pf_parse(name, text, len, &pf, err);
    if (st)
        return st;
    td_wf *wf = calloc(1, sizeof *wf);
    if (!wf)
        abort();
    wf->file = xstrdup(pf->name);
    st = build(pf, wf, err);
    td_pf_free(pf);
    if (st) {
        td_wf_free(wf);
        return st;
    }
    *out = wf;
    return TD_OK;
}

/* ── storing ─────────────────────────────────────────────────────────── */

static td_status check_departments(td_db *db, const td_wf *wf, td_err *err)
{
    for (int i = 0; i < wf->ntrans; i++) {
        const wf_trans *t = &wf->trans[i];
        for (int d = 0; d < t->ndepts; d++) {
            sqlite3_stmt *st = td_db_prepare(
                db, "SELECT 1 FROM departments WHERE id = ? AND deleted_at IS NULL", err);
            if (!st)
                return TD_EDB;
            sqlite3_bind_text(st, 1, t->depts[d], -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_ROW)
                return td_err_set(err, TD_EPOLICY, _("%s:%d: unknown department '%s'"), wf->file,
                                  t->depts_line, t->depts[d]);
        }
    }
    return TD_OK;
}

static void sha256_hex(const char *text, size_t len, char out[65]);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" ↔ milliseconds since the epoch (-1 when malformed). */
static int64_t ts_ms(const char *ts)
{
    int y, mo, d, h, mi, sec, ms;
    if (sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi, &sec, &ms) != 7 || !td_date_valid(y, mo, d))
        return -1;
    td_date dt = { y, mo, d };
    return (((int64_t)td_date_to_days(dt) * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000 + ms;
}

static void ms_ts(int64_t t, char out[TD_TS_LEN])
{
    int64_t days = t / 86400000, rest = t % 86400000;
    td_date d = td_date_from_days((int32_t)days);
    snprintf(out, TD_TS_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.y, d.m, d.d, (int)(rest / 3600000),
             (int)(rest / 60000 % 60), (int)(rest / 1000 % 60), (int)(rest % 1000));
}

/* An updated_at strictly later than the current version's, so that "current
 * = latest updated_at" holds even within one millisecond. */
static td_status later_than_current(td_db *db, char now[TD_TS_LEN], td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT max(updated_at) FROM policy_versions WHERE kind = 'workflow' AND deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    char cur[TD_TS_LEN] = "";
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, cur, sizeof cur);
    sqlite3_reset(st);
    int64_t a = ts_ms(now), b = ts_ms(cur);
    if (a >= 0 && b >= 0 && a <= b)
        ms_ts(b + 1, now);
    return TD_OK;
}

td_status td_wf_load_text(td_db *db, const char *name, const char *text, size_t len,
                          const char *user_id, char version_out[TD_UUID_LEN], td_err *err)
{
    td_wf *wf = NULL;
    td_status s = td_wf_parse(name, text, len, &wf, err);
    if (s)
        return s;
    char sha[65];
    sha256_hex(text, len, sha);
    char id[TD_UUID_LEN] = "";
    if ((s = td_db_begin(db, err))) {
        td_wf_free(wf);
        return s;
    }
    if ((s = check_departments(db, wf, err)))
        goto fail;
    char now[TD_TS_LEN];
    td_now_utc(now);
    if ((s = later_than_current(db, now, err)))
        goto fail;
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT id FROM policy_versions WHERE kind = 'workflow' AND name = ? AND sha256 = ?", err);
    if (!st) {
        s = TD_EDB;
        goto fail;
    }
    sqlite3_bind_text(st, 1, wf->file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, sha, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, id, sizeof id);
    sqlite3_reset(st);
    if (id[0]) {
        /* Known content: make it current again unless it already is (the
         * convention of refdata.c: current = latest updated_at). */
        char cur[TD_UUID_LEN] = "";
        if ((s = td_wf_current_version(db, cur, NULL)) == TD_EDB)
            goto fail;
        s = TD_OK;
        if (strcmp(cur, id) != 0) {
            st = td_db_prepare(db,
                               "UPDATE policy_versions SET updated_at = ?, row_version = row_version + 1 "
                               "WHERE id = ?",
                               err);
            if (!st) {
                s = TD_EDB;
                goto fail;
            }
            sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE) {
                s = td_db_fail(db, _("saving the workflow"), err);
                goto fail;
            }
        }
    } else {
        td_uuid7(id);
        st = td_db_prepare(db,
                           "INSERT INTO policy_versions(id, kind, name, sha256, content, loaded_by, "
                           "created_at, updated_at) VALUES(?, 'workflow', ?, ?, ?, ?, ?, ?)",
                           err);
        if (!st) {
            s = TD_EDB;
            goto fail;
        }
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, wf->file, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, text, (int)len, SQLITE_STATIC);
        td_bind_text(st, 5, user_id);
        sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            s = td_db_fail(db, _("saving the workflow"), err);
            goto fail;
        }
        char station[TD_UUID_LEN];
        if (td_db_setting_get(db, "local_station", station, sizeof station)) {
            td_actor by;
            memset(&by, 0, sizeof by);
            if (user_id)
                snprintf(by.user_id, sizeof by.user_id, "%s", user_id);
            if ((s = td_audit(db, &by, NULL, "policy.load", "policy_versions", id, wf->file, NULL, sha,
                              NULL, err)))
                goto fail;
        }
    }
    if ((s = td_db_commit(db, err)))
        goto done;
    if (version_out)
        memcpy(version_out, id, TD_UUID_LEN);
    goto done;
fail:
    td_db_rollback(db);
done:
    td_wf_free(wf);
    return s;
}

td_status td_wf_load_file(td_db *db, const char *path, const char *user_id,
                          char version_out[TD_UUID_LEN], td_err *err)
{
    td_pf *pf = NULL;
    td_status s = td_pf_load(path, &pf, err); /* reads the file, syntax check */
    if (s)
        return s;
    s = td_wf_load_text(db, pf->name, pf->content, strlen(pf->content), user_id, version_out, err);
    td_pf_free(pf);
    return s;
}

td_status td_wf_check_dir(const char *dir, td_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/workflow.tdp", dir);
    td_pf *pf = NULL;
    td_status s = td_pf_load(path, &pf, err);
    if (s)
        return s;
    td_wf *wf = NULL;
    s = td_wf_parse(pf->name, pf->content, strlen(pf->content), &wf, err);
    td_wf_free(wf);
    td_pf_free(pf);
    return s;
}

td_status td_wf_current_version(td_db *db, char out[TD_UUID_LEN], td_err *err)
{
    out[0] = '\0';
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT id FROM policy_versions WHERE kind = 'workflow' AND deleted_at IS NULL "
            "ORDER BY updated_at DESC, id DESC LIMIT 1", err);
    if (!st)
        return TD_EDB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        td_col_copy(st, 0, out, TD_UUID_LEN);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the workflow"), err);
    if (!out[0])
        return td_err_set(err, TD_ENOTFOUND, "%s",
                          _("No workflow is loaded; run 'talentdesk init' (or 'policy load') first"));
    return TD_OK;
}

/* ── cache: version id → parsed definition (versions never change) ────── */

static struct wf_cached {
    char id[TD_UUID_LEN];
    td_wf *wf;
} *cache;
static int ncache, capcache;

td_status td_wf_get(td_db *db, const char *version_id, const td_wf **out, td_err *err)
{
    *out = NULL;
    for (int i = 0; i < ncache; i++) {
        if (!strcmp(cache[i].id, version_id)) {
            *out = cache[i].wf;
            return TD_OK;
        }
    }
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT name, content FROM policy_versions WHERE id = ? AND kind = 'workflow'", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, version_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return td_err_set(err, TD_ENOTFOUND, _("Workflow version %s is not in this database"),
                          version_id);
    }
    char *name = xstrdup((const char *)sqlite3_column_text(st, 0));
    const char *c = (const char *)sqlite3_column_text(st, 1);
    size_t len = (size_t)sqlite3_column_bytes(st, 1);
    char *content = malloc(len + 1);
    if (!content)
        abort();
    memcpy(content, c ? c : "", len);
    content[len] = '\0';
    sqlite3_reset(st);
    td_wf *wf = NULL;
    td_status s = td_wf_parse(name, content, len, &wf, err);
    free(name);
    free(content);
    if (s)
        return s;
    /* Versions are few and immutable: keep every one for the life of the
     * process, so borrowed pointers never dangle. */
    if (ncache == capcache) {
        int ncap = capcache ? capcache * 2 : 4;
        struct wf_cached *n = realloc(cache, sizeof *n * (size_t)ncap);
        if (!n)
            abort();
        cache = n;
        capcache = ncap;
    }
    snprintf(cache[ncache].id, TD_UUID_LEN, "%s", version_id);
    cache[ncache].wf = wf;
    ncache++;
    *out = wf;
    return TD_OK;
}

td_status td_wf_for_case(td_db *db, const td_case *c, const td_wf **out, td_err *err)
{
    char v[TD_UUID_LEN];
    if (c->workflow_version[0])
        return td_wf_get(db, c->workflow_version, out, err);
    td_status s = td_wf_current_version(db, v, err);
    if (s)
        return s;
    return td_wf_get(db, v, out, err);
}

/* ── introspection ───────────────────────────────────────────────────── */

const char *td_wf_initial(const td_wf *wf) { return wf->states[wf->initial].code; }
size_t td_wf_state_count(const td_wf *wf) { return (size_t)wf->nstates; }
const char *td_wf_state_code(const td_wf *wf, size_t i)
{
    return i < (size_t)wf->nstates ? wf->states[i].code : NULL;
}

const char *td_wf_state_label(const td_wf *wf, const char *code)
{
    int i = wf_state_index(wf, code);
    if (i < 0)
        return code;
    if (lang_en() && *wf->states[i].name_en)
        return wf->states[i].name_en;
    return wf->states[i].name;
}

bool td_wf_state_terminal(const td_wf *wf, const char *code)
{
    int i = wf_state_index(wf, code);
    return i >= 0 && wf->states[i].terminal;
}

size_t td_wf_transition_count(const td_wf *wf) { return (size_t)wf->ntrans; }
const char *td_wf_transition_name(const td_wf *wf, size_t i)
{
    return i < (size_t)wf->ntrans ? wf->trans[i].name : NULL;
}

const char *td_wf_transition_label(const td_wf *wf, const char *name)
{
    int i = wf_trans_index(wf, name);
    return i < 0 ? name : wf_trans_label(&wf->trans[i]);
}

const char *td_wf_transition_to(const td_wf *wf, const char *name)
{
    int i = wf_trans_index(wf, name);
    if (i < 0)
        return NULL;
    return wf->trans[i].to < 0 ? "@previous" : wf->states[wf->trans[i].to].code;
}

bool td_wf_transition_from(const td_wf *wf, const char *name, const char *state)
{
    int i = wf_trans_index(wf, name), k = wf_state_index(wf, state);
    return i >= 0 && k >= 0 && (wf->trans[i].from >> k & 1);
}

unsigned td_wf_transition_roles(const td_wf *wf, const char *name)
{
    int i = wf_trans_index(wf, name);
    return i < 0 ? 0 : wf->trans[i].roles;
}

bool td_wf_transition_auto(const td_wf *wf, const char *name)
{
    int i = wf_trans_index(wf, name);
    return i >= 0 && wf->trans[i].is_auto;
}

unsigned td_wf_transition_case_types(const td_wf *wf, const char *name)
{
    int i = wf_trans_index(wf, name);
    return i < 0 ? 0 : wf->trans[i].case_types;
}

int td_wf_notice_days(const td_wf *wf) { return wf->notice_days; }
const char *td_wf_on_docs_incomplete(const td_wf *wf)
{
    return wf->on_docs_incomplete < 0 ? NULL : wf->trans[wf->on_docs_incomplete].name;
}
const char *td_wf_on_docs_supplied(const td_wf *wf)
{
    return wf->on_docs_supplied < 0 ? NULL : wf->trans[wf->on_docs_supplied].name;
}
unsigned td_wf_green_roles(const td_wf *wf) { return wf->green_roles; }

/* libsodium's SHA-256 (already a dependency for keys). */
#include <sodium.h>
static void sha256_hex(const char *text, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}
