/* csv.h — a streaming RFC 4180 reader (and the writer's quoting rule).
 *
 * Reads records from any byte source (normally the UTF-8 output of
 * src/io/decode.h) in constant memory per record: quoted fields, doubled quotes,
 * newlines inside quotes, CRLF or LF line ends, a final record without a line
 * end.  Liberal where Excel is: a quote inside an unquoted field is kept as a
 * literal character (csv-spectrum location_coordinates.csv).  Strict where
 * data would be lost: text after a closing quote, or a quote still open at the
 * end of the input, marks the record malformed (rec->problem) instead of
 * silently gluing rows together.
 *
 * Line numbers are physical lines of the decoded text (1-based), counted on
 * '\n', so they match what an editor shows.  Byte positions are offsets into
 * the decoded stream, so a caller can match them with decoder events.
 */
#ifndef TD_CSV_H
#define TD_CSV_H

#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

/* Limits that keep a hostile file from exhausting memory. */
#define TD_CSV_MAX_FIELD (1u << 20)   /* bytes in one field */
#define TD_CSV_MAX_FIELDS 4096        /* fields in one record */

/* The byte source: copies up to cap bytes into buf and sets *got (0 = end of
 * input).  Returns TD_OK, or an error status with err filled (the reader
 * stops and returns it). */
typedef td_status (*td_csv_read_fn)(void *ud, char *buf, size_t cap, size_t *got, td_err *err);

typedef struct td_csv_record {
    size_t nfields;
    char **fields;        /* NUL-terminated UTF-8 (as read: not validated) */
    size_t *lens;         /* byte length of each field (a field may hold NUL) */
    long line;            /* physical line where the record starts */
    long end_line;        /* physical line where it ends */
    size_t pos_start;     /* offset of its first byte in the stream */
    size_t pos_end;       /* offset just past its line end */
    const char *problem;  /* NULL, or why the record is malformed (translated) */
} td_csv_record;

typedef struct td_csv td_csv;

/* Creates a reader over fn/ud with the given delimiter (',' normally, '\t'
 * for Excel's "Unicode text").  Returns NULL on OOM.  Free with td_csv_free. */
td_csv *td_csv_new(td_csv_read_fn fn, void *ud, char delim);

/* A reader over a memory buffer (borrowed: must outlive the reader). */
td_csv *td_csv_new_mem(const char *data, size_t len, char delim);

void td_csv_free(td_csv *c);

/* Reads the next record into *out (borrowed: valid until the next call or
 * td_csv_free).  Returns TD_OK with *out == NULL at the end of input.
 * A blank line (no characters at all) yields no record.  Returns TD_EINVALID
 * when a field or record exceeds the limits above (err names the line),
 * TD_ENOMEM, or whatever the source returned; after an error the reader
 * must not be used again except to free it. */
td_status td_csv_next(td_csv *c, td_csv_record **out, td_err *err);

/* True when a field must be quoted on output (delimiter, quote, CR, LF, or a
 * leading/trailing space that Excel would trim). */
bool td_csv_needs_quote(const char *s, char delim);

/* Appends one field to buf (capacity *cap, length *len; grown with realloc)
 * quoted as RFC 4180 requires.  Returns false on OOM. */
bool td_csv_append_field(char **buf, size_t *len, size_t *cap, const char *s, char delim);

#endif
