/* names.c — see names.h. */
#include "names.h"

static bool name_of(td_db *db, sqlite3_stmt *st, const char *id, char *buf, size_t len)
{
    (void)db;
    if (!st)
        return false;
    td_bind_text(st, 1, id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        td_col_copy(st, 0, buf, len);
    sqlite3_reset(st);
    return found;
}

bool td_station_name(td_db *db, const char *id, char *buf, size_t len)
{
    return name_of(db, td_db_prepare(db, "SELECT name FROM stations WHERE id = ?", NULL), id, buf, len);
}

bool td_tier_name(td_db *db, const char *id, char *buf, size_t len)
{
    return name_of(db, td_db_prepare(db, "SELECT name FROM tiers WHERE id = ?", NULL), id, buf, len);
}

int td_categories_each(td_db *db, int (*cb)(const char *id, const char *name, void *ud), void *ud)
{
    sqlite3_stmt *st =
        td_db_prepare(db, "SELECT id, name FROM talent_categories WHERE deleted_at IS NULL ORDER BY sort, id", NULL);
    int n = 0;
    if (!st)
        return 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        n++;
        if (cb((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1), ud))
            break;
    }
    sqlite3_reset(st);
    return n;
}
