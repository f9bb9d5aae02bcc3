/* cmd_person.c — talentdesk person add|show|list|update. */
#include "cli.h"
#include "base/text.h"
#include "people/mask.h"
#include "base/i18n.h"
#include "people/idcheck.h"
#include "people/person.h"
#include "cases/scope.h"
#include "people/country.h"
#include "people/dedupe.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options that set person fields, shared by add and update. */
static const struct {
    const char *opt;
    size_t off, len;
} field_opts[] = {
#define F(opt, member) { opt, offsetof(td_person, member), sizeof(((td_person *)0)->member) }
    F("name", name),         F("latin", name_latin),   F("gender", gender),
    F("birth", birth_date),  F("nationality", nationality), F("id-type", id_type),
    F("id-no", id_no),       F("id", id_no),           F("phone", phone),
    F("email", email),       F("category", category_id), F("employer", employer),
    F("field", field),       F("notes", notes),
    F("education", education), F("school", school), F("study-country", study_country),
    F("returned", returned_on),
#undef F
};

/* Applies --opt values to p; returns the number applied, or -1 (usage error
 * printed, *st = TD_EUSAGE) when a value does not fit its field, or -1 with
 * *st the open's status when a country must be resolved and the database
 * (whose countries.tdp version names countries) cannot be opened. */
static int apply_opts(td_cli *c, int *argc, char **argv, td_person *p, td_status *st)
{
    *st = TD_EUSAGE;
    int n = 0;
    for (size_t i = 0; i < sizeof field_opts / sizeof field_opts[0]; i++) {
        const char *v = td_cli_opt(argc, argv, field_opts[i].opt);
        if (!v)
            continue;
        bool country = strcmp(field_opts[i].opt, "nationality") == 0 || strcmp(field_opts[i].opt, "study-country") == 0;
        if (country && *v) {
            /* a code or a name: 中国, 英国, 中国香港, United Kingdom — with
             * the names of the countries.tdp loaded into the database */
            if ((*st = td_cli_open_db(c)))
                return -1;
            *st = TD_EUSAGE;
            td_err cerr;
            td_err_clear(&cerr);
            if (td_country_resolve(v, (char *)p + field_opts[i].off, &cerr) != TD_OK) {
                td_cli_usage(c, "--%s: %s", field_opts[i].opt, cerr.msg);
                return -1;
            }
            n++;
            continue;
        }
        if (strlen(v) >= field_opts[i].len) {
            td_cli_usage(c, _("value of --%s is too long"), field_opts[i].opt);
            return -1;
        }
        memcpy((char *)p + field_opts[i].off, v, strlen(v) + 1);
        n++;
    }
    return n;
}

/* The mobile number as the signed-in user may see it (people/mask.h). */
static const char *phone_view(const td_person *p, char *buf, size_t len)
{
    return td_pii_view(td_cli_viewer, TD_PII_PHONE, p->phone, buf, len);
}

json_t *td_person_json(const td_person *p)
{
    char masked[TD_IDNO_LEN], ph[64];
    td_id_mask(p->id_no, masked);
    return json_pack("{s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:i,s:o,s:o,s:o,s:o}",
                     "id", p->id,
                     "name", p->name, "name_latin", td_json_str(p->name_latin), "gender",
                     td_json_str(p->gender), "birth_date", td_json_str(p->birth_date), "nationality",
                     p->nationality, "id_type", p->id_type, "id_no_masked", masked, "phone",
                     td_json_str(phone_view(p, ph, sizeof ph)), "email", td_json_str(p->email), "category",
                     td_json_str(p->category_id), "employer", td_json_str(p->employer), "field",
                     td_json_str(p->field), "created_at", p->created_at, "updated_at", p->updated_at,
                     "row_version", (int)p->row_version, "education", td_json_str(p->education), "school",
                     td_json_str(p->school), "study_country", td_json_str(p->study_country), "returned_on",
                     td_json_str(p->returned_on));
}

static void print_person(const td_person *p)
{
    char masked[TD_IDNO_LEN], ph[64];
    td_id_mask(p->id_no, masked);
    td_id_type t;
    const char *tname = td_id_type_parse(p->id_type, &t) ? td_id_type_name(t) : p->id_type;
    const char *rows[][2] = {
        { _("Name"), p->name },          { _("Latin name"), p->name_latin },
        { _("Gender"), p->gender[0] == 'M' ? _("male") : p->gender[0] == 'F' ? _("female") : "" },
        { _("Birth date"), p->birth_date }, { _("Nationality"), td_country_display(p->nationality) },
        { _("Document"), tname },        { _("Number"), masked },
        { _("Mobile"), phone_view(p, ph, sizeof ph) },       { _("E-mail"), p->email },
        { _("Category"), p->category_id }, { _("Employer"), p->employer },
        { _("Field"), p->field },        { _("Notes"), p->notes },
        { _("Education"), p->education }, { _("School"), p->school },
        { _("Country of study"), p->study_country[0] ? td_country_display(p->study_country) : "" },
        { _("Returned on"), p->returned_on },
        { _("Person id"), p->id },       { _("Updated"), p->updated_at },
    };
    int w[2] = { 10, 0 };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!rows[i][1] || !*rows[i][1])
            continue;
        const char *cells[2] = { rows[i][0], rows[i][1] };
        td_cli_row(2, cells, w);
    }
}

typedef struct {
    td_cli *c;
    json_t *arr;
    int n;
} list_ctx;

static int list_cb(const td_person *p, void *ud)
{
    list_ctx *l = ud;
    l->n++;
    if (l->arr) {
        json_array_append_new(l->arr, td_person_json(p));
        return 0;
    }
    char masked[TD_IDNO_LEN], ph[64];
    td_id_mask(p->id_no, masked);
    const char *cells[5] = { p->name, p->gender[0] == 'M' ? _("male") : p->gender[0] == 'F' ? _("female") : "",
                             p->birth_date, masked, phone_view(p, ph, sizeof ph) };
    int w[5] = { 16, 4, 10, 20, 0 };
    td_cli_row(5, cells, w);
    return 0;
}

/* Tells the clerk what input normalisation changed in the text fields of
 * `typed` (as given on the command line) and why: a line per field on
 * stdout, or an "adjusted" array in j. */
static void tell_changes(const td_person *typed, json_t *j)
{
    static const struct { size_t off; const char *label; } f[] = {
        { offsetof(td_person, name), N_("name") },
        { offsetof(td_person, name_latin), N_("name in Latin letters") },
        { offsetof(td_person, employer), N_("employer") },
        { offsetof(td_person, field), N_("field") },
        { offsetof(td_person, notes), N_("notes") },
    };
    json_t *arr = j ? json_array() : NULL;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        const char *v = (const char *)typed + f[i].off;
        unsigned ch = 0;
        char *n = td_text_normalize_ex(v, &ch);
        free(n);
        if (!ch)
            continue;
        char why[600];
        td_text_describe_changes(ch, why, sizeof why);
        if (arr)
            json_array_append_new(arr, json_pack("{s:s,s:s}", "field", f[i].label, "why", why));
        else
            td_cli_printf(_("Note: the %s was adjusted: %s.\n"), _(f[i].label), why);
    }
    if (j)
        json_object_set_new(j, "adjusted", arr);
}

int cmd_person(td_cli *c, int argc, char **argv)
{
    if (argc < 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk person add|show|list|update ..."));
    const char *sub = argv[1];
    argv++;
    argc--;
    td_err err;
    td_err_clear(&err);
    td_status s;
    if (strcmp(sub, "add") == 0) {
        td_person p;
        memset(&p, 0, sizeof p);
        td_status ost;
        if (apply_opts(c, &argc, argv, &p, &ost) < 0)
            return ost;
        if (argc > 1)
            return td_cli_usage(c, _("unexpected argument '%s'"), argv[1]);
        if ((s = td_cli_actor(c)))
            return s;
        td_person typed = p;
        if ((s = td_person_add(c->db, &c->actor, &p, &err)))
            return td_cli_fail(c, &err);
        /* Probable duplicates (same name and birth date or mobile) become
         * candidates for a person to review: never merged silently. */
        int found = 0;
        td_err derr;
        td_err_clear(&derr);
        if (td_dupe_note(c->db, &c->actor, p.id, "intake", &found, &derr) != TD_OK)
            found = 0;
        if (c->json) {
            json_t *j = td_person_json(&p);
            json_object_set_new(j, "probable_duplicates", json_integer(found));
            tell_changes(&typed, j);
            td_cli_json(j);
        } else {
            printf("%s\n", _("Person added."));
            print_person(&p);
            tell_changes(&typed, NULL);
            if (found > 0)
                td_cli_printf(_("Note: %d possible duplicate(s) of this person were recorded for review "
                         "(talentdesk dupes list).\n"),
                       found);
        }
        return TD_OK;
    }
    if (strcmp(sub, "show") == 0) {
        if (argc != 2)
            return td_cli_usage(c, "%s", _("usage: talentdesk person show ID|ID-NUMBER|MOBILE"));
        if ((s = td_cli_actor(c)))
            return s;
        td_person p;
        if ((s = td_person_get_as(c->db, &c->actor, argv[1], &p, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(td_person_json(&p));
        else
            print_person(&p);
        return TD_OK;
    }
    if (strcmp(sub, "list") == 0) {
        td_person_query q = { 0 };
        q.name_prefix = td_cli_opt(&argc, argv, "name");
        q.id_no = td_cli_opt(&argc, argv, "id-no");
        q.phone = td_cli_opt(&argc, argv, "phone");
        const char *lim = td_cli_opt(&argc, argv, "limit");
        const char *off = td_cli_opt(&argc, argv, "offset");
        q.limit = lim ? atoi(lim) : 100;
        q.offset = off ? atoi(off) : 0;
        if (argc > 1)
            return td_cli_usage(c, _("unexpected argument '%s'"), argv[1]);
        if ((s = td_cli_actor(c)))
            return s;
        list_ctx l = { c, c->json ? json_array() : NULL, 0 };
        if ((s = td_person_list_as(c->db, &c->actor, &q, list_cb, &l, &err))) {
            json_decref(l.arr);
            return td_cli_fail(c, &err);
        }
        if (c->json)
            td_cli_json(l.arr);
        else if (l.n == 0)
            printf("%s\n", _("No persons found."));
        return TD_OK;
    }
    if (strcmp(sub, "update") == 0) {
        const char *expect = td_cli_opt(&argc, argv, "expect-version");
        td_person upd;
        memset(&upd, 0, sizeof upd);
        if (argc < 2)
            return td_cli_usage(c, "%s", _("usage: talentdesk person update ID --field VALUE ..."));
        const char *key = argv[1];
        if ((s = td_cli_actor(c)))
            return s;
        td_person p;
        if ((s = td_person_get_as(c->db, &c->actor, key, &p, &err)))
            return td_cli_fail(c, &err);
        /* Overlay only the options given on the stored record. */
        for (size_t i = 0; i < sizeof field_opts / sizeof field_opts[0]; i++) {
            const char *v = td_cli_opt(&argc, argv, field_opts[i].opt);
            if (!v)
                continue;
            if (strlen(v) >= field_opts[i].len)
                return td_cli_usage(c, _("value of --%s is too long"), field_opts[i].opt);
            memcpy((char *)&p + field_opts[i].off, v, strlen(v) + 1);
        }
        if (argc > 2)
            return td_cli_usage(c, _("unexpected argument '%s'"), argv[2]);
        if (expect)
            p.row_version = atol(expect);
        td_person typed = p;
        if ((s = td_person_update(c->db, &c->actor, &p, &err)))
            return td_cli_fail(c, &err);
        if (c->json) {
            json_t *j = td_person_json(&p);
            tell_changes(&typed, j);
            td_cli_json(j);
        } else {
            printf("%s\n", _("Person updated."));
            print_person(&p);
            tell_changes(&typed, NULL);
        }
        return TD_OK;
    }
    return td_cli_usage(c, _("unknown person command '%s' (add, show, list, update)"), sub);
}
