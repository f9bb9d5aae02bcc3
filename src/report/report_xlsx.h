/* report_xlsx.h — reports as an .xlsx workbook (libxlsxwriter): one sheet per
 * table, Chinese headers, number and percent formats, a native chart where
 * it helps (bars for categories, lines for months, progress for targets). */
#ifndef TD_REPORT_XLSX_H
#define TD_REPORT_XLSX_H

#include "stats.h"

/* Writes the reports `ids` (n of them; ids of td_report_table) for filter f
 * to path, atomically (src/base/atomicfile.h: the file is complete or
 * absent).  progress (may be NULL) is called after each sheet with
 * (done, total).  TD_EIO naming the file when it cannot be written; the
 * errors of td_report_table otherwise. */
td_status td_report_xlsx(td_db *db, const char *const *ids, int n, const td_report_filter *f, const char *path,
                         void (*progress)(void *ud, int done, int total), void *ud, td_err *err);

/* td_report_xlsx for the signed-in user a: f limited as
 * td_report_filter_scope (stats.h); TD_EDENIED (audited, nothing written)
 * when a may not see these totals. */
td_status td_report_xlsx_as(td_db *db, const td_actor *a, const char *const *ids, int n, const td_report_filter *f,
                            const char *path, void (*progress)(void *ud, int done, int total), void *ud, td_err *err);

#endif
