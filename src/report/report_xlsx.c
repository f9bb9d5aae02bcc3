/* report_xlsx.c — see report_xlsx.h. */
#include "report_xlsx.h"
#include "base/atomicfile.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

/* Sheet names: at most 31 characters, none of []:*?/\ — built from the id. */
static void sheet_name(const td_stat_table *t, int i, char *buf, size_t len)
{
    snprintf(buf, len, "%02d %s", i + 1, t->title ? t->title : t->id);
    /* libxlsxwriter counts 31 characters (UTF-8 aware); CJK titles are short */
    for (char *p = buf; *p; p++)
        if (strchr("[]:*?/\\", *p))
            *p = ' ';
}

static void add_chart(lxw_workbook *wb, lxw_worksheet *ws, const char *sheet, const td_stat_table *t)
{
    if (t->nrows < 1 || t->ncols < 1)
        return;
    bool months = strstr(t->id, "month") || !strcmp(t->id, "notices");
    bool targets = !strcmp(t->id, "targets");
    uint8_t type = months ? LXW_CHART_LINE : LXW_CHART_BAR;
    lxw_chart *ch = workbook_add_chart(wb, type);
    if (!ch)
        return;
    int series = targets ? 1 : months ? (t->ncols >= 2 ? 2 : 1) : 1;
    /* categories: the names (column B); values: the first numbers (C …), the
     * progress (E) for targets */
    int col0 = targets ? 4 : 2;
    for (int s = 0; s < series; s++) {
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(se, sheet, 1, 1, (lxw_row_t)t->nrows, 1);
        int col = targets ? col0 : col0 + s;
        chart_series_set_values(se, sheet, 1, (lxw_col_t)col, (lxw_row_t)t->nrows, (lxw_col_t)col);
        chart_series_set_name_range(se, sheet, 0, (lxw_col_t)col);
    }
    chart_title_set_name(ch, t->title);
    if (targets)
        chart_axis_set_num_format(ch->y_axis, "0%");
    chart_legend_set_position(ch, months ? LXW_CHART_LEGEND_BOTTOM : LXW_CHART_LEGEND_NONE);
    worksheet_insert_chart(ws, 1, (lxw_col_t)(t->ncols + 3), ch);
}

td_status td_report_xlsx(td_db *db, const char *const *ids, int n, const td_report_filter *f, const char *path,
                         void (*progress)(void *ud, int done, int total), void *ud, td_err *err)
{
    td_afile af;
    memset(&af, 0, sizeof af);
    td_status s = td_afile_open(&af, path, 0600, err);
    if (s)
        return s;
    lxw_workbook *wb = workbook_new(td_afile_tmp_path(&af));
    if (!wb) {
        td_afile_abort(&af);
        return td_err_set(err, TD_EIO, _("cannot write %s"), path);
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_bg_color(bold, 0xDDEBF7);
    lxw_format *intf = workbook_add_format(wb);
    format_set_num_format(intf, "#,##0");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.0%");
    lxw_format *days = workbook_add_format(wb);
    format_set_num_format(days, "0.0");
    for (int i = 0; !s && i < n; i++) {
        td_stat_table t;
        if ((s = td_report_table(db, ids[i], f, &t, err)))
            break;
        char name[96];
        sheet_name(&t, i, name, sizeof name);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws) {
            snprintf(name, sizeof name, "%02d", i + 1);
            ws = workbook_add_worksheet(wb, name);
        }
        if (!ws) {
            td_stat_table_free(&t);
            s = td_err_set(err, TD_EIO, _("cannot write %s"), path);
            break;
        }
        worksheet_set_column(ws, 0, 0, 12, NULL);
        worksheet_set_column(ws, 1, 1, 28, NULL);
        worksheet_set_column(ws, 2, (lxw_col_t)(1 + t.ncols), 14, NULL);
        worksheet_write_string(ws, 0, 0, _("Code"), bold);
        worksheet_write_string(ws, 0, 1, _("Item name"), bold);
        for (int c = 0; c < t.ncols; c++)
            worksheet_write_string(ws, 0, (lxw_col_t)(2 + c), t.cols[c], bold);
        worksheet_freeze_panes(ws, 1, 2);
        for (int r = 0; r < t.nrows; r++) {
            const td_stat_row *row = &t.rows[r];
            lxw_row_t y = (lxw_row_t)(r + 1);
            worksheet_write_string(ws, y, 0, row->key, NULL); /* text: never a formula */
            worksheet_write_string(ws, y, 1, row->label, NULL);
            for (int c = 0; c < t.ncols; c++) {
                lxw_col_t x = (lxw_col_t)(2 + c);
                switch (t.kinds[c]) {
                case TD_SK_TEXT:
                    worksheet_write_string(ws, y, x, row->text, NULL);
                    break;
                case TD_SK_PCT:
                    worksheet_write_number(ws, y, x, row->v[c], pct);
                    break;
                case TD_SK_DAYS:
                    if (row->v[c] >= 0)
                        worksheet_write_number(ws, y, x, row->v[c], days);
                    break;
                default:
                    worksheet_write_number(ws, y, x, row->v[c], intf);
                }
            }
        }
        if (t.nrows > 0)
            add_chart(wb, ws, name, &t);
        td_stat_table_free(&t);
        if (progress)
            progress(ud, i + 1, n);
    }
    lxw_error le = workbook_close(wb);
    if (!s && le != LXW_NO_ERROR)
        s = td_err_set(err, TD_EIO, _("cannot write %s: %s"), path, lxw_strerror(le));
    if (s) {
        td_afile_abort(&af);
        return s;
    }
    return td_afile_commit(&af, err);
}
