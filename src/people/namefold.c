/* namefold.c — see namefold.h.  Characters are folded one at a time and
 * cached (ICU transliteration costs tens of microseconds a call; a million
 * names at import would otherwise take minutes).  ICU's
 * Traditional-Simplified rules are per character for names. */
#include "namefold.h"

#include "base/i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#define CACHE_SIZE 16384 /* open addressing */

typedef struct entry {
    uint32_t cp;  /* 0 = empty */
    uint32_t to;  /* folded code point (cp itself when unchanged) */
} entry;

static entry cache[CACHE_SIZE];

static UTransliterator *translit(void)
{
    static UTransliterator *t;
    static bool tried;
    if (!tried) {
        tried = true;
        UErrorCode e = U_ZERO_ERROR;
        UChar id[64];
        u_uastrcpy(id, "Traditional-Simplified");
        t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
        if (U_FAILURE(e))
            t = NULL;
    }
    return t;
}

static bool is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

static uint32_t fold_cp(uint32_t cp)
{
    if (!is_han(cp))
        return cp;
    uint32_t h = (cp * 2654435761u) & (CACHE_SIZE - 1);
    for (int probe = 0; probe < 32; probe++) {
        entry *e = &cache[(h + (uint32_t)probe) & (CACHE_SIZE - 1)];
        if (e->cp == cp)
            return e->to;
        if (e->cp == 0) {
            UTransliterator *t = translit();
            uint32_t to = cp;
            if (t) {
                UChar buf[16];
                int32_t n = 0;
                UErrorCode err = U_ZERO_ERROR;
                U16_APPEND_UNSAFE(buf, n, (UChar32)cp);
                int32_t limit = n;
                utrans_transUChars(t, buf, &n, 16, 0, &limit, &err);
                if (U_SUCCESS(err) && n > 0) {
                    UChar32 c;
                    int32_t i = 0;
                    U16_NEXT(buf, i, n, c);
                    if (i == n) /* one character in, one out */
                        to = (uint32_t)c;
                }
            }
            e->cp = cp;
            e->to = to;
            return to;
        }
    }
    return cp;
}

static int utf8_put(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool td_name_fold(const char *name, char *out, size_t len)
{
    if (!len)
        return false;
    out[0] = '\0';
    if (!name)
        return false;
    size_t o = 0;
    bool changed = false;
    const unsigned char *p = (const unsigned char *)name;
    while (*p) {
        uint32_t cp;
        int n;
        if (p[0] < 0x80) {
            cp = p[0], n = 1;
        } else if ((p[0] & 0xE0) == 0xC0 && p[1]) {
            cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu), n = 2;
        } else if ((p[0] & 0xF0) == 0xE0 && p[1] && p[2]) {
            cp = ((p[0] & 0xFu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu), n = 3;
        } else if ((p[0] & 0xF8) == 0xF0 && p[1] && p[2] && p[3]) {
            cp = ((p[0] & 7u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu), n = 4;
        } else { /* not UTF-8: copy the rest as it is */
            snprintf(out, len, "%s", name);
            return false;
        }
        uint32_t to = fold_cp(cp);
        char enc[4];
        int m = to == cp ? n : utf8_put(to, enc);
        if (o + (size_t)m + 1 > len)
            break;
        memcpy(out + o, to == cp ? (const char *)p : enc, (size_t)m);
        o += (size_t)m;
        changed |= to != cp;
        p += n;
    }
    out[o] = '\0';
    return changed;
}

const char td_name_fold_sql[] =
    "SELECT k.person_id FROM local_person_fold k INDEXED BY local_person_fold_fold "
    "WHERE k.fold = ?1";

int td_name_sort_key(const char *name, unsigned char *buf, int cap)
{
    static UCollator *coll;
    static bool tried;
    if (!tried) {
        tried = true;
        UErrorCode e = U_ZERO_ERROR;
        coll = ucol_open("zh", &e); /* pinyin order, Latin before Han */
        if (U_FAILURE(e))
            coll = NULL;
    }
    if (!coll || !name)
        return 0;
    UChar u[512];
    int32_t ulen = 0;
    UErrorCode e = U_ZERO_ERROR;
    u_strFromUTF8(u, 512, &ulen, name, -1, &e);
    if (U_FAILURE(e))
        return 0;
    int32_t n = ucol_getSortKey(coll, u, ulen, buf, cap);
    return n > 0 && n <= cap ? (int)n : 0;
}

/* Stores the pinyin-order sort key of one person. */
static td_status store_sort_key(td_db *db, const char *person_id, const char *name, td_err *err)
{
    unsigned char key[1024];
    int n = td_name_sort_key(name, key, sizeof key);
    sqlite3_stmt *st = td_db_prepare(db, "INSERT OR REPLACE INTO local_person_sort(person_id, sort_key) VALUES(?1, ?2)",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, person_id);
    if (n > 0)
        sqlite3_bind_blob(st, 2, key, n, SQLITE_TRANSIENT);
    else /* no collator: the name's bytes keep code-point order */
        sqlite3_bind_blob(st, 2, name, (int)strlen(name), SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("indexing names for pinyin search"), err);
}

td_status td_name_fold_store(td_db *db, const char *person_id, const char *name, td_err *err)
{
    if (!name)
        name = "";
    td_status ss = store_sort_key(db, person_id, name, err);
    if (ss)
        return ss;
    char folded[400];
    bool differs = td_name_fold(name, folded, sizeof folded);
    sqlite3_stmt *st = differs
        ? td_db_prepare(db, "INSERT OR REPLACE INTO local_person_fold(person_id, name, fold) VALUES(?1, ?2, ?3)", err)
        : td_db_prepare(db, "DELETE FROM local_person_fold WHERE person_id = ?1", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, person_id);
    if (differs) {
        td_bind_text(st, 2, name);
        td_bind_text(st, 3, folded);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("indexing names for pinyin search"), err);
}

td_status td_name_fold_backfill(td_db *db, td_err *err)
{
    if (td_db_in_tx(db))
        return TD_OK;
    char wm[32] = "0";
    td_db_setting_get(db, "fold_rowid", wm, sizeof wm);
    long long from = atoll(wm), last = from;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT max(rowid) FROM persons", err);
    if (!st)
        return TD_EDB;
    long long top = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (top <= from)
        return TD_OK;
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    st = td_db_prepare(db, "SELECT rowid, id, name FROM persons WHERE rowid > ? ORDER BY rowid", err);
    if (!st) {
        td_db_rollback(db);
        return TD_EDB;
    }
    sqlite3_bind_int64(st, 1, from);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        char id[64];
        td_col_copy(st, 1, id, sizeof id);
        const char *name = (const char *)sqlite3_column_text(st, 2);
        if ((s = td_name_fold_store(db, id, name ? name : "", err))) {
            sqlite3_reset(st);
            td_db_rollback(db);
            return s;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("indexing names for pinyin search"), err);
        td_db_rollback(db);
        return s;
    }
    snprintf(wm, sizeof wm, "%lld", last);
    if ((s = td_db_setting_set(db, "fold_rowid", wm, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}
