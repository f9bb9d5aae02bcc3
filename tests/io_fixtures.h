/* io_fixtures.h — helpers shared by the import/export/dedupe/search tests:
 * valid resident IDs, files written in a given encoding. */
#ifndef TD_IO_FIXTURES_H
#define TD_IO_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "io/encode.h"
#include "people/idcheck.h"

/* A valid 18-character resident ID: Chongqing Yuzhong (500103), the given
 * birth date "YYYYMMDD" and sequence (odd = male). */
static inline void io_make_id(const char *ymd, int seq, char out[19])
{
    snprintf(out, 19, "500103%.8s%03d", ymd, seq % 1000);
    char c = td_id_check_char(out);
    out[17] = c;
    out[18] = '\0';
}

/* Writes utf8 text to a new temporary file in enc; returns the path. */
static inline char *io_write_file(const char *utf8, td_enc enc, const char *suffix)
{
    char *path = td_test_tmpfile(suffix);
    char *bytes;
    size_t n;
    td_err err;
    td_err_clear(&err);
    if (td_encode_all(utf8, strlen(utf8), enc, &bytes, &n, &err) != TD_OK)
        fail_msg("encode: %s", err.msg);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    free(bytes);
    return path;
}

static inline void io_write_bytes(const char *path, const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

static inline long io_count(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(td_db_handle(db)));
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

#endif
