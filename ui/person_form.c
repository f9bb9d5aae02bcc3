/* person_form.c — see person_form.h. */
#include "person_form.h"
#include "base/i18n.h"
#include "policy/names.h"
#include "people/country.h"
#include "people/idcheck.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

static int add_category(const char *id, const char *name, void *ud)
{
    ui_form_pick_add(ud, id, name);
    return 0;
}

/* Nationality: F4 lists the countries and regions matching what is typed
 * (iso-codes, China and its regions first); beside the box, the name of the
 * code (中国香港 for HKG). */
static size_t country_suggest(const char *typed, const char **codes, const char **labels, size_t max)
{
    const td_country *hits[UI_PICK_MAX];
    if (max > UI_PICK_MAX)
        max = UI_PICK_MAX;
    size_t n = td_country_search(typed, hits, max);
    for (size_t i = 0; i < n; i++) {
        codes[i] = hits[i]->alpha3;
        labels[i] = hits[i]->name_zh ? hits[i]->name_zh : hits[i]->alpha3;
    }
    return n;
}

static const char *country_hint(const char *code)
{
    const td_country *c = td_country_find(code);
    return c && c->name_zh ? c->name_zh : "";
}

void ui_person_fields(td_db *db, ui_form_field *f)
{
    static const struct {
        const char *key, *label;
        enum ui_field_kind kind;
        int max;
        bool req;
    } spec[UI_PERSON_NFIELDS] = {
        { "name", N_("Name"), UI_FK_TEXT, TD_NAME_MAX_CHARS, true },
        { "name_latin", N_("Latin name"), UI_FK_TEXT, 100, false },
        { "id_type", N_("ID type"), UI_FK_PICK, 0, true },
        { "id_no", N_("ID number"), UI_FK_TEXT, 30, true },
        { "gender", N_("Gender"), UI_FK_PICK, 0, false },
        { "birth_date", N_("Birth date"), UI_FK_DATE, 12, false },
        /* a code or a name, resolved and searched through iso-codes (person_check) */
        { "nationality", N_("Nationality"), UI_FK_TEXT, 40, false },
        { "phone", N_("Mobile"), UI_FK_TEXT, 20, false },
        { "email", N_("E-mail"), UI_FK_TEXT, 100, false },
        { "category", N_("Category"), UI_FK_PICK, 0, false },
        { "employer", N_("Employer"), UI_FK_TEXT, 100, false },
        { "field", N_("Field"), UI_FK_TEXT, 60, false },
        { "notes", N_("Notes"), UI_FK_TEXT, 200, false },
    };
    for (int i = 0; i < UI_PERSON_NFIELDS; i++) {
        memset(&f[i], 0, sizeof f[i]);
        f[i].key = spec[i].key;
        f[i].label = spec[i].label;
        f[i].kind = spec[i].kind;
        f[i].max_chars = spec[i].max;
        f[i].required = spec[i].req;
    }
    f[6].suggest = country_suggest;
    f[6].hint = country_hint;
    for (int t = 0; t < TD_ID_COUNT; t++)
        ui_form_pick_add(&f[2], td_id_type_code((td_id_type)t), td_id_type_name((td_id_type)t));
    ui_form_pick_add(&f[4], "", _("(from the ID / not given)"));
    ui_form_pick_add(&f[4], "M", _("male"));
    ui_form_pick_add(&f[4], "F", _("female"));
    ui_form_pick_add(&f[9], "", _("(none)"));
    td_categories_each(db, add_category, &f[9]);
}

static void set_value(ui_form *f, int idx, const char *v)
{
    bool ch = f->fields[idx].ed.changed;
    ui_field_set(&f->fields[idx].ed, v);
    f->fields[idx].ed.changed = ch;
}

/* Nationality as typed: a code or a name ("中国", "英国", "gbr", "United
 * Kingdom") becomes its ISO code; otherwise a search: one match is taken, several
 * are offered in the message ("英: 英国 GBR、英属维尔京群岛 VGB …"), none is an
 * error naming the value. */
static bool nationality_check(ui_form *f, int idx, const char *v, td_err *err)
{
    char code[4];
    td_err e;
    td_err_clear(&e);
    if (td_country_resolve(v, code, &e) == TD_OK) {
        if (strcmp(code, v) != 0)
            set_value(f, idx, code);
        return true;
    }
    const td_country *hits[6];
    size_t n = td_country_search(v, hits, 6);
    if (n == 1) {
        set_value(f, idx, hits[0]->alpha3);
        return true;
    }
    if (n == 0) {
        td_err_set(err, TD_EINVALID, "%s", e.msg);
        return false;
    }
    char list[400] = "";
    for (size_t i = 0; i < n && i < 5; i++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s %s", i ? "、" : "", hits[i]->name_zh, hits[i]->alpha3);
    }
    td_err_set(err, TD_EINVALID, _("several countries match '%s': %s%s; type more of the name or the code"), v,
               list, n > 5 ? " ..." : "");
    return false;
}

bool ui_person_check(ui_form *f, int idx, td_err *err, void *ud)
{
    (void)ud;
    const char *key = f->fields[idx].key;
    char v[UI_FIELD_MAX * 4 + 1];
    ui_form_get(f, key, v, sizeof v);
    if (strcmp(key, "name") == 0) {
        unsigned ch = 0;
        char *n = td_text_normalize_ex(v, &ch);
        if (!n) {
            td_err_set(err, TD_EINVALID, "%s", _("Name contains control characters or invalid text"));
            return false;
        }
        bool ok = true;
        if (!n[0]) {
            td_err_set(err, TD_EINVALID, "%s", _("Name is required"));
            ok = false;
        } else if (td_text_length(n) > TD_NAME_MAX_CHARS) {
            td_err_set(err, TD_EINVALID, _("Name is too long (at most %d characters)"), TD_NAME_MAX_CHARS);
            ok = false;
        } else if (strcmp(n, v) != 0) {
            set_value(f, idx, n);
            char why[600];
            /* valid: a note (code TD_OK) the form shows on the status line */
            td_err_set(err, TD_OK, _("The name was adjusted: %s."), td_text_describe_changes(ch, why, sizeof why));
        }
        free(n);
        return ok;
    }
    if (strcmp(key, "id_no") == 0) {
        if (!v[0]) {
            td_err_set(err, TD_EINVALID, "%s", _("The identity number is required"));
            return false;
        }
        char tcode[32];
        ui_form_get(f, "id_type", tcode, sizeof tcode);
        td_id_type t;
        if (!tcode[0] || !td_id_type_parse(tcode, &t)) {
            if (!td_id_guess_type(v, &t)) {
                td_err_set(err, TD_EINVALID, "%s",
                           _("Choose the identity document type (resident ID, permit, passport ...)"));
                return false;
            }
            ui_form_set(f, "id_type", td_id_type_code(t));
        }
        char norm[TD_IDNO_LEN];
        if (td_id_validate(t, v, norm, err) != TD_OK)
            return false;
        if (strcmp(norm, v) != 0)
            set_value(f, idx, norm);
        return true;
    }
    if (strcmp(key, "phone") == 0 && v[0] && v[0] != '+') {
        char norm[TD_IDNO_LEN];
        if (td_phone_validate(v, norm, err) != TD_OK)
            return false;
        if (strcmp(norm, v) != 0)
            set_value(f, idx, norm);
        return true;
    }
    if (strcmp(key, "email") == 0 && v[0]) {
        const char *at = strchr(v, '@');
        if (!at || at == v || !strchr(at, '.')) {
            td_err_set(err, TD_EINVALID, "%s", _("E-mail address is not valid"));
            return false;
        }
    }
    if (strcmp(key, "nationality") == 0 && v[0])
        return nationality_check(f, idx, v, err);
    if (f->fields[idx].kind == UI_FK_TEXT && v[0] && !td_text_is_clean(v)) {
        td_err_set(err, TD_EINVALID, _("%s contains control or invisible characters"), _(f->fields[idx].label));
        return false;
    }
    return true;
}

#define GET(k, dst) ui_form_get(f, k, dst, sizeof dst)
void ui_person_from_form(const ui_form *f, td_person *p)
{
    GET("name", p->name);
    GET("name_latin", p->name_latin);
    GET("id_type", p->id_type);
    GET("id_no", p->id_no);
    GET("gender", p->gender);
    GET("birth_date", p->birth_date);
    GET("nationality", p->nationality);
    GET("phone", p->phone);
    GET("email", p->email);
    GET("category", p->category_id);
    GET("employer", p->employer);
    GET("field", p->field);
    GET("notes", p->notes);
}
#undef GET

void ui_person_to_form(ui_form *f, const td_person *p)
{
    ui_form_set(f, "name", p->name);
    ui_form_set(f, "name_latin", p->name_latin);
    ui_form_set(f, "id_type", p->id_type);
    ui_form_set(f, "id_no", p->id_no);
    ui_form_set(f, "gender", p->gender);
    ui_form_set(f, "birth_date", p->birth_date);
    ui_form_set(f, "nationality", p->nationality);
    ui_form_set(f, "phone", p->phone);
    ui_form_set(f, "email", p->email);
    ui_form_set(f, "category", p->category_id);
    ui_form_set(f, "employer", p->employer);
    ui_form_set(f, "field", p->field);
    ui_form_set(f, "notes", p->notes);
}
