/* xlsx.h — a streaming reader of Excel .xlsx worksheets (Office Open XML).
 *
 * Built on minizip (the zip container) and expat (the XML).  The shared-string
 * table is read whole (it holds each distinct text once); the worksheet is
 * parsed incrementally and handed out one row at a time, so a 100,000-row
 * sheet is never held in memory.  Cells: shared strings, inline strings,
 * formula results (cached value), numbers (the stored text, e.g.
 * "13800138000" or "5.0010619921e+17", marked as numbers so that the caller
 * can refuse identity numbers Excel has rounded), booleans and errors.
 * Dates are numbers (Excel serials): td_xlsx_serial_date converts them.
 * DTDs are refused; limits as for CSV (src/io/csv.h) keep a hostile file from
 * exhausting memory.
 */
#ifndef TD_XLSX_H
#define TD_XLSX_H

#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

enum td_xlsx_kind { TD_XC_TEXT = 0, TD_XC_NUMBER, TD_XC_BOOL, TD_XC_ERROR };

typedef struct td_xlsx_row {
    long row;              /* Excel's row number (1-based), as the clerk sees it */
    size_t ncells;         /* up to the last non-empty cell */
    char **cells;          /* UTF-8, NUL-terminated; "" for an empty cell */
    size_t *lens;
    unsigned char *kinds;  /* enum td_xlsx_kind per cell */
} td_xlsx_row;

typedef struct td_xlsx td_xlsx;

/* True when the file starts like a zip archive (an .xlsx). */
bool td_xlsx_sniff(const char *path);

/* Opens the worksheet named `sheet` (NULL: the first) of the workbook at path.
 * TD_EIO when the file cannot be read, TD_EINVALID (a Chinese message) when
 * it is not an .xlsx workbook, the sheet does not exist (the message lists
 * the sheets) or its parts are malformed.  *out is freed with td_xlsx_close. */
td_status td_xlsx_open(const char *path, const char *sheet, td_xlsx **out, td_err *err);

/* The same over a workbook in memory (borrowed: must outlive the reader). */
td_status td_xlsx_open_mem(const void *data, size_t len, const char *sheet, td_xlsx **out, td_err *err);

/* The next row (borrowed: valid until the next call or close), NULL at the end.
 * TD_EINVALID on malformed XML or a limit exceeded (err names the row); after
 * an error the reader must only be closed. */
td_status td_xlsx_next(td_xlsx *x, td_xlsx_row **out, td_err *err);

/* True when the workbook counts dates from 1904 (old Mac Excel). */
bool td_xlsx_date1904(const td_xlsx *x);

/* Uncompressed bytes of the worksheet read so far, and its size. */
void td_xlsx_progress(const td_xlsx *x, long long *done, long long *total);

void td_xlsx_close(td_xlsx *x);

/* Converts a numeric cell holding an Excel date serial ("43831", "43831.5")
 * to "YYYY-MM-DD" (11 bytes) — the 1900 system with Excel's phantom
 * 1900-02-29, or the 1904 system.  False when text is not a number or not a
 * date between 1900 and 9999. */
bool td_xlsx_serial_date(const char *text, bool date1904, char out[11]);

#endif
