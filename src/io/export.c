/* export.c — see export.h. */
#include "export.h"
#include "base/atomicfile.h"
#include "base/audit.h"
#include "auth/access.h"
#include "cases/case.h"
#include "cases/scope.h"
#include "people/mask.h"
#include "csv.h"
#include "encode.h"
#include "base/i18n.h"
#include "base/timeutil.h"
#include "people/country.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <xlsxwriter.h>

bool td_export_what_parse(const char *s, td_export_what *out)
{
    static const char *const names[] = { "persons", "cases", "services" };
    for (int i = 0; s && i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (td_export_what)i;
            return true;
        }
    }
    return false;
}

enum xf { X_PLAIN, X_IDTYPE, X_STATE, X_TIME, X_YESNO, X_CASETYPE, X_SRSTATUS, X_COUNTRY, X_IDNO, X_PHONE };

typedef struct sheet_def {
    const char *sheet;
    const char *sql;        /* ?1 = state filter or NULL */
    int ncols;
    const char *headers[16];
    enum xf xf[16];
} sheet_def;

static const sheet_def defs[] = {
    { "人员",
      "SELECT p.name, p.id_type, p.id_no, CASE p.gender WHEN 'M' THEN '男' WHEN 'F' THEN '女' ELSE '' END, "
      "IFNULL(p.birth_date,''), p.nationality, p.phone, p.email, IFNULL(t.name,''), p.employer, p.field, "
      "p.notes, p.education, p.school, p.study_country, IFNULL(p.returned_on,'') "
      "FROM persons p LEFT JOIN talent_categories t ON t.id = p.category_id "
      "WHERE p.deleted_at IS NULL AND " TD_SCOPE_PERSON_SQL(p) " ORDER BY p.id",
      16,
      { "姓名", "证件类型", "证件号码", "性别", "出生日期", "国籍", "手机号码", "邮箱", "人才类别", "工作单位",
        "领域", "备注", "最高学历", "毕业院校", "留学国家", "回国时间" },
      { X_PLAIN, X_IDTYPE, X_IDNO, X_PLAIN, X_PLAIN, X_COUNTRY, X_PHONE, X_PLAIN, X_PLAIN, X_PLAIN, X_PLAIN,
        X_PLAIN, X_PLAIN, X_PLAIN, X_COUNTRY, X_PLAIN } },
    { "案件",
      "SELECT c.case_no, p.name, p.id_no, c.case_type, c.channel, c.state, c.green_channel, c.created_at, "
      "IFNULL(c.due_date,''), IFNULL(c.closed_at,'') FROM cases c JOIN persons p ON p.id = c.person_id "
      "WHERE c.deleted_at IS NULL AND (?1 IS NULL OR c.state = ?1) AND " TD_SCOPE_SQL(c) " ORDER BY c.id",
      10,
      { "案件编号", "姓名", "证件号码", "案件类型", "渠道", "状态", "绿色通道", "受理时间", "办理时限", "办结时间" },
      { X_PLAIN, X_PLAIN, X_IDNO, X_CASETYPE, X_PLAIN, X_STATE, X_YESNO, X_TIME, X_PLAIN, X_TIME } },
    { "服务事项",
      "SELECT c.case_no, p.name, IFNULL(s.name, r.service_id), r.status, IFNULL(r.days,''), "
      "IFNULL(r.due_date,''), IFNULL(r.started_at,''), IFNULL(r.finished_at,''), r.result, r.reason "
      "FROM service_requests r JOIN cases c ON c.id = r.case_id JOIN persons p ON p.id = c.person_id "
      "LEFT JOIN services s ON s.id = r.service_id "
      "WHERE r.deleted_at IS NULL AND (?1 IS NULL OR c.state = ?1) AND " TD_SCOPE_SQL(c) " ORDER BY r.id",
      10,
      { "案件编号", "姓名", "服务事项", "状态", "承诺时限（工作日）", "截止日期", "开始时间", "完成时间", "办理结果",
        "原因" },
      { X_PLAIN, X_PLAIN, X_PLAIN, X_SRSTATUS, X_PLAIN, X_PLAIN, X_TIME, X_TIME, X_PLAIN, X_PLAIN } },
};

/* Chinese names of the document types, as the importer accepts them. */
static const char *idtype_zh(const char *code)
{
    static const char *const map[][2] = {
        { "resident", "居民身份证" },
        { "hmt_permit", "港澳台居民居住证" },
        { "foreign_pr", "外国人永久居留身份证" },
        { "hkmo_pass", "港澳居民来往内地通行证" },
        { "passport", "护照" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(code, map[i][0]) == 0)
            return map[i][1];
    return code;
}

static const char *sr_status_zh(const char *s)
{
    static const char *const map[][2] = {
        { "pending", "待办" }, { "in_progress", "办理中" }, { "done", "已办结" },
        { "failed", "未办成" }, { "cancelled", "已取消" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(s, map[i][0]) == 0)
            return map[i][1];
    return s;
}

/* "2026-03-15T01:30:00.000Z" → "2026-03-15 09:30:00" (UTC+8). */
static void china_time(const char *iso, char *out, size_t len)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!*iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                        &tm.tm_min, &tm.tm_sec) != 6) {
        snprintf(out, len, "%s", iso);
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) + 8 * 3600;
    struct tm lt;
    gmtime_r(&t, &lt);
    strftime(out, len, "%Y-%m-%d %H:%M:%S", &lt);
}

/* The display form of column i of the current row into buf; identity
 * numbers and mobiles as `viewer` may see them (people/mask.h), in full when
 * viewer is NULL (an export with a stated purpose). */
static const char *cell(const sheet_def *d, sqlite3_stmt *st, int i, const td_actor *viewer, char *buf, size_t len)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    if (!v)
        v = "";
    switch (d->xf[i]) {
    case X_IDTYPE: return idtype_zh(v);
    case X_STATE: return td_state_name(v);
    case X_SRSTATUS: return sr_status_zh(v);
    case X_YESNO: return strcmp(v, "1") == 0 ? "是" : "否";
    case X_CASETYPE: return strcmp(v, "recognition") == 0 ? "人才认定" : strcmp(v, "service") == 0 ? "服务" : v;
    case X_TIME: china_time(v, buf, len); return buf;
    case X_COUNTRY: return *v ? td_country_display(v) : v;
    case X_IDNO: return viewer ? td_pii_view(viewer, TD_PII_ID, v, buf, len) : v;
    case X_PHONE: return viewer ? td_pii_view(viewer, TD_PII_PHONE, v, buf, len) : v;
    default: return v;
    }
}

static td_status write_csv(const sheet_def *d, sqlite3_stmt *st, td_db *db, const char *path, td_enc enc,
                           const td_actor *viewer, long *rows, td_err *err)
{
    td_afile af;
    td_status s0 = td_afile_open(&af, path, 0600, err);
    if (s0)
        return s0;
    FILE *f = td_afile_stream(&af);
    td_encoder *e = NULL;
    td_status s = td_encoder_open(f, enc, &e, err);
    char *line = NULL;
    size_t len = 0, cap = 0;
    char tbuf[64];
    int rc = SQLITE_DONE;
    for (long r = -1; s == TD_OK; r++) {
        if (r >= 0) {
            rc = sqlite3_step(st);
            if (rc != SQLITE_ROW)
                break;
        }
        len = 0;
        for (int i = 0; i < d->ncols; i++) {
            const char *v = r < 0 ? d->headers[i] : cell(d, st, i, viewer, tbuf, sizeof tbuf);
            if (i) {
                td_csv_append_field(&line, &len, &cap, "", ',');
                line[len++] = ',';
                line[len] = '\0';
            }
            if (!td_csv_append_field(&line, &len, &cap, v, ',')) {
                s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
                break;
            }
        }
        if (s)
            break;
        td_csv_append_field(&line, &len, &cap, "", ',');
        memcpy(line + len, "\r\n", 3);
        len += 2;
        s = td_encoder_write(e, line, len, err);
        if (r >= 0 && s == TD_OK)
            (*rows)++;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td_db_fail(db, _("exporting"), err);
    td_err e2;
    td_status s2 = td_encoder_close(e, &e2);
    if (s == TD_OK && s2)
        s = td_err_set(err, s2, "%s", e2.msg);
    free(line);
    if (s) {
        td_afile_abort(&af); /* the previous file at path stays as it was */
        return s;
    }
    return td_afile_commit(&af, err);
}

#define XLSX_MAX_ROWS 1000000 /* data rows per sheet (Excel's limit is 1,048,576) */

static lxw_worksheet *new_sheet(lxw_workbook *wb, const sheet_def *d, int n, lxw_format *bold)
{
    char name[32];
    if (n == 1)
        snprintf(name, sizeof name, "%s", d->sheet);
    else
        snprintf(name, sizeof name, "%s%d", d->sheet, n);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return NULL;
    for (int i = 0; i < d->ncols; i++) {
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, i == 2 ? 22 : 14, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)i, d->headers[i], bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    return ws;
}

static td_status write_xlsx(const sheet_def *d, sqlite3_stmt *st, td_db *db, const char *path,
                            const td_actor *viewer, long *rows, td_err *err)
{
    lxw_workbook_options o = { .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE };
    td_afile af;
    td_status s0 = td_afile_open(&af, path, 0600, err);
    if (s0)
        return s0;
    lxw_workbook *wb = workbook_new_opt(td_afile_tmp_path(&af), &o);
    if (!wb) {
        td_afile_abort(&af);
        return td_err_set(err, TD_EIO, _("cannot create %s: %s"), path, strerror(errno));
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    int sheet_no = 1;
    lxw_worksheet *ws = new_sheet(wb, d, sheet_no, bold);
    td_status s = TD_OK;
    char tbuf[64];
    int rc;
    lxw_row_t row = 1;
    while (ws && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (row > XLSX_MAX_ROWS) {
            ws = new_sheet(wb, d, ++sheet_no, bold);
            row = 1;
            if (!ws)
                break;
        }
        for (int i = 0; i < d->ncols; i++) {
            const char *v = cell(d, st, i, viewer, tbuf, sizeof tbuf);
            if (*v)
                worksheet_write_string(ws, row, (lxw_col_t)i, v, NULL); /* text, never a number or formula */
        }
        row++;
        (*rows)++;
    }
    if (!ws)
        s = td_err_set(err, TD_EIO, _("cannot write %s"), path);
    else if (rc != SQLITE_DONE)
        s = td_db_fail(db, _("exporting"), err);
    lxw_error le = workbook_close(wb);
    if (s == TD_OK && le != LXW_NO_ERROR)
        s = td_err_set(err, TD_EIO, _("cannot write %s: %s"), path, lxw_strerror(le));
    if (s) {
        td_afile_abort(&af);
        return s;
    }
    return td_afile_commit(&af, err);
}

td_status td_export(td_db *db, const td_actor *by, td_export_what what, const char *path,
                    const td_export_opts *opts, long *rows, td_err *err)
{
    *rows = 0;
    if (!by || by->roles == 0)
        return td_err_set(err, TD_EDENIED, "%s", _("Exports need a signed-in user with a role"));
    td_status s = td_access_require(db, by, TD_ACT_EXPORT, err);
    if (s)
        return s;
    if ((int)what < 0 || what > TD_EXPORT_SERVICES)
        return td_err_set(err, TD_EINVALID, "%s", _("Export persons, cases or services"));
    static const td_export_opts defaults = { 0 };
    const td_export_opts *o = opts ? opts : &defaults;
    size_t pl = strlen(path);
    bool xlsx = o->xlsx || (pl > 5 && strcasecmp(path + pl - 5, ".xlsx") == 0);
    td_enc enc = o->encoding == TD_ENC_UNKNOWN ? TD_ENC_UTF8_BOM : o->encoding;
    if (!xlsx && enc != TD_ENC_UTF8 && enc != TD_ENC_UTF8_BOM && enc != TD_ENC_GB18030)
        return td_err_set(err, TD_EINVALID, "%s", _("Export encodings are utf-8 (with BOM for Excel) and gb18030"));
    const sheet_def *d = &defs[what];
    sqlite3_stmt *st;
    /* read everything in one snapshot (a read transaction, no write lock) */
    if (sqlite3_prepare_v2(td_db_handle(db), d->sql, -1, &st, NULL) != SQLITE_OK)
        return td_db_fail(db, _("exporting"), err);
    if (o->state && *o->state)
        sqlite3_bind_text(st, 1, o->state, -1, SQLITE_TRANSIENT);
    td_scope_bind(st, by); /* only the records in the user's scope */
    bool full = o->purpose && *o->purpose; /* unmasked: the stated purpose is audited below */
    const td_actor *viewer = full ? NULL : by;
    s = xlsx ? write_xlsx(d, st, db, path, viewer, rows, err) : write_csv(d, st, db, path, enc, viewer, rows, err);
    sqlite3_finalize(st);
    if (s)
        return s;
    /* who took which data out, when: rows, the file, masked or the purpose */
    static const char *const actions[] = { "export.persons", "export.cases", "export.services" };
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char val[64], why[1024];
    snprintf(val, sizeof val, "%ld", *rows);
    if (full)
        snprintf(why, sizeof why, "%s; %s: %s", base, _("unmasked"), o->purpose);
    else
        snprintf(why, sizeof why, "%s; %s", base, _("masked"));
    if ((s = td_db_begin(db, err)))
        return s;
    if ((s = td_audit(db, by, NULL, actions[what], "", "", "rows", NULL, val, why, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}
