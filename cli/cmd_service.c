/* cmd_service.c — talentdesk service list [--area AREA] | show CODE:
 * the one-stop service catalogue loaded from data/services.tdp. */
#include "cli.h"
#include "base/i18n.h"
#include "policy/refdata.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    td_cli *c;
    const char *area;
    json_t *arr;
    int n;
} list_ud;

static int list_cb(const td_service *s, void *ud)
{
    list_ud *u = ud;
    if (u->area && strcmp(u->area, s->area) != 0)
        return 0;
    if (u->n++ == 0 && !u->arr) {
        const char *head[5] = { _("Code"), _("Service"), _("Area"), _("Days"), _("Dept") };
        int w[5] = { 26, 28, 10, -4, 0 };
        td_cli_row(5, head, w);
    }
    if (u->arr) {
        json_array_append_new(u->arr, json_pack("{s:s,s:s,s:s,s:s,s:i,s:b,s:o,s:s}", "code", s->id, "name",
                                                s->name, "name_en", s->name_en, "area", s->area, "days",
                                                s->days, "days_is_default", s->days_is_default,
                                                "department", td_json_str(s->department_id), "source",
                                                s->source));
        return 0;
    }
    char days[32];
    /* "*" marks a sample default time limit (see data/README.md) */
    snprintf(days, sizeof days, "%d%s", s->days, s->days_is_default ? "*" : "");
    const char *cells[5] = { s->id, s->name, s->area, days, s->department_id };
    int w[5] = { 26, 28, 10, -4, 0 };
    td_cli_row(5, cells, w);
    return 0;
}

static int list_services(td_cli *c, const char *area)
{
    td_err err;
    td_err_clear(&err);
    list_ud u = { .c = c, .area = area && *area ? area : NULL, .arr = c->json ? json_array() : NULL };
    if (td_service_each(c->db, list_cb, &u, &err) != TD_OK) {
        json_decref(u.arr);
        return td_cli_fail(c, &err);
    }
    if (u.n == 0 && u.area) {
        json_decref(u.arr);
        td_err_set(&err, TD_ENOTFOUND, _("No services in the area '%s'"), u.area);
        return td_cli_fail(c, &err);
    }
    if (u.arr)
        td_cli_json(u.arr);
    else
        printf("%s\n", _("* = sample default time limit (working days), to be confirmed by the department"));
    return TD_OK;
}

typedef struct {
    json_t *arr;
    int n;
} docs_ud;

static int doc_cb(const char *id, const char *name, bool required, void *ud)
{
    docs_ud *u = ud;
    u->n++;
    if (u->arr) {
        json_array_append_new(u->arr, json_pack("{s:s,s:s,s:b}", "code", id, "name", name, "required",
                                                required));
        return 0;
    }
    char num[16];
    snprintf(num, sizeof num, "%d.", u->n);
    const char *cells[4] = { num, name, required ? _("required") : _("if applicable"), id };
    int w[4] = { -4, 30, 10, 0 };
    td_cli_row(4, cells, w);
    return 0;
}

static int show_service(td_cli *c, const char *code)
{
    td_err err;
    td_err_clear(&err);
    td_service s;
    if (td_service_get(c->db, code, &s, &err) != TD_OK)
        return td_cli_fail(c, &err);
    char dept[256] = "";
    td_department_name(c->db, s.department_id, dept, sizeof dept, NULL);
    if (c->json) {
        docs_ud u = { .arr = json_array() };
        if (td_service_docs_each(c->db, s.id, doc_cb, &u, &err) != TD_OK) {
            json_decref(u.arr);
            return td_cli_fail(c, &err);
        }
        td_cli_json(json_pack("{s:s,s:s,s:s,s:s,s:i,s:b,s:o,s:o,s:s,s:o}", "code", s.id, "name", s.name,
                              "name_en", s.name_en, "area", s.area, "days", s.days, "days_is_default",
                              s.days_is_default, "department", td_json_str(s.department_id),
                              "department_name", td_json_str(dept), "source", s.source, "documents",
                              u.arr));
        return TD_OK;
    }
    char days[96];
    snprintf(days, sizeof days,
             s.days_is_default ? _("%d working days (sample default, editable)") : _("%d working days"),
             s.days);
    char deptline[320];
    snprintf(deptline, sizeof deptline, "%s %s", s.department_id, dept);
    struct {
        const char *label, *value;
    } rows[] = {
        { _("Code"), s.id },         { _("Service"), s.name }, { _("English"), s.name_en },
        { _("Area"), s.area },       { _("Time limit"), days }, { _("Department"), deptline },
        { _("Source"), s.source },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *cells[2] = { rows[i].label, rows[i].value };
        int w[2] = { 10, 0 };
        td_cli_row(2, cells, w);
    }
    printf("\n%s\n", _("Documents (checklist):"));
    docs_ud u = { 0 };
    if (td_service_docs_each(c->db, s.id, doc_cb, &u, &err) != TD_OK)
        return td_cli_fail(c, &err);
    return TD_OK;
}

int cmd_service(td_cli *c, int argc, char **argv)
{
    const char *area = td_cli_opt(&argc, argv, "area");
    if (argc < 2)
        return td_cli_usage(c, "%s", _("usage: talentdesk service list [--area AREA] | show CODE"));
    td_status s = td_cli_open_db(c);
    if (s)
        return s;
    if (strcmp(argv[1], "list") == 0 && argc == 2)
        return list_services(c, area);
    if (strcmp(argv[1], "show") == 0 && argc == 3)
        return show_service(c, argv[2]);
    return td_cli_usage(c, "%s", _("usage: talentdesk service list [--area AREA] | show CODE"));
}
