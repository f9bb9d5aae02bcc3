/* enrol.c — see enrol.h. */
#include "enrol.h"
#include "auth/access.h"

#include "keys.h"
#include "sync.h"

#include "base/atomicfile.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "base/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The numbers the station has used as far as HQ knows — HQ's own counters
 * for it and the highest case and notice numbers it holds with the
 * station's code — as "counter YEAR KIND NEXT" lines of the join file, so a
 * station made anew (a replaced laptop, a code enrolled again) never issues
 * a case number HQ already has (cases.case_no and notices.notice_no are
 * unique, and a clash would stop every later bundle). */
static td_status write_counters(td_db *db, FILE *f, const char *sid, const char *code, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT year, kind, max(next) FROM ("
        " SELECT year, kind, next FROM counters WHERE station_id = ?1"
        " UNION ALL SELECT CAST(substr(case_no, length(?2) + 2, 4) AS INTEGER), 'case',"
        "  CAST(substr(case_no, length(?2) + 7) AS INTEGER) + 1 FROM cases"
        "  WHERE substr(case_no, 1, length(?2) + 1) = ?2 || '-'"
        " UNION ALL SELECT CAST(substr(notice_no, length(?2) + 2, 4) AS INTEGER), 'notice',"
        "  CAST(substr(notice_no, length(?2) + 8) AS INTEGER) + 1 FROM notices"
        "  WHERE substr(notice_no, 1, length(?2) + 1) = ?2 || '-')"
        " WHERE year > 0 GROUP BY year, kind ORDER BY year, kind",
        err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, sid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fprintf(f, "counter %d %s %lld\n", sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1),
                (long long)sqlite3_column_int64(st, 2));
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("enrolling the station"), err);
}

td_status td_sync_enrol_station(td_db *db, const td_actor *by, const char *code, const char *name,
                                const char *kind, const char *path, td_err *err)
{
    td_status s = td_access_require(db, by, TD_ACT_SYNC_ADMIN, err);
    if (s)
        return s;
    if (!td_sync_is_hq(db))
        return td_err_set(err, TD_EDENIED, "%s", _("Only headquarters enrols stations"));
    char hid[TD_UUID_LEN], hcode[12], p1[80], p2[80];
    if ((s = td_local_station(db, hid, hcode, err)))
        return s;
    if (!td_db_setting_get(db, "sync_sign_pk", p1, sizeof p1) || !td_db_setting_get(db, "sync_box_pk", p2, sizeof p2))
        return td_err_set(err, TD_ENOTFOUND, "%s",
                          _("This station has no sync keys yet; make them with: talentdesk sync keys"));
    char sid[TD_UUID_LEN] = "", skind[16] = "", sname[200] = "";
    sqlite3_stmt *st = td_db_prepare(db, "SELECT id, kind, name FROM stations WHERE code = ? AND deleted_at IS NULL",
                                     err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        td_col_copy(st, 0, sid, sizeof sid);
        td_col_copy(st, 1, skind, sizeof skind);
        td_col_copy(st, 2, sname, sizeof sname);
    }
    sqlite3_reset(st);
    if (!sid[0]) {
        if (!name || !*name)
            return td_err_set(err, TD_EINVALID, _("Station %s does not exist yet; give its --name"), code);
        if ((s = td_station_add(db, by, code, name, kind && *kind ? kind : "overseas", sid, err)))
            return s;
        snprintf(skind, sizeof skind, "%s", kind && *kind ? kind : "overseas");
        snprintf(sname, sizeof sname, "%s", name);
    }
    if (strcmp(skind, "hq") == 0)
        return td_err_set(err, TD_EINVALID, "%s", _("Headquarters cannot be enrolled as a station"));
    td_afile a;
    if ((s = td_afile_open(&a, path, 0600, err)))
        return s;
    fprintf(td_afile_stream(&a), "TDJOIN1\nTDCARD1 %s %s %s %s\nstation %s %s %s\nname %s\n", hid, hcode, p1, p2,
            sid, code, skind, sname);
    if ((s = write_counters(db, td_afile_stream(&a), sid, code, err))) {
        td_afile_abort(&a);
        return s;
    }
    return td_afile_commit(&a, err);
}

td_status td_sync_join(td_db *db, const char *path, char code_out[12], td_err *err)
{
    char sid0[TD_UUID_LEN], scode0[12];
    if (td_local_station(db, sid0, scode0, NULL) == TD_OK)
        return td_err_set(err, TD_ECONFLICT, _("This database already belongs to station %s"), scode0);
    FILE *f = fopen(path, "r");
    if (!f)
        return td_err_set(err, TD_EIO, _("Cannot read %s: %s"), path, strerror(errno));
    char l1[32] = "", card[600] = "", l3[200] = "", l4[400] = "";
    bool got = fgets(l1, sizeof l1, f) && fgets(card, sizeof card, f) && fgets(l3, sizeof l3, f) &&
               fgets(l4, sizeof l4, f);
    /* then any number of "counter YEAR KIND NEXT" lines (write_counters) */
    struct { int year; char kind[16]; long long next; } ctr[64];
    int nctr = 0;
    char cl[120];
    while (got && fgets(cl, sizeof cl, f)) {
        if (nctr == (int)(sizeof ctr / sizeof ctr[0]) ||
            sscanf(cl, "counter %d %15s %lld", &ctr[nctr].year, ctr[nctr].kind, &ctr[nctr].next) != 3 ||
            ctr[nctr].year < 2000 || ctr[nctr].year > 9999 || ctr[nctr].next < 1 ||
            (strcmp(ctr[nctr].kind, "case") != 0 && strcmp(ctr[nctr].kind, "notice") != 0)) {
            got = false;
            break;
        }
        nctr++;
    }
    fclose(f);
    char sid[64], code[16], kind[16], hmagic[16], hid[64], hcode[16];
    l4[strcspn(l4, "\r\n")] = '\0';
    if (!got || strncmp(l1, "TDJOIN1", 7) != 0 || sscanf(l3, "station %63s %15s %15s", sid, code, kind) != 3 ||
        !td_uuid_valid(sid) || strncmp(l4, "name ", 5) != 0 ||
        sscanf(card, "%15s %63s %15s", hmagic, hid, hcode) != 3 || !td_uuid_valid(hid))
        return td_err_set(err, TD_EINVALID, _("%s is not a station join file (talentdesk sync enrol-station)"), path);
    const char *name = l4 + 5;
    char now[TD_TS_LEN], uid[TD_UUID_LEN];
    td_now_utc(now);
    td_status s = td_db_begin(db, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(db, "INSERT INTO stations(id, code, name, kind, created_at, updated_at) "
                                         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING", err);
    int rc = SQLITE_ERROR;
    for (int i = 0; st && i < 2; i++) {
        /* HQ's row is a placeholder until HQ's own arrives: not an edit made here */
        if (i == 1 && sqlite3_exec(td_db_handle(db), "UPDATE local_sync_tx SET capture = 0", NULL, NULL, NULL))
            break;
        sqlite3_bind_text(st, 1, i ? hid : sid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, i ? hcode : code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, i ? hcode : name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, i ? "hq" : kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            break;
    }
    if (rc != SQLITE_DONE) {
        s = st ? td_db_fail(db, _("joining"), err) : TD_EDB;
        td_db_rollback(db);
        return s;
    }
    if (sqlite3_exec(td_db_handle(db), "UPDATE local_sync_tx SET capture = 1", NULL, NULL, NULL) != SQLITE_OK) {
        s = td_db_fail(db, _("joining"), err);
        td_db_rollback(db);
        return s;
    }
    /* the numbers HQ already holds for this station are never issued again */
    sqlite3_stmt *cs = td_db_prepare(db,
                                     "INSERT INTO counters(station_id, year, kind, next) VALUES (?, ?, ?, ?) "
                                     "ON CONFLICT(station_id, year, kind) DO UPDATE SET next = max(next, excluded.next)",
                                     err);
    for (int i = 0; cs && i < nctr; i++) {
        sqlite3_bind_text(cs, 1, sid, -1, SQLITE_STATIC);
        sqlite3_bind_int(cs, 2, ctr[i].year);
        sqlite3_bind_text(cs, 3, ctr[i].kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(cs, 4, ctr[i].next);
        rc = sqlite3_step(cs);
        sqlite3_reset(cs);
        if (rc != SQLITE_DONE) {
            cs = NULL;
            break;
        }
    }
    if (!cs) {
        s = rc != SQLITE_DONE ? td_db_fail(db, _("joining"), err) : TD_EDB;
        td_db_rollback(db);
        return s;
    }
    if ((s = td_db_setting_set(db, "local_station", sid, err)) ||
        (s = td_user_add(db, NULL, "admin", _("System administrator"), code, NULL, TD_ROLE_ADMIN, uid, err))) {
        td_db_rollback(db);
        return s;
    }
    td_actor admin;
    memset(&admin, 0, sizeof admin);
    snprintf(admin.user_id, sizeof admin.user_id, "%s", uid);
    char hq[12];
    if ((s = td_audit(db, &admin, NULL, "system.join", "stations", sid, "code", NULL, code, NULL, err)) ||
        (s = td_sync_peer_add_line(db, card, hq, err))) {
        td_db_rollback(db);
        return s;
    }
    if ((s = td_db_commit(db, err)))
        return s;
    if ((s = td_sync_keys_create(db, err)))
        return s;
    snprintf(code_out, 12, "%s", code);
    return TD_OK;
}
