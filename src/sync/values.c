/* values.c — see sync_internal.h. */
#include "sync_internal.h"
#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *td_sync_val_json(sqlite3_stmt *st, int col)
{
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER:
        return json_integer((json_int_t)sqlite3_column_int64(st, col));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, col));
    case SQLITE_TEXT:
        return json_stringn((const char *)sqlite3_column_text(st, col), (size_t)sqlite3_column_bytes(st, col));
    case SQLITE_BLOB: {
        size_t n = (size_t)sqlite3_column_bytes(st, col);
        char *h = malloc(2 * n + 1);
        if (!h)
            return NULL;
        td_sync_hex(sqlite3_column_blob(st, col), n, h);
        json_t *j = json_pack("{s:s}", "x", h);
        free(h);
        return j;
    }
    default:
        return json_null();
    }
}

int td_sync_bind_json(sqlite3_stmt *st, int idx, const json_t *v)
{
    if (json_is_integer(v))
        return sqlite3_bind_int64(st, idx, (sqlite3_int64)json_integer_value(v));
    if (json_is_real(v))
        return sqlite3_bind_double(st, idx, json_real_value(v));
    if (json_is_string(v))
        return sqlite3_bind_text(st, idx, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
    if (json_is_boolean(v))
        return sqlite3_bind_int(st, idx, json_is_true(v));
    if (json_is_object(v)) {
        const char *h = json_string_value(json_object_get(v, "x"));
        size_t n = h ? strlen(h) / 2 : 0;
        unsigned char *b = malloc(n + 1);
        if (!b || !h || !td_sync_unhex(h, b, n)) {
            free(b);
            return sqlite3_bind_null(st, idx);
        }
        return sqlite3_bind_blob(st, idx, b, (int)n, free);
    }
    return sqlite3_bind_null(st, idx);
}

bool td_sync_policy_table(const char *tbl)
{
    static const char *const p[] = { "talent_categories", "tiers", "doc_types", "services", "service_docs",
                                     "calendar_days", "policy_versions", "departments", "stations", "users",
                                     "user_roles", "report_targets", NULL };
    for (int i = 0; p[i]; i++)
        if (strcmp(p[i], tbl) == 0)
            return true;
    return false;
}

bool td_sync_reference_table(const char *tbl)
{
    return td_sync_policy_table(tbl) && strcmp(tbl, "stations") != 0 && strcmp(tbl, "users") != 0 &&
           strcmp(tbl, "user_roles") != 0;
}

static bool ident(const char *s)
{
    if (!s || !*s || strlen(s) > 63)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* Answers remembered between td_sync_columns_forget() calls (the schema
 * does not change while a bundle is made or applied). */
#define MEMO 1024
static struct {
    const td_db *db;
    char key[132];
    bool yes;
} memo[MEMO];

void td_sync_columns_forget(void)
{
    memset(memo, 0, sizeof memo);
}

static bool ask_column(td_db *db, const char *tbl, const char *col);

bool td_sync_has_column(td_db *db, const char *tbl, const char *col)
{
    if (!ident(tbl) || (col && !ident(col)) || strncmp(tbl, "local_", 6) == 0 || strncmp(tbl, "sqlite_", 7) == 0)
        return false;
    char key[132];
    snprintf(key, sizeof key, "%s.%s", tbl, col ? col : "");
    unsigned h = 5381;
    for (const char *k = key; *k; k++)
        h = h * 33 + (unsigned char)*k;
    for (unsigned i = 0; i < MEMO; i++) {
        unsigned j = (h + i) % MEMO;
        if (memo[j].db == db && strcmp(memo[j].key, key) == 0)
            return memo[j].yes;
        if (!memo[j].db) {
            bool yes = ask_column(db, tbl, col);
            memo[j].db = db;
            snprintf(memo[j].key, sizeof memo[j].key, "%s", key);
            memo[j].yes = yes;
            return yes;
        }
    }
    return ask_column(db, tbl, col);
}

static bool ask_column(td_db *db, const char *tbl, const char *col)
{
    sqlite3_stmt *st = td_db_prepare(db, "SELECT count(*) FROM pragma_table_info(?1) WHERE ?2 IS NULL OR name = ?2",
                                     NULL);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
    if (col)
        sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
    bool yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_reset(st);
    return yes;
}

void td_sync_val_text(const json_t *v, char *buf, size_t len)
{
    if (!len)
        return;
    if (json_is_string(v))
        snprintf(buf, len, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, len, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, len, "%g", json_real_value(v));
    else if (json_is_object(v))
        snprintf(buf, len, "<blob>");
    else
        buf[0] = '\0';
}
