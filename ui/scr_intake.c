/* scr_intake.c — the intake form (受理登记): the talent's identity and
 * contact details, the case type and the services asked for.  F2 saves: the
 * person (or the one already registered with that identity number) and a new
 * case.  A new person that may already be registered (same name and birth
 * date or mobile) is shown against the registered ones first; saved anyway,
 * the pair is recorded for review.  A draft is written on every change and
 * offered again after a crash. */
#include "draw.h"
#include "cases/scope.h"
#include "people/mask.h"
#include "base/i18n.h"
#include "person_form.h"
#include "pick.h"
#include "screens.h"
#include "cases/case.h"
#include "people/dedupe.h"
#include "policy/refdata.h"
#include "report/stats.h"
#include "workflow/intake.h"

#include <stdlib.h>
#include <string.h>

#define NFIELDS (UI_PERSON_NFIELDS + 4)

typedef struct intake_state {
    ui_app *app;
    ui_form form;
    ui_form_field fields[NFIELDS];
    /* the registered person the clerk chose at the ID field (or from search
     * or a case): the case is taken in for them, no second person */
    char person_id[TD_UUID_LEN];
    char person_id_no[TD_IDNO_LEN];
    char offered_id_no[TD_IDNO_LEN]; /* the number last offered, not offered again */
} intake_state;

/* What the intake remembers per user for the next one (the last ID type,
 * nationality, category, case type, services and channel); the case's own
 * choices start at remembered + 3. */
static const char *const remembered[] = { "id_type", "nationality", "category", "case_type",
                                          "service1", "service2",   "channel",  NULL };

static void i_draw(ui_app *app, ui_view *v, ui_rect r)
{
    intake_state *s = v->state;
    ui_form_draw(app, v, &s->form, r,
                 _("New intake: fields marked * are required; Tab/Enter next, F2 save, Esc cancel"));
}

static void focus(intake_state *s, const char *key)
{
    int i = key ? ui_form_index(&s->form, key) : -1;
    if (i >= 0)
        s->form.cur = i;
}

/* ---- possible duplicates (数据清洗比对) --------------------------------- */

typedef struct dupe_ov {
    const td_dup_match *m;
    int n;
} dupe_ov;

/* The candidates in a box over the form; the question is on the status
 * line (ui_confirm). */
static void dupe_draw(ui_app *app, void *ud)
{
    (void)app;
    const dupe_ov *d = ud;
    int w = COLS - 4, rows = d->n;
    if (rows > LINES - 10)
        rows = LINES - 10;
    int h = rows + 4;
    int y0 = (LINES - 3 - h) / 2 + 1, x0 = 2;
    ui_put(y0, x0, w, _(" Possible duplicates: these registered persons may be the one you are taking in"), UI_S_TITLE);
    static const int widths[] = { 12, 18, 10, 11, 0 };
    const char *head[] = { _("Name"), _("ID number"), _("Birth date"), _("Mobile"), _("Match") };
    ui_blank(y0 + 1, x0, 1, UI_S_HEADER);
    ui_put_row(y0 + 1, x0 + 1, w - 1, 5, head, widths, UI_S_HEADER);
    for (int i = 0; i < rows; i++) {
        const td_dup_match *m = &d->m[i];
        char ph[64];
        const char *cells[] = { m->name, m->id_no_masked, m->birth_date,
                                td_pii_view(&app->actor, TD_PII_PHONE, m->phone, ph, sizeof ph), td_dup_kind_name(m->kind) };
        ui_blank(y0 + 2 + i, x0, 1, UI_S_FIELD);
        ui_put_row(y0 + 2 + i, x0 + 1, w - 1, 5, cells, widths, UI_S_FIELD);
    }
    char more[128] = "";
    if (rows < d->n)
        snprintf(more, sizeof more, _(" ... and %d more"), d->n - rows);
    ui_put(y0 + 2 + rows, x0, w, more, UI_S_FIELD);
    ui_put(y0 + 3 + rows, x0, w, _(" y: save as a new person anyway (recorded for review)   n / Esc: back to the form"),
           UI_S_TITLE);
    curs_set(0);
}

/* Before a new person is saved: lists registered persons that may be the
 * same one (same identity document, or same name with the same birth date
 * or mobile) and asks the clerk.  Returns true to go on saving; false keeps
 * the form as typed.  A failed check is reported and does not block. */
static bool dupe_confirm(ui_app *app, const td_person *p)
{
    td_dup_match m[TD_DUP_MAX];
    int n = 0;
    td_err err;
    td_err_clear(&err);
    if (td_dupe_check_as(app->db, &app->actor, p, m, TD_DUP_MAX, &n, &err) != TD_OK) {
        ui_status_err(app, &err);
        return true;
    }
    if (n == 0)
        return true;
    dupe_ov ov = { m, n };
    void (*saved)(ui_app *, void *) = app->overlay;
    void *saved_ud = app->overlay_ud;
    app->overlay = dupe_draw;
    app->overlay_ud = &ov;
    bool go = ui_confirm(app, _("Save this person anyway?"));
    app->overlay = saved;
    app->overlay_ud = saved_ud;
    if (!go)
        ui_status(app, false, "%s", _("Not saved: the form is as you typed it (F2 saves, Esc cancels)."));
    return go;
}

static unsigned save(ui_app *app, intake_state *s)
{
    if (!ui_form_check_all(app, &s->form))
        return UI_HANDLED | UI_REDRAW;
    td_person p;
    memset(&p, 0, sizeof p);
    ui_person_from_form(&s->form, &p);
    td_err err;
    td_err_clear(&err);
    const char *bad = NULL;
    if (td_person_validate(app->db, &p, &bad, &err) != TD_OK) {
        focus(s, bad);
        ui_status_err(app, &err);
        return UI_HANDLED | UI_REDRAW;
    }
    char svc[2][64];
    ui_form_get(&s->form, "service1", svc[0], sizeof svc[0]);
    ui_form_get(&s->form, "service2", svc[1], sizeof svc[1]);
    if (!svc[0][0] && !svc[1][0]) {
        focus(s, "service1");
        ui_status(app, true, "%s", _("Choose at least one service"));
        return UI_HANDLED | UI_REDRAW;
    }
    int dupes = 0;
    td_err derr;
    td_err_clear(&derr);
    td_person existing;
    td_status gs;
    if (s->person_id[0] && strcmp(p.id_no, s->person_id_no) == 0 &&
        td_person_get_as(app->db, &app->actor, s->person_id, &existing, NULL) == TD_OK) {
        p = existing; /* chosen at the ID field (or from search / a case): asked already */
    } else if ((gs = td_person_get_as(app->db, &app->actor, p.id_no, &existing, &err)) == TD_EDENIED) {
        focus(s, "id_no"); /* registered outside the user's scope: nothing of that person is shown */
        ui_status_err(app, &err);
        return UI_HANDLED | UI_REDRAW;
    } else if (gs == TD_OK) {
        char q[512];
        snprintf(q, sizeof q, _("This identity number is registered to %s: open the case for this person?"),
                 existing.name);
        if (!ui_confirm(app, q))
            return UI_HANDLED | UI_FULL;
        p = existing;
    } else {
        td_err_clear(&err);
        if (!dupe_confirm(app, &p))
            return UI_HANDLED | UI_FULL;
        if (td_person_add(app->db, &app->actor, &p, &err) != TD_OK) {
            ui_status_err(app, &err);
            return UI_HANDLED | UI_REDRAW;
        }
        /* the pairs become candidates for review (talentdesk dupes list) */
        if (td_dupe_note(app->db, &app->actor, p.id, "intake", &dupes, &derr) != TD_OK)
            dupes = -1;
    }
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    char ctype[16], channel[16];
    ui_form_get(&s->form, "case_type", ctype, sizeof ctype);
    ui_form_get(&s->form, "channel", channel, sizeof channel);
    a.person_id = p.id;
    a.case_type = ctype[0] ? ctype : "recognition";
    a.channel = channel[0] ? channel : NULL;
    int k = 0;
    if (svc[0][0])
        a.services[k++] = svc[0];
    if (svc[1][0] && strcmp(svc[1], svc[0]) != 0)
        a.services[k++] = svc[1];
    td_case c;
    if (td_case_new(app->db, &app->actor, &a, &c, &err) != TD_OK) {
        ui_status_err(app, &err);
        return UI_HANDLED | UI_REDRAW;
    }
    ui_form_draft_remove(&s->form);
    /* offered as defaults next time (a failure to write them loses
     * nothing); for a registered person only the case's choices: their
     * category or ID type is not the clerk's choice */
    ui_form_defaults_save(&s->form, app->actor.username, "intake", s->person_id[0] ? remembered + 3 : remembered);
    s->form.dirty = false;
    if (dupes < 0)
        ui_status(app, true, _("Taken in: case %s for %s; the duplicate check failed: %s"), c.case_no, p.name,
                  derr.msg);
    else if (dupes > 0)
        ui_status(app, false, _("Taken in: case %s for %s; %d possible duplicate(s) recorded for review"),
                  c.case_no, p.name, dupes);
    else
        ui_status(app, false, _("Taken in: case %s for %s"), c.case_no, p.name);
    char id[TD_UUID_LEN];
    memcpy(id, c.id, sizeof id);
    ui_pop(app); /* the form */
    ui_open_case(app, id);
    return UI_HANDLED | UI_FULL;
}

static int latest_case_cb(const td_case *c, void *ud)
{
    memcpy(ud, c->id, TD_UUID_LEN);
    return 1;
}

/* Fills the person fields from the register and takes the case in for that
 * person; the cursor goes to the case type. */
static void use_person(intake_state *s, const td_person *p)
{
    bool dirty = s->form.dirty;
    ui_person_to_form(&s->form, p);
    for (int i = 0; i < UI_PERSON_NFIELDS; i++)
        s->fields[i].bad = false;
    memcpy(s->person_id, p->id, sizeof s->person_id);
    snprintf(s->person_id_no, sizeof s->person_id_no, "%s", p->id_no);
    snprintf(s->offered_id_no, sizeof s->offered_id_no, "%s", p->id_no);
    s->form.dirty = dirty;
    focus(s, "case_type");
    ui_form_draft_save(&s->form);
}

/* Leaving the ID number field with a number already registered: offer that
 * person at once, before the rest of the form is typed again. */
static unsigned offer_registered(ui_app *app, intake_state *s)
{
    char idno[TD_IDNO_LEN];
    ui_form_get(&s->form, "id_no", idno, sizeof idno);
    if (!idno[0] || strcmp(idno, s->offered_id_no) == 0 || (s->person_id[0] && !strcmp(idno, s->person_id_no)))
        return 0;
    td_person p;
    td_err err;
    td_err_clear(&err);
    td_status ps = td_person_get_as(app->db, &app->actor, idno, &p, &err);
    if (ps == TD_EDENIED) { /* registered outside the user's record scope: offer nothing, name no one */
        snprintf(s->offered_id_no, sizeof s->offered_id_no, "%s", idno);
        ui_status_err(app, &err);
        return UI_HANDLED | UI_REDRAW;
    }
    if (ps != TD_OK || strcmp(p.id_no, idno) != 0)
        return 0;
    snprintf(s->offered_id_no, sizeof s->offered_id_no, "%s", idno);
    char latest[TD_UUID_LEN] = "";
    td_case_query cq = { .person_id = p.id, .limit = 1 };
    td_case_list_as(app->db, &app->actor, &cq, latest_case_cb, latest, NULL);
    char title[400];
    snprintf(title, sizeof title, _("Registered: %s (born %s). New case for this person?"), p.name,
             p.birth_date[0] ? p.birth_date : "-");
    const char *items[3];
    int n = 0;
    items[n++] = _("New case for this person (details from the register)");
    int open_at = latest[0] ? n++ : -1;
    if (open_at >= 0)
        items[open_at] = _("Open this person's latest case");
    int keep_at = n++;
    items[keep_at] = _("Keep typing (a different person)");
    int k = ui_pick(app, title, items, n, 0);
    if (k == 0) {
        use_person(s, &p);
        ui_status(app, false, _("Taking in a new case for %s: choose the case type and services, F2 saves."), p.name);
    } else if (k >= 0 && k == open_at) {
        ui_open_case(app, latest); /* the form stays below, as typed (Esc comes back) */
    }
    return UI_HANDLED | UI_FULL;
}

static unsigned i_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    intake_state *s = v->state;
    if (a == UI_ACT_SAVE)
        return save(app, s);
    if ((a == UI_ACT_FIELD_NEXT || a == UI_ACT_FIELD_PREV) && s->form.cur == ui_form_index(&s->form, "id_no")) {
        unsigned fl = ui_form_key(app, &s->form, a, key);
        unsigned off = s->form.fields[ui_form_index(&s->form, "id_no")].bad ? 0 : offer_registered(app, s);
        return fl | off;
    }
    if (a == UI_ACT_CANCEL) {
        if (s->form.dirty && !ui_confirm(app, _("Discard what you typed in this form?")))
            return UI_HANDLED | UI_FULL;
        ui_form_draft_remove(&s->form);
        return UI_HANDLED | UI_POP;
    }
    return ui_form_key(app, &s->form, a, key);
}

static void i_destroy(ui_view *v)
{
    intake_state *s = v->state;
    ui_form_free(&s->form);
    free(s);
}

static const ui_action intake_actions[] = {
    UI_ACT_HELP, UI_ACT_SAVE, UI_ACT_PICK, UI_ACT_CANCEL, UI_FORM_ACTIONS, UI_ACT_NONE,
};

static const ui_view_ops intake_ops = {
    .text_input = true,
    .name = "intake",
    .title = N_("Intake"),
    .actions = intake_actions,
    .draw = i_draw,
    .key = i_key,
    .destroy = i_destroy,
};

static int add_service(const td_service *sv, void *ud)
{
    intake_state *s = ud;
    for (int k = 1; k <= 2; k++)
        ui_form_pick_add(&s->fields[UI_PERSON_NFIELDS + k], sv->id, sv->name);
    return 0;
}

static intake_state *intake_new(ui_app *app)
{
    intake_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->app = app;
    ui_person_fields(app->db, s->fields);
    ui_form_field *ct = &s->fields[UI_PERSON_NFIELDS];
    ct->key = "case_type";
    ct->label = N_("Case type");
    ct->kind = UI_FK_PICK;
    ct->required = true;
    for (int k = 1; k <= 2; k++) {
        ui_form_field *sv = &s->fields[UI_PERSON_NFIELDS + k];
        sv->key = k == 1 ? "service1" : "service2";
        sv->label = k == 1 ? N_("Service") : N_("Second service");
        sv->kind = UI_FK_PICK;
        sv->required = k == 1;
    }
    ui_form_field *ch = &s->fields[UI_PERSON_NFIELDS + 3];
    ch->key = "channel";
    ch->label = N_("Channel");
    ch->kind = UI_FK_PICK;
    ui_form_init(&s->form, s->fields, NFIELDS);
    static const char *const channels[] = { "window", "overseas", "airport", "online", "park" };
    for (int k = 0; k < 5; k++)
        ui_form_pick_add(ch, channels[k], td_channel_name(channels[k]));
    ch->picked = td_actor_has(&app->actor, TD_ROLE_STATION) ? 1 : 0; /* as the core would choose */
    ui_form_pick_add(ct, "recognition", _("talent recognition"));
    ui_form_pick_add(ct, "service", _("service only"));
    ct->picked = 0;
    ui_form_pick_add(&s->fields[UI_PERSON_NFIELDS + 2], "", _("(none)"));
    td_err err;
    td_err_clear(&err);
    if (td_service_each(app->db, add_service, s, &err) != TD_OK)
        ui_status_err(app, &err);
    ui_form_set(&s->form, "nationality", "CHN");
    s->form.check = ui_person_check;
    return s;
}

void ui_open_intake(ui_app *app)
{
    intake_state *s = intake_new(app);
    /* the last intake's choices, then a draft over them */
    int defaults = ui_form_defaults_load(&s->form, app->actor.username, "intake", remembered);
    ui_form_draft_path(&s->form, app->actor.username, "intake");
    if (ui_form_draft_load(&s->form))
        ui_status(app, false, "%s", _("An unsaved intake draft was restored (Esc discards it)."));
    else if (defaults > 0)
        ui_status(app, false, "%s", _("Your last intake's ID type, category, services and channel are filled in."));
    ui_push(app, ui_view_new(&intake_ops, s));
}

void ui_open_intake_for(ui_app *app, const char *person_id)
{
    td_person p;
    td_err err;
    td_err_clear(&err);
    if (td_person_get_as(app->db, &app->actor, person_id, &p, &err) != TD_OK) {
        ui_status_err(app, &err);
        return;
    }
    intake_state *s = intake_new(app);
    ui_form_defaults_load(&s->form, app->actor.username, "intake", remembered);
    use_person(s, &p);
    /* its own draft (a draft of a blank intake is not mixed in) */
    char name[64];
    snprintf(name, sizeof name, "intake-%.36s", p.id);
    ui_form_draft_path(&s->form, app->actor.username, name);
    if (ui_form_draft_load(&s->form))
        ui_status(app, false, "%s", _("An unsaved intake draft was restored (Esc discards it)."));
    else
        ui_status(app, false, _("Taking in a new case for %s: choose the case type and services, F2 saves."), p.name);
    ui_push(app, ui_view_new(&intake_ops, s));
}

/* ---- person edit ---------------------------------------------------------- */

typedef struct edit_state {
    ui_app *app;
    ui_form form;
    ui_form_field fields[UI_PERSON_NFIELDS];
    td_person base; /* as read: id and row_version guard the update */
} edit_state;

static void e_draw(ui_app *app, ui_view *v, ui_rect r)
{
    edit_state *s = v->state;
    char head[256];
    snprintf(head, sizeof head, _("Edit person (version %ld): F2 save, Esc cancel"), s->base.row_version);
    ui_form_draw(app, v, &s->form, r, head);
}

static unsigned e_save(ui_app *app, edit_state *s)
{
    if (!ui_form_check_all(app, &s->form))
        return UI_HANDLED | UI_REDRAW;
    td_person p = s->base;
    ui_person_from_form(&s->form, &p);
    td_err err;
    td_err_clear(&err);
    td_status st = td_person_update(app->db, &app->actor, &p, &err);
    if (st == TD_ECONFLICT) {
        /* Someone else saved first: take their row version, keep every value
         * typed here on screen, and let the clerk look before saving again. */
        td_person now;
        if (td_person_get_as(app->db, &app->actor, s->base.id, &now, NULL) == TD_OK) {
            /* fields the clerk did not touch take the other clerk's values;
             * fields the clerk typed in keep what was typed */
            td_person typed = s->base;
            ui_person_from_form(&s->form, &typed);
#define MERGE(m)                                                                                   \
    if (strcmp(typed.m, s->base.m) == 0)                                                           \
        memcpy(typed.m, now.m, sizeof typed.m);
            MERGE(name) MERGE(name_latin) MERGE(gender) MERGE(birth_date) MERGE(nationality)
            MERGE(id_type) MERGE(id_no) MERGE(phone) MERGE(email) MERGE(category_id) MERGE(employer)
            MERGE(field) MERGE(notes)
#undef MERGE
            bool dirty = s->form.dirty;
            ui_person_to_form(&s->form, &typed);
            s->form.dirty = dirty;
            s->base = now;
            ui_form_draft_save(&s->form);
        }
        ui_status(app, true, "%s %s", err.msg,
                  _("(the latest version was read; what you typed is kept: check it and press F2 again)"));
        return UI_HANDLED | UI_FULL;
    }
    if (st != TD_OK) {
        int i = -1;
        (void)i;
        ui_status_err(app, &err);
        return UI_HANDLED | UI_REDRAW;
    }
    ui_form_draft_remove(&s->form);
    ui_status(app, false, "%s", _("Saved."));
    return UI_HANDLED | UI_POP;
}

static unsigned e_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    edit_state *s = v->state;
    if (a == UI_ACT_SAVE)
        return e_save(app, s);
    if (a == UI_ACT_CANCEL) {
        if (s->form.dirty && !ui_confirm(app, _("Discard what you typed in this form?")))
            return UI_HANDLED | UI_FULL;
        ui_form_draft_remove(&s->form);
        return UI_HANDLED | UI_POP;
    }
    return ui_form_key(app, &s->form, a, key);
}

static void e_destroy(ui_view *v)
{
    edit_state *s = v->state;
    ui_form_free(&s->form);
    free(s);
}

static const ui_view_ops edit_ops = {
    .text_input = true,
    .name = "person-edit",
    .title = N_("Edit person"),
    .actions = intake_actions,
    .draw = e_draw,
    .key = e_key,
    .destroy = e_destroy,
};

void ui_open_person_edit(ui_app *app, const char *person_id)
{
    edit_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->app = app;
    td_err err;
    td_err_clear(&err);
    if (td_person_get_as(app->db, &app->actor, person_id, &s->base, &err) != TD_OK) {
        ui_status_err(app, &err);
        free(s);
        return;
    }
    ui_person_fields(app->db, s->fields);
    ui_form_init(&s->form, s->fields, UI_PERSON_NFIELDS);
    /* pick items were added before init cleared `picked`; values next */
    ui_person_to_form(&s->form, &s->base);
    s->form.check = ui_person_check;
    char name[64];
    snprintf(name, sizeof name, "person-%.36s", s->base.id);
    ui_form_draft_path(&s->form, app->actor.username, name);
    if (ui_form_draft_load(&s->form))
        ui_status(app, false, "%s", _("An unsaved draft of this person was restored (Esc discards it)."));
    ui_push(app, ui_view_new(&edit_ops, s));
}
