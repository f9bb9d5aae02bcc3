/* scr_case.c — one case: a header, then tabs (person, documents, score
 * ledger, approvals, services, history).  Notices when another clerk changed
 * the case (row_version) and reloads, saying so on the status line. */
#include "policy/refdata.h"
#include "cases/scope.h"
#include "people/mask.h"
#include "draw.h"
#include "base/i18n.h"
#include "policy/names.h"
#include "lines.h"
#include "screens.h"
#include "cases/case.h"
#include "people/country.h"
#include "people/idcheck.h"
#include "people/person.h"
#include "recognition/score.h"
#include "workflow/wf_audit.h"
#include "workflow/wf_docs.h"
#include "workflow/wf_signoff.h"
#include "workflow/wf_tasks.h"
#include "sync/conflicts.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

enum { TAB_PERSON, TAB_DOCS, TAB_SCORE, TAB_APPROVALS, TAB_SERVICES, TAB_HISTORY, NTABS };

static const char *const tab_names[NTABS] = {
    N_("Person"), N_("Documents"), N_("Score"), N_("Approvals"), N_("Services"), N_("History"),
};

typedef struct case_state {
    ui_app *app;
    char key[TD_UUID_LEN];
    td_case c;
    td_person p;
    bool have_person;
    char tier_name[64];
    int tab;
    ui_lines tabs[NTABS];
    long data_version;
    int page;
    long conflicts;   /* open sync conflicts about this case (the badge) */
} case_state;

static const char *doc_status_name(const char *s)
{
    if (strcmp(s, "missing") == 0)
        return _("missing");
    if (strcmp(s, "received") == 0)
        return _("received");
    if (strcmp(s, "verified") == 0)
        return _("verified");
    if (strcmp(s, "invalid") == 0)
        return _("invalid");
    return s;
}

const char *ui_task_status_name(const char *s)
{
    if (strcmp(s, "pending") == 0)
        return _("pending");
    if (strcmp(s, "in_progress") == 0)
        return _("in progress");
    if (strcmp(s, "done") == 0)
        return _("done");
    if (strcmp(s, "failed") == 0)
        return _("failed");
    if (strcmp(s, "cancelled") == 0)
        return _("cancelled");
    return s;
}

static void fill_person(case_state *s)
{
    ui_lines *b = &s->tabs[TAB_PERSON];
    b->ncols = 2;
    b->widths[0] = 14;
    if (!s->have_person) {
        ui_lines_add(b, UI_S_ERROR, 1, _("the person of this case could not be read"));
        return;
    }
    td_person *p = &s->p;
    char masked[TD_IDNO_LEN];
    td_id_mask(p->id_no, masked);
    td_id_type t;
    const char *tname = td_id_type_parse(p->id_type, &t) ? td_id_type_name(t) : p->id_type;
    const char *g = strcmp(p->gender, "M") == 0 ? _("male") : strcmp(p->gender, "F") == 0 ? _("female") : "";
    ui_lines_pair(b, _("Name"), p->name);
    ui_lines_pair(b, _("Latin name"), p->name_latin);
    ui_lines_pair(b, _("Gender"), g);
    ui_lines_pair(b, _("Birth date"), p->birth_date);
    /* the name (中国香港), not the stored ISO code (HKG); the code itself
     * when iso-codes does not know it */
    ui_lines_pair(b, _("Nationality"), p->nationality[0] ? td_country_display(p->nationality) : "");
    ui_lines_pair(b, _("ID type"), tname);
    ui_lines_pair(b, _("ID number"), masked);
    char ph[64];
    ui_lines_pair(b, _("Mobile"), td_pii_view(&s->app->actor, TD_PII_PHONE, p->phone, ph, sizeof ph));
    ui_lines_pair(b, _("E-mail"), p->email);
    char cat[128];
    td_category_name(s->app->db, p->category_id, cat, sizeof cat);
    ui_lines_pair(b, _("Category"), cat);
    ui_lines_pair(b, _("Employer"), p->employer);
    ui_lines_pair(b, _("Field"), p->field);
    ui_lines_pair(b, _("Notes"), p->notes);
    ui_case_extra_lines(s->app, b, p->id, s->c.id);
}

static int doc_cb(const td_wf_doc *d, void *ud)
{
    ui_lines *b = ud;
    const char *st = d->status;
    enum ui_style sty = strcmp(st, "verified") == 0                                  ? UI_S_OK
                        : strcmp(st, "invalid") == 0 || strcmp(st, "missing") == 0 ? UI_S_ERROR
                                                                                     : UI_S_NORMAL;
    ui_lines_add(b, sty, 4, d->name, doc_status_name(st), d->checked_by, d->note);
    return 0;
}

static void fill_docs(case_state *s)
{
    ui_lines *b = &s->tabs[TAB_DOCS];
    b->ncols = 4;
    b->widths[0] = 28;
    b->widths[1] = 8;
    b->widths[2] = 12;
    b->widths[3] = 0;
    ui_lines_add(b, UI_S_HEADER, 4, _("Document name"), _("Status"), _("Checked by"), _("Note"));
    td_err err;
    td_err_clear(&err);
    if (td_wf_docs_each_as(s->app->db, &s->app->actor, s->c.id, doc_cb, b, &err) != TD_OK)
        ui_lines_add(b, UI_S_ERROR, 1, err.msg);
    else if (b->n == 1)
        ui_lines_add(b, UI_S_DIM, 1, _("(no documents required)"));
}

static const char *json_text(json_t *o, const char *const *keys, char *buf, size_t len)
{
    for (; *keys; keys++) {
        json_t *v = json_object_get(o, *keys);
        if (!v)
            continue;
        if (json_is_string(v))
            snprintf(buf, len, "%s", json_string_value(v));
        else if (json_is_integer(v))
            snprintf(buf, len, "%lld", (long long)json_integer_value(v));
        else if (json_is_real(v))
            snprintf(buf, len, "%g", json_real_value(v));
        else if (json_is_boolean(v))
            snprintf(buf, len, "%s", json_is_true(v) ? _("yes") : _("no"));
        else
            continue;
        return buf;
    }
    buf[0] = 0;
    return buf;
}

/* Fills b with a score ledger (ledger_json of a score snapshot): one line per
 * factor.  The ledger is an array of objects; the field names below are the
 * scoring module's. */
void ui_ledger_lines(ui_lines *b, const char *ledger_json)
{
    b->ncols = 5;
    b->widths[0] = 22;
    b->widths[1] = 18;
    b->widths[2] = -6;
    b->widths[3] = -6;
    b->widths[4] = 0;
    ui_lines_add(b, UI_S_HEADER, 5, _("Factor"), _("Input / band"), _("Raw"), _("Final"), _("Note"));
    json_error_t je;
    json_t *root = json_loads(ledger_json ? ledger_json : "[]", 0, &je);
    json_t *arr = json_is_array(root) ? root : json_object_get(root, "ledger");
    if (!json_is_array(arr)) {
        ui_lines_add(b, UI_S_DIM, 1, _("(the ledger of this snapshot cannot be shown)"));
        json_decref(root);
        return;
    }
    static const char *const k_factor[] = { "title", "label", "factor", "name", NULL };
    static const char *const k_input[] = { "band", "input", "value", NULL };
    static const char *const k_raw[] = { "raw", "raw_points", "points", NULL };
    static const char *const k_final[] = { "final", "final_points", "points", NULL };
    static const char *const k_note[] = { "note", "cap_note", "status", "claimed", NULL };
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        char f[256], in[256], raw[32], fin[32], note[256];
        ui_lines_add(b, UI_S_NORMAL, 5, json_text(o, k_factor, f, sizeof f), json_text(o, k_input, in, sizeof in),
                     json_text(o, k_raw, raw, sizeof raw), json_text(o, k_final, fin, sizeof fin),
                     json_text(o, k_note, note, sizeof note));
    }
    json_decref(root);
}

static void fill_score(case_state *s)
{
    ui_lines *b = &s->tabs[TAB_SCORE];
    td_snapshot sn;
    memset(&sn, 0, sizeof sn);
    if (td_snapshot_latest_as(s->app->db, &s->app->actor, s->c.id, &sn, NULL) != TD_OK) {
        b->ncols = 1;
        ui_lines_add(b, UI_S_DIM, 1, _("(not scored yet: the recognition step scores the case)"));
        return;
    }
    char head[512], tier[64];
    ui_tier_label(s->app, sn.tier_id, tier, sizeof tier);
    snprintf(head, sizeof head, _("Rule set %s, as of %s, route %s: total %d, tier %s"), sn.rule_set_id, sn.as_of,
             strcmp(sn.route, "catalogue") == 0 ? _("catalogue") : _("points"), sn.total, tier);
    ui_lines_add(b, UI_S_OK, 1, head);
    ui_ledger_lines(b, sn.ledger_json);
    td_snapshot_free(&sn);
}

typedef struct audit_ud {
    ui_lines *b;
    bool decisions_only;
    int n;
} audit_ud;

static int audit_cb(const td_audit_row *r, void *udv)
{
    audit_ud *u = udv;
    bool decision = strcmp(r->field, "state") == 0 || strstr(r->action, "sign") || strstr(r->action, "approv") ||
                    strstr(r->action, "talent_code");
    if (u->decisions_only && !decision)
        return 0;
    /* local time (TZ) and the event in words (td_audit_describe) */
    char when[24], what[160], change[1200];
    td_ts_local(r->at, when, sizeof when);
    td_audit_describe(r, what, sizeof what, change, sizeof change);
    ui_lines_add(u->b, UI_S_NORMAL, 5, when, r->username, what, change, r->reason);
    u->n++;
    return 0;
}

/* 联审 of the current round (the newest), for the approvals tab. */
typedef struct signoff_ud {
    td_wf_signoff_row *v;
    int n, cap;
} signoff_ud;

static int signoff_cb(const td_wf_signoff_row *r, void *udv)
{
    signoff_ud *u = udv;
    if (u->n > 0 && strcmp(u->v[u->n - 1].round, r->round) != 0)
        u->n = 0; /* rows come oldest round first: keep only the last round */
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 8;
        u->v = realloc(u->v, sizeof *u->v * (size_t)u->cap);
        if (!u->v)
            abort();
    }
    u->v[u->n++] = *r;
    return 0;
}

static const char *signoff_status_name(const char *st)
{
    if (strcmp(st, "pending") == 0)
        return _("still to sign");
    if (strcmp(st, "approved") == 0)
        return _("signed: agreed");
    if (strcmp(st, "returned") == 0)
        return _("signed: returned");
    if (strcmp(st, "void") == 0)
        return _("void (round ended)");
    return st;
}

/* The departments of the joint sign-off still to sign, as one line (nothing
 * for a case without 联审); u keeps the round's rows for signoff_rows. */
static void fill_signoffs(case_state *s, ui_lines *b, signoff_ud *u)
{
    td_err err;
    td_err_clear(&err);
    if (td_wf_signoffs_each_as(s->app->db, &s->app->actor, s->c.id, signoff_cb, u, &err) != TD_OK) {
        ui_lines_add(b, UI_S_ERROR, 1, err.msg);
        u->n = 0;
        return;
    }
    if (u->n == 0)
        return;
    char names[600] = "";
    int pending = 0;
    for (int i = 0; i < u->n; i++) {
        if (strcmp(u->v[i].status, "pending") != 0)
            continue;
        size_t have = strlen(names);
        snprintf(names + have, sizeof names - have, "%s%s", pending ? "、" : "",
                 u->v[i].department_name[0] ? u->v[i].department_name : u->v[i].department_id);
        pending++;
    }
    char head[800];
    if (pending)
        snprintf(head, sizeof head, _("Joint sign-off: %d of %d department(s) still to sign: %s"), pending, u->n,
                 names);
    else
        snprintf(head, sizeof head, _("Joint sign-off: no department still to sign (%d in this round)"), u->n);
    ui_lines_add(b, pending ? UI_S_ERROR : UI_S_OK, 1, head);
}

/* One line per department of the round, in the audit columns: when signed,
 * signer, status, department, reason. */
static void signoff_rows(ui_lines *b, const signoff_ud *u)
{
    for (int i = 0; i < u->n; i++) {
        const td_wf_signoff_row *r = &u->v[i];
        char when[24] = "";
        if (r->signed_at[0])
            td_ts_local(r->signed_at, when, sizeof when);
        bool open = strcmp(r->status, "pending") == 0;
        ui_lines_add(b, open ? UI_S_ERROR : strcmp(r->status, "approved") == 0 ? UI_S_OK : UI_S_NORMAL, 5, when,
                     r->signer, signoff_status_name(r->status),
                     r->department_name[0] ? r->department_name : r->department_id, r->reason);
    }
}

static void fill_audit(case_state *s, ui_lines *b, bool decisions_only)
{
    b->ncols = 5;
    b->widths[0] = 16;
    b->widths[1] = 9;
    b->widths[2] = 14;
    b->widths[3] = 26; /* a step (材料审核 -> 人才认定) whole at 80 columns */
    b->widths[4] = 0;
    b->fixed = 1u << 0; /* the time */
    signoff_ud so = { 0 };
    if (decisions_only) /* 审批: who still has to sign comes first */
        fill_signoffs(s, b, &so);
    ui_lines_add(b, UI_S_HEADER, 5, _("When"), _("Who"), _("Event"), _("Change"), _("Reason"));
    signoff_rows(b, &so);
    free(so.v);
    audit_ud u = { b, decisions_only, 0 };
    td_err err;
    td_err_clear(&err);
    if (td_audit_case_each_as(s->app->db, &s->app->actor, s->c.id, NULL, 0, audit_cb, &u, &err) != TD_OK)
        ui_lines_add(b, UI_S_ERROR, 1, err.msg);
    else if (u.n == 0)
        ui_lines_add(b, UI_S_DIM, 1, _("(nothing recorded yet)"));
}

static int task_cb(const td_wf_task *t, void *ud)
{
    ui_lines *b = ud;
    char days[16], due[32];
    snprintf(days, sizeof days, "%d", t->days);
    /* "~": approximate (no holiday calendar for its year yet) */
    snprintf(due, sizeof due, "%s%s%s", t->due_date, t->due_approx ? "~" : "", t->overdue ? "!" : "");
    ui_lines_add(b, t->overdue ? UI_S_ERROR : strcmp(t->status, "done") == 0 ? UI_S_OK : UI_S_NORMAL, 5,
                 t->service_name, ui_task_status_name(t->status), days, due, t->result[0] ? t->result : t->reason);
    return 0;
}

static void fill_services(case_state *s)
{
    ui_lines *b = &s->tabs[TAB_SERVICES];
    b->ncols = 5;
    b->widths[0] = 26;
    b->widths[1] = 8;
    b->widths[2] = -4;
    b->widths[3] = 11;
    b->widths[4] = 0;
    b->fixed = 1u << 3; /* the due date */
    ui_lines_add(b, UI_S_HEADER, 5, _("Service"), _("Status"), _("Days"), _("Due"), _("Result / reason"));
    td_err err;
    td_err_clear(&err);
    if (td_wf_tasks_each_as(s->app->db, &s->app->actor, s->c.id, task_cb, b, &err) != TD_OK)
        ui_lines_add(b, UI_S_ERROR, 1, err.msg);
}

/* Reads the case and everything the tabs show.  Returns false (status set)
 * when the case cannot be read. */
static bool load(case_state *s)
{
    td_err err;
    td_err_clear(&err);
    td_case c;
    if (td_case_get_as(s->app->db, &s->app->actor, s->key, &c, &err) != TD_OK) {
        ui_status_err(s->app, &err);
        return false;
    }
    s->c = c;
    s->have_person = td_person_get_as(s->app->db, &s->app->actor, c.person_id, &s->p, &err) == TD_OK;
    ui_tier_label(s->app, c.tier_id, s->tier_name, sizeof s->tier_name);
    for (int i = 0; i < NTABS; i++) {
        ui_lines_clear(&s->tabs[i]);
    }
    fill_person(s);
    fill_docs(s);
    fill_score(s);
    fill_audit(s, &s->tabs[TAB_APPROVALS], true);
    fill_services(s);
    fill_audit(s, &s->tabs[TAB_HISTORY], false);
    s->conflicts = td_sync_conflicts_open_for_case(s->app->db, s->c.case_no);
    s->data_version = ui_data_version(s->app);
    return true;
}

static void c_draw(ui_app *app, ui_view *v, ui_rect r)
{
    case_state *s = v->state;
    (void)app;
    char head[512], due[64];
    snprintf(due, sizeof due, "%s%s", s->c.due_date[0] ? s->c.due_date : "-",
             s->c.due_date[0] && s->c.due_approx ? _(" (approx.)") : "");
    snprintf(head, sizeof head, _("Case %s  %s  State: %s  Due: %s  Tier: %s  Code: %s"), s->c.case_no,
             s->have_person ? s->p.name : "", td_state_name(s->c.state), due,
             s->tier_name, s->c.talent_code[0] ? s->c.talent_code : "-");
    char badge[96] = "";
    if (s->conflicts > 0)
        snprintf(badge, sizeof badge, _(" Conflicts to review (%ld): C "), s->conflicts);
    int bw = badge[0] ? ui_width(badge) : 0;
    if (bw > r.w / 2)
        bw = 0;
    ui_put(r.y, r.x, r.w - bw, head, UI_S_HEADER);
    if (bw)
        ui_put_right(r.y, r.x + r.w - bw, bw, badge, UI_S_ERROR);
    int x = r.x;
    for (int i = 0; i < NTABS && x < r.x + r.w; i++) {
        char t[64];
        snprintf(t, sizeof t, " %s ", _(tab_names[i]));
        int w = ui_width(t);
        ui_put(r.y + 1, x, w, t, i == s->tab ? UI_S_TAB_ACTIVE : UI_S_DIM);
        x += w + 1;
    }
    if (x < r.x + r.w)
        ui_blank(r.y + 1, x, r.x + r.w - x, UI_S_NORMAL);
    ui_hrule(r.y + 2, r.x, r.w);
    ui_rect body = { r.y + 3, r.x, r.h - 3, r.w };
    s->page = body.h;
    ui_lines_draw(&s->tabs[s->tab], body);
}

static unsigned c_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    case_state *s = v->state;
    (void)key;
    unsigned fl = ui_lines_key(&s->tabs[s->tab], a, s->page > 1 ? s->page - 1 : 1);
    if (fl)
        return fl;
    switch (a) {
    case UI_ACT_TAB_NEXT:
        s->tab = (s->tab + 1) % NTABS;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_TAB_PREV:
        s->tab = (s->tab + NTABS - 1) % NTABS;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REFRESH:
        if (load(s))
            ui_status(app, false, "%s", _("reloaded"));
        return UI_HANDLED | UI_FULL;
    case UI_ACT_REVEAL: {
        if (!s->have_person)
            return UI_HANDLED;
        char *purpose = ui_prompt(app, _("Purpose of viewing the full ID number (recorded):"), "");
        if (!purpose)
            return UI_HANDLED | UI_FULL;
        char full[TD_IDNO_LEN];
        td_err err;
        td_err_clear(&err);
        if (td_audit_view_id(app->db, &app->actor, s->p.id, s->c.id, purpose, full, &err) != TD_OK)
            ui_status_err(app, &err);
        else
            ui_status(app, false, _("ID number: %s (this view was recorded in the audit log)"), full);
        free(purpose);
        load(s);
        return UI_HANDLED | UI_FULL;
    }
    case UI_ACT_EDIT:
        if (s->have_person)
            ui_open_person_edit(app, s->p.id);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_ACT:
        ui_case_act(app, s->c.id, s->c.row_version);
        load(s);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_DOCS:
        ui_open_docs(app, s->c.id);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_TASKS:
        ui_open_tasks(app, s->c.id);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_SCORE:
        ui_open_score(app, s->c.id);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_CONFLICTS:
        ui_open_conflicts(app);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_CODE:
        ui_open_code(app, s->c.id);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_PRINT:
        ui_print_menu(app, s->c.id);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_ANOTHER_CASE: /* another case for the same person */
        if (s->have_person)
            ui_open_intake_for(app, s->p.id);
        return UI_HANDLED | UI_FULL;
    default:
        return 0;
    }
}

/* Someone else committed: if this case's row_version moved, reload and say
 * so.  Nothing typed lives on this screen, so nothing is lost. */
static void c_poll(ui_app *app, ui_view *v)
{
    case_state *s = v->state;
    long dv = ui_data_version(app);
    if (dv == s->data_version && !v->resumed)
        return;
    v->resumed = false;
    long before = s->c.row_version;
    td_case c;
    td_err err;
    td_err_clear(&err);
    if (td_case_get_as(app->db, &app->actor, s->c.id, &c, &err) != TD_OK)
        return;
    /* our own commits do not move PRAGMA data_version: when it has not
     * moved, a new row version is our own doing (a screen above this one
     * saved), and saying "someone else" would teach clerks to ignore the
     * real warning */
    bool others = dv != s->data_version;
    if (c.row_version != before && others) {
        load(s);
        ui_status(app, true, _("This case was changed by someone else (now version %ld): reloaded."),
                  s->c.row_version);
    } else {
        load(s); /* documents, tasks or the person may have changed */
    }
}

static void c_destroy(ui_view *v)
{
    case_state *s = v->state;
    for (int i = 0; i < NTABS; i++)
        ui_lines_free(&s->tabs[i]);
    free(s);
}

static const ui_action case_actions[] = {
    UI_ACT_HELP,     UI_ACT_SCORE,    UI_ACT_REVEAL,  UI_ACT_EDIT,    UI_ACT_REFRESH, UI_ACT_DOCS,   UI_ACT_TASKS,
    UI_ACT_ACT,      UI_ACT_CODE,     UI_ACT_QUIT,     UI_ACT_BACK,     UI_ACT_TAB_NEXT, UI_ACT_TAB_PREV, UI_ACT_UP, UI_ACT_DOWN,
    UI_ACT_PGUP,     UI_ACT_PGDN,     UI_ACT_FIRST,   UI_ACT_LAST,   UI_ACT_PRINT,  UI_ACT_ANOTHER_CASE, UI_ACT_CONFLICTS,
    UI_ACT_NONE,
};

static const ui_view_ops case_ops = {
    .name = "case",
    .title = N_("Case"),
    .actions = case_actions,
    .draw = c_draw,
    .key = c_key,
    .poll = c_poll,
    .destroy = c_destroy,
};

void ui_open_case(ui_app *app, const char *key)
{
    case_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->app = app;
    snprintf(s->key, sizeof s->key, "%s", key);
    if (!load(s)) {
        for (int i = 0; i < NTABS; i++)
            ui_lines_free(&s->tabs[i]);
        free(s);
        return;
    }
    memcpy(s->key, s->c.id, sizeof s->key);
    ui_push(app, ui_view_new(&case_ops, s));
}

void ui_tier_label(ui_app *app, const char *tier_id, char *out, size_t len)
{
    if (!tier_id || !tier_id[0]) {
        snprintf(out, len, "-");
        return;
    }
    if (strcmp(tier_id, "none") == 0) { /* the scorer's "neither route gives a tier" */
        snprintf(out, len, "%s", _("not recognised"));
        return;
    }
    snprintf(out, len, "%s", tier_id);
    td_tier_name(app->db, tier_id, out, len);
}
